use crate::policy::{glob, Effect, PrincipalKind, Text};
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM030",
        name: "roles-anywhere-trust-missing-actions",
        severity: Severity::Error,
        summary: "A trust for `rolesanywhere.amazonaws.com` without `sts:AssumeRole`, `sts:TagSession` and `sts:SetSourceIdentity`",
        doc: r#"## What it does
Reports a role trust policy that lets `rolesanywhere.amazonaws.com` in but does not allow it
all three actions IAM Roles Anywhere calls when it creates a session: `sts:AssumeRole`,
`sts:TagSession` and `sts:SetSourceIdentity` (Access Analyzer's
`MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY`). Actions allowed in any `Allow` statement
naming the service count, wildcards (`sts:*`) included.

## Why is this bad?
Roles Anywhere tags the session with the certificate's attributes and sets its source
identity; without those permissions every `CreateSession` call fails, so workloads outside AWS
get no credentials.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"},
  "Action": "sts:AssumeRole",
  "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/TA_ID"}}}}
```

## Fix
Allow `["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]`.
"#,
        pack: None,
    },
    check,
};

const NEEDED: [&str; 3] = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"];

fn check(doc: &Document, out: &mut Findings) {
    if doc.kind != Kind::Trust {
        return;
    }
    let mut first: Option<Text> = None;
    let mut allowed = [false; 3];
    for statement in doc.statements() {
        let (Some(Effect::Allow), Some(principal)) = (statement.effect(), &statement.principal)
        else {
            continue;
        };
        let Some(value) = principal
            .entries
            .iter()
            .filter(|e| e.kind == PrincipalKind::Service)
            .flat_map(|e| &e.values)
            .find(|v| v.value.eq_ignore_ascii_case("rolesanywhere.amazonaws.com"))
        else {
            continue;
        };
        first.get_or_insert(*value);
        for item in statement.action.iter().flat_map(|list| &list.items) {
            for (needed, done) in NEEDED.iter().zip(&mut allowed) {
                *done |= glob::matches_ignore_case(item.value, needed);
            }
        }
    }
    let Some(principal) = first else { return };
    let missing: Vec<String> = NEEDED
        .iter()
        .zip(allowed)
        .filter(|(_, done)| !done)
        .map(|(a, _)| format!("`{a}`"))
        .collect();
    if missing.is_empty() {
        return;
    }
    out.emit(
        out.at(
            principal.span,
            format!(
                "IAM Roles Anywhere also needs {} to create a session",
                missing.join(" and ")
            ),
        )
        .help("allow `[\"sts:AssumeRole\", \"sts:TagSession\", \"sts:SetSourceIdentity\"]` to `rolesanywhere.amazonaws.com`"),
    );
}
