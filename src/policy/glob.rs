//! The wildcard language of IAM policies (`*` any run of characters, `?` exactly one), matched in
//! O(pattern × text) at worst, never exponential: the classic two-pointer algorithm, which only
//! ever backtracks to the most recent `*`. One matcher for every stage: the catalog expands
//! action wildcards with it, the engine matches actions, ARNs and condition values.

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
    let mut tokens = Vec::with_capacity(pattern.len());
    for c in pattern.chars() {
        let token = match c {
            '*' => Token::AnyRun,
            '?' => Token::AnyChar,
            c => Token::Literal(c),
        };
        // `**` means `*`; one keeps the step bound tight.
        if !(token == Token::AnyRun && tokens.last() == Some(&Token::AnyRun)) {
            tokens.push(token);
        }
    }
    tokens
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
    let same = |a: char, b: char| a == b || (ignore_case && fold(a) == fold(b));
    // Positions in `text` are byte offsets, always on character boundaries: no allocation on
    // this hot path (every action name of a service, every ARN of a statement).
    let char_at = |at: usize| {
        text[at..]
            .chars()
            .next()
            .expect("a boundary before the end")
    };
    let (mut p, mut t) = (0, 0);
    // Where to resume after the most recent `*`: (token after it, text position it absorbs to).
    let mut resume: Option<(usize, usize)> = None;
    while t < text.len() {
        *steps += 1;
        let c = char_at(t);
        match tokens.get(p) {
            Some(Token::AnyRun) => {
                resume = Some((p + 1, t));
                p += 1;
            }
            Some(Token::AnyChar) => {
                p += 1;
                t += c.len_utf8();
            }
            Some(&Token::Literal(l)) if same(l, c) => {
                p += 1;
                t += c.len_utf8();
            }
            _ => match resume {
                // Let the last `*` absorb one more character and retry from just after it.
                Some((after_star, absorbed)) => {
                    let absorbed = absorbed + char_at(absorbed).len_utf8();
                    resume = Some((after_star, absorbed));
                    p = after_star;
                    t = absorbed;
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
        assert!(matches("é*?", "é!ü"));
        assert!(matches_ignore_case("CAFÉ*", "cafés"));
        assert!(!matches("?", "éé"));
        assert_eq!(compile("a**b"), compile("a*b"));
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
