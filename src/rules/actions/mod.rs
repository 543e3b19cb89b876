//! Action rules: is each `Action`/`NotAction` entry well-formed, a real action of a real
//! service, and needed?

pub mod action_matches_nothing;
pub mod invalid_action_format;
pub mod redundant_action;
pub mod retired_service;
pub mod unknown_action;
pub mod unknown_service;

use crate::catalog::{self, Service};
use crate::engine::{ActionPattern, BadAction};
use crate::policy::glob;
use crate::rules::prelude::*;
use crate::rules::Diagnostic;

/// What one `Action` entry names, as the catalog sees it. Each action rule reports one of the
/// failing cases, so every entry gets at most one finding.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Resolution<'a> {
    /// Not `service:name` or `*`: it matches nothing at all.
    Invalid(BadAction),
    /// `"*"`.
    All,
    UnknownService {
        prefix: &'a str,
    },
    /// A service prefix, or an action of a live service, that AWS has removed from the
    /// reference: it matches nothing any more.
    Retired(catalog::Retired),
    /// A name without wildcards that the service does not have.
    UnknownAction {
        service: Service,
        name: &'a str,
    },
    /// A wildcard name that no action of the service matches.
    MatchesNothing {
        service: Service,
    },
    Action(catalog::Action),
    /// A wildcard name matching at least one action of the service.
    Pattern {
        service: Service,
        pattern: &'a str,
    },
}

/// The catalog's reading of one action entry of `doc`. Several rules read every entry; the whole
/// document is resolved once, on the first call, and each entry found again by its position.
pub(crate) fn resolution<'a>(doc: &Document<'a>, item: &Text<'a>) -> Resolution<'a> {
    let resolved = doc.resolved.actions.get_or_init(|| {
        entries(doc)
            .map(|(_, entry, _)| (entry.span.start, resolve(entry.value)))
            .collect()
    });
    match resolved.binary_search_by_key(&item.span.start, |&(at, _)| at) {
        Ok(i) => resolved[i].1,
        Err(_) => resolve(item.value),
    }
}

fn resolve(text: &str) -> Resolution<'_> {
    let (prefix, name) = match ActionPattern::parse(text) {
        Err(bad) => return Resolution::Invalid(bad),
        Ok(ActionPattern::All) => return Resolution::All,
        Ok(ActionPattern::Named { service, name }) => (service, name),
    };
    let Some(service) = catalog::service(prefix) else {
        return match catalog::retired_service(prefix) {
            Some(retired) => Resolution::Retired(retired),
            None => Resolution::UnknownService { prefix },
        };
    };
    if glob::has_wildcard(name) {
        if service.matching_actions(name).next().is_some() {
            Resolution::Pattern {
                service,
                pattern: name,
            }
        } else {
            match catalog::retired_action_matching(prefix, name) {
                Some(retired) => Resolution::Retired(retired),
                None => Resolution::MatchesNothing { service },
            }
        }
    } else {
        match service.action(name) {
            Some(action) => Resolution::Action(action),
            None => match catalog::retired_action(prefix, name) {
                Some(retired) => Resolution::Retired(retired),
                None => Resolution::UnknownAction { service, name },
            },
        }
    }
}

impl Resolution<'_> {
    /// True when the entry matches at least one action the catalog knows.
    pub(crate) fn is_known(self) -> bool {
        matches!(
            self,
            Resolution::All | Resolution::Action(_) | Resolution::Pattern { .. }
        )
    }
}

/// The tail of a message about an entry that matches nothing: what that means for the statement.
/// In a `NotAction` list such an entry excludes nothing, which with `Allow` grants more than meant.
pub(crate) fn consequence(statement: &Statement, negated: bool) -> &'static str {
    match (statement.effect(), negated) {
        (_, true) => ", so it excludes nothing from `NotAction`",
        (Some(Effect::Deny), false) => ", so this Deny denies nothing for it",
        (Some(Effect::Allow), false) => ", so this Allow grants nothing for it",
        (None, false) => "",
    }
}

/// A finding the catalog's examined lag (`src/catalog/lag.tsv`) puts in doubt: AWS's own
/// policies use the name although the reference lacks it, so it is a warning that names the
/// evidence rather than an error.
pub(crate) fn lagging(mut diagnostic: Diagnostic, lag: catalog::Lag) -> Diagnostic {
    diagnostic.severity = Severity::Warning;
    diagnostic.message.push_str(", per the reference");
    diagnostic.help(format!(
        "the reference may lag here: {}; check that `{}` exists before relying on it",
        lag.reason, lag.action
    ))
}

/// Every `Action`/`NotAction` entry of the document, with its statement and whether it is
/// negated.
pub(crate) fn entries<'d, 'a>(
    doc: &'d Document<'a>,
) -> impl Iterator<Item = (&'a Statement<'a>, &'a Text<'a>, bool)> + 'd {
    doc.statements().iter().flat_map(|statement| {
        statement
            .actions()
            .into_iter()
            .flat_map(move |(list, negated)| {
                list.items
                    .iter()
                    .map(move |item| (statement, item, negated))
            })
    })
}
