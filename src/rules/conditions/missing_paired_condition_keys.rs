use crate::policy::Effect;
use crate::rules::prelude::*;

use super::positive_entries;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM317",
        name: "missing-paired-condition-keys",
        severity: Severity::Warning,
        summary: "A key that identifies nothing alone: `aws:VpcSourceIp` without `aws:SourceVpc`/`aws:SourceVpce`, an S3 `aws:SourceArn` without `aws:SourceAccount`",
        doc: r#"## What it does
Reports, in an `Allow` statement, a positive test on a key that needs a companion key to
identify the caller (Access Analyzer's `MISSING_PAIRED_CONDITION_KEYS`):

- `aws:VpcSourceIp` without a positive test on `aws:SourceVpc` or `aws:SourceVpce`;
- `aws:SourceArn` whose every value is an S3 bucket or object ARN (`arn:aws:s3:::...`)
  without a positive test on `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths`.

## Why is this bad?
Private addresses repeat in every VPC of every account: `10.0.0.0/16` in `aws:VpcSourceIp`
matches callers in anybody's VPC. S3 ARNs carry no account: once the bucket is deleted,
another account can create one of the same name, and its events then match the condition.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*",
  "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}}}
```

## Fix
Add `"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}` (or `aws:SourceVpce`), and
`"StringEquals": {"aws:SourceAccount": "111122223333"}` beside an S3 `aws:SourceArn`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for statement in doc.statements() {
        let (Some(Effect::Allow), Some(condition)) = (statement.effect(), &statement.condition)
        else {
            continue;
        };
        for entry in positive_entries(condition) {
            let key = entry.key.value;
            let (needs, why): (&[&str], &str) = if key.eq_ignore_ascii_case("aws:VpcSourceIp") {
                (
                    &["aws:SourceVpc", "aws:SourceVpce"],
                    "private addresses repeat in every VPC, so `aws:VpcSourceIp` alone matches callers in any account's VPC",
                )
            } else if key.eq_ignore_ascii_case("aws:SourceArn")
                && !entry.values.is_empty()
                && entry
                    .values
                    .iter()
                    .all(|v| v.text.starts_with("arn:aws:s3:::"))
            {
                (
                    &["aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths"],
                    "an S3 ARN names no account, so another account's bucket of the same name matches once yours is deleted",
                )
            } else {
                continue;
            };
            let paired = positive_entries(condition)
                .any(|e| needs.iter().any(|n| n.eq_ignore_ascii_case(e.key.value)));
            if paired {
                continue;
            }
            out.emit(
                out.at(
                    entry.key.span,
                    format!("`{key}` without `{}`: {why}", needs[0]),
                )
                .help(format!(
                    "add a test on {}",
                    needs
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )),
            );
        }
    }
}
