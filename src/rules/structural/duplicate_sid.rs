use std::collections::HashMap;

use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM013",
        name: "duplicate-sid",
        severity: Severity::Error,
        summary: "Two statements share a Sid",
        doc: r#"## What it does
Reports a `Sid` used by more than one statement of the same policy. In identity and trust
policies this is an error (IAM requires unique Sids); in key and resource policies it is reported
as a warning.

## Why is this bad?
IAM rejects identity and trust policies with repeated Sids. Elsewhere, tools and people refer to
statements by Sid, and duplicates make those references ambiguous.

## Example
```json
{"Version": "2012-10-17", "Statement": [
  {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
  {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}
]}
```

## Fix
Give each statement its own Sid (`ReadObjects`, `ListBuckets`), or merge the statements.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let mut first_use: HashMap<&str, Span> = HashMap::new();
    for sid in doc
        .statements()
        .iter()
        .filter_map(|s| s.sid)
        .filter(|s| !s.value.is_empty())
    {
        let Some(&first) = first_use.get(sid.value) else {
            first_use.insert(sid.value, sid.span);
            continue;
        };
        let mut diagnostic = out
            .at(
                sid.span,
                format!(
                    "the Sid `{}` is already used by another statement",
                    sid.value
                ),
            )
            .help("give each statement a unique Sid")
            .related(out.file(), first, "first used here");
        if !matches!(
            doc.kind,
            Kind::Identity | Kind::Trust | Kind::Boundary | Kind::Session
        ) {
            diagnostic.severity = Severity::Warning;
        }
        out.emit(diagnostic);
    }
}
