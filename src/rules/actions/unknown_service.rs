use super::{consequence, entries, resolution, Resolution};
use crate::catalog;
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM101",
        name: "unknown-service",
        severity: Severity::Error,
        summary: "An action's service prefix is not an AWS service",
        doc: r#"## What it does
Reports an `Action` or `NotAction` entry whose service prefix (the part before the colon) is not
the prefix of any AWS service in the embedded catalog, and suggests the closest one.

## Why is this bad?
An action of a service that does not exist matches nothing: the Allow grants nothing, the Deny
denies nothing. The prefix is usually misspelt (`cloudtrial`) or a product name rather than the
prefix IAM uses (`cloudwatchlogs` instead of `logs`).

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "cloudtrial:LookupEvents", "Resource": "*"}
}
```

A prefix the Service Authorization Reference does not list but AWS's own managed policies grant
(`builderid`) is listed in `src/catalog/lag.tsv` with the evidence and reported as a warning.
A prefix AWS has retired is `retired-service`.

## Fix
Use the service's IAM prefix (`cloudtrail:LookupEvents`). The Service Authorization Reference
lists every prefix. If the service is newer than iamlint's catalog, see `iamlint --version`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for (statement, item, negated) in entries(doc) {
        let Resolution::UnknownService { prefix } = resolution(doc, item) else {
            continue;
        };
        let help = match catalog::suggest_service(prefix) {
            Some(known) => {
                let name = &item.value[prefix.len() + 1..];
                format!("did you mean `{known}:{name}`?")
            }
            None => "use the service's prefix as the Service Authorization Reference lists it"
                .to_string(),
        };
        let name = &item.value[prefix.len() + 1..];
        let diagnostic = out.at(
            item.span,
            format!(
                "`{prefix}` is not an AWS service prefix{}",
                consequence(statement, negated)
            ),
        );
        out.emit(match catalog::missing_action(prefix, name) {
            Some(lag) => super::lagging(diagnostic, lag),
            None => diagnostic.help(help),
        });
    }
}
