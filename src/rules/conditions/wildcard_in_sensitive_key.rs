use crate::catalog::{self, KeyInfo};
use crate::engine::{vars, BaseOperator};
use crate::rules::prelude::*;

use super::{for_each_test, key_info};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM307",
        name: "wildcard-in-sensitive-key",
        severity: Severity::Error,
        summary:
            "A wildcard or policy variable in the value of an account, organization or VPC key",
        doc: r#"## What it does
Reports `*`, `?` or a policy variable in the value of a key that identifies an account, an
organization or a network: `aws:SourceAccount`, `aws:PrincipalAccount`,
`aws:ResourceAccount`, `aws:SourceOrgID`, `aws:PrincipalOrgID`, `aws:ResourceOrgID`,
`aws:SourceVpc`, `aws:SourceVpce`, `aws:VpceAccount` and `aws:VpceOrgID`. A variable that
is itself one of these keys (`"aws:ResourceAccount": "${aws:PrincipalAccount}"`) names an
exact value the caller cannot choose and is allowed.

## Why is this bad?
These keys are the boundary of a data perimeter or a confused-deputy guard. A wildcard
(`"aws:SourceAccount": "*"`, `"aws:PrincipalOrgID": "o-*"`) or a variable the caller can
influence widens the boundary to accounts or networks that are not yours. IAM Access Analyzer
rejects them.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
  "Action": "sqs:SendMessage", "Resource": "*",
  "Condition": {"StringLike": {"aws:SourceAccount": "1111222*"}}}}
```

## Fix
List the exact account IDs, organization IDs or VPC IDs.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for_each_test(doc, |test| {
        let key = test.entry.key;
        if !matches!(key_info(doc, &key), Some(KeyInfo::Global(k)) if k.is_sensitive()) {
            return;
        }
        if test
            .operator
            .as_ref()
            .is_ok_and(|op| op.base == BaseOperator::Null)
        {
            return;
        }
        for value in &test.entry.values {
            let what = if vars::variables(value.text).any(|v| !names_exact_value(&v)) {
                "a policy variable"
            } else if value.text.contains(['*', '?']) {
                "a wildcard"
            } else {
                continue;
            };
            out.emit(
                out.at(
                    value.span,
                    format!(
                        "`{}` puts {what} in `{}`, which must name exact values",
                        value.text, key.value
                    ),
                )
                .help(format!(
                    "list the exact values of `{}` (account IDs, organization IDs or VPC IDs)",
                    key.value
                )),
            );
        }
    });
}

/// `${aws:PrincipalAccount}` in `aws:ResourceAccount` (the "same account" data-perimeter
/// test AWS's own policies use) is an exact value: the variable is itself a sensitive key,
/// which the caller cannot choose. Any other variable (`${aws:PrincipalTag/account}`) or a
/// malformed one is not.
fn names_exact_value(variable: &vars::Variable) -> bool {
    variable.problem.is_none()
        && catalog::global_condition_key(variable.key()).is_some_and(|k| k.is_sensitive())
}
