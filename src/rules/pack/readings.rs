//! The readings of a template's `Fn::If` conditions: each condition true or false, every
//! combination while there are at most [`MAX_CONDITIONS`] of them, else (as the policy check does)
//! all true then all false. A finding that holds in only some readings names them
//! ("when condition `IsProd` is true").

/// Conditions enumerated one by one: 2^3 readings at most.
pub const MAX_CONDITIONS: usize = 3;

/// Which of `names` hold, reading by reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readings<'n> {
    pub names: Vec<&'n str>,
    /// `readings[r][i]`: whether `names[i]` holds in reading `r`.
    pub readings: Vec<Vec<bool>>,
}

impl<'n> Readings<'n> {
    pub fn of(names: Vec<&'n str>) -> Readings<'n> {
        let readings = if names.len() <= MAX_CONDITIONS {
            (0..1u32 << names.len())
                // All true first: with one condition, the order the policy check uses.
                .map(|bits| (0..names.len()).map(|i| bits & (1 << i) == 0).collect())
                .collect()
        } else {
            vec![vec![true; names.len()], vec![false; names.len()]]
        };
        Readings { names, readings }
    }

    /// Whether condition `name` holds in reading `r` (one not listed: its first branch).
    pub fn holds(&self, r: usize, name: &str) -> bool {
        self.names
            .iter()
            .position(|n| *n == name)
            .is_none_or(|i| self.readings[r][i])
    }

    /// "condition `A` is true and condition `B` is false": the fewest conditions whose values
    /// pick out exactly the readings `held` (indices), else each reading in turn.
    pub fn describe(&self, held: &[usize]) -> String {
        let literal = |i: usize, value: bool| {
            format!(
                "condition `{}` is {}",
                self.names[i],
                if value { "true" } else { "false" }
            )
        };
        let full = self.names.len() <= MAX_CONDITIONS;
        if full {
            // Every partial assignment, fewest conditions first: 3^n of them, n <= 3.
            let mut best: Option<Vec<(usize, bool)>> = None;
            for code in 0..3usize.pow(self.names.len() as u32) {
                let pinned: Vec<(usize, bool)> = (0..self.names.len())
                    .filter_map(|i| match code / 3usize.pow(i as u32) % 3 {
                        1 => Some((i, true)),
                        2 => Some((i, false)),
                        _ => None,
                    })
                    .collect();
                let picks: Vec<usize> = (0..self.readings.len())
                    .filter(|&r| pinned.iter().all(|&(i, v)| self.readings[r][i] == v))
                    .collect();
                if picks == held && best.as_ref().is_none_or(|b| pinned.len() < b.len()) {
                    best = Some(pinned);
                }
            }
            if let Some(pinned) = best {
                return pinned
                    .iter()
                    .map(|&(i, v)| literal(i, v))
                    .collect::<Vec<_>>()
                    .join(" and ");
            }
        }
        held.iter()
            .map(|&r| {
                (0..self.names.len())
                    .map(|i| literal(i, self.readings[r][i]))
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect::<Vec<_>>()
            .join(", or ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_condition_reads_true_then_false() {
        let r = Readings::of(vec!["IsProd"]);
        assert_eq!(r.readings, [[true], [false]]);
        assert!(r.holds(0, "IsProd") && !r.holds(1, "IsProd") && r.holds(1, "Other"));
        assert_eq!(r.describe(&[0]), "condition `IsProd` is true");
        assert_eq!(r.describe(&[1]), "condition `IsProd` is false");
    }

    #[test]
    fn the_fewest_conditions_that_pick_the_readings_are_named() {
        let r = Readings::of(vec!["A", "B"]);
        assert_eq!(r.readings.len(), 4);
        let where_b_is_false: Vec<usize> = (0..4).filter(|&i| !r.readings[i][1]).collect();
        assert_eq!(r.describe(&where_b_is_false), "condition `B` is false");
        assert_eq!(
            r.describe(&[0]),
            "condition `A` is true and condition `B` is true"
        );
        // A and B differ: no conjunction says it, so each reading is named.
        let differ: Vec<usize> = (0..4)
            .filter(|&i| r.readings[i][0] != r.readings[i][1])
            .collect();
        assert_eq!(
            r.describe(&differ),
            "condition `A` is false and condition `B` is true, or condition `A` is true and condition `B` is false"
        );
    }

    #[test]
    fn past_the_cap_all_true_and_all_false_are_read() {
        let r = Readings::of(vec!["A", "B", "C", "D"]);
        assert_eq!(r.readings.len(), 2);
        assert_eq!(
            r.describe(&[1]),
            "condition `A` is false and condition `B` is false and condition `C` is false and condition `D` is false"
        );
    }
}
