//! Whether a JSON document is meant to be a policy at all: a walk over a repository meets
//! `package.json`, `tsconfig.json` and data files beside the policies, and only the policies are
//! to be checked.

use crate::source::{Node, Value};

/// What a document looks like before it is read as a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An object with a `Statement` key, or a `Version` that is (nearly) a policy version.
    Policy,
    /// A bare statement, or an array of them: a policy missing its wrapper.
    Statements,
    /// Anything else, with the reason it is not taken for a policy.
    Other(&'static str),
}

/// The shape of a parsed document. Keys are compared ignoring case, so that a miscased
/// `statement` is still checked (and reported) rather than skipped.
pub fn shape(root: &Node) -> Shape {
    match &root.value {
        Value::Object(members) => {
            let has = |name: &str| {
                members
                    .iter()
                    .any(|m| m.key.name.eq_ignore_ascii_case(name))
            };
            let policy_version = members.iter().any(|m| {
                m.key.name.eq_ignore_ascii_case("Version")
                    && m.value.as_str().is_some_and(looks_like_policy_version)
            });
            if has("Statement") || policy_version {
                Shape::Policy
            } else if is_statement(root) {
                Shape::Statements
            } else {
                Shape::Other("a JSON object without a `Statement` key or a policy `Version`")
            }
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(is_statement) => {
            Shape::Statements
        }
        Value::Array(_) => Shape::Other("a JSON array whose elements are not statements"),
        _ => Shape::Other("a JSON value that is not an object"),
    }
}

/// The shape of a document that is not valid JSON: a policy with a syntax error is still a
/// policy to report, while `tsconfig.json` with its comments is not one.
pub fn shape_of_text(text: &str) -> Shape {
    let lower = text.to_ascii_lowercase();
    // What follows `name:` for each occurrence of the key `name`.
    let values = |haystack: &'_ str, name: &str| -> Vec<usize> {
        haystack
            .match_indices(name)
            .filter_map(|(at, _)| {
                let rest = &haystack[at + name.len()..];
                let value = rest.trim_start().strip_prefix(':')?;
                Some(haystack.len() - value.trim_start().len())
            })
            .collect()
    };
    let key = |name: &str| !values(&lower, name).is_empty();
    // AWS's spelling of `Version`, with a date or nothing after it (a truncated file); not
    // `package.json`'s lower-case `version`.
    let version = values(text, "\"Version\"")
        .into_iter()
        .any(|at| text[at..].is_empty() || text[at..].starts_with("\"20"));
    if key("\"statement\"")
        || version
        || (key("\"effect\"") && (key("\"action\"") || key("\"notaction\"")))
    {
        Shape::Policy
    } else {
        Shape::Other("not valid JSON, and no `Statement` key in it")
    }
}

/// An object with `Effect` and `Action` or `NotAction`, ignoring case.
fn is_statement(node: &Node) -> bool {
    let Some(members) = node.as_object() else {
        return false;
    };
    let has = |name: &str| {
        members
            .iter()
            .any(|m| m.key.name.eq_ignore_ascii_case(name))
    };
    has("Effect") && (has("Action") || has("NotAction"))
}

/// `2012-10-17`, `2008-10-17`, or a near miss of them (`2012-10-18`, `2012–10–17` with en
/// dashes, `2012/10/17`): four digits, two, two, with any one-character separators. Not
/// `package.json`'s `1.0.0`.
fn looks_like_policy_version(value: &str) -> bool {
    let chars: Vec<char> = value.trim().chars().collect();
    let digits = |range: std::ops::Range<usize>| chars[range].iter().all(char::is_ascii_digit);
    chars.len() == 10
        && digits(0..4)
        && digits(5..7)
        && digits(8..10)
        && !chars[4].is_alphanumeric()
        && !chars[7].is_alphanumeric()
        && (chars[..4] == ['2', '0', '1', '2'] || chars[..4] == ['2', '0', '0', '8'])
}

#[cfg(test)]
mod tests {
    use super::{shape, shape_of_text, Shape};

    fn of(json: &str) -> Shape {
        shape(&crate::source::parse(json).unwrap())
    }

    #[test]
    fn policies_and_their_near_misses_are_policies() {
        assert_eq!(
            of(r#"{"Version": "2012-10-17", "Statement": []}"#),
            Shape::Policy
        );
        assert_eq!(of(r#"{"statement": {}}"#), Shape::Policy);
        assert_eq!(of(r#"{"Version": "2012-10-17"}"#), Shape::Policy);
        assert_eq!(of(r#"{"version": "2008-10-17", "Id": "x"}"#), Shape::Policy);
        assert_eq!(
            of("{\"Version\": \"2012\u{2013}10\u{2013}17\"}"),
            Shape::Policy
        );
        assert_eq!(of(r#"{"Version": "2012-10-18"}"#), Shape::Policy);
    }

    #[test]
    fn bare_statements_are_told_apart() {
        assert_eq!(
            of(r#"[{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]"#),
            Shape::Statements
        );
        assert_eq!(
            of(r#"{"Effect": "Deny", "NotAction": "s3:*"}"#),
            Shape::Statements
        );
    }

    #[test]
    fn ordinary_json_is_not_a_policy() {
        for json in [
            r#"{"name": "app", "version": "1.0.0", "scripts": {}}"#,
            r#"{"compilerOptions": {"strict": true}}"#,
            r#"{"Version": "2019-01-01"}"#,
            r#"[{"id": 1}, {"id": 2}]"#,
            "[]",
            "42",
            r#"{"Effect": "Allow"}"#,
        ] {
            assert!(matches!(of(json), Shape::Other(_)), "{json}");
        }
    }

    #[test]
    fn invalid_json_is_a_policy_only_when_it_says_so() {
        assert_eq!(
            shape_of_text(r#"{"Version": "2012-10-17", "Statement": [,]}"#),
            Shape::Policy
        );
        assert_eq!(
            shape_of_text("[{\"Effect\": \"Allow\", \"Action\": \"s3:*\",}]"),
            Shape::Policy
        );
        assert_eq!(shape_of_text("{\"Version\": "), Shape::Policy);
        assert_eq!(
            shape_of_text("{\"Version\": \"2012-10-17\", }"),
            Shape::Policy
        );
        assert!(matches!(
            shape_of_text("{\"version\": \"1.0.0\", }"),
            Shape::Other(_)
        ));
        assert!(matches!(
            shape_of_text("{\n  // comment\n  \"compilerOptions\": {}\n}"),
            Shape::Other(_)
        ));
    }
}
