use crate::rules::prelude::*;

use super::{absent_is_false, key_info, key_support, statement_actions, Support, SupportCache};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM303",
        name: "condition-key-not-supported",
        severity: Severity::Warning,
        summary: "A condition key that some or all of the statement's actions do not support",
        doc: r#"## What it does
Reports a service condition key that none of the statement's actions supports (`s3:prefix`
with `s3:GetObject`, `ec2:Region` with `s3:` actions), wildcard actions included (`s3:Get*`:
none of the actions it matches), and a key that some of the actions named exactly do not
support (Access Analyzer's `UNSUPPORTED_ACTION_FOR_CONDITION_KEY`). Every action must be known
to the catalog; statements with `NotAction` or `"*"` are not judged. Global `aws:` keys are not
reported, nor the keys a service sets on every call made with its credentials
(`ec2:SourceInstanceARN`, `lambda:SourceFunctionArn`, `glue:RoleAssumedBy`). A `Deny` that
this makes inapplicable is `deny-never-applies`'.

## Why is this bad?
A key that is never in the request context makes a positive test always false: an `Allow`
never applies (for the actions without the key), a `Deny` never denies (and a negated test is
always true). The policy looks scoped and is not.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::bucket/*", "Condition": {"StringEquals": {"ec2:Region": "eu-west-1"}}}}
```

## Fix
Use a key the actions support (see each action's row in the Service Authorization
Reference), or move the condition to the statement whose actions it belongs to.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let mut cache = SupportCache::default();
    for statement in doc.statements() {
        let Some(condition) = &statement.condition else {
            continue;
        };
        let Some(actions) = statement_actions(doc, statement) else {
            continue;
        };
        for block in &condition.blocks {
            let deny_test = statement.effect() == Some(crate::policy::Effect::Deny)
                && crate::engine::parse_operator(block.operator.value)
                    .is_ok_and(|op| absent_is_false(&op));
            for entry in &block.entries {
                let key = entry.key;
                let list = actions.list;
                match key_support(key, key_info(doc, &key), &actions, &mut cache) {
                    Support::All | Support::Unjudged => {}
                    // A Deny that never applies is reported once, by IAM316.
                    Support::None if deny_test => {}
                    Support::None => {
                        let named = list
                            .items
                            .iter()
                            .map(|a| format!("`{}`", a.value))
                            .collect::<Vec<_>>()
                            .join(", ");
                        let one = list.items.len() == 1
                            && !crate::policy::glob::has_wildcard(list.items[0].value);
                        out.emit(
                            out.at(
                                key.span,
                                format!("`{}` is not supported by {}", key.value, if one { format!("the action {named}") } else { format!("any of the actions {named}") }),
                            )
                            .help("the key is never in these actions' request context, so the test is always false (negated: always true); use a key the actions support or move the condition to the statement it belongs to")
                            .related(out.file(), list.span, "the actions"),
                        );
                    }
                    Support::Partly(unsupported) => {
                        let named = unsupported
                            .iter()
                            .map(|a| format!("`{}`", a.value))
                            .collect::<Vec<_>>()
                            .join(", ");
                        let mut diagnostic = out
                            .at(
                                key.span,
                                format!("`{}` is not supported by {named}, so for {} the test is always false (negated: always true)", key.value, if unsupported.len() == 1 { "it" } else { "them" }),
                            )
                            .help("move the actions that do not support the key to a statement of their own, without this condition");
                        for action in &unsupported {
                            diagnostic = diagnostic.related(
                                out.file(),
                                action.span,
                                "does not support the key",
                            );
                        }
                        out.emit(diagnostic);
                    }
                }
            }
        }
    }
}
