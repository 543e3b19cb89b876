use crate::catalog;
use crate::policy::Parent;
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM004",
        name: "unknown-element",
        severity: Severity::Error,
        summary: "An element name IAM does not know, such as a misspelt or wrongly cased `Effect`",
        doc: r#"## What it does
Reports a key that is not part of the IAM policy grammar at the policy level (`Version`, `Id`,
`Statement`), the statement level (`Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`,
`NotAction`, `Resource`, `NotResource`, `Condition`) or in a principal (`AWS`, `Service`,
`Federated`, `CanonicalUser`). Element names are case-sensitive.

## Why is this bad?
AWS rejects unknown elements. Worse, a misspelt `Condition` in a tool that ignores it would make a
conditional grant unconditional.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
}
```

## Fix
Use the element's exact name (`Effect`), or remove the key.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for problem in doc.problems {
        if let Problem::UnknownElement {
            span,
            name,
            parent,
            suggestion,
        } = *problem
        {
            // The model only knows case slips; a misspelling (`Principle`) is matched here, by
            // the catalog's edit distance, since the policy stage comes before the catalog.
            let help = match suggestion {
                Some(known) => format!("did you mean `{known}`? Element names are case-sensitive"),
                None => match catalog::closest_name(name.trim(), parent.known().iter().copied()) {
                    Some(known) => format!("did you mean `{known}`?"),
                    None => format!("{} may only contain {}", parent.describe(), list(parent)),
                },
            };
            out.emit(
                out.at(
                    span,
                    format!("`{name}` is not an element of {}", parent.describe()),
                )
                .help(help),
            );
        }
    }
}

fn list(parent: Parent) -> &'static str {
    match parent {
        Parent::Policy => "`Version`, `Id` and `Statement`",
        Parent::Statement => "`Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`, `NotAction`, `Resource`, `NotResource` and `Condition`",
        Parent::Principal => "`AWS`, `Service`, `Federated` and `CanonicalUser`",
    }
}
