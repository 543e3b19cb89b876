//! `decide`: one request against a set of policies, the way IAM evaluates it.

use super::arn::arn_account;
use super::context::Context;
use super::principal::Caller;
use super::statement::{Mismatch, PolicyInput, Prepared, StatementEval, StatementRef};
use super::tri::Tri;
use crate::policy::{Effect, Kind};

/// One request: who does what to which resource, in which context.
#[derive(Debug, Clone)]
pub struct Request {
    pub principal: Caller,
    /// A concrete action, `service:Name`.
    pub action: String,
    /// A concrete resource ARN, or `*` for actions that support no resource type.
    pub resource: String,
    /// The account owning the resource; defaults to the resource ARN's account.
    pub resource_account: Option<String>,
    pub context: Context,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
    /// Allowed, unless a Deny whose condition the scenario does not pin applies. Not a grant:
    /// the caller must report the Deny.
    MayDeny,
}

/// A statement that came close, with what kept it from applying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Near {
    pub statement: StatementRef,
    pub mismatches: Vec<Mismatch>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub outcome: Outcome,
    /// Allowed: the Allows that grant. ExplicitDeny: the Denies that apply. MayDeny: the Denies
    /// that may apply. ImplicitDeny: empty.
    pub deciding: Vec<StatementRef>,
    /// Allows that apply to the request (under an explicit deny: what the Deny overrides).
    pub allows: Vec<StatementRef>,
    /// For an implicit deny: the nearest Allows and what did not match; an Allow that is only
    /// unknown shows its unknown element here.
    pub nearest: Vec<Near>,
    /// The layers that did not allow: `Identity` for the caller's identity policies, or the kind
    /// of a resource-side policy (a trust or key policy that does not allow by itself).
    pub unmet: Vec<Kind>,
}

impl Decision {
    /// The only way to read a grant: true for [`Outcome::Allowed`] alone.
    pub fn is_allowed(&self) -> bool {
        self.outcome == Outcome::Allowed
    }
}

/// Decides one request. Explicit deny beats allow beats implicit deny; trust and key policies
/// must allow by themselves; cross-account needs both sides.
pub fn decide(policies: &[PolicyInput], request: &Request) -> Decision {
    let evals: Vec<StatementEval> = policies
        .iter()
        .flat_map(|input| {
            input.policy.statements.iter().filter_map(move |s| {
                Prepared::new(
                    input,
                    s,
                    &request.principal,
                    &request.action,
                    &request.context,
                )
            })
        })
        .map(|p| p.evaluate(&request.resource))
        .collect();
    let layout = Layout::of(policies, request);
    combine(&evals, &layout)
}

/// What the combination of layers depends on besides the statements.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    identity_applies: bool,
    /// `None` when either account is unknown: treated as cross-account, which needs more.
    same_account: Option<bool>,
    resource: bool,
    trust: bool,
    key: bool,
}

impl Layout {
    pub(crate) fn of(policies: &[PolicyInput], request: &Request) -> Self {
        Layout::with_resource_account(
            policies,
            request,
            request
                .resource_account
                .as_deref()
                .or(arn_account(&request.resource)),
        )
    }

    pub(crate) fn with_resource_account(
        policies: &[PolicyInput],
        request: &Request,
        owner: Option<&str>,
    ) -> Self {
        let has = |kind| policies.iter().any(|p| p.kind == kind);
        let same_account = match (request.principal.account(), owner) {
            (Some(a), Some(b)) => Some(a == b),
            _ => None,
        };
        Layout {
            identity_applies: request.principal.has_identity_policies(),
            same_account,
            resource: has(Kind::Resource),
            trust: has(Kind::Trust),
            key: has(Kind::Key),
        }
    }
}

pub(crate) fn combine(evals: &[StatementEval], layout: &Layout) -> Decision {
    let of = |effect, result: Tri| -> Vec<StatementRef> {
        evals
            .iter()
            .filter(|e| e.statement.effect == effect && e.applies() == result)
            .map(|e| e.statement)
            .collect()
    };
    let allows = of(Effect::Allow, Tri::True);
    let denies = of(Effect::Deny, Tri::True);
    if !denies.is_empty() {
        return Decision {
            outcome: Outcome::ExplicitDeny,
            deciding: denies,
            allows,
            nearest: Vec::new(),
            unmet: Vec::new(),
        };
    }

    let allowed_in = |kind: Kind, direct: bool| {
        Tri::any(
            evals
                .iter()
                .filter(|e| e.statement.effect == Effect::Allow && e.statement.kind == kind)
                .map(|e| {
                    if direct {
                        e.applies_directly()
                    } else {
                        e.applies()
                    }
                }),
        )
    };
    let identity = if layout.identity_applies {
        allowed_in(Kind::Identity, false)
    } else {
        Tri::False
    };
    let same = layout.same_account == Some(true);
    // A resource-side layer: same account, naming the caller is enough and naming the account
    // delegates to identity policies; cross-account, the identity side must allow as well.
    let layer = |kind: Kind| {
        let direct = allowed_in(kind, true);
        let via_account = allowed_in(kind, false).and(identity);
        match (layout.identity_applies, same) {
            (false, _) => direct,
            (true, true) => direct.or(via_account),
            (true, false) => via_account,
        }
    };
    let mut layers = Vec::new();
    if layout.trust {
        layers.push((Kind::Trust, layer(Kind::Trust)));
    }
    if layout.key {
        layers.push((Kind::Key, layer(Kind::Key)));
    }
    if layout.resource {
        // A generic resource policy is a union with identity policies in the same account.
        let resource = if same && layout.identity_applies {
            layer(Kind::Resource).or(identity)
        } else {
            layer(Kind::Resource)
        };
        layers.push((Kind::Resource, resource));
    }
    if layers.is_empty() {
        layers.push((Kind::Identity, identity));
    }
    let granted = Tri::all(layers.iter().map(|(_, t)| *t));
    // Which layers' own statements fall short (a resource-side layer "allows" when it names
    // the caller or the caller's account).
    let mut unmet = Vec::new();
    if layout.identity_applies && identity != Tri::True {
        unmet.push(Kind::Identity);
    }
    for (kind, _) in layers.iter().filter(|(k, _)| *k != Kind::Identity) {
        if allowed_in(*kind, !layout.identity_applies) != Tri::True {
            unmet.push(*kind);
        }
    }

    if granted == Tri::True {
        let may_deny = of(Effect::Deny, Tri::Unknown);
        let outcome = if may_deny.is_empty() {
            Outcome::Allowed
        } else {
            Outcome::MayDeny
        };
        let deciding = if may_deny.is_empty() {
            allows.clone()
        } else {
            may_deny
        };
        return Decision {
            outcome,
            deciding,
            allows,
            nearest: Vec::new(),
            unmet: Vec::new(),
        };
    }
    let nearest = nearest_allows(evals, layout);
    Decision {
        outcome: Outcome::ImplicitDeny,
        deciding: Vec::new(),
        allows,
        nearest,
        unmet,
    }
}

/// The Allows with the fewest failing elements (action matches weigh most), for the "why not".
fn nearest_allows(evals: &[StatementEval], layout: &Layout) -> Vec<Near> {
    let candidates: Vec<Near> = evals
        .iter()
        .filter(|e| e.statement.effect == Effect::Allow)
        .filter(|e| layout.identity_applies || e.statement.kind != Kind::Identity)
        .map(|e| {
            let mut mismatches = e.mismatches();
            if mismatches.is_empty() {
                // It applies, but only through the account while nothing else allows.
                mismatches.push(Mismatch {
                    element: super::statement::Element::Principal,
                    result: Tri::False,
                    span: None,
                    unprovable: None,
                });
            }
            Near {
                statement: e.statement,
                mismatches,
            }
        })
        .collect();
    // A statement for another action or another principal is further from granting than one
    // that only fails on its resource or condition, which is what the "why not" should show.
    let score = |n: &Near| {
        let misses = |element| n.mismatches.iter().any(|m| m.element == element);
        (
            misses(super::statement::Element::Action),
            misses(super::statement::Element::Principal),
            n.mismatches.len(),
        )
    };
    let Some(best) = candidates.iter().map(score).min() else {
        return Vec::new();
    };
    candidates
        .into_iter()
        .filter(|n| score(n) == best)
        .collect()
}
