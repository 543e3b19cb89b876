//! Who is asking, and whether a `Principal`/`NotPrincipal` element names them.

use super::arn::split_arn;
use crate::policy::{Principal, PrincipalKind};

/// The principal making a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// An IAM user, role, role session, federated user or account root, by ARN (a bare 12-digit
    /// account id means that account's root).
    Aws(String),
    /// A service principal such as `cloudtrail.amazonaws.com`.
    Service(String),
    /// A SAML or OIDC provider (role trust policies).
    Federated(String),
    CanonicalUser(String),
    Anonymous,
}

impl Caller {
    /// The caller's account, for AWS principals.
    pub fn account(&self) -> Option<&str> {
        match self {
            Caller::Aws(id) if is_account_id(id) => Some(id),
            Caller::Aws(arn) => split_arn(arn).map(|p| p[4]).filter(|a| !a.is_empty()),
            _ => None,
        }
    }

    /// Only AWS principals have identity policies.
    pub fn has_identity_policies(&self) -> bool {
        matches!(self, Caller::Aws(_))
    }
}

/// How a principal element relates to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalMatch {
    No,
    /// It contains something whose meaning cannot be decided (a partial wildcard, a service name
    /// differing only in case).
    Unknown,
    /// It names the caller's account (`"A"` or `arn:aws:iam::A:root`): the account delegates to
    /// its identity policies, so this alone grants nothing to anyone but the root.
    Account,
    /// It names the caller (or everyone).
    Direct,
}

impl PrincipalMatch {
    /// Whether the element applies to the caller (enough for a Deny to apply).
    pub fn applies(self) -> super::Tri {
        match self {
            PrincipalMatch::No => super::Tri::False,
            PrincipalMatch::Unknown => super::Tri::Unknown,
            PrincipalMatch::Account | PrincipalMatch::Direct => super::Tri::True,
        }
    }
}

/// Matches a `Principal` (or, `negated`, a `NotPrincipal`) element against the caller.
pub fn principal_matches(element: &Principal, negated: bool, caller: &Caller) -> PrincipalMatch {
    let matches = || {
        element.entries.iter().flat_map(|entry| {
            entry
                .values
                .iter()
                .map(move |v| entry_matches(entry.kind, v.value, caller))
        })
    };
    let positive = if element.any.is_some() {
        PrincipalMatch::Direct
    } else {
        matches().max().unwrap_or(PrincipalMatch::No)
    };
    if !negated {
        return positive;
    }
    match positive {
        PrincipalMatch::No => PrincipalMatch::Direct,
        PrincipalMatch::Unknown => PrincipalMatch::Unknown,
        // IAM tests a `NotPrincipal` against every principal of the request: for a user or role
        // session that is also its account, so only listing both excludes it (AWS's documented
        // trap: a Deny with `NotPrincipal` naming only the user still denies the user). Listing
        // one of the two is not proven either way.
        PrincipalMatch::Account | PrincipalMatch::Direct => {
            let is_root_or_not_aws = match caller {
                Caller::Aws(who) => account_root(who).is_some(),
                _ => true,
            };
            let both = matches().any(|m| m == PrincipalMatch::Direct)
                && matches().any(|m| m == PrincipalMatch::Account);
            if element.any.is_some() || is_root_or_not_aws || both {
                PrincipalMatch::No
            } else {
                PrincipalMatch::Unknown
            }
        }
    }
}

/// One value of a principal entry, e.g. `("AWS", "123456789012")`.
pub fn entry_matches(kind: PrincipalKind, value: &str, caller: &Caller) -> PrincipalMatch {
    if kind == PrincipalKind::Aws && value == "*" {
        return PrincipalMatch::Direct; // everyone, anonymous and services included
    }
    if value.contains(['*', '?']) {
        return PrincipalMatch::Unknown; // partial wildcards are not supported by IAM
    }
    if crate::source::has_placeholder(value) {
        // Known only at deploy time; but an AWS ARN is never a service, whatever its account
        // (a bare placeholder could still be `*`).
        let other_kind =
            kind == PrincipalKind::Aws && !matches!(caller, Caller::Aws(_)) && value.contains(':');
        if other_kind {
            return PrincipalMatch::No;
        }
        return PrincipalMatch::Unknown;
    }
    match (kind, caller) {
        // A caller the template computes (a role's ARN) may or may not be the one named.
        (PrincipalKind::Aws, Caller::Aws(who)) if crate::source::has_placeholder(who) => {
            PrincipalMatch::Unknown
        }
        (PrincipalKind::Aws, Caller::Aws(who)) => aws_matches(value, who),
        (PrincipalKind::Service, Caller::Service(who)) => whole_string(value, who),
        (PrincipalKind::Federated, Caller::Federated(who)) => whole_string(value, who),
        (PrincipalKind::CanonicalUser, Caller::CanonicalUser(who)) => whole_string(value, who),
        _ => PrincipalMatch::No,
    }
}

fn whole_string(value: &str, who: &str) -> PrincipalMatch {
    if value == who {
        PrincipalMatch::Direct
    } else if value.eq_ignore_ascii_case(who) {
        PrincipalMatch::Unknown
    } else {
        PrincipalMatch::No
    }
}

fn aws_matches(value: &str, who: &str) -> PrincipalMatch {
    let who_root = account_root(who);
    if let Some(account) = account_root(value) {
        let caller = Caller::Aws(who.to_string());
        return match (who_root, caller.account()) {
            (Some(root), _) if root == account => PrincipalMatch::Direct,
            (_, Some(caller_account)) if caller_account == account => PrincipalMatch::Account,
            _ => PrincipalMatch::No,
        };
    }
    if value == who || is_session_of_role(who, value) {
        PrincipalMatch::Direct
    } else {
        PrincipalMatch::No
    }
}

/// `"A"` and `arn:<partition>:iam::A:root` both name account A.
fn account_root(value: &str) -> Option<&str> {
    if is_account_id(value) {
        return Some(value);
    }
    let [_, _, service, region, account, resource] = split_arn(value)?;
    (service == "iam" && region.is_empty() && resource == "root" && is_account_id(account))
        .then_some(account)
}

/// A role session `arn:P:sts::A:assumed-role/R/S` is named by its role `arn:P:iam::A:role/PATH/R`
/// (role names are unique in an account, whatever the path).
fn is_session_of_role(session: &str, role: &str) -> bool {
    let (Some(s), Some(r)) = (split_arn(session), split_arn(role)) else {
        return false;
    };
    let Some(session_role) = s[5]
        .strip_prefix("assumed-role/")
        .and_then(|rest| rest.split('/').next())
    else {
        return false;
    };
    let Some(role_path) = r[5].strip_prefix("role/") else {
        return false;
    };
    s[1] == r[1]
        && s[2] == "sts"
        && r[2] == "iam"
        && s[4] == r[4]
        && role_path.rsplit('/').next() == Some(session_role)
}

pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use PrincipalMatch::*;

    const A: &str = "123456789012";

    #[test]
    fn aws_principals() {
        let role = Caller::Aws(format!("arn:aws:iam::{A}:role/Import"));
        assert_eq!(entry_matches(PrincipalKind::Aws, A, &role), Account);
        assert_eq!(
            entry_matches(PrincipalKind::Aws, &format!("arn:aws:iam::{A}:root"), &role),
            Account
        );
        assert_eq!(entry_matches(PrincipalKind::Aws, "111111111111", &role), No);
        assert_eq!(
            entry_matches(
                PrincipalKind::Aws,
                &format!("arn:aws:iam::{A}:role/Import"),
                &role
            ),
            Direct
        );
        assert_eq!(
            entry_matches(
                PrincipalKind::Aws,
                &format!("arn:aws:iam::{A}:role/import"),
                &role
            ),
            No
        );
        assert_eq!(
            entry_matches(
                PrincipalKind::Aws,
                &format!("arn:aws:iam::{A}:role/*"),
                &role
            ),
            Unknown
        );
        assert_eq!(entry_matches(PrincipalKind::Aws, "*", &role), Direct);
        let root = Caller::Aws(format!("arn:aws:iam::{A}:root"));
        assert_eq!(entry_matches(PrincipalKind::Aws, A, &root), Direct);
        let session = Caller::Aws(format!("arn:aws:sts::{A}:assumed-role/Import/s1"));
        assert_eq!(
            entry_matches(
                PrincipalKind::Aws,
                &format!("arn:aws:iam::{A}:role/path/Import"),
                &session
            ),
            Direct
        );
        assert_eq!(
            entry_matches(
                PrincipalKind::Aws,
                &format!("arn:aws:iam::{A}:role/Other"),
                &session
            ),
            No
        );
    }

    #[test]
    fn service_principals() {
        let ct = Caller::Service("cloudtrail.amazonaws.com".into());
        assert_eq!(
            entry_matches(PrincipalKind::Service, "cloudtrail.amazonaws.com", &ct),
            Direct
        );
        assert_eq!(
            entry_matches(PrincipalKind::Service, "CloudTrail.amazonaws.com", &ct),
            Unknown
        );
        assert_eq!(
            entry_matches(PrincipalKind::Service, "logs.amazonaws.com", &ct),
            No
        );
        assert_eq!(entry_matches(PrincipalKind::Aws, "*", &ct), Direct);
        assert_eq!(entry_matches(PrincipalKind::Aws, A, &ct), No);
        assert_eq!(
            entry_matches(PrincipalKind::Aws, "*", &Caller::Anonymous),
            Direct
        );
        assert_eq!(entry_matches(PrincipalKind::Aws, A, &Caller::Anonymous), No);
    }
}
