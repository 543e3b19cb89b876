//! `check --fix` and `check --diff`: span edits that keep the rest of the file byte for byte,
//! idempotent, written atomically; `--diff` prints what would change, as ruff does.

use std::path::Path;

use assert_cmd::Command;

mod common;

// CRLF line ends, odd spacing and a trailing space: all of it must survive the fix.
const BROKEN: &str = "{\r\n    \"Statement\" : [\r\n\t{\"Sid\": \"A\",  \"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"} ,\r\n\t{\"Effect\":\"DENY\",\"Action\":\"s3:*\",\"Resource\":\"*\"}\r\n    ] \r\n}";
const FIXED: &str = "{\r\n    \"Version\": \"2012-10-17\",\r\n    \"Statement\" : [\r\n\t{\"Sid\": \"A\",  \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"} ,\r\n\t{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}\r\n    ] \r\n}";

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::cargo_bin("iamlint").unwrap();
    cmd.current_dir(dir).arg("check").args(args);
    if let Some(text) = stdin {
        cmd.write_stdin(text);
    }
    common::run(&mut cmd)
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn fix_edits_only_the_findings_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.json"), BROKEN).unwrap();
    let (code, out, err) = run(dir.path(), &["--fix", "--format", "concise"], None);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.json")).unwrap(),
        FIXED
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "No problems found in 1 file.\n");
    assert_eq!(err, "Fixed 3 findings in 1 file.\n");
    // The write went through a temporary file that is gone now.
    assert_eq!(names(dir.path()), ["p.json"]);

    let (code, out, err) = run(dir.path(), &["--fix"], None);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (0, "No problems found in 1 file.\n", "")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.json")).unwrap(),
        FIXED
    );
}

#[test]
fn fix_reports_what_it_cannot_fix_and_fails_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let text = BROKEN.replace("\"DENY\"", "\"Maybe\"");
    std::fs::write(dir.path().join("p.json"), &text).unwrap();
    let (code, out, _) = run(
        dir.path(),
        &["--fix", "--format", "concise", "--quiet"],
        None,
    );
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "p.json:5:12: error[IAM011] `Maybe` is not a valid Effect (invalid-effect)\n"
    );
}

#[test]
fn no_version_fix_when_it_would_change_what_is_granted() {
    // With a policy variable, adding the version makes IAM substitute it: not a safe fix.
    let text = r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}}"#;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.json"), text).unwrap();
    let (code, _, err) = run(dir.path(), &["--fix", "--fail-on", "warning"], None);
    assert_eq!(code, 1);
    assert_eq!(err, "");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.json")).unwrap(),
        text
    );
}

#[test]
fn ignored_rules_are_not_fixed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.json"), BROKEN).unwrap();
    let (code, _, _) = run(dir.path(), &["--fix", "--ignore", "invalid-effect"], None);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(dir.path().join("p.json")).unwrap();
    assert!(
        text.contains("\"allow\"") && text.contains("\"Version\""),
        "{text}"
    );
}

#[test]
fn stdin_fix_prints_the_fixed_document() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        dir.path(),
        &[
            "--fix",
            "-",
            "--stdin-filename",
            "iam/p.json",
            "--format",
            "concise",
        ],
        Some(BROKEN),
    );
    assert_eq!(code, 0);
    assert_eq!(out, FIXED);
    assert!(err.contains("No problems found in 1 file."), "{err}");
    // Nothing to fix: the document comes back unchanged.
    let (_, out, _) = run(dir.path(), &["--fix", "-"], Some(FIXED));
    assert_eq!(out, FIXED);
}

#[test]
fn diff_prints_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let text = BROKEN.replace("\r\n", "\n");
    std::fs::write(dir.path().join("p.json"), &text).unwrap();
    std::fs::write(dir.path().join("clean.json"), FIXED).unwrap();
    let (code, out, err) = run(dir.path(), &["--diff"], None);
    assert_eq!(code, 1, "there is something to fix");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.json")).unwrap(),
        text
    );
    assert_eq!(err, "Would fix 3 findings in 1 file.\n");
    insta::assert_snapshot!(out, @r#"
    --- p.json
    +++ p.json
    @@ -1,6 +1,7 @@
     {
    +    "Version": "2012-10-17",
         "Statement" : [
    -	{"Sid": "A",  "Effect": "allow", "Action": "s3:GetObject", "Resource": "*"} ,
    -	{"Effect":"DENY","Action":"s3:*","Resource":"*"}
    +	{"Sid": "A",  "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"} ,
    +	{"Effect":"Deny","Action":"s3:*","Resource":"*"}
         ] 
     }
    \ No newline at end of file
    "#);
    let (code, out, err) = run(dir.path(), &["--diff", "clean.json"], None);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (0, "", "No fixes available.\n")
    );
}

#[test]
fn fix_keeps_non_ascii_text_byte_for_byte() {
    let text = "{\"Statement\": [{\"Sid\": \"Äpfel\", \"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bücher/😀\"}]}";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.json"), text).unwrap();
    run(dir.path(), &["--fix", "--ignore", "IAM012"], None);
    let fixed = std::fs::read_to_string(dir.path().join("p.json")).unwrap();
    assert_eq!(
        fixed,
        text.replace(
            "{\"Statement\"",
            "{\"Version\": \"2012-10-17\", \"Statement\""
        )
        .replace("allow", "Allow")
    );
}

#[test]
fn a_cidr_with_host_bits_is_rewritten_to_its_network() {
    let dir = tempfile::tempdir().unwrap();
    let policy = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
  "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.7/24", "2001:db8::1/32", "198.51.100.0/24"]}}}}"#;
    std::fs::write(dir.path().join("p.json"), policy).unwrap();
    let (code, out, err) = run(
        dir.path(),
        &["--fix", "--select", "improvable-ip-range"],
        None,
    );
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (
            0,
            "No problems found in 1 file.\n",
            "Fixed 2 findings in 1 file.\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.json")).unwrap(),
        policy
            .replace("203.0.113.7/24", "203.0.113.0/24")
            .replace("2001:db8::1/32", "2001:db8::/32")
    );
}
