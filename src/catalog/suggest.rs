//! "Did you mean" for misspelt service prefixes and action names, by optimal string
//! alignment distance (Levenshtein plus adjacent transpositions, so `cloudtrial` is one
//! edit from `cloudtrail`), ignoring ASCII case.
//!
//! Suggestions run only on errors, but a file full of typos must stay fast, so the cost per
//! candidate is bounded: candidates whose length differs by more than the allowed distance
//! are skipped in O(1), those whose letters differ too much in O(length) (each edit changes
//! the multiset of letters by at most one removal and one addition), and a row of the
//! dynamic programme whose minimum exceeds the bound stops the comparison early.

/// How far a suggestion may be from what was typed: close enough that the intent is clear.
fn allowed_distance(len: usize) -> usize {
    match len {
        0 => 0,
        1..=4 => 1,
        5..=10 => 2,
        _ => 3,
    }
}

/// The closest candidate within the allowed distance; ties go to the earliest candidate.
pub(super) fn closest<'a>(
    typed: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let typed = typed.as_bytes();
    let max = allowed_distance(typed.len());
    if max == 0 {
        return None;
    }
    let typed_letters = Letters::of(typed);
    let mut rows = Rows::default();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let limit = best.map_or(max, |(d, _)| d.saturating_sub(1));
        let candidate_bytes = candidate.as_bytes();
        if typed.len().abs_diff(candidate_bytes.len()) > limit
            || typed_letters.min_distance(&Letters::of(candidate_bytes)) > limit
        {
            continue;
        }
        if let Some(d) = rows.distance(typed, candidate_bytes, limit) {
            best = Some((d, candidate));
            if d == 0 {
                break;
            }
        }
    }
    best.map(|(_, c)| c)
}

/// How often each byte occurs, ignoring ASCII case. Bytes share buckets modulo 64, which
/// only weakens the bound, never breaks it.
struct Letters([u32; 64]);

impl Letters {
    fn of(s: &[u8]) -> Letters {
        let mut counts = [0u32; 64];
        for &b in s {
            counts[usize::from(b.to_ascii_lowercase() % 64)] += 1;
        }
        Letters(counts)
    }

    /// A lower bound on the edit distance between the two strings.
    fn min_distance(&self, other: &Letters) -> usize {
        let (mut extra, mut missing) = (0usize, 0usize);
        for (&a, &b) in self.0.iter().zip(&other.0) {
            extra += a.saturating_sub(b) as usize;
            missing += b.saturating_sub(a) as usize;
        }
        extra.max(missing)
    }
}

/// Reused buffers for three rows of the dynamic programme (the transposition needs two back).
#[derive(Default)]
struct Rows {
    before: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl Rows {
    /// The distance between `a` and `b` if it is at most `max`.
    fn distance(&mut self, a: &[u8], b: &[u8], max: usize) -> Option<usize> {
        if a.len().abs_diff(b.len()) > max {
            return None;
        }
        let same = |x: u8, y: u8| x.eq_ignore_ascii_case(&y);
        self.before.clear();
        self.before.resize(b.len() + 1, 0);
        self.previous.clear();
        self.previous.extend(0..=b.len());
        for i in 1..=a.len() {
            self.current.clear();
            self.current.push(i);
            let mut row_min = i;
            for j in 1..=b.len() {
                let cost = usize::from(!same(a[i - 1], b[j - 1]));
                let mut d = (self.previous[j] + 1)
                    .min(self.current[j - 1] + 1)
                    .min(self.previous[j - 1] + cost);
                if i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]) {
                    d = d.min(self.before[j - 2] + 1);
                }
                self.current.push(d);
                row_min = row_min.min(d);
            }
            if row_min > max {
                return None;
            }
            std::mem::swap(&mut self.before, &mut self.previous);
            std::mem::swap(&mut self.previous, &mut self.current);
        }
        Some(self.previous[b.len()]).filter(|&d| d <= max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(a: &str, b: &str) -> Option<usize> {
        Rows::default().distance(a.as_bytes(), b.as_bytes(), 5)
    }

    #[test]
    fn distances() {
        assert_eq!(dist("cloudtrial", "cloudtrail"), Some(1));
        assert_eq!(dist("CreateLogStreams", "createlogstream"), Some(1));
        assert_eq!(dist("abc", "abc"), Some(0));
        assert_eq!(dist("", "abc"), Some(3));
        assert_eq!(dist("kitten", "sitting"), Some(3));
        assert_eq!(dist("abcdefghij", "zzzzzzzzzz"), None);
    }

    #[test]
    fn letter_bound_never_exceeds_the_distance() {
        let words = [
            "cloudtrail",
            "cloudtrial",
            "logs",
            "LOGZ",
            "",
            "abc",
            "cba",
            "kitten",
            "sitting",
        ];
        for a in words {
            for b in words {
                let bound = Letters::of(a.as_bytes()).min_distance(&Letters::of(b.as_bytes()));
                let d = Rows::default()
                    .distance(a.as_bytes(), b.as_bytes(), 20)
                    .unwrap();
                assert!(bound <= d, "{a} {b}");
            }
        }
    }

    #[test]
    fn closest_respects_the_bound() {
        let names = ["CreateLogGroup", "CreateLogStream", "DeleteLogGroup"];
        assert_eq!(closest("createloggroups", names), Some("CreateLogGroup"));
        assert_eq!(closest("CreateLogStreams", names), Some("CreateLogStream"));
        assert_eq!(closest("Frobnicate", names), None);
        assert_eq!(closest("", names), None);
        assert_eq!(closest(&"x".repeat(100_000), names), None);
    }
}
