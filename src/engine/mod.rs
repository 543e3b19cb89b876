//! Stage 4: IAM semantics as pure functions over the model — matching, [`decide`] (one request)
//! and [`cover`] (every request of a pattern). No I/O, no diagnostics. Whenever a grant cannot be
//! proven the answer is "not proven", with the reason; never "yes".

pub mod action;
pub mod arn;
pub mod condition;
pub mod context;
mod cover;
mod decide;
mod layers;
mod nfa;
pub mod operator;
pub mod principal;
mod statement;
mod tri;
pub mod vars;

pub use action::{action_matches, ActionPattern, BadAction};
pub use arn::{split_arn, template_to_glob, ArnPattern, Unprovable};
pub use context::{Context, ContextValue, Lookup};
pub use cover::{cover, cover_layers, Cover, Gap, GapReason, Requirement, ResourceSet};
pub use decide::{decide, decide_layers, Decision, LayerVerdict, Near, Outcome, Request};
pub use layers::{Layer, Layers, ResourceSide};
pub use nfa::intersects;
pub use operator::{
    parse_operator, BaseOperator, Operator, SetQualifier, UnknownOperator, ValueType,
};
pub use principal::{Caller, PrincipalMatch};
pub use statement::{Element, Mismatch, PolicyInput, StatementRef};
pub use tri::Tri;
