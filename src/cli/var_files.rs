//! `--var-file` and the config's `var-files`: Terraform variable-definitions files read once for
//! the run, their values given to every Terraform module checked, after the module's own
//! `terraform.tfvars` and `*.auto.tfvars` (a later file wins, as with `terraform plan`).

use std::path::{Path, PathBuf};

use super::config::LoadedConfig;
use super::Failure;
use crate::template::terraform::VarFile;

/// The flags' files (relative to the current directory) or, with none, the config's (relative
/// to the config file): a file that cannot be read or parsed is a usage or config error.
pub(super) fn load(
    flags: &[PathBuf],
    loaded: Option<&LoadedConfig>,
    cwd: &Path,
) -> Result<Vec<VarFile>, Failure> {
    if !flags.is_empty() {
        return flags
            .iter()
            .map(|path| read(&cwd.join(path), path).map_err(Failure::Usage))
            .collect();
    }
    let Some(loaded) = loaded else {
        return Ok(Vec::new());
    };
    loaded
        .config
        .var_files
        .iter()
        .map(|entry| {
            let path = Path::new(entry.get_ref());
            read(&loaded.dir.join(path), path)
                .map_err(|message| Failure::Config(loaded.error_at(entry.span(), message)))
        })
        .collect()
}

fn read(path: &Path, shown: &Path) -> Result<VarFile, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the variable file `{}`: {e}", shown.display()))?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    VarFile::parse(&name, &text)
        .map_err(|e| format!("the variable file `{}` is not valid: {e}", shown.display()))
}
