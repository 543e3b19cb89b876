use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM012",
        name: "invalid-sid",
        severity: Severity::Error,
        summary: "A Sid with characters IAM does not allow in identity and trust policies",
        doc: r#"## What it does
Reports a `Sid` with characters other than ASCII letters and digits in an identity policy (a
permissions boundary and a session policy are identity policies too) or a role trust policy. KMS key policies and resource policies allow more (spaces, for instance) and
are not checked.

## Why is this bad?
IAM rejects the policy with `MalformedPolicyDocument`. Sids copied from a key policy, such as
`"Enable IAM User Permissions"`, are a common cause.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Sid": "read-reports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}
```

## Fix
Use only `A-Z`, `a-z` and `0-9`, e.g. `"Sid": "ReadReports"`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    if !matches!(
        doc.kind,
        Kind::Identity | Kind::Trust | Kind::Boundary | Kind::Session
    ) {
        return;
    }
    for sid in doc.statements().iter().filter_map(|s| s.sid) {
        if let Some(bad) = sid.value.chars().find(|c| !c.is_ascii_alphanumeric()) {
            let suggestion = camel_case(sid.value);
            let help = if suggestion.is_empty() {
                "use only ASCII letters and digits".to_string()
            } else {
                format!("use only ASCII letters and digits, e.g. \"{suggestion}\"")
            };
            out.emit(
                out.at(
                    sid.span,
                    format!(
                        "the Sid `{}` contains `{bad}`, which {} does not allow",
                        sid.value,
                        doc.kind.describe()
                    ),
                )
                .help(doc.with_kind_note(help)),
            );
        }
    }
}

/// `read-reports now` → `ReadReportsNow`.
fn camel_case(sid: &str) -> String {
    sid.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            first.into_iter().chain(chars).collect::<String>()
        })
        .collect()
}
