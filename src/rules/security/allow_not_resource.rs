use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM404",
        name: "allow-not-resource",
        severity: Severity::Warning,
        summary: "`Allow` with `NotResource` grants the actions on every resource not listed",
        doc: r#"## What it does
Reports an `Allow` statement that uses `NotResource`.

## Why is this bad?
`NotResource` with `Allow` grants the actions on every resource except those listed, in every
account, region and service, including resources created later. Access Analyzer flags it for
`iam:PassRole` and `iam:CreateServiceLinkedRole` for this reason.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::audit-logs/*"}
}
```

## Fix
List the resources to allow with `Resource`. To carve out exceptions, use a separate `Deny`
statement.
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
        let (Some(Effect::Allow), Some(list)) = (statement.effect(), &statement.not_resource)
        else {
            continue;
        };
        out.emit(
            out.at(
                list.key_span,
                "this `Allow` with `NotResource` grants its actions on every resource except those listed",
            )
            .help(doc.with_kind_note("list the allowed resources under `Resource`, and use a `Deny` statement for exceptions")),
        );
    }
}
