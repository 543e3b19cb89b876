//! `*`/`?` glob matching in O(pattern × text) worst case, never exponential: the classic
//! two-pointer algorithm, which only ever backtracks to the most recent `*`.

/// One element of a compiled glob. Variables and `${*}`-style escapes are resolved before this
/// point, so a literal `*` is simply `Literal('*')`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Token {
    Literal(char),
    /// `?`: exactly one character.
    AnyChar,
    /// `*`: any run of characters, empty included.
    AnyRun,
}

/// Compiles a pattern in which `*` and `?` are wildcards and every other character is literal.
pub fn compile(pattern: &str) -> Vec<Token> {
    pattern
        .chars()
        .map(|c| match c {
            '*' => Token::AnyRun,
            '?' => Token::AnyChar,
            c => Token::Literal(c),
        })
        .collect()
}

/// Every character literal (`StringEquals` semantics).
pub fn literal(text: &str) -> Vec<Token> {
    text.chars().map(Token::Literal).collect()
}

pub fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// Case-sensitive match of a `*`/`?` pattern against the whole text.
pub fn matches(pattern: &str, text: &str) -> bool {
    matches_tokens(&compile(pattern), text, false)
}

/// Case-insensitive match (actions, `StringEqualsIgnoreCase`).
pub fn matches_ignore_case(pattern: &str, text: &str) -> bool {
    matches_tokens(&compile(pattern), text, true)
}

pub fn matches_tokens(tokens: &[Token], text: &str, ignore_case: bool) -> bool {
    matches_counting(tokens, text, ignore_case, &mut 0)
}

/// As [`matches_tokens`], adding the number of inner-loop steps to `steps`, so that tests can
/// bound the work: it never exceeds `(tokens + 1) × (chars + 1)`.
pub fn matches_counting(tokens: &[Token], text: &str, ignore_case: bool, steps: &mut u64) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let same = |a: char, b: char| a == b || (ignore_case && fold(a) == fold(b));
    let (mut p, mut t) = (0, 0);
    // Where to resume after the most recent `*`: (token after it, text position it absorbs to).
    let mut resume: Option<(usize, usize)> = None;
    while t < chars.len() {
        *steps += 1;
        match tokens.get(p) {
            Some(Token::AnyRun) => {
                resume = Some((p + 1, t));
                p += 1;
            }
            Some(Token::AnyChar) => {
                p += 1;
                t += 1;
            }
            Some(&Token::Literal(c)) if same(c, chars[t]) => {
                p += 1;
                t += 1;
            }
            _ => match resume {
                // Let the last `*` absorb one more character and retry from just after it.
                Some((after_star, absorbed)) => {
                    resume = Some((after_star, absorbed + 1));
                    p = after_star;
                    t = absorbed + 1;
                }
                None => return false,
            },
        }
    }
    tokens[p.min(tokens.len())..]
        .iter()
        .all(|tok| *tok == Token::AnyRun)
}

/// Simple case folding; IAM compares ASCII names, and full Unicode folding of one character can
/// yield several, which a one-to-one compare cannot honour.
fn fold(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basics() {
        assert!(matches("", ""));
        assert!(!matches("", "a"));
        assert!(matches("*", ""));
        assert!(matches("a*c", "abbbc"));
        assert!(matches("a?c", "abc"));
        assert!(!matches("a?c", "ac"));
        assert!(matches("*/test/*", "1/2/test/3/x.jpg"));
        assert!(matches("bucket/*/test/*", "bucket//test/x.jpg"));
        assert!(!matches("bucket/*/test/*", "bucket/test/x.jpg"));
        assert!(!matches("ABC", "abc"));
        assert!(matches_ignore_case("ABC*", "abcdef"));
        assert!(matches("a*b*c", "aXbYbZc"));
        assert!(!matches("a*b*c", "aXbYbZ"));
    }

    #[test]
    fn pathological_pattern_stays_quadratic_at_worst() {
        let pattern: String = "*a".repeat(30) + "*b";
        let tokens = compile(&pattern);
        let text = "a".repeat(5000);
        let mut steps = 0;
        assert!(!matches_counting(&tokens, &text, false, &mut steps));
        let bound = (tokens.len() as u64 + 1) * (text.len() as u64 + 1);
        assert!(steps <= bound, "{steps} > {bound}");
    }
}
