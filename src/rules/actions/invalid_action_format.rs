use super::{consequence, entries, resolution, Resolution};
use crate::engine::BadAction;
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM103",
        name: "invalid-action-format",
        severity: Severity::Error,
        summary:
            "An `Action`/`NotAction` entry that is not `service:name` or `*`, so it matches nothing",
        doc: r#"## What it does
Reports an `Action` or `NotAction` entry that is not `*` and not `service:name`: a comma or
whitespace inside the string, an empty service prefix or name, more than one colon, or a
wildcard in the service prefix.

## Why is this bad?
IAM does not split `"s3:GetObject,PutObject"` into two actions; it looks for one action with that
odd name, which does not exist. Such an entry matches nothing, so an Allow written that way grants
nothing and, worse, a Deny written that way denies nothing while looking like a guard rail.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Deny", "Action": "s3:DeleteObject,DeleteBucket", "Resource": "*"}
}
```

## Fix
Write one `service:Action` string per array item (`["s3:DeleteObject", "s3:DeleteBucket"]`),
without spaces, and name the service explicitly (wildcards are only allowed in the action name).
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for (statement, item, negated) in entries(doc) {
        let Resolution::Invalid(bad) = resolution(doc, item) else {
            continue;
        };
        let value = item.value;
        let (what, help) = describe(value, bad);
        out.emit(
            out.at(
                item.span,
                format!("`{value}` {what}{}", consequence(statement, negated)),
            )
            .help(help),
        );
    }
}

fn describe(value: &str, bad: BadAction) -> (&'static str, String) {
    match bad {
        BadAction::InvalidCharacter if value.contains(',') => (
            "is one action name containing a comma, which matches no action",
            match split_list(value) {
                Some(items) => format!("list each action as its own string: {items}"),
                None => "list each action as its own string in an array".to_string(),
            },
        ),
        BadAction::InvalidCharacter => {
            let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            (
                "contains whitespace and matches no action",
                format!("remove the whitespace: `{compact}`"),
            )
        }
        BadAction::NotServiceColonName if value.contains(':') => (
            "has more than one colon and matches no action",
            "an action is `service:Name` with exactly one colon".to_string(),
        ),
        BadAction::NotServiceColonName => (
            "is not of the form `service:Name` and matches no action",
            "prefix the action name with its service, as in `s3:GetObject`".to_string(),
        ),
        BadAction::EmptyService => (
            "has an empty service prefix and matches no action",
            "write the service prefix before the colon, as in `s3:GetObject`".to_string(),
        ),
        BadAction::EmptyName => (
            "has an empty action name and matches no action",
            "write the action name after the colon, or `*` for every action of the service"
                .to_string(),
        ),
        BadAction::WildcardInService => (
            "has a wildcard in the service prefix, which IAM does not allow, and matches no action",
            "name each service explicitly (`s3:Get*`, `ec2:Get*`); wildcards are only allowed in the action name".to_string(),
        ),
    }
}

/// `s3:GetObject, PutObject` → `"s3:GetObject", "s3:PutObject"`: later names without a prefix
/// take the first one's.
fn split_list(value: &str) -> Option<String> {
    let mut prefix = None;
    let mut items = Vec::new();
    for part in value.split(',') {
        let part: String = part.chars().filter(|c| !c.is_whitespace()).collect();
        if part.is_empty() {
            continue;
        }
        let item = match part.split_once(':') {
            Some((service, _)) => {
                prefix.get_or_insert_with(|| service.to_string());
                part
            }
            None => format!("{}:{part}", prefix.as_deref()?),
        };
        items.push(format!("\"{item}\""));
    }
    (items.len() > 1).then(|| items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::split_list;

    #[test]
    fn splits_a_comma_list_sharing_the_prefix() {
        assert_eq!(
            split_list("s3:GetObject, PutObject").as_deref(),
            Some("\"s3:GetObject\", \"s3:PutObject\"")
        );
        assert_eq!(
            split_list("s3:GetObject,ec2:Describe*").as_deref(),
            Some("\"s3:GetObject\", \"ec2:Describe*\"")
        );
        assert_eq!(split_list("GetObject,PutObject"), None);
        assert_eq!(split_list("s3:GetObject,"), None);
    }
}
