use crate::policy::SizeUnit;
use crate::rules::prelude::*;
use crate::source::{is_placeholder, Node, Value, PLACEHOLDER};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM020",
        name: "policy-too-large",
        severity: Severity::Warning,
        summary: "The policy exceeds AWS's size quota for its kind",
        doc: r#"## What it does
Reports a policy over AWS's size quota for its kind, and names the kind and the quota it applied:

| kind | quota |
| --- | --- |
| `identity`, `boundary` | 6,144 characters (a managed policy) |
| `trust` | 2,048 characters (the default quota) |
| `session` | 2,048 characters |
| `scp`, `rcp` | 5,120 characters |
| `endpoint` | 20,480 characters, whitespace included |
| `key` | 32,768 bytes |
| `resource` | none: each service has its own |

Characters are counted without the whitespace outside strings, except for endpoint policies.

Inside a CloudFormation template or a Terraform file, the policy is measured as IAM will store it:
the resolved document written as minified JSON (each reading of its `Fn::If`s and parameters on
its own), not the template's text. A value known only at deploy time (`!Ref`, `${AWS::AccountId}`,
a Terraform reference) counts as empty, the least it could be, so the finding is never raised on
a policy that might fit; and whitespace is never counted there, the least the stored text has.

## Why is this bad?
AWS refuses to save the policy (`LimitExceeded`), usually in the middle of a deploy. It is a
warning, not an error, because the quota depends on how the policy is used: inline policies share
an aggregate quota per user (2,048), group (5,120) or role (10,240), trust policy quotas can be
raised, and AWS managed policies are not bound by the customer quota at all.

## Example
A managed policy listing hundreds of individual actions.

## Fix
Use wildcards where they do not widen the grant (`s3:Get*`), merge statements with the same
resources, or split the permissions into several managed policies.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    if doc.policy.is_none() {
        return;
    }
    let Some((limit, unit)) = doc.kind.size_quota() else {
        return;
    };
    let (size, unit_name) = match (doc.embedded, doc.parsed) {
        // Inside a template the text is YAML or a string with intrinsics: what IAM measures is
        // the resolved document, as JSON.
        (Some(_), Ok(root)) => {
            let bytes = unit == SizeUnit::Bytes;
            (
                minified(root, bytes),
                if bytes { "bytes" } else { "characters" },
            )
        }
        (Some(_), Err(_)) => return,
        (None, _) => match unit {
            SizeUnit::CharactersWithoutWhitespace => (
                non_whitespace_chars(doc.text),
                "characters without whitespace",
            ),
            SizeUnit::Characters => (doc.text.chars().count(), "characters"),
            SizeUnit::Bytes => (doc.text.len(), "bytes"),
        },
    };
    if size > limit {
        out.emit(
            out.at(
                doc.start(),
                format!(
                    "{} is {size} {unit_name}, over AWS's quota of {limit} for the `{}` kind",
                    doc.kind.describe(),
                    doc.kind.as_str()
                ),
            )
            .help(doc.with_kind_note("shorten it: use wildcards that do not widen the grant, merge statements, or split it into several policies")),
        );
    }
}

/// The length of a document written as minified JSON, in characters (or bytes), a placeholder
/// counting as nothing: the least the stored policy can be.
fn minified(root: &Node, bytes: bool) -> usize {
    let text = |t: &str| -> usize {
        let escapes = t
            .chars()
            .filter(|c| matches!(c, '"' | '\\') || c.is_control())
            .count();
        let unknown = t.chars().filter(|&c| is_placeholder(c)).count();
        let length = if bytes {
            t.len() - unknown * PLACEHOLDER.len_utf8()
        } else {
            t.chars().count() - unknown
        };
        2 + length + escapes
    };
    let mut size = 0;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        size += match &node.value {
            Value::Null => 4,
            Value::Bool(b) => {
                if *b {
                    4
                } else {
                    5
                }
            }
            Value::Number(n) => n.len(),
            Value::String(s) => text(s),
            Value::Array(items) => {
                stack.extend(items);
                2 + items.len().saturating_sub(1)
            }
            Value::Object(members) => {
                stack.extend(members.iter().map(|m| &m.value));
                let keys: usize = members.iter().map(|m| text(&m.key.name) + 1).sum();
                2 + keys + members.len().saturating_sub(1)
            }
        };
    }
    size
}

/// IAM counts the policy's characters without the whitespace between tokens. This runs over
/// every byte of every file, so it jumps from quote to quote with `memchr` and counts each
/// stretch between strings in one (vectorised) pass.
fn non_whitespace_chars(text: &str) -> usize {
    let bytes = text.as_bytes();
    let whitespace = |from: usize, to: usize| {
        bytes[from..to]
            .iter()
            .map(|b| usize::from(b.is_ascii_whitespace()))
            .sum::<usize>()
    };
    let (mut outside, mut from, mut in_string) = (0, 0, false);
    for quote in memchr::memchr_iter(b'"', bytes) {
        if !in_string {
            outside += whitespace(from, quote);
            in_string = true;
        } else if !escaped(bytes, quote) {
            in_string = false;
            from = quote + 1;
        }
    }
    if !in_string {
        outside += whitespace(from, bytes.len());
    }
    text.chars().count() - outside
}

/// Whether the quote at `at` is escaped: an odd number of backslashes comes before it.
fn escaped(bytes: &[u8], at: usize) -> bool {
    let backslashes = bytes[..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    backslashes % 2 == 1
}

#[cfg(test)]
mod tests {
    #[test]
    fn minified_counts_json_as_written_without_placeholders() {
        let text = "{ \"a\" : [1, true, null, \"x\\\"y\"],\n \"b\": \"é\u{fdd0}\" }";
        let root = crate::source::parse(text).unwrap();
        let json = r#"{"a":[1,true,null,"x\"y"],"b":"é"}"#;
        assert_eq!(super::minified(&root, false), json.chars().count());
        assert_eq!(super::minified(&root, true), json.len());
    }

    #[test]
    fn whitespace_inside_strings_counts() {
        assert_eq!(super::non_whitespace_chars("{ \"a b\" : 1 }"), 9);
        assert_eq!(super::non_whitespace_chars("\"a\\\" b\""), 7);
        assert_eq!(super::non_whitespace_chars("[\"a\\\\\", \"é\" ]"), 11);
        assert_eq!(super::non_whitespace_chars("\"unterminated \\"), 15);
    }
}
