//! The README's rule table is generated from the registry, so it cannot drift. Run with
//! `UPDATE_README=1` to rewrite it.

use iamlint::rules::{pack, registry};

#[test]
fn readme_lists_every_rule() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let from = readme.find(start).expect("README has a rules:start marker") + start.len();
    let to = readme.find(end).expect("README has a rules:end marker");
    let mut table = String::from(
        "| code | name | severity | summary | pack |\n| --- | --- | --- | --- | --- |\n",
    );
    for m in registry::BUILTIN
        .iter()
        .map(|r| &r.meta)
        .chain(pack::builtin_metas())
    {
        table.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            m.code,
            m.name,
            m.severity.as_str(),
            m.summary.replace('|', "\\|"),
            m.pack.unwrap_or("")
        ));
    }
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(
            &path,
            format!("{}{table}{}", &readme[..from], &readme[to..]),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        &readme[from..to],
        table,
        "the README's rule table is stale: run `UPDATE_README=1 cargo test --test readme`"
    );
}

/// The README's first command is what a new user runs first: it must work as written, from the
/// repository root, and print exactly the output the README shows for it.
#[test]
fn readme_shows_the_first_commands_real_output() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let first = readme
        .lines()
        .find(|l| l.starts_with("cargo run"))
        .expect("a `cargo run` line");
    let args: Vec<&str> = first
        .strip_prefix("cargo run -- ")
        .expect("cargo run -- ARGS")
        .split_whitespace()
        .collect();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .args(&args)
        .current_dir(root)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{out}");

    let marker = "```text\nfixtures/cloudwatch-logs-import/aws-example/policy.json:";
    let start = readme
        .find(marker)
        .expect("the first command's output block")
        + "```text\n".len();
    let shown = &readme[start..start + readme[start..].find("```").unwrap()];
    assert_eq!(shown, out, "update the README's example output");
}

/// The Rust version the README asks for is the one Cargo.toml declares.
#[test]
fn readme_names_the_rust_version() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let manifest: toml::Table = std::fs::read_to_string(root.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let version = manifest["package"]["rust-version"].as_str().unwrap();
    assert!(
        readme.contains(&format!(
            "with Rust {version} or later (`rust-version` in `Cargo.toml`)"
        )),
        "the README should ask for Rust {version}"
    );
}

/// The README shows `iamlint --version` as it prints today (the catalog date included).
#[test]
fn readme_shows_the_real_version_line() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .arg("--version")
        .output()
        .unwrap();
    let line = String::from_utf8(output.stdout).unwrap();
    assert!(
        readme.contains(&format!("```text\n{line}```")),
        "the README should show {line:?}"
    );
}

#[test]
fn readme_lists_every_terraform_table_row() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let (start, end) = (
        "<!-- terraform-table:start -->",
        "<!-- terraform-table:end -->",
    );
    let table = &readme[readme.find(start).unwrap()..readme.find(end).unwrap()];
    let rows = iamlint::template::table::terraform_entries();
    assert_eq!(table.lines().count(), rows.len() + 3, "{table}");
    for entry in rows {
        let row = format!(
            "| `{}` | `{}` | {}",
            entry.resource_type, entry.path, entry.kind
        );
        assert!(table.contains(&row), "README's Terraform table lacks {row}");
    }
}
