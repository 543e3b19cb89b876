use crate::engine::{BaseOperator, SetQualifier};
use crate::rules::prelude::*;

use super::{for_each_test, key_info};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM031",
        name: "multivalued-key-without-set-operator",
        severity: Severity::Error,
        summary: "A multivalued key such as `aws:TagKeys` tested without `ForAnyValue:` or `ForAllValues:`",
        doc: r#"## What it does
Reports a test on a key that can hold several values in one request — `aws:TagKeys`,
`aws:CalledVia`, `aws:PrincipalServiceNamesList` and every key the Service Authorization
Reference types `ArrayOf...` — with an operator that has no set qualifier (Access Analyzer's
`MISSING_QUALIFIER`, an error there). `Null` needs none. `events:detail-type` is not reported:
EventBridge's own guide and AWS's managed policies test it with plain `StringEquals`.

## Why is this bad?
Without a qualifier, IAM does not say how a list of request values compares with the policy's
values; Access Analyzer rejects the policy. Whether one matching value is enough or all must
match is exactly what the reader needs to know.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
  "Condition": {"StringEquals": {"aws:TagKeys": ["team", "cost-center"]}}}}
```

## Fix
`ForAllValues:StringEquals` (every request value must be listed; add a `Null` check, see
`forallvalues-allows-empty`) or `ForAnyValue:StringEquals` (at least one must be).
"#,
        pack: None,
    },
    check,
};

/// Multivalued keys that AWS's own guides and managed policies test without a qualifier:
/// EventBridge's guide limits `PutRule` to one detail type with `StringEquals`
/// (`AWSAuditManagerAdministratorAccess`, `CloudTrailEventContext` do the same).
const UNQUALIFIED_BY_DESIGN: &[&str] = &["events:detail-type"];

fn check(doc: &Document, out: &mut Findings) {
    for_each_test(doc, |test| {
        let Ok(op) = test.operator else { return };
        if op.set.is_some() || op.base == BaseOperator::Null {
            return;
        }
        let key = test.entry.key;
        if !key_info(doc, &key).is_some_and(|info| info.is_multi_valued())
            || UNQUALIFIED_BY_DESIGN
                .iter()
                .any(|k| k.eq_ignore_ascii_case(key.value))
        {
            return;
        }
        let name = |set| {
            crate::engine::Operator {
                set: Some(set),
                ..*op
            }
            .name()
        };
        out.emit(
            out.at(
                key.span,
                format!(
                    "`{}` can hold several values, so `{}` needs `ForAnyValue:` or `ForAllValues:`",
                    key.value, test.block.operator.value
                ),
            )
            .help(format!(
                "use `{}` if every value of the request must be listed, or `{}` if one is enough",
                name(SetQualifier::ForAllValues),
                name(SetQualifier::ForAnyValue)
            ))
            .related(out.file(), test.block.operator.span, "the operator"),
        );
    });
}
