use crate::engine::{parse_operator, BaseOperator};
use crate::policy::Effect;
use crate::rules::prelude::*;

use super::for_each_test;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM310",
        name: "mfa-condition-antipattern",
        severity: Severity::Security,
        summary:
            "A test on `aws:MultiFactorAuthPresent` that does not require MFA the way it reads",
        doc: r#"## What it does
Reports the uses of `aws:MultiFactorAuthPresent` the IAM User Guide warns about:

- `Bool` ... `false` or `BoolIfExists` ... `false` in an `Allow`: it grants exactly the
  requests made without MFA;
- `BoolIfExists` ... `true` in an `Allow`: also true for requests signed with long-term
  access keys, which never carry the key;
- `Bool` ... `false` in a `Deny`: requests signed with long-term access keys carry no key, so
  the `Deny` does not apply to them (use `BoolIfExists`);
- `Null` on the key without a `Bool` test beside it: the key is present whenever temporary
  credentials are used, with or without MFA, so `Null` tells nothing about MFA.

## Why is this bad?
The key is only in the request context of temporary credentials (`true` when MFA was used).
Long-term access keys of users have no key at all, so a test that reads "MFA required" lets
them in, or a `Deny` meant for requests without MFA lets them through.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "iam:*", "Resource": "*",
  "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}}
```

## Fix
To deny without MFA: `Deny` with `"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}`. To
allow only with MFA: `Allow` with `"Bool": {"aws:MultiFactorAuthPresent": "true"}`.
"#,
        pack: None,
    },
    check,
};

const KEY: &str = "aws:MultiFactorAuthPresent";

fn check(doc: &Document, out: &mut Findings) {
    for_each_test(doc, |test| {
        let Ok(op) = test.operator else { return };
        let key = test.entry.key;
        if !key.value.eq_ignore_ascii_case(KEY) || op.set.is_some() {
            return;
        }
        let Some(effect) = test.statement.effect() else {
            return;
        };
        let value = |v: &str| {
            test.entry
                .values
                .iter()
                .any(|x| x.text.eq_ignore_ascii_case(v))
        };
        let problem = match (op.base, op.if_exists, effect) {
            (BaseOperator::Bool, _, Effect::Allow) if value("false") => Some((
                "this `Allow` grants exactly the requests made without MFA",
                "to allow only with MFA, use `\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}`",
            )),
            (BaseOperator::Bool, true, Effect::Allow) if value("true") => Some((
                "also true for requests signed with long-term access keys, which carry no MFA",
                "use `\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}`, which is false without MFA",
            )),
            (BaseOperator::Bool, false, Effect::Deny) if value("false") => Some((
                "requests signed with long-term access keys have no `aws:MultiFactorAuthPresent`, so this `Deny` does not apply to them",
                "use `\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}`, which also denies requests without the key",
            )),
            (BaseOperator::Null, _, _) if !has_bool_test(test.statement) => Some((
                "it only tells whether temporary credentials were used, not whether MFA was",
                "test MFA with `Bool` (`Allow`, `true`) or `BoolIfExists` (`Deny`, `false`)",
            )),
            _ => None,
        };
        if let Some((why, help)) = problem {
            out.emit(
                out.at(
                    key.span,
                    format!("`{}` on `{}`: {why}", test.block.operator.value, key.value),
                )
                .help(help)
                .related(out.file(), test.block.operator.span, "the operator"),
            );
        }
    });
}

fn has_bool_test(statement: &Statement) -> bool {
    statement
        .condition
        .iter()
        .flat_map(|c| &c.blocks)
        .any(|block| {
            parse_operator(block.operator.value).is_ok_and(|op| op.base == BaseOperator::Bool)
                && block
                    .entries
                    .iter()
                    .any(|e| e.key.value.eq_ignore_ascii_case(KEY))
        })
}
