//! Action patterns: `service:Name` with `*`/`?` in the name, or `*`. Case-insensitive.

use crate::policy::glob;

/// A parsed `Action` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionPattern<'a> {
    /// `"*"`: every action of every service.
    All,
    Named {
        service: &'a str,
        name: &'a str,
    },
}

/// Why an action string can never match anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadAction {
    /// No `:`, or more than one.
    NotServiceColonName,
    EmptyService,
    EmptyName,
    /// Whitespace or a comma: `"s3:GetObject,PutObject"` is one (junk) action, not two.
    InvalidCharacter,
    WildcardInService,
}

impl<'a> ActionPattern<'a> {
    pub fn parse(text: &'a str) -> Result<Self, BadAction> {
        if text == "*" {
            return Ok(ActionPattern::All);
        }
        // Every entry of every policy comes through here: one branch-free pass over the bytes
        // (which the compiler vectorises) counts colons and flags anything but printable ASCII.
        let (colons, odd) = text.bytes().fold((0u32, false), |(colons, odd), b| {
            let odd_byte = !b.is_ascii_graphic() || b == b',';
            (colons + u32::from(b == b':'), odd | odd_byte)
        });
        if odd && text.chars().any(|c| c.is_whitespace() || c == ',') {
            return Err(BadAction::InvalidCharacter);
        }
        if colons != 1 {
            return Err(BadAction::NotServiceColonName);
        }
        let (service, name) = text.split_once(':').ok_or(BadAction::NotServiceColonName)?;
        if service.is_empty() {
            return Err(BadAction::EmptyService);
        }
        if name.is_empty() {
            return Err(BadAction::EmptyName);
        }
        if service.bytes().any(|b| b == b'*' || b == b'?') {
            return Err(BadAction::WildcardInService);
        }
        Ok(ActionPattern::Named { service, name })
    }

    /// Does this pattern match a concrete action (`logs:CreateLogStream`)?
    pub fn matches(&self, action: &str) -> bool {
        concrete(action).is_some_and(|(service, name)| self.matches_named(service, name))
    }

    fn matches_named(&self, service: &str, name: &str) -> bool {
        match self {
            ActionPattern::All => true,
            ActionPattern::Named {
                service: s,
                name: n,
            } => s.eq_ignore_ascii_case(service) && glob::matches_ignore_case(n, name),
        }
    }
}

/// The service and name of a concrete action; `None` for junk or a wildcard, since a request
/// names one concrete action.
fn concrete(action: &str) -> Option<(&str, &str)> {
    match ActionPattern::parse(action) {
        Ok(ActionPattern::Named { service, name }) if !glob::has_wildcard(name) => {
            Some((service, name))
        }
        _ => None,
    }
}

/// Does one `Action` entry match a concrete action? Junk matches nothing.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    ActionPattern::parse(pattern).is_ok_and(|p| p.matches(action))
}

/// `Action`/`NotAction` list semantics: any entry matches, or (negated) none does.
pub fn list_matches<'t>(
    patterns: impl IntoIterator<Item = &'t str>,
    negated: bool,
    action: &str,
) -> bool {
    let any = concrete(action).is_some_and(|(service, name)| {
        // Only `*` and entries of the same service can match: the rest need no parsing.
        let may_match = |p: &str| {
            p == "*"
                || p.as_bytes().get(service.len()) == Some(&b':')
                    && p.as_bytes()[..service.len()].eq_ignore_ascii_case(service.as_bytes())
        };
        patterns.into_iter().any(|p| {
            may_match(p)
                && ActionPattern::parse(p).is_ok_and(|pattern| pattern.matches_named(service, name))
        })
    });
    any != negated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_prefix_and_name() {
        assert!(action_matches("Logs:createloggroup", "logs:CreateLogGroup"));
        assert!(action_matches("logs:Create*", "logs:CreateLogStream"));
        assert!(action_matches("iam:*AccessKey*", "iam:ListAccessKeys"));
        assert!(action_matches("s3:?etObject", "s3:GetObject"));
        assert!(action_matches("*", "kms:Decrypt"));
        assert!(!action_matches("logs:Create*", "logs:DeleteLogGroup"));
        assert!(!action_matches(
            "logs:*",
            "cloudtrail:GetEventDataStoreData"
        ));
    }

    #[test]
    fn junk_matches_nothing() {
        for junk in [
            "s3:GetObject,PutObject",
            "s3:GetObject ",
            " s3:GetObject",
            "s3:",
            ":GetObject",
            "s3",
            "s*:GetObject",
            "s3:a:b",
            "s3:Get\u{b}Object",
            "s3:Get\u{a0}Object",
            "s3:Get\u{2028}Object",
            "",
        ] {
            assert!(ActionPattern::parse(junk).is_err(), "{junk}");
            assert!(!action_matches(junk, "s3:GetObject"), "{junk}");
        }
        assert!(
            !action_matches("s3:*", "s3:Get*"),
            "a request is one concrete action"
        );
    }

    #[test]
    fn not_action_is_the_complement() {
        assert!(list_matches(["iam:*"], true, "s3:GetObject"));
        assert!(!list_matches(["iam:*"], true, "iam:PassRole"));
        assert!(list_matches(["junk action"], true, "iam:PassRole"));
    }
}
