use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM020",
        name: "policy-too-large",
        severity: Severity::Warning,
        summary: "The policy exceeds AWS's size quota for its kind",
        doc: r#"## What it does
Reports a policy over AWS's size quota: 6,144 characters for a managed identity policy and 2,048
for a role trust policy (the default quota), both counted without whitespace outside strings,
and 32,768 bytes for a KMS key policy.

## Why is this bad?
AWS refuses to save the policy (`LimitExceeded`), usually in the middle of a deploy. It is a
warning, not an error, because the quota depends on how the policy is used: inline policies share
an aggregate quota per user (2,048), group (5,120) or role (10,240), trust policy quotas can be
raised, and AWS managed policies are not bound by the customer quota at all.

## Example
A managed policy listing hundreds of individual actions.

## Fix
Use wildcards where they do not widen the grant (`s3:Get*`), merge statements with the same
resources, or split the permissions into several managed policies.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    // Inside a template the text is YAML or a string with intrinsics: not what IAM will measure.
    if doc.policy.is_none() || doc.embedded.is_some() {
        return;
    }
    let (size, limit, unit) = match doc.kind {
        Kind::Identity => (
            non_whitespace_chars(doc.text),
            6_144,
            "characters without whitespace",
        ),
        Kind::Trust => (
            non_whitespace_chars(doc.text),
            2_048,
            "characters without whitespace",
        ),
        Kind::Key => (doc.text.len(), 32_768, "bytes"),
        Kind::Resource => return,
    };
    if size > limit {
        out.emit(
            out.at(doc.start(), format!("{} is {size} {unit}, over AWS's limit of {limit}", doc.kind.describe()))
                .help(doc.with_kind_note("shorten it: use wildcards that do not widen the grant, merge statements, or split it into several policies")),
        );
    }
}

/// IAM counts the policy's characters without the whitespace between tokens. This runs over
/// every byte of every file, so it jumps from quote to quote with `memchr` and counts each
/// stretch between strings in one (vectorised) pass.
fn non_whitespace_chars(text: &str) -> usize {
    let bytes = text.as_bytes();
    let whitespace = |from: usize, to: usize| {
        bytes[from..to]
            .iter()
            .map(|b| usize::from(b.is_ascii_whitespace()))
            .sum::<usize>()
    };
    let (mut outside, mut from, mut in_string) = (0, 0, false);
    for quote in memchr::memchr_iter(b'"', bytes) {
        if !in_string {
            outside += whitespace(from, quote);
            in_string = true;
        } else if !escaped(bytes, quote) {
            in_string = false;
            from = quote + 1;
        }
    }
    if !in_string {
        outside += whitespace(from, bytes.len());
    }
    text.chars().count() - outside
}

/// Whether the quote at `at` is escaped: an odd number of backslashes comes before it.
fn escaped(bytes: &[u8], at: usize) -> bool {
    let backslashes = bytes[..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    backslashes % 2 == 1
}

#[cfg(test)]
mod tests {
    #[test]
    fn whitespace_inside_strings_counts() {
        assert_eq!(super::non_whitespace_chars("{ \"a b\" : 1 }"), 9);
        assert_eq!(super::non_whitespace_chars("\"a\\\" b\""), 7);
        assert_eq!(super::non_whitespace_chars("[\"a\\\\\", \"é\" ]"), 11);
        assert_eq!(super::non_whitespace_chars("\"unterminated \\"), 15);
    }
}
