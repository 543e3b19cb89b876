//! `retention`: with a retention parameter (days), the request's start time must lie within the
//! retention window that ends now.

use serde::Deserialize;

use super::eval::{integer, node_at, now_ms, Env};
use crate::rules::{Diagnostic, RuleMeta};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Retention {
    pub slot: String,
    /// The parameter holding the retention period in days.
    pub parameter: String,
    /// JSON Pointer of the start time.
    pub start: String,
}

impl Retention {
    pub fn run(&self, env: &Env, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        let Some(days) = env
            .values
            .get(&self.parameter)
            .and_then(|d| d.parse::<i128>().ok())
        else {
            return;
        };
        let oldest = now_ms() - days * 86_400_000;
        for doc in env.docs(&self.slot) {
            let Some(start) = doc.root.and_then(|r| node_at(r, &self.start)) else {
                continue;
            };
            let Some(t) = integer(start) else { continue };
            if t >= oldest {
                continue;
            }
            let mut d = Diagnostic::new(
                rule,
                doc.file,
                start.span,
                format!("the import starts at {t}, before the {days}-day retention window"),
            )
            .help(format!(
                "start within the last {days} days (a time in milliseconds no older than now minus {days} × 86400000); older events are no longer in the source"
            ));
            if let Some((file, span)) = env.parameter_spans.get(&self.parameter) {
                d = d.related(*file, *span, format!("`{}`", self.parameter));
            }
            out.push(d);
        }
    }
}
