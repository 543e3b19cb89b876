use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM005",
        name: "wrong-type",
        severity: Severity::Error,
        summary: "An element has the wrong JSON type, such as a number for `Version` or an object for `Action`",
        doc: r#"## What it does
Reports an element whose value is not of the JSON type IAM requires: `Version`, `Id`, `Sid` and
`Effect` are strings; `Action`, `Resource` and their `Not` forms are a string or an array of
strings; `Statement` is an object or an array of objects; `Principal` is `"*"` or an object.

## Why is this bad?
AWS rejects the policy (`MalformedPolicyDocument`), and the element cannot be checked further.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": {"s3": "GetObject"}, "Resource": "*"}
}
```

## Fix
Write the value in the expected form: `"Action": "s3:GetObject"`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for problem in doc.problems {
        if let Problem::WrongType {
            span,
            element,
            expected,
            found,
        } = *problem
        {
            out.emit(
                out.at(
                    span,
                    format!(
                        "`{element}` must be {expected}, found {}",
                        found.article_name()
                    ),
                )
                .help(format!("write `{element}` as {expected}")),
            );
        }
    }
}
