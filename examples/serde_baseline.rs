//! The baseline of `scripts/bench.sh`: what the bare minimum costs for the same files in one
//! process — walk, read, and `serde_json::from_slice::<serde_json::Value>` each `*.json` file,
//! in parallel on the same rayon pool size as iamlint. Prints the number of files parsed.

use rayon::prelude::*;

fn main() {
    let mut files = Vec::new();
    for root in std::env::args().skip(1) {
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).expect("readable directory") {
                    stack.push(entry.expect("readable entry").path());
                }
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    let parsed = files
        .par_iter()
        .filter(|path| {
            let bytes = std::fs::read(path).expect("readable file");
            serde_json::from_slice::<serde_json::Value>(&bytes).is_ok()
        })
        .count();
    println!("{parsed} of {} files parsed", files.len());
}
