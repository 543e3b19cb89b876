//! The typed IAM model. Every node keeps its span; strings borrow from the syntax tree.
//! Elements that are present but malformed are left out of the model and recorded as a
//! [`Problem`](super::Problem), so that later stages only ever see well-shaped data.

use crate::source::{JsonType, Node, Span};

/// A string from the document with its span (the span includes the quotes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text<'a> {
    pub value: &'a str,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Policy<'a> {
    /// The whole document, for JSON Pointers and for rules that read the raw tree.
    pub root: &'a Node<'a>,
    pub version: Option<Text<'a>>,
    pub id: Option<Text<'a>>,
    /// The span of the `Statement` key, where "nothing here grants it" findings point.
    pub statement_key: Option<Span>,
    pub statements: Vec<Statement<'a>>,
}

impl<'a> Policy<'a> {
    /// Policy variables are only substituted under this version; elsewhere `${...}` is literal.
    pub fn supports_variables(&self) -> bool {
        self.version.is_some_and(|v| v.value == "2012-10-17")
    }

    /// The syntax node of a statement, for rules that need what the model leaves out (such as an
    /// element present with the wrong type).
    pub fn statement_node(&self, statement: &Statement) -> Option<&'a Node<'a>> {
        // The member whose key is `statement_key`, found by binary search (members are in source
        // order): a linear `get` would cost the number of top-level keys on every call.
        let key = self.statement_key?;
        let members = self.root.as_object()?;
        let at = members.partition_point(|m| m.key.span.start <= key.start);
        let member = members
            .get(at.checked_sub(1)?)
            .filter(|m| m.key.span == key)?;
        let value = &member.value;
        if value.span == statement.span {
            return Some(value);
        }
        // By index, not by search: rules ask this for every statement, and a search made that
        // quadratic in the statement count (a policy of a million statements never finished).
        value
            .as_array()?
            .get(statement.index)
            .filter(|item| item.span == statement.span)
    }

    /// Whether a statement has the element at all, well-formed or not.
    pub fn statement_has(&self, statement: &Statement, element: &str) -> bool {
        self.statement_node(statement)
            .is_some_and(|node| node.get(element).is_some())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Debug, Clone)]
pub struct Statement<'a> {
    /// Position in the `Statement` array (0 when `Statement` is a single object).
    pub index: usize,
    pub span: Span,
    pub sid: Option<Text<'a>>,
    /// The raw value; [`Statement::effect`] reads it the way IAM does (case-sensitively).
    pub effect: Option<Text<'a>>,
    pub principal: Option<Principal<'a>>,
    pub not_principal: Option<Principal<'a>>,
    pub action: Option<List<'a>>,
    pub not_action: Option<List<'a>>,
    pub resource: Option<List<'a>>,
    pub not_resource: Option<List<'a>>,
    pub condition: Option<Condition<'a>>,
}

impl<'a> Statement<'a> {
    /// `None` when Effect is missing or not exactly `Allow`/`Deny`: such a statement is invalid
    /// and the engine must not treat it as either.
    pub fn effect(&self) -> Option<Effect> {
        match self.effect?.value {
            "Allow" => Some(Effect::Allow),
            "Deny" => Some(Effect::Deny),
            _ => None,
        }
    }

    /// `Action` or `NotAction`, with `true` for the negated form.
    pub fn actions(&self) -> Option<(&List<'a>, bool)> {
        match (&self.action, &self.not_action) {
            (Some(list), _) => Some((list, false)),
            (None, Some(list)) => Some((list, true)),
            (None, None) => None,
        }
    }

    /// `Resource` or `NotResource`, with `true` for the negated form.
    pub fn resources(&self) -> Option<(&List<'a>, bool)> {
        match (&self.resource, &self.not_resource) {
            (Some(list), _) => Some((list, false)),
            (None, Some(list)) => Some((list, true)),
            (None, None) => None,
        }
    }

    /// `Principal` or `NotPrincipal`, with `true` for the negated form.
    pub fn principals(&self) -> Option<(&Principal<'a>, bool)> {
        match (&self.principal, &self.not_principal) {
            (Some(p), _) => Some((p, false)),
            (None, Some(p)) => Some((p, true)),
            (None, None) => None,
        }
    }
}

/// A string-or-array element (`Action`, `Resource`, ...). Non-string items are dropped (and
/// reported), so `items` holds only strings.
#[derive(Debug, Clone)]
pub struct List<'a> {
    pub key_span: Span,
    /// The span of the value (the string, or the whole array).
    pub span: Span,
    pub items: Vec<Text<'a>>,
}

#[derive(Debug, Clone)]
pub struct Principal<'a> {
    pub key_span: Span,
    pub span: Span,
    /// The bare `"*"` form.
    pub any: Option<Span>,
    pub entries: Vec<PrincipalEntry<'a>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

impl PrincipalKind {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "AWS" => Some(PrincipalKind::Aws),
            "Service" => Some(PrincipalKind::Service),
            "Federated" => Some(PrincipalKind::Federated),
            "CanonicalUser" => Some(PrincipalKind::CanonicalUser),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }
}

/// One `"AWS": [...]`-style member of a principal map. Members with an unknown key are reported
/// by the builder and left out.
#[derive(Debug, Clone)]
pub struct PrincipalEntry<'a> {
    pub kind: PrincipalKind,
    pub key_span: Span,
    pub values: Vec<Text<'a>>,
}

#[derive(Debug, Clone)]
pub struct Condition<'a> {
    pub key_span: Span,
    pub span: Span,
    pub blocks: Vec<ConditionBlock<'a>>,
    /// False when the builder dropped a malformed part (reported as a problem) or an operator or
    /// key repeats (duplicate JSON names, of which IAM reads one): the blocks then say less, or
    /// other, than IAM reads, and the engine must not evaluate them as the whole condition.
    pub complete: bool,
}

/// `"StringEquals": { ... }`. The operator is kept as written; the engine parses it.
#[derive(Debug, Clone)]
pub struct ConditionBlock<'a> {
    pub operator: Text<'a>,
    pub span: Span,
    pub entries: Vec<ConditionEntry<'a>>,
}

/// `"aws:SourceAccount": "123456789012"` or `"aws:TagKeys": ["a", "b"]`.
#[derive(Debug, Clone)]
pub struct ConditionEntry<'a> {
    pub key: Text<'a>,
    pub span: Span,
    pub values: Vec<ConditionValue<'a>>,
}

/// A condition value as IAM sees it: strings, numbers and booleans all compare as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConditionValue<'a> {
    pub text: &'a str,
    pub span: Span,
    pub json: JsonType,
}

/// What a document is; it decides which elements are required or forbidden, which size quota
/// applies, and whether an `Allow` in it grants anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Identity,
    Trust,
    Resource,
    Key,
    /// A service control policy (AWS Organizations): caps the accounts it is attached to.
    Scp,
    /// A resource control policy (AWS Organizations): caps what resources' policies can grant.
    Rcp,
    /// A VPC endpoint policy: filters the requests made through the endpoint.
    Endpoint,
    /// A permissions boundary: caps what an identity's policies can grant.
    Boundary,
    /// A session policy, passed when assuming a role or federating: caps the session.
    Session,
}

/// How a kind's size quota is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeUnit {
    /// Characters, without the whitespace between tokens (IAM's and Organizations' count).
    CharactersWithoutWhitespace,
    /// Every character, whitespace included (VPC endpoint policies).
    Characters,
    /// Bytes of the document as written (KMS).
    Bytes,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Identity,
        Kind::Trust,
        Kind::Resource,
        Kind::Key,
        Kind::Scp,
        Kind::Rcp,
        Kind::Endpoint,
        Kind::Boundary,
        Kind::Session,
    ];

    pub fn parse(name: &str) -> Option<Self> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Identity => "identity",
            Kind::Trust => "trust",
            Kind::Resource => "resource",
            Kind::Key => "key",
            Kind::Scp => "scp",
            Kind::Rcp => "rcp",
            Kind::Endpoint => "endpoint",
            Kind::Boundary => "boundary",
            Kind::Session => "session",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Kind::Identity => "an identity policy",
            Kind::Trust => "a role trust policy",
            Kind::Resource => "a resource-based policy",
            Kind::Key => "a KMS key policy",
            Kind::Scp => "a service control policy",
            Kind::Rcp => "a resource control policy",
            Kind::Endpoint => "a VPC endpoint policy",
            Kind::Boundary => "a permissions boundary",
            Kind::Session => "a session policy",
        }
    }

    /// [`Kind::describe`], with the usual abbreviations.
    pub fn short_name(self) -> &'static str {
        match self {
            Kind::Scp => "an SCP",
            Kind::Rcp => "an RCP",
            Kind::Endpoint => "a VPC endpoint policy",
            other => other.describe(),
        }
    }

    /// Whether an `Allow` in this kind gives access by itself. SCPs, RCPs, endpoint policies,
    /// boundaries and session policies only cap what other policies grant, so the rules about
    /// risky grants have nothing to say about them.
    pub fn grants(self) -> bool {
        matches!(
            self,
            Kind::Identity | Kind::Trust | Kind::Resource | Kind::Key
        )
    }

    /// Whether statements name no principal: the policy applies to whatever it is attached to.
    pub fn attached_to_principals(self) -> bool {
        matches!(
            self,
            Kind::Identity | Kind::Scp | Kind::Boundary | Kind::Session
        )
    }

    /// AWS's size quota for this kind, when it has one the document alone decides.
    pub fn size_quota(self) -> Option<(usize, SizeUnit)> {
        use SizeUnit::*;
        match self {
            // A managed policy's quota; a boundary is a managed policy.
            Kind::Identity | Kind::Boundary => Some((6_144, CharactersWithoutWhitespace)),
            Kind::Trust => Some((2_048, CharactersWithoutWhitespace)),
            // The packed size of the session policy argument of AssumeRole and its kin.
            Kind::Session => Some((2_048, CharactersWithoutWhitespace)),
            Kind::Scp | Kind::Rcp => Some((5_120, CharactersWithoutWhitespace)),
            Kind::Key => Some((32_768, Bytes)),
            Kind::Endpoint => Some((20_480, Characters)),
            // Each service has its own quota (S3: 20 KB, SNS: 30 KB, ...).
            Kind::Resource => None,
        }
    }
}

/// Where a document's kind came from, in the contract's order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindOrigin {
    Scenario,
    Config,
    Flag,
    /// The template's resource type and property (see `template::table`).
    Template,
    Inferred,
}

impl KindOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            KindOrigin::Scenario => "scenario",
            KindOrigin::Config => "config",
            KindOrigin::Flag => "flag",
            KindOrigin::Template => "template",
            KindOrigin::Inferred => "inferred",
        }
    }
}
