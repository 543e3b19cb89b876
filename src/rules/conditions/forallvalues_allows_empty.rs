use crate::rules::prelude::*;

use super::{for_each_test, key_info, passes_without_key};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM311",
        name: "forallvalues-allows-empty",
        severity: Severity::Warning,
        summary: "`ForAllValues:` in an `Allow` without a `Null` check: true when the request has no value",
        doc: r#"## What it does
Reports `ForAllValues:` on a multivalued (or unknown) key in an `Allow` statement that does not
also require the key (`"Null": {"key": "false"}`). Single-valued keys are
`forallvalues-on-single-valued-key`'s. Not reported where the request cannot lack the key:
`aws:TagKeys` beside a positive test on an `aws:RequestTag/...` key, or when every action of the
statement must carry tag keys (`ec2:CreateTags`, `TagResource`, `UntagResource`,
`AddTagsToResource`, ...; not `ec2:DeleteTags`, which without tags deletes them all), and keys
that are required parameters of every action (`kms:GrantOperations` with `kms:CreateGrant`).

## Why is this bad?
`ForAllValues:` is true when every value of the request is in the list — and so also when the
request has no value at all. `ForAllValues:StringEquals` on `aws:TagKeys` meant "only these
tags" also allows a request with no tags, and on `aws:CalledVia` a call made directly.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
  "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "cost-center"]}}}}
```

## Fix
Add `"Null": {"aws:TagKeys": "false"}` to the same condition, or use `ForAnyValue:` if one
matching value is enough.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for_each_test(doc, |test| {
        if passes_without_key(&test).is_none() {
            return;
        }
        let key = test.entry.key;
        if key_info(doc, &key).is_some_and(|info| !info.is_multi_valued()) {
            return;
        }
        let Some(condition) = &test.statement.condition else {
            return;
        };
        if implied_by_tags(condition, key.value) || always_carried(test.statement, key.value) {
            return;
        }
        out.emit(
            out.at(
                key.span,
                format!(
                    "`{}` is also true when the request has no `{}` at all",
                    test.block.operator.value, key.value
                ),
            )
            .help(format!(
                "add `\"Null\": {{\"{}\": \"false\"}}` to require a value",
                key.value
            ))
            .related(out.file(), test.block.operator.span, "the operator"),
        );
    });
}

/// `aws:TagKeys` beside a positive test on a tag of the request: a request with that tag has
/// tag keys.
fn implied_by_tags(condition: &crate::policy::Condition, key: &str) -> bool {
    key.eq_ignore_ascii_case("aws:TagKeys")
        && condition.blocks.iter().any(|block| {
            crate::engine::parse_operator(block.operator.value)
                .is_ok_and(|op| super::absent_is_false(&op))
                && block.entries.iter().any(|e| {
                    let prefix = "aws:RequestTag/";
                    e.key.value.len() > prefix.len()
                        && e.key
                            .value
                            .get(..prefix.len())
                            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
                })
        })
}

/// Keys that are required parameters of the listed actions, so every request has a value.
const REQUIRED: &[(&str, &[&str])] = &[
    ("kms:GrantOperations", &["kms:CreateGrant"]),
    (
        "route53:ChangeResourceRecordSetsNormalizedRecordNames",
        &["route53:ChangeResourceRecordSets"],
    ),
    (
        "route53:ChangeResourceRecordSetsRecordTypes",
        &["route53:ChangeResourceRecordSets"],
    ),
    (
        "route53:ChangeResourceRecordSetsActions",
        &["route53:ChangeResourceRecordSets"],
    ),
];

/// Whether every action of the statement, named exactly, must carry the key.
fn always_carried(statement: &Statement, key: &str) -> bool {
    let Some(list) = &statement.action else {
        return false;
    };
    let carries = |action: &str| {
        if key.eq_ignore_ascii_case("aws:TagKeys") {
            let name = action.split_once(':').map_or("", |(_, n)| n);
            ["Tag", "Untag", "CreateTags", "AddTags", "RemoveTags"]
                .iter()
                .any(|p| name.starts_with(p))
        } else {
            REQUIRED.iter().any(|(k, actions)| {
                k.eq_ignore_ascii_case(key)
                    && actions.iter().any(|a| a.eq_ignore_ascii_case(action))
            })
        }
    };
    !list.items.is_empty() && list.items.iter().all(|a| carries(a.value))
}
