use crate::rules::prelude::*;
use crate::rules::Edit;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM007",
        name: "missing-version",
        severity: Severity::Warning,
        summary: "The policy has no `Version`, so IAM reads it with the 2008 language",
        doc: r#"## What it does
Reports a policy document without a `Version` element.

## Why is this bad?
Without `"Version": "2012-10-17"` IAM applies the legacy 2008-10-17 language: policy variables
such as `${aws:username}` are not substituted but matched as literal text, so a statement that
uses them silently matches nothing (or the wrong thing). KMS key policies require the version.

## Example
```json
{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}}
```

## Fix
Add `"Version": "2012-10-17"` as the first element. `iamlint check --fix` inserts it, with the
indentation of the next element, but only when the document contains no `${`: with a policy
variable in it, adding the version changes what the policy grants (the variable starts being
substituted), so that change is left to a person.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let Some(policy) = doc.policy else { return };
    if policy.version.is_some() {
        return;
    }
    let at = policy.root.span;
    let mut diagnostic = out
        .at(
            Span::new(at.start, at.start + 1),
            "the policy has no `Version` element",
        )
        .help("add \"Version\": \"2012-10-17\"; without it policy variables are not substituted");
    // Without `${` the two language versions read the document alike, so the fix cannot change
    // what it grants.
    if !doc.text.contains("${") {
        if let Some(edit) = insert_version(doc.text, policy.root) {
            diagnostic = diagnostic.fix("add \"Version\": \"2012-10-17\"", vec![edit]);
        }
    }
    out.emit(diagnostic);
}

/// Inserts the element right after `{`, repeating the whitespace that precedes the first
/// member, so that a pretty-printed document stays pretty-printed.
fn insert_version(text: &str, root: &crate::source::Node) -> Option<Edit> {
    let members = root.as_object()?;
    let open = root.span.start + 1;
    let replacement = match members.first() {
        None => "\"Version\": \"2012-10-17\"".to_string(),
        Some(first) => {
            let gap = text.get(open as usize..first.key.span.start as usize)?;
            if gap.is_empty() {
                "\"Version\": \"2012-10-17\", ".to_string()
            } else {
                format!("{gap}\"Version\": \"2012-10-17\",")
            }
        }
    };
    Some(Edit {
        span: Span::empty(open),
        replacement,
    })
}
