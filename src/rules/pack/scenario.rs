//! `[[scenario]]`: documents bound to a rule pack's slots by the config, and the pack run on
//! them. Everything that can be wrong with a binding (unknown pack, slot or parameter, a missing
//! document or required parameter, a logical path that names no policy) is a [`BindError`] at its
//! place in the config, before any check runs. The file system is reached only through [`Disk`],
//! which the command line provides.
//!
//! A document is a file (`caller.json`) or one policy of a template, named by its logical path
//! after a `#` (`stack.yaml#Resources.ImportRole.Properties.Policies[0].PolicyDocument`). [`run`]
//! evaluates a pack on bound documents; the scenarios a stack's resources set up
//! (`pack::stack`) are run by it too.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::eval::{self, ScenarioInput};
use super::model::SlotKind;
use super::template::Values;
use super::Pack;
use crate::rules::check::{dotted, shown_placeholders, when};
use crate::rules::{Diagnostic, RuleMeta, Severity};
use crate::source::tree::escape_pointer_token;
use crate::source::{self, FileId, Node, Span, Syntax, Value};
use crate::template::{self, Found};

/// One `[[scenario]]` as the config file declares it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declared {
    pub pack: Spanned<String>,
    pub name: Spanned<String>,
    #[serde(default)]
    pub documents: BTreeMap<String, Spanned<OneOrMany>>,
    #[serde(default)]
    pub parameters: BTreeMap<String, Spanned<toml::Value>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn paths(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(path) => vec![path],
            OneOrMany::Many(paths) => paths.iter().map(String::as_str).collect(),
        }
    }
}

/// A binding that cannot work: the message, at a byte range of the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindError {
    pub span: Range<usize>,
    pub message: String,
}

/// What binding needs of the file system.
pub struct Disk<'d> {
    /// A path as the config writes it → the absolute path of the file, when it is one.
    pub locate: &'d dyn Fn(&str) -> Option<PathBuf>,
    pub read: &'d dyn Fn(&Path) -> Option<String>,
}

/// A document bound to a slot: a file, or one policy of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundDocument {
    pub slot: String,
    /// Absolute.
    pub path: PathBuf,
    /// `Resources.Role.Properties.Policies[0].PolicyDocument`: a policy of the template at `path`.
    pub logical_path: Option<String>,
}

/// One `[[scenario]]`, checked against its pack.
#[derive(Debug)]
pub struct Bound {
    pub pack: &'static Pack,
    pub name: String,
    /// In the config's order.
    pub documents: Vec<BoundDocument>,
    pub parameters: BTreeMap<String, String>,
    /// Byte ranges in the config file.
    pub parameter_spans: BTreeMap<String, Range<usize>>,
    pub name_span: Range<usize>,
    /// The text of the document bound to the request slot, which may give parameters.
    request: Option<String>,
}

impl Bound {
    fn values(&self) -> Result<Values, String> {
        self.pack.resolve(&self.parameters, self.request.as_deref())
    }
}

/// Binds every declared scenario to its pack, or says what is wrong and where.
pub fn bind(
    declared: &[Declared],
    packs: &[&'static Pack],
    disk: &Disk,
) -> Result<Vec<Bound>, BindError> {
    let err = |span: Range<usize>, message: String| BindError { span, message };
    let mut out: Vec<Bound> = Vec::new();
    for scenario in declared {
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
            let Some(kind) = pack.slot_kind(slot) else {
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
            };
            let list = paths.get_ref().paths();
            if list.is_empty() {
                return Err(err(
                    paths.span(),
                    format!("slot `{slot}` lists no document"),
                ));
            }
            for written in list {
                let document = document(slot, kind, written, disk)
                    .map_err(|message| err(paths.span(), message))?;
                documents.push(document);
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
        let request = documents
            .iter()
            .find(|d| pack.slot_kind(&d.slot) == Some(SlotKind::Request))
            .and_then(|d| (disk.read)(&d.path));
        let bound = Bound {
            pack,
            name,
            documents,
            parameters,
            parameter_spans,
            name_span: scenario.name.span(),
            request,
        };
        // Parameters may come from the request: resolve now, so a missing one is a config error.
        bound
            .values()
            .map_err(|message| err(bound.name_span.clone(), message))?;
        out.push(bound);
    }
    Ok(out)
}

/// One document as the config writes it: a file, or `file#logical.path` naming a policy of a
/// template. A file whose name has a `#` is taken whole when it exists.
fn document(
    slot: &str,
    kind: SlotKind,
    written: &str,
    disk: &Disk,
) -> Result<BoundDocument, String> {
    if let Some(path) = (disk.locate)(written) {
        return Ok(BoundDocument {
            slot: slot.to_string(),
            path,
            logical_path: None,
        });
    }
    let Some((file, logical)) = written.rsplit_once('#') else {
        return Err(format!("`{written}` (slot `{slot}`) does not exist"));
    };
    let Some(path) = (disk.locate)(file) else {
        return Err(format!("`{file}` (slot `{slot}`) does not exist"));
    };
    if kind == SlotKind::Request {
        return Err(format!(
            "slot `{slot}` takes a whole JSON file, not a template's document (`{written}`)"
        ));
    }
    let text = (disk.read)(&path).unwrap_or_default();
    let parsed = parse_template(&path.to_string_lossy(), &text);
    let found = parsed
        .as_ref()
        .map(|root| template::find(&text, root))
        .unwrap_or_default();
    if !found.iter().any(|f| f.logical_path == logical) {
        let known: Vec<String> = found
            .iter()
            .take(5)
            .map(|f| format!("`{}`", f.logical_path))
            .collect();
        let has = match (parsed.is_some(), known.is_empty()) {
            (false, _) => " (it is not a CloudFormation template that parses)".to_string(),
            (true, true) => " (it has none)".to_string(),
            (true, false) => format!(
                " (it has {}{})",
                known.join(", "),
                if found.len() > known.len() {
                    ", ..."
                } else {
                    ""
                }
            ),
        };
        return Err(format!(
            "`{logical}` (slot `{slot}`) names no policy document of `{file}`{has}"
        ));
    }
    Ok(BoundDocument {
        slot: slot.to_string(),
        path,
        logical_path: Some(logical.to_string()),
    })
}

/// A CloudFormation template's tree; `None` for anything else.
fn parse_template<'t>(path: &str, text: &'t str) -> Option<Node<'t>> {
    let root = match Syntax::of(path, text.as_bytes()) {
        Syntax::Json => source::parse(text),
        Syntax::Yaml => source::parse_yaml(text),
        Syntax::Hcl | Syntax::TerraformJson => return None,
    }
    .ok()?;
    template::is_template(&root).then_some(root)
}

/// The scenarios that run, with each document's input index.
#[derive(Debug, Default)]
pub struct Plan {
    /// `(scenario, [(document, input)])`.
    scenarios: Vec<(usize, Vec<(usize, usize)>)>,
    /// Per input: the kind its slot gives it (a file bound whole).
    pub kinds: BTreeMap<usize, SlotKind>,
    /// The inputs whose text [`evaluate`] needs.
    pub texts: BTreeSet<usize>,
    /// The templates one of whose policies a scenario binds: the config says what their policies
    /// are for, so the stack binder leaves them alone.
    pub templates: BTreeSet<usize>,
    /// Bound files that are not among the inputs, to add after them in this order.
    pub added: Vec<PathBuf>,
}

/// A scenario runs when one of its documents is among the inputs (absolute paths); its other
/// documents are then added to the inputs, so that they are checked as their slot's kind and can
/// be pointed at. A document met by the walk is the same input, so it is checked once.
pub fn plan(bound: &[Bound], inputs: &[Option<PathBuf>]) -> Plan {
    let mut plan = Plan::default();
    let count = inputs.len();
    let index_of = |plan: &Plan, path: &Path| {
        inputs
            .iter()
            .position(|i| i.as_deref() == Some(path))
            .or_else(|| plan.added.iter().position(|p| p == path).map(|i| count + i))
    };
    for (b, scenario) in bound.iter().enumerate() {
        let runs = scenario
            .documents
            .iter()
            .any(|d| inputs.iter().any(|i| i.as_deref() == Some(&d.path)));
        if !runs {
            continue;
        }
        let mut docs = Vec::new();
        for (j, document) in scenario.documents.iter().enumerate() {
            let index = index_of(&plan, &document.path).unwrap_or_else(|| {
                plan.added.push(document.path.clone());
                count + plan.added.len() - 1
            });
            // A template's policy keeps the kind the template gives it.
            if document.logical_path.is_some() {
                plan.templates.insert(index);
            } else if let Some(kind) = scenario.pack.slot_kind(&document.slot) {
                plan.kinds.insert(index, kind);
            }
            plan.texts.insert(index);
            docs.push((j, index));
        }
        plan.scenarios.push((b, docs));
    }
    plan
}

/// Runs the packs' rules on the planned scenarios. `texts[i]` is input i's text and `paths[i]`
/// its name (which tells YAML from JSON); the config file is `config_file`, for findings about
/// parameters.
pub fn evaluate(
    bound: &[Bound],
    plan: &Plan,
    texts: &[Option<String>],
    config_file: FileId,
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    let text = |i: usize| texts.get(i).and_then(|t| t.as_deref()).unwrap_or("");
    // Each template a scenario names a policy of, parsed once, then its policies found once.
    let templates: BTreeMap<usize, Node> = plan
        .scenarios
        .iter()
        .flat_map(|(b, docs)| docs.iter().map(move |&(j, i)| (&bound[*b].documents[j], i)))
        .filter(|(d, _)| d.logical_path.is_some())
        .filter_map(|(d, i)| Some((i, parse_template(&d.path.to_string_lossy(), text(i))?)))
        .collect();
    let found: BTreeMap<usize, Vec<Found>> = templates
        .iter()
        .map(|(&i, root)| (i, template::find(text(i), root)))
        .collect();
    let mut out = Vec::new();
    let mut packs: Vec<&'static Pack> = Vec::new();
    for (b, _) in &plan.scenarios {
        if !packs.iter().any(|p| std::ptr::eq(*p, bound[*b].pack)) {
            packs.push(bound[*b].pack);
        }
    }
    for pack in packs {
        let mut inputs = Vec::new();
        let mut parts = Vec::new();
        for (b, docs) in plan
            .scenarios
            .iter()
            .filter(|(b, _)| std::ptr::eq(bound[*b].pack, pack))
        {
            let scenario = &bound[*b];
            let Ok(values) = scenario.values() else {
                continue;
            };
            inputs.push(ScenarioInput {
                name: scenario.name.clone(),
                values,
                documents: docs
                    .iter()
                    .map(|&(j, i)| {
                        (
                            scenario.documents[j].slot.clone(),
                            FileId(i as u32),
                            text(i),
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
            });
            parts.push(
                docs.iter()
                    .map(|&(j, i)| match &scenario.documents[j].logical_path {
                        None => Part::File,
                        Some(logical) => found
                            .get(&i)
                            .and_then(|all| all.iter().find(|f| &f.logical_path == logical))
                            .map_or(Part::Missing, Part::Template),
                    })
                    .collect::<Vec<_>>(),
            );
        }
        let trees: Vec<(FileId, Option<&Node>)> = templates
            .iter()
            .map(|(&i, root)| (FileId(i as u32), Some(root)))
            .collect();
        out.extend(run(pack, &inputs, &parts, &trees, enabled));
    }
    out
}

/// Where a bound document is.
#[derive(Clone, Copy)]
pub enum Part<'a> {
    /// The whole file.
    File,
    /// One policy of a template: its findings are in the template's offsets, named by logical
    /// path.
    Template(&'a Found<'a>),
    /// A policy that is no longer where the config said: nothing to check.
    Missing,
}

/// Runs `pack` on scenarios whose documents are whole files or template policies
/// (`parts[scenario][document]`), the templates' trees being `templates` (none for a Terraform
/// module's files, whose policies are built from HCL). A finding in a template
/// is named by its logical path, and one that rests on values the template computes (not proven)
/// is a suggestion, never an error.
pub fn run(
    pack: &Pack,
    inputs: &[ScenarioInput],
    parts: &[Vec<Part>],
    templates: &[(FileId, Option<&Node>)],
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    // A bound policy with `Fn::If` (or a parameter with allowed values) is checked under each
    // reading, a condition taking the same side (a parameter the same value) in every document.
    let bound: Vec<&Found> = (parts.iter().flatten())
        .filter_map(|part| match part {
            Part::Template(found) => Some(*found),
            _ => None,
        })
        .collect();
    let readings = template::joint_readings(&bound);
    // A whole file is parsed once for every reading; a template is not parsed here at all.
    let files: Vec<Vec<Option<Node>>> = inputs
        .iter()
        .zip(parts)
        .map(|(input, parts)| {
            input
                .documents
                .iter()
                .zip(parts)
                .map(|((_, _, text), part)| match part {
                    Part::File => crate::source::parse(text).ok(),
                    _ => None,
                })
                .collect()
        })
        .collect();
    // Each finding once, with the readings it holds in.
    let mut found: Vec<(Diagnostic, Vec<usize>)> = Vec::new();
    for (r, reading) in readings.iter().enumerate() {
        let nodes: Vec<Vec<Option<Node>>> = parts
            .iter()
            .zip(&files)
            .map(|(parts, files)| {
                parts
                    .iter()
                    .zip(files)
                    .map(|(part, file)| match part {
                        Part::File => file.clone(),
                        Part::Template(found) => (found.reading_in(reading))
                            .and_then(|own| found.body(&own))
                            .and_then(Result::ok),
                        Part::Missing => None,
                    })
                    .collect()
            })
            .collect();
        for mut d in eval::evaluate(pack, inputs, &nodes, enabled) {
            if let Some(&(_, root)) = templates.iter().find(|(file, _)| *file == d.file) {
                let at = inputs
                    .iter()
                    .zip(parts)
                    .zip(&nodes)
                    .flat_map(|((input, parts), nodes)| {
                        input.documents.iter().zip(parts).zip(nodes)
                    })
                    .find_map(|(((_, file, _), part), node)| match part {
                        // A Terraform policy-document data source is found at the attribute
                        // naming it, with the spans of its block: the document holds the
                        // finding where the attribute does not.
                        Part::Template(found)
                            if *file == d.file
                                && (found.span.contains(d.span)
                                    || node.as_ref().is_some_and(|n| n.span.contains(d.span))) =>
                        {
                            Some((*found, node.as_ref()))
                        }
                        _ => None,
                    });
                name_place(&mut d, at, root);
            }
            // Two findings are one when they say the same thing at the same place; a finding
            // repeated within a reading is reported once.
            let same = |(seen, _): &&mut (Diagnostic, Vec<usize>)| {
                (
                    seen.rule.code,
                    seen.file,
                    seen.span,
                    &seen.scenario,
                    &seen.message,
                ) == (d.rule.code, d.file, d.span, &d.scenario, &d.message)
            };
            match found.iter_mut().find(same) {
                Some((_, held)) if held.last() == Some(&r) => {}
                Some((_, held)) => held.push(r),
                None => found.push((d, vec![r])),
            }
        }
    }
    let mut out = Vec::new();
    for (mut d, held) in found {
        if held.len() < readings.len() {
            if let (Some(when), _) = when(&readings, &held, &[]) {
                d.message = format!("{} (when {when})", d.message);
            }
            d.certain = false;
        }
        if templates.iter().any(|(file, _)| *file == d.file) {
            if !d.certain {
                d.severity = Severity::Suggestion;
            }
            shown_placeholders(&mut d.message);
            if let Some(help) = &mut d.help {
                shown_placeholders(help);
            }
            d.fix = None;
        }
        out.push(d);
    }
    out
}

/// Pointer, logical path, construct and Sid from the template policy the finding is in (`at`),
/// else from the template's own tree.
fn name_place(d: &mut Diagnostic, at: Option<(&Found, Option<&Node>)>, root: Option<&Node>) {
    let Some((found, node)) = at else {
        d.pointer = root.and_then(|root| root.pointer_to(d.span));
        d.logical_path = d.pointer.as_deref().map(|p| dotted(p)[1..].to_string());
        return;
    };
    let inner = node
        .map(|n| n.pointer_to(d.span).unwrap_or_else(|| holding(n, d.span)))
        .unwrap_or_default();
    d.pointer = Some(format!("{}{inner}", found.pointer));
    d.logical_path = Some(format!("{}{}", found.logical_path, dotted(&inner)));
    d.construct_path = found.construct.map(str::to_string);
    d.sid = node
        .and_then(|n| crate::policy::build(n).0)
        .and_then(|policy| {
            policy
                .statements
                .iter()
                .find(|s| s.span.contains(d.span))
                .and_then(|s| s.sid)
                .map(|sid| sid.value.to_string())
        });
}

/// The pointer to the deepest node whose span holds `span`, for a span that is no node's nor
/// member's (a Terraform condition's operator and key: two attributes of one block).
fn holding(root: &Node, span: Span) -> String {
    let mut pointer = String::new();
    let mut node = root;
    loop {
        let next = match &node.value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find(|(_, item)| item.span.contains(span))
                .map(|(i, item)| (i.to_string(), item)),
            Value::Object(members) => members
                .iter()
                .find(|m| m.value.span.contains(span))
                .map(|m| (escape_pointer_token(&m.key.name).into_owned(), &m.value)),
            _ => None,
        };
        let Some((token, child)) = next else {
            return pointer;
        };
        pointer.push('/');
        pointer.push_str(&token);
        node = child;
    }
}
