//! What a template knows of its own values before deploy time: each parameter's `Default` and
//! `AllowedValues`, and the ARN shape of what `Ref` and `Fn::GetAtt` return for its resources
//! (`arns.json`, data compiled in). [`resolve`](super::resolve) asks it what a reference stands
//! for under one [`Reading`](super::Reading).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::source::{Node, Value, PART};

use super::Reading;

/// A parameter with more allowed values than this is read as if it had none (its default, or
/// a placeholder): each value is a reading of the whole document, and readings multiply.
pub const MAX_ALLOWED: usize = 8;

/// A template's parameters and resources, as references resolve them.
#[derive(Debug, Default)]
pub struct Scope<'t> {
    parameters: HashMap<&'t str, Parameter>,
    /// Logical id → resource type.
    resources: HashMap<&'t str, &'t str>,
}

#[derive(Debug)]
struct Parameter {
    default: Option<String>,
    /// Empty when the parameter lists none, or too many (see [`MAX_ALLOWED`]).
    allowed: Vec<String>,
}

/// What a reference stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A parameter's default, used as its value.
    Default(String),
    /// One of a parameter's allowed values, picked by the reading.
    Chosen(String),
    /// A value the stack computes, as text with placeholders (`arn:\u{FDD0}:iam::\u{FDD0}:role/\u{FDD0}`).
    Computed(String),
}

impl<'t> Scope<'t> {
    pub fn new(root: &'t Node<'t>) -> Self {
        let mut scope = Scope::default();
        for member in root
            .get("Parameters")
            .and_then(|p| p.value.as_object())
            .unwrap_or_default()
        {
            // Only a `String` or `Number` parameter's `Ref` is its default: a list's `Ref` is a
            // list, an SSM parameter's default is the name of the value, not the value.
            let kind = member.value.get("Type").and_then(|t| t.value.as_str());
            if !matches!(kind, Some("String" | "Number")) {
                continue;
            }
            // An empty default says "none unless the stack is given one", as in Terraform: it
            // is not the value (an empty principal or ARN would be an error nobody can act on).
            let default = member
                .value
                .get("Default")
                .and_then(|d| scalar(&d.value))
                .filter(|d| !d.is_empty());
            let allowed: Vec<String> = member
                .value
                .get("AllowedValues")
                .and_then(|a| a.value.as_array())
                .map(|items| items.iter().map_while(scalar).collect::<Vec<_>>())
                .unwrap_or_default();
            let complete = member
                .value
                .get("AllowedValues")
                .and_then(|a| a.value.as_array())
                .is_some_and(|items| items.len() == allowed.len());
            let allowed = if complete && (1..=MAX_ALLOWED).contains(&allowed.len()) {
                allowed
            } else {
                Vec::new()
            };
            scope
                .parameters
                .insert(&member.key.name, Parameter { default, allowed });
        }
        for member in root
            .get("Resources")
            .and_then(|r| r.value.as_object())
            .unwrap_or_default()
        {
            if let Some(kind) = member.value.get("Type").and_then(|t| t.value.as_str()) {
                scope.resources.insert(&member.key.name, kind);
            }
        }
        scope
    }

    /// The allowed values of a parameter, when it has a few: each is a reading.
    pub fn allowed(&self, name: &str) -> &[String] {
        self.parameters
            .get(name)
            .map_or(&[], |p| p.allowed.as_slice())
    }

    /// What `Ref name` stands for under `reading`; `None` when only deploy time knows (a pseudo
    /// parameter, a parameter without a default, a resource of no known shape).
    pub fn lookup(&self, name: &str, reading: &Reading) -> Option<Lookup> {
        if let Some(parameter) = self.parameters.get(name) {
            if let Some(value) = reading.parameter(name) {
                return Some(Lookup::Chosen(value.to_string()));
            }
            return parameter.default.clone().map(Lookup::Default);
        }
        self.attribute(name, "Ref")
    }

    /// What `Fn::GetAtt [resource, attribute]` stands for, when its shape is known.
    pub fn attribute(&self, resource: &str, attribute: &str) -> Option<Lookup> {
        let kind = self.resources.get(resource)?;
        let shape = shapes().get(*kind)?.get(attribute)?;
        Some(Lookup::Computed(shape.clone()))
    }
}

/// A parameter's value as CloudFormation passes it: the text of a scalar.
fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(text) => Some(text.to_string()),
        Value::Number(text) => Some(text.to_string()),
        _ => None,
    }
}

/// `arns.json` with each `${...}` as a placeholder of one ARN part.
fn shapes() -> &'static HashMap<String, HashMap<String, String>> {
    static SHAPES: OnceLock<HashMap<String, HashMap<String, String>>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let data: HashMap<String, serde_json::Value> =
            serde_json::from_str(include_str!("arns.json")).expect("arns.json is valid (tested)");
        data.into_iter()
            .filter_map(|(kind, attributes)| {
                let attributes = attributes.as_object()?;
                let attributes = attributes
                    .iter()
                    .filter_map(|(name, shape)| Some((name.clone(), placeholders(shape.as_str()?))))
                    .collect();
                Some((kind, attributes))
            })
            .collect()
    })
}

fn placeholders(shape: &str) -> String {
    let mut out = String::new();
    let mut rest = shape;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        let Some(close) = rest[at..].find('}') else {
            break;
        };
        out.push(PART);
        rest = &rest[at + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_yaml;

    #[test]
    fn shapes_are_arns_of_placeholders() {
        assert!(shapes().len() > 15);
        for (kind, attributes) in shapes() {
            for (name, shape) in attributes {
                let parts = crate::engine::split_arn(shape);
                assert!(parts.is_some(), "{kind}.{name}: {shape}");
                assert!(!shape.contains('$'), "{kind}.{name}");
            }
        }
    }

    #[test]
    fn parameters_resolve_to_their_default_or_chosen_value() {
        let text = "Parameters:\n  Z: {Type: String, Default: ''}\n  B: {Type: String, Default: logs}\n  E: {Type: String, Default: dev, AllowedValues: [dev, prod]}\n  L: {Type: CommaDelimitedList, Default: 'a,b'}\n  S: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /name}\n  N: {Type: String}\nResources:\n  R: {Type: 'AWS::IAM::Role'}\n  Q: {Type: 'AWS::SQS::Queue'}\n";
        let root = parse_yaml(text).unwrap();
        let scope = Scope::new(&root);
        let none = Reading::default();
        assert_eq!(
            scope.lookup("B", &none),
            Some(Lookup::Default("logs".into()))
        );
        assert_eq!(scope.allowed("E"), ["dev", "prod"]);
        let prod = Reading {
            parameters: vec![("E".into(), "prod".into())],
            ..Reading::default()
        };
        assert_eq!(
            scope.lookup("E", &prod),
            Some(Lookup::Chosen("prod".into()))
        );
        for unknown in ["Z", "L", "S", "N", "AWS::Region", "Q", "Missing"] {
            assert_eq!(scope.lookup(unknown, &none), None, "{unknown}");
        }
        assert_eq!(
            scope.attribute("R", "Arn"),
            Some(Lookup::Computed(format!(
                "arn:{PART}:iam::{PART}:role/{PART}"
            )))
        );
        assert_eq!(scope.attribute("R", "RoleId"), None);
    }
}
