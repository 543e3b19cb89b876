use crate::rules::actions::{resolution, Resolution};
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM401",
        name: "admin-access",
        severity: Severity::Security,
        summary: "An unconditional `Allow` of every action on every resource",
        doc: r#"## What it does
Reports an `Allow` statement without a `Condition` that grants `"Action": "*"` (or a `NotAction`
whose entries exclude no real action) on `"Resource": "*"`: full administrator access.

## Why is this bad?
Whoever holds the policy can do anything in the account, including granting themselves or
others any permission and deleting audit trails. Least privilege is the first IAM best
practice; administrator access should be rare, deliberate and guarded.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}
}
```

## Fix
Grant the actions and resources the holder needs. If administrator access is intended, attach
the AWS managed `AdministratorAccess` policy, which makes the intent visible, and add conditions
(MFA, source network) where possible.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    // Only a policy that grants can grant too much.
    if !doc.kind.grants() {
        return;
    }
    for statement in doc.statements() {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        if statement
            .condition
            .as_ref()
            .is_some_and(|c| !c.blocks.is_empty())
        {
            continue;
        }
        let Some(resources) = &statement.resource else {
            continue;
        };
        if !resources.items.iter().any(|r| r.value == "*") {
            continue;
        }
        let Some((actions, negated)) = statement.actions() else {
            continue;
        };
        let everything = if negated {
            // A NotAction entry that matches no real action excludes nothing.
            actions
                .items
                .iter()
                .all(|item| !resolution(doc, item).is_known())
        } else {
            actions
                .items
                .iter()
                .any(|item| matches!(resolution(doc, item), Resolution::All))
        };
        if !everything {
            continue;
        }
        let message = if negated {
            "this `Allow` grants every action on every resource: its `NotAction` excludes no real action"
        } else {
            "this `Allow` grants every action (`*`) on every resource (`*`) without a condition"
        };
        out.emit(
            out.at(actions.span, message)
                .help(doc.with_kind_note("grant only the actions and resources needed; if full access is intended, use the AWS managed `AdministratorAccess` policy and guard it with conditions"))
                .related(out.file(), resources.span, "on every resource"),
        );
    }
}
