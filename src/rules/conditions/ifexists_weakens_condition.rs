use crate::engine::BaseOperator;
use crate::policy::Effect;
use crate::rules::prelude::*;

use super::{for_each_test, requires_presence};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM312",
        name: "ifexists-weakens-condition",
        severity: Severity::Warning,
        summary: "`...IfExists` on a network, organization or transport key in an `Allow`: a request without the key passes",
        doc: r#"## What it does
Reports a positive `...IfExists` operator in an `Allow` statement on a key that is meant to
keep callers out: `aws:SourceIp`, `aws:VpcSourceIp`, `aws:SourceVpc`, `aws:SourceVpce`,
`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, `aws:SourceOrgPaths`,
`aws:SecureTransport` (`aws:MultiFactorAuthPresent` is `mfa-condition-antipattern`'s). Not
reported when the same condition requires the key (`"Null": {"key": "false"}`). The
`aws:Resource...` keys are left alone: some services do not send them, and `IfExists` is how
AWS's own policies let those through.

## Why is this bad?
`IfExists` makes the test true when the request does not have the key, and these keys are
missing exactly where the check matters: `aws:SourceVpce` outside a VPC endpoint,
`aws:SourceIp` for calls a service makes for you, `aws:SourceArn` when no service is involved.
The `Allow` then applies to the requests it was meant to keep out.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*",
  "Condition": {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}}
```

## Fix
Drop `IfExists` (`StringEquals`), or express the exception as a `Deny` with the negated
operator.
"#,
        pack: None,
    },
    check,
};

const SECURITY_KEYS: &[&str] = &[
    "aws:SourceIp",
    "aws:VpcSourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SecureTransport",
];

fn check(doc: &Document, out: &mut Findings) {
    for_each_test(doc, |test| {
        let Ok(op) = test.operator else { return };
        if !op.if_exists
            || op.negated
            || op.base == BaseOperator::Null
            || test.statement.effect() != Some(Effect::Allow)
        {
            return;
        }
        let key = test.entry.key;
        if !SECURITY_KEYS
            .iter()
            .any(|k| k.eq_ignore_ascii_case(key.value))
        {
            return;
        }
        if test
            .statement
            .condition
            .as_ref()
            .is_some_and(|c| requires_presence(c, key.value))
        {
            return;
        }
        let plain = crate::engine::Operator {
            if_exists: false,
            ..*op
        }
        .name();
        out.emit(
            out.at(
                key.span,
                format!(
                    "`{}` is also true when the request has no `{}`, so requests without it get this `Allow`",
                    test.block.operator.value, key.value
                ),
            )
            .help(format!("use `{plain}`, which is false when the key is absent"))
            .related(out.file(), test.block.operator.span, "the operator"),
        );
    });
}
