//! The syntax tree: every key and value with its byte span, duplicates kept, strings borrowed
//! from the source text when they contain no escape.

use std::borrow::Cow;

use super::Span;

/// Stands in a string for a value only known at deploy time (a template's `!Ref`, `${Param}`
/// in `!Sub`, `!GetAtt`...), which may be any text, colons included. A Unicode noncharacter,
/// reserved for exactly this internal use, so it never means anything in a policy: rules look
/// only at the literal text around it, and the engine answers "unknown" for any pattern holding
/// it.
pub const PLACEHOLDER: char = '\u{FDD0}';

/// A value only known at deploy time that is known to be one ARN part, without a colon: a
/// CloudFormation stack's partition, region and account (`${AWS::AccountId}`: two of them in an
/// account's place are the same account, the stack's) and the names in a resource's ARN shape.
/// An ARN pattern may rely on the parts after it; after a [`PLACEHOLDER`], it may not.
pub const PART: char = '\u{FDD1}';

/// Whether a character stands for a value only known at deploy time.
pub fn is_placeholder(c: char) -> bool {
    c == PLACEHOLDER || c == PART
}

/// Whether a string holds a value only known at deploy time.
pub fn has_placeholder(text: &str) -> bool {
    text.contains([PLACEHOLDER, PART])
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node<'s> {
    pub span: Span,
    pub value: Value<'s>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'s> {
    Null,
    Bool(bool),
    /// The number exactly as written: IAM compares numbers as text in places (`"1"` vs `1`).
    Number(&'s str),
    String(Cow<'s, str>),
    Array(Vec<Node<'s>>),
    /// Members in source order; a repeated key appears twice.
    Object(Vec<Member<'s>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member<'s> {
    pub key: Key<'s>,
    pub value: Node<'s>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key<'s> {
    pub span: Span,
    pub name: Cow<'s, str>,
}

/// The JSON type of a value, for messages such as "expected a string, found an array".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl JsonType {
    pub fn article_name(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Bool => "a boolean",
            JsonType::Number => "a number",
            JsonType::String => "a string",
            JsonType::Array => "an array",
            JsonType::Object => "an object",
        }
    }
}

impl<'s> Node<'s> {
    /// A string only known at deploy time (see [`PLACEHOLDER`]) at `span`.
    pub fn placeholder(span: Span) -> Node<'s> {
        Node {
            span,
            value: Value::String(Cow::Owned(PLACEHOLDER.to_string())),
        }
    }

    pub fn json_type(&self) -> JsonType {
        match self.value {
            Value::Null => JsonType::Null,
            Value::Bool(_) => JsonType::Bool,
            Value::Number(_) => JsonType::Number,
            Value::String(_) => JsonType::String,
            Value::Array(_) => JsonType::Array,
            Value::Object(_) => JsonType::Object,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member<'s>]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node<'s>]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The first member named `name`, as IAM reads it (the first occurrence; duplicates are
    /// reported by `duplicate-key`).
    pub fn get(&self, name: &str) -> Option<&Member<'s>> {
        self.as_object()?.iter().find(|m| m.key.name == name)
    }

    /// RFC 6901 pointer of the deepest node or key starting at `span`, or `None` when no node
    /// has exactly that span. Walks one path from the root, so it costs the depth, not the size.
    pub fn pointer_to(&self, span: Span) -> Option<String> {
        let mut pointer = String::new();
        let mut node = self;
        loop {
            if node.span == span {
                return Some(pointer);
            }
            if !node.span.contains(span) {
                return None;
            }
            // Items and members are disjoint and in source order: binary searches, so that a
            // pointer costs the depth times a logarithm even in an array of a million statements.
            // Statements a Terraform merge brings (from later in the file, or another file) are
            // out of order: those are found one by one.
            let next = match &node.value {
                Value::Array(items) => {
                    let i = items
                        .partition_point(|item| item.span.start <= span.start)
                        .checked_sub(1)
                        .filter(|&i| items[i].span.contains(span))
                        .or_else(|| items.iter().position(|item| item.span.contains(span)))?;
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    Some(&items[i])
                }
                Value::Object(members) => {
                    let i = members
                        .partition_point(|m| m.key.span.start <= span.start)
                        .checked_sub(1)?;
                    let member = &members[i];
                    if !(member.key.span.contains(span) || member.value.span.contains(span)) {
                        return None;
                    }
                    pointer.push('/');
                    pointer.push_str(&escape_pointer_token(&member.key.name));
                    if member.key.span == span {
                        return Some(pointer);
                    }
                    Some(&member.value)
                }
                _ => None,
            };
            node = next?;
        }
    }
}

pub fn escape_pointer_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}
