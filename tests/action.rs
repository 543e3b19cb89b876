//! The composite GitHub Action (`action.yml`) run as a runner runs it: each step's `run` script
//! through `bash --noprofile --norc -eo pipefail`, its `env` filled from the inputs (or their
//! defaults), `GITHUB_PATH` applied between steps, in a clean directory holding only policies.
//! The YAML is read with the PyYAML that pre-commit brings (target/test-tools/venv).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const CLEAN: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
"#;
const BROKEN: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}
"#;

/// action.yml as JSON, or `None` after `common::skip`.
fn action() -> Option<Value> {
    let python = common::venv_tool("python")?;
    let output = Command::new(python)
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(common::manifest_dir().join("action.yml"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

/// A clean working directory, as after `actions/checkout`: a repository with two policies.
struct Runner {
    dir: tempfile::TempDir,
    /// Environment of every step besides the runner's own variables.
    env: Vec<(&'static str, String)>,
    /// Directories to put first on PATH, as if listed in `GITHUB_PATH` by an earlier step.
    path: Vec<PathBuf>,
}

impl Runner {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("work");
        std::fs::create_dir_all(work.join(".git")).unwrap();
        std::fs::create_dir_all(work.join("iam")).unwrap();
        std::fs::create_dir(dir.path().join("temp")).unwrap();
        std::fs::write(work.join("iam/clean.json"), CLEAN).unwrap();
        std::fs::write(work.join("iam/broken.json"), BROKEN).unwrap();
        Runner {
            dir,
            env: Vec::new(),
            path: Vec::new(),
        }
    }

    fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// Runs every step with `inputs` (the rest at their defaults) and returns each one's output;
    /// stops after the first that fails, as a runner does.
    fn run(&mut self, action: &Value, inputs: &[(&str, &str)]) -> Vec<Output> {
        let inputs: BTreeMap<&str, &str> = inputs.iter().copied().collect();
        for name in inputs.keys() {
            assert!(action["inputs"][name].is_object(), "no input {name}");
        }
        let github_path = self.dir.path().join("github_path");
        let mut outputs = Vec::new();
        for step in action["runs"]["steps"].as_array().unwrap() {
            assert_eq!(step["shell"], "bash", "{step:#}");
            let script = step["run"].as_str().unwrap();
            assert!(
                !script.contains("${{"),
                "inputs reach scripts through env only"
            );
            let script_file = self.dir.path().join("step.sh");
            std::fs::write(&script_file, script).unwrap();
            std::fs::write(&github_path, "").unwrap();

            // The runner's PATH without any iamlint (it must come from the action's install).
            let system = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .filter(|dir| !dir.join("iamlint").is_file())
                .collect::<Vec<_>>();
            let path = std::env::join_paths(self.path.iter().chain(&system)).unwrap();
            let mut cmd = Command::new("bash");
            cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
                .arg(&script_file)
                .current_dir(self.work())
                .env("PATH", path)
                .env("GITHUB_ACTION_PATH", common::manifest_dir())
                .env("GITHUB_PATH", &github_path)
                .env("RUNNER_TEMP", self.dir.path().join("temp"))
                .env_remove("VIRTUAL_ENV")
                .env_remove("PIP_FIND_LINKS")
                .env_remove("NO_COLOR");
            cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
            let step_env = step["env"].as_object().cloned().unwrap_or_default();
            for (key, value) in step_env {
                let expression = value.as_str().unwrap();
                let input = expression
                    .strip_prefix("${{ inputs.")
                    .and_then(|rest| rest.strip_suffix(" }}"))
                    .unwrap_or_else(|| panic!("{key}: {expression} is not an input"));
                let value = inputs.get(input).copied().unwrap_or_else(|| {
                    action["inputs"][input]["default"]
                        .as_str()
                        .unwrap_or_else(|| panic!("no input {input}"))
                });
                cmd.env(key, value);
            }
            let output = cmd.output().unwrap();
            let added = std::fs::read_to_string(&github_path).unwrap();
            self.path
                .splice(0..0, added.lines().rev().map(PathBuf::from));
            let failed = !output.status.success();
            outputs.push(output);
            if failed {
                break;
            }
        }
        outputs
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The default install (the wheel of the action's version, here the locally built one, offline),
/// annotations, and a SARIF file for code scanning, valid against the schema.
#[test]
fn action_installs_the_wheel_annotates_and_writes_sarif() {
    let Some(action) = action() else { return };
    let Some(wheel) = common::wheel() else { return };
    let mut runner = Runner::new();
    runner.env = vec![
        ("PIP_NO_INDEX", "1".to_string()),
        (
            "PIP_FIND_LINKS",
            wheel.parent().unwrap().display().to_string(),
        ),
    ];
    let outputs = runner.run(&action, &[("paths", "iam"), ("sarif", "true")]);
    assert_eq!(outputs.len(), 2, "{outputs:?}");
    assert!(outputs[0].status.success(), "install: {:?}", outputs[0]);
    let check = &outputs[1];
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    let out = stdout(check);
    assert!(
        out.starts_with(&format!(
            "iamlint {} (AWS catalog",
            env!("CARGO_PKG_VERSION")
        )),
        "{out}"
    );
    assert!(
        out.contains("::error file=iam/broken.json,line=1,col=52,"),
        "{out}"
    );
    assert!(!out.contains("clean.json"), "{out}");

    let log: Value = serde_json::from_str(
        &std::fs::read_to_string(runner.work().join("iamlint.sarif")).unwrap(),
    )
    .unwrap();
    common::assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{log:#}");
    assert_eq!(results[0]["ruleId"], "IAM011");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "iam/broken.json"
    );
}

/// `install: none` uses the iamlint on PATH; `paths` splits on spaces, `format`, `fail-on` and
/// `config` reach iamlint; no SARIF file unless asked; a bad `install` is an error.
#[test]
fn action_inputs_reach_iamlint() {
    let Some(action) = action() else { return };
    let built = Path::new(env!("CARGO_BIN_EXE_iamlint"));
    let mut runner = Runner::new();
    runner.path = vec![built.parent().unwrap().to_path_buf()];
    std::fs::write(runner.work().join("ci.toml"), "ignore = [\"IAM011\"]\n").unwrap();

    let inputs = [
        ("install", "none"),
        ("paths", "iam/clean.json iam/broken.json"),
        ("format", "concise"),
        ("fail-on", "never"),
    ];
    let outputs = runner.run(&action, &inputs);
    let out = stdout(&outputs[1]);
    assert_eq!(outputs[1].status.code(), Some(0), "{outputs:?}");
    assert!(out.contains("iam/broken.json:1:52: error[IAM011]"), "{out}");
    assert!(out.contains("in 2 files"), "{out}");
    assert!(!runner.work().join("iamlint.sarif").exists());

    let outputs = runner.run(&action, &[("install", "none"), ("config", "ci.toml")]);
    assert_eq!(outputs[1].status.code(), Some(0), "{outputs:?}");
    assert!(!stdout(&outputs[1]).contains("::error"), "{outputs:?}");

    let outputs = runner.run(&action, &[("install", "pip")]);
    assert_eq!(outputs.len(), 1);
    assert_eq!(outputs[0].status.code(), Some(2), "{outputs:?}");
    assert!(stdout(&outputs[0]).contains("install must be wheel, source or none"));
}
