//! Bytes → the CloudFormation YAML front end, then the whole template pipeline (policies found,
//! strings decoded, placeholders, every rule). Any panic is a bug, and every span must be inside
//! the text and on character boundaries (reporters slice the text by them).
#![no_main]

use iamlint::rules::{check, registry, CheckOptions, Discovery};
use iamlint::source::{parse_yaml, FileId, Node, Span, Syntax, Value};
use libfuzzer_sys::fuzz_target;

fn check_span(text: &str, span: Span) {
    assert!(
        span.start <= span.end && span.end as usize <= text.len(),
        "{span:?}"
    );
    assert!(text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize));
}

fn check_tree(text: &str, root: &Node) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        check_span(text, node.span);
        match &node.value {
            Value::Array(items) => stack.extend(items),
            Value::Object(members) => {
                for member in members {
                    check_span(text, member.key.span);
                    stack.push(&member.value);
                }
            }
            _ => {}
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_yaml(text) {
        Ok(root) => check_tree(text, &root),
        Err(error) => check_span(text, error.span),
    }
    let options = CheckOptions {
        rules: registry::BUILTIN,
        kind: None,
        max_file_size: 1 << 20,
    };
    for syntax in [Syntax::Yaml, Syntax::Json] {
        for d in check(FileId(0), data, syntax, &options, Discovery::Named).diagnostics {
            check_span(text, d.span);
        }
    }
});
