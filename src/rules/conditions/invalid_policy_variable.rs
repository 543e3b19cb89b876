use crate::engine::split_arn;
use crate::engine::vars::{self, Variable, VariableProblem};
use crate::rules::prelude::*;

use super::{for_each_variable_site, inner_span, Place};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM308",
        name: "invalid-policy-variable",
        severity: Severity::Error,
        summary: "A malformed `${...}` policy variable, or one where IAM does not substitute it",
        doc: r#"## What it does
Reports a policy variable that is malformed — no closing `}`, empty `${}`, a space in the key,
a default not in single quotes (`${aws:PrincipalTag/team, 'none'}` is right) — or that sits
where IAM does not substitute variables: in `Action`, in `Principal`, in the partition or
service of a `Resource` ARN, or in the value of a Numeric, Date, Bool, Binary, IP or Null
condition. `${*}`, `${?}` and `${$}` are the literal characters and valid wherever variables
are. Variables in the region and account of an ARN are accepted: AWS's own policies use them
(`arn:aws:kms:*:${aws:PrincipalAccount}:key/*`).

Not reported here: a well-formed name that is not a condition key IAM knows, such as a template
placeholder (`${Region}`, `${BucketName}` copied from documentation or a CloudFormation
template). No request carries such a key, so the ARN or value never matches; that is the policy-kinds
issue's `placeholder-value` finding, not this rule's.

## Why is this bad?
IAM rejects malformed variables and variables in the wrong place, or takes them literally:
the statement then matches nothing it was meant to.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::home/${aws:username/*"}}
```

## Fix
Close the brace, remove the space, quote the default; move variables into the resource part
of the ARN or into a String or ARN condition.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    // Without Version 2012-10-17 `${...}` is literal text: IAM309 reports that instead.
    if !doc.policy.is_some_and(|p| p.supports_variables()) {
        return;
    }
    for_each_variable_site(doc, |place, text, span| {
        let resource_start = match place {
            // AWS's own policies put variables in the region and account parts
            // (`arn:*:kms:*:${aws:PrincipalAccount}:key/*`); the prefix, partition and
            // service are never substituted.
            Place::Resource => {
                split_arn(text).map(|parts| parts[..3].iter().map(|p| p.len() + 1).sum::<usize>())
            }
            _ => None,
        };
        for variable in vars::variables(text) {
            let at = inner_span(span, text, variable.start, variable.end);
            let written = &text[variable.start..variable.end];
            if let Some(problem) = variable.problem {
                let (message, help) = malformed(written, &variable, problem);
                out.emit(out.at(at, message).help(help));
                continue;
            }
            let misplaced = match place {
                Place::Action => Some("in `Action`, where IAM does not substitute variables"),
                Place::Principal => {
                    Some("in `Principal`, where IAM does not substitute variables")
                }
                Place::Resource => match resource_start {
                    Some(start) if variable.start >= start => None,
                    Some(_) => Some("in the partition or service of the ARN, where IAM does not substitute variables"),
                    None => Some("in a resource that is not an ARN; variables work only in the resource part of an ARN"),
                },
                Place::Value { substitutes: false } => {
                    Some("in the value of an operator that does not take variables (only String and ARN operators do)")
                }
                Place::Value { substitutes: true } | Place::UnknownOperatorValue => None,
            };
            if let Some(reason) = misplaced {
                out.emit(
                    out.at(at, format!("`{written}` is {reason}"))
                        .help("write the value out, or move the test into a String or ARN condition or the resource part of the ARN"),
                );
            }
        }
    });
}

fn malformed(written: &str, variable: &Variable, problem: VariableProblem) -> (String, String) {
    match problem {
        VariableProblem::MissingBrace => (
            format!("`{written}` has no closing `}}`"),
            "close the variable with `}` right after its key, as in `${aws:username}`".to_string(),
        ),
        VariableProblem::Empty => (
            format!("`{written}` names no key"),
            "name a key, such as `${aws:username}`; for a literal `$`, write `${$}`".to_string(),
        ),
        VariableProblem::SpaceInKey => (
            format!("`{written}` has a space in its key"),
            format!(
                "remove the space: `${{{}}}`",
                variable.body.split_once(',').map_or(
                    variable.body.split_whitespace().collect::<String>(),
                    |(k, d)| format!("{},{d}", k.split_whitespace().collect::<String>())
                )
            ),
        ),
        VariableProblem::UnquotedDefault => {
            let (key, default) = variable.body.split_once(',').unwrap_or((variable.body, ""));
            let default = default.trim().trim_matches(['\'', '"']);
            (
                format!("the default in `{written}` is not in single quotes"),
                format!("quote it: `${{{}, '{default}'}}`", key.trim()),
            )
        }
    }
}
