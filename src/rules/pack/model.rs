//! The shape of a rule pack file (`rules/*.json`), as serde reads it. Unknown keys are errors, so a
//! typo in a pack is reported with its line and column instead of silently dropping a check.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::kinds::Check;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackFile {
    pub pack: String,
    pub summary: String,
    pub slots: Vec<SlotSpec>,
    pub parameters: Vec<ParameterSpec>,
    #[serde(default)]
    pub derived: Vec<Derived>,
    pub rules: Vec<RuleSpec>,
    #[serde(default)]
    pub init: Option<InitSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlotKind {
    Identity,
    Trust,
    Resource,
    Key,
    /// An API request (CLI input JSON), validated by the pack, never linted as a policy.
    Request,
}

impl SlotKind {
    /// The kind the slot gives a policy document; `None` for a request.
    pub fn policy_kind(self) -> Option<crate::policy::Kind> {
        use crate::policy::Kind;
        match self {
            SlotKind::Identity => Some(Kind::Identity),
            SlotKind::Trust => Some(Kind::Trust),
            SlotKind::Resource => Some(Kind::Resource),
            SlotKind::Key => Some(Kind::Key),
            SlotKind::Request => None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SlotSpec {
    pub name: String,
    pub kind: SlotKind,
    #[serde(default)]
    pub required: bool,
    /// Required only when this parameter is set.
    #[serde(default)]
    pub required_when: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParameterType {
    Arn,
    Integer,
    String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ParameterSpec {
    pub name: String,
    #[serde(default)]
    pub required: bool,
    /// A JSON Pointer into the `request` slot that may give the value instead.
    #[serde(default)]
    pub request_field: Option<String>,
    #[serde(rename = "type")]
    pub kind: ParameterType,
    /// For ARNs: the service and the start of the resource part they must have.
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub resource_prefix: Option<String>,
    #[serde(default)]
    pub min: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArnPart {
    Partition,
    Service,
    Region,
    Account,
    Resource,
}

/// A value computed from parameters: a part of an ARN parameter, or a template.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Derived {
    pub name: String,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub part: Option<ArnPart>,
    #[serde(default)]
    pub strip_prefix: Option<String>,
    #[serde(default)]
    pub template: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleSpec {
    pub code: String,
    pub name: String,
    pub severity: String,
    pub summary: String,
    pub doc: String,
    pub check: Check,
    /// Built-in rules whose finding on the same statement this rule replaces, so that one mistake
    /// in a scenario document is reported once, by the more specific rule.
    #[serde(default)]
    pub supersedes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InitSpec {
    /// Parameters computed from the command line (`role-name`) and the other parameters.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    pub files: Vec<InitFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InitFile {
    pub slot: String,
    pub path: String,
    #[serde(default)]
    pub when: Option<String>,
    /// Statement templates; one with a `when` key is written only when that parameter is set.
    pub statements: Vec<serde_json::Value>,
}

/// Who makes the request a check is about.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub enum PrincipalSpec {
    /// An IAM principal ARN (template).
    Aws(String),
    /// A service principal such as `cloudtrail.amazonaws.com`.
    Service(String),
}

/// A condition key's value in the request: one value, one of several (unknown which: the grant
/// must hold for each), or `null` for a key known to be absent.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ContextSpec {
    Absent(()),
    One(String),
    AnyOf {
        #[serde(rename = "any-of")]
        any_of: Vec<String>,
    },
}

/// Actions required on a resource (template). `"*"` is the literal resource of actions that
/// support no resource type; a pattern with wildcards means every resource it matches.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Need {
    #[serde(default)]
    pub when: Option<String>,
    pub actions: Vec<String>,
    pub resource: String,
    /// The statement that satisfies it, printed (with the real ARNs) in the help.
    #[serde(default)]
    pub statement: Option<serde_json::Value>,
    /// Said in the help when the nearest statement's Resource does not match (template).
    #[serde(default)]
    pub resource_hint: Option<String>,
}

/// An explanation added to a finding when the offending text contains `contains` (a template).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hint {
    pub contains: String,
    pub say: String,
}
