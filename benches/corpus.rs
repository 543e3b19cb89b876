//! In-process figures over the 1,594 AWS managed policies of `../shared/corpus/aws-managed`:
//! the bare `serde_json::Value` parse (the baseline the 3× target is measured against), our
//! span-keeping parse, parse + model, and the full `check_document` with every built-in rule.
//! Skips, saying so, when the corpus is not beside the repository.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use iamlint::rules::{check_document, registry, CheckOptions};
use iamlint::source::FileId;

fn corpus() -> Option<Vec<Vec<u8>>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/aws-managed");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let files: Vec<Vec<u8>> = paths.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    (!files.is_empty()).then_some(files)
}

fn bench(c: &mut Criterion) {
    let Some(files) = corpus() else {
        eprintln!("corpus: ../shared/corpus/aws-managed not found; skipping");
        return;
    };
    let bytes: usize = files.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("serde_json_value", |b| {
        b.iter(|| {
            for f in &files {
                let v: serde_json::Value = serde_json::from_slice(f).unwrap();
                std::hint::black_box(v);
            }
        })
    });
    group.bench_function("parse", |b| {
        b.iter(|| {
            for f in &files {
                std::hint::black_box(iamlint::source::parse_bytes(f).unwrap());
            }
        })
    });
    group.bench_function("parse_model", |b| {
        b.iter(|| {
            for f in &files {
                let node = iamlint::source::parse_bytes(f).unwrap();
                std::hint::black_box(iamlint::policy::build(&node));
            }
        })
    });
    let options = CheckOptions {
        rules: registry::BUILTIN,
        kind: None,
        max_file_size: u64::MAX,
    };
    group.bench_function("check_document_all_rules", |b| {
        b.iter(|| {
            for (i, f) in files.iter().enumerate() {
                std::hint::black_box(check_document(FileId(i as u32), f, &options));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
