//! Where resources hold policy documents, and of what kind: `policies.json` (CloudFormation) and
//! `terraform.json` (Terraform's AWS provider), compiled in. Kept as data so that adding a
//! resource type is a one-line change (and the README lists it).

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Row {
    #[serde(rename = "type")]
    resource_type: String,
    path: String,
    kind: String,
    #[serde(default)]
    when: Option<(String, String)>,
    #[serde(default)]
    default: bool,
    #[serde(default)]
    sam: bool,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    build: Option<String>,
}

/// One resource type and property path that holds a policy.
#[derive(Debug)]
pub struct Entry {
    pub resource_type: &'static str,
    /// The path below `Properties`, as written in the table.
    pub path: &'static str,
    pub steps: Vec<Step>,
    /// The kind's name: `identity`, `trust`, `resource`, `key`, `endpoint`, `scp`, `rcp`.
    pub kind: &'static str,
    /// Only when this property has this value (`AWS::Organizations::Policy`'s `Type`).
    pub when: Option<(String, String)>,
    /// `when`'s value is also the default: it applies when the property is absent
    /// (`aws_organizations_policy` without `type` is an SCP).
    pub default: bool,
    /// SAM's `Policies`: documents mixed with names and policy templates.
    pub sam: bool,
    /// Rules that do not apply to this property's policies (an ECR repository policy names no
    /// `Resource`: the repository is implied).
    pub ignore: Vec<String>,
    /// A policy CloudFormation builds: `statement` (the property is its statement, or a list of
    /// them), `lambda-permission` (the statement comes from the resource's properties) or
    /// `sam-api` (SAM builds it from an API's `Auth.ResourcePolicy`).
    pub build: Option<Build>,
}

impl Entry {
    /// Whether this entry holds for a resource whose property (or attribute) of a name has the
    /// text `property` gives: `None` when it is absent or not a literal string.
    pub fn applies<'a>(&self, property: impl FnOnce(&str) -> Option<&'a str>) -> bool {
        let Some((name, value)) = &self.when else {
            return true;
        };
        match property(name) {
            None => self.default,
            Some(actual) => actual == value,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    Statement,
    LambdaPermission,
    SamApi,
}

/// `Policies[*]`: the property `Policies`, each item when `each`.
#[derive(Debug)]
pub struct Step {
    pub name: String,
    pub each: bool,
}

/// Where each CloudFormation resource type holds policies.
pub fn entries() -> &'static [Entry] {
    static TABLE: OnceLock<Vec<Entry>> = OnceLock::new();
    TABLE.get_or_init(|| load(include_str!("policies.json")))
}

/// Where each Terraform resource type holds policies; a step is an attribute or, with `[*]`, each
/// nested block of that name.
pub fn terraform_entries() -> &'static [Entry] {
    static TABLE: OnceLock<Vec<Entry>> = OnceLock::new();
    TABLE.get_or_init(|| load(include_str!("terraform.json")))
}

fn load(data: &str) -> Vec<Entry> {
    let rows: Vec<Row> = serde_json::from_str(data).expect("the policy tables are valid (tested)");
    rows.into_iter()
        .map(|row| {
            let steps = row
                .path
                .split('.')
                .map(|step| match step.strip_suffix("[*]") {
                    Some(name) => Step {
                        name: name.to_string(),
                        each: true,
                    },
                    None => Step {
                        name: step.to_string(),
                        each: false,
                    },
                })
                .collect();
            Entry {
                resource_type: Box::leak(row.resource_type.into_boxed_str()),
                path: Box::leak(row.path.into_boxed_str()),
                steps,
                kind: Box::leak(row.kind.into_boxed_str()),
                when: row.when,
                default: row.default,
                sam: row.sam,
                ignore: row.ignore,
                build: row.build.map(|b| match b.as_str() {
                    "statement" => Build::Statement,
                    "lambda-permission" => Build::LambdaPermission,
                    "sam-api" => Build::SamApi,
                    other => panic!("policy table: unknown build `{other}`"),
                }),
            }
        })
        .collect()
}

/// The shape of a resource attribute that holds an ARN (`aws_kms_key`'s `arn`), as the
/// provider writes it: `{}` a part only apply knows, `{name}` the resource's own attribute when
/// written literally, `{path=/}` with the provider's default when the attribute is absent.
#[derive(Debug, Deserialize)]
pub struct ArnShape {
    #[serde(rename = "type")]
    pub resource_type: String,
    pub attribute: String,
    pub arn: String,
}

/// The ARN shape of `resource_type`'s `attribute` in Terraform's AWS provider.
pub fn terraform_arn(resource_type: &str, attribute: &str) -> Option<&'static ArnShape> {
    static TABLE: OnceLock<Vec<ArnShape>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            serde_json::from_str(include_str!("terraform_arns.json"))
                .expect("the ARN table is valid (tested)")
        })
        .iter()
        .find(|shape| shape.resource_type == resource_type && shape.attribute == attribute)
}

pub fn entries_for(resource_type: &str) -> impl Iterator<Item = &'static Entry> + '_ {
    entries()
        .iter()
        .filter(move |e| e.resource_type == resource_type)
}

pub fn terraform_entries_for(resource_type: &str) -> impl Iterator<Item = &'static Entry> + '_ {
    terraform_entries()
        .iter()
        .filter(move |e| e.resource_type == resource_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_and_names_known_kinds() {
        assert!(entries().len() > 40);
        for entry in entries() {
            // Every kind the table names is one iamlint checks.
            assert!(
                crate::policy::Kind::parse(entry.kind).is_some(),
                "{entry:?}"
            );
            assert!(entry.resource_type.starts_with("AWS::"), "{entry:?}");
            assert!(entry.steps.iter().all(|s| !s.name.is_empty()), "{entry:?}");
            for rule in &entry.ignore {
                assert!(crate::rules::registry::find(rule).is_some(), "{rule}");
            }
        }
        assert!(terraform_entries().len() > 40);
        for entry in terraform_entries() {
            assert!(
                crate::policy::Kind::parse(entry.kind).is_some(),
                "{entry:?}"
            );
            assert!(entry.resource_type.starts_with("aws_"), "{entry:?}");
            assert!(entry.steps.iter().all(|s| !s.name.is_empty()), "{entry:?}");
            assert!(!entry.sam, "{entry:?}");
            for rule in &entry.ignore {
                assert!(crate::rules::registry::find(rule).is_some(), "{rule}");
            }
        }
    }

    #[test]
    fn a_conditional_entry_applies_by_its_property_s_value() {
        let entry = |kind: &str, default| {
            (terraform_entries().iter().chain(entries()))
                .find(|e| e.when.as_ref().is_some_and(|w| w.1 == kind) && e.default == default)
                .unwrap_or_else(|| panic!("a table row for {kind} (default {default})"))
        };
        let (scp, rcp) = ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY");
        // (entry, the property's value, whether the entry applies)
        let cases = [
            (entry(scp, false), Some(scp), true),
            (entry(scp, false), Some(rcp), false),
            (entry(scp, false), None, false),
            (entry(rcp, false), Some(rcp), true),
            (entry(rcp, false), Some("TAG_POLICY"), false),
            (entry(rcp, false), None, false),
            // Terraform's `aws_organizations_policy` without `type` is an SCP.
            (entry(scp, true), None, true),
            (entry(scp, true), Some(rcp), false),
            (entry(scp, true), Some(scp), true),
        ];
        for (entry, value, applies) in cases {
            let mut asked = None;
            let got = entry.applies(|name| {
                asked = Some(name.to_string());
                value
            });
            assert_eq!(got, applies, "{entry:?} with {value:?}");
            assert_eq!(
                asked.as_deref(),
                Some(entry.when.as_ref().unwrap().0.as_str())
            );
        }
        // An entry without a condition holds whatever the resource says, without asking.
        let plain = entries().iter().find(|e| e.when.is_none()).unwrap();
        assert!(plain.applies(|_| unreachable!("no property to read")));
    }

    #[test]
    fn every_arn_shape_has_six_parts_and_well_formed_fields() {
        let rows: Vec<ArnShape> =
            serde_json::from_str(include_str!("terraform_arns.json")).unwrap();
        assert!(rows.len() > 20);
        for row in &rows {
            assert!(row.resource_type.starts_with("aws_"), "{row:?}");
            assert!(row.arn.starts_with("arn:{}:"), "{row:?}");
            assert!(row.arn.splitn(6, ':').count() == 6, "{row:?}");
            // Fields close, and name an attribute (lower snake case).
            let mut rest = row.arn.as_str();
            while let Some(open) = rest.find('{') {
                let close = rest[open..].find('}').expect("closed") + open;
                let field = rest[open + 1..close].split('=').next().unwrap();
                assert!(
                    field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                    "{row:?}"
                );
                rest = &rest[close + 1..];
            }
            assert!(!rest.contains('}'), "{row:?}");
            let found = terraform_arn(&row.resource_type, &row.attribute).unwrap();
            assert_eq!(found.arn, row.arn);
        }
    }
}
