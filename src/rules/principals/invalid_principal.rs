use crate::engine::split_arn;
use crate::policy::{Principal, PrincipalKind};
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM501",
        name: "invalid-principal",
        severity: Severity::Error,
        summary: "A principal that is not a valid account, ARN, service or identity provider",
        doc: r#"## What it does
Reports a `Principal` / `NotPrincipal` value IAM does not accept: an account ID that is not
12 digits; an `AWS` ARN that is not an account root, user, role, assumed-role session or
federated user; a `Service` that is not a lower-case service host such as
`cloudtrail.amazonaws.com` (`cloudtrail.amazon.com` is a common slip); a `Federated` value that is neither a SAML provider ARN (whose name
is 1 to 128 of letters, digits and `_+=,.@-`), an OIDC provider ARN, nor one of the hosts STS
knows without an IAM provider (`cognito-identity.amazonaws.com`, `accounts.google.com`,
`graph.facebook.com`, `www.amazon.com`), and a `Federated` principal in a resource or key
policy, where only role trust policies accept one; a `CanonicalUser` that is not 64 hex digits; and any partial wildcard
(`arn:aws:iam::*:root`, `*.amazonaws.com`): only a whole `"*"` is allowed.

## Why is this bad?
IAM rejects the policy, or the principal never matches anyone: a trust policy that trusts
nobody, a bucket policy that grants nothing. Partial wildcards look like they narrow access
and are simply invalid.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::*:root"},
  "Action": "sts:AssumeRole"}}
```

## Fix
Name each principal exactly; to admit many accounts, use `"*"` with a condition such as
`aws:PrincipalOrgID`.
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
            check_principal(doc, principal, out);
        }
    }
}

fn check_principal(doc: &Document, principal: &Principal, out: &mut Findings) {
    for entry in &principal.entries {
        for value in &entry.values {
            let text = value.value;
            if text == "*" && matches!(entry.kind, PrincipalKind::Aws) {
                continue;
            }
            let problem = if text.contains(['*', '?']) {
                Some((
                    "IAM does not accept wildcards in principals (only a whole \"*\" for everyone)"
                        .to_string(),
                    "name each principal exactly, or use \"*\" with a condition such as `aws:PrincipalOrgID` or `aws:PrincipalArn` (which take wildcards)".to_string(),
                ))
            } else {
                match entry.kind {
                    PrincipalKind::Aws => aws(text),
                    PrincipalKind::Service => service(text),
                    PrincipalKind::Federated if matches!(doc.kind, Kind::Resource | Kind::Key) => {
                        problem(
                            "only a role trust policy can let a federated identity provider in",
                            "federated users reach a resource through the role they assume: name that role's ARN under `AWS`",
                        )
                    }
                    PrincipalKind::Federated => federated(text),
                    PrincipalKind::CanonicalUser => canonical(text),
                }
            };
            if let Some((why, help)) = problem {
                out.emit(
                    out.at(
                        value.span,
                        format!(
                            "`{text}` is not a valid `{}` principal: {why}",
                            entry.kind.as_str()
                        ),
                    )
                    .help(help),
                );
            }
        }
    }
}

type Problem = Option<(String, String)>;

fn problem(why: &str, help: &str) -> Problem {
    Some((why.to_string(), help.to_string()))
}

fn is_account(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

fn is_partition(text: &str) -> bool {
    text == "aws"
        || text.strip_prefix("aws-").is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        })
}

/// Unique IDs (`AROA…` role, `AIDA…` user) appear where a role or user was deleted; IAM
/// keeps them and they are not malformed (a warning elsewhere, not an error).
fn is_unique_id(text: &str) -> bool {
    (text.starts_with("AROA") || text.starts_with("AIDA"))
        && text.len() >= 16
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn aws(text: &str) -> Problem {
    if is_account(text) || is_unique_id(text) {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return problem(
            "an account ID has exactly 12 digits",
            "write all 12 digits, with leading zeros",
        );
    }
    let Some([arn, partition, service, region, account, resource]) = split_arn(text) else {
        return problem(
            "expected a 12-digit account ID or an IAM ARN",
            "use `123456789012`, `arn:aws:iam::123456789012:root` or `arn:aws:iam::123456789012:role/NAME`",
        );
    };
    if arn != "arn" || !is_partition(partition) {
        return problem(
            "an ARN starts with `arn:` and a partition such as `aws`",
            "use `arn:aws:iam::ACCOUNT:role/NAME`",
        );
    }
    if !region.is_empty() {
        return problem(
            "IAM and STS principal ARNs have no region",
            "leave the region empty: `arn:aws:iam::ACCOUNT:...`",
        );
    }
    if service == "iam" && account == "cloudfront" && is_origin_access_identity(resource) {
        return None;
    }
    if !is_account(account) {
        return problem(
            "the account in the ARN is not 12 digits",
            "write the 12-digit account ID",
        );
    }
    let named = |prefix: &str| {
        resource
            .strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && !rest.ends_with('/'))
    };
    let ok = match service {
        "iam" => resource == "root" || named("user/") || named("role/"),
        "sts" => {
            named("federated-user/")
                || resource
                    .strip_prefix("assumed-role/")
                    .and_then(|rest| rest.split_once('/'))
                    .is_some_and(|(role, session)| !role.is_empty() && !session.is_empty())
        }
        _ => false,
    };
    if ok {
        return None;
    }
    if service == "iam" && resource.starts_with("group/") {
        return problem(
            "groups cannot be principals",
            "name the users or roles, or the account root",
        );
    }
    problem(
        "an AWS principal is an account root, user, role, assumed-role session or federated user",
        "use `arn:aws:iam::ACCOUNT:root`, `...:user/NAME`, `...:role/NAME` or `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`",
    )
}

/// A CloudFront origin access identity as a bucket policy names it,
/// `arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL`: the one
/// principal ARN whose account part is not an account, and whose name has spaces.
fn is_origin_access_identity(resource: &str) -> bool {
    resource
        .strip_prefix("user/CloudFront Origin Access Identity ")
        .is_some_and(|id| {
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        })
}

/// The AWS domains service principals live under, per partition.
const SERVICE_DOMAINS: &[&str] = &[
    ".amazonaws.com",
    ".amazonaws.com.cn",
    ".amazon.com",
    ".c2s.ic.gov",
    ".sc2s.sgov.gov",
    ".amazonaws.eu",
];

fn is_host(text: &str) -> bool {
    text.split('.').count() >= 2
        && text.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn service(text: &str) -> Problem {
    let lower = text.to_ascii_lowercase();
    let known_domain = SERVICE_DOMAINS.iter().any(|d| {
        lower
            .strip_suffix(d)
            .is_some_and(|name| is_host(&format!("{name}.x")))
    });
    if !known_domain || !is_host(text) {
        return problem(
            "a service principal is a service host such as `cloudtrail.amazonaws.com`",
            "use the service's principal, `SERVICE.amazonaws.com`",
        );
    }
    // Only Alexa's principals live under `amazon.com`: a service of the catalog there is the
    // common slip for `amazonaws.com` (`cloudtrail.amazon.com`), which IAM rejects.
    if let Some(name) = lower.strip_suffix(".amazon.com") {
        if crate::catalog::service(name).is_some() {
            return Some((
                "AWS services are under `amazonaws.com` (only Alexa's are under `amazon.com`)"
                    .to_string(),
                format!("did you mean `{name}.amazonaws.com`?"),
            ));
        }
    }
    if lower != text {
        return Some((
            "service principals are lower-case".to_string(),
            format!("write `{lower}`"),
        ));
    }
    None
}

fn federated(text: &str) -> Problem {
    if let Some([arn, partition, service, region, account, resource]) = split_arn(text) {
        let ok = arn == "arn"
            && is_partition(partition)
            && service == "iam"
            && region.is_empty()
            && is_account(account)
            && (resource
                .strip_prefix("saml-provider/")
                .is_some_and(is_saml_provider_name)
                || resource
                    .strip_prefix("oidc-provider/")
                    .is_some_and(|host| is_host(host.split('/').next().unwrap_or(""))));
        return (!ok).then(|| {
            (
                "a federated principal ARN is a SAML or OIDC provider of IAM".to_string(),
                "use `arn:aws:iam::ACCOUNT:saml-provider/NAME` or `arn:aws:iam::ACCOUNT:oidc-provider/HOST`".to_string(),
            )
        });
    }
    if super::WELL_KNOWN_PROVIDERS
        .iter()
        .any(|(host, _)| host.eq_ignore_ascii_case(text))
        || text.starts_with("cognito-identity.")
    {
        return None;
    }
    if is_host(text) {
        return Some((
            format!("STS knows only Cognito, Google, Facebook and Login with Amazon by host name, and `{text}` is not one of them"),
            format!("create an IAM OIDC provider for it and name its ARN: `arn:aws:iam::ACCOUNT:oidc-provider/{text}`"),
        ));
    }
    problem(
        "expected a SAML or OIDC provider ARN or a provider host such as `cognito-identity.amazonaws.com`",
        "use `arn:aws:iam::ACCOUNT:oidc-provider/HOST`, `arn:aws:iam::ACCOUNT:saml-provider/NAME`, or the provider's host",
    )
}

/// IAM's name rule for SAML providers: 1 to 128 of letters, digits and `_+=,.@-`.
fn is_saml_provider_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b))
}

fn canonical(text: &str) -> Problem {
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    problem(
        "an S3 canonical user ID is 64 hexadecimal digits",
        "copy the ID from the bucket owner's canonical ID",
    )
}
