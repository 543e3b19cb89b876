//! `iamlint simulate`: one request against policies, offline. Prints the decision, the statements
//! that decided it and, for an implicit deny, what did not match in the nearest statements.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::args::{ListFormat, SimulateArgs};
use super::{ExitCode, Failure};
use crate::engine::{
    decide_layers, principal::is_account_id, split_arn, ActionPattern, Caller, Context,
    ContextValue, Decision, Element, Layers, Outcome, PolicyInput, Request, ResourceSide,
    StatementRef, Tri,
};
use crate::policy::{self, Kind, Policy};
use crate::report::{Location, Locator};
use crate::source::{self, FileId, Files, Node};

const DEFAULT_ACCOUNT: &str = "123456789012";

/// Where a file enters the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Identity,
    /// The resource's own policy: a generic resource, key or trust policy, as the request's
    /// resource says, not as the document's text suggests.
    Resource,
    Scp,
    Rcp,
    Boundary,
    Session,
    Endpoint,
}

struct Loaded {
    display: String,
    slot: Slot,
    text: String,
}

pub fn run(args: SimulateArgs, cwd: &Path) -> Result<ExitCode, Failure> {
    let read = |path: &PathBuf, slot: Slot| -> Result<Loaded, Failure> {
        let text = std::fs::read_to_string(cwd.join(path))
            .map_err(|e| Failure::Io(format!("cannot read `{}`: {e}", path.display())))?;
        Ok(Loaded {
            display: super::walk::display(path, cwd),
            slot,
            text,
        })
    };
    let files = [
        (Slot::Identity, args.policies.iter().collect::<Vec<_>>()),
        (Slot::Resource, args.resource_policy.iter().collect()),
        (Slot::Resource, args.trust_policy.iter().collect()),
        (Slot::Scp, args.scps.iter().collect()),
        (Slot::Rcp, args.rcps.iter().collect()),
        (Slot::Boundary, args.boundary.iter().collect()),
        (Slot::Session, args.session_policies.iter().collect()),
        (Slot::Endpoint, args.endpoint_policy.iter().collect()),
    ];
    let mut loaded = Vec::new();
    for (slot, paths) in files {
        for path in paths {
            loaded.push(read(path, slot)?);
        }
    }
    if loaded.is_empty() {
        return Err(Failure::Usage(
            "no policy to evaluate: give --policy, --resource-policy or --trust-policy".into(),
        ));
    }

    let nodes: Vec<Node> = loaded
        .iter()
        .map(|l| {
            source::parse(&l.text).map_err(|e| {
                let at = source::LineIndex::new(&l.text).line_col(&l.text, e.span.start);
                Failure::Usage(format!(
                    "{}:{}:{}: invalid JSON: {}",
                    l.display, at.line, at.column, e.message
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let policies: Vec<Policy> = nodes
        .iter()
        .zip(&loaded)
        .map(|(node, l)| {
            policy::build(node)
                .0
                .ok_or_else(|| Failure::Usage(format!("`{}` is not an IAM policy", l.display)))
        })
        .collect::<Result<_, _>>()?;
    let inputs: Vec<PolicyInput> = policies
        .iter()
        .zip(&loaded)
        .enumerate()
        .map(|(id, (policy, l))| PolicyInput {
            id,
            kind: if l.slot == Slot::Resource {
                Kind::Resource
            } else {
                Kind::Identity
            },
            policy,
        })
        .collect();
    let of = |slot: Slot| -> Vec<PolicyInput> {
        inputs
            .iter()
            .zip(&loaded)
            .filter(|(_, l)| l.slot == slot)
            .map(|(i, _)| *i)
            .collect()
    };
    let mut own = of(Slot::Identity);
    own.extend(of(Slot::Resource));
    let (scps, rcps, sessions) = (of(Slot::Scp), of(Slot::Rcp), of(Slot::Session));
    for (flag, account) in [
        ("--resource-account", &args.resource_account),
        ("--management-account", &args.management_account),
    ] {
        if let Some(account) = account.as_deref().filter(|a| !is_account_id(a)) {
            return Err(Failure::Usage(format!(
                "{flag} `{account}` is not a 12-digit account id"
            )));
        }
    }
    let layers = Layers {
        policies: &own,
        scps: &scps,
        rcps: &rcps,
        boundary: of(Slot::Boundary).first().copied(),
        sessions: &sessions,
        endpoint: of(Slot::Endpoint).first().copied(),
        management_account: args.management_account.as_deref(),
        resource_side: ResourceSide::Given,
    };

    if ActionPattern::parse(&args.action).is_err() || args.action.contains(['*', '?']) {
        return Err(Failure::Usage(format!(
            "`{}` is not one concrete action (`service:Name`)",
            args.action
        )));
    }
    let owner = args
        .resource_account
        .clone()
        .or_else(|| split_arn(&args.resource).map(|p| p[4].to_string()))
        .filter(|a| !a.is_empty());
    let principal = match &args.principal {
        Some(p) if p == "anonymous" || p == "*" => Caller::Anonymous,
        Some(p) if p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn") => {
            Caller::Service(p.clone())
        }
        Some(p) if is_account_id(p) || split_arn(p).is_some() => Caller::Aws(p.clone()),
        Some(p) => {
            return Err(Failure::Usage(format!(
                "--principal `{p}` is neither an ARN, an account id, a service principal nor `anonymous`"
            )))
        }
        None => Caller::Aws(format!(
            "arn:aws:iam::{}:user/iamlint-simulate",
            owner.as_deref().unwrap_or(DEFAULT_ACCOUNT)
        )),
    };
    let mut context = Context::closed();
    let mut pairs: Vec<(String, Vec<String>)> = Vec::new();
    for item in &args.context {
        let Some((key, value)) = item.split_once('=') else {
            return Err(Failure::Usage(format!(
                "--context `{item}` is not KEY=VALUE"
            )));
        };
        match pairs.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
            Some((_, values)) => values.push(value.to_string()),
            None => pairs.push((key.to_string(), vec![value.to_string()])),
        }
    }
    for (key, mut values) in pairs {
        let value = if values.len() == 1 {
            ContextValue::Single(values.remove(0))
        } else {
            ContextValue::Multi(values)
        };
        context.insert(&key, value);
    }
    let request = Request {
        principal,
        action: args.action.clone(),
        resource: args.resource.clone(),
        // With neither a principal nor an owner (an S3 ARN has no account), both default to
        // one account: the default caller is "a user in the resource's account".
        resource_account: match (&args.principal, &owner) {
            (None, None) => Some(DEFAULT_ACCOUNT.to_string()),
            _ => args.resource_account.clone(),
        },
        context,
    };
    let decision = decide_layers(&layers, &request);

    let mut files = Files::default();
    for l in &loaded {
        files.add(&l.display, l.text.clone());
    }
    let locator = Locator::new(&files);
    let mut output = Output::new(&decision, &policies, &locator);
    if args.explain {
        output.explain(&decision, &policies, &locator);
    }
    let text = match args.format {
        ListFormat::Json => {
            serde_json::to_string_pretty(&output).expect("plain data serialises") + "\n"
        }
        ListFormat::Human => output.human(&request),
    };
    super::print(&text)
}

#[derive(Serialize)]
struct Output {
    decision: &'static str,
    matched: Vec<Matched>,
    explanation: Vec<Explanation>,
    /// Policy layers that did not allow by themselves (identity, trust, key, resource); shown to
    /// people, not part of the JSON contract.
    #[serde(skip)]
    unmet: Vec<&'static str>,
    /// The Deny in `matched` may apply but cannot be decided offline; not part of the JSON
    /// contract, whose three decisions this maps onto `explicit-deny`.
    #[serde(skip)]
    undecided_deny: bool,
    /// Why an implicit deny proves nothing, or why AWS denies whatever the policies say.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
    /// With `--explain`: every layer that took part, in evaluation order.
    #[serde(skip_serializing_if = "Option::is_none")]
    layers: Option<Vec<LayerOutput>>,
}

#[derive(Serialize)]
struct LayerOutput {
    /// `identity`, `resource`, `trust`, `key`, `scp`, `rcp`, `boundary`, `session`, `endpoint`.
    layer: &'static str,
    /// `allows`, `denies`, `does-not-allow`, `unknown` (depends on what cannot be decided
    /// offline), or `not-given` (a policy the request needs was not given: nothing is proven).
    result: &'static str,
    /// The statements that decided: the Deny, or the Allows that apply.
    statements: Vec<Matched>,
}

#[derive(Serialize)]
struct Matched {
    file: String,
    sid: Option<String>,
    effect: &'static str,
    span: Location,
}

#[derive(Serialize)]
struct Explanation {
    file: String,
    sid: Option<String>,
    /// `principal`, `action`, `resource` or `condition`.
    element: &'static str,
    /// `no-match`, or `unknown` when it cannot be decided (a non-portable ARN...).
    result: &'static str,
    text: Option<String>,
    span: Option<Location>,
}

fn sid_of(policies: &[Policy], s: &StatementRef) -> Option<String> {
    policies[s.policy]
        .statements
        .iter()
        .find(|st| st.index == s.index)
        .and_then(|st| st.sid)
        .map(|t| t.value.to_string())
}

fn matched(policies: &[Policy], locator: &Locator, s: &StatementRef) -> Matched {
    let file = FileId(s.policy as u32);
    Matched {
        file: locator.path(file).to_string(),
        sid: sid_of(policies, s),
        effect: match s.effect {
            policy::Effect::Allow => "Allow",
            policy::Effect::Deny => "Deny",
        },
        span: locator.locate(file, s.span),
    }
}

impl Output {
    fn new(decision: &Decision, policies: &[Policy], locator: &Locator) -> Self {
        let file = |s: &StatementRef| FileId(s.policy as u32);
        let sid = |s: &StatementRef| sid_of(policies, s);
        let matched = decision
            .deciding
            .iter()
            .map(|s| matched(policies, locator, s))
            .collect();
        let explanation = decision
            .nearest
            .iter()
            .flat_map(|near| near.mismatches.iter().map(move |m| (near.statement, *m)))
            .map(|(s, m)| Explanation {
                file: locator.path(file(&s)).to_string(),
                sid: sid(&s),
                element: match m.element {
                    Element::Principal => "principal",
                    Element::Action => "action",
                    Element::Resource => "resource",
                    Element::Condition => "condition",
                },
                result: if m.result == Tri::Unknown {
                    "unknown"
                } else {
                    "no-match"
                },
                text: m.span.and_then(|span| {
                    locator
                        .files()
                        .get(file(&s))
                        .text
                        .get(span.range())
                        .map(str::to_string)
                }),
                span: m.span.map(|span| locator.locate(file(&s), span)),
            })
            .collect();
        Output {
            decision: match decision.outcome {
                Outcome::Allowed => "allowed",
                Outcome::ExplicitDeny => "explicit-deny",
                Outcome::ImplicitDeny => "implicit-deny",
                // Never `allowed` when a Deny may apply: a grant is only reported when proven.
                Outcome::MayDeny => "explicit-deny",
            },
            matched,
            explanation,
            unmet: decision.unmet.iter().map(|k| k.as_str()).collect(),
            undecided_deny: decision.outcome == Outcome::MayDeny,
            note: decision.note,
            layers: None,
        }
    }

    fn explain(&mut self, decision: &Decision, policies: &[Policy], locator: &Locator) {
        let layers = decision
            .layers
            .iter()
            .map(|v| {
                let denies: Vec<&StatementRef> = decision
                    .deciding
                    .iter()
                    .filter(|s| s.layer == v.layer && s.effect == policy::Effect::Deny)
                    .collect();
                let (result, statements) = if !denies.is_empty() {
                    let word = if decision.outcome == Outcome::MayDeny {
                        "unknown"
                    } else {
                        "denies"
                    };
                    (word, denies)
                } else {
                    let allows = decision.allows.iter().filter(|s| s.layer == v.layer);
                    let word = match (v.given, v.allows) {
                        (false, _) => "not-given",
                        (true, Tri::True) => "allows",
                        (true, Tri::False) => "does-not-allow",
                        (true, Tri::Unknown) => "unknown",
                    };
                    (word, allows.collect())
                };
                LayerOutput {
                    layer: v.layer.as_str(),
                    result,
                    statements: statements
                        .into_iter()
                        .map(|s| matched(policies, locator, s))
                        .collect(),
                }
            })
            .collect();
        self.layers = Some(layers);
    }

    fn human(&self, request: &Request) -> String {
        let who = match &request.principal {
            Caller::Aws(a)
            | Caller::Service(a)
            | Caller::Federated(a)
            | Caller::CanonicalUser(a) => a.clone(),
            Caller::Anonymous => "anonymous".into(),
        };
        let mut out = format!(
            "{}: {} {} on {}\n",
            self.decision, who, request.action, request.resource
        );
        let at = |file: &str, span: &Location, sid: &Option<String>| {
            let sid = sid
                .as_ref()
                .map(|s| format!(" (Sid {s})"))
                .unwrap_or_default();
            format!("{file}:{}:{}{sid}", span.start.line, span.start.column)
        };
        if !self.matched.is_empty() {
            let label = match self.decision {
                "allowed" => "allowed by",
                _ if self.undecided_deny => {
                    "denied by this Deny, which may apply (its condition or resource cannot be decided offline; without it the request would be allowed)"
                }
                _ => "denied by",
            };
            out.push_str(&format!("  {label}:\n"));
            for m in &self.matched {
                out.push_str(&format!(
                    "    {} {}\n",
                    m.effect,
                    at(&m.file, &m.span, &m.sid)
                ));
            }
        }
        if self.decision == "implicit-deny" {
            if self.explanation.is_empty() {
                // When an Allow did apply but a layer that must allow too did not, the note and
                // the layers say why; "no Allow applies" would contradict them.
                if self.note.is_none() {
                    out.push_str("  no Allow statement applies to this request\n");
                }
            } else {
                out.push_str("  nearest statements, and what did not match:\n");
                for e in &self.explanation {
                    let place = match &e.span {
                        Some(span) => at(&e.file, span, &e.sid),
                        None => e.file.clone(),
                    };
                    let what = if e.result == "unknown" {
                        "cannot be decided"
                    } else {
                        "does not match"
                    };
                    let text = e
                        .text
                        .as_ref()
                        .map(|t| {
                            format!(": {}", t.split_whitespace().collect::<Vec<_>>().join(" "))
                        })
                        .unwrap_or_default();
                    out.push_str(&format!("    {place}: {} {what}{text}\n", e.element));
                }
            }
            if let Some(note) = self.note {
                out.push_str(&format!("  {note}\n"));
            }
            if !self.unmet.is_empty() {
                out.push_str(&format!(
                    "  layers that do not allow it: {}\n",
                    self.unmet.join(", ")
                ));
            }
        }
        if let Some(layers) = &self.layers {
            out.push_str("  layers:\n");
            for layer in layers {
                let result = match layer.result {
                    "not-given" => "not given (nothing is proven)",
                    "does-not-allow" => "does not allow",
                    "unknown" => "cannot be decided offline",
                    other => other,
                };
                out.push_str(&format!("    {}: {result}\n", layer.layer));
                for m in &layer.statements {
                    out.push_str(&format!(
                        "      {} {}\n",
                        m.effect,
                        at(&m.file, &m.span, &m.sid)
                    ));
                }
            }
        }
        out
    }
}
