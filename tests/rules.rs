//! Every rule has fixtures under `fixtures/rules/<rule-name>/`: each `fires*.json` (or `.yaml`, a
//! CloudFormation template) must make the rule fire (its findings are snapshot-tested) and each
//! `silent*.json` (or `.yaml`) must not. A fixture named
//! `*.trust.json` (or `.identity`, `.resource`, `.key`) is checked as that kind; others are
//! inferred.

use std::path::Path;

use iamlint::policy::{Kind, KindOrigin};
use iamlint::report::{self, Format, Report, Style};
use iamlint::rules::{registry, CheckOptions, Diagnostic, Discovery, Rule};
use iamlint::source::{FileId, Files, Syntax};

fn rule_for(fixture: &Path) -> &'static Rule {
    let name = fixture
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    registry::find(name).unwrap_or_else(|| panic!("fixtures/rules/{name} does not name a rule"))
}

fn declared_kind(fixture: &Path) -> Option<(Kind, KindOrigin)> {
    let stem = fixture.file_stem()?.to_str()?;
    let kind = Kind::parse(stem.rsplit('.').next()?)?;
    Some((kind, KindOrigin::Config))
}

fn check(fixture: &Path, rule: &'static Rule) -> (Files, Vec<Diagnostic>) {
    let bytes = std::fs::read(fixture).unwrap();
    let rules = [rule];
    // A fixture cannot be megabytes; the size rule is tested against a small limit instead.
    let max_file_size = if rule.meta.name == "file-too-large" {
        200
    } else {
        1 << 20
    };
    let options = CheckOptions {
        rules: &rules,
        kind: declared_kind(fixture),
        max_file_size,
    };
    let syntax = Syntax::of(&fixture.to_string_lossy(), &bytes);
    let diagnostics =
        iamlint::rules::check(FileId(0), &bytes, syntax, &options, Discovery::Named).diagnostics;
    let mut files = Files::default();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shown = fixture
        .strip_prefix(root)
        .unwrap_or(fixture)
        .to_string_lossy()
        .replace('\\', "/");
    files.add(shown, String::from_utf8_lossy(&bytes).into_owned());
    (files, diagnostics)
}

fn render(files: &Files, diagnostics: &[Diagnostic], format: Format) -> String {
    let report = Report {
        files,
        diagnostics,
        files_checked: 1,
        files_skipped: 0,
        documents: &[],
        uri_base: None,
    };
    let mut out = Vec::new();
    report::write(
        &report,
        format,
        &Style {
            color: false,
            quiet: true,
        },
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn rules_fire_on_their_fixtures() {
    insta::glob!("../fixtures/rules", "*/fires*.{json,yaml,tf}", |path| {
        let rule = rule_for(path);
        let (files, diagnostics) = check(path, rule);
        assert!(
            !diagnostics.is_empty(),
            "{} did not fire on {}",
            rule.meta.name,
            path.display()
        );
        let snapshot = format!(
            "{}\n{}",
            render(&files, &diagnostics, Format::Concise),
            render(&files, &diagnostics, Format::Human)
        );
        insta::assert_snapshot!(snapshot);
    });
}

#[test]
fn rules_stay_silent_on_their_fixtures() {
    insta::glob!("../fixtures/rules", "*/silent*.{json,yaml,tf}", |path| {
        let rule = rule_for(path);
        let (files, diagnostics) = check(path, rule);
        assert!(
            diagnostics.is_empty(),
            "{} fired on {}:\n{}",
            rule.meta.name,
            path.display(),
            render(&files, &diagnostics, Format::Concise)
        );
    });
}

#[test]
fn every_rule_has_fixtures_that_fire_and_stay_silent() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    for rule in registry::BUILTIN {
        let dir = root.join(rule.meta.name);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{} has no fixtures in {}", rule.meta.name, dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("fires")),
            "{} has no fires*.json",
            rule.meta.name
        );
        assert!(
            names.iter().any(|n| n.starts_with("silent")),
            "{} has no silent*.json",
            rule.meta.name
        );
    }
}
