use crate::rules::prelude::*;
use crate::source::Syntax;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM040",
        name: "invalid-yaml",
        severity: Severity::Error,
        summary: "The CloudFormation template is not YAML CloudFormation can read",
        doc: r#"## What it does
Reports the first place where a YAML template stops being YAML that CloudFormation reads: a
syntax error, a tab used for indentation, inconsistent indentation, an unknown tag (only the
short forms of intrinsic functions such as `!Sub` and `!Ref` are allowed), a merge key (`<<`), a
second document in the file, nesting deeper than 127 levels, or aliases that expand beyond
100,000 nodes (an alias bomb).

## Why is this bad?
CloudFormation rejects the template before creating anything, and none of the policies inside it
can be checked until it parses.

## Example
```yaml
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
	  AssumeRolePolicyDocument: !Sub "..."
```

## Fix
Correct the YAML at the reported line and column; here, indent with spaces instead of a tab.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    if doc.syntax != Syntax::Yaml || doc.too_large.is_some() {
        return;
    }
    if let Err(error) = doc.parsed {
        let mut diagnostic = out.at(error.span, format!("invalid YAML: {}", error.message));
        diagnostic.help = error.help.clone();
        out.emit(diagnostic);
    }
}
