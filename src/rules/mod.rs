//! Stage 5: rules. One file per rule, each with its doc; a rule reads a [`Document`] and emits
//! diagnostics. [`check_document`] runs the whole per-file pipeline.

pub mod actions;
mod check;
pub mod conditions;
mod diagnostic;
mod document;
pub mod kinds;
mod meta;
pub mod pack;
pub mod principals;
pub mod registry;
pub mod resources;
pub mod security;
mod selection;
pub mod structural;

pub use check::{
    check, check_document, check_module_file, check_oversized, check_terraform, check_with,
    kind_at, CheckOptions, Checked, Discovery, DocumentInfo, ModuleFile, ModuleIndex, Stacks,
};
pub use diagnostic::{Diagnostic, Edit, Fix, Related, Severity};
pub use document::{Document, Findings, TooLarge};
pub use meta::{Rule, RuleMeta};
pub use selection::{RuleSelection, SelectionError};

/// What a rule file needs, in one `use`.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub use super::{Document, Findings, Rule, RuleMeta, Severity};
    pub use crate::policy::{Effect, Kind, Problem, Statement, Text};
    pub use crate::source::Span;
}
