//! The Python wheel (`pyproject.toml`, maturin's `bindings = "bin"`) as a user gets it: built by
//! `maturin build --release` (maturin from `.ci/install-test-tools`), installed with pip into a
//! fresh virtual environment, and run from there.

mod common;

use std::path::Path;
use std::process::{Command, Output};

const BROKEN: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}
"#;

fn run(program: &Path, args: &[&str], cwd: &Path) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(cwd)
        // Only the wheel under test: no index, no find-links from the environment.
        .env("PIP_NO_INDEX", "1")
        .env_remove("PIP_FIND_LINKS")
        .env_remove("VIRTUAL_ENV")
        .output()
        .unwrap()
}

#[test]
fn wheel_installs_a_working_iamlint_into_a_fresh_venv() {
    let Some(python) = common::on_path("python3") else {
        return;
    };
    let Some(wheel) = common::wheel() else {
        return;
    };
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("iamlint-{}-py3-none-", env!("CARGO_PKG_VERSION"))),
        "the wheel's version is Cargo.toml's, and it holds no Python code: {name}"
    );

    let dir = tempfile::tempdir().unwrap();
    let venv = dir.path().join("venv");
    let made = run(&python, &["-m", "venv", venv.to_str().unwrap()], dir.path());
    assert!(made.status.success(), "{made:?}");
    let installed = run(
        &venv.join("bin/pip"),
        &["install", "--quiet", wheel.to_str().unwrap()],
        dir.path(),
    );
    assert!(installed.status.success(), "{installed:?}");
    let iamlint = venv.join("bin/iamlint");
    assert!(iamlint.is_file(), "pip put iamlint in the venv's bin/");

    let version = run(&iamlint, &["--version"], dir.path());
    let built = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(version.status.success(), "{version:?}");
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        String::from_utf8_lossy(&built.stdout),
        "the wheel's iamlint is this checkout's, catalog date included"
    );

    std::fs::write(dir.path().join("policy.json"), BROKEN).unwrap();
    let check = run(
        &iamlint,
        &["check", "--format", "concise", "policy.json"],
        dir.path(),
    );
    let out = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    assert!(
        out.starts_with("policy.json:1:52: error[IAM011] `allow` is not a valid Effect"),
        "{out}"
    );
}
