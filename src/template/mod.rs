//! Stage 1½: a CloudFormation template's syntax tree → the policy documents inside it, each with
//! its logical path, its kind (from [`table`], data compiled in) and a body in the template's own
//! byte offsets: objects as they are, strings decoded with a byte map (see [`strings`]), and
//! intrinsic functions resolved to placeholders (see [`resolve`]). A Terraform file gives the same
//! [`Found`]s (see [`terraform`]).

mod built;
pub mod plan;
pub mod resolve;
pub mod strings;
pub mod table;
pub mod terraform;
pub mod terraform_json;

/// The kind of a document that says nothing of where it is used (a Terraform policy-document
/// data source no resource of its file refers to): inferred from its content, as for a file.
pub const INFER: &str = "inferred";

use crate::source::tree::escape_pointer_token;
use crate::source::{self, Node, ParseError, Span, Value};

pub use resolve::Branch;
use strings::Mapped;
use table::Build;

/// Whether a parsed file is a CloudFormation template: it names the format version, or it has
/// `Resources` whose entries have an `AWS::` type.
pub fn is_template(root: &Node) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    root.get("Resources")
        .and_then(|r| r.value.as_object())
        .is_some_and(|resources| {
            resources.iter().any(|r| {
                r.value
                    .get("Type")
                    .and_then(|t| t.value.as_str())
                    .is_some_and(|t| t.starts_with("AWS::"))
            })
        })
}

/// Whether text that does not parse was meant to be a template, so its error is worth reporting.
pub fn looks_like_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion") || text.contains("AWS::")
}

/// One policy document found in a template.
#[derive(Debug)]
pub struct Found<'t> {
    /// `Resources.Role.Properties.Policies[0].PolicyDocument`.
    pub logical_path: String,
    /// The same place as a JSON Pointer into the template.
    pub pointer: String,
    /// The CDK construct that made the resource (its `aws:cdk:path` metadata).
    pub construct: Option<&'t str>,
    pub resource_type: &'t str,
    /// The kind's name in the table (a [`crate::policy::Kind`]'s).
    pub kind: &'static str,
    /// The property value.
    pub span: Span,
    /// Rules that do not apply to this property's policies (see `table::Entry::ignore`).
    pub ignore: &'static [String],
    /// A policy built from properties: its findings are named by the template's own paths.
    pub built: bool,
    body: Body<'t>,
}

#[derive(Debug)]
enum Body<'t> {
    Tree(&'t Node<'t>),
    /// A policy built from properties (see `built`).
    Built(Node<'t>),
    /// A policy written as a string, decoded (and `Fn::Sub` substituted) with its byte map.
    Text(Mapped),
    /// A document built from the file's syntax (Terraform's `jsonencode({...})`, a policy-document
    /// data source), its spans on the tokens that wrote each part.
    Owned(Node<'t>),
    /// A value computed at deploy time (`!Ref`, `!GetAtt`, `!ImportValue`...): nothing to check.
    Unknown,
}

impl<'t> Found<'t> {
    /// How many readings the document has: two when it holds an `Fn::If` (each branch is checked).
    pub fn branches(&self) -> &'static [Branch] {
        match &self.body {
            Body::Tree(node) if resolve::has_condition(node) => &[Branch::Then, Branch::Else],
            Body::Built(node) if resolve::has_condition(node) => &[Branch::Then, Branch::Else],
            _ => &[Branch::Then],
        }
    }

    /// The document under one reading, in template byte offsets; `None` when it is not known
    /// before deploy time.
    pub fn body(&self, branch: Branch) -> Option<Result<Node<'_>, ParseError>> {
        match &self.body {
            Body::Unknown => None,
            Body::Owned(node) => Some(Ok(node.clone())),
            Body::Tree(node) => resolve::resolve(node, branch).map(Ok),
            Body::Built(node) => resolve::resolve(node, branch).map(Ok),
            Body::Text(mapped) => Some(match source::parse(&mapped.text) {
                Ok(mut root) => {
                    mapped.map_tree(&mut root);
                    Ok(root)
                }
                Err(error) => Err(mapped.map_error(error)),
            }),
        }
    }

    /// Whether the document is a string with placeholders in it: when such a text fails to parse,
    /// a placeholder may stand for JSON syntax (`"Resource": ${Arns}`), so the error is not
    /// certain.
    pub fn text_has_placeholders(&self) -> bool {
        matches!(&self.body, Body::Text(m) if source::has_placeholder(&m.text))
    }
}

/// The resources a role's or user's `PermissionsBoundary` names with a `Ref` (`!Ref Boundary`):
/// `PermissionsBoundary` holds a managed policy's ARN, not a document, and the managed policy it
/// names is a boundary, which caps and grants nothing (`*` on `*` is a normal boundary).
fn boundaries<'t>(resources: &'t [source::Member<'t>]) -> Vec<&'t str> {
    resources
        .iter()
        .filter_map(|r| r.value.get("Properties")?.value.get("PermissionsBoundary"))
        .filter_map(|b| b.value.get("Ref")?.value.as_str())
        .collect()
}

/// A policy file that holds intrinsics (`{"Ref": "AdminRoles"}`): a fragment a template pulls
/// in (`AWS::Include`, a macro's input), checked as one document whose intrinsics are
/// placeholders. Its kind is inferred, and its findings have no logical path.
pub fn fragment<'t>(root: &'t Node<'t>) -> Option<Found<'t>> {
    resolve::has_intrinsic(root).then(|| Found {
        logical_path: String::new(),
        pointer: String::new(),
        construct: None,
        resource_type: "",
        kind: INFER,
        span: root.span,
        ignore: &[],
        built: false,
        body: Body::Tree(root),
    })
}

/// Every policy document of a template, in source order.
pub fn find<'t>(text: &str, root: &'t Node<'t>) -> Vec<Found<'t>> {
    let mut found = Vec::new();
    let Some(resources) = root.get("Resources").and_then(|r| r.value.as_object()) else {
        return found;
    };
    let boundaries = boundaries(resources);
    for resource in resources {
        let Some(resource_type) = resource.value.get("Type").and_then(|t| t.value.as_str()) else {
            continue;
        };
        let Some(properties) = resource.value.get("Properties") else {
            continue;
        };
        let construct = resource
            .value
            .get("Metadata")
            .and_then(|m| m.value.get("aws:cdk:path"))
            .and_then(|p| p.value.as_str());
        let base = Place {
            logical: format!("Resources.{}.Properties", resource.key.name),
            pointer: format!(
                "/Resources/{}/Properties",
                escape_pointer_token(&resource.key.name)
            ),
        };
        for entry in table::entries_for(resource_type) {
            if let Some((property, value)) = &entry.when {
                let actual = properties
                    .value
                    .get(property)
                    .and_then(|v| v.value.as_str());
                if actual != Some(value.as_str()) {
                    continue;
                }
            }
            let mut places = Vec::new();
            walk(&properties.value, &entry.steps, base.clone(), &mut places);
            for (place, node) in places {
                let mut add = |place: Place, node: &'t Node<'t>| {
                    let (place, span, body) = match entry.build {
                        None => (place, node.span, body(text, node)),
                        Some(Build::Statement) => {
                            (place, node.span, Body::Built(built::statement_policy(node)))
                        }
                        Some(Build::LambdaPermission) => (
                            base.clone(),
                            properties.value.span,
                            built::lambda_permission(&properties.value)
                                .map_or(Body::Unknown, Body::Built),
                        ),
                    };
                    found.push(Found {
                        logical_path: place.logical,
                        pointer: place.pointer,
                        construct,
                        resource_type,
                        kind: if entry.kind == "identity"
                            && resource_type == "AWS::IAM::ManagedPolicy"
                            && boundaries.contains(&resource.key.name.as_ref())
                        {
                            "boundary"
                        } else {
                            entry.kind
                        },
                        span,
                        ignore: &entry.ignore,
                        built: entry.build.is_some(),
                        body,
                    })
                };
                if entry.sam {
                    // SAM's `Policies`: a document, or a list mixing documents with managed policy
                    // names and SAM policy templates, which are not documents.
                    match &node.value {
                        Value::Array(items) => {
                            for (i, item) in items.iter().enumerate() {
                                if item.get("Statement").is_some() {
                                    add(place.index(i), item);
                                }
                            }
                        }
                        _ if node.get("Statement").is_some() => add(place, node),
                        _ => {}
                    }
                } else {
                    add(place, node);
                }
            }
        }
    }
    found.sort_by_key(|f| f.span.start);
    found
}

#[derive(Debug, Clone)]
struct Place {
    logical: String,
    pointer: String,
}

impl Place {
    fn key(&self, name: &str) -> Place {
        Place {
            logical: format!("{}.{name}", self.logical),
            pointer: format!("{}/{}", self.pointer, escape_pointer_token(name)),
        }
    }

    fn index(&self, i: usize) -> Place {
        Place {
            logical: format!("{}[{i}]", self.logical),
            pointer: format!("{}/{i}", self.pointer),
        }
    }
}

/// The nodes at a table path (`Policies[*].PolicyDocument`) below `node`. On the way, both
/// branches of an `Fn::If` are followed (`Policies: [!If [Cond, {PolicyDocument: ...}, ...]]`),
/// and `AWS::NoValue` leads nowhere.
fn walk<'t>(
    node: &'t Node<'t>,
    steps: &[table::Step],
    place: Place,
    out: &mut Vec<(Place, &'t Node<'t>)>,
) {
    if !steps.is_empty() {
        if let Some([member]) = node.as_object() {
            if member.key.name == "Fn::If" {
                if let Some([_, then, otherwise]) = member.value.as_array() {
                    let branch = place.key("Fn::If");
                    walk(then, steps, branch.index(1), out);
                    walk(otherwise, steps, branch.index(2), out);
                }
                return;
            }
        }
    }
    let Some((step, rest)) = steps.split_first() else {
        out.push((place, node));
        return;
    };
    let Some(member) = node.get(&step.name) else {
        return;
    };
    let place = place.key(&step.name);
    if step.each {
        for (i, item) in member
            .value
            .as_array()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            walk(item, rest, place.index(i), out);
        }
    } else {
        walk(&member.value, rest, place, out);
    }
}

/// How a property value holds its policy.
fn body<'t>(text: &str, node: &'t Node<'t>) -> Body<'t> {
    let decoded = |node: &Node| {
        let value = node.as_str()?;
        let source = text.get(node.span.range())?;
        Some(Mapped::new(source, value, node.span.start))
    };
    match &node.value {
        Value::String(_) => decoded(node).map_or(Body::Unknown, Body::Text),
        Value::Object(members) => match members.as_slice() {
            [member] if member.key.name == "Fn::Sub" => {
                let template = match &member.value.value {
                    Value::Array(items) => items.first(),
                    _ => Some(&member.value),
                };
                template
                    .and_then(decoded)
                    .map_or(Body::Unknown, |m| Body::Text(m.substitute()))
            }
            [member] if member.key.name == "Fn::If" => Body::Tree(node),
            [member] if resolve::is_intrinsic(&member.key.name) => Body::Unknown,
            _ => Body::Tree(node),
        },
        _ => Body::Unknown,
    }
}
