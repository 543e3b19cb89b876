use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM022",
        name: "misplaced-action-wildcard",
        severity: Severity::Error,
        summary: "In an SCP or RCP, an action wildcard that is not at the end of the name",
        doc: r#"## What it does
Reports, in a service control policy (SCP) or a resource control policy (RCP), an action whose
wildcard is anywhere but at the end: `iam:*Role`, `s3:Get*Acl`, `ec2:?escribe*`.

## Why is this bad?
AWS Organizations accepts a `*` only as the last character of an action in SCPs and RCPs
(`SCP_SYNTAX_ERROR_ACTION_WILDCARD`); it refuses to save the policy. Identity policies allow
wildcards anywhere, so a statement copied from one often breaks here.

## Example
An SCP (declared with `--kind scp`):
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "iam:*AccessKey*", "Resource": "*"}}
```

## Fix
List the actions (`iam:CreateAccessKey`, `iam:UpdateAccessKey`), or end the name with the
wildcard (`iam:CreateAccess*`) where that does not widen the statement.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    if !matches!(doc.kind, Kind::Scp | Kind::Rcp) {
        return;
    }
    for statement in doc.statements() {
        let Some((list, _)) = statement.actions() else {
            continue;
        };
        for action in &list.items {
            let Some(at) = misplaced(action.value) else {
                continue;
            };
            out.emit(
                out.at(
                    action.span,
                    format!(
                        "`{}` has a wildcard at character {}: {} allows one only at the end of an action",
                        action.value,
                        at + 1,
                        doc.kind.describe()
                    ),
                )
                .help(doc.with_kind_note(
                    "list the actions, or end the name with `*` where that does not widen the statement",
                )),
            );
        }
    }
}

/// The character offset of the first wildcard that is not a final `*`.
fn misplaced(action: &str) -> Option<usize> {
    let last = action.chars().count().checked_sub(1)?;
    action
        .chars()
        .enumerate()
        .find(|&(i, c)| c == '?' || (c == '*' && i != last))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::misplaced;

    #[test]
    fn only_a_final_star_is_allowed() {
        assert_eq!(misplaced("*"), None);
        assert_eq!(misplaced("s3:Get*"), None);
        assert_eq!(misplaced("s3:*"), None);
        assert_eq!(misplaced("iam:*Role"), Some(4));
        assert_eq!(misplaced("ec2:?escribe"), Some(4));
        assert_eq!(misplaced("*:Get*"), Some(0));
        assert_eq!(misplaced(""), None);
    }
}
