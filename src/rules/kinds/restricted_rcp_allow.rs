use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM024",
        name: "restricted-rcp-allow",
        severity: Severity::Error,
        summary: "In an RCP, an `Allow` with a `Condition` or a `Resource` other than `\"*\"`",
        doc: r#"## What it does
Reports, in a resource control policy (RCP), an `Allow` statement that has a `Condition`, a
`NotResource`, or a `Resource` other than `"*"`.

## Why is this bad?
RCPs restrict with `Deny` statements; the only `Allow` AWS Organizations accepts is the
unconditional one of `RCPFullAWSAccess`: `Principal` `"*"`, `Resource` `"*"` and no
`Condition` (`RCP_SYNTAX_ERROR_ALLOW`). It refuses any other.

## Example
An RCP (declared with `--kind rcp`):
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:*",
  "Resource": "arn:aws:s3:::reports/*"}}
```

## Fix
Write the restriction as a `Deny` with conditions, and leave the `Allow` to `RCPFullAWSAccess`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    if doc.kind != Kind::Rcp {
        return;
    }
    let help = "an RCP restricts with `Deny` statements; its `Allow` statements have `Principal` \"*\" and `Resource` \"*\", without `Condition` (as in `RCPFullAWSAccess`)";
    for statement in doc
        .statements()
        .iter()
        .filter(|s| s.effect() == Some(Effect::Allow))
    {
        if let Some(condition) = &statement.condition {
            out.emit(
                out.at(
                    condition.key_span,
                    "an `Allow` in a resource control policy cannot have a `Condition`",
                )
                .help(doc.with_kind_note(help)),
            );
        }
        if let Some(list) = &statement.not_resource {
            out.emit(
                out.at(
                    list.key_span,
                    "an `Allow` in a resource control policy cannot use `NotResource`",
                )
                .help(doc.with_kind_note(help)),
            );
        }
        if let Some(list) = &statement.resource {
            if !(list.items.len() == 1 && list.items[0].value == "*") {
                out.emit(
                    out.at(
                        list.span,
                        "an `Allow` in a resource control policy must have `\"Resource\": \"*\"`",
                    )
                    .help(doc.with_kind_note(help)),
                );
            }
        }
    }
}
