use crate::policy::Effect;
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM508",
        name: "allow-with-not-principal",
        severity: Severity::Security,
        summary:
            "`Allow` with `NotPrincipal` grants everyone not listed, anonymous callers included",
        doc: r#"## What it does
Reports an `Allow` statement of a resource or key policy that uses `NotPrincipal` (Access
Analyzer's `ALLOW_WITH_NOT_PRINCIPAL`). In a role trust policy `NotPrincipal` is not allowed
at all (`forbidden-element`).

## Why is this bad?
`NotPrincipal` matches every principal except the listed ones: every other AWS account, every
service and, for services that accept them, anonymous requests. An `Allow` with it makes the
resource public to everyone but a few.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
  "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/Blocked"},
  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}}
```

## Fix
Name who is allowed in `Principal`. To keep someone out, add a `Deny` statement for them (or a
`Deny` with `"Principal": "*"` and a `StringNotEquals` on `aws:PrincipalArn`).
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    if !matches!(doc.kind, Kind::Resource | Kind::Key) {
        return;
    }
    for statement in doc.statements() {
        let (Some(Effect::Allow), Some(not_principal)) =
            (statement.effect(), &statement.not_principal)
        else {
            continue;
        };
        out.emit(
            out.at(
                not_principal.key_span,
                "`Allow` with `NotPrincipal` grants every principal not listed, anonymous callers included",
            )
            .help(doc.with_kind_note(
                "name who is allowed in `Principal`; to keep someone out, add a `Deny` statement for them",
            )),
        );
    }
}
