//! Running a pack's rules on scenarios: the documents bound to each slot, parsed and modelled,
//! the scenario's values, and the helpers every kind shares to turn an engine answer into a
//! diagnostic with the right span.

use std::collections::BTreeMap;

use super::model::{ContextSpec, Hint, PrincipalSpec, SlotKind};
use super::template::{self, Values};
use super::Pack;
use crate::engine::{
    Caller, Context, ContextValue, Decision, Element, Layer, Outcome, PolicyInput, ResourceSide,
    StatementRef, Tri,
};
use crate::policy::{self, Kind, Policy, Statement};
use crate::rules::{Diagnostic, RuleMeta};
use crate::source::{self, FileId, Node, Span};

/// One scenario as the CLI hands it over: no I/O happens past this point.
#[derive(Debug, Clone)]
pub struct ScenarioInput<'i> {
    pub name: String,
    pub values: Values,
    /// `(slot, file, text)` in the order the config lists them.
    pub documents: Vec<(String, FileId, &'i str)>,
    /// Where each parameter set in the config is written, for findings about its value.
    pub parameter_spans: BTreeMap<String, (FileId, Span)>,
}

/// A bound document, parsed.
pub struct Doc<'e> {
    pub file: FileId,
    pub text: &'e str,
    pub root: Option<&'e Node<'e>>,
    pub policy: Option<&'e Policy<'e>>,
}

/// What a kind sees of one scenario.
pub struct Env<'e> {
    pub scenario: &'e str,
    pub values: &'e Values,
    pub slots: BTreeMap<&'e str, Vec<Doc<'e>>>,
    pub kinds: BTreeMap<&'e str, SlotKind>,
    pub parameter_spans: &'e BTreeMap<String, (FileId, Span)>,
}

/// Runs every enabled rule of `pack` on every scenario, on its documents already parsed,
/// `nodes[scenario][document]` (a template's policies have the template's spans, and every
/// document's text is then the whole template); findings come back with their scenario, pointer
/// and Sid filled in.
pub fn evaluate(
    pack: &Pack,
    scenarios: &[ScenarioInput],
    nodes: &[Vec<Option<Node>>],
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    let policies: Vec<Vec<Option<Policy>>> = nodes
        .iter()
        .zip(scenarios)
        .map(|(nodes, s)| {
            nodes
                .iter()
                .zip(&s.documents)
                .map(|(node, (slot, _, _))| {
                    let is_request = pack.slot_kind(slot) == Some(SlotKind::Request);
                    node.as_ref()
                        .filter(|_| !is_request)
                        .and_then(|n| policy::build(n).0)
                })
                .collect()
        })
        .collect();
    let envs: Vec<Env> = scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut slots: BTreeMap<&str, Vec<Doc>> = BTreeMap::new();
            for (j, (slot, file, text)) in s.documents.iter().enumerate() {
                slots.entry(slot.as_str()).or_default().push(Doc {
                    file: *file,
                    text,
                    root: nodes[i][j].as_ref(),
                    policy: policies[i][j].as_ref(),
                });
            }
            Env {
                scenario: &s.name,
                values: &s.values,
                slots,
                kinds: pack
                    .file
                    .slots
                    .iter()
                    .map(|slot| (slot.name.as_str(), slot.kind))
                    .collect(),
                parameter_spans: &s.parameter_spans,
            }
        })
        .collect();

    let mut out = Vec::new();
    for rule in &pack.rules {
        if !enabled(rule.meta) {
            continue;
        }
        for env in &envs {
            let before = out.len();
            rule.check.run(env, rule.meta, &mut out);
            for d in &mut out[before..] {
                d.scenario = Some(env.scenario.to_string());
                env.locate(d);
            }
        }
        let before = out.len();
        rule.check.run_across(&envs, rule.meta, &mut out);
        for d in &mut out[before..] {
            if let Some(env) = envs.iter().find(|e| e.doc(d.file).is_some()) {
                d.scenario = Some(env.scenario.to_string());
                env.locate(d);
            }
        }
    }
    out
}

impl<'e> Env<'e> {
    pub fn docs(&self, slot: &str) -> &[Doc<'e>] {
        self.slots.get(slot).map_or(&[], Vec::as_slice)
    }

    pub fn doc(&self, file: FileId) -> Option<&Doc<'e>> {
        self.slots.values().flatten().find(|d| d.file == file)
    }

    pub fn has(&self, parameter: &str) -> bool {
        self.values.contains_key(parameter)
    }

    /// A `when` condition: no parameter named, or the parameter is set.
    pub fn when(&self, parameter: &Option<String>) -> bool {
        parameter.as_ref().is_none_or(|p| self.has(p))
    }

    pub fn expand(&self, template: &str) -> Option<String> {
        template::expand(template, self.values)
    }

    /// The slot's policies for the engine; each input's id is its index in [`Env::docs`].
    pub fn inputs(&self, slot: &str) -> Vec<PolicyInput<'_, 'e>> {
        let kind = (self.kinds.get(slot))
            .and_then(|k| k.policy_kind())
            .unwrap_or(Kind::Identity);
        self.docs(slot)
            .iter()
            .enumerate()
            .filter_map(|(id, d)| d.policy.map(|policy| PolicyInput { id, kind, policy }))
            .collect()
    }

    /// An identity slot answers for the caller's side alone: the resource's own policy (a key
    /// policy, say) is another slot, checked by its own rule.
    pub fn resource_side(&self, slot: &str) -> ResourceSide {
        match self.kinds.get(slot) {
            Some(SlotKind::Trust | SlotKind::Key | SlotKind::Resource) => ResourceSide::Given,
            _ => ResourceSide::CheckedSeparately,
        }
    }

    pub fn statement(&self, slot: &str, at: &StatementRef) -> Option<&'e Statement<'e>> {
        let policy = self.docs(slot).get(at.policy)?.policy?;
        policy.statements.iter().find(|s| s.index == at.index)
    }

    pub fn file_of(&self, slot: &str, at: &StatementRef) -> FileId {
        self.docs(slot).get(at.policy).map_or(FileId(0), |d| d.file)
    }

    /// Where "nothing here comes close" points: the first document's `Statement` key, or its
    /// first character.
    pub fn nothing_close(&self, slot: &str) -> Option<(FileId, Span)> {
        let doc = self.docs(slot).first()?;
        let span = doc
            .policy
            .and_then(|p| p.statement_key)
            .unwrap_or(Span::empty(0));
        Some((doc.file, span))
    }

    pub fn principal(&self, spec: &PrincipalSpec) -> Option<Caller> {
        Some(match spec {
            PrincipalSpec::Aws(arn) => Caller::Aws(self.expand(arn)?),
            PrincipalSpec::Service(name) => Caller::Service(self.expand(name)?),
        })
    }

    /// Every combination of the context's alternatives, each with a note saying which values it
    /// pins (empty when there is only one). Keys not listed stay unpinned (unknown).
    pub fn contexts(&self, spec: &BTreeMap<String, ContextSpec>) -> Option<Vec<(Context, String)>> {
        let mut out = vec![(Context::open(), Vec::<String>::new())];
        for (key, value) in spec {
            let choices: Vec<Option<String>> = match value {
                ContextSpec::Absent(()) => vec![None],
                ContextSpec::One(v) => vec![Some(self.expand(v)?)],
                ContextSpec::AnyOf { any_of } => any_of
                    .iter()
                    .map(|v| self.expand(v).map(Some))
                    .collect::<Option<_>>()?,
            };
            let several = choices.len() > 1;
            out = out
                .into_iter()
                .flat_map(|(context, notes)| {
                    choices.iter().map(move |choice| {
                        let mut context = context.clone();
                        let mut notes = notes.clone();
                        match choice {
                            Some(v) => {
                                context.insert(key, ContextValue::Single(v.clone()));
                                if several {
                                    notes.push(format!("`{key}` is `{v}`"));
                                }
                            }
                            None => context.insert(key, ContextValue::Absent),
                        }
                        (context, notes)
                    })
                })
                .collect();
        }
        Some(
            out.into_iter()
                .map(|(c, notes)| (c, notes.join(" and ")))
                .collect(),
        )
    }

    /// Fills in pointer and Sid from the document the span is in.
    fn locate(&self, d: &mut Diagnostic) {
        let Some(doc) = self.doc(d.file) else { return };
        if let Some(root) = doc.root {
            d.pointer = root.pointer_to(d.span);
        }
        if let Some(policy) = doc.policy {
            d.sid = policy
                .statements
                .iter()
                .find(|s| s.span.contains(d.span))
                .and_then(|s| s.sid)
                .map(|sid| sid.value.to_string());
        }
    }

    /// The key of the condition test at `culprit` (a span from the engine).
    pub fn condition_key(statement: &Statement<'e>, culprit: Span) -> Option<&'e str> {
        statement
            .condition
            .as_ref()?
            .blocks
            .iter()
            .flat_map(|b| &b.entries)
            .find(|e| e.key.span.start == culprit.start)
            .map(|e| e.key.value)
    }

    /// When a decision fails only on a condition of one of `keys` in its nearest statement, and
    /// that condition provably cannot match, that statement, the test's span and key. A condition
    /// that might match (its value or the request's rests on a placeholder, such as the id of a
    /// store a stack creates) is not "cannot match": the grant check says it is not proven.
    pub fn condition_only<'k>(
        &self,
        slot: &str,
        decision: &Decision,
        keys: &'k [String],
    ) -> Option<(StatementRef, Span, &'e str)> {
        if decision.outcome != Outcome::ImplicitDeny {
            return None;
        }
        decision.nearest.iter().find_map(|near| {
            let [only] = near.mismatches.as_slice() else {
                return None;
            };
            if only.element != Element::Condition || only.result != Tri::False {
                return None;
            }
            let span = only.span?;
            let statement = self.statement(slot, &near.statement)?;
            let key = Self::condition_key(statement, span)?;
            keys.iter()
                .any(|k| k.eq_ignore_ascii_case(key))
                .then_some((near.statement, span, key))
        })
    }
}

/// What a requirement is, for messages: "`logs:CreateLogGroup` on `arn:...`".
pub struct Target<'t> {
    pub slot: &'t str,
    pub action: &'t str,
    pub resource: &'t str,
    /// A concrete resource that is not granted, when the requirement is a pattern.
    pub counterexample: Option<&'t str>,
    /// Which alternative of the context failed ("`iam:PassedToService` is `x`").
    pub note: &'t str,
    /// The statement that would satisfy it, rendered.
    pub statement: Option<String>,
    /// Explanations to add when the offending text contains a telltale.
    pub hints: &'t [Hint],
    /// Said when the nearest statement's Resource does not match.
    pub resource_hint: Option<&'t str>,
}

impl Target<'_> {
    fn what(&self) -> String {
        self.what_with(true)
    }

    /// With `note`: which alternative of the context failed (only useful when a condition did).
    fn what_with(&self, note: bool) -> String {
        let on = match self.counterexample {
            Some(c) if c != self.resource => {
                format!("`{}` (for example `{c}`)", self.resource)
            }
            _ => format!("`{}`", self.resource),
        };
        let when = if self.note.is_empty() || !note {
            String::new()
        } else {
            format!(" when {}", self.note)
        };
        format!("`{}` on {on}{when}", self.action)
    }

    fn satisfied_by(&self) -> String {
        match &self.statement {
            Some(s) => format!("this statement grants it: {s}"),
            None => String::new(),
        }
    }
}

fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("; ")
}

fn describe(element: Element) -> &'static str {
    match element {
        Element::Principal => "its Principal",
        Element::Action => "its Action",
        Element::Resource => "its Resource",
        Element::Condition => "its Condition",
    }
}

/// Turns a decision that is not `allowed` into the diagnostic the pack doc promises: on an
/// explicit Deny the Deny statement (with the Allow it overrides as related); on a statement that
/// came close its offending element; otherwise the document's `Statement` key.
pub fn not_granted(
    env: &Env,
    rule: &'static RuleMeta,
    target: &Target,
    decision: Option<&Decision>,
) -> Option<Diagnostic> {
    let slot = target.slot;
    let what = target.what();
    let Some(decision) = decision else {
        let (file, span) = env.nothing_close(slot)?;
        return Some(
            Diagnostic::new(
                rule,
                file,
                span,
                format!(
                    "`{slot}` cannot be proven to allow {what}: the search exceeded its budget"
                ),
            )
            .help(join(&["simplify the wildcards", &target.satisfied_by()]))
            .uncertain(),
        );
    };
    match decision.outcome {
        Outcome::Allowed => None,
        Outcome::ExplicitDeny | Outcome::MayDeny => {
            let deny = decision.deciding.first()?;
            let certain = decision.outcome == Outcome::ExplicitDeny;
            let message = if certain {
                format!("`{slot}` explicitly denies {what}")
            } else {
                format!("`{slot}` may deny {what}: this Deny's condition depends on values the scenario does not pin")
            };
            let mut d =
                Diagnostic::new(rule, env.file_of(slot, deny), deny.span, message).help(join(&[
                    "narrow or remove this Deny; an explicit Deny overrides every Allow",
                    &target.satisfied_by(),
                ]));
            if !certain {
                d = d.uncertain();
            }
            for allow in &decision.allows {
                d = d.related(
                    env.file_of(slot, allow),
                    allow.span,
                    "the Allow this Deny overrides",
                );
            }
            Some(d)
        }
        Outcome::ImplicitDeny => {
            // "Nothing close": no Allow, or none whose Action matches.
            let near = decision.nearest.iter().find(|n| {
                !n.mismatches
                    .iter()
                    .any(|m| m.element == Element::Action && m.result == Tri::False)
            });
            let Some(near) = near else {
                let (file, span) = env.nothing_close(slot)?;
                return Some(
                    Diagnostic::new(rule, file, span, format!("`{slot}` does not allow {what}"))
                        .help(join(&["no statement comes close", &target.satisfied_by()])),
                );
            };
            let file = env.file_of(slot, &near.statement);
            let unknown = near.mismatches.iter().all(|m| m.result == Tri::Unknown);
            let culprit = near
                .mismatches
                .iter()
                .find(|m| m.result == Tri::False)
                .or(near.mismatches.first())?;
            let mut span = culprit.span.unwrap_or(near.statement.span);
            // A one-item list: point at the item, not the brackets around it.
            if let Some(statement) = env.statement(slot, &near.statement) {
                let list = match culprit.element {
                    Element::Resource => statement.resources().map(|(l, _)| l),
                    Element::Action => statement.actions().map(|(l, _)| l),
                    _ => None,
                };
                if let Some([only]) = list.map(|l| l.items.as_slice()) {
                    span = only.span;
                }
            }
            let element = describe(culprit.element);
            let what = target.what_with(culprit.element == Element::Condition);
            let message = if unknown {
                format!("`{slot}` cannot be proven to allow {what}: {element} in the nearest statement depends on values the scenario does not pin")
            } else {
                let layer = if culprit.element == Element::Principal
                    && decision.unmet.contains(&Layer::Key)
                {
                    " (a key policy must allow by itself or delegate to the account)"
                } else {
                    ""
                };
                format!("`{slot}` does not allow {what}: {element} in the nearest statement does not match{layer}")
            };
            let text = env
                .doc(file)
                .and_then(|d| d.text.get(span.range()))
                .unwrap_or("");
            let mut why = hints(env, target.hints, text);
            if let (Element::Resource, Some(hint)) = (culprit.element, target.resource_hint) {
                why = join(&[hint, &why]);
            }
            let d = Diagnostic::new(rule, file, span, message)
                .help(join(&[&why, &target.satisfied_by()]));
            Some(if unknown { d.uncertain() } else { d })
        }
    }
}

/// The hints whose telltale occurs in `text`, joined.
pub fn hints(env: &Env, hints: &[Hint], text: &str) -> String {
    hints
        .iter()
        .filter(|h| env.expand(&h.contains).is_some_and(|c| text.contains(&c)))
        .filter_map(|h| env.expand(&h.say))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The node at an RFC 6901 pointer (`/importFilter/startEventTime`).
pub fn node_at<'n, 's>(root: &'n Node<'s>, pointer: &str) -> Option<&'n Node<'s>> {
    let mut node = root;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match node.as_array() {
            Some(items) => items.get(token.parse::<usize>().ok()?)?,
            None => &node.get(&token)?.value,
        };
    }
    Some(node)
}

/// Whether a statement's principal names `caller` itself (not only its account).
pub fn names_directly(statement: &Statement, caller: &Caller) -> bool {
    statement.principals().is_some_and(|(p, negated)| {
        crate::engine::principal::principal_matches(p, negated, caller)
            == crate::engine::PrincipalMatch::Direct
    })
}

/// Whether a statement's `Action` (or `NotAction`) matches any of `actions`.
pub fn matches_any_action(statement: &Statement, actions: &[String]) -> bool {
    statement.actions().is_some_and(|(list, negated)| {
        actions.iter().any(|a| {
            crate::engine::action::list_matches(list.items.iter().map(|t| t.value), negated, a)
        })
    })
}

/// The current time in epoch milliseconds.
pub fn now_ms() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i128)
}

/// An integer JSON number as written, or `None` (a fraction, an exponent, not a number).
pub fn integer(node: &Node) -> Option<i128> {
    match &node.value {
        source::Value::Number(text) => text.parse().ok(),
        _ => None,
    }
}
