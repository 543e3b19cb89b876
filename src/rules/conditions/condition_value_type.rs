use crate::catalog::KeyInfo;
use crate::engine::condition::{cidr, date, number};
use crate::engine::{split_arn, vars, ValueType};
use crate::policy::ConditionValue;
use crate::rules::prelude::*;

use super::{for_each_test, key_info, operator_fits, operators_for, verified_type};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM304",
        name: "condition-value-type",
        severity: Severity::Error,
        summary: "A condition value or key whose type does not fit the operator",
        doc: r#"## What it does
Reports a condition value the operator cannot read — a non-number for `Numeric*`, a non-date
for `Date*` (ISO 8601 or epoch seconds), anything but `true`/`false` for `Bool` and `Null`, a
non-CIDR for `IpAddress`, a non-ARN for `Arn*` — and an operator whose family does not fit
the key's type, such as `DateGreaterThan` on `aws:SourceIp` or `Bool` on a String key.

## Why is this bad?
IAM rejects values it cannot parse. An operator of the wrong family compares values of the
wrong kind: the test never matches the way it reads, so an `Allow` never applies or a `Deny`
never denies.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
  "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "one hour"}}}}
```

## Fix
Write the value in the operator's format (`3600`, `2026-01-31T00:00:00Z`, `10.0.0.0/8`), or use
the operator family of the key's type: the help names it.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for_each_test(doc, |test| {
        let Ok(op) = test.operator else { return };
        let key = test.entry.key;
        let value_type = op.value_type();
        if let Some(info) = key_info(doc, &key) {
            if verified_type(info).is_some() && !operator_fits(value_type, info) {
                out.emit(mismatch(test.block.operator, key, info, out));
                return;
            }
        }
        for value in &test.entry.values {
            if let Some(expected) = unreadable(value_type, value) {
                out.emit(
                    out.at(
                        value.span,
                        format!(
                            "`{}` is not {expected}, as `{}` needs",
                            value.text, test.block.operator.value
                        ),
                    )
                    .help(example(value_type)),
                );
            }
        }
    });
}

fn mismatch(operator: Text, key: Text, info: KeyInfo, out: &Findings) -> crate::rules::Diagnostic {
    let ty = info.condition_type();
    out.at(
        key.span,
        format!(
            "`{}` has type {ty}, which `{}` cannot compare",
            key.value, operator.value
        ),
    )
    .help(format!("use {}", operators_for(ty)))
    .related(out.file(), operator.span, "the operator")
}

/// What the value should have been, when the operator cannot read it. Variables are checked by
/// IAM308, so a value with one is left alone here.
fn unreadable(ty: ValueType, value: &ConditionValue) -> Option<&'static str> {
    let text = value.text;
    if vars::has_variable(text) {
        return None;
    }
    let ok = match ty {
        ValueType::String | ValueType::Binary => true,
        ValueType::Numeric => number(text).is_some(),
        ValueType::Date => date(text).is_some(),
        ValueType::Bool | ValueType::Null => {
            text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false")
        }
        ValueType::Ip => cidr(text).is_some(),
        // `*` and `?` may stand for whole parts (`*`, `arn:aws:iam::*`): only a value with no
        // wildcard must be a complete ARN.
        ValueType::Arn => {
            text.contains(['*', '?'])
                || split_arn(text).is_some_and(|parts| parts[0] == "arn" && !parts[1].is_empty())
        }
    };
    (!ok).then_some(match ty {
        ValueType::Numeric => "a number",
        ValueType::Date => "a date",
        ValueType::Bool | ValueType::Null => "`true` or `false`",
        ValueType::Ip => "an IP address or CIDR range",
        _ => "an ARN",
    })
}

fn example(ty: ValueType) -> &'static str {
    match ty {
        ValueType::Numeric => "write a decimal number, such as `3600`",
        ValueType::Date => {
            "write an ISO 8601 date such as `2026-01-31T00:00:00Z` (or epoch seconds)"
        }
        ValueType::Bool | ValueType::Null => "write `true` or `false`",
        ValueType::Ip => "write an IPv4 or IPv6 address or CIDR range, such as `203.0.113.0/24`",
        _ => {
            "write a full ARN (`arn:aws:service:region:account:resource`), or use a String operator"
        }
    }
}
