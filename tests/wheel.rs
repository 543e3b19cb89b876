//! The Python wheel (`pyproject.toml`, maturin's `bindings = "bin"`) as a user gets it: built by
//! `maturin build --release` (maturin from `.ci/install-test-tools`), installed with pip into a
//! fresh virtual environment, and run from there.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BROKEN: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}
"#;

/// Runs `program` offline for pip: no index, and no find-links but those in `env`.
fn run(program: &Path, args: &[&str], cwd: &Path, env: &[(&str, std::ffi::OsString)]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env("PIP_NO_INDEX", "1")
        .env_remove("PIP_FIND_LINKS")
        .env_remove("VIRTUAL_ENV")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap()
}

/// A new virtual environment in `dir`, made by `python3 -m venv`; its `bin/`.
fn fresh_venv(python: &Path, dir: &Path) -> PathBuf {
    let venv = dir.join("venv");
    let made = run(python, &["-m", "venv", venv.to_str().unwrap()], dir, &[]);
    assert!(made.status.success(), "{made:?}");
    venv.join("bin")
}

/// The venv's `iamlint` is this checkout's (same `--version`, catalog date included) and finds
/// the broken Effect.
fn assert_installed_iamlint_works(bin: &Path, dir: &Path) {
    let iamlint = bin.join("iamlint");
    assert!(iamlint.is_file(), "pip put iamlint in the venv's bin/");
    let version = run(&iamlint, &["--version"], dir, &[]);
    let built = Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(version.status.success(), "{version:?}");
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        String::from_utf8_lossy(&built.stdout)
    );

    std::fs::write(dir.join("policy.json"), BROKEN).unwrap();
    let check = run(
        &iamlint,
        &["check", "--format", "concise", "policy.json"],
        dir,
        &[],
    );
    let out = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    assert!(
        out.starts_with("policy.json:1:52: error[IAM011] `allow` is not a valid Effect"),
        "{out}"
    );
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
    let bin = fresh_venv(&python, dir.path());
    let installed = run(
        &bin.join("pip"),
        &["install", "--quiet", wheel.to_str().unwrap()],
        dir.path(),
        &[],
    );
    assert!(installed.status.success(), "{installed:?}");
    assert_installed_iamlint_works(&bin, dir.path());
}

/// `pip install .` from the checkout, as the README says: pip builds the wheel with the back-end
/// `pyproject.toml` names (maturin, from the wheelhouse of `.ci/install-test-tools`, offline).
/// It shares the tests' release target directory, so cargo finds the wheel's build fresh.
#[test]
fn pip_install_dot_gives_a_working_iamlint() {
    let Some(python) = common::on_path("python3") else {
        return;
    };
    let wheelhouse = common::manifest_dir().join("target/test-tools/wheelhouse");
    if !std::fs::read_dir(&wheelhouse).is_ok_and(|mut entries| {
        entries.any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("maturin-")
        })
    }) {
        common::skip(
            "no maturin wheel in target/test-tools/wheelhouse: run .ci/install-test-tools",
        );
        return;
    }
    // Built first (once per test binary), so that pip's build finds cargo's artifacts fresh.
    if common::wheel().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bin = fresh_venv(&python, dir.path());
    let mut env: Vec<(&str, std::ffi::OsString)> = common::release_build_env().into();
    env.push(("PIP_FIND_LINKS", wheelhouse.into()));
    let installed = run(
        &bin.join("pip"),
        &[
            "install",
            "--quiet",
            common::manifest_dir().to_str().unwrap(),
        ],
        dir.path(),
        &env,
    );
    assert!(installed.status.success(), "{installed:?}");
    assert_installed_iamlint_works(&bin, dir.path());
}
