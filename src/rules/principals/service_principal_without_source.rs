use crate::policy::{Effect, PrincipalKind};
use crate::rules::prelude::*;

use super::restricts;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM503",
        name: "service-principal-without-source",
        severity: Severity::Security,
        summary: "A service principal allowed in without `aws:SourceAccount`/`aws:SourceArn` (confused deputy)",
        doc: r#"## What it does
Reports an `Allow` statement of a trust or resource policy that lets a service principal
(`sns.amazonaws.com`, `cloudtrail.amazonaws.com`, ...) in without a positive test on
`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID` or `aws:SourceOrgPaths` (or, for an
Alexa skill calling a function, `lambda:EventSourceToken`).

Not reported: KMS key policies (CloudTrail does not send these keys there for event data
stores, and a condition on them breaks the key), and the trust of the compute services that
assume a role to run your own code: EC2 (`ec2.amazonaws.com`, instance profiles), Lambda and
Lambda@Edge (`lambda.amazonaws.com`, `edgelambda.amazonaws.com`), ECS tasks
(`ecs-tasks.amazonaws.com`) and EKS Pod Identity (`pods.eks.amazonaws.com`). These do not act on
behalf of some other account's resource: the role runs only inside the instance, function, task
or pod it was attached to, and attaching it needs `iam:PassRole` in your own account, so there
is no deputy to confuse; AWS's own trust policy examples for them carry no source condition.

In a role's trust policy it is a warning: services attach a role only when someone allowed
`iam:PassRole` on it in the role's account sets it up, so another account rarely gets the
service to use it; AWS still recommends the condition where the service sends the keys. In a
resource policy (a topic, queue, bucket or key that a service writes to) it is a security
finding.

## Why is this bad?
A service acts for every customer. Without a source condition, another account can point the
same service at your role or resource — a bucket notification, a log subscription, a trail —
and the service will use your permissions for them: the confused-deputy problem.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
  "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-west-1:111122223333:queue"}}
```

## Fix
Add `"StringEquals": {"aws:SourceAccount": "111122223333"}` and, where the service sends it,
`"ArnLike": {"aws:SourceArn": "arn:aws:sns:eu-west-1:111122223333:topic"}`.
"#,
        pack: None,
    },
    check,
};

const SOURCE_KEYS: &[&str] = &[
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    // The Alexa skill a Lambda permission lets in (`EventSourceToken`): Alexa sends no source
    // keys, the skill ID is what ties the call to one skill.
    "lambda:EventSourceToken",
];

/// Services that assume a role to run the customer's own code, not on behalf of some other
/// resource; they do not send the source keys when assuming it.
const COMPUTE: &[&str] = &[
    "ec2.amazonaws.com",
    "ec2.amazonaws.com.cn",
    "lambda.amazonaws.com",
    "edgelambda.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "pods.eks.amazonaws.com",
];

fn check(doc: &Document, out: &mut Findings) {
    if !matches!(doc.kind, Kind::Trust | Kind::Resource) {
        return;
    }
    for statement in doc.statements() {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some(principal) = &statement.principal else {
            continue;
        };
        if restricts(statement.condition.as_ref(), SOURCE_KEYS) {
            continue;
        }
        for value in principal
            .entries
            .iter()
            .filter(|e| e.kind == PrincipalKind::Service)
            .flat_map(|e| &e.values)
        {
            // A principal computed by the template (`local.services`) may be a compute
            // service, and a message naming a placeholder is not one the user can act on.
            if value.value.contains('*')
                || crate::source::has_placeholder(value.value)
                || (doc.kind == Kind::Trust
                    && COMPUTE.iter().any(|c| c.eq_ignore_ascii_case(value.value)))
            {
                continue;
            }
            let mut diagnostic = out
                .at(
                    value.span,
                    format!(
                        "`{}` is let in without `aws:SourceAccount` or `aws:SourceArn`, so it can act for any account",
                        value.value
                    ),
                )
                .help(doc.with_kind_note(
                    "add `\"StringEquals\": {\"aws:SourceAccount\": \"ACCOUNT\"}` and, where the service sends it, `\"ArnLike\": {\"aws:SourceArn\": \"ARN\"}`",
                ));
            // A service role is attached by someone allowed `iam:PassRole` on it in this account,
            // which keeps most other accounts' resources from using it: hardening, not an open
            // door as in a resource policy.
            if doc.kind == Kind::Trust {
                diagnostic.severity = Severity::Warning;
            }
            out.emit(diagnostic);
        }
    }
}
