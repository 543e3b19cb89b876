//! `--format sarif`: valid against the official SARIF 2.1.0 schema (vendored in tests/data),
//! with what GitHub code scanning needs: rule metadata, root-relative URIs, stable fingerprints.

mod common;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const BROKEN: &str = r#"{
  "Statement": [
    {"Sid": "Read", "Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other/*"}
  ]
}
"#;

fn sarif(cwd: &Path, args: &[&str]) -> Value {
    let output = Command::cargo_bin("iamlint")
        .unwrap()
        .current_dir(cwd)
        .args(["check", "--format", "sarif"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn the_schema_rejects_what_it_should() {
    // Guards the guard: a validator that accepts everything would make the tests below vacuous.
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(!validator.is_valid(&serde_json::json!({"version": "2.1.0"})));
    assert!(!validator.is_valid(&serde_json::json!({"version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]
    }]})));
}

#[test]
fn sarif_is_valid_and_has_what_github_needs() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    let iam = repo.path().join("infra/iam policies");
    std::fs::create_dir_all(&iam).unwrap();
    std::fs::write(iam.join("role #1.json"), BROKEN).unwrap();
    let cwd = repo.path().join("infra");
    let log = sarif(&cwd, &["iam policies"]);
    common::assert_valid_sarif(&log);

    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["tool"]["driver"]["name"], "iamlint");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["IAM007", "IAM011", "IAM013"]);
    for rule in rules {
        for field in ["shortDescription", "fullDescription", "help"] {
            assert!(
                rule[field]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{rule}"
            );
        }
        assert!(rule["name"].is_string() && rule["defaultConfiguration"]["level"].is_string());
    }
    // The help is `iamlint explain`'s text, from the same registry.
    let explain = Command::cargo_bin("iamlint")
        .unwrap()
        .args(["explain", "IAM011"])
        .output()
        .unwrap();
    assert_eq!(
        rules[1]["help"]["text"].as_str().unwrap(),
        String::from_utf8(explain.stdout).unwrap()
    );

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for result in results {
        let location = &result["locations"][0]["physicalLocation"];
        // Relative to the repository root (the directory holding .git), not to the cwd.
        assert_eq!(
            location["artifactLocation"]["uri"],
            "infra/iam%20policies/role%20%231.json"
        );
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(result["partialFingerprints"]["iamlint/v1"].is_string());
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    let duplicate = results.iter().find(|r| r["ruleId"] == "IAM013").unwrap();
    assert_eq!(
        duplicate["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
}

#[test]
fn without_a_repository_uris_are_relative_to_the_cwd() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), BROKEN).unwrap();
    let log = sarif(dir.path(), &[]);
    common::assert_valid_sarif(&log);
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "a.json");
}

#[test]
fn fingerprints_survive_moved_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), BROKEN).unwrap();
    let fingerprints = |log: &Value| -> Vec<(String, String)> {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["iamlint/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .collect()
    };
    let before = sarif(dir.path(), &[]);
    let moved = BROKEN
        .replacen("{\n", "{\n\n\n   \n", 1)
        .replace("\"Sid\": \"Read\", ", "\n\"Sid\": \"Read\",\n ");
    std::fs::write(dir.path().join("a.json"), moved).unwrap();
    let after = sarif(dir.path(), &[]);
    let line = |log: &Value| {
        log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"]
            .clone()
    };
    assert_ne!(line(&before), line(&after), "the lines did move");
    assert_eq!(fingerprints(&before), fingerprints(&after));
    let all = fingerprints(&after);
    let unique: std::collections::BTreeSet<_> = all.iter().map(|(_, f)| f).collect();
    assert_eq!(unique.len(), all.len(), "one alert per finding");
}
