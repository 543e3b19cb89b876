//! Every built-in rule, in code order. `rules`, `explain`, SARIF's rule list and the checker all
//! read this one list.

use super::actions as a;
use super::conditions as c;
use super::kinds as k;
use super::principals as p;
use super::resources as r;
use super::security as x;
use super::structural as s;
use super::Rule;

pub static BUILTIN: &[&Rule] = &[
    &s::invalid_json::RULE,
    &s::invalid_yaml::RULE,
    &s::invalid_hcl::RULE,
    &s::reference_cycle::RULE,
    &s::duplicate_key::RULE,
    &s::not_a_policy::RULE,
    &s::unknown_element::RULE,
    &s::wrong_type::RULE,
    &s::empty_value::RULE,
    &s::missing_version::RULE,
    &s::invalid_version::RULE,
    &s::missing_statement::RULE,
    &s::missing_effect::RULE,
    &s::invalid_effect::RULE,
    &s::invalid_sid::RULE,
    &s::duplicate_sid::RULE,
    &s::missing_action::RULE,
    &s::conflicting_elements::RULE,
    &s::missing_resource::RULE,
    &s::missing_principal::RULE,
    &s::forbidden_element::RULE,
    &s::invalid_condition_block::RULE,
    &s::policy_too_large::RULE,
    &s::file_too_large::RULE,
    &k::misplaced_action_wildcard::RULE,
    &k::rcp_principal_not_wildcard::RULE,
    &k::restricted_rcp_allow::RULE,
    &k::rcp_unsupported_service::RULE,
    &s::placeholder_value::RULE,
    &p::roles_anywhere_trust_missing_actions::RULE,
    &c::multivalued_key_without_set_operator::RULE,
    &s::outdated_version::RULE,
    &a::unknown_service::RULE,
    &a::unknown_action::RULE,
    &a::invalid_action_format::RULE,
    &a::action_matches_nothing::RULE,
    &a::redundant_action::RULE,
    &a::retired_service::RULE,
    &r::invalid_arn::RULE,
    &r::resource_type_mismatch::RULE,
    &r::action_needs_wildcard_resource::RULE,
    &r::redundant_resource::RULE,
    &r::redundant_statement::RULE,
    &c::unknown_condition_operator::RULE,
    &c::unknown_condition_key::RULE,
    &c::condition_key_not_supported::RULE,
    &c::condition_value_type::RULE,
    &c::arn_key_with_string_operator::RULE,
    &c::forallvalues_on_single_valued_key::RULE,
    &c::wildcard_in_sensitive_key::RULE,
    &c::invalid_policy_variable::RULE,
    &c::variable_without_version::RULE,
    &c::mfa_condition_antipattern::RULE,
    &c::forallvalues_allows_empty::RULE,
    &c::ifexists_weakens_condition::RULE,
    &c::private_ip_in_source_ip::RULE,
    &c::improvable_ip_range::RULE,
    &c::wildcard_without_like_operator::RULE,
    &c::deny_never_applies::RULE,
    &c::missing_paired_condition_keys::RULE,
    &c::negated_prefix_condition::RULE,
    &c::dynamodb_attributes_without_select::RULE,
    &x::admin_access::RULE,
    &x::passrole_wildcard_resource::RULE,
    &x::allow_not_action::RULE,
    &x::allow_not_resource::RULE,
    &x::privilege_escalation::RULE,
    &x::credentials_exposure::RULE,
    &x::unscoped_resource::RULE,
    &x::service_linked_role_wildcard::RULE,
    &p::invalid_principal::RULE,
    &p::public_principal::RULE,
    &p::service_principal_without_source::RULE,
    &p::oidc_trust_without_subject::RULE,
    &p::github_trust_too_broad::RULE,
    &p::oidc_trust_without_audience::RULE,
    &p::principal_action_mismatch::RULE,
    &p::allow_with_not_principal::RULE,
    &p::redundant_principal::RULE,
];

/// A built-in rule by code or name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    BUILTIN
        .iter()
        .copied()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code_or_name) || r.meta.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::BUILTIN;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        for (i, rule) in BUILTIN.iter().enumerate() {
            let meta = &rule.meta;
            assert!(
                meta.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                meta.name
            );
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Fix",
            ] {
                assert!(meta.doc.contains(section), "{} lacks {section}", meta.name);
            }
            for other in &BUILTIN[..i] {
                assert_ne!(other.meta.code, meta.code);
                assert_ne!(other.meta.name, meta.name);
            }
        }
    }
}
