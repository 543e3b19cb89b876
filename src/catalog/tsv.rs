//! The small tab-separated tables compiled into the binary (catalog lag, retired names, the
//! security rules' action lists), read one way.

/// The rows of an embedded tab-separated table, each as an iterator over its fields; blank
/// lines and `#` comment lines are skipped.
pub(crate) fn tsv_rows(text: &'static str) -> impl Iterator<Item = std::str::Split<'static, char>> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t'))
}
