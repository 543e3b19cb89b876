//! `[[scenario]]`: binds documents to a rule pack's slots and sets its parameters. Everything
//! that can be wrong with a binding (unknown pack, slot or parameter, a missing document or
//! required parameter) is a config error with its line and column, before any check runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::config::LoadedConfig;
use super::walk::{self, Input};
use super::Failure;
use crate::policy::Kind;
use crate::rules::pack::model::SlotKind;
use crate::rules::pack::{self, Pack, ScenarioInput};
use crate::rules::{Diagnostic, RuleMeta};
use crate::source::{FileId, Span};

/// The packs of a run: the built-in ones, then the config's `packs` (with their paths, which
/// the walk must not lint as policies).
pub fn load_packs(
    config: Option<&LoadedConfig>,
    cwd: &Path,
) -> Result<(Vec<&'static Pack>, Vec<PathBuf>), Failure> {
    let mut packs: Vec<&'static Pack> = pack::builtin().iter().collect();
    let mut files = Vec::new();
    let Some(config) = config else {
        return Ok((packs, files));
    };
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
    Ok((packs, files))
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

/// One `[[scenario]]`, checked against its pack.
#[derive(Debug)]
pub struct Bound {
    pub pack: &'static Pack,
    pub name: String,
    /// `(slot, absolute path)` in the config's order.
    pub documents: Vec<(String, PathBuf)>,
    pub parameters: BTreeMap<String, String>,
    /// Byte ranges in the config file.
    pub parameter_spans: BTreeMap<String, std::ops::Range<usize>>,
    pub name_span: std::ops::Range<usize>,
}

pub fn bind(
    config: Option<&LoadedConfig>,
    packs: &[&'static Pack],
    cwd: &Path,
) -> Result<Vec<Bound>, Failure> {
    let Some(config) = config else {
        return Ok(Vec::new());
    };
    let err = |span: std::ops::Range<usize>, message: String| {
        Failure::Config(config.error_at(span, message))
    };
    let mut out: Vec<Bound> = Vec::new();
    for scenario in &config.config.scenario {
        let Some(pack) = packs.iter().find(|p| p.name == scenario.pack.get_ref()) else {
            return Err(err(
                scenario.pack.span(),
                format!(
                    "`{}` is not a rule pack (known: {})",
                    scenario.pack.get_ref(),
                    packs
                        .iter()
                        .map(|p| format!("`{}`", p.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        let name = scenario.name.get_ref().clone();
        if out.iter().any(|b| b.name == name) {
            return Err(err(
                scenario.name.span(),
                format!("scenario `{name}` is declared twice"),
            ));
        }
        let mut parameters = BTreeMap::new();
        let mut parameter_spans = BTreeMap::new();
        for (key, value) in &scenario.parameters {
            let text = pack
                .check_parameter(key, value.get_ref())
                .map_err(|message| err(value.span(), message))?;
            parameters.insert(key.clone(), text);
            parameter_spans.insert(key.clone(), value.span());
        }
        let mut documents = Vec::new();
        for (slot, paths) in &scenario.documents {
            if pack.slot_kind(slot).is_none() {
                return Err(err(
                    paths.span(),
                    format!(
                        "`{slot}` is not a document slot of pack `{}` (it has {})",
                        pack.name,
                        pack.file
                            .slots
                            .iter()
                            .map(|s| format!("`{}`", s.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            let list = paths.get_ref().paths();
            if list.is_empty() {
                return Err(err(
                    paths.span(),
                    format!("slot `{slot}` lists no document"),
                ));
            }
            for path in list {
                let absolute = walk::absolute(&config.dir.join(path), cwd);
                if !absolute.is_file() {
                    return Err(err(
                        paths.span(),
                        format!("`{path}` (slot `{slot}`) does not exist"),
                    ));
                }
                documents.push((slot.clone(), absolute));
            }
        }
        for slot in &pack.file.slots {
            let required = slot.required
                || slot
                    .required_when
                    .as_ref()
                    .is_some_and(|p| parameters.contains_key(p));
            if required && !scenario.documents.contains_key(&slot.name) {
                let because = slot
                    .required_when
                    .as_ref()
                    .map(|p| format!(" (because `{p}` is set)"))
                    .unwrap_or_default();
                return Err(err(
                    scenario.name.span(),
                    format!(
                        "scenario `{name}` must bind document slot `{}`{because}",
                        slot.name
                    ),
                ));
            }
        }
        let bound = Bound {
            pack,
            name,
            documents,
            parameters,
            parameter_spans,
            name_span: scenario.name.span(),
        };
        // Parameters may come from the request: resolve now, so a missing one is a config error.
        bound
            .values()
            .map_err(|message| err(bound.name_span.clone(), message))?;
        out.push(bound);
    }
    Ok(out)
}

impl Bound {
    fn request_text(&self) -> Option<String> {
        self.documents
            .iter()
            .find(|(slot, _)| self.pack.slot_kind(slot) == Some(SlotKind::Request))
            .and_then(|(_, path)| std::fs::read_to_string(path).ok())
    }

    fn values(&self) -> Result<pack::template::Values, String> {
        self.pack
            .resolve(&self.parameters, self.request_text().as_deref())
    }
}

/// The scenarios that run, with each document's input index.
#[derive(Debug, Default)]
pub struct Plan {
    scenarios: Vec<(usize, Vec<(String, usize)>)>,
    /// Per input: the kind its slot gives it.
    pub kinds: BTreeMap<usize, SlotKind>,
}

/// A scenario runs when one of its documents is among the inputs; its other documents are then
/// added to the inputs (so that they are checked as their slot's kind and can be pointed at).
/// A document found by the walk is the same input, so it is checked once.
pub fn plan(bound: &[Bound], inputs: &mut Vec<Input>, cwd: &Path) -> Plan {
    let mut plan = Plan::default();
    let index_of = |inputs: &[Input], path: &Path| {
        inputs.iter().position(|i| {
            i.path
                .as_deref()
                .is_some_and(|p| walk::absolute(p, cwd) == path)
        })
    };
    for (b, scenario) in bound.iter().enumerate() {
        if !scenario
            .documents
            .iter()
            .any(|(_, path)| index_of(inputs, path).is_some())
        {
            continue;
        }
        let mut docs = Vec::new();
        for (slot, path) in &scenario.documents {
            let index = match index_of(inputs, path) {
                Some(i) => i,
                None => {
                    inputs.push(Input {
                        display: walk::display(path, cwd),
                        path: Some(path.clone()),
                        discovered: false,
                    });
                    inputs.len() - 1
                }
            };
            if let Some(kind) = scenario.pack.slot_kind(slot) {
                plan.kinds.insert(index, kind);
            }
            docs.push((slot.clone(), index));
        }
        plan.scenarios.push((b, docs));
    }
    plan
}

/// The kind a slot gives a policy document; `None` for a request.
pub fn policy_kind(kind: SlotKind) -> Option<Kind> {
    match kind {
        SlotKind::Identity => Some(Kind::Identity),
        SlotKind::Trust => Some(Kind::Trust),
        SlotKind::Resource => Some(Kind::Resource),
        SlotKind::Key => Some(Kind::Key),
        SlotKind::Request => None,
    }
}

/// Runs the packs' rules on the planned scenarios. `texts[i]` is input i's text; the config file
/// is `config_file` for findings about parameters.
pub fn evaluate(
    bound: &[Bound],
    plan: &Plan,
    texts: &[Option<String>],
    config_file: FileId,
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut packs: Vec<&'static Pack> = Vec::new();
    for (b, _) in &plan.scenarios {
        if !packs.iter().any(|p| std::ptr::eq(*p, bound[*b].pack)) {
            packs.push(bound[*b].pack);
        }
    }
    for pack in packs {
        let inputs: Vec<ScenarioInput> = plan
            .scenarios
            .iter()
            .filter(|(b, _)| std::ptr::eq(bound[*b].pack, pack))
            .filter_map(|(b, docs)| {
                let scenario = &bound[*b];
                let values = scenario.values().ok()?;
                Some(ScenarioInput {
                    name: scenario.name.clone(),
                    values,
                    documents: docs
                        .iter()
                        .map(|(slot, i)| {
                            (
                                slot.clone(),
                                FileId(*i as u32),
                                texts.get(*i).and_then(|t| t.as_deref()).unwrap_or(""),
                            )
                        })
                        .collect(),
                    parameter_spans: scenario
                        .parameter_spans
                        .iter()
                        .map(|(k, r)| {
                            (
                                k.clone(),
                                (config_file, Span::new(r.start as u32, r.end as u32)),
                            )
                        })
                        .collect(),
                })
            })
            .collect();
        out.extend(pack::evaluate(pack, &inputs, enabled));
    }
    out
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
