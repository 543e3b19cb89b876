//! Action-name wildcards over the catalog's tables: the policy language's matcher (`*`, `?`,
//! ignoring ASCII case), with two prefilters that make scanning a service's sorted action names
//! cheap: the literal prefix every match starts with, and the shortest name that can match.

use crate::policy::glob::{self, Token};

/// A pattern prepared once and matched against many names.
pub(super) struct Glob {
    tokens: Vec<Token>,
    /// A name with fewer characters cannot match: every token but `*` consumes one.
    min_len: usize,
}

impl Glob {
    pub(super) fn new(pattern: &str) -> Glob {
        let tokens = glob::compile(pattern);
        let min_len = tokens.iter().filter(|t| **t != Token::AnyRun).count();
        Glob { tokens, min_len }
    }

    /// The bytes before the first wildcard: every match starts with them.
    pub(super) fn literal_prefix(&self) -> String {
        self.tokens
            .iter()
            .map_while(|t| match t {
                Token::Literal(c) => Some(*c),
                _ => None,
            })
            .collect()
    }

    pub(super) fn matches(&self, name: &str) -> bool {
        self.matches_counting(name, &mut 0)
    }

    /// Like `matches`, adding the number of loop steps to `steps` (for the complexity test).
    pub(super) fn matches_counting(&self, name: &str, steps: &mut u64) -> bool {
        name.len() >= self.min_len && glob::matches_counting(&self.tokens, name, true, steps)
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

    fn m(p: &str, t: &str) -> bool {
        Glob::new(p).matches(t)
    }

    #[test]
    fn wildcards() {
        assert!(m("*", ""));
        assert!(m("*", "anything"));
        assert!(m("Create*", "createLogGroup"));
        assert!(m("?et*", "GetObject"));
        assert!(!m("?et*", "et"));
        assert!(m("*Log*", "CreateLogGroup"));
        assert!(!m("Create", "CreateLogGroup"));
        assert!(m("C*e*p", "CreateLogGroup"));
        assert!(!m("C*e*x", "CreateLogGroup"));
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("é*", "é!"));
        assert_eq!(Glob::new("Get*Object").literal_prefix(), "Get");
    }

    #[test]
    fn adversarial_pattern_is_polynomial() {
        let text = "a".repeat(60);
        let pattern = format!("{}b", "*a".repeat(30));
        let glob = Glob::new(&pattern);
        let mut steps = 0;
        assert!(!glob.matches_counting(&text, &mut steps));
        let bound = (text.len() * pattern.len()) as u64;
        assert!(steps <= bound, "{steps} steps > {bound}");
        // A pattern longer than any name is rejected before the loop.
        let huge = "*a".repeat(100_000);
        let mut steps = 0;
        assert!(!Glob::new(&huge).matches_counting(&text, &mut steps));
        assert_eq!(steps, 0);
    }
}
