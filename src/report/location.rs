use std::sync::OnceLock;

use serde::Serialize;

use crate::source::{FileId, Files, LineIndex, Span};

/// A span as every format shows it: byte offset and length, 1-based start and end line/column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    pub offset: u32,
    pub length: u32,
    pub start: Position,
    pub end: Position,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// Turns spans into locations, indexing each file's lines once and only when asked.
pub struct Locator<'f> {
    files: &'f Files,
    indexes: Vec<OnceLock<LineIndex>>,
}

impl<'f> Locator<'f> {
    pub fn new(files: &'f Files) -> Self {
        Locator {
            files,
            indexes: (0..files.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    pub fn files(&self) -> &'f Files {
        self.files
    }

    /// The file's line index, built on first use.
    pub fn line_index(&self, file: FileId) -> &LineIndex {
        let text = &self.files.get(file).text;
        self.indexes[file.0 as usize].get_or_init(|| LineIndex::new(text))
    }

    pub fn locate(&self, file: FileId, span: Span) -> Location {
        let text = &self.files.get(file).text;
        let index = self.line_index(file);
        let start = index.line_col(text, span.start);
        let end = index.line_col(text, span.end);
        Location {
            offset: span.start,
            length: span.len(),
            start: Position {
                line: start.line,
                column: start.column,
            },
            end: Position {
                line: end.line,
                column: end.column,
            },
        }
    }

    pub fn path(&self, file: FileId) -> &'f str {
        &self.files.get(file).path
    }
}
