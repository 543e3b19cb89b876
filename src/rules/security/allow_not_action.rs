use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM403",
        name: "allow-not-action",
        severity: Severity::Warning,
        summary: "`Allow` with `NotAction` grants every action not listed, in every service",
        doc: r#"## What it does
Reports an `Allow` statement that uses `NotAction`.

## Why is this bad?
`NotAction` with `Allow` grants every action of every AWS service except those listed,
including actions of services launched after the policy was written. It is rarely what was
meant and easily grants privilege escalation (`iam:*` excluded still leaves `sts:*`,
`organizations:*`, ...).

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
}
```

## Fix
List the actions to allow with `Action`. To carve out exceptions from a broad grant, use a
separate `Deny` statement.
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
        let (Some(Effect::Allow), Some(list)) = (statement.effect(), &statement.not_action) else {
            continue;
        };
        out.emit(
            out.at(
                list.key_span,
                "this `Allow` with `NotAction` grants every action of every service except those listed",
            )
            .help(doc.with_kind_note("list the allowed actions under `Action`, and use a `Deny` statement for exceptions")),
        );
    }
}
