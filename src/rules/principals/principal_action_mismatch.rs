use crate::policy::{glob, Effect, PrincipalKind};
use crate::rules::prelude::*;

use super::{federation, Federation};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM507",
        name: "principal-action-mismatch",
        severity: Severity::Error,
        summary: "A trust principal that cannot call the statement's `sts:AssumeRole*` action (SAML with `AssumeRole`, a service with `AssumeRoleWithWebIdentity`, ...)",
        doc: r#"## What it does
In an `Allow` statement of a role trust policy, reports a principal that none of the
statement's role-assumption actions fits, and an assumption action that none of the
principals can call. Each kind of principal assumes a role one way:

| principal | action |
| --- | --- |
| `AWS` (accounts, users, roles), `Service` | `sts:AssumeRole` |
| `Federated` SAML provider (`arn:aws:iam::ACCOUNT:saml-provider/NAME`) | `sts:AssumeRoleWithSAML` |
| `Federated` OIDC provider (`...:oidc-provider/HOST`, `cognito-identity.amazonaws.com`, `accounts.google.com`, ...) | `sts:AssumeRoleWithWebIdentity` |

`sts:TagSession`, `sts:SetSourceIdentity` and `sts:SetContext` go with any of them. A
wildcard action that covers several assumption actions (`sts:AssumeRole*`, `sts:*`) is not
reported.

## Why is this bad?
STS matches the principal and the action together: a SAML provider trusted for
`sts:AssumeRole` never gets in, so the federation the statement was written for fails with
`AccessDenied`.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
  "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}, "Action": "sts:AssumeRole",
  "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}}
```

## Fix
Use the action of the principal's kind (`sts:AssumeRoleWithSAML` here), or move each kind of
principal to a statement with its own action.
"#,
        pack: None,
    },
    check,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assume {
    Role,
    Saml,
    WebIdentity,
}

impl Assume {
    const ALL: [Assume; 3] = [Assume::Role, Assume::Saml, Assume::WebIdentity];

    fn action(self) -> &'static str {
        match self {
            Assume::Role => "sts:AssumeRole",
            Assume::Saml => "sts:AssumeRoleWithSAML",
            Assume::WebIdentity => "sts:AssumeRoleWithWebIdentity",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Assume::Role => "an AWS or service principal",
            Assume::Saml => "a SAML provider",
            Assume::WebIdentity => "an OIDC provider",
        }
    }
}

fn check(doc: &Document, out: &mut Findings) {
    if doc.kind != Kind::Trust {
        return;
    }
    for statement in doc.statements() {
        let (Some(Effect::Allow), Some(principal), Some(actions)) =
            (statement.effect(), &statement.principal, &statement.action)
        else {
            continue;
        };
        // No principal known: a computed one, or only keys another rule reports.
        if principal.any.is_some() || principal.entries.is_empty() {
            continue;
        }
        let mut named = Vec::new();
        let mut covered = false;
        for item in &actions.items {
            if glob::has_wildcard(item.value) {
                covered |= Assume::ALL
                    .iter()
                    .any(|a| glob::matches_ignore_case(item.value, a.action()));
            } else if let Some(a) = Assume::ALL
                .into_iter()
                .find(|a| a.action().eq_ignore_ascii_case(item.value))
            {
                named.push((a, *item));
            }
        }
        if covered || named.is_empty() {
            continue;
        }
        let mut principals = Vec::new();
        let mut unknown = false;
        for entry in &principal.entries {
            for value in &entry.values {
                let kind = match entry.kind {
                    PrincipalKind::Aws | PrincipalKind::Service => Some(Assume::Role),
                    PrincipalKind::Federated => match federation(value.value) {
                        Federation::Saml => Some(Assume::Saml),
                        Federation::IamOidc { .. } | Federation::WellKnown { .. } => {
                            Some(Assume::WebIdentity)
                        }
                        Federation::Unknown => None,
                    },
                    PrincipalKind::CanonicalUser => None,
                };
                match kind {
                    Some(kind) => principals.push((kind, *value)),
                    None => unknown = true,
                }
            }
        }
        let mut all_fit = true;
        for (kind, value) in &principals {
            if named.iter().any(|(a, _)| a == kind) {
                continue;
            }
            all_fit = false;
            let listed = named
                .iter()
                .map(|(a, _)| format!("`{}`", a.action()))
                .collect::<Vec<_>>()
                .join(", ");
            out.emit(
                out.at(
                    value.span,
                    format!(
                        "`{}` is {}, which assumes a role only with `{}`, not {listed}",
                        value.value,
                        kind.describe(),
                        kind.action()
                    ),
                )
                .help(format!(
                    "allow `{}` for this principal (in a statement of its own if the others need another action)",
                    kind.action()
                ))
                .related(out.file(), actions.span, "the actions"),
            );
        }
        if !all_fit || unknown {
            continue;
        }
        for (action, item) in &named {
            if principals.iter().any(|(kind, _)| kind == action) {
                continue;
            }
            out.emit(
                out.at(
                    item.span,
                    format!(
                        "no principal of this statement can call `{}`: only {} can",
                        item.value,
                        action.describe()
                    ),
                )
                .help("remove the action, or add the principal it is meant for")
                .related(out.file(), principal.span, "the principals"),
            );
        }
    }
}
