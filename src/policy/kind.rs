use super::model::{Effect, Kind, Policy, Statement};

/// Infers a document's kind from its statements, as the contract describes: with a `Principal`,
/// `"*"` on `"*"` in statements that deny (beside at most `RCPFullAWSAccess`) actions of services
/// RCPs support makes a resource control policy, only role-assumption actions a trust policy,
/// `kms:` actions a key policy, anything else a resource policy; without one, an identity policy. SCPs, boundaries and session policies look like identity
/// policies and endpoint policies like resource policies: those must be declared.
pub fn infer_kind(policy: &Policy) -> Kind {
    infer_kind_given(policy, &|_| true)
}

/// [`infer_kind`], where a document is taken for an RCP only if every action it names is of a
/// service RCPs support (`rcp_service` answers for a prefix): an SNS topic policy that denies
/// everyone everything outside the organization stays a resource policy.
pub fn infer_kind_given(policy: &Policy, rcp_service: &dyn Fn(&str) -> bool) -> Kind {
    let with_principal = policy
        .statements
        .iter()
        .any(|s| s.principal.is_some() || s.not_principal.is_some());
    if !with_principal {
        return Kind::Identity;
    }
    let actions = || {
        policy
            .statements
            .iter()
            .filter_map(|s| s.action.as_ref())
            .flat_map(|list| list.items.iter().map(|t| t.value.to_ascii_lowercase()))
    };
    let is_trust_action = |a: &str| {
        a.starts_with("sts:assumerole")
            || a == "sts:tagsession"
            || a == "sts:setsourceidentity"
            || a == "sts:setcontext"
    };
    // First: with a `Resource` in every statement it cannot be a trust policy, and with
    // only denials it cannot be a key policy (which must let someone manage the key).
    let rcp = policy.statements.iter().all(rcp_statement)
        && actions().all(|a| a == "*" || a.split_once(':').is_some_and(|(s, _)| rcp_service(s)))
        // `RCPFullAWSAccess` alone is also a resource policy open to the world: never silence
        // that on a guess.
        && policy
            .statements
            .iter()
            .any(|s| s.effect() == Some(Effect::Deny));
    if rcp {
        Kind::Rcp
    } else if actions().next().is_some() && actions().all(|a| is_trust_action(&a)) {
        Kind::Trust
    } else if resourceless(policy)
        && actions().all(|a| is_trust_action(&a) || crate::source::has_placeholder(&a))
    {
        // Only a trust policy goes without `Resource`: with its actions computed (Terraform's
        // `actions = var.assume_role_actions`), that is the reading that holds.
        Kind::Trust
    } else if actions().any(|a| a.starts_with("kms:")) {
        Kind::Key
    } else {
        Kind::Resource
    }
}

/// No statement names `Resource` or `NotResource`.
fn resourceless(policy: &Policy) -> bool {
    policy
        .statements
        .iter()
        .all(|s| s.resource.is_none() && s.not_resource.is_none())
}

/// `"Principal": "*"` and `"Resource": "*"`, and either a `Deny` or AWS's `RCPFullAWSAccess`
/// (an unconditional `Allow` of `"*"`). A bucket policy that denies insecure transport names its
/// bucket, so it stays a resource policy.
fn rcp_statement(statement: &Statement) -> bool {
    let only_star = |items: &[super::model::Text]| items.len() == 1 && items[0].value == "*";
    let everyone = statement
        .principal
        .as_ref()
        .is_some_and(|p| p.any.is_some() && p.entries.is_empty());
    let everything = statement
        .resource
        .as_ref()
        .is_some_and(|r| only_star(&r.items));
    let full_access = statement.effect() == Some(Effect::Allow)
        && statement.condition.is_none()
        && statement
            .action
            .as_ref()
            .is_some_and(|a| only_star(&a.items));
    everyone
        && everything
        && statement.not_principal.is_none()
        && (statement.effect() == Some(Effect::Deny) || full_access)
}

#[cfg(test)]
mod tests {
    use crate::policy::{build, Kind};

    fn inferred(json: &str) -> Kind {
        let root = crate::source::parse(json).unwrap();
        let only_s3_and_sts = |s: &str| s == "s3" || s == "sts";
        super::infer_kind_given(&build(&root).0.unwrap(), &only_s3_and_sts)
    }

    /// The README's inference table, row by row.
    #[test]
    fn the_inference_table() {
        let statement =
            |body: &str| format!(r#"{{"Version": "2012-10-17", "Statement": [{body}]}}"#);
        let cases = [
            (
                r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
                Kind::Identity,
            ),
            (
                r#"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
                Kind::Trust,
            ),
            (
                r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}"#,
                Kind::Key,
            ),
            (
                r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#,
                Kind::Resource,
            ),
            // Deny of everyone on everything: a resource control policy.
            (
                r#"{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}"#,
                Kind::Rcp,
            ),
            // With AWS's RCPFullAWSAccess beside a Deny.
            (
                r#"{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Principal": "*", "Action": "sts:*", "Resource": "*"}"#,
                Kind::Rcp,
            ),
            // RCPFullAWSAccess alone is also a world-open resource policy: never silenced on a guess.
            (
                r#"{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}"#,
                Kind::Resource,
            ),
            // A bucket policy denying insecure transport names its bucket.
            (
                r#"{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#,
                Kind::Resource,
            ),
            // Denying role assumption to everyone on everything is not a trust policy.
            (
                r#"{"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity", "Resource": "*"}"#,
                Kind::Rcp,
            ),
            // A service RCPs do not cover: an SNS topic policy.
            (
                r#"{"Effect": "Deny", "Principal": "*", "Action": "sns:Publish", "Resource": "*"}"#,
                Kind::Resource,
            ),
            // A map principal is not an RCP's.
            (
                r#"{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": "*"}"#,
                Kind::Resource,
            ),
        ];
        for (body, kind) in cases {
            assert_eq!(inferred(&statement(body)), kind, "{body}");
        }
    }
}
