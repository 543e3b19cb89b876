//! Peak memory of a child, alone in its own test binary: `getrusage(RUSAGE_CHILDREN)` reports
//! the largest child of the whole process, so no other test may start one here.

use assert_cmd::cargo::CommandCargoExt;

#[test]
fn an_oversized_file_is_never_read_into_memory() {
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("big.json")).unwrap();
    // Sparse: 100 MB that cost no disk, and would cost 100 MB of memory if read.
    file.set_len(100 * 1024 * 1024).unwrap();
    drop(file);
    let status = std::process::Command::cargo_bin("iamlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--no-config", "--quiet", "big.json"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage for the call to fill.
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) },
        0
    );
    let peak_kib = usage.ru_maxrss;
    assert!(peak_kib > 0);
    assert!(peak_kib < 32 * 1024, "peak {peak_kib} KiB");
}
