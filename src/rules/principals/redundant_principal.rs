use std::collections::HashMap;

use crate::engine::split_arn;
use crate::policy::{Principal, PrincipalKind, Text};
use crate::rules::prelude::*;
use crate::source::{has_placeholder, PLACEHOLDER};

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

impl Identity {
    /// Whether two values with this identity are surely the same principal. A part computed at
    /// deploy time may be anything, so two of them are not known to be equal; only the stack's
    /// own account (`${AWS::AccountId}`, a [`PART`](crate::source::PART) in the account's place) is one account
    /// wherever it is written. A name computed from a resource's ARN shape is a `PART` too, but
    /// names differ from resource to resource.
    fn is_known(&self) -> bool {
        let account = |a: &str| !a.contains(PLACEHOLDER);
        match self {
            Identity::Account(a) => account(a),
            Identity::Role { account: a, name }
            | Identity::Session {
                account: a,
                role: name,
            } => account(a) && !has_placeholder(name),
            Identity::Other(_, text) => !has_placeholder(text),
        }
    }
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
        .filter(|(id, v)| v.value != "*" && id.is_known())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    /// How many findings the rule gives on a statement's `Principal`, `%` standing for a value
    /// computed at deploy time and `#` for a part of the stack's own (`${AWS::AccountId}`).
    fn found(principal: &str) -> usize {
        let principal = principal.replace('%', "\u{FDD0}").replace('#', "\u{FDD1}");
        let text = format!(
            r#"{{"Statement": {{"Effect": "Allow", "Principal": {principal}, "Action": "sts:AssumeRole"}}}}"#
        );
        let root = crate::source::parse(&text).unwrap();
        let (policy, _) = crate::policy::build(&root);
        let mut out = Findings::new(FileId(0));
        for statement in &policy.unwrap().statements {
            check_principal(statement.principal.as_ref().unwrap(), &mut out);
        }
        out.into_diagnostics().len()
    }

    #[test]
    fn two_computed_values_are_not_the_same_principal() {
        // Two accounts, roles or services only known at deploy time may be any two.
        assert_eq!(
            found(r#"{"AWS": ["arn:%:iam::%:root", "arn:%:iam::%:root"]}"#),
            0
        );
        assert_eq!(found(r#"{"AWS": ["%", "%"]}"#), 0);
        assert_eq!(found(r#"{"Service": ["%", "%"]}"#), 0);
        assert_eq!(
            found(r#"{"AWS": ["arn:aws:iam::#:role/#", "arn:aws:iam::#:role/#"]}"#),
            0,
            "names computed from two resources' ARN shapes"
        );
        assert_eq!(
            found(r#"{"AWS": ["arn:aws:iam::%:role/R", "arn:aws:sts::%:assumed-role/R/s"]}"#),
            0
        );
        // The stack's own account is one account wherever it is written.
        assert_eq!(
            found(r#"{"AWS": ["arn:#:iam::#:root", "arn:aws:iam::#:root"]}"#),
            1
        );
        assert_eq!(
            found(r#"{"AWS": ["arn:aws:iam::#:role/R", "arn:aws:sts::#:assumed-role/R/s"]}"#),
            1
        );
        // Literal principals still compare.
        assert_eq!(
            found(r#"{"AWS": ["111122223333", "arn:aws:iam::111122223333:root"]}"#),
            1
        );
        assert_eq!(found(r#"{"AWS": ["111122223333", "444455556666"]}"#), 0);
    }
}
