use std::io::{self, Write};

use super::{Locator, Report};
use crate::rules::Severity;

/// GitHub Actions workflow commands, one per finding, so findings show as annotations on the PR.
pub fn write(report: &Report, locator: &Locator, out: &mut dyn Write) -> io::Result<()> {
    for d in report.diagnostics {
        let at = locator.locate(d.file, d.span);
        let command = match d.severity {
            Severity::Error | Severity::Security => "error",
            Severity::Warning => "warning",
            Severity::Suggestion => "notice",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(locator.path(d.file)),
            at.start.line,
            at.start.column,
            at.end.line,
            at.end.column,
            property(&format!("{} {}", d.rule.code, d.rule.name)),
            data(&super::headline_with_help(d))
        )?;
    }
    Ok(())
}

/// The escaping GitHub's runner applies to a command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property values additionally escape the characters that separate properties.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_as_github_requires() {
        assert_eq!(super::data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
    }
}
