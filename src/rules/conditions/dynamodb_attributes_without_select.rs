use crate::policy::Effect;
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM319",
        name: "dynamodb-attributes-without-select",
        severity: Severity::Security,
        summary: "`dynamodb:Attributes` limited in an `Allow` without `dynamodb:Select` = `SPECIFIC_ATTRIBUTES`",
        doc: r#"## What it does
Reports an `Allow` statement that tests `dynamodb:Attributes` but not, with a positive
operator, that `dynamodb:Select` is `SPECIFIC_ATTRIBUTES` (Access Analyzer's
`DYNAMODB_ATTRIBUTES_WITHOUT_SELECT`).

## Why is this bad?
`dynamodb:Attributes` holds the attributes a request names. A `Query` or `Scan` with
`Select: ALL_ATTRIBUTES` names none, so `ForAllValues:` on the key is true and the request
returns every attribute, the ones the condition meant to hide included.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["dynamodb:Query", "dynamodb:GetItem"],
  "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/Users",
  "Condition": {"ForAllValues:StringEquals": {"dynamodb:Attributes": ["UserId", "Name"]}}}}
```

## Fix
Add `"StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}` (the form of AWS's
example policies: requests that select nothing else, such as `GetItem` with a projection,
keep working).
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for statement in doc.statements() {
        let (Some(Effect::Allow), Some(condition)) = (statement.effect(), &statement.condition)
        else {
            continue;
        };
        let Some(attributes) = condition
            .blocks
            .iter()
            .flat_map(|b| &b.entries)
            .find(|e| e.key.value.eq_ignore_ascii_case("dynamodb:Attributes"))
        else {
            continue;
        };
        let selects_specific = super::positive_entries(condition).any(|e| {
            e.key.value.eq_ignore_ascii_case("dynamodb:Select")
                && !e.values.is_empty()
                && e.values.iter().all(|v| v.text == "SPECIFIC_ATTRIBUTES")
        });
        if selects_specific {
            continue;
        }
        out.emit(
            out.at(
                attributes.key.span,
                "`dynamodb:Attributes` limits only the attributes a request names: one that selects `ALL_ATTRIBUTES` names none and reads them all",
            )
            .help("add `\"StringEqualsIfExists\": {\"dynamodb:Select\": \"SPECIFIC_ATTRIBUTES\"}`"),
        );
    }
}
