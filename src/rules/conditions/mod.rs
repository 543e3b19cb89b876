//! Condition rules: operators, keys, values and policy variables (IAM301–IAM309).

pub mod arn_key_with_string_operator;
pub mod condition_key_not_supported;
pub mod condition_value_type;
pub mod forallvalues_on_single_valued_key;
pub mod invalid_policy_variable;
pub mod unknown_condition_key;
pub mod unknown_condition_operator;
pub mod variable_without_version;
pub mod wildcard_in_sensitive_key;

use crate::catalog::{self, ConditionType, KeyInfo};
use crate::engine::{parse_operator, Operator, UnknownOperator, ValueType};
use crate::policy::{ConditionBlock, ConditionEntry, Statement, Text};
use crate::rules::Document;

/// One `"key": values` test with everything the condition rules look at.
pub(crate) struct Test<'s, 'a> {
    pub statement: &'s Statement<'a>,
    pub block: &'s ConditionBlock<'a>,
    pub operator: &'s Result<Operator, UnknownOperator>,
    pub entry: &'s ConditionEntry<'a>,
}

/// Calls `f` for every condition test of the document, parsing each operator once.
pub(crate) fn for_each_test<'a>(doc: &Document<'a>, mut f: impl FnMut(Test<'_, 'a>)) {
    for statement in doc.statements() {
        let Some(condition) = &statement.condition else {
            continue;
        };
        for block in &condition.blocks {
            let operator = parse_operator(block.operator.value);
            for entry in &block.entries {
                f(Test {
                    statement,
                    block,
                    operator: &operator,
                    entry,
                });
            }
        }
    }
}

/// The key's type when it is safe to hold operators to it: unknown keys and global keys whose
/// type the reference did not verify have none.
pub(crate) fn verified_type(key: KeyInfo) -> Option<ConditionType> {
    match key {
        KeyInfo::Global(global) if !global.is_type_verified() => None,
        other => Some(other.condition_type()),
    }
}

/// Whether operators comparing `value` suit a key of type `key`. `aws:EpochTime` takes both
/// dates and numbers.
pub(crate) fn operator_fits(value: ValueType, key: KeyInfo) -> bool {
    let wanted = match value {
        ValueType::String => ConditionType::String,
        ValueType::Numeric => ConditionType::Numeric,
        ValueType::Date => ConditionType::Date,
        ValueType::Bool => ConditionType::Bool,
        ValueType::Binary => ConditionType::Binary,
        ValueType::Ip => ConditionType::IpAddress,
        ValueType::Arn => ConditionType::Arn,
        ValueType::Null => return true,
    };
    let fits = match key {
        KeyInfo::Global(global) => global.accepts(wanted),
        KeyInfo::Service(_) => key.condition_type() == wanted,
    };
    // Operators that compare the same text are not a type error, whatever the key's declared
    // type: String operators on ARNs (IAM305 advises `ArnLike`), on `true`/`false`, and ARN
    // operators on String keys that hold ARNs (`kms:EncryptionContext:aws:s3:arn`). AWS's
    // own managed policies rely on all three.
    fits || matches!(
        (wanted, key.condition_type()),
        (
            ConditionType::String,
            ConditionType::Arn | ConditionType::Bool
        ) | (ConditionType::Arn, ConditionType::String)
    )
}

/// The operators to suggest for a key of this type.
pub(crate) fn operators_for(ty: ConditionType) -> &'static str {
    match ty {
        ConditionType::String => "`StringEquals`, `StringLike` and the other String operators",
        ConditionType::Arn => "`ArnEquals`, `ArnLike` and their negations",
        ConditionType::Numeric => {
            "`NumericEquals`, `NumericLessThan` and the other Numeric operators"
        }
        ConditionType::Date => "`DateEquals`, `DateLessThan` and the other Date operators",
        ConditionType::Bool => "`Bool`",
        ConditionType::IpAddress => "`IpAddress` or `NotIpAddress`",
        ConditionType::Binary => "`BinaryEquals`",
    }
}

/// The catalog's reading of a condition key of `doc`. Five rules read every key: the whole
/// document is resolved once, on the first call, and each key found again by its position.
pub(crate) fn key_info(doc: &Document, key: &Text) -> Option<KeyInfo> {
    let resolved = doc.resolved.condition_keys.get_or_init(|| {
        let mut keys = Vec::new();
        for_each_test(doc, |test| {
            let key = test.entry.key;
            keys.push((key.span.start, catalog::condition_key(key.value)));
        });
        keys
    });
    match resolved.binary_search_by_key(&key.span.start, |&(at, _)| at) {
        Ok(i) => resolved[i].1,
        Err(_) => catalog::condition_key(key.value),
    }
}

/// Where a string with `${...}` sits, which decides whether IAM substitutes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Action,
    Principal,
    Resource,
    /// A condition value under an operator that substitutes variables (String, ARN) or not.
    Value {
        substitutes: bool,
    },
    /// A condition value under an operator IAM does not know.
    UnknownOperatorValue,
}

/// Calls `f` for every string of the document that contains `${`, with where it sits. The
/// `Text` is the string as written; its span includes the quotes when it was a JSON string.
pub(crate) fn for_each_variable_site<'a>(
    doc: &Document<'a>,
    mut f: impl FnMut(Place, &'a str, crate::source::Span),
) {
    use crate::engine::vars::has_variable;
    for statement in doc.statements() {
        let lists = [
            (statement.action.as_ref(), Place::Action),
            (statement.not_action.as_ref(), Place::Action),
            (statement.resource.as_ref(), Place::Resource),
            (statement.not_resource.as_ref(), Place::Resource),
        ];
        for (list, place) in lists {
            for item in list.into_iter().flat_map(|l| &l.items) {
                if has_variable(item.value) {
                    f(place, item.value, item.span);
                }
            }
        }
        for principal in [&statement.principal, &statement.not_principal]
            .into_iter()
            .flatten()
        {
            for value in principal.entries.iter().flat_map(|e| &e.values) {
                if has_variable(value.value) {
                    f(Place::Principal, value.value, value.span);
                }
            }
        }
        let Some(condition) = &statement.condition else {
            continue;
        };
        for block in &condition.blocks {
            let place = match parse_operator(block.operator.value) {
                Ok(op) => Place::Value {
                    substitutes: op.takes_variables(),
                },
                Err(_) => Place::UnknownOperatorValue,
            };
            for value in block.entries.iter().flat_map(|e| &e.values) {
                if has_variable(value.text) {
                    f(place, value.text, value.span);
                }
            }
        }
    }
}

/// The span of `text[start..end]` inside a string written at `span` (quotes included), or the
/// whole span when the string has escapes (its bytes then differ from the text).
pub(crate) fn inner_span(
    span: crate::source::Span,
    text: &str,
    start: usize,
    end: usize,
) -> crate::source::Span {
    let quoted = span.len() as usize == text.len() + 2;
    if quoted {
        crate::source::Span::new(span.start + 1 + start as u32, span.start + 1 + end as u32)
    } else if span.len() as usize == text.len() {
        crate::source::Span::new(span.start + start as u32, span.start + end as u32)
    } else {
        span
    }
}
