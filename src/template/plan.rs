//! A Terraform plan as `terraform show -json` writes it → the policy documents in it, as
//! [`Found`]s: for each resource change, the attributes the Terraform table lists, read from
//! `change.after` (policies are JSON strings there, decoded with a byte map back to the plan
//! file). A policy the plan only knows after apply (`change.after_unknown`) is listed as not
//! checked. The logical path starts with the resource's address (`module.x.aws_iam_policy.p`).

use crate::source::{Node, Value};

use super::strings::Mapped;
use super::table::{self, Step};
use super::{Body, Found, Place};

/// Whether a parsed JSON file is a plan: it names its format version and has resource changes.
pub fn is_plan(root: &Node) -> bool {
    root.get("format_version").is_some()
        && root
            .get("resource_changes")
            .is_some_and(|r| r.value.as_array().is_some())
}

/// Every policy of a plan's resource changes, in file order.
pub fn find<'t>(text: &str, root: &'t Node<'t>) -> Vec<Found<'t>> {
    let mut found = Vec::new();
    let changes = root
        .get("resource_changes")
        .and_then(|r| r.value.as_array())
        .unwrap_or_default();
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
        let base = Place {
            logical: address.to_string(),
            pointer: format!("/resource_changes/{i}/change/after"),
        };
        for entry in table::terraform_entries_for(resource_type) {
            if let Some((attribute, value)) = &entry.when {
                let applies = match after.get(attribute).and_then(|m| m.value.as_str()) {
                    None => entry.default,
                    Some(actual) => actual == value,
                };
                if !applies {
                    continue;
                }
            }
            let mut places = Vec::new();
            walk(after, unknown, &entry.steps, base.clone(), &mut places);
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
                    resource_type,
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
