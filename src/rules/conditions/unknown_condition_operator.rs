use std::sync::OnceLock;

use crate::catalog;
use crate::engine::{parse_operator, BaseOperator, Operator, SetQualifier};
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
    if let Some(fixed) = all_names().iter().find(|n| n.eq_ignore_ascii_case(written)) {
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
    let help = match catalog::closest_name(written, all_names().iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None if written.contains(':') => {
            "a set qualifier is written `ForAllValues:` or `ForAnyValue:` before the operator (`ForAnyValue:StringLike`)".to_string()
        }
        None => "use one of IAM's operators: String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress, NotIpAddress, Arn*, Null, optionally with `IfExists` and `ForAllValues:`/`ForAnyValue:`".to_string(),
    };
    out.at(name.span, message).help(help)
}

/// Every valid operator name, spelt as IAM spells it; built once, on the first unknown one.
fn all_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        use BaseOperator::*;
        let bases = [
            StringEquals,
            StringEqualsIgnoreCase,
            StringLike,
            NumericEquals,
            NumericLessThan,
            NumericLessThanEquals,
            NumericGreaterThan,
            NumericGreaterThanEquals,
            DateEquals,
            DateLessThan,
            DateLessThanEquals,
            DateGreaterThan,
            DateGreaterThanEquals,
            Bool,
            BinaryEquals,
            IpAddress,
            Arn { like: false },
            Arn { like: true },
            Null,
        ];
        let mut names = Vec::new();
        for set in [
            None,
            Some(SetQualifier::ForAllValues),
            Some(SetQualifier::ForAnyValue),
        ] {
            for base in bases {
                for negated in [false, true] {
                    for if_exists in [false, true] {
                        let op = Operator {
                            base,
                            negated,
                            if_exists,
                            set,
                        };
                        let name = op.name();
                        // `name` falls back to `?` for pairs IAM has no word for.
                        if !name.contains('?') && parse_operator(&name) == Ok(op) {
                            names.push(name);
                        }
                    }
                }
            }
        }
        names
    })
}

#[cfg(test)]
mod tests {
    use super::all_names;

    #[test]
    fn every_name_parses_and_null_if_exists_is_absent() {
        let names = all_names();
        assert!(names
            .iter()
            .any(|n| n == "ForAnyValue:StringNotLikeIfExists"));
        assert!(names.iter().any(|n| n == "ArnNotEquals"));
        assert!(!names.iter().any(|n| n.contains("NullIfExists")));
        assert!(names.len() > 100);
    }
}
