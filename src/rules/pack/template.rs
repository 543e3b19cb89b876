//! `${name}` templates over a scenario's values, and the rendering of statement templates as
//! JSON in the order people write IAM statements.

use std::collections::BTreeMap;

use crate::policy::placeholder::{self, Piece};
use crate::policy::Parent;

/// Parameter and derived values of one scenario, by name.
pub type Values = BTreeMap<String, String>;

/// The names a template refers to, in order.
pub fn references(template: &str) -> Vec<&str> {
    placeholder::variables(template)
        .filter_map(|piece| match piece {
            Piece::Placeholder { body, .. } => Some(body),
            _ => None,
        })
        .collect()
}

/// Substitutes every `${name}`; `None` when a name has no value (the check does not apply), or
/// a `${` is never closed.
pub fn expand(template: &str, values: &Values) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    for piece in placeholder::variables(template) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Placeholder { body, .. } => out.push_str(values.get(body)?),
            Piece::Unclosed { .. } => return None,
        }
    }
    Some(out)
}

/// The order of a policy's and a statement's keys as AWS documents them; others follow, sorted.
fn rank(key: &str) -> usize {
    let order = || {
        Parent::Policy
            .known()
            .iter()
            .chain(Parent::Statement.known())
    };
    order().position(|k| *k == key).unwrap_or(order().count())
}

/// Renders a template value with its strings expanded; keys named `when` (template control) are
/// left out. `None` when a string refers to a value that is not set.
pub fn render(value: &serde_json::Value, values: &Values, pretty: bool) -> Option<String> {
    let mut out = String::new();
    write(value, values, pretty, 0, &mut out)?;
    Some(out)
}

fn write(
    value: &serde_json::Value,
    values: &Values,
    pretty: bool,
    depth: usize,
    out: &mut String,
) -> Option<()> {
    use serde_json::Value;
    let newline = |out: &mut String, depth: usize| {
        if pretty {
            out.push('\n');
            out.push_str(&"  ".repeat(depth));
        }
    };
    match value {
        Value::String(s) => {
            let expanded = expand(s, values)?;
            out.push_str(&serde_json::to_string(&expanded).ok()?);
        }
        Value::Array(items) => {
            // Short arrays of strings stay on one line, as people write Action lists.
            let inline = !pretty || items.iter().all(Value::is_string) && items.len() <= 4;
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    if inline {
                        out.push(' ');
                    }
                }
                if !inline {
                    newline(out, depth + 1);
                }
                write(item, values, pretty && !inline, depth + 1, out)?;
            }
            if !inline && !items.is_empty() {
                newline(out, depth);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().filter(|k| *k != "when").collect();
            keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
            out.push('{');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                    if !pretty {
                        out.push(' ');
                    }
                }
                newline(out, depth + 1);
                out.push_str(&serde_json::to_string(key).ok()?);
                out.push_str(": ");
                write(&map[*key], values, pretty, depth + 1, out)?;
            }
            if !keys.is_empty() {
                newline(out, depth);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
    Some(())
}

/// Whether a template item applies: it has no `when`, or its parameter is set.
pub fn applies(value: &serde_json::Value, values: &Values) -> bool {
    match value.get("when").and_then(serde_json::Value::as_str) {
        Some(name) => values.contains_key(name),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_and_orders() {
        let values: Values = [("a".to_string(), "x\"y".to_string())]
            .into_iter()
            .collect();
        assert_eq!(expand("p-${a}-q", &values).as_deref(), Some("p-x\"y-q"));
        assert_eq!(expand("${b}", &values), None);
        assert_eq!(references("${a}:${b}"), vec!["a", "b"]);
        let statement = serde_json::json!({"Resource": "${a}", "Effect": "Allow", "when": "a"});
        assert_eq!(
            render(&statement, &values, false).unwrap(),
            r#"{"Effect": "Allow", "Resource": "x\"y"}"#
        );
        assert!(applies(&statement, &values));
        assert!(!applies(&serde_json::json!({"when": "b"}), &values));
    }
}
