//! Intrinsic functions → what a policy check can use: a `Ref` to a parameter with a default is
//! that default, one with `AllowedValues` the value the [`Reading`] picks; a reference to a
//! resource of known ARN shape is that ARN with placeholders; every other value only known at
//! deploy time becomes a [`PLACEHOLDER`] inside the string it is part of. `Fn::Sub` and
//! `Fn::Join` keep their literal text around them, `Fn::If` takes the side the reading gives its
//! condition (the caller checks each), and `AWS::NoValue` removes the element it stands for.
//! Strings outside `Fn::Sub` are left alone, so `${aws:username}` there stays an IAM policy
//! variable.

use std::borrow::Cow;
use std::cell::RefCell;

use super::scope::{Lookup, Scope};
use crate::source::{Member, Node, Span, Value, PART, PLACEHOLDER};

/// One way to read a document's deploy-time choices: the side of each `Fn::If` by its
/// condition's name, and the value of each parameter with `AllowedValues`. A condition it does
/// not name takes its first branch; a parameter it does not name is its default, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Reading {
    pub conditions: Vec<(String, bool)>,
    pub parameters: Vec<(String, String)>,
}

impl Reading {
    pub fn condition(&self, name: &str) -> bool {
        self.conditions
            .iter()
            .find(|(n, _)| n == name)
            .is_none_or(|(_, side)| *side)
    }

    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A parameter's default a resolved document uses, and where the reference is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Used {
    pub span: Span,
    pub parameter: String,
    pub value: String,
}

/// Resolves intrinsics under one reading.
pub struct Resolver<'a> {
    pub scope: &'a Scope<'a>,
    pub reading: &'a Reading,
    /// The parameter defaults used so far.
    pub used: RefCell<Vec<Used>>,
}

impl<'a> Resolver<'a> {
    pub fn new(scope: &'a Scope<'a>, reading: &'a Reading) -> Self {
        Resolver {
            scope,
            reading,
            used: RefCell::new(Vec::new()),
        }
    }

    /// The node with intrinsics resolved; `None` when it is `AWS::NoValue` (or resolves to it).
    pub fn resolve<'s>(&self, node: &Node<'s>) -> Option<Node<'s>> {
        let value = match &node.value {
            Value::Object(members) => {
                if let [member] = members.as_slice() {
                    if is_intrinsic(&member.key.name) {
                        return self.intrinsic(node.span, member);
                    }
                }
                Value::Object(
                    members
                        .iter()
                        .filter_map(|m| {
                            Some(Member {
                                key: m.key.clone(),
                                value: self.resolve(&m.value)?,
                            })
                        })
                        .collect(),
                )
            }
            Value::Array(items) => {
                Value::Array(items.iter().filter_map(|i| self.resolve(i)).collect())
            }
            other => other.clone(),
        };
        Some(Node {
            span: node.span,
            value,
        })
    }

    /// The text a reference (`Ref` or a `Fn::Sub` name) stands for, written at `span`: its value
    /// when the template knows it, else a placeholder.
    pub fn reference(&self, name: &str, span: Span) -> String {
        let lookup = match name.split_once('.') {
            Some((resource, attribute)) => self.scope.attribute(resource, attribute),
            None => self.scope.lookup(name, self.reading),
        };
        match lookup {
            Some(Lookup::Default(value)) => {
                self.used.borrow_mut().push(Used {
                    span,
                    parameter: name.to_string(),
                    value: value.clone(),
                });
                value
            }
            Some(Lookup::Chosen(value) | Lookup::Computed(value)) => value,
            // The stack's own partition, region, account, URL suffix and name: one ARN part.
            None if matches!(
                name,
                "AWS::Partition"
                    | "AWS::Region"
                    | "AWS::AccountId"
                    | "AWS::URLSuffix"
                    | "AWS::StackName"
            ) =>
            {
                PART.to_string()
            }
            None => PLACEHOLDER.to_string(),
        }
    }

    fn intrinsic<'s>(&self, span: Span, member: &Member<'s>) -> Option<Node<'s>> {
        let argument = &member.value;
        match &*member.key.name {
            "Ref" => match argument.as_str() {
                Some("AWS::NoValue") => None,
                Some(name) => Some(string(span, self.reference(name, span))),
                None => Some(Node::placeholder(span)),
            },
            "Fn::GetAtt" => {
                let target = match &argument.value {
                    Value::String(text) => text.split_once('.'),
                    Value::Array(items) => match items.as_slice() {
                        [resource, attribute] => resource.as_str().zip(attribute.as_str()),
                        _ => None,
                    },
                    _ => None,
                };
                Some(match target.and_then(|(r, a)| self.scope.attribute(r, a)) {
                    Some(Lookup::Computed(shape)) => string(span, shape),
                    _ => Node::placeholder(span),
                })
            }
            "Fn::If" => match argument.as_array() {
                Some([condition, then, otherwise]) => {
                    let side = condition
                        .as_str()
                        .is_none_or(|name| self.reading.condition(name));
                    self.resolve(if side { then } else { otherwise })
                }
                _ => Some(Node::placeholder(span)),
            },
            "Fn::Sub" => {
                let (template, variables) = match &argument.value {
                    Value::String(_) => (Some(argument), None),
                    Value::Array(items) => (items.first(), items.get(1)),
                    _ => (None, None),
                };
                Some(match template.and_then(|t| t.as_str()) {
                    Some(text) => string(span, self.substitute(text, variables, span)),
                    None => Node::placeholder(span),
                })
            }
            "Fn::Join" => Some(
                self.join(span, argument)
                    .unwrap_or_else(|| Node::placeholder(span)),
            ),
            _ => Some(Node::placeholder(span)),
        }
    }

    /// `Fn::Sub`'s text with each `${Name}` as what it stands for (a variable of the map, a
    /// parameter's value, a resource's shape, or a placeholder) and each `${!Name}` as `${Name}`.
    pub fn substitute(&self, text: &str, variables: Option<&Node>, span: Span) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("${") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            if let Some(literal) = after.strip_prefix('!') {
                out.push_str("${");
                rest = literal;
            } else if let Some(close) = after.find('}') {
                out.push_str(&self.variable(after[..close].trim(), variables, span));
                rest = &after[close + 1..];
            } else {
                out.push_str("${");
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }

    /// What `${name}` stands for in a `Fn::Sub` with that variable map.
    pub fn variable(&self, name: &str, variables: Option<&Node>, span: Span) -> String {
        if let Some(value) = variables.and_then(|v| v.get(name)) {
            return match self.resolve(&value.value).map(|n| n.value) {
                Some(Value::String(text)) => text.into_owned(),
                Some(Value::Number(text)) => text.to_string(),
                _ => PLACEHOLDER.to_string(),
            };
        }
        self.reference(name, span)
    }

    /// `Fn::Join [delimiter, [parts]]` as one string, when the parts are a literal list.
    fn join<'s>(&self, span: Span, argument: &Node<'s>) -> Option<Node<'s>> {
        let [delimiter, parts] = argument.as_array()? else {
            return None;
        };
        let delimiter = delimiter.as_str()?;
        let mut out = Vec::new();
        for part in parts.as_array()? {
            let Some(part) = self.resolve(part) else {
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
}

/// `node` as written under one reading: each `Fn::If` on the reading's side and `AWS::NoValue`
/// left out (`None` when the node is one), every other intrinsic kept, so that a `Ref` or
/// `Fn::GetAtt` still names what it points at.
pub fn sides<'s>(node: &Node<'s>, reading: &Reading) -> Option<Node<'s>> {
    let value = match &node.value {
        Value::Object(members) => {
            if let [member] = members.as_slice() {
                match (&*member.key.name, &member.value.value) {
                    ("Fn::If", Value::Array(items)) => {
                        if let [condition, then, otherwise] = items.as_slice() {
                            let side = condition.as_str().is_none_or(|n| reading.condition(n));
                            return sides(if side { then } else { otherwise }, reading);
                        }
                    }
                    ("Ref", Value::String(name)) if name == "AWS::NoValue" => return None,
                    _ => {}
                }
            }
            Value::Object(
                members
                    .iter()
                    .filter_map(|m| {
                        Some(Member {
                            key: m.key.clone(),
                            value: sides(&m.value, reading)?,
                        })
                    })
                    .collect(),
            )
        }
        Value::Array(items) => {
            Value::Array(items.iter().filter_map(|i| sides(i, reading)).collect())
        }
        other => other.clone(),
    };
    Some(Node {
        span: node.span,
        value,
    })
}

/// The choices a subtree's readings vary: the conditions its `Fn::If`s name and the parameters
/// with allowed values it refers to (by `Ref` or in a `Fn::Sub`), each once, in source order.
pub fn choices(
    node: &Node,
    scope: &Scope,
    conditions: &mut Vec<String>,
    parameters: &mut Vec<String>,
) {
    let add = |list: &mut Vec<String>, name: &str| {
        if !list.iter().any(|n| n == name) {
            list.push(name.to_string());
        }
    };
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Object(members) => {
                if let [member] = members.as_slice() {
                    match (&*member.key.name, &member.value.value) {
                        ("Fn::If", Value::Array(items)) => {
                            if let Some(name) = items.first().and_then(|c| c.as_str()) {
                                add(conditions, name);
                            }
                        }
                        ("Ref", Value::String(name)) if !scope.allowed(name).is_empty() => {
                            add(parameters, name)
                        }
                        ("Fn::Sub", _) => {
                            let text = match &member.value.value {
                                Value::Array(items) => items.first().and_then(|t| t.as_str()),
                                _ => member.value.as_str(),
                            };
                            for name in sub_names(text.unwrap_or_default()) {
                                if !scope.allowed(name).is_empty() {
                                    add(parameters, name);
                                }
                            }
                        }
                        _ => {}
                    }
                }
                // Pushed in reverse so that they pop in source order.
                stack.extend(members.iter().rev().map(|m| &m.value));
            }
            Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
}

/// The names a `Fn::Sub` text refers to (`${Name}`, not `${!Literal}`).
pub fn sub_names(text: &str) -> impl Iterator<Item = &str> {
    text.split("${").skip(1).filter_map(|rest| {
        if rest.starts_with('!') {
            return None;
        }
        rest.find('}').map(|close| rest[..close].trim())
    })
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

fn string<'s>(span: Span, text: String) -> Node<'s> {
    Node {
        span,
        value: Value::String(Cow::Owned(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_yaml;

    fn resolved(text: &str, reading: &Reading) -> String {
        let root = parse_yaml(text).unwrap();
        let scope = Scope::new(&root);
        let node = Resolver::new(&scope, reading).resolve(&root).unwrap();
        let mut out = String::new();
        render(&node, &mut out);
        out
    }

    fn render(node: &Node, out: &mut String) {
        match &node.value {
            Value::String(s) => out.push_str(&format!(
                "{:?}",
                s.replace(PLACEHOLDER, "?").replace(PART, "_")
            )),
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
            resolved(text, &Reading::default()),
            "{A:\"arn:_:s3:::?/${Literal}\",B:\"?\",C:\"?\",D:\"arn:_:s3\",E:\"${aws:username}\",}"
        );
    }

    #[test]
    fn if_takes_a_branch_and_no_value_drops_the_element() {
        let text = "A: [x, !If [C, y, !Ref AWS::NoValue]]\nB: !Ref AWS::NoValue\nC: !If [C, {a: 1}, {b: 2}]\n";
        let otherwise = Reading {
            conditions: vec![("C".into(), false)],
            ..Reading::default()
        };
        assert_eq!(
            resolved(text, &Reading::default()),
            "{A:[\"x\",\"y\",],C:{a:1,},}"
        );
        assert_eq!(resolved(text, &otherwise), "{A:[\"x\",],C:{b:2,},}");
    }

    #[test]
    fn references_the_template_knows_resolve() {
        let text = "Parameters:\n  B: {Type: String, Default: logs}\n  E: {Type: String, AllowedValues: [dev, prod]}\nResources:\n  R: {Type: 'AWS::IAM::Role'}\n  S: {Type: 'AWS::S3::Bucket'}\nA: !Ref B\nB: !Sub 'arn:${AWS::Partition}:s3:::${B}-${E}/*'\nC: !GetAtt R.Arn\nD: !Sub '${S.Arn}/*'\nE: !Join ['', [!GetAtt [S, Arn], /x]]\nF: !Ref S\nG: !Sub ['${X}:${B}', {X: !Ref E}]\n";
        let prod = Reading {
            parameters: vec![("E".into(), "prod".into())],
            ..Reading::default()
        };
        let out = resolved(text, &prod);
        let tail = &out[out.find("A:").unwrap()..];
        assert_eq!(
            tail,
            "A:\"logs\",B:\"arn:_:s3:::logs-prod/*\",C:\"arn:_:iam::_:role/_\",D:\"arn:_:s3:::_/*\",E:\"arn:_:s3:::_/x\",F:\"?\",G:\"prod:logs\",}"
        );
        // Without a reading, a parameter with allowed values and no default stays unknown.
        let out = resolved(text, &Reading::default());
        assert!(out.contains("B:\"arn:_:s3:::logs-?/*\""), "{out}");
    }

    #[test]
    fn choices_name_conditions_and_parameters_with_allowed_values() {
        let text = "Parameters:\n  E: {Type: String, AllowedValues: [dev, prod]}\n  B: {Type: String, Default: b}\nX: [!If [IsProd, !Ref E, !Sub '${B}${E}'], !If [Other, a, b], !If [IsProd, c, d]]\n";
        let root = parse_yaml(text).unwrap();
        let scope = Scope::new(&root);
        let (mut conditions, mut parameters) = (Vec::new(), Vec::new());
        choices(&root, &scope, &mut conditions, &mut parameters);
        assert_eq!(conditions, ["IsProd", "Other"]);
        assert_eq!(parameters, ["E"]);
    }
}
