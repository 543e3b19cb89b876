use crate::policy::discover::{self, Shape};
use crate::policy::{self, Kind, KindOrigin};
use crate::source::{self, FileId};

use super::{Diagnostic, Document, Findings, Rule, TooLarge};

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
    /// is not a policy gets one `not-a-policy` finding.
    Named,
    /// Met by a directory walk or a glob: skipped when it is not a policy.
    Walked,
}

/// What checking one input found.
#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    /// The kind the document was checked as, and where it came from; `None` when it is not a
    /// policy (or could not be read as one).
    pub kind: Option<(Kind, KindOrigin)>,
    /// Set when a walked input was skipped: why it is not taken for a policy.
    pub skipped: Option<&'static str>,
}

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

/// Parses, models and lints one input. Diagnostics come back sorted as the contract orders them.
pub fn check_document(file: FileId, bytes: &[u8], options: &CheckOptions) -> Vec<Diagnostic> {
    check(file, bytes, options, Discovery::Named).diagnostics
}

/// [`check_document`], for an input that may not be a policy at all.
pub fn check(file: FileId, bytes: &[u8], options: &CheckOptions, discovery: Discovery) -> Outcome {
    if bytes.len() as u64 > options.max_file_size {
        return Outcome {
            diagnostics: check_oversized(file, bytes.len() as u64, options),
            kind: options.kind,
            skipped: None,
        };
    }
    let (text, parsed) = match source::decode(bytes) {
        Ok(text) => (text, source::parse(text)),
        Err(error) => ("", Err(error)),
    };
    let shape = match &parsed {
        Ok(root) => discover::shape(root),
        Err(_) => discover::shape_of_text(text),
    };
    // A document a scenario binds is a policy whatever it looks like.
    let declared = options
        .kind
        .is_some_and(|(_, origin)| origin == KindOrigin::Scenario);
    if let (Discovery::Walked, Shape::Other(reason), false) = (discovery, shape, declared) {
        return Outcome {
            diagnostics: Vec::new(),
            kind: None,
            skipped: Some(reason),
        };
    }
    let (model, problems) = match &parsed {
        Ok(root) => policy::build(root),
        Err(_) => (None, Vec::new()),
    };
    let (kind, kind_origin) = options.kind.unwrap_or_else(|| {
        (
            model.as_ref().map_or(Kind::Identity, |m| {
                policy::infer_kind_given(m, &crate::catalog::rcp_supported)
            }),
            KindOrigin::Inferred,
        )
    });
    let document = Document {
        file,
        text,
        too_large: None,
        parsed: match &parsed {
            Ok(root) => Ok(root),
            Err(error) => Err(error),
        },
        policy: model.as_ref(),
        problems: &problems,
        shape,
        kind,
        kind_origin,
        resolved: Default::default(),
    };
    let mut findings = Findings::new(file);
    // A document that is not a policy gets one finding that says so, not one per missing
    // element; invalid JSON gets its own single finding, as nothing else can read it.
    let is_policy = shape == Shape::Policy || parsed.is_err();
    for rule in options.rules {
        if is_policy || rule.meta.name == "not-a-policy" {
            findings.run(rule, &document);
        }
    }
    let mut diagnostics = findings.into_diagnostics();
    // A placeholder value is reported once, as such; nothing else can be said about it.
    let placeholders = crate::rules::structural::placeholder_value::sites(&document);
    if !placeholders.is_empty() {
        diagnostics.retain(|d| {
            d.rule.name == "placeholder-value"
                || !placeholders.iter().any(|(span, ..)| span.contains(d.span))
        });
    }
    if let Ok(root) = &parsed {
        let statements = document.statements();
        for diagnostic in &mut diagnostics {
            diagnostic.pointer = root.pointer_to(diagnostic.span);
            // Statements are disjoint and in source order, so the only one that can contain the
            // span is the last one starting at or before it: a binary search, where a linear
            // search made many findings in a large policy quadratic.
            let at = statements.partition_point(|s| s.span.start <= diagnostic.span.start);
            diagnostic.sid = at
                .checked_sub(1)
                .map(|i| &statements[i])
                .filter(|s| s.span.contains(diagnostic.span))
                .and_then(|s| s.sid)
                .map(|sid| sid.value.to_string());
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Outcome {
        diagnostics,
        kind: (shape == Shape::Policy && parsed.is_ok()).then_some((kind, kind_origin)),
        skipped: None,
    }
}
