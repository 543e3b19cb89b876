//! The request context: condition key values, and what is known about keys not listed.

use std::collections::BTreeMap;

/// What the scenario says about one condition key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// A single-valued key with its value.
    Single(String),
    /// A multivalued key (`aws:TagKeys`); may be empty.
    Multi(Vec<String>),
    /// The key is known not to be in the request.
    Absent,
}

/// Condition key values of a request. Key names are case-insensitive. A key that is not listed
/// is either *not pinned* (an open context: a static check, where conditions on it are unknown)
/// or known absent (a closed context: a simulation, where the user lists everything).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    values: BTreeMap<String, ContextValue>,
    closed: bool,
}

/// A key's value as a condition sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<'c> {
    Values {
        values: &'c [String],
        multi: bool,
    },
    Absent,
    /// The scenario does not say: anything that depends on it is unknown.
    NotPinned,
}

impl Context {
    /// Keys not listed are not pinned (unknown).
    pub fn open() -> Self {
        Context {
            values: BTreeMap::new(),
            closed: false,
        }
    }

    /// Keys not listed are absent from the request.
    pub fn closed() -> Self {
        Context {
            values: BTreeMap::new(),
            closed: true,
        }
    }

    pub fn insert(&mut self, key: &str, value: ContextValue) {
        self.values.insert(key.to_ascii_lowercase(), value);
    }

    /// Builder: a single-valued key.
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.insert(key, ContextValue::Single(value.into()));
        self
    }

    /// Builder: a multivalued key.
    pub fn with_multi<S: Into<String>>(
        mut self,
        key: &str,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        self.insert(
            key,
            ContextValue::Multi(values.into_iter().map(Into::into).collect()),
        );
        self
    }

    /// Builder: a key known to be absent.
    pub fn with_absent(mut self, key: &str) -> Self {
        self.insert(key, ContextValue::Absent);
        self
    }

    pub fn lookup(&self, key: &str) -> Lookup<'_> {
        match self.values.get(&key.to_ascii_lowercase()) {
            Some(ContextValue::Single(v)) => Lookup::Values {
                values: std::slice::from_ref(v),
                multi: false,
            },
            Some(ContextValue::Multi(vs)) => Lookup::Values {
                values: vs,
                multi: true,
            },
            Some(ContextValue::Absent) => Lookup::Absent,
            None if self.closed => Lookup::Absent,
            None => Lookup::NotPinned,
        }
    }
}
