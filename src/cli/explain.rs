//! `iamlint rules` and `iamlint explain`: both read the rule registry, as SARIF does, and the
//! packs the config adds, as `check` does.

use std::path::Path;

use super::args::{ConfigArgs, ListFormat};
use super::check::load_config_from;
use super::scenario::{load_packs, metas};
use super::{print, ExitCode, Failure};
use crate::rules::{registry, RuleMeta};

/// Built-in rules, then the rules of the built-in packs and of the config's packs.
fn all(config: &ConfigArgs, cwd: &Path) -> Result<Vec<&'static RuleMeta>, Failure> {
    let loaded = load_config_from(config.config.as_deref(), config.no_config, cwd)?;
    let (packs, _) = load_packs(loaded.as_ref(), cwd)?;
    Ok(registry::BUILTIN
        .iter()
        .map(|r| &r.meta)
        .chain(metas(packs.get()))
        .collect())
}

pub fn rules(format: ListFormat, config: &ConfigArgs, cwd: &Path) -> Result<ExitCode, Failure> {
    let all = all(config, cwd)?;
    let mut out = String::new();
    match format {
        ListFormat::Human => {
            for meta in &all {
                let pack = meta.pack.map(|p| format!(" [{p}]")).unwrap_or_default();
                out.push_str(&format!(
                    "{:<8} {:<36} {:<10} {}{pack}\n",
                    meta.code,
                    meta.name,
                    meta.severity.as_str(),
                    meta.summary
                ));
            }
        }
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = all
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "code": m.code, "name": m.name, "severity": m.severity.as_str(),
                        "summary": m.summary, "pack": m.pack,
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&list).expect("plain data serialises") + "\n";
        }
    }
    print(&out)
}

pub fn explain(rule: &str, config: &ConfigArgs, cwd: &Path) -> Result<ExitCode, Failure> {
    let all = all(config, cwd)?;
    let Some(meta) = all
        .iter()
        .find(|m| m.code.eq_ignore_ascii_case(rule) || m.name == rule)
    else {
        let hint = crate::catalog::closest_name(rule, all.iter().map(|m| m.name))
            .map(|name| format!("; did you mean `{name}`?"))
            .unwrap_or_default();
        return Err(Failure::Usage(format!(
            "`{rule}` is not a rule code or name{hint} (see `iamlint rules`)"
        )));
    };
    print(&meta.explain())
}
