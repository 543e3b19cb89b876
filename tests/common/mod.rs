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
