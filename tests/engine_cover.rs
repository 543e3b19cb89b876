//! `cover`: exact wildcard containment with counterexamples, and its agreement with `decide`.

use iamlint::engine::{
    cover, decide, Caller, Context, Cover, GapReason, Outcome, PolicyInput, Request, Requirement,
    ResourceSet,
};
use iamlint::policy::{self, Kind};
use iamlint::source;
use proptest::prelude::*;

const ROLE: &str = "arn:aws:iam::123456789012:role/Import";
const GROUP: &str = "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/f1d45bff";
const STREAMS: &str =
    "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/f1d45bff:log-stream:*";

fn load(kind: Kind, json: &str) -> PolicyInput<'static, 'static> {
    let text: &'static str = Box::leak(json.to_string().into_boxed_str());
    let node = Box::leak(Box::new(source::parse(text).expect("valid JSON")));
    let policy = Box::leak(Box::new(policy::build(node).0.expect("a policy")));
    PolicyInput {
        id: 0,
        kind,
        policy,
    }
}

fn identity(statements: &str) -> PolicyInput<'static, 'static> {
    load(
        Kind::Identity,
        &format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#),
    )
}

fn requirement<'s>(actions: Vec<&'s str>, resources: ResourceSet<'s>) -> Requirement<'s> {
    Requirement {
        principal: Caller::Aws(ROLE.into()),
        actions,
        resources,
        resource_account: None,
        context: Context::closed(),
    }
}

/// Identity statements against the role; a pattern without an account (S3) is in the role's
/// account, as an unknown owner counts as another account.
fn check(statements: &str, action: &str, pattern: &str) -> Cover {
    let mut requirement = requirement(vec![action], ResourceSet::Matching(pattern));
    if pattern.split(':').nth(4).is_none_or(|a| a.is_empty()) {
        requirement.resource_account = Some("123456789012".into());
    }
    cover(&[identity(statements)], &requirement)
}

fn counterexample(c: &Cover) -> String {
    match c {
        Cover::NotCovered(gap) => gap.counterexample.clone().expect("a counterexample"),
        Cover::Covered { .. } => panic!("covered"),
    }
}

#[test]
fn log_streams_of_the_import_log_group() {
    let trailing = r#"{"Effect": "Allow", "Action": "logs:CreateLogStream", "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/*"}"#;
    assert!(check(trailing, "logs:CreateLogStream", STREAMS).is_covered());
    assert!(check(trailing, "logs:CreateLogStream", GROUP).is_covered());
    let exact = r#"{"Effect": "Allow", "Action": "logs:*", "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/f1d45bff:log-stream:*"}"#;
    assert!(check(exact, "logs:CreateLogStream", STREAMS).is_covered());
    // AWS's published example: the leading slash never matches.
    let slash = r#"{"Effect": "Allow", "Action": "logs:*", "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/*"}"#;
    let c = check(slash, "logs:CreateLogStream", STREAMS);
    let word = counterexample(&c);
    assert!(word.starts_with(&STREAMS[..STREAMS.len() - 1]), "{word}");
    assert!(
        !word.ends_with(':'),
        "names a stream, not an empty one: {word}"
    );
    let Cover::NotCovered(gap) = &c else {
        unreachable!()
    };
    assert_eq!(gap.reason, GapReason::NoAllow);
    assert_eq!(gap.action, "logs:CreateLogStream");
    // A narrower allow leaves streams out, and the counterexample is one of them.
    let narrow = r#"{"Effect": "Allow", "Action": "logs:*", "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/f1d45bff:log-stream:a*"}"#;
    let word = counterexample(&check(narrow, "logs:CreateLogStream", STREAMS));
    assert!(
        !word.ends_with(":log-stream:a") && word.starts_with(&STREAMS[..STREAMS.len() - 1]),
        "{word}"
    );
}

#[test]
fn union_of_allows_minus_denies() {
    let halves = r#"
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/a*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/?*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/"}"#;
    assert!(check(halves, "s3:GetObject", "arn:aws:s3:::b/*").is_covered());
    let denied = format!(
        r#"{halves}, {{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::b/secret/*"}}"#
    );
    let c = check(&denied, "s3:GetObject", "arn:aws:s3:::b/*");
    let word = counterexample(&c);
    assert!(word.starts_with("arn:aws:s3:::b/secret/"), "{word}");
    assert!(
        word.len() > "arn:aws:s3:::b/secret/".len(),
        "an object, not the empty key"
    );
    let Cover::NotCovered(gap) = c else {
        unreachable!()
    };
    assert!(matches!(gap.reason, GapReason::DeniedBy(ref s) if s[0].index == 3));
    // Where only the empty key is missing, the counterexample is the empty key.
    let c = check(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/?*"}"#,
        "s3:GetObject",
        "arn:aws:s3:::b/*",
    );
    assert_eq!(counterexample(&c), "arn:aws:s3:::b/");
}

#[test]
fn wildcards_in_the_first_five_parts_do_not_cross_colons() {
    let st = r#"{"Effect": "Allow", "Action": "logs:*", "Resource": "arn:aws:logs:*:123456789012:log-group:x"}"#;
    assert!(check(
        st,
        "logs:CreateLogGroup",
        "arn:aws:logs:*:123456789012:log-group:x"
    )
    .is_covered());
    let st = r#"{"Effect": "Allow", "Action": "logs:*", "Resource": "arn:aws:logs:us-*:123456789012:log-group:x"}"#;
    let word = counterexample(&check(
        st,
        "logs:CreateLogGroup",
        "arn:aws:logs:*:123456789012:log-group:x",
    ));
    assert!(!word.contains(":us-"), "{word}");
}

#[test]
fn no_resource_actions_need_star() {
    let scoped = r#"{"Effect": "Allow", "Action": "logs:CreateImportTask", "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:*"}"#;
    let c = cover(
        &[identity(scoped)],
        &requirement(vec!["logs:CreateImportTask"], ResourceSet::Exact("*")),
    );
    assert_eq!(counterexample(&c), "*");
    let star = r#"{"Effect": "Allow", "Action": "logs:CreateImportTask", "Resource": "*"}"#;
    assert!(cover(
        &[identity(star)],
        &requirement(vec!["logs:CreateImportTask"], ResourceSet::Exact("*"))
    )
    .is_covered());
}

#[test]
fn every_action_is_required() {
    let st = r#"{"Effect": "Allow", "Action": ["logs:CreateLogGroup"], "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/*"}"#;
    let c = cover(
        &[identity(st)],
        &requirement(
            vec!["logs:CreateLogGroup", "logs:CreateLogStream"],
            ResourceSet::Matching(STREAMS),
        ),
    );
    let Cover::NotCovered(gap) = c else { panic!() };
    assert_eq!(gap.action, "logs:CreateLogStream");
    let Cover::Covered { by } = cover(
        &[identity(st)],
        &requirement(vec!["logs:CreateLogGroup"], ResourceSet::Matching(GROUP)),
    ) else {
        panic!()
    };
    assert_eq!(by.len(), 1);
}

#[test]
fn unknown_conditions_are_not_proven_and_may_deny() {
    let cond = r#"{"Effect": "Allow", "Action": "logs:*", "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}"#;
    let mut r = requirement(vec!["logs:CreateLogGroup"], ResourceSet::Matching(GROUP));
    r.context = Context::open();
    let Cover::NotCovered(gap) = cover(&[identity(cond)], &r) else {
        panic!()
    };
    assert!(matches!(gap.reason, GapReason::AllowNotProven(_)));
    let deny = r#"{"Effect": "Allow", "Action": "logs:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "logs:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}}"#;
    let Cover::NotCovered(gap) = cover(&[identity(deny)], &r) else {
        panic!()
    };
    assert!(matches!(gap.reason, GapReason::MayBeDenied(ref s) if s[0].index == 1));
    r.context = Context::closed().with("aws:RequestedRegion", "us-east-1");
    assert!(cover(&[identity(deny)], &r).is_covered());
}

#[test]
fn cross_account_depends_on_each_resources_account() {
    let res = load(
        Kind::Resource,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/Import"}, "Action": "sqs:SendMessage", "Resource": "*"}]}"#,
    );
    let id = identity("");
    // Every queue in account 123456789012: the resource policy alone suffices (same account).
    let r = requirement(
        vec!["sqs:SendMessage"],
        ResourceSet::Matching("arn:aws:sqs:us-east-1:123456789012:*"),
    );
    assert!(cover(&[res, id], &r).is_covered());
    // Any account: a queue elsewhere needs the identity side too.
    let r = requirement(
        vec!["sqs:SendMessage"],
        ResourceSet::Matching("arn:aws:sqs:us-east-1:*:*"),
    );
    let c = cover(&[res, id], &r);
    let word = counterexample(&c);
    assert!(!word.contains(":123456789012:"), "{word}");
}

/// A pattern built to blow up a backtracking matcher gets an exact answer within the search
/// budget (speed itself is the benches' business, not a test's).
#[test]
fn pathological_patterns_get_an_exact_answer() {
    let st = format!(
        r#"{{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::{}b"}}"#,
        "*a".repeat(20)
    );
    let required = format!("arn:aws:s3:::{}", "*a".repeat(20));
    let c = check(&st, "s3:GetObject", &required);
    // Every required resource ends in `a`, every allowed one in `b`.
    let Cover::NotCovered(gap) = &c else {
        panic!("{c:?}")
    };
    assert_eq!(gap.reason, GapReason::NoAllow, "not TooComplex");
    let word = counterexample(&c);
    assert!(
        word.ends_with('a') && iamlint::policy::glob::matches(&required, &word),
        "{word}"
    );
}

// ---- properties ------------------------------------------------------------------------------

/// Small globs over a tiny alphabet, so that random strings collide with them often.
fn glob_part() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("a"),
            Just("b"),
            Just("/"),
            Just(":"),
            Just("*"),
            Just("?")
        ],
        0..6,
    )
    .prop_map(|v| v.concat())
}

fn concrete_part() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![Just("a"), Just("b"), Just("/"), Just(":"), Just("x")],
        0..7,
    )
    .prop_map(|v| v.concat())
}

fn statement(effect: &str, resource: &str) -> String {
    format!(
        r#"{{"Effect": "{effect}", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{resource}"}}"#
    )
}

/// Replaces each wildcard of a glob with a random concrete filler, giving a member of it.
fn instantiate(glob: &str, fillers: &[String]) -> String {
    let mut out = String::new();
    let mut i = 0;
    for c in glob.chars() {
        let filler = fillers.get(i).map(String::as_str).unwrap_or("");
        match c {
            '*' => {
                out.push_str(filler);
                i += 1;
            }
            '?' => {
                out.push(filler.chars().next().unwrap_or('q'));
                i += 1;
            }
            c => out.push(c),
        }
    }
    out
}

fn req(resource: &str) -> Request {
    Request {
        principal: Caller::Aws(ROLE.into()),
        action: "s3:GetObject".into(),
        resource: resource.into(),
        resource_account: None,
        context: Context::closed(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// cover agrees with decide: when covered, every sampled member is allowed; when not, the
    /// counterexample is in the pattern and decide does not allow it.
    #[test]
    fn cover_agrees_with_decide(
        required in glob_part(),
        allows in proptest::collection::vec(glob_part(), 0..3),
        denies in proptest::collection::vec(glob_part(), 0..2),
        fillers in proptest::collection::vec(concrete_part(), 6),
    ) {
        let statements: Vec<String> = allows.iter().map(|a| statement("Allow", a))
            .chain(denies.iter().map(|d| statement("Deny", d))).collect();
        let policy = identity(&statements.join(","));
        let pattern = format!("arn:aws:s3:::{required}");
        let result = cover(&[policy], &requirement(vec!["s3:GetObject"], ResourceSet::Matching(&pattern)));
        let member = format!("arn:aws:s3:::{}", instantiate(&required, &fillers));
        match result {
            Cover::Covered { .. } => {
                prop_assert!(decide(&[policy], &req(&member)).is_allowed(), "covered but {member} is not allowed");
            }
            Cover::NotCovered(gap) => {
                let word = gap.counterexample.expect("small inputs never exhaust the budget");
                prop_assert!(iamlint::policy::glob::matches(&pattern, &word), "{word} is not in {pattern}");
                let d = decide(&[policy], &req(&word));
                prop_assert!(!d.is_allowed(), "counterexample {word} is allowed");
                prop_assert_ne!(d.outcome, Outcome::Allowed);
            }
        }
    }

    /// The glob matcher agrees with the regex crate.
    #[test]
    fn glob_agrees_with_regex(pattern in glob_part(), text in concrete_part()) {
        let regex = format!("^(?s:{})$", pattern.chars().map(|c| match c {
            '*' => ".*".to_string(),
            '?' => ".".to_string(),
            c => regex::escape(&c.to_string()),
        }).collect::<String>());
        let expected = regex::Regex::new(&regex).unwrap().is_match(&text);
        prop_assert_eq!(iamlint::policy::glob::matches(&pattern, &text), expected);
    }

    /// intersects agrees with brute force over members of one pattern.
    #[test]
    fn intersects_finds_shared_members(a in glob_part(), fillers in proptest::collection::vec(concrete_part(), 6)) {
        let pa = format!("arn:aws:s3:::{a}");
        let member = format!("arn:aws:s3:::{}", instantiate(&a, &fillers));
        prop_assert!(iamlint::engine::intersects(&pa, &member));
    }
}

/// Every string over `a`, `b`, `:`, `x` of at most `max` characters.
fn all_strings(max: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..max {
        last = last
            .iter()
            .flat_map(|s| ['a', 'b', ':', 'x'].map(|c| format!("{s}{c}")))
            .collect();
        all.extend(last.iter().cloned());
    }
    all
}

fn short_glob() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![Just("a"), Just("b"), Just(":"), Just("*"), Just("?")],
        0..4,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// intersects says yes exactly when brute force finds a shared string. A shortest shared
    /// string reads each non-`*` token once, so six characters cover two three-token patterns.
    #[test]
    fn intersects_agrees_with_brute_force(a in short_glob(), b in short_glob()) {
        let (pa, pb) = (format!("arn:aws:s3:::{a}"), format!("arn:aws:s3:::{b}"));
        let shared = all_strings(6).into_iter().find(|s| {
            iamlint::policy::glob::matches(&a, s) && iamlint::policy::glob::matches(&b, s)
        });
        prop_assert_eq!(iamlint::engine::intersects(&pa, &pb), shared.is_some(), "{} and {}: {:?}", a, b, shared);
    }
}

/// The organization and session layers narrow a cover exactly as they narrow a decision.
#[test]
fn guardrail_layers_narrow_the_cover() {
    let grant = identity(
        r#"{"Effect": "Allow", "Action": "logs:CreateLogStream", "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/*"}"#,
    );
    let scp = identity(
        r#"{"Effect": "Allow", "Action": "logs:*", "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/f1d45bff:log-stream:a*"}"#,
    );
    let policies = [grant];
    let scps = [scp];
    let layers = iamlint::engine::Layers {
        scps: &scps,
        ..iamlint::engine::Layers::of(&policies)
    };
    let required = requirement(vec!["logs:CreateLogStream"], ResourceSet::Matching(STREAMS));
    assert!(cover(&policies, &required).is_covered());
    let c = iamlint::engine::cover_layers(&layers, &required);
    let word = counterexample(&c);
    assert!(!word.contains(":log-stream:a"), "{word}");
    let boundary = iamlint::engine::Layers {
        boundary: Some(scp),
        ..iamlint::engine::Layers::of(&policies)
    };
    assert!(!iamlint::engine::cover_layers(&boundary, &required).is_covered());
}
