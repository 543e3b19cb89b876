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
non-CIDR for `IpAddress`, a non-ARN for `Arn*` — more than one value for `Bool`, and an
operator whose family does not fit the key's type, such as `DateGreaterThan` on
`aws:SourceIp` or `Bool` on a String key.

Some keys always hold values of one format, and a value written as is (no wildcard, no
variable) that lacks it never matches: `aws:SourceVpc` (`vpc-` and 8 or 17 characters),
`aws:SourceVpce` (`vpce-`...), `aws:RequestedRegion` and `ec2:Region` (a Region code, not an
Availability Zone), the account keys `aws:SourceAccount`, `aws:PrincipalAccount`,
`aws:ResourceAccount`, `aws:VpceAccount`, `aws:SourceOwner`, `kms:CallerAccount` (12 digits),
and the keys that hold a KMS key ARN (`s3:x-amz-server-side-encryption-aws-kms-key-id`,
`...KmsKeyArn`).

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
        if value_type == ValueType::Bool && test.entry.values.len() > 1 {
            out.emit(
                out.at(
                    test.entry.key.span,
                    format!("`{}` takes one value, `true` or `false`", test.block.operator.value),
                )
                .help("keep the one value meant; to accept both, drop the test (or use `Null` to test presence)"),
            );
        }
        for value in &test.entry.values {
            if matches!(value_type, ValueType::String | ValueType::Arn) {
                if let Some((expected, help)) = misformatted(key.value, value.text) {
                    out.emit(
                        out.at(
                            value.span,
                            format!(
                                "`{}` is not {expected}, which `{}` always holds",
                                value.text, key.value
                            ),
                        )
                        .help(help),
                    );
                    continue;
                }
            }
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

/// The format of the values some keys always hold, for a value compared as written (no
/// wildcard, no variable) that does not have it: what it should be, and the help.
fn misformatted(key: &str, text: &str) -> Option<(&'static str, &'static str)> {
    if text.contains(['*', '?']) || vars::has_variable(text) {
        return None;
    }
    let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(key));
    let (ok, expected, help) = if is(&["aws:SourceVpc"]) {
        (
            is_resource_id(text, "vpc-"),
            "a VPC ID",
            "write the VPC's ID: `vpc-` and 8 or 17 characters, such as `vpc-1a2b3c4d`",
        )
    } else if is(&["aws:SourceVpce"]) {
        (
            is_resource_id(text, "vpce-"),
            "a VPC endpoint ID",
            "write the endpoint's ID: `vpce-` and 8 or 17 characters, such as `vpce-1a2b3c4d`",
        )
    } else if is(&["aws:RequestedRegion", "ec2:Region"]) {
        (
            is_region(text),
            "a Region code",
            "write a Region such as `eu-west-1` (an Availability Zone such as `eu-west-1a` is not a Region)",
        )
    } else if is(&[
        "aws:SourceAccount",
        "aws:PrincipalAccount",
        "aws:ResourceAccount",
        "aws:VpceAccount",
        "aws:SourceOwner",
        "kms:CallerAccount",
    ]) {
        (
            text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()),
            "a 12-digit account ID",
            "write all 12 digits of the account ID, with leading zeros",
        )
    } else if is(&[
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        "s3express:x-amz-server-side-encryption-aws-kms-key-id",
    ]) || key.to_ascii_lowercase().ends_with("kmskeyarn")
    {
        (
            is_kms_key_arn(text),
            "a KMS key ARN",
            "write the key's ARN, `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID` (a key ID or alias name does not match)",
        )
    } else {
        return None;
    };
    (!ok).then_some((expected, help))
}

/// `vpc-1a2b3c4d` or `vpc-0123456789abcdef0`: the prefix and 8 or 17 letters and digits.
fn is_resource_id(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix).is_some_and(|id| {
        matches!(id.len(), 8 | 17) && id.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// A Region code: lower-case words joined by `-`, ending in a number (`eu-west-1`,
/// `us-gov-west-1`, `eusc-de-east-1`); an Availability Zone (`eu-west-1a`) is not one.
fn is_region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    words.len() >= 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

fn is_kms_key_arn(text: &str) -> bool {
    split_arn(text).is_some_and(|[arn, partition, service, region, account, resource]| {
        arn == "arn"
            && !partition.is_empty()
            && service == "kms"
            && !region.is_empty()
            && account.len() == 12
            && (resource.starts_with("key/") || resource.starts_with("alias/"))
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
