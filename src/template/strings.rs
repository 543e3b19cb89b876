//! Policies written as strings: the decoded text (JSON inside a YAML or JSON string, maybe a
//! `Fn::Sub`) with a map from each of its bytes back to the template, so that a finding inside
//! the policy points at the exact characters of the template.

use crate::source::{Node, ParseError, Span, Value, PLACEHOLDER};

/// Decoded text and, for each of its bytes, the template bytes it was read from.
#[derive(Debug, Clone)]
pub struct Mapped {
    pub text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
    /// Where the string's content ends in the template: empty spans at the end map here.
    end: u32,
}

impl Mapped {
    /// Maps a string value back to its source. `source` is the template text of the scalar (quotes,
    /// escapes, indentation and folding included), starting at byte `base` of the template.
    pub fn new(source: &str, value: &str, base: u32) -> Self {
        Self::with_escapes(source, value, base, source.starts_with('"'))
    }

    /// As [`Mapped::new`], saying whether `source` writes backslash escapes (an HCL template's
    /// literal part inside quotes does, without starting with the quote).
    pub fn with_escapes(source: &str, value: &str, base: u32, double_quoted: bool) -> Self {
        let mut mapped = Mapped {
            text: String::with_capacity(value.len()),
            starts: Vec::with_capacity(value.len()),
            ends: Vec::with_capacity(value.len()),
            end: base + source.len() as u32,
        };
        let mut at = 0;
        for c in value.chars() {
            let (start, end) = loop {
                let Some(found) = source[at..].chars().next() else {
                    break (source.len(), source.len());
                };
                let here = at;
                if found == c {
                    at += found.len_utf8();
                    break (here, at);
                }
                if double_quoted && found == '\\' {
                    let (produced, len) = escape(&source[at..]);
                    at += len;
                    if produced == Some(c) {
                        break (here, at);
                    }
                    continue;
                }
                at += found.len_utf8();
                // Folding turns a line break and indentation into one space or newline.
                if c.is_whitespace() && found.is_whitespace() {
                    break (here, at);
                }
            };
            mapped.push(c, base + start as u32, base + end as u32);
        }
        mapped
    }

    /// No text yet; empty spans at its end map to `end`.
    pub fn empty(end: u32) -> Self {
        Mapped {
            text: String::new(),
            starts: Vec::new(),
            ends: Vec::new(),
            end,
        }
    }

    /// Appends another mapped text (the next part of a template).
    pub fn append(&mut self, other: &Mapped) {
        self.copy(other, 0, other.text.len());
        self.end = other.end;
    }

    /// Appends a value only known later, written at `span`.
    pub fn push_placeholder(&mut self, span: Span) {
        self.push(PLACEHOLDER, span.start, span.end);
        self.end = span.end;
    }

    /// Appends a value written elsewhere and used at `span` (an interpolated variable): each of
    /// its characters maps to the whole span.
    pub fn push_value(&mut self, text: &str, span: Span) {
        for c in text.chars() {
            self.push(c, span.start, span.end);
        }
        self.end = span.end;
    }

    fn push(&mut self, c: char, start: u32, end: u32) {
        self.text.push(c);
        for _ in 0..c.len_utf8() {
            self.starts.push(start);
            self.ends.push(end);
        }
    }

    /// The template span of a span of the decoded text.
    pub fn span(&self, span: Span) -> Span {
        let start = self
            .starts
            .get(span.start as usize)
            .copied()
            .unwrap_or(self.end);
        if span.is_empty() {
            return Span::new(start, start);
        }
        let end = self
            .ends
            .get(span.end as usize - 1)
            .copied()
            .unwrap_or(self.end);
        Span::new(start, end.max(start))
    }

    /// `Fn::Sub`'s reading of the text: `${Name}` is what `value` says it stands for (a
    /// parameter's value, or a placeholder for a value only known at deploy time), mapped to
    /// the `${Name}` it replaces; `${!Name}` is the literal `${Name}`.
    pub fn substitute(&self, value: &dyn Fn(&str, Span) -> String) -> Mapped {
        self.placeholders(false, value)
    }

    /// Terraform's reading of a JSON-syntax string (`.tf.json`), a template: `${...}` and
    /// `%{...}` are values only known later (placeholders), `$${` and `%%{` the literal `${`
    /// and `%{`.
    pub fn interpolate(&self) -> Mapped {
        self.placeholders(true, &|_, _| PLACEHOLDER.to_string())
    }

    fn placeholders(&self, terraform: bool, value: &dyn Fn(&str, Span) -> String) -> Mapped {
        let mut out = Mapped {
            text: String::with_capacity(self.text.len()),
            starts: Vec::with_capacity(self.text.len()),
            ends: Vec::with_capacity(self.text.len()),
            end: self.end,
        };
        let text = &self.text;
        let mut at = 0;
        while at < text.len() {
            let rest = &text[at..];
            if !terraform && rest.starts_with("${!") {
                out.copy(self, at, at + 2);
                at += 3;
                continue;
            }
            if terraform && (rest.starts_with("$${") || rest.starts_with("%%{")) {
                out.copy(self, at + 1, at + 3);
                at += 3;
                continue;
            }
            if rest.starts_with("${") || (terraform && rest.starts_with("%{")) {
                if let Some(close) = text[at..].find('}') {
                    let whole = self.span(Span::new(at as u32, (at + close + 1) as u32));
                    for c in value(text[at + 2..at + close].trim(), whole).chars() {
                        out.push(c, whole.start, whole.end);
                    }
                    at += close + 1;
                    continue;
                }
            }
            let len = text[at..].chars().next().map_or(1, char::len_utf8);
            out.copy(self, at, at + len);
            at += len;
        }
        out
    }

    fn copy(&mut self, from: &Mapped, start: usize, end: usize) {
        self.text.push_str(&from.text[start..end]);
        self.starts.extend_from_slice(&from.starts[start..end]);
        self.ends.extend_from_slice(&from.ends[start..end]);
    }

    /// Moves every span of a tree parsed from the decoded text onto the template.
    pub fn map_tree(&self, root: &mut Node) {
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            node.span = self.span(node.span);
            match &mut node.value {
                Value::Array(items) => stack.extend(items.iter_mut()),
                Value::Object(members) => {
                    for member in members {
                        member.key.span = self.span(member.key.span);
                        stack.push(&mut member.value);
                    }
                }
                _ => {}
            }
        }
    }

    pub fn map_error(&self, mut error: ParseError) -> ParseError {
        error.span = self.span(error.span);
        error
    }
}

/// What a backslash escape of a double-quoted YAML (or JSON) string produces, and its length.
/// A line continuation produces nothing.
fn escape(source: &str) -> (Option<char>, usize) {
    let mut chars = source.chars();
    chars.next();
    let Some(kind) = chars.next() else {
        return (None, 1);
    };
    let hex = |digits: usize| {
        let text = source.get(2..2 + digits)?;
        u32::from_str_radix(text, 16).ok()
    };
    let simple = match kind {
        'n' => Some('\n'),
        't' | '\t' => Some('\t'),
        'r' => Some('\r'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        '0' => Some('\0'),
        'a' => Some('\u{7}'),
        'v' => Some('\u{b}'),
        'e' => Some('\u{1b}'),
        'N' => Some('\u{85}'),
        '_' => Some('\u{a0}'),
        'L' => Some('\u{2028}'),
        'P' => Some('\u{2029}'),
        '\n' | '\r' => return (None, 1 + kind.len_utf8()),
        'x' | 'u' | 'U' => None,
        other => Some(other),
    };
    if let Some(c) = simple {
        return (Some(c), 1 + kind.len_utf8());
    }
    let digits = match kind {
        'x' => 2,
        'u' => 4,
        _ => 8,
    };
    let Some(code) = hex(digits) else {
        return (None, 2);
    };
    let len = 2 + digits;
    // JSON writes a character outside the BMP as a surrogate pair: `\ud83d\ude00`.
    if (0xD800..0xDC00).contains(&code) && source[len..].starts_with("\\u") {
        if let Some(low) = source
            .get(len + 2..len + 6)
            .and_then(|t| u32::from_str_radix(t, 16).ok())
        {
            let combined = 0x10000 + ((code - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF);
            return (char::from_u32(combined), len + 6);
        }
    }
    (char::from_u32(code), len)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every decoded character maps to the template characters that wrote it.
    fn check(template: &str, scalar: &str, value: &str, pairs: &[(&str, &str)]) {
        let base = template.find(scalar).unwrap() as u32;
        let mapped = Mapped::new(scalar, value, base);
        assert_eq!(mapped.text, value);
        for (decoded, written) in pairs {
            let at = value.find(decoded).unwrap() as u32;
            let span = mapped.span(Span::new(at, at + decoded.len() as u32));
            assert_eq!(&template[span.range()], *written, "{decoded}");
        }
    }

    #[test]
    fn double_quoted_escapes() {
        let template = r#"P: "{\"Action\": \"s3:Get\u00e9\"}""#;
        let scalar = &template[3..];
        check(
            template,
            scalar,
            "{\"Action\": \"s3:Geté\"}",
            &[("Action", "Action"), ("\"s3", "\\\"s3"), ("é", "\\u00e9")],
        );
    }

    #[test]
    fn literal_blocks_skip_indentation() {
        let template = "P: |\n    {\n      \"Effect\": \"Allow\"\n    }\n";
        let scalar = &template[template.find('{').unwrap()..template.len() - 1];
        check(
            template,
            scalar,
            "{\n  \"Effect\": \"Allow\"\n}\n",
            &[("\"Allow\"", "\"Allow\""), ("}", "}")],
        );
    }

    #[test]
    fn sub_placeholders_span_their_reference() {
        let template = "P: '{\"Resource\": \"arn:${AWS::Partition}:s3:::${!Literal}\"}'";
        let scalar = &template[3..];
        let value = "{\"Resource\": \"arn:${AWS::Partition}:s3:::${!Literal}\"}";
        let mapped = Mapped::new(scalar, value, 3).substitute(&|_, _| PLACEHOLDER.to_string());
        assert_eq!(
            mapped.text,
            format!("{{\"Resource\": \"arn:{PLACEHOLDER}:s3:::${{Literal}}\"}}")
        );
        let at = mapped.text.find(PLACEHOLDER).unwrap() as u32;
        let span = mapped.span(Span::new(at, at + PLACEHOLDER.len_utf8() as u32));
        assert_eq!(&template[span.range()], "${AWS::Partition}");
        let literal = mapped.text.find("Literal").unwrap() as u32;
        let span = mapped.span(Span::new(literal, literal + 7));
        assert_eq!(&template[span.range()], "Literal");
    }

    #[test]
    fn surrogate_pairs() {
        assert_eq!(escape("\\ud83d\\ude00rest"), (Some('😀'), 12));
        assert_eq!(escape("\\"), (None, 1));
        assert_eq!(escape("\\uZZ"), (None, 2));
    }
}
