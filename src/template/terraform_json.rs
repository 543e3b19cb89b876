//! Terraform's JSON syntax (`*.tf.json`) → the policies of its resources, as [`Found`]s: the
//! attributes the Terraform table lists, whose strings are templates (`${...}` a placeholder,
//! `$${` a literal `${`), decoded with a byte map back to the file. Policy-document data sources
//! and object values are not read in this syntax yet: they are listed as not checked.

use crate::source::{Node, Value};

use super::strings::Mapped;
use super::table::{self, Step};
use super::{Body, Found, Place};

/// Every policy of a `.tf.json` file's resources, in file order.
pub fn find<'t>(text: &str, root: &'t Node<'t>) -> Vec<Found<'t>> {
    let mut found = Vec::new();
    // Each level may be an object or a list of objects (a block written more than once).
    let objects = |node: &'t Node<'t>| -> Vec<&'t Node<'t>> {
        match &node.value {
            Value::Array(items) => items.iter().collect(),
            _ => vec![node],
        }
    };
    let Some(resources) = root.get("resource") else {
        return found;
    };
    for by_type in objects(&resources.value) {
        for resource_type in by_type.as_object().unwrap_or_default() {
            for by_name in objects(&resource_type.value) {
                for resource in by_name.as_object().unwrap_or_default() {
                    let base = Place {
                        logical: format!("{}.{}", resource_type.key.name, resource.key.name),
                        pointer: String::new(),
                    };
                    for entry in table::terraform_entries_for(&resource_type.key.name) {
                        for attributes in objects(&resource.value) {
                            if !entry.applies(|name| attributes.get(name)?.value.as_str()) {
                                continue;
                            }
                            let mut places = Vec::new();
                            walk(attributes, &entry.steps, base.clone(), &mut places);
                            for (place, node) in places {
                                found.push(Found {
                                    pointer: root.pointer_to(node.span).unwrap_or_default(),
                                    logical_path: place.logical,
                                    resource_type: entry.resource_type,
                                    kind: entry.kind,
                                    span: node.span,
                                    ignore: &entry.ignore,
                                    construct: None,
                                    built: false,
                                    body: body(text, node),
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    found.sort_by_key(|f| f.span.start);
    found
}

fn walk<'t>(
    node: &'t Node<'t>,
    steps: &[Step],
    place: Place,
    out: &mut Vec<(Place, &'t Node<'t>)>,
) {
    let Some((step, rest)) = steps.split_first() else {
        out.push((place, node));
        return;
    };
    let Some(member) = node.get(&step.name) else {
        return;
    };
    let place = place.key(&step.name);
    match (&member.value.value, step.each) {
        (Value::Array(items), true) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, rest, place.index(i), out);
            }
        }
        (Value::Object(_), true) => walk(&member.value, rest, place.index(0), out),
        (_, false) => walk(&member.value, rest, place, out),
        _ => {}
    }
}

fn body<'t>(text: &str, node: &'t Node<'t>) -> Body<'t> {
    match (&node.value, text.get(node.span.range())) {
        (Value::String(value), Some(source)) => {
            Body::Text(Mapped::new(source, value, node.span.start).interpolate())
        }
        _ => Body::Unknown,
    }
}
