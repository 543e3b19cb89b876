//! Grammar and shape rules: what AWS would reject before looking at any action or ARN.

pub mod conflicting_elements;
pub mod duplicate_key;
pub mod duplicate_sid;
pub mod empty_value;
pub mod file_too_large;
pub mod forbidden_element;
pub mod invalid_condition_block;
pub mod invalid_effect;
pub mod invalid_hcl;
pub mod invalid_json;
pub mod invalid_sid;
pub mod invalid_version;
pub mod invalid_yaml;
pub mod missing_action;
pub mod missing_effect;
pub mod missing_principal;
pub mod missing_resource;
pub mod missing_statement;
pub mod missing_version;
pub mod not_a_policy;
pub mod outdated_version;
pub mod placeholder_value;
pub mod policy_too_large;
pub mod reference_cycle;
pub mod unknown_element;
pub mod wrong_type;
