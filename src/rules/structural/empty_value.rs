use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM006",
        name: "empty-value",
        severity: Severity::Warning,
        summary: "An empty array, object or Sid that has no effect",
        doc: r#"## What it does
Reports `[]` for `Action`, `Resource`, `Principal` values or condition values, `{}` for a
`Principal`, `Condition` or condition operator, and `""` for a `Sid`.

## Why is this bad?
An empty element is almost always an unfinished edit. A statement with `"Action": []` grants or
denies nothing; an empty condition value list never matches (or, with `ForAllValues`/`IfExists`,
matches only when the key is absent), which rarely is what was meant.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Deny", "Action": [], "Resource": "*"}
}
```

## Fix
Fill in the intended values, or remove the element (or the whole statement).

An empty `Sid` is only a suggestion: it changes nothing, and `Sid = ""` is the Terraform AWS
provider's own example, copied into many modules.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for problem in doc.problems {
        if let Problem::EmptyValue { span, element } = *problem {
            let mut diagnostic = out
                .at(
                    span,
                    format!("this `{element}` value is empty and has no effect"),
                )
                .help("fill in the intended values or remove the element");
            // `Sid = ""` is the Terraform provider's own example, copied everywhere: harmless.
            if element == "Sid" {
                diagnostic.severity = Severity::Suggestion;
            }
            out.emit(diagnostic);
        }
    }
}
