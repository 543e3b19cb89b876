//! Hostile and huge inputs through the real binary. Every test bounds a count or a size, never
//! wall time: a quadratic path shows up as a suite that does not finish, not as a flaky timing.
//!
//! CI runs as root, so permission bits do not make a file unreadable; "unreadable" is tested
//! with what root cannot read either: a dangling symlink (also how a file that vanishes after
//! the walk listed it looks), a FIFO (never opened: reading one could block forever) and a
//! directory named `x.json`.

use std::os::unix::ffi::OsStrExt;
use std::time::SystemTime;

use iamlint::policy::glob;

mod common;

use common::{iamlint, run};

const BROKEN: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
const CLEAN: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;

#[test]
fn a_million_statements_complete_and_duplicate_sids_are_exact() {
    let dir = tempfile::tempdir().unwrap();
    let n = 1_000_000;
    let mut text = String::with_capacity(n * 70);
    text.push_str("{\"Version\":\"2012-10-17\",\"Statement\":[\n");
    for i in 0..n {
        // Three statements share the Sid `S7`: statements 7, 500000 and 999999.
        let sid = if i == 500_000 || i == n - 1 { 7 } else { i };
        if i > 0 {
            text.push_str(",\n");
        }
        text.push_str(&format!(
            "{{\"Sid\":\"S{sid}\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}"
        ));
    }
    text.push_str("]}\n");
    std::fs::write(dir.path().join("huge.json"), &text).unwrap();
    std::fs::write(
        dir.path().join("iamlint.toml"),
        "max-file-size = 200000000\n",
    )
    .unwrap();
    let (code, out, err) = run(iamlint(dir.path()).args([
        "check",
        "--format",
        "concise",
        "--select",
        "duplicate-sid",
        "huge.json",
    ]));
    assert_eq!(code, 1, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    // 500001 and 1000001: the lines of the repeats (line 1 is the opening).
    assert!(lines[0].starts_with("huge.json:500002:"), "{out}");
    assert!(lines[1].starts_with("huge.json:1000001:"), "{out}");
    assert!(lines[0].contains("IAM013"), "{out}");
    assert!(lines[2].starts_with("Found 2 problems"), "{out}");
}

#[test]
fn twenty_thousand_findings_on_one_line_complete() {
    // Every statement repeats the first one's Sid: 19,999 findings, each with a related span and
    // a JSON Pointer, all in every line-based format and the human one.
    let dir = tempfile::tempdir().unwrap();
    let statement = r#"{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#;
    let n = 20_000;
    let body = vec![statement; n].join(",");
    // One line: columns must not be counted from the line start for each finding.
    let text = format!("{{\"Version\":\"2012-10-17\",\"Statement\":[{body}]}}");
    std::fs::write(dir.path().join("same.json"), &text).unwrap();
    for format in ["concise", "json", "human"] {
        let output = iamlint(dir.path())
            .args(["check", "--no-config", "--format", format, "same.json"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let out = String::from_utf8(output.stdout).unwrap();
        let findings = out.matches("already used by another statement").count();
        assert_eq!(findings, n - 1, "{format}");
        // Each finding shows its own stretch of the line, never the whole file (1.4 MB).
        assert!(out.len() < 2_000 * n, "{format}: {} bytes", out.len());
    }
}

#[test]
fn a_hundred_megabyte_file_is_reported_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    // Sparse: it takes no disk space, and reading it would allocate 100 MB.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    drop(file);
    let (code, out, _) =
        run(iamlint(dir.path()).args(["check", "--no-config", "--format", "json", "big.json"]));
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{out}");
    assert_eq!(diagnostics[0]["name"], "file-too-large");
    assert!(diagnostics[0]["message"]
        .as_str()
        .unwrap()
        .contains("104857600 bytes"));
    // That it was not read (no 100 MB allocation) is checked by peak memory in
    // tests/robustness_memory.rs, which runs alone so no other child skews the figure.
}

#[test]
fn a_hundred_thousand_nested_arrays_are_invalid_json_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[".repeat(100_000) + &"]".repeat(100_000);
    std::fs::write(dir.path().join("deep.json"), text).unwrap();
    let (code, out, err) =
        run(iamlint(dir.path()).args(["check", "--no-config", "--format", "concise", "deep.json"]));
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("IAM001"), "{out}");
    assert!(out.contains("nesting is deeper than 127 levels"), "{out}");
    assert_eq!(out.lines().count(), 2, "{out}");
}

#[test]
fn ten_thousand_files_are_all_checked() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..10_000 {
        let sub = dir.path().join(format!("d{}", i % 100));
        if i < 100 {
            std::fs::create_dir(&sub).unwrap();
        }
        let text = if i % 1000 == 0 { BROKEN } else { CLEAN };
        std::fs::write(sub.join(format!("p{i}.json")), text).unwrap();
    }
    let (code, out, _) =
        run(iamlint(dir.path()).args(["check", "--no-config", "--format", "concise"]));
    assert_eq!(code, 1);
    assert_eq!(out.matches("IAM011").count(), 10, "{out}");
    assert!(out.ends_with("in 10000 files.\n"), "{out}");
}

#[test]
fn a_directory_symlink_loop_is_an_error_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("iam/sub")).unwrap();
    std::fs::write(dir.path().join("iam/broken.json"), BROKEN).unwrap();
    std::fs::write(dir.path().join("iam/sub/clean.json"), CLEAN).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("iam/sub/loop")).unwrap();
    let (code, out, err) =
        run(iamlint(dir.path()).args(["check", "--no-config", "--format", "concise", "iam"]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("symlink loop"), "{err}");
    assert!(out.contains("iam/broken.json:1:"), "{out}");
    assert!(out.ends_with("in 2 files.\n"), "{out}");
}

#[test]
fn unreadable_entries_are_errors_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let iam = dir.path().join("iam");
    std::fs::create_dir(&iam).unwrap();
    std::fs::write(iam.join("broken.json"), BROKEN).unwrap();
    // A file that vanished: its name is still listed, its content is gone.
    std::os::unix::fs::symlink("gone.json", iam.join("vanished.json")).unwrap();
    std::fs::create_dir(iam.join("dir.json")).unwrap();
    let fifo = iam.join("fifo.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());

    let (code, out, err) =
        run(iamlint(dir.path()).args(["check", "--no-config", "--format", "concise", "iam"]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("vanished.json"), "{err}");
    assert!(out.contains("iam/broken.json:1:"), "{out}");
    // The directory and the FIFO are not policy files: skipped by the walk, never opened.
    assert!(out.ends_with("in 1 file.\n"), "{out}");

    // Named explicitly, each is an error that says what it is.
    for (name, says) in [
        ("iam/vanished.json", "symbolic link to a missing file"),
        ("iam/fifo.json", "not a regular file"),
    ] {
        let (code, _, err) = run(iamlint(dir.path()).args(["check", "--no-config", name]));
        assert_eq!(code, 2, "{name}");
        assert!(err.contains(says), "{name}: {err}");
    }
}

#[test]
fn a_file_name_that_is_not_utf8_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.json");
    std::fs::write(dir.path().join(name), BROKEN).unwrap();
    let (code, out, err) =
        run(iamlint(dir.path()).args(["check", "--no-config", "--format", "concise"]));
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("caf\u{fffd}.json:1:"), "{out}");
    assert!(out.contains("IAM011"), "{out}");
}

#[test]
fn adversarial_wildcards_stay_within_the_step_bound() {
    // The engine's glob is the only matcher with a counter; every pattern of the document below
    // goes through it against a long resource, and the total work is bounded by the sum of
    // pattern × text sizes (a backtracking matcher would take exponential time).
    let evil = "*a".repeat(50) + "*b";
    let long = format!("arn:aws:s3:::{}", "a".repeat(5_000));
    let statements: Vec<String> = (0..2_000)
        .map(|i| {
            format!(
                r#"{{"Sid":"S{i}","Effect":"Allow","Action":"s3:{evil}","Resource":"arn:aws:s3:::{evil}"}}"#
            )
        })
        .collect();
    let text = format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{}]}}",
        statements.join(",")
    );
    // Through the whole pipeline first: it must complete; the findings are its size and, for
    // each statement, that the action pattern matches no action of `s3` (it does not).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("evil.json"), &text).unwrap();
    let (code, out, _) = run(iamlint(dir.path()).args([
        "check",
        "--no-config",
        "--format",
        "concise",
        "--quiet",
        "evil.json",
    ]));
    assert_eq!(code, 1, "{out}");
    let count = |rule: &str| out.lines().filter(|l| l.ends_with(rule)).count();
    assert_eq!(count("(policy-too-large)"), 1, "{out}");
    assert_eq!(count("(action-matches-nothing)"), 2_000);
    assert_eq!(out.lines().count(), 2_001);

    let node = iamlint::source::parse(&text).unwrap();
    let policy = iamlint::policy::build(&node).0.unwrap();
    let mut steps = 0u64;
    let mut bound = 0u64;
    for statement in &policy.statements {
        for item in &statement.resource.as_ref().unwrap().items {
            let tokens = glob::compile(item.value);
            assert!(!glob::matches_counting(&tokens, &long, false, &mut steps));
            bound += (tokens.len() as u64 + 1) * (long.len() as u64 + 1);
        }
    }
    assert!(steps <= bound, "{steps} > {bound}");
    // And far below it: the two-pointer matcher rescans only from the last star.
    assert!(steps < 2_000 * 20 * long.len() as u64, "{steps}");
}

#[test]
fn checking_never_writes_to_what_it_checks() {
    let dir = tempfile::tempdir().unwrap();
    let iam = dir.path().join("iam");
    std::fs::create_dir(&iam).unwrap();
    std::fs::write(iam.join("broken.json"), BROKEN).unwrap();
    std::fs::write(iam.join("clean.json"), CLEAN).unwrap();
    std::fs::write(iam.join("invalid.json"), "{\"Version\": ").unwrap();
    let old = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    let snapshot = || {
        let mut entries: Vec<(String, Vec<u8>, SystemTime)> = std::fs::read_dir(&iam)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let meta = e.metadata().unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                    meta.modified().unwrap(),
                )
            })
            .collect();
        entries.sort();
        entries
    };
    for entry in std::fs::read_dir(&iam).unwrap() {
        let file = std::fs::File::options()
            .write(true)
            .open(entry.unwrap().path())
            .unwrap();
        file.set_modified(old).unwrap();
    }
    // Read-only, as far as permission bits go (root, as in CI, could still write).
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&iam, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot();
    for format in ["human", "concise", "json", "sarif", "github"] {
        let (code, out, _) =
            run(iamlint(dir.path()).args(["check", "--no-config", "--format", format, "iam"]));
        assert_eq!(code, 1, "{format}: {out}");
    }
    assert_eq!(snapshot(), before);
    assert!(before.iter().all(|(_, _, modified)| *modified == old));
    std::fs::set_permissions(&iam, std::fs::Permissions::from_mode(0o755)).unwrap();
}
