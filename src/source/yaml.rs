//! CloudFormation YAML → the same syntax tree the JSON parser produces, from `saphyr-parser`'s
//! events. What CloudFormation reads differently from a generic YAML loader is decided here:
//! - every scalar keeps its text: only a plain scalar written exactly like a JSON number, boolean
//!   or null gets that type, so an account id `0123...` or a date-like `2012-10-17` stays a string;
//! - a short-form tag (`!Sub x`) becomes the long form's one-key object (`{"Fn::Sub": x}`), the key
//!   spanning the tag, so later stages see one shape for both forms; other tags are errors;
//! - duplicate keys are kept (as in JSON); merge keys (`<<`) are refused, as CloudFormation does;
//! - aliases are expanded under a budget, so an alias bomb is an error, not an out-of-memory;
//! - nesting is bounded like JSON's, without recursion.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::parse::{ParseError, MAX_DEPTH};
use super::tree::{Key, Member, Node, Value};
use super::Span;

/// Nodes that alias expansion may add in all: far beyond any template, far below memory trouble.
pub const ALIAS_BUDGET: usize = 100_000;

/// The long-form name of each CloudFormation short-form tag.
pub fn intrinsic_name(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "Sub" => "Fn::Sub",
        "GetAtt" => "Fn::GetAtt",
        "Join" => "Fn::Join",
        "If" => "Fn::If",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "ImportValue" => "Fn::ImportValue",
        "FindInMap" => "Fn::FindInMap",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "GetAZs" => "Fn::GetAZs",
        "Equals" => "Fn::Equals",
        "Not" => "Fn::Not",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "Transform" => "Fn::Transform",
        "ToJsonString" => "Fn::ToJsonString",
        "Length" => "Fn::Length",
        "ForEach" => "Fn::ForEach",
        // The functions of a template's `Rules` section.
        "ValueOf" => "Fn::ValueOf",
        "ValueOfAll" => "Fn::ValueOfAll",
        "RefAll" => "Fn::RefAll",
        "Contains" => "Fn::Contains",
        "EachMemberEquals" => "Fn::EachMemberEquals",
        "EachMemberIn" => "Fn::EachMemberIn",
        _ => return None,
    })
}

/// Parses one CloudFormation YAML text.
pub fn parse_yaml(text: &str) -> Result<Node<'_>, ParseError> {
    match build(text) {
        Err(error) if error.message.contains("indentation") => {
            let Some((relaxed, map)) = relax(text) else {
                return Err(error);
            };
            let at = |offset: u32| {
                map.get(offset as usize)
                    .copied()
                    .unwrap_or(text.len() as u32)
            };
            match build(&relaxed) {
                Ok(root) => Ok(rebase(root, text, &map)),
                // The error CloudFormation would also see, in the file's offsets.
                Err(mut error) => {
                    error.span = Span::new(at(error.span.start), at(error.span.end));
                    Err(error)
                }
            }
        }
        parsed => parsed,
    }
}

fn build(text: &str) -> Result<Node<'_>, ParseError> {
    let mut builder = Builder {
        text,
        positions: Positions::new(text),
        stack: Vec::new(),
        anchors: HashMap::new(),
        expanded: 0,
        root: None,
        documents: 0,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| builder.scan_error(&e))?;
        let start = builder.positions.byte(span.start.index());
        let end = builder.positions.byte(span.end.index()).max(start);
        builder.event(event, Span::new(start, end))?;
    }
    builder.root.ok_or_else(|| {
        ParseError::at(
            0,
            "the file is empty; expected a CloudFormation template".to_string(),
        )
    })
}

/// Character indexes (as saphyr gives them) → byte offsets. Events come nearly in order, so a
/// cursor moved from the last answer costs the distance, and ASCII text costs nothing.
struct Positions<'s> {
    text: &'s str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'s> Positions<'s> {
    fn new(text: &'s str) -> Self {
        Positions {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    fn byte(&mut self, char_index: usize) -> u32 {
        if self.ascii {
            return char_index.min(self.text.len()) as u32;
        }
        while self.chars < char_index && self.bytes < self.text.len() {
            self.bytes += self.text[self.bytes..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
            self.chars += 1;
        }
        while self.chars > char_index && self.bytes > 0 {
            self.bytes -= 1;
            while !self.text.is_char_boundary(self.bytes) {
                self.bytes -= 1;
            }
            self.chars -= 1;
        }
        self.bytes as u32
    }
}

/// A collection being built, with what it needs to become a node.
struct Frame<'s> {
    start: u32,
    flow: bool,
    tag: Option<Tagged>,
    anchor: usize,
    /// Nodes in this subtree, for the alias budget.
    count: usize,
    kind: FrameKind<'s>,
}

enum FrameKind<'s> {
    Sequence(Vec<Node<'s>>),
    Mapping {
        members: Vec<Member<'s>>,
        key: Option<Key<'s>>,
    },
}

/// A short-form tag: the long-form name and the tag's span.
#[derive(Clone, Copy)]
struct Tagged {
    name: &'static str,
    span: Span,
}

struct Builder<'s> {
    text: &'s str,
    positions: Positions<'s>,
    stack: Vec<Frame<'s>>,
    /// Anchored nodes by saphyr's anchor id, with their node count.
    anchors: HashMap<usize, (Node<'s>, usize)>,
    expanded: usize,
    root: Option<Node<'s>>,
    documents: usize,
}

impl<'s> Builder<'s> {
    fn scan_error(&mut self, error: &ScanError) -> ParseError {
        let mut offset = self.positions.byte(error.marker().index()) as usize;
        let info = error.info();
        // saphyr reports a tab near, not at, the tab: point at the first tab of that line.
        if info.contains("tab") {
            let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
            if let Some(tab) = self.text[line_start..].find('\t') {
                offset = line_start + tab;
            }
        }
        let mut parse_error = ParseError::at(offset, info.to_string());
        parse_error.help = info
            .contains("tab")
            .then(|| "YAML indents with spaces only; replace the tab with spaces".to_string());
        parse_error
    }

    fn error(span: Span, message: impl Into<String>, help: &str) -> ParseError {
        ParseError {
            span,
            message: message.into(),
            help: (!help.is_empty()).then(|| help.to_string()),
        }
    }

    fn event(&mut self, event: Event<'s>, span: Span) -> Result<(), ParseError> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Self::error(
                        span,
                        "a second YAML document in the file",
                        "a CloudFormation template is one YAML document; remove the `---` and what follows",
                    ));
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                // Any tag makes the scalar text (`!!str 12`, `!Ref 12`): no typing.
                let written_tag = tag.is_some();
                let (tag, content) = self.tag_of(span, tag.as_deref())?;
                let mut content = Span::new(content.min(span.end), span.end);
                if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    // A block scalar's span runs to the next line's indentation.
                    let trimmed = self.text[content.range()].trim_end().len() as u32;
                    content.end = content.start + trimmed;
                }
                let node = Node {
                    span: content,
                    value: self.scalar_value(value, style, content, written_tag),
                };
                let node = wrap(node, tag, span.start);
                self.finish(node, 1, anchor, Some(style))?;
            }
            Event::SequenceStart(anchor, tag) => self.open(span, anchor, tag.as_deref(), true)?,
            Event::MappingStart(anchor, tag) => self.open(span, anchor, tag.as_deref(), false)?,
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = self.stack.pop().expect("saphyr balances collection events");
                let (value, last_end) = match frame.kind {
                    FrameKind::Sequence(items) => {
                        let end = items.last().map(|n| n.span.end);
                        (Value::Array(items), end)
                    }
                    FrameKind::Mapping { members, key } => {
                        if let Some(key) = key {
                            // saphyr gives a key without a value a null value, so this is defensive.
                            return Err(Self::error(key.span, "a mapping key without a value", ""));
                        }
                        let end = members.last().map(|m| m.value.span.end.max(m.key.span.end));
                        (Value::Object(members), end)
                    }
                };
                let end = if frame.flow {
                    span.end
                } else {
                    last_end.unwrap_or(frame.start)
                };
                let node = Node {
                    span: Span::new(frame.start, end.max(frame.start)),
                    value,
                };
                let outer = frame.tag.map_or(frame.start, |t| t.span.start);
                let node = wrap(node, frame.tag, outer);
                self.finish(node, frame.count, frame.anchor, None)?;
            }
            Event::Alias(id) => {
                let Some((node, count)) = self.anchors.get(&id) else {
                    return Err(Self::error(span, "an alias to an unknown anchor", ""));
                };
                self.expanded += count;
                if self.expanded > ALIAS_BUDGET {
                    return Err(Self::error(
                        span,
                        format!("aliases expand to more than {ALIAS_BUDGET} nodes"),
                        "this looks like a YAML alias bomb; CloudFormation templates do not need aliases",
                    ));
                }
                let (node, count) = (node.clone(), *count);
                self.finish(node, count, 0, None)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn open(
        &mut self,
        span: Span,
        anchor: usize,
        tag: Option<&saphyr_parser::Tag>,
        sequence: bool,
    ) -> Result<(), ParseError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Self::error(
                span,
                format!("nesting is deeper than {MAX_DEPTH} levels"),
                "no CloudFormation template nests this deep",
            ));
        }
        let (tag, content) = self.tag_of(span, tag)?;
        let mut content = self.skip_blank(content);
        let bytes = self.text.as_bytes();
        let flow = matches!(bytes.get(content as usize), Some(b'[' | b'{'));
        if sequence && !flow && bytes.get(content as usize) != Some(&b'-') {
            // An indentless sequence (`Statement:\n- Effect: ...`) starts at its first item's
            // content; its span must include the `-`, or the sequence and its first item would
            // have the same span and be taken for one another.
            let before = self.text[..content as usize].trim_end_matches(' ');
            if before.ends_with('-') {
                content = before.len() as u32 - 1;
            }
        }
        let kind = if sequence {
            FrameKind::Sequence(Vec::new())
        } else {
            FrameKind::Mapping {
                members: Vec::new(),
                key: None,
            }
        };
        self.stack.push(Frame {
            start: content,
            flow,
            tag,
            anchor,
            count: 1,
            kind,
        });
        Ok(())
    }

    /// The short-form tag of a node and where its content starts (after any anchor and tag).
    fn tag_of(
        &self,
        span: Span,
        tag: Option<&saphyr_parser::Tag>,
    ) -> Result<(Option<Tagged>, u32), ParseError> {
        let mut at = span.start as usize;
        let bytes = self.text.as_bytes();
        let token_end = |from: usize| {
            from + bytes[from..]
                .iter()
                .position(|b| {
                    b.is_ascii_whitespace() || matches!(b, b',' | b'[' | b']' | b'{' | b'}')
                })
                .unwrap_or(bytes.len() - from)
        };
        if bytes.get(at) == Some(&b'&') {
            at = self.skip_blank(token_end(at) as u32) as usize;
        }
        let Some(tag) = tag else {
            return Ok((None, at as u32));
        };
        let tag_span = if bytes.get(at) == Some(&b'!') {
            Span::new(at as u32, token_end(at) as u32)
        } else {
            Span::new(span.start, span.start)
        };
        let after = self.skip_blank(tag_span.end);
        if tag.handle == "!" {
            if let Some(name) = intrinsic_name(&tag.suffix) {
                return Ok((
                    Some(Tagged {
                        name,
                        span: tag_span,
                    }),
                    after,
                ));
            }
        }
        let written = &self.text[tag_span.range()];
        // `!!str` and friends: the core schema's own tags only restate a type; `!` alone is
        // YAML's non-specific tag (the node is a string, sequence or mapping by its form).
        if tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:" || written == "!" {
            return Ok((None, after));
        }
        Err(Self::error(
            tag_span,
            format!("unknown tag `{written}`"),
            "CloudFormation knows the short forms of its intrinsic functions (`!Ref`, `!Sub`, `!GetAtt`, ...) and no other tag",
        ))
    }

    /// The first byte at or after `at` that is neither whitespace nor in a comment.
    fn skip_blank(&self, at: u32) -> u32 {
        let bytes = self.text.as_bytes();
        let mut at = at as usize;
        loop {
            while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
                at += 1;
            }
            if bytes.get(at) == Some(&b'#') {
                at += bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .unwrap_or(bytes.len() - at);
            } else {
                return at as u32;
            }
        }
    }

    fn scalar_value(
        &self,
        value: Cow<'s, str>,
        style: ScalarStyle,
        span: Span,
        tagged: bool,
    ) -> Value<'s> {
        if style != ScalarStyle::Plain || tagged {
            return Value::String(value);
        }
        match &*value {
            "" | "~" | "null" | "Null" | "NULL" => Value::Null,
            "true" | "True" | "TRUE" => Value::Bool(true),
            "false" | "False" | "FALSE" => Value::Bool(false),
            number if is_json_number(number) => match self.text.get(span.range()) {
                Some(raw) if raw == number => Value::Number(raw),
                _ => Value::String(value),
            },
            _ => Value::String(value),
        }
    }

    /// Places a finished node in its parent, or makes it the root.
    fn finish(
        &mut self,
        node: Node<'s>,
        count: usize,
        anchor: usize,
        style: Option<ScalarStyle>,
    ) -> Result<(), ParseError> {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), count));
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        parent.count += count;
        match &mut parent.kind {
            FrameKind::Sequence(items) => items.push(node),
            FrameKind::Mapping { members, key } => match key.take() {
                Some(key) => members.push(Member { key, value: node }),
                None => {
                    let name = match node.value {
                        Value::String(name) => name,
                        Value::Number(raw) => Cow::Borrowed(raw),
                        Value::Null if node.span.is_empty() => Cow::Borrowed(""),
                        Value::Null | Value::Bool(_) => {
                            Cow::Borrowed(&self.text[node.span.range()])
                        }
                        Value::Array(_) | Value::Object(_) => {
                            return Err(Self::error(
                                node.span,
                                "a mapping key that is a collection",
                                "CloudFormation keys are plain strings",
                            ))
                        }
                    };
                    if name == "<<" && style == Some(ScalarStyle::Plain) {
                        return Err(Self::error(
                            node.span,
                            "a YAML merge key (`<<`)",
                            "CloudFormation does not expand merge keys; write the keys out",
                        ));
                    }
                    *key = Some(Key {
                        span: node.span,
                        name,
                    });
                }
            },
        }
        Ok(())
    }
}

/// A tagged node becomes `{"Fn::Name": node}`, spanning from the tag to the node's end.
fn wrap<'s>(node: Node<'s>, tag: Option<Tagged>, outer_start: u32) -> Node<'s> {
    let Some(tag) = tag else {
        return node;
    };
    let span = Span::new(
        outer_start.min(tag.span.start),
        node.span.end.max(tag.span.end),
    );
    Node {
        span,
        value: Value::Object(vec![Member {
            key: Key {
                span: tag.span,
                name: Cow::Borrowed(tag.name),
            },
            value: node,
        }]),
    }
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`: JSON's number grammar, so that a plain
/// scalar is a number exactly when the same text would be one in a JSON template.
fn is_json_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    match bytes.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

/// CloudFormation, and PyYAML (which cfn-lint and the SAM CLI read templates with), accept a flow
/// collection or a quoted scalar whose later lines are not indented past the key holding it
/// (`Statement: [{` ... `}]` back at the key's column, a long `'...'` wrapped at the key's column).
/// saphyr follows the YAML spec and refuses them, so templates that deploy would be
/// `invalid-yaml`. This is the text with each such line indented one column past that key, and
/// for each of its byte offsets the file's: whitespace at the start of a line inside a flow
/// collection or a quoted scalar is part of no value, so the tree read from it is the file's.
/// `None` when there is no such line. Only called when the file does not parse as written.
fn relax(text: &str) -> Option<(String, Vec<u32>)> {
    let mut out = String::with_capacity(text.len() + 256);
    let mut map: Vec<u32> = Vec::with_capacity(text.len() + 257);
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    // The column of the key whose value is the open flow collection or quoted scalar.
    let mut anchor = 0usize;
    // Inside a block scalar (`|`, `>`): lines indented past this column are its text.
    let mut block: Option<usize> = None;
    let mut changed = false;
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        let blank = line.trim().is_empty();
        if let Some(parent) = block {
            if blank || indent > parent {
                out.push_str(line);
                map.extend((offset..offset + line.len()).map(|o| o as u32));
                offset += line.len();
                continue;
            }
            block = None;
        }
        if (depth > 0 || quote.is_some()) && !blank && indent <= anchor {
            for _ in indent..=anchor {
                out.push(' ');
                map.push(offset as u32);
            }
            changed = true;
        }
        out.push_str(line);
        map.extend((offset..offset + line.len()).map(|o| o as u32));
        offset += line.len();
        // The column of this line's first key or value, after any `- ` of block sequences.
        let mut key = indent;
        while bytes.get(key) == Some(&b'-') && bytes.get(key + 1) == Some(&b' ') {
            key += 2;
            while bytes.get(key) == Some(&b' ') {
                key += 1;
            }
        }
        let mut end = bytes.len();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let token_start = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'[' | b'{' | b',');
            match quote {
                Some(b'\'') => {
                    if b == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 1;
                        } else {
                            quote = None;
                        }
                    }
                }
                Some(_) => {
                    if b == b'\\' {
                        i += 1;
                    } else if b == b'"' {
                        quote = None;
                    }
                }
                None => match b {
                    b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t') => {
                        end = i;
                        break;
                    }
                    b'\'' | b'"' if token_start => {
                        if depth == 0 {
                            anchor = key;
                        }
                        quote = Some(b);
                    }
                    b'[' | b'{' if depth > 0 || token_start => {
                        if depth == 0 {
                            anchor = key;
                        }
                        depth += 1;
                    }
                    b']' | b'}' if depth > 0 => depth -= 1,
                    _ => {}
                },
            }
            i += 1;
        }
        if depth == 0 && quote.is_none() {
            let content = line[..end].trim_end();
            let indicator =
                content.trim_end_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
            let starts_block = (indicator.ends_with('|') || indicator.ends_with('>'))
                && indicator[..indicator.len() - 1]
                    .chars()
                    .next_back()
                    .is_none_or(|c| c == ' ');
            if starts_block {
                // `- |`: the sequence's column; `Key: |`: the key's.
                block = Some(if key == indicator.len() - 1 {
                    indent
                } else {
                    key
                });
            }
        }
    }
    map.push(text.len() as u32);
    changed.then_some((out, map))
}

/// A tree read from [`relax`]'s text, in the file's offsets and borrowing nothing from that text.
fn rebase<'s>(node: Node<'_>, text: &'s str, map: &[u32]) -> Node<'s> {
    let at = |offset: u32| {
        map.get(offset as usize)
            .copied()
            .unwrap_or(text.len() as u32)
    };
    // Nesting is bounded by the builder (`MAX_DEPTH`), so this recursion is too.
    let span = Span::new(at(node.span.start), at(node.span.end));
    let value = match node.value {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(b),
        Value::Number(raw) => match text.get(span.range()) {
            Some(written) if written == raw => Value::Number(written),
            _ => Value::String(Cow::Owned(raw.to_string())),
        },
        Value::String(value) => Value::String(Cow::Owned(value.into_owned())),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|i| rebase(i, text, map)).collect())
        }
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|m| Member {
                    key: Key {
                        span: Span::new(at(m.key.span.start), at(m.key.span.end)),
                        name: Cow::Owned(m.key.name.into_owned()),
                    },
                    value: rebase(m.value, text, map),
                })
                .collect(),
        ),
    };
    Node { span, value }
}

#[cfg(test)]
mod tests {
    use super::is_json_number;

    #[test]
    fn a_number_is_what_json_s_grammar_says_one_is() {
        for number in [
            "0",
            "-0",
            "7",
            "-12",
            "10",
            "0.5",
            "-0.0",
            "1.25",
            "1e5",
            "1E5",
            "1e+5",
            "1e-5",
            "-1.5E-10",
            "0e0",
            "123456789012",
        ] {
            assert!(is_json_number(number), "{number}");
        }
        for other in [
            "", "-", "+1", "01", "-01", "00", "1.", ".5", "-.5", "1.e5", "1e", "1e+", "1E-",
            "0x10", "1_000", "1,5", " 1", "1 ", "inf", "NaN", ".inf", "1e5.0", "--1", "0o7", "١",
        ] {
            assert!(!is_json_number(other), "{other:?}");
        }
        // Each accepted text is a JSON number too (the JSON parser agrees on the grammar).
        for number in ["-0", "1e5", "0.5", "-1.5E-10"] {
            assert!(crate::source::parse(number).is_ok(), "{number}");
        }
    }
}
