use std::collections::HashMap;

use crate::policy::discover::{self, Shape};
use crate::policy::{self, Kind, KindOrigin};
use crate::source::{self, FileId, Node, Span, Syntax, Value};
use crate::template;

use super::pack::Packs;
use super::{Diagnostic, Document, Findings, Rule, RuleMeta, TooLarge};

pub struct CheckOptions<'r> {
    /// The rules to run, already filtered by `--select`/`--ignore`.
    pub rules: &'r [&'static Rule],
    /// The kind declared for this file (scenario, config or `--kind`), if any.
    pub kind: Option<(Kind, KindOrigin)>,
    /// Inputs larger than this are reported, not parsed.
    pub max_file_size: u64,
}

/// How an input came to be checked, which decides what happens to one that is not a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discovery {
    /// Named on the command line, opened in an editor... : always checked, and a document that
    /// is neither a policy nor a template gets one `not-a-policy` finding.
    Named,
    /// Met by a directory walk or a glob: skipped when it is neither a policy nor a template.
    Walked,
}

/// What checking one input found.
#[derive(Debug, Default)]
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    /// The documents in it: the file itself, or each policy a template holds (none for a
    /// template without policies, or an input that was skipped).
    pub documents: Vec<DocumentInfo>,
    /// Set when a walked input was skipped: why it is not taken for a policy or a template.
    pub skipped: Option<&'static str>,
}

impl Checked {
    /// The kind of the document a finding at `span` is in.
    pub fn kind_at(&self, span: Span) -> Option<(Kind, KindOrigin)> {
        kind_at(&self.documents, span)
    }
}

/// A document found in an input, for the `documents` list of the JSON output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    /// The whole document: the file, or the template property holding the policy.
    pub span: Span,
    /// The kind it was checked as and where that came from; `None` when it was not checked as
    /// a policy (a named file that is not one, or that does not parse).
    pub kind: Option<(Kind, KindOrigin)>,
    /// `Resources.Role.Properties.Policies[0].PolicyDocument`, for a document in a template.
    pub logical_path: Option<String>,
}

impl DocumentInfo {
    /// Whether the policy rules ran on it, as its kind.
    pub fn checked(&self) -> bool {
        self.kind.is_some()
    }
}

/// The kind of the document a finding at `span` is in: the one holding it, else the input's
/// only document (a finding about a whole file, such as its size).
pub fn kind_at<'d>(
    documents: impl IntoIterator<Item = &'d DocumentInfo>,
    span: Span,
) -> Option<(Kind, KindOrigin)> {
    let mut only = None;
    let mut count = 0;
    for document in documents {
        if document.span.contains(span) {
            return document.kind;
        }
        only = Some(document);
        count += 1;
    }
    only.filter(|_| count == 1).and_then(|d| d.kind)
}

/// Why a walked YAML file is skipped.
const NOT_A_TEMPLATE: &str =
    "YAML that is not a CloudFormation template (no `AWSTemplateFormatVersion`, no `Resources` with an `AWS::` type)";

/// The findings for an input over the size limit, which is not read at all.
pub fn check_oversized(file: FileId, size: u64, options: &CheckOptions) -> Vec<Diagnostic> {
    let error = source::ParseError {
        span: Default::default(),
        message: String::new(),
        help: None,
    };
    let document = Document {
        file,
        text: "",
        syntax: Syntax::Json,
        embedded: None,
        too_large: Some(TooLarge {
            size,
            limit: options.max_file_size,
        }),
        parsed: Err(&error),
        policy: None,
        problems: &[],
        shape: Shape::Policy,
        kind: options.kind.map_or(Kind::Identity, |(kind, _)| kind),
        kind_origin: options
            .kind
            .map_or(KindOrigin::Inferred, |(_, origin)| origin),
        resolved: Default::default(),
    };
    let mut findings = Findings::new(file);
    for rule in options
        .rules
        .iter()
        .filter(|r| r.meta.name == "file-too-large")
    {
        findings.run(rule, &document);
    }
    findings.into_diagnostics()
}

/// Parses, models and lints one JSON input named to be checked (a policy, or a CloudFormation
/// template in JSON). Diagnostics come back sorted as the contract orders them.
pub fn check_document(file: FileId, bytes: &[u8], options: &CheckOptions) -> Vec<Diagnostic> {
    check(file, bytes, Syntax::Json, options, Discovery::Named).diagnostics
}

/// The rule packs whose scenarios a template's resources may set up (see `pack::stack`), and
/// which of their rules run.
pub struct Stacks<'p> {
    pub packs: &'p Packs,
    pub enabled: &'p dyn Fn(&RuleMeta) -> bool,
}

/// Parses, models and lints one input read as `syntax`: a CloudFormation template (YAML or JSON)
/// has each of its policies checked, a JSON policy is checked as itself, and anything else is
/// skipped when walked or reported once (`not-a-policy`) when named.
pub fn check(
    file: FileId,
    bytes: &[u8],
    syntax: Syntax,
    options: &CheckOptions,
    discovery: Discovery,
) -> Checked {
    check_with(file, bytes, syntax, options, discovery, None)
}

/// [`check`], and a CloudFormation template is also checked against the scenarios of `stacks`
/// its resources set up, on the same parse.
pub fn check_with(
    file: FileId,
    bytes: &[u8],
    syntax: Syntax,
    options: &CheckOptions,
    discovery: Discovery,
    stacks: Option<&Stacks>,
) -> Checked {
    if bytes.len() as u64 > options.max_file_size {
        return Checked {
            diagnostics: check_oversized(file, bytes.len() as u64, options),
            documents: vec![DocumentInfo {
                span: Span::empty(0),
                kind: options.kind,
                logical_path: None,
            }],
            skipped: None,
        };
    }
    // Terraform's own syntax has its own front end: below, the text is JSON or YAML.
    if syntax == Syntax::Hcl {
        return check_terraform(file, bytes, &[], &[], &[], options);
    }
    let (text, parsed) = match source::decode(bytes) {
        Ok(text) => (
            text,
            if syntax == Syntax::Yaml {
                source::parse_yaml(text)
            } else {
                source::parse(text)
            },
        ),
        Err(error) => ("", Err(error)),
    };
    match &parsed {
        Ok(root) if syntax != Syntax::TerraformJson && template::is_template(root) => {
            let found = template::find(text, root);
            let mut checked = check_found(file, text, &found, options, Some(root));
            if let Some(stacks) = stacks {
                let pack_findings = super::pack::stack::check_template(
                    stacks.packs,
                    file,
                    text,
                    root,
                    &found,
                    stacks.enabled,
                );
                if !pack_findings.is_empty() {
                    super::pack::drop_superseded(
                        stacks.packs.get(),
                        &pack_findings,
                        &mut checked.diagnostics,
                    );
                }
                checked.diagnostics.extend(pack_findings);
            }
            return checked;
        }
        Ok(root) if syntax == Syntax::TerraformJson => {
            return check_found(
                file,
                text,
                &template::terraform_json::find(text, root),
                options,
                None,
            )
        }
        Ok(root) if syntax == Syntax::Json && template::plan::is_plan(root) => {
            return check_found(file, text, &template::plan::find(text, root), options, None)
        }
        _ => {}
    }
    let shape = match (syntax, &parsed) {
        // A template that does not parse is reported (`invalid-yaml`) as a policy would be;
        // other YAML (a workflow, a Helm chart) is not ours, whether it parses or not.
        (Syntax::Yaml, Err(_)) if template::looks_like_template(text) => Shape::Policy,
        (Syntax::Yaml, _) => Shape::Other(NOT_A_TEMPLATE),
        // JSON by what it looks like; a `.tf.json` gets here only when it does not parse.
        (_, Ok(root)) => discover::shape(root),
        (_, Err(_)) => discover::shape_of_text(text),
    };
    // A document a scenario binds is a policy whatever it looks like.
    let declared = options
        .kind
        .is_some_and(|(_, origin)| origin == KindOrigin::Scenario);
    if let (Discovery::Walked, Shape::Other(reason), false) = (discovery, shape, declared) {
        return Checked {
            skipped: Some(reason),
            ..Checked::default()
        };
    }
    if let (Ok(root), Syntax::Json, Shape::Policy) = (&parsed, syntax, shape) {
        if let Some(fragment) = template::fragment(root) {
            return check_found(file, text, &[fragment], options, None);
        }
    }
    // Only JSON is read as a policy: YAML gets here as a broken template or as a named file
    // that is not a template.
    let (model, problems) = match &parsed {
        Ok(root) if syntax == Syntax::Json => policy::build(root),
        _ => (None, Vec::new()),
    };
    let (kind, kind_origin) = options.kind.unwrap_or_else(|| {
        (
            model.as_ref().map_or(Kind::Identity, |m| {
                policy::infer_kind_given(m, &crate::catalog::rcp_supported)
            }),
            KindOrigin::Inferred,
        )
    });
    let linted = Linted {
        file,
        text,
        syntax,
        parsed: match &parsed {
            Ok(root) => Ok(root),
            Err(error) => Err(error),
        },
        shape,
        kind: (kind, kind_origin),
        embedded: None,
    };
    let mut diagnostics = linted.lint(options.rules, model.as_ref(), &problems);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let is_policy = shape == Shape::Policy && parsed.is_ok();
    Checked {
        diagnostics,
        documents: vec![DocumentInfo {
            span: parsed
                .as_ref()
                .map_or(Span::new(0, text.len() as u32), |root| root.span),
            kind: is_policy.then_some((kind, kind_origin)),
            logical_path: None,
        }],
        skipped: None,
    }
}

/// One document to lint: its text, tree and kind, and where it sits in a template.
struct Linted<'a> {
    file: FileId,
    text: &'a str,
    syntax: Syntax,
    parsed: Result<&'a Node<'a>, &'a source::ParseError>,
    shape: Shape,
    kind: (Kind, KindOrigin),
    embedded: Option<Span>,
}

impl Linted<'_> {
    /// Runs the rules, then names where each finding is (pointer and Sid).
    fn lint(
        &self,
        rules: &[&'static super::Rule],
        model: Option<&policy::Policy>,
        problems: &[policy::Problem],
    ) -> Vec<Diagnostic> {
        let document = Document {
            file: self.file,
            text: self.text,
            syntax: self.syntax,
            embedded: self.embedded,
            too_large: None,
            parsed: self.parsed,
            policy: model,
            problems,
            shape: self.shape,
            kind: self.kind.0,
            kind_origin: self.kind.1,
            resolved: Default::default(),
        };
        let mut findings = Findings::new(self.file);
        // A document that is not a policy gets one finding that says so, not one per missing
        // element; invalid JSON gets its own single finding, as nothing else can read it (YAML
        // that is not a template is not ours to parse, so only the first applies).
        let is_policy =
            self.shape == Shape::Policy || (self.parsed.is_err() && self.syntax == Syntax::Json);
        for rule in rules {
            if is_policy || rule.meta.name == "not-a-policy" {
                findings.run(rule, &document);
            }
        }
        let mut diagnostics = findings.into_diagnostics();
        // A placeholder value is reported once, as such; nothing else can be said about it.
        let placeholders = super::structural::placeholder_value::sites(&document);
        if !placeholders.is_empty() {
            diagnostics.retain(|d| {
                d.rule.name == "placeholder-value"
                    || !placeholders.iter().any(|(span, ..)| span.contains(d.span))
            });
        }
        if let Ok(root) = self.parsed {
            let statements = document.statements();
            for diagnostic in &mut diagnostics {
                diagnostic.pointer = root.pointer_to(diagnostic.span);
                // Statements are disjoint and in source order, so the only one that can contain the
                // span is the last one starting at or before it: a binary search, where a linear
                // search made many findings in a large policy quadratic.
                // (Statements a Terraform merge brings may be out of order: then one by one.)
                let at = statements.partition_point(|s| s.span.start <= diagnostic.span.start);
                diagnostic.sid = at
                    .checked_sub(1)
                    .map(|i| &statements[i])
                    .filter(|s| s.span.contains(diagnostic.span))
                    .or_else(|| statements.iter().find(|s| s.span.contains(diagnostic.span)))
                    .and_then(|s| s.sid)
                    .map(|sid| sid.value.to_string());
            }
        }
        diagnostics
    }
}

/// Rules that read a placeholder as a value that may be anything, and so report only what
/// holds whatever it is (an ARN of a resource attribute whose type is certainly wrong).
const READS_PLACEHOLDERS: [&str; 1] = ["resource-type-mismatch"];

/// Whether a document's content is known: not a value computed later, nor a text that only
/// parses once its placeholders are known (`${jsonencode(...)}`, `"Resource": ${Arns}`).
fn readable(found: &template::Found, first: &Option<Result<Node, source::ParseError>>) -> bool {
    match first {
        Some(Ok(_)) => true,
        Some(Err(_)) => !found.text_has_placeholders(),
        None => false,
    }
}

pub use template::terraform::{ModuleFile, ModuleIndex};

/// A Terraform file: `invalid-hcl` when it does not parse, else each policy it holds. `siblings`
/// are the other `.tf` files of its module (directory), which references may name;
/// `tfvars` those of its `terraform.tfvars` and `*.auto.tfvars`, in the order Terraform reads them;
/// `var_files` the `--var-file`s, read after them. (A run checking each file of a module builds
/// the module's [`ModuleIndex`] once and calls [`check_module_file`].)
pub fn check_terraform(
    file: FileId,
    bytes: &[u8],
    siblings: &[std::sync::Arc<ModuleFile>],
    tfvars: &[String],
    var_files: &[template::terraform::VarFile],
    options: &CheckOptions,
) -> Checked {
    if bytes.len() as u64 > options.max_file_size {
        return Checked {
            diagnostics: check_oversized(file, bytes.len() as u64, options),
            ..Checked::default()
        };
    }
    let parsed = source::decode(bytes).and_then(|text| Ok((text, source::parse_hcl(text)?)));
    match parsed {
        Ok((text, body)) => {
            let own = std::sync::Arc::new(ModuleFile {
                text: text.to_string(),
                body: Some(body),
            });
            let others = siblings.iter().cloned();
            let index = ModuleIndex::new(std::iter::once(own).chain(others), tfvars);
            check_module_file(file, &index, 0, var_files, options)
        }
        Err(error) => {
            let text = std::str::from_utf8(bytes).unwrap_or("");
            let linted = Linted {
                file,
                text,
                syntax: Syntax::Hcl,
                parsed: Err(&error),
                // A file that does not parse gets its one syntax finding, as JSON does.
                shape: Shape::Policy,
                kind: (Kind::Identity, KindOrigin::Inferred),
                embedded: None,
            };
            Checked {
                diagnostics: linted.lint(options.rules, None, &[]),
                ..Checked::default()
            }
        }
    }
}

/// Each policy of member `member` of a module whose index the run has built: a file that
/// parsed, its findings with its own spans. Policies may be built from documents of other
/// files: their findings are reported when those files are checked.
pub fn check_module_file(
    file: FileId,
    index: &ModuleIndex,
    member: usize,
    var_files: &[template::terraform::VarFile],
    options: &CheckOptions,
) -> Checked {
    let (Some(own), Some((text, base))) = (index.files().nth(member), index.layout(member)) else {
        return Checked::default();
    };
    if own.text.len() as u64 > options.max_file_size {
        return check_terraform(file, own.text.as_bytes(), &[], &[], var_files, options);
    }
    let mut checked = check_found(
        file,
        text,
        &template::terraform::find(index, member, var_files),
        options,
        None,
    );
    // The member's spans in the module's text, moved back to the file's own.
    let end = base + own.text.len() as u32;
    let inside = |span: Span| base <= span.start && span.end <= end;
    let own_span = |span: Span| Span::new(span.start - base, span.end - base);
    checked.diagnostics.retain(|d| inside(d.span));
    for d in &mut checked.diagnostics {
        d.span = own_span(d.span);
        d.related.retain(|r| r.file != file || inside(r.span));
        for related in d.related.iter_mut().filter(|r| r.file == file) {
            related.span = own_span(related.span);
        }
    }
    for document in &mut checked.documents {
        document.span = Span::new(
            document.span.start.saturating_sub(base),
            document.span.end.saturating_sub(base),
        );
    }
    let cycle = &super::structural::reference_cycle::RULE;
    if options.rules.iter().any(|r| std::ptr::eq(*r, cycle)) {
        let cycles = index.cycles(member);
        checked
            .diagnostics
            .extend(super::structural::reference_cycle::findings(file, &cycles));
        checked
            .diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    checked
}

/// Each policy found in a template or Terraform file, checked under each reading of its
/// `Fn::If`s, its findings named by logical path. Findings about a value known only at deploy time
/// are dropped (a placeholder is neither an error nor `*`), except security findings, which the
/// engine already bounds.
fn check_found(
    file: FileId,
    text: &str,
    all: &[template::Found],
    options: &CheckOptions,
    // The template's tree, for policies built from a resource's properties (their findings are
    // named by the template's own paths).
    root: Option<&Node>,
) -> Checked {
    let mut checked = Checked::default();
    // A finding reached twice (an `Fn::If`'s branches, a Terraform document merged into another)
    // is reported once.
    let mut seen = std::collections::HashSet::new();
    for found in all {
        let readings = found.readings();
        // The first reading decides whether the document can be read and, when nothing else
        // does, its kind.
        let first = found.body(&readings[0]);
        // A document that says nothing of where it is used has its kind inferred, as a file;
        // elsewhere the table names only kinds iamlint checks (`template::table` is tested).
        // A kind the user declared (`--kind`, a config's `[[files]]`) applies to a document that
        // says nothing of where it is used.
        let declared = options.kind.filter(|_| found.kind == template::INFER);
        let (kind, kind_origin) = if let Some((kind, origin)) = declared {
            (Some(kind), origin)
        } else if found.kind == template::INFER {
            let inferred = match &first {
                Some(Ok(root)) => policy::build(root).0.as_ref().map(policy::infer_kind),
                _ => None,
            };
            (
                Some(inferred.unwrap_or(Kind::Identity)),
                KindOrigin::Inferred,
            )
        } else {
            (Kind::parse(found.kind), KindOrigin::Template)
        };
        // A document whose content is not known (computed later) is listed, unchecked.
        checked.documents.push(DocumentInfo {
            span: found.span,
            kind: kind
                .filter(|_| readable(found, &first))
                .map(|kind| (kind, kind_origin)),
            logical_path: Some(found.logical_path.clone()).filter(|p| !p.is_empty()),
        });
        let Some(kind) = kind else {
            continue;
        };
        // Each finding with the readings that produce it, in the order first met, and whether
        // its message differs between them (it quotes a value the reading picks). A finding is
        // the same in two readings when it is the `n`-th of its rule at its span in both.
        let mut produced: Vec<(Diagnostic, Vec<usize>, bool, String)> = Vec::new();
        let mut index: HashMap<(&str, Span, usize), usize> = HashMap::new();
        for (i, reading) in readings.iter().enumerate() {
            let Some(read) = found.read(reading) else {
                continue;
            };
            if read.is_err() && found.text_has_placeholders() {
                continue;
            }
            let (body, used) = match read {
                Ok((root, used)) => (Ok(root), used),
                Err(error) => (Err(error), Vec::new()),
            };
            let (model, problems) = match &body {
                Ok(root) => policy::build(root),
                Err(_) => (None, Vec::new()),
            };
            let linted = Linted {
                file,
                text,
                syntax: Syntax::Json,
                parsed: body.as_ref(),
                // Where the document sits makes it a policy, whatever it looks like: its missing
                // elements are reported one by one.
                shape: Shape::Policy,
                kind: (kind, kind_origin),
                embedded: Some(found.span),
            };
            let placeholders = body.as_ref().map(placeholder_leaves).unwrap_or_default();
            let strings = body.as_ref().map(string_leaves).unwrap_or_default();
            let mut ordinals: HashMap<(&str, Span), usize> = HashMap::new();
            for mut d in linted.lint(options.rules, model.as_ref(), &problems) {
                let on_placeholder = placeholders.iter().any(|leaf| leaf.contains(d.span));
                // What AWS publishes (a SAM policy template) is not the user's to fix; a value
                // known only at deploy time is no finding either, except for the rules that read
                // placeholders as "anything" and for security findings.
                let published = found.is_published(d.span);
                let dropped =
                    published || (on_placeholder && !READS_PLACEHOLDERS.contains(&d.rule.name));
                if dropped && d.severity != super::Severity::Security {
                    continue;
                }
                if found.ignore.iter().any(|name| name == d.rule.name) {
                    continue;
                }
                let ordinal = ordinals.entry((d.rule.code, d.span)).or_default();
                *ordinal += 1;
                let key = (d.rule.code, d.span, *ordinal);
                if let Some(&at) = index.get(&key) {
                    let (_, readings, differ, message) = &mut produced[at];
                    readings.push(i);
                    *differ |= d.message != *message;
                    continue;
                }
                index.insert(key, produced.len());
                let message = d.message.clone();
                // A finding on a string built from a parameter's default says so.
                let defaults: Vec<String> = used
                    .iter()
                    .filter(|u| {
                        strings
                            .iter()
                            .any(|s| s.contains(u.span) && s.contains(d.span))
                    })
                    .map(|u| format!("parameter `{}` at its default `{}`", u.parameter, u.value))
                    .collect();
                if !defaults.is_empty() {
                    d.message.push_str(&format!(" ({})", defaults.join(", ")));
                }
                produced.push((d, vec![i], false, message));
            }
        }
        for (mut d, produced_by, differ, _) in produced {
            let (when, parameters) = when(&readings, &produced_by, found.outer_conditions());
            if let Some(when) = when {
                d.message.push_str(&format!(" (when {when})"));
            }
            if differ && !parameters {
                d.message
                    .push_str(" (and likewise with the other allowed values)");
            }
            // A finding that holds for some of a parameter's allowed values, not all, is a note.
            if parameters {
                d.severity = super::Severity::Suggestion;
                d.certain = false;
            }
            if !seen.insert((d.rule.code, d.span, d.message.clone())) {
                continue;
            }
            // Fixes are written for JSON files; a template's syntax may differ.
            d.fix = None;
            shown_placeholders(&mut d.message);
            if let Some(help) = &mut d.help {
                shown_placeholders(help);
            }
            let inner = d.pointer.take().unwrap_or_default();
            if let (true, Some(root)) = (found.built, root) {
                // The policy's own keys are not in the template: name the template's place.
                d.pointer = root.pointer_to(d.span);
                d.logical_path = d.pointer.as_deref().map(|p| dotted(p)[1..].to_string());
                d.construct_path = found.construct.map(str::to_string);
                checked.diagnostics.push(d);
                continue;
            }
            // A fragment (a policy file with intrinsics) has no logical path.
            d.logical_path = Some(format!("{}{}", found.logical_path, dotted(&inner)))
                .filter(|_| !found.logical_path.is_empty());
            d.construct_path = found.construct.map(str::to_string);
            d.pointer = Some(format!("{}{inner}", found.pointer)).filter(|p| !p.is_empty());
            checked.diagnostics.push(d);
        }
    }
    checked
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    checked
}

/// The readings a finding holds in, in words: the conditions and parameter values that are the
/// same in each of them and not in all readings (and the `Fn::If` sides on the way to the
/// document), as in ``when `IsProd` is false and `Env` is `dev` or `test` ``; and whether it
/// depends on a parameter's value.
pub(crate) fn when(
    readings: &[template::Reading],
    produced_by: &[usize],
    outer: &[(String, bool)],
) -> (Option<String>, bool) {
    let mut parts: Vec<String> = outer
        .iter()
        .map(|(name, side)| format!("`{name}` is {side}"))
        .collect();
    let mut parameters = false;
    if produced_by.len() < readings.len() {
        let ours = || produced_by.iter().map(|&i| &readings[i]);
        for (name, _) in readings[0].conditions.iter().skip(outer.len()) {
            let sides: std::collections::BTreeSet<bool> =
                ours().map(|r| r.condition(name)).collect();
            if let [side] = sides.iter().collect::<Vec<_>>()[..] {
                parts.push(format!("`{name}` is {side}"));
            }
        }
        for (name, _) in &readings[0].parameters {
            let all: std::collections::BTreeSet<&str> =
                readings.iter().filter_map(|r| r.parameter(name)).collect();
            let values: Vec<&str> = all
                .iter()
                .copied()
                .filter(|v| ours().any(|r| r.parameter(name) == Some(v)))
                .collect();
            if values.len() < all.len() {
                parameters = true;
                let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                parts.push(format!("`{name}` is {}", values.join(" or ")));
            }
        }
        if parts.len() == outer.len() {
            // No one side or value sets these readings apart (`A` on and `B` off, or the other
            // way round): name each by the conditions that vary.
            let varying: Vec<&String> = (readings[0].conditions.iter().skip(outer.len()))
                .map(|(name, _)| name)
                .filter(|name| {
                    readings
                        .iter()
                        .any(|r| r.condition(name) != readings[0].condition(name))
                })
                .collect();
            let mut each: Vec<String> = ours()
                .map(|r| {
                    (varying.iter())
                        .map(|name| format!("`{name}` is {}", r.condition(name)))
                        .collect::<Vec<_>>()
                        .join(" and ")
                })
                .filter(|words| !words.is_empty())
                .collect();
            each.dedup();
            if !each.is_empty() {
                parts.push(each.join(", or "));
            }
        }
    }
    ((!parts.is_empty()).then(|| parts.join(" and ")), parameters)
}

/// The spans of a resolved document's strings.
fn string_leaves(root: &Node) -> Vec<Span> {
    let mut leaves = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::String(_) => leaves.push(node.span),
            Value::Array(items) => stack.extend(items),
            Value::Object(members) => stack.extend(members.iter().map(|m| &m.value)),
            _ => {}
        }
    }
    leaves
}

/// A message quoting a value with a placeholder shows it as `${…}`: a value known at deploy time.
pub(crate) fn shown_placeholders(text: &mut String) {
    if source::has_placeholder(text) {
        *text = text.replace(source::is_placeholder, "${…}");
    }
}

/// The spans of the strings that hold a placeholder, and the keys whose whole value is one: such
/// an element may not be there at all (Terraform leaves out an attribute whose value is null), so
/// a finding about its presence is not certain either.
fn placeholder_leaves(root: &Node) -> Vec<Span> {
    let whole = |node: &Node| {
        node.as_str().is_some_and(|t| {
            t.len() == source::PLACEHOLDER.len_utf8() && source::has_placeholder(t)
        })
    };
    let mut leaves = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::String(text) if source::has_placeholder(text) => leaves.push(node.span),
            Value::Array(items) => stack.extend(items),
            Value::Object(members) => {
                for member in members {
                    if whole(&member.value) {
                        leaves.push(member.key.span);
                    }
                    stack.push(&member.value);
                }
            }
            _ => {}
        }
    }
    leaves
}

/// A JSON Pointer below a document as the rest of a logical path: `/Statement/0/Resource` →
/// `.Statement[0].Resource`.
pub(crate) fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{token}]"));
        } else {
            out.push('.');
            out.push_str(&token);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::template::Reading;

    fn reading(a: bool, b: bool) -> Reading {
        Reading {
            conditions: vec![("A".into(), a), ("B".into(), b)],
            parameters: Vec::new(),
        }
    }

    #[test]
    fn readings_no_one_side_describes_are_each_named() {
        let readings = [
            reading(true, true),
            reading(true, false),
            reading(false, true),
            reading(false, false),
        ];
        assert_eq!(
            super::when(&readings, &[0], &[]).0.as_deref(),
            Some("`A` is true and `B` is true")
        );
        assert_eq!(
            super::when(&readings, &[0, 1], &[]).0.as_deref(),
            Some("`A` is true")
        );
        assert_eq!(
            super::when(&readings, &[1, 2], &[]).0.as_deref(),
            Some("`A` is true and `B` is false, or `A` is false and `B` is true")
        );
        assert_eq!(super::when(&readings, &[0, 1, 2, 3], &[]).0, None);
    }
}
