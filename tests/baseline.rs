//! `--baseline` / `--update-baseline`: known findings are ignored, keyed by file, code and JSON
//! Pointer (or message), so they stay ignored when lines move; new findings still fail.

use std::path::Path;

use assert_cmd::Command;

mod common;

const LEGACY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Old", "Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}
  ]
}
"#;

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    common::run(
        Command::cargo_bin("iamlint")
            .unwrap()
            .current_dir(dir)
            .arg("check")
            .args(args),
    )
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("iam")).unwrap();
    std::fs::write(dir.path().join("iam/legacy.json"), LEGACY).unwrap();
    std::fs::write(dir.path().join("iam/broken.json"), "{\"Version\": ").unwrap();
    dir
}

#[test]
fn update_then_only_new_findings_fail() {
    let dir = workspace();
    let (code, out, err) = run(
        dir.path(),
        &["--baseline", "baseline.json", "--update-baseline"],
    );
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert_eq!(err, "iamlint: recorded 2 findings in `baseline.json`\n");
    let written = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    insta::assert_snapshot!(written, @r#"
    {
      "version": 1,
      "findings": [
        {
          "file": "iam/broken.json",
          "code": "IAM001",
          "name": "invalid-json",
          "message": "invalid JSON: expected a JSON value, found the end of the file"
        },
        {
          "file": "iam/legacy.json",
          "code": "IAM011",
          "name": "invalid-effect",
          "pointer": "/Statement/0/Effect"
        }
      ]
    }
    "#);

    let (code, out, _) = run(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!((code, out.as_str()), (0, "No problems found in 2 files.\n"));

    // Lines move (a blank line, a reflowed statement): still known.
    let moved = LEGACY
        .replace("{\n", "{\n\n\n")
        .replace("\"Effect\": \"allow\",", "\n      \"Effect\": \"allow\",\n");
    std::fs::write(dir.path().join("iam/legacy.json"), &moved).unwrap();
    let (code, out, _) = run(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!((code, out.as_str()), (0, "No problems found in 2 files.\n"));

    // A new finding fails, and only it is reported. (Pointers index statements, so a statement
    // added after the known ones keeps their keys.)
    let new = moved.replace(
        "\n  ]",
        ",\n    {\"Effect\": \"Maybe\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]",
    );
    std::fs::write(dir.path().join("iam/legacy.json"), &new).unwrap();
    let (code, out, _) = run(
        dir.path(),
        &[
            "--baseline",
            "baseline.json",
            "--format",
            "concise",
            "--quiet",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "iam/legacy.json:9:16: error[IAM011] `Maybe` is not a valid Effect (invalid-effect)\n"
    );
}

#[test]
fn a_second_identical_finding_is_new() {
    // Two findings with one key (same file, code, message): the baseline counts them.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), "[1]").unwrap();
    std::fs::write(dir.path().join("b.json"), "[1]").unwrap();
    run(
        dir.path(),
        &["--baseline", "base.json", "--update-baseline", "a.json"],
    );
    assert_eq!(run(dir.path(), &["--baseline", "base.json", "a.json"]).0, 0);
    // Named: a walk would skip these non-policies.
    let (code, out, _) = run(
        dir.path(),
        &[
            "--baseline",
            "base.json",
            "--format",
            "concise",
            "--quiet",
            "a.json",
            "b.json",
        ],
    );
    assert_eq!(code, 1);
    assert!(out.starts_with("b.json:1:1: error[IAM003]"), "{out}");
}

#[test]
fn the_config_names_the_baseline_relative_to_itself() {
    let dir = workspace();
    std::fs::write(
        dir.path().join("iamlint.toml"),
        "baseline = \"lint/baseline.json\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("lint")).unwrap();
    let iam = dir.path().join("iam");
    let (code, _, err) = run(&iam, &["--update-baseline"]);
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(dir.path().join("lint/baseline.json")).unwrap();
    // File keys are relative to the baseline's directory, whatever the cwd.
    assert!(
        written.contains("\"file\": \"../iam/legacy.json\""),
        "{written}"
    );
    let (code, out, _) = run(&iam, &[]);
    assert_eq!((code, out.as_str()), (0, "No problems found in 2 files.\n"));
    let (code, _, _) = run(dir.path(), &["iam"]);
    assert_eq!(code, 0, "the same baseline works from the root");
}

#[test]
fn baseline_errors_exit_2() {
    let dir = workspace();
    let (code, _, err) = run(dir.path(), &["--baseline", "missing.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read the baseline `"), "{err}");
    std::fs::write(
        dir.path().join("bad.json.txt"),
        "{\"version\": 9, \"findings\": []}",
    )
    .unwrap();
    let (code, _, err) = run(dir.path(), &["--baseline", "bad.json.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("version 9"), "{err}");
    let (code, _, err) = run(dir.path(), &["--update-baseline"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--update-baseline needs a baseline file"),
        "{err}"
    );
}
