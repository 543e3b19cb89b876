//! Syntax tree → typed model. Lenient by design: a malformed element becomes a [`Problem`] and is
//! left out, so one mistake yields one finding and the rest of the document is still checked.

use crate::source::{JsonType, Member, Node, Span, Value};

use super::model::*;

/// A shape mistake found while building the model; the structural rules turn these into
/// diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem<'a> {
    /// The top level is not an object; `statements` is true when it is an array of objects with
    /// statement keys (as AWS's CreateImportTask documentation publishes its example).
    NotAnObject {
        span: Span,
        found: JsonType,
        statements: bool,
    },
    UnknownElement {
        span: Span,
        name: &'a str,
        parent: Parent,
        suggestion: Option<&'static str>,
    },
    WrongType {
        span: Span,
        element: &'static str,
        expected: &'static str,
        found: JsonType,
    },
    EmptyValue {
        span: Span,
        element: &'static str,
    },
    BadCondition {
        span: Span,
        message: String,
    },
}

impl Problem<'_> {
    pub fn span(&self) -> Span {
        match self {
            Problem::NotAnObject { span, .. }
            | Problem::UnknownElement { span, .. }
            | Problem::WrongType { span, .. }
            | Problem::EmptyValue { span, .. }
            | Problem::BadCondition { span, .. } => *span,
        }
    }
}

/// Which object an unknown element was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    Policy,
    Statement,
    Principal,
}

impl Parent {
    /// The element names allowed under this parent, as AWS spells them.
    pub fn known(self) -> &'static [&'static str] {
        match self {
            Parent::Policy => &["Version", "Id", "Statement"],
            Parent::Statement => &[
                "Sid",
                "Effect",
                "Principal",
                "NotPrincipal",
                "Action",
                "NotAction",
                "Resource",
                "NotResource",
                "Condition",
            ],
            Parent::Principal => &["AWS", "Service", "Federated", "CanonicalUser"],
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Parent::Policy => "a policy",
            Parent::Statement => "a statement",
            Parent::Principal => "a principal",
        }
    }
}

/// Builds the model of one document. `None` when the top level is not an object.
pub fn build<'a>(root: &'a Node<'a>) -> (Option<Policy<'a>>, Vec<Problem<'a>>) {
    let mut problems = Vec::new();
    let Some(members) = root.as_object() else {
        problems.push(Problem::NotAnObject {
            span: root.span,
            found: root.json_type(),
            statements: looks_like_statements(root),
        });
        return (None, problems);
    };
    let mut b = Builder { problems };
    let mut policy = Policy {
        root,
        version: None,
        id: None,
        statement_key: None,
        statements: Vec::new(),
    };
    for member in members {
        match &*member.key.name {
            "Version" => set_once(&mut policy.version, b.text(member, "Version")),
            "Id" => set_once(&mut policy.id, b.text(member, "Id")),
            "Statement" => {
                if policy.statement_key.is_none() {
                    policy.statement_key = Some(member.key.span);
                    policy.statements = b.statements(&member.value);
                }
            }
            name => b.unknown(member, name, Parent::Policy),
        }
    }
    (Some(policy), b.problems)
}

/// IAM reads the first occurrence of a repeated element; `duplicate-key` reports the others.
fn set_once<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn looks_like_statements(root: &Node) -> bool {
    root.as_array().is_some_and(|items| {
        !items.is_empty()
            && items
                .iter()
                .all(|item| item.get("Effect").is_some() || item.get("Action").is_some())
    })
}

struct Builder<'a> {
    problems: Vec<Problem<'a>>,
}

impl<'a> Builder<'a> {
    fn unknown(&mut self, member: &'a Member<'a>, name: &'a str, parent: Parent) {
        let suggestion = parent
            .known()
            .iter()
            .copied()
            .find(|k| k.eq_ignore_ascii_case(name.trim()));
        self.problems.push(Problem::UnknownElement {
            span: member.key.span,
            name,
            parent,
            suggestion,
        });
    }

    fn wrong_type(&mut self, node: &Node, element: &'static str, expected: &'static str) {
        self.problems.push(Problem::WrongType {
            span: node.span,
            element,
            expected,
            found: node.json_type(),
        });
    }

    fn text(&mut self, member: &'a Member<'a>, element: &'static str) -> Option<Text<'a>> {
        match &member.value.value {
            Value::String(s) => Some(Text {
                value: s,
                span: member.value.span,
            }),
            _ => {
                self.wrong_type(&member.value, element, "a string");
                None
            }
        }
    }

    fn statements(&mut self, node: &'a Node<'a>) -> Vec<Statement<'a>> {
        match &node.value {
            Value::Object(_) => self.statement(node, 0).into_iter().collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(index, item)| match item.value {
                    Value::Object(_) => self.statement(item, index),
                    _ => {
                        self.wrong_type(item, "Statement", "an object");
                        None
                    }
                })
                .collect(),
            _ => {
                self.wrong_type(node, "Statement", "an object or an array of objects");
                Vec::new()
            }
        }
    }

    fn statement(&mut self, node: &'a Node<'a>, index: usize) -> Option<Statement<'a>> {
        let mut s = Statement {
            index,
            span: node.span,
            sid: None,
            effect: None,
            principal: None,
            not_principal: None,
            action: None,
            not_action: None,
            resource: None,
            not_resource: None,
            condition: None,
        };
        for member in node.as_object()? {
            match &*member.key.name {
                "Sid" => {
                    let sid = self.text(member, "Sid");
                    if let Some(sid) = sid.filter(|s| s.value.is_empty()) {
                        self.problems.push(Problem::EmptyValue {
                            span: sid.span,
                            element: "Sid",
                        });
                    }
                    set_once(&mut s.sid, sid);
                }
                "Effect" => set_once(&mut s.effect, self.text(member, "Effect")),
                "Principal" => set_once(&mut s.principal, self.principal(member, "Principal")),
                "NotPrincipal" => {
                    set_once(&mut s.not_principal, self.principal(member, "NotPrincipal"))
                }
                "Action" => set_once(&mut s.action, self.list(member, "Action")),
                "NotAction" => set_once(&mut s.not_action, self.list(member, "NotAction")),
                "Resource" => set_once(&mut s.resource, self.list(member, "Resource")),
                "NotResource" => set_once(&mut s.not_resource, self.list(member, "NotResource")),
                "Condition" => set_once(&mut s.condition, self.condition(member)),
                name => self.unknown(member, name, Parent::Statement),
            }
        }
        Some(s)
    }

    /// A string or an array of strings.
    fn strings(&mut self, node: &'a Node<'a>, element: &'static str) -> Option<Vec<Text<'a>>> {
        match &node.value {
            Value::String(s) => Some(vec![Text {
                value: s,
                span: node.span,
            }]),
            Value::Array(items) => {
                if items.is_empty() {
                    self.problems.push(Problem::EmptyValue {
                        span: node.span,
                        element,
                    });
                }
                Some(
                    items
                        .iter()
                        .filter_map(|item| match &item.value {
                            Value::String(s) => Some(Text {
                                value: s,
                                span: item.span,
                            }),
                            _ => {
                                self.wrong_type(item, element, "a string");
                                None
                            }
                        })
                        .collect(),
                )
            }
            _ => {
                self.wrong_type(node, element, "a string or an array of strings");
                None
            }
        }
    }

    fn list(&mut self, member: &'a Member<'a>, element: &'static str) -> Option<List<'a>> {
        let items = self.strings(&member.value, element)?;
        Some(List {
            key_span: member.key.span,
            span: member.value.span,
            items,
        })
    }

    fn principal(
        &mut self,
        member: &'a Member<'a>,
        element: &'static str,
    ) -> Option<Principal<'a>> {
        let node = &member.value;
        let mut principal = Principal {
            key_span: member.key.span,
            span: node.span,
            any: None,
            entries: Vec::new(),
        };
        match &node.value {
            Value::String(s) if s == "*" => principal.any = Some(node.span),
            // Computed by a template (`type = element(keys(var.principals), ...)`): there is a
            // principal, of which nothing is known.
            Value::String(s) if crate::source::has_placeholder(s) => {}
            Value::Object(members) => {
                if members.is_empty() {
                    self.problems.push(Problem::EmptyValue {
                        span: node.span,
                        element,
                    });
                }
                for entry in members {
                    let Some(kind) = PrincipalKind::parse(&entry.key.name) else {
                        self.unknown(entry, &entry.key.name, Parent::Principal);
                        continue;
                    };
                    if let Some(values) = self.strings(&entry.value, element) {
                        principal.entries.push(PrincipalEntry {
                            kind,
                            key_span: entry.key.span,
                            values,
                        });
                    }
                }
            }
            _ => {
                self.wrong_type(
                    node,
                    element,
                    "\"*\" or an object such as {\"AWS\": \"...\"}",
                );
                return None;
            }
        }
        Some(principal)
    }

    fn condition(&mut self, member: &'a Member<'a>) -> Option<Condition<'a>> {
        let node = &member.value;
        let mut condition = Condition {
            key_span: member.key.span,
            span: node.span,
            blocks: Vec::new(),
            complete: true,
        };
        let Some(operators) = node.as_object() else {
            self.wrong_type(node, "Condition", "an object of condition operators");
            condition.complete = false;
            return Some(condition);
        };
        if operators.is_empty() {
            self.problems.push(Problem::EmptyValue {
                span: node.span,
                element: "Condition",
            });
        }
        for operator in operators {
            if condition
                .blocks
                .iter()
                .any(|b| b.operator.value == operator.key.name.as_ref())
            {
                condition.complete = false;
            }
            let Some(keys) = operator.value.as_object() else {
                condition.complete = false;
                self.problems.push(Problem::BadCondition {
                    span: operator.value.span,
                    message: format!(
                        "the condition operator `{}` must map to an object of condition keys, found {}",
                        operator.key.name,
                        operator.value.json_type().article_name()
                    ),
                });
                continue;
            };
            if keys.is_empty() {
                self.problems.push(Problem::EmptyValue {
                    span: operator.value.span,
                    element: "Condition",
                });
            }
            let mut block = ConditionBlock {
                operator: Text {
                    value: &operator.key.name,
                    span: operator.key.span,
                },
                span: operator.value.span,
                entries: Vec::new(),
            };
            for key in keys {
                if block
                    .entries
                    .iter()
                    .any(|e| e.key.value == key.key.name.as_ref())
                {
                    condition.complete = false;
                }
                let count = key.value.as_array().map_or(1, <[Node]>::len);
                let values = self.condition_values(key);
                if values.as_ref().map(Vec::len) != Some(count) {
                    condition.complete = false;
                }
                if let Some(values) = values {
                    block.entries.push(ConditionEntry {
                        key: Text {
                            value: &key.key.name,
                            span: key.key.span,
                        },
                        span: key.value.span,
                        values,
                    });
                }
            }
            condition.blocks.push(block);
        }
        Some(condition)
    }

    fn condition_values(&mut self, key: &'a Member<'a>) -> Option<Vec<ConditionValue<'a>>> {
        let scalar = |node: &'a Node<'a>| -> Option<ConditionValue<'a>> {
            let text: &'a str = match &node.value {
                Value::String(s) => s,
                Value::Number(n) => n,
                Value::Bool(true) => "true",
                Value::Bool(false) => "false",
                _ => return None,
            };
            Some(ConditionValue {
                text,
                span: node.span,
                json: node.json_type(),
            })
        };
        let bad = |node: &Node| {
            Problem::BadCondition {
            span: node.span,
            message: format!(
                "the value of condition key `{}` must be a string, number or boolean, or an array of them, found {}",
                key.key.name,
                node.json_type().article_name()
            ),
        }
        };
        match &key.value.value {
            Value::Array(items) => {
                if items.is_empty() {
                    self.problems.push(Problem::EmptyValue {
                        span: key.value.span,
                        element: "Condition",
                    });
                }
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    match scalar(item) {
                        Some(value) => values.push(value),
                        None => self.problems.push(bad(item)),
                    }
                }
                Some(values)
            }
            _ => match scalar(&key.value) {
                Some(value) => Some(vec![value]),
                None => {
                    self.problems.push(bad(&key.value));
                    None
                }
            },
        }
    }
}
