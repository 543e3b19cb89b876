//! Bytes → the Terraform HCL front end, then the whole Terraform pipeline (policies found,
//! `jsonencode` and policy-document blocks converted, strings decoded, placeholders, every rule).
//! Any panic is a bug, and every span must be inside the text and on character boundaries
//! (reporters slice the text by them).
#![no_main]

use iamlint::rules::{check, check_terraform, registry, CheckOptions, Discovery, ModuleFile};
use iamlint::source::{parse_hcl, FileId, Span, Syntax};
use libfuzzer_sys::fuzz_target;

fn check_span(text: &str, span: Span) {
    assert!(
        span.start <= span.end && span.end as usize <= text.len(),
        "{span:?}"
    );
    assert!(text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize));
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(error) = parse_hcl(text) {
        check_span(text, error.span);
    }
    let options = CheckOptions {
        rules: registry::BUILTIN,
        kind: None,
        max_file_size: 1 << 20,
    };
    for d in check(FileId(0), data, Syntax::Hcl, &options, Discovery::Named).diagnostics {
        check_span(text, d.span);
    }
    // The same text as another file of its module and as its `.tfvars`: its variables' defaults
    // and values then resolve the references, through the paths that read other files.
    let sibling = std::sync::Arc::new(ModuleFile::new(text.to_string()));
    let tfvars = [text.to_string()];
    for d in check_terraform(FileId(0), data, &[sibling], &tfvars, &[], &options).diagnostics {
        check_span(text, d.span);
    }
});
