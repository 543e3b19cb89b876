//! Intrinsic functions → what a policy check can use: each value only known at deploy time
//! becomes a [`PLACEHOLDER`] inside the string it is part of, `Fn::Sub` and `Fn::Join` keep their
//! literal text around the placeholders, `Fn::If` takes one branch (the caller checks each), and
//! `AWS::NoValue` removes the element it stands for. Strings outside `Fn::Sub` are left alone, so
//! `${aws:username}` there stays an IAM policy variable.

use std::borrow::Cow;

use crate::source::{Member, Node, Span, Value, PLACEHOLDER};

/// Which branch of every `Fn::If` to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Branch {
    Then,
    Else,
}

/// The node with intrinsics resolved; `None` when it is `AWS::NoValue` (or resolves to it).
pub fn resolve<'s>(node: &Node<'s>, branch: Branch) -> Option<Node<'s>> {
    let value = match &node.value {
        Value::Object(members) => {
            if let [member] = members.as_slice() {
                if is_intrinsic(&member.key.name) {
                    return intrinsic(node.span, member, branch);
                }
            }
            Value::Object(
                members
                    .iter()
                    .filter_map(|m| {
                        Some(Member {
                            key: m.key.clone(),
                            value: resolve(&m.value, branch)?,
                        })
                    })
                    .collect(),
            )
        }
        Value::Array(items) => {
            Value::Array(items.iter().filter_map(|i| resolve(i, branch)).collect())
        }
        other => other.clone(),
    };
    Some(Node {
        span: node.span,
        value,
    })
}

/// Whether a subtree has an `Fn::If`, so that its other branch needs a check of its own.
pub fn has_condition(node: &Node) -> bool {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Object(members) => {
                if members.len() == 1 && members[0].key.name == "Fn::If" {
                    return true;
                }
                stack.extend(members.iter().map(|m| &m.value));
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// Whether a subtree holds an intrinsic function anywhere (`{"Ref": ...}`, `{"Fn::Sub": ...}`).
pub fn has_intrinsic(node: &Node) -> bool {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Object(members) => {
                if let [member] = members.as_slice() {
                    if is_intrinsic(&member.key.name) {
                        return true;
                    }
                }
                stack.extend(members.iter().map(|m| &m.value));
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    false
}

/// `Ref` and `Fn::*`; `Condition` is left out: it is also an IAM element name.
pub fn is_intrinsic(name: &str) -> bool {
    name == "Ref" || name.starts_with("Fn::")
}

fn placeholder<'s>(span: Span) -> Node<'s> {
    string(span, PLACEHOLDER.to_string())
}

fn string<'s>(span: Span, text: String) -> Node<'s> {
    Node {
        span,
        value: Value::String(Cow::Owned(text)),
    }
}

fn intrinsic<'s>(span: Span, member: &Member<'s>, branch: Branch) -> Option<Node<'s>> {
    let argument = &member.value;
    match &*member.key.name {
        "Ref" if argument.as_str() == Some("AWS::NoValue") => None,
        "Fn::If" => match argument.as_array() {
            Some([_, then, otherwise]) => resolve(
                match branch {
                    Branch::Then => then,
                    Branch::Else => otherwise,
                },
                branch,
            ),
            _ => Some(placeholder(span)),
        },
        "Fn::Sub" => {
            let template = match &argument.value {
                Value::String(text) => Some(text),
                Value::Array(items) => items.first().and_then(|t| match &t.value {
                    Value::String(text) => Some(text),
                    _ => None,
                }),
                _ => None,
            };
            Some(match template {
                Some(text) => string(span, substitute(text)),
                None => placeholder(span),
            })
        }
        "Fn::Join" => Some(join(span, argument, branch).unwrap_or_else(|| placeholder(span))),
        _ => Some(placeholder(span)),
    }
}

/// `Fn::Sub`'s text with each `${Name}` as a placeholder and each `${!Name}` as `${Name}`.
pub fn substitute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        if let Some(literal) = after.strip_prefix('!') {
            out.push_str("${");
            rest = literal;
        } else if let Some(close) = after.find('}') {
            out.push(PLACEHOLDER);
            rest = &after[close + 1..];
        } else {
            out.push_str("${");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// `Fn::Join [delimiter, [parts]]` as one string, when the parts are a literal list.
fn join<'s>(span: Span, argument: &Node<'s>, branch: Branch) -> Option<Node<'s>> {
    let [delimiter, parts] = argument.as_array()? else {
        return None;
    };
    let delimiter = delimiter.as_str()?;
    let mut out = Vec::new();
    for part in parts.as_array()? {
        let Some(part) = resolve(part, branch) else {
            continue;
        };
        match &part.value {
            Value::String(text) => out.push(text.to_string()),
            Value::Number(text) => out.push(text.to_string()),
            _ => return None,
        }
    }
    Some(string(span, out.join(delimiter)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_yaml;

    fn resolved(text: &str, branch: Branch) -> String {
        let root = parse_yaml(text).unwrap();
        let node = resolve(&root, branch).unwrap();
        let mut out = String::new();
        render(&node, &mut out);
        out
    }

    fn render(node: &Node, out: &mut String) {
        match &node.value {
            Value::String(s) => out.push_str(&format!("{:?}", s.replace(PLACEHOLDER, "?"))),
            Value::Number(n) => out.push_str(n),
            Value::Bool(b) => out.push_str(&b.to_string()),
            Value::Null => out.push_str("null"),
            Value::Array(items) => {
                out.push('[');
                for item in items {
                    render(item, out);
                    out.push(',');
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for m in members {
                    out.push_str(&format!("{}:", m.key.name));
                    render(&m.value, out);
                    out.push(',');
                }
                out.push('}');
            }
        }
    }

    #[test]
    fn intrinsics_become_placeholders_in_their_literal_text() {
        let text = "A: !Sub 'arn:${AWS::Partition}:s3:::${Bucket}/${!Literal}'\nB: !Ref X\nC: !GetAtt R.Arn\nD: !Join [':', [arn, !Ref AWS::Partition, s3]]\nE: '${aws:username}'\n";
        assert_eq!(
            resolved(text, Branch::Then),
            "{A:\"arn:?:s3:::?/${Literal}\",B:\"?\",C:\"?\",D:\"arn:?:s3\",E:\"${aws:username}\",}"
        );
    }

    #[test]
    fn if_takes_a_branch_and_no_value_drops_the_element() {
        let text = "A: [x, !If [C, y, !Ref AWS::NoValue]]\nB: !Ref AWS::NoValue\nC: !If [C, {a: 1}, {b: 2}]\n";
        assert_eq!(resolved(text, Branch::Then), "{A:[\"x\",\"y\",],C:{a:1,},}");
        assert_eq!(resolved(text, Branch::Else), "{A:[\"x\",],C:{b:2,},}");
    }
}
