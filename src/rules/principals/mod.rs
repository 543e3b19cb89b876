//! Principal rules: malformed principals, public access, confused deputies and federated trust
//! (IAM501–IAM509, IAM030).

pub mod allow_with_not_principal;
pub mod github_trust_too_broad;
pub mod invalid_principal;
pub mod oidc_trust_without_audience;
pub mod oidc_trust_without_subject;
pub mod principal_action_mismatch;
pub mod public_principal;
pub mod redundant_principal;
pub mod roles_anywhere_trust_missing_actions;
pub mod service_principal_without_source;

use crate::engine::{parse_operator, BaseOperator};
use crate::policy::{Condition, Effect, Kind, PrincipalKind, Statement, Text};
use crate::rules::Document;
use crate::source::has_placeholder;

/// Whether the condition has a test on one of `keys` that actually narrows who gets in: a
/// positive operator (not negated, not `IfExists`, not `ForAllValues:`, not `Null`) with no
/// bare `*` value. A negated test (`StringNotEquals aws:PrincipalOrgID`) still lets in
/// everyone else.
pub(crate) fn restricts(condition: Option<&Condition>, keys: &[&str]) -> bool {
    let Some(condition) = condition else {
        return false;
    };
    if computed(condition) {
        return true;
    }
    condition.blocks.iter().any(|block| {
        let Ok(op) = parse_operator(block.operator.value) else {
            return false;
        };
        if op.negated
            || op.if_exists
            || op.base == BaseOperator::Null
            || op.set == Some(crate::engine::SetQualifier::ForAllValues)
        {
            return false;
        }
        block.entries.iter().any(|entry| {
            keys.iter().any(|k| k.eq_ignore_ascii_case(entry.key.value))
                && !entry.values.iter().any(|v| v.text == "*")
        })
    })
}

/// Whether a condition is not all known here: a template computes an operator, a key or the
/// whole block (`variable = "${var.provider}:sub"`), or the builder dropped a part. It may then
/// hold exactly the test a rule looks for, so no rule reports the test missing.
pub(crate) fn computed(condition: &Condition) -> bool {
    !condition.complete
        || condition.blocks.iter().any(|block| {
            has_placeholder(block.operator.value)
                || block.entries.iter().any(|e| has_placeholder(e.key.value))
        })
}

/// The identity providers STS knows by host name, without an IAM provider, with the claim that
/// names the application (the audience).
pub(crate) const WELL_KNOWN_PROVIDERS: &[(&str, &str)] = &[
    ("cognito-identity.amazonaws.com", "aud"),
    ("accounts.google.com", "aud"),
    ("graph.facebook.com", "app_id"),
    ("www.amazon.com", "app_id"),
];

/// What a `Federated` principal value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Federation<'a> {
    /// `arn:aws:iam::ACCOUNT:saml-provider/NAME`.
    Saml,
    /// `arn:aws:iam::ACCOUNT:oidc-provider/HOST[/PATH]`: `provider` is `HOST[/PATH]`, the
    /// prefix of its condition keys.
    IamOidc { provider: &'a str },
    /// One of [`WELL_KNOWN_PROVIDERS`], by host.
    WellKnown { provider: &'a str },
    /// Anything else: `invalid-principal` reports it.
    Unknown,
}

pub(crate) fn federation(value: &str) -> Federation<'_> {
    if let Some(parts) = crate::engine::split_arn(value) {
        let resource = parts[5];
        if parts[2] == "iam" {
            if resource.starts_with("saml-provider/") {
                return Federation::Saml;
            }
            if let Some(provider) = resource.strip_prefix("oidc-provider/") {
                return Federation::IamOidc { provider };
            }
        }
        return Federation::Unknown;
    }
    match WELL_KNOWN_PROVIDERS
        .iter()
        .find(|(host, _)| host.eq_ignore_ascii_case(value))
    {
        Some(_) => Federation::WellKnown { provider: value },
        None => Federation::Unknown,
    }
}

/// Whether a provider is GitHub Actions' token issuer (github.com or a GitHub Enterprise
/// Cloud domain, `token.actions.DOMAIN.ghe.com`).
pub(crate) fn is_github(provider: &str) -> bool {
    let host = provider.split('/').next().unwrap_or("");
    host.eq_ignore_ascii_case("token.actions.githubusercontent.com")
        || (host.starts_with("token.actions.") && host.ends_with(".ghe.com"))
}

/// Every OIDC provider (IAM or well-known) that an `Allow` statement of a trust policy lets
/// in: the statement, the provider, and the principal value's text and span.
pub(crate) fn trusted_oidc_principals<'a>(
    doc: &Document<'a>,
) -> Vec<(&'a Statement<'a>, Federation<'a>, Text<'a>)> {
    if doc.kind != Kind::Trust {
        return Vec::new();
    }
    let mut found = Vec::new();
    for statement in doc.statements() {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some(principal) = &statement.principal else {
            continue;
        };
        let values = principal
            .entries
            .iter()
            .filter(|e| e.kind == PrincipalKind::Federated)
            .flat_map(|e| &e.values);
        for value in values {
            let federation = federation(value.value);
            if matches!(
                federation,
                Federation::IamOidc { .. } | Federation::WellKnown { .. }
            ) {
                found.push((statement, federation, *value));
            }
        }
    }
    found
}

/// The condition tests of a statement on `provider:claim` for any of `claims`.
pub(crate) fn claim_tests<'s, 'a>(
    condition: Option<&'s Condition<'a>>,
    provider: &str,
    claims: &[&str],
) -> Vec<(
    &'s crate::policy::ConditionBlock<'a>,
    &'s crate::policy::ConditionEntry<'a>,
)> {
    let mut found = Vec::new();
    for block in condition.into_iter().flat_map(|c| &c.blocks) {
        for entry in &block.entries {
            let Some((prefix, claim)) = entry.key.value.rsplit_once(':') else {
                continue;
            };
            if prefix.eq_ignore_ascii_case(provider)
                && claims.iter().any(|c| c.eq_ignore_ascii_case(claim))
            {
                found.push((block, entry));
            }
        }
    }
    found
}

/// Whether a test actually narrows who gets in: a positive operator (not negated, not
/// `IfExists`, not `ForAllValues:`, not `Null`); the operator of `restricts`, per block.
pub(crate) fn narrows(block: &crate::policy::ConditionBlock) -> Option<crate::engine::Operator> {
    let op = parse_operator(block.operator.value).ok()?;
    let weak = op.negated
        || op.if_exists
        || op.base == BaseOperator::Null
        || op.set == Some(crate::engine::SetQualifier::ForAllValues);
    (!weak).then_some(op)
}

/// The GitHub claims that name a repository, an organisation or an enterprise, any of which
/// keeps other tenants out; for other providers only `sub` does.
const GITHUB_SUBJECT_CLAIMS: &[&str] = &[
    "sub",
    "repository",
    "repository_id",
    "repository_owner_id",
    "job_workflow_ref",
    "enterprise_id",
];

/// How a trust statement scopes the subjects of one OIDC provider.
#[derive(Debug)]
pub(crate) enum Subjects<'a> {
    /// No positive test on a subject claim.
    Missing,
    /// Every positive test has a value that matches any repository or organisation: the
    /// values that do.
    Broad(Vec<crate::policy::ConditionValue<'a>>),
    /// At least one positive test keeps other tenants out.
    Narrowed,
}

pub(crate) fn subjects<'a>(
    statement: &crate::policy::Statement<'a>,
    provider: &str,
) -> Subjects<'a> {
    let github = is_github(provider);
    let claims: &[&str] = if github {
        GITHUB_SUBJECT_CLAIMS
    } else {
        &["sub"]
    };
    if statement.condition.as_ref().is_some_and(computed) {
        return Subjects::Narrowed;
    }
    let mut broad = Vec::new();
    let mut any = false;
    for (block, entry) in claim_tests(statement.condition.as_ref(), provider, claims) {
        let Some(op) = narrows(block) else { continue };
        any = true;
        let like = op.base == BaseOperator::StringLike;
        let claim = entry.key.value.rsplit(':').next().unwrap_or("");
        let wide: Vec<_> = entry
            .values
            .iter()
            .filter(|v| like && matches_any_tenant(github, claim, v.text))
            .copied()
            .collect();
        if wide.is_empty() {
            return Subjects::Narrowed;
        }
        broad.extend(wide);
    }
    if !any {
        Subjects::Missing
    } else {
        Subjects::Broad(broad)
    }
}

/// The literal start of a `StringLike` value, before its first wildcard; `None` when the value
/// has no wildcard and so matches only itself.
pub(crate) fn literal_before_wildcard(value: &str) -> Option<&str> {
    let literal = value.split(['*', '?']).next().unwrap_or("");
    (literal.len() < value.len()).then_some(literal)
}

/// Whether a `StringLike` value of a subject claim matches every tenant of the provider: for
/// GitHub, a wildcard before the organisation is complete (`repo:*`, `repo:octo-org*`), for
/// other providers a value of wildcards only.
pub(crate) fn matches_any_tenant(github: bool, claim: &str, value: &str) -> bool {
    let Some(literal) = literal_before_wildcard(value) else {
        return false;
    };
    if !github {
        return literal.is_empty();
    }
    let repository = if claim.eq_ignore_ascii_case("sub") {
        match literal.strip_prefix("repo:") {
            Some(rest) => rest,
            // A customised subject (`repository_owner:...`): only a leading wildcard is known
            // to admit everyone.
            None => return literal.is_empty() || "repo:".starts_with(literal),
        }
    } else if claim.eq_ignore_ascii_case("repository")
        || claim.eq_ignore_ascii_case("job_workflow_ref")
    {
        literal
    } else {
        return literal.is_empty();
    };
    // The organisation is named only once a `/` follows it.
    repository
        .split_once('/')
        .is_none_or(|(org, _)| org.is_empty())
}
