use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan,
    NamedSource,
};

use super::{Locator, Report, Style};
use crate::rules::{Diagnostic, Severity};

/// miette's graphical output: the source line, the exact value underlined, the help below.
pub fn write(
    report: &Report,
    locator: &Locator,
    style: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100);
    for d in report.diagnostics {
        let mut rendered = String::new();
        handler
            .render_report(&mut rendered, &Human::new(d, locator))
            .map_err(|e| io::Error::other(e.to_string()))?;
        out.write_all(rendered.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// One finding, or one of its related places in another file, as miette wants it.
struct Human {
    title: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    related: Vec<Human>,
}

impl Human {
    fn new(d: &Diagnostic, locator: &Locator) -> Self {
        let file = locator.files().get(d.file);
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            primary_label(d),
            d.span.range(),
        )];
        let mut related = Vec::new();
        for r in &d.related {
            if r.file == d.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(r.message.clone()),
                    r.span.range(),
                ));
            } else {
                let other = locator.files().get(r.file);
                related.push(Human {
                    title: r.message.clone(),
                    code: String::new(),
                    severity: miette::Severity::Advice,
                    help: None,
                    source: NamedSource::new(&other.path, other.text.clone()),
                    labels: vec![LabeledSpan::new_primary_with_span(None, r.span.range())],
                    related: Vec::new(),
                });
            }
        }
        let scenario = d
            .scenario
            .as_ref()
            .map(|s| format!(" [scenario {s}]"))
            .unwrap_or_default();
        Human {
            title: format!("{}{scenario}", d.message),
            code: format!("{} {}", d.rule.code, d.rule.name),
            severity: match d.severity {
                Severity::Error | Severity::Security => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Suggestion => miette::Severity::Advice,
            },
            help: d.help.clone(),
            source: NamedSource::new(&file.path, file.text.clone()),
            labels,
            related,
        }
    }
}

fn primary_label(d: &Diagnostic) -> Option<String> {
    (d.severity == Severity::Security).then(|| "security".to_string())
}

impl fmt::Debug for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Display for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for Human {}

impl MietteDiagnostic for Human {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn MietteDiagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn MietteDiagnostic),
        ))
    }
}
