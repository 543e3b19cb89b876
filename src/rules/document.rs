use crate::policy::{Kind, KindOrigin, Policy, Problem, Statement};
use crate::source::{FileId, Node, ParseError, Span, Syntax};
use std::cell::OnceCell;

use super::{Diagnostic, Rule, RuleMeta};

/// Everything a rule may read about one document.
pub struct Document<'a> {
    pub file: FileId,
    /// The whole file's text: for a policy inside a template, the template's.
    pub text: &'a str,
    /// How the text was read; `parsed` errors are in this syntax.
    pub syntax: Syntax,
    /// For a policy inside a template, the span of the property that holds it: rules that
    /// measure or rewrite the whole file must not do so for a template.
    pub embedded: Option<Span>,
    /// Set when the input is over the size limit; nothing else is then read.
    pub too_large: Option<TooLarge>,
    pub parsed: Result<&'a Node<'a>, &'a ParseError>,
    pub policy: Option<&'a Policy<'a>>,
    pub problems: &'a [Problem<'a>],
    /// Whether it looks like a policy at all; the rules other than `not-a-policy` run only
    /// on one that does.
    pub shape: crate::policy::discover::Shape,
    pub kind: Kind,
    pub kind_origin: KindOrigin,
    /// Catalog lookups several rules make for the same entries, done once per document.
    pub(crate) resolved: Resolved<'a>,
}

/// The catalog's reading of every action entry and every condition key, by the entry's start
/// offset, each computed on first use (see `actions::resolution`, `conditions::key_info`).
#[derive(Default)]
pub(crate) struct Resolved<'a> {
    pub(crate) actions: OnceCell<Vec<(u32, super::actions::Resolution<'a>)>>,
    pub(crate) condition_keys: OnceCell<Vec<(u32, Option<crate::catalog::KeyInfo>)>>,
}

#[derive(Debug, Clone, Copy)]
pub struct TooLarge {
    pub size: u64,
    pub limit: u64,
}

impl<'a> Document<'a> {
    pub fn statements(&self) -> &'a [Statement<'a>] {
        self.policy.map_or(&[], |p| &p.statements)
    }

    /// For rules that depend on the document's kind: how the kind was decided, when it was a
    /// guess, and how to declare the kinds that look the same (an SCP reads like an identity
    /// policy, an endpoint policy like a resource policy).
    pub fn kind_note(&self) -> Option<String> {
        if self.kind_origin != KindOrigin::Inferred {
            return None;
        }
        let alike: &[Kind] = match self.kind {
            Kind::Identity => &[Kind::Scp, Kind::Boundary, Kind::Session],
            // Statements that deny role assumption to everyone read like a trust policy.
            Kind::Trust => &[Kind::Rcp],
            Kind::Resource => &[Kind::Endpoint, Kind::Rcp],
            Kind::Rcp => &[Kind::Resource, Kind::Endpoint],
            _ => &[],
        };
        let described = format!(
            "this file was taken to be {} from its statements",
            self.kind.describe()
        );
        Some(if alike.is_empty() {
            format!("{described}; if that is wrong, declare its kind with `--kind` or a `[[files]]` entry in iamlint.toml")
        } else {
            let names: Vec<&str> = alike.iter().map(|k| k.short_name()).collect();
            let flags: Vec<&str> = alike.iter().map(|k| k.as_str()).collect();
            format!(
                "{described}; if it is {}, declare its kind (`--kind {}`, or a `[[files]]` entry in iamlint.toml)",
                or_list(&names),
                flags.join("|")
            )
        })
    }

    /// The help text with the kind note appended when the kind was inferred.
    pub fn with_kind_note(&self, help: impl Into<String>) -> String {
        let help = help.into();
        match self.kind_note() {
            Some(note) => format!("{help}; {note}"),
            None => help,
        }
    }

    /// Where a finding about the whole document points: its first character.
    pub fn start(&self) -> Span {
        Span::empty(self.embedded.map_or(0, |span| span.start))
    }
}

/// `a, b or c`.
fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Collects the diagnostics of one rule run over one document.
pub struct Findings {
    file: FileId,
    rule: &'static RuleMeta,
    diagnostics: Vec<Diagnostic>,
}

impl Findings {
    pub fn new(file: FileId) -> Self {
        static NONE: RuleMeta = RuleMeta {
            code: "",
            name: "",
            severity: super::Severity::Error,
            summary: "",
            doc: "",
            pack: None,
        };
        Findings {
            file,
            rule: &NONE,
            diagnostics: Vec::new(),
        }
    }

    pub fn run(&mut self, rule: &'static Rule, document: &Document) {
        self.rule = &rule.meta;
        (rule.check)(document, self);
    }

    /// A new diagnostic of the running rule, to be passed to [`Findings::emit`].
    pub fn at(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.rule, self.file, span, message)
    }

    pub fn file(&self) -> FileId {
        self.file
    }

    pub fn emit(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}
