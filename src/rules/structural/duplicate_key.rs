use crate::rules::prelude::*;
use std::collections::hash_map::{Entry, HashMap};

use crate::source::{Node, Value};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM002",
        name: "duplicate-key",
        severity: Severity::Error,
        summary: "An object repeats a key; only one of the values takes effect",
        doc: r#"## What it does
Reports a key that appears more than once in the same JSON object, pointing at the repeat and
showing the first occurrence.

## Why is this bad?
JSON parsers disagree on which value of a repeated key wins, and IAM's grammar forbids repeating
an element. A second `Effect` or `Resource` is usually an edit that was meant to replace the
first, and the policy does not mean what it seems to.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::reports/*",
    "Resource": "*"
  }
}
```

## Fix
Keep one occurrence; merge list values into a single array if both were meant.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    if let Ok(root) = doc.parsed {
        visit(root, out);
    }
}

/// Iterative, because a document may nest as deep as the parser allows.
fn visit(root: &Node, out: &mut Findings) {
    let mut stack = vec![root];
    let mut seen = HashMap::new();
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Object(members) => {
                seen.clear();
                for member in members {
                    let name: &str = &member.key.name;
                    match seen.entry(name) {
                        Entry::Vacant(slot) => {
                            slot.insert(member.key.span);
                        }
                        Entry::Occupied(first) => out.emit(
                            out.at(member.key.span, format!("the key `{name}` is repeated in this object"))
                                .help("keep one occurrence; IAM forbids repeated elements and parsers disagree on which one wins")
                                .related(out.file(), *first.get(), "first occurrence"),
                        ),
                    }
                    stack.push(&member.value);
                }
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}
