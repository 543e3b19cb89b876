use serde::Serialize;

use crate::source::{FileId, Span};

use super::RuleMeta;

/// The four severities, lowest first, mirroring IAM Access Analyzer's finding types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Suggestion,
    Warning,
    Security,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::Security,
        Severity::Warning,
        Severity::Suggestion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Suggestion => "suggestion",
            Severity::Warning => "warning",
            Severity::Security => "security",
            Severity::Error => "error",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Severity::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// A secondary place a finding refers to, possibly in another file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

/// A text replacement; a fix is a set of them applied together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub file: FileId,
    pub span: Span,
    pub pointer: Option<String>,
    /// For a policy inside a template: `Resources.Role.Properties.Policies[0].PolicyDocument...`.
    pub logical_path: Option<String>,
    /// For a resource a CDK app made: its construct path (`aws:cdk:path`), which is what the user
    /// wrote, where the logical id is a hash.
    pub construct_path: Option<String>,
    pub sid: Option<String>,
    pub help: Option<String>,
    pub related: Vec<Related>,
    pub scenario: Option<String>,
    pub fix: Option<Fix>,
    /// False when the finding rests on values the engine could not pin (a pack's "cannot be
    /// proven" or "may deny"): true of some readings, not of all.
    pub certain: bool,
}

impl Diagnostic {
    pub fn new(
        rule: &'static RuleMeta,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            message: message.into(),
            file,
            span,
            pointer: None,
            logical_path: None,
            construct_path: None,
            sid: None,
            help: None,
            related: Vec::new(),
            scenario: None,
            fix: None,
            certain: true,
        }
    }

    /// Marks a finding that holds only for some values of what the engine could not pin.
    pub fn uncertain(mut self) -> Self {
        self.certain = false;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn fix(mut self, description: impl Into<String>, edits: Vec<Edit>) -> Self {
        self.fix = Some(Fix {
            description: description.into(),
            edits,
        });
        self
    }

    /// The order of the contract: file, then offset, then code (the file order is the caller's).
    pub fn sort_key(&self) -> (FileId, u32, &'static str, u32) {
        (self.file, self.span.start, self.rule.code, self.span.end)
    }
}
