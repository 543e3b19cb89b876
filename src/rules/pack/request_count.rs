//! `request-count`: how many requests the scenarios of one pack declare per group (an account):
//! a service quota on concurrent operations.

use serde::Deserialize;

use super::eval::Env;
use crate::rules::{Diagnostic, RuleMeta};
use crate::source::Span;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequestCount {
    pub slot: String,
    /// The value (a parameter or derived name) requests are counted per.
    pub group_by: String,
    pub max: usize,
}

impl RequestCount {
    pub fn run(&self, envs: &[Env], rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        let mut groups: std::collections::BTreeMap<&str, Vec<&Env>> = Default::default();
        for env in envs {
            if env.docs(&self.slot).is_empty() {
                continue;
            }
            if let Some(group) = env.values.get(&self.group_by) {
                groups.entry(group).or_default().push(env);
            }
        }
        for (group, members) in groups {
            if members.len() <= self.max {
                continue;
            }
            for env in &members[self.max..] {
                let Some(doc) = env.docs(&self.slot).first() else {
                    continue;
                };
                let start = doc.root.map_or(0, |r| r.span.start);
                let mut d = Diagnostic::new(
                    rule,
                    doc.file,
                    Span::empty(start),
                    format!(
                        "this is import request {} for {} `{group}`; at most {} can be active at a time",
                        members.iter().position(|m| std::ptr::eq(*m, *env)).unwrap_or(0) + 1,
                        self.group_by,
                        self.max
                    ),
                )
                .help("run the imports one after another; the config declares them as if they ran together");
                for other in &members[..self.max] {
                    if let Some(o) = other.docs(&self.slot).first() {
                        d = d.related(
                            o.file,
                            Span::empty(0),
                            format!("import request of scenario `{}`", other.scenario),
                        );
                    }
                }
                out.push(d);
            }
        }
    }
}
