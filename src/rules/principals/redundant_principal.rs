use std::collections::HashMap;

use crate::engine::split_arn;
use crate::policy::{Principal, PrincipalKind, Text};
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM509",
        name: "redundant-principal",
        severity: Severity::Suggestion,
        summary: "A principal listed twice, or an assumed-role session listed with its role",
        doc: r#"## What it does
Reports a `Principal` / `NotPrincipal` value that another value of the same statement already
covers: the same principal written twice (`111122223333` and
`arn:aws:iam::111122223333:root` are the same), and an assumed-role session
(`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`) listed together with its role (Access
Analyzer's `REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY`).

## Why is this bad?
It has no effect, and it misleads: a reader may think the session is trusted alone, or edit
one copy and not the other.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": [
  "arn:aws:iam::111122223333:role/Deploy", "arn:aws:sts::111122223333:assumed-role/Deploy/ci"]},
  "Action": "sts:AssumeRole"}}
```

## Fix
Remove the redundant value.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for statement in doc.statements() {
        for principal in [&statement.principal, &statement.not_principal]
            .into_iter()
            .flatten()
        {
            check_principal(principal, out);
        }
    }
}

/// What a principal value stands for, so that two spellings of the same one compare equal.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Identity {
    Account(String),
    Role { account: String, name: String },
    Session { account: String, role: String },
    Other(PrincipalKind, String),
}

fn identity(kind: PrincipalKind, text: &str) -> Identity {
    let other = || Identity::Other(kind, text.to_ascii_lowercase());
    if kind != PrincipalKind::Aws {
        return other();
    }
    if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Identity::Account(text.to_string());
    }
    let Some([_, _, service, _, account, resource]) = split_arn(text) else {
        return other();
    };
    let account = account.to_string();
    match (service, resource) {
        ("iam", "root") => Identity::Account(account),
        ("iam", r) if r.starts_with("role/") => Identity::Role {
            account,
            // A role's path is not part of its session ARNs.
            name: r.rsplit('/').next().unwrap_or("").to_string(),
        },
        ("sts", r) => match r
            .strip_prefix("assumed-role/")
            .and_then(|r| r.split_once('/'))
        {
            Some((role, _)) => Identity::Session {
                account,
                role: role.to_string(),
            },
            None => other(),
        },
        _ => other(),
    }
}

fn check_principal(principal: &Principal, out: &mut Findings) {
    let values: Vec<(Identity, Text)> = principal
        .entries
        .iter()
        .flat_map(|e| {
            e.values
                .iter()
                .map(move |v| (identity(e.kind, v.value), *v))
        })
        .filter(|(_, v)| v.value != "*")
        .collect();
    // By hash, not pairwise: a principal may list thousands of accounts.
    let mut first: HashMap<&Identity, Text> = HashMap::new();
    for (id, value) in &values {
        first.entry(id).or_insert(*value);
    }
    for (id, value) in &values {
        let earlier = first[id];
        if earlier.span != value.span {
            out.emit(
                out.at(value.span, format!("`{}` is already listed", value.value))
                    .help("remove the second copy")
                    .related(out.file(), earlier.span, "the first"),
            );
            continue;
        }
        let Identity::Session { account, role } = id else {
            continue;
        };
        let parent = Identity::Role {
            account: account.clone(),
            name: role.clone(),
        };
        if let Some(parent) = first.get(&parent) {
            out.emit(
                out.at(
                    value.span,
                    format!(
                        "`{}` is a session of `{}`, which is already listed and covers all its sessions",
                        value.value, parent.value
                    ),
                )
                .help("remove the session, or the role if only this session is meant to get in")
                .related(out.file(), parent.span, "the role"),
            );
        }
    }
}
