//! IAM action wildcards: `*` matches any run of characters, `?` exactly one, and the match
//! ignores ASCII case. A two-pointer matcher that remembers only the last `*` is correct
//! for this language and needs at most `text.len() * pattern.len()` steps, so a hostile
//! pattern like `*a*a*a*…b` cannot make it blow up the way a backtracking matcher would.

/// A pattern prepared once and matched against many names.
pub(super) struct Glob {
    /// Runs of `*` collapsed to one (they mean the same), which keeps the step bound tight.
    pattern: Vec<u8>,
    /// A name shorter than this cannot match: every byte other than `*` consumes one.
    min_len: usize,
}

impl Glob {
    pub(super) fn new(pattern: &str) -> Glob {
        let mut collapsed = Vec::with_capacity(pattern.len());
        for &b in pattern.as_bytes() {
            if !(b == b'*' && collapsed.last() == Some(&b'*')) {
                collapsed.push(b);
            }
        }
        let min_len = collapsed.iter().filter(|&&b| b != b'*').count();
        Glob {
            pattern: collapsed,
            min_len,
        }
    }

    /// The bytes before the first wildcard: every match starts with them.
    pub(super) fn literal_prefix(&self) -> &[u8] {
        let end = self
            .pattern
            .iter()
            .position(|&b| b == b'*' || b == b'?')
            .unwrap_or(self.pattern.len());
        &self.pattern[..end]
    }

    pub(super) fn matches(&self, text: &str) -> bool {
        self.matches_counting(text, &mut 0)
    }

    /// Like `matches`, adding the number of loop steps to `steps` (for the complexity test).
    pub(super) fn matches_counting(&self, text: &str, steps: &mut u64) -> bool {
        let (pat, text) = (self.pattern.as_slice(), text.as_bytes());
        if text.len() < self.min_len {
            return false;
        }
        let (mut p, mut t) = (0, 0);
        // Where the last `*` was and the text position it is currently assumed to end at.
        let mut star: Option<(usize, usize)> = None;
        while t < text.len() {
            *steps += 1;
            match pat.get(p) {
                Some(b'*') => {
                    star = Some((p, t));
                    p += 1;
                }
                Some(&c) if c == b'?' || c.eq_ignore_ascii_case(&text[t]) => {
                    p += 1;
                    t += 1;
                }
                _ => match star {
                    // Let the last `*` take one more byte and retry what follows it.
                    Some((sp, st)) => {
                        star = Some((sp, st + 1));
                        p = sp + 1;
                        t = st + 1;
                    }
                    None => return false,
                },
            }
        }
        pat[p..].iter().all(|&b| b == b'*')
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
        assert_eq!(Glob::new("Get*Object").literal_prefix(), b"Get");
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
