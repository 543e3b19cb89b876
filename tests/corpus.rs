//! Every built-in rule over AWS's own managed policies (`../shared/corpus/aws-managed/`, next to
//! the repository when present). Real policies are the best test for false positives: an
//! `error` finding there is either a bug in a rule or an examined true finding (or catalog lag)
//! listed in `tests/corpus-allow.tsv`, and an entry there that no longer fires is stale.
//! `CORPUS_PRINT=1` prints the current errors in the allow-list's format.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use iamlint::rules::{check_document, registry, CheckOptions, Severity};
use iamlint::source::FileId;

/// AWS managed policies are exempt from the 6,144-character quota on customer managed policies
/// (ReadOnlyAccess alone is several times larger), so `policy-too-large` is right for a copy a
/// customer would create and says nothing about the rules being wrong here.
const EXEMPT_CODES: [&str; 1] = ["IAM020"];

/// The most `error` findings AWS's own policies may have: each is examined and listed, but a
/// growing list means rules that cry wolf on real policies (issue #14's target).
const MAX_ERRORS: usize = 25;

type Entry = (String, String, String);

fn allow_list() -> BTreeSet<Entry> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus-allow.tsv");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let mut next = || fields.next().unwrap_or_default().to_string();
            (next(), next(), next())
        })
        .collect()
}

#[test]
fn aws_managed_policies_have_no_unexamined_errors() {
    let Some(dir) = common::shared("corpus/aws-managed") else {
        return;
    };
    let listing = std::fs::read_dir(&dir).unwrap();
    let mut paths: Vec<_> = listing
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "{} holds no policies", dir.display());

    let options = CheckOptions {
        rules: registry::BUILTIN,
        kind: None,
        max_file_size: 10 << 20,
    };
    let mut counts: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    let mut errors: BTreeSet<Entry> = BTreeSet::new();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for d in check_document(FileId(0), &bytes, &options) {
            *counts
                .entry((d.rule.code, d.rule.name, d.severity.as_str()))
                .or_default() += 1;
            if d.severity == Severity::Error && !EXEMPT_CODES.contains(&d.rule.code) {
                let value = text.get(d.span.range()).unwrap_or_default();
                let value = value.trim_matches('"').to_string();
                errors.insert((name.clone(), d.rule.code.to_string(), value));
            }
        }
    }

    println!("{} policies checked; findings per rule:", paths.len());
    for ((code, name, severity), n) in &counts {
        println!("{n:6}  {severity:10} {code} {name}");
    }
    if std::env::var_os("CORPUS_PRINT").is_some() {
        for (file, code, value) in &errors {
            println!("{file}\t{code}\t{value}");
        }
    }

    assert!(
        errors.len() <= MAX_ERRORS,
        "{} error findings on AWS managed policies, more than the {MAX_ERRORS} allowed",
        errors.len()
    );
    let allowed = allow_list();
    let unexpected: Vec<_> = errors.difference(&allowed).collect();
    let stale: Vec<_> = allowed.difference(&errors).collect();
    assert!(
        unexpected.is_empty(),
        "{} error findings on AWS managed policies are not in tests/corpus-allow.tsv (fix the rule, or examine and list them):\n{unexpected:#?}",
        unexpected.len()
    );
    assert!(
        stale.is_empty(),
        "{} entries of tests/corpus-allow.tsv no longer fire; remove them:\n{stale:#?}",
        stale.len()
    );
}
