//! Conformance of the strict parser in `iamlint::source` against `serde_json`: it must accept
//! exactly what `serde_json::from_slice::<serde_json::Value>` accepts, build the same value
//! (duplicates resolved last-wins, as serde_json does), keep exact spans and never overflow the
//! stack or panic.

use iamlint::source::{decode, parse, parse_bytes, LineIndex, Node, Span, Value, MAX_DEPTH};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Our tree as the `serde_json::Value` serde_json would build: later duplicates win, numbers are
/// what serde_json makes of the number text we kept.
fn to_serde(node: &Node<'_>) -> serde_json::Value {
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(text) => serde_json::from_str(text).expect("kept number text is valid"),
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Value::Object(members) => {
            let mut map = serde_json::Map::new();
            for member in members {
                map.insert(member.key.name.to_string(), to_serde(&member.value));
            }
            serde_json::Value::Object(map)
        }
    }
}

/// The differential property: same accept/reject decision, and the same value when accepted.
fn assert_agrees(bytes: &[u8]) {
    let ours = parse_bytes(bytes);
    let theirs = serde_json::from_slice::<serde_json::Value>(bytes);
    match (&ours, &theirs) {
        (Ok(node), Ok(value)) => assert_eq!(&to_serde(node), value, "input {:?}", show(bytes)),
        (Err(e), Err(_)) => {
            assert!(!e.message.is_empty());
            assert!(
                e.span.start <= e.span.end && e.span.end as usize <= bytes.len(),
                "{e:?}"
            );
        }
        _ => panic!(
            "disagreement on {:?}: ours {:?}, serde_json {:?}",
            show(bytes),
            ours.as_ref().map(|_| ()),
            theirs.as_ref().map(|_| ())
        ),
    }
}

fn show(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    if text.len() > 300 {
        let head: String = text.chars().take(300).collect();
        format!("{head}… ({} bytes)", bytes.len())
    } else {
        text.into_owned()
    }
}

fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn nested_objects(depth: usize) -> String {
    format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
}

/// Calls `f` on every node with its RFC 6901 pointer.
fn walk<'a, 's>(node: &'a Node<'s>, pointer: &str, f: &mut dyn FnMut(&'a Node<'s>, &str)) {
    f(node, pointer);
    match &node.value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{pointer}/{i}"), f);
            }
        }
        Value::Object(members) => {
            for member in members {
                let token = member.key.name.replace('~', "~0").replace('/', "~1");
                walk(&member.value, &format!("{pointer}/{token}"), f);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// 1a. The table of tricky inputs
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Expect {
    Accept,
    /// Rejected, with the error's start offset and a word the message must contain.
    Reject(usize, &'static str),
}
use Expect::{Accept, Reject};

fn table() -> Vec<(Vec<u8>, Expect)> {
    fn c(bytes: impl AsRef<[u8]>, expect: Expect) -> (Vec<u8>, Expect) {
        (bytes.as_ref().to_vec(), expect)
    }
    let mut cases = vec![
        // Plain values and whitespace.
        c(b"{}", Accept),
        c(b"[]", Accept),
        c(b"null", Accept),
        c(b"true", Accept),
        c(b"false", Accept),
        c(b" \t\n\r[ 1 ,\t2\r\n]\n\r ", Accept),
        c(b"{\"a\":1,\"a\":2}", Accept),
        c(b"{\"\":[{}]}", Accept),
        // Numbers.
        c(b"0", Accept),
        c(b"-0", Accept),
        c(b"-0.0e+0", Accept),
        c(b"1E5", Accept),
        c(b"123.456e-7", Accept),
        c(b"1e-400", Accept),
        c(b"1e-99999999999999999999", Accept),
        c(b"0e999999999999999999999", Accept),
        c(b"18446744073709551615", Accept),
        c(b"18446744073709551616", Accept),
        c(b"-9223372036854775809", Accept),
        c(b"1.7976931348623157e308", Accept),
        c(b"1e400", Reject(0, "out of range")),
        c(b"-1e400", Reject(0, "out of range")),
        c(b"[1e99999999999999999999]", Reject(1, "out of range")),
        // serde_json's float parser refuses f64::MAX's own shortest form.
        c(b"1.7976931348623158e308", Reject(0, "out of range")),
        c(b"-", Reject(1, "expected a digit")),
        c(b"1.", Reject(2, "decimal point")),
        c(b"1.e5", Reject(2, "decimal point")),
        c(b".5", Reject(0, "expected a JSON value")),
        c(b"01", Reject(1, "leading zero")),
        c(b"-01", Reject(2, "leading zero")),
        c(b"00", Reject(1, "leading zero")),
        c(b"+1", Reject(0, "expected a JSON value")),
        c(b"1e", Reject(2, "exponent")),
        c(b"1e+", Reject(3, "exponent")),
        c(b"0x10", Reject(1, "trailing characters")),
        c(b"NaN", Reject(0, "expected a JSON value")),
        c(b"-Infinity", Reject(1, "expected a digit")),
        c(b"1.5.2", Reject(3, "trailing characters")),
        // Literals.
        c(b"nul", Reject(3, "expected `null`")),
        c(b"tru", Reject(3, "expected `true`")),
        c(b"True", Reject(0, "expected a JSON value")),
        c(b"nulll", Reject(4, "trailing characters")),
        c(b"[fals]", Reject(5, "expected `false`")),
        // Strings and escapes.
        c("\"\\u00e9\"".as_bytes(), Accept),
        c(b"\"\\ud83d\\ude00\"", Accept),
        c(b"\"\\uD83D\\uDE00\"", Accept),
        c("\"é😀\"".as_bytes(), Accept),
        c(b"\"\\u0000\"", Accept),
        c(b"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", Accept),
        c(b"\"\x7f\"", Accept),
        c(b"\"\\ud800\"", Reject(1, "low surrogate")),
        c(b"\"\\udc00\"", Reject(1, "lone low surrogate")),
        c(b"\"\\ud800\\u0041\"", Reject(1, "low surrogate")),
        c(b"\"\\ud800\\ud800\\udc00\"", Reject(1, "low surrogate")),
        c(b"\"\\ud800\\n\"", Reject(1, "low surrogate")),
        c(b"\"\\x\"", Reject(2, "invalid escape")),
        c(b"\"\\a\"", Reject(2, "invalid escape")),
        c(b"\"\\U0041\"", Reject(2, "invalid escape")),
        c(b"\"\\'\"", Reject(2, "invalid escape")),
        c(b"\"\\u00g0\"", Reject(5, "hex digits")),
        c(b"\"\\u12\"", Reject(5, "hex digits")),
        c(b"\"\\u", Reject(3, "hex digits")),
        c(b"\"abc", Reject(0, "never closed")),
        c(b"\"abc\\\"", Reject(0, "never closed")),
        c(b"'a'", Reject(0, "expected a JSON value")),
        c(b"{'a':1}", Reject(1, "double quotes")),
        c(b"[\"a\",'b']", Reject(5, "expected a JSON value")),
        // Raw control characters in strings.
        c(b"\"a\nb\"", Reject(2, "control character")),
        c(b"\"\t\"", Reject(1, "control character")),
        c(b"\"\x1f\"", Reject(1, "control character")),
        c(b"{\"a\x01\":1}", Reject(3, "control character")),
        // NUL bytes.
        c(b"\0", Reject(0, "NUL")),
        c(b"\"a\0b\"", Reject(2, "NUL")),
        c(b"{}\0", Reject(2, "trailing characters")),
        // Encoding.
        c(b"", Reject(0, "empty")),
        c(b"  \n ", Reject(4, "empty")),
        c(b"\xEF\xBB\xBF{}", Reject(0, "byte order mark")),
        c(b"{\"a\":\"\xff\"}", Reject(6, "UTF-8")),
        c(b"\"\xC3", Reject(1, "UTF-8")),
        c(b"\"\xC0\xAF\"", Reject(1, "UTF-8")),
        c(b"\"\xED\xA0\x80\"", Reject(1, "UTF-8")),
        c(b"\xFF\xFE{\0}\0", Reject(0, "UTF-8")),
        // Whitespace JSON does not allow.
        c(b"\x0b1", Reject(0, "U+000B")),
        c(b"\x0c1", Reject(0, "U+000C")),
        c("\u{a0}1".as_bytes(), Reject(0, "U+00A0")),
        c("[1,\u{2028}2]".as_bytes(), Reject(3, "U+2028")),
        c("{}\u{feff}".as_bytes(), Reject(2, "trailing characters")),
        // Trailing commas and structure.
        c(b"{\"a\":1,}", Reject(7, "member name")),
        c(b"[1,]", Reject(3, "value after `,`")),
        c(b"[1 , ]", Reject(5, "value after `,`")),
        c(b"{,}", Reject(1, "member name")),
        c(b"[,]", Reject(1, "expected a JSON value")),
        c(b"[1,,2]", Reject(3, "expected a JSON value")),
        c(b"[1 2]", Reject(3, "`,` or `]`")),
        c(b"{\"a\" 1}", Reject(5, "`:`")),
        c(b"{\"a\":}", Reject(5, "expected a JSON value")),
        c(b"{\"a\"}", Reject(4, "`:`")),
        c(b"{1:2}", Reject(1, "member name")),
        c(b"{\"a\":1 \"b\":2}", Reject(7, "`,` or `}`")),
        c(b"[", Reject(1, "end of the file")),
        c(b"{\"a\":1", Reject(6, "end of the file")),
        c(b"[1}", Reject(2, "`,` or `]`")),
        // Trailing garbage.
        c(b"{} x", Reject(3, "trailing characters")),
        c(b"1 2", Reject(2, "trailing characters")),
        c(b"[]]", Reject(2, "trailing characters")),
        c(b"{}{}", Reject(2, "trailing characters")),
        c(b"{\"a\":1}}", Reject(7, "trailing characters")),
        c(b"// c\n{}", Reject(0, "expected a JSON value")),
        c(b"{} // c", Reject(3, "trailing characters")),
    ];

    // Nesting exactly at and one past the limit, arrays and objects, mixed.
    cases.push((nested_arrays(MAX_DEPTH).into_bytes(), Accept));
    cases.push((nested_objects(MAX_DEPTH).into_bytes(), Accept));
    cases.push((
        nested_arrays(MAX_DEPTH + 1).into_bytes(),
        Reject(MAX_DEPTH, "nesting"),
    ));
    cases.push((
        nested_objects(MAX_DEPTH + 1).into_bytes(),
        Reject(5 * MAX_DEPTH, "nesting"),
    ));
    let openers = |depth: usize| -> String {
        (0..depth)
            .map(|i| if i % 2 == 0 { "[" } else { "{\"k\":" })
            .collect()
    };
    let mixed = |depth: usize| {
        let close: String = (0..depth)
            .rev()
            .map(|i| if i % 2 == 0 { "]" } else { "}" })
            .collect();
        format!("{}{close}", openers(depth))
    };
    cases.push((mixed(MAX_DEPTH).into_bytes(), Accept));
    let too_deep = mixed(MAX_DEPTH + 1);
    let offset = openers(MAX_DEPTH).len();
    cases.push((too_deep.into_bytes(), Reject(offset, "nesting")));

    // Huge strings: plain (borrowed), escaped (owned), unterminated, with a late bad byte.
    let big = "x".repeat(1 << 20);
    cases.push((format!("\"{big}\"").into_bytes(), Accept));
    cases.push((format!("[\"{big}\\n{big}\"]").into_bytes(), Accept));
    cases.push((format!("\"{big}").into_bytes(), Reject(0, "never closed")));
    let mut late = format!("[\"{big}").into_bytes();
    late.extend_from_slice(b"\n\"]");
    cases.push((late, Reject(2 + big.len(), "control character")));
    cases
}

#[test]
fn serde_json_depth_limit_is_max_depth() {
    // Found empirically: serde_json accepts 127 levels and refuses 128.
    assert_eq!(MAX_DEPTH, 127);
    for depth in [1, MAX_DEPTH - 1, MAX_DEPTH] {
        assert!(serde_json::from_str::<serde_json::Value>(&nested_arrays(depth)).is_ok());
        assert!(serde_json::from_str::<serde_json::Value>(&nested_objects(depth)).is_ok());
    }
    for depth in [MAX_DEPTH + 1, MAX_DEPTH + 2] {
        let e = serde_json::from_str::<serde_json::Value>(&nested_arrays(depth)).unwrap_err();
        assert!(e.to_string().contains("recursion limit"), "{e}");
        // serde_json points at the first `[` too deep (1-based column), as we do.
        assert_eq!(e.column(), MAX_DEPTH + 1);
        assert!(serde_json::from_str::<serde_json::Value>(&nested_objects(depth)).is_err());
    }
}

#[test]
fn tricky_inputs_table() {
    let cases = table();
    assert!(cases.len() >= 60, "{}", cases.len());
    let mut failures = Vec::new();
    for (bytes, expect) in &cases {
        let serde_ok = serde_json::from_slice::<serde_json::Value>(bytes).is_ok();
        let ours = parse_bytes(bytes);
        let problem = match (expect, &ours) {
            (Accept, Ok(_)) if serde_ok => None,
            (Reject(..), Err(_)) if !serde_ok => {
                let (Reject(offset, word), Err(e)) = (expect, &ours) else {
                    unreachable!()
                };
                if e.span.start as usize != *offset || !e.message.contains(word) {
                    Some(format!(
                        "wrong error: {e:?}, want offset {offset} and {word:?}"
                    ))
                } else {
                    None
                }
            }
            _ => Some(format!(
                "expected {expect:?}; ours ok={}, serde_json ok={serde_ok}, ours={:?}",
                ours.is_ok(),
                ours.as_ref().err()
            )),
        };
        if let Some(problem) = problem {
            failures.push(format!("{:?}: {problem}", show(bytes)));
        }
        assert_agrees(bytes);
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn duplicate_keys_are_kept_in_order() {
    let node = parse(r#"{"Effect":"Allow","Effect":"Deny"}"#).unwrap();
    let members = node.as_object().unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(members[0].value.as_str(), Some("Allow"));
    assert_eq!(members[1].value.as_str(), Some("Deny"));
    // `get` reads the first, as IAM does; serde_json keeps the last.
    assert_eq!(node.get("Effect").unwrap().value.as_str(), Some("Allow"));
    assert_eq!(to_serde(&node)["Effect"], "Deny");
}

#[test]
fn decode_reports_the_first_invalid_byte() {
    assert_eq!(decode(b"{\"a\":1}").unwrap(), "{\"a\":1}");
    let e = decode(b"[\"ok\", \"\xe9t\xe9\"]").unwrap_err();
    assert_eq!(e.span, Span::empty(8));
    assert!(e.help.is_some());
}

// ---------------------------------------------------------------------------------------------
// 1b. Differential proptests
// ---------------------------------------------------------------------------------------------

fn arb_number_text() -> impl Strategy<Value = String> {
    "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,4})?"
}

fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z~/]{0,6}",
        any::<String>(),
        prop::collection::vec(
            prop_oneof![
                Just('\u{0}'),
                Just('\u{1f}'),
                Just('"'),
                Just('\\'),
                Just('é'),
                Just('😀'),
                Just('\u{2028}'),
                any::<char>()
            ],
            0..8
        )
        .prop_map(|chars| chars.into_iter().collect()),
    ]
}

fn arb_serde_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(Into::into),
        any::<u64>().prop_map(Into::into),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Into::into),
        arb_string().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec((arb_string(), inner), 0..6)
                .prop_map(|members| serde_json::Value::Object(members.into_iter().collect())),
        ]
    })
}

/// A JSON document written by hand: duplicate keys, random whitespace, random escapes and
/// number spellings that serde_json never produces.
#[derive(Debug, Clone)]
enum Doc {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Array(Vec<Doc>),
    Object(Vec<(String, Doc)>),
}

fn arb_doc() -> impl Strategy<Value = Doc> {
    let leaf = prop_oneof![
        Just(Doc::Null),
        any::<bool>().prop_map(Doc::Bool),
        // Small exponents, so that most documents are in range and get their values compared
        // (`agrees_on_numbers` covers the out-of-range ones).
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,2})?".prop_map(Doc::Number),
        arb_string().prop_map(Doc::Str),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Doc::Array),
            prop::collection::vec((prop_oneof!["[ab]", arb_string()], inner), 0..6)
                .prop_map(Doc::Object),
        ]
    })
}

/// Writes `doc`, choosing whitespace and escapes from `choices` (cycled).
fn write_doc(doc: &Doc, choices: &[u8], out: &mut String) {
    let mut i = 0usize;
    write_doc_inner(doc, choices, &mut i, out);
}

fn next_choice(choices: &[u8], i: &mut usize) -> u8 {
    *i += 1;
    if choices.is_empty() {
        0
    } else {
        choices[*i % choices.len()]
    }
}

fn ws(choices: &[u8], i: &mut usize, out: &mut String) {
    const WS: [&str; 8] = ["", "", "", " ", "\n", "\r\n", "\t", "  \n\t "];
    out.push_str(WS[next_choice(choices, i) as usize % WS.len()]);
}

fn write_str(s: &str, choices: &[u8], i: &mut usize, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => match next_choice(choices, i) % 4 {
                0 => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        out.push_str(&format!("\\u{unit:04X}"));
                    }
                }
                1 if c == '/' => out.push_str("\\/"),
                _ => out.push(c),
            },
        }
    }
    out.push('"');
}

fn write_doc_inner(doc: &Doc, choices: &[u8], i: &mut usize, out: &mut String) {
    match doc {
        Doc::Null => out.push_str("null"),
        Doc::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Doc::Number(n) => out.push_str(n),
        Doc::Str(s) => write_str(s, choices, i, out),
        Doc::Array(items) => {
            out.push('[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                ws(choices, i, out);
                write_doc_inner(item, choices, i, out);
                ws(choices, i, out);
            }
            out.push(']');
        }
        Doc::Object(members) => {
            out.push('{');
            for (n, (key, value)) in members.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                ws(choices, i, out);
                write_str(key, choices, i, out);
                ws(choices, i, out);
                out.push(':');
                ws(choices, i, out);
                write_doc_inner(value, choices, i, out);
                ws(choices, i, out);
            }
            out.push('}');
        }
    }
}

fn arb_doc_text() -> impl Strategy<Value = String> {
    (arb_doc(), prop::collection::vec(any::<u8>(), 0..16)).prop_map(|(doc, choices)| {
        let mut out = String::new();
        write_doc(&doc, &choices, &mut out);
        out
    })
}

/// Tokens of a JSON-heavy alphabet, including the troublemakers.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b",",
    b"\"",
    b"\\",
    b"/",
    b"b",
    b"n",
    b"t",
    b"u",
    b"0",
    b"1",
    b"9",
    b"-",
    b"+",
    b".",
    b"e",
    b"E",
    b"a",
    b"d",
    b"8",
    b"'",
    b" ",
    b"\t",
    b"\n",
    b"\r",
    b"\0",
    b"\x0b",
    b"\x7f",
    b"\xc2\xa0",
    b"\xc3\xa9",
    b"\xf0\x9f\x98\x80",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"true",
    b"false",
    b"null",
    b"nul",
    b"\\u",
    b"\\ud800",
    b"\\udc00",
    b"\\ude00",
    b"\\ud83d",
    b"\\u00e9",
    b"\\n",
    b"\"a\"",
    b"\"a\":",
    b"1e400",
    b"1e-400",
    b"01",
    b"-0",
];

fn arb_token_soup() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|tokens| tokens.concat())
}

#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, &'static [u8]),
    Delete(usize),
    Replace(usize, &'static [u8]),
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for mutation in mutations {
        let len = bytes.len();
        match *mutation {
            Mutation::Insert(at, token) => {
                let at = at % (len + 1);
                bytes.splice(at..at, token.iter().copied());
            }
            Mutation::Delete(at) if len > 0 => {
                bytes.remove(at % len);
            }
            Mutation::Replace(at, token) if len > 0 => {
                let at = at % len;
                bytes.splice(at..at + 1, token.iter().copied());
            }
            _ => {}
        }
    }
    bytes
}

fn arb_mutations() -> impl Strategy<Value = Vec<Mutation>> {
    let token = prop::sample::select(TOKENS);
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), token.clone()).prop_map(|(at, t)| Mutation::Insert(at, t)),
            any::<usize>().prop_map(Mutation::Delete),
            (any::<usize>(), token).prop_map(|(at, t)| Mutation::Replace(at, t)),
        ],
        1..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn agrees_on_serde_serialised_values(value in arb_serde_value()) {
        for text in [
            serde_json::to_string(&value).unwrap(),
            serde_json::to_string_pretty(&value).unwrap(),
        ] {
            let node = parse_bytes(text.as_bytes()).expect("serde_json's own output parses");
            // Not `value` itself: without `float_roundtrip` serde_json may read a float back
            // one ulp off; what matters is that we agree with serde_json on the same text.
            let reread: serde_json::Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(to_serde(&node), reread);
            assert_agrees(text.as_bytes());
        }
    }

    #[test]
    fn agrees_on_hand_written_documents(text in arb_doc_text()) {
        assert_agrees(text.as_bytes());
    }

    #[test]
    fn agrees_on_mutated_documents(
        value in arb_serde_value(),
        pretty in any::<bool>(),
        mutations in arb_mutations(),
    ) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        assert_agrees(&mutate(text.into_bytes(), &mutations));
    }

    #[test]
    fn agrees_on_mutated_hand_written_documents(text in arb_doc_text(), mutations in arb_mutations()) {
        assert_agrees(&mutate(text.into_bytes(), &mutations));
    }

    #[test]
    fn agrees_on_token_soup(bytes in arb_token_soup()) {
        assert_agrees(&bytes);
    }

    #[test]
    fn agrees_on_numbers(
        text in prop_oneof![
            arb_number_text(),
            // Around f64::MAX, where serde_json's float parser is not correctly rounded.
            "-?1\\.79769313486231[0-9]{1,8}[eE]\\+?308",
            "-?17976931348623[0-9]{2,12}e29[0-9]",
            "1797693134862315[0-9]{293}",
            "-?[1-9]\\.?[0-9]{0,3}e30[0-9]",
        ]
    ) {
        assert_agrees(text.as_bytes());
        assert_agrees(format!("[{text}]").as_bytes());
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Spans, pointers, line index
// ---------------------------------------------------------------------------------------------

/// Every node's span is exactly its value's text: no surrounding whitespace, and re-parsing the
/// slice gives the same value; every key's span is the quoted key; `pointer_to` finds each node.
fn check_spans(text: &str) {
    let root = parse(text).unwrap();
    assert_eq!(
        root.span,
        Span::new(
            (text.len() - text.trim_start_matches([' ', '\t', '\n', '\r']).len()) as u32,
            text.trim_end_matches([' ', '\t', '\n', '\r']).len() as u32,
        )
    );
    walk(&root, "", &mut |node, pointer| {
        let slice = &text[node.span.range()];
        let reparsed = parse(slice).unwrap_or_else(|e| panic!("{slice:?} does not parse: {e:?}"));
        assert_eq!(reparsed.span, Span::new(0, slice.len() as u32));
        assert_eq!(to_serde(&reparsed), to_serde(node));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(slice).unwrap(),
            to_serde(node)
        );
        assert_eq!(
            root.pointer_to(node.span).as_deref(),
            Some(pointer),
            "{slice:?}"
        );
        if let Value::Object(members) = &node.value {
            for member in members {
                let key_text = &text[member.key.span.range()];
                assert!(
                    key_text.len() >= 2 && key_text.starts_with('"') && key_text.ends_with('"')
                );
                assert_eq!(parse(key_text).unwrap().as_str(), Some(&*member.key.name));
                assert!(member.key.span.end <= member.value.span.start);
                let token = member.key.name.replace('~', "~0").replace('/', "~1");
                assert_eq!(
                    root.pointer_to(member.key.span),
                    Some(format!("{pointer}/{token}"))
                );
            }
        }
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn spans_slice_exact_values(text in arb_doc_text()) {
        // The documents are valid JSON: a parse failure is a bug, and check_spans reports it.
        check_spans(&text);
    }

    #[test]
    fn spans_slice_exact_values_pretty(value in arb_serde_value()) {
        check_spans(&serde_json::to_string_pretty(&value).unwrap());
        check_spans(&format!(" \r\n{}\t\n", serde_json::to_string(&value).unwrap()));
    }
}

#[test]
fn pointers_escape_tilde_and_slash() {
    let text = r#"{"a/b": {"m~n": [0, {"": 1, "~1": true}]}, "a/b": null}"#;
    let root = parse(text).unwrap();
    let at = |needle: &str| {
        let start = text.find(needle).unwrap() as u32;
        Span::new(start, start + needle.len() as u32)
    };
    assert_eq!(root.pointer_to(root.span).as_deref(), Some(""));
    assert_eq!(
        root.pointer_to(at("\"m~n\"")).as_deref(),
        Some("/a~1b/m~0n")
    );
    assert_eq!(root.pointer_to(at("0")).as_deref(), Some("/a~1b/m~0n/0"));
    assert_eq!(root.pointer_to(at("1,")), None);
    assert_eq!(root.pointer_to(at("1")).as_deref(), Some("/a~1b/m~0n/1/"));
    assert_eq!(
        root.pointer_to(at("true")).as_deref(),
        Some("/a~1b/m~0n/1/~01")
    );
    assert_eq!(root.pointer_to(at("null")).as_deref(), Some("/a~1b"));
    // Spans that are not exactly a node or a key have no pointer.
    assert_eq!(root.pointer_to(Span::new(0, 2)), None);
    assert_eq!(root.pointer_to(at("m~n")), None);
    assert_eq!(root.pointer_to(Span::new(0, text.len() as u32 + 1)), None);
}

#[test]
fn line_index_on_a_crlf_policy() {
    let text = "{\r\n  \"Sid\": \"é😀\",\r\n  \"Effect\": \"Allow\"\r\n}\r\n";
    let index = LineIndex::new(text);
    let allow = text.find("\"Allow\"").unwrap() as u32;
    let lc = index.line_col(text, allow);
    assert_eq!((lc.line, lc.column), (3, 13));
    assert_eq!(index.utf16_position(text, allow), (2, 12));
    // 13 scalar values (14 UTF-16 units) precede the comma after `"é😀"` on line 2.
    let comma = text.find("\",").unwrap() as u32 + 1;
    let lc = index.line_col(text, comma);
    assert_eq!((lc.line, lc.column), (2, 14));
    assert_eq!(index.utf16_position(text, comma), (1, 14));
    let close = text.find('}').unwrap() as u32;
    let lc = index.line_col(text, close);
    assert_eq!((lc.line, lc.column), (4, 1));
    assert_eq!(index.utf16_position(text, close), (3, 0));
    let lc = index.line_col(text, text.len() as u32);
    assert_eq!((lc.line, lc.column), (5, 1));
    // Errors land where the editor should underline them.
    let bad = "{\r\n  \"Sid\": \"é\",\r\n  \"Effect\": 'Allow'\r\n}";
    let e = parse(bad).unwrap_err();
    let lc = LineIndex::new(bad).line_col(bad, e.span.start);
    assert_eq!((lc.line, lc.column), (3, 13));
}

proptest! {
    #[test]
    fn line_index_matches_a_naive_count(text in "[a\\r\\né😀\\n]{0,40}", offset in 0usize..200) {
        let offset = offset.min(text.len());
        prop_assume!(text.is_char_boundary(offset));
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let index = LineIndex::new(&text);
        let lc = index.line_col(&text, offset as u32);
        prop_assert_eq!(lc.line as usize, before.matches('\n').count() + 1);
        prop_assert_eq!(lc.column as usize, before[line_start..].chars().count() + 1);
        let (line, column) = index.utf16_position(&text, offset as u32);
        prop_assert_eq!(line as usize, before.matches('\n').count());
        prop_assert_eq!(column as usize, before[line_start..].encode_utf16().count());
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Robustness
// ---------------------------------------------------------------------------------------------

#[test]
fn hundred_thousand_open_brackets_do_not_overflow() {
    let text = "[".repeat(100_000);
    let e = parse(&text).unwrap_err();
    assert_eq!(e.span.start as usize, MAX_DEPTH);
    assert!(e.message.contains("nesting"), "{e:?}");
    let text = nested_arrays(100_000);
    assert_eq!(parse(&text).unwrap_err().span.start as usize, MAX_DEPTH);
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
}

#[test]
fn hundred_thousand_nested_objects_do_not_overflow() {
    let text = "{\"a\":".repeat(100_000);
    let e = parse(&text).unwrap_err();
    assert_eq!(e.span.start as usize, 5 * MAX_DEPTH);
    assert!(e.message.contains("nesting"), "{e:?}");
    let text = nested_objects(100_000);
    assert_eq!(parse(&text).unwrap_err().span.start as usize, 5 * MAX_DEPTH);
}

#[test]
fn twenty_megabyte_string() {
    const LEN: usize = 20 * 1024 * 1024;
    let text = format!("{{\"s\":\"{}\"}}", "é".repeat(LEN / 2));
    let root = parse(&text).unwrap();
    let member = &root.as_object().unwrap()[0];
    assert_eq!(member.value.as_str().unwrap().len(), LEN);
    assert_eq!(member.value.span, Span::new(5, 5 + LEN as u32 + 2));
    // With an escape, the owned path.
    let text = format!("\"{}\\t{}\"", "a".repeat(LEN / 2), "b".repeat(LEN / 2));
    let root = parse(&text).unwrap();
    assert_eq!(root.as_str().unwrap().len(), LEN + 1);
    assert_eq!(root.as_str().unwrap().as_bytes()[LEN / 2], b'\t');
}

#[test]
fn million_element_array() {
    let mut text = String::with_capacity(3_000_000);
    text.push('[');
    for i in 0..1_000_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(["0", "-1", "2.5", "\"x\"", "null", "{}"][i % 6]);
    }
    text.push(']');
    let root = parse(&text).unwrap();
    let items = root.as_array().unwrap();
    assert_eq!(items.len(), 1_000_000);
    assert_eq!(
        items.iter().filter(|n| n.as_object().is_some()).count(),
        1_000_000 / 6
    );
    let last = items.last().unwrap();
    assert_eq!(
        &text[last.span.range()],
        ["0", "-1", "2.5", "\"x\"", "null", "{}"][999_999 % 6]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = parse_bytes(&bytes);
        assert_agrees(&bytes);
    }

    #[test]
    fn random_text_never_panics(text in any::<String>()) {
        if let Err(e) = parse(&text) {
            prop_assert!(e.span.end as usize <= text.len());
            prop_assert!(text.is_char_boundary(e.span.start as usize));
            prop_assert!(text.is_char_boundary(e.span.end as usize));
        }
    }
}
