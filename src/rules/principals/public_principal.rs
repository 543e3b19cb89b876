use crate::policy::{Effect, PrincipalKind};
use crate::rules::prelude::*;

use super::restricts;
use crate::engine::parse_operator;
use crate::source::has_placeholder;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM502",
        name: "public-principal",
        severity: Severity::Security,
        summary: "`\"Principal\": \"*\"` in an `Allow` with no condition that narrows who gets in",
        doc: r#"## What it does
Reports `"Principal": "*"` or `{"AWS": "*"}` in an `Allow` statement of a trust, key or
resource policy when no condition narrows the callers: a positive test on `aws:PrincipalOrgID`,
`aws:PrincipalOrgPaths`, `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceAccount`,
`aws:SourceArn`, `aws:SourceOrgID`, `aws:SourceOrgPaths`, `aws:SourceVpc`, `aws:SourceVpce`,
`aws:SourceIp`, `aws:VpcSourceIp`, `aws:userid`, `aws:PrincipalServiceName`,
`kms:CallerAccount`, `kms:ViaService`, or, in a bucket policy that delegates to access points,
`s3:DataAccessPointAccount` or `s3:DataAccessPointArn`. Negated, `IfExists`, `ForAllValues:` and `Null` tests
do not count: each lets a caller without the key in. Nor is it reported when a `Deny` of the
same policy fences it: `"Principal": "*"`, the same actions and resources or more, and only
negated tests of those keys (`StringNotEquals aws:SourceVpce`), AWS's private API pattern.

In a role trust policy the bare `"Principal": "*"` is reported as an `error`, with or without
a condition: IAM does not accept it there (Access Analyzer's
`ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL`); `{"AWS": "*"}` is accepted and judged
as above.

## Why is this bad?
`*` is everyone: every AWS account and, for many services, anonymous callers. Without a
narrowing condition the statement makes the role assumable, the key usable or the resource
readable by anyone on the internet.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*",
  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}}
```

## Fix
Name the accounts or roles, or keep `*` and add a condition such as
`"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}`.
"#,
        pack: None,
    },
    check,
};

const NARROWING: &[&str] = &[
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:VpcSourceIp",
    "aws:userid",
    "aws:PrincipalServiceName",
    "kms:CallerAccount",
    "kms:ViaService",
    // Only through access points of that account, whose own policies then decide: AWS's pattern
    // for delegating a bucket's access control to its access points.
    "s3:DataAccessPointAccount",
    "s3:DataAccessPointArn",
];

fn check(doc: &Document, out: &mut Findings) {
    // An identity policy names no principal; an endpoint policy or RCP with `"*"` only filters.
    if doc.kind == Kind::Identity || !doc.kind.grants() {
        return;
    }
    for statement in doc.statements() {
        let Some(principal) = &statement.principal else {
            continue;
        };
        if let (Kind::Trust, Some(span)) = (doc.kind, principal.any) {
            let mut diagnostic = out
                .at(span, "IAM does not accept `\"Principal\": \"*\"` in a role trust policy")
                .help(doc.with_kind_note(
                    "name the accounts, roles or services that may assume the role; to admit many accounts, use `{\"AWS\": \"*\"}` with a condition such as `\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-...\"}`",
                ));
            diagnostic.severity = Severity::Error;
            out.emit(diagnostic);
            continue;
        }
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let star = principal.any.or_else(|| {
            principal
                .entries
                .iter()
                .filter(|e| e.kind == PrincipalKind::Aws)
                .flat_map(|e| &e.values)
                .find(|v| v.value == "*")
                .map(|v| v.span)
        });
        let Some(span) = star else { continue };
        if restricts(statement.condition.as_ref(), NARROWING)
            || doc
                .statements()
                .iter()
                .any(|deny| fences(doc, deny, statement))
        {
            continue;
        }
        out.emit(
            out.at(
                span,
                format!(
                    "`*` lets anyone use {} through this statement",
                    match doc.kind {
                        Kind::Trust => "the role",
                        Kind::Key => "the key",
                        _ => "the resource",
                    }
                ),
            )
            .help(doc.with_kind_note(
                "name the accounts or roles, or add a condition such as `\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-...\"}` or `aws:SourceAccount`",
            )),
        );
    }
}

/// Whether `deny` turns away everyone the `allow` lets in except those a narrowing key admits:
/// AWS's private API and bucket pattern, `Allow *` then `Deny *` `StringNotEquals
/// aws:SourceVpce`. The Deny must name everyone, cover the Allow's actions and resources, and test
/// nothing but narrowing keys with negated operators (each block must hold to deny, so together
/// they admit callers matching any one).
fn fences(doc: &Document, deny: &Statement, allow: &Statement) -> bool {
    use crate::policy::glob::matches_ignore_case;
    let everyone = deny.principal.as_ref().is_some_and(|p| {
        p.any.is_some()
            || p.entries
                .iter()
                .any(|e| e.kind == PrincipalKind::Aws && e.values.iter().any(|v| v.value == "*"))
    });
    let actions = match (&deny.action, &allow.action) {
        (Some(wide), Some(narrow)) => narrow.items.iter().all(|n| {
            wide.items
                .iter()
                .any(|w| !has_placeholder(w.value) && matches_ignore_case(w.value, n.value))
        }),
        _ => false,
    };
    // A resource the template computes fences only the same written computation
    // (`${aws_api_gateway_rest_api.api.execution_arn}*` in both statements).
    let resources = match (&deny.resource, &allow.resource) {
        (Some(wide), Some(narrow)) => narrow.items.iter().all(|n| {
            wide.items.iter().any(|w| {
                crate::rules::resources::entry_covers(doc, w, n)
                    || (!has_placeholder(w.value) && matches_ignore_case(w.value, n.value))
            })
        }),
        _ => false,
    };
    let Some(condition) = deny
        .condition
        .as_ref()
        .filter(|c| c.complete && !c.blocks.is_empty())
    else {
        return false;
    };
    let negated_narrowing = condition.blocks.iter().all(|block| {
        parse_operator(block.operator.value).is_ok_and(|op| op.negated && op.set.is_none())
            && !block.entries.is_empty()
            && block.entries.iter().all(|e| {
                NARROWING
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(e.key.value))
                    && !e.values.iter().any(|v| v.text.contains('*'))
            })
    });
    deny.effect() == Some(Effect::Deny)
        && everyone
        && deny.not_action.is_none()
        && deny.not_resource.is_none()
        && actions
        && resources
        && negated_narrowing
}
