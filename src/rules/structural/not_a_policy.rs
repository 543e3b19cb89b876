use crate::policy::discover::Shape;
use crate::rules::prelude::*;
use crate::source::Syntax;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM003",
        name: "not-a-policy",
        severity: Severity::Error,
        summary: "The document is not a policy: not an object, or an object without `Statement`",
        doc: r#"## What it does
Reports a file that is not a policy document: a top level that is not an object (a bare array
of statements, a string, a number), an object with neither a `Statement` key nor a policy
`Version` (`package.json`, a data file), or a bare statement. When it is a statement or an array
of statements, the help shows the wrapped form. Nothing else is reported on such a file.

A YAML file named explicitly that is not a CloudFormation template gets this finding too.
A directory walk or a glob skips such files silently (`--verbose` lists them); only a file
named explicitly, or opened as a policy, is reported.

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
    // Invalid JSON is `invalid-json`'s; a non-object is reported from its problem below. YAML
    // gets here only when it is not a template, and then its syntax is not ours to judge.
    let not_an_object = (doc.parsed.is_err() && doc.syntax == Syntax::Json)
        || doc
            .problems
            .iter()
            .any(|p| matches!(p, Problem::NotAnObject { .. }));
    match doc.shape {
        Shape::Statements if !not_an_object => out.emit(
            out.at(doc.start(), "this is a bare statement, not a policy document")
                .help("wrap it: {\"Version\": \"2012-10-17\", \"Statement\": [ ...this statement... ]}"),
        ),
        Shape::Other(reason) if doc.syntax == Syntax::Yaml => out.emit(
            out.at(doc.start(), format!("this is not a policy document: {reason}"))
                .help("iamlint reads YAML only as CloudFormation templates; if this file is not meant to be one, leave it out of the paths checked or add it to `exclude` in iamlint.toml"),
        ),
        Shape::Other(reason) if !not_an_object => out.emit(
            out.at(doc.start(), format!("this is not a policy document: {reason}"))
                .help("a policy is {\"Version\": \"2012-10-17\", \"Statement\": [...]}; if this file is not meant to be one, leave it out of the paths checked or add it to `exclude` in iamlint.toml"),
        ),
        _ => {}
    }
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
