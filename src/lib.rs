//! iamlint: a static validator for AWS IAM policies.
//!
//! The pipeline runs one way: `source` (bytes → syntax tree) → `policy` (typed model) →
//! `catalog` (AWS actions, resources, condition keys) → `engine` (IAM semantics) → `rules`
//! (diagnostics) → `report` (output formats) → `cli`.

pub mod catalog;
pub mod cli;
pub mod engine;
pub mod policy;
pub mod report;
pub mod rules;
pub mod source;
pub mod template;
