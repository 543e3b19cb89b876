//! Rule packs: required permission sets as data (`rules/*.json` at the repository root). A pack
//! declares document slots, parameters, derived values and rules; each rule's check is one of a
//! few generic kinds (one file each here) that the pack parameterises. No requirement of any AWS
//! operation is written in Rust.

pub mod bind;
mod condition_mismatch;
mod condition_required;
pub mod eval;
mod grant;
mod key_delegation;
mod kinds;
pub mod model;
pub mod module;
mod overly_broad;
mod request_arns;
mod request_count;
mod request_mismatch;
mod retention;
pub mod scenario;
pub mod stack;
pub mod template;
mod time_range;
mod time_units;
mod unneeded_actions;
mod unsupported_condition;

use std::collections::BTreeMap;
use std::sync::OnceLock;

pub use eval::ScenarioInput;
pub use kinds::Check;
use model::{ArnPart, PackFile, ParameterType, SlotKind};
pub use request_arns::arn_problem;
use template::Values;

use super::{Diagnostic, RuleMeta, Severity};
use crate::engine::split_arn;
use crate::source::FileId;

/// The packs built into the binary.
const BUILTIN_SOURCES: &[(&str, &str)] = &[(
    "rules/cloudwatch-logs-import.json",
    include_str!("../../../rules/cloudwatch-logs-import.json"),
)];

/// A loaded pack: its declarations and its rules with leaked (`'static`) metadata.
#[derive(Debug)]
pub struct Pack {
    pub name: &'static str,
    pub file: PackFile,
    pub rules: Vec<PackRule>,
}

#[derive(Debug)]
pub struct PackRule {
    pub meta: &'static RuleMeta,
    pub check: Check,
    pub supersedes: Vec<&'static str>,
}

/// A pack that cannot be loaded, with the position in the pack file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: invalid rule pack: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

/// The built-in packs, loaded once per process.
pub fn builtin() -> &'static [Pack] {
    static PACKS: OnceLock<Vec<Pack>> = OnceLock::new();
    PACKS.get_or_init(|| {
        BUILTIN_SOURCES
            .iter()
            .map(|(path, text)| {
                // Fixed at build time and fully checked by a test, so every run does not pay
                // for the reference walk (two thirds of checking a small file).
                load_with(path, text, &[], References::Trusted)
                    .unwrap_or_else(|e| panic!("built-in pack is invalid: {e}"))
            })
            .collect()
    })
}

/// The packs of a run. By default the built-in ones, deserialised on first use: most runs check
/// no scenario, and loading the packs was a twentieth of checking one template.
#[derive(Default)]
pub struct Packs(OnceLock<Vec<&'static Pack>>);

impl Packs {
    /// These packs, already loaded (the built-in ones and those a config adds).
    pub fn loaded(packs: Vec<&'static Pack>) -> Packs {
        Packs(OnceLock::from(packs))
    }

    pub fn get(&self) -> &[&'static Pack] {
        self.0.get_or_init(|| builtin().iter().collect())
    }
}

/// Every built-in pack rule's metadata, in pack then code order.
pub fn builtin_metas() -> impl Iterator<Item = &'static RuleMeta> {
    builtin()
        .iter()
        .flat_map(|p| p.rules.iter().map(|r| r.meta))
}

impl Pack {
    pub fn slot_kind(&self, slot: &str) -> Option<SlotKind> {
        self.file
            .slots
            .iter()
            .find(|s| s.name == slot)
            .map(|s| s.kind)
    }

    pub fn parameter(&self, name: &str) -> Option<&model::ParameterSpec> {
        self.file.parameters.iter().find(|p| p.name == name)
    }

    /// Checks a parameter value as written in a config; the error says why it is unusable.
    pub fn check_parameter(&self, name: &str, value: &toml::Value) -> Result<String, String> {
        let Some(spec) = self.parameter(name) else {
            return Err(format!(
                "`{name}` is not a parameter of pack `{}` (it has {})",
                self.name,
                self.file
                    .parameters
                    .iter()
                    .map(|p| format!("`{}`", p.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        };
        match spec.kind {
            ParameterType::Integer => {
                let n = value
                    .as_integer()
                    .ok_or_else(|| format!("`{name}` must be an integer"))?;
                if spec.min.is_some_and(|min| n < min) {
                    return Err(format!(
                        "`{name}` must be at least {}",
                        spec.min.unwrap_or_default()
                    ));
                }
                Ok(n.to_string())
            }
            ParameterType::String | ParameterType::Arn => {
                let text = value
                    .as_str()
                    .ok_or_else(|| format!("`{name}` must be a string"))?;
                self.check_text_parameter(spec, text)?;
                Ok(text.to_string())
            }
        }
    }

    fn check_text_parameter(&self, spec: &model::ParameterSpec, text: &str) -> Result<(), String> {
        if spec.kind != ParameterType::Arn {
            return Ok(());
        }
        let service = spec.service.as_deref().unwrap_or("");
        let region = service != "iam";
        match arn_problem(
            text,
            service,
            region,
            spec.resource_prefix.as_deref().unwrap_or(""),
        ) {
            Some(why) => Err(format!("`{}` = `{text}` is not usable: {why}", spec.name)),
            None => Ok(()),
        }
    }

    /// The scenario's values: the parameters given, those taken from the request, and the
    /// derived ones. Errors name a required parameter that is missing or unusable.
    pub fn resolve(
        &self,
        given: &BTreeMap<String, String>,
        request: Option<&str>,
    ) -> Result<Values, String> {
        let mut values: Values = given.clone();
        let request = request.and_then(|text| crate::source::parse(text).ok());
        for spec in &self.file.parameters {
            if values.contains_key(&spec.name) {
                continue;
            }
            let from_request = spec.request_field.as_deref().and_then(|pointer| {
                let root = request.as_ref()?;
                eval::node_at(root, pointer)?.as_str().map(str::to_string)
            });
            match from_request {
                Some(v) => {
                    self.check_text_parameter(spec, &v).map_err(|e| {
                        format!(
                            "{e} (taken from the request's `{}`)",
                            spec.request_field.as_deref().unwrap_or("")
                        )
                    })?;
                    values.insert(spec.name.clone(), v);
                }
                None if spec.required => {
                    let also = spec
                        .request_field
                        .as_deref()
                        .map(|f| {
                            format!(
                                " (or give it in the `request` document's `{}`)",
                                f.trim_start_matches('/')
                            )
                        })
                        .unwrap_or_default();
                    return Err(format!(
                        "the scenario must set parameter `{}`{also}",
                        spec.name
                    ));
                }
                None => {}
            }
        }
        self.derive(&mut values);
        Ok(values)
    }

    /// Adds the derived values whose inputs are set.
    pub fn derive(&self, values: &mut Values) {
        for d in &self.file.derived {
            let value = match (&d.from, d.part, &d.template) {
                (Some(from), Some(part), _) => values.get(from).and_then(|arn| {
                    let parts = split_arn(arn)?;
                    let v = parts[match part {
                        ArnPart::Partition => 1,
                        ArnPart::Service => 2,
                        ArnPart::Region => 3,
                        ArnPart::Account => 4,
                        ArnPart::Resource => 5,
                    }];
                    let v = match &d.strip_prefix {
                        Some(prefix) => v.strip_prefix(prefix.as_str())?,
                        None => v,
                    };
                    Some(v.to_string())
                }),
                (_, _, Some(t)) => template::expand(t, values),
                _ => None,
            };
            if let Some(v) = value {
                values.insert(d.name.clone(), v);
            }
        }
    }

    /// The documents `init` writes: `(slot, path, text)`.
    pub fn init_files(&self, values: &Values) -> Vec<(String, String, String)> {
        let Some(init) = &self.file.init else {
            return Vec::new();
        };
        init.files
            .iter()
            .filter(|f| f.when.as_ref().is_none_or(|w| values.contains_key(w)))
            .filter_map(|f| {
                let statements: Vec<serde_json::Value> = f
                    .statements
                    .iter()
                    .filter(|s| template::applies(s, values))
                    .cloned()
                    .collect();
                let policy = serde_json::json!({"Version": "2012-10-17", "Statement": statements});
                let text = template::render(&policy, values, true)? + "\n";
                Some((f.slot.clone(), f.path.clone(), text))
            })
            .collect()
    }
}

/// Loads a pack from its text; `path` is only for error messages. `taken` lists the codes and
/// names of rules already loaded (other packs), which this pack must not reuse.
pub fn load(path: &str, text: &str) -> Result<Pack, PackError> {
    load_beside(path, text, &[])
}

pub fn load_beside(path: &str, text: &str, taken: &[(&str, &str)]) -> Result<Pack, PackError> {
    load_with(path, text, taken, References::Check)
}

/// Whether to check every slot, parameter and `${...}` reference of a pack.
#[derive(Clone, Copy, PartialEq, Eq)]
enum References {
    Check,
    /// A built-in pack, checked by the tests instead.
    Trusted,
}

fn load_with(
    path: &str,
    text: &str,
    taken: &[(&str, &str)],
    references: References,
) -> Result<Pack, PackError> {
    let error = |line: usize, column: usize, message: String| PackError {
        path: path.to_string(),
        line,
        column,
        message,
    };
    let file: PackFile = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or_default();
        error(e.line(), e.column(), message.to_string())
    })?;
    let at = |pointer: &str, message: String| -> PackError {
        let (line, column) = position(text, pointer);
        error(line, column, message)
    };
    validate(&file, taken, &at)?;
    if references == References::Check {
        let raw: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        validate_references(&file, &raw, &at)?;
    }
    let name: &'static str = Box::leak(file.pack.clone().into_boxed_str());
    let mut file = file;
    let specs = std::mem::take(&mut file.rules);
    let mut rules = Vec::new();
    for (i, spec) in specs.into_iter().enumerate() {
        let severity = Severity::parse(&spec.severity).ok_or_else(|| {
            at(
                &format!("/rules/{i}/severity"),
                format!(
                    "`{}` is not a severity (error, security, warning, suggestion)",
                    spec.severity
                ),
            )
        })?;
        let mut supersedes = Vec::new();
        for (j, replaced) in spec.supersedes.iter().enumerate() {
            let rule = super::registry::find(replaced).ok_or_else(|| {
                at(
                    &format!("/rules/{i}/supersedes/{j}"),
                    format!("`{replaced}` is not a built-in rule (see `iamlint rules`)"),
                )
            })?;
            supersedes.push(rule.meta.name);
        }
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        let meta: &'static RuleMeta = Box::leak(Box::new(RuleMeta {
            code: leak(spec.code),
            name: leak(spec.name),
            severity,
            summary: leak(spec.summary),
            doc: leak(spec.doc),
            pack: Some(name),
        }));
        rules.push(PackRule {
            meta,
            check: spec.check,
            supersedes,
        });
    }
    Ok(Pack { name, file, rules })
}

/// What serde cannot check: names that refer to each other, doc sections, unique codes.
fn validate(
    file: &PackFile,
    taken: &[(&str, &str)],
    at: &dyn Fn(&str, String) -> PackError,
) -> Result<(), PackError> {
    let slots: Vec<&str> = file.slots.iter().map(|s| s.name.as_str()).collect();
    for (i, rule) in file.rules.iter().enumerate() {
        let ok_name = !rule.name.is_empty()
            && rule
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-');
        if !ok_name {
            return Err(at(
                &format!("/rules/{i}/name"),
                format!("`{}` is not a kebab-case rule name", rule.name),
            ));
        }
        let ok_code = rule.code.len() >= 4
            && rule
                .code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !ok_code {
            return Err(at(
                &format!("/rules/{i}/code"),
                format!("`{}` is not a rule code such as `ABC001`", rule.code),
            ));
        }
        let clash = super::registry::BUILTIN
            .iter()
            .map(|r| (r.meta.code, r.meta.name))
            .chain(taken.iter().copied())
            .chain(
                file.rules[..i]
                    .iter()
                    .map(|r| (r.code.as_str(), r.name.as_str())),
            )
            .find(|(code, name)| *code == rule.code || *name == rule.name);
        if let Some((code, name)) = clash {
            return Err(at(
                &format!("/rules/{i}/code"),
                format!(
                    "`{}`/`{}` is already used by rule {code} `{name}`",
                    rule.code, rule.name
                ),
            ));
        }
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix",
        ] {
            if !rule.doc.contains(section) {
                return Err(at(
                    &format!("/rules/{i}/doc"),
                    format!("the doc lacks a `{section}` section"),
                ));
            }
        }
        if !slots.contains(&rule.check.slot()) {
            return Err(at(
                &format!("/rules/{i}/check"),
                format!("`{}` is not a slot of this pack", rule.check.slot()),
            ));
        }
    }
    Ok(())
}

/// Checks one string of a pack: its text, the key it is under, its pointer.
type ReferenceCheck<'c> = dyn FnMut(&str, Option<&str>, &str) -> Option<String> + 'c;

/// Every `${name}` template and every `when`/`unless`/`parameter`/`required-when` must name a
/// value the pack defines, so a typo cannot silently turn a check off.
fn validate_references(
    file: &PackFile,
    raw: &serde_json::Value,
    at: &dyn Fn(&str, String) -> PackError,
) -> Result<(), PackError> {
    let parameters: Vec<&str> = file.parameters.iter().map(|p| p.name.as_str()).collect();
    let mut names: Vec<&str> = parameters.clone();
    names.extend(file.derived.iter().map(|d| d.name.as_str()));
    if let Some(init) = &file.init {
        names.extend(init.parameters.keys().map(String::as_str));
        // The value `init` takes from its command line.
        names.push("role-name");
    }
    fn walk(
        value: &serde_json::Value,
        pointer: &mut String,
        key: Option<&str>,
        check: &mut ReferenceCheck,
        at: &dyn Fn(&str, String) -> PackError,
    ) -> Result<(), PackError> {
        match value {
            serde_json::Value::String(s) => {
                if let Some(message) = check(s, key, pointer) {
                    return Err(at(pointer, message));
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    walk(item, pointer, None, check, at)?;
                    pointer.truncate(len);
                }
            }
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(k);
                    walk(v, pointer, Some(k), check, at)?;
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }
    let mut check = |s: &str, key: Option<&str>, pointer: &str| -> Option<String> {
        if pointer.contains("/doc") || pointer.starts_with("/summary") {
            return None;
        }
        if matches!(key, Some("when" | "unless" | "parameter" | "required-when"))
            && !parameters.contains(&s)
        {
            return Some(format!("`{s}` is not a parameter of this pack"));
        }
        template::references(s)
            .into_iter()
            .find(|r| !names.contains(r))
            .map(|r| format!("`${{{r}}}` names no parameter or derived value of this pack"))
    };
    walk(raw, &mut String::new(), None, &mut check, at)
}

/// The 1-based line and column of the value at `pointer` (or of the deepest part of it that
/// exists).
fn position(text: &str, pointer: &str) -> (usize, usize) {
    let offset = crate::source::parse(text)
        .ok()
        .map(|root| {
            let mut node = &root;
            for token in pointer.split('/').skip(1) {
                let next = match node.as_array() {
                    Some(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                    None => node.get(token).map(|m| &m.value),
                };
                match next {
                    Some(n) => node = n,
                    None => break,
                }
            }
            node.span.start as usize
        })
        .unwrap_or(0);
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Removes the built-in findings that a pack finding on the same statement supersedes (see
/// `supersedes` in the pack format).
pub fn drop_superseded(
    packs: &[&Pack],
    pack_findings: &[Diagnostic],
    findings: &mut Vec<Diagnostic>,
) {
    let replaced: Vec<(FileId, &str, &str)> = pack_findings
        .iter()
        .filter_map(|d| {
            let rule = packs
                .iter()
                .flat_map(|p| &p.rules)
                .find(|r| std::ptr::eq(r.meta, d.rule))?;
            let statement = statement_of(d.pointer.as_deref()?);
            Some(
                rule.supersedes
                    .iter()
                    .map(move |name| (d.file, statement, *name)),
            )
        })
        .flatten()
        .collect();
    if replaced.is_empty() {
        return;
    }
    findings.retain(|d| {
        let statement = d.pointer.as_deref().map(statement_of);
        !replaced
            .iter()
            .any(|&(file, s, name)| file == d.file && Some(s) == statement && name == d.rule.name)
    });
}

/// `/Statement/2/Condition/...` → `/Statement/2`; `/Statement/Principal` (a single statement
/// object) → `/Statement`; in a template the document's own pointer comes first
/// (`/Resources/Role/Properties/AssumeRolePolicyDocument/Statement/0`). `""` outside a statement.
fn statement_of(pointer: &str) -> &str {
    let Some(at) = pointer
        .match_indices("/Statement")
        .map(|(at, _)| at)
        .find(|&at| {
            matches!(
                pointer.as_bytes().get(at + "/Statement".len()),
                None | Some(b'/')
            )
        })
    else {
        return "";
    };
    let end = at + "/Statement".len();
    let index = pointer[end..]
        .strip_prefix('/')
        .map_or("", |r| r.split('/').next().unwrap_or(""));
    if !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()) {
        &pointer[..end + 1 + index.len()]
    } else {
        &pointer[..end]
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_statement_is_named_by_its_pointer_in_a_file_and_in_a_template() {
        use super::statement_of;
        assert_eq!(statement_of("/Statement/2/Condition/x"), "/Statement/2");
        assert_eq!(statement_of("/Statement/Principal"), "/Statement");
        assert_eq!(statement_of("/Version"), "");
        let trust = "/Resources/Role/Properties/AssumeRolePolicyDocument";
        assert_eq!(
            statement_of(&format!("{trust}/Statement/0/Principal/Service")),
            format!("{trust}/Statement/0")
        );
        assert_eq!(statement_of("/Resources/StatementRole/Properties"), "");
    }

    use super::*;

    #[test]
    fn the_builtin_packs_pass_every_check_a_user_pack_gets() {
        for (path, text) in BUILTIN_SOURCES {
            if let Err(e) = load(path, text) {
                panic!("{e}");
            }
        }
    }

    #[test]
    fn the_builtin_pack_loads_with_its_rules_in_code_order() {
        let pack = &builtin()[0];
        assert_eq!(pack.name, "cloudwatch-logs-import");
        assert_eq!(pack.rules.len(), 19);
        for (i, rule) in pack.rules.iter().enumerate() {
            assert_eq!(rule.meta.code, format!("CWLI{:03}", i + 1));
            assert_eq!(rule.meta.pack, Some("cloudwatch-logs-import"));
        }
        assert_eq!(pack.rules[0].meta.name, "caller-cannot-create-import-task");
        assert_eq!(pack.rules[18].meta.name, "too-many-imports");
    }

    fn minimal(rule: &str) -> String {
        format!(
            r#"{{
  "pack": "p",
  "summary": "s",
  "slots": [{{"name": "a", "kind": "identity", "required": true}}],
  "parameters": [{{"name": "x", "type": "string"}}],
  "rules": [{rule}]
}}"#
        )
    }

    #[test]
    fn malformed_packs_are_reported_at_their_line_and_column() {
        let doc = "## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n## Fix\nx";
        let ok = format!(
            r#"{{"code": "P001", "name": "p-one", "severity": "error", "summary": "s", "doc": {doc:?}, "check": {{"kind": "unneeded-actions", "slot": "a", "unless": "x", "service": "kms"}}}}"#
        );
        assert!(load("p.json", &minimal(&ok)).is_ok());
        let typo = ok.replace("\"unless\"", "\"unles\"");
        let e = load("p.json", &minimal(&typo)).unwrap_err();
        assert_eq!(e.line, 6, "{e}");
        assert!(e.message.contains("unles"), "{e}");
        let slot = ok.replace("\"slot\": \"a\"", "\"slot\": \"b\"");
        let e = load("p.json", &minimal(&slot)).unwrap_err();
        assert!(e.message.contains("`b` is not a slot"), "{e}");
        assert_eq!(e.line, 6);
        let when = ok.replace("\"unless\": \"x\"", "\"unless\": \"y\"");
        let e = load("p.json", &minimal(&when)).unwrap_err();
        assert!(e.message.contains("`y` is not a parameter"), "{e}");
        let severity = ok.replace("\"error\"", "\"fatal\"");
        assert!(load("p.json", &minimal(&severity)).is_err());
        let clash = ok.replace("p-one", "invalid-effect");
        assert!(load("p.json", &minimal(&clash)).is_err());
        let template = ok.replace("\"service\": \"kms\"", "\"service\": \"${nope}\"");
        let e = load("p.json", &minimal(&template)).unwrap_err();
        assert!(e.message.contains("${nope}"), "{e}");
    }
}
