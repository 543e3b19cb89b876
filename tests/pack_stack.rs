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
fn a_module_with_no_event_data_store_runs_no_pack_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/terraform");
    let json = diagnostics(&dir);
    assert!(!json.is_empty());
    assert!(!json.iter().any(is_pack));
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
        message(wrong).ends_with("(when `IsProd` is false)"),
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
        message(right).ends_with("(when `IsProd` is true)"),
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
fn a_policy_on_one_side_of_an_fn_if_is_not_there_on_the_other() {
    // The corrected stack whose role has its policy only when `IsProd` is true.
    let dir = tempfile::tempdir().unwrap();
    let template =
        std::fs::read_to_string(fixtures().join("stack-corrected/template.yaml")).unwrap();
    let (start, end) = (
        template.find("        - PolicyName: import\n").unwrap(),
        template.find("  ImportCaller:").unwrap(),
    );
    let policy: String = template[start..end]
        .lines()
        .map(|line| format!("  {line}\n"))
        .collect();
    let conditional = format!(
        "{}        - !If\n          - IsProd\n{policy}          - !Ref AWS::NoValue\n{}",
        &template[..start],
        &template[end..]
    )
    .replacen(
        "Resources:\n",
        "Conditions:\n  IsProd: !Equals [!Ref AWS::Region, us-east-1]\nResources:\n",
        1,
    );
    std::fs::write(dir.path().join("template.yaml"), conditional).unwrap();
    let stack = diagnostics(dir.path());
    let message = |d: &Value| field(d, "message").to_string();
    let read = |d: &&Value| message(d).contains("allow `cloudtrail:GetEventDataStoreData`");
    let role: Vec<&Value> = stack
        .iter()
        .filter(|d| field(d, "name") == "import-role-missing-permission")
        .filter(read)
        .collect();
    // Where it is, the policy is the corrected one: not proven, in that reading only.
    assert!(
        role.iter().any(
            |d| message(d).starts_with("`import-role-policy` cannot be proven")
                && message(d).ends_with("(when `IsProd` is true)")
        ),
        "{role:?}"
    );
    // Where it is not, nothing lets the role read the store.
    assert!(
        role.iter().any(
            |d| message(d).starts_with("`import-role-policy` does not allow")
                && message(d).ends_with("(when `IsProd` is false)")
        ),
        "{role:?}"
    );
    for d in &stack {
        assert_eq!(field(d, "severity"), "suggestion", "{d}");
    }
}

#[test]
fn a_role_trusted_by_cloudtrail_on_one_side_of_an_fn_if_is_the_import_role() {
    let dir = tempfile::tempdir().unwrap();
    let template =
        std::fs::read_to_string(fixtures().join("stack-corrected/template.yaml")).unwrap();
    let conditional = template
        .replace(
            "              Service: cloudtrail.amazonaws.com\n",
            "              Service: !If [IsProd, cloudtrail.amazonaws.com, lambda.amazonaws.com]\n",
        )
        .replacen(
            "Resources:\n",
            "Conditions:\n  IsProd: !Equals [!Ref AWS::Region, us-east-1]\nResources:\n",
            1,
        );
    assert_ne!(template, conditional);
    std::fs::write(dir.path().join("template.yaml"), conditional).unwrap();
    let stack = diagnostics(dir.path());
    // Bound as the corrected stack is; where CloudTrail may not assume it, that is the finding.
    for d in stack.iter().filter(|d| is_pack(d)) {
        assert_eq!(
            field(d, "scenario"),
            "store `Store`, role `ImportRole`",
            "{d}"
        );
    }
    let untrusted: Vec<&Value> = stack
        .iter()
        .filter(|d| field(d, "name") == "import-role-not-trusted")
        .collect();
    assert!(
        untrusted.iter().any(|d| field(d, "message")
            .starts_with("`import-role-trust-policy` does not allow")
            && field(d, "message").ends_with("(when `IsProd` is false)")
            && field(d, "severity") == "suggestion"),
        "{untrusted:?}"
    );
    assert!(stack
        .iter()
        .any(|d| field(d, "logical_path").starts_with("Resources.ImportCaller.")));
}

/// The stack's and the module's version of `name`, the scenario each binds and the name of the
/// trail's log role in it.
const TRAIL_ROLE: [(&str, &str, &str); 2] = [
    (
        "stack-trail-role",
        "store `Store`, role `ImportRole`",
        "TrailLogsRole",
    ),
    (
        "module-trail-role",
        "store `aws_cloudtrail_event_data_store.store`, role `aws_iam_role.import`",
        "trail_logs",
    ),
];

#[test]
fn a_trail_s_log_delivery_role_is_not_the_import_role() {
    // The import role forgot to read the store, so only the trail's role keeps it from being the
    // only role CloudTrail may assume: it is still bound, and its missing grant is the error.
    for (name, scenario, trail_role) in TRAIL_ROLE {
        let found = diagnostics(&fixtures().join(name));
        let errors: Vec<&Value> = found
            .iter()
            .filter(|d| field(d, "severity") == "error")
            .collect();
        assert_eq!(errors.len(), 1, "{name}: {errors:?}");
        assert_eq!(field(errors[0], "name"), "import-role-missing-permission");
        assert!(
            field(errors[0], "message").contains("`cloudtrail:GetEventDataStoreData`"),
            "{name}: {errors:?}"
        );
        for d in found.iter().filter(|d| is_pack(d)) {
            assert_eq!(field(d, "scenario"), scenario, "{name}: {d}");
            assert!(!field(d, "logical_path").contains(trail_role), "{d}");
        }
    }
}

#[test]
fn the_only_role_cloudtrail_may_assume_is_the_import_role_only_with_a_caller() {
    let caller = [
        (
            "stack-no-import",
            "template.yaml",
            "  Caller:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      Groups: [importers]\n      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Action: iam:PassRole\n            Resource: !GetAtt TrailLogsRole.Arn\n",
            "Outputs:\n",
        ),
        (
            "module-no-import",
            "main.tf",
            "resource \"aws_iam_user_policy\" \"caller\" {\n  user   = \"someone\"\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"iam:PassRole\", Resource = aws_iam_role.trail_logs.arn }] })\n}\n",
            "",
        ),
    ];
    for (name, file, caller, before) in caller {
        // A store and a role CloudTrail assumes for something else: nothing to check.
        let found = diagnostics(&fixtures().join(name));
        assert!(!found.iter().any(is_pack), "{name}: {found:?}");
        // A caller passing the role sets an import up: the role is bound, and cannot read.
        let dir = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(fixtures().join(name).join(file)).unwrap();
        let at = if before.is_empty() {
            text.len()
        } else {
            text.find(before).unwrap()
        };
        let with_caller = format!("{}{caller}{}", &text[..at], &text[at..]);
        std::fs::write(dir.path().join(file), with_caller).unwrap();
        let found = diagnostics(dir.path());
        assert!(
            found
                .iter()
                .any(|d| field(d, "name") == "import-role-missing-permission"
                    && field(d, "severity") == "error"),
            "{name}: {found:?}"
        );
    }
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

#[test]
fn a_module_s_scenario_takes_the_values_of_the_var_files() {
    // The corrected module with a store encrypted by a key given as a variable set nowhere but
    // in a `--var-file`: the import role's missing KMS permissions name that key.
    let dir = tempfile::tempdir().unwrap();
    let main = std::fs::read_to_string(fixtures().join("module-corrected/main.tf")).unwrap();
    let store =
        "resource \"aws_cloudtrail_event_data_store\" \"store\" {\n  name = \"imported-trail\"\n}";
    assert!(main.contains(store));
    let keyed = main.replace(
        store,
        "variable \"store_key\" {\n  type = string\n}\n\nresource \"aws_cloudtrail_event_data_store\" \"store\" {\n  name       = \"imported-trail\"\n  kms_key_id = var.store_key\n}",
    );
    std::fs::write(dir.path().join("main.tf"), keyed).unwrap();
    let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    std::fs::write(
        dir.path().join("prod.tfvars"),
        format!("store_key = \"{key}\"\n"),
    )
    .unwrap();
    let kms = |args: &[&str]| -> Vec<String> {
        let (_, out) = iamlint(dir.path(), &[&["check", "--format", "json"], args].concat());
        let json: Value = serde_json::from_str(&out).unwrap();
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| field(d, "name") == "import-role-missing-kms-permission")
            .map(|d| field(d, "message").to_string())
            .collect()
    };
    let computed = kms(&[]);
    let given = kms(&["--var-file", "prod.tfvars"]);
    assert_eq!(
        (computed.len(), given.len()),
        (2, 2),
        "{computed:?} {given:?}"
    );
    assert!(
        computed.iter().all(|m| m.contains(":key/${…}")),
        "{computed:?}"
    );
    assert!(given.iter().all(|m| m.contains(key)), "{given:?}");
}
