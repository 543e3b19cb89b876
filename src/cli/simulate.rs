//! `iamlint simulate`: one request against policies, offline. Prints the decision, the statements
//! that decided it and, for an implicit deny, what did not match in the nearest statements.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::args::{ListFormat, SimulateArgs};
use super::{ExitCode, Failure};
use crate::engine::{
    decide, principal::is_account_id, split_arn, ActionPattern, Caller, Context, ContextValue,
    Decision, Element, Outcome, PolicyInput, Request, StatementRef, Tri,
};
use crate::policy::{self, Kind, Policy};
use crate::report::{Location, Locator};
use crate::source::{self, FileId, Files, Node};

const DEFAULT_ACCOUNT: &str = "123456789012";

struct Loaded {
    display: String,
    kind: Kind,
    text: String,
}

pub fn run(args: SimulateArgs, cwd: &Path) -> Result<ExitCode, Failure> {
    let mut loaded = Vec::new();
    let read = |path: &PathBuf, kind: Option<Kind>| -> Result<Loaded, Failure> {
        let text = std::fs::read_to_string(cwd.join(path))
            .map_err(|e| Failure::Io(format!("cannot read `{}`: {e}", path.display())))?;
        Ok(Loaded {
            display: super::walk::display(path, cwd),
            kind: kind.unwrap_or(Kind::Identity),
            text,
        })
    };
    for path in &args.policies {
        loaded.push(read(path, Some(Kind::Identity))?);
    }
    // Whether the resource's policy acts as a key, trust or generic resource policy follows
    // from the request's resource, not from the document's text.
    if let Some(path) = &args.resource_policy {
        loaded.push(read(path, Some(Kind::Resource))?);
    }
    if let Some(path) = &args.trust_policy {
        loaded.push(read(path, Some(Kind::Trust))?);
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
            kind: l.kind,
            policy,
        })
        .collect();

    if ActionPattern::parse(&args.action).is_err() || args.action.contains(['*', '?']) {
        return Err(Failure::Usage(format!(
            "`{}` is not one concrete action (`service:Name`)",
            args.action
        )));
    }
    if let Some(account) = &args.resource_account {
        if !is_account_id(account) {
            return Err(Failure::Usage(format!(
                "--resource-account `{account}` is not a 12-digit account id"
            )));
        }
    }
    let owner = args
        .resource_account
        .clone()
        .or_else(|| split_arn(&args.resource).map(|p| p[4].to_string()))
        .filter(|a| !a.is_empty());
    let principal = match &args.principal {
        Some(p) if p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn") => {
            Caller::Service(p.clone())
        }
        Some(p) if is_account_id(p) || split_arn(p).is_some() => Caller::Aws(p.clone()),
        Some(p) => {
            return Err(Failure::Usage(format!(
                "--principal `{p}` is neither an ARN, an account id nor a service principal"
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
    let decision = decide(&inputs, &request);

    let mut files = Files::default();
    for l in &loaded {
        files.add(&l.display, l.text.clone());
    }
    let locator = Locator::new(&files);
    let output = Output::new(&decision, &policies, &locator);
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

impl Output {
    fn new(decision: &Decision, policies: &[Policy], locator: &Locator) -> Self {
        let file = |s: &StatementRef| FileId(s.policy as u32);
        let sid = |s: &StatementRef| {
            policies[s.policy]
                .statements
                .iter()
                .find(|st| st.index == s.index)
                .and_then(|st| st.sid)
                .map(|t| t.value.to_string())
        };
        let matched = decision
            .deciding
            .iter()
            .map(|s| Matched {
                file: locator.path(file(s)).to_string(),
                sid: sid(s),
                effect: match s.effect {
                    policy::Effect::Allow => "Allow",
                    policy::Effect::Deny => "Deny",
                },
                span: locator.locate(file(s), s.span),
            })
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
        }
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
                out.push_str("  no Allow statement applies to this request\n");
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
            if !self.unmet.is_empty() {
                out.push_str(&format!(
                    "  layers that do not allow it: {}\n",
                    self.unmet.join(", ")
                ));
            }
        }
        out
    }
}
