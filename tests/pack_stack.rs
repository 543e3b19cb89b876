//! The `cloudwatch-logs-import` scenario found in a CloudFormation stack with no `iamlint.toml`
//! (`fixtures/cloudwatch-logs-import/stack-*`): AWS's example set up by a stack fails with the
//! JSON example's findings at the template's lines, its correction passes, a partial stack checks
//! what is there, and what the template computes is never an error.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cloudwatch-logs-import")
}

fn iamlint(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::cargo_bin("iamlint")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn diagnostics(dir: &Path) -> Vec<Value> {
    let (code, out) = iamlint(dir, &["check", "--format", "json"]);
    assert!(code == 0 || code == 1, "exit {code}: {out}");
    let json: Value = serde_json::from_str(&out).unwrap();
    json["diagnostics"].as_array().unwrap().clone()
}

fn field<'v>(d: &'v Value, name: &str) -> &'v str {
    d[name].as_str().unwrap_or("")
}

/// `(name, severity)` of every finding, sorted.
fn findings(diagnostics: &[Value]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = diagnostics
        .iter()
        .map(|d| (field(d, "name").into(), field(d, "severity").into()))
        .collect();
    out.sort();
    out
}

fn is_pack(d: &Value) -> bool {
    field(d, "code").starts_with("CWLI")
}

fn snapshot(name: &str, dir: &Path) {
    let (_, concise) = iamlint(dir, &["check", "--format", "concise", "--quiet"]);
    let (_, human) = iamlint(dir, &["check", "--quiet"]);
    insta::assert_snapshot!(name, format!("{concise}\n{human}"));
}

#[test]
fn aws_s_example_set_up_by_a_stack_fails_like_the_json_example() {
    let json = diagnostics(&fixtures().join("aws-example"));
    let stack = diagnostics(&fixtures().join("stack-aws-example"));
    // Every finding the JSON example proves is proven in the stack, at the same severity,
    // except the PassRole condition: the stack cannot know the store's id it is compared with.
    let mut expected = findings(&json);
    expected.retain(|(name, _)| name != "passrole-association-mismatch");
    let mut found = findings(&stack);
    for finding in &expected {
        let at = found.iter().position(|f| f == finding);
        assert!(at.is_some(), "{finding:?} missing: {found:?}");
        found.remove(at.unwrap());
    }
    // The stack adds only what a template computes leaves unproven, as suggestions.
    for d in stack
        .iter()
        .filter(|d| field(d, "severity") != "suggestion")
    {
        let wanted = (
            field(d, "name").to_string(),
            field(d, "severity").to_string(),
        );
        assert!(expected.contains(&wanted), "unexpected {d}");
    }
    // At the template's lines, named by logical path, saying what they bound.
    let missing_group = stack
        .iter()
        .find(|d| field(d, "message").contains("logs:CreateLogGroup"))
        .unwrap();
    assert_eq!(
        missing_group["span"]["start"]["line"], 48,
        "{missing_group}"
    );
    assert_eq!(
        field(missing_group, "logical_path"),
        "Resources.ImportRole.Properties.Policies[0].PolicyDocument.Statement[2].Resource[0]"
    );
    for d in stack.iter().filter(|d| is_pack(d)) {
        assert_eq!(
            field(d, "scenario"),
            "store `Store`, role `ImportRole`",
            "{d}"
        );
        assert!(!field(d, "message").contains('\u{FDD0}'), "{d}");
    }
    assert!(stack
        .iter()
        .any(|d| field(d, "help").contains("no leading slash")));
    snapshot("stack-aws-example", &fixtures().join("stack-aws-example"));
}

#[test]
fn the_corrected_stack_passes() {
    let dir = fixtures().join("stack-corrected");
    let (code, _) = iamlint(&dir, &["check", "--quiet"]);
    assert_eq!(code, 0);
    let stack = diagnostics(&dir);
    for d in &stack {
        assert_eq!(field(d, "severity"), "suggestion", "{d}");
        assert!(field(d, "message").contains("cannot be proven"), "{d}");
    }
    // Both identity policies were bound: the caller's own rules ran on `ImportCaller`.
    assert!(stack
        .iter()
        .any(|d| field(d, "logical_path").starts_with("Resources.ImportCaller.")));
    snapshot("stack-corrected", &dir);
}

#[test]
fn a_partial_stack_checks_what_is_there() {
    let dir = fixtures().join("stack-partial");
    let stack = diagnostics(&dir);
    let names: Vec<&str> = stack.iter().map(|d| field(d, "name")).collect();
    assert!(
        !names.iter().any(|n| n.starts_with("caller-")),
        "no caller in the stack: {names:?}"
    );
    let errors: Vec<&str> = stack
        .iter()
        .filter(|d| field(d, "severity") == "error")
        .map(|d| field(d, "name"))
        .collect();
    assert_eq!(
        errors,
        [
            "key-policy-missing-cloudtrail-grant",
            "key-policy-missing-cloudtrail-grant",
            "import-role-missing-kms-permission",
            "import-role-missing-kms-permission"
        ]
    );
    for d in &stack {
        assert_eq!(
            field(d, "scenario"),
            "store `Store`, key `StoreKey` (through alias `StoreKeyAlias`), role `ImportRole`"
        );
    }
    snapshot("stack-partial", &dir);
}

#[test]
fn a_template_with_no_event_data_store_runs_no_pack_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/templates");
    let (_, out) = iamlint(&dir, &["check", "--format", "json", "built.yaml"]);
    let json: Value = serde_json::from_str(&out).unwrap();
    assert!(!json["diagnostics"].as_array().unwrap().iter().any(is_pack));
}

#[test]
fn a_scenario_binds_a_template_s_policies_by_logical_path() {
    // The same findings as the JSON files of AWS's example, at the template's lines.
    let json = diagnostics(&fixtures().join("aws-example"));
    let dir = fixtures().join("scenario-by-logical-path");
    let stack = diagnostics(&dir);
    assert_eq!(findings(&stack), findings(&json));
    let association = stack
        .iter()
        .find(|d| field(d, "name") == "passrole-association-mismatch")
        .unwrap();
    assert_eq!(association["span"]["start"]["line"], 31, "{association}");
    assert_eq!(
        field(association, "logical_path"),
        "Resources.ImportRole.Properties.Policies[0].PolicyDocument.Statement[0].Condition.StringLike"
    );
    for d in stack.iter().filter(|d| is_pack(d)) {
        assert_eq!(field(d, "scenario"), "aws-example-in-a-stack", "{d}");
        assert_eq!(field(d, "file"), "template.yaml", "{d}");
    }
    snapshot("scenario-by-logical-path", &dir);
}

#[test]
fn a_logical_path_that_names_no_policy_is_a_config_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let template =
        std::fs::read_to_string(fixtures().join("scenario-by-logical-path/template.yaml")).unwrap();
    std::fs::write(dir.path().join("template.yaml"), template).unwrap();
    let config = std::fs::read_to_string(fixtures().join("scenario-by-logical-path/iamlint.toml"))
        .unwrap()
        .replace(
            "Policies[0].PolicyDocument\"\nimport-role-policy",
            "Policies[1].PolicyDocument\"\nimport-role-policy",
        );
    std::fs::write(dir.path().join("iamlint.toml"), &config).unwrap();
    let output = Command::cargo_bin("iamlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["check"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("iamlint.toml:9:17: `Resources.ImportRole.Properties.Policies[1].PolicyDocument` (slot `caller-policy`) names no policy document of `template.yaml` (it has `Resources.ImportRole.Properties.AssumeRolePolicyDocument`, `Resources.ImportRole.Properties.Policies[0].PolicyDocument`)"),
        "{stderr}"
    );
}

#[test]
fn a_stack_bound_by_the_config_is_not_bound_again_by_its_resources() {
    let dir = tempfile::tempdir().unwrap();
    let template =
        std::fs::read_to_string(fixtures().join("stack-aws-example/template.yaml")).unwrap();
    std::fs::write(dir.path().join("template.yaml"), template).unwrap();
    let config =
        std::fs::read_to_string(fixtures().join("scenario-by-logical-path/iamlint.toml")).unwrap();
    std::fs::write(dir.path().join("iamlint.toml"), config).unwrap();
    let stack = diagnostics(dir.path());
    assert!(stack.iter().any(is_pack));
    for d in stack.iter().filter(|d| is_pack(d)) {
        assert_eq!(field(d, "scenario"), "aws-example-in-a-stack", "{d}");
    }
}

#[test]
fn a_passrole_condition_on_an_id_the_stack_computes_is_not_proven_not_wrong() {
    // PassRole on `*` matches the computed role ARN, so only the condition decides: AWS's
    // `aws/cloudtrail/<literal id>:*` might match the id CloudFormation gives the store.
    let dir = tempfile::tempdir().unwrap();
    let template =
        std::fs::read_to_string(fixtures().join("stack-aws-example/template.yaml")).unwrap();
    let passrole_anywhere = template.replace(
        "Resource: arn:aws:iam::123456789012:role/apiCallerCredentials",
        "Resource: \"*\"",
    );
    assert_ne!(template, passrole_anywhere);
    std::fs::write(dir.path().join("template.yaml"), passrole_anywhere).unwrap();
    let stack = diagnostics(dir.path());
    assert!(
        !stack
            .iter()
            .any(|d| field(d, "name") == "passrole-association-mismatch"),
        "{stack:?}"
    );
    let pass = stack
        .iter()
        .find(|d| field(d, "name") == "caller-cannot-pass-import-role")
        .unwrap();
    assert_eq!(field(pass, "severity"), "suggestion", "{pass}");
    assert!(field(pass, "message").contains("its Condition"), "{pass}");
}

#[test]
fn a_bound_policy_with_fn_if_is_checked_in_each_reading_and_names_the_condition() {
    let dir = fixtures().join("stack-conditions");
    let stack = diagnostics(&dir);
    let message = |d: &Value| field(d, "message").to_string();
    // The leading slash is wrong whatever the values, but only when `IsProd` is false.
    let wrong = stack
        .iter()
        .find(|d| {
            message(d).starts_with("`import-role-policy` does not allow `logs:CreateLogGroup`")
        })
        .unwrap();
    assert!(
        message(wrong).ends_with("(when condition `IsProd` is false)"),
        "{wrong}"
    );
    assert_eq!(field(wrong, "severity"), "suggestion", "{wrong}");
    assert_eq!(wrong["span"]["start"]["line"], 49, "{wrong}");
    // The production branch is the corrected stack's: not proven, and only in that reading.
    let right = stack
        .iter()
        .find(|d| {
            message(d)
                .starts_with("`import-role-policy` cannot be proven to allow `logs:CreateLogGroup`")
        })
        .unwrap();
    assert!(
        message(right).ends_with("(when condition `IsProd` is true)"),
        "{right}"
    );
    assert_eq!(right["span"]["start"]["line"], 48, "{right}");
    // What holds in both readings names no condition.
    let trust = stack
        .iter()
        .find(|d| field(d, "name") == "import-role-not-trusted")
        .unwrap();
    assert!(!message(trust).contains("IsProd"), "{trust}");
    snapshot("stack-conditions", &dir);
}

#[test]
fn a_pack_finding_in_a_stack_replaces_the_built_in_one_it_supersedes() {
    let dir = tempfile::tempdir().unwrap();
    let template =
        std::fs::read_to_string(fixtures().join("stack-corrected/template.yaml")).unwrap();
    let unrestricted = template.replace(
        "            Condition:\n              StringEquals:\n                aws:SourceAccount: !Ref AWS::AccountId\n",
        "",
    );
    assert_ne!(template, unrestricted);
    std::fs::write(dir.path().join("template.yaml"), unrestricted).unwrap();
    let names: Vec<String> = findings(&diagnostics(dir.path()))
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert!(
        names.contains(&"import-role-trust-unrestricted".to_string()),
        "{names:?}"
    );
    assert!(
        !names.contains(&"service-principal-without-source".to_string()),
        "{names:?}"
    );
}
