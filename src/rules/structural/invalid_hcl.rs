use crate::rules::prelude::*;
use crate::source::Syntax;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM041",
        name: "invalid-hcl",
        severity: Severity::Error,
        summary: "The Terraform file is not HCL Terraform can read",
        doc: r#"## What it does
Reports the first place where a Terraform file (`.tf`) stops being valid HCL: a syntax error, an
unterminated string or heredoc, an interpolation that is not an expression (an IAM policy variable
written `${aws:username}` instead of `$${aws:username}` or, in a policy-document data source,
`&{aws:username}`), a file that is not UTF-8, or nesting deeper than 64 levels.

## Why is this bad?
`terraform plan` rejects the module before anything is created, and none of the policies in the
file can be checked until it parses.

## Example
```hcl
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::bucket/${aws:username}/*"
    }]
  })
}
```

## Fix
Correct the HCL at the reported line and column; here, escape the policy variable as
`$${aws:username}`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    if doc.syntax != Syntax::Hcl || doc.too_large.is_some() {
        return;
    }
    if let Err(error) = doc.parsed {
        let mut diagnostic = out.at(error.span, format!("invalid HCL: {}", error.message));
        diagnostic.help = error.help.clone();
        out.emit(diagnostic);
    }
}
