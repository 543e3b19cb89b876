//! `time-range`: a request's start time must not be after its end time.

use serde::Deserialize;

use super::eval::{integer, node_at, Env};
use crate::rules::{Diagnostic, RuleMeta};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TimeRange {
    pub slot: String,
    /// JSON Pointers of the two times.
    pub start: String,
    pub end: String,
}

impl TimeRange {
    pub fn run(&self, env: &Env, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        for doc in env.docs(&self.slot) {
            let Some(root) = doc.root else { continue };
            let (Some(start), Some(end)) = (node_at(root, &self.start), node_at(root, &self.end))
            else {
                continue;
            };
            let (Some(from), Some(to)) = (integer(start), integer(end)) else {
                continue;
            };
            if from > to {
                out.push(
                    Diagnostic::new(
                        rule,
                        doc.file,
                        start.span,
                        format!("the start time {from} is after the end time {to}"),
                    )
                    .help("swap the two values: the start must be less than or equal to the end")
                    .related(doc.file, end.span, "the end time"),
                );
            }
        }
    }
}
