//! `time-units`: request times in epoch milliseconds: integers, not negative, not small enough
//! to be seconds, not in the future.

use serde::Deserialize;

use super::eval::{integer, node_at, now_ms, Env};
use crate::rules::{Diagnostic, RuleMeta};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TimeUnits {
    pub slot: String,
    pub fields: Vec<String>,
    /// A value below this is taken for seconds.
    pub seconds_below: i64,
}

/// Clock skew tolerated before a time counts as in the future.
const DAY_MS: i128 = 86_400_000;

impl TimeUnits {
    pub fn run(&self, env: &Env, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        let now = now_ms();
        for doc in env.docs(&self.slot) {
            let Some(root) = doc.root else { continue };
            for field in &self.fields {
                let Some(node) = node_at(root, field) else {
                    continue;
                };
                let name = field.rsplit('/').next().unwrap_or(field);
                let problem = match integer(node) {
                    None => Some((
                        format!("`{name}` is not an integer number of milliseconds"),
                        "write the time as epoch milliseconds, a JSON integer".to_string(),
                    )),
                    Some(t) if t < 0 => Some((
                        format!("`{name}` is negative ({t})"),
                        "times are milliseconds since 1970-01-01T00:00:00Z".to_string(),
                    )),
                    Some(t) if t < i128::from(self.seconds_below) => Some((
                        format!("`{name}` is {t}, which looks like seconds: as milliseconds it is in early 1970"),
                        format!("use milliseconds: {}", t * 1000),
                    )),
                    Some(t) if t > now + DAY_MS => Some((
                        format!("`{name}` is {t}, which is in the future"),
                        "there are no events to import after now; check the value and its unit (milliseconds)".to_string(),
                    )),
                    Some(_) => None,
                };
                if let Some((message, help)) = problem {
                    out.push(Diagnostic::new(rule, doc.file, node.span, message).help(help));
                }
            }
        }
    }
}
