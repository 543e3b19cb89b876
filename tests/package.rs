//! What `cargo package` would publish: the crate, its tests and fixtures, the licence and the
//! changelog, and nothing from the repository's tooling, caches or build output.

use std::process::Command;

#[test]
fn the_package_holds_the_crate_and_no_stray_files() {
    let output = Command::new(env!("CARGO"))
        .args(["package", "--list", "--offline", "--allow-dirty"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let listed = String::from_utf8(output.stdout).unwrap();
    let files: Vec<&str> = listed.lines().collect();

    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "pyproject.toml",
        "src/main.rs",
        "rules/cloudwatch-logs-import.json",
        "tests/data/sarif-schema-2.1.0.json",
    ] {
        assert!(
            files.contains(&needed),
            "{needed} is missing from:\n{listed}"
        );
    }
    assert!(files.iter().any(|f| f.starts_with("fixtures/rules/")));
    // It compiles xtask/src/generate.rs, which a package cannot hold.
    assert!(!files.contains(&"tests/catalog.rs"));
    let allowed_dirs = [
        "src/",
        "rules/",
        "tests/",
        "fixtures/",
        "benches/",
        "examples/",
    ];
    let allowed_files = [
        "Cargo.toml",
        "Cargo.toml.orig",
        "Cargo.lock",
        ".cargo_vcs_info.json",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "pyproject.toml",
    ];
    for file in &files {
        assert!(
            allowed_files.contains(file) || allowed_dirs.iter().any(|d| file.starts_with(d)),
            "stray file in the package: {file}"
        );
        assert!(
            !file.ends_with(".snap.new") && !file.ends_with(".pending-snap"),
            "stray file in the package: {file}"
        );
    }
}
