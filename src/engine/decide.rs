//! `decide`: one request against a set of policies, the way IAM evaluates it.

use super::arn::arn_account;
use super::context::Context;
use super::layers::{
    aws_managed, is_service_linked_role, resource_layer, Layer, Layers, ResourceSide,
};
use super::principal::Caller;
use super::statement::{Mismatch, PolicyInput, Prepared, StatementEval, StatementRef, Tagged};
use super::tri::Tri;
use crate::policy::Effect;
use crate::source::{has_placeholder, PLACEHOLDER};

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
    /// The layers that did not allow: `Identity` for the caller's identity policies, the
    /// resource-side layer (a trust or key policy that does not allow by itself, or one the
    /// request needs and that is not given), the organization and session layers.
    pub unmet: Vec<Layer>,
    /// Why an implicit deny proves nothing (a layer the request needs is not given), or why AWS
    /// denies whatever the policies say (a resource AWS manages).
    pub note: Option<&'static str>,
    /// Every layer that took part, with its own verdict, in evaluation order.
    pub layers: Vec<LayerVerdict>,
}

/// One layer's own answer: do its statements allow the request?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerVerdict {
    pub layer: Layer,
    pub allows: Tri,
    /// False for a resource-side layer the request needs and that was not given.
    pub given: bool,
}

impl Decision {
    /// The only way to read a grant: true for [`Outcome::Allowed`] alone.
    pub fn is_allowed(&self) -> bool {
        self.outcome == Outcome::Allowed
    }
}

/// Decides one request against identity and resource-side policies only (no organization
/// policies, boundary, session or endpoint policy).
pub fn decide(policies: &[PolicyInput], request: &Request) -> Decision {
    decide_layers(&Layers::of(policies), request)
}

/// Decides one request the way IAM evaluates it: an explicit deny in any layer wins; otherwise
/// every layer that applies must allow. Trust and key policies must allow by themselves;
/// cross-account needs both sides; a resource-side policy the request needs and that is not
/// given proves nothing.
pub fn decide_layers(layers: &Layers, request: &Request) -> Decision {
    let layout = Layout::of(layers, request);
    let evals: Vec<StatementEval> = tagged_inputs(layers, request)
        .iter()
        .flat_map(|tagged| {
            tagged.input.policy.statements.iter().filter_map(move |s| {
                Prepared::new(
                    tagged,
                    s,
                    &request.principal,
                    &request.action,
                    &request.context,
                )
            })
        })
        .map(|p| p.evaluate(&request.resource))
        .collect();
    combine(&evals, &layout)
}

/// Every input with its layer: the resource's own policies form the layer the request's
/// resource calls for, whatever their text looks like.
pub(crate) fn tagged_inputs<'p, 'a>(
    layers: &Layers<'_, 'p, 'a>,
    request: &Request,
) -> Vec<Tagged<'p, 'a>> {
    let resource = resource_layer(&request.action, &request.resource);
    layers
        .inputs()
        .into_iter()
        .map(|(input, layer, group)| Tagged {
            input,
            layer: match (layer, resource) {
                (Layer::Resource | Layer::Trust | Layer::Key, Some(r)) => r,
                (layer, _) => layer,
            },
            group,
        })
        .collect()
}

/// What the combination of layers depends on besides the statements.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    /// An AWS principal: it has identity policies, a boundary, sessions, SCPs.
    aws_caller: bool,
    /// `None` when either account is unknown: treated as cross-account, which needs more.
    same_account: Option<bool>,
    /// The resource-side layer the request needs; `None` for an action on `*`.
    resource_layer: Option<Layer>,
    /// Whether any resource-side policy is given.
    resource_given: bool,
    resource_side: ResourceSide,
    /// Levels of SCPs (RCPs) that apply: 0 when exempt or none given.
    scp_levels: usize,
    rcp_levels: usize,
    boundary: bool,
    /// Session policies that apply (each must allow).
    sessions: usize,
    endpoint: bool,
    aws_managed: Option<&'static str>,
}

impl Layout {
    pub(crate) fn of(layers: &Layers, request: &Request) -> Self {
        Layout::with_resource_account(
            layers,
            request,
            request
                .resource_account
                .as_deref()
                .or(arn_account(&request.resource)),
        )
    }

    pub(crate) fn with_resource_account(
        layers: &Layers,
        request: &Request,
        owner: Option<&str>,
    ) -> Self {
        let caller_account = request.principal.account();
        let same_account = match (caller_account, owner) {
            // Accounts a template computes: the stack's own (`PART`) is one account, so two of
            // them are the same; any other pair is unknown, a literal account too.
            (Some(a), Some(b)) if has_placeholder(a) || has_placeholder(b) => {
                (a == b && !a.contains(PLACEHOLDER)).then_some(true)
            }
            (Some(a), Some(b)) => Some(a == b),
            _ => None,
        };
        let aws_caller = request.principal.has_identity_policies();
        let management = |account: Option<&str>| {
            layers.management_account.is_some() && account == layers.management_account
        };
        // SCPs limit IAM principals of member accounts: not services, not service-linked
        // roles, not the management account.
        let scp_applies = aws_caller
            && !is_service_linked_role(&request.principal)
            && !management(caller_account);
        Layout {
            aws_caller,
            same_account,
            resource_layer: resource_layer(&request.action, &request.resource),
            resource_given: layers.policies.iter().any(|p| {
                matches!(
                    Layer::of_kind(p.kind),
                    Layer::Resource | Layer::Trust | Layer::Key
                )
            }),
            resource_side: layers.resource_side,
            scp_levels: if scp_applies { layers.scps.len() } else { 0 },
            // RCPs do not affect resources in the management account.
            rcp_levels: if management(owner) {
                0
            } else {
                layers.rcps.len()
            },
            boundary: aws_caller && layers.boundary.is_some(),
            sessions: if aws_caller { layers.sessions.len() } else { 0 },
            endpoint: layers.endpoint.is_some(),
            aws_managed: aws_managed(&request.action, &request.resource),
        }
    }

    /// Whether statements of `layer` take part (an exempt SCP's Deny does not deny).
    fn applies(&self, layer: Layer) -> bool {
        match layer {
            Layer::Scp => self.scp_levels > 0,
            Layer::Rcp => self.rcp_levels > 0,
            Layer::Boundary => self.boundary,
            Layer::Session => self.sessions > 0,
            _ => true,
        }
    }
}

pub(crate) fn combine(evals: &[StatementEval], layout: &Layout) -> Decision {
    let live = || evals.iter().filter(|e| layout.applies(e.statement.layer));
    let of = |effect, result: Tri| -> Vec<StatementRef> {
        live()
            .filter(|e| e.statement.effect == effect && e.applies() == result)
            .map(|e| e.statement)
            .collect()
    };
    let allows = of(Effect::Allow, Tri::True);
    let denies = of(Effect::Deny, Tri::True);

    let allowed_in = |layer: Layer, group: Option<usize>, test: fn(&StatementEval) -> Tri| {
        Tri::any(
            live()
                .filter(|e| e.statement.effect == Effect::Allow && e.statement.layer == layer)
                .filter(|e| group.is_none_or(|g| e.group == g))
                .map(test),
        )
    };
    let identity = if layout.aws_caller {
        allowed_in(Layer::Identity, None, StatementEval::applies)
    } else {
        Tri::False
    };
    let optional = |present: bool, layer| {
        if present {
            allowed_in(layer, None, StatementEval::applies)
        } else {
            Tri::True
        }
    };
    let boundary = optional(layout.boundary, Layer::Boundary);
    let endpoint = optional(layout.endpoint, Layer::Endpoint);
    let levels = |layer, count| {
        Tri::all((0..count).map(|g| allowed_in(layer, Some(g), StatementEval::applies)))
    };
    let session = levels(Layer::Session, layout.sessions);
    let scp = levels(Layer::Scp, layout.scp_levels);
    let rcp = levels(Layer::Rcp, layout.rcp_levels);
    // What identity policies grant, capped by the boundary and the session policies.
    let capped = |t: Tri| t.and(boundary).and(session);
    let same = layout.same_account == Some(true);

    let mut missing = None;
    let principal_and_resource = match (layout.resource_layer, layout.resource_side) {
        (None, _) | (Some(_), ResourceSide::CheckedSeparately) => capped(identity),
        (Some(layer), ResourceSide::Given) if !layout.resource_given => {
            if layer == Layer::Resource && same {
                capped(identity)
            } else {
                missing = Some(layer);
                Tri::False
            }
        }
        (Some(layer), ResourceSide::Given) => {
            let direct = allowed_in(layer, None, StatementEval::applies_directly);
            let via_account = allowed_in(layer, None, StatementEval::applies);
            if !layout.aws_caller {
                direct
            } else if same {
                // Naming the user or session ARN itself is not capped by a boundary or a
                // session policy; naming the role, everyone or the account is.
                let named = allowed_in(layer, None, |e| {
                    if e.names_caller {
                        e.applies_directly()
                    } else {
                        Tri::False
                    }
                });
                let grant = if layer == Layer::Resource {
                    identity.or(direct)
                } else {
                    direct.or(via_account.and(identity))
                };
                named.or(capped(grant))
            } else {
                capped(identity).and(via_account)
            }
        }
    };
    let granted = principal_and_resource.and(scp).and(rcp).and(endpoint);

    // Each layer's own verdict (a resource-side layer "allows" when it names the caller or the
    // caller's account).
    let mut layers = Vec::new();
    let mut verdict = |layer, allows, given| {
        layers.push(LayerVerdict {
            layer,
            allows,
            given,
        })
    };
    if layout.aws_caller {
        verdict(Layer::Identity, identity, true);
    }
    if let Some(layer) = missing {
        verdict(layer, Tri::False, false);
    } else if let (Some(layer), true, ResourceSide::Given) = (
        layout.resource_layer,
        layout.resource_given,
        layout.resource_side,
    ) {
        let test = if layout.aws_caller {
            StatementEval::applies
        } else {
            StatementEval::applies_directly
        };
        verdict(layer, allowed_in(layer, None, test), true);
    }
    for (layer, result, present) in [
        (Layer::Scp, scp, layout.scp_levels > 0),
        (Layer::Rcp, rcp, layout.rcp_levels > 0),
        (Layer::Boundary, boundary, layout.boundary),
        (Layer::Session, session, layout.sessions > 0),
        (Layer::Endpoint, endpoint, layout.endpoint),
    ] {
        if present {
            verdict(layer, result, true);
        }
    }

    if !denies.is_empty() {
        return Decision {
            outcome: Outcome::ExplicitDeny,
            deciding: denies,
            allows,
            nearest: Vec::new(),
            unmet: Vec::new(),
            note: None,
            layers,
        };
    }
    if granted == Tri::True && layout.aws_managed.is_none() {
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
            note: None,
            layers,
        };
    }
    let unmet = layers
        .iter()
        .filter(|v| v.allows != Tri::True)
        .map(|v| v.layer)
        .collect();
    let note = match (layout.aws_managed, missing) {
        (Some(why), _) => Some(why),
        (None, Some(Layer::Key)) => Some(
            "not proven: no key policy given, and a KMS key is usable only when its key policy allows",
        ),
        (None, Some(Layer::Trust)) => Some(
            "not proven: no trust policy given, and a role can be assumed only when its trust policy allows",
        ),
        (None, Some(_)) => Some(if layout.same_account.is_none() {
            "not proven: the resource's account is unknown, and across accounts the resource's own policy must allow too; give the account or the resource policy"
        } else {
            "not proven: no resource policy given, and across accounts the resource's own policy must allow too"
        }),
        (None, None) => None,
    };
    let nearest = nearest_allows(evals, layout);
    Decision {
        outcome: Outcome::ImplicitDeny,
        deciding: Vec::new(),
        allows,
        nearest,
        unmet,
        note,
        layers,
    }
}

/// The Allows with the fewest failing elements (action matches weigh most), for the "why not".
fn nearest_allows(evals: &[StatementEval], layout: &Layout) -> Vec<Near> {
    let candidates: Vec<Near> = evals
        .iter()
        .filter(|e| e.statement.effect == Effect::Allow)
        .filter(|e| layout.applies(e.statement.layer))
        .filter(|e| layout.aws_caller || e.statement.layer != Layer::Identity)
        .filter_map(|e| {
            let mut mismatches = e.mismatches();
            let resource_side = matches!(
                e.statement.layer,
                Layer::Resource | Layer::Trust | Layer::Key
            );
            if mismatches.is_empty() && !resource_side {
                return None; // it applies: the layer allows, it is no near miss
            }
            if mismatches.is_empty() {
                // It applies, but only through the account while nothing else allows.
                mismatches.push(Mismatch {
                    element: super::statement::Element::Principal,
                    result: Tri::False,
                    span: None,
                    unprovable: None,
                });
            }
            Some(Near {
                statement: e.statement,
                mismatches,
            })
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
