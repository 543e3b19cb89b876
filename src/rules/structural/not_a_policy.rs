use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM003",
        name: "not-a-policy",
        severity: Severity::Error,
        summary: "The top level is not a JSON object, so it is not a policy document",
        doc: r#"## What it does
Reports a document whose top level is not an object: a bare array of statements, a string, a
number. When it is an array of statements, the help shows the wrapped form.

## Why is this bad?
A policy document is an object with `Version` and `Statement`. AWS rejects anything else with
`MalformedPolicyDocument`. A bare statement array is a common copy-paste from documentation:
AWS's own CreateImportTask example is published that way.

## Example
```json
[
  {"Effect": "Allow", "Action": "logs:CreateImportTask", "Resource": "*"}
]
```

## Fix
Wrap the statements:
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "logs:CreateImportTask", "Resource": "*"}
  ]
}
```
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for problem in doc.problems {
        if let Problem::NotAnObject {
            span,
            found,
            statements,
        } = *problem
        {
            let diagnostic = if statements {
                out.at(span, "this is a bare array of statements, not a policy document").help(
                    "wrap it: {\"Version\": \"2012-10-17\", \"Statement\": [ ...these statements... ]}",
                )
            } else {
                out.at(
                    span,
                    format!(
                        "a policy document must be a JSON object, found {}",
                        found.article_name()
                    ),
                )
                .help("a policy is {\"Version\": \"2012-10-17\", \"Statement\": [...]}")
            };
            out.emit(diagnostic);
        }
    }
}
