use crate::catalog;
use crate::engine::operator::all_operator_names;
use crate::engine::parse_operator;
use crate::rules::prelude::*;
use crate::rules::Edit;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM301",
        name: "unknown-condition-operator",
        severity: Severity::Error,
        summary: "A condition operator IAM does not know (names are case-sensitive; `NullIfExists` is invalid)",
        doc: r#"## What it does
Reports a condition operator that is not one of IAM's operators, in any of its forms:
`StringEquals`, `StringNotLikeIfExists`, `ForAnyValue:ArnLike`, ... Operator names are
case-sensitive, and `Null` cannot take `IfExists` (`NullIfExists` is rejected).

## Why is this bad?
IAM rejects the policy. A misspelt operator (`StringEqual`, `stringEquals`,
`ForAllValue:StringLike`) is easy to miss in review.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
  "Condition": {"StringEqual": {"aws:PrincipalTag/team": "data"}}}}
```

## Fix
Use the operator's exact name; the help names the closest one. `iamlint check --fix` corrects
the case when only the case is wrong.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for statement in doc.statements() {
        let Some(condition) = &statement.condition else {
            continue;
        };
        for block in &condition.blocks {
            let name = block.operator;
            if parse_operator(name.value).is_ok() {
                continue;
            }
            out.emit(diagnose(name, out));
        }
    }
}

fn diagnose(name: Text, out: &Findings) -> crate::rules::Diagnostic {
    let written = name.value;
    let message = format!("`{written}` is not a condition operator");
    if written.ends_with("NullIfExists") {
        return out.at(name.span, message).help(
            "`Null` cannot take `IfExists`: it already tests whether the key exists; use `Null`",
        );
    }
    if let Some(fixed) = all_operator_names()
        .iter()
        .find(|n| n.eq_ignore_ascii_case(written))
    {
        return out
            .at(name.span, message)
            .help(format!("operator names are case-sensitive; use `{fixed}`"))
            .fix(
                format!("replace with \"{fixed}\""),
                vec![Edit {
                    span: name.span,
                    replacement: format!("\"{fixed}\""),
                }],
            );
    }
    let help = match catalog::closest_name(written, all_operator_names().iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None if written.contains(':') => {
            "a set qualifier is written `ForAllValues:` or `ForAnyValue:` before the operator (`ForAnyValue:StringLike`)".to_string()
        }
        None => "use one of IAM's operators: String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress, NotIpAddress, Arn*, Null, optionally with `IfExists` and `ForAllValues:`/`ForAnyValue:`".to_string(),
    };
    out.at(name.span, message).help(help)
}
