//! `iamlint simulate` with every policy layer, without identity policies, and `--explain`.

use std::path::Path;

mod common;

use common::run_iamlint;

const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/k";
const ROLE: &str = "arn:aws:iam::123456789012:role/App";

fn policies() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, statements: &str| {
        std::fs::write(
            dir.path().join(name),
            format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#),
        )
        .unwrap();
    };
    write(
        "identity.json",
        r#"{"Sid": "UseKeys", "Effect": "Allow", "Action": "kms:*", "Resource": "*"}"#,
    );
    // A key policy whose Action is "*": the key ARN makes it the key policy all the same.
    write(
        "key.json",
        r#"{"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "*", "Resource": "*"}"#,
    );
    write(
        "scp-root.json",
        r#"{"Sid": "Full", "Effect": "Allow", "Action": "*", "Resource": "*"}"#,
    );
    write(
        "scp-ou.json",
        r#"{"Sid": "NoKms", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#,
    );
    write(
        "boundary.json",
        r#"{"Sid": "Cap", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}"#,
    );
    write(
        "endpoint.json",
        r#"{"Sid": "Deny", "Effect": "Deny", "Principal": "*", "Action": "kms:Encrypt", "Resource": "*"}"#,
    );
    dir
}

fn run(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "simulate",
        "--action",
        "kms:Decrypt",
        "--resource",
        KEY,
        "--principal",
        ROLE,
        "--format",
        "json",
        "--explain",
    ];
    args.extend(extra);
    let (code, out, err) = run_iamlint(dir, &args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn a_key_without_its_key_policy_is_not_proven() {
    let dir = policies();
    let json = run(dir.path(), &["--policy", "identity.json"]);
    assert_eq!(json["decision"], "implicit-deny");
    assert!(json["note"].as_str().unwrap().starts_with("not proven"));
    assert_eq!(json["layers"][1]["layer"], "key");
    assert_eq!(json["layers"][1]["result"], "not-given");
    // The human output says what is missing, not that no Allow applied (the identity one did).
    let (_, human, _) = run_iamlint(
        dir.path(),
        &[
            "simulate",
            "--action",
            "kms:Decrypt",
            "--resource",
            KEY,
            "--principal",
            ROLE,
            "--policy",
            "identity.json",
        ],
    );
    assert!(human.contains("not proven: no key policy given"), "{human}");
    assert!(!human.contains("no Allow statement applies"), "{human}");
    let json = run(
        dir.path(),
        &["--policy", "identity.json", "--resource-policy", "key.json"],
    );
    assert_eq!(json["decision"], "allowed");
    assert_eq!(json["layers"][0]["layer"], "identity");
    assert_eq!(json["layers"][0]["statements"][0]["sid"], "UseKeys");
    assert_eq!(json["layers"][1]["layer"], "key");
    assert_eq!(json["layers"][1]["statements"][0]["sid"], "Root");
    assert_eq!(
        json["layers"][1]["statements"][0]["span"]["start"]["line"],
        1
    );
}

#[test]
fn every_layer_enters_through_its_flag() {
    let dir = policies();
    let base = ["--policy", "identity.json", "--resource-policy", "key.json"];
    let with = |more: &[&str]| {
        let mut args = base.to_vec();
        args.extend(more);
        run(dir.path(), &args)
    };
    let json = with(&["--scp", "scp-root.json", "--scp", "scp-ou.json"]);
    assert_eq!(json["decision"], "implicit-deny");
    let scp = &json["layers"][2];
    assert_eq!(scp["layer"], "scp");
    assert_eq!(scp["result"], "does-not-allow");
    assert_eq!(
        with(&[
            "--scp",
            "scp-root.json",
            "--management-account",
            "123456789012"
        ])["decision"],
        "allowed"
    );
    assert_eq!(with(&["--rcp", "scp-ou.json"])["decision"], "implicit-deny");
    assert_eq!(
        with(&["--boundary", "boundary.json"])["decision"],
        "allowed"
    );
    assert_eq!(
        with(&["--session-policy", "scp-ou.json"])["decision"],
        "implicit-deny"
    );
    assert_eq!(
        with(&["--endpoint-policy", "endpoint.json"])["decision"],
        "implicit-deny",
        "an endpoint policy with no Allow allows nothing"
    );
}

#[test]
fn the_human_explanation_names_every_layer() {
    let dir = policies();
    let (code, out, _) = run_iamlint(
        dir.path(),
        &[
            "simulate",
            "--policy",
            "identity.json",
            "--resource-policy",
            "key.json",
            "--scp",
            "scp-root.json",
            "--scp",
            "scp-ou.json",
            "--action",
            "kms:Decrypt",
            "--resource",
            KEY,
            "--principal",
            ROLE,
            "--explain",
        ],
    );
    assert_eq!(code, 0);
    assert!(out.starts_with("implicit-deny:"), "{out}");
    assert!(
        out.contains("    identity: allows\n      Allow identity.json:1:41 (Sid UseKeys)\n"),
        "{out}"
    );
    assert!(
        out.contains("    key: allows\n      Allow key.json:1:41 (Sid Root)\n"),
        "{out}"
    );
    assert!(out.contains("    scp: does not allow\n"), "{out}");
}

#[test]
fn no_identity_policy_is_needed() {
    let dir = policies();
    std::fs::write(
        dir.path().join("bucket.json"),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
    )
    .unwrap();
    let get = |principal: &str| {
        let (code, out, err) = run_iamlint(
            dir.path(),
            &[
                "simulate",
                "--resource-policy",
                "bucket.json",
                "--action",
                "s3:GetObject",
                "--resource",
                "arn:aws:s3:::b/k",
                "--resource-account",
                "123456789012",
                "--principal",
                principal,
            ],
        );
        assert_eq!(code, 0, "{err}");
        out
    };
    assert!(get("anonymous").starts_with("allowed:"));
    assert!(get("cloudtrail.amazonaws.com").starts_with("allowed:"));
    // Another account's user still needs its own identity policy.
    assert!(get("arn:aws:iam::999999999999:user/u").starts_with("implicit-deny:"));
    let (code, _, err) = run_iamlint(
        dir.path(),
        &["simulate", "--action", "s3:GetObject", "--resource", "*"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("no policy"), "{err}");
}
