//! The `cloudwatch-logs-import` rule pack end to end: every rule's scenario fixtures (fire /
//! stay silent, snapshot-tested through the CLI), AWS's published example, `init`'s output
//! (clean, and each requirement broken in turn fires exactly its rule), config and pack errors,
//! and `simulate`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use iamlint::rules::pack;

mod common;

use common::run_iamlint;

const EDS: &str =
    "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/f1d45bff-d0e3-4868-b5d9-2eb678aa32fb";
const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cloudwatch-logs-import")
}

/// The rule names in a `check --format json` run.
fn fired(dir: &Path) -> Vec<String> {
    let (code, out, err) = run_iamlint(dir, &["check", "--format", "json"]);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_string())
        .collect()
}

fn rules() -> Vec<&'static str> {
    pack::builtin()[0]
        .rules
        .iter()
        .map(|r| r.meta.name)
        .collect()
}

#[test]
fn every_pack_rule_has_a_scenario_that_fires_and_one_that_stays_silent() {
    for name in rules() {
        for which in ["fires", "silent"] {
            let dir = fixtures().join(name).join(which);
            assert!(
                dir.join("iamlint.toml").is_file(),
                "{name} has no {} scenario",
                dir.display()
            );
        }
    }
}

#[test]
fn pack_rules_fire_and_stay_silent_on_their_scenarios() {
    for name in rules() {
        let fires = fixtures().join(name).join("fires");
        let names = fired(&fires);
        assert!(
            names.iter().any(|n| n == name),
            "{name} did not fire: {names:?}"
        );
        let (_, concise, _) = run_iamlint(&fires, &["check", "--format", "concise", "--quiet"]);
        let (_, human, _) = run_iamlint(&fires, &["check", "--quiet"]);
        insta::assert_snapshot!(format!("pack-{name}"), format!("{concise}\n{human}"));
        let silent = fixtures().join(name).join("silent");
        let names = fired(&silent);
        assert!(
            !names.iter().any(|n| n == name),
            "{name} fired on its silent scenario: {names:?}"
        );
    }
}

#[test]
fn aws_example_reports_its_real_bugs() {
    let dir = fixtures().join("aws-example");
    let names = fired(&dir);
    for expected in [
        "passrole-association-mismatch", // `...:*` cannot match `aws/cloudtrail/<id>`
        "caller-cannot-create-import-task", // scoped to a log-group ARN
        "import-role-missing-permission", // `/aws/cloudtrail/*`, PutResourcePolicy on a log group
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing: {names:?}"
        );
    }
    let missing = names
        .iter()
        .filter(|n| *n == "import-role-missing-permission")
        .count();
    assert_eq!(
        missing, 3,
        "CreateLogGroup, CreateLogStream and PutResourcePolicy"
    );
    let (code, concise, _) = run_iamlint(&dir, &["check", "--format", "concise", "--quiet"]);
    assert_eq!(code, 1);
    let (_, human, _) = run_iamlint(&dir, &["check", "--quiet"]);
    let (_, json, _) = run_iamlint(&dir, &["check", "--format", "json"]);
    insta::assert_snapshot!("aws-example", format!("{concise}\n{human}"));
    insta::assert_snapshot!("aws-example-json", json);
    assert!(json.contains("no leading slash"), "{json}");
}

fn init(dir: &Path, key: bool) {
    let mut args = vec![
        "init",
        "cloudwatch-logs-import",
        "--event-data-store-arn",
        EDS,
        "--role-name",
        "CloudWatchLogsImportRole",
    ];
    if key {
        args.extend(["--kms-key-arn", KEY]);
    }
    let (code, _, err) = run_iamlint(dir, &args);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn init_writes_a_policy_set_that_passes_with_no_diagnostic_at_all() {
    for key in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), key);
        assert_eq!(dir.path().join("key-policy.json").exists(), key);
        let (code, out, err) = run_iamlint(dir.path(), &["check", "--fail-on", "suggestion"]);
        assert_eq!(code, 0, "{out}{err}");
        let files = if key { 4 } else { 3 };
        assert_eq!(out, format!("No problems found in {files} files.\n"));
        // Refuses to overwrite without --force.
        let (code, _, err) = run_iamlint(
            dir.path(),
            &[
                "init",
                "cloudwatch-logs-import",
                "--event-data-store-arn",
                EDS,
                "--role-name",
                "R",
            ],
        );
        assert_eq!(code, 2);
        assert!(err.contains("--force"), "{err}");
    }
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn breaking_each_requirement_fires_exactly_its_rule() {
    let condition = "\"sts:AssumeRole\",\n      \"Condition\": {\n        \"StringEquals\": {\n          \"aws:SourceAccount\": \"123456789012\"\n        }\n      }";
    let cases: &[(&str, bool, &str, &str, &str)] = &[
        ("caller-cannot-create-import-task", false, "caller-policy.json", "\"logs:CreateImportTask\", ", ""),
        ("caller-cannot-pass-import-role", false, "caller-policy.json", "role/CloudWatchLogsImportRole\"", "role/Other\""),
        ("passrole-association-mismatch", false, "caller-policy.json", "log-group:aws/cloudtrail/f1d45bff-d0e3-4868-b5d9-2eb678aa32fb*\"", "log-group:/aws/cloudtrail/*\""),
        ("passrole-association-mismatch", false, "caller-policy.json", "[\"logs.amazonaws.com\", \"cloudtrail.amazonaws.com\"]", "\"logs.amazonaws.com\""),
        ("caller-cannot-read-source", false, "caller-policy.json", "\"cloudtrail:GetEventDataStoreData\"", "\"cloudtrail:GetEventDataStore\""),
        ("caller-cannot-read-source", true, "caller-policy.json", "\"kms:Decrypt\"", "\"kms:Encrypt\""),
        ("import-role-not-trusted", false, "import-role-trust-policy.json", "\"cloudtrail.amazonaws.com\"", "\"logs.amazonaws.com\""),
        ("import-role-not-trusted", false, "import-role-trust-policy.json", "\"aws:SourceAccount\": \"123456789012\"", "\"aws:SourceAccount\": \"999999999999\""),
        ("import-role-trust-unrestricted", false, "import-role-trust-policy.json", condition, "\"sts:AssumeRole\""),
        ("import-role-missing-permission", false, "import-role-policy.json", "[\"logs:CreateLogGroup\", \"logs:CreateLogStream\"]", "\"logs:CreateLogGroup\""),
        ("import-role-missing-permission", false, "import-role-policy.json", "log-group:aws/cloudtrail/", "log-group:/aws/cloudtrail/"),
        ("import-role-missing-kms-permission", true, "import-role-policy.json", "[\"kms:Decrypt\", \"kms:GenerateDataKey\"]", "\"kms:Decrypt\""),
        ("import-role-overly-broad", false, "import-role-policy.json", "\"logs:PutResourcePolicy\"", "\"logs:*\""),
        ("key-policy-missing-cloudtrail-grant", true, "key-policy.json", "[\"kms:Decrypt\", \"kms:GenerateDataKey\"],\n      \"Resource\": \"*\"\n    }\n  ]", "\"kms:Decrypt\",\n      \"Resource\": \"*\"\n    }\n  ]"),
        ("key-policy-unsupported-source-condition", true, "key-policy.json", "[\"kms:Decrypt\", \"kms:GenerateDataKey\"],\n      \"Resource\": \"*\"\n    }\n  ]", "[\"kms:Decrypt\", \"kms:GenerateDataKey\"],\n      \"Resource\": \"*\",\n      \"Condition\": {\"StringNotEqualsIfExists\": {\"aws:SourceAccount\": \"999999999999\"}}\n    }\n  ]"),
        ("key-policy-excludes-import-role", true, "key-policy.json", "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:role/KeyAdmin"),
    ];
    for (rule, key, file, from, to) in cases {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), *key);
        edit(dir.path(), file, from, to);
        let names: BTreeSet<String> = fired(dir.path()).into_iter().collect();
        // `logs:*` on `*` is also, rightly, an unscoped grant that makes the narrower logs
        // statement redundant: built-in rules that see the same breakage.
        let also: &[&str] = if *to == "\"logs:*\"" {
            &["redundant-statement", "unscoped-resource"]
        } else {
            &[]
        };
        let expected: BTreeSet<String> = std::iter::once(*rule)
            .chain(also.iter().copied())
            .map(String::from)
            .collect();
        assert_eq!(names, expected, "{file}: `{from}` → `{to}`");
    }
    // A source condition CloudTrail cannot satisfy breaks the grant: both the error and the
    // warning that names its cause.
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), true);
    edit(
        dir.path(),
        "key-policy.json",
        "[\"kms:Decrypt\", \"kms:GenerateDataKey\"],\n      \"Resource\": \"*\"\n    }\n  ]",
        "[\"kms:Decrypt\", \"kms:GenerateDataKey\"],\n      \"Resource\": \"*\",\n      \"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\"}}\n    }\n  ]",
    );
    let names: BTreeSet<String> = fired(dir.path()).into_iter().collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "key-policy-missing-cloudtrail-grant".to_string(),
            "key-policy-unsupported-source-condition".to_string()
        ])
    );
}

#[test]
fn an_explicit_deny_is_the_primary_span_with_the_overridden_allow_related() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), false);
    edit(
        dir.path(),
        "caller-policy.json",
        "\"Statement\": [",
        "\"Statement\": [\n    {\"Sid\": \"NoImports\", \"Effect\": \"Deny\", \"Action\": \"logs:CreateImportTask\", \"Resource\": \"*\"},",
    );
    let (code, out, _) = run_iamlint(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{out}");
    let d = &diagnostics[0];
    assert_eq!(d["name"], "caller-cannot-create-import-task");
    assert_eq!(d["sid"], "NoImports");
    assert_eq!(d["pointer"], "/Statement/0");
    assert_eq!(d["scenario"], "cloudwatch-logs-import");
    assert_eq!(d["related"][0]["message"], "the Allow this Deny overrides");
    assert_eq!(d["related"][0]["file"], "caller-policy.json");
    assert!(d["help"].as_str().unwrap().contains("\"Resource\": \"*\""));
}

#[test]
fn nothing_close_points_at_the_statement_key() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), false);
    edit(
        dir.path(),
        "import-role-policy.json",
        "\"logs:PutResourcePolicy\"",
        "\"logs:DescribeLogGroups\"",
    );
    let (_, out, _) = run_iamlint(dir.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["name"], "import-role-missing-permission");
    assert_eq!(d["pointer"], "/Statement");
    assert_eq!(d["span"]["length"], 11, "the `\"Statement\"` key");
}

#[test]
fn scenario_files_are_checked_once_as_their_slot_kind() {
    let dir = fixtures().join("import-role-trust-unrestricted/fires");
    let (_, out, _) = run_iamlint(&dir, &["check", "--format", "json", "."]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["files"], 3);
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 1);
    // A request is never linted as a policy.
    let dir = fixtures().join("import-time-range-reversed/fires");
    let names = fired(&dir);
    assert_eq!(names, vec!["import-time-range-reversed".to_string()]);
}

fn scenario_config(extra_documents: &str, extra_parameters: &str) -> String {
    format!(
        "[[scenario]]\npack = \"cloudwatch-logs-import\"\nname = \"s\"\n[scenario.documents]\ncaller-policy = \"caller-policy.json\"\nimport-role-policy = \"import-role-policy.json\"\nimport-role-trust-policy = \"import-role-trust-policy.json\"\n{extra_documents}[scenario.parameters]\nevent-data-store-arn = \"{EDS}\"\n{extra_parameters}"
    )
}

#[test]
fn scenario_config_errors_exit_2_with_the_config_position() {
    let role = "import-role-arn = \"arn:aws:iam::123456789012:role/CloudWatchLogsImportRole\"\n";
    let cases = [
        (
            scenario_config("nope = \"x.json\"\n", role),
            "iamlint.toml:8:8",
            "`nope` is not a document slot",
        ),
        (
            scenario_config("request = \"missing.json\"\n", role),
            "iamlint.toml:8:11",
            "`missing.json` (slot `request`) does not exist",
        ),
        (
            scenario_config("", &format!("{role}colour = \"blue\"\n")),
            "iamlint.toml:11:10",
            "`colour` is not a parameter",
        ),
        (
            scenario_config("", ""),
            "iamlint.toml:3:8",
            "must set parameter `import-role-arn`",
        ),
        (
            scenario_config("", &format!("{role}kms-key-arn = \"{KEY}\"\n")),
            "iamlint.toml:3:8",
            "must bind document slot `key-policy`",
        ),
        (
            scenario_config("", "import-role-arn = \"CloudWatchLogsImportRole\"\n"),
            "iamlint.toml:10:19",
            "is not usable",
        ),
        (
            scenario_config("", role)
                .replace("pack = \"cloudwatch-logs-import\"", "pack = \"nope\""),
            "iamlint.toml:2:8",
            "`nope` is not a rule pack",
        ),
    ];
    for (config, position, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), false);
        std::fs::write(dir.path().join("iamlint.toml"), &config).unwrap();
        let (code, _, err) = run_iamlint(dir.path(), &["check"]);
        assert_eq!(code, 2, "{config}\n{err}");
        assert!(err.contains(position) && err.contains(message), "{err}");
    }
}

const USER_PACK: &str = r###"{
  "pack": "local",
  "summary": "team rules",
  "slots": [{"name": "role", "kind": "identity", "required": true}],
  "parameters": [{"name": "bucket-arn", "type": "string", "required": true}],
  "rules": [
    {
      "code": "LOC001",
      "name": "role-cannot-read-bucket",
      "severity": "error",
      "summary": "the role cannot read the bucket",
      "doc": "## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n## Fix\nx",
      "check": {
        "kind": "grant",
        "slot": "role",
        "principal": {"aws": "arn:aws:iam::123456789012:role/reader"},
        "requirements": [{"actions": ["s3:GetObject"], "resource": "${bucket-arn}/*"}]
      }
    }
  ]
}
"###;

#[test]
fn user_packs_load_from_the_config_and_malformed_ones_exit_2_with_their_position() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("rules/local/s3.json", USER_PACK);
    write(
        "role.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/2024/*"}]}"#,
    );
    write(
        "iamlint.toml",
        "packs = [\"rules/local/*.json\"]\n[[scenario]]\npack = \"local\"\nname = \"reader\"\n[scenario.documents]\nrole = \"role.json\"\n[scenario.parameters]\nbucket-arn = \"arn:aws:s3:::reports\"\n",
    );
    let (code, out, err) = run_iamlint(dir.path(), &["check", "--format", "concise", "--quiet"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("error[LOC001]") && out.contains("s3:GetObject"),
        "{out}"
    );
    let (code, out, _) = run_iamlint(dir.path(), &["check", "--ignore", "LOC", "--quiet"]);
    assert_eq!((code, out.as_str()), (0, ""));
    // `rules` and `explain` see the config's packs too, unless told to ignore the config.
    let (code, out, _) = run_iamlint(dir.path(), &["rules"]);
    assert_eq!(code, 0);
    assert!(out.contains("LOC001") && out.contains("[local]"), "{out}");
    assert!(out.contains("CWLI001"), "built-in packs stay listed");
    let (code, out, err) = run_iamlint(dir.path(), &["explain", "LOC001"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("pack local"), "{out}");
    let (_, out, _) = run_iamlint(dir.path(), &["rules", "--no-config", "--format", "json"]);
    assert!(!out.contains("LOC001") && out.contains("CWLI001"), "{out}");
    write(
        "rules/local/s3.json",
        &USER_PACK.replace("\"slot\": \"role\"", "\"slot\": \"rol\""),
    );
    let (code, _, err) = run_iamlint(dir.path(), &["check"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("s3.json:13:") && err.contains("`rol` is not a slot"),
        "{err}"
    );
    let (code, _, err) = run_iamlint(dir.path(), &["rules"]);
    assert_eq!(code, 2, "a broken pack is the same error for `rules`");
    assert!(err.contains("`rol` is not a slot"), "{err}");
    write(
        "rules/local/s3.json",
        &USER_PACK.replace("\"kind\": \"grant\"", "\"kind\": \"grnat\""),
    );
    let (code, _, err) = run_iamlint(dir.path(), &["check"]);
    assert_eq!(code, 2);
    assert!(err.contains("s3.json:") && err.contains("grnat"), "{err}");
}

#[test]
fn pack_rules_are_listed_explained_and_selectable() {
    let dir = fixtures().join("aws-example");
    let (_, out, _) = run_iamlint(&dir, &["rules"]);
    assert!(
        out.contains("CWLI001") && out.contains("[cloudwatch-logs-import]"),
        "{out}"
    );
    let (code, out, _) = run_iamlint(&dir, &["explain", "passrole-association-mismatch"]);
    assert_eq!(code, 0);
    assert!(out.contains("## Why is this bad?") && out.contains("pack cloudwatch-logs-import"));
    let (_, out, _) = run_iamlint(
        &dir,
        &[
            "check", "--select", "CWLI001", "--format", "concise", "--quiet",
        ],
    );
    assert_eq!(out.lines().count(), 1, "{out}");
    let (_, sarif, _) = run_iamlint(&dir, &["check", "--format", "sarif"]);
    assert!(sarif.contains("\"CWLI003\""), "SARIF lists pack rules");
}

#[test]
fn simulate_prints_the_decision_and_why() {
    let dir = fixtures().join("aws-example");
    let group = "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/f1d45bff-d0e3-4868-b5d9-2eb678aa32fb";
    let (code, out, _) = run_iamlint(
        &dir,
        &[
            "simulate",
            "--policy",
            "policy.json",
            "--action",
            "logs:CreateLogGroup",
            "--resource",
            group,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["decision"], "implicit-deny");
    assert_eq!(json["explanation"][0]["element"], "resource");
    assert_eq!(json["explanation"][0]["file"], "policy.json");
    let (_, out, _) = run_iamlint(
        &dir,
        &[
            "simulate",
            "--policy",
            "policy.json",
            "--action",
            "cloudtrail:GetEventDataStoreData",
            "--resource",
            EDS,
        ],
    );
    assert!(out.starts_with("allowed: "), "{out}");
    assert!(out.contains("Allow policy.json:14:5"), "{out}");
    let (code, out, _) = run_iamlint(
        &dir,
        &[
            "simulate",
            "--policy",
            "policy.json",
            "--action",
            "iam:PassRole",
            "--resource",
            "arn:aws:iam::123456789012:role/apiCallerCredentials",
            "--context",
            &format!("iam:AssociatedResourceArn={group}"),
        ],
    );
    assert_eq!(code, 0);
    assert!(
        out.starts_with("implicit-deny") && out.contains("condition does not match"),
        "{out}"
    );
    let (_, out, _) = run_iamlint(
        &dir,
        &[
            "simulate",
            "--policy",
            "policy.json",
            "--trust-policy",
            "trust.json",
            "--principal",
            "cloudtrail.amazonaws.com",
            "--action",
            "sts:AssumeRole",
            "--resource",
            "arn:aws:iam::123456789012:role/apiCallerCredentials",
            "--context",
            "aws:SourceAccount=123456789012",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["decision"], "allowed");
    assert_eq!(json["matched"][0]["file"], "trust.json");
    for bad in [
        vec![
            "simulate",
            "--policy",
            "missing.json",
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
        ],
        vec![
            "simulate",
            "--policy",
            "policy.json",
            "--action",
            "s3:Get*",
            "--resource",
            "*",
        ],
        vec![
            "simulate",
            "--policy",
            "policy.json",
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
            "--context",
            "novalue",
        ],
        vec![
            "simulate",
            "--policy",
            "published.txt",
            "--action",
            "s3:GetObject",
            "--resource",
            "*",
        ],
    ] {
        assert_eq!(run_iamlint(&dir, &bad).0, 2, "{bad:?}");
    }
}

#[test]
fn a_slot_with_several_files_is_evaluated_together() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), false);
    let caller = std::fs::read_to_string(dir.path().join("caller-policy.json")).unwrap();
    // Move the PassRole statement's grant into a second file: together they still grant it.
    std::fs::write(
        dir.path().join("caller-start.json"),
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "StartImport", "Effect": "Allow", "Action": "logs:CreateImportTask", "Resource": "*"}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("caller-policy.json"),
        caller.replacen("\"logs:CreateImportTask\", ", "", 1),
    )
    .unwrap();
    edit(
        dir.path(),
        "iamlint.toml",
        "caller-policy = \"caller-policy.json\"",
        "caller-policy = [\"caller-policy.json\", \"caller-start.json\"]",
    );
    assert_eq!(fired(dir.path()), Vec::<String>::new());
    // A Deny in one file overrides the Allow in the other, which is shown as related.
    edit(
        dir.path(),
        "caller-policy.json",
        "\"Statement\": [",
        "\"Statement\": [\n    {\"Effect\": \"Deny\", \"Action\": \"logs:Create*\", \"Resource\": \"*\"},",
    );
    let (_, out, _) = run_iamlint(dir.path(), &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["name"], "caller-cannot-create-import-task", "{out}");
    assert_eq!(d["file"], "caller-policy.json");
    assert_eq!(d["related"][0]["file"], "caller-start.json");
}

/// A pack finding names its scenario the same way in every text format (one document can be
/// judged in several scenarios, and two identical lines would hide which).
#[test]
fn every_format_names_the_scenario() {
    let dir = fixtures().join("aws-example");
    for format in ["human", "concise", "github", "sarif"] {
        let (code, out, err) = run_iamlint(&dir, &["check", "--format", format, "--quiet"]);
        assert_eq!(code, 1, "{err}");
        assert!(out.contains("[scenario aws-example]"), "{format}: {out}");
    }
    let (_, out, _) = run_iamlint(&dir, &["check", "--format", "json", "--quiet"]);
    assert!(out.contains(r#""scenario": "aws-example""#), "{out}");
}
