use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM009",
        name: "missing-statement",
        severity: Severity::Error,
        summary: "The policy has no `Statement`, or an empty one",
        doc: r#"## What it does
Reports a policy document without a `Statement` element, or with `"Statement": []`.

## Why is this bad?
A policy without statements grants and denies nothing; AWS rejects it.

## Example
```json
{"Version": "2012-10-17"}
```

## Fix
Add the statements: `"Statement": [{"Effect": "Allow", "Action": "...", "Resource": "..."}]`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let Some(policy) = doc.policy else { return };
    match policy.statement_key {
        None => {
            let at = policy.root.span;
            out.emit(
                out.at(Span::new(at.start, at.start + 1), "the policy has no `Statement` element")
                    .help("add \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"...\", \"Resource\": \"...\"}]"),
            );
        }
        Some(key) => {
            let value = policy.root.get("Statement").map(|m| &m.value);
            if value
                .and_then(|v| v.as_array())
                .is_some_and(|items| items.is_empty())
            {
                out.emit(
                    out.at(key, "the policy's `Statement` is empty")
                        .help("add at least one statement"),
                );
            }
        }
    }
}
