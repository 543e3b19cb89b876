//! Every file in `fixtures/fuzz-regressions/` through what the `pipeline` fuzz target runs:
//! `check_document` with every rule, as every kind, then every report format. Inputs that once
//! crashed a fuzz target (and the shapes the human format's line windows must survive) stay
//! here so the bug cannot come back unnoticed.

use iamlint::policy::{Kind, KindOrigin};
use iamlint::report::{self, Format, Report, Style};
use iamlint::rules::{check_document, registry, CheckOptions};
use iamlint::source::{FileId, Files};

#[test]
fn fuzz_regressions_run_clean_through_every_format() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz-regressions");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        for kind in [
            None,
            Some(Kind::Identity),
            Some(Kind::Trust),
            Some(Kind::Key),
            Some(Kind::Resource),
        ] {
            let options = CheckOptions {
                rules: registry::BUILTIN,
                kind: kind.map(|k| (k, KindOrigin::Flag)),
                max_file_size: 1 << 20,
            };
            let diagnostics = check_document(FileId(0), &bytes, &options);
            assert!(!diagnostics.is_empty(), "{}", path.display());
            let mut files = Files::default();
            files.add("x.json", String::from_utf8_lossy(&bytes).into_owned());
            let report = Report {
                files: &files,
                diagnostics: &diagnostics,
                files_checked: 1,
                uri_base: None,
                documents: &[],
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
                report::write(&report, format, &style, &mut out).unwrap();
                let text = String::from_utf8(out).unwrap();
                if matches!(format, Format::Json | Format::Sarif) {
                    serde_json::from_str::<serde_json::Value>(&text).unwrap();
                }
                // Every finding is rendered, and none shows more than its own stretch of text.
                assert!(
                    text.len() < 4_096 * (diagnostics.len() + 1),
                    "{}",
                    path.display()
                );
            }
        }
    }
}
