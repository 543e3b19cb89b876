//! Where the catalog lags behind what AWS's services authorise (`lag.tsv`, examined by hand):
//! actions the reference does not list, and ARNs an action is scoped to although the reference
//! gives it no resource type. Rules that would report these as errors say so, as a warning.

use std::sync::OnceLock;

use super::text::cmp_ignore_case;

/// One examined gap of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lag {
    /// `service:Action`.
    pub action: &'static str,
    /// The ARN pattern the action is scoped to, or `None` for an action the reference lacks.
    pub arn: Option<&'static str>,
    /// The evidence, for the finding's help.
    pub reason: &'static str,
}

fn table() -> &'static [Lag] {
    static TABLE: OnceLock<Vec<Lag>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rows: Vec<Lag> = super::tsv_rows(include_str!("lag.tsv"))
            .filter_map(|mut fields| {
                let action = fields.next()?;
                let arn = fields.next()?;
                Some(Lag {
                    action,
                    arn: (arn != "-").then_some(arn),
                    reason: fields.next()?,
                })
            })
            .collect();
        rows.sort_by(|a, b| cmp_ignore_case(a.action, b.action));
        rows
    })
}

/// The examined gap for an action the reference does not list (`prefix:name`, ignoring case).
pub fn missing_action(prefix: &str, name: &str) -> Option<Lag> {
    let qualified = format!("{prefix}:{name}");
    table()
        .iter()
        .find(|row| row.arn.is_none() && row.action.eq_ignore_ascii_case(&qualified))
        .copied()
}

/// The ARN patterns an action of the catalog is known to be scoped to beyond its resource types.
pub fn resource_lag(qualified: &str) -> impl Iterator<Item = Lag> + '_ {
    table()
        .iter()
        .filter(move |row| row.arn.is_some() && row.action.eq_ignore_ascii_case(qualified))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_examined_gaps_of_the_catalog() {
        assert!(!table().is_empty());
        for row in table() {
            assert!(!row.reason.is_empty(), "{row:?}");
            let (prefix, name) = row.action.split_once(':').expect("service:Action");
            let action = crate::catalog::service(prefix).and_then(|s| s.action(name));
            match row.arn {
                // A gap the catalog has closed is stale: the row must go.
                None => assert!(action.is_none(), "{row:?} is in the catalog now"),
                Some(arn) => {
                    let action = action.unwrap_or_else(|| panic!("{row:?} is not an action"));
                    assert!(
                        !action.supports_resource_types(),
                        "{row:?} has resource types now"
                    );
                    assert!(arn.starts_with("arn:"), "{row:?}");
                }
            }
        }
    }

    #[test]
    fn lookups() {
        assert!(missing_action("Payments", "getaccountbalance").is_some());
        assert!(missing_action("payments", "Get").is_none());
        assert_eq!(resource_lag("ssmmessages:OpenDataChannel").count(), 1);
        assert_eq!(resource_lag("s3:GetObject").count(), 0);
    }
}
