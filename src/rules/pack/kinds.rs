//! The generic rule kinds a pack parameterises. Each lives in its own file; this enum is what a
//! rule's `check` object deserialises to (`"kind": "grant"`, ...).

use serde::Deserialize;

use super::eval::Env;
use super::{
    condition_mismatch, condition_required, grant, key_delegation, overly_broad, request_arns,
    request_count, request_mismatch, retention, time_range, time_units, unneeded_actions,
    unsupported_condition,
};
use crate::rules::{Diagnostic, RuleMeta};

#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Check {
    Grant(grant::Grant),
    ConditionMismatch(condition_mismatch::ConditionMismatch),
    ConditionRequired(condition_required::ConditionRequired),
    UnneededActions(unneeded_actions::UnneededActions),
    OverlyBroad(overly_broad::OverlyBroad),
    KeyDelegation(key_delegation::KeyDelegation),
    UnsupportedCondition(unsupported_condition::UnsupportedCondition),
    TimeRange(time_range::TimeRange),
    TimeUnits(time_units::TimeUnits),
    RequestArns(request_arns::RequestArns),
    RequestMismatch(request_mismatch::RequestMismatch),
    Retention(retention::Retention),
    RequestCount(request_count::RequestCount),
}

impl Check {
    /// The slot the check reads (every kind reads exactly one).
    pub fn slot(&self) -> &str {
        match self {
            Check::Grant(c) => &c.slot,
            Check::ConditionMismatch(c) => &c.grant.slot,
            Check::ConditionRequired(c) => &c.slot,
            Check::UnneededActions(c) => &c.slot,
            Check::OverlyBroad(c) => &c.slot,
            Check::KeyDelegation(c) => &c.slot,
            Check::UnsupportedCondition(c) => &c.slot,
            Check::TimeRange(c) => &c.slot,
            Check::TimeUnits(c) => &c.slot,
            Check::RequestArns(c) => &c.slot,
            Check::RequestMismatch(c) => &c.slot,
            Check::Retention(c) => &c.slot,
            Check::RequestCount(c) => &c.slot,
        }
    }

    /// Runs the check on one scenario. `request-count` looks across scenarios and runs in
    /// [`Check::run_across`] instead.
    pub fn run(&self, env: &Env, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        match self {
            Check::Grant(c) => c.run(env, rule, out),
            Check::ConditionMismatch(c) => c.run(env, rule, out),
            Check::ConditionRequired(c) => c.run(env, rule, out),
            Check::UnneededActions(c) => c.run(env, rule, out),
            Check::OverlyBroad(c) => c.run(env, rule, out),
            Check::KeyDelegation(c) => c.run(env, rule, out),
            Check::UnsupportedCondition(c) => c.run(env, rule, out),
            Check::TimeRange(c) => c.run(env, rule, out),
            Check::TimeUnits(c) => c.run(env, rule, out),
            Check::RequestArns(c) => c.run(env, rule, out),
            Check::RequestMismatch(c) => c.run(env, rule, out),
            Check::Retention(c) => c.run(env, rule, out),
            Check::RequestCount(_) => {}
        }
    }

    pub fn run_across(&self, envs: &[Env], rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        if let Check::RequestCount(c) = self {
            c.run(envs, rule, out);
        }
    }
}
