use crate::engine::SetQualifier;
use crate::rules::prelude::*;

use super::{claim_tests, narrows, trusted_oidc_principals, Federation, WELL_KNOWN_PROVIDERS};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM506",
        name: "oidc-trust-without-audience",
        severity: Severity::Security,
        summary: "A web-identity trust without a test on the token's audience (`aud`, `app_id`), or with `ForAnyValue:` on it",
        doc: r#"## What it does
Reports an `Allow` statement of a role trust policy that lets an OIDC provider in (an IAM OIDC
provider ARN, or `cognito-identity.amazonaws.com`, `accounts.google.com`,
`graph.facebook.com`, `www.amazon.com`) without a positive test on the audience claim:
`PROVIDER:aud` (`accounts.google.com:oaud` also counts), `graph.facebook.com:app_id`,
`www.amazon.com:app_id`. Negated, `IfExists`, `ForAllValues:` and `Null` tests, and a bare `*`,
do not count. A set qualifier on the audience is reported too (Access Analyzer's
`FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE`): the claim is single-valued.

## Why is this bad?
The audience names the application the token was issued for. Without it, a token a
provider issued to anyone else's application is as good as one issued to yours: for Cognito,
an identity of any identity pool in any account can assume the role; for Google, any Google
account signed in to any app. For IAM OIDC providers, the test pins which of the provider's
client IDs this role accepts.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
  "Action": "sts:AssumeRoleWithWebIdentity",
  "Condition": {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}}}
```

## Fix
Add `"StringEquals": {"cognito-identity.amazonaws.com:aud": "REGION:IDENTITY-POOL-ID"}` (for
GitHub Actions, `"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"`), with
`StringEquals` rather than `ForAnyValue:StringEquals`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for (statement, federation, principal) in trusted_oidc_principals(doc) {
        let provider = match federation {
            Federation::IamOidc { provider } | Federation::WellKnown { provider } => provider,
            _ => continue,
        };
        let claims: &[&str] = match WELL_KNOWN_PROVIDERS
            .iter()
            .find(|(host, _)| host.eq_ignore_ascii_case(provider))
        {
            Some((host, "aud")) if host.starts_with("accounts.google") => &["aud", "oaud"],
            Some((_, claim)) => std::slice::from_ref(claim),
            None => &["aud"],
        };
        let tests = claim_tests(statement.condition.as_ref(), provider, claims);
        for (block, entry) in &tests {
            let Ok(op) = crate::engine::parse_operator(block.operator.value) else {
                continue;
            };
            if let Some(set) = op.set {
                let plain = crate::engine::Operator { set: None, ..op }.name();
                out.emit(
                    out.at(
                        block.operator.span,
                        format!(
                            "`{}` holds a single value, so `{}` is the wrong test for it",
                            entry.key.value, block.operator.value
                        ),
                    )
                    .help(match set {
                        SetQualifier::ForAllValues => format!("use `{plain}`: `ForAllValues:` is also true for a token without an audience"),
                        SetQualifier::ForAnyValue => format!("use `{plain}`, the operator for a single-valued claim"),
                    })
                    .related(out.file(), entry.key.span, "the audience claim"),
                );
            }
        }
        let pinned = statement.condition.as_ref().is_some_and(super::computed)
            || tests.iter().any(|(block, entry)| {
                narrows(block).is_some()
                    && !entry
                        .values
                        .iter()
                        .any(|v| v.text.trim_matches(['*', '?']).is_empty())
            });
        if !pinned {
            let key = format!("{provider}:{}", claims[0]);
            let accepted = match federation {
                Federation::IamOidc { .. } => {
                    "a token for any client ID registered on the IAM provider is accepted"
                }
                _ => "tokens the provider issued to any application are accepted",
            };
            out.emit(
                out.at(
                    principal.span,
                    format!("`{provider}` is trusted without a `{key}` condition, so {accepted}"),
                )
                .help(format!(
                    "add `\"StringEquals\": {{\"{key}\": \"{}\"}}`",
                    example_audience(provider)
                )),
            );
        }
    }
}

fn example_audience(provider: &str) -> &'static str {
    if provider.eq_ignore_ascii_case("cognito-identity.amazonaws.com") {
        "REGION:IDENTITY-POOL-ID"
    } else if super::is_github(provider) || provider.starts_with("oidc.eks.") {
        "sts.amazonaws.com"
    } else {
        "YOUR-CLIENT-ID"
    }
}
