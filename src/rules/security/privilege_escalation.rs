use super::{allows, every_resource};
use crate::engine::action::list_matches;
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM405",
        name: "privilege-escalation",
        severity: Severity::Security,
        summary: "A policy that grants a known privilege-escalation path",
        doc: r#"## What it does
Reports a policy whose `Allow` statements together grant every action of a known
privilege-escalation path: `iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`,
`iam:AttachUserPolicy`, `iam:PutRolePolicy` with `sts:AssumeRole`,
`iam:UpdateAssumeRolePolicy` with `sts:AssumeRole`, `iam:PassRole` with `ec2:RunInstances`,
with `lambda:CreateFunction` and `lambda:InvokeFunction`, with `glue:CreateDevEndpoint` or with
`cloudformation:CreateStack`, `lambda:UpdateFunctionCode`, `sts:AssumeRole` on every role, and
more. The paths are data (`src/rules/security/escalation.tsv`), each with its source (Rhino
Security Labs' catalogue of escalation methods, Bishop Fox's iam-vulnerable). Wildcards and
`NotAction` count; an unconditional `Deny` of an action on `"*"` in the same policy removes it.
Access keys and console passwords count only on other users: AWS's policy that lets users manage
their own credentials grants them on `user/${aws:username}`, which no one else matches; a user a
template computes (`!GetAtt User.Arn`, a Terraform local) is not known to be another.
A policy that allows `"*"` is left to `admin-access`; trust and key policies are not checked.

## Why is this bad?
Each path lets the holder give itself permissions it was not granted, up to administrator:
whatever else the policy restricts, it is only as strong as its weakest path.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
    {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}
  ]
}
```

## Fix
Remove one action of each path, or scope it so the path cannot be used: `iam:PassRole` on named
roles with an `iam:PassedToService` condition, IAM write actions on the principal's own
resources with an `iam:PermissionsBoundary` condition, `sts:AssumeRole` on named roles.
"#,
        pack: None,
    },
    check,
};

/// Where an action of a path must be granted for the path to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Anywhere.
    Any,
    /// On every resource (`action@*`).
    Every,
    /// On some user other than the caller (`action@other`): not only on
    /// `user/${aws:username}`, the caller's own user, as AWS's policy that lets users manage
    /// their own credentials grants it.
    Other,
}

/// One escalation path of `escalation.tsv`.
pub(crate) struct Path {
    pub actions: Vec<(&'static str, Scope)>,
    pub how: &'static str,
    pub source: &'static str,
}

pub(crate) fn paths() -> impl Iterator<Item = Path> {
    crate::catalog::tsv_rows(include_str!("escalation.tsv")).filter_map(|mut fields| {
        let actions = fields
            .next()?
            .split(' ')
            .map(|a| {
                if let Some(action) = a.strip_suffix("@*") {
                    (action, Scope::Every)
                } else if let Some(action) = a.strip_suffix("@other") {
                    (action, Scope::Other)
                } else {
                    (a, Scope::Any)
                }
            })
            .collect();
        Some(Path {
            actions,
            how: fields.next()?,
            source: fields.next()?,
        })
    })
}

fn check(doc: &Document, out: &mut Findings) {
    // Only a policy that grants can grant too much: SCPs, RCPs, endpoint policies, boundaries
    // and session policies only cap.
    if !doc.kind.grants() {
        return;
    }
    if matches!(doc.kind, Kind::Trust | Kind::Key) {
        return;
    }
    let statements = doc.statements();
    let grants_everything = statements.iter().any(|s| {
        s.effect() == Some(Effect::Allow)
            && s.action
                .as_ref()
                .is_some_and(|list| list.items.iter().any(|i| i.value == "*"))
    });
    if grants_everything {
        return;
    }
    // Where each action is granted: the `Action` entry (or `NotAction` key) that grants it.
    let granted = |action: &str, scope: Scope| -> Option<Span> {
        let denied = statements.iter().any(|s| {
            s.effect() == Some(Effect::Deny)
                && s.condition.is_none()
                && s.resource
                    .as_ref()
                    .is_some_and(|r| r.items.iter().any(|i| i.value == "*"))
                && s.actions().is_some_and(|(list, negated)| {
                    list_matches(list.items.iter().map(|i| i.value), negated, action)
                })
        });
        if denied {
            return None;
        }
        statements
            .iter()
            .filter(|s| {
                allows(s, action)
                    && match scope {
                        Scope::Any => true,
                        Scope::Every => every_resource(s).is_some(),
                        Scope::Other => other_users(s),
                    }
            })
            .find_map(|s| match s.actions()? {
                (list, true) => Some(list.key_span),
                (list, false) => list
                    .items
                    .iter()
                    .find(|i| list_matches([i.value], false, action))
                    .map(|i| i.span),
            })
    };
    let mut found: Vec<(Path, Vec<Span>)> = Vec::new();
    for path in paths() {
        let spans: Option<Vec<Span>> = path
            .actions
            .iter()
            .map(|&(action, scope)| granted(action, scope))
            .collect();
        if let Some(spans) = spans {
            found.push((path, spans));
        }
    }
    let Some((first, spans)) = found.first() else {
        return;
    };
    let name = |path: &Path| {
        path.actions
            .iter()
            .map(|&(a, scope)| match scope {
                Scope::Every => format!("`{a}` on every resource"),
                Scope::Any | Scope::Other => format!("`{a}`"),
            })
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let mut message = format!(
        "this policy grants a privilege-escalation path: {} lets the holder {}",
        name(first),
        first.how
    );
    if found.len() > 1 {
        let others: Vec<String> = found[1..].iter().take(3).map(|(p, _)| name(p)).collect();
        message.push_str(&format!(
            "; {} more path{}: {}{}",
            found.len() - 1,
            if found.len() > 2 { "s" } else { "" },
            others.join(", "),
            if found.len() > 4 { ", ..." } else { "" }
        ));
    }
    let mut diagnostic = out.at(spans[0], message).help(format!(
        "remove or scope one action of each path (source: {})",
        first.source
    ));
    for (&(action, _), &span) in first.actions.iter().zip(spans).skip(1) {
        diagnostic = diagnostic.related(out.file(), span, format!("grants {action}"));
    }
    out.emit(diagnostic);
}

/// Whether a statement may act on users other than the caller: a resource other than
/// `user/${aws:username}` (under any path; the policy variable is the caller's name, so no other
/// user matches), or `NotResource`. A resource a template computes (`local.user_arns`,
/// `!GetAtt User.Arn`) is not known to; one with only the stack's own partition and account in
/// it (`arn:${AWS::Partition}:iam::${AWS::AccountId}:user/*`) is.
fn other_users(statement: &Statement) -> bool {
    if statement.not_resource.is_some() {
        return true;
    }
    statement.resource.as_ref().is_some_and(|list| {
        list.items.iter().any(|item| {
            let own = item.value.contains(":user/") && item.value.ends_with("/${aws:username}");
            !own && !item.value.contains(crate::source::PLACEHOLDER)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::paths;

    #[test]
    fn every_path_names_catalog_actions_and_a_source() {
        assert!(paths().count() > 15);
        for path in paths() {
            assert!(!path.how.is_empty() && !path.source.is_empty());
            for (action, _) in path.actions {
                assert!(crate::catalog::action(action).is_some(), "{action}");
            }
        }
    }
}
