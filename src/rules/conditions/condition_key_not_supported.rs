use crate::catalog::{Action, KeyInfo};
use crate::rules::actions::{resolution, Resolution};
use crate::rules::prelude::*;

use super::key_info;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM303",
        name: "condition-key-not-supported",
        severity: Severity::Warning,
        summary: "A condition key that none of the statement's actions supports",
        doc: r#"## What it does
Reports a service condition key that none of the statement's actions supports, when every
action is named exactly (no wildcards, no `NotAction`) and known to the catalog, and the key
belongs to another service than the actions (`s3:prefix` on `ec2:` actions). Keys of the
actions' own service are not reported, since the published per-action lists lag behind the
services; nor are global `aws:` keys, nor the keys a service sets on every call made with its
credentials (`ec2:SourceInstanceARN`, `lambda:SourceFunctionArn`, `glue:RoleAssumedBy`).

## Why is this bad?
A key that is never in the request context makes a positive test always false: an `Allow`
never applies, a `Deny` never denies (and a negated test is always true). The policy looks
scoped and is not.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::bucket/*", "Condition": {"StringEquals": {"ec2:Region": "eu-west-1"}}}}
```

## Fix
Use a key the actions support (see each action's row in the Service Authorization
Reference), or move the condition to the statement whose actions it belongs to.
"#,
        pack: None,
    },
    check,
};

/// More actions than this and the statement is not checked: the check is per key × action.
const MAX_ACTIONS: usize = 256;

fn check(doc: &Document, out: &mut Findings) {
    let mut actions: Vec<Action> = Vec::new();
    for statement in doc.statements() {
        let (Some(condition), Some(list)) = (&statement.condition, &statement.action) else {
            continue;
        };
        if statement.not_action.is_some() || list.items.len() > MAX_ACTIONS {
            continue;
        }
        actions.clear();
        let all_known = list.items.iter().all(|item| match resolution(doc, item) {
            Resolution::Action(action) => {
                actions.push(action);
                true
            }
            _ => false,
        });
        if !all_known || actions.is_empty() {
            continue;
        }
        for block in &condition.blocks {
            for entry in &block.entries {
                let key = entry.key;
                if supported(key.value, key_info(doc, &key), &actions) {
                    continue;
                }
                let named = list
                    .items
                    .iter()
                    .map(|a| format!("`{}`", a.value))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.emit(
                    out.at(
                        key.span,
                        format!("`{}` is not supported by {}", key.value, if actions.len() == 1 { format!("the action {named}") } else { format!("any of the actions {named}") }),
                    )
                    .help("the key is never in these actions' request context, so the test is always false (negated: always true); use a key the actions support or move the condition to the statement it belongs to")
                    .related(out.file(), list.span, "the actions"),
                );
            }
        }
    }
}

fn supported(key: &str, info: Option<KeyInfo>, actions: &[Action]) -> bool {
    let Some(KeyInfo::Service(info)) = info else {
        // Unknown keys are IAM302's. Global keys apply to every action; the tag keys among
        // them too broadly (and with too much lag in the data) to judge per action.
        return true;
    };
    if actions.iter().any(|a| a.supports_condition_key(key)) {
        return true;
    }
    // Per action the data lags behind the services (`secretsmanager:ResourceTag/…` on
    // `GetSecretValue`), so a key of one of the actions' own services is given the benefit of
    // the doubt; a key of another service (`s3:prefix` on `ec2:` actions) is the mistake
    // this rule is for.
    let owner = key.split_once(':').map_or("", |(prefix, _)| prefix);
    let own_service = actions
        .iter()
        .any(|a| a.service().prefix().eq_ignore_ascii_case(owner) || a.service() == info.service());
    own_service || is_credential_context(key)
}

/// Keys a service sets on every request made with the credentials it hands out (an instance
/// profile, a function's role, a Glue job's role), whatever the action.
fn is_credential_context(key: &str) -> bool {
    [
        "ec2:SourceInstanceARN",
        "ssm:SourceInstanceARN",
        "lambda:SourceFunctionArn",
        "glue:RoleAssumedBy",
        "glue:CredentialIssuingService",
        "codebuild:BuildArn",
        "codebuild:ProjectArn",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(key))
}
