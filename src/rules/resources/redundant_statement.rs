use super::entry_covers;
use crate::engine::ActionPattern;
use crate::policy::List;
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM205",
        name: "redundant-statement",
        severity: Severity::Suggestion,
        summary:
            "A statement whose grant (or denial) another statement of the policy already makes",
        doc: r#"## What it does
Reports a statement when another statement of the same policy has the same `Effect` and
`Principal`, no `Condition`, and `Action` and `Resource` lists that cover every entry of this
one: the same entry, `"*"`, or a pattern ending in `*` that the entry starts with. This is
Access Analyzer's `REDUNDANT_STATEMENT`. Statements with `NotAction`, `NotResource` or
`NotPrincipal` are not compared; of two identical statements the second is reported.

## Why is this bad?
Whatever the redundant statement allows or denies, the other already does, whatever its own
conditions say. It suggests a restriction (a narrower resource, a condition) that has no effect.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::my-bucket/*"},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/reports/*",
     "Condition": {"Bool": {"aws:SecureTransport": "true"}}}
  ]
}
```

## Fix
Remove the redundant statement, or, if its restriction was the point, narrow the broader one.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let statements = doc.statements();
    if statements.len() > 500 {
        return; // pairwise; a policy this long is machine-written
    }
    for (i, narrow) in statements.iter().enumerate() {
        let covering = statements.iter().enumerate().find(|&(j, broad)| {
            j != i && covers(doc, broad, narrow) && (j < i || !covers(doc, narrow, broad))
        });
        let Some((_, broad)) = covering else {
            continue;
        };
        let label = match broad.sid {
            Some(sid) => format!("statement `{}` already does", sid.value),
            None => format!("statement {} already does", broad.index + 1),
        };
        out.emit(
            out.at(
                head(narrow),
                "this statement is redundant: another statement of the policy covers all it grants or denies",
            )
            .help("remove it, or narrow the other statement if this one's restriction was meant")
            .related(out.file(), head(broad), label),
        );
    }
}

/// Where a finding about a whole statement points: its Sid, else its Effect, else its start.
fn head(statement: &Statement) -> Span {
    statement
        .sid
        .or(statement.effect)
        .map_or(Span::empty(statement.span.start), |t| t.span)
}

/// Whether `broad` makes every grant or denial of `narrow`.
fn covers(doc: &Document, broad: &Statement, narrow: &Statement) -> bool {
    let (Some(effect), Some(narrow_effect)) = (broad.effect(), narrow.effect()) else {
        return false;
    };
    if effect != narrow_effect
        || broad.condition.is_some()
        || broad.not_action.is_some()
        || narrow.not_action.is_some()
        || broad.not_resource.is_some()
        || narrow.not_resource.is_some()
        || broad.not_principal.is_some()
        || narrow.not_principal.is_some()
    {
        return false;
    }
    let text = |span: Span| {
        doc.text
            .get(span.range())
            .map(|t| t.split_whitespace().collect::<String>())
    };
    let same_principal = match (&broad.principal, &narrow.principal) {
        (None, None) => true,
        (Some(a), Some(b)) => text(a.span) == text(b.span),
        _ => false,
    };
    let lists = |a: &Option<List>, b: &Option<List>, covers: fn(&str, &str) -> bool| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => b
            .items
            .iter()
            .all(|n| a.items.iter().any(|w| covers(w.value, n.value))),
        _ => false,
    };
    let resources = match (&broad.resource, &narrow.resource) {
        (None, None) => true,
        (Some(a), Some(b)) => b
            .items
            .iter()
            .all(|n| a.items.iter().any(|w| entry_covers(doc, w, n))),
        _ => false,
    };
    same_principal && lists(&broad.action, &narrow.action, action_covers) && resources
}

/// `broad` matches every action `narrow` matches: equal ignoring case, `*`, or a trailing-`*`
/// pattern of the same service whose literal start `narrow`'s name starts with.
fn action_covers(broad: &str, narrow: &str) -> bool {
    let (Ok(b), Ok(n)) = (ActionPattern::parse(broad), ActionPattern::parse(narrow)) else {
        return false;
    };
    match (b, n) {
        (ActionPattern::All, _) => true,
        (_, ActionPattern::All) => false,
        (
            ActionPattern::Named { service, name },
            ActionPattern::Named {
                service: narrow_service,
                name: narrow_name,
            },
        ) => {
            if !service.eq_ignore_ascii_case(narrow_service) {
                return false;
            }
            if name.eq_ignore_ascii_case(narrow_name) {
                return true;
            }
            name.strip_suffix('*').is_some_and(|head| {
                !head.contains(['*', '?'])
                    && narrow_name.len() >= head.len()
                    && narrow_name.as_bytes()[..head.len()].eq_ignore_ascii_case(head.as_bytes())
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::action_covers;

    #[test]
    fn action_coverage() {
        assert!(action_covers("*", "s3:GetObject"));
        assert!(action_covers("s3:*", "S3:GetObject"));
        assert!(action_covers("s3:Get*", "s3:getobject*"));
        assert!(action_covers("s3:GetObject", "s3:GETOBJECT"));
        assert!(!action_covers("s3:Get*", "s3:PutObject"));
        assert!(!action_covers("s3:*", "*"));
        assert!(!action_covers("s3:G?t*", "s3:GetObject"));
        assert!(!action_covers("s3:*", "s3x:GetObject"));
    }
}
