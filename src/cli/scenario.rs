//! Rule packs and `[[scenario]]`s as the config names them: the packs loaded from their files, and
//! the scenarios handed to the rules stage's binder (`rules::pack::scenario`) with the file system
//! it may read, its errors turned into config errors with a line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::config::LoadedConfig;
use super::walk::{self, Input};
use super::Failure;
use crate::rules::pack::scenario::{Bound, Disk};
use crate::rules::pack::{self, Pack, Packs};
use crate::rules::RuleMeta;

/// The packs of a run: the built-in ones, then the config's `packs` (with their paths, which
/// the walk must not lint as policies).
pub fn load_packs(
    config: Option<&LoadedConfig>,
    cwd: &Path,
) -> Result<(Packs, Vec<PathBuf>), Failure> {
    let mut files = Vec::new();
    let Some(config) = config.filter(|c| !c.config.packs.is_empty()) else {
        return Ok((Packs::default(), files));
    };
    let mut packs: Vec<&'static Pack> = pack::builtin().iter().collect();
    for entry in &config.config.packs {
        let pattern = config.dir.join(entry.get_ref());
        let pattern = pattern.to_string_lossy();
        let paths: Vec<PathBuf> = glob::glob_with(&pattern, walk::MATCH)
            .map_err(|e| {
                Failure::Config(config.error_at(
                    entry.span(),
                    format!(
                        "`{}` is not a valid glob pattern: {}",
                        entry.get_ref(),
                        e.msg
                    ),
                ))
            })?
            .filter_map(Result::ok)
            .filter(|p| p.is_file())
            .collect();
        if paths.is_empty() {
            return Err(Failure::Config(config.error_at(
                entry.span(),
                format!("`{}` matches no rule pack file", entry.get_ref()),
            )));
        }
        for path in paths {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Failure::Io(format!("cannot read `{}`: {e}", path.display())))?;
            let taken: Vec<(&'static str, &'static str)> = packs
                .iter()
                .flat_map(|p| p.rules.iter().map(|r| (r.meta.code, r.meta.name)))
                .collect();
            let loaded =
                load_once(path.display().to_string(), text, taken).map_err(Failure::Usage)?;
            if packs.iter().any(|p| p.name == loaded.name) {
                return Err(Failure::Usage(format!(
                    "{}: a rule pack named `{}` is already loaded",
                    path.display(),
                    loaded.name
                )));
            }
            packs.push(loaded);
            files.push(walk::absolute(&path, cwd));
        }
    }
    Ok((Packs::loaded(packs), files))
}

/// What a pack was loaded from: its name, its text, and the rule codes and names already taken.
type PackKey = (String, String, Vec<(&'static str, &'static str)>);

/// A pack's rules' metadata must be `'static`, so a loaded pack is leaked: once per distinct
/// pack per process, since the language server reloads the config on every edit.
fn load_once(
    name: String,
    text: String,
    taken: Vec<(&'static str, &'static str)>,
) -> Result<&'static Pack, String> {
    static LOADED: Mutex<BTreeMap<PackKey, &'static Pack>> = Mutex::new(BTreeMap::new());
    let mut loaded = LOADED.lock().unwrap_or_else(PoisonError::into_inner);
    let key = (name, text, taken);
    if let Some(&pack) = loaded.get(&key) {
        return Ok(pack);
    }
    let pack = pack::load_beside(&key.0, &key.1, &key.2).map_err(|e| e.to_string())?;
    let pack: &'static Pack = Box::leak(Box::new(pack));
    loaded.insert(key, pack);
    Ok(pack)
}

/// Drops rule pack files from the inputs: they are data for iamlint, not policies.
pub fn skip_packs(inputs: &mut Vec<Input>, pack_files: &[PathBuf], cwd: &Path) {
    inputs.retain(|i| {
        i.path
            .as_deref()
            .is_none_or(|p| !pack_files.contains(&walk::absolute(p, cwd)))
    });
}

/// Every rule of these packs.
pub fn metas(packs: &[&'static Pack]) -> Vec<&'static RuleMeta> {
    packs
        .iter()
        .flat_map(|p| p.rules.iter().map(|r| r.meta))
        .collect()
}

/// The config's `[[scenario]]`s bound to their packs (see [`pack::scenario::bind`]); a binding
/// that cannot work is a config error at its line and column.
pub fn bind(
    config: Option<&LoadedConfig>,
    packs: &Packs,
    cwd: &Path,
) -> Result<Vec<Bound>, Failure> {
    let Some(config) = config.filter(|c| !c.config.scenario.is_empty()) else {
        return Ok(Vec::new());
    };
    let locate = |written: &str| {
        let absolute = walk::absolute(&config.dir.join(written), cwd);
        absolute.is_file().then_some(absolute)
    };
    let read = |path: &Path| std::fs::read_to_string(path).ok();
    let disk = Disk {
        locate: &locate,
        read: &read,
    };
    pack::scenario::bind(&config.config.scenario, packs.get(), &disk)
        .map_err(|e| Failure::Config(config.error_at(e.span, e.message)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_pack_loaded_again_is_the_same_pack() {
        let text = include_str!("../../rules/cloudwatch-logs-import.json");
        let load = |text: &str| super::load_once("local.json".into(), text.into(), Vec::new());
        let first = load(text).unwrap();
        assert!(std::ptr::eq(first, load(text).unwrap()));
        let edited = text.replace("\"CWLI001\"", "\"CWLI901\"");
        assert!(
            !std::ptr::eq(first, load(&edited).unwrap()),
            "an edit reloads"
        );
    }
}
