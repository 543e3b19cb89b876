use crate::rules::prelude::*;

use super::{is_github, subjects, trusted_oidc_principals, Federation, Subjects};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM504",
        name: "oidc-trust-without-subject",
        severity: Severity::Security,
        summary: "A web-identity trust for an OIDC provider such as GitHub Actions that does not pin the subject (`sub`)",
        doc: r#"## What it does
Reports an `Allow` statement of a role trust policy that lets an IAM OIDC provider in
(`arn:aws:iam::ACCOUNT:oidc-provider/token.actions.githubusercontent.com`, an EKS cluster,
GitLab, Terraform Cloud, ...) without a positive test on the provider's `sub` claim, or whose
every subject test matches any tenant: `repo:*`, `repo:octo-org*` (no `/` after the
organisation), `*`. For GitHub the claims `repository`, `repository_id`,
`repository_owner_id`, `job_workflow_ref` and `enterprise_id` count as subject tests too.
Negated, `IfExists`, `ForAllValues:` and `Null` tests do not narrow anything. Cognito, Google,
Facebook and Login with Amazon are left to `oidc-trust-without-audience`: their audience names
the application.

## Why is this bad?
The provider signs tokens for all its users. GitHub issues an OIDC token to every workflow of
every repository in the world, all with the audience `sts.amazonaws.com`: without a `sub`
condition any of them can assume the role. The same holds for every service account of an
EKS cluster and every project of a shared GitLab or Terraform Cloud.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
  "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}}
```

## Fix
Pin the subject: `"StringEquals": {"token.actions.githubusercontent.com:sub":
"repo:ORG/REPO:ref:refs/heads/BRANCH"}` (or `repo:ORG/REPO:environment:NAME`); for EKS,
`"oidc.eks.REGION.amazonaws.com/id/ID:sub": "system:serviceaccount:NAMESPACE:NAME"`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for (statement, federation, principal) in trusted_oidc_principals(doc) {
        let Federation::IamOidc { provider } = federation else {
            continue;
        };
        let fix = fix(provider);
        match subjects(statement, provider) {
            Subjects::Narrowed => {}
            Subjects::Missing => out.emit(
                out.at(
                    principal.span,
                    format!(
                        "`{provider}` is trusted without a `{provider}:sub` condition, so {} can assume this role",
                        anyone(provider)
                    ),
                )
                .help(fix),
            ),
            Subjects::Broad(values) => {
                for value in values {
                    out.emit(
                        out.at(
                            value.span,
                            format!(
                                "`{}` matches {}, so {} can assume this role",
                                value.text,
                                if is_github(provider) { "every repository of every organisation" } else { "every subject" },
                                anyone(provider)
                            ),
                        )
                        .help(fix.clone())
                        .related(out.file(), principal.span, "the provider"),
                    );
                }
            }
        }
    }
}

fn anyone(provider: &str) -> &'static str {
    if is_github(provider) {
        "a GitHub Actions workflow of any repository in the world"
    } else {
        "every identity the provider issues tokens to"
    }
}

fn fix(provider: &str) -> String {
    if is_github(provider) {
        // The value first: a help line wraps, and the value is what a reader copies.
        format!("pin the repository and branch, `repo:ORG/REPO:ref:refs/heads/BRANCH` (or `repo:ORG/REPO:environment:NAME`), with `\"StringEquals\": {{\"{provider}:sub\": \"repo:...\"}}`")
    } else {
        format!("add `\"StringEquals\": {{\"{provider}:sub\": \"SUBJECT\"}}` naming the identity allowed in (for EKS, `system:serviceaccount:NAMESPACE:NAME`)")
    }
}
