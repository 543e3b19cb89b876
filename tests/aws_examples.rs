//! AWS's public SCP, RCP and VPC endpoint policy examples (`fixtures/aws-examples/`, sources and
//! licence in its README), checked with their kind declared: no finding AWS's documentation
//! contradicts, and their real defects still found.

use std::path::Path;

use assert_cmd::Command;

fn check(args: &[&str]) -> serde_json::Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/aws-examples");
    let output = Command::cargo_bin("iamlint")
        .unwrap()
        .current_dir(&root)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.code() != Some(2), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn findings(json: &serde_json::Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{} {}",
                d["file"].as_str().unwrap(),
                d["span"]["start"]["line"],
                d["name"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn declared_they_give_only_their_real_defects_and_placeholders() {
    let json = check(&[]);
    for document in json["documents"].as_array().unwrap() {
        let file = document["file"].as_str().unwrap();
        let directory = file.split('/').next().unwrap();
        if file.ends_with("deny-service-specific-credential-by-type.json") {
            assert!(document["kind"].is_null(), "invalid JSON has no kind");
            continue;
        }
        assert_eq!(document["kind"], directory, "{file}");
        assert_eq!(document["kind_source"], "config", "{file}");
    }
    assert_eq!(json["summary"]["files"], 18);
    let (placeholders, others): (Vec<String>, Vec<String>) = findings(&json)
        .into_iter()
        .partition(|f| f.ends_with(" placeholder-value"));
    assert!(placeholders.len() > 100, "{}", placeholders.len());
    assert_eq!(
        others,
        [
            "rcp/STS-protect-IAMRA-session-tags.json:13 unknown-condition-operator",
            "rcp/Shared-Issuers.json:1 policy-too-large",
            "rcp/Shared-Issuers.json:289 missing-resource",
            "rcp/Shared-Issuers.json:294 restricted-rcp-allow",
            "rcp/Shared-Issuers.json:296 condition-value-type",
            "rcp/Shared-Issuers.json:299 unknown-condition-key",
            "scp/deny-service-specific-credential-by-type.json:15 invalid-json",
        ]
    );
    // The examples' own placeholders, each reported as such and nothing else.
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    for placeholder in [
        "`${Account}`",
        "`[PROTECTED_ROLE_NAME]`",
        "`<action>`",
        "`<OIDC_provider_name_1>`",
    ] {
        assert!(
            messages.iter().any(|m| m.starts_with(placeholder)),
            "{placeholder}"
        );
    }
}

#[test]
fn inferred_an_endpoint_policy_is_taken_for_a_resource_policy_and_the_help_says_so() {
    let json = check(&["--no-config", "endpoint/default_endpoint_policy.json"]);
    let risky: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "security")
        .collect();
    assert!(!risky.is_empty());
    for finding in risky {
        let help = finding["help"].as_str().unwrap();
        assert!(help.contains("--kind endpoint|rcp"), "{help}");
    }
    let declared = check(&[
        "--no-config",
        "--kind",
        "endpoint",
        "endpoint/default_endpoint_policy.json",
    ]);
    assert!(findings(&declared)
        .iter()
        .all(|f| f.ends_with(" placeholder-value")));
}
