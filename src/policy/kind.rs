use super::model::{Kind, Policy};

/// Infers a document's kind from its statements, as the contract describes: with a `Principal`,
/// only role-assumption actions make a trust policy, `kms:` actions a key policy, anything else a
/// resource policy; without one, an identity policy.
pub fn infer_kind(policy: &Policy) -> Kind {
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
    if actions().next().is_some() && actions().all(|a| is_trust_action(&a)) {
        Kind::Trust
    } else if actions().any(|a| a.starts_with("kms:")) {
        Kind::Key
    } else {
        Kind::Resource
    }
}
