use super::Rule;

/// `--select` / `--ignore`: rules by code, name or code prefix (`IAM0` selects IAM001–IAM099).
#[derive(Debug, Default, Clone)]
pub struct RuleSelection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionError {
    pub selector: String,
}

impl std::fmt::Display for SelectionError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "`{}` is neither a rule code, a code prefix nor a rule name (see `iamlint rules`)",
            self.selector
        )
    }
}

pub fn selector_matches(selector: &str, code: &str, name: &str) -> bool {
    !selector.is_empty() && (selector == name || code.starts_with(&selector.to_ascii_uppercase()))
}

impl RuleSelection {
    /// Checks every selector names at least one known rule, so a typo is an error, not a silent
    /// no-op.
    pub fn validate<'a>(
        &self,
        known: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    ) -> Result<(), SelectionError> {
        for selector in self.select.iter().chain(&self.ignore) {
            if !known
                .clone()
                .any(|(code, name)| selector_matches(selector, code, name))
            {
                return Err(SelectionError {
                    selector: selector.clone(),
                });
            }
        }
        Ok(())
    }

    pub fn enabled(&self, code: &str, name: &str) -> bool {
        let selected =
            self.select.is_empty() || self.select.iter().any(|s| selector_matches(s, code, name));
        selected && !self.ignore.iter().any(|s| selector_matches(s, code, name))
    }

    pub fn filter(&self, rules: &[&'static Rule]) -> Vec<&'static Rule> {
        rules
            .iter()
            .copied()
            .filter(|r| self.enabled(r.meta.code, r.meta.name))
            .collect()
    }
}
