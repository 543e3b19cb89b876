//! Differential test: iamlint's engine against an independent evaluator,
//! `@cloud-copilot/iam-simulate` (pinned, installed by `.ci/install-test-tools` under
//! `target/test-tools/node`), on seeded random but realistic requests. It fails on any request
//! iamlint allows and the oracle denies, unless `tests/differential-known.tsv` explains it with
//! AWS's own documentation. Other disagreements (iamlint stricter) are counted, not failed.
//!
//! `cargo test --test differential -- --cases 20000 [--seed N] [--show N]`; `IAMLINT_DIFF_CASES`
//! does the same as `--cases`. Without node or the package it prints `skipped: ...`, and fails
//! under `CI=true`.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use iamlint::engine::{
    decide_layers, Caller, Context, ContextValue, Layers, Outcome, PolicyInput, Request,
};
use iamlint::policy::{self, Kind};
use iamlint::source;
use serde_json::{json, Value};

const DEFAULT_CASES: usize = 3000;
const DEFAULT_SEED: u64 = 0x1a3_11d7;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    // `cargo test` lists tests with `--list`: this harness has one, itself.
    if args.iter().any(|a| a == "--list") {
        println!("differential: test");
        return;
    }
    let cases = option("--cases")
        .or_else(|| std::env::var("IAMLINT_DIFF_CASES").ok()?.parse().ok())
        .unwrap_or(DEFAULT_CASES as u64) as usize;
    let seed = option("--seed").unwrap_or(DEFAULT_SEED);
    let show = option("--show").unwrap_or(5) as usize;

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let modules = root.join("target/test-tools/node/node_modules");
    if let Err(why) = oracle_available(&modules) {
        if common::in_ci() {
            eprintln!("differential: {why} (run .ci/install-test-tools)");
            std::process::exit(1);
        }
        println!("skipped: {why} (run .ci/install-test-tools)");
        return;
    }

    let mut rng = Rng(seed);
    let generated: Vec<Case> = (0..cases).map(|_| Case::generate(&mut rng)).collect();
    if let Some(i) = option("--case") {
        let case = &generated[i as usize];
        println!(
            "{}",
            serde_json::to_string_pretty(&case.oracle_input()).unwrap()
        );
        println!("{:#?}", case.decision());
        return;
    }
    let verdicts = run_oracle(root, &modules, &generated);
    let known = known_disagreements(&root.join("tests/differential-known.tsv"));

    let mut stats = BTreeMap::<&str, usize>::new();
    let mut failures = Vec::new();
    for (i, (case, oracle)) in generated.iter().zip(&verdicts).enumerate() {
        let ours = case.iamlint();
        let oracle = match oracle {
            Ok(result) => result.as_str(),
            Err(why) => {
                if std::env::var("IAMLINT_DIFF_DEBUG").is_ok() {
                    println!("rejected {i}: {why}");
                }
                *stats.entry("oracle rejected the case").or_default() += 1;
                continue;
            }
        };
        let key = match (ours, oracle == "Allowed") {
            (true, true) => "both allow",
            (false, false) => "both deny",
            (false, true) => {
                if std::env::var("IAMLINT_DIFF_DEBUG").is_ok() {
                    println!("stricter {i}");
                }
                "iamlint stricter"
            }
            (true, false) => match case
                .features
                .iter()
                .find(|f| known.contains_key(f.as_str()))
            {
                Some(_) => "iamlint allows, oracle denies: explained",
                None => {
                    failures.push(i);
                    "iamlint allows, oracle denies: UNEXPLAINED"
                }
            },
        };
        *stats.entry(key).or_default() += 1;
    }
    println!("differential: {cases} cases, seed {seed}");
    for (key, count) in &stats {
        println!("  {key}: {count}");
    }
    for &i in failures.iter().take(show) {
        println!(
            "\nfalse grant (case {i}, oracle says {:?}, features {:?}):\n{}",
            verdicts[i],
            generated[i].features,
            serde_json::to_string_pretty(&generated[i].oracle_input()).unwrap()
        );
    }
    if !failures.is_empty() {
        eprintln!(
            "differential: {} requests iamlint allows and the oracle denies, none explained in tests/differential-known.tsv",
            failures.len()
        );
        std::process::exit(1);
    }
}

fn oracle_available(modules: &Path) -> Result<(), String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Err("node is not installed".into());
    }
    if !modules
        .join("@cloud-copilot/iam-simulate/package.json")
        .exists()
    {
        return Err(format!(
            "@cloud-copilot/iam-simulate is not installed in {}",
            modules.display()
        ));
    }
    Ok(())
}

/// Every case through one node process, one JSON line each way.
fn run_oracle(root: &Path, modules: &Path, cases: &[Case]) -> Vec<Result<String, String>> {
    let mut child = Command::new("node")
        .arg(root.join("tests/oracle/iam-simulate.mjs"))
        .env("NODE_PATH", modules)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs");
    let mut stdin = child.stdin.take().unwrap();
    let input: String = cases
        .iter()
        .map(|c| c.oracle_input().to_string() + "\n")
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out: Vec<Result<String, String>> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(&line.expect("oracle output")).unwrap();
            match v.get("result").and_then(Value::as_str) {
                Some(r) => Ok(r.to_string()),
                None => Err(v["error"].to_string()),
            }
        })
        .collect();
    writer.join().unwrap().expect("oracle input written");
    assert!(child.wait().unwrap().success(), "the oracle driver failed");
    assert_eq!(out.len(), cases.len(), "one oracle answer per case");
    out
}

/// `feature<TAB>AWS documentation sentence<TAB>source`: a generator feature under which the
/// oracle is known to deny what AWS allows.
fn known_disagreements(path: &PathBuf) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).expect("tests/differential-known.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            let feature = cols.next().unwrap().to_string();
            let sentence = cols.next().expect("an AWS sentence").to_string();
            assert!(
                cols.next().is_some_and(|s| s.starts_with("https://")),
                "{l}"
            );
            (feature, sentence)
        })
        .collect()
}

/// splitmix64: small, seeded, the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }
}

const A: &str = "111111111111";
const B: &str = "222222222222";
const SERVICE: &str = "lambda.amazonaws.com";

/// An action with a resource template (`{o}`: the owner's account) and whether it supports
/// `aws:TagKeys`.
const TARGETS: [(&str, &str, bool); 9] = [
    (
        "s3:GetObject",
        "arn:aws:s3:::bucket1/docs/report.txt",
        false,
    ),
    ("s3:ListBucket", "arn:aws:s3:::bucket1", false),
    ("sqs:SendMessage", "arn:aws:sqs:us-east-1:{o}:queue1", false),
    ("sqs:TagQueue", "arn:aws:sqs:us-east-1:{o}:queue1", true),
    (
        "kms:Decrypt",
        "arn:aws:kms:us-east-1:{o}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        false,
    ),
    ("sts:AssumeRole", "arn:aws:iam::{o}:role/target", false),
    (
        "dynamodb:GetItem",
        "arn:aws:dynamodb:us-east-1:{o}:table/orders",
        false,
    ),
    ("ec2:DescribeInstances", "*", false),
    ("iam:PassRole", "arn:aws:iam::{o}:role/app", false),
];

struct Case {
    principal: String,
    action: String,
    resource: String,
    owner: String,
    context: BTreeMap<String, Value>,
    identity: Vec<Value>,
    resource_policy: Option<Value>,
    scps: Vec<Value>,
    rcps: Vec<Value>,
    boundary: Option<Value>,
    session: Option<Value>,
    /// What the case exercises, for the table of known oracle errors.
    features: Vec<String>,
}

struct Gen<'r> {
    rng: &'r mut Rng,
    action: &'static str,
    resource: String,
    multi: bool,
    features: Vec<String>,
}

impl Case {
    fn generate(rng: &mut Rng) -> Case {
        let &(action, template, multi) = rng.pick(&TARGETS);
        let principal = match rng.below(10) {
            0..=3 => format!("arn:aws:iam::{A}:user/alice"),
            4..=6 => format!("arn:aws:sts::{A}:assumed-role/app/s1"),
            7 => format!("arn:aws:iam::{B}:user/bob"),
            8 => SERVICE.to_string(),
            _ => "anonymous".to_string(),
        };
        // An action on `*` has no resource owner but the caller's own account.
        let owner = match (template, principal.contains(B)) {
            ("*", true) => B,
            ("*", false) => A,
            _ if rng.chance(70) => A,
            _ => B,
        };
        let resource = template.replace("{o}", owner);
        let aws = principal.starts_with("arn:");
        let mut g = Gen {
            rng,
            action,
            resource: resource.clone(),
            multi,
            features: Vec::new(),
        };
        let context = g.context(&principal);
        let identity = if aws {
            (0..1 + g.rng.below(2))
                .map(|_| g.policy(Side::Identity))
                .collect()
        } else {
            Vec::new()
        };
        let resource_policy =
            (resource != "*" && g.rng.chance(55)).then(|| g.policy(Side::Resource));
        let scps = if aws && g.rng.chance(20) {
            (0..1 + g.rng.below(2))
                .map(|_| g.policy(Side::Scp))
                .collect()
        } else {
            Vec::new()
        };
        let rcps = if g.rng.chance(15) {
            vec![g.policy(Side::Rcp)]
        } else {
            Vec::new()
        };
        let boundary = (aws && g.rng.chance(15)).then(|| g.policy(Side::Identity));
        let session = (principal.contains(":assumed-role/") && g.rng.chance(15))
            .then(|| g.policy(Side::Identity));
        let features = std::mem::take(&mut g.features);
        Case {
            principal,
            action: action.to_string(),
            resource,
            owner: owner.to_string(),
            context,
            identity,
            resource_policy,
            scps,
            rcps,
            boundary,
            session,
            features,
        }
    }

    fn oracle_input(&self) -> Value {
        json!({
            "principal": self.principal,
            "action": self.action,
            "resource": self.resource,
            "resourceAccount": self.owner,
            "context": self.context,
            "identity": self.identity,
            "resourcePolicy": self.resource_policy,
            "scps": self.scps,
            "rcps": self.rcps,
            "boundary": self.boundary,
            "session": self.session,
        })
    }

    /// iamlint's answer: true only for a proven grant.
    fn iamlint(&self) -> bool {
        self.decision().outcome == Outcome::Allowed
    }

    fn decision(&self) -> iamlint::engine::Decision {
        let mut texts: Vec<(Slot, String)> = Vec::new();
        texts.extend(
            self.identity
                .iter()
                .map(|p| (Slot::Identity, p.to_string())),
        );
        texts.extend(
            self.resource_policy
                .iter()
                .map(|p| (Slot::Resource, p.to_string())),
        );
        texts.extend(self.scps.iter().map(|p| (Slot::Scp, p.to_string())));
        // AWS attaches RCPFullAWSAccess at every level (the oracle adds it by itself).
        texts.extend(self.rcps.iter().map(|p| {
            let mut p = p.clone();
            p["Statement"]
                .as_array_mut()
                .unwrap()
                .push(json!({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}));
            (Slot::Rcp, p.to_string())
        }));
        texts.extend(
            self.boundary
                .iter()
                .map(|p| (Slot::Boundary, p.to_string())),
        );
        texts.extend(self.session.iter().map(|p| (Slot::Session, p.to_string())));
        let nodes: Vec<_> = texts
            .iter()
            .map(|(_, t)| source::parse(t).expect("generated JSON"))
            .collect();
        let policies: Vec<_> = nodes
            .iter()
            .map(|n| policy::build(n).0.expect("a policy"))
            .collect();
        let inputs: Vec<(Slot, PolicyInput)> = texts
            .iter()
            .zip(&policies)
            .enumerate()
            .map(|(id, ((slot, _), policy))| {
                let kind = if *slot == Slot::Resource {
                    Kind::Resource
                } else {
                    Kind::Identity
                };
                (*slot, PolicyInput { id, kind, policy })
            })
            .collect();
        let of = |wanted: Slot| -> Vec<PolicyInput> {
            inputs
                .iter()
                .filter(|(s, _)| *s == wanted)
                .map(|(_, p)| *p)
                .collect()
        };
        let mut own = of(Slot::Identity);
        own.extend(of(Slot::Resource));
        let (scps, rcps, sessions) = (of(Slot::Scp), of(Slot::Rcp), of(Slot::Session));
        let layers = Layers {
            policies: &own,
            scps: &scps,
            rcps: &rcps,
            boundary: of(Slot::Boundary).first().copied(),
            sessions: &sessions,
            ..Layers::of(&[])
        };
        let principal = match self.principal.as_str() {
            "anonymous" => Caller::Anonymous,
            p if p.starts_with("arn:") => Caller::Aws(p.to_string()),
            p => Caller::Service(p.to_string()),
        };
        let mut context = Context::closed();
        for (key, value) in &self.context {
            let value = match value {
                Value::Array(items) => ContextValue::Multi(
                    items
                        .iter()
                        .map(|v| v.as_str().unwrap().to_string())
                        .collect(),
                ),
                v => ContextValue::Single(v.as_str().unwrap().to_string()),
            };
            context.insert(key, value);
        }
        let request = Request {
            principal,
            action: self.action.clone(),
            resource: self.resource.clone(),
            resource_account: Some(self.owner.clone()),
            context,
        };
        decide_layers(&layers, &request)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Identity,
    Resource,
    Scp,
    Rcp,
    Boundary,
    Session,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Identity, boundary and session policies: no Principal.
    Identity,
    Resource,
    Scp,
    /// RCPs: Deny statements with Principal `"*"`; AWS's `RCPFullAWSAccess` is added for
    /// iamlint (the oracle adds it by itself).
    Rcp,
}

impl Gen<'_> {
    fn context(&mut self, principal: &str) -> BTreeMap<String, Value> {
        let mut c = BTreeMap::new();
        let mut maybe = |rng: &mut Rng, key: &str, values: &[&str]| {
            if rng.chance(70) {
                c.insert(key.to_string(), json!(rng.pick(values)));
            }
        };
        maybe(
            self.rng,
            "aws:SourceIp",
            &["10.1.2.3", "203.0.113.5", "2001:db8::1"],
        );
        maybe(self.rng, "aws:PrincipalTag/team", &["dev", "queue1", "Dev"]);
        maybe(
            self.rng,
            "aws:CurrentTime",
            &["2025-06-01T00:00:00Z", "2019-01-01T00:00:00Z"],
        );
        maybe(self.rng, "aws:SecureTransport", &["true", "false"]);
        maybe(self.rng, "aws:MultiFactorAuthAge", &["100", "7200"]);
        if let Some(arn) = principal_arn(principal) {
            c.insert("aws:PrincipalArn".into(), json!(arn));
        }
        if self.multi && self.rng.chance(70) {
            let sets: [&[&str]; 4] = [&["env"], &["env", "owner"], &[], &["team", "env"]];
            c.insert("aws:TagKeys".into(), json!(self.rng.pick(&sets)));
        }
        if c.get("aws:SourceIp")
            .is_some_and(|v| v.as_str().is_some_and(|s| s.contains(':')))
        {
            self.features.push("ipv6-caller".into());
        }
        c
    }

    fn policy(&mut self, side: Side) -> Value {
        let mut statements: Vec<Value> = (0..1 + self.rng.below(3))
            .map(|_| self.statement(side))
            .collect();
        if side == Side::Scp && self.rng.chance(60) {
            statements.push(json!({"Effect": "Allow", "Action": "*", "Resource": "*"}));
        }
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    fn statement(&mut self, side: Side) -> Value {
        let mut s = serde_json::Map::new();
        let deny = match side {
            Side::Rcp => true,
            _ => self.rng.chance(20),
        };
        s.insert("Effect".into(), json!(if deny { "Deny" } else { "Allow" }));
        match side {
            Side::Resource => {
                s.insert("Principal".into(), self.principal_element());
            }
            Side::Rcp => {
                s.insert("Principal".into(), json!("*"));
            }
            _ => {}
        }
        let (name, value) = loop {
            let (name, value) = self.action_element();
            // RCP grammar: an Action, never `*`.
            if side != Side::Rcp || (name == "Action" && value != json!("*")) {
                break (name, value);
            }
        };
        s.insert(name.into(), value);
        let (name, value) = self.resource_element();
        s.insert(name.into(), value);
        if self.rng.chance(45) {
            s.insert("Condition".into(), self.condition());
        }
        Value::Object(s)
    }

    fn principal_element(&mut self) -> Value {
        let choices = [
            json!("*"),
            json!({"AWS": A}),
            json!({"AWS": format!("arn:aws:iam::{A}:root")}),
            json!({"AWS": B}),
            json!({"AWS": format!("arn:aws:iam::{A}:user/alice")}),
            json!({"AWS": format!("arn:aws:iam::{B}:user/bob")}),
            json!({"AWS": format!("arn:aws:iam::{A}:role/app")}),
            json!({"AWS": format!("arn:aws:sts::{A}:assumed-role/app/s1")}),
            json!({"Service": SERVICE}),
        ];
        let chosen = self.rng.pick(&choices).clone();
        if chosen.to_string().contains(":assumed-role/") {
            self.features.push("names-session".into());
        }
        chosen
    }

    fn action_element(&mut self) -> (&'static str, Value) {
        let (service, name) = self.action.split_once(':').unwrap();
        let other = match service {
            "s3" => "s3:PutObject",
            "sqs" => "sqs:DeleteMessage",
            "kms" => "kms:Encrypt",
            "sts" => "sts:GetCallerIdentity",
            "dynamodb" => "dynamodb:PutItem",
            "ec2" => "ec2:RunInstances",
            _ => "iam:GetRole",
        };
        match self.rng.below(9) {
            0..=2 => ("Action", json!(self.action)),
            3 => ("Action", json!(format!("{service}:*"))),
            4 => ("Action", json!("*")),
            5 => ("Action", json!(format!("{service}:{}*", &name[..3]))),
            6 => ("Action", json!([other, self.action])),
            7 => ("NotAction", json!(other)),
            _ => ("NotAction", json!(self.action)),
        }
    }

    fn resource_element(&mut self) -> (&'static str, Value) {
        if self.resource == "*" {
            return ("Resource", json!("*"));
        }
        let r = self.resource.clone();
        let cut = r.rfind(['/', ':']).unwrap() + 1;
        let other = format!("{}other", &r[..cut]);
        match self.rng.below(10) {
            0..=2 => ("Resource", json!(r)),
            3 => ("Resource", json!("*")),
            4 => ("Resource", json!(format!("{}*", &r[..cut]))),
            5 => ("Resource", json!(other)),
            6 => ("NotResource", json!(other)),
            7 => ("NotResource", json!(r)),
            8 => {
                self.features.push("variable-in-resource".into());
                (
                    "Resource",
                    json!(format!("{}${{aws:PrincipalTag/team}}", &r[..cut])),
                )
            }
            _ => {
                self.features.push("variable-in-resource".into());
                (
                    "NotResource",
                    json!(format!("{}${{aws:PrincipalTag/team}}", &r[..cut])),
                )
            }
        }
    }

    fn condition(&mut self) -> Value {
        let mut blocks = serde_json::Map::new();
        for _ in 0..1 + self.rng.below(2) {
            let (operator, key, value) = self.test();
            blocks
                .entry(operator)
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .unwrap()
                .insert(key, value);
        }
        Value::Object(blocks)
    }

    fn test(&mut self) -> (String, String, Value) {
        let if_exists = if self.rng.chance(25) { "IfExists" } else { "" };
        let (op, key, value): (String, &str, Value) = match self.rng.below(9) {
            0 => {
                let op = *self.rng.pick(&["IpAddress", "NotIpAddress"]);
                let v =
                    *self
                        .rng
                        .pick(&["10.0.0.0/8", "203.0.113.5", "0.0.0.0/0", "2001:db8::/32"]);
                if v == "0.0.0.0/0" {
                    self.features.push("ipv4-any".into());
                }
                (format!("{op}{if_exists}"), "aws:SourceIp", json!(v))
            }
            1 => {
                let op = *self.rng.pick(&[
                    "StringEquals",
                    "StringNotEquals",
                    "StringLike",
                    "StringNotLike",
                    "StringEqualsIgnoreCase",
                ]);
                let v = *self.rng.pick(&["dev", "queue1", "d*", "Dev"]);
                (
                    format!("{op}{if_exists}"),
                    "aws:PrincipalTag/team",
                    json!(v),
                )
            }
            2 => {
                let op = *self.rng.pick(&["DateGreaterThan", "DateLessThan"]);
                let v = *self
                    .rng
                    .pick(&["2020-01-01T00:00:00Z", "2030-01-01T00:00:00Z"]);
                (format!("{op}{if_exists}"), "aws:CurrentTime", json!(v))
            }
            3 => (
                format!("Bool{if_exists}"),
                "aws:SecureTransport",
                json!(*self.rng.pick(&["true", "false"])),
            ),
            4 => {
                let op = *self
                    .rng
                    .pick(&["NumericLessThan", "NumericGreaterThanEquals"]);
                (
                    format!("{op}{if_exists}"),
                    "aws:MultiFactorAuthAge",
                    json!("3600"),
                )
            }
            5 => {
                let op = *self.rng.pick(&["ArnLike", "ArnNotLike", "ArnEquals"]);
                let v = *self.rng.pick(&[
                    "arn:aws:iam::111111111111:user/alice",
                    "arn:aws:iam::111111111111:user/*",
                    "arn:aws:iam::*:role/app",
                    "arn:aws:iam::222222222222:*",
                ]);
                (format!("{op}{if_exists}"), "aws:PrincipalArn", json!(v))
            }
            6 if self.multi => {
                let op = *self.rng.pick(&[
                    "ForAnyValue:StringEquals",
                    "ForAllValues:StringEquals",
                    "StringEquals",
                    "ForAnyValue:StringNotEquals",
                ]);
                (
                    format!("{op}{if_exists}"),
                    "aws:TagKeys",
                    json!(["env", "team"]),
                )
            }
            7 => {
                let key = *self
                    .rng
                    .pick(&["aws:PrincipalTag/team", "aws:SourceIp", "aws:TagKeys"]);
                (
                    "Null".into(),
                    key,
                    json!(*self.rng.pick(&["true", "false"])),
                )
            }
            _ => {
                // A variable in a condition value.
                self.features.push("variable-in-condition".into());
                let op = *self
                    .rng
                    .pick(&["StringEquals", "StringNotEquals", "StringLike"]);
                (
                    format!("{op}{if_exists}"),
                    "aws:PrincipalArn",
                    json!("arn:aws:iam::111111111111:user/${aws:PrincipalTag/team}"),
                )
            }
        };
        (op, key.to_string(), value)
    }
}

/// `aws:PrincipalArn` of a caller: a session's is its role.
fn principal_arn(principal: &str) -> Option<String> {
    if let Some(rest) = principal.strip_prefix("arn:aws:sts::") {
        let (account, session) = rest.split_once(":assumed-role/")?;
        let role = session.split('/').next()?;
        return Some(format!("arn:aws:iam::{account}:role/{role}"));
    }
    principal.starts_with("arn:").then(|| principal.to_string())
}
