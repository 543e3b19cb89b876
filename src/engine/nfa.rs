//! Globs as tiny NFAs over an abstract alphabet, for exact wildcard containment and
//! intersection. State `i` means "the first `i` tokens are matched"; a `*` is a self-loop.

use super::arn::{split_tokens, ArnPattern};
use crate::policy::glob::{self, Token};
use crate::policy::placeholder::{self, Piece};

/// An input symbol: a character that occurs literally somewhere, or any other character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Symbol {
    Char(char),
    Other,
}

/// A wildcard that is `bounded` stays inside an ARN part: it does not match `:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Nfa {
    tokens: Vec<(Token, bool)>,
}

/// A set of NFA states as a bitset.
pub(crate) type States = Vec<u64>;

impl Nfa {
    /// The bounded parts, their `:` separators, then the free resource part.
    pub(crate) fn from_parts(bounded: &[Vec<Token>], resource: &[Token]) -> Nfa {
        let mut tokens = Vec::new();
        for part in bounded {
            tokens.extend(part.iter().map(|t| (*t, true)));
            tokens.push((Token::Literal(':'), true));
        }
        tokens.extend(resource.iter().map(|t| (*t, false)));
        Nfa { tokens }
    }

    /// Every wildcard free to match anything.
    pub(crate) fn unbounded(tokens: &[Token]) -> Nfa {
        Nfa {
            tokens: tokens.iter().map(|t| (*t, false)).collect(),
        }
    }

    /// `None` for patterns that are not a set of strings (nothing, or unknown).
    pub(crate) fn of_pattern(pattern: &ArnPattern) -> Option<Nfa> {
        match pattern {
            ArnPattern::Everything => Some(Nfa::unbounded(&[Token::AnyRun])),
            ArnPattern::Parts { bounded, resource } => Some(Nfa::from_parts(bounded, resource)),
            ArnPattern::Nothing | ArnPattern::Unknown(_) | ArnPattern::Computed { .. } => None,
        }
    }

    pub(crate) fn literals(&self) -> impl Iterator<Item = char> + '_ {
        self.tokens.iter().filter_map(|(t, _)| match t {
            Token::Literal(c) => Some(*c),
            _ => None,
        })
    }

    pub(crate) fn start(&self) -> States {
        let mut set = vec![0; self.tokens.len() / 64 + 1];
        self.add(&mut set, 0);
        set
    }

    /// Adds state `i` and, through `*` (which may match nothing), the states after it.
    fn add(&self, set: &mut States, mut i: usize) {
        loop {
            set[i / 64] |= 1 << (i % 64);
            match self.tokens.get(i) {
                Some((Token::AnyRun, _)) => i += 1,
                _ => return,
            }
        }
    }

    pub(crate) fn step(&self, set: &States, symbol: Symbol) -> States {
        let mut next = Vec::new();
        self.step_into(set, symbol, &mut next);
        next
    }

    /// [`Nfa::step`] into a buffer the caller reuses: a product search tries every symbol from
    /// every state pair, and most results are empty or already seen.
    pub(crate) fn step_into(&self, set: &States, symbol: Symbol, next: &mut States) {
        next.clear();
        next.resize(set.len(), 0);
        // Only the states in the set, by their bits: scanning every token position made this
        // the hot loop of `cover` (a long literal ARN has a hundred positions and one live state).
        let live = set.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let bit = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    w * 64 + bit
                })
            })
        });
        for i in live.filter(|&i| i < self.tokens.len()) {
            let (token, bounded) = self.tokens[i];
            let wildcard_ok = !(bounded && symbol == Symbol::Char(':'));
            match token {
                Token::Literal(c) if symbol == Symbol::Char(c) => self.add(next, i + 1),
                Token::AnyChar if wildcard_ok => self.add(next, i + 1),
                Token::AnyRun if wildcard_ok => self.add(next, i),
                _ => {}
            }
        }
    }

    pub(crate) fn accepts(&self, set: &States) -> bool {
        let n = self.tokens.len();
        set[n / 64] & (1 << (n % 64)) != 0
    }
}

pub(crate) fn is_empty(set: &States) -> bool {
    set.iter().all(|w| *w == 0)
}

/// The alphabet of a product search: every literal character the patterns mention, `:` (which
/// wildcards in the first five ARN parts cannot match), and one symbol standing for all others.
pub(crate) fn alphabet(literals: impl Iterator<Item = char>) -> (Vec<char>, Vec<Symbol>) {
    let mut chars: Vec<char> = literals.chain([':']).collect();
    chars.sort_unstable();
    chars.dedup();
    let symbols = chars
        .iter()
        .map(|c| Symbol::Char(*c))
        .chain([Symbol::Other])
        .collect();
    (chars, symbols)
}

/// A printable character that no pattern mentions, to spell [`Symbol::Other`].
pub(crate) fn other_char(alphabet: &[char]) -> char {
    "xyzqkwjvXYZQ0123456789abcdefghmnoprstu-_."
        .chars()
        .chain((0xE000..0xF900).filter_map(char::from_u32))
        .find(|c| !alphabet.contains(c))
        .unwrap_or('\u{10FFFD}')
}

/// An NFA for a glob written loosely: an ARN template's `${Var}` is one or more characters, a
/// policy's `${*}`/`${?}`/`${$}` are literals, any other `${...}` is also one or more characters.
pub(crate) fn loose(text: &str) -> Nfa {
    let mut tokens = Vec::new();
    for piece in placeholder::variables(text) {
        match piece {
            Piece::Text(text) | Piece::Unclosed { text, .. } => tokens.extend(glob::compile(text)),
            Piece::Placeholder {
                body: body @ ("*" | "?" | "$"),
                ..
            } => tokens.extend(body.chars().map(Token::Literal)),
            Piece::Placeholder { .. } => tokens.extend([Token::AnyChar, Token::AnyRun]),
        }
    }
    if text == "*" {
        return Nfa::unbounded(&tokens);
    }
    match split_tokens(tokens.clone()) {
        Some((bounded, resource)) => Nfa::from_parts(&bounded, &resource),
        None => Nfa::unbounded(&tokens),
    }
}

/// Could some string match both ARN globs? Wildcards stay inside the first five ARN parts;
/// `${Var}` (in a catalog template or a policy) counts as one or more characters. Exact:
/// reachability in the product of the two NFAs over pairs of single states `(i, j)` (emptiness
/// of an intersection needs no subset construction). No transition lowers `i` or `j`, so the
/// pairs are settled one row `i` at a time, in two rows as wide as the shorter pattern:
/// `O(|a|·|b|)` time and `O(min(|a|, |b|))` memory even for a multi-megabyte ARN.
pub fn intersects(pattern_a: &str, pattern_b: &str) -> bool {
    let (a, b) = (loose(pattern_a), loose(pattern_b));
    let (long, short) = if a.tokens.len() >= b.tokens.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let (n, m) = (long.tokens.len(), short.tokens.len());
    let star = |t: Option<(Token, bool)>| matches!(t, Some((Token::AnyRun, _)));
    let mut row = vec![false; m + 1];
    let mut next = vec![false; m + 1];
    row[0] = true;
    for i in 0..=n {
        let ta = long.tokens.get(i).copied();
        // Moves within the row, each to a larger `j`: a `*` of the short pattern matching
        // nothing, or a `*` of the long one reading a character with the short one's token.
        for j in 0..m {
            if !row[j] {
                continue;
            }
            let tb = short.tokens[j];
            if tb.0 == Token::AnyRun || star(ta) && ta.is_some_and(|ta| share_a_char(ta, tb)) {
                row[j + 1] = true;
            }
        }
        let Some(ta) = ta else {
            return row[m];
        };
        // Moves to the next row: the long pattern's `*` matching nothing, or its literal or
        // `?` reading a character with the short one's token.
        next.fill(false);
        for j in (0..=m).filter(|&j| row[j]) {
            if ta.0 == Token::AnyRun {
                next[j] = true;
            } else if let Some(&tb) = short.tokens.get(j) {
                if share_a_char(ta, tb) {
                    next[after(j, tb.0)] = true;
                }
            }
        }
        if !next.contains(&true) {
            return false;
        }
        std::mem::swap(&mut row, &mut next);
    }
    unreachable!("the row after the last token returns")
}

/// Whether one character can be read by both tokens (a bounded wildcard never reads `:`).
fn share_a_char((a, a_bounded): (Token, bool), (b, b_bounded): (Token, bool)) -> bool {
    match (a, b) {
        (Token::Literal(x), Token::Literal(y)) => x == y,
        (Token::Literal(x), _) => !(b_bounded && x == ':'),
        (_, Token::Literal(y)) => !(a_bounded && y == ':'),
        // Two wildcards share any character but `:`.
        _ => true,
    }
}

/// The state after reading one character with the token at `i`: `*` loops.
fn after(i: usize, token: Token) -> usize {
    if token == Token::AnyRun {
        i
    } else {
        i + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::arn::template_to_glob;

    #[test]
    fn a_concrete_side() {
        let template = crate::engine::arn::template_to_glob(
            "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}",
        );
        assert!(intersects(
            "arn:aws:logs:us-east-1:123456789012:log-group:x",
            &template
        ));
        assert!(!intersects(
            "arn:aws:logs:us-east-1:123456789012:destination:x",
            &template
        ));
        // Wildcards stay inside the first five parts: a region cannot absorb a colon.
        assert!(!intersects(
            "arn:aws:logs:us:east:123456789012:log-group:x",
            &template
        ));
        assert!(intersects(
            &template,
            "arn:aws:logs:us-east-1:123456789012:log-group:x"
        ));
    }

    #[test]
    fn intersections() {
        let log_group = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}";
        let log_stream = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
        let policy = "arn:aws:logs:us-east-1:123456789012:log-group:aws/cloudtrail/*";
        assert!(intersects(policy, log_group));
        assert!(intersects(policy, log_stream));
        assert!(intersects(policy, &template_to_glob(log_stream)));
        assert!(!intersects(
            "arn:aws:logs:us-east-1:123456789012:log-group:x",
            log_stream
        ));
        assert!(!intersects("arn:aws:s3:::bucket/*", log_group));
        assert!(intersects("*", log_group));
        assert!(
            !intersects("arn:aws:logs:*:1:a", "arn:aws:logs:us:east:1:a"),
            "a bounded * does not cross a colon"
        );
        assert!(intersects(
            "arn:aws:s3:::home/${aws:username}/x",
            "arn:aws:s3:::home/bob/*"
        ));
        assert!(!intersects("arn:aws:s3:::a?", "arn:aws:s3:::a"));
    }
}
