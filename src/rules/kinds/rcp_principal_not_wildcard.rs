use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM023",
        name: "rcp-principal-not-wildcard",
        severity: Severity::Error,
        summary: "In an RCP, a `Principal` other than `\"*\"`",
        doc: r#"## What it does
Reports, in a resource control policy (RCP), a `Principal` that is not the bare `"*"`: a map
such as `{"AWS": "*"}` or one naming accounts, roles or services.

## Why is this bad?
An RCP applies to every request to the resources of the accounts it is attached to; AWS
Organizations accepts only `"Principal": "*"` (`RCP_SYNTAX_ERROR_PRINCIPAL`) and refuses the
policy otherwise. Who the statement applies to is said with conditions instead.

## Example
An RCP (declared with `--kind rcp`):
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": "*",
  "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}}
```

## Fix
Write `"Principal": "*"` and narrow the statement with conditions such as `aws:PrincipalOrgID`
or `aws:PrincipalIsAWSService`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    if doc.kind != Kind::Rcp {
        return;
    }
    for statement in doc.statements() {
        let Some(principal) = &statement.principal else {
            continue;
        };
        if principal.any.is_some() && principal.entries.is_empty() {
            continue;
        }
        out.emit(
            out.at(principal.span, "a resource control policy allows only `\"Principal\": \"*\"`")
                .help(doc.with_kind_note(
                    "write \"Principal\": \"*\" and say whom the statement applies to with conditions (aws:PrincipalOrgID, aws:PrincipalIsAWSService, ...)",
                )),
        );
    }
}
