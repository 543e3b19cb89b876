use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM001",
        name: "invalid-json",
        severity: Severity::Error,
        summary: "The file is not valid JSON (RFC 8259), so AWS cannot read it as a policy",
        doc: r#"## What it does
Reports the first place where the file stops being strict JSON: a syntax error, a trailing comma,
single quotes, invalid UTF-8, a byte order mark, NUL bytes, nesting deeper than 128 levels, or
trailing text after the document.

## Why is this bad?
IAM and every AWS API that takes a policy parse it as strict JSON. A file that is not valid JSON
is rejected at deploy time (`MalformedPolicyDocument`), and nothing else in it can be checked.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
  ]
}
```

## Fix
Correct the JSON at the reported line and column; here, remove the trailing comma after the
last statement.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    if let Err(error) = doc.parsed {
        if doc.too_large.is_some()
            || !matches!(
                doc.syntax,
                crate::source::Syntax::Json | crate::source::Syntax::TerraformJson
            )
        {
            return;
        }
        let mut diagnostic = out.at(error.span, format!("invalid JSON: {}", error.message));
        diagnostic.help = error.help.clone();
        out.emit(diagnostic);
    }
}
