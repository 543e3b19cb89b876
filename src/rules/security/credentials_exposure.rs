use std::sync::OnceLock;

use crate::engine::action::list_matches;
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM406",
        name: "credentials-exposure",
        severity: Severity::Warning,
        summary: "An `Allow` of actions whose response carries a credential",
        doc: r#"## What it does
Reports each `Action` entry of an `Allow` statement that grants an action returning a credential:
an access key (`iam:CreateAccessKey`), a password (`ec2:GetPasswordData`,
`lightsail:GetRelationalDatabaseMasterUserPassword`), a token (`ecr:GetAuthorizationToken`,
`sts:GetFederationToken`, `rds-db:Connect`) or temporary credentials
(`cognito-identity:GetCredentialsForIdentity`). The list, with what each action returns, is data
(`src/rules/security/credentials.tsv`), compiled from the credentials-exposure categories of
Cloudsplaining and iam-policy-validator. Wildcards count (`iam:Create*`); `"*"` and `NotAction`
are left to `admin-access` and `allow-not-action`, and trust policies to the trust rules.

## Why is this bad?
A credential outlives the request that produced it and can be used from anywhere: whoever holds
these permissions can mint keys or passwords for other identities, or hand out access that no
later change to this policy takes back. Such grants deserve a deliberate decision and a narrow
`Resource`.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": ["iam:CreateAccessKey", "ec2:GetPasswordData"], "Resource": "*"}
}
```

## Fix
Grant the action only to the principals that need it and on named resources
(`arn:aws:iam::123456789012:user/${aws:username}` lets users rotate only their own keys), or
acknowledge the finding with a reason in the baseline.
"#,
        pack: None,
    },
    check,
};

/// Every action of `credentials.tsv`, with what its response carries; read once, as every
/// action entry of every policy is compared with all of them.
pub(crate) fn credential_actions() -> &'static [(&'static str, &'static str)] {
    static ROWS: OnceLock<Vec<(&str, &str)>> = OnceLock::new();
    ROWS.get_or_init(|| {
        crate::catalog::tsv_rows(include_str!("credentials.tsv"))
            .filter_map(|mut fields| Some((fields.next()?, fields.next()?)))
            .collect()
    })
}

fn check(doc: &Document, out: &mut Findings) {
    // Only a policy that grants can grant too much: SCPs, RCPs, endpoint policies, boundaries
    // and session policies only cap.
    if !doc.kind.grants() {
        return;
    }
    if doc.kind == Kind::Trust {
        return;
    }
    for statement in doc.statements() {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some(actions) = &statement.action else {
            continue;
        };
        for item in actions.items.iter().filter(|item| item.value != "*") {
            let Some((prefix, _)) = item.value.split_once(':') else {
                continue;
            };
            // The service part cannot hold a wildcard: compare it before matching names.
            let same_service = |action: &str| {
                action
                    .split_once(':')
                    .is_some_and(|(p, _)| p.eq_ignore_ascii_case(prefix))
            };
            let found: Vec<(&str, &str)> = credential_actions()
                .iter()
                .copied()
                .filter(|(action, _)| {
                    same_service(action) && list_matches([item.value], false, action)
                })
                .collect();
            let Some(&(first, carries)) = found.first() else {
                continue;
            };
            let message = if found.len() == 1 && first.eq_ignore_ascii_case(item.value) {
                format!("`{first}` returns {carries}")
            } else {
                let names: Vec<String> = found.iter().map(|(a, _)| format!("`{a}`")).collect();
                format!(
                    "`{}` grants actions that return credentials: {}",
                    item.value,
                    names.join(", ")
                )
            };
            out.emit(out.at(item.span, message).help(
                "grant it only where it is needed, on named resources; whoever holds it can hand out access this policy cannot take back",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::credential_actions;

    #[test]
    fn every_listed_action_is_in_the_catalog() {
        assert!(credential_actions().len() > 20);
        for &(action, carries) in credential_actions() {
            assert!(crate::catalog::action(action).is_some(), "{action}");
            assert!(!carries.is_empty(), "{action}");
        }
    }
}
