//! A Terraform file's syntax tree (`hcl-edit`) → the policy documents inside it, as [`Found`]s
//! like a CloudFormation template's: resource attributes from the Terraform table, written as
//! `jsonencode({...})` (converted to the JSON tree with spans on the HCL tokens), as quoted or
//! heredoc JSON strings (decoded with a byte map back to the file), or as a reference to a
//! `data "aws_iam_policy_document"` block (converted to the JSON the provider renders).
//!
//! Anything only known at plan or apply time becomes a [`PLACEHOLDER`]: other `var.`s, `local.`,
//! resource attributes, function calls, conditionals, `for` expressions, template interpolations
//! and directives. A `var.` whose default is a literal resolves to that default. A `dynamic`
//! block counts as one block whose iterator values are placeholders.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use hcl_edit::expr::{Expression, ObjectKey, Traversal, TraversalOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::template::{Element, Template};

use super::strings::Mapped;
use super::table::{self, Step};
use super::{Body as Held, Found, Place, INFER};
use crate::source::{Key, Member, Node, Span, Value, PLACEHOLDER};

/// Expressions nest at most 64 levels in `hcl-edit`; a `var.` default adds one more tree. This
/// bound makes the conversion's depth explicit all the same.
const MAX_DEPTH: usize = 160;

const POLICY_DOCUMENT: &str = "aws_iam_policy_document";

/// Policy documents built for one file, merges included: far beyond any module.
const DOCUMENT_BUDGET: usize = 1_000;
/// Locals read, in all, for one file: each reference is read afresh, so a local used twice by
/// the next one, forty deep, would be read 2^40 times; past this bound a local is unknown.
const LOCAL_BUDGET: usize = 10_000;

/// Merges nested deeper than this (`source_policy_documents` naming a document that names
/// another...) are not followed: a cycle ends here.
const MAX_MERGE_DEPTH: usize = 16;

fn span_of(item: &impl hcl_edit::Span) -> Span {
    item.span()
        .map_or(Span::default(), |r| Span::new(r.start as u32, r.end as u32))
}

/// Whether a file's text looks like Terraform worth reporting a parse error for.
pub fn looks_like_terraform(text: &str) -> bool {
    [
        "resource",
        "data",
        "variable",
        "module",
        "provider",
        "terraform",
        "locals",
        "output",
    ]
    .iter()
    .any(|word| text.contains(word))
}

/// A `.tf` file of a module: its text, and its syntax tree when it parses. Made once per file
/// for a whole run, so that checking a module's n files parses each of them once, not n times.
#[derive(Debug)]
pub struct ModuleFile {
    pub text: String,
    pub body: Option<Body>,
}

impl ModuleFile {
    pub fn new(text: String) -> Self {
        let body = crate::source::parse_hcl(&text).ok();
        ModuleFile { text, body }
    }
}

/// What the `.tf` files of a module (one directory) declare, worked out once for all of them:
/// a file being checked looks up what its references name here, rather than reading every
/// other file of its module again (which made a module's n files cost n² file readings).
///
/// Its members are the files that parse, in the order given. Their texts are laid end to end,
/// each followed by a newline, in one text, so that a policy built from documents of several
/// files has its spans in one space, each file's bytes at their place: a finding outside a
/// file's own bytes is another file's, reported when that file is checked.
#[derive(Debug, Default)]
pub struct ModuleIndex {
    members: Vec<Placed>,
    text: String,
    /// The values `terraform.tfvars` and the `*.auto.tfvars` give, a later file winning.
    values: HashMap<String, Literal>,
    /// The variables' defaults as values, for a member read alone (a later member winning).
    defaults: HashMap<String, Literal>,
    /// The kind with which a resource uses a policy document (the first use): a document no
    /// resource of its own file uses is checked with that kind.
    uses: HashMap<String, &'static str>,
    /// Where names are declared: for each member declaring one, in member order, the index of
    /// its block in the member's body (and of the attribute, in a `locals` block). Within a
    /// file a name declared twice is Terraform's error: its last declaration is kept (its first,
    /// for a policy document).
    variables: Declared<usize>,
    locals: Declared<(usize, usize)>,
    documents: Declared<usize>,
    /// By address (`aws_kms_key.k`).
    resources: Declared<usize>,
    /// The reference cycles between locals, each with the member holding its first local.
    cycles: Vec<(usize, Cycle)>,
}

/// By name, the members declaring it (in member order) and where in each.
type Declared<T> = HashMap<String, Vec<(usize, T)>>;

/// A member of a module and its place in the module's text.
#[derive(Debug)]
struct Placed {
    file: Arc<ModuleFile>,
    /// `None` past 4 GiB, beyond what a span reaches: that file is read alone.
    base: Option<u32>,
}

/// A value written without references, read from another file (its spans are not this file's,
/// so it is used at the reference).
#[derive(Debug, Clone)]
enum Literal {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Literal>),
    Object(Vec<(String, Literal)>),
    /// Anything with a reference, a function call...
    Unknown,
}

impl Literal {
    fn of(expression: &Expression, depth: usize) -> Literal {
        if depth > MAX_DEPTH {
            return Literal::Unknown;
        }
        match expression {
            Expression::Null(_) => Literal::Null,
            Expression::Bool(b) => Literal::Bool(*b.value()),
            Expression::Number(n) => {
                let text = n.value().to_string();
                if crate::source::parse(&text).is_ok() {
                    Literal::Number(text)
                } else {
                    Literal::Unknown
                }
            }
            Expression::String(s) => Literal::String(s.value().to_string()),
            Expression::StringTemplate(t) => Self::template(t),
            Expression::HeredocTemplate(h) => Self::template(&h.template),
            Expression::Array(items) => {
                Literal::Array(items.iter().map(|i| Literal::of(i, depth + 1)).collect())
            }
            Expression::Object(object) => Literal::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let name = match key {
                            ObjectKey::Ident(ident) => Some(ident.as_str().to_string()),
                            ObjectKey::Expression(Expression::String(s)) => {
                                Some(s.value().to_string())
                            }
                            ObjectKey::Expression(_) => None,
                        };
                        let value = Literal::of(value.expr(), depth + 1);
                        (name.unwrap_or_else(|| PLACEHOLDER.to_string()), value)
                    })
                    .collect(),
            ),
            Expression::Parenthesis(inner) => Literal::of(inner.inner(), depth + 1),
            _ => Literal::Unknown,
        }
    }

    /// A value of a JSON variable file: written without references, as JSON says it.
    fn of_json(node: &Node, depth: usize) -> Literal {
        if depth > MAX_DEPTH {
            return Literal::Unknown;
        }
        match &node.value {
            Value::Null => Literal::Null,
            Value::Bool(b) => Literal::Bool(*b),
            Value::Number(n) => Literal::Number(n.to_string()),
            Value::String(s) => Literal::String(s.to_string()),
            Value::Array(items) => Literal::Array(
                items
                    .iter()
                    .map(|i| Literal::of_json(i, depth + 1))
                    .collect(),
            ),
            Value::Object(members) => Literal::Object(
                members
                    .iter()
                    .map(|m| {
                        (
                            m.key.name.to_string(),
                            Literal::of_json(&m.value, depth + 1),
                        )
                    })
                    .collect(),
            ),
        }
    }

    fn template(template: &Template) -> Literal {
        let mut text = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(literal) => text.push_str(literal.value()),
                _ => return Literal::Unknown,
            }
        }
        Literal::String(text)
    }

    /// The value as a tree at `span` (the reference that uses it).
    fn node<'b>(&'b self, span: Span, amp: bool) -> Node<'b> {
        let value = match self {
            Literal::Null => Value::Null,
            Literal::Bool(b) => Value::Bool(*b),
            Literal::Number(n) => Value::Number(n),
            Literal::String(s) => Value::String(literal(s, amp)),
            Literal::Array(items) => {
                Value::Array(items.iter().map(|i| i.node(span, amp)).collect())
            }
            Literal::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(name, value)| Member {
                        key: Key {
                            span,
                            name: literal(name, amp),
                        },
                        value: value.node(span, amp),
                    })
                    .collect(),
            ),
            Literal::Unknown => return Node::placeholder(span),
        };
        Node { span, value }
    }
}

/// The values a variable-definitions file gives (`terraform.tfvars`, `*.auto.tfvars`, a
/// `--var-file`): HCL attributes, or one JSON object when the name ends in `.json`, as
/// Terraform reads them.
#[derive(Debug, Clone, Default)]
pub struct VarFile {
    values: HashMap<String, Literal>,
}

impl VarFile {
    /// Reads a file's text; the error says where it stops being valid (`line:column: ...`).
    pub fn parse(name: &str, text: &str) -> Result<VarFile, String> {
        let at = |error: crate::source::ParseError| {
            let at = crate::source::LineIndex::new(text).line_col(text, error.span.start);
            format!("{}:{}: {}", at.line, at.column, error.message)
        };
        let values = if name.to_ascii_lowercase().ends_with(".json") {
            let root = crate::source::parse(text).map_err(at)?;
            let members = root
                .as_object()
                .ok_or_else(|| "a JSON variable file must be one object".to_string())?;
            members
                .iter()
                .map(|m| (m.key.name.to_string(), Literal::of_json(&m.value, 0)))
                .collect()
        } else {
            let body = crate::source::parse_hcl(text).map_err(at)?;
            if let Some(block) = body.blocks().next() {
                return Err(format!(
                    "a variable file holds only `name = value` lines, not a `{}` block",
                    block.ident.as_str()
                ));
            }
            body.attributes()
                .map(|a| (a.key.as_str().to_string(), Literal::of(&a.value, 0)))
                .collect()
        };
        Ok(VarFile { values })
    }
}

/// What `var.name` or `local.name` stands for.
enum Resolved<'b> {
    /// An expression of a file of the module: a variable's default, a local's value.
    Expression {
        file: usize,
        expression: &'b Expression,
        local: Option<&'b str>,
    },
    /// A default of a file not read here, or a value of a variable file.
    Literal(&'b Literal),
}

impl ModuleIndex {
    /// `files`: a module's `.tf` files, in the order Terraform lists them (those that do not
    /// parse are left out: each gets its own `invalid-hcl`); `tfvars`: the texts of its
    /// `terraform.tfvars` and `*.auto.tfvars`, in the order Terraform reads them.
    pub fn new(files: impl IntoIterator<Item = Arc<ModuleFile>>, tfvars: &[String]) -> Self {
        let mut index = ModuleIndex::default();
        // A broken `.tfvars` beside the module gives no values (Terraform stops on it; the
        // module's own policies are still worth checking).
        for text in tfvars {
            if let Ok(file) = VarFile::parse("terraform.tfvars", text) {
                index.values.extend(file.values);
            }
        }
        for file in files.into_iter().filter(|file| file.body.is_some()) {
            let start = index.text.len();
            let base = u32::try_from(start + file.text.len())
                .ok()
                .map(|_| start as u32);
            if base.is_some() {
                index.text.push_str(&file.text);
                index.text.push('\n');
            }
            index.members.push(Placed { file, base });
        }
        for member in 0..index.members.len() {
            index.declare(member);
        }
        index.cycles = reference_cycles(&index.members);
        index
    }

    /// Records what a member declares.
    fn declare(&mut self, member: usize) {
        let file = Arc::clone(&self.members[member].file);
        let Some(body) = &file.body else {
            return;
        };
        let mut variables = HashMap::new();
        let mut locals = HashMap::new();
        let mut documents = HashMap::new();
        let mut resources = HashMap::new();
        for (at, structure) in body.iter().enumerate() {
            let Structure::Block(block) = structure else {
                continue;
            };
            match (block.ident.as_str(), block.labels.as_slice()) {
                ("variable", [name]) => {
                    if let Some(default) = default_of_variable(block) {
                        variables.insert(name.as_str(), at);
                        self.defaults
                            .insert(name.as_str().to_string(), Literal::of(&default.value, 0));
                    }
                }
                ("locals", []) => {
                    for (i, structure) in block.body.iter().enumerate() {
                        if let Structure::Attribute(attribute) = structure {
                            locals.insert(attribute.key.as_str(), (at, i));
                        }
                    }
                }
                ("data", [data_type, name]) if data_type.as_str() == POLICY_DOCUMENT => {
                    documents.entry(name.as_str()).or_insert(at);
                }
                ("resource", [resource_type, name]) => {
                    resources.insert(format!("{}.{}", resource_type.as_str(), name.as_str()), at);
                }
                _ => {}
            }
        }
        for (entry, _, expression) in policy_attributes(body) {
            if let Expression::Traversal(traversal) = expression {
                if let Some(name) = document_reference(traversal) {
                    self.uses.entry(name.to_string()).or_insert(entry.kind);
                }
            }
        }
        // Members are declared in order: each list stays in member order.
        for (name, at) in variables {
            let places = self.variables.entry(name.to_string()).or_default();
            places.push((member, at));
        }
        for (name, at) in locals {
            let places = self.locals.entry(name.to_string()).or_default();
            places.push((member, at));
        }
        for (name, at) in documents {
            let places = self.documents.entry(name.to_string()).or_default();
            places.push((member, at));
        }
        for (address, at) in resources {
            self.resources
                .entry(address)
                .or_default()
                .push((member, at));
        }
    }

    /// The member that is `file` (the very file given to [`ModuleIndex::new`]), when it parsed.
    pub fn member(&self, file: &ModuleFile) -> Option<usize> {
        self.members
            .iter()
            .position(|placed| std::ptr::eq(&*placed.file, file))
    }

    /// The members' files, in order.
    pub fn files(&self) -> impl Iterator<Item = &ModuleFile> {
        self.members.iter().map(|placed| &*placed.file)
    }

    fn body(&self, member: usize) -> Option<&Body> {
        self.members.get(member)?.file.body.as_ref()
    }

    fn base(&self, member: usize) -> Option<u32> {
        self.members.get(member)?.base
    }

    /// The text [`find`] reads a member in, and where the member's own bytes start in it: the
    /// module's text, or the file's own when it could not be placed there.
    pub fn layout(&self, member: usize) -> Option<(&str, u32)> {
        let placed = self.members.get(member)?;
        Some(match placed.base {
            Some(base) => (self.text.as_str(), base),
            None => (placed.file.text.as_str(), 0),
        })
    }

    /// The reference cycles whose first local is in a member, with that file's spans.
    pub fn cycles(&self, member: usize) -> Vec<Cycle> {
        self.cycles
            .iter()
            .filter(|(m, _)| *m == member)
            .map(|(_, cycle)| cycle.clone())
            .collect()
    }

    /// What a variable file gives `var.name`: the last `--var-file` naming it, else the module's
    /// own `.tfvars`.
    fn value<'v>(&'v self, name: &str, var_files: &'v [VarFile]) -> Option<&'v Literal> {
        var_files
            .iter()
            .rev()
            .find_map(|file| file.values.get(name))
            .or_else(|| self.values.get(name))
    }

    /// The string `var.name` stands for when a variable file or a default writes it literally.
    pub fn string_value<'v>(&'v self, name: &str, var_files: &'v [VarFile]) -> Option<&'v str> {
        match self
            .value(name, var_files)
            .or_else(|| self.defaults.get(name))?
        {
            Literal::String(text) => Some(text),
            _ => None,
        }
    }
}

/// Every attribute of a resource that holds a policy: its table entry, where it is and its value.
fn policy_attributes(body: &Body) -> Vec<(&'static table::Entry, Place, &Expression)> {
    let mut out = Vec::new();
    for block in body.blocks().filter(|b| b.ident.as_str() == "resource") {
        let [resource_type, name] = block.labels.as_slice() else {
            continue;
        };
        let resource_type = resource_type.as_str();
        let base = Place {
            logical: format!("{resource_type}.{}", name.as_str()),
            pointer: format!("/resource/{resource_type}/{}", name.as_str()),
        };
        for entry in table::terraform_entries_for(resource_type) {
            let literal = |attribute: &str| match &block.body.get_attribute(attribute)?.value {
                Expression::String(s) => Some(s.value().as_str()),
                _ => None,
            };
            if !entry.applies(literal) {
                continue;
            }
            let mut places = Vec::new();
            walk(&block.body, &entry.steps, base.clone(), &mut places);
            out.extend(
                places
                    .into_iter()
                    .map(|(place, expression)| (entry, place, expression)),
            );
        }
    }
    out
}

/// Every policy document of a module's member, in source order, its spans in the text
/// [`ModuleIndex::layout`] gives; references into the other members are followed. `var_files`:
/// the `--var-file`s, read after the module's own `.tfvars`.
pub fn find<'b>(index: &'b ModuleIndex, member: usize, var_files: &'b [VarFile]) -> Vec<Found<'b>> {
    find_in(index, member, var_files, index.base(member).is_some())
}

/// [`find`] on a member read alone, in its own text: of the other members, only the defaults of
/// their variables and their resources' uses of documents are known.
pub fn find_alone<'b>(
    index: &'b ModuleIndex,
    member: usize,
    var_files: &'b [VarFile],
) -> Vec<Found<'b>> {
    find_in(index, member, var_files, false)
}

fn find_in<'b>(
    index: &'b ModuleIndex,
    member: usize,
    var_files: &'b [VarFile],
    placed: bool,
) -> Vec<Found<'b>> {
    let Some(body) = index.body(member) else {
        return Vec::new();
    };
    let module = Module::new(index, member, var_files, placed);
    let mut found = Vec::new();
    for (entry, place, expression) in policy_attributes(body) {
        found.push(Found {
            logical_path: place.logical,
            pointer: place.pointer,
            resource_type: entry.resource_type,
            kind: entry.kind,
            span: module.span(expression),
            ignore: &entry.ignore,
            construct: None,
            built: false,
            body: module.held(expression, 0),
        });
    }
    // A policy document no resource of this file uses is checked on its own: with the kind of
    // its use in another file of the module, or else inferred from its content. (Not with the
    // kind of a document that merges it: a fragment whose statement an override replaces is no
    // such policy on its own.)
    let used = module.used.borrow().clone();
    for block in body.blocks() {
        let ("data", [data_type, name]) = (block.ident.as_str(), block.labels.as_slice()) else {
            continue;
        };
        let name = name.as_str();
        if data_type.as_str() != POLICY_DOCUMENT || used.contains(name) {
            continue;
        }
        found.push(Found {
            logical_path: format!("data.{POLICY_DOCUMENT}.{name}"),
            pointer: format!("/data/{POLICY_DOCUMENT}/{name}"),
            resource_type: POLICY_DOCUMENT,
            kind: index.uses.get(name).copied().unwrap_or(INFER),
            span: module.span(block),
            ignore: &[],
            construct: None,
            built: false,
            body: module.document(block, 0),
        });
    }
    found.sort_by_key(|f| f.span.start);
    found
}

/// Blocks named `name` in a body, a `dynamic "name"` block standing for its `content`.
fn blocks_named<'b>(body: &'b Body, name: &'b str) -> impl Iterator<Item = &'b Block> + 'b {
    body.blocks().filter_map(move |block| {
        if block.ident.as_str() == name {
            return Some(block);
        }
        let dynamic = block.ident.as_str() == "dynamic"
            && block.labels.first().is_some_and(|l| l.as_str() == name);
        dynamic.then(|| block.body.get_blocks("content").next())?
    })
}

/// The expressions at a table path (`inline_policy[*].policy`) below a resource's body.
fn walk<'b>(
    body: &'b Body,
    steps: &'b [Step],
    place: Place,
    out: &mut Vec<(Place, &'b Expression)>,
) {
    let Some((step, rest)) = steps.split_first() else {
        return;
    };
    let place = place.key(&step.name);
    if step.each {
        for (i, block) in blocks_named(body, &step.name).enumerate() {
            walk(&block.body, rest, place.index(i), out);
        }
    } else if rest.is_empty() {
        if let Some(attribute) = body.get_attribute(&step.name) {
            out.push((place, &attribute.value));
        }
    }
}

/// One member of a module as `find` reads it, with what the other members declare.
struct Module<'b> {
    index: &'b ModuleIndex,
    /// `--var-file`s, read after the module's own `.tfvars`.
    var_files: &'b [VarFile],
    /// The member whose policies are found.
    this: usize,
    /// Whether the other members are read too (in the module's text), or this one alone (in
    /// its own text): then only their variables' defaults and their uses of documents are known.
    placed: bool,
    /// The module's text, or this member's own.
    text: &'b str,
    /// How many `dynamic` blocks' content is being read: there, a variable's value is not
    /// used, since the block exists only for some values (`for_each = length(var.x) > 0 ?
    /// [1] : []` around `values = var.x`, whose default is `[]`).
    dynamic: Cell<usize>,
    /// Policy documents a resource reads.
    used: RefCell<HashSet<&'b str>>,
    /// Policy documents still to be built: merges may form a cycle or a diamond of any depth,
    /// and this bound makes the work linear whatever the file.
    budget: Cell<usize>,
    /// The member whose syntax is being read: its spans are offset by its place in `text`.
    current: Cell<usize>,
    /// The locals being computed, innermost last: one met again is a reference cycle, whose
    /// value stays a placeholder.
    resolving: RefCell<Vec<&'b str>>,
    /// Locals still to be read (see [`LOCAL_BUDGET`]).
    locals_budget: Cell<usize>,
}

/// A variable's `default`, unless it is `null`: that says the caller must give a value (or the
/// resource using it is not created), so the variable stays a placeholder.
fn default_of_variable(block: &Block) -> Option<&hcl_edit::structure::Attribute> {
    // An empty default (`[]`, `""`, `{}`) says "none unless the caller gives some": a reusable
    // module's callers do, so it is no more the value than `null` is (terraform-aws-iam's
    // `resources = var.hosted_zone_arns` would be an empty `Resource`).
    let empty = |value: &Expression| match value {
        Expression::Null(_) => true,
        Expression::Array(items) => items.is_empty(),
        Expression::Object(members) => members.is_empty(),
        Expression::String(text) => text.value().is_empty(),
        _ => false,
    };
    block
        .body
        .get_attribute("default")
        .filter(|default| !empty(&default.value))
}

impl<'b> Module<'b> {
    fn new(index: &'b ModuleIndex, this: usize, var_files: &'b [VarFile], placed: bool) -> Self {
        let text = match index.members.get(this) {
            Some(member) if !placed => member.file.text.as_str(),
            _ => index.text.as_str(),
        };
        Module {
            index,
            var_files,
            this,
            placed,
            text,
            dynamic: Cell::new(0),
            used: RefCell::new(HashSet::new()),
            budget: Cell::new(DOCUMENT_BUDGET),
            current: Cell::new(this),
            resolving: RefCell::new(Vec::new()),
            locals_budget: Cell::new(LOCAL_BUDGET),
        }
    }

    /// Whether a member's declarations are read here.
    fn visible(&self, member: usize) -> bool {
        member == self.this || (self.placed && self.index.base(member).is_some())
    }

    /// An item's span in the text read (its file's span, offset by the file's place).
    fn span(&self, item: &impl hcl_edit::Span) -> Span {
        let base = match self.placed {
            true => self.index.base(self.current.get()).unwrap_or(0),
            false => 0,
        };
        let span = span_of(item);
        Span::new(
            span.start.saturating_add(base),
            span.end.saturating_add(base),
        )
    }

    /// The block at index `at` of a member's body.
    fn block(&self, member: usize, at: usize) -> Option<&'b Block> {
        match self.index.body(member)?.get(at)? {
            Structure::Block(block) => Some(block),
            Structure::Attribute(_) => None,
        }
    }

    /// Of the members declaring a name (in order), the one a reference in the member being read
    /// means: that member itself, else the member whose policies are found, else the first other.
    fn declared<T: Copy>(&self, places: Option<&'b Vec<(usize, T)>>) -> Option<(usize, T)> {
        let places = places?;
        let at = |member: usize| places.iter().find(|(m, _)| *m == member);
        at(self.current.get())
            .or_else(|| at(self.this))
            .or_else(|| places.iter().find(|(m, _)| self.visible(*m)))
            .copied()
    }

    /// A policy document of the module by name: of the file being read, else of another.
    fn document_named(&self, name: &str) -> Option<(usize, &'b Block)> {
        let (member, at) = self.declared(self.index.documents.get(name))?;
        Some((member, self.block(member, at)?))
    }

    /// Reads an expression of file `file` (a local `local`, when it is one); `None` when that
    /// local is already being read (a reference cycle), or when too many have been read.
    fn read<T>(&self, file: usize, local: Option<&'b str>, read: impl FnOnce() -> T) -> Option<T> {
        if let Some(name) = local {
            if self.resolving.borrow().contains(&name) {
                return None;
            }
            let left = self.locals_budget.get();
            if left == 0 {
                return None;
            }
            self.locals_budget.set(left - 1);
            self.resolving.borrow_mut().push(name);
        }
        let previous = self.current.replace(file);
        let out = read();
        self.current.set(previous);
        if local.is_some() {
            self.resolving.borrow_mut().pop();
        }
        Some(out)
    }

    /// How an attribute's value holds its policy.
    fn held(&self, expression: &'b Expression, depth: usize) -> Held<'b> {
        if depth > MAX_DEPTH {
            return Held::Unknown;
        }
        match expression {
            Expression::FuncCall(call)
                if call.name.name.as_str() == "jsonencode"
                    && !call.name.is_namespaced()
                    && call.args.len() == 1 =>
            {
                match call.args.get(0) {
                    Some(argument) => Held::Owned(self.node(argument, false, depth)),
                    None => Held::Unknown,
                }
            }
            Expression::String(_)
            | Expression::StringTemplate(_)
            | Expression::HeredocTemplate(_) => self
                .text_of(expression, depth)
                .map_or(Held::Unknown, Held::Text),
            Expression::Parenthesis(inner) => self.held(inner.inner(), depth + 1),
            Expression::Traversal(traversal) => {
                if let Some(name) = document_reference(traversal) {
                    let Some((file, block)) = self.document_named(name) else {
                        return Held::Unknown;
                    };
                    // A document of another file is checked there too (with this use's kind),
                    // and its findings reported there.
                    if file == self.this {
                        self.used.borrow_mut().insert(name);
                    }
                    self.read(file, None, || self.document(block, 0))
                        .unwrap_or(Held::Unknown)
                } else {
                    match self.resolve(traversal) {
                        // A whole policy is pointed into where it is written: only in this
                        // file, whose findings these are.
                        Some(Resolved::Expression {
                            file,
                            expression,
                            local,
                        }) if file == self.current.get() => self
                            .read(file, local, || self.held(expression, depth + 1))
                            .unwrap_or(Held::Unknown),
                        _ => Held::Unknown,
                    }
                }
            }
            _ => Held::Unknown,
        }
    }

    /// What `var.name` (a variable file's value, else its default) or `local.name` stands for,
    /// in any file of the module.
    fn resolve(&self, traversal: &Traversal) -> Option<Resolved<'b>> {
        let Expression::Variable(root) = &traversal.expr else {
            return None;
        };
        let [operator] = traversal.operators.as_slice() else {
            return None;
        };
        let TraversalOperator::GetAttr(name) = operator.value() else {
            return None;
        };
        let name = name.as_str();
        if self.dynamic.get() > 0 {
            return None;
        }
        match root.as_str() {
            "var" => {
                if let Some(value) = self.index.value(name, self.var_files) {
                    return Some(Resolved::Literal(value));
                }
                if let Some((file, at)) = self.declared(self.index.variables.get(name)) {
                    let default = self.block(file, at).and_then(default_of_variable)?;
                    return Some(Resolved::Expression {
                        file,
                        expression: &default.value,
                        local: None,
                    });
                }
                self.index.defaults.get(name).map(Resolved::Literal)
            }
            "local" => {
                let (file, (at, i)) = self.declared(self.index.locals.get(name))?;
                let Structure::Attribute(local) = self.block(file, at)?.body.get(i)? else {
                    return None;
                };
                Some(Resolved::Expression {
                    file,
                    expression: &local.value,
                    local: Some(local.key.as_str()),
                })
            }
            _ => None,
        }
    }
    /// Places a variable's value (a scalar, or a list of scalars) at the reference that uses it:
    /// a scalar spans the reference, the list's items its successive characters, since rules
    /// tell values apart by span. False for any other value, or a list longer than the reference.
    fn respan(&self, node: &mut Node, span: Span) -> bool {
        node.span = span;
        let Value::Array(items) = &mut node.value else {
            return !matches!(node.value, Value::Object(_));
        };
        let Some(reference) = self.text.get(span.range()) else {
            return false;
        };
        let mut chars = reference.char_indices();
        for item in items {
            let Some((at, c)) = chars.next() else {
                return false;
            };
            if matches!(item.value, Value::Array(_) | Value::Object(_)) {
                return false;
            }
            let start = span.start + at as u32;
            item.span = Span::new(start, start + c.len_utf8() as u32);
        }
        true
    }

    /// `aws_kms_key.k.arn` (also `aws_sqs_queue.q[0].arn`, `data.aws_iam_role.r.arn`) as the ARN
    /// the provider gives it: its literal parts, with a placeholder for each part only apply
    /// knows, and the resource's own name where the module writes it literally.
    fn arn_of(&self, traversal: &Traversal) -> Option<String> {
        let (root, names) = attribute_path(traversal)?;
        let (resource_type, name, attribute, data) = match (root, names.as_slice()) {
            ("data", [resource_type, name, attribute]) => (*resource_type, *name, *attribute, true),
            (resource_type, [name, attribute]) => (resource_type, *name, *attribute, false),
            _ => return None,
        };
        let shape = table::terraform_arn(resource_type, attribute)?;
        // A data source's arguments select an existing resource: its path, for one, is not
        // among them, so nothing of it is taken.
        let block = match data {
            true => None,
            false => self
                .declared(self.index.resources.get(&format!("{resource_type}.{name}")))
                .and_then(|(member, at)| self.block(member, at)),
        };
        let mut arn = String::new();
        let mut rest = shape.arn.as_str();
        while let Some(open) = rest.find('{') {
            arn.push_str(&rest[..open]);
            let close = open + rest[open..].find('}')?;
            let (field, default) = match rest[open + 1..close].split_once('=') {
                Some((field, default)) => (field, Some(default)),
                None => (&rest[open + 1..close], None),
            };
            let written = block.filter(|_| !field.is_empty()).map(|block| {
                match block.body.get_attribute(field).map(|a| &a.value) {
                    Some(Expression::String(value)) => Some(value.value().to_string()),
                    Some(_) => None,
                    None => default.map(str::to_string),
                }
            });
            match written.flatten() {
                Some(value) => arn.push_str(&value),
                None => arn.push(PLACEHOLDER),
            }
            rest = &rest[close + 1..];
        }
        arn.push_str(rest);
        Some(arn)
    }

    /// Runs `read` on a block, counting it as `dynamic` content when it is one (`blocks_named`
    /// gives a `dynamic` block's `content`).
    fn within<T>(&self, block: &Block, read: impl FnOnce() -> T) -> T {
        let dynamic = usize::from(block.ident.as_str() == "content");
        self.dynamic.set(self.dynamic.get() + dynamic);
        let out = read();
        self.dynamic.set(self.dynamic.get() - dynamic);
        out
    }

    /// A quoted string or a template (quoted or heredoc) as text mapped back to the file: an
    /// interpolation whose value is known (a variable's, a local's) is that text, at the
    /// interpolation; any other, and each directive, a placeholder.
    fn text_of(&self, expression: &'b Expression, depth: usize) -> Option<Mapped> {
        match expression {
            Expression::String(string) => {
                let span = self.span(string);
                let source = self.text.get(span.range())?;
                Some(Mapped::new(source, string.value(), span.start))
            }
            Expression::StringTemplate(template) => {
                Some(self.template(template, true, self.span(&**template), depth))
            }
            Expression::HeredocTemplate(heredoc) => {
                Some(self.template(&heredoc.template, false, self.span(&**heredoc), depth))
            }
            _ => None,
        }
    }

    fn template(&self, template: &'b Template, escapes: bool, whole: Span, depth: usize) -> Mapped {
        let mut out = Mapped::empty(whole.start);
        for element in template.iter() {
            let span = self.span(element);
            match element {
                Element::Literal(literal) => match self.text.get(span.range()) {
                    Some(source) => out.append(&Mapped::with_escapes(
                        source,
                        literal.value(),
                        span.start,
                        escapes,
                    )),
                    None => out.push_placeholder(span),
                },
                Element::Interpolation(interpolation) => {
                    match self.node(&interpolation.expr, false, depth + 1).value {
                        Value::String(text) => out.push_value(&text, span),
                        Value::Number(text) => out.push_value(text, span),
                        Value::Bool(b) => out.push_value(&b.to_string(), span),
                        _ => out.push_placeholder(span),
                    }
                }
                Element::Directive(_) => out.push_placeholder(span),
            }
        }
        out
    }

    /// An HCL value as the JSON `jsonencode` (or the policy-document data source, `amp`)
    /// renders it, with each value only known later as a placeholder.
    fn node(&self, expression: &'b Expression, amp: bool, depth: usize) -> Node<'b> {
        let span = self.span(expression);
        if depth > MAX_DEPTH {
            return Node::placeholder(span);
        }
        let value = match expression {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(_) => match self.text.get(span.range()) {
                Some(number) if crate::source::parse(number).is_ok() => Value::Number(number),
                _ => return Node::placeholder(span),
            },
            Expression::String(s) => Value::String(literal(s.value(), amp)),
            Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
                match self.text_of(expression, depth) {
                    Some(mapped) => Value::String(literal(&mapped.text, amp)),
                    None => return Node::placeholder(span),
                }
            }
            Expression::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.node(item, amp, depth + 1))
                    .collect(),
            ),
            Expression::Object(object) => Value::Object(
                object
                    .iter()
                    .map(|(key, value)| Member {
                        key: Key {
                            span: self.span(key),
                            name: match key {
                                ObjectKey::Ident(ident) => Cow::Owned(ident.as_str().to_string()),
                                ObjectKey::Expression(Expression::String(s)) => {
                                    literal(s.value(), amp)
                                }
                                ObjectKey::Expression(_) => Cow::Owned(PLACEHOLDER.to_string()),
                            },
                        },
                        value: self.node(value.expr(), amp, depth + 1),
                    })
                    .collect(),
            ),
            Expression::Parenthesis(inner) => return self.node(inner.inner(), amp, depth + 1),
            // The variable's or local's value at the reference, so that findings point where it
            // is used. Only a scalar or a list of them, placed at the reference.
            Expression::Traversal(traversal) => {
                let mut node = match self.resolve(traversal) {
                    Some(Resolved::Expression {
                        file,
                        expression,
                        local,
                    }) => match self.read(file, local, || self.node(expression, amp, depth + 1)) {
                        Some(node) => node,
                        None => return Node::placeholder(span),
                    },
                    Some(Resolved::Literal(value)) => value.node(span, amp),
                    None => match self.arn_of(traversal) {
                        Some(arn) => Node {
                            span,
                            value: Value::String(Cow::Owned(arn)),
                        },
                        None => return Node::placeholder(span),
                    },
                };
                if !self.respan(&mut node, span) {
                    return Node::placeholder(span);
                }
                return node;
            }
            _ => return Node::placeholder(span),
        };
        Node { span, value }
    }

    /// A `data "aws_iam_policy_document"` block as the policy it renders. With
    /// `source_policy_documents` or `override_policy_documents`, the statements they bring are not
    /// known here: nothing is checked rather than part of the policy.
    fn document(&self, block: &'b Block, depth: usize) -> Held<'b> {
        let body = &block.body;
        let remaining = self.budget.get();
        if remaining == 0
            || depth > MAX_MERGE_DEPTH
            || body.get_attribute("source_json").is_some()
            || body.get_attribute("override_json").is_some()
        {
            return Held::Unknown;
        }
        self.budget.set(remaining - 1);
        let span = self.span(block);
        let mut members = Vec::new();
        match body.get_attribute("version") {
            Some(version) => members.push(self.member("Version", version, depth)),
            None => members.push(synthesized("Version", "2012-10-17", span.start)),
        }
        if let Some(id) = body.get_attribute("policy_id") {
            members.push(self.member("Id", id, depth));
        }
        // The provider's order: the source documents' statements, then this block's, then each
        // override document's, a statement replacing an earlier one with the same Sid.
        let mut statements = Vec::new();
        let sources = body.get_attribute("source_policy_documents");
        let overrides = body.get_attribute("override_policy_documents");
        if let Some(sources) = sources {
            if !self.merge_documents(&mut statements, &sources.value, depth) {
                return Held::Unknown;
            }
        }
        let blocks: Vec<&Block> = blocks_named(body, "statement").collect();
        for statement in &blocks {
            let statement = self.within(statement, || self.statement(statement, depth));
            // The provider rejects a Sid repeated among a block's own statements, so one of them
            // replaces only a source document's statement: with no source, a Sid known only
            // later (a `dynamic` block's) replaces nothing.
            if sources.is_none() {
                statements.push(statement);
            } else if !merge_statement(&mut statements, statement) {
                return Held::Unknown;
            }
        }
        if let Some(overrides) = overrides {
            if !self.merge_documents(&mut statements, &overrides.value, depth) {
                return Held::Unknown;
            }
        }
        // The list's key is the first statement keyword (or the merge attribute); the list spans
        // every statement, keywords included, so that one statement and the list never share a
        // span (each statement starts after its keyword).
        let key = blocks
            .first()
            .map(|b| self.span(&b.ident))
            .or_else(|| sources.or(overrides).map(|a| self.span(&a.key)));
        if let Some(key) = key {
            let whole = cover(
                std::iter::once(key)
                    .chain(blocks.iter().map(|b| self.span(*b)))
                    .chain(statements.iter().map(|s| s.span)),
            );
            members.push(Member {
                key: Key {
                    span: key,
                    name: Cow::Borrowed("Statement"),
                },
                value: Node {
                    span: whole,
                    value: Value::Array(statements),
                },
            });
        }
        members.sort_by_key(|m| m.key.span.start);
        Held::Owned(Node {
            span,
            value: Value::Object(members),
        })
    }

    /// Merges the statements of each document of `list` into `statements`, in order; false when
    /// one of them, or a Sid that decides a merge, is not known.
    fn merge_documents(
        &self,
        statements: &mut Vec<Node<'b>>,
        list: &'b Expression,
        depth: usize,
    ) -> bool {
        self.merged_documents(list, depth)
            .into_iter()
            .all(|document| {
                document.is_some_and(|items| {
                    items
                        .into_iter()
                        .all(|item| merge_statement(statements, item))
                })
            })
    }

    /// The statements of each document a merge attribute lists, in whichever file of the module
    /// it is (`None` for one not known here: a variable, a cycle); `[None]` when the list itself
    /// is not known.
    fn merged_documents(&self, list: &'b Expression, depth: usize) -> Vec<Option<Vec<Node<'b>>>> {
        let Expression::Array(items) = list else {
            return vec![None];
        };
        items
            .iter()
            .map(|item| {
                let Expression::Traversal(traversal) = item else {
                    return None;
                };
                let name = document_reference(traversal)?;
                // Not marked as used: it is checked on its own too, so that it is checked even when
                // this merge cannot be.
                let (file, block) = self.document_named(name)?;
                let Held::Owned(document) =
                    self.read(file, None, || self.document(block, depth + 1))?
                else {
                    return None;
                };
                let Value::Object(members) = document.value else {
                    return None;
                };
                Some(
                    members
                        .into_iter()
                        .find(|m| m.key.name == "Statement")
                        .and_then(|m| match m.value.value {
                            Value::Array(items) => Some(items),
                            _ => None,
                        })
                        .unwrap_or_default(),
                )
            })
            .collect()
    }

    fn member(
        &self,
        name: &'static str,
        attribute: &'b hcl_edit::structure::Attribute,
        depth: usize,
    ) -> Member<'b> {
        Member {
            key: Key {
                span: self.span(&attribute.key),
                name: Cow::Borrowed(name),
            },
            value: self.node(&attribute.value, true, depth + 1),
        }
    }

    fn statement(&self, block: &'b Block, depth: usize) -> Node<'b> {
        let span = Span::new(self.span(&block.ident).end, self.span(block).end);
        let mut members = Vec::new();
        for structure in block.body.iter() {
            let Structure::Attribute(attribute) = structure else {
                continue;
            };
            let name = match attribute.key.as_str() {
                "sid" => "Sid",
                "effect" => "Effect",
                "actions" => "Action",
                "not_actions" => "NotAction",
                "resources" => "Resource",
                "not_resources" => "NotResource",
                _ => continue,
            };
            members.push(self.member(name, attribute, depth));
        }
        // The provider leaves out an attribute whose value is null, and a reference may be
        // null (`not_actions = statement.value.not_actions`): of a pair such as `actions` and
        // `not_actions`, a side only known later is dropped when the other is written.
        for (element, other) in [("Action", "NotAction"), ("Resource", "NotResource")] {
            let unknown = |name: &str| {
                members
                    .iter()
                    .find(|m| m.key.name == name)
                    .map(|m| is_placeholder(&m.value))
            };
            let drop = match (unknown(element), unknown(other)) {
                (Some(_), Some(true)) => Some(other),
                (Some(true), Some(false)) => Some(element),
                _ => None,
            };
            if let Some(drop) = drop {
                members.retain(|m| m.key.name != drop);
            }
        }
        if block.body.get_attribute("effect").is_none() {
            members.push(synthesized("Effect", "Allow", span.start));
        }
        for (blocks, name) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let principals: Vec<&Block> = blocks_named(&block.body, blocks).collect();
            if !principals.is_empty() {
                members.push(self.principals(name, &principals, depth));
            }
        }
        let conditions: Vec<&Block> = blocks_named(&block.body, "condition").collect();
        if !conditions.is_empty() {
            members.push(self.conditions(&conditions, depth));
        }
        members.sort_by_key(|m| m.key.span.start);
        Node {
            span,
            value: Value::Object(members),
        }
    }

    /// `principals { type identifiers }` blocks as one `Principal`, identifiers of the same type
    /// merged as the provider merges them; `type = "*"` is the `"*"` principal.
    fn principals(&self, name: &'static str, blocks: &[&'b Block], depth: usize) -> Member<'b> {
        let whole = cover(blocks.iter().map(|b| self.span(*b)));
        let key = Key {
            span: self.span(&blocks[0].ident),
            name: Cow::Borrowed(name),
        };
        let mut by_type: Vec<Member<'b>> = Vec::new();
        for block in blocks {
            let kind = block.body.get_attribute("type");
            let identifiers = block.body.get_attribute("identifiers");
            let (Some(kind), Some(identifiers)) = (kind, identifiers) else {
                continue;
            };
            let Expression::String(type_name) = &kind.value else {
                // A principal type only known later: the whole element is unknown.
                return Member {
                    key,
                    value: Node::placeholder(whole),
                };
            };
            if type_name.value() == "*" {
                // `identifiers = ["*"]` is the provider's way of writing `"Principal": "*"`.
                return Member {
                    key,
                    value: Node {
                        span: self.span(&identifiers.value),
                        value: Value::String(Cow::Borrowed("*")),
                    },
                };
            }
            let values = self.within(block, || self.node(&identifiers.value, true, depth + 1));
            match by_type
                .iter_mut()
                .find(|m| m.key.name == type_name.value().as_str())
            {
                Some(existing) => merge_into(&mut existing.value, values),
                None => by_type.push(Member {
                    key: Key {
                        span: self.span(&kind.value),
                        name: Cow::Owned(type_name.value().to_string()),
                    },
                    value: values,
                }),
            }
        }
        Member {
            key,
            value: Node {
                span: whole,
                value: Value::Object(by_type),
            },
        }
    }

    /// `condition { test variable values }` blocks as one `Condition`, grouped by operator, the
    /// values of a repeated operator and key merged.
    fn conditions(&self, blocks: &[&'b Block], depth: usize) -> Member<'b> {
        let whole = cover(blocks.iter().map(|b| self.span(*b)));
        let key = Key {
            span: self.span(&blocks[0].ident),
            name: Cow::Borrowed("Condition"),
        };
        let mut operators: Vec<Member<'b>> = Vec::new();
        for block in blocks {
            let attribute = |name| block.body.get_attribute(name);
            let (Some(test), Some(variable), Some(values)) = (
                attribute("test"),
                attribute("variable"),
                attribute("values"),
            ) else {
                continue;
            };
            let (Expression::String(test_name), Expression::String(variable_name)) =
                (&test.value, &variable.value)
            else {
                return Member {
                    key,
                    value: Node::placeholder(whole),
                };
            };
            let values = self.within(block, || self.node(&values.value, true, depth + 1));
            let entry = Member {
                key: Key {
                    span: self.span(&variable.value),
                    name: literal(variable_name.value(), true),
                },
                value: values,
            };
            match operators
                .iter_mut()
                .find(|m| m.key.name == test_name.value().as_str())
            {
                Some(operator) => {
                    let Value::Object(keys) = &mut operator.value.value else {
                        continue;
                    };
                    match keys.iter_mut().find(|k| k.key.name == entry.key.name) {
                        Some(existing) => merge_into(&mut existing.value, entry.value),
                        None => keys.push(entry),
                    }
                    operator.value.span = cover([operator.value.span, self.span(*block)]);
                }
                None => operators.push(Member {
                    key: Key {
                        span: self.span(&test.value),
                        name: Cow::Owned(test_name.value().to_string()),
                    },
                    value: Node {
                        span: self.span(*block),
                        value: Value::Object(vec![entry]),
                    },
                }),
            }
        }
        Member {
            key,
            value: Node {
                span: whole,
                value: Value::Object(operators),
            },
        }
    }
}

/// A reference's root variable and attribute names (`aws_kms_key.k[0].arn` → `aws_kms_key`,
/// `[k, arn]`): an index (`count`, `for_each`) is skipped, any other step (a splat) is `None`.
fn attribute_path(traversal: &Traversal) -> Option<(&str, Vec<&str>)> {
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    let names = traversal
        .operators
        .iter()
        .filter_map(|o| match o.value() {
            TraversalOperator::GetAttr(name) => Some(Some(name.as_str())),
            TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_) => None,
            _ => Some(None),
        })
        .collect::<Option<_>>()?;
    Some((root.as_str(), names))
}

/// `data.aws_iam_policy_document.NAME.json` (or `.minified_json`, or `NAME[0]` / `NAME["k"]` for
/// a `count` or `for_each` data source, whose instances all render the same block) → `NAME`.
fn document_reference(traversal: &Traversal) -> Option<&str> {
    let (root, names) = attribute_path(traversal)?;
    match (root, names.as_slice()) {
        ("data", [POLICY_DOCUMENT, name, "json" | "minified_json"]) => Some(name),
        _ => None,
    }
}

/// A string as the policy shows it: the policy-document data source writes `&{...}` for IAM's
/// `${...}`, since `${` is Terraform's own interpolation.
fn literal(text: &str, amp: bool) -> Cow<'static, str> {
    if amp && text.contains("&{") {
        Cow::Owned(text.replace("&{", "${"))
    } else {
        Cow::Owned(text.to_string())
    }
}

/// Adds a statement the way the provider merges documents: it replaces the statement with the
/// same Sid, or comes last. False when a Sid is only known later (which statement it replaces
/// is not known).
fn merge_statement<'b>(statements: &mut Vec<Node<'b>>, statement: Node<'b>) -> bool {
    fn sid<'n>(node: &'n Node) -> Result<Option<&'n str>, ()> {
        match node.get("Sid").map(|m| &m.value) {
            None => Ok(None),
            Some(value) => match value.as_str() {
                Some(text) if !crate::source::has_placeholder(text) => Ok(Some(text)),
                _ => Err(()),
            },
        }
    }
    let Ok(new) = sid(&statement) else {
        return false;
    };
    if let Some(new) = new.filter(|s| !s.is_empty()) {
        for existing in statements.iter_mut() {
            match sid(existing) {
                Err(()) => return false,
                Ok(Some(old)) if old == new => {
                    *existing = statement;
                    return true;
                }
                Ok(_) => {}
            }
        }
    }
    statements.push(statement);
    true
}

/// Whether a value is wholly a placeholder (a reference, a function call...).
fn is_placeholder(node: &Node) -> bool {
    node.as_str()
        .is_some_and(|text| text == PLACEHOLDER.to_string())
}

/// A member the provider adds with its default (`Version`, `Effect`), placed where the block
/// starts: no token of the file writes it.
fn synthesized<'b>(name: &'static str, value: &'static str, at: u32) -> Member<'b> {
    Member {
        key: Key {
            span: Span::empty(at),
            name: Cow::Borrowed(name),
        },
        value: Node {
            span: Span::empty(at),
            value: Value::String(Cow::Borrowed(value)),
        },
    }
}

fn cover(spans: impl IntoIterator<Item = Span>) -> Span {
    spans
        .into_iter()
        .reduce(|a, b| Span::new(a.start.min(b.start), a.end.max(b.end)))
        .unwrap_or_default()
}

/// Appends a second list of values to the first (one principal type or condition key written in
/// two blocks).
fn merge_into<'b>(into: &mut Node<'b>, more: Node<'b>) {
    let items = |node: Node<'b>| match node.value {
        Value::Array(items) => items,
        _ => vec![node],
    };
    let first = std::mem::replace(into, Node::placeholder(Span::default()));
    let span = cover([first.span, more.span]);
    let mut all = items(first);
    all.extend(items(more));
    *into = Node {
        span,
        value: Value::Array(all),
    };
}

/// Locals that refer to each other in a loop (`local.a = local.b`, `local.b = local.a`):
/// Terraform rejects the module. Each cycle is given by the file holding its first local (by
/// name, so that every file of the module agrees which that is), once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The name of the first local, where it is declared in its file.
    pub span: Span,
    /// The locals in reference order, the first one again at the end (`[a, b, a]`).
    pub names: Vec<String>,
}

/// The reference cycles between the locals of a module's members, each with the member that
/// holds its first local, in member then source order.
fn reference_cycles(members: &[Placed]) -> Vec<(usize, Cycle)> {
    struct Local<'b> {
        name: &'b str,
        member: usize,
        span: Span,
        value: &'b Expression,
    }
    let mut locals: Vec<Local> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (member, placed) in members.iter().enumerate() {
        let Some(body) = &placed.file.body else {
            continue;
        };
        for block in body.blocks() {
            if block.ident.as_str() != "locals" || !block.labels.is_empty() {
                continue;
            }
            for attribute in block.body.attributes() {
                let name = attribute.key.as_str();
                // A name declared twice is Terraform's own error; the first is used.
                if !index.contains_key(name) {
                    index.insert(name, locals.len());
                    locals.push(Local {
                        name,
                        member,
                        span: span_of(&attribute.key),
                        value: &attribute.value,
                    });
                }
            }
        }
    }
    let edges: Vec<Vec<usize>> = locals
        .iter()
        .map(|local| {
            let mut named = LocalsNamed(Vec::new());
            hcl_edit::visit::Visit::visit_expr(&mut named, local.value);
            let mut targets: Vec<usize> = named
                .0
                .iter()
                .filter_map(|name| index.get(name.as_str()).copied())
                .collect();
            targets.sort_unstable();
            targets.dedup();
            targets
        })
        .collect();
    let mut cycles = Vec::new();
    for component in strongly_connected(&edges) {
        let looped = component.len() > 1 || edges[component[0]].contains(&component[0]);
        let Some(&first) = component.iter().min_by_key(|&&i| locals[i].name) else {
            continue;
        };
        if !looped {
            continue;
        }
        let path = shortest_loop(&edges, &component, first);
        let cycle = Cycle {
            span: locals[first].span,
            names: path.iter().map(|&i| locals[i].name.to_string()).collect(),
        };
        cycles.push((locals[first].member, cycle));
    }
    cycles.sort_by_key(|(member, cycle)| (*member, cycle.span.start));
    cycles
}

/// The names `local.NAME` refers to anywhere in an expression.
struct LocalsNamed(Vec<String>);

impl hcl_edit::visit::Visit for LocalsNamed {
    fn visit_traversal(&mut self, traversal: &Traversal) {
        if let (Expression::Variable(root), Some(first)) =
            (&traversal.expr, traversal.operators.first())
        {
            if let ("local", TraversalOperator::GetAttr(name)) = (root.as_str(), first.value()) {
                self.0.push(name.as_str().to_string());
            }
        }
        hcl_edit::visit::visit_traversal(self, traversal);
    }
}

/// Tarjan's strongly connected components, without recursion: a chain of a hundred thousand
/// locals must not overflow the stack.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut order, mut low, mut on_stack) = (vec![UNSEEN; n], vec![0; n], vec![false; n]);
    let (mut stack, mut components, mut next) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        // (node, how many of its edges are followed)
        let mut work = vec![(root, 0)];
        order[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, followed)) = work.last() {
            if let Some(&w) = edges[v].get(followed) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if order[w] == UNSEEN {
                    order[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

/// The shortest path from `first` back to itself inside a component (breadth first), `first`
/// at both ends.
fn shortest_loop(edges: &[Vec<usize>], component: &[usize], first: usize) -> Vec<usize> {
    let inside: HashSet<usize> = component.iter().copied().collect();
    let mut came_from: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([first]);
    while let Some(v) = queue.pop_front() {
        for &w in &edges[v] {
            if w == first {
                let mut path = vec![first, v];
                let mut at = v;
                while at != first {
                    at = came_from[&at];
                    path.push(at);
                }
                // Built from the end: `first`, `v`, `v`'s predecessors back to `first`.
                path.reverse();
                return path;
            }
            if inside.contains(&w) && !came_from.contains_key(&w) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    vec![first, first]
}
