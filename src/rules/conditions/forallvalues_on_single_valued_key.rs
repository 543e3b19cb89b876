use crate::rules::prelude::*;

use super::{for_each_test, key_info, passes_without_key};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM306",
        name: "forallvalues-on-single-valued-key",
        severity: Severity::Security,
        summary:
            "`ForAllValues:` on a single-valued key in an `Allow`: true when the key is absent",
        doc: r#"## What it does
Reports `ForAllValues:` on a key that holds a single value (such as `aws:PrincipalTag/team`
or `aws:SourceVpc`) in an `Allow` statement, unless the same statement also requires the key
to be present (`"Null": {"key": "false"}`).

## Why is this bad?
`ForAllValues:` is true when every request value matches — and so also when there is no
value at all. A request without the key passes the test: the statement grants more than it
reads.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
  "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalTag/team": ["data", "ml"]}}}}
```

## Fix
Drop the qualifier (`StringEquals`): a plain operator on a single-valued key is false when the
key is absent. Set qualifiers are for multivalued keys such as `aws:TagKeys`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for_each_test(doc, |test| {
        let Some(op) = passes_without_key(&test) else {
            return;
        };
        let key = test.entry.key;
        if key_info(doc, &key).is_none_or(|info| info.is_multi_valued()) {
            return;
        }
        let plain = crate::engine::Operator { set: None, ..*op }.name();
        out.emit(
            out.at(
                key.span,
                format!(
                    "`{}` holds a single value, so `{}` is true when the request does not have it",
                    key.value, test.block.operator.value
                ),
            )
            .help(format!(
                "use `{plain}`, which is false when the key is absent (or add `\"Null\": {{\"{}\": \"false\"}}`)",
                key.value
            ))
            .related(out.file(), test.block.operator.span, "the operator"),
        );
    });
}
