use crate::engine::BaseOperator;
use crate::policy::Effect;
use crate::rules::prelude::*;

use super::for_each_test;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM318",
        name: "negated-prefix-condition",
        severity: Severity::Warning,
        summary:
            "`s3:prefix` in a `Deny` or under a negated operator, which a shorter prefix bypasses",
        doc: r#"## What it does
Reports `s3:prefix` tested by a positive operator in a `Deny` statement, or by a negated
operator (`StringNotLike`, `StringNotEquals`) in an `Allow` (Access Analyzer's
`S3_PREFIX_IN_NEGATIVE_CONTEXT`).

## Why is this bad?
`s3:prefix` is only the prefix the caller asks to list with, not what the listing returns. A
`Deny` on `"s3:prefix": "secret/*"` does not apply to a listing with the prefix `secr` or with
no prefix at all, and both list the `secret/` keys too.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::data",
  "Condition": {"StringLike": {"s3:prefix": "secret/*"}}}}
```

## Fix
Allow listing only under the prefixes meant (`Allow` with `"StringLike": {"s3:prefix":
["home/${aws:username}/*"]}`); to keep objects secret, deny `s3:GetObject` on their ARNs.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for_each_test(doc, |test| {
        let Ok(op) = test.operator else { return };
        let key = test.entry.key;
        if !key.value.eq_ignore_ascii_case("s3:prefix") || op.base == BaseOperator::Null {
            return;
        }
        let why = match (test.statement.effect(), op.negated) {
            (Some(Effect::Deny), false) => "this `Deny` does not apply to a listing with a shorter prefix, or none, which lists the same keys",
            (Some(Effect::Allow), true) => "a listing with a shorter prefix, or none, passes this negated test and lists the excluded keys too",
            _ => return,
        };
        out.emit(
            out.at(key.span, format!("`s3:prefix` is only the prefix asked for: {why}"))
                .help("allow listing only under the prefixes meant, and protect the objects themselves with a `Deny` on their ARNs")
                .related(out.file(), test.block.operator.span, "the operator"),
        );
    });
}
