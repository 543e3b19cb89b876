//! A strict RFC 8259 parser that accepts exactly what `serde_json` accepts, keeps a span for every
//! key and value and keeps duplicate keys (IAM policies with a repeated `Effect` are a real bug
//! that last-wins parsers hide).

use std::borrow::Cow;

use super::tree::{Key, Member, Node, Value};
use super::Span;

/// Nesting deeper than this is refused, as `serde_json` refuses it, so that 100,000 `[` is a
/// diagnostic and never a stack overflow. `serde_json`'s recursion budget is 128, but it is
/// decremented *before* the check, so the deepest document it accepts nests 127 arrays/objects
/// (verified by `tests/source_conformance.rs`).
pub const MAX_DEPTH: usize = 127;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where the problem is; an empty span when it is a position rather than a token.
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl ParseError {
    pub(super) fn at(offset: usize, message: impl Into<String>) -> Self {
        ParseError {
            span: Span::new(offset as u32, offset as u32),
            message: message.into(),
            help: None,
        }
    }

    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Checks the raw bytes of a file before parsing: a BOM, invalid UTF-8 and NUL bytes get their
/// own clear message instead of a confusing "expected value".
pub fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(ParseError::at(0, "the file starts with a UTF-8 byte order mark")
            .with_help("JSON (RFC 8259) forbids a BOM in policy documents; save the file as UTF-8 without BOM"));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ParseError::at(0, "the file is UTF-16, not UTF-8")
            .with_help("save the file as UTF-8 (PowerShell's `>` writes UTF-16: use `Out-File -Encoding utf8`)"));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ParseError::at(e.valid_up_to(), "the file is not valid UTF-8").with_help(
            "policy documents must be UTF-8 text; is this a binary file or another encoding?",
        )
    })?;
    Ok(text)
}

/// Parses one JSON text.
pub fn parse(text: &str) -> Result<Node<'_>, ParseError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    parser.skip_whitespace();
    if parser.pos == parser.bytes.len() {
        return Err(ParseError::at(parser.pos, "the file is empty; expected a JSON object")
            .with_help("a policy document is an object: {\"Version\": \"2012-10-17\", \"Statement\": [...]}"));
    }
    let node = parser.value()?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.unexpected("trailing characters after the JSON value"));
    }
    Ok(node)
}

/// Characters that print as nothing or as a plain space.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

struct Parser<'s> {
    text: &'s str,
    bytes: &'s [u8],
    pos: usize,
    depth: usize,
}

impl<'s> Parser<'s> {
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// An error naming what was found at the current position.
    fn unexpected(&self, expected: &str) -> ParseError {
        let Some(c) = self.text[self.pos..].chars().next() else {
            return ParseError::at(self.pos, format!("{expected}, found the end of the file"));
        };
        let found = match c {
            '\0' => "a NUL byte".to_string(),
            c if c.is_control() => format!("the control character U+{:04X}", c as u32),
            // Between backticks these would print as nothing or as a plain space.
            c if is_invisible(c) => format!("the invisible character U+{:04X}", c as u32),
            c => format!("`{c}`"),
        };
        let mut error = ParseError::at(self.pos, format!("{expected}, found {found}"));
        error.span.end = (self.pos + c.len_utf8()) as u32;
        if c == '\0' {
            error.help =
                Some("NUL bytes usually mean a UTF-16 or binary file; save it as UTF-8".into());
        } else if c != ' ' && is_invisible(c) {
            error.help = Some(
                "JSON allows only spaces, tabs, line feeds and carriage returns between values"
                    .into(),
            );
        }
        error
    }

    fn value(&mut self) -> Result<Node<'s>, ParseError> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b'\'') => {
                return Err(self
                    .unexpected("expected a JSON value")
                    .with_help("JSON strings use double quotes: \"...\""))
            }
            _ => return Err(self.unexpected("expected a JSON value")),
        };
        Ok(Node {
            span: Span::new(start as u32, self.pos as u32),
            value,
        })
    }

    fn literal(&mut self, word: &str, value: Value<'s>) -> Result<Value<'s>, ParseError> {
        for expected in word.bytes() {
            if self.peek() != Some(expected) {
                return Err(self.unexpected(&format!("expected `{word}`")));
            }
            self.pos += 1;
        }
        Ok(value)
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::at(
                self.pos,
                format!("nesting is deeper than {MAX_DEPTH} levels"),
            )
            .with_help("no IAM policy nests this deep; the file is probably not a policy"));
        }
        Ok(())
    }

    fn array(&mut self) -> Result<Value<'s>, ParseError> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value()?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                    if self.peek() == Some(b']') {
                        return Err(self
                            .unexpected("expected a value after `,`")
                            .with_help("JSON does not allow a trailing comma; remove it"));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.unexpected("expected `,` or `]` after an array element")),
            }
        }
    }

    fn object(&mut self) -> Result<Value<'s>, ParseError> {
        self.enter()?;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                let error = self.unexpected("expected a member name in double quotes");
                return Err(if self.peek() == Some(b'}') {
                    error.with_help("JSON does not allow a trailing comma; remove it")
                } else {
                    error
                });
            }
            let key_start = self.pos;
            let name = self.string()?;
            let key = Key {
                span: Span::new(key_start as u32, self.pos as u32),
                name,
            };
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("expected `:` after a member name"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value()?;
            members.push(Member { key, value });
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Value::Object(members));
                }
                _ => {
                    return Err(self.unexpected("expected `,` or `}` after an object member"));
                }
            }
        }
    }

    fn string(&mut self) -> Result<Cow<'s, str>, ParseError> {
        let open = self.pos;
        self.pos += 1;
        let start = self.pos;
        // The common case: no escape, borrow the text as is.
        loop {
            match self.peek() {
                None => return Err(ParseError::at(open, "this string is never closed")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Borrowed(&self.text[start..self.pos - 1]));
                }
                Some(b'\\') => break,
                Some(b) if b < 0x20 => return Err(self.control_in_string()),
                Some(_) => self.pos += 1,
            }
        }
        let mut owned = String::from(&self.text[start..self.pos]);
        loop {
            match self.peek() {
                None => return Err(ParseError::at(open, "this string is never closed")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(owned));
                }
                Some(b'\\') => {
                    let escape_start = self.pos;
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let c = self.unicode_escape(escape_start)?;
                            owned.push(c);
                            continue;
                        }
                        _ => {
                            return Err(self.unexpected("invalid escape in a string").with_help(
                                "valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
                            ))
                        }
                    };
                    self.pos += 1;
                    owned.push(c);
                }
                Some(b) if b < 0x20 => return Err(self.control_in_string()),
                Some(_) => {
                    let run_start = self.pos;
                    while let Some(b) = self.peek() {
                        if b == b'"' || b == b'\\' || b < 0x20 {
                            break;
                        }
                        self.pos += 1;
                    }
                    owned.push_str(&self.text[run_start..self.pos]);
                }
            }
        }
    }

    fn control_in_string(&self) -> ParseError {
        self.unexpected("a raw control character is not allowed in a string")
            .with_help("write it as an escape, e.g. \\n or \\t or \\u0000")
    }

    /// After `\u`: four hex digits, joined with a following low surrogate when needed.
    fn unicode_escape(&mut self, escape_start: usize) -> Result<char, ParseError> {
        // The error covers the offending escape(s), so the editor underlines `\ud800`.
        let surrogate_error = |end: usize, message: &str| {
            ParseError {
                span: Span::new(escape_start as u32, end as u32),
                message: message.into(),
                help: None,
            }
            .with_help(
                "\\uD800-\\uDBFF must be followed by \\uDC00-\\uDFFF (a UTF-16 surrogate pair); \
                 or write the character itself",
            )
        };
        let high = self.hex4()?;
        let code = match high {
            0xDC00..=0xDFFF => {
                return Err(surrogate_error(
                    self.pos,
                    "a lone low surrogate in a \\u escape",
                ))
            }
            0xD800..=0xDBFF => {
                let lone_high =
                    "a high surrogate in a \\u escape must be followed by a low surrogate";
                if !self.text[self.pos..].starts_with("\\u") {
                    return Err(surrogate_error(self.pos, lone_high));
                }
                self.pos += 2;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(surrogate_error(self.pos, lone_high));
                }
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            other => other,
        };
        Ok(char::from_u32(code).expect("surrogates were handled above"))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.unexpected("expected four hex digits after \\u")),
            };
            value = value * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(value)
    }

    fn number(&mut self) -> Result<Value<'s>, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.unexpected("a number must not have a leading zero"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("expected a digit after the decimal point"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("expected a digit in the exponent"));
            }
            self.digits();
        }
        let text = &self.text[start..self.pos];
        // serde_json refuses numbers that overflow a double; so do we, to accept the same inputs.
        // Its (non-`float_roundtrip`) float parsing is not correctly rounded near `f64::MAX`: it
        // refuses `1.7976931348623158e308`, which `str::parse::<f64>` accepts. Asking serde_json
        // itself about the (already validated) number text is the only way to agree exactly.
        if text.parse::<serde_json::Number>().is_err() {
            return Err(ParseError {
                span: Span::new(start as u32, self.pos as u32),
                message: "this number is out of range".into(),
                help: Some("numbers must fit in a 64-bit float (up to about 1.7e308)".into()),
            });
        }
        Ok(Value::Number(text))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> ParseError {
        parse(text).expect_err(text)
    }

    #[test]
    fn invisible_characters_are_named_by_code_point() {
        let e = error("{\"a\":\u{a0}1}");
        assert_eq!(e.span, Span::new(5, 7));
        assert_eq!(
            e.message,
            "expected a JSON value, found the invisible character U+00A0"
        );
        assert!(e.help.unwrap().contains("only spaces, tabs"));
        let e = error("[1,\u{b}2]");
        assert_eq!(
            e.message,
            "expected a JSON value, found the control character U+000B"
        );
        assert!(e.help.is_some());
        let e = error("[\u{200b}]");
        assert!(
            e.message.ends_with("the invisible character U+200B"),
            "{e:?}"
        );
    }

    #[test]
    fn nul_bytes_hint_at_utf16() {
        let e = error("{\0\"\0a\0\"\0:\0\x31\0}\0");
        assert_eq!(e.span, Span::new(1, 2));
        assert!(e.message.ends_with("found a NUL byte"), "{e:?}");
        assert!(e.help.unwrap().contains("UTF-16"));
    }

    #[test]
    fn surrogate_errors_cover_the_escapes() {
        let e = error(r#"["x\ud800y"]"#);
        assert_eq!(e.span, Span::new(3, 9));
        let e = error(r#"["\udc00"]"#);
        assert_eq!(e.span, Span::new(2, 8));
        assert!(e.message.contains("lone low surrogate"));
        let e = error(r#"["\ud800\u0041"]"#);
        assert_eq!(e.span, Span::new(2, 14));
        assert!(e.help.unwrap().contains("surrogate pair"));
    }

    #[test]
    fn out_of_range_numbers_cover_the_number() {
        let e = error("[1e400]");
        assert_eq!(e.span, Span::new(1, 6));
        assert_eq!(e.message, "this number is out of range");
        assert!(e.help.is_some());
    }
}
