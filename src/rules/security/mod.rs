//! Security rules: grants broader than they look.

pub mod admin_access;
pub mod allow_not_action;
pub mod allow_not_resource;
pub mod passrole_wildcard_resource;
