//! Stage 1: bytes → strict JSON syntax tree with a span on every key and value.

mod file;
mod parse;
mod span;
pub mod tree;
mod yaml;

pub use file::{FileId, Files, SourceFile};
pub use parse::{decode, parse, ParseError, MAX_DEPTH};
pub use span::{LineCol, LineIndex, Span};
pub use tree::{JsonType, Key, Member, Node, Value};
pub use yaml::{intrinsic_name, parse_yaml, ALIAS_BUDGET};

/// Decodes and parses one file's bytes.
pub fn parse_bytes(bytes: &[u8]) -> Result<Node<'_>, ParseError> {
    parse(decode(bytes)?)
}
