use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM018",
        name: "forbidden-element",
        severity: Severity::Error,
        summary: "An element this kind of policy must not have (Principal in an identity policy or SCP, Resource in a trust policy, NotAction in an RCP)",
        doc: r#"## What it does
Reports `Principal` or `NotPrincipal` in an identity policy, a service control policy (SCP), a
permissions boundary or a session policy; `Resource`, `NotResource` or `NotPrincipal` in a role
trust policy; `NotPrincipal` or `NotAction` in a resource control policy (RCP).

## Why is this bad?
An identity policy applies to the identity it is attached to, so it cannot name a principal; a
trust policy applies to its role, so it cannot name a resource, and `NotPrincipal` is not
supported there. SCPs, boundaries and session policies apply to the principals they are
attached to; RCPs support neither `NotPrincipal` nor `NotAction`. AWS rejects such documents. Often the file is of another kind than intended,
for instance a trust policy pasted as a permissions policy.

## Example
A trust policy with a `Resource`:
```json
{"Version": "2012-10-17", "Statement": {
  "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
  "Action": "sts:AssumeRole", "Resource": "*"
}}
```

## Fix
Remove the element, or check that the file is of the kind you meant (`--kind`, `[[files]]`).
"#,
        pack: None,
    },
    check,
};

fn forbidden(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Identity | Kind::Scp | Kind::Boundary | Kind::Session => {
            &["Principal", "NotPrincipal"]
        }
        Kind::Trust => &["Resource", "NotResource", "NotPrincipal"],
        Kind::Rcp => &["NotPrincipal", "NotAction"],
        Kind::Resource | Kind::Key | Kind::Endpoint => &[],
    }
}

fn check(doc: &Document, out: &mut Findings) {
    let Some(policy) = doc.policy else { return };
    for statement in doc.statements() {
        let Some(node) = policy.statement_node(statement) else {
            continue;
        };
        for element in forbidden(doc.kind) {
            if let Some(member) = node.get(element) {
                out.emit(
                    out.at(
                        member.key.span,
                        format!("`{element}` is not allowed in {}", doc.kind.describe()),
                    )
                    .help(doc.with_kind_note(format!("remove `{element}`"))),
                );
            }
        }
    }
}
