//! The template baseline of `scripts/bench-templates.sh`: the bare minimum for the files `iamlint
//! check DIR` reads, in one process — walk DIR as iamlint does (`ignore`, `.gitignore` honoured),
//! read each file, then run the parser iamlint builds on, and nothing else:
//! `saphyr-parser`'s events for `*.yaml`/`*.yml` (and a `*.template` not starting with `{`),
//! `serde_json::Value` for `*.json` and other `*.template`, `hcl-edit`'s `parse_body` for `*.tf`.
//! In parallel on the same rayon pool size as iamlint. Prints how many files parsed.

use rayon::prelude::*;

const EXTENSIONS: [&str; 5] = ["json", "yaml", "yml", "template", "tf"];

fn main() {
    let mut files = Vec::new();
    for root in std::env::args().skip(1) {
        for entry in ignore::WalkBuilder::new(root).require_git(false).build() {
            let entry = entry.expect("readable entry");
            let known = entry
                .path()
                .extension()
                .is_some_and(|e| EXTENSIONS.iter().any(|known| e.eq_ignore_ascii_case(known)));
            if known && entry.file_type().is_some_and(|t| t.is_file()) {
                files.push(entry.into_path());
            }
        }
    }
    let parsed = files.par_iter().filter(|path| parses(path)).count();
    println!("{parsed} of {} files parsed", files.len());
}

fn parses(path: &std::path::Path) -> bool {
    let bytes = std::fs::read(path).expect("readable file");
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return false;
    };
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("tf") => hcl_edit::parser::parse_body(text).is_ok(),
        Some("yaml" | "yml") => yaml_events(text),
        Some("template") if !text.trim_start().starts_with('{') => yaml_events(text),
        _ => serde_json::from_str::<serde_json::Value>(text).is_ok(),
    }
}

/// Every event of the stream, until its end or the first error.
fn yaml_events(text: &str) -> bool {
    saphyr_parser::Parser::new_from_str(text).all(|event| event.is_ok())
}
