//! Principal rules: malformed principals, public access and confused deputies (IAM501–IAM503).

pub mod invalid_principal;
pub mod public_principal;
pub mod service_principal_without_source;

use crate::engine::{parse_operator, BaseOperator};
use crate::policy::Condition;

/// Whether the condition has a test on one of `keys` that actually narrows who gets in: a
/// positive operator (not negated, not `IfExists`, not `ForAllValues:`, not `Null`) with no
/// bare `*` value. A negated test (`StringNotEquals aws:PrincipalOrgID`) still lets in
/// everyone else.
pub(crate) fn restricts(condition: Option<&Condition>, keys: &[&str]) -> bool {
    let Some(condition) = condition else {
        return false;
    };
    condition.blocks.iter().any(|block| {
        let Ok(op) = parse_operator(block.operator.value) else {
            return false;
        };
        if op.negated
            || op.if_exists
            || op.base == BaseOperator::Null
            || op.set == Some(crate::engine::SetQualifier::ForAllValues)
        {
            return false;
        }
        block.entries.iter().any(|entry| {
            keys.iter().any(|k| k.eq_ignore_ascii_case(entry.key.value))
                && !entry.values.iter().any(|v| v.text == "*")
        })
    })
}
