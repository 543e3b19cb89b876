use std::collections::HashMap;

use crate::engine::ActionPattern;
use crate::rules::prelude::*;
use crate::rules::Edit;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM105",
        name: "redundant-action",
        severity: Severity::Suggestion,
        summary:
            "An action already covered by another pattern (or listed twice) in the same statement",
        doc: r#"## What it does
Reports an `Action` or `NotAction` entry that another entry of the same statement already
covers: an exact duplicate (ignoring case), anything next to `*`, or an action or pattern that a
trailing-wildcard pattern of the same service includes (`s3:GetObject` next to `s3:Get*`).

## Why is this bad?
The entry changes nothing, but it makes the policy longer (policies have a size quota) and
suggests to a reader that the list is narrower than it is: whoever sees `s3:GetObject` may not
notice that `s3:Get*` grants every other `Get` action too.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "*"}
}
```

## Fix
Remove the redundant entry (`iamlint check --fix` can do it), or narrow the covering pattern if
it grants more than intended.
"#,
        pack: None,
    },
    check,
};

/// The first trailing-`*` pattern (`s3:Get*`, `s3:*`) by lower-cased service, then lower-cased
/// literal prefix.
type Prefixes = HashMap<String, HashMap<String, usize>>;

fn check(doc: &Document, out: &mut Findings) {
    for statement in doc.statements() {
        let Some((list, _)) = statement.actions() else {
            continue;
        };
        if list.items.len() < 2 {
            continue;
        }
        let parsed: Vec<Option<ActionPattern>> = list
            .items
            .iter()
            .map(|item| ActionPattern::parse(item.value).ok())
            .collect();
        let mut first: HashMap<String, usize> = HashMap::new();
        let mut star = None;
        let mut prefixes = Prefixes::new();
        for (i, (item, pattern)) in list.items.iter().zip(&parsed).enumerate() {
            let Some(pattern) = pattern else { continue };
            first.entry(item.value.to_ascii_lowercase()).or_insert(i);
            match *pattern {
                ActionPattern::All => {
                    star.get_or_insert(i);
                }
                ActionPattern::Named { service, name } => {
                    if let Some(literal) = name.strip_suffix('*') {
                        if !literal.contains(['*', '?']) {
                            prefixes
                                .entry(service.to_ascii_lowercase())
                                .or_default()
                                .entry(literal.to_ascii_lowercase())
                                .or_insert(i);
                        }
                    }
                }
            }
        }
        for (i, (item, pattern)) in list.items.iter().zip(&parsed).enumerate() {
            let Some(pattern) = pattern else { continue };
            let duplicate = first
                .get(&item.value.to_ascii_lowercase())
                .copied()
                .filter(|&j| j != i);
            let covering = duplicate.or_else(|| match *pattern {
                ActionPattern::All => None,
                ActionPattern::Named { service, name } => {
                    star.or_else(|| covering_prefix(&prefixes, service, name, i))
                }
            });
            let Some(j) = covering else { continue };
            let other = list.items[j];
            let (message, label) = if duplicate.is_some() {
                (
                    format!("`{}` is listed twice in this statement", item.value),
                    "first listed here",
                )
            } else {
                (
                    format!(
                        "`{}` is already covered by `{}` in this statement",
                        item.value, other.value
                    ),
                    "covered by this pattern",
                )
            };
            let mut diagnostic = out
                .at(item.span, message)
                .help("remove it; the statement means exactly the same without it")
                .related(out.file(), other.span, label);
            if let Some(edit) = removal(doc.text, &list.items, i) {
                diagnostic = diagnostic.fix("remove the redundant entry", vec![edit]);
            }
            out.emit(diagnostic);
        }
    }
}

/// A `service:prefix*` entry other than `own` whose prefix starts the literal head of `name`,
/// so that it matches everything `name` matches. Looking up each prefix of the head keeps this
/// linear in the list length.
fn covering_prefix(prefixes: &Prefixes, service: &str, name: &str, own: usize) -> Option<usize> {
    let head = &name[..name.find(['*', '?']).unwrap_or(name.len())];
    let of_service = prefixes.get(&service.to_ascii_lowercase())?;
    let lower = head.to_ascii_lowercase();
    lower
        .char_indices()
        .map(|(at, _)| at)
        .chain([lower.len()])
        .find_map(|at| of_service.get(&lower[..at]).copied().filter(|&j| j != own))
}

/// Deletes array item `i` with the comma that separates it from its neighbour, when the text
/// between them is only that comma and whitespace (so nothing else is removed with it).
fn removal(text: &str, items: &[Text], i: usize) -> Option<Edit> {
    let between = |a: &Text, b: &Text| text.get(a.span.end as usize..b.span.start as usize);
    let span = if let Some(next) = items.get(i + 1) {
        (between(&items[i], next)?.trim() == ",")
            .then(|| Span::new(items[i].span.start, next.span.start))?
    } else {
        let previous = items.get(i.checked_sub(1)?)?;
        (between(previous, &items[i])?.trim() == ",")
            .then(|| Span::new(previous.span.end, items[i].span.end))?
    };
    Some(Edit {
        span,
        replacement: String::new(),
    })
}
