//! Condition operator names: `ForAnyValue:StringNotLikeIfExists` → a structured [`Operator`].

use std::fmt;

/// The comparison an operator performs, without negation, qualifier or `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BaseOperator {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    /// `ArnEquals` and `ArnLike` behave identically; `like` keeps the name as written.
    Arn {
        like: bool,
    },
    Null,
}

/// The type of value an operator compares; rules check it against a key's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operator {
    pub base: BaseOperator,
    /// `StringNotEquals`, `NotIpAddress`, `ArnNotLike`, ...
    pub negated: bool,
    pub if_exists: bool,
    pub set: Option<SetQualifier>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownOperator {
    pub name: String,
}

impl fmt::Display for UnknownOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a condition operator", self.name)
    }
}

impl std::error::Error for UnknownOperator {}

/// (name, base, negated), exact spelling as AWS documents it.
const NAMES: &[(&str, BaseOperator, bool)] = {
    use BaseOperator::*;
    &[
        ("StringEquals", StringEquals, false),
        ("StringNotEquals", StringEquals, true),
        ("StringEqualsIgnoreCase", StringEqualsIgnoreCase, false),
        ("StringNotEqualsIgnoreCase", StringEqualsIgnoreCase, true),
        ("StringLike", StringLike, false),
        ("StringNotLike", StringLike, true),
        ("NumericEquals", NumericEquals, false),
        ("NumericNotEquals", NumericEquals, true),
        ("NumericLessThan", NumericLessThan, false),
        ("NumericLessThanEquals", NumericLessThanEquals, false),
        ("NumericGreaterThan", NumericGreaterThan, false),
        ("NumericGreaterThanEquals", NumericGreaterThanEquals, false),
        ("DateEquals", DateEquals, false),
        ("DateNotEquals", DateEquals, true),
        ("DateLessThan", DateLessThan, false),
        ("DateLessThanEquals", DateLessThanEquals, false),
        ("DateGreaterThan", DateGreaterThan, false),
        ("DateGreaterThanEquals", DateGreaterThanEquals, false),
        ("Bool", Bool, false),
        ("BinaryEquals", BinaryEquals, false),
        ("IpAddress", IpAddress, false),
        ("NotIpAddress", IpAddress, true),
        ("ArnEquals", Arn { like: false }, false),
        ("ArnNotEquals", Arn { like: false }, true),
        ("ArnLike", Arn { like: true }, false),
        ("ArnNotLike", Arn { like: true }, true),
        ("Null", Null, false),
    ]
};

/// Parses an operator name as written in a policy (case-sensitive). `NullIfExists` is rejected:
/// IAM refuses it.
pub fn parse_operator(name: &str) -> Result<Operator, UnknownOperator> {
    let unknown = || UnknownOperator {
        name: name.to_string(),
    };
    let (set, rest) = match name.split_once(':') {
        Some(("ForAllValues", rest)) => (Some(SetQualifier::ForAllValues), rest),
        Some(("ForAnyValue", rest)) => (Some(SetQualifier::ForAnyValue), rest),
        Some(_) => return Err(unknown()),
        None => (None, name),
    };
    let (rest, if_exists) = match rest.strip_suffix("IfExists") {
        Some(stripped) => (stripped, true),
        None => (rest, false),
    };
    let &(_, base, negated) = NAMES
        .iter()
        .find(|(n, _, _)| *n == rest)
        .ok_or_else(unknown)?;
    if base == BaseOperator::Null && if_exists {
        return Err(unknown());
    }
    Ok(Operator {
        base,
        negated,
        if_exists,
        set,
    })
}

impl BaseOperator {
    pub fn value_type(self) -> ValueType {
        use BaseOperator::*;
        match self {
            StringEquals | StringEqualsIgnoreCase | StringLike => ValueType::String,
            NumericEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => ValueType::Numeric,
            DateEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => ValueType::Date,
            Bool => ValueType::Bool,
            BinaryEquals => ValueType::Binary,
            IpAddress => ValueType::Ip,
            Arn { .. } => ValueType::Arn,
            Null => ValueType::Null,
        }
    }
}

impl Operator {
    pub fn value_type(&self) -> ValueType {
        self.base.value_type()
    }

    /// Whether policy variables are substituted in this operator's values.
    pub fn takes_variables(&self) -> bool {
        matches!(self.value_type(), ValueType::String | ValueType::Arn)
    }

    /// The name as IAM spells it.
    pub fn name(&self) -> String {
        let (base, _, _) = NAMES
            .iter()
            .find(|(_, b, n)| *b == self.base && *n == self.negated)
            .copied()
            .unwrap_or(("?", self.base, self.negated));
        let set = match self.set {
            Some(SetQualifier::ForAllValues) => "ForAllValues:",
            Some(SetQualifier::ForAnyValue) => "ForAnyValue:",
            None => "",
        };
        format!(
            "{set}{base}{}",
            if self.if_exists { "IfExists" } else { "" }
        )
    }
}

/// Every valid operator name, qualifiers and `IfExists` included, as IAM spells it: for "did you
/// mean". Built once, on the first call.
pub fn all_operator_names() -> &'static [String] {
    static NAMES_WITH_FORMS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES_WITH_FORMS.get_or_init(|| {
        let mut names = Vec::new();
        for set in ["", "ForAllValues:", "ForAnyValue:"] {
            for (base, _, _) in NAMES {
                for suffix in ["", "IfExists"] {
                    let name = format!("{set}{base}{suffix}");
                    if parse_operator(&name).is_ok() {
                        names.push(name);
                    }
                }
            }
        }
        names
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let op = parse_operator("ForAnyValue:StringNotLikeIfExists").unwrap();
        assert_eq!(
            op,
            Operator {
                base: BaseOperator::StringLike,
                negated: true,
                if_exists: true,
                set: Some(SetQualifier::ForAnyValue)
            }
        );
        assert_eq!(op.name(), "ForAnyValue:StringNotLikeIfExists");
        assert!(parse_operator("NotIpAddress").unwrap().negated);
        assert_eq!(
            parse_operator("ArnLike").unwrap().value_type(),
            ValueType::Arn
        );
        for bad in [
            "StringEqual",
            "stringequals",
            "NullIfExists",
            "ForSomeValues:StringLike",
            "",
            "IfExists",
            "StringNotLessThan",
        ] {
            assert!(parse_operator(bad).is_err(), "{bad}");
        }
        for name in NAMES.iter().map(|n| n.0) {
            assert_eq!(parse_operator(name).unwrap().name(), name);
        }
    }

    #[test]
    fn every_listed_name_parses_and_null_if_exists_is_absent() {
        let names = super::all_operator_names();
        assert!(names
            .iter()
            .any(|n| n == "ForAnyValue:StringNotLikeIfExists"));
        assert!(names.iter().any(|n| n == "ArnNotEquals"));
        assert!(!names.iter().any(|n| n.contains("NullIfExists")));
        assert!(names.iter().all(|n| parse_operator(n).is_ok()));
        assert!(names.len() > 100);
    }
}
