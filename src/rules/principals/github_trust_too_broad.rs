use crate::engine::BaseOperator;
use crate::rules::prelude::*;

use super::{
    claim_tests, is_github, literal_before_wildcard, narrows, subjects, trusted_oidc_principals,
    Federation, Subjects,
};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM505",
        name: "github-trust-too-broad",
        severity: Severity::Warning,
        summary: "A GitHub Actions trust whose `sub` pattern admits every repository of an organisation, or every branch",
        doc: r#"## What it does
Reports a `StringLike` value of GitHub's `sub` or `repository` claim in a role trust policy that
names the organisation but puts a wildcard where a repository, a branch or an environment
could be named: `repo:octo-org/*`, `repo:octo-org/app:*`, `repo:octo-org/app:ref:*`. Values
that admit every organisation are `oidc-trust-without-subject`'s.

## Why is this bad?
Every workflow of the matched repositories and branches can assume the role: a pull request
branch, a fork's workflow run in the organisation, a newly created repository. Deployment
roles are usually meant for one branch or one protected environment.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/*"}}}}
```

## Fix
Name the repository and the branch or environment:
`repo:octo-org/app:ref:refs/heads/main` or `repo:octo-org/app:environment:production`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for (statement, federation, _) in trusted_oidc_principals(doc) {
        let Federation::IamOidc { provider } = federation else {
            continue;
        };
        // A statement open to every organisation is reported once, by IAM504.
        if !is_github(provider)
            || matches!(
                subjects(statement, provider),
                Subjects::Missing | Subjects::Broad(_)
            )
        {
            continue;
        }
        for (block, entry) in claim_tests(
            statement.condition.as_ref(),
            provider,
            &["sub", "repository"],
        ) {
            if narrows(block).is_none_or(|op| op.base != BaseOperator::StringLike) {
                continue;
            }
            let sub = entry.key.value.to_ascii_lowercase().ends_with(":sub");
            for value in &entry.values {
                if names_context(value.text, sub) {
                    continue;
                }
                out.emit(
                    out.at(
                        value.span,
                        format!(
                            "`{}` lets a workflow of every matched repository, on any branch or environment, assume this role",
                            value.text
                        ),
                    )
                    .help("name the repository and the branch or environment: `repo:ORG/REPO:ref:refs/heads/BRANCH` or `repo:ORG/REPO:environment:NAME`"),
                );
            }
        }
    }
}

/// Whether the literal part of the value, before its first wildcard, already names a
/// repository and (for `sub`) a branch, tag, environment or pull request.
fn names_context(value: &str, sub: bool) -> bool {
    let Some(literal) = literal_before_wildcard(value) else {
        return true;
    };
    if !sub {
        return literal
            .split_once('/')
            .is_some_and(|(_, repo)| !repo.is_empty());
    }
    // A customised subject format is not ours to judge.
    let Some(rest) = literal.strip_prefix("repo:") else {
        return true;
    };
    let Some((repository, context)) = rest.split_once(':') else {
        return false;
    };
    let named = |prefix: &str| context.strip_prefix(prefix).is_some_and(|n| !n.is_empty());
    repository
        .split_once('/')
        .is_some_and(|(_, r)| !r.is_empty())
        && (named("ref:refs/heads/")
            || named("ref:refs/tags/")
            || named("environment:")
            || context.starts_with("pull_request"))
}
