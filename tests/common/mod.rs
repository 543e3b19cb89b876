//! What the integration tests share about the world outside the repository: `../shared` (the
//! corpus and the catalog data) and the tools installed by `.ci/install-test-tools`. A test that
//! cannot run because one is missing must not look green: under `CI=true` it fails naming what
//! is missing; otherwise it prints `skipped: WHY` where `cargo test` shows it.
#![allow(dead_code)] // each test crate uses only some of these

use std::io::Write;
use std::path::{Path, PathBuf};

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `iamlint` to be run in `dir` with colour off, so its output compares as plain text.
pub fn iamlint(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("iamlint").unwrap();
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// Runs `cmd` to the end: its exit code, stdout and stderr.
pub fn run(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let output = cmd.output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Runs `iamlint ARGS` in `dir` with colour off: its exit code, stdout and stderr.
pub fn run_iamlint(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run(iamlint(dir).args(args))
}

/// A temporary directory holding `files` (path relative to it, text), folders created.
pub fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Whether this is CI: `CI` set to anything but empty, `0` or `false` (GitHub sets `CI=true`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"))
}

/// Stops a test that cannot run: a panic in CI, a visible `skipped:` line otherwise. Written to
/// the real stderr, not through `eprintln!`, which the test harness captures and hides.
pub fn skip(why: &str) {
    assert!(!in_ci(), "{why} (CI=true: a test that cannot run fails)");
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
}

/// A path under `../shared/`, or `None` after [`skip`] when it is absent.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = manifest_dir().join("../shared").join(relative);
    if path.exists() {
        Some(path)
    } else {
        skip(&format!(
            "{} is missing (the tests read ../shared/, next to the repository)",
            path.display()
        ));
        None
    }
}

/// A tool installed by `.ci/install-test-tools` into its venv (`pre-commit`, `maturin`), or
/// `None` after [`skip`].
pub fn venv_tool(name: &str) -> Option<PathBuf> {
    let path = manifest_dir().join("target/test-tools/venv/bin").join(name);
    if path.is_file() {
        Some(path)
    } else {
        skip(&format!(
            "{name} is missing from target/test-tools/venv: run .ci/install-test-tools"
        ));
        None
    }
}

/// A program on PATH, or `None` after [`skip`].
pub fn on_path(name: &str) -> Option<PathBuf> {
    let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        skip(&format!(
            "{name} is not on PATH: run .ci/install-test-tools"
        ));
    }
    found
}

/// Environment for the release builds the tests start (the wheel, the `rust` pre-commit hook's
/// `cargo install`): they test packaging, not the binary's speed, so LTO is off and codegen is
/// split, and they share one target directory of their own (`cargo test` holds target/'s lock),
/// so the second finds the dependencies built.
pub fn release_build_env() -> [(&'static str, std::ffi::OsString); 3] {
    [
        ("CARGO_PROFILE_RELEASE_LTO", "false".into()),
        ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16".into()),
        (
            "CARGO_TARGET_DIR",
            manifest_dir()
                .join("target/test-tools/release-target")
                .into(),
        ),
    ]
}

/// The wheel `maturin build --release` makes of this checkout (`pyproject.toml`), built once per
/// test binary; a second test binary's build finds cargo's release artifacts fresh and only
/// repackages. `None` after [`skip`] when maturin is missing.
pub fn wheel() -> Option<PathBuf> {
    static WHEEL: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    WHEEL.get_or_init(build_wheel).clone()
}

fn build_wheel() -> Option<PathBuf> {
    let maturin = venv_tool("maturin")?;
    let tools = manifest_dir().join("target/test-tools");
    let dist = tools.join("dist");
    let output = std::process::Command::new(maturin)
        .args(["build", "--release", "--quiet", "--out"])
        .arg(&dist)
        .current_dir(manifest_dir())
        .envs(release_build_env())
        .output()
        .unwrap();
    assert!(output.status.success(), "maturin build: {output:?}");
    let prefix = format!("iamlint-{}-", env!("CARGO_PKG_VERSION"));
    let wheel = std::fs::read_dir(&dist)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".whl")
        })
        .max_by_key(|path| path.metadata().unwrap().modified().unwrap())
        .unwrap_or_else(|| panic!("no {prefix}*.whl in {}", dist.display()));
    Some(wheel)
}

/// Fails unless `log` is valid against the OASIS SARIF 2.1.0 schema vendored in tests/data.
pub fn assert_valid_sarif(log: &serde_json::Value) {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
}
