use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM016",
        name: "missing-resource",
        severity: Severity::Error,
        summary:
            "A statement has neither `Resource` nor `NotResource` (all kinds but trust policies)",
        doc: r#"## What it does
Reports a statement without `Resource` or `NotResource` in every kind of policy but role trust
policies, which must not have a `Resource`. A resource policy statement whose actions are all
`ecr:` or `ecr-public:` actions is not reported: ECR repository policies apply to their
repository and AWS's own examples omit `Resource`.

## Why is this bad?
IAM rejects identity policy statements without a resource. In a KMS key policy the API accepts
the statement but it has no effect.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject"}}
```

## Fix
Add the resources the statement applies to, e.g. `"Resource": "arn:aws:s3:::reports/*"`, or
`"Resource": "*"` in a key policy (meaning "this key").
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let Some(policy) = doc.policy else { return };
    if doc.kind == Kind::Trust {
        return;
    }
    for statement in doc.statements() {
        // An ECR repository policy names no resource: the repository is implied.
        let implied = doc.kind == Kind::Resource && repository_statement(statement);
        let named = policy.statement_has(statement, "Resource")
            || policy.statement_has(statement, "NotResource");
        if !named && !implied {
            let example = if doc.kind == Kind::Key {
                "\"Resource\": \"*\" (this key)"
            } else if doc.kind == Kind::Rcp {
                "\"Resource\": \"*\""
            } else {
                "\"Resource\": \"arn:...\""
            };
            out.emit(
                out.at(
                    Span::new(statement.span.start, statement.span.start + 1),
                    "this statement has no `Resource` or `NotResource`",
                )
                .help(doc.with_kind_note(format!("add {example}"))),
            );
        }
    }
}

/// Whether every action is an ECR one: a repository policy, which names no resource.
fn repository_statement(statement: &Statement) -> bool {
    let Some((list, false)) = statement.actions() else {
        return false;
    };
    !list.items.is_empty()
        && list.items.iter().all(|action| {
            action.value.split_once(':').is_some_and(|(service, _)| {
                service.eq_ignore_ascii_case("ecr") || service.eq_ignore_ascii_case("ecr-public")
            })
        })
}
