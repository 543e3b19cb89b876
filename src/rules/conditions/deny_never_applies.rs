use crate::engine::parse_operator;
use crate::policy::Effect;
use crate::rules::prelude::*;

use super::{absent_is_false, key_info, key_support, statement_actions, Support, SupportCache};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM316",
        name: "deny-never-applies",
        severity: Severity::Warning,
        summary: "A `Deny` that can never apply: a condition key none of its actions supports, or `NotResource`/`NotAction` `\"*\"`",
        doc: r#"## What it does
Reports a `Deny` statement that matches no request:

- a positive test (not negated, not `IfExists`, not `ForAllValues:`) on a service condition key
  that none of the statement's actions supports (wildcard actions expanded, as in
  `condition-key-not-supported`): the key is never in the request, so the test, and with it
  the whole condition, is always false;
- `"NotResource": "*"` or `"NotAction": "*"`: every resource or action is excluded.

## Why is this bad?
A `Deny` is usually a guardrail. One that never applies protects nothing while it reads as if
it did.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
  "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}, "StringEquals": {"ec2:Region": "eu-west-1"}}}}
```

## Fix
Use a key the actions support (`aws:RequestedRegion` here), or name the resources or actions
the `Deny` is for.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let mut cache = SupportCache::default();
    for statement in doc.statements() {
        if statement.effect() != Some(Effect::Deny) {
            continue;
        }
        for (list, element) in [
            (&statement.not_resource, "NotResource"),
            (&statement.not_action, "NotAction"),
        ] {
            if let Some(star) = list.iter().flat_map(|l| &l.items).find(|i| i.value == "*") {
                out.emit(
                    out.at(
                        star.span,
                        format!("`\"{element}\": \"*\"` excludes everything, so this `Deny` never applies"),
                    )
                    .help(format!("name what the `Deny` is for in `{}`", &element[3..])),
                );
            }
        }
        let Some(condition) = &statement.condition else {
            continue;
        };
        let Some(actions) = statement_actions(doc, statement) else {
            continue;
        };
        for block in &condition.blocks {
            if !parse_operator(block.operator.value).is_ok_and(|op| absent_is_false(&op)) {
                continue;
            }
            for entry in &block.entries {
                let key = entry.key;
                if !matches!(
                    key_support(key, key_info(doc, &key), &actions, &mut cache),
                    Support::None
                ) {
                    continue;
                }
                out.emit(
                    out.at(
                        key.span,
                        format!(
                            "none of the statement's actions supports `{}`, so the test is always false and this `Deny` never applies",
                            key.value
                        ),
                    )
                    .help("use a key the actions support (see each action's row in the Service Authorization Reference)")
                    .related(out.file(), actions.list.span, "the actions"),
                );
            }
        }
    }
}
