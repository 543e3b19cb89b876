/// A byte range in a file as read. `u32` keeps spans small; inputs are capped well below 4 GiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    pub const fn empty(at: u32) -> Self {
        Span { start: at, end: at }
    }

    pub const fn len(self) -> u32 {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub const fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A 1-based line and column; columns count Unicode scalar values, as the contract says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Line starts of one file, so that offsets turn into line/column without rescanning the text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// `chars_at[k]`: characters that start before byte `k * STRIDE`. Counting from the nearest
    /// mark bounds the cost of a column by `STRIDE`, where counting from the line start cost the
    /// line's length: quadratic for many findings in a minified (one-line) policy.
    chars_at: Vec<u32>,
    /// Offsets of `\r` not followed by `\n`, which some renderers (miette) count as line breaks.
    lone_carriage_returns: Vec<u32>,
}

const STRIDE: usize = 256;

/// Characters starting in `bytes`; a character cut off at the end counts as reached.
fn chars_in(bytes: &[u8]) -> usize {
    // A sum of 0/1 rather than filter().count(): the compiler vectorises it.
    bytes.iter().map(|&b| usize::from(b & 0xC0 != 0x80)).sum()
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let line_starts = [0]
            .into_iter()
            .chain(memchr::memchr_iter(b'\n', bytes).map(|i| i as u32 + 1))
            .collect();
        let chars_at = [0]
            .into_iter()
            .chain(bytes.chunks(STRIDE).scan(0, |total, chunk| {
                *total += chars_in(chunk) as u32;
                Some(*total)
            }))
            .collect();
        let lone_carriage_returns = memchr::memchr_iter(b'\r', bytes)
            .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
            .map(|i| i as u32)
            .collect();
        LineIndex {
            line_starts,
            chars_at,
            lone_carriage_returns,
        }
    }

    /// How many lone `\r` come before byte `offset`.
    pub fn lone_carriage_returns_before(&self, offset: u32) -> usize {
        self.lone_carriage_returns
            .partition_point(|&at| at < offset)
    }

    /// Characters starting before byte `offset`, in O(STRIDE).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let mark = offset / STRIDE;
        self.chars_at[mark] as usize + chars_in(&text.as_bytes()[mark * STRIDE..offset])
    }

    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: u32) -> usize {
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// The byte offset where a 0-based line starts; `None` past the last line.
    pub fn line_start(&self, line: usize) -> Option<u32> {
        self.line_starts.get(line).copied()
    }

    /// Line and column of a byte offset. An offset inside a multi-byte character counts that
    /// character as reached.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).min(text.len());
        let column = self.chars_before(text, end) - self.chars_before(text, start.min(end));
        LineCol {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// Column in UTF-16 code units (0-based), as LSP counts them.
    pub fn utf16_position(&self, text: &str, offset: u32) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).min(text.len());
        // Like `line_col`, an offset inside a multi-byte character counts that character as
        // reached (it used to fall back to column 0, i.e. jump to the start of the line).
        let mut column = 0;
        for (i, c) in text[start..].char_indices() {
            if start + i >= end {
                break;
            }
            column += c.len_utf16();
        }
        (line as u32, column as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_scalar_values() {
        let text = "{\n  \"é\": 1\n}";
        let index = LineIndex::new(text);
        let one = text.find('1').unwrap() as u32;
        // `  "é": ` is 7 scalar values (8 bytes), so `1` is in column 8.
        assert_eq!(index.line_col(text, one), LineCol { line: 2, column: 8 });
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        let end = text.len() as u32;
        assert_eq!(index.line_col(text, end), LineCol { line: 3, column: 2 });
    }

    #[test]
    fn utf16_counts_surrogate_pairs() {
        let text = "\"😀\": 1";
        let index = LineIndex::new(text);
        let colon = text.find(':').unwrap() as u32;
        assert_eq!(index.utf16_position(text, colon), (0, 4));
    }

    #[test]
    fn offsets_inside_a_character_count_it_as_reached() {
        let text = "[\n\"é😀\"]";
        let index = LineIndex::new(text);
        let e = text.find('é').unwrap() as u32;
        let emoji = text.find('😀').unwrap() as u32;
        // Inside `é` (2 bytes) and inside `😀` (4 bytes, 2 UTF-16 units).
        assert_eq!(index.line_col(text, e + 1), LineCol { line: 2, column: 3 });
        assert_eq!(index.utf16_position(text, e + 1), (1, 2));
        assert_eq!(
            index.line_col(text, emoji + 2),
            LineCol { line: 2, column: 4 }
        );
        assert_eq!(index.utf16_position(text, emoji + 2), (1, 4));
        assert_eq!(index.utf16_position(text, emoji + 4), (1, 4));
    }

    #[test]
    fn columns_from_marks_agree_with_counting_from_the_line_start() {
        // Lines longer than the mark stride, with multi-byte characters straddling the marks.
        let text = format!("{}\n{}é😀x\n", "aé😀".repeat(300), "b".repeat(700));
        let index = LineIndex::new(&text);
        for offset in 0..=text.len() as u32 {
            let line = index.line_of(offset);
            let start = index.line_start(line).unwrap() as usize;
            let naive = String::from_utf8_lossy(&text.as_bytes()[start..offset as usize])
                .chars()
                .count() as u32;
            let at = index.line_col(&text, offset);
            assert_eq!(
                (at.line, at.column),
                (line as u32 + 1, naive + 1),
                "{offset}"
            );
        }
    }

    #[test]
    fn crlf_lines() {
        let text = "{\r\n  \"a\": 1\r\n}\r\n";
        let index = LineIndex::new(text);
        let close = text.find('}').unwrap() as u32;
        assert_eq!(index.line_col(text, close), LineCol { line: 3, column: 1 });
        assert_eq!(index.utf16_position(text, close), (2, 0));
        // The CR belongs to the line it ends.
        assert_eq!(index.line_col(text, 1), LineCol { line: 1, column: 2 });
        let end = text.len() as u32;
        assert_eq!(index.line_col(text, end), LineCol { line: 4, column: 1 });
    }
}
