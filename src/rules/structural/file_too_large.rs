use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM021",
        name: "file-too-large",
        severity: Severity::Error,
        summary: "The file is larger than the input size limit, so it was not read",
        doc: r#"## What it does
Reports an input larger than `max-file-size` (10 MiB by default) instead of reading it. The
largest policy AWS accepts is a KMS key policy of 32 KiB, so a file this size is not a policy.

## Why is this bad?
A file this large is almost always a data dump or a build artefact picked up by the directory
walk. Reading it would cost time and memory for nothing.

## Example
A 100 MB `export.json` in the checked directory.

## Fix
Exclude the file (`exclude = ["exports/**"]` in iamlint.toml) or, if it really is meant to be
checked, raise `max-file-size`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    if let Some(too_large) = doc.too_large {
        out.emit(
            out.at(
                doc.start(),
                format!(
                    "the file is {} bytes, more than the {}-byte input limit; it was not checked",
                    too_large.size, too_large.limit
                ),
            )
            .help("exclude it with `exclude` in iamlint.toml, or raise `max-file-size` if it really is a policy"),
        );
    }
}
