//! Rules of the grammar only some kinds have: service and resource control policies.

pub mod misplaced_action_wildcard;
pub mod rcp_principal_not_wildcard;
pub mod rcp_unsupported_service;
pub mod restricted_rcp_allow;
