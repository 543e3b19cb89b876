use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::engine::condition::cidr;
use crate::engine::BaseOperator;
use crate::rules::prelude::*;
use crate::rules::Edit;
use crate::source::JsonType;

use super::for_each_test;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM314",
        name: "improvable-ip-range",
        severity: Severity::Suggestion,
        summary: "A CIDR range with host bits set, such as `10.0.0.1/8`",
        doc: r#"## What it does
Reports an `IpAddress` / `NotIpAddress` value whose address has bits set after the prefix
length (`203.0.113.7/24`), and offers the network address instead (Access Analyzer's
`IMPROVE_IP_RANGE`).

## Why is this bad?
Only the first bits count, so `203.0.113.7/24` is `203.0.113.0/24`: the whole block, not the
one host it seems to name. Whoever wrote it probably meant one of the two.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
  "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.7/24"}}}}
```

## Fix
Write the network address (`203.0.113.0/24`; `iamlint check --fix` does it, which changes
nothing in what matches), or `/32` if one host was meant.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for_each_test(doc, |test| {
        let Ok(op) = test.operator else { return };
        if op.base != BaseOperator::IpAddress {
            return;
        }
        for value in &test.entry.values {
            let Some((addr, bits)) = cidr(value.text) else {
                continue;
            };
            let network = network(addr, bits);
            if network == addr {
                continue;
            }
            let range = format!("{network}/{bits}");
            let mut diagnostic = out
                .at(
                    value.span,
                    format!(
                        "`{}` has host bits set: it is the range `{range}`",
                        value.text
                    ),
                )
                .help(format!(
                    "write `{range}`, or `{addr}/{}` if only this address was meant",
                    if addr.is_ipv4() { 32 } else { 128 }
                ));
            if value.json == JsonType::String {
                diagnostic = diagnostic.fix(
                    format!("write the network address `{range}`"),
                    vec![Edit {
                        span: value.span,
                        replacement: format!("\"{range}\""),
                    }],
                );
            }
            out.emit(diagnostic);
        }
    });
}

fn network(addr: IpAddr, bits: u8) -> IpAddr {
    match addr {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
        }
    }
}
