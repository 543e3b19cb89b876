use std::cmp::Ordering;

use crate::catalog::cmp_ignore_case;
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

fn check(doc: &Document, out: &mut Findings) {
    for statement in doc.statements() {
        let Some((list, _)) = statement.actions() else {
            continue;
        };
        if list.items.len() < 2 {
            continue;
        }
        let parsed: Vec<(usize, ActionPattern)> = list
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| Some((i, ActionPattern::parse(item.value).ok()?)))
            .collect();
        let first = first_spellings(&list.items, &parsed);
        let star = parsed
            .iter()
            .find(|(_, pattern)| *pattern == ActionPattern::All)
            .map(|&(i, _)| i);
        let prefixes = Prefixes::new(&parsed);
        for &(i, pattern) in &parsed {
            let duplicate = first[i].filter(|&j| j != i);
            let covering = duplicate.or_else(|| match pattern {
                ActionPattern::All => None,
                ActionPattern::Named { service, name } => {
                    star.or_else(|| prefixes.covering(service, name, i))
                }
            });
            let Some(j) = covering else { continue };
            report_redundant_entry(doc, out, &list.items, i, j, duplicate.is_some());
        }
    }
}

/// Reports entry `i` of a statement's list as redundant next to entry `j`, which repeats it
/// (`duplicate`) or covers it, with the fix that removes it.
pub(crate) fn report_redundant_entry(
    doc: &Document,
    out: &mut Findings,
    items: &[Text],
    i: usize,
    j: usize,
    duplicate: bool,
) {
    let (item, other) = (items[i], items[j]);
    let (message, label) = if duplicate {
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
    if let Some(edit) = removal(doc.text, items, i) {
        diagnostic = diagnostic.fix("remove the redundant entry", vec![edit]);
    }
    out.emit(diagnostic);
}

/// For each parsed entry, the first entry spelt the same ignoring case. Sorting (stable, so
/// equal spellings keep list order) finds them in `n log n` without allocating a key each.
fn first_spellings(items: &[Text], parsed: &[(usize, ActionPattern)]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = parsed.iter().map(|&(i, _)| i).collect();
    order.sort_by(|&a, &b| cmp_ignore_case(items[a].value, items[b].value));
    let mut first = vec![None; items.len()];
    for same in order.chunk_by(|&a, &b| items[a].value.eq_ignore_ascii_case(items[b].value)) {
        for &i in same {
            first[i] = Some(same[0]);
        }
    }
    first
}

/// The trailing-`*` patterns (`s3:Get*`, `s3:*`) as (service, literal prefix, index), sorted
/// ignoring case and then by index, so the first of equal patterns comes first.
struct Prefixes<'a>(Vec<(&'a str, &'a str, usize)>);

impl<'a> Prefixes<'a> {
    fn new(parsed: &[(usize, ActionPattern<'a>)]) -> Self {
        let mut prefixes: Vec<_> = parsed
            .iter()
            .filter_map(|&(i, pattern)| match pattern {
                ActionPattern::Named { service, name } => name
                    .strip_suffix('*')
                    .filter(|literal| !literal.contains(['*', '?']))
                    .map(|literal| (service, literal, i)),
                ActionPattern::All => None,
            })
            .collect();
        prefixes.sort_by(|a, b| Self::order(a, (b.0, b.1)).then(a.2.cmp(&b.2)));
        Prefixes(prefixes)
    }

    fn order(entry: &(&str, &str, usize), (service, literal): (&str, &str)) -> Ordering {
        cmp_ignore_case(entry.0, service).then_with(|| cmp_ignore_case(entry.1, literal))
    }

    /// A pattern other than `own` whose prefix starts the literal head of `name`, so that it
    /// matches everything `name` matches: the shortest such prefix, and of equal ones only the
    /// first (the others are its duplicates).
    fn covering(&self, service: &str, name: &str, own: usize) -> Option<usize> {
        let of_service = {
            let from = self
                .0
                .partition_point(|e| cmp_ignore_case(e.0, service).is_lt());
            let rest = &self.0[from..];
            &rest[..rest.partition_point(|e| e.0.eq_ignore_ascii_case(service))]
        };
        if of_service.is_empty() {
            return None;
        }
        let head = &name[..name.find(['*', '?']).unwrap_or(name.len())];
        if of_service.len() <= 8 {
            covering_by_scan(of_service, head, own)
        } else {
            covering_by_search(of_service, head, own)
        }
    }
}

/// In sorted order a shorter prefix comes before a longer one, and the first of equal
/// patterns before the others: the first entry that is a prefix of `head` is the answer.
fn covering_by_scan(of_service: &[(&str, &str, usize)], head: &str, own: usize) -> Option<usize> {
    let starts_head = |literal: &str| {
        head.as_bytes()
            .get(..literal.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(literal.as_bytes()))
    };
    of_service.iter().enumerate().find_map(|(k, e)| {
        let first_of_equal = k == 0 || !of_service[k - 1].1.eq_ignore_ascii_case(e.1);
        (starts_head(e.1) && first_of_equal && e.2 != own).then_some(e.2)
    })
}

/// The same answer for many patterns of one service: one binary search per prefix of `head`
/// keeps a long list `n log n` rather than quadratic.
fn covering_by_search(of_service: &[(&str, &str, usize)], head: &str, own: usize) -> Option<usize> {
    head.char_indices()
        .map(|(at, _)| at)
        .chain([head.len()])
        .find_map(|at| {
            let literal = &head[..at];
            let from = of_service.partition_point(|e| cmp_ignore_case(e.1, literal).is_lt());
            of_service
                .get(from)
                .filter(|e| e.1.eq_ignore_ascii_case(literal) && e.2 != own)
                .map(|e| e.2)
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan serves short per-service lists and the binary searches long ones: both must
    /// give the same answer, own entry and duplicates included.
    #[test]
    fn scan_and_search_agree() {
        let entries = [
            "ec2:Describe*",
            "ec2:*",
            "EC2:describe*",
            "ec2:DescribeI*",
            "ec2:G*",
            "ec2:Get*",
            "ec2:DescribeInstances*",
            "ec2:D*",
            "ec2:Describe*",
            "ec2:Z*",
        ];
        let parsed: Vec<_> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (i, ActionPattern::parse(e).unwrap()))
            .collect();
        let prefixes = Prefixes::new(&parsed);
        assert!(prefixes.0.len() > 8, "exercises the search");
        let heads = [
            "DescribeInstances",
            "describe",
            "GetObject",
            "Other",
            "",
            "D",
        ];
        for head in heads {
            for own in 0..=entries.len() {
                let scan = covering_by_scan(&prefixes.0, head, own);
                let search = covering_by_search(&prefixes.0, head, own);
                assert_eq!(scan, search, "{head:?}, own {own}");
            }
        }
        // The shortest prefix wins; of equal ones only the first; never the entry itself.
        assert_eq!(
            covering_by_scan(&prefixes.0, "DescribeInstances", 0),
            Some(1)
        );
        let without_star = &prefixes.0[1..];
        assert_eq!(covering_by_scan(without_star, "Describe", 0), Some(7));
        assert_eq!(
            covering_by_scan(without_star, "Get", 4),
            Some(5),
            "the next longer one"
        );
    }
}
