//! Finding the `cloudwatch-logs-import` scenario in a CloudFormation stack, with no
//! `iamlint.toml`: the resources a stack declares say which of its policies plays which slot.
//!
//! From each `AWS::CloudTrail::EventDataStore`, `KmsKeyId` leads (directly, or through an
//! `AWS::KMS::Alias`'s `TargetKeyId`) to the key and its `KeyPolicy`. The import role is the
//! `AWS::IAM::Role` trusted by `cloudtrail.amazonaws.com` whose policies (its own `Policies`, and
//! every `AWS::IAM::Policy`, `ManagedPolicy` or `RolePolicy` attached to it) allow
//! `cloudtrail:GetEventDataStoreData` on the store, else the only such role that is no
//! `AWS::CloudTrail::Trail`'s `CloudWatchLogsRoleArn`, when a caller is there (see
//! [`import_role`]). A caller is any identity policy of the stack that allows
//! `logs:CreateImportTask`, or `iam:PassRole` on that role. What is missing stays unbound, so a
//! partial stack checks what is there.
//!
//! The binding reads the template before intrinsics are resolved: a `Ref` or `Fn::GetAtt` names
//! the resource it points at, which the placeholder it later becomes no longer does. Only each
//! `Fn::If` is resolved, in every reading of the policy: a role or a caller on one side of it is
//! bound, and the scenario's readings say what fails on the other side.

use std::collections::BTreeMap;

use crate::policy::glob;
use crate::source::{Node, Value};
use crate::template::Found;

/// A parameter of the pack as the stack gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    /// Written out in the template.
    Literal(String),
    /// Computed by CloudFormation at deploy time (`Ref`, `Fn::GetAtt`): a placeholder, so a grant
    /// that depends on it cannot be proven.
    Computed,
}

/// One event data store's import scenario, as found in a stack (or a Terraform module: see
/// [`super::module`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackScenario {
    /// Logical ids (Terraform addresses) of what was bound: the store, then the key, alias and
    /// role when found.
    pub store: String,
    pub key: Option<String>,
    pub alias: Option<String>,
    pub role: Option<String>,
    /// `(slot, JSON Pointer of the policy document in the template)`, in source order per slot.
    /// A module's pointers (`/resource/aws_iam_role/import/assume_role_policy`) are unique across
    /// its files, as Terraform addresses are.
    pub documents: Vec<(&'static str, String)>,
    /// The pack's parameters the stack determines.
    pub parameters: BTreeMap<&'static str, Given>,
}

impl StackScenario {
    /// "store `Store`, key `Key` (through alias `Alias`), role `ImportRole`": what a finding says
    /// it bound.
    pub fn describe(&self) -> String {
        let mut parts = vec![format!("store `{}`", self.store)];
        match (&self.key, &self.alias) {
            (Some(key), Some(alias)) => {
                parts.push(format!("key `{key}` (through alias `{alias}`)"))
            }
            (Some(key), None) => parts.push(format!("key `{key}`")),
            _ => {}
        }
        if let Some(role) = &self.role {
            parts.push(format!("role `{role}`"));
        }
        parts.join(", ")
    }

    pub fn slot(&self, slot: &str) -> Vec<&str> {
        self.documents
            .iter()
            .filter(|(s, _)| *s == slot)
            .map(|(_, p)| p.as_str())
            .collect()
    }
}

const STORE: &str = "AWS::CloudTrail::EventDataStore";
const ROLE: &str = "AWS::IAM::Role";
const KEY: &str = "AWS::KMS::Key";
const ALIAS: &str = "AWS::KMS::Alias";
const TRAIL: &str = "AWS::CloudTrail::Trail";
const CLOUDTRAIL: &str = "cloudtrail.amazonaws.com";

/// Which of the roles CloudTrail may assume (`trusted`) is a store's import role, for a stack
/// and a module alike: the first whose policies let it read the store, the grant that tells it
/// apart from a trail's CloudWatch Logs role (trusted by the same service). Else the only one
/// that no trail delivers its logs as, when an import is set up (a caller starts one or passes
/// it): it cannot read the store yet, and that is a finding. With no caller nothing imports, and
/// a role CloudTrail assumes for something else is not an import role to get wrong.
pub(super) fn import_role<R>(
    trusted: &[R],
    reads_store: impl Fn(&R) -> bool,
    delivers_trail_logs: impl Fn(&R) -> bool,
    has_caller: impl Fn(&R) -> bool,
) -> Option<&R> {
    trusted.iter().find(|r| reads_store(r)).or_else(|| {
        let candidates: Vec<&R> = (trusted.iter())
            .filter(|r| !delivers_trail_logs(r))
            .collect();
        match candidates.as_slice() {
            [only] if has_caller(only) => Some(*only),
            _ => None,
        }
    })
}

/// Every event data store's scenario in a template (its tree `root` and the policies `found` in
/// it), in source order.
pub fn cloudwatch_logs_import(root: &Node, found: &[Found]) -> Vec<StackScenario> {
    let resources = resources(root);
    // Most templates have no store: they cost one pass over their resources.
    if !resources.iter().any(|r| r.kind == STORE) {
        return Vec::new();
    }
    // Every identity policy document of the stack: (pointer, owning resource, the document as
    // written in each of its readings).
    let identity: Vec<(&str, &str, Vec<Node>)> = found
        .iter()
        .filter(|f| f.kind == "identity" && !f.built)
        .filter_map(|f| Some((f.pointer.as_str(), owner_of(&f.pointer)?, written(f))))
        .collect();
    // A role's trust policy, in each of its readings.
    let trust = |role: &Resource| {
        let pointer = format!("/Resources/{}/Properties/AssumeRolePolicyDocument", role.id);
        (found.iter())
            .find(|f| f.pointer == pointer)
            .map(written)
            .unwrap_or_default()
    };
    let of_type = |wanted: &str| {
        resources
            .iter()
            .filter(move |r| r.kind == wanted)
            .collect::<Vec<_>>()
    };
    let mut out = Vec::new();
    for store in of_type(STORE) {
        let mut scenario = StackScenario {
            store: store.id.to_string(),
            key: None,
            alias: None,
            role: None,
            documents: Vec::new(),
            parameters: BTreeMap::from([("event-data-store-arn", Given::Computed)]),
        };
        if let Some(key_id) = store.properties.and_then(|p| p.get("KmsKeyId")) {
            bind_key(&mut scenario, &key_id.value, &resources);
        }
        // The role's own documents, and those attached to it.
        let role_documents = |role: &Resource| -> Vec<&(&str, &str, Vec<Node>)> {
            identity
                .iter()
                .filter(|(_, owner, _)| *owner == role.id || attached(&resources, owner, role.id))
                .collect()
        };
        let trusted: Vec<&Resource> = of_type(ROLE)
            .into_iter()
            .filter(|r| trust(r).iter().any(trusts_cloudtrail))
            .collect();
        let reads_store = |role: &&Resource| {
            role_documents(role).iter().any(|(_, _, readings)| {
                readings.iter().any(|doc| {
                    allows(doc, "cloudtrail:GetEventDataStoreData", |r| {
                        refers_to(r, store.id)
                    })
                })
            })
        };
        // The policies that start an import, or pass the role to one.
        let callers = |role: &Resource| -> Vec<&str> {
            (identity.iter())
                .filter(|(_, _, readings)| {
                    readings.iter().any(|doc| {
                        allows(doc, "logs:CreateImportTask", |_| true)
                            || allows(doc, "iam:PassRole", |r| refers_to(r, role.id))
                    })
                })
                .map(|(pointer, _, _)| *pointer)
                .collect()
        };
        let delivers_trail_logs = |role: &&Resource| {
            of_type(TRAIL).iter().any(|trail| {
                (trail.properties)
                    .and_then(|p| p.get("CloudWatchLogsRoleArn"))
                    .is_some_and(|arn| refers_to(&arn.value, role.id))
            })
        };
        let role = import_role(&trusted, reads_store, delivers_trail_logs, |role| {
            !callers(role).is_empty()
        });
        if let Some(&role) = role {
            scenario.role = Some(role.id.to_string());
            scenario
                .parameters
                .insert("import-role-arn", Given::Computed);
            scenario.documents.push((
                "import-role-trust-policy",
                format!("/Resources/{}/Properties/AssumeRolePolicyDocument", role.id),
            ));
            for (pointer, _, _) in role_documents(role) {
                scenario
                    .documents
                    .push(("import-role-policy", pointer.to_string()));
            }
            for pointer in callers(role) {
                scenario
                    .documents
                    .push(("caller-policy", pointer.to_string()));
            }
        }
        out.push(scenario);
    }
    out
}

/// A policy document as written in each of its readings, so that one whose statement sits inside
/// an `Fn::If` is read on each side (see [`Found::written`]); none when it is not a tree.
fn written<'t>(found: &Found<'t>) -> Vec<Node<'t>> {
    (found.readings().iter())
        .filter_map(|reading| found.written(reading))
        .collect()
}

fn bind_key(scenario: &mut StackScenario, key_id: &Node, resources: &[Resource]) {
    let Some(id) = target(key_id) else {
        // A key outside the stack: its ARN (or alias) is known, its policy is not here.
        if let Some(literal) = key_id.as_str() {
            scenario
                .parameters
                .insert("kms-key-arn", Given::Literal(literal.to_string()));
        }
        return;
    };
    let Some(resource) = resources.iter().find(|r| r.id == id) else {
        // A parameter or an import: computed, and its policy is not in the stack.
        scenario.parameters.insert("kms-key-arn", Given::Computed);
        return;
    };
    let key = match resource.kind {
        KEY => Some(resource),
        ALIAS => {
            scenario.alias = Some(resource.id.to_string());
            resource
                .properties
                .and_then(|p| p.get("TargetKeyId"))
                .and_then(|t| target(&t.value))
                .and_then(|id| resources.iter().find(|r| r.id == id && r.kind == KEY))
        }
        _ => None,
    };
    scenario.parameters.insert("kms-key-arn", Given::Computed);
    if let Some(key) = key {
        scenario.key = Some(key.id.to_string());
        if key.properties.and_then(|p| p.get("KeyPolicy")).is_some() {
            scenario.documents.push((
                "key-policy",
                format!("/Resources/{}/Properties/KeyPolicy", key.id),
            ));
        }
    }
}

struct Resource<'t> {
    id: &'t str,
    kind: &'t str,
    properties: Option<&'t Node<'t>>,
}

fn resources<'t>(root: &'t Node<'t>) -> Vec<Resource<'t>> {
    root.get("Resources")
        .and_then(|r| r.value.as_object())
        .unwrap_or_default()
        .iter()
        .filter_map(|r| {
            Some(Resource {
                id: &r.key.name,
                kind: r.value.get("Type")?.value.as_str()?,
                properties: r.value.get("Properties").map(|p| &p.value),
            })
        })
        .collect()
}

/// `/Resources/Role/Properties/...` → `Role` (logical ids need no pointer escaping: they are
/// alphanumeric).
fn owner_of(pointer: &str) -> Option<&str> {
    pointer.strip_prefix("/Resources/")?.split('/').next()
}

/// Whether the policy resource `owner` attaches its document to `role`: an `AWS::IAM::Policy` or
/// `ManagedPolicy` listing it in `Roles`, a `RolePolicy` naming it in `RoleName`, or a managed
/// policy the role lists in `ManagedPolicyArns`.
fn attached(resources: &[Resource], owner: &str, role: &str) -> bool {
    let Some(policy) = resources.iter().find(|r| r.id == owner) else {
        return false;
    };
    let names = |resource: &Resource, property: &str, id: &str| {
        resource
            .properties
            .and_then(|p| p.get(property))
            .is_some_and(|v| refers_to(&v.value, id))
    };
    match policy.kind {
        "AWS::IAM::Policy" => names(policy, "Roles", role),
        "AWS::IAM::RolePolicy" => names(policy, "RoleName", role),
        "AWS::IAM::ManagedPolicy" => {
            names(policy, "Roles", role)
                || resources
                    .iter()
                    .find(|r| r.id == role)
                    .is_some_and(|r| names(r, "ManagedPolicyArns", owner))
        }
        _ => false,
    }
}

/// The logical id a `Ref` or `Fn::GetAtt` points at.
fn target<'n>(node: &'n Node) -> Option<&'n str> {
    let [member] = node.as_object()? else {
        return None;
    };
    match (member.key.name.as_ref(), &member.value.value) {
        ("Ref", Value::String(id)) => Some(id),
        ("Fn::GetAtt", Value::String(dotted)) => dotted.split('.').next(),
        ("Fn::GetAtt", Value::Array(parts)) => parts.first()?.as_str(),
        _ => None,
    }
}

/// Whether a value names resource `id` anywhere: a `Ref`, an `Fn::GetAtt`, or `${id}` /
/// `${id.Attribute}` in an `Fn::Sub`.
fn refers_to(node: &Node, id: &str) -> bool {
    if target(node) == Some(id) {
        return true;
    }
    match &node.value {
        Value::Object(members) => members.iter().any(|m| {
            let in_sub = m.key.name == "Fn::Sub"
                && match &m.value.value {
                    Value::Array(items) => items.first().and_then(Node::as_str),
                    _ => m.value.as_str(),
                }
                .is_some_and(|text| {
                    text.contains(&format!("${{{id}}}")) || text.contains(&format!("${{{id}."))
                });
            in_sub || refers_to(&m.value, id)
        }),
        Value::Array(items) => items.iter().any(|i| refers_to(i, id)),
        _ => false,
    }
}

/// The strings of a value that is one string or a list of them.
fn strings<'n>(node: &'n Node) -> Vec<&'n str> {
    match &node.value {
        Value::String(s) => vec![s],
        Value::Array(items) => items.iter().filter_map(Node::as_str).collect(),
        _ => Vec::new(),
    }
}

fn statements<'n>(document: &'n Node<'n>) -> Vec<&'n Node<'n>> {
    match document.get("Statement").map(|s| &s.value) {
        Some(
            node @ Node {
                value: Value::Object(_),
                ..
            },
        ) => vec![node],
        Some(Node {
            value: Value::Array(items),
            ..
        }) => items.iter().collect(),
        _ => Vec::new(),
    }
}

/// Whether a raw policy document has an `Allow` statement whose `Action` covers `action` and one
/// of whose `Resource` values is `*` or passes `resource`. Binding only: the pack's rules decide
/// what the documents grant.
pub(super) fn allows(document: &Node, action: &str, resource: impl Fn(&Node) -> bool) -> bool {
    statements(document).iter().any(|s| {
        let allow = s.get("Effect").and_then(|e| e.value.as_str()) == Some("Allow");
        let acts = s.get("Action").is_some_and(|a| {
            strings(&a.value)
                .iter()
                .any(|p| glob::matches_ignore_case(p, action))
        });
        let on = s.get("Resource").is_some_and(|r| match &r.value.value {
            Value::Array(items) => items.iter().any(|i| i.as_str() == Some("*") || resource(i)),
            _ => r.value.as_str() == Some("*") || resource(&r.value),
        });
        allow && acts && on
    })
}

/// Whether a raw trust policy lets `cloudtrail.amazonaws.com` assume the role.
pub(super) fn trusts_cloudtrail(document: &Node) -> bool {
    statements(document).iter().any(|s| {
        let allow = s.get("Effect").and_then(|e| e.value.as_str()) == Some("Allow");
        let assume = s.get("Action").is_some_and(|a| {
            strings(&a.value)
                .iter()
                .any(|p| glob::matches_ignore_case(p, "sts:AssumeRole"))
        });
        let service = s
            .get("Principal")
            .and_then(|p| p.value.get("Service"))
            .is_some_and(|v| strings(&v.value).contains(&CLOUDTRAIL));
        allow && assume && service
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_yaml;

    fn bind(text: &str) -> Vec<StackScenario> {
        let root = parse_yaml(text).unwrap();
        cloudwatch_logs_import(&root, &crate::template::find(text, &root))
    }

    const STACK: &str = r#"
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: cloudtrail.amazonaws.com}
            Action: kms:GenerateDataKey
            Resource: "*"
  KeyAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/store
      TargetKeyId: !Ref Key
  Store:
    Type: AWS::CloudTrail::EventDataStore
    Properties:
      KmsKeyId: !Ref KeyAlias
  ImportRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: [cloudtrail.amazonaws.com]}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: cloudtrail:GetEventDataStoreData
                Resource: !GetAtt Store.EventDataStoreArn
  Write:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref ImportRole]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [logs:CreateLogGroup, logs:CreateLogStream]
            Resource: "*"
  Caller:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: caller
      Users: [someone]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: iam:PassRole
            Resource: !GetAtt ImportRole.Arn
  Unrelated:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: other
      Users: [someone]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: "*"
"#;

    #[test]
    fn a_full_stack_binds_every_slot_through_the_alias() {
        let found = bind(STACK);
        assert_eq!(found.len(), 1);
        let s = &found[0];
        assert_eq!(s.store, "Store");
        assert_eq!(s.key.as_deref(), Some("Key"));
        assert_eq!(s.alias.as_deref(), Some("KeyAlias"));
        assert_eq!(s.role.as_deref(), Some("ImportRole"));
        assert_eq!(
            s.slot("key-policy"),
            ["/Resources/Key/Properties/KeyPolicy"]
        );
        assert_eq!(
            s.slot("import-role-trust-policy"),
            ["/Resources/ImportRole/Properties/AssumeRolePolicyDocument"]
        );
        assert_eq!(
            s.slot("import-role-policy"),
            [
                "/Resources/ImportRole/Properties/Policies/0/PolicyDocument",
                "/Resources/Write/Properties/PolicyDocument"
            ]
        );
        assert_eq!(
            s.slot("caller-policy"),
            ["/Resources/Caller/Properties/PolicyDocument"]
        );
        for parameter in ["event-data-store-arn", "import-role-arn", "kms-key-arn"] {
            assert_eq!(
                s.parameters.get(parameter),
                Some(&Given::Computed),
                "{parameter}"
            );
        }
        assert_eq!(
            s.describe(),
            "store `Store`, key `Key` (through alias `KeyAlias`), role `ImportRole`"
        );
    }

    #[test]
    fn a_key_named_directly_and_a_role_policy_naming_the_role_bind_too() {
        let text = STACK
            .replace("KmsKeyId: !Ref KeyAlias", "KmsKeyId: !GetAtt Key.Arn")
            .replace(
                "Type: AWS::IAM::ManagedPolicy\n    Properties:\n      Roles: [!Ref ImportRole]",
                "Type: AWS::IAM::RolePolicy\n    Properties:\n      RoleName: !Ref ImportRole",
            );
        let s = &bind(&text)[0];
        assert_eq!((s.key.as_deref(), s.alias.as_deref()), (Some("Key"), None));
        assert!(s
            .slot("import-role-policy")
            .contains(&"/Resources/Write/Properties/PolicyDocument"));
    }

    #[test]
    fn a_managed_policy_the_role_lists_is_the_role_s() {
        let text = STACK
            .replace("      Roles: [!Ref ImportRole]\n", "")
            .replace(
                "      Policies:\n",
                "      ManagedPolicyArns: [!Ref Write]\n      Policies:\n",
            );
        let s = &bind(&text)[0];
        assert!(s
            .slot("import-role-policy")
            .contains(&"/Resources/Write/Properties/PolicyDocument"));
    }

    #[test]
    fn a_partial_stack_binds_what_is_there() {
        let cut = STACK.find("  Caller:").unwrap();
        let s = &bind(&STACK[..cut])[0];
        assert_eq!(s.role.as_deref(), Some("ImportRole"));
        assert!(s.slot("caller-policy").is_empty());
        let only_store = "Resources:\n  Store:\n    Type: AWS::CloudTrail::EventDataStore\n";
        let s = &bind(only_store)[0];
        assert_eq!((s.key.clone(), s.role.clone()), (None, None));
        assert!(s.documents.is_empty());
        assert_eq!(s.parameters.len(), 1);
    }

    #[test]
    fn a_role_not_trusted_by_cloudtrail_is_not_the_import_role() {
        let text = STACK.replace(
            "Principal: {Service: [cloudtrail.amazonaws.com]}",
            "Principal: {Service: [lambda.amazonaws.com]}",
        );
        let s = &bind(&text)[0];
        assert_eq!(s.role, None);
        assert!(s.slot("caller-policy").is_empty());
    }

    #[test]
    fn of_two_trusted_roles_the_one_reading_the_store_is_chosen() {
        let decoy = "  Decoy:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {Service: cloudtrail.amazonaws.com}\n            Action: sts:AssumeRole\n";
        let text = STACK.replace("  ImportRole:\n", &format!("{decoy}  ImportRole:\n"));
        assert_eq!(bind(&text)[0].role.as_deref(), Some("ImportRole"));
    }

    /// A trail delivering its logs to CloudWatch Logs as `role`, and a role `TrailRole` that
    /// CloudTrail may assume to do so.
    fn with_trail(text: &str, role: &str) -> String {
        format!(
            "{text}  TrailRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {{Service: cloudtrail.amazonaws.com}}\n            Action: sts:AssumeRole\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      S3BucketName: logs\n      CloudWatchLogsRoleArn: !GetAtt {role}.Arn\n"
        )
    }

    /// The stack whose import role cannot read the store yet.
    fn not_reading() -> String {
        STACK.replace(
            "Action: cloudtrail:GetEventDataStoreData",
            "Action: cloudtrail:GetEventDataStore",
        )
    }

    #[test]
    fn a_trail_s_log_delivery_role_is_not_the_import_role() {
        // Beside the import role, whether or not it reads the store yet.
        assert_eq!(
            bind(&with_trail(STACK, "TrailRole"))[0].role.as_deref(),
            Some("ImportRole")
        );
        let s = &bind(&with_trail(&not_reading(), "TrailRole"))[0];
        assert_eq!(s.role.as_deref(), Some("ImportRole"));
        assert_eq!(
            s.slot("caller-policy"),
            ["/Resources/Caller/Properties/PolicyDocument"]
        );
        // The trail's own role, passed by the caller but not reading the store, is not the import
        // role; nor is the other, which no caller passes.
        let s = &bind(&with_trail(&not_reading(), "ImportRole"))[0];
        assert_eq!(s.role, None);
        assert!(s.documents.iter().all(|(slot, _)| *slot == "key-policy"));
        // A role that reads the store is the import role, whatever else it is for.
        assert_eq!(
            bind(&with_trail(STACK, "ImportRole"))[0].role.as_deref(),
            Some("ImportRole")
        );
    }

    #[test]
    fn the_only_trusted_role_is_the_import_role_only_when_an_import_is_set_up() {
        let text = not_reading();
        assert_eq!(bind(&text)[0].role.as_deref(), Some("ImportRole"));
        // A partial stack with no caller: CloudTrail may assume the role for something else.
        let cut = text.find("  Caller:").unwrap();
        let s = &bind(&text[..cut])[0];
        assert_eq!(s.role, None);
        assert!(s.documents.iter().all(|(slot, _)| *slot == "key-policy"));
        // Starting an import is setting one up, whatever role it passes.
        let starts = text.replace("Action: iam:PassRole", "Action: logs:CreateImportTask");
        assert_eq!(bind(&starts)[0].role.as_deref(), Some("ImportRole"));
    }

    #[test]
    fn a_statement_inside_an_fn_if_binds_on_the_side_it_is_on() {
        // The trust, on one side only.
        let text = STACK.replace(
            "Principal: {Service: [cloudtrail.amazonaws.com]}",
            "Principal: {Service: !If [IsProd, cloudtrail.amazonaws.com, lambda.amazonaws.com]}",
        );
        assert_eq!(bind(&text)[0].role.as_deref(), Some("ImportRole"));
        // The store's read, beside a role CloudTrail may assume that cannot read it.
        let decoy = "  Decoy:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {Service: cloudtrail.amazonaws.com}\n            Action: sts:AssumeRole\n";
        let text = STACK
            .replace("  ImportRole:\n", &format!("{decoy}  ImportRole:\n"))
            .replace(
                "Action: cloudtrail:GetEventDataStoreData",
                "Action: !If [IsProd, \"cloudtrail:GetEventDataStoreData\", \"cloudtrail:GetEventDataStore\"]",
            );
        assert_eq!(bind(&text)[0].role.as_deref(), Some("ImportRole"));
        // The caller's statement, as the only item of a list on one side.
        let text = STACK.replace(
            "          - Effect: Allow\n            Action: iam:PassRole\n            Resource: !GetAtt ImportRole.Arn\n",
            "          - !If\n            - IsProd\n            - Effect: Allow\n              Action: iam:PassRole\n              Resource: !GetAtt ImportRole.Arn\n            - !Ref AWS::NoValue\n",
        );
        assert_ne!(text, STACK);
        assert_eq!(
            bind(&text)[0].slot("caller-policy"),
            ["/Resources/Caller/Properties/PolicyDocument"]
        );
        // On neither side: not bound.
        let text = STACK.replace(
            "Principal: {Service: [cloudtrail.amazonaws.com]}",
            "Principal: {Service: !If [IsProd, ec2.amazonaws.com, lambda.amazonaws.com]}",
        );
        assert_eq!(bind(&text)[0].role, None);
    }

    #[test]
    fn a_key_outside_the_stack_is_a_literal_parameter_with_no_key_policy() {
        let arn = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012";
        let text = STACK.replace("KmsKeyId: !Ref KeyAlias", &format!("KmsKeyId: {arn}"));
        let s = &bind(&text)[0];
        assert_eq!(
            s.parameters.get("kms-key-arn"),
            Some(&Given::Literal(arn.into()))
        );
        assert!(s.slot("key-policy").is_empty());
    }
}
