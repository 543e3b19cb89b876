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

impl RuleMeta {
    /// The documentation as `iamlint explain` prints it; SARIF's `help` carries the same text.
    pub fn explain(&self) -> String {
        let pack = self.pack.map(|p| format!(", pack {p}")).unwrap_or_default();
        format!(
            "# {} {} ({}{pack})\n\n{}\n\n{}",
            self.code,
            self.name,
            self.severity.as_str(),
            self.summary,
            self.doc
        )
    }

    /// The doc's "What it does" section, without its heading: a paragraph-long description.
    pub fn description(&self) -> &'static str {
        let doc = self.doc;
        let Some(start) = doc.find("## What it does") else {
            return self.summary;
        };
        let body = &doc[start + "## What it does".len()..];
        let end = body.find("\n## ").unwrap_or(body.len());
        let text = body[..end].trim();
        if text.is_empty() {
            self.summary
        } else {
            text
        }
    }
}

/// A built-in rule: its metadata and the check it runs on each document.
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&Document, &mut Findings),
}
