//! Condition evaluation, three-valued: a key the context does not pin makes its test unknown.

use std::net::IpAddr;

use super::arn::ArnPattern;
use super::context::{Context, Lookup};
use super::operator::{parse_operator, BaseOperator, Operator, SetQualifier};
use super::tri::Tri;
use super::vars::{self, Expanded};
use crate::catalog;
use crate::policy::glob;
use crate::policy::Condition;
use crate::source::Span;

/// The result of a whole `Condition` element, with the test that decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConditionResult {
    pub result: Tri,
    /// The `"key": values` pair that made it false (or, when none did, unknown).
    pub culprit: Option<Span>,
}

/// AND across operators and across keys; OR across one key's values.
pub fn evaluate(condition: &Condition, variables: bool, context: &Context) -> ConditionResult {
    let mut unknown = None;
    for block in &condition.blocks {
        let operator = parse_operator(block.operator.value);
        for entry in &block.entries {
            let result = match &operator {
                Ok(op) => {
                    let values: Vec<&str> = entry.values.iter().map(|v| v.text).collect();
                    evaluate_entry(op, entry.key.value, &values, variables, context)
                }
                // An operator IAM would not accept: its meaning is not ours to guess.
                Err(_) => Tri::Unknown,
            };
            let span = Span::new(entry.key.span.start, entry.span.end);
            match result {
                Tri::False => {
                    return ConditionResult {
                        result: Tri::False,
                        culprit: Some(span),
                    }
                }
                Tri::Unknown => unknown = unknown.or(Some(span)),
                Tri::True => {}
            }
        }
    }
    match unknown {
        Some(span) => ConditionResult {
            result: Tri::Unknown,
            culprit: Some(span),
        },
        None => ConditionResult {
            result: Tri::True,
            culprit: None,
        },
    }
}

/// One `"key": [values]` test under one operator.
pub fn evaluate_entry(
    op: &Operator,
    key: &str,
    values: &[&str],
    variables: bool,
    context: &Context,
) -> Tri {
    // A value known only at deploy time could be anything: the test proves nothing either way.
    if crate::source::has_placeholder(key)
        || values.iter().any(|v| crate::source::has_placeholder(v))
    {
        return Tri::Unknown;
    }
    if op.base == BaseOperator::Null {
        if op.set.is_some() || op.if_exists {
            return Tri::Unknown; // IAM rejects or constant-folds these; the rules say so
        }
        let present = match context.lookup(key) {
            Lookup::NotPinned => return Tri::Unknown,
            Lookup::Absent => false,
            Lookup::Values { .. } => true,
        };
        return Tri::any(
            values
                .iter()
                .map(|v| match v.to_ascii_lowercase().as_str() {
                    "true" => Tri::from_bool(!present),
                    "false" => Tri::from_bool(present),
                    _ => Tri::Unknown,
                }),
        );
    }
    let (request, multi) = match context.lookup(key) {
        Lookup::NotPinned => return Tri::Unknown,
        Lookup::Absent => {
            // `ForAnyValue` over no values is false, `IfExists` or not: AWS evaluates a
            // `ForAnyValue` condition on a missing or empty key as false.
            return Tri::from_bool(match (op.set, op.if_exists) {
                (Some(SetQualifier::ForAnyValue), _) => false,
                (Some(SetQualifier::ForAllValues), _) | (None, true) => true,
                (None, false) => op.negated,
            });
        }
        // Whether a key is multivalued is the catalog's to say, not how many values a
        // scenario happened to list.
        Lookup::Values { values, multi } => (values, multi || is_multivalued(key)),
    };
    // A negated operator means "matches none of the values", per request value.
    let test = |r: &str| {
        let positive = Tri::any(
            values
                .iter()
                .map(|p| compare(op.base, p, r, variables, context)),
        );
        if !op.negated {
            return positive;
        }
        // AWS: a variable it cannot resolve "might cause the entire statement to be invalid";
        // "matches none of the values" against one proves nothing either way.
        let unresolved = || {
            values.iter().any(|p| {
                matches!(
                    vars::expand(p, variables, false, context),
                    Expanded::Unresolved
                )
            })
        };
        if positive != Tri::True && unresolved() {
            return Tri::Unknown;
        }
        positive.not()
    };
    match op.set {
        Some(SetQualifier::ForAnyValue) => Tri::any(request.iter().map(|r| test(r))),
        Some(SetQualifier::ForAllValues) => Tri::all(request.iter().map(|r| test(r))),
        // A plain operator on a multivalued key is false; negated, AWS's behaviour is not
        // documented, so it proves nothing either way.
        None if multi => {
            if op.negated {
                Tri::Unknown
            } else {
                Tri::False
            }
        }
        None => request.first().map_or(Tri::False, |r| test(r)),
    }
}

fn is_multivalued(key: &str) -> bool {
    catalog::condition_key(key).is_some_and(|k| k.is_multi_valued())
}

/// One policy value against one request value, positively. A policy value that does not parse
/// gives unknown (IAM would have rejected the policy); a request value that does not parse,
/// false.
fn compare(
    base: BaseOperator,
    policy: &str,
    request: &str,
    variables: bool,
    context: &Context,
) -> Tri {
    use BaseOperator::*;
    // A request value a template computes: only an ARN pattern can tell what every reading does.
    if crate::source::has_placeholder(request) && !matches!(base, Arn { .. }) {
        return Tri::Unknown;
    }
    let ordered = |policy: Option<f64>, request: Option<f64>, test: fn(f64, f64) -> bool| match (
        policy, request,
    ) {
        (None, _) => Tri::Unknown,
        (Some(_), None) => Tri::False,
        (Some(p), Some(r)) => Tri::from_bool(test(r, p)),
    };
    match base {
        StringEquals | StringEqualsIgnoreCase | StringLike => {
            match vars::expand(policy, variables, base == StringLike, context) {
                Expanded::Tokens(tokens) => Tri::from_bool(glob::matches_tokens(
                    &tokens,
                    request,
                    base == StringEqualsIgnoreCase,
                )),
                Expanded::Unresolved => Tri::False,
                Expanded::Unknown => Tri::Unknown,
            }
        }
        Arn { .. } => ArnPattern::compile(policy, variables, context).matches(request),
        NumericEquals => ordered(number(policy), number(request), |r, p| r == p),
        NumericLessThan => ordered(number(policy), number(request), |r, p| r < p),
        NumericLessThanEquals => ordered(number(policy), number(request), |r, p| r <= p),
        NumericGreaterThan => ordered(number(policy), number(request), |r, p| r > p),
        NumericGreaterThanEquals => ordered(number(policy), number(request), |r, p| r >= p),
        DateEquals => ordered(date(policy), date(request), |r, p| r == p),
        DateLessThan => ordered(date(policy), date(request), |r, p| r < p),
        DateLessThanEquals => ordered(date(policy), date(request), |r, p| r <= p),
        DateGreaterThan => ordered(date(policy), date(request), |r, p| r > p),
        DateGreaterThanEquals => ordered(date(policy), date(request), |r, p| r >= p),
        Bool => match (boolean(policy), boolean(request)) {
            (None, _) => Tri::Unknown,
            (Some(p), r) => Tri::from_bool(Some(p) == r),
        },
        BinaryEquals => Tri::from_bool(policy == request),
        IpAddress => match (cidr(policy), request.parse::<IpAddr>()) {
            (None, _) => Tri::Unknown,
            (Some(_), Err(_)) => Tri::False,
            (Some((net, bits)), Ok(ip)) => Tri::from_bool(in_network(ip, net, bits)),
        },
        Null => Tri::Unknown, // handled by the caller
    }
}

fn boolean(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// A decimal number; `inf`, `NaN` and friends are not numbers to IAM.
pub fn number(text: &str) -> Option<f64> {
    let plausible = text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !plausible {
        return None;
    }
    text.parse().ok().filter(|n: &f64| n.is_finite())
}

/// A W3C ISO 8601 date (`2026-01-31`, `2026-01-31T12:00:00Z`, `…T12:00:00.5+02:00`) or epoch
/// seconds, as milliseconds since the epoch (f64 is exact for every date IAM can see).
pub fn date(text: &str) -> Option<f64> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<f64>().ok().map(|s| s * 1000.0);
    }
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let s = text.get(range)?;
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
    {
        return None;
    }
    let mut millis = days_from_civil(year, month, day) as f64 * 86_400_000.0;
    let mut rest = &text[10..];
    if let Some(time) = rest.strip_prefix('T') {
        let t = time.as_bytes();
        let field = |range: std::ops::Range<usize>| -> Option<i64> {
            let s = time.get(range)?;
            (s.len() == 2 && s.bytes().all(|c| c.is_ascii_digit())).then(|| s.parse().ok())?
        };
        let (hour, minute) = (field(0..2)?, field(3..5)?);
        if t.get(2) != Some(&b':') || hour > 24 || minute > 59 {
            return None;
        }
        millis += (hour * 3_600_000 + minute * 60_000) as f64;
        rest = &time[5..];
        if let Some(seconds) = rest.strip_prefix(':') {
            let end = seconds
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(seconds.len());
            let value: f64 = seconds[..end]
                .parse()
                .ok()
                .filter(|s: &f64| (0.0..61.0).contains(s))?;
            millis += value * 1000.0;
            rest = &seconds[end..];
        }
        rest = match rest {
            "" | "Z" => "",
            offset => {
                let sign = match offset.as_bytes()[0] {
                    b'+' => -1.0,
                    b'-' => 1.0,
                    _ => return None,
                };
                let hm = offset[1..].replace(':', "");
                if hm.len() != 4 || !hm.bytes().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                let (h, m): (f64, f64) = (hm[..2].parse().ok()?, hm[2..].parse().ok()?);
                millis += sign * (h * 3_600_000.0 + m * 60_000.0);
                ""
            }
        };
    }
    rest.is_empty().then_some(millis)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a single host).
pub fn cidr(text: &str) -> Option<(IpAddr, u8)> {
    let (addr, bits) = match text.split_once('/') {
        Some((addr, bits)) => (addr.parse::<IpAddr>().ok()?, Some(bits.parse::<u8>().ok()?)),
        None => (text.parse::<IpAddr>().ok()?, None),
    };
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let bits = bits.unwrap_or(max);
    (bits <= max).then_some((addr, bits))
}

fn in_network(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    let prefix = |a: u128, width: u32| {
        if bits == 0 {
            0
        } else {
            a >> (width - bits as u32)
        }
    };
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            prefix(u32::from(ip) as u128, 32) == prefix(u32::from(net) as u128, 32)
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            prefix(u128::from(ip), 128) == prefix(u128::from(net), 128)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(op: &str, key: &str, values: &[&str], ctx: &Context) -> Tri {
        evaluate_entry(&parse_operator(op).unwrap(), key, values, true, ctx)
    }

    #[test]
    fn missing_keys() {
        let ctx = Context::closed();
        assert_eq!(
            eval("StringEquals", "aws:SourceAccount", &["1"], &ctx),
            Tri::False
        );
        assert_eq!(
            eval("StringNotEquals", "aws:SourceAccount", &["1"], &ctx),
            Tri::True
        );
        assert_eq!(
            eval("StringEqualsIfExists", "aws:SourceAccount", &["1"], &ctx),
            Tri::True
        );
        assert_eq!(
            eval("ArnNotLike", "aws:SourceArn", &["arn:aws:s3:::b"], &ctx),
            Tri::True
        );
        assert_eq!(
            eval("Null", "aws:SourceAccount", &["true"], &ctx),
            Tri::True
        );
        assert_eq!(
            eval("Null", "aws:SourceAccount", &["false"], &ctx),
            Tri::False
        );
        assert_eq!(
            eval("Null", "aws:SourceAccount", &["false", "true"], &ctx),
            Tri::True
        );
        assert_eq!(
            eval("ForAnyValue:StringEquals", "aws:TagKeys", &["a"], &ctx),
            Tri::False
        );
        assert_eq!(
            eval("ForAllValues:StringEquals", "aws:TagKeys", &["a"], &ctx),
            Tri::True
        );
        let open = Context::open();
        assert_eq!(
            eval("StringEquals", "aws:SourceAccount", &["1"], &open),
            Tri::Unknown
        );
        assert_eq!(
            eval("Null", "aws:SourceAccount", &["true"], &open),
            Tri::Unknown
        );
    }

    #[test]
    fn or_across_values_and_negation_means_none() {
        let ctx = Context::open().with("AWS:SourceAccount", "2");
        assert_eq!(
            eval("StringEquals", "aws:sourceaccount", &["1", "2"], &ctx),
            Tri::True
        );
        assert_eq!(
            eval("StringNotEquals", "aws:SourceAccount", &["1", "2"], &ctx),
            Tri::False
        );
        assert_eq!(
            eval("StringNotEquals", "aws:SourceAccount", &["1", "3"], &ctx),
            Tri::True
        );
    }

    #[test]
    fn string_families() {
        let ctx = Context::open().with("k", "Ab*");
        assert_eq!(eval("StringEquals", "k", &["Ab*"], &ctx), Tri::True);
        assert_eq!(
            eval("StringEquals", "k", &["A*"], &ctx),
            Tri::False,
            "StringEquals treats * literally"
        );
        assert_eq!(eval("StringLike", "k", &["A*"], &ctx), Tri::True);
        assert_eq!(
            eval("StringEqualsIgnoreCase", "k", &["aB*"], &ctx),
            Tri::True
        );
        assert_eq!(
            eval("StringNotEqualsIgnoreCase", "k", &["aB*"], &ctx),
            Tri::False
        );
        assert_eq!(eval("StringLike", "k", &["Ab${*}"], &ctx), Tri::True);
        let arn = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        let ctx = Context::open().with("aws:SourceArn", arn);
        let pattern = "arn:aws:someservice:*:111122223333:finance/*";
        assert_eq!(
            eval("StringLike", "aws:SourceArn", &[pattern], &ctx),
            Tri::True
        );
        assert_eq!(
            eval("ArnLike", "aws:SourceArn", &[pattern], &ctx),
            Tri::False
        );
        assert_eq!(eval("ArnEquals", "aws:SourceArn", &[arn], &ctx), Tri::True);
        let ctx = Context::open().with("aws:SourceArn", "not-an-arn");
        assert_eq!(
            eval("ArnLike", "aws:SourceArn", &["arn:aws:s3:::*"], &ctx),
            Tri::False
        );
    }

    #[test]
    fn variables_in_values() {
        let ctx = Context::open()
            .with("aws:username", "bob")
            .with("s3:prefix", "home/bob/x");
        assert_eq!(
            eval("StringLike", "s3:prefix", &["home/${aws:username}/*"], &ctx),
            Tri::True
        );
        let unresolved = Context::closed().with("s3:prefix", "home/bob/x");
        assert_eq!(
            eval(
                "StringLike",
                "s3:prefix",
                &["home/${aws:username}/*"],
                &unresolved
            ),
            Tri::False
        );
        // A variable AWS cannot resolve "might cause the entire statement to be invalid".
        assert_eq!(
            eval(
                "StringNotLike",
                "s3:prefix",
                &["home/${aws:username}/*"],
                &unresolved
            ),
            Tri::Unknown
        );
        let op = parse_operator("StringLike").unwrap();
        assert_eq!(
            evaluate_entry(&op, "s3:prefix", &["home/${aws:username}/*"], false, &ctx),
            Tri::False
        );
    }

    #[test]
    fn multivalued_keys() {
        let ctx = Context::open()
            .with_multi("aws:TagKeys", ["a", "b"])
            .with_multi("empty", Vec::<String>::new());
        assert_eq!(
            eval(
                "ForAllValues:StringEquals",
                "aws:TagKeys",
                &["a", "b", "c"],
                &ctx
            ),
            Tri::True
        );
        assert_eq!(
            eval("ForAllValues:StringEquals", "aws:TagKeys", &["a"], &ctx),
            Tri::False
        );
        assert_eq!(
            eval("ForAnyValue:StringEquals", "aws:TagKeys", &["b"], &ctx),
            Tri::True
        );
        assert_eq!(
            eval("ForAnyValue:StringNotEquals", "aws:TagKeys", &["a"], &ctx),
            Tri::True
        );
        assert_eq!(
            eval("ForAnyValue:StringEquals", "empty", &["a"], &ctx),
            Tri::False
        );
        assert_eq!(
            eval("ForAllValues:StringEquals", "empty", &["a"], &ctx),
            Tri::True
        );
        assert_eq!(
            eval("StringEquals", "aws:TagKeys", &["a"], &ctx),
            Tri::False
        );
        assert_eq!(
            eval("StringNotEquals", "aws:TagKeys", &["z"], &ctx),
            Tri::Unknown
        );
    }

    #[test]
    fn numbers_dates_bools_ips_binary() {
        let ctx = Context::open()
            .with("n", "10")
            .with("t", "2024-06-01T12:00:00Z")
            .with("e", "1717243200")
            .with("b", "true")
            .with("ip", "203.0.113.7")
            .with("ip6", "2001:db8::1")
            .with("bin", "QUJD");
        assert_eq!(eval("NumericLessThan", "n", &["11"], &ctx), Tri::True);
        assert_eq!(
            eval("NumericGreaterThanEquals", "n", &["10.0"], &ctx),
            Tri::True
        );
        assert_eq!(eval("NumericNotEquals", "n", &["10"], &ctx), Tri::False);
        assert_eq!(eval("NumericEquals", "n", &["ten"], &ctx), Tri::Unknown);
        assert_eq!(
            eval("DateGreaterThan", "t", &["2024-01-01"], &ctx),
            Tri::True
        );
        assert_eq!(
            eval("DateLessThan", "t", &["2024-06-01T13:00:00+02:00"], &ctx),
            Tri::False
        );
        assert_eq!(
            eval("DateEquals", "e", &["2024-06-01T12:00:00Z"], &ctx),
            Tri::True
        );
        assert_eq!(eval("DateEquals", "t", &["1717243200"], &ctx), Tri::True);
        assert_eq!(eval("Bool", "b", &["true"], &ctx), Tri::True);
        assert_eq!(eval("Bool", "b", &["false"], &ctx), Tri::False);
        assert_eq!(
            eval("IpAddress", "ip", &["203.0.113.0/24"], &ctx),
            Tri::True
        );
        assert_eq!(eval("IpAddress", "ip", &["203.0.113.7"], &ctx), Tri::True);
        assert_eq!(eval("IpAddress", "ip", &["203.0.113.8"], &ctx), Tri::False);
        assert_eq!(eval("NotIpAddress", "ip", &["10.0.0.0/8"], &ctx), Tri::True);
        assert_eq!(
            eval("IpAddress", "ip6", &["2001:db8::/32"], &ctx),
            Tri::True
        );
        assert_eq!(
            eval("IpAddress", "ip6", &["203.0.113.0/24"], &ctx),
            Tri::False
        );
        assert_eq!(eval("IpAddress", "ip", &["0.0.0.0/0"], &ctx), Tri::True);
        assert_eq!(eval("BinaryEquals", "bin", &["QUJD"], &ctx), Tri::True);
    }

    #[test]
    fn dates_parse() {
        assert_eq!(date("1970-01-01"), Some(0.0));
        assert_eq!(date("1970-01-02T00:00:01Z"), Some(86_401_000.0));
        assert_eq!(date("1970-01-01T01:00:00+01:00"), Some(0.0));
        assert_eq!(date("2000-03-01"), date("951868800"));
        for bad in [
            "",
            "2024-13-01",
            "2024-01-01T",
            "2024-01-01T1:00",
            "yesterday",
            "2024-01-01X",
        ] {
            assert_eq!(date(bad), None, "{bad}");
        }
    }
}
