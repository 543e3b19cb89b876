use crate::engine::vars;
use crate::rules::prelude::*;

use super::{for_each_variable_site, inner_span, Place};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM309",
        name: "variable-without-version",
        severity: Severity::Warning,
        summary: "A `${...}` policy variable in a policy whose Version is not `2012-10-17`",
        doc: r#"## What it does
Reports a policy variable (`${aws:username}`) in a `Resource` or a condition value of a policy
whose `Version` is missing or `2008-10-17`.

## Why is this bad?
IAM substitutes variables only under `"Version": "2012-10-17"`. Elsewhere `${aws:username}` is
literal text: the resource or condition matches only a name that contains those characters,
which is not what was meant.

## Example
```json
{"Statement": {"Effect": "Allow", "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::home/${aws:username}/*"}}
```

## Fix
Add `"Version": "2012-10-17"` at the top of the policy (and check the policy still reads as
intended: the variables then take effect).
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let Some(policy) = doc.policy else { return };
    if policy.supports_variables() {
        return;
    }
    let help = match policy.version {
        Some(v) => format!(
            "variables need `\"Version\": \"2012-10-17\"`; under `{}` this is literal text",
            v.value
        ),
        None => {
            "variables need `\"Version\": \"2012-10-17\"`; without a Version this is literal text"
                .to_string()
        }
    };
    for_each_variable_site(doc, |place, text, span| {
        if !matches!(
            place,
            Place::Resource | Place::Value { .. } | Place::UnknownOperatorValue
        ) {
            return;
        }
        for variable in vars::variables(text).filter(|v| v.problem.is_none()) {
            let written = &text[variable.start..variable.end];
            let mut diagnostic = out
                .at(
                    inner_span(span, text, variable.start, variable.end),
                    format!("`{written}` is literal text, not a policy variable, in this policy"),
                )
                .help(help.clone());
            if let Some(version) = policy.version {
                diagnostic = diagnostic.related(out.file(), version.span, "the Version");
            }
            out.emit(diagnostic);
        }
    });
}
