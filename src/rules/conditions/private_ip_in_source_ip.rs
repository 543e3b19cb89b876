use std::net::IpAddr;

use crate::engine::condition::cidr;
use crate::engine::BaseOperator;
use crate::rules::prelude::*;

use super::for_each_test;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM313",
        name: "private-ip-in-source-ip",
        severity: Severity::Warning,
        summary:
            "A private (RFC 1918) range in `aws:SourceIp`, which only ever holds public addresses",
        doc: r#"## What it does
Reports an `IpAddress` / `NotIpAddress` value of `aws:SourceIp` that lies wholly inside a
private range: `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16` (RFC 1918) or `fc00::/7`
(Access Analyzer's `PRIVATE_IP_ADDRESS` and `PRIVATE_NOT_IP_ADDRESS`).

## Why is this bad?
`aws:SourceIp` is the public address AWS sees. A request from inside a VPC through a VPC
endpoint has no `aws:SourceIp` at all (its private address is `aws:VpcSourceIp`), so a private
range never matches: an `IpAddress` allow-list of private ranges allows nothing, and a
`NotIpAddress` deny meant to exempt them denies everyone.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*",
  "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/16"}}}}
```

## Fix
For addresses inside a VPC use `aws:VpcSourceIp` together with `aws:SourceVpc` or
`aws:SourceVpce`; keep `aws:SourceIp` for public addresses.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for_each_test(doc, |test| {
        let Ok(op) = test.operator else { return };
        let key = test.entry.key;
        if op.base != BaseOperator::IpAddress || !key.value.eq_ignore_ascii_case("aws:SourceIp") {
            return;
        }
        for value in &test.entry.values {
            let Some((addr, bits)) = cidr(value.text) else {
                continue;
            };
            if !is_private(addr, bits) {
                continue;
            }
            out.emit(
                out.at(
                    value.span,
                    format!(
                        "`{}` is private, and `aws:SourceIp` never holds a private address",
                        value.text
                    ),
                )
                .help("for requests from a VPC, test `aws:VpcSourceIp` together with `aws:SourceVpc` or `aws:SourceVpce`"),
            );
        }
    });
}

/// Whether every address of `addr/bits` is private (RFC 1918, or an IPv6 unique local address).
pub(crate) fn is_private(addr: IpAddr, bits: u8) -> bool {
    let within = |net: u128, net_bits: u8, value: u128, width: u8| {
        bits >= net_bits && (value >> (width - net_bits)) == (net >> (width - net_bits))
    };
    match addr {
        IpAddr::V4(v4) => {
            let v = u128::from(u32::from(v4));
            [(0x0A00_0000, 8), (0xAC10_0000, 12), (0xC0A8_0000, 16)]
                .iter()
                .any(|&(net, b)| within(net, b, v, 32))
        }
        IpAddr::V6(v6) => within(0xfc00 << 112, 7, u128::from(v6), 128),
    }
}
