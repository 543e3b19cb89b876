use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan,
    MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::{Locator, Report, Style};
use crate::rules::{Diagnostic, Severity};
use crate::source::{FileId, LineIndex, Span};

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
    // Lines break at spaces only: an ARN, a condition key or a rule name is never cut, not where
    // Unicode's rules allow (after `-` or `/`) nor when longer than a line, so it can be copied
    // whole; and the Unicode line-break search was a twentieth of checking one template.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false);
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
struct Human<'a> {
    title: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Source<'a>,
    labels: Vec<LabeledSpan>,
    related: Vec<Human<'a>>,
}

impl<'a> Human<'a> {
    fn new(d: &Diagnostic, locator: &'a Locator<'a>) -> Self {
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            primary_label(d),
            d.span.range(),
        )];
        let mut related = Vec::new();
        let own = Source::new(locator, d.file);
        for r in &d.related {
            if r.file == d.file && !own.far_apart(d.span, r.span) {
                labels.push(LabeledSpan::new_with_span(
                    Some(r.message.clone()),
                    r.span.range(),
                ));
            } else {
                related.push(Human {
                    title: r.message.clone(),
                    code: String::new(),
                    severity: miette::Severity::Advice,
                    help: None,
                    source: Source::new(locator, r.file),
                    labels: vec![LabeledSpan::new_primary_with_span(None, r.span.range())],
                    related: Vec::new(),
                });
            }
        }
        Human {
            title: super::headline(d),
            code: format!("{} {}", d.rule.code, d.rule.name),
            severity: match d.severity {
                Severity::Error | Severity::Security => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Suggestion => miette::Severity::Advice,
            },
            help: d.help.clone(),
            source: Source::new(locator, d.file),
            labels,
            related,
        }
    }
}

fn primary_label(d: &Diagnostic) -> Option<String> {
    (d.severity == Severity::Security).then(|| "security".to_string())
}

impl fmt::Debug for Human<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Display for Human<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for Human<'_> {}

impl MietteDiagnostic for Human<'_> {
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

/// A file's text as miette reads it, borrowed rather than copied per finding, and cut to the
/// lines around the span before miette scans it: miette scans from the start of the text, so a
/// copy and a scan per finding made many findings in a large file quadratic.
struct Source<'a> {
    name: &'a str,
    text: &'a str,
    index: &'a LineIndex,
}

impl<'a> Source<'a> {
    fn new(locator: &'a Locator<'a>, file: FileId) -> Self {
        let files = locator.files();
        Source {
            name: &files.get(file).path,
            text: &files.get(file).text,
            index: locator.line_index(file),
        }
    }
}

/// A line longer than this is shown cut to the span and [`MARGIN`] bytes on each side: a
/// minified policy is one line, and showing it whole for each finding is quadratic output.
const LONG_LINE: usize = 1024;
const MARGIN: usize = 160;

impl Source<'_> {
    fn line_end(&self, line: usize) -> usize {
        self.index
            .line_start(line + 1)
            .map_or(self.text.len(), |s| s as usize)
    }

    fn is_long(&self, line: usize) -> bool {
        let start = self.index.line_start(line).unwrap_or(0) as usize;
        self.line_end(line) - start > LONG_LINE
    }

    /// Whether two spans are far apart on one long line, so that one snippet holding both
    /// would show the whole stretch between them.
    fn far_apart(&self, a: Span, b: Span) -> bool {
        let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
        let line = self.index.line_of(first.start);
        line == self.index.line_of(second.end)
            && self.is_long(line)
            && second.start.saturating_sub(first.end) as usize > 2 * MARGIN
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

impl SourceCode for Source<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let (start_line, end_line) = (
            self.index.line_of(start as u32),
            self.index.line_of(end as u32),
        );
        let (first, from, to) = if self.is_long(start_line) || self.is_long(end_line) {
            // Cut long lines around the span; no context lines.
            let line_start = self.index.line_start(start_line).unwrap_or(0) as usize;
            let from = floor_boundary(self.text, start.saturating_sub(MARGIN).max(line_start));
            let line_end = self.line_end(end_line);
            let to = ceil_boundary(self.text, (end + MARGIN).min(line_end));
            (start_line, from, to)
        } else {
            // Whole lines, one more on each side than asked: miette also breaks lines at a lone
            // `\r`, so its lines are never longer than ours and the window holds all it needs.
            let first = start_line.saturating_sub(before + 1);
            let from = self.index.line_start(first).unwrap_or(0) as usize;
            let to = self
                .index
                .line_start(end_line + after + 2)
                .map_or(self.text.len(), |s| s as usize);
            (first, from, to)
        };
        let window = &self.text[from..to];
        let local = SourceSpan::new((start - from).into(), span.len());
        let contents = window.read_span(&local, before, after)?;
        // miette's own line number of the window's first line counts lone `\r` breaks too.
        let first_line = first + self.index.lone_carriage_returns_before(from as u32);
        // A window cut inside a line: columns count from the line's real start.
        let line_start = self.index.line_start(first).unwrap_or(0) as usize;
        let column = if contents.line() == 0 {
            contents.column() + (from - line_start)
        } else {
            contents.column()
        };
        let data = contents.data();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            data,
            SourceSpan::new(
                (contents.span().offset() + from).into(),
                contents.span().len(),
            ),
            contents.line() + first_line,
            column,
            // The lines shown, not the lines scanned from the window's start, so that miette
            // merges two labels' snippets only when they really meet.
            data.iter().filter(|&&b| b == b'\n').count(),
        )))
    }
}
