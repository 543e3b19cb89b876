//! The policy layers of a request, and the facts about a request that decide which of them must
//! allow: whose policy the resource side is (generic resource, role trust or KMS key policy),
//! whether organization policies apply to the caller, and resources no customer policy can open.

use super::arn::split_arn;
use super::principal::Caller;
use super::statement::PolicyInput;
use crate::policy::Kind;

/// A layer of IAM's evaluation. A request is allowed only when every layer that applies to it
/// allows, and no statement of any of them denies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// The caller's identity-based policies.
    Identity,
    /// The resource's own policy, for a resource that is neither a role nor a KMS key.
    Resource,
    /// A role's trust policy, for `sts:AssumeRole*` and friends on the role: it must allow.
    Trust,
    /// A KMS key policy: it must allow (by itself, or by delegating to the caller's account).
    Key,
    /// Service control policies of the caller's organization: every level must allow.
    Scp,
    /// Resource control policies of the resource's organization: every level must allow.
    Rcp,
    /// The caller's permissions boundary: caps what identity policies grant.
    Boundary,
    /// Session policies passed when the caller's session was created: cap it too.
    Session,
    /// The VPC endpoint policy the request passes through.
    Endpoint,
}

impl Layer {
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Identity => "identity",
            Layer::Resource => "resource",
            Layer::Trust => "trust",
            Layer::Key => "key",
            Layer::Scp => "scp",
            Layer::Rcp => "rcp",
            Layer::Boundary => "boundary",
            Layer::Session => "session",
            Layer::Endpoint => "endpoint",
        }
    }

    /// Layers whose statements name no principal: they apply to the caller they are attached to.
    pub(crate) fn is_principal_side(self) -> bool {
        matches!(
            self,
            Layer::Identity | Layer::Scp | Layer::Boundary | Layer::Session
        )
    }

    /// The layer a document of this kind forms, before the request says which resource-side
    /// layer it is. Exhaustive on purpose: a new kind (an SCP, say) must be routed to its named
    /// slot in [`Layers`], never taken for a resource-side policy.
    pub(crate) fn of_kind(kind: Kind) -> Layer {
        match kind {
            Kind::Identity => Layer::Identity,
            Kind::Trust => Layer::Trust,
            Kind::Key => Layer::Key,
            Kind::Resource => Layer::Resource,
            // Policies that only cap keep their own layer wherever they are given: their
            // statements can deny, and their Allows never stand in for an identity grant.
            Kind::Scp => Layer::Scp,
            Kind::Rcp => Layer::Rcp,
            Kind::Boundary => Layer::Boundary,
            Kind::Session => Layer::Session,
            Kind::Endpoint => Layer::Endpoint,
        }
    }
}

/// How to treat the resource side when none of the given policies is the resource's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResourceSide {
    /// The resource's policies are those given. A request that needs one (cross-account, a KMS
    /// key, a role's trust) and has none is *not proven*.
    #[default]
    Given,
    /// Only the caller's side is asked: the resource's own policy is checked on its own (a rule
    /// on the key policy), so it counts as delegating to the caller's account.
    CheckedSeparately,
}

/// Every policy that takes part in one decision, by layer.
#[derive(Debug, Clone, Copy)]
pub struct Layers<'l, 'p, 'a> {
    /// The caller's identity policies (kind `Identity`) and the resource's own policies (any
    /// other kind). Which resource-side layer those form follows from the request — a KMS key ARN
    /// means the key policy, `sts:AssumeRole` on a role its trust policy — not from their text.
    pub policies: &'l [PolicyInput<'p, 'a>],
    /// One SCP per level of the organization (root, each OU, the account); several SCPs attached
    /// at one level are one document with all their statements.
    pub scps: &'l [PolicyInput<'p, 'a>],
    /// One RCP per level, as for SCPs.
    pub rcps: &'l [PolicyInput<'p, 'a>],
    pub boundary: Option<PolicyInput<'p, 'a>>,
    /// The session policies (inline and managed) of the caller's session. AWS does not say
    /// how several combine; each must allow, which never grants more than AWS would.
    pub sessions: &'l [PolicyInput<'p, 'a>],
    pub endpoint: Option<PolicyInput<'p, 'a>>,
    /// The organization's management account: SCPs do not apply to its principals, RCPs not to
    /// its resources.
    pub management_account: Option<&'l str>,
    pub resource_side: ResourceSide,
}

impl<'l, 'p, 'a> Layers<'l, 'p, 'a> {
    /// Identity and resource-side policies only.
    pub fn of(policies: &'l [PolicyInput<'p, 'a>]) -> Self {
        Layers {
            policies,
            scps: &[],
            rcps: &[],
            boundary: None,
            sessions: &[],
            endpoint: None,
            management_account: None,
            resource_side: ResourceSide::Given,
        }
    }

    /// Every input with the layer it belongs to and its group (the level for SCPs and RCPs, the
    /// policy for sessions: every group must allow).
    pub(crate) fn inputs(&self) -> Vec<(PolicyInput<'p, 'a>, Layer, usize)> {
        let mut out: Vec<_> = self
            .policies
            .iter()
            .map(|p| (*p, Layer::of_kind(p.kind), 0))
            .collect();
        out.extend(
            self.scps
                .iter()
                .enumerate()
                .map(|(i, p)| (*p, Layer::Scp, i)),
        );
        out.extend(
            self.rcps
                .iter()
                .enumerate()
                .map(|(i, p)| (*p, Layer::Rcp, i)),
        );
        out.extend(self.boundary.iter().map(|p| (*p, Layer::Boundary, 0)));
        out.extend(
            self.sessions
                .iter()
                .enumerate()
                .map(|(i, p)| (*p, Layer::Session, i)),
        );
        out.extend(self.endpoint.iter().map(|p| (*p, Layer::Endpoint, 0)));
        out
    }
}

/// The resource-side layer a request needs, from its action and resource (`None` for an action
/// on `*`, which has no resource side). A pattern counts as a key or a role when it can name one:
/// those layers are the stricter.
pub(crate) fn resource_layer(action: &str, resource: &str) -> Option<Layer> {
    if resource == "*" {
        return None;
    }
    let Some([_, _, service, _, _, rest]) = split_arn(resource) else {
        return Some(Layer::Resource);
    };
    let may_be = |prefix: &str| {
        rest.starts_with(prefix) || rest.starts_with('*') || prefix.starts_with(rest)
    };
    if service == "kms" && may_be("key/") {
        return Some(Layer::Key);
    }
    if service == "iam" && may_be("role/") && is_trust_action(action) {
        return Some(Layer::Trust);
    }
    Some(Layer::Resource)
}

/// The actions a role's trust policy governs.
pub(crate) fn is_trust_action(action: &str) -> bool {
    let a = action.to_ascii_lowercase();
    a.starts_with("sts:assumerole")
        || a == "sts:tagsession"
        || a == "sts:setsourceidentity"
        || a == "sts:setcontext"
}

/// A service-linked role, or a session of one. SCPs do not apply to them.
pub(crate) fn is_service_linked_role(caller: &Caller) -> bool {
    let Caller::Aws(arn) = caller else {
        return false;
    };
    let Some([_, _, service, _, _, rest]) = split_arn(arn) else {
        return false;
    };
    match service {
        "iam" => rest.starts_with("role/aws-service-role/"),
        // A session ARN drops the role's path; service-linked roles are all named so.
        "sts" => rest.starts_with("assumed-role/AWSServiceRoleFor"),
        _ => false,
    }
}

/// Why no customer policy can allow `action` on `resource`, when AWS manages the resource.
pub(crate) fn aws_managed(action: &str, resource: &str) -> Option<&'static str> {
    let [_, _, service, _, account, rest] = split_arn(resource)?;
    let name = action.split_once(':').map_or("", |(_, n)| n);
    let service_of_action = action.split_once(':').map_or("", |(s, _)| s);
    let is = |names: &[&str]| {
        service_of_action.eq_ignore_ascii_case(service)
            && names.iter().any(|n| n.eq_ignore_ascii_case(name))
    };
    if service == "iam" && account == "aws" && rest.starts_with("policy/") {
        const CHANGES: [&str; 7] = [
            "CreatePolicy",
            "CreatePolicyVersion",
            "DeletePolicy",
            "DeletePolicyVersion",
            "SetDefaultPolicyVersion",
            "TagPolicy",
            "UntagPolicy",
        ];
        if is(&CHANGES) {
            return Some("an AWS managed policy cannot be created, changed, deleted or tagged");
        }
    }
    if service == "iam" && rest.starts_with("role/aws-service-role/") {
        const CHANGES: [&str; 8] = [
            "AttachRolePolicy",
            "DetachRolePolicy",
            "PutRolePolicy",
            "DeleteRolePolicy",
            "UpdateAssumeRolePolicy",
            "PutRolePermissionsBoundary",
            "DeleteRolePermissionsBoundary",
            "DeleteRole",
        ];
        if is(&CHANGES) {
            return Some(
                "a service-linked role's policies are defined by its service and cannot be changed",
            );
        }
    }
    if service == "kms" && rest.starts_with("alias/aws/") {
        const CHANGES: [&str; 3] = ["CreateAlias", "DeleteAlias", "UpdateAlias"];
        if is(&CHANGES) {
            return Some("KMS aliases under `alias/aws/` are reserved for AWS managed keys");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resource_side_follows_the_request() {
        let key = "arn:aws:kms:us-east-1:123456789012:key/k";
        let role = "arn:aws:iam::123456789012:role/R";
        assert_eq!(resource_layer("kms:Encrypt", key), Some(Layer::Key));
        assert_eq!(resource_layer("sns:Publish", key), Some(Layer::Key));
        assert_eq!(
            resource_layer("kms:Encrypt", "arn:aws:kms:us-east-1:1:alias/a"),
            Some(Layer::Resource)
        );
        assert_eq!(resource_layer("sts:AssumeRole", role), Some(Layer::Trust));
        assert_eq!(
            resource_layer("sts:AssumeRoleWithWebIdentity", role),
            Some(Layer::Trust)
        );
        assert_eq!(resource_layer("iam:PassRole", role), Some(Layer::Resource));
        assert_eq!(resource_layer("s3:ListAllMyBuckets", "*"), None);
        assert_eq!(
            resource_layer("kms:Decrypt", "arn:aws:kms:*:*:*"),
            Some(Layer::Key)
        );
    }

    #[test]
    fn service_linked_roles() {
        let slr = |a: &str| is_service_linked_role(&Caller::Aws(a.into()));
        assert!(slr(
            "arn:aws:iam::123456789012:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk"
        ));
        assert!(slr(
            "arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForConfig/s"
        ));
        assert!(!slr("arn:aws:iam::123456789012:role/aws-service-roles"));
        assert!(!slr("arn:aws:iam::123456789012:user/aws-service-role/x"));
    }

    #[test]
    fn aws_managed_resources() {
        let policy = "arn:aws:iam::aws:policy/AdministratorAccess";
        assert!(aws_managed("iam:CreatePolicyVersion", policy).is_some());
        assert!(aws_managed("IAM:deletepolicy", policy).is_some());
        assert!(aws_managed("iam:GetPolicy", policy).is_none());
        let slr = "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";
        assert!(aws_managed("iam:AttachRolePolicy", slr).is_some());
        assert!(aws_managed("iam:GetRole", slr).is_none());
        assert!(aws_managed(
            "kms:DeleteAlias",
            "arn:aws:kms:us-east-1:123456789012:alias/aws/s3"
        )
        .is_some());
        assert!(aws_managed(
            "kms:DeleteAlias",
            "arn:aws:kms:us-east-1:123456789012:alias/mine"
        )
        .is_none());
    }
}
