use super::entry_covers;
use crate::rules::actions::redundant_action::report_redundant_entry;
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM204",
        name: "redundant-resource",
        severity: Severity::Suggestion,
        summary:
            "A resource already covered by another pattern (or listed twice) in the same statement",
        doc: r#"## What it does
Reports a `Resource` or `NotResource` entry that another entry of the same list already covers:
the same ARN twice, any ARN next to `"*"`, or an ARN under a pattern that ends in `*`
(`arn:aws:s3:::my-bucket/logs/*` next to `arn:aws:s3:::my-bucket/*`). This is Access Analyzer's
`REDUNDANT_RESOURCE`. ARNs are case-sensitive, so `My-Bucket` and `my-bucket` are different.
In a template, a computed ARN (`!GetAtt Queue.Arn`, `!Sub arn:aws:s3:::${Bucket}/*`) is covered
only by the same written computation. A list of over 1,000 entries is machine-written and not
compared.

## Why is this bad?
The statement means exactly the same without it. A redundant entry makes a reader believe the
access is narrower or more deliberate than it is, and hides the broad pattern next to it.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
    "Resource": ["arn:aws:s3:::my-bucket/*", "arn:aws:s3:::my-bucket/reports/*"]}
}
```

## Fix
Remove the redundant entry (`iamlint check --fix` can do it), or narrow the covering pattern if
it grants more than intended.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for statement in doc.statements() {
        let Some((list, _)) = statement.resources() else {
            continue;
        };
        // Pairwise: a list of thousands of ARNs is machine-written and not worth n² work.
        if list.items.len() < 2 || list.items.len() > 1000 {
            continue;
        }
        for (i, item) in list.items.iter().enumerate() {
            // The first of two equal entries stays; a covering pattern is never itself redundant
            // to what it covers unless they are equal.
            let covering = list.items.iter().enumerate().find(|&(j, other)| {
                j != i && entry_covers(doc, other, item) && (other.value != item.value || j < i)
            });
            let Some((j, other)) = covering else {
                continue;
            };
            let duplicate = other.value == item.value;
            report_redundant_entry(doc, out, &list.items, i, j, duplicate);
        }
    }
}
