//! Stage 1: bytes → strict JSON syntax tree with a span on every key and value (CloudFormation
//! YAML to the same tree; Terraform HCL to `hcl-edit`'s tree).

mod file;
mod hcl;
mod parse;
mod span;
pub mod tree;
mod yaml;

pub use file::{FileId, Files, SourceFile};
pub use hcl::{parse_hcl, Body as HclBody};
pub use parse::{decode, parse, ParseError, MAX_DEPTH};
pub use span::{LineCol, LineIndex, Span};
pub use tree::{
    has_placeholder, is_placeholder, JsonType, Key, Member, Node, Value, PART, PLACEHOLDER,
};
pub use yaml::{intrinsic_name, parse_yaml, ALIAS_BUDGET};

/// How an input is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    /// CloudFormation YAML.
    Yaml,
    /// Terraform configuration (`.tf`).
    Hcl,
    /// Terraform configuration in JSON syntax (`.tf.json`).
    TerraformJson,
}

impl Syntax {
    /// By file name: `.yaml`/`.yml` are YAML; `.template` is JSON when it starts like JSON.
    pub fn of(path: &str, text: &[u8]) -> Syntax {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Syntax::Yaml
        } else if lower.ends_with(".tf") {
            Syntax::Hcl
        } else if lower.ends_with(".tf.json") {
            Syntax::TerraformJson
        } else if lower.ends_with(".template") {
            match text.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') | None => Syntax::Json,
                Some(_) => Syntax::Yaml,
            }
        } else {
            Syntax::Json
        }
    }
}

/// Decodes and parses one file's bytes.
pub fn parse_bytes(bytes: &[u8]) -> Result<Node<'_>, ParseError> {
    parse(decode(bytes)?)
}
