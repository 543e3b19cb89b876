//! Peak memory of a child process, read from `wait4`'s resource usage for that child alone.

use std::path::Path;

use assert_cmd::cargo::CommandCargoExt;

/// Runs `iamlint check --no-config --quiet FILE` in `dir`; its exit code and peak RSS in KiB.
#[expect(
    clippy::zombie_processes,
    reason = "reaped by wait4, which also reports its resource usage"
)]
fn check_peak_kib(dir: &Path, file: &str) -> (i32, i64) {
    let child = std::process::Command::cargo_bin("iamlint")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--no-config", "--quiet", file])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the child is ours and not yet waited for; `status` and `usage` are valid and
    // writable for the call to fill.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    assert!(libc::WIFEXITED(status));
    assert!(usage.ru_maxrss > 0);
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

#[test]
fn an_oversized_file_is_never_read_into_memory() {
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("big.json")).unwrap();
    // Sparse: 100 MB that cost no disk, and would cost 100 MB of memory if read.
    file.set_len(100 * 1024 * 1024).unwrap();
    drop(file);
    let (code, peak_kib) = check_peak_kib(dir.path(), "big.json");
    assert_eq!(code, 1);
    assert!(peak_kib < 32 * 1024, "peak {peak_kib} KiB");
}

/// `resource-type-mismatch` intersects each S3 ARN with the catalog's templates. Searching the
/// product of the two patterns with a visited set as large as both took 24 GB and 96 s for
/// this 4 MB ARN; by rows it needs a few copies of the text.
#[test]
fn a_multi_megabyte_arn_is_checked_in_memory_linear_in_its_length() {
    let dir = tempfile::tempdir().unwrap();
    let arn = format!("arn:aws:s3:::{}/*", "a".repeat(4 << 20));
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "{arn}"}}]}}"#
    );
    std::fs::write(dir.path().join("long-arn.json"), policy).unwrap();
    let (code, peak_kib) = check_peak_kib(dir.path(), "long-arn.json");
    assert_eq!(code, 0, "only warnings (policy-too-large)");
    assert!(
        peak_kib < 40 * 4 * 1024,
        "peak {peak_kib} KiB for a 4 MiB ARN"
    );
}
