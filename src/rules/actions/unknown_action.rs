use super::{consequence, entries, resolution, Resolution};
use crate::catalog;
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM102",
        name: "unknown-action",
        severity: Severity::Error,
        summary: "An action that its service does not have",
        doc: r#"## What it does
Reports an `Action` or `NotAction` entry without wildcards whose service exists but has no
action of that name, and suggests the closest action name. Case never matters: IAM compares
action names case-insensitively, so `logs:createloggroup` is fine.

## Why is this bad?
An action that does not exist matches nothing: the Allow grants nothing and the Deny denies
nothing. Typos such as a plural (`CreateLogStreams`) or an API name that differs from the IAM
action name are common and invisible until a request fails.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "logs:CreateLogStreams", "Resource": "*"}
}
```

An action the reference lacks but AWS's own managed policies grant is listed in
`src/catalog/lag.tsv` with the evidence and reported as a warning; an action AWS has removed is
`retired-service`.

## Fix
Use the action name the Service Authorization Reference lists (`logs:CreateLogStream`). If the
action is newer than iamlint's catalog, see `iamlint --version`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for (statement, item, negated) in entries(doc) {
        let Resolution::UnknownAction { service, name } = resolution(doc, item) else {
            continue;
        };
        let prefix = &item.value[..item.value.len() - name.len() - 1];
        let help = match service.suggest_action(name) {
            Some(known) => format!("did you mean `{prefix}:{known}`?"),
            None => format!(
                "see the actions of `{}` ({}) in the Service Authorization Reference",
                service.prefix(),
                service.name()
            ),
        };
        let diagnostic = out.at(
            item.span,
            format!(
                "`{}` is not an action of service `{}`{}",
                item.value,
                service.prefix(),
                consequence(statement, negated)
            ),
        );
        out.emit(match catalog::missing_action(service.prefix(), name) {
            Some(lag) => super::lagging(diagnostic, lag),
            None => diagnostic.help(help),
        });
    }
}
