//! The `cloudwatch-logs-import` scenario found in a CloudFormation stack or a Terraform module with
//! no `iamlint.toml` (`fixtures/cloudwatch-logs-import/stack-*`, `module-*`): AWS's example set up
//! by a stack or a module fails with the JSON example's findings at the template's (the `.tf`
//! file's) lines, its correction passes, a partial stack or module checks what is there, and what
//! the template computes is never an error.

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

/// Every finding the JSON example proves is proven in `found`, at the same severity, except the
/// PassRole condition: a stack or a module cannot know the store's id it is compared with. Only
/// what a template computes leaves unproven is added, as suggestions.
fn assert_fails_like_the_json_example(found: &[Value]) {
    let json = diagnostics(&fixtures().join("aws-example"));
    let mut expected = findings(&json);
    expected.retain(|(name, _)| name != "passrole-association-mismatch");
    let mut left = findings(found);
    for finding in &expected {
        let at = left.iter().position(|f| f == finding);
        assert!(at.is_some(), "{finding:?} missing: {left:?}");
        left.remove(at.unwrap());
    }
    for d in found
        .iter()
        .filter(|d| field(d, "severity") != "suggestion")
    {
        let wanted = (
            field(d, "name").to_string(),
            field(d, "severity").to_string(),
        );
        assert!(expected.contains(&wanted), "unexpected {d}");
    }
}

#[test]
fn aws_s_example_set_up_by_a_stack_fails_like_the_json_example() {
    let stack = diagnostics(&fixtures().join("stack-aws-example"));
    assert_fails_like_the_json_example(&stack);
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

/// The corrected stack or module `name` passes: it has only the suggestions what it computes
/// leaves unproven, and the caller's policy (whose logical path starts with `caller`) was bound,
/// so the caller's own rules ran on it.
fn assert_passes(name: &str, caller: &str) {
    let dir = fixtures().join(name);
    let (code, _) = iamlint(&dir, &["check", "--quiet"]);
    assert_eq!(code, 0);
    let found = diagnostics(&dir);
    for d in &found {
        assert_eq!(field(d, "severity"), "suggestion", "{d}");
        assert!(field(d, "message").contains("cannot be proven"), "{d}");
    }
    assert!(found
        .iter()
        .any(|d| field(d, "logical_path").starts_with(caller)));
    snapshot(name, &dir);
}

#[test]
fn the_corrected_stack_passes() {
    assert_passes("stack-corrected", "Resources.ImportCaller.");
}

/// The partial stack or module `name` (a store whose key policy grants CloudTrail nothing, a role
/// that forgot the key, no caller) has the errors of what is there, none of the caller's, all
/// saying they bound `scenario`.
fn assert_checks_what_is_there(name: &str, scenario: &str) {
    let dir = fixtures().join(name);
    let found = diagnostics(&dir);
    let names: Vec<&str> = found.iter().map(|d| field(d, "name")).collect();
    assert!(
        !names.iter().any(|n| n.starts_with("caller-")),
        "no caller: {names:?}"
    );
    let errors: Vec<&str> = found
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
    for d in &found {
        assert_eq!(field(d, "scenario"), scenario, "{d}");
    }
    snapshot(name, &dir);
}

#[test]
fn a_partial_stack_checks_what_is_there() {
    assert_checks_what_is_there(
        "stack-partial",
        "store `Store`, key `StoreKey` (through alias `StoreKeyAlias`), role `ImportRole`",
    );
}

#[test]
fn a_template_with_no_event_data_store_runs_no_pack_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/templates");
    let (_, out) = iamlint(&dir, &["check", "--format", "json", "built.yaml"]);
    let json: Value = serde_json::from_str(&out).unwrap();
    assert!(!json["diagnostics"].as_array().unwrap().iter().any(is_pack));
}

#[test]
fn aws_s_example_set_up_by_a_module_fails_like_the_json_example() {
    let dir = fixtures().join("module-aws-example");
    let (code, _) = iamlint(&dir, &["check", "--quiet"]);
    assert_eq!(code, 1);
    let module = diagnostics(&dir);
    assert_fails_like_the_json_example(&module);
    // At the `.tf` files' lines, named by logical path, saying what they bound: the inline
    // `jsonencode` policy, the heredoc and the data source of another file all took part.
    let at = |needle: &str| {
        module
            .iter()
            .find(|d| is_pack(d) && field(d, "message").contains(needle))
            .unwrap_or_else(|| panic!("no finding about {needle}"))
    };
    let place = |d: &Value| {
        (
            field(d, "file").to_string(),
            d["span"]["start"]["line"].as_u64().unwrap(),
            field(d, "logical_path").to_string(),
        )
    };
    assert_eq!(
        place(at("logs:CreateLogGroup")),
        (
            "iam.tf".into(),
            19,
            "aws_iam_role.import.inline_policy[0].policy.Statement[0].Resource[0]".into()
        )
    );
    assert_eq!(
        place(at("iam:PassRole")),
        (
            "iam.tf".into(),
            37,
            "aws_iam_role_policy.pass_and_read.policy.Statement[0].Resource".into()
        )
    );
    assert_eq!(
        place(at("kms:Decrypt")),
        (
            "documents.tf".into(),
            21,
            "data.aws_iam_policy_document.store_key.Statement[0].Action[0]".into()
        )
    );
    for d in module.iter().filter(|d| is_pack(d)) {
        assert_eq!(
            field(d, "scenario"),
            "store `aws_cloudtrail_event_data_store.store`, role `aws_iam_role.import`",
            "{d}"
        );
        assert!(!field(d, "message").contains('\u{FDD0}'), "{d}");
    }
    assert!(module
        .iter()
        .any(|d| field(d, "help").contains("no leading slash")));
    snapshot("module-aws-example", &dir);
}

#[test]
fn one_file_of_a_module_named_alone_reports_its_part_of_the_scenario() {
    // As pre-commit passes it: the module's other files are still read, their findings not shown.
    let dir = fixtures().join("module-aws-example");
    let whole: Vec<Value> = diagnostics(&dir)
        .into_iter()
        .filter(|d| field(d, "file") == "iam.tf")
        .collect();
    let (_, out) = iamlint(&dir, &["check", "--format", "json", "iam.tf"]);
    let alone: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(alone["diagnostics"].as_array().unwrap(), &whole);
    assert!(whole.iter().any(is_pack));
}

#[test]
fn the_corrected_module_passes() {
    assert_passes("module-corrected", "aws_iam_policy.import_caller.");
}

#[test]
fn a_partial_module_checks_what_is_there() {
    assert_checks_what_is_there(
        "module-partial",
        "store `aws_cloudtrail_event_data_store.store`, key `aws_kms_key.store` (through alias \
         `aws_kms_alias.store`), role `aws_iam_role.import`",
    );
}

#[test]
fn a_module_with_no_event_data_store_runs_no_pack_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/terraform");
    let json = diagnostics(&dir);
    assert!(!json.is_empty());
    assert!(!json.iter().any(is_pack));
}
