//! The pre-commit hooks in `.pre-commit-hooks.yaml`, run by the real pre-commit (installed by
//! `.ci/install-test-tools` into target/test-tools) in a throwaway git repository: `git commit`
//! passes with a clean policy and fails, printing the diagnostic, with a broken one.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CLEAN: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
"#;
const BROKEN: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}
"#;

fn manifest_dir() -> PathBuf {
    common::manifest_dir().to_path_buf()
}

/// The pre-commit to drive (`IAMLINT_PRE_COMMIT`, else the one `.ci/install-test-tools`
/// installs), or `None` after `common::skip`.
fn pre_commit() -> Option<PathBuf> {
    match std::env::var_os("IAMLINT_PRE_COMMIT") {
        Some(path) => Some(PathBuf::from(path)),
        None => common::venv_tool("pre-commit"),
    }
}

struct Sandbox {
    dir: tempfile::TempDir,
    pre_commit: PathBuf,
    /// Put the iamlint this test run built on PATH (for the `language: system` hook).
    binary_on_path: bool,
    /// Extra environment for every command (and so for pre-commit and the hooks it runs).
    env: Vec<(&'static str, std::ffi::OsString)>,
}

impl Sandbox {
    fn new(pre_commit: PathBuf, binary_on_path: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("gitconfig"), "").unwrap();
        Sandbox {
            dir,
            pre_commit,
            binary_on_path,
            env: Vec::new(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A command isolated from the user's git config and pre-commit cache, with the built
    /// iamlint first on PATH (the `language: system` hook runs `iamlint` from PATH).
    fn command(&self, program: &Path, cwd: &Path) -> Command {
        let bin = assert_cmd::cargo::cargo_bin("iamlint");
        let built = bin.parent().unwrap().to_path_buf();
        let path = std::env::join_paths(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .filter(|dir| dir != &built && !dir.join("iamlint").is_file()),
        )
        .unwrap();
        let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
        if self.binary_on_path {
            dirs.insert(0, built);
        }
        let path = std::env::join_paths(dirs).unwrap();
        let mut cmd = Command::new(program);
        cmd.current_dir(cwd)
            .env("PATH", path)
            .env("PRE_COMMIT_HOME", self.path().join("cache"))
            .env("GIT_CONFIG_GLOBAL", self.path().join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .env_remove("NO_COLOR");
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    fn git(&self, cwd: &Path, args: &[&str]) -> Output {
        let output = self
            .command(Path::new("git"), cwd)
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success() || args[0] == "commit",
            "git {args:?}: {output:?}"
        );
        output
    }

    /// A repository holding only this project's hook definitions, committed.
    fn hook_repo(&self) -> (PathBuf, String) {
        self.repo_of("hooks", &[manifest_dir().join(".pre-commit-hooks.yaml")])
    }

    /// The pre-commit mirror repository, as `pre-commit-mirror/` lays it out.
    fn mirror_repo(&self) -> (PathBuf, String) {
        let dir = manifest_dir().join("pre-commit-mirror");
        let files: Vec<PathBuf> = [".pre-commit-hooks.yaml", "pyproject.toml", "README.md"]
            .iter()
            .map(|name| dir.join(name))
            .collect();
        self.repo_of("mirror", &files)
    }

    /// A git repository named `name` holding copies of `files`, committed; and its commit.
    fn repo_of(&self, name: &str, files: &[PathBuf]) -> (PathBuf, String) {
        let repo = self.path().join(name);
        std::fs::create_dir(&repo).unwrap();
        for file in files {
            std::fs::copy(file, repo.join(file.file_name().unwrap())).unwrap();
        }
        self.git(&repo, &["init", "-q"]);
        self.git(&repo, &["add", "."]);
        self.git(&repo, &["commit", "-q", "-m", name]);
        let rev = self.git(&repo, &["rev-parse", "HEAD"]);
        (
            repo,
            String::from_utf8(rev.stdout).unwrap().trim().to_string(),
        )
    }

    /// A project whose pre-commit config uses `hook` from `repo` at `rev`, installed as the
    /// git pre-commit hook.
    fn project(&self, repo: &Path, rev: &str, hook: &str) -> PathBuf {
        let project = self.path().join("project");
        std::fs::create_dir_all(project.join("iam")).unwrap();
        self.git(&project, &["init", "-q"]);
        let config = format!(
            "repos:\n- repo: {}\n  rev: {rev}\n  hooks:\n  - id: {hook}\n",
            repo.display()
        );
        std::fs::write(project.join(".pre-commit-config.yaml"), config).unwrap();
        // Not policies, staged with the first commit and named to the hook by pre-commit (no
        // `files:` filter): `--force-exclude` skips them, so they neither fail nor show.
        std::fs::write(
            project.join("package.json"),
            "{\"name\": \"x\", \"version\": \"1.0.0\"}\n",
        )
        .unwrap();
        std::fs::write(
            project.join("tsconfig.json"),
            "{\n  // strict\n  \"compilerOptions\": {}\n}\n",
        )
        .unwrap();
        let install = self
            .command(&self.pre_commit, &project)
            .arg("install")
            .output()
            .unwrap();
        assert!(install.status.success(), "{install:?}");
        project
    }

    fn commit(&self, project: &Path, file: &str, text: &str) -> (bool, String) {
        std::fs::write(project.join(file), text).unwrap();
        self.git(project, &["add", "-A"]);
        let output = self.git(project, &["commit", "-q", "-m", file]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), text)
    }
}

fn assert_hook_gates_commits(sandbox: &Sandbox, project: &Path) {
    let (ok, out) = sandbox.commit(project, "iam/clean.json", CLEAN);
    assert!(ok, "a clean policy commits: {out}");
    assert!(out.contains("Passed"), "{out}");

    let (ok, out) = sandbox.commit(project, "iam/broken.json", BROKEN);
    assert!(!ok, "a broken policy is refused: {out}");
    assert!(out.contains("Failed"), "{out}");
    assert!(
        out.contains("exit code: 1"),
        "iamlint's exit code comes through: {out}"
    );
    assert!(out.contains("`allow` is not a valid Effect"), "{out}");
    assert!(out.contains("iam/broken.json:1:52"), "{out}");
    assert!(!out.contains("package.json"), "{out}");
    assert!(!out.contains("tsconfig.json"), "{out}");

    let (ok, out) = sandbox.commit(project, "iam/broken.json", CLEAN);
    assert!(ok, "fixed, it commits: {out}");

    // CloudFormation templates in YAML are checked too; other YAML passes.
    let (ok, out) = sandbox.commit(project, "iam/workflow.yaml", "on: push\n");
    assert!(ok, "YAML that is not a template commits: {out}");
    let template = "Resources:\n  R:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - {Effect: allow, Action: 's3:GetObject', Resource: !Sub 'arn:${AWS::Partition}:s3:::b/*'}\n";
    let (ok, out) = sandbox.commit(project, "iam/stack.yaml", template);
    assert!(!ok, "a broken template is refused: {out}");
    assert!(
        out.contains("[in Resources.R.Properties.PolicyDocument.Statement[0].Effect]"),
        "{out}"
    );
    let (ok, out) = sandbox.commit(
        project,
        "iam/stack.yaml",
        &template.replace("allow", "Allow"),
    );
    assert!(ok, "fixed, it commits: {out}");
}

#[test]
fn system_hook_gates_commits() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let sandbox = Sandbox::new(pre_commit, true);
    let (repo, rev) = sandbox.hook_repo();
    let project = sandbox.project(&repo, &rev, "iamlint-system");
    assert_hook_gates_commits(&sandbox, &project);
}

/// The `language: python` hook of the mirror repository: pre-commit installs the mirror, whose
/// only dependency is the iamlint wheel, here the one built from this checkout (found offline
/// beside a setuptools wheel for building the mirror), and no iamlint is on PATH.
#[test]
fn python_hook_installs_the_wheel_and_gates_commits() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let wheelhouse = manifest_dir().join("target/test-tools/wheelhouse");
    if !std::fs::read_dir(&wheelhouse).is_ok_and(|mut entries| {
        entries.any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("setuptools-")
        })
    }) {
        common::skip(
            "no setuptools wheel in target/test-tools/wheelhouse: run .ci/install-test-tools",
        );
        return;
    }
    let Some(wheel) = common::wheel() else {
        return;
    };
    let mut sandbox = Sandbox::new(pre_commit, false);
    // pip reads whitespace-separated lists from the environment.
    let links = format!(
        "{} {}",
        wheel.parent().unwrap().display(),
        wheelhouse.display()
    );
    sandbox.env = vec![
        ("PIP_NO_INDEX", "1".into()),
        ("PIP_FIND_LINKS", links.into()),
    ];
    let (repo, rev) = sandbox.mirror_repo();
    let project = sandbox.project(&repo, &rev, "iamlint");
    assert_hook_gates_commits(&sandbox, &project);
}

/// The hooks of one `.pre-commit-hooks.yaml`: id → its `key: value` lines (this project's
/// files keep each hook's keys on single, two-space-indented lines).
fn hooks(path: &Path) -> Vec<(String, BTreeMap<String, String>)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut hooks: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    for line in text.lines() {
        if let Some(id) = line.strip_prefix("- id: ") {
            hooks.push((id.to_string(), BTreeMap::new()));
        } else if let (Some((key, value)), Some((_, keys))) = (
            line.strip_prefix("  ").and_then(|l| l.split_once(": ")),
            hooks.last_mut(),
        ) {
            keys.insert(key.to_string(), value.to_string());
        }
    }
    hooks
}

/// Both hook manifests are valid for pre-commit, the mirror's hooks run what the main ones run
/// on the same files, and the mirror pins the wheel of this version.
#[test]
fn mirror_hooks_match_the_main_hooks_and_pin_this_version() {
    let main = manifest_dir().join(".pre-commit-hooks.yaml");
    let mirror = manifest_dir().join("pre-commit-mirror/.pre-commit-hooks.yaml");
    let main_hooks: BTreeMap<_, _> = hooks(&main).into_iter().collect();
    let mirror_hooks = hooks(&mirror);
    assert_eq!(
        mirror_hooks
            .iter()
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>(),
        ["iamlint", "iamlint-fix"]
    );
    for (id, keys) in &mirror_hooks {
        assert_eq!(keys["language"], "python", "{id}");
        for key in [
            "entry",
            "args",
            "types",
            "types_or",
            "files",
            "exclude",
            "require_serial",
        ] {
            assert_eq!(keys.get(key), main_hooks[id].get(key), "{id}: {key}");
        }
    }

    let pyproject: toml::Table =
        std::fs::read_to_string(manifest_dir().join("pre-commit-mirror/pyproject.toml"))
            .unwrap()
            .parse()
            .unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(pyproject["project"]["version"].as_str(), Some(version));
    assert_eq!(
        pyproject["project"]["dependencies"].as_array().unwrap(),
        &[toml::Value::from(format!("iamlint=={version}"))]
    );

    let Some(pre_commit) = pre_commit() else {
        return;
    };
    for manifest in [&main, &mirror] {
        let output = Command::new(&pre_commit)
            .arg("validate-manifest")
            .arg(manifest)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}: {output:?}",
            manifest.display()
        );
    }
}

/// The `language: rust` hook: pre-commit clones this repository and builds iamlint with cargo
/// (crates.io only). A release build takes minutes, so it runs in CI, or locally with
/// IAMLINT_TEST_RUST_HOOK=1; it builds the committed HEAD.
#[test]
fn rust_hook_builds_from_source_and_gates_commits() {
    let wanted =
        common::in_ci() || std::env::var_os("IAMLINT_TEST_RUST_HOOK").is_some_and(|v| v == "1");
    if !wanted {
        common::skip("the source-built hook is a release build: it runs under CI=true or with IAMLINT_TEST_RUST_HOOK=1");
        return;
    }
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let mut sandbox = Sandbox::new(pre_commit, false);
    let rev = sandbox.git(&manifest_dir(), &["rev-parse", "HEAD"]);
    let rev = String::from_utf8(rev.stdout).unwrap().trim().to_string();
    // pre-commit runs `cargo install`, which passes these on to cargo.
    sandbox.env = common::release_build_env().into();
    let project = sandbox.project(&manifest_dir(), &rev, "iamlint");
    assert_hook_gates_commits(&sandbox, &project);
}

/// pre-commit passes only the staged files; a scenario must still be checked as a whole, so a
/// harmless change to the role policy re-checks the caller policy bound beside it.
#[test]
fn staging_one_scenario_file_rechecks_the_scenario() {
    let Some(pre_commit) = pre_commit() else {
        return;
    };
    let sandbox = Sandbox::new(pre_commit, true);
    let (repo, rev) = sandbox.hook_repo();
    let project = sandbox.project(&repo, &rev, "iamlint-system");
    let init = std::process::Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .args(["init", "cloudwatch-logs-import", "--role-name", "ImportRole", "--dir", "iam"])
        .args(["--event-data-store-arn", "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/f1d45bff-d0e3-4868-b5d9-2eb678aa32fb"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(init.status.success(), "{init:?}");
    // The config belongs at the root, where the hook runs; its paths are relative to it.
    let config = std::fs::read_to_string(project.join("iam/iamlint.toml")).unwrap();
    std::fs::remove_file(project.join("iam/iamlint.toml")).unwrap();
    let config = config
        .replace("= \"caller-", "= \"iam/caller-")
        .replace("= \"import-role-", "= \"iam/import-role-");
    std::fs::write(project.join("iamlint.toml"), config).unwrap();
    let caller = std::fs::read_to_string(project.join("iam/caller-policy.json")).unwrap();
    let (ok, out) = sandbox.commit(&project, "iam/caller-policy.json", &caller);
    assert!(ok, "the policy set written by init passes: {out}");

    // Break the caller without the hook, then stage an unrelated edit of the role policy only.
    let broken = caller.replace("role/ImportRole", "role/OtherRole");
    assert_ne!(broken, caller);
    std::fs::write(project.join("iam/caller-policy.json"), broken).unwrap();
    sandbox.git(
        &project,
        &["commit", "-q", "-a", "--no-verify", "-m", "broken caller"],
    );
    let role = std::fs::read_to_string(project.join("iam/import-role-policy.json")).unwrap();
    let (ok, out) = sandbox.commit(
        &project,
        "iam/import-role-policy.json",
        &format!("{role}\n"),
    );
    assert!(
        !ok,
        "the role policy's scenario includes the broken caller: {out}"
    );
    assert!(out.contains("iam/caller-policy.json"), "{out}");
    assert!(out.contains("caller-cannot-pass-import-role"), "{out}");
}
