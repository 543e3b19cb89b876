//! `cover`: do the Allows, minus the Denies, grant every request of a required resource pattern?
//! Exact: a breadth-first search over tuples of NFA state sets finds a concrete resource that
//! is not granted, when there is one.

use std::collections::{HashMap, HashSet, VecDeque};

use super::arn::ArnPattern;
use super::context::Context;
use super::decide::{combine, decide_layers, tagged_inputs, Decision, Layout, Outcome, Request};
use super::layers::Layers;
use super::nfa::{alphabet, is_empty, other_char, Nfa, States, Symbol};
use super::principal::Caller;
use super::statement::{PolicyInput, Prepared, StatementRef};
use super::tri::Tri;
use crate::policy::glob;
use crate::policy::Effect;

/// The resources a requirement is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceSet<'s> {
    /// One resource, taken literally: use `Exact("*")` for actions that support no resource type.
    Exact(&'s str),
    /// Every resource matching an ARN glob (`…:log-group:aws/cloudtrail/x:log-stream:*`).
    Matching(&'s str),
}

/// What is required: each action on every resource of the set.
#[derive(Debug, Clone)]
pub struct Requirement<'s> {
    pub principal: Caller,
    pub actions: Vec<&'s str>,
    pub resources: ResourceSet<'s>,
    /// The account owning the resources; by default each resource ARN's own account.
    pub resource_account: Option<String>,
    pub context: Context,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cover {
    /// Every request is allowed; `by` lists the Allows that grant them.
    Covered {
        by: Vec<StatementRef>,
    },
    NotCovered(Box<Gap>),
}

impl Cover {
    pub fn is_covered(&self) -> bool {
        matches!(self, Cover::Covered { .. })
    }
}

/// The first request found that is not granted, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub action: String,
    /// A concrete resource in the required set that is not granted. `None` only for
    /// [`GapReason::TooComplex`].
    pub counterexample: Option<String>,
    pub reason: GapReason,
    /// [`decide`] on the counterexample: deciding statements, nearest Allows with their failing
    /// elements, unmet layers.
    pub decision: Option<Decision>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GapReason {
    /// No Allow applies (the decision's `nearest` says what came close).
    NoAllow,
    /// Allows apply, but these Denies do too.
    DeniedBy(Vec<StatementRef>),
    /// Allowed unless these Denies apply; their conditions depend on keys the scenario does not
    /// pin.
    MayBeDenied(Vec<StatementRef>),
    /// These Allows might apply, but an element (a condition on an unpinned key, a
    /// non-portable ARN) cannot be decided.
    AllowNotProven(Vec<StatementRef>),
    /// The search exceeded its budget: not proven.
    TooComplex,
}

/// States explored per action before giving up with [`GapReason::TooComplex`].
const BUDGET: usize = 200_000;

/// [`cover_layers`] over identity and resource-side policies only.
pub fn cover(policies: &[PolicyInput], requirement: &Requirement) -> Cover {
    cover_layers(&Layers::of(policies), requirement)
}

pub fn cover_layers(layers: &Layers, requirement: &Requirement) -> Cover {
    let mut by: Vec<StatementRef> = Vec::new();
    for action in &requirement.actions {
        let result = match requirement.resources {
            ResourceSet::Exact(resource) => cover_exact(layers, requirement, action, resource),
            // A resource the template computes: one request whose ARN matching knows what every
            // reading of the placeholders does (see `ArnPattern::matches`).
            ResourceSet::Matching(pattern)
                if !glob::has_wildcard(pattern) || crate::source::has_placeholder(pattern) =>
            {
                cover_exact(layers, requirement, action, pattern)
            }
            ResourceSet::Matching(pattern) => cover_pattern(layers, requirement, action, pattern),
        };
        match result {
            Cover::Covered { by: more } => {
                for s in more {
                    if !by.contains(&s) {
                        by.push(s);
                    }
                }
            }
            gap => return gap,
        }
    }
    Cover::Covered { by }
}

fn request(requirement: &Requirement, action: &str, resource: &str) -> Request {
    Request {
        principal: requirement.principal.clone(),
        action: action.to_string(),
        resource: resource.to_string(),
        resource_account: requirement.resource_account.clone(),
        context: requirement.context.clone(),
    }
}

fn cover_exact(layers: &Layers, requirement: &Requirement, action: &str, resource: &str) -> Cover {
    let decision = decide_layers(layers, &request(requirement, action, resource));
    if decision.is_allowed() {
        return Cover::Covered {
            by: decision.deciding,
        };
    }
    gap(action, resource.to_string(), decision)
}

fn gap(action: &str, counterexample: String, decision: Decision) -> Cover {
    let reason = match decision.outcome {
        Outcome::ExplicitDeny => GapReason::DeniedBy(decision.deciding.clone()),
        Outcome::MayDeny => GapReason::MayBeDenied(decision.deciding.clone()),
        Outcome::Allowed | Outcome::ImplicitDeny => {
            let unproven: Vec<StatementRef> = decision
                .nearest
                .iter()
                .filter(|n| n.mismatches.iter().all(|m| m.result == Tri::Unknown))
                .map(|n| n.statement)
                .collect();
            if unproven.is_empty() {
                GapReason::NoAllow
            } else {
                GapReason::AllowNotProven(unproven)
            }
        }
    };
    Cover::NotCovered(Box::new(Gap {
        action: action.to_string(),
        counterexample: Some(counterexample),
        reason,
        decision: Some(decision),
    }))
}

/// A resource pattern of one statement, as the search sees it.
enum Slot {
    /// Index of the NFA tracking it.
    Tracked(usize),
    Constant(Tri),
}

fn cover_pattern(layers: &Layers, requirement: &Requirement, action: &str, pattern: &str) -> Cover {
    let probe = request(requirement, action, pattern);
    let tagged = tagged_inputs(layers, &probe);
    let prepared: Vec<Prepared> = tagged
        .iter()
        .flat_map(|tagged| {
            let probe = &probe;
            tagged.input.policy.statements.iter().filter_map(move |s| {
                Prepared::new(tagged, s, &probe.principal, action, &probe.context)
            })
        })
        .collect();

    // NFA 0 is the requirement; then every resource pattern of a statement that can apply.
    let required = match ArnPattern::compile(pattern, false, &Context::closed()) {
        ArnPattern::Parts { bounded, resource } => Nfa::from_parts(&bounded, &resource),
        _ => Nfa::unbounded(&glob::compile(pattern)),
    };
    let mut nfas = vec![required];
    let slots: Vec<Vec<Slot>> = prepared
        .iter()
        .map(|p| match &p.resources {
            Some((patterns, _)) if p.fixed() != Tri::False => patterns
                .iter()
                .map(|pattern| match Nfa::of_pattern(pattern) {
                    Some(nfa) => {
                        nfas.push(nfa);
                        Slot::Tracked(nfas.len() - 1)
                    }
                    // Matches nothing, or cannot be known: the same answer for every resource.
                    None => Slot::Constant(pattern.matches("")),
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    // Same account or not, when it depends on each resource's own account: track it too.
    let account_tracker = match (
        &requirement.resource_account,
        requirement.principal.account(),
    ) {
        (None, Some(account)) => {
            nfas.push(Nfa::from_parts(
                &[
                    vec![glob::Token::AnyRun],
                    vec![glob::Token::AnyRun],
                    vec![glob::Token::AnyRun],
                    vec![glob::Token::AnyRun],
                    glob::literal(account),
                ],
                &[glob::Token::AnyRun],
            ));
            Some(nfas.len() - 1)
        }
        _ => None,
    };
    let fixed_layout = Layout::of(layers, &probe);

    let mut memo: HashMap<Vec<bool>, Decision> = HashMap::new();
    let mut decide_flags = |flags: Vec<bool>| -> Decision {
        if let Some(d) = memo.get(&flags) {
            return d.clone();
        }
        let evals: Vec<_> = prepared
            .iter()
            .zip(&slots)
            .map(|(p, slot)| {
                let mut eval = p.evaluate("");
                if let Some((_, negated)) = &p.resources {
                    let any = Tri::any(slot.iter().map(|s| match s {
                        Slot::Tracked(i) => Tri::from_bool(flags[*i]),
                        Slot::Constant(t) => *t,
                    }));
                    eval.resource = if *negated { any.not() } else { any };
                }
                eval
            })
            .collect();
        let layout = match account_tracker {
            Some(i) => {
                let owner = if flags[i] {
                    requirement.principal.account()
                } else {
                    None
                };
                Layout::with_resource_account(layers, &probe, owner)
            }
            None => fixed_layout,
        };
        let decision = combine(&evals, &layout);
        memo.insert(flags, decision.clone());
        decision
    };

    let (chars, symbols) = alphabet(nfas.iter().flat_map(|n| n.literals().collect::<Vec<_>>()));
    let other = other_char(&chars);

    let start: Vec<States> = nfas.iter().map(Nfa::start).collect();
    // Breadth-first, so the counterexample is a shortest one (but for a trailing wildcard, see
    // below); parents rebuild the word.
    let mut nodes: Vec<(Vec<States>, usize, Symbol)> =
        vec![(start.clone(), usize::MAX, Symbol::Other)];
    let mut seen: HashSet<Vec<States>> = HashSet::from([start]);
    let mut queue = VecDeque::from([0usize]);
    let mut by: Vec<StatementRef> = Vec::new();
    while let Some(node) = queue.pop_front() {
        let states = nodes[node].0.clone();
        if nfas[0].accepts(&states[0]) {
            let flags: Vec<bool> = nfas
                .iter()
                .zip(&states)
                .map(|(n, s)| n.accepts(s))
                .collect();
            let decision = decide_flags(flags);
            if !decision.is_allowed() {
                let mut word = spell(&nodes, node, other);
                // A shortest word leaves a trailing `*` empty (`…:log-stream:`), which names no
                // real resource: one more character, when the gap stays, reads as one.
                let longer: Vec<States> = nfas
                    .iter()
                    .zip(&states)
                    .map(|(n, s)| n.step(s, Symbol::Other))
                    .collect();
                if nfas[0].accepts(&longer[0]) {
                    let flags = nfas.iter().zip(&longer).map(|(n, s)| n.accepts(s));
                    if !decide_flags(flags.collect()).is_allowed() {
                        word.push(other);
                    }
                }
                // Re-decide the concrete word, so the explanation is exactly decide's.
                let real = decide_layers(layers, &request(requirement, action, &word));
                return gap(action, word, real);
            }
            for s in decision
                .deciding
                .iter()
                .filter(|s| s.effect == Effect::Allow)
            {
                if !by.contains(s) {
                    by.push(*s);
                }
            }
        }
        for &symbol in &symbols {
            // The requirement first: most symbols leave it, and then the other NFAs need no step.
            let required = nfas[0].step(&states[0], symbol);
            if is_empty(&required) {
                continue;
            }
            let next: Vec<States> = std::iter::once(required)
                .chain(
                    nfas[1..]
                        .iter()
                        .zip(&states[1..])
                        .map(|(n, s)| n.step(s, symbol)),
                )
                .collect();
            if seen.contains(&next) {
                continue;
            }
            if seen.len() >= BUDGET {
                return Cover::NotCovered(Box::new(Gap {
                    action: action.to_string(),
                    counterexample: None,
                    reason: GapReason::TooComplex,
                    decision: None,
                }));
            }
            seen.insert(next.clone());
            nodes.push((next, node, symbol));
            queue.push_back(nodes.len() - 1);
        }
    }
    Cover::Covered { by }
}

fn spell(nodes: &[(Vec<States>, usize, Symbol)], mut node: usize, other: char) -> String {
    let mut chars = Vec::new();
    while node != 0 {
        let (_, parent, symbol) = &nodes[node];
        chars.push(match symbol {
            Symbol::Char(c) => *c,
            Symbol::Other => other,
        });
        node = *parent;
    }
    chars.iter().rev().collect()
}
