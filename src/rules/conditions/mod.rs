//! Condition rules: operators, keys, values and policy variables (IAM301–IAM319, IAM031).

pub mod arn_key_with_string_operator;
pub mod condition_key_not_supported;
pub mod condition_value_type;
pub mod deny_never_applies;
pub mod dynamodb_attributes_without_select;
pub mod forallvalues_allows_empty;
pub mod forallvalues_on_single_valued_key;
pub mod ifexists_weakens_condition;
pub mod improvable_ip_range;
pub mod invalid_policy_variable;
pub mod mfa_condition_antipattern;
pub mod missing_paired_condition_keys;
pub mod multivalued_key_without_set_operator;
pub mod negated_prefix_condition;
pub mod private_ip_in_source_ip;
pub mod unknown_condition_key;
pub mod unknown_condition_operator;
pub mod variable_without_version;
pub mod wildcard_in_sensitive_key;
pub mod wildcard_without_like_operator;

use crate::catalog::{self, ConditionType, KeyInfo};
use crate::engine::BaseOperator;
use crate::engine::{parse_operator, Operator, UnknownOperator, ValueType};
use crate::policy::{Condition, ConditionBlock, ConditionEntry, Statement, Text};
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

/// Whether the condition also has `"Null": {key: "false"}`: the key must be present, which
/// closes the hole an absent key opens in `ForAllValues:` and `...IfExists` tests.
pub(crate) fn requires_presence(condition: &Condition, key: &str) -> bool {
    condition.blocks.iter().any(|block| {
        parse_operator(block.operator.value)
            .is_ok_and(|op| op.base == BaseOperator::Null && op.set.is_none() && !op.if_exists)
            && block.entries.iter().any(|e| {
                e.key.value.eq_ignore_ascii_case(key)
                    && e.values.len() == 1
                    && e.values[0].text.eq_ignore_ascii_case("false")
            })
    })
}

/// The operator of a `ForAllValues:` test (other than `Null`) in an `Allow` statement whose
/// condition does not also require the key: a request without the key passes such a test.
pub(crate) fn passes_without_key<'t>(test: &Test<'t, '_>) -> Option<&'t Operator> {
    let op = test.operator.as_ref().ok()?;
    let qualified = op.set == Some(crate::engine::SetQualifier::ForAllValues)
        && op.base != BaseOperator::Null
        && test.statement.effect() == Some(crate::policy::Effect::Allow);
    let condition = test.statement.condition.as_ref()?;
    (qualified && !requires_presence(condition, test.entry.key.value)).then_some(op)
}

/// The entries under a positive operator (not negated, not `Null`).
pub(crate) fn positive_entries<'c, 'a>(
    condition: &'c Condition<'a>,
) -> impl Iterator<Item = &'c ConditionEntry<'a>> + 'c {
    condition
        .blocks
        .iter()
        .filter(|b| {
            parse_operator(b.operator.value)
                .is_ok_and(|op| !op.negated && op.base != BaseOperator::Null)
        })
        .flat_map(|b| &b.entries)
}

/// Whether a test is false when the request lacks the key: a positive operator without
/// `IfExists` or `ForAllValues:` (which are true then), other than `Null`.
pub(crate) fn absent_is_false(op: &Operator) -> bool {
    !op.negated
        && !op.if_exists
        && op.base != BaseOperator::Null
        && op.set != Some(crate::engine::SetQualifier::ForAllValues)
}

/// The actions of a statement's `Action`; `None` when it cannot be judged: a `NotAction`,
/// `"*"`, or an entry the catalog does not know.
pub(crate) struct StatementActions<'s, 'a> {
    pub list: &'s crate::policy::List<'a>,
    entries: Vec<(Text<'a>, Entry<'a>)>,
}

enum Entry<'a> {
    Exact(catalog::Action),
    Pattern {
        service: catalog::Service,
        pattern: &'a str,
    },
}

pub(crate) fn statement_actions<'s, 'a>(
    doc: &Document<'a>,
    statement: &'s Statement<'a>,
) -> Option<StatementActions<'s, 'a>> {
    use crate::rules::actions::{resolution, Resolution};
    let list = statement.action.as_ref()?;
    if statement.not_action.is_some() || list.items.is_empty() {
        return None;
    }
    let mut entries = Vec::with_capacity(list.items.len());
    for item in &list.items {
        let entry = match resolution(doc, item) {
            Resolution::Action(action) => Entry::Exact(action),
            Resolution::Pattern { service, pattern } => Entry::Pattern { service, pattern },
            _ => return None,
        };
        entries.push((*item, entry));
    }
    Some(StatementActions { list, entries })
}

/// Whether some action a wildcard entry matches supports a key, by (entry, key) as written:
/// a policy repeats the same `ec2:*` in statement after statement, and expanding it for each
/// would cost the service's whole action list every time.
#[derive(Default)]
pub(crate) struct SupportCache<'a> {
    patterns: std::collections::HashMap<(&'a str, &'a str), bool>,
}

/// How a statement's actions support a condition key.
pub(crate) enum Support<'a> {
    All,
    /// Some support it; these entries, named exactly, do not.
    Partly(Vec<Text<'a>>),
    /// No action supports it: the key is never in the request.
    None,
    /// Global and unknown keys, and keys set on every call of a service's credentials.
    Unjudged,
}

pub(crate) fn key_support<'a>(
    key: Text<'a>,
    info: Option<KeyInfo>,
    actions: &StatementActions<'_, 'a>,
    cache: &mut SupportCache<'a>,
) -> Support<'a> {
    // Unknown keys are IAM302's. Global keys apply to every action; the tag keys among them
    // too broadly (and with too much lag in the data) to judge per action.
    let Some(KeyInfo::Service(resolved)) = info else {
        return Support::Unjudged;
    };
    if is_credential_context(key.value) {
        return Support::Unjudged;
    }
    // By the name as written and by the key it resolved to: some templates of the data have
    // placeholders the matcher does not read (`secretsmanager:ResourceTag/tag-key`).
    let supports = |a: catalog::Action| {
        a.supports_condition_key(key.value)
            || a.supports_condition_key(resolved.name())
            || a.condition_keys()
                .any(|k| is_tag_template_of(k.name(), key.value))
            || lags(&a, key.value)
    };
    let mut unsupported = Vec::new();
    let mut any = false;
    for (item, entry) in &actions.entries {
        match entry {
            Entry::Exact(action) => {
                if supports(*action) {
                    any = true;
                } else {
                    unsupported.push(*item);
                }
            }
            Entry::Pattern { service, pattern } => {
                any |= *cache
                    .patterns
                    .entry((item.value, key.value))
                    .or_insert_with(|| service.matching_actions(pattern).any(supports));
            }
        }
    }
    if !any {
        Support::None
    } else if unsupported.is_empty() {
        Support::All
    } else {
        Support::Partly(unsupported)
    }
}

/// Keys a service sets on every request made with the credentials it hands out (an instance
/// profile, a function's role, a Glue job's role), whatever the action.
fn is_credential_context(key: &str) -> bool {
    [
        "ec2:SourceInstanceARN",
        "ssm:SourceInstanceARN",
        "lambda:SourceFunctionArn",
        "glue:RoleAssumedBy",
        "glue:CredentialIssuingService",
        "codebuild:BuildArn",
        "codebuild:ProjectArn",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(key))
}

/// Tag keys the data writes with a plain-text placeholder (`secretsmanager:ResourceTag/tag-key`)
/// that the catalog's template matcher does not read as one.
fn is_tag_template_of(template: &str, key: &str) -> bool {
    template.strip_suffix("/tag-key").is_some_and(|head| {
        key.get(..head.len() + 1).is_some_and(|start| {
            start.len() < key.len()
                && start[..head.len()].eq_ignore_ascii_case(head)
                && start.ends_with('/')
        })
    })
}

/// Keys the Service Authorization Reference does not list for actions that AWS's own managed
/// policies scope with them: the services support them, the reference lags. Checked against
/// the 1,594 managed policies (`tests/corpus.rs`); `*` stands for every action of the service.
const REFERENCE_LAG: &[(&str, &[&str], &str)] = &[
    (
        "aws-marketplace:ProductId",
        &["Subscribe", "Unsubscribe"],
        "AnthropicFullAccess, ROSAManageSubscription, AmazonTimestreamConsoleFullAccess",
    ),
    (
        "iottwinmaker:linkedServices",
        &["*"],
        "AWSIoTTwinMakerServiceRolePolicy, AWSServiceRoleForIoTSiteWise",
    ),
    (
        "a4b:amazonId",
        &["RegisterAVSDevice"],
        "AlexaForBusinessLifesizeDelegatedAccessPolicy, AlexaForBusinessPolyDelegatedAccessPolicy",
    ),
    (
        "a4b:filters_deviceType",
        &["SearchDevices"],
        "AlexaForBusinessLifesizeDelegatedAccessPolicy",
    ),
];

fn lags(action: &catalog::Action, key: &str) -> bool {
    REFERENCE_LAG.iter().any(|(k, actions, _)| {
        k.eq_ignore_ascii_case(key)
            && key
                .split_once(':')
                .is_some_and(|(prefix, _)| action.service().prefix().eq_ignore_ascii_case(prefix))
            && actions
                .iter()
                .any(|a| *a == "*" || a.eq_ignore_ascii_case(action.name()))
    })
}
