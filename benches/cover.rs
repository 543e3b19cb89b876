//! `cover` alone (and `decide` on one concrete request per action) on the CloudWatch Logs import
//! role's requirements: what the
//! `cloudwatch-logs-import` pack's `import-role-missing-permission` asks of the role's policy,
//! written out by hand so the engine is measured without pack loading. The whole pack on a
//! scenario is `scripts/bench.sh`'s scenario row.

use criterion::{criterion_group, criterion_main, Criterion};
use iamlint::engine::{
    cover, decide, Caller, Context, PolicyInput, Request, Requirement, ResourceSet,
};
use iamlint::policy::{self, Kind};
use iamlint::source;

const ROLE: &str = "arn:aws:iam::123456789012:role/CloudWatchLogsImportRole";
const EDS: &str =
    "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/f1d45bff-d0e3-4868-b5d9-2eb678aa32fb";
const GROUP: &str =
    "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/f1d45bff-d0e3-4868-b5d9-2eb678aa32fb";
const STREAMS: &str = "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/f1d45bff-d0e3-4868-b5d9-2eb678aa32fb:log-stream:*";

/// A least-privilege role policy, and AWS's published one with the leading-slash bug.
const GOOD: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "ReadSource", "Effect": "Allow", "Action": "cloudtrail:GetEventDataStoreData",
   "Resource": "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/f1d45bff-d0e3-4868-b5d9-2eb678aa32fb"},
  {"Sid": "WriteLogs", "Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream"],
   "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/*"},
  {"Sid": "ResourcePolicy", "Effect": "Allow", "Action": "logs:PutResourcePolicy", "Resource": "*"}
]}"#;
const SLASH: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "cloudtrail:GetEventDataStoreData", "Resource": "*"},
  {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutResourcePolicy"],
   "Resource": ["arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/*", "*"]},
  {"Effect": "Deny", "Action": "logs:CreateLogStream",
   "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/*"}
]}"#;

fn requirements() -> Vec<Requirement<'static>> {
    let need = |action: &'static str, resources| Requirement {
        principal: Caller::Aws(ROLE.into()),
        actions: vec![action],
        resources,
        resource_account: None,
        context: Context::closed(),
    };
    vec![
        need("cloudtrail:GetEventDataStoreData", ResourceSet::Exact(EDS)),
        need("logs:CreateLogGroup", ResourceSet::Exact(GROUP)),
        need("logs:CreateLogStream", ResourceSet::Matching(STREAMS)),
        need("logs:PutResourcePolicy", ResourceSet::Exact("*")),
    ]
}

fn bench(c: &mut Criterion) {
    let requirements = requirements();
    for (name, text) in [("least_privilege", GOOD), ("leading_slash_and_deny", SLASH)] {
        let node = source::parse(text).unwrap();
        let policy = policy::build(&node).0.unwrap();
        let inputs = [PolicyInput {
            id: 0,
            kind: Kind::Identity,
            policy: &policy,
        }];
        c.bench_function(&format!("cover/import_role/{name}"), |b| {
            b.iter(|| {
                for r in &requirements {
                    std::hint::black_box(cover(&inputs, r));
                }
            })
        });
        // One request per required action, on a concrete resource: `decide` per request.
        let requests: Vec<Request> = requirements
            .iter()
            .map(|r| Request {
                principal: r.principal.clone(),
                action: r.actions[0].to_string(),
                resource: match r.resources {
                    ResourceSet::Exact(x) => x.to_string(),
                    ResourceSet::Matching(p) => p.replace('*', "s1"),
                },
                resource_account: None,
                context: Context::closed(),
            })
            .collect();
        c.bench_function(&format!("decide/import_role/{name}"), |b| {
            b.iter(|| {
                for request in &requests {
                    std::hint::black_box(decide(&inputs, request));
                }
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
