//! Resource (ARN) patterns. Case-sensitive; split on the first five colons; wildcards in the first
//! five parts stay inside their part, in the resource part they match anything.

use super::context::Context;
use super::tri::Tri;
use super::vars::{self, Expanded};
use crate::policy::glob::{self, Token};
use crate::policy::placeholder::{self, Piece};

/// The six parts of an ARN: `arn`, partition, service, region, account, resource.
pub const ARN_PARTS: usize = 6;

/// Splits on the first five colons; `None` for fewer than six parts.
pub fn split_arn(text: &str) -> Option<[&str; ARN_PARTS]> {
    let mut parts = text.splitn(ARN_PARTS, ':');
    let mut out = [""; ARN_PARTS];
    for slot in &mut out {
        *slot = parts.next()?;
    }
    Some(out)
}

/// The account part of an ARN, when it has one.
pub fn arn_account(text: &str) -> Option<&str> {
    split_arn(text).map(|p| p[4]).filter(|a| !a.is_empty())
}

/// Why a resource pattern's matches cannot be known statically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unprovable {
    /// Fewer than six colon-separated parts.
    NotPortable,
    WildcardInService,
    /// A policy variable whose key the context does not pin.
    VariableNotPinned,
    /// A policy variable without a value inside `NotResource`: AWS's documentation both says
    /// the statement then matches nothing and that the element is skipped.
    VariableWithoutValue,
    /// A value only known at deploy time (a template's `!Ref`, `${Param}`...).
    Placeholder,
}

/// A compiled `Resource` entry (or ARN condition value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArnPattern {
    /// `"*"`.
    Everything,
    /// The five bounded parts and the free resource part.
    Parts {
        bounded: [Vec<Token>; ARN_PARTS - 1],
        resource: Vec<Token>,
    },
    /// A pattern a template computes, its placeholders compiled as `*`: it can rule a resource
    /// out, never in.
    Computed {
        bounded: [Vec<Token>; ARN_PARTS - 1],
        resource: Vec<Token>,
    },
    /// A variable without a value: matches nothing.
    Nothing,
    Unknown(Unprovable),
}

impl ArnPattern {
    /// Compiles `text`, substituting variables from `context` when `variables` is on (Version
    /// 2012-10-17). Substitution happens before splitting, so `${aws:username}`'s colon is not a
    /// separator.
    pub fn compile(text: &str, variables: bool, context: &Context) -> ArnPattern {
        if text == "*" {
            return ArnPattern::Everything;
        }
        if crate::source::has_placeholder(text) {
            // A value that may hold colons before the resource part leaves unknown which part
            // each literal after it is in.
            if free_before_resource(text) {
                return ArnPattern::Unknown(Unprovable::Placeholder);
            }
            let widened = text.replace(crate::source::is_placeholder, "*");
            return match ArnPattern::compile(&widened, variables, context) {
                ArnPattern::Parts { bounded, resource } => {
                    ArnPattern::Computed { bounded, resource }
                }
                _ => ArnPattern::Unknown(Unprovable::Placeholder),
            };
        }
        let tokens = match vars::expand(text, variables, true, context) {
            Expanded::Tokens(tokens) => tokens,
            Expanded::Unresolved => return ArnPattern::Nothing,
            Expanded::Unknown => return ArnPattern::Unknown(Unprovable::VariableNotPinned),
        };
        match split_tokens(tokens) {
            Some((bounded, resource)) => {
                if bounded[2].iter().any(|t| !matches!(t, Token::Literal(_))) {
                    return ArnPattern::Unknown(Unprovable::WildcardInService);
                }
                ArnPattern::Parts { bounded, resource }
            }
            None => ArnPattern::Unknown(Unprovable::NotPortable),
        }
    }

    /// Does a concrete resource match? A value that is not an ARN matches only `"*"`.
    pub fn matches(&self, value: &str) -> Tri {
        match self {
            ArnPattern::Everything => Tri::True,
            ArnPattern::Nothing => Tri::False,
            ArnPattern::Unknown(_) => Tri::Unknown,
            ArnPattern::Computed { bounded, resource } => {
                let widened = ArnPattern::Parts {
                    bounded: bounded.clone(),
                    resource: resource.clone(),
                };
                match widened.matches(value) {
                    Tri::False => Tri::False,
                    _ => Tri::Unknown,
                }
            }
            ArnPattern::Parts { bounded, resource } if crate::source::has_placeholder(value) => {
                let Some(parts) = split_arn(value).filter(|_| !free_before_resource(value)) else {
                    return Tri::Unknown;
                };
                Tri::all(
                    bounded
                        .iter()
                        .zip(parts)
                        .chain([(resource, parts[5])])
                        .map(|(tokens, part)| matches_unknown(tokens, part)),
                )
            }
            ArnPattern::Parts { bounded, resource } => {
                let Some(parts) = split_arn(value) else {
                    return Tri::False;
                };
                let head = bounded
                    .iter()
                    .zip(parts)
                    .all(|(tokens, part)| glob::matches_tokens(tokens, part, false));
                Tri::from_bool(head && glob::matches_tokens(resource, parts[5], false))
            }
        }
    }
}

/// Whether a [`PLACEHOLDER`](crate::source::PLACEHOLDER), which may hold colons, is in the
/// first five parts of an ARN's text.
fn free_before_resource(text: &str) -> bool {
    text.splitn(ARN_PARTS, ':')
        .take(ARN_PARTS - 1)
        .any(|part| part.contains(crate::source::PLACEHOLDER))
}

/// One part of a value holding placeholders (a resource a template computes) against a pattern:
/// true only when every value the placeholders could stand for matches, false only when none
/// can. A `*` in such a value (a requirement's "any") is as unknown as a placeholder.
fn matches_unknown(tokens: &[Token], part: &str) -> Tri {
    let unknown = |c: char| c == '*' || crate::source::is_placeholder(c);
    if !part.contains(unknown) {
        return Tri::from_bool(glob::matches_tokens(tokens, part, false));
    }
    let literal = |t: &Token| match t {
        Token::Literal(c) => Some(*c),
        _ => None,
    };
    let pattern_head: String = tokens.iter().map_while(literal).collect();
    let pattern_tail: String = {
        let tail: Vec<char> = tokens.iter().rev().map_while(literal).collect();
        tail.into_iter().rev().collect()
    };
    let value_head = &part[..part.find(unknown).unwrap_or(part.len())];
    let value_tail = &part[part.rfind(unknown).map_or(0, |i| {
        i + part[i..].chars().next().map_or(0, char::len_utf8)
    })..];
    let compatible = |a: &str, b: &str| a.starts_with(b) || b.starts_with(a);
    let compatible_end = |a: &str, b: &str| a.ends_with(b) || b.ends_with(a);
    if !compatible(&pattern_head, value_head) || !compatible_end(&pattern_tail, value_tail) {
        return Tri::False;
    }
    // `head*tail` matches every value that starts with `head` and ends with `tail` in parts
    // that do not overlap.
    let one_run = tokens.iter().filter(|t| literal(t).is_none()).count() == 1
        && tokens.len() == pattern_head.chars().count() + pattern_tail.chars().count() + 1
        && tokens[pattern_head.chars().count()] == Token::AnyRun;
    if one_run && value_head.starts_with(&pattern_head) && value_tail.ends_with(&pattern_tail) {
        return Tri::True;
    }
    Tri::Unknown
}

pub(crate) fn split_tokens(
    tokens: Vec<Token>,
) -> Option<([Vec<Token>; ARN_PARTS - 1], Vec<Token>)> {
    let mut bounded: [Vec<Token>; ARN_PARTS - 1] = Default::default();
    let mut part = 0;
    let mut iter = tokens.into_iter();
    for token in iter.by_ref() {
        if token == Token::Literal(':') {
            part += 1;
            if part == ARN_PARTS - 1 {
                return Some((bounded, iter.collect()));
            }
        } else {
            bounded[part].push(token);
        }
    }
    None
}

/// Turns a catalog ARN template (`arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}`)
/// into a glob where each `${Var}` is "one or more characters" (`?*`).
pub fn template_to_glob(template: &str) -> String {
    placeholder::variables(template)
        .map(|piece| match piece {
            Piece::Text(text) | Piece::Unclosed { text, .. } => text,
            Piece::Placeholder { .. } => "?*",
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, value: &str) -> Tri {
        ArnPattern::compile(pattern, true, &Context::open()).matches(value)
    }

    #[test]
    fn a_computed_value_matches_only_what_every_reading_would() {
        let value = "arn:\u{FDD1}:logs:\u{FDD1}:\u{FDD1}:log-group:aws/cloudtrail/\u{FDD1}";
        // The leading slash rules it out whatever the placeholders are.
        assert_eq!(
            m(
                "arn:aws:logs:us-east-1:1:log-group:/aws/cloudtrail/*",
                value
            ),
            Tri::False
        );
        assert_eq!(
            m("arn:*:logs:*:*:log-group:aws/cloudtrail/*", value),
            Tri::True
        );
        // The region could be us-east-1 or not.
        assert_eq!(
            m("arn:aws:logs:us-east-1:1:log-group:aws/cloudtrail/*", value),
            Tri::Unknown
        );
        assert_eq!(
            m("arn:*:logs:*:*:log-group:aws/cloudtrail/abc", value),
            Tri::Unknown
        );
        assert_eq!(m("arn:*:logs:*:*:log-group:aws/x*", value), Tri::False);
        assert_eq!(
            m("arn:*:s3:*:*:log-group:aws/cloudtrail/*", value),
            Tri::False
        );
        let stream =
            "arn:\u{FDD1}:logs:\u{FDD1}:\u{FDD1}:log-group:aws/cloudtrail/\u{FDD1}:log-stream:*";
        assert_eq!(
            m("arn:*:logs:*:*:log-group:aws/cloudtrail/*", stream),
            Tri::True
        );
        assert_eq!(
            m(
                "arn:*:logs:*:*:log-group:aws/cloudtrail/*:log-stream:x",
                stream
            ),
            Tri::Unknown
        );
        assert_eq!(m("arn:*:logs:*:*:*", "\u{FDD0}"), Tri::Unknown);
        // A computed pattern rules out, never in.
        let computed = "arn:\u{FDD1}:logs:\u{FDD1}:\u{FDD1}:log-group:/aws/cloudtrail/*";
        assert_eq!(
            m(
                computed,
                "arn:aws:logs:us-east-1:1:log-group:aws/cloudtrail/x"
            ),
            Tri::False
        );
        assert_eq!(m(computed, value), Tri::False);
        assert_eq!(
            m(
                computed,
                "arn:aws:logs:us-east-1:1:log-group:/aws/cloudtrail/x"
            ),
            Tri::Unknown
        );
        assert_eq!(
            m("\u{FDD0}", "arn:aws:logs:us-east-1:1:log-group:x"),
            Tri::Unknown
        );
        // Whatever the account, such an ARN is not the resource `*`.
        assert_eq!(m("arn:aws:iam::\u{FDD1}:role/R", "*"), Tri::False);
        // A value that may hold colons (a parameter's) before the resource part: which part
        // follows it is unknown, in a pattern or in a request.
        let free = "arn:aws:logs:\u{FDD0}:log-group:/aws/cloudtrail/*";
        assert_eq!(
            m(free, "arn:aws:logs:us-east-1:1:log-group:aws/cloudtrail/x"),
            Tri::Unknown
        );
        assert_eq!(
            m(
                "arn:*:logs:*:*:log-group:y",
                "arn:aws:logs:\u{FDD0}:log-group:y"
            ),
            Tri::Unknown
        );
    }

    #[test]
    fn corner_cases_from_the_spec() {
        let p = "arn:aws:s3:::bucket/*/test/*";
        assert_eq!(m(p, "arn:aws:s3:::bucket/1/2/test/3/x.jpg"), Tri::True);
        assert_eq!(m(p, "arn:aws:s3:::bucket//test/x.jpg"), Tri::True);
        assert_eq!(m(p, "arn:aws:s3:::bucket/test/x.jpg"), Tri::False);
        let logs = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/*";
        assert_eq!(
            m(
                logs,
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/x:log-stream:y"
            ),
            Tri::True
        );
        assert_eq!(
            m(
                logs,
                "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/x"
            ),
            Tri::False
        );
    }

    #[test]
    fn wildcards_stay_inside_the_first_five_parts() {
        assert_eq!(
            m(
                "arn:aws:s3:*:111122223333:finance/*",
                "arn:aws:s3:us-east-2:999999999999:store/abc:111122223333:finance/x"
            ),
            Tri::False
        );
        assert_eq!(
            m(
                "arn:aws:logs:*:*:*",
                "arn:aws:logs:us-east-1:1:log-group:a:log-stream:b"
            ),
            Tri::True
        );
        assert_eq!(
            m("arn:aws:iam::*:role/x", "arn:aws:iam::123456789012:role/x"),
            Tri::True
        );
    }

    #[test]
    fn case_sensitive_and_star() {
        assert_eq!(m("arn:aws:s3:::Bucket", "arn:aws:s3:::bucket"), Tri::False);
        assert_eq!(m("*", "anything"), Tri::True);
        assert_eq!(
            m("arn:aws:s3:::b", "*"),
            Tri::False,
            "no-resource actions are evaluated against `*`"
        );
        assert_eq!(m("arn:aws:s3:::*", "*"), Tri::False);
    }

    #[test]
    fn unprovable_patterns() {
        assert_eq!(m("arn:aws:s3:bucket", "arn:aws:s3:bucket"), Tri::Unknown);
        assert_eq!(m("arn:aws:*:::b", "arn:aws:s3:::b"), Tri::Unknown);
        assert_eq!(
            m("arn:aws:s3:::home/${aws:username}", "arn:aws:s3:::home/bob"),
            Tri::Unknown
        );
        let ctx = Context::open().with("aws:username", "bob");
        assert_eq!(
            ArnPattern::compile("arn:aws:s3:::home/${aws:username}", true, &ctx)
                .matches("arn:aws:s3:::home/bob"),
            Tri::True
        );
        assert_eq!(
            ArnPattern::compile("arn:aws:s3:::home/${aws:username}", false, &ctx)
                .matches("arn:aws:s3:::home/bob"),
            Tri::False
        );
        assert_eq!(
            ArnPattern::compile(
                "arn:aws:s3:::home/${aws:username}",
                true,
                &Context::closed()
            )
            .matches("arn:aws:s3:::home/"),
            Tri::False
        );
    }

    #[test]
    fn templates() {
        assert_eq!(
            template_to_glob(
                "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}"
            ),
            "arn:?*:logs:?*:?*:log-group:?*"
        );
    }
}
