use std::io::{self, Write};

use super::{Locator, Report};

/// `FILE:LINE:COL: SEVERITY[CODE] MESSAGE (NAME)`, one line each, for problem matchers.
pub fn write(report: &Report, locator: &Locator, out: &mut dyn Write) -> io::Result<()> {
    for d in report.diagnostics {
        let at = locator.locate(d.file, d.span);
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {} ({})",
            locator.path(d.file),
            at.start.line,
            at.start.column,
            d.severity.as_str(),
            d.rule.code,
            one_line(&super::headline(d)),
            d.rule.name
        )?;
    }
    Ok(())
}

/// Messages may quote values with newlines; a line format must stay one line.
pub(super) fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(['\n', '\r']) {
        text.replace(['\n', '\r'], " ").into()
    } else {
        text.into()
    }
}
