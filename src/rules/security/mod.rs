//! Security rules: grants broader than they look.

pub mod admin_access;
pub mod allow_not_action;
pub mod allow_not_resource;
pub mod credentials_exposure;
pub mod passrole_wildcard_resource;
pub mod privilege_escalation;
pub mod service_linked_role_wildcard;
pub mod unscoped_resource;

use crate::engine::action::list_matches;
use crate::engine::split_arn;
use crate::rules::prelude::*;

/// Whether an `Allow` statement grants `action` (`service:Name`): by name, through a wildcard
/// or `*`, or through a `NotAction` that does not exclude it.
pub(crate) fn allows(statement: &Statement, action: &str) -> bool {
    statement.effect() == Some(Effect::Allow)
        && statement.actions().is_some_and(|(list, negated)| {
            list_matches(list.items.iter().map(|item| item.value), negated, action)
        })
}

/// Whether a condition block of the statement tests `key` (ignoring case).
pub(crate) fn has_condition_key(statement: &Statement, key: &str) -> bool {
    statement.condition.as_ref().is_some_and(|condition| {
        condition.blocks.iter().any(|block| {
            block
                .entries
                .iter()
                .any(|e| e.key.value.eq_ignore_ascii_case(key))
        })
    })
}

/// The statement's `Resource: "*"` entry, or its `NotResource` key: where a grant on every
/// resource is.
pub(crate) fn every_resource(statement: &Statement) -> Option<Span> {
    match statement.resources()? {
        (list, true) => Some(list.key_span),
        (list, false) => list.items.iter().find(|r| r.value == "*").map(|r| r.span),
    }
}

/// `*`, or an IAM ARN whose resource part is a literal start of `role/` followed only by `*`
/// (`role/*`, `*`): it matches every role, whatever its path and name. A path or name prefix
/// (`role/service-role/*`, `role/AmazonSageMaker*`) narrows the roles and is accepted.
fn every_role(value: &str) -> bool {
    if value == "*" {
        return true;
    }
    let Some(parts) = split_arn(value) else {
        return false;
    };
    if parts[2] != "iam" {
        return false;
    }
    let resource = parts[5];
    let head = &resource[..resource.find(['*', '?']).unwrap_or(resource.len())];
    let tail = &resource[head.len()..];
    "role/".starts_with(head) && !tail.is_empty() && tail.chars().all(|c| c == '*')
}
