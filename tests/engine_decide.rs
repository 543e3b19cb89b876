//! Conformance table for `decide`: every line of design/semantics.md, corner cases included.

use iamlint::engine::{
    decide, decide_layers, Caller, Context, Element, Layer, Layers, Outcome, PolicyInput, Request,
    ResourceSide, Tri,
};
use iamlint::policy::{self, Kind};
use iamlint::source;

const A: &str = "123456789012";
const B: &str = "999999999999";
const ROLE: &str = "arn:aws:iam::123456789012:role/Import";

fn load(kind: Kind, json: &str, id: usize) -> PolicyInput<'static, 'static> {
    let text: &'static str = Box::leak(json.to_string().into_boxed_str());
    let node = Box::leak(Box::new(source::parse(text).expect("valid JSON")));
    let policy = Box::leak(Box::new(policy::build(node).0.expect("a policy")));
    PolicyInput { id, kind, policy }
}

fn identity(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

fn req(principal: Caller, action: &str, resource: &str, context: Context) -> Request {
    Request {
        principal,
        action: action.into(),
        resource: resource.into(),
        resource_account: None,
        context,
    }
}

fn role() -> Caller {
    Caller::Aws(ROLE.into())
}

/// One row: identity statements, request against the role with a closed context, on a resource
/// of the role's own account (an ARN without an account, like S3's, is put there: an unknown
/// owner counts as another account, which identity policies alone never prove).
fn outcome(statements: &str, action: &str, resource: &str, context: Context) -> Outcome {
    let p = load(Kind::Identity, &identity(statements), 0);
    let mut request = req(role(), action, resource, context);
    if resource.split(':').nth(4).is_none_or(|a| a.is_empty()) {
        request.resource_account = Some(A.into());
    }
    decide(&[p], &request).outcome
}

fn allow(action: &str, resource: &str) -> String {
    format!(r#"{{"Effect": "Allow", "Action": {action}, "Resource": {resource}}}"#)
}

use Outcome::*;

#[test]
fn decision_order() {
    let both = format!(
        "{}, {}",
        allow(r#""s3:*""#, r#""*""#),
        r#"{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}"#
    );
    assert_eq!(
        outcome(&both, "s3:GetObject", "arn:aws:s3:::b/k", Context::closed()),
        ExplicitDeny
    );
    assert_eq!(
        outcome(&both, "s3:PutObject", "arn:aws:s3:::b/k", Context::closed()),
        Allowed
    );
    assert_eq!(
        outcome(&both, "iam:PassRole", ROLE, Context::closed()),
        ImplicitDeny
    );
    assert_eq!(
        outcome("", "iam:PassRole", ROLE, Context::closed()),
        ImplicitDeny
    );
}

#[test]
fn deciding_statements_and_near_misses() {
    let p = load(
        Kind::Identity,
        &identity(&format!(
            "{}, {}",
            allow(
                r#""logs:CreateLogGroup""#,
                r#""arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/*""#
            ),
            allow(r#""s3:*""#, r#""*""#)
        )),
        7,
    );
    let d = decide(
        &[p],
        &req(
            role(),
            "logs:CreateLogGroup",
            "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/x",
            Context::closed(),
        ),
    );
    assert_eq!(d.outcome, ImplicitDeny);
    assert!(!d.is_allowed());
    assert_eq!(d.nearest.len(), 1);
    assert_eq!(d.nearest[0].statement.policy, 7);
    assert_eq!(d.nearest[0].statement.index, 0);
    assert_eq!(d.nearest[0].mismatches.len(), 1);
    assert_eq!(d.nearest[0].mismatches[0].element, Element::Resource);
    assert!(d.nearest[0].mismatches[0].span.is_some());
    assert_eq!(d.unmet, vec![Layer::Identity]);

    let d = decide(
        &[p],
        &in_account_a(req(
            role(),
            "s3:GetObject",
            "arn:aws:s3:::b",
            Context::closed(),
        )),
    );
    assert_eq!(d.outcome, Allowed);
    assert_eq!(d.deciding.len(), 1);
    assert_eq!(d.deciding[0].index, 1);
}

#[test]
fn actions() {
    let ctx = Context::closed;
    assert_eq!(
        outcome(
            &allow(r#""Logs:createloggroup""#, r#""*""#),
            "logs:CreateLogGroup",
            "*",
            ctx()
        ),
        Allowed
    );
    assert_eq!(
        outcome(
            &allow(r#""logs:Create*""#, r#""*""#),
            "logs:CreateLogStream",
            "*",
            ctx()
        ),
        Allowed
    );
    assert_eq!(
        outcome(
            &allow(r#""logs:Create?ogGroup""#, r#""*""#),
            "logs:CreateLogGroup",
            "*",
            ctx()
        ),
        Allowed
    );
    assert_eq!(
        outcome(&allow(r#""*""#, r#""*""#), "kms:Decrypt", "*", ctx()),
        Allowed
    );
    // Junk never matches.
    assert_eq!(
        outcome(
            &allow(r#""s3:GetObject,PutObject""#, r#""*""#),
            "s3:GetObject",
            "*",
            ctx()
        ),
        ImplicitDeny
    );
    assert_eq!(
        outcome(
            &allow(r#""s3:GetObject,PutObject""#, r#""*""#),
            "s3:PutObject",
            "*",
            ctx()
        ),
        ImplicitDeny
    );
    assert_eq!(
        outcome(
            &allow(r#"" s3:GetObject""#, r#""*""#),
            "s3:GetObject",
            "*",
            ctx()
        ),
        ImplicitDeny
    );
    assert_eq!(
        outcome(&allow(r#""s3:""#, r#""*""#), "s3:GetObject", "*", ctx()),
        ImplicitDeny
    );
    assert_eq!(
        outcome(
            &allow(r#""s*:GetObject""#, r#""*""#),
            "s3:GetObject",
            "*",
            ctx()
        ),
        ImplicitDeny
    );
    // A malformed Deny denies nothing.
    let st = format!(
        "{}, {}",
        allow(r#""s3:*""#, r#""*""#),
        r#"{"Effect": "Deny", "Action": "s3:GetObject,PutObject", "Resource": "*"}"#
    );
    assert_eq!(outcome(&st, "s3:GetObject", "*", ctx()), Allowed);
    // NotAction: with Allow everything else in every service; with Deny it grants nothing.
    let st = r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#;
    assert_eq!(outcome(st, "s3:GetObject", "*", ctx()), Allowed);
    assert_eq!(outcome(st, "iam:PassRole", "*", ctx()), ImplicitDeny);
    let st = r#"{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}"#;
    assert_eq!(outcome(st, "iam:PassRole", "*", ctx()), ImplicitDeny);
    let st = format!(
        "{}, {}",
        allow(r#""*""#, r#""*""#),
        r#"{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}"#
    );
    assert_eq!(outcome(&st, "s3:GetObject", "*", ctx()), ExplicitDeny);
    assert_eq!(outcome(&st, "iam:PassRole", "*", ctx()), Allowed);
}

#[test]
fn actions_without_resource_types_use_the_literal_star() {
    let scoped = allow(
        r#""logs:CreateImportTask""#,
        r#""arn:aws:logs:us-east-1:123456789012:log-group:*""#,
    );
    assert_eq!(
        outcome(&scoped, "logs:CreateImportTask", "*", Context::closed()),
        ImplicitDeny
    );
    assert_eq!(
        outcome(
            &allow(r#""logs:CreateImportTask""#, r#""*""#),
            "logs:CreateImportTask",
            "*",
            Context::closed()
        ),
        Allowed
    );
}

#[test]
fn resources() {
    let ctx = Context::closed;
    let s3 = allow(r#""s3:GetObject""#, r#""arn:aws:s3:::bucket/*/test/*""#);
    assert_eq!(
        outcome(
            &s3,
            "s3:GetObject",
            "arn:aws:s3:::bucket/1/2/test/3/x.jpg",
            ctx()
        ),
        Allowed
    );
    assert_eq!(
        outcome(
            &s3,
            "s3:GetObject",
            "arn:aws:s3:::bucket//test/x.jpg",
            ctx()
        ),
        Allowed
    );
    assert_eq!(
        outcome(&s3, "s3:GetObject", "arn:aws:s3:::bucket/test/x.jpg", ctx()),
        ImplicitDeny
    );
    // Case-sensitive.
    assert_eq!(
        outcome(&s3, "s3:GetObject", "arn:aws:s3:::Bucket/1/test/x", ctx()),
        ImplicitDeny
    );
    let logs = allow(
        r#""logs:*""#,
        r#""arn:aws:logs:us-east-1:123456789012:log-group:/aws/*""#,
    );
    assert_eq!(
        outcome(
            &logs,
            "logs:CreateLogStream",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/x:log-stream:y",
            ctx()
        ),
        Allowed
    );
    assert_eq!(
        outcome(
            &logs,
            "logs:CreateLogGroup",
            "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/x",
            ctx()
        ),
        ImplicitDeny
    );
    // Wildcards in the first five parts stay in their part.
    let region = allow(
        r#""s3:GetObject""#,
        r#""arn:aws:s3:*:111122223333:finance/*""#,
    );
    assert_eq!(
        outcome(
            &region,
            "s3:GetObject",
            "arn:aws:s3:us-east-2:999999999999:store/abc:111122223333:finance/x",
            ctx()
        ),
        ImplicitDeny
    );
    // NotResource is the complement.
    let not = r#"{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}"#;
    assert_eq!(
        outcome(not, "s3:GetObject", "arn:aws:s3:::public/x", ctx()),
        Allowed
    );
    assert_eq!(
        outcome(not, "s3:GetObject", "arn:aws:s3:::secret/x", ctx()),
        ImplicitDeny
    );
}

#[test]
fn non_portable_arns_are_not_proven_in_allow_and_may_deny_in_deny() {
    let short = allow(r#""s3:GetObject""#, r#""arn:aws:s3:bucket""#);
    let d = decide(
        &[load(Kind::Identity, &identity(&short), 0)],
        &req(
            role(),
            "s3:GetObject",
            "arn:aws:s3:bucket",
            Context::closed(),
        ),
    );
    assert_eq!(d.outcome, ImplicitDeny);
    assert_eq!(d.nearest[0].mismatches[0].result, Tri::Unknown);
    let service = allow(r#""s3:GetObject""#, r#""arn:aws:s*:::b""#);
    assert_eq!(
        outcome(
            &service,
            "s3:GetObject",
            "arn:aws:s3:::b",
            Context::closed()
        ),
        ImplicitDeny
    );
    let st = format!(
        "{}, {}",
        allow(r#""s3:*""#, r#""*""#),
        r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:bucket"}"#
    );
    assert_eq!(
        outcome(
            &st,
            "s3:GetObject",
            "arn:aws:s3:::bucket",
            Context::closed()
        ),
        MayDeny
    );
}

#[test]
fn policy_variables() {
    // In NotResource, a variable with no value: AWS's documentation says both that the
    // statement then matches nothing and that the element is skipped; an Allow is not proven.
    let not_team = r#"{"Effect": "Allow", "Action": "sqs:SendMessage", "NotResource": "arn:aws:sqs:*:*:${aws:PrincipalTag/team}-*"}"#;
    let queue = "arn:aws:sqs:us-east-1:123456789012:ops-q";
    assert_eq!(
        outcome(not_team, "sqs:SendMessage", queue, Context::closed()),
        ImplicitDeny
    );
    assert_eq!(
        outcome(
            not_team,
            "sqs:SendMessage",
            queue,
            Context::closed().with("aws:PrincipalTag/team", "dev")
        ),
        Allowed
    );
    let home = allow(
        r#""s3:GetObject""#,
        r#""arn:aws:s3:::home/${aws:username}/*""#,
    );
    let bob = Context::closed().with("aws:username", "bob");
    assert_eq!(
        outcome(
            &home,
            "s3:GetObject",
            "arn:aws:s3:::home/bob/x",
            bob.clone()
        ),
        Allowed
    );
    assert_eq!(
        outcome(
            &home,
            "s3:GetObject",
            "arn:aws:s3:::home/alice/x",
            bob.clone()
        ),
        ImplicitDeny
    );
    // No value: matches nothing; not pinned: unknown, which never allows.
    assert_eq!(
        outcome(
            &home,
            "s3:GetObject",
            "arn:aws:s3:::home//x",
            Context::closed()
        ),
        ImplicitDeny
    );
    assert_eq!(
        outcome(
            &home,
            "s3:GetObject",
            "arn:aws:s3:::home/bob/x",
            Context::open()
        ),
        ImplicitDeny
    );
    // Defaults, and the escapes.
    let team = allow(
        r#""s3:GetObject""#,
        r#""arn:aws:s3:::t/${aws:PrincipalTag/team, 'all'}/*""#,
    );
    assert_eq!(
        outcome(
            &team,
            "s3:GetObject",
            "arn:aws:s3:::t/all/x",
            Context::closed()
        ),
        Allowed
    );
    assert_eq!(
        outcome(
            &team,
            "s3:GetObject",
            "arn:aws:s3:::t/ops/x",
            Context::closed().with("aws:PrincipalTag/team", "ops")
        ),
        Allowed
    );
    let star = allow(r#""s3:GetObject""#, r#""arn:aws:s3:::b/${*}${?}${$}""#);
    assert_eq!(
        outcome(
            &star,
            "s3:GetObject",
            "arn:aws:s3:::b/*?$",
            Context::closed()
        ),
        Allowed
    );
    assert_eq!(
        outcome(
            &star,
            "s3:GetObject",
            "arn:aws:s3:::b/xy$",
            Context::closed()
        ),
        ImplicitDeny
    );
    // Without Version 2012-10-17, `${...}` is literal text.
    let old = load(Kind::Identity, &format!(r#"{{"Statement": [{home}]}}"#), 0);
    assert_eq!(
        decide(
            &[old],
            &req(
                role(),
                "s3:GetObject",
                "arn:aws:s3:::home/bob/x",
                bob.clone()
            )
        )
        .outcome,
        ImplicitDeny
    );
    assert_eq!(
        decide(
            &[old],
            &in_account_a(req(
                role(),
                "s3:GetObject",
                "arn:aws:s3:::home/${aws:username}/x",
                bob
            ))
        )
        .outcome,
        Allowed
    );
}

fn resource_policy(principal: &str, action: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal}, "Action": "{action}", "Resource": "*"}}]}}"#
    )
}

#[test]
fn principals() {
    let check = |principal: &str, caller: Caller| {
        let p = load(
            Kind::Resource,
            &resource_policy(principal, "s3:GetObject"),
            0,
        );
        decide(
            &[p],
            &in_account_a(req(
                caller,
                "s3:GetObject",
                "arn:aws:s3:::b/k",
                Context::closed(),
            )),
        )
        .outcome
    };
    let user = || Caller::Aws(format!("arn:aws:iam::{A}:user/alice"));
    let ct = || Caller::Service("cloudtrail.amazonaws.com".into());
    assert_eq!(check(r#""*""#, Caller::Anonymous), Allowed);
    assert_eq!(check(r#"{"AWS": "*"}"#, Caller::Anonymous), Allowed);
    assert_eq!(check(r#""*""#, ct()), Allowed);
    assert_eq!(
        check(r#"{"AWS": "arn:aws:iam::123456789012:user/alice"}"#, user()),
        Allowed
    );
    assert_eq!(
        check(r#"{"AWS": "arn:aws:iam::123456789012:user/Alice"}"#, user()),
        ImplicitDeny
    );
    // No partial wildcards.
    assert_eq!(
        check(r#"{"AWS": "arn:aws:iam::123456789012:user/*"}"#, user()),
        ImplicitDeny
    );
    // Service principals: whole strings; never an account or ARN principal.
    assert_eq!(
        check(r#"{"Service": "cloudtrail.amazonaws.com"}"#, ct()),
        Allowed
    );
    assert_eq!(check(r#"{"Service": "cloudtrail.*"}"#, ct()), ImplicitDeny);
    assert_eq!(
        check(r#"{"Service": "logs.amazonaws.com"}"#, ct()),
        ImplicitDeny
    );
    assert_eq!(check(r#"{"AWS": "123456789012"}"#, ct()), ImplicitDeny);
    // NotPrincipal.
    assert_eq!(
        check_not(r#"{"AWS": "arn:aws:iam::123456789012:user/bob"}"#, user()),
        Allowed
    );
    assert_eq!(
        check_not(r#"{"AWS": "arn:aws:iam::123456789012:user/alice"}"#, user()),
        ImplicitDeny
    );
}

/// A Deny with `NotPrincipal` excludes a user only when it lists the user *and* its account:
/// IAM tests every principal of the request, the account included. Naming just the user is
/// AWS's documented trap, and must never come out as allowed.
#[test]
fn deny_not_principal_needs_the_account_too() {
    let alice = || Caller::Aws(format!("arn:aws:iam::{A}:user/alice"));
    let deny = |not_principal: &str| {
        let json = format!(
            r#"{{"Version": "2012-10-17", "Statement": [
                {{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::123456789012:user/alice"}}, "Action": "s3:GetObject", "Resource": "*"}},
                {{"Effect": "Deny", "NotPrincipal": {not_principal}, "Action": "s3:GetObject", "Resource": "*"}}]}}"#
        );
        let p = load(Kind::Resource, &json, 0);
        let request = req(
            alice(),
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            Context::closed(),
        );
        decide(&[p], &in_account_a(request)).outcome
    };
    assert_ne!(
        deny(r#"{"AWS": "arn:aws:iam::123456789012:user/alice"}"#),
        Allowed
    );
    assert_ne!(deny(r#"{"AWS": "123456789012"}"#), Allowed);
    assert_eq!(
        deny(r#"{"AWS": ["123456789012", "arn:aws:iam::123456789012:user/alice"]}"#),
        Allowed
    );
    assert_eq!(
        deny(r#"{"AWS": "arn:aws:iam::123456789012:user/bob"}"#),
        ExplicitDeny
    );
}

fn check_not(principal: &str, caller: Caller) -> Outcome {
    let json = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "NotPrincipal": {principal}, "Action": "s3:GetObject", "Resource": "*"}}]}}"#
    );
    let p = load(Kind::Resource, &json, 0);
    decide(
        &[p],
        &in_account_a(req(
            caller,
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            Context::closed(),
        )),
    )
    .outcome
}

/// S3 ARNs carry no account; without one the engine assumes cross-account (which needs more).
fn in_account_a(mut request: Request) -> Request {
    request.resource_account = Some(A.into());
    request
}

#[test]
fn unknown_resource_account_counts_as_cross_account() {
    let p = load(
        Kind::Resource,
        &resource_policy(
            r#"{"AWS": "arn:aws:iam::123456789012:user/alice"}"#,
            "s3:GetObject",
        ),
        0,
    );
    let alice = Caller::Aws(format!("arn:aws:iam::{A}:user/alice"));
    let d = decide(
        &[p],
        &req(alice, "s3:GetObject", "arn:aws:s3:::b/k", Context::closed()),
    );
    assert_eq!(d.outcome, ImplicitDeny);
    assert_eq!(
        d.unmet,
        vec![Layer::Identity],
        "the resource policy allows; the identity side does not"
    );
}

#[test]
fn account_principal_delegates_to_identity_policies() {
    let alice = || Caller::Aws(format!("arn:aws:iam::{A}:user/alice"));
    let bucket = |account: &str| {
        let mut r = req(
            alice(),
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            Context::closed(),
        );
        r.resource_account = Some(account.into());
        r
    };
    let by_account = load(
        Kind::Resource,
        &resource_policy(r#"{"AWS": "123456789012"}"#, "s3:GetObject"),
        0,
    );
    let by_root = load(
        Kind::Resource,
        &resource_policy(
            r#"{"AWS": "arn:aws:iam::123456789012:root"}"#,
            "s3:GetObject",
        ),
        0,
    );
    let id_allow = load(
        Kind::Identity,
        &identity(&allow(r#""s3:GetObject""#, r#""*""#)),
        1,
    );
    let empty = load(Kind::Identity, &identity(""), 1);
    assert_eq!(
        decide(&[by_account, empty], &bucket(A)).outcome,
        ImplicitDeny
    );
    assert_eq!(decide(&[by_root, empty], &bucket(A)).outcome, ImplicitDeny);
    assert_eq!(decide(&[by_root, id_allow], &bucket(A)).outcome, Allowed);
    // Same account: the resource policy naming the user directly is enough, and so is identity.
    let direct = load(
        Kind::Resource,
        &resource_policy(
            r#"{"AWS": "arn:aws:iam::123456789012:user/alice"}"#,
            "s3:GetObject",
        ),
        0,
    );
    assert_eq!(decide(&[direct, empty], &bucket(A)).outcome, Allowed);
    let other = load(
        Kind::Resource,
        &resource_policy(
            r#"{"AWS": "arn:aws:iam::999999999999:root"}"#,
            "s3:GetObject",
        ),
        0,
    );
    assert_eq!(decide(&[other, id_allow], &bucket(A)).outcome, Allowed);
    // Cross-account: both sides.
    let theirs = load(
        Kind::Resource,
        &resource_policy(r#"{"AWS": "123456789012"}"#, "s3:GetObject"),
        0,
    );
    assert_eq!(decide(&[theirs, id_allow], &bucket(B)).outcome, Allowed);
    assert_eq!(decide(&[theirs, empty], &bucket(B)).outcome, ImplicitDeny);
    assert_eq!(decide(&[other, id_allow], &bucket(B)).outcome, ImplicitDeny);
    assert_eq!(decide(&[direct, empty], &bucket(B)).outcome, ImplicitDeny);
    let d = decide(&[other, id_allow], &bucket(B));
    assert_eq!(d.unmet, vec![Layer::Resource]);
}

#[test]
fn trust_policies_must_allow_by_themselves() {
    let trust = |principal: &str| {
        load(
            Kind::Trust,
            &format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal}, "Action": "sts:AssumeRole"}}]}}"#
            ),
            0,
        )
    };
    let ct = Caller::Service("cloudtrail.amazonaws.com".into());
    let assume = |caller: Caller| {
        let mut r = req(caller, "sts:AssumeRole", ROLE, Context::closed());
        r.resource_account = Some(A.into());
        r
    };
    assert_eq!(
        decide(
            &[trust(r#"{"Service": "cloudtrail.amazonaws.com"}"#)],
            &assume(ct.clone())
        )
        .outcome,
        Allowed
    );
    assert_eq!(
        decide(
            &[trust(r#"{"Service": "logs.amazonaws.com"}"#)],
            &assume(ct.clone())
        )
        .outcome,
        ImplicitDeny
    );
    // An identity policy cannot stand in for the trust policy.
    let id = load(
        Kind::Identity,
        &identity(&allow(r#""sts:AssumeRole""#, r#""*""#)),
        1,
    );
    let alice = Caller::Aws(format!("arn:aws:iam::{A}:user/alice"));
    assert_eq!(
        decide(
            &[trust(r#"{"Service": "cloudtrail.amazonaws.com"}"#), id],
            &assume(alice.clone())
        )
        .outcome,
        ImplicitDeny
    );
    assert_eq!(
        decide(
            &[trust(r#"{"AWS": "arn:aws:iam::123456789012:user/alice"}"#)],
            &assume(alice.clone())
        )
        .outcome,
        Allowed
    );
    assert_eq!(
        decide(
            &[trust(r#"{"AWS": "123456789012"}"#)],
            &assume(alice.clone())
        )
        .outcome,
        ImplicitDeny
    );
    assert_eq!(
        decide(&[trust(r#"{"AWS": "123456789012"}"#), id], &assume(alice)).outcome,
        Allowed
    );
    // Cross-account: the caller's identity policy must allow too.
    let bob = Caller::Aws(format!("arn:aws:iam::{B}:user/bob"));
    assert_eq!(
        decide(
            &[trust(r#"{"AWS": "arn:aws:iam::999999999999:user/bob"}"#)],
            &assume(bob.clone())
        )
        .outcome,
        ImplicitDeny
    );
    assert_eq!(
        decide(
            &[
                trust(r#"{"AWS": "arn:aws:iam::999999999999:user/bob"}"#),
                id
            ],
            &assume(bob)
        )
        .outcome,
        Allowed
    );
}

#[test]
fn key_policies_must_allow_and_root_delegates() {
    let key_arn = "arn:aws:kms:us-east-1:123456789012:key/k";
    let key = |principal: &str| load(Kind::Key, &resource_policy(principal, "kms:Decrypt"), 0);
    let role_grant = load(
        Kind::Identity,
        &identity(&allow(r#""kms:Decrypt""#, &format!(r#""{key_arn}""#))),
        1,
    );
    let decrypt = |caller: Caller| req(caller, "kms:Decrypt", key_arn, Context::closed());
    assert_eq!(
        decide(
            &[
                key(r#"{"AWS": "arn:aws:iam::123456789012:root"}"#),
                role_grant
            ],
            &decrypt(role())
        )
        .outcome,
        Allowed
    );
    assert_eq!(
        decide(
            &[key(r#"{"AWS": "arn:aws:iam::123456789012:root"}"#)],
            &decrypt(role())
        )
        .outcome,
        ImplicitDeny
    );
    assert_eq!(
        decide(
            &[key(r#"{"AWS": "arn:aws:iam::123456789012:role/Import"}"#)],
            &decrypt(role())
        )
        .outcome,
        Allowed
    );
    let d = decide(
        &[
            key(r#"{"AWS": "arn:aws:iam::123456789012:role/Other"}"#),
            role_grant,
        ],
        &decrypt(role()),
    );
    assert_eq!(d.outcome, ImplicitDeny);
    assert_eq!(d.unmet, vec![Layer::Key]);
    let ct = Caller::Service("cloudtrail.amazonaws.com".into());
    assert_eq!(
        decide(
            &[key(r#"{"Service": "cloudtrail.amazonaws.com"}"#)],
            &decrypt(ct.clone())
        )
        .outcome,
        Allowed
    );
    assert_eq!(
        decide(
            &[key(r#"{"AWS": "arn:aws:iam::123456789012:root"}"#)],
            &decrypt(ct)
        )
        .outcome,
        ImplicitDeny
    );
}

fn conditional(effect: &str, condition: &str) -> String {
    format!(
        r#"{{"Effect": "{effect}", "Action": "iam:PassRole", "Resource": "*", "Condition": {condition}}}"#
    )
}

#[test]
fn conditions() {
    let pass = |statements: &str, ctx: Context| outcome(statements, "iam:PassRole", ROLE, ctx);
    let service = r#"{"StringEquals": {"iam:PassedToService": ["logs.amazonaws.com", "cloudtrail.amazonaws.com"]}}"#;
    let st = conditional("Allow", service);
    assert_eq!(
        pass(
            &st,
            Context::closed().with("iam:PassedToService", "logs.amazonaws.com")
        ),
        Allowed
    );
    assert_eq!(
        pass(
            &st,
            Context::closed().with("IAM:passedtoservice", "cloudtrail.amazonaws.com")
        ),
        Allowed
    );
    assert_eq!(
        pass(
            &st,
            Context::closed().with("iam:PassedToService", "ec2.amazonaws.com")
        ),
        ImplicitDeny
    );
    assert_eq!(pass(&st, Context::closed()), ImplicitDeny);
    // Unpinned: an Allow proves nothing; the nearest statement says the condition is unknown.
    let p = load(Kind::Identity, &identity(&st), 0);
    let d = decide(&[p], &req(role(), "iam:PassRole", ROLE, Context::open()));
    assert_eq!(d.outcome, ImplicitDeny);
    assert_eq!(d.nearest[0].mismatches[0].element, Element::Condition);
    assert_eq!(d.nearest[0].mismatches[0].result, Tri::Unknown);
    // AND across operators and keys.
    let and = conditional(
        "Allow",
        r#"{"StringEquals": {"iam:PassedToService": "logs.amazonaws.com", "aws:SourceAccount": "123456789012"}, "ArnLike": {"iam:AssociatedResourceArn": "arn:aws:logs:*:123456789012:log-group:aws/cloudtrail/*"}}"#,
    );
    let ctx = Context::closed()
        .with("iam:PassedToService", "logs.amazonaws.com")
        .with("aws:SourceAccount", A)
        .with(
            "iam:AssociatedResourceArn",
            "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/x",
        );
    assert_eq!(pass(&and, ctx.clone()), Allowed);
    assert_eq!(
        pass(&and, ctx.clone().with("aws:SourceAccount", B)),
        ImplicitDeny
    );
    assert_eq!(
        pass(
            &and,
            ctx.clone().with(
                "iam:AssociatedResourceArn",
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/x"
            )
        ),
        ImplicitDeny,
        "the leading slash"
    );
    // A Deny under an unpinned condition may deny; a caller cannot read it as allowed.
    let st = format!(
        "{}, {}",
        allow(r#""iam:PassRole""#, r#""*""#),
        conditional(
            "Deny",
            r#"{"StringNotEquals": {"aws:SourceAccount": "123456789012"}}"#
        )
    );
    let p = load(Kind::Identity, &identity(&st), 0);
    let d = decide(&[p], &req(role(), "iam:PassRole", ROLE, Context::open()));
    assert_eq!(d.outcome, MayDeny);
    assert!(!d.is_allowed());
    assert_eq!(d.deciding[0].index, 1);
    assert_eq!(
        pass(&st, Context::closed().with("aws:SourceAccount", A)),
        Allowed
    );
    assert_eq!(
        pass(&st, Context::closed().with("aws:SourceAccount", B)),
        ExplicitDeny
    );
    // Negated operators and IfExists are true on a missing key.
    assert_eq!(pass(&st, Context::closed()), ExplicitDeny);
    // A key written twice (duplicate JSON names): IAM reads one of the two, so testing both
    // (which makes this Deny narrower) proves nothing; the Deny may apply.
    let twice = format!(
        "{}, {}",
        allow(r#""iam:PassRole""#, r#""*""#),
        conditional(
            "Deny",
            r#"{"StringEquals": {"aws:SourceAccount": "111111111111", "aws:SourceAccount": "123456789012"}}"#
        )
    );
    let d = pass(&twice, Context::closed().with("aws:SourceAccount", A));
    assert_eq!(d, MayDeny);
    let st = format!(
        "{}, {}",
        allow(r#""iam:PassRole""#, r#""*""#),
        conditional(
            "Deny",
            r#"{"StringNotEqualsIfExists": {"aws:SourceAccount": "123456789012"}}"#
        )
    );
    assert_eq!(pass(&st, Context::closed()), ExplicitDeny);
    // Null.
    let null = conditional("Allow", r#"{"Null": {"aws:SourceAccount": "false"}}"#);
    assert_eq!(pass(&null, Context::closed()), ImplicitDeny);
    assert_eq!(
        pass(&null, Context::closed().with("aws:SourceAccount", A)),
        Allowed
    );
    // ForAllValues is true on a missing key (the known hole); ForAnyValue false.
    let all = conditional(
        "Allow",
        r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}"#,
    );
    assert_eq!(pass(&all, Context::closed()), Allowed);
    let any = conditional(
        "Allow",
        r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}"#,
    );
    assert_eq!(pass(&any, Context::closed()), ImplicitDeny);
    // ... with IfExists too: AWS evaluates ForAnyValue on a missing or empty key as false.
    let any_if_exists = conditional(
        "Allow",
        r#"{"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": ["a"]}}"#,
    );
    assert_eq!(pass(&any_if_exists, Context::closed()), ImplicitDeny);
    assert_eq!(
        pass(
            &any_if_exists,
            Context::closed().with_multi("aws:TagKeys", Vec::<String>::new())
        ),
        ImplicitDeny
    );
    let all_if_exists = conditional(
        "Allow",
        r#"{"ForAllValues:StringEqualsIfExists": {"aws:TagKeys": ["a"]}}"#,
    );
    assert_eq!(pass(&all_if_exists, Context::closed()), Allowed);
    // A plain operator on a multivalued key is false.
    let plain = conditional("Allow", r#"{"StringEquals": {"aws:TagKeys": "a"}}"#);
    assert_eq!(
        pass(&plain, Context::closed().with_multi("aws:TagKeys", ["a"])),
        ImplicitDeny
    );
    // ... also when the scenario lists one value: the catalog says aws:TagKeys is multivalued.
    assert_eq!(
        pass(&plain, Context::closed().with("aws:TagKeys", "a")),
        ImplicitDeny
    );
    // An unknown operator proves nothing.
    let bogus = conditional(
        "Allow",
        r#"{"StringEqualz": {"aws:SourceAccount": "123456789012"}}"#,
    );
    assert_eq!(
        pass(&bogus, Context::closed().with("aws:SourceAccount", A)),
        ImplicitDeny
    );
    // ArnLike vs StringLike (AWS's example).
    let smuggled =
        "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
    let arn_like = conditional(
        "Allow",
        r#"{"ArnLike": {"aws:SourceArn": "arn:aws:someservice:*:111122223333:finance/*"}}"#,
    );
    let string_like = conditional(
        "Allow",
        r#"{"StringLike": {"aws:SourceArn": "arn:aws:someservice:*:111122223333:finance/*"}}"#,
    );
    assert_eq!(
        pass(&arn_like, Context::closed().with("aws:SourceArn", smuggled)),
        ImplicitDeny
    );
    assert_eq!(
        pass(
            &string_like,
            Context::closed().with("aws:SourceArn", smuggled)
        ),
        Allowed
    );
    // Unquoted numbers and booleans compare as text.
    let typed = conditional(
        "Allow",
        r#"{"Bool": {"aws:SecureTransport": true}, "NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}"#,
    );
    assert_eq!(
        pass(
            &typed,
            Context::closed()
                .with("aws:SecureTransport", "true")
                .with("aws:MultiFactorAuthAge", "60")
        ),
        Allowed
    );
    assert_eq!(
        pass(
            &typed,
            Context::closed()
                .with("aws:SecureTransport", "false")
                .with("aws:MultiFactorAuthAge", "60")
        ),
        ImplicitDeny
    );
}

#[test]
fn a_condition_the_model_dropped_is_unknown() {
    // The builder drops a key whose value is an object; the rest must not look unconditional.
    let st = conditional(
        "Allow",
        r#"{"StringEquals": {"aws:SourceAccount": {"bad": 1}}}"#,
    );
    assert_eq!(
        outcome(&st, "iam:PassRole", ROLE, Context::closed()),
        ImplicitDeny
    );
    let st = conditional("Allow", r#"{"StringEquals": "oops"}"#);
    assert_eq!(
        outcome(&st, "iam:PassRole", ROLE, Context::closed()),
        ImplicitDeny
    );
    let st =
        r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": "oops"}"#;
    assert_eq!(
        outcome(st, "iam:PassRole", ROLE, Context::closed()),
        ImplicitDeny
    );
}

#[test]
fn invalid_effect_is_neither() {
    let st = r#"{"Effect": "allow", "Action": "*", "Resource": "*"}"#;
    assert_eq!(
        outcome(st, "s3:GetObject", "*", Context::closed()),
        ImplicitDeny
    );
}

/// Identity policies alone never prove a request whose resource side must allow too: across
/// accounts, on a KMS key, or to assume a role. No such policy given: not proven, with a reason.
#[test]
fn a_resource_side_the_request_needs_must_be_given() {
    let grant = |action: &str| load(Kind::Identity, &identity(&allow(action, r#""*""#)), 1);
    let decide_one = |policies: &[PolicyInput], action: &str, resource: &str| {
        decide(policies, &req(role(), action, resource, Context::closed()))
    };
    // Cross-account, no queue policy (and a service whose resources have none).
    let queue = "arn:aws:sqs:us-east-1:999999999999:q";
    let d = decide_one(&[grant(r#""sqs:*""#)], "sqs:DeleteMessage", queue);
    assert_eq!(d.outcome, ImplicitDeny);
    assert_eq!(d.unmet, vec![Layer::Resource]);
    assert!(d.note.is_some_and(|n| n.starts_with("not proven")));
    let table = "arn:aws:dynamodb:us-east-1:999999999999:table/t";
    assert_eq!(
        decide_one(&[grant(r#""dynamodb:*""#)], "dynamodb:GetItem", table).outcome,
        ImplicitDeny
    );
    // The same queue in the caller's account needs no queue policy.
    let own = "arn:aws:sqs:us-east-1:123456789012:q";
    assert_eq!(
        decide_one(&[grant(r#""sqs:*""#)], "sqs:DeleteMessage", own).outcome,
        Allowed
    );
    // A KMS key without its key policy, even in the caller's account.
    let key = "arn:aws:kms:us-east-1:123456789012:key/k";
    let d = decide_one(&[grant(r#""kms:*""#)], "kms:Encrypt", key);
    assert_eq!(d.outcome, ImplicitDeny);
    assert_eq!(d.unmet, vec![Layer::Key]);
    assert!(d.note.is_some());
    // A role without its trust policy, even in the caller's account.
    let other_role = "arn:aws:iam::123456789012:role/Other";
    let d = decide_one(
        &[grant(r#""sts:AssumeRole""#)],
        "sts:AssumeRole",
        other_role,
    );
    assert_eq!(d.outcome, ImplicitDeny);
    assert_eq!(d.unmet, vec![Layer::Trust]);
}

/// Which resource-side layer applies is the resource's ARN's to say, not the policy's text.
#[test]
fn the_resource_arn_decides_the_resource_side_layer() {
    let grant = |action: &str| load(Kind::Identity, &identity(&allow(action, r#""*""#)), 1);
    let key = "arn:aws:kms:us-east-1:123456789012:key/k";
    // A key policy whose Action is "*" (it looks like a generic resource policy) naming another
    // role: the identity policy cannot stand in for it.
    let key_policy = load(
        Kind::Resource,
        &resource_policy(r#"{"AWS": "arn:aws:iam::123456789012:role/Other"}"#, "*"),
        0,
    );
    let d = decide(
        &[key_policy, grant(r#""kms:Decrypt""#)],
        &req(role(), "kms:Decrypt", key, Context::closed()),
    );
    assert_eq!(d.outcome, ImplicitDeny);
    assert_eq!(d.unmet, vec![Layer::Key]);
    // A topic policy that lists a `kms:` action is still the topic's policy: in the same
    // account, the identity policy is enough.
    let topic = "arn:aws:sns:us-east-1:123456789012:t";
    let topic_policy = load(
        Kind::Key,
        &format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Service": "events.amazonaws.com"}}, "Action": ["sns:Publish", "kms:Decrypt"], "Resource": "{topic}"}}]}}"#
        ),
        0,
    );
    assert_eq!(
        decide(
            &[topic_policy, grant(r#""sns:Publish""#)],
            &req(role(), "sns:Publish", topic, Context::closed()),
        )
        .outcome,
        Allowed
    );
    // A trust policy handed in as a resource policy is the role's trust policy: it must allow.
    let other_role = "arn:aws:iam::123456789012:role/Other";
    let trust_as_resource = load(
        Kind::Resource,
        &resource_policy(
            r#"{"AWS": "arn:aws:iam::123456789012:role/Third"}"#,
            "sts:AssumeRole",
        ),
        0,
    );
    let d = decide(
        &[trust_as_resource, grant(r#""sts:AssumeRole""#)],
        &req(role(), "sts:AssumeRole", other_role, Context::closed()),
    );
    assert_eq!(d.outcome, ImplicitDeny);
    assert_eq!(d.unmet, vec![Layer::Trust]);
}

/// A pack asks about the caller's side alone when another rule checks the resource's policy.
#[test]
fn the_resource_side_can_be_checked_separately() {
    let grant = load(
        Kind::Identity,
        &identity(&allow(r#""kms:Decrypt""#, r#""*""#)),
        0,
    );
    let key = "arn:aws:kms:us-east-1:123456789012:key/k";
    let request = req(role(), "kms:Decrypt", key, Context::closed());
    let policies = [grant];
    let caller_side = Layers {
        resource_side: ResourceSide::CheckedSeparately,
        ..Layers::of(&policies)
    };
    assert_eq!(decide_layers(&caller_side, &request).outcome, Allowed);
    assert_eq!(decide(&policies, &request).outcome, ImplicitDeny);
}

/// Resources AWS manages: no customer policy can change them, whatever it says.
#[test]
fn aws_managed_resources_are_denied_whatever_the_policies_say() {
    let everything = load(Kind::Identity, &identity(&allow(r#""*""#, r#""*""#)), 0);
    let decide_one = |action: &str, resource: &str| {
        let mut request = req(role(), action, resource, Context::closed());
        // Same account as the caller, so nothing else stands in the way.
        request.resource_account = Some(A.into());
        decide(&[everything], &request)
    };
    let managed = "arn:aws:iam::aws:policy/AdministratorAccess";
    let d = decide_one("iam:CreatePolicyVersion", managed);
    assert_eq!(d.outcome, ImplicitDeny);
    assert!(d.note.is_some());
    assert_eq!(decide_one("iam:GetPolicy", managed).outcome, Allowed);
    let slr = "arn:aws:iam::123456789012:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";
    assert_eq!(decide_one("iam:PutRolePolicy", slr).outcome, ImplicitDeny);
    assert_eq!(decide_one("iam:GetRole", slr).outcome, Allowed);
    let alias = "arn:aws:kms:us-east-1:123456789012:alias/aws/s3";
    assert_eq!(decide_one("kms:DeleteAlias", alias).outcome, ImplicitDeny);
    assert_eq!(
        decide_one(
            "kms:DeleteAlias",
            "arn:aws:kms:us-east-1:123456789012:alias/mine"
        )
        .outcome,
        Allowed
    );
}

/// SCPs, RCPs, the boundary, session and endpoint policies: each caps, none grants, and an
/// explicit deny in any of them wins.
#[test]
fn every_layer_must_allow() {
    let s3 = load(Kind::Identity, &identity(&allow(r#""s3:*""#, r#""*""#)), 0);
    let only = |action: &str, id| load(Kind::Identity, &identity(&allow(action, r#""*""#)), id);
    let everything = || only(r#""*""#, 9);
    let deny_s3 = load(
        Kind::Identity,
        &identity(r#"{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}"#),
        8,
    );
    let object = "arn:aws:s3:::b/k";
    let get = |caller: Caller| in_account_a(req(caller, "s3:GetObject", object, Context::closed()));
    let policies = [s3];
    let run = |layers: Layers, caller: Caller| decide_layers(&layers, &get(caller));

    // SCPs: every level must allow; an implicit deny at one level is a deny.
    let scps = [everything(), only(r#""ec2:*""#, 1)];
    let d = run(
        Layers {
            scps: &scps,
            ..Layers::of(&policies)
        },
        role(),
    );
    assert_eq!(d.outcome, ImplicitDeny);
    assert_eq!(d.unmet, vec![Layer::Scp]);
    let scps = [everything(), only(r#""s3:Get*""#, 1)];
    let with_scps = Layers {
        scps: &scps,
        ..Layers::of(&policies)
    };
    assert_eq!(run(with_scps, role()).outcome, Allowed);
    // An SCP never grants by itself.
    let empty = [load(Kind::Identity, &identity(""), 0)];
    assert_eq!(
        run(
            Layers {
                scps: &scps,
                ..Layers::of(&empty)
            },
            role()
        )
        .outcome,
        ImplicitDeny
    );
    // Not for service-linked roles, nor the management account's principals.
    let ec2_only = [only(r#""ec2:*""#, 1)];
    let restrictive = Layers {
        scps: &ec2_only,
        ..Layers::of(&policies)
    };
    let slr = Caller::Aws(format!(
        "arn:aws:iam::{A}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
    ));
    assert_eq!(run(restrictive, slr).outcome, Allowed);
    assert_eq!(
        run(
            Layers {
                management_account: Some(A),
                ..restrictive
            },
            role()
        )
        .outcome,
        Allowed
    );
    let scp_deny = [deny_s3];
    let d = decide_layers(
        &Layers {
            scps: &scp_deny,
            ..Layers::of(&policies)
        },
        &in_account_a(req(role(), "s3:DeleteObject", object, Context::closed())),
    );
    assert_eq!(d.outcome, ExplicitDeny);

    // RCPs: they have a Principal; an implicit deny caps the resource's policy too.
    let rcp = |action: &str, id| {
        load(
            Kind::Resource,
            &format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": "*", "Action": {action}, "Resource": "*"}}]}}"#
            ),
            id,
        )
    };
    let rcps = [rcp(r#""*""#, 1), rcp(r#""s3:PutObject""#, 2)];
    let d = run(
        Layers {
            rcps: &rcps,
            ..Layers::of(&policies)
        },
        role(),
    );
    assert_eq!(d.outcome, ImplicitDeny);
    assert_eq!(d.unmet, vec![Layer::Rcp]);
    assert_eq!(
        run(
            Layers {
                rcps: &rcps,
                management_account: Some(A),
                ..Layers::of(&policies)
            },
            role()
        )
        .outcome,
        Allowed
    );

    // A boundary caps identity grants.
    let boundary = only(r#""ec2:*""#, 1);
    let d = run(
        Layers {
            boundary: Some(boundary),
            ..Layers::of(&policies)
        },
        role(),
    );
    assert_eq!(d.outcome, ImplicitDeny);
    assert_eq!(d.unmet, vec![Layer::Boundary]);
    assert_eq!(
        run(
            Layers {
                boundary: Some(only(r#""s3:GetObject""#, 1)),
                ..Layers::of(&policies)
            },
            role()
        )
        .outcome,
        Allowed
    );
    // ... but not a same-account resource policy naming the user or the role session itself;
    // naming the session's role is capped.
    let alice = format!("arn:aws:iam::{A}:user/alice");
    let session = format!("arn:aws:sts::{A}:assumed-role/Import/s1");
    let bucket_policy = |principal: &str| {
        load(
            Kind::Resource,
            &resource_policy(&format!(r#"{{"AWS": "{principal}"}}"#), "s3:GetObject"),
            2,
        )
    };
    let no_identity = load(Kind::Identity, &identity(""), 0);
    let by_name = [no_identity, bucket_policy(&alice)];
    let capped = |policies| Layers {
        boundary: Some(only(r#""ec2:*""#, 1)),
        ..Layers::of(policies)
    };
    assert_eq!(
        run(capped(&by_name), Caller::Aws(alice.clone())).outcome,
        Allowed
    );
    let by_session = [no_identity, bucket_policy(&session)];
    assert_eq!(
        run(capped(&by_session), Caller::Aws(session.clone())).outcome,
        Allowed
    );
    let by_role = [no_identity, bucket_policy(ROLE)];
    assert_eq!(
        run(capped(&by_role), Caller::Aws(session.clone())).outcome,
        ImplicitDeny
    );
    assert_eq!(
        run(Layers::of(&by_role), Caller::Aws(session.clone())).outcome,
        Allowed
    );
    // Session policies cap like a boundary; AWS does not say how several combine, so each
    // must allow.
    let sessions = [only(r#""ec2:*""#, 1), only(r#""s3:Get*""#, 2)];
    assert_eq!(
        run(
            Layers {
                sessions: &sessions,
                ..Layers::of(&policies)
            },
            Caller::Aws(session.clone())
        )
        .outcome,
        ImplicitDeny
    );
    let sessions = [only(r#""s3:*""#, 1), only(r#""s3:Get*""#, 2)];
    assert_eq!(
        run(
            Layers {
                sessions: &sessions,
                ..Layers::of(&policies)
            },
            Caller::Aws(session.clone())
        )
        .outcome,
        Allowed
    );
    let sessions = [only(r#""ec2:*""#, 1)];
    let d = run(
        Layers {
            sessions: &sessions,
            ..Layers::of(&policies)
        },
        Caller::Aws(session),
    );
    assert_eq!(d.outcome, ImplicitDeny);
    assert_eq!(d.unmet, vec![Layer::Session]);
    // The endpoint policy must allow.
    let d = run(
        Layers {
            endpoint: Some(rcp(r#""s3:PutObject""#, 1)),
            ..Layers::of(&policies)
        },
        role(),
    );
    assert_eq!(d.unmet, vec![Layer::Endpoint]);
    assert_eq!(
        run(
            Layers {
                endpoint: Some(rcp(r#""s3:GetObject""#, 1)),
                ..Layers::of(&policies)
            },
            role()
        )
        .outcome,
        Allowed
    );
}

/// A negated test against a variable that has no value: AWS says such a variable "might cause
/// the entire statement to be invalid", so the statement neither proves a grant nor is ignored
/// as a Deny.
#[test]
fn a_negated_test_against_an_unresolved_variable_proves_nothing() {
    let st = conditional(
        "Allow",
        r#"{"StringNotEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:user/${aws:PrincipalTag/team}"}}"#,
    );
    let ctx = Context::closed().with("aws:PrincipalArn", ROLE);
    assert_eq!(
        outcome(&st, "iam:PassRole", ROLE, ctx.clone()),
        ImplicitDeny
    );
    assert_eq!(
        outcome(
            &st,
            "iam:PassRole",
            ROLE,
            ctx.clone().with("aws:PrincipalTag/team", "dev")
        ),
        Allowed
    );
    let deny = format!(
        "{}, {}",
        allow(r#""iam:PassRole""#, r#""*""#),
        conditional(
            "Deny",
            r#"{"StringNotEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:user/${aws:PrincipalTag/team}"}}"#
        )
    );
    assert_eq!(outcome(&deny, "iam:PassRole", ROLE, ctx), MayDeny);
}
