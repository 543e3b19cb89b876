//! A Terraform plan or state as `terraform show -json` writes it → the policy documents in it,
//! as [`Found`]s: for each resource, the attributes the Terraform table lists (policies are JSON
//! strings there, decoded with a byte map back to the file). They are read from each resource
//! change's `change.after`, then from the resources of `planned_values` (a plan) or `values` (a
//! state) that no change carries, their `root_module` and `child_modules` at any depth. A policy
//! the plan only knows after apply (`change.after_unknown`) is listed as not checked. The logical
//! path starts with the resource's address (`module.x.aws_iam_policy.p`).

use std::collections::HashSet;

use crate::source::{Node, Value};

use super::strings::Mapped;
use super::table::{self, Step};
use super::{Body, Found, Place};

/// Child modules nested deeper than this are not read (Terraform itself has no such depth).
const MAX_MODULE_DEPTH: usize = 64;

/// Whether a parsed JSON file is a plan or a state: it names its format version and has
/// resource changes, planned values or (a state) values.
pub fn is_plan(root: &Node) -> bool {
    let module = |name: &str| {
        root.get(name)
            .and_then(|v| v.value.get("root_module"))
            .is_some_and(|m| m.value.as_object().is_some())
    };
    root.get("format_version").is_some()
        && (root
            .get("resource_changes")
            .is_some_and(|r| r.value.as_array().is_some())
            || module("planned_values")
            || module("values"))
}

/// One resource's attribute values as the file gives them.
struct Resource<'t> {
    address: &'t str,
    resource_type: &'t str,
    values: &'t Node<'t>,
    /// `after_unknown`: what the plan knows only after apply.
    unknown: Option<&'t Node<'t>>,
    pointer: String,
}

/// Every policy of a plan's or a state's resources, in file order.
pub fn find<'t>(text: &str, root: &'t Node<'t>) -> Vec<Found<'t>> {
    let mut resources = changes(root);
    // A resource a change carries is read from the change (which knows what is unknown); the
    // planned or state values add the ones it does not.
    let changed: HashSet<&str> = resources.iter().map(|r| r.address).collect();
    for name in ["planned_values", "values"] {
        if let Some(module) = root
            .get(name)
            .and_then(|v| v.value.get("root_module"))
            .map(|m| &m.value)
        {
            modules(
                module,
                format!("/{name}/root_module"),
                0,
                &changed,
                &mut resources,
            );
        }
    }
    let mut found = Vec::new();
    for resource in resources {
        let base = Place {
            logical: resource.address.to_string(),
            pointer: resource.pointer,
        };
        let (values, unknown) = (resource.values, resource.unknown);
        for entry in table::terraform_entries_for(resource.resource_type) {
            if !entry.applies(|name| values.get(name)?.value.as_str()) {
                continue;
            }
            let mut places = Vec::new();
            walk(values, unknown, &entry.steps, base.clone(), &mut places);
            for (place, node, known) in places {
                let body = match (&node.value, known) {
                    (Value::String(value), true) => {
                        text.get(node.span.range()).map_or(Body::Unknown, |source| {
                            Body::Text(Mapped::new(source, value, node.span.start))
                        })
                    }
                    _ => Body::Unknown,
                };
                found.push(Found {
                    logical_path: place.logical,
                    pointer: place.pointer,
                    resource_type: resource.resource_type,
                    kind: entry.kind,
                    span: node.span,
                    ignore: &entry.ignore,
                    construct: None,
                    built: false,
                    body,
                });
            }
        }
    }
    found.sort_by_key(|f| f.span.start);
    found
}

/// The resources of `resource_changes`, as they will be after the change.
fn changes<'t>(root: &'t Node<'t>) -> Vec<Resource<'t>> {
    let changes = root
        .get("resource_changes")
        .and_then(|r| r.value.as_array())
        .unwrap_or_default();
    let mut out = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        let field = |name: &str| change.get(name).and_then(|m| m.value.as_str());
        let (Some(address), Some(resource_type)) = (field("address"), field("type")) else {
            continue;
        };
        let Some(after) = change.get("change").map(|c| &c.value) else {
            continue;
        };
        let unknown = after.get("after_unknown").map(|m| &m.value);
        let Some(after) = after.get("after").map(|m| &m.value) else {
            continue;
        };
        out.push(Resource {
            address,
            resource_type,
            values: after,
            unknown,
            pointer: format!("/resource_changes/{i}/change/after"),
        });
    }
    out
}

/// The managed resources of a `planned_values` or `values` module and of its child modules.
fn modules<'t>(
    module: &'t Node<'t>,
    pointer: String,
    depth: usize,
    changed: &HashSet<&str>,
    out: &mut Vec<Resource<'t>>,
) {
    if depth > MAX_MODULE_DEPTH {
        return;
    }
    let list = |name: &str| module.get(name).and_then(|m| m.value.as_array());
    for (i, resource) in list("resources").unwrap_or_default().iter().enumerate() {
        let field = |name: &str| resource.get(name).and_then(|m| m.value.as_str());
        let (Some(address), Some(resource_type), Some(values)) = (
            field("address"),
            field("type"),
            resource.get("values").map(|m| &m.value),
        ) else {
            continue;
        };
        // A data source reads what exists; the module writes only its managed resources.
        if field("mode").is_some_and(|mode| mode != "managed") || changed.contains(address) {
            continue;
        }
        out.push(Resource {
            address,
            resource_type,
            values,
            unknown: None,
            pointer: format!("{pointer}/resources/{i}/values"),
        });
    }
    for (i, child) in list("child_modules").unwrap_or_default().iter().enumerate() {
        modules(
            child,
            format!("{pointer}/child_modules/{i}"),
            depth + 1,
            changed,
            out,
        );
    }
}

/// The values at a table path below `after`, each with whether the plan knows it (`false` when
/// `after_unknown` marks it, or an enclosing value, as known only after apply).
fn walk<'t>(
    node: &'t Node<'t>,
    unknown: Option<&'t Node<'t>>,
    steps: &[Step],
    place: Place,
    out: &mut Vec<(Place, &'t Node<'t>, bool)>,
) {
    let Some((step, rest)) = steps.split_first() else {
        let known = !unknown.is_some_and(|u| matches!(u.value, Value::Bool(true)));
        out.push((place, node, known));
        return;
    };
    let unknown_here = unknown.and_then(|u| u.get(&step.name)).map(|m| &m.value);
    let place = place.key(&step.name);
    let Some(member) = node.get(&step.name) else {
        return;
    };
    if matches!(member.value.value, Value::Null)
        && !unknown_here.is_some_and(|u| matches!(u.value, Value::Bool(true)))
    {
        return;
    }
    if step.each {
        for (i, item) in member
            .value
            .as_array()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let unknown_item = unknown_here
                .and_then(|u| u.as_array())
                .and_then(|a| a.get(i));
            walk(item, unknown_item, rest, place.index(i), out);
        }
    } else {
        walk(&member.value, unknown_here, rest, place, out);
    }
}
