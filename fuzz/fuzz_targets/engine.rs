//! The matchers and `cover` on structured input. Beyond "no panic" it checks what the engine
//! promises: the glob's step bound and agreement with a reference matcher, and that `cover`'s
//! answers agree with `decide` (a covered set's instances are allowed; a counterexample is in
//! the required set and is not allowed).
#![no_main]

use arbitrary::Arbitrary;
use iamlint::engine::{
    self, cover, decide, ArnPattern, Caller, Context, Cover, PolicyInput, Request, Requirement,
    ResourceSet, Tri,
};
use iamlint::policy::{self, glob, Kind};
use iamlint::source;
use libfuzzer_sys::fuzz_target;

const ROLE: &str = "arn:aws:iam::123456789012:role/Import";
const PREFIXES: [&str; 6] = [
    "arn:aws:logs:us-east-1:123456789012:log-group:",
    "arn:aws:logs:*:123456789012:log-group:",
    "arn:aws:logs:us-east-1:*:",
    "arn:aws:s3:::",
    "",
    "*",
];
const ACTIONS: [&str; 6] = [
    "logs:CreateLogStream",
    "logs:*",
    "logs:Create*",
    "*",
    "s3:GetObject",
    "logs:createlogstream",
];
const ALPHABET: &[u8] = b"ab:/*?-x";

/// A short pattern over a tiny alphabet, so wildcards and separators collide often.
#[derive(Arbitrary, Debug)]
struct Pat {
    prefix: u8,
    tail: Vec<u8>,
}

impl Pat {
    fn text(&self) -> String {
        let mut s = PREFIXES[self.prefix as usize % PREFIXES.len()].to_string();
        if s == "*" {
            return s;
        }
        s.extend(
            self.tail
                .iter()
                .take(16)
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char),
        );
        s
    }
}

#[derive(Arbitrary, Debug)]
struct Stmt {
    deny: bool,
    actions: Vec<u8>,
    resources: Vec<Pat>,
    not_resource: bool,
}

#[derive(Arbitrary, Debug)]
struct Input {
    glob_pattern: String,
    glob_text: String,
    ignore_case: bool,
    other: Pat,
    statements: Vec<Stmt>,
    required: Pat,
    action: u8,
}

/// The textbook dynamic program, as the reference for the two-pointer glob.
fn reference(pattern: &[char], text: &[char]) -> bool {
    let mut row = vec![false; text.len() + 1];
    row[0] = true;
    for &p in pattern {
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            next[j] = match p {
                '*' => row[j] || (j > 0 && next[j - 1]),
                '?' => j > 0 && row[j - 1],
                c => j > 0 && row[j - 1] && text[j - 1] == c,
            };
        }
        row = next;
    }
    row[text.len()]
}

fn policy_json(statements: &[Stmt]) -> String {
    let statements: Vec<serde_json::Value> = statements
        .iter()
        .take(4)
        .map(|s| {
            let actions: Vec<&str> = s
                .actions
                .iter()
                .take(3)
                .map(|a| ACTIONS[*a as usize % ACTIONS.len()])
                .collect();
            let resources: Vec<String> = s.resources.iter().take(3).map(Pat::text).collect();
            let mut statement = serde_json::json!({
                "Effect": if s.deny { "Deny" } else { "Allow" },
                "Action": actions,
            });
            let key = if s.not_resource {
                "NotResource"
            } else {
                "Resource"
            };
            statement[key] = serde_json::json!(resources);
            statement
        })
        .collect();
    serde_json::json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

/// One concrete member of the required set: every wildcard as short as it may be.
fn instance(pattern: &str) -> String {
    pattern.replace('*', "").replace('?', "q")
}

fn request(action: &str, resource: &str) -> Request {
    Request {
        principal: Caller::Aws(ROLE.into()),
        action: action.into(),
        resource: resource.into(),
        resource_account: None,
        context: Context::closed(),
    }
}

fuzz_target!(|input: Input| {
    // Glob: bounded work, and the same answer as the reference.
    let pattern: String = input.glob_pattern.chars().take(64).collect();
    let text: String = input.glob_text.chars().take(256).collect();
    let tokens = glob::compile(&pattern);
    let mut steps = 0;
    let fast = glob::matches_counting(&tokens, &text, input.ignore_case, &mut steps);
    let bound = (tokens.len() as u64 + 1) * (text.chars().count() as u64 + 1);
    assert!(steps <= bound, "{steps} steps > {bound}");
    if !input.ignore_case {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        assert_eq!(fast, reference(&p, &t), "{pattern:?} vs {text:?}");
    }
    let _ = engine::action_matches(&pattern, &text);
    let _ = engine::intersects(&input.other.text(), &input.required.text());

    // Cover against decide.
    let json = policy_json(&input.statements);
    let Ok(node) = source::parse(&json) else {
        panic!("generated JSON does not parse: {json}")
    };
    let Some(built) = policy::build(&node).0 else {
        return;
    };
    let policies = [PolicyInput {
        id: 0,
        kind: Kind::Identity,
        policy: &built,
    }];
    let required = input.required.text();
    let action = ACTIONS[input.action as usize % 2 * 4]; // a concrete action: CreateLogStream or GetObject
    let requirement = Requirement {
        principal: Caller::Aws(ROLE.into()),
        actions: vec![action],
        resources: ResourceSet::Matching(&required),
        resource_account: None,
        context: Context::closed(),
    };
    match cover(&policies, &requirement) {
        Cover::Covered { .. } => {
            let one = instance(&required);
            let decision = decide(&policies, &request(action, &one));
            assert!(
                decision.is_allowed(),
                "covered, but {one} is not allowed: {json} {decision:?}"
            );
        }
        Cover::NotCovered(gap) => {
            if let Some(word) = &gap.counterexample {
                let set = ArnPattern::compile(&required, false, &Context::closed());
                if required != "*" && set != ArnPattern::Everything {
                    assert_ne!(
                        set.matches(word),
                        Tri::False,
                        "counterexample {word} is not in {required}"
                    );
                }
                let decision = decide(&policies, &request(action, word));
                assert!(
                    !decision.is_allowed(),
                    "counterexample {word} is allowed: {json}"
                );
            }
        }
    }
});
