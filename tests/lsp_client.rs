//! `iamlint lsp` end to end with a real client: headless Neovim (installed by
//! `.ci/install-test-tools`) runs tests/lsp/nvim_client.lua, which opens a policy, changes it,
//! applies the offered quick fix and saves; this test checks what Neovim saw at each step.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

// The emoji is one character but two UTF-16 units and four bytes: Neovim turns the server's
// UTF-16 columns into byte columns, so a wrong unit would show as a wrong column.
const POLICY: &str = "{\n  \"Statement\": [\n    {\"Sid\": \"One\", \"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"😀\"}}, \"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n  ]\n}\n";

/// The oldest Neovim whose LSP client API `tests/lsp/nvim_client.lua` uses (`vim.lsp.start_client`,
/// `vim.diagnostic`); Debian 12 ships 0.7.2. The README's editor set-up needs 0.8 (`vim.lsp.start`).
const OLDEST_NVIM: (u32, u32) = (0, 7);

/// Neovim from PATH and its version (`NVIM v0.7.2` → (0, 7)), or `None` after `common::skip`.
fn nvim() -> Option<PathBuf> {
    let nvim = common::on_path("nvim")?;
    let output = Command::new(&nvim).arg("--version").output().unwrap();
    let first = String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    let version: Vec<u32> = first
        .trim_start_matches("NVIM v")
        .split(['.', '-'])
        .take(2)
        .map_while(|part| part.parse().ok())
        .collect();
    let &[major, minor] = version.as_slice() else {
        panic!("cannot read the version of {}: {first:?}", nvim.display());
    };
    if (major, minor) < OLDEST_NVIM {
        common::skip(&format!(
            "{first} is older than the {}.{} this test needs",
            OLDEST_NVIM.0, OLDEST_NVIM.1
        ));
        return None;
    }
    let _ = writeln!(std::io::stderr(), "note: the LSP test drives {first}");
    Some(nvim)
}

#[test]
fn neovim_sees_diagnostics_fixes_and_saves() {
    let Some(nvim) = nvim() else { return };
    let dir = tempfile::tempdir().unwrap();
    // The workspace config applies: missing-version is off here.
    std::fs::write(
        dir.path().join("iamlint.toml"),
        "ignore = [\"missing-version\"]\n",
    )
    .unwrap();
    let doc = dir.path().join("role policy.json");
    std::fs::write(&doc, POLICY).unwrap();
    let changed = POLICY.replace(
        "{\"Sid\": \"One\"",
        "{\"Sid\": \"One\", \"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"},\n    {\"Sid\": \"One\"",
    );
    let out = dir.path().join("out.json");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/nvim_client.lua");
    let mut child = Command::new(nvim)
        .args([
            "--headless",
            "--clean",
            "-n",
            "-i",
            "NONE",
            "-u",
            "NONE",
            "-c",
        ])
        .arg(format!("luafile {}", script.display()))
        .env("IAMLINT_BIN", assert_cmd::cargo::cargo_bin("iamlint"))
        .env("IAMLINT_DOC", &doc)
        .env("IAMLINT_OUT", &out)
        .env(
            "IAMLINT_CHANGED",
            serde_json::to_string(changed.trim_end()).unwrap(),
        )
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("Neovim did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let result: Value = serde_json::from_str(
        &std::fs::read_to_string(&out).expect("the Lua script writes its result"),
    )
    .unwrap();
    assert_eq!(result["ok"], true, "{result:#}");
    let steps = &result["steps"];

    let line = POLICY.lines().nth(2).unwrap();
    let col = line.find("\"allow\"").unwrap() as u64;
    let opened = steps["opened"].as_array().unwrap();
    assert_eq!(opened.len(), 1, "{opened:#?}");
    let d = &opened[0];
    assert_eq!(d["code"], "IAM011");
    assert_eq!(d["name"], "invalid-effect");
    assert_eq!(d["source"], "iamlint");
    assert_eq!(d["severity"], 1, "error");
    assert_eq!(
        (d["lnum"].as_u64(), d["col"].as_u64()),
        (Some(2), Some(col))
    );
    assert_eq!(
        (d["end_lnum"].as_u64(), d["end_col"].as_u64()),
        (Some(2), Some(col + 7))
    );
    assert!(d["message"]
        .as_str()
        .unwrap()
        .starts_with("`allow` is not a valid Effect"));

    let codes: Vec<&str> = steps["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["IAM013", "IAM011"], "{steps:#}");
    assert_eq!(
        steps["changed"][0]["related"], 1,
        "duplicate-sid points at the first Sid"
    );

    assert_eq!(
        steps["actions"],
        serde_json::json!(["replace with \"Allow\" (IAM011)"])
    );
    assert_eq!(steps["saved"], serde_json::json!([]));
    assert_eq!(
        std::fs::read_to_string(&doc).unwrap(),
        POLICY.replace("\"allow\"", "\"Allow\"")
    );
}
