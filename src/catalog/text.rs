//! Case-insensitive name comparison and `${Var}` template matching. IAM compares action
//! names and condition key names without regard to ASCII case, and the generated tables
//! are sorted by the ASCII-lower-cased name, so every lookup goes through these.

use std::cmp::Ordering;

use crate::policy::placeholder::{pieces, Piece};

/// Orders like the generator's sort: byte-wise on the ASCII-lower-cased strings.
/// Every catalog lookup's binary search compares through this, so it is a plain loop rather
/// than `Iterator::cmp` over mapped bytes (half the instructions).
pub fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

pub(super) fn starts_with_ignore_case(text: &[u8], prefix: &[u8]) -> bool {
    text.len() >= prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn ends_with_ignore_case(text: &[u8], suffix: &[u8]) -> bool {
    text.len() >= suffix.len() && text[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

fn find_ignore_case(text: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    text.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// The literal parts of a template, split around each `${Var}`. A template with `n`
/// variables yields `n + 1` parts (possibly empty); an unclosed `${` is literal text.
struct LiteralParts<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for LiteralParts<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let var = placeholder(rest, "${", '}').or_else(|| placeholder(rest, "<", '>'));
        match var {
            Some((open, after)) => {
                self.rest = Some(&rest[after..]);
                Some(&rest[..open])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// The first `open…close` placeholder of `text`, as (start, just past the end).
fn placeholder(text: &str, open: &'static str, close: char) -> Option<(usize, usize)> {
    pieces(text, open, close).find_map(|piece| match piece {
        Piece::Placeholder { start, end, .. } => Some((start, end)),
        _ => None,
    })
}

/// Whether a key name has placeholders. The data writes most as `${TagKey}`, but S3's object
/// tag keys as `s3:ExistingObjectTag/<key>`; both stand for one or more characters.
pub(super) fn is_template(name: &str) -> bool {
    name.contains("${") || (name.contains('<') && name.contains('>'))
}

/// Whether `key` is an instance of `template`, each `${Var}` standing for one or more
/// characters (the `.+?` of the data's `conditionPatterns`). Leftmost matching of each
/// literal part is enough for this single-wildcard-kind language, so there is no
/// backtracking: the cost is bounded by `key.len()` times the longest literal part.
pub(super) fn matches_template(template: &str, key: &str) -> bool {
    // Lookups try every template in turn: the first byte, then the text before the first
    // placeholder, turn most away without splitting the template into parts.
    let first = |s: &str| s.as_bytes().first().map(u8::to_ascii_lowercase);
    if first(template) != first(key) && !template.starts_with(['$', '<']) {
        return false;
    }
    let head = template
        .bytes()
        .position(|b| b == b'$' || b == b'<')
        .unwrap_or(template.len());
    if !starts_with_ignore_case(key.as_bytes(), &template.as_bytes()[..head]) {
        return false;
    }
    let mut parts = LiteralParts {
        rest: Some(template),
    };
    let first = parts.next().unwrap_or("");
    let key = key.as_bytes();
    if !starts_with_ignore_case(key, first.as_bytes()) {
        return false;
    }
    let mut rest = &key[first.len()..];
    let Some(mut part) = parts.next() else {
        return rest.is_empty();
    };
    // Invariant: a variable precedes `part` and must take at least one byte of `rest`.
    loop {
        let part_bytes = part.as_bytes();
        match parts.next() {
            None => {
                return rest.len() > part_bytes.len() && ends_with_ignore_case(rest, part_bytes);
            }
            Some(next) => {
                let Some(at) = rest.get(1..).and_then(|r| find_ignore_case(r, part_bytes)) else {
                    return false;
                };
                rest = &rest[1 + at + part_bytes.len()..];
                part = next;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_ignores_ascii_case_and_orders_prefixes_first() {
        let words = ["", "a", "A", "ab", "aB", "a_", "b", "Z", "z1", "é", "É"];
        for a in words {
            for b in words {
                let lowered = a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase());
                assert_eq!(cmp_ignore_case(a, b), lowered, "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn template_matching() {
        let t = "kms:EncryptionContext:${EncryptionContextKey}";
        assert!(matches_template(
            t,
            "kms:EncryptionContext:aws:cloudtrail:arn"
        ));
        assert!(matches_template(t, "KMS:encryptioncontext:x"));
        assert!(!matches_template(t, "kms:EncryptionContext:"));
        assert!(!matches_template(t, "kms:EncryptionContextKeys"));
        let mid = "agent.${Domain}.buildkite.dev:cluster_id";
        assert!(matches_template(mid, "agent.acme.buildkite.dev:cluster_id"));
        assert!(!matches_template(mid, "agent..buildkite.dev:cluster_id"));
        assert!(!matches_template(mid, "agent.acme.buildkite.dev:cluster"));
        let two = "a${X}b${Y}c";
        assert!(matches_template(two, "a1b2c"));
        assert!(matches_template(two, "abbbc"));
        assert!(!matches_template(two, "abc"));
        assert!(matches_template("plain", "PLAIN"));
        assert!(!matches_template("plain", "plain2"));
        assert!(matches_template("open${x", "open${x"));
        assert!(!matches_template(t, ""));
        assert!(matches_template(t, "kms:EncryptionContext:é"));
        assert!(!matches_template("é${x}", "\u{e8}x"));
        assert!(is_template("s3:ExistingObjectTag/<key>"));
        assert!(matches_template(
            "s3:ExistingObjectTag/<key>",
            "s3:ExistingObjectTag/team"
        ));
        assert!(!matches_template(
            "s3:ExistingObjectTag/<key>",
            "s3:ExistingObjectTag/"
        ));
    }
}
