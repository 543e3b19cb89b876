use crate::rules::prelude::*;
use crate::rules::Diagnostic;
use crate::source::FileId;
use crate::template::terraform::Cycle;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM042",
        name: "reference-cycle",
        severity: Severity::Error,
        summary: "Terraform locals refer to each other in a loop",
        doc: r#"## What it does
Reports locals of a Terraform module whose values refer to each other in a loop
(`local.a = local.b`, `local.b = local.a`, or longer), once, at the declaration of the cycle's
first local (by name), in the file that declares it, listing the whole cycle.

## Why is this bad?
`terraform plan` stops with `Error: Cycle`, so nothing of the module is created. Nor can
iamlint know the values: a policy that uses one of them is checked with the value unknown.

## Example
```hcl
locals {
  bucket_arn = "arn:aws:s3:::${local.bucket}"
  bucket     = split(":", local.bucket_arn)[5]
}
```

## Fix
Give one local of the cycle a value that does not depend on the others (here, write the
bucket's name in `bucket`, or take it from a variable).
"#,
        pack: None,
    },
    check,
};

/// The cycles are a property of the module, not of a policy document: they are found when the
/// Terraform file is read (see [`findings`]).
fn check(_: &Document, _: &mut Findings) {}

/// A finding for each cycle the file holds the first local of.
pub(crate) fn findings(file: FileId, cycles: &[Cycle]) -> Vec<Diagnostic> {
    cycles
        .iter()
        .map(|cycle| {
            // A generated module may loop through thousands of locals: the message shows the
            // start of the cycle and how long it is.
            const SHOWN: usize = 10;
            let mut path: Vec<String> = cycle
                .names
                .iter()
                .take(SHOWN)
                .map(|n| format!("local.{n}"))
                .collect();
            if cycle.names.len() > SHOWN {
                path.push(format!(
                    "… ({} locals) → local.{}",
                    cycle.names.len() - 1,
                    cycle.names[0]
                ));
            }
            Diagnostic::new(
                &RULE.meta,
                file,
                cycle.span,
                format!(
                    "`local.{}` is part of a reference cycle: {}",
                    cycle.names[0],
                    path.join(" → ")
                ),
            )
            .help("Terraform rejects the module; give one of these locals a value that does not depend on the others")
        })
        .collect()
}
