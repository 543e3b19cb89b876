use super::{Document, Findings, Severity};

/// What `rules`, `explain`, SARIF's rule list and every diagnostic know about a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable, never reused (`IAM010`, `CWLI001`).
    pub code: &'static str,
    /// Stable kebab-case name.
    pub name: &'static str,
    pub severity: Severity,
    /// One line, for `iamlint rules`.
    pub summary: &'static str,
    /// Markdown with the sections "What it does", "Why is this bad?", "Example" and "Fix".
    pub doc: &'static str,
    /// The rule pack it comes from; `None` for built-in rules.
    pub pack: Option<&'static str>,
}

/// A built-in rule: its metadata and the check it runs on each document.
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&Document, &mut Findings),
}
