use super::{arn_problem, entries, ArnProblem, PARTITIONS};
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM201",
        name: "invalid-arn",
        severity: Severity::Error,
        summary: "A `Resource`/`NotResource` value that is neither `*` nor a well-formed ARN",
        doc: r#"## What it does
Reports a `Resource` or `NotResource` value other than `*` that is not a well-formed ARN: fewer
than six colon-separated parts (`arn:partition:service:region:account:resource`), not starting
with `arn:`, an unknown partition, an empty or upper-case service, or a wildcard in the service
part. It also checks the region and account parts of each service's ARNs: a region where the
service's ARNs of that kind have none (IAM, CloudFront, Route 53, S3 buckets and objects, as the
catalog's ARN templates show; S3 access points do have one), an availability zone (`us-east-1a`)
or a word that is not a region name, and an account that is neither 12 digits nor `aws` (AWS
managed policies, `arn:aws:iam::aws:policy/...`). Wildcards and policy variables such as
`${aws:username}` or `${aws:PrincipalAccount}` stand for anything and are fine, and so is
API Gateway's `execute-api:/STAGE/METHOD/PATH` in a resource policy (the API's own policy, which
API Gateway completes with the API's ARN).

## Why is this bad?
Resource values are compared case-sensitively and part by part. A value that is not a valid ARN
matches no resource: the Allow grants nothing and the Deny denies nothing. AWS rejects some of
these outright (a wildcard in the service) and keeps others as a statement that never applies.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:my-bucket/*"}
}
```

## Fix
Write the full ARN, leaving the region and account empty where the service's ARNs have none:
`arn:aws:s3:::my-bucket/*`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for (_, item, _) in entries(doc) {
        // API Gateway's shorthand for its own API (`execute-api:/stage/GET/path`), which it
        // expands to the API's ARN when the policy is attached.
        if doc.kind == Kind::Resource && item.value.starts_with("execute-api:/") {
            continue;
        }
        let Some(problem) = arn_problem(item.value) else {
            continue;
        };
        let value = item.value;
        let (reason, help) = match problem {
            ArnProblem::TooFewParts => (
                "it has fewer than six colon-separated parts".to_string(),
                "an ARN is `arn:partition:service:region:account:resource`; keep the empty parts, as in `arn:aws:s3:::my-bucket/*`".to_string(),
            ),
            ArnProblem::NotArn => (
                "it does not start with `arn:`".to_string(),
                "start it with `arn:` (lower case), or use `*` for every resource".to_string(),
            ),
            ArnProblem::UnknownPartition(partition) => (
                format!("`{partition}` is not an AWS partition"),
                format!(
                    "use one of {} (usually `aws`), or `*`",
                    PARTITIONS.map(|p| format!("`{p}`")).join(", ")
                ),
            ),
            ArnProblem::EmptyService => (
                "its service part is empty".to_string(),
                "name the service in the third part, as in `arn:aws:s3:::my-bucket`".to_string(),
            ),
            ArnProblem::WildcardInService(service) => (
                format!("its service part `{service}` has a wildcard, which IAM does not allow"),
                "name the service explicitly; use one statement or ARN per service".to_string(),
            ),
            ArnProblem::ServiceNotLowercase(service) => (
                format!("its service part `{service}` is not lower case, and ARNs compare case-sensitively"),
                format!("write the service as `{}`", service.to_ascii_lowercase()),
            ),
            ArnProblem::RegionNotAllowed { service, region } => (
                format!("`{service}` ARNs of this kind have no region, so the region `{region}` matches none of them"),
                "leave the region part empty, as in `arn:aws:iam::123456789012:role/NAME` or `arn:aws:s3:::my-bucket/*`".to_string(),
            ),
            ArnProblem::AvailabilityZone(zone) => (
                format!("`{zone}` is an availability zone, not a region"),
                format!(
                    "use the region `{}`",
                    zone.trim_end_matches(|c: char| c.is_ascii_lowercase())
                ),
            ),
            ArnProblem::NotARegion(region) => (
                format!("`{region}` is not a region name"),
                "use a region such as `us-east-1`, `*`, or leave it empty where the service's ARNs have none".to_string(),
            ),
            ArnProblem::InvalidAccount(account) => (
                format!("the account part `{account}` is neither a 12-digit account ID nor `aws`"),
                "write the 12-digit account ID (with leading zeros), `*`, or leave it empty where the service's ARNs have none".to_string(),
            ),
        };
        out.emit(
            out.at(item.span, format!("`{value}` is not a valid ARN: {reason}"))
                .help(help),
        );
    }
}
