use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM026",
        name: "placeholder-value",
        severity: Severity::Suggestion,
        summary: "A template placeholder (`{{account-id}}`, `<ACCOUNT_ID>`, `[REGION]`, `${AccountId}`) in place of a value",
        doc: r#"## What it does
Reports an action, resource, principal, condition key or condition value holding a template
placeholder rather than a real value: `{{account-id}}`, `{example-region}`, `<ACCOUNT_ID>`, `[REGION]`, or a `${AccountId}`-style variable
that is not an IAM policy variable (IAM's have a `prefix:` such as `${aws:username}`; `${*}`,
`${?}` and `${$}` are IAM's escapes). It is one suggestion per value, and no other rule reports
on that value: it cannot be judged until the placeholder is filled in.

## Why is this bad?
Example repositories and templates publish policies this way, to be filled in before use. A
placeholder left in a deployed policy is an invalid ARN or principal (AWS rejects the policy)
or, in a condition, a value that never matches.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::{{bucket-name}}/*"}}
```

## Fix
Fill in the value, or let the tool that renders the template (CloudFormation's `Fn::Sub`,
Terraform, a script) do it and check its output.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for (span, value, (start, end)) in sites(doc) {
        out.emit(
            out.at(
                span,
                format!(
                    "`{}` is a template placeholder, not a value",
                    &value[start..end]
                ),
            )
            .help("fill it in before use; iamlint checks nothing else in this value until then"),
        );
    }
}

/// Every action, resource, principal, condition key and condition value holding a placeholder, with the value's span
/// (quotes included) and the placeholder's byte range in it. The checker keeps every other
/// rule's findings off these spans.
pub(crate) fn sites<'a>(doc: &Document<'a>) -> Vec<(Span, &'a str, (usize, usize))> {
    let mut found = Vec::new();
    let mut visit = |span: Span, value: &'a str| {
        if let Some(range) = find(value) {
            found.push((span, value, range));
        }
    };
    for statement in doc.statements() {
        let lists = [
            &statement.action,
            &statement.not_action,
            &statement.resource,
            &statement.not_resource,
        ];
        for list in lists.into_iter().flatten() {
            for item in &list.items {
                visit(item.span, item.value);
            }
        }
        for principal in [&statement.principal, &statement.not_principal]
            .into_iter()
            .flatten()
        {
            for value in principal.entries.iter().flat_map(|e| &e.values) {
                visit(value.span, value.value);
            }
        }
        for entry in statement
            .condition
            .iter()
            .flat_map(|c| &c.blocks)
            .flat_map(|b| &b.entries)
        {
            visit(entry.key.span, entry.key.value);
            for value in &entry.values {
                visit(value.span, value.text);
            }
        }
    }
    found
}

/// The byte range of the first placeholder in `value`: `{{...}}`, `{NAME}`, `<NAME>`, `[NAME]`, or
/// `${Name}` / `${AWS::AccountId}` (a name without IAM's single `prefix:`).
pub(crate) fn find(value: &str) -> Option<(usize, usize)> {
    let name = |s: &str| {
        !s.is_empty()
            && s.chars().any(|c| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    for (at, c) in value.char_indices() {
        let rest = &value[at..];
        let enclosed = |open: &str, close: &str| -> Option<usize> {
            let inner = rest.strip_prefix(open)?;
            let end = inner.find(close)?;
            Some(open.len() + end + close.len())
        };
        let length = match c {
            '{' => enclosed("{{", "}}")
                .filter(|&n| n > 4)
                .or_else(|| enclosed("{", "}").filter(|&n| name(&rest[1..n - 1]))),
            '<' => enclosed("<", ">").filter(|&n| name(&rest[1..n - 1])),
            '[' => enclosed("[", "]").filter(|&n| name(&rest[1..n - 1])),
            '$' => enclosed("${", "}").filter(|&n| {
                let body = &rest[2..n - 1];
                let iam_key = body.matches(':').count() == 1 && !body.contains("::");
                !iam_key && (name(body) || body.contains("::"))
            }),
            _ => None,
        };
        if let Some(length) = length {
            return Some((at, at + length));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn placeholders_and_not() {
        fn placeholder(v: &str) -> Option<&str> {
            find(v).map(|(s, e)| &v[s..e])
        }
        assert_eq!(
            placeholder("arn:aws:iam::{{account-id}}:root"),
            Some("{{account-id}}")
        );
        // AWS's own SCP examples: `"aws:RequestedRegion": ["{example-region-1}"]`.
        assert_eq!(
            placeholder("{example-region-1}"),
            Some("{example-region-1}")
        );
        assert_eq!(
            placeholder("arn:aws:iam::<ACCOUNT_ID>:root"),
            Some("<ACCOUNT_ID>")
        );
        assert_eq!(
            placeholder("arn:aws:sqs:[REGION]:111122223333:q"),
            Some("[REGION]")
        );
        assert_eq!(
            placeholder("arn:aws:s3:::${BucketName}/*"),
            Some("${BucketName}")
        );
        assert_eq!(
            placeholder("arn:aws:iam::${AWS::AccountId}:root"),
            Some("${AWS::AccountId}")
        );
        for value in [
            "arn:aws:s3:::home/${aws:username}/*",
            "arn:aws:s3:::x/${*}",
            "arn:aws:s3:::x/${aws:PrincipalTag/team, 'none'}",
            "${}",
            "a < b > c",
            "[]",
            "{{}}",
            "{}",
            "{\"a\": 1}",
            "arn:aws:s3:::bucket/*",
            "o-a1b2c3d4e5",
            "😀 <é> [ü]",
        ] {
            assert_eq!(placeholder(value), None, "{value}");
        }
    }
}
