//! CDK cloud assemblies (`cdk.out`): the stack templates its `manifest.json` lists, nested
//! assemblies (CDK stages) included, instead of every JSON file in the directory (the manifest,
//! the construct tree and the asset manifests are not policies).

use std::path::{Path, PathBuf};

/// Nested assemblies deeper than this are not followed (a stage in a stage in a stage...).
const MAX_NESTING: usize = 8;

/// The stack templates of the cloud assembly in `dir`; `None` when `dir` is not one.
pub fn assembly_templates(dir: &Path) -> Option<Vec<PathBuf>> {
    let mut templates = Vec::new();
    collect(dir, 0, &mut templates)?;
    templates.sort();
    templates.dedup();
    Some(templates)
}

fn collect(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Option<()> {
    let text = std::fs::read(dir.join("manifest.json")).ok()?;
    let manifest: serde_json::Value = serde_json::from_slice(&text).ok()?;
    let artifacts = manifest.get("artifacts")?.as_object()?;
    for artifact in artifacts.values() {
        let properties = artifact.get("properties");
        let property = |name: &str| {
            properties
                .and_then(|p| p.get(name))
                .and_then(|v| v.as_str())
        };
        match artifact.get("type").and_then(|t| t.as_str()) {
            Some("aws:cloudformation:stack") => {
                if let Some(file) = property("templateFile") {
                    out.push(dir.join(file));
                }
            }
            Some("cdk:cloud-assembly") if depth < MAX_NESTING => {
                if let Some(nested) = property("directoryName") {
                    // A nested assembly that cannot be read is skipped, not the whole assembly.
                    let _ = collect(&dir.join(nested), depth + 1, out);
                }
            }
            _ => {}
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_and_nested_assemblies() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("manifest.json"),
            r#"{"version": "36.0.0", "artifacts": {
                "App": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "App.template.json"}},
                "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}},
                "assembly-Prod": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod"}}}}"#,
        )
        .unwrap();
        std::fs::create_dir(root.join("assembly-Prod")).unwrap();
        std::fs::write(
            root.join("assembly-Prod/manifest.json"),
            r#"{"artifacts": {"ProdApp": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "ProdApp.template.json"}}}}"#,
        )
        .unwrap();
        assert_eq!(
            assembly_templates(root).unwrap(),
            [
                root.join("App.template.json"),
                root.join("assembly-Prod/ProdApp.template.json")
            ]
        );
        assert!(assembly_templates(&root.join("missing")).is_none());
    }
}
