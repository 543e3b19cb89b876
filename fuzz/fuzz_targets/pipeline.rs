//! Bytes → `check_document` with every built-in rule → every report format. Any panic is a bug.
#![no_main]

use iamlint::policy::{Kind, KindOrigin};
use iamlint::report::{self, Format, Report, Style};
use iamlint::rules::{check_document, registry, CheckOptions};
use iamlint::source::{FileId, Files};
use libfuzzer_sys::fuzz_target;

const KINDS: [Option<Kind>; 5] = [
    None,
    Some(Kind::Identity),
    Some(Kind::Trust),
    Some(Kind::Resource),
    Some(Kind::Key),
];

fuzz_target!(|data: &[u8]| {
    // The first byte picks the declared kind, so kind-dependent rules see every kind.
    let (kind, bytes) = match data.split_first() {
        Some((first, rest)) => (KINDS[*first as usize % KINDS.len()], rest),
        None => (None, data),
    };
    let options = CheckOptions {
        rules: registry::BUILTIN,
        kind: kind.map(|k| (k, KindOrigin::Flag)),
        max_file_size: 1 << 20,
    };
    let diagnostics = check_document(FileId(0), bytes, &options);
    let mut files = Files::default();
    files.add("fuzz.json", String::from_utf8_lossy(bytes).into_owned());
    let report = Report {
        files: &files,
        diagnostics: &diagnostics,
        files_checked: 1,
        files_skipped: 0,
        documents: &[],
        uri_base: None,
    };
    for format in [
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
    ] {
        let mut out = Vec::new();
        let style = Style {
            color: false,
            quiet: false,
        };
        report::write(&report, format, &style, &mut out).expect("writing to memory");
        if matches!(format, Format::Json | Format::Sarif) {
            serde_json::from_slice::<serde_json::Value>(&out).expect("the report is valid JSON");
        }
    }
});
