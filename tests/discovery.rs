//! Policy discovery: a walk checks only the JSON files that look like policies, skipping the
//! others silently (`--verbose` lists them); a file named explicitly is always checked, and one
//! that is not a policy gets exactly one `not-a-policy`; `--force-exclude` (the pre-commit
//! hooks) applies discovery and the config's `exclude` to named files too. And the kinds: the
//! `[[files]]` table, `--kind`, and each document's kind in the JSON and SARIF outputs.

use std::path::{Path, PathBuf};

mod common;

use common::{iamlint, run, workspace};

fn fixture_repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/discovery")
}

const CLEAN: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
  ]
}
"#;
const PACKAGE: &str = r#"{"name": "web", "version": "1.0.0", "scripts": {"build": "tsc"}}"#;
const TSCONFIG: &str =
    "{\n  // comments are allowed here\n  \"compilerOptions\": {\"strict\": true},\n}\n";
const DATA: &str = r#"[{"region": "us-east-1", "az": 6}, {"region": "eu-west-1", "az": 3}]"#;

/// The issue's "done when": a new user's repository, `iamlint check .`, exit 0, only the summary.
#[test]
fn a_new_users_repository_passes_with_only_the_summary() {
    let dir = workspace(&[
        ("package.json", PACKAGE),
        ("tsconfig.json", TSCONFIG),
        ("data/regions.json", DATA),
        ("iam/read-reports.json", CLEAN),
    ]);
    let (code, out, err) = run(iamlint(dir.path()).args(["check", "."]));
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (
            0,
            "No problems found in 1 file (3 skipped: not policies).\n",
            ""
        )
    );
}

#[test]
fn a_walk_checks_only_policies_and_verbose_says_what_it_skipped() {
    let (code, out, err) =
        run(iamlint(&fixture_repository()).args(["check", "--format", "concise"]));
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "iam/bare-statements.json:1:1: error[IAM003] this is a bare array of statements, not a policy document (not-a-policy)\n\
         iam/broken.json:4:38: error[IAM011] `allow` is not a valid Effect (invalid-effect)\n\
         iam/truncated.json:5:1: error[IAM001] invalid JSON: expected a member name in double quotes, found the end of the file (invalid-json)\n\
         Found 3 problems (3 errors) in 6 files (3 skipped: not policies).\n"
    );
    assert_eq!(err, "", "skipped silently");

    let (_, _, err) = run(iamlint(&fixture_repository()).args(["check", "--quiet", "--verbose"]));
    assert_eq!(
        err,
        "iamlint: skipped `data/regions.json`: not a policy (a JSON array whose elements are not statements)\n\
         iamlint: skipped `package.json`: not a policy (a JSON object without a `Statement` key or a policy `Version`)\n\
         iamlint: skipped `tsconfig.json`: not a policy (not valid JSON, and no `Statement` key in it)\n"
    );
}

#[test]
fn a_named_file_that_is_not_a_policy_gets_one_finding() {
    let dir = workspace(&[
        ("package.json", PACKAGE),
        (
            "one-statement.json",
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
        ),
    ]);
    let (code, out, _) = run(iamlint(dir.path()).args([
        "check",
        "package.json",
        "one-statement.json",
        "--format",
        "concise",
    ]));
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "one-statement.json:1:1: error[IAM003] this is a bare statement, not a policy document (not-a-policy)\n\
         package.json:1:1: error[IAM003] this is not a policy document: a JSON object without a `Statement` key or a policy `Version` (not-a-policy)\n\
         Found 2 problems (2 errors) in 2 files.\n"
    );
}

#[test]
fn force_exclude_applies_discovery_and_excludes_to_named_files() {
    let dir = workspace(&[
        ("iamlint.toml", "exclude = [\"vendor/**\"]\n"),
        ("package.json", PACKAGE),
        (
            "vendor/broken.json",
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "allow"}}"#,
        ),
        ("iam/clean.json", CLEAN),
    ]);
    let named = [
        "check",
        "package.json",
        "vendor/broken.json",
        "iam/clean.json",
    ];
    let (code, out, _) = run(iamlint(dir.path()).args(named).arg("--force-exclude"));
    assert_eq!(
        (code, out.as_str()),
        (
            0,
            "No problems found in 1 file (2 skipped: not policies).\n"
        )
    );
    // Only excluded or non-policy files staged: nothing to check is not an error.
    let (code, _, err) =
        run(iamlint(dir.path()).args(["check", "--force-exclude", "package.json"]));
    assert_eq!(code, 0, "{err}");
    // Without it, what is named is checked.
    let (code, _, _) = run(iamlint(dir.path()).args(named));
    assert_eq!(code, 1);
}

#[test]
fn include_chooses_what_a_walk_checks() {
    let dir = workspace(&[
        (
            "iamlint.toml",
            "include = [\"policies/**/*.json\", \"**/*.policy\"]\n",
        ),
        ("policies/a.json", CLEAN),
        ("other/b.json", CLEAN),
        ("c.policy", CLEAN),
    ]);
    let (code, out, _) = run(iamlint(dir.path()).args(["check", "--format", "json"]));
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let files: Vec<&str> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["c.policy", "policies/a.json"]);
}

#[test]
fn documents_carry_their_kind_and_where_it_came_from() {
    let (_, out, _) = run(iamlint(&fixture_repository()).args(["check", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let documents: Vec<String> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {} {}:{}",
                d["file"].as_str().unwrap(),
                d["kind"].as_str().unwrap_or("-"),
                d["kind_source"].as_str().unwrap_or("-"),
                d["line"],
                d["column"]
            )
        })
        .collect();
    assert_eq!(
        documents,
        [
            "iam/bare-statements.json - - 1:1",
            "iam/broken.json identity inferred 1:1",
            "iam/clean.json identity inferred 1:1",
            "iam/truncated.json - - 1:1",
            "rcp/tls.json rcp config 1:1",
            "scp/deny-leave.json scp config 1:1",
        ]
    );
    assert_eq!(json["summary"]["skipped"], 3);

    let dir = workspace(&[(
        "p.json",
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}}"#,
    )]);
    let (_, out, _) =
        run(iamlint(dir.path()).args(["check", "p.json", "--kind", "scp", "--format", "sarif"]));
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "IAM018");
    assert_eq!(result["properties"]["kind"], "scp");
    assert_eq!(result["properties"]["kindSource"], "declared");
}

#[test]
fn the_config_declares_the_new_kinds_and_rejects_unknown_ones() {
    // Inferred, this SCP's FullAWSAccess is an identity policy granting everything.
    let (_, out, _) = run(iamlint(&fixture_repository()).args([
        "check",
        "scp",
        "--no-config",
        "--format",
        "concise",
    ]));
    assert!(out.contains("(admin-access)"), "{out}");
    let (code, out, _) =
        run(iamlint(&fixture_repository()).args(["check", "scp", "--format", "concise"]));
    assert_eq!((code, out.as_str()), (0, "No problems found in 1 file.\n"));
    let (code, out, _) = run(iamlint(&fixture_repository()).args([
        "check",
        "scp",
        "--no-config",
        "--kind",
        "scp",
        "--format",
        "concise",
    ]));
    assert_eq!((code, out.as_str()), (0, "No problems found in 1 file.\n"));

    let dir = workspace(&[
        (
            "iamlint.toml",
            "[[files]]\npaths = [\"*.json\"]\nkind = \"vpc-endpoint\"\n",
        ),
        ("p.json", CLEAN),
    ]);
    let (code, _, err) = run(iamlint(dir.path()).arg("check"));
    assert_eq!(code, 2);
    assert!(err.contains("iamlint.toml:3:8:"), "{err}");
    assert!(
        err.contains("endpoint"),
        "the known kinds are listed: {err}"
    );

    let dir = workspace(&[("iamlint.toml", "include = [\"[\"]\n"), ("p.json", CLEAN)]);
    let (code, _, err) = run(iamlint(dir.path()).arg("check"));
    assert_eq!(code, 2);
    assert!(err.contains("iamlint.toml:1:12:"), "{err}");
}
