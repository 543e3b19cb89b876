//! One statement against one request: which of its elements match, and why not.

use super::action;
use super::arn::{split_arn, ArnPattern, Unprovable};
use super::condition::{self, ConditionResult};
use super::context::Context;
use super::layers::Layer;
use super::principal::{principal_matches, Caller, PrincipalMatch};
use super::tri::Tri;
use crate::policy::{Effect, Kind, Policy, Statement};
use crate::source::{has_placeholder, Span};

/// A policy the caller hands to the engine, with its kind and an id of the caller's choosing
/// (a file index) that comes back in every [`StatementRef`].
#[derive(Debug, Clone, Copy)]
pub struct PolicyInput<'p, 'a> {
    pub id: usize,
    pub kind: Kind,
    pub policy: &'p Policy<'a>,
}

/// A policy with the layer it forms in one decision and its group (SCP/RCP level).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tagged<'p, 'a> {
    pub input: PolicyInput<'p, 'a>,
    pub layer: Layer,
    pub group: usize,
}

/// Where a statement is: enough for a rule to point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementRef {
    /// The [`PolicyInput::id`].
    pub policy: usize,
    pub kind: Kind,
    /// The layer the statement's policy forms in this decision.
    pub layer: Layer,
    /// Index in the `Statement` array.
    pub index: usize,
    pub span: Span,
    pub effect: Effect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Element {
    Principal,
    Action,
    Resource,
    Condition,
}

/// An element that did not match (`result` false) or could not be decided (unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mismatch {
    pub element: Element,
    pub result: Tri,
    /// The element's value, or for a condition the `"key": values` test that failed.
    pub span: Option<Span>,
    /// Why a resource could not be decided.
    pub unprovable: Option<Unprovable>,
}

/// Everything about a statement that does not depend on the resource, compiled once so that
/// cover can test many resources cheaply.
#[derive(Debug, Clone)]
pub struct Prepared<'p, 'a> {
    pub statement: &'p Statement<'a>,
    pub reference: StatementRef,
    /// The level of an SCP or RCP (every level must allow); 0 for the other layers.
    pub(crate) group: usize,
    /// The Principal element lists the caller's own user or session ARN: a same-account grant
    /// that a permissions boundary or session policy does not cap.
    pub names_caller: bool,
    pub principal: PrincipalMatch,
    pub action: Tri,
    pub condition: ConditionResult,
    /// `None`: no Resource element (matches only in trust policies, where it is the role).
    pub resources: Option<(Vec<ArnPattern>, bool)>,
}

impl<'p, 'a> Prepared<'p, 'a> {
    /// `None` for a statement without a valid Effect: IAM would reject it, it is neither.
    pub(crate) fn new(
        tagged: &Tagged<'p, 'a>,
        statement: &'p Statement<'a>,
        caller: &Caller,
        action_name: &str,
        context: &Context,
    ) -> Option<Self> {
        let Tagged {
            input,
            layer,
            group,
        } = *tagged;
        let effect = statement.effect()?;
        let variables = input.policy.supports_variables();
        let principal = match (layer.is_principal_side(), statement.principals()) {
            (true, None) => PrincipalMatch::Direct, // attached to the caller
            // IAM refuses a Principal in these policies: not ours to guess what it means.
            (true, Some(_)) => PrincipalMatch::Unknown,
            (false, None) => PrincipalMatch::No,
            (false, Some((element, negated))) => principal_matches(element, negated, caller),
        };
        let names_caller = !layer.is_principal_side()
            && statement
                .principals()
                .is_some_and(|(element, negated)| !negated && names_exactly(element, caller));
        let action = match statement.actions() {
            Some((list, negated)) => {
                let literal = Tri::from_bool(action::list_matches(
                    list.items.iter().map(|t| t.value),
                    negated,
                    action_name,
                ));
                // A placeholder matches nothing above; it might match the action, so only an
                // answer its literal entries force stands.
                let placeholders = list.items.iter().any(|t| has_placeholder(t.value));
                if placeholders && literal == Tri::from_bool(negated) {
                    Tri::Unknown
                } else {
                    literal
                }
            }
            None => Tri::False,
        };
        let condition = match &statement.condition {
            // A condition missing a test would make an Allow look wider than written; one that
            // repeats an operator or key, a Deny narrower: neither proves anything.
            Some(c) if !c.complete => ConditionResult {
                result: Tri::Unknown,
                culprit: Some(c.span),
            },
            Some(c) => condition::evaluate(c, variables, context),
            None => ConditionResult {
                result: Tri::True,
                culprit: None,
            },
        };
        let resources = statement.resources().map(|(list, negated)| {
            let patterns = list
                .items
                .iter()
                .map(|t| match ArnPattern::compile(t.value, variables, context) {
                    ArnPattern::Nothing if negated => {
                        ArnPattern::Unknown(Unprovable::VariableWithoutValue)
                    }
                    pattern => pattern,
                })
                .collect();
            (patterns, negated)
        });
        let reference = StatementRef {
            policy: input.id,
            kind: input.kind,
            layer,
            index: statement.index,
            span: statement.span,
            effect,
        };
        Some(Prepared {
            statement,
            reference,
            group,
            names_caller,
            principal,
            action,
            condition,
            resources,
        })
    }

    /// Whether the resource element matches `resource`, and why not when unknown.
    pub fn resource(&self, resource: &str) -> (Tri, Option<Unprovable>) {
        let Some((patterns, negated)) = &self.resources else {
            return (Tri::from_bool(self.reference.layer == Layer::Trust), None);
        };
        let mut result = Tri::False;
        let mut why = None;
        for pattern in patterns {
            let m = pattern.matches(resource);
            if m == Tri::Unknown {
                match pattern {
                    ArnPattern::Unknown(reason) => why = why.or(Some(*reason)),
                    ArnPattern::Computed { .. } => why = why.or(Some(Unprovable::Placeholder)),
                    _ => {}
                }
            }
            result = result.or(m);
        }
        (if *negated { result.not() } else { result }, why)
    }

    /// Principal, action and condition together (the part that is the same for every resource),
    /// with the principal counted as matching when it names the caller or the caller's account.
    pub fn fixed(&self) -> Tri {
        self.principal
            .applies()
            .and(self.action)
            .and(self.condition.result)
    }

    pub fn evaluate(&self, resource: &str) -> StatementEval {
        let (resource_result, unprovable) = self.resource(resource);
        StatementEval {
            statement: self.reference,
            group: self.group,
            names_caller: self.names_caller,
            principal: self.principal,
            action: self.action,
            resource: resource_result,
            unprovable,
            condition: self.condition,
            spans: ElementSpans::of(self.statement),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ElementSpans {
    principal: Option<Span>,
    action: Option<Span>,
    resource: Option<Span>,
}

impl ElementSpans {
    fn of(s: &Statement) -> Self {
        ElementSpans {
            principal: s.principals().map(|(p, _)| p.span),
            action: s.actions().map(|(l, _)| l.span),
            resource: s.resources().map(|(l, _)| l.span),
        }
    }
}

/// One statement evaluated against one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementEval {
    pub statement: StatementRef,
    pub(crate) group: usize,
    pub(crate) names_caller: bool,
    pub principal: PrincipalMatch,
    pub action: Tri,
    pub resource: Tri,
    pub unprovable: Option<Unprovable>,
    pub condition: ConditionResult,
    spans: ElementSpans,
}

impl StatementEval {
    /// Does the statement apply, counting an account principal as a match (right for a Deny,
    /// and for an Allow combined with the account's identity policies)?
    pub fn applies(&self) -> Tri {
        self.principal.applies().and(self.rest())
    }

    /// Does it apply by naming the caller directly (an Allow that stands on its own)?
    pub fn applies_directly(&self) -> Tri {
        let principal = match self.principal {
            PrincipalMatch::Direct => Tri::True,
            PrincipalMatch::Unknown => Tri::Unknown,
            PrincipalMatch::Account | PrincipalMatch::No => Tri::False,
        };
        principal.and(self.rest())
    }

    fn rest(&self) -> Tri {
        self.action.and(self.resource).and(self.condition.result)
    }

    /// The elements that did not match or could not be decided, in statement order.
    pub fn mismatches(&self) -> Vec<Mismatch> {
        let mismatch = |element, result, span| Mismatch {
            element,
            result,
            span,
            unprovable: None,
        };
        let mut out = Vec::new();
        let principal = self.principal.applies();
        if principal != Tri::True {
            out.push(mismatch(
                Element::Principal,
                principal,
                self.spans.principal,
            ));
        }
        if self.action != Tri::True {
            out.push(mismatch(Element::Action, self.action, self.spans.action));
        }
        if self.resource != Tri::True {
            out.push(Mismatch {
                unprovable: self.unprovable,
                ..mismatch(Element::Resource, self.resource, self.spans.resource)
            });
        }
        if self.condition.result != Tri::True {
            out.push(mismatch(
                Element::Condition,
                self.condition.result,
                self.condition.culprit,
            ));
        }
        out
    }
}

/// Whether a Principal element lists the caller's exact ARN, for a user, a role session or a
/// federated user session (not its role, not its account, not everyone).
fn names_exactly(element: &crate::policy::Principal, caller: &Caller) -> bool {
    let Caller::Aws(arn) = caller else {
        return false;
    };
    let exempt = split_arn(arn).is_some_and(|p| {
        (p[2] == "iam" && p[5].starts_with("user/"))
            || (p[2] == "sts"
                && (p[5].starts_with("assumed-role/") || p[5].starts_with("federated-user/")))
    });
    exempt
        && element.entries.iter().any(|entry| {
            entry.kind == crate::policy::PrincipalKind::Aws
                && entry.values.iter().any(|v| v.value == arn)
        })
}
