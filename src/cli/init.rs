//! `iamlint init PACK`: writes the pack's least-privilege policy set (its `init` templates) and an
//! `iamlint.toml` binding it, so that `iamlint check` passes with no diagnostic.

use std::path::{Path, PathBuf};

use super::args::InitArgs;
use super::{ExitCode, Failure};
use crate::rules::pack::{self, template};

pub fn run(args: InitArgs, cwd: &Path) -> Result<ExitCode, Failure> {
    let Some(pack) = pack::builtin().iter().find(|p| p.name == args.pack) else {
        return Err(Failure::Usage(format!(
            "`{}` is not a rule pack with an `init` (known: {})",
            args.pack,
            pack::builtin()
                .iter()
                .filter(|p| p.file.init.is_some())
                .map(|p| format!("`{}`", p.name))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let Some(init) = &pack.file.init else {
        return Err(Failure::Usage(format!(
            "pack `{}` has no `init`",
            pack.name
        )));
    };
    if !valid_role_name(&args.role_name) {
        return Err(Failure::Usage(format!(
            "`{}` is not a valid IAM role name (1-64 characters of letters, digits and +=,.@_-)",
            args.role_name
        )));
    }
    let mut given = vec![("event-data-store-arn", args.event_data_store_arn.clone())];
    if let Some(key) = &args.kms_key_arn {
        given.push(("kms-key-arn", key.clone()));
    }
    let mut values = template::Values::new();
    for (name, value) in &given {
        let value = pack
            .check_parameter(name, &toml::Value::String(value.clone()))
            .map_err(|e| Failure::Usage(format!("--{name}: {e}")))?;
        values.insert(name.to_string(), value);
    }
    values.insert("role-name".into(), args.role_name.clone());
    pack.derive(&mut values);
    for (name, t) in &init.parameters {
        if let Some(v) = template::expand(t, &values) {
            values.insert(name.clone(), v);
        }
    }
    pack.derive(&mut values);

    let dir = match &args.dir {
        Some(dir) => cwd.join(dir),
        None => cwd.to_path_buf(),
    };
    let files = pack.init_files(&values);
    let config = config_text(pack, &files, &values);
    let mut writes: Vec<(PathBuf, String)> = files
        .iter()
        .map(|(_, path, text)| (dir.join(path), text.clone()))
        .collect();
    writes.push((dir.join("iamlint.toml"), config));
    let existing: Vec<String> = writes
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, _)| format!("`{}`", path.display()))
        .collect();
    if !existing.is_empty() && !args.force {
        return Err(Failure::Usage(format!(
            "{} already exist{}; pass --force to overwrite",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" }
        )));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::Io(format!("cannot create `{}`: {e}", dir.display())))?;
    for (path, text) in &writes {
        std::fs::write(path, text)
            .map_err(|e| Failure::Io(format!("cannot write `{}`: {e}", path.display())))?;
        println!("wrote {}", super::walk::display(path, cwd));
    }
    Ok(ExitCode::Clean)
}

/// IAM role names: 1 to 64 of `[\w+=,.@-]`.
fn valid_role_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn config_text(
    pack: &pack::Pack,
    files: &[(String, String, String)],
    values: &template::Values,
) -> String {
    let mut out = format!(
        "# Written by `iamlint init {}`: the policy set below is least-privilege and passes\n# `iamlint check` with no diagnostic. Edit the parameters, not the ARNs in the policies.\n\n[[scenario]]\npack = {}\nname = {}\n\n[scenario.documents]\n",
        pack.name,
        toml_string(pack.name),
        toml_string(pack.name),
    );
    for (slot, path, _) in files {
        out.push_str(&format!("{slot} = {}\n", toml_string(path)));
    }
    out.push_str("\n[scenario.parameters]\n");
    for spec in &pack.file.parameters {
        if let Some(v) = values.get(&spec.name) {
            out.push_str(&format!("{} = {}\n", spec.name, toml_string(v)));
        }
    }
    out
}
