//! Stage 2: syntax tree → typed IAM model, with shape problems recorded for the structural rules.

mod build;
pub mod discover;
pub mod glob;
mod kind;
pub mod model;
pub mod placeholder;

pub use build::{build, Parent, Problem};
pub use kind::{infer_kind, infer_kind_given};
pub use model::*;
