//! SAM policy templates: an entry of a function's or state machine's `Policies` such as
//! `- S3ReadPolicy: {BucketName: !Ref Bucket}` is the policy AWS publishes under that name
//! (`sam/policy_templates.json`, data compiled in), each `Ref` to one of the template's
//! parameters replaced by the value the entry gives, as SAM's translator does. The published
//! parts have no place in the template: they are given the span of the entry's name, so a finding
//! about them points there; the values the entry gives keep their own spans.

use std::sync::OnceLock;

use crate::source::{self, Key, Member, Node, Span, Value};

/// The policy templates: name → (parameter names, definition).
fn templates() -> &'static Node<'static> {
    static TEMPLATES: OnceLock<Node<'static>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        source::parse(include_str!("sam/policy_templates.json"))
            .expect("the SAM policy templates are valid JSON (tested)")
    })
}

/// The policy a `Policies` entry names, with the entry's key (the template's name); `None`
/// when the entry is not a policy template (a document, a managed policy's name, an intrinsic).
/// The policy's parts are at the key's span, its root and `Statement` list at the entry's (each
/// statement is then found by its index, as in a policy whose spans are all distinct), and a
/// `Fn::Sub` that substitutes a value the entry gives is at that value.
pub fn expand<'t>(entry: &'t Node<'t>) -> Option<(&'t Key<'t>, Node<'t>)> {
    let [member] = entry.as_object()? else {
        return None;
    };
    let template = templates().get("Templates")?.value.get(&member.key.name)?;
    let parameters: Vec<&str> = template
        .value
        .get("Parameters")?
        .value
        .as_array()?
        .iter()
        .filter_map(Node::as_str)
        .collect();
    let definition = &template.value.get("Definition")?.value;
    let given = |name: &str| member.value.get(name).map(|m| &m.value);
    let mut policy = copy(definition, member.key.span, &parameters, &given);
    policy.span = entry.span;
    if let Value::Object(members) = &mut policy.value {
        for m in members.iter_mut().filter(|m| m.key.name == "Statement") {
            m.value.span = entry.span;
        }
    }
    Some((&member.key, policy))
}

/// The definition at span `at`, each `Ref` to a parameter replaced by its value (a placeholder
/// when the entry does not give it: SAM refuses that template).
fn copy<'t>(
    node: &Node<'static>,
    at: Span,
    parameters: &[&str],
    given: &dyn Fn(&str) -> Option<&'t Node<'t>>,
) -> Node<'t> {
    fn parameter<'n>(node: &'n Node<'static>, parameters: &[&str]) -> Option<&'n str> {
        let [member] = node.as_object()? else {
            return None;
        };
        let name = member.value.as_str().filter(|n| parameters.contains(n))?;
        (member.key.name == "Ref").then_some(name)
    }
    if let Some(name) = parameter(node, parameters) {
        return given(name)
            .cloned()
            .unwrap_or_else(|| Node::placeholder(at));
    }
    // `Fn::Sub: [text, {var: {Ref: Parameter}}]`: the string it makes is at the value given.
    let substituted = node
        .get("Fn::Sub")
        .and_then(|sub| sub.value.as_array()?.get(1)?.as_object())
        .and_then(|map| {
            map.iter()
                .find_map(|m| given(parameter(&m.value, parameters)?))
        })
        .map(|value| value.span);
    let value = match &node.value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|m| Member {
                    key: Key {
                        span: at,
                        name: m.key.name.clone(),
                    },
                    value: copy(&m.value, at, parameters, given),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| copy(i, at, parameters, given))
                .collect(),
        ),
        other => other.clone(),
    };
    Node {
        span: substituted.unwrap_or(at),
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_yaml;

    #[test]
    fn every_template_reads_and_names_its_parameters() {
        let all = templates()
            .get("Templates")
            .unwrap()
            .value
            .as_object()
            .unwrap();
        assert!(all.len() > 80);
        for template in all {
            let definition = template.value.get("Definition").unwrap();
            assert!(
                definition.value.get("Statement").is_some(),
                "{}",
                template.key.name
            );
        }
    }

    #[test]
    fn an_entry_expands_with_the_values_it_gives() {
        let text = "- S3ReadPolicy: {BucketName: !Ref B}\n- AmazonS3ReadOnlyAccess\n- {Statement: []}\n- NoSuchPolicy: {}\n";
        let root = parse_yaml(text).unwrap();
        let items = root.as_array().unwrap();
        let (key, policy) = expand(&items[0]).unwrap();
        assert_eq!(key.name, "S3ReadPolicy");
        let statement = &policy.get("Statement").unwrap().value.as_array().unwrap()[0];
        // The bucket's name, written `!Ref B` in the entry, is in the resource's `Fn::Sub` map.
        let resource = &statement.get("Resource").unwrap().value;
        let mut refs = Vec::new();
        let mut stack = vec![resource];
        while let Some(node) = stack.pop() {
            match &node.value {
                Value::Object(members) => {
                    if node.get("Ref").is_some() {
                        refs.push(&text[node.span.range()]);
                    }
                    stack.extend(members.iter().map(|m| &m.value));
                }
                Value::Array(items) => stack.extend(items),
                _ => {}
            }
        }
        assert!(refs.contains(&"!Ref B"), "{refs:?}");
        assert_eq!(&text[statement.span.range()], "S3ReadPolicy");
        // The string the resource's `Fn::Sub` makes is at the bucket the entry names.
        let bucket = &resource.as_array().unwrap()[0];
        assert_eq!(&text[bucket.span.range()], "!Ref B");
        for other in &items[1..] {
            assert!(expand(other).is_none());
        }
    }
}
