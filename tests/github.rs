//! `--format github`: workflow commands with GitHub's escaping, for awkward file names and
//! messages that quote values with `%`, newlines and carriage returns.

use assert_cmd::Command;

#[test]
fn escapes_file_names_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    // The Effect value holds `%`, CR and LF (JSON escapes), and the name `,` and `:`.
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "50%\r\nAllow::x", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    std::fs::write(dir.path().join("a,b:c%.json"), policy).unwrap();
    let output = Command::cargo_bin("iamlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let out = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        out,
        "::error file=a%2Cb%3Ac%25.json,line=1,col=52,endLine=1,endColumn=69,title=IAM011 invalid-effect::`50%25%0D%0AAllow::x` is not a valid Effect%0Ahelp: use \"Allow\" or \"Deny\"\n"
    );
    // One command per line, whatever the message held.
    assert_eq!(out.lines().count(), 1);
}

#[test]
fn severities_map_to_commands() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.json"),
        r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    )
    .unwrap();
    let output = Command::cargo_bin("iamlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "a warning is below security");
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(
        out.starts_with("::warning file=p.json,line=1,col=1,endLine=1,endColumn=2,title=IAM007 missing-version::"),
        "{out}"
    );
}
