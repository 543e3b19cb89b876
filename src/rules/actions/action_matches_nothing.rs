use super::{consequence, entries, resolution, Resolution};
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM104",
        name: "action-matches-nothing",
        severity: Severity::Error,
        summary: "A wildcard action that matches no action of its service",
        doc: r#"## What it does
Reports an `Action` or `NotAction` entry with `*` or `?` in its name that matches no action of
its (known) service, such as `logs:Nope*` or `s3:Get*Objects`.

## Why is this bad?
The pattern grants or denies nothing today. It is usually a misspelt prefix of the intended
actions (`logs:Describ*`'s intent is obvious; `logs:Descibe*` silently matches nothing).

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "logs:Descibe*", "Resource": "*"}
}
```

## Fix
Correct the pattern so that it matches the intended actions, or remove it.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for (statement, item, negated) in entries(doc) {
        let Resolution::MatchesNothing { service } = resolution(doc, item) else {
            continue;
        };
        let help = format!(
            "no action of `{}` ({}) matches it; correct the pattern against the Service Authorization Reference, or remove it",
            service.prefix(),
            service.name()
        );
        out.emit(
            out.at(
                item.span,
                format!(
                    "`{}` matches no action of service `{}`{}",
                    item.value,
                    service.prefix(),
                    consequence(statement, negated)
                ),
            )
            .help(help),
        );
    }
}
