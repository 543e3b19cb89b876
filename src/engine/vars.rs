//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, and the escapes
//! `${*}`, `${?}`, `${$}`. Only substituted under Version 2012-10-17; elsewhere they are text.

use super::context::{Context, Lookup};
use crate::policy::glob::Token;
use crate::policy::placeholder::{self, Piece};

/// A pattern after variable substitution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expanded {
    Tokens(Vec<Token>),
    /// A variable has no value (and no default): the pattern matches nothing.
    Unresolved,
    /// A variable's key is not pinned by the context: the outcome is unknown.
    Unknown,
}

/// Expands `text` into glob tokens. With `wildcards`, `*` and `?` outside variables are
/// wildcards; without, everything is literal (`StringEquals`). Substituted values are always
/// literal: a user name containing `*` must not become a wildcard.
pub fn expand(text: &str, variables: bool, wildcards: bool, context: &Context) -> Expanded {
    let mut tokens = Vec::with_capacity(text.len());
    let plain = |tokens: &mut Vec<Token>, text: &str| {
        tokens.extend(text.chars().map(|c| plain_token(c, wildcards)));
    };
    if !variables {
        plain(&mut tokens, text);
        return Expanded::Tokens(tokens);
    }
    let mut unknown = false;
    for piece in placeholder::variables(text) {
        match piece {
            // An unterminated `${` is text (the structural rules flag it).
            Piece::Text(text) | Piece::Unclosed { text, .. } => plain(&mut tokens, text),
            Piece::Placeholder { body, .. } => match resolve(body, context) {
                Resolved::Text(value) => tokens.extend(value.chars().map(Token::Literal)),
                Resolved::Unresolved => return Expanded::Unresolved,
                Resolved::Unknown => unknown = true,
            },
        }
    }
    if unknown {
        Expanded::Unknown
    } else {
        Expanded::Tokens(tokens)
    }
}

/// Whether `text` contains something that would be substituted.
pub fn has_variable(text: &str) -> bool {
    text.contains("${")
}

/// What is wrong with a `${...}` as written; IAM rejects the policy for each of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariableProblem {
    /// `${aws:username` with no closing brace.
    MissingBrace,
    /// `${}` (or only a default).
    Empty,
    /// Whitespace in the key: `${aws: username}`.
    SpaceInKey,
    /// A default not wrapped in single quotes: `${aws:PrincipalTag/team, none}`.
    UnquotedDefault,
}

/// One `${...}` in a string: byte offsets of `${` and just past its `}` (or the end of the
/// text when the brace is missing), and what is wrong with it, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variable<'a> {
    pub start: usize,
    pub end: usize,
    /// The text between the braces.
    pub body: &'a str,
    pub problem: Option<VariableProblem>,
}

impl Variable<'_> {
    /// `${*}`, `${?}` and `${$}`: the literal characters, not a key lookup.
    pub fn is_escape(&self) -> bool {
        matches!(self.body, "*" | "?" | "$")
    }

    /// The key looked up (without the default), as [`expand`] reads it.
    pub fn key(&self) -> &str {
        self.body
            .split_once(',')
            .map_or(self.body, |(k, _)| k)
            .trim()
    }
}

/// Every `${...}` in `text`, scanned the way [`expand`] substitutes them (a `${` opens, the
/// first `}` closes), so that what a rule reports is what evaluation would do.
pub fn variables(text: &str) -> impl Iterator<Item = Variable<'_>> {
    placeholder::variables(text).filter_map(|piece| match piece {
        Piece::Text(_) => None,
        Piece::Placeholder { body, start, end } => Some(Variable {
            start,
            end,
            body,
            problem: body_problem(body),
        }),
        Piece::Unclosed { text, start } => Some(Variable {
            start,
            end: start + text.len(),
            body: &text[2..],
            problem: Some(VariableProblem::MissingBrace),
        }),
    })
}

fn body_problem(body: &str) -> Option<VariableProblem> {
    if matches!(body, "*" | "?" | "$") {
        return None;
    }
    let (key, default) = match body.split_once(',') {
        Some((key, default)) => (key, Some(default)),
        None => (body, None),
    };
    if key.trim().is_empty() {
        Some(VariableProblem::Empty)
    } else if key.chars().any(char::is_whitespace) {
        Some(VariableProblem::SpaceInKey)
    } else if default.is_some_and(|d| parse_default(d).is_none()) {
        Some(VariableProblem::UnquotedDefault)
    } else {
        None
    }
}

fn plain_token(c: char, wildcards: bool) -> Token {
    match c {
        '*' if wildcards => Token::AnyRun,
        '?' if wildcards => Token::AnyChar,
        c => Token::Literal(c),
    }
}

enum Resolved {
    Text(String),
    Unresolved,
    Unknown,
}

fn resolve(body: &str, context: &Context) -> Resolved {
    match body {
        "*" | "?" | "$" => return Resolved::Text(body.to_string()),
        _ => {}
    }
    let (key, default) = match body.split_once(',') {
        Some((key, default)) => (key.trim(), parse_default(default)),
        None => (body.trim(), None),
    };
    match context.lookup(key) {
        Lookup::Values {
            values: [value],
            multi: false,
        } => Resolved::Text(value.clone()),
        // Multivalued keys cannot be variables; what AWS does with one is not documented.
        Lookup::Values { .. } => Resolved::Unknown,
        Lookup::Absent => match default {
            Some(default) => Resolved::Text(default.to_string()),
            None => Resolved::Unresolved,
        },
        Lookup::NotPinned => Resolved::Unknown,
    }
}

/// `'company-wide'` → `company-wide`; anything not single-quoted is not a default.
fn parse_default(text: &str) -> Option<&str> {
    text.trim().strip_prefix('\'')?.strip_suffix('\'')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::glob::{literal, matches_tokens};

    fn expand_ok(text: &str, ctx: &Context) -> Vec<Token> {
        match expand(text, true, true, ctx) {
            Expanded::Tokens(t) => t,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn scans_variables_and_their_problems() {
        let found: Vec<_> = variables("a${aws:username}b${*}${aws:PrincipalTag/t, 'x'}")
            .map(|v| (v.start, v.end, v.body, v.problem))
            .collect();
        assert_eq!(
            found,
            [
                (1, 16, "aws:username", None),
                (17, 21, "*", None),
                (21, 47, "aws:PrincipalTag/t, 'x'", None),
            ]
        );
        let problem = |t: &str| variables(t).next().and_then(|v| v.problem);
        assert_eq!(
            problem("x${aws:username"),
            Some(VariableProblem::MissingBrace)
        );
        assert_eq!(problem("${}"), Some(VariableProblem::Empty));
        assert_eq!(problem("${ , 'x'}"), Some(VariableProblem::Empty));
        assert_eq!(
            problem("${aws: username}"),
            Some(VariableProblem::SpaceInKey)
        );
        assert_eq!(
            problem("${aws:x, none}"),
            Some(VariableProblem::UnquotedDefault)
        );
        assert_eq!(problem("${aws:x, 'none'}"), None);
        assert_eq!(problem("${?}${$}"), None);
        assert_eq!(variables("no variables $ { }").count(), 0);
        let v = variables("${aws:PrincipalTag/t, 'x'}").next().unwrap();
        assert_eq!(v.key(), "aws:PrincipalTag/t");
        assert!(variables("${$}").next().unwrap().is_escape());
    }

    #[test]
    fn substitutes_escapes_and_defaults() {
        let ctx = Context::open()
            .with("aws:username", "al*ce")
            .with_absent("aws:PrincipalTag/team");
        let t = expand_ok("home/${aws:username}/*", &ctx);
        assert!(matches_tokens(&t, "home/al*ce/x", false));
        assert!(
            !matches_tokens(&t, "home/alXce/x", false),
            "a substituted * is literal"
        );
        assert_eq!(expand_ok("${*}${?}${$}", &ctx), literal("*?$"));
        assert_eq!(
            expand_ok("t/${aws:PrincipalTag/team, 'all'}", &ctx),
            literal("t/all")
        );
        assert_eq!(
            expand("t/${aws:PrincipalTag/team}", true, true, &ctx),
            Expanded::Unresolved
        );
        assert_eq!(
            expand("t/${aws:userid}", true, true, &ctx),
            Expanded::Unknown
        );
        assert_eq!(
            expand("t/${aws:userid}", true, true, &Context::closed()),
            Expanded::Unresolved
        );
        assert_eq!(
            expand("t/${aws:userid}", false, false, &ctx),
            Expanded::Tokens(literal("t/${aws:userid}"))
        );
        assert_eq!(
            expand("AWS:USERNAME=${AWS:USERNAME}", true, false, &ctx),
            Expanded::Tokens(literal("AWS:USERNAME=al*ce"))
        );
    }
}
