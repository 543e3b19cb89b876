//! Stage 1½: a CloudFormation template's syntax tree → the policy documents inside it, each with
//! its logical path, its kind (from [`table`], data compiled in) and a body in the template's own
//! byte offsets: objects as they are, strings decoded with a byte map (see [`strings`]), and
//! intrinsic functions resolved to placeholders (see [`resolve`]). A Terraform file gives the same
//! [`Found`]s (see [`terraform`]).

mod built;
pub mod plan;
pub mod resolve;
mod sam;
pub mod scope;
pub mod strings;
pub mod table;
pub mod terraform;
pub mod terraform_json;

/// The kind of a document that says nothing of where it is used (a Terraform policy-document
/// data source no resource of its file refers to): inferred from its content, as for a file.
pub const INFER: &str = "inferred";

use std::rc::Rc;

use crate::source::tree::escape_pointer_token;
use crate::source::{self, Node, ParseError, Span, Value};

use resolve::Resolver;
pub use resolve::{Reading, Used};
use scope::Scope;
use strings::Mapped;
use table::Build;

/// Readings of one document beyond this are not all checked: each condition side and each
/// allowed value is still read at least once (see [`Found::readings`]).
pub const MAX_READINGS: usize = 16;

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
    Tree(&'t Node<'t>, Values<'t>),
    /// A policy built from properties (see `built`).
    Built(Node<'t>, Values<'t>),
    /// A policy written as a string, decoded with its byte map.
    Text(Mapped),
    /// A policy written as the text of a `Fn::Sub`, decoded with its byte map and substituted
    /// under each of its readings, with the parameter defaults it used; and whether the text
    /// names anything (`${Name}`).
    Sub(Vec<(Reading, Mapped, Vec<Used>)>, bool, Values<'t>),
    /// A document built from the file's syntax (Terraform's `jsonencode({...})`, a policy-document
    /// data source), its spans on the tokens that wrote each part.
    Owned(Node<'t>),
    /// A value computed at deploy time (`!Ref`, `!GetAtt`, `!ImportValue`...): nothing to check.
    Unknown,
}

/// What a CloudFormation document's references may stand for: the template's parameters and
/// resources, and the `Fn::If` sides on the way to the document (`Policies: [!If [C, {...}, ...]]`).
#[derive(Debug, Clone)]
struct Values<'t> {
    scope: Rc<Scope<'t>>,
    outer: Vec<(String, bool)>,
    /// For a SAM policy template: the spans of its name and of the entry, where its published
    /// parts are (see [`sam::expand`]).
    published: Option<(Span, Span)>,
}

impl Values<'_> {
    /// Every reading to check of a document whose `Fn::If`s name `conditions` and whose
    /// references name `parameters` with allowed values (see [`enumerate`]).
    fn readings(&self, mut conditions: Vec<String>, parameters: Vec<String>) -> Vec<Reading> {
        // Sides fixed on the way to the document are not choices within it.
        conditions.retain(|c| !self.outer.iter().any(|(o, _)| o == c));
        let parameters: Vec<(String, &[String])> = (parameters.into_iter())
            .map(|p| {
                let allowed = self.scope.allowed(&p);
                (p, allowed)
            })
            .collect();
        enumerate(&self.outer, &conditions, &parameters)
    }
}

/// Every reading of `conditions` (each true or false) and `parameters` (each at one of its
/// values), after the sides `fixed`: one per combination, the first choice varying fastest.
/// Past [`MAX_READINGS`], every combination of the conditions still (a statement guarded by one
/// condition and its caller by another must be read in each pairing), with the parameters
/// stepping through their values alongside; past that too, the `k`-th side and value of every
/// choice at once, as many times as it takes for each side and each value to be read.
fn enumerate(
    fixed: &[(String, bool)],
    conditions: &[String],
    parameters: &[(String, &[String])],
) -> Vec<Reading> {
    let sizes: Vec<usize> = (conditions.iter().map(|_| 2))
        .chain(parameters.iter().map(|(_, values)| values.len()))
        .collect();
    let total = (sizes.iter())
        .try_fold(1usize, |n, &size| n.checked_mul(size))
        .filter(|&total| total <= MAX_READINGS);
    let picks: Vec<Vec<usize>> = match total {
        // Reading `n` is a mixed-radix number: a digit per choice.
        Some(total) => (0..total)
            .map(|n| {
                let mut rest = n;
                (sizes.iter())
                    .map(|&size| {
                        let digit = rest % size;
                        rest /= size;
                        digit
                    })
                    .collect()
            })
            .collect(),
        None => {
            let widest = sizes.iter().copied().max().unwrap_or(1);
            let sides = u32::try_from(conditions.len())
                .ok()
                .and_then(|n| 1usize.checked_shl(n))
                .filter(|&sides| sides <= MAX_READINGS);
            match sides {
                Some(sides) => (0..sides.max(widest))
                    .map(|k| {
                        let condition = (0..conditions.len()).map(|i| (k % sides) >> i & 1);
                        let value = sizes[conditions.len()..].iter().map(|&size| k % size);
                        condition.chain(value).collect()
                    })
                    .collect(),
                None => (0..widest)
                    .map(|k| sizes.iter().map(|&size| k % size).collect())
                    .collect(),
            }
        }
    };
    (picks.into_iter())
        .map(|picks| {
            let (sides, values) = picks.split_at(conditions.len());
            Reading {
                // The first side read is the true one.
                conditions: (fixed.iter().cloned())
                    .chain(
                        (conditions.iter().zip(sides))
                            .map(|(name, &side)| (name.clone(), side == 0)),
                    )
                    .collect(),
                parameters: (parameters.iter().zip(values))
                    .map(|((name, allowed), &value)| (name.clone(), allowed[value].clone()))
                    .collect(),
            }
        })
        .collect()
}

/// The readings of documents checked together (a scenario's): each condition on one side and
/// each parameter at one value in all of them, enumerated and capped as one document's are (see
/// [`Found::readings`]). A condition is read both ways even when only one of its sides leads to
/// a document: on the other side, that document is not there (see [`Found::reading_in`]).
pub fn joint_readings(found: &[&Found]) -> Vec<Reading> {
    let mut conditions: Vec<String> = Vec::new();
    let mut parameters: Vec<(String, Vec<String>)> = Vec::new();
    for reading in found.iter().flat_map(|f| f.readings()) {
        for (name, _) in reading.conditions {
            if !conditions.contains(&name) {
                conditions.push(name);
            }
        }
        for (name, value) in reading.parameters {
            match parameters.iter_mut().find(|(n, _)| *n == name) {
                Some((_, values)) if !values.contains(&value) => values.push(value),
                Some(_) => {}
                None => parameters.push((name, vec![value])),
            }
        }
    }
    let parameters: Vec<(String, &[String])> = (parameters.iter())
        .map(|(name, values)| (name.clone(), values.as_slice()))
        .collect();
    enumerate(&[], &conditions, &parameters)
}

impl<'t> Found<'t> {
    /// Every reading of the document to check: one per combination of the sides of its
    /// `Fn::If` conditions and the allowed values of its parameters, or, past [`MAX_READINGS`],
    /// as many as it takes for each side and each value to be read at least once.
    pub fn readings(&self) -> Vec<Reading> {
        if let Body::Sub(readings, ..) = &self.body {
            return readings.iter().map(|r| r.0.clone()).collect();
        }
        let Some((node, values)) = self.tree() else {
            return vec![Reading::default()];
        };
        let (mut conditions, mut parameters) = (Vec::new(), Vec::new());
        resolve::choices(node, &values.scope, &mut conditions, &mut parameters);
        values.readings(conditions, parameters)
    }

    /// A document held as a tree whose intrinsics resolve, and what they may stand for.
    fn tree(&self) -> Option<(&Node<'t>, &Values<'t>)> {
        match &self.body {
            Body::Tree(node, values) => Some((node, values)),
            Body::Built(node, values) => Some((node, values)),
            _ => None,
        }
    }

    /// The document as written (not built from properties, nor a string) under one reading,
    /// each `Fn::If` on the reading's side and every other intrinsic kept: a binder reads in it
    /// what a `Ref` or `Fn::GetAtt` points at (see [`resolve::sides`]). `None` when it is not
    /// there in that reading.
    pub fn written(&self, reading: &Reading) -> Option<Node<'t>> {
        match &self.body {
            Body::Tree(node, _) => resolve::sides(node, reading),
            _ => None,
        }
    }

    /// Whether a finding at `span` is about what AWS publishes as a SAM policy template, not
    /// about what the template gives it: the template cannot change it, so only a security
    /// finding there is worth reporting.
    pub fn is_published(&self, span: Span) -> bool {
        // The parts are at the name (a finding at a statement's first character too), the root
        // and `Statement` list at the entry.
        match &self.body {
            Body::Built(_, values) => values
                .published
                .is_some_and(|(name, entry)| name.contains(span) || entry == span),
            _ => false,
        }
    }

    /// The `Fn::If` sides on the way to the document: they hold for every finding in it.
    pub fn outer_conditions(&self) -> &[(String, bool)] {
        match &self.body {
            Body::Tree(_, values) | Body::Built(_, values) | Body::Sub(_, _, values) => {
                &values.outer
            }
            _ => &[],
        }
    }

    /// The document under one reading, in template byte offsets; `None` when it is not known
    /// before deploy time.
    pub fn body(&self, reading: &Reading) -> Option<Result<Node<'_>, ParseError>> {
        self.read(reading).map(|r| r.map(|(node, _)| node))
    }

    /// As [`Found::body`], with the parameter defaults the document was read with.
    pub fn read(&self, reading: &Reading) -> Option<Result<(Node<'_>, Vec<Used>), ParseError>> {
        fn parsed(mapped: &Mapped) -> Result<Node<'_>, ParseError> {
            match source::parse(&mapped.text) {
                Ok(mut root) => {
                    mapped.map_tree(&mut root);
                    Ok(root)
                }
                Err(error) => Err(mapped.map_error(error)),
            }
        }
        match &self.body {
            Body::Unknown => None,
            Body::Owned(node) => Some(Ok((node.clone(), Vec::new()))),
            Body::Tree(..) | Body::Built(..) => {
                let (node, values) = self.tree()?;
                let resolver = Resolver::new(&values.scope, reading);
                let node = resolver.resolve(node)?;
                Some(Ok((node, resolver.used.into_inner())))
            }
            Body::Text(mapped) => Some(parsed(mapped).map(|node| (node, Vec::new()))),
            Body::Sub(readings, ..) => {
                let (_, mapped, used) = readings.iter().find(|(r, ..)| r == reading)?;
                Some(parsed(mapped).map(|node| (node, used.clone())))
            }
        }
    }

    /// The document's own reading within a joint one (see [`joint_readings`]): the one that
    /// takes the same sides and values, else (past the cap) the one that differs least; `None`
    /// when the joint reading takes the other side of an `Fn::If` on the way to the document,
    /// where it is not there.
    pub fn reading_in(&self, joint: &Reading) -> Option<Reading> {
        let outer = self.outer_conditions();
        if outer
            .iter()
            .any(|(name, side)| joint.condition(name) != *side)
        {
            return None;
        }
        let differences = |own: &Reading| {
            let sides =
                (own.conditions.iter()).filter(|(name, side)| joint.condition(name) != *side);
            let values = (own.parameters.iter())
                .filter(|(name, value)| joint.parameter(name).is_some_and(|v| v != value));
            sides.count() + values.count()
        };
        self.readings().into_iter().min_by_key(differences)
    }

    /// Whether the document is a string with placeholders in it: when such a text fails to parse,
    /// a placeholder may stand for JSON syntax (`"Resource": ${Arns}`), so the error is not
    /// certain.
    pub fn text_has_placeholders(&self) -> bool {
        match &self.body {
            Body::Text(m) => source::has_placeholder(&m.text),
            // Any `${Name}` may stand for JSON syntax, whatever it resolves to in one reading.
            Body::Sub(_, names, _) => *names,
            _ => false,
        }
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
        body: Body::Tree(
            root,
            Values {
                // A fragment has no parameters or resources of its own.
                scope: Rc::new(Scope::new(root)),
                outer: Vec::new(),
                published: None,
            },
        ),
    })
}

/// Every policy document of a template, in source order.
pub fn find<'t>(text: &str, root: &'t Node<'t>) -> Vec<Found<'t>> {
    let mut found = Vec::new();
    let Some(resources) = root.get("Resources").and_then(|r| r.value.as_object()) else {
        return found;
    };
    let boundaries = boundaries(resources);
    let scope = Rc::new(Scope::new(root));
    let global_api_policy = global_api_policy(root);
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
            if !entry.applies(|name| properties.value.get(name)?.value.as_str()) {
                continue;
            }
            let mut places = Vec::new();
            walk(
                &properties.value,
                &entry.steps,
                (base.clone(), Vec::new()),
                &mut places,
            );
            for ((place, outer), node) in places {
                let values = Values {
                    scope: scope.clone(),
                    outer,
                    published: None,
                };
                let mut expanded = Vec::new();
                let mut add = |place: Place, node: &'t Node<'t>, values: Values<'t>| {
                    let (place, span, body) = match entry.build {
                        None => (place, node.span, body(text, node, values)),
                        Some(Build::Statement) => (
                            place,
                            node.span,
                            Body::Built(built::statement_policy(node), values),
                        ),
                        Some(Build::LambdaPermission) => (
                            base.clone(),
                            properties.value.span,
                            built::lambda_permission(&properties.value)
                                .map_or(Body::Unknown, |node| Body::Built(node, values)),
                        ),
                        // Shorthands that make no statement (empty lists) are no document.
                        Some(Build::SamApi) => {
                            // SAM merges `Globals` before it reads intrinsics: a policy behind an
                            // `Fn::If` is the resource's own, whole.
                            let merged = match global_api_policy
                                .filter(|_| values.outer.is_empty() && takes_globals(resource))
                            {
                                Some(global) => built::merge_global(global, node),
                                None => node.clone(),
                            };
                            match built::sam_api_policy(&merged) {
                                Some(policy) => (place, node.span, Body::Built(policy, values)),
                                None => return,
                            }
                        }
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
                    // names (not documents) and SAM policy templates (expanded).
                    // An `Fn::If` item is followed into both sides, as SAM does.
                    let mut items: Vec<(Place, Sides, &'t Node<'t>)> = match &node.value {
                        Value::Array(items) => (items.iter().enumerate())
                            .map(|(i, item)| (place.index(i), values.outer.clone(), item))
                            .collect(),
                        _ => vec![(place, values.outer.clone(), node)],
                    };
                    items.reverse();
                    while let Some((place, outer, item)) = items.pop() {
                        if let Some(Some([condition, then, otherwise])) =
                            item.get("Fn::If").map(|m| m.value.as_array())
                        {
                            let branch = place.key("Fn::If");
                            for (i, side, node) in [(2, false, otherwise), (1, true, then)] {
                                let mut outer = outer.clone();
                                if let Some(name) = condition.as_str() {
                                    outer.push((name.to_string(), side));
                                }
                                items.push((branch.index(i), outer, node));
                            }
                        } else if item.get("Statement").is_some() {
                            add(
                                place,
                                item,
                                Values {
                                    outer,
                                    ..values.clone()
                                },
                            );
                        } else if let Some((name, policy)) = sam::expand(item) {
                            let place = place.key(&name.name);
                            expanded.push(Found {
                                logical_path: place.logical,
                                pointer: place.pointer,
                                construct,
                                resource_type,
                                kind: entry.kind,
                                span: item.span,
                                ignore: &[],
                                built: true,
                                body: Body::Built(
                                    policy,
                                    Values {
                                        outer,
                                        published: Some((name.span, item.span)),
                                        ..values.clone()
                                    },
                                ),
                            });
                        }
                    }
                } else {
                    add(place, node, values.clone());
                }
                found.extend(expanded);
            }
        }
    }
    found.extend(global_api_document(resources, global_api_policy, &scope));
    found.extend(event_api_documents(resources, &scope));
    found.sort_by_key(|f| f.span.start);
    found
}

/// The `Auth.ResourcePolicy` of a function's or state machine's `Api` events: SAM adds what it
/// builds from it to the policy of the event's API. Each is checked as a document of its own
/// (the API's other statements are not read with it).
fn event_api_documents<'t>(
    resources: &'t [source::Member<'t>],
    scope: &Rc<Scope<'t>>,
) -> Vec<Found<'t>> {
    let mut found = Vec::new();
    let Some(entry) =
        table::entries_for("AWS::Serverless::Api").find(|e| e.build == Some(Build::SamApi))
    else {
        return found;
    };
    for resource in resources {
        let Some(resource_type) = (resource.value.get("Type"))
            .and_then(|t| t.value.as_str())
            .filter(|t| ["AWS::Serverless::Function", "AWS::Serverless::StateMachine"].contains(t))
        else {
            continue;
        };
        let properties = resource.value.get("Properties");
        let events = properties.and_then(|p| p.value.get("Events")?.value.as_object());
        for event in events.unwrap_or_default() {
            if event.value.get("Type").and_then(|t| t.value.as_str()) != Some("Api") {
                continue;
            }
            let Some(resource_policy) = (event.value.get("Properties"))
                .and_then(|p| p.value.get("Auth")?.value.get("ResourcePolicy"))
            else {
                continue;
            };
            let Some(policy) = built::sam_api_policy(&resource_policy.value) else {
                continue;
            };
            let place = [
                "Properties",
                "Events",
                &event.key.name,
                "Properties",
                "Auth",
            ]
            .iter()
            .fold(
                Place {
                    logical: format!("Resources.{}", resource.key.name),
                    pointer: format!("/Resources/{}", escape_pointer_token(&resource.key.name)),
                },
                |place, step| place.key(step),
            )
            .key("ResourcePolicy");
            found.push(sam_api_found(
                place,
                resource_type,
                entry,
                resource_policy.value.span,
                policy,
                scope,
            ));
        }
    }
    found
}

/// `Globals.Api.Auth.ResourcePolicy`, which SAM merges into every `AWS::Serverless::Api` (and the
/// API it makes for functions' `Api` events).
fn global_api_policy<'t>(root: &'t Node<'t>) -> Option<&'t Node<'t>> {
    let auth = &root
        .get("Globals")?
        .value
        .get("Api")?
        .value
        .get("Auth")?
        .value;
    Some(&auth.get("ResourcePolicy")?.value)
}

/// Whether SAM merges `Globals` into this resource: not when its `IgnoreGlobals` is `*` or names
/// `Auth`.
fn takes_globals(resource: &source::Member) -> bool {
    match resource.value.get("IgnoreGlobals").map(|m| &m.value.value) {
        Some(Value::String(s)) => s != "*",
        Some(Value::Array(names)) => !names.iter().any(|n| n.as_str() == Some("Auth")),
        _ => true,
    }
}

/// The global API policy as a document of its own, once, when an API takes it whole: an
/// `AWS::Serverless::Api` with no `Auth.ResourcePolicy` of its own, or the API SAM makes for a
/// function's `Api` event that names no `RestApiId`. (An API with its own is checked merged.)
fn global_api_document<'t>(
    resources: &'t [source::Member<'t>],
    global: Option<&'t Node<'t>>,
    scope: &Rc<Scope<'t>>,
) -> Option<Found<'t>> {
    let global = global?;
    let of_type = |wanted: &'static str| {
        resources
            .iter()
            .filter(move |r| r.value.get("Type").and_then(|t| t.value.as_str()) == Some(wanted))
    };
    let property = |r: &'t source::Member<'t>, name: &str| {
        r.value.get("Properties").and_then(|p| p.value.get(name))
    };
    let without_own = of_type("AWS::Serverless::Api").any(|api| {
        takes_globals(api)
            && match property(api, "Auth").map(|a| &a.value) {
                None => true,
                Some(auth) => {
                    matches!(auth.as_object(), Some(members) if !members.iter().any(|m| {
                        m.key.name == "ResourcePolicy" || resolve::is_intrinsic(&m.key.name)
                    }))
                }
            }
    });
    let implicit = of_type("AWS::Serverless::Function").any(|function| {
        let events = property(function, "Events").and_then(|e| e.value.as_object());
        events.unwrap_or_default().iter().any(|event| {
            event.value.get("Type").and_then(|t| t.value.as_str()) == Some("Api")
                && (event.value.get("Properties"))
                    .is_none_or(|p| p.value.get("RestApiId").is_none())
        })
    });
    if !(without_own || implicit) {
        return None;
    }
    let entry =
        table::entries_for("AWS::Serverless::Api").find(|e| e.build == Some(Build::SamApi))?;
    let policy = built::sam_api_policy(global)?;
    let place = Place {
        logical: "Globals.Api.Auth.ResourcePolicy".to_string(),
        pointer: "/Globals/Api/Auth/ResourcePolicy".to_string(),
    };
    Some(sam_api_found(
        place,
        entry.resource_type,
        entry,
        global.span,
        policy,
        scope,
    ))
}

/// An API resource policy SAM builds (at `place`, from the properties at `span`).
fn sam_api_found<'t>(
    place: Place,
    resource_type: &'t str,
    entry: &'static table::Entry,
    span: Span,
    policy: Node<'t>,
    scope: &Rc<Scope<'t>>,
) -> Found<'t> {
    Found {
        logical_path: place.logical,
        pointer: place.pointer,
        construct: None,
        resource_type,
        kind: entry.kind,
        span,
        ignore: &entry.ignore,
        built: true,
        body: Body::Built(
            policy,
            Values {
                scope: scope.clone(),
                outer: Vec::new(),
                published: None,
            },
        ),
    }
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

/// The `Fn::If` sides taken to reach a place: each condition's name and side.
type Sides = Vec<(String, bool)>;

/// A place, and the `Fn::If` sides taken to reach it.
type Sided = (Place, Sides);

/// The nodes at a table path (`Policies[*].PolicyDocument`) below `node`. On the way, both
/// branches of an `Fn::If` are followed (`Policies: [!If [Cond, {PolicyDocument: ...}, ...]]`),
/// and `AWS::NoValue` leads nowhere.
fn walk<'t>(
    node: &'t Node<'t>,
    steps: &[table::Step],
    (place, sides): Sided,
    out: &mut Vec<(Sided, &'t Node<'t>)>,
) {
    if !steps.is_empty() {
        if let Some([member]) = node.as_object() {
            if member.key.name == "Fn::If" {
                if let Some([condition, then, otherwise]) = member.value.as_array() {
                    let branch = place.key("Fn::If");
                    let side = |value: bool| {
                        let mut sides = sides.clone();
                        if let Some(name) = condition.as_str() {
                            sides.push((name.to_string(), value));
                        }
                        sides
                    };
                    walk(then, steps, (branch.index(1), side(true)), out);
                    walk(otherwise, steps, (branch.index(2), side(false)), out);
                }
                return;
            }
        }
    }
    let Some((step, rest)) = steps.split_first() else {
        out.push(((place, sides), node));
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
            walk(item, rest, (place.index(i), sides.clone()), out);
        }
    } else {
        walk(&member.value, rest, (place, sides), out);
    }
}

/// How a property value holds its policy.
fn body<'t>(text: &str, node: &'t Node<'t>, values: Values<'t>) -> Body<'t> {
    let decoded = |node: &Node| {
        let value = node.as_str()?;
        let source = text.get(node.span.range())?;
        Some(Mapped::new(source, value, node.span.start))
    };
    match &node.value {
        Value::String(_) => decoded(node).map_or(Body::Unknown, Body::Text),
        Value::Object(members) => match members.as_slice() {
            [member] if member.key.name == "Fn::Sub" => {
                let (template, variables) = match &member.value.value {
                    Value::Array(items) => (items.first(), items.get(1)),
                    _ => (Some(&member.value), None),
                };
                template.and_then(decoded).map_or(Body::Unknown, |m| {
                    let (mut conditions, mut parameters) = (Vec::new(), Vec::new());
                    for name in resolve::sub_names(&m.text) {
                        if !values.scope.allowed(name).is_empty()
                            && !parameters.iter().any(|p| p == name)
                        {
                            parameters.push(name.to_string());
                        }
                    }
                    if let Some(variables) = variables {
                        resolve::choices(
                            variables,
                            &values.scope,
                            &mut conditions,
                            &mut parameters,
                        );
                    }
                    let readings = values
                        .readings(conditions, parameters)
                        .into_iter()
                        .map(|reading| {
                            let resolver = Resolver::new(&values.scope, &reading);
                            let substituted = m
                                .substitute(&|name, span| resolver.variable(name, variables, span));
                            let used = resolver.used.into_inner();
                            (reading, substituted, used)
                        })
                        .collect();
                    let names = resolve::sub_names(&m.text).next().is_some();
                    Body::Sub(readings, names, values)
                })
            }
            [member] if member.key.name == "Fn::If" => Body::Tree(node, values),
            [member] if resolve::is_intrinsic(&member.key.name) => Body::Unknown,
            _ => Body::Tree(node, values),
        },
        _ => Body::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STACK: &str = r#"
Parameters:
  Stage: {Type: String, AllowedValues: [prod, dev, test]}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: !If [IsProd, cloudtrail.amazonaws.com, lambda.amazonaws.com]}
            Action: sts:AssumeRole
      Policies:
        - !If
          - IsProd
          - PolicyName: prod
            PolicyDocument:
              Statement:
                - Effect: Allow
                  Action: s3:GetObject
                  Resource: !Sub arn:aws:s3:::${Stage}/*
          - !Ref AWS::NoValue
"#;

    fn with_found(check: impl Fn(&[Found])) {
        let root = source::parse_yaml(STACK).unwrap();
        check(&find(STACK, &root));
    }

    #[test]
    fn documents_read_together_share_each_condition_s_side_and_each_parameter_s_value() {
        with_found(|found| {
            let all: Vec<&Found> = found.iter().collect();
            let readings = joint_readings(&all);
            // `IsProd` both ways, `Stage` at each of its three values.
            assert_eq!(readings.len(), 6, "{readings:?}");
            for reading in &readings {
                for f in &all {
                    let Some(own) = f.reading_in(reading) else {
                        continue;
                    };
                    for (name, side) in &own.conditions {
                        assert_eq!(reading.condition(name), *side, "{reading:?} {own:?}");
                    }
                    for (name, value) in &own.parameters {
                        assert_eq!(reading.parameter(name), Some(value.as_str()));
                    }
                }
            }
        });
    }

    #[test]
    fn a_document_on_one_side_of_an_fn_if_is_not_there_on_the_other() {
        with_found(|found| {
            let policy = (found.iter())
                .find(|f| f.logical_path.contains("Fn::If"))
                .unwrap();
            let readings = joint_readings(&[policy]);
            // Read both ways, though only one side leads to the document.
            assert_eq!(readings.len(), 6, "{readings:?}");
            let there: Vec<bool> = (readings.iter())
                .map(|r| policy.reading_in(r).is_some())
                .collect();
            let prod: Vec<bool> = readings.iter().map(|r| r.condition("IsProd")).collect();
            assert_eq!(there, prod);
        });
    }

    #[test]
    fn past_the_cap_each_side_and_value_is_still_read() {
        let names: Vec<String> = (0..5).map(|i| format!("C{i}")).collect();
        let values = ["a".to_string(), "b".to_string(), "c".to_string()];
        let readings = enumerate(&[], &names, &[("P".to_string(), &values[..])]);
        // 2^5 * 3 readings are too many: the k-th side and value of each at once.
        assert_eq!(readings.len(), 3);
        for name in &names {
            let sides: Vec<bool> = readings.iter().map(|r| r.condition(name)).collect();
            assert_eq!(sides, [true, false, true]);
        }
        let picked: Vec<&str> = readings.iter().filter_map(|r| r.parameter("P")).collect();
        assert_eq!(picked, ["a", "b", "c"]);
        // Under the cap, every combination once, the first side read being the true one.
        let readings = enumerate(&[], &names[..2], &[("P".to_string(), &values[..2])]);
        assert_eq!(readings.len(), 8);
        assert!(readings[0].condition("C0") && !readings[1].condition("C0"));
        let distinct: std::collections::BTreeSet<String> =
            readings.iter().map(|r| format!("{r:?}")).collect();
        assert_eq!(distinct.len(), 8);
        // Two conditions and a parameter of five values are 20 readings, past the cap: every
        // pairing of the two conditions is still read, and every value.
        let five: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        let readings = enumerate(&[], &names[..2], &[("P".to_string(), &five[..])]);
        assert_eq!(readings.len(), 5);
        let pairings: std::collections::BTreeSet<(bool, bool)> = (readings.iter())
            .map(|r| (r.condition("C0"), r.condition("C1")))
            .collect();
        assert_eq!(pairings.len(), 4);
        let picked: Vec<&str> = readings.iter().filter_map(|r| r.parameter("P")).collect();
        assert_eq!(picked, ["a", "b", "c", "d", "e"]);
    }
}
