use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM019",
        name: "invalid-condition-block",
        severity: Severity::Error,
        summary: "A `Condition` that is not `{operator: {key: value or [values]}}`",
        doc: r#"## What it does
Reports a `Condition` block whose shape is wrong: the block is not an object, an operator does not
map to an object of keys, or a key's value is an object, `null` or a nested array.

## Why is this bad?
AWS rejects the policy. A condition that cannot be read also cannot restrict anything, so the
intent of the statement is lost.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
    "Condition": {"StringEquals": ["aws:PrincipalTag/team", "data"]}
  }
}
```

## Fix
Write it as operator → key → value: `{"StringEquals": {"aws:PrincipalTag/team": "data"}}`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for problem in doc.problems {
        if let Problem::BadCondition { span, message } = problem {
            out.emit(out.at(*span, message.clone()).help(
                "a condition is {\"Operator\": {\"key\": \"value\" or [\"value\", ...]}}, e.g. {\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\"}}",
            ));
        }
    }
}
