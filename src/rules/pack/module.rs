//! Finding the `cloudwatch-logs-import` scenario in a Terraform module, as [`bind`] finds it in a
//! CloudFormation stack, and checking it with the module's spans ([`stack::evaluate`]).
//!
//! From each `aws_cloudtrail_event_data_store`, `kms_key_id` leads (directly, or through an
//! `aws_kms_alias`'s `target_key_id`) to an `aws_kms_key`, whose key policy is its `policy` or
//! that of an `aws_kms_key_policy` whose `key_id` names it. The import role is the `aws_iam_role`
//! whose `assume_role_policy` trusts `cloudtrail.amazonaws.com` and whose policies (its
//! `inline_policy`, an `aws_iam_role_policy` whose `role` names it, an `aws_iam_policy` of the
//! module attached by an `aws_iam_role_policy_attachment`, an `aws_iam_policy_attachment` or its
//! `managed_policy_arns`) allow `cloudtrail:GetEventDataStoreData` on the store (else the only
//! such role that is no trail's `cloud_watch_logs_role_arn`, when a caller passes it or starts an
//! import: see [`bind::import_role`]). A caller is any
//! identity policy of the module that allows `logs:CreateImportTask`, or `iam:PassRole` on that
//! role. What is missing stays unbound, so a partial module checks what is there.
//!
//! A reference is read in the source text, before it becomes a placeholder:
//! `aws_iam_role.import.arn` names the resource its placeholder no longer does. The files of a
//! module are read together, since references cross them; each file reports the findings inside
//! it, so that a finding is reported once, in the file that holds it.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::Body;
use hcl_edit::Span as _;

use super::bind::{self, Given, StackScenario};
use super::stack::{self, Bound, PACK};
use super::Pack;
use crate::policy::glob;
use crate::rules::{Diagnostic, RuleMeta};
use crate::source::{FileId, Node};
use crate::template::terraform::{self, ModuleIndex, VarFile};
use crate::template::{Found, Reading};

const STORE: &str = "aws_cloudtrail_event_data_store";
const KEY: &str = "aws_kms_key";
const KEY_POLICY: &str = "aws_kms_key_policy";
const ALIAS: &str = "aws_kms_alias";
const ROLE: &str = "aws_iam_role";
const POLICY: &str = "aws_iam_policy";

/// The findings of [`findings`] inside member `member`, as `file`'s.
pub fn in_file(all: &[Diagnostic], member: usize, file: FileId) -> Vec<Diagnostic> {
    let own = FileId(member as u32);
    let mut out: Vec<Diagnostic> = all.iter().filter(|d| d.file == own).cloned().collect();
    for d in &mut out {
        d.file = file;
        // Another file of the module is not an input this report can point into.
        d.related.retain(|r| r.file == own);
        for related in &mut d.related {
            related.file = file;
        }
    }
    out
}

/// Every finding on the scenarios of a module, each in the file holding it: `FileId(m)` for
/// member `m` of `index` (a run checking every file of a module works them out once).
pub fn findings(
    packs: &[&Pack],
    index: &ModuleIndex,
    var_files: &[VarFile],
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    let packs: Vec<&Pack> = packs.iter().copied().filter(|p| p.name == PACK).collect();
    // Most modules set up no store: they cost a text search.
    if packs.is_empty() || !index.files().any(|f| f.text.contains(STORE)) {
        return Vec::new();
    }
    let parsed = parsed(index);
    let found = found(index, var_files);
    let module = Module::new(&parsed, &found, index, var_files);
    let mut out = Vec::new();
    for scenario in module.cloudwatch_logs_import() {
        let bound: Vec<Bound> = scenario
            .documents
            .iter()
            .filter_map(|(slot, pointer)| {
                let (i, found) = found.iter().enumerate().find_map(|(i, in_file)| {
                    Some((i, in_file.iter().find(|f| &f.pointer == pointer)?))
                })?;
                Some(Bound {
                    slot,
                    file: FileId(i as u32),
                    text: parsed[i].0,
                    found,
                })
            })
            .collect();
        let files: Vec<(FileId, Option<&Node>)> = (0..parsed.len())
            .map(|i| (FileId(i as u32), None))
            .collect();
        for pack in &packs {
            out.extend(stack::evaluate(pack, &scenario, &bound, &files, enabled));
        }
    }
    out
}

/// Each member's text and syntax tree (every member parsed).
fn parsed(index: &ModuleIndex) -> Vec<(&str, &Body)> {
    index
        .files()
        .filter_map(|f| Some((f.text.as_str(), f.body.as_ref()?)))
        .collect()
}

/// Each member's policies, as its own check finds them but read in its own text, so that a
/// document another file names is bound where it is written.
fn found<'m>(index: &'m ModuleIndex, var_files: &'m [VarFile]) -> Vec<Vec<Found<'m>>> {
    (0..index.files().count())
        .map(|member| terraform::find_alone(index, member, var_files))
        .collect()
}

/// A `resource` block of the module.
struct Resource<'m> {
    file: usize,
    kind: &'m str,
    name: &'m str,
    body: &'m Body,
}

impl Resource<'_> {
    /// `aws_iam_role.import`.
    fn address(&self) -> String {
        format!("{}.{}", self.kind, self.name)
    }
}

/// A policy a resource attribute holds, with its document as found.
struct Policy<'m> {
    /// The resource's type and name.
    owner: (&'m str, &'m str),
    /// The attribute's path below the resource (`assume_role_policy`, `inline_policy/0/policy`).
    attribute: &'m str,
    /// The table's kind of the attribute (`identity`, `trust`, `key`...).
    kind: &'static str,
    /// Where the document is: the attribute itself, or the policy-document data source it
    /// names in another file (where that data source is found on its own).
    file: usize,
    pointer: &'m str,
    document: Node<'m>,
}

/// What the binder reads of a module: its resources and the policies they hold.
struct Module<'m> {
    texts: Vec<&'m str>,
    /// For what a variable stands for (a store's `kms_key_id`, a role's `name`).
    index: &'m ModuleIndex,
    var_files: &'m [VarFile],
    resources: Vec<Resource<'m>>,
    /// Only those whose document is known: a policy computed at apply time is listed as not
    /// checked by the file's own check, and binding it would check nothing.
    policies: Vec<Policy<'m>>,
}

impl<'m> Module<'m> {
    fn new(
        parsed: &[(&'m str, &'m Body)],
        found: &'m [Vec<Found<'m>>],
        index: &'m ModuleIndex,
        var_files: &'m [VarFile],
    ) -> Self {
        let texts: Vec<&str> = parsed.iter().map(|(text, _)| *text).collect();
        let mut resources = Vec::new();
        for (file, (_, body)) in parsed.iter().enumerate() {
            for block in body.blocks().filter(|b| b.ident.as_str() == "resource") {
                if let [kind, name] = block.labels.as_slice() {
                    resources.push(Resource {
                        file,
                        kind: kind.as_str(),
                        name: name.as_str(),
                        body: &block.body,
                    });
                }
            }
        }
        // A document standing on its own in its file: a policy-document data source.
        let standing = |pointer: &str| {
            found.iter().enumerate().find_map(|(file, in_file)| {
                let f = in_file.iter().find(|f| f.pointer == pointer)?;
                Some((file, f.pointer.as_str(), f.body(&Reading::default())?.ok()?))
            })
        };
        let mut policies = Vec::new();
        for (file, in_file) in found.iter().enumerate() {
            for f in in_file {
                let Some(rest) = f.pointer.strip_prefix("/resource/") else {
                    continue;
                };
                let mut parts = rest.splitn(3, '/');
                let (Some(kind), Some(name), Some(attribute)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    continue;
                };
                let document = match f.body(&Reading::default()) {
                    Some(Ok(node)) => Some((file, f.pointer.as_str(), node)),
                    // Invalid JSON: reported by the file's own check.
                    Some(Err(_)) => None,
                    None => texts[file]
                        .get(f.span.range())
                        .and_then(data_document)
                        .and_then(|name| {
                            standing(&format!("/data/aws_iam_policy_document/{name}"))
                        }),
                };
                if let Some((file, pointer, document)) = document {
                    policies.push(Policy {
                        owner: (kind, name),
                        attribute,
                        kind: f.kind,
                        file,
                        pointer,
                        document,
                    });
                }
            }
        }
        Module {
            texts,
            index,
            var_files,
            resources,
            policies,
        }
    }

    /// The `name` a resource is given: written literally, or a variable's value.
    fn literal_name(&self, resource: &Resource<'m>) -> Option<&'m str> {
        match &resource.body.get_attribute("name")?.value {
            Expression::String(name) => Some(name.value().as_str()),
            value => self.variable(value),
        }
    }

    /// The string a `var.NAME` expression stands for, when a variable file or the variable's
    /// default writes it.
    fn variable(&self, value: &Expression) -> Option<&'m str> {
        let Expression::Traversal(traversal) = value else {
            return None;
        };
        let (Expression::Variable(root), [operator]) =
            (&traversal.expr, traversal.operators.as_slice())
        else {
            return None;
        };
        let TraversalOperator::GetAttr(name) = operator.value() else {
            return None;
        };
        (root.as_str() == "var")
            .then(|| self.index.string_value(name.as_str(), self.var_files))
            .flatten()
    }

    fn of_kind<'s>(&'s self, kind: &'s str) -> impl Iterator<Item = &'s Resource<'m>> + 's {
        self.resources.iter().filter(move |r| r.kind == kind)
    }

    fn resource(&self, (kind, name): (&str, &str)) -> Option<&Resource<'m>> {
        self.resources
            .iter()
            .find(|r| r.kind == kind && r.name == name)
    }

    /// A resource attribute's value and its source text.
    fn written(
        &self,
        resource: &Resource<'m>,
        attribute: &str,
    ) -> Option<(&'m Expression, &'m str)> {
        let value = &resource.body.get_attribute(attribute)?.value;
        let range = value.span()?;
        Some((value, self.texts[resource.file].get(range)?))
    }

    /// Whether a value of a policy document (`p`'s) names the resource at `address`.
    fn names(&self, p: &Policy, value: &Node, address: &str) -> bool {
        self.texts[p.file]
            .get(value.span.range())
            .is_some_and(|text| mentions(text, address))
    }

    /// Whether a resource attribute names `role`: by reference, or by the literal name the role
    /// is given.
    fn names_role(&self, resource: &Resource<'m>, attribute: &str, role: &Resource<'m>) -> bool {
        let Some((value, text)) = self.written(resource, attribute) else {
            return false;
        };
        mentions(text, &role.address())
            || self
                .literal_name(role)
                .is_some_and(|name| strings(value).contains(&name))
    }

    fn trust_of(&self, role: &Resource) -> Option<&Policy<'m>> {
        self.policies
            .iter()
            .find(|p| p.owner == (ROLE, role.name) && p.attribute == "assume_role_policy")
    }

    /// Whether an `aws_cloudtrail` sends its events to CloudWatch Logs as `role`: CloudTrail
    /// assumes that role too, but it is not an import's.
    fn delivers_trail_logs(&self, role: &Resource<'m>) -> bool {
        self.of_kind("aws_cloudtrail")
            .any(|trail| self.names_role(trail, "cloud_watch_logs_role_arn", role))
    }

    /// The role's identity policies: its own, and those attached to it.
    fn role_documents(&self, role: &Resource<'m>) -> Vec<&Policy<'m>> {
        self.policies
            .iter()
            .filter(|p| p.kind == "identity")
            .filter(|p| p.owner == (ROLE, role.name) || self.attached(p.owner, role))
            .collect()
    }

    /// Whether the resource `owner` attaches its policy to `role`.
    fn attached(&self, owner: (&str, &str), role: &Resource<'m>) -> bool {
        let Some(resource) = self.resource(owner) else {
            return false;
        };
        match owner.0 {
            "aws_iam_role_policy" => self.names_role(resource, "role", role),
            POLICY => {
                let policy = resource.address();
                let attaches = |by: &Resource<'m>, roles: &str| {
                    self.names_role(by, roles, role)
                        && self
                            .written(by, "policy_arn")
                            .is_some_and(|(_, text)| mentions(text, &policy))
                };
                self.resources.iter().any(|by| match by.kind {
                    "aws_iam_role_policy_attachment" => attaches(by, "role"),
                    "aws_iam_policy_attachment" => attaches(by, "roles"),
                    _ => false,
                }) || self
                    .written(role, "managed_policy_arns")
                    .is_some_and(|(_, text)| mentions(text, &policy))
            }
            _ => false,
        }
    }

    /// Every event data store's scenario in the module, in file then source order.
    fn cloudwatch_logs_import(&self) -> Vec<StackScenario> {
        let mut out = Vec::new();
        for store in self.of_kind(STORE) {
            let mut scenario = StackScenario {
                store: store.address(),
                key: None,
                alias: None,
                role: None,
                documents: Vec::new(),
                parameters: BTreeMap::from([("event-data-store-arn", Given::Computed)]),
            };
            if let Some((value, text)) = self.written(store, "kms_key_id") {
                self.bind_key(&mut scenario, value, text);
            }
            let trusted: Vec<&Resource> = self
                .of_kind(ROLE)
                .filter(|role| {
                    self.trust_of(role)
                        .is_some_and(|p| bind::trusts_cloudtrail(&p.document))
                })
                .collect();
            let store_address = store.address();
            let reads_store = |role: &&Resource<'m>| {
                self.role_documents(role).iter().any(|p| {
                    bind::allows(&p.document, "cloudtrail:GetEventDataStoreData", |r| {
                        self.names(p, r, &store_address)
                    })
                })
            };
            let role = bind::import_role(
                &trusted,
                reads_store,
                |role| self.delivers_trail_logs(role),
                |role| !self.callers(role).is_empty(),
            );
            if let Some(role) = role {
                self.bind_role(&mut scenario, role);
            }
            out.push(scenario);
        }
        out
    }

    fn bind_key(&self, scenario: &mut StackScenario, key_id: &Expression, text: &str) {
        let named = |kind: &'static str, text: &str| {
            self.of_kind(kind).find(|r| mentions(text, &r.address()))
        };
        let key = match named(ALIAS, text) {
            Some(alias) => {
                scenario.alias = Some(alias.address());
                self.written(alias, "target_key_id")
                    .and_then(|(_, target)| named(KEY, target))
            }
            None => named(KEY, text),
        };
        let given = match key_id {
            // A key outside the module: its ARN (or alias) is known, its policy is not here.
            _ if key.is_some() || scenario.alias.is_some() => Given::Computed,
            Expression::String(literal) => Given::Literal(literal.value().to_string()),
            // A variable whose value a variable file or its default writes: as the policy
            // checks read it.
            _ => match self.variable(key_id) {
                Some(value) => Given::Literal(value.to_string()),
                None => Given::Computed,
            },
        };
        scenario.parameters.insert("kms-key-arn", given);
        let Some(key) = key else {
            return;
        };
        scenario.key = Some(key.address());
        let address = key.address();
        for p in &self.policies {
            let own = p.owner == (KEY, key.name) && p.attribute == "policy";
            let separate = p.owner.0 == KEY_POLICY
                && self
                    .resource(p.owner)
                    .and_then(|r| self.written(r, "key_id"))
                    .is_some_and(|(_, text)| mentions(text, &address));
            if own || separate {
                add(scenario, "key-policy", p.pointer);
            }
        }
    }

    fn bind_role(&self, scenario: &mut StackScenario, role: &Resource<'m>) {
        scenario.role = Some(role.address());
        scenario
            .parameters
            .insert("import-role-arn", Given::Computed);
        if let Some(trust) = self.trust_of(role) {
            add(scenario, "import-role-trust-policy", trust.pointer);
        }
        for p in self.role_documents(role) {
            add(scenario, "import-role-policy", p.pointer);
        }
        for p in self.callers(role) {
            add(scenario, "caller-policy", p.pointer);
        }
    }

    /// The identity policies that start an import (`logs:CreateImportTask`) or pass `role` to
    /// one: by reference, or by an ARN naming the role's literal `name`.
    fn callers(&self, role: &Resource<'m>) -> Vec<&Policy<'m>> {
        let address = role.address();
        let name = self.literal_name(role);
        let passes = |p: &Policy, r: &Node| {
            self.names(p, r, &address)
                || name.is_some_and(|name| r.as_str().is_some_and(|arn| is_role_arn(arn, name)))
        };
        self.policies
            .iter()
            .filter(|p| p.kind == "identity")
            .filter(|p| {
                bind::allows(&p.document, "logs:CreateImportTask", |_| true)
                    || bind::allows(&p.document, "iam:PassRole", |r| passes(p, r))
            })
            .collect()
    }
}

/// Binds a document to a slot once (a data source may be named by several resources).
fn add(scenario: &mut StackScenario, slot: &'static str, pointer: &str) {
    if !scenario
        .documents
        .iter()
        .any(|(s, p)| *s == slot && p == pointer)
    {
        scenario.documents.push((slot, pointer.to_string()));
    }
}

/// The literal strings of a value that is one string or a list of them.
fn strings(value: &Expression) -> Vec<&str> {
    match value {
        Expression::String(s) => vec![s.value().as_str()],
        Expression::Array(items) => items.iter().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

/// Whether `arn` (an IAM role ARN, maybe with wildcards) matches the role named `name`, whatever
/// its path.
fn is_role_arn(arn: &str, name: &str) -> bool {
    arn.starts_with("arn:")
        && arn
            .split_once(":role/")
            .and_then(|(_, path)| path.rsplit('/').next())
            .is_some_and(|last| glob::matches(last, name))
}

/// `data.aws_iam_policy_document.NAME.json` (the whole of an attribute's source text) → `NAME`.
fn data_document(text: &str) -> Option<&str> {
    let name = text.trim().strip_prefix("data.aws_iam_policy_document.")?;
    let name = name
        .strip_suffix(".json")
        .or_else(|| name.strip_suffix(".minified_json"))?;
    name.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        .then_some(name)
}

/// Whether source text refers to the resource at `address` (`aws_iam_role.import`): followed by
/// an attribute or an index, and not part of a longer name or a data source's address.
fn mentions(text: &str, address: &str) -> bool {
    text.match_indices(address).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + address.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
            && matches!(after, Some('.' | '['))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(files: &[&str], tfvars: &[String]) -> ModuleIndex {
        let files = files
            .iter()
            .map(|text| std::sync::Arc::new(crate::rules::ModuleFile::new(text.to_string())));
        ModuleIndex::new(files, tfvars)
    }

    fn bind(files: &[&str]) -> Vec<StackScenario> {
        bind_with(files, &[], &[])
    }

    fn bind_with(files: &[&str], tfvars: &[String], var_files: &[VarFile]) -> Vec<StackScenario> {
        let index = index(files, tfvars);
        let parsed = parsed(&index);
        let found = found(&index, var_files);
        Module::new(&parsed, &found, &index, var_files).cloudwatch_logs_import()
    }

    const STORE_AND_KEY: &str = r#"
resource "aws_cloudtrail_event_data_store" "store" {
  name       = "store"
  kms_key_id = aws_kms_alias.store.arn
}
resource "aws_kms_key" "store" {}
resource "aws_kms_alias" "store" {
  name          = "alias/store"
  target_key_id = aws_kms_key.store.key_id
}
resource "aws_kms_key_policy" "store" {
  key_id = aws_kms_key.store.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "cloudtrail.amazonaws.com" }, Action = "kms:GenerateDataKey", Resource = "*" }]
  })
}
"#;

    const ROLE: &str = r#"
resource "aws_iam_role" "import" {
  name               = "import-role"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  managed_policy_arns = [aws_iam_policy.listed.arn]
  inline_policy {
    name   = "read"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "cloudtrail:GetEventDataStoreData", Resource = aws_cloudtrail_event_data_store.store.arn }]
    })
  }
}
resource "aws_iam_role_policy" "by_name" {
  role   = "import-role"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "logs:CreateLogGroup", Resource = "*" }] })
}
resource "aws_iam_policy" "attached" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "logs:CreateLogStream", Resource = "*" }] })
}
resource "aws_iam_role_policy_attachment" "attached" {
  role       = aws_iam_role.import.name
  policy_arn = aws_iam_policy.attached.arn
}
resource "aws_iam_policy" "listed" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "logs:PutResourcePolicy", Resource = "*" }] })
}
resource "aws_iam_policy" "group" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "logs:DescribeLogGroups", Resource = "*" }] })
}
resource "aws_iam_policy_attachment" "group" {
  name       = "group"
  roles      = [aws_iam_role.import.name]
  policy_arn = aws_iam_policy.group.arn
}
resource "aws_iam_user_policy" "caller" {
  user   = "someone"
  policy = <<EOT
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "${aws_iam_role.import.arn}"}]}
EOT
}
resource "aws_iam_user_policy" "unrelated" {
  user   = "someone"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}
"#;

    const TRUST: &str = r#"
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}
"#;

    #[test]
    fn a_module_binds_every_slot_across_its_files() {
        let found = bind(&[STORE_AND_KEY, ROLE, TRUST]);
        assert_eq!(found.len(), 1);
        let s = &found[0];
        assert_eq!(
            s.describe(),
            "store `aws_cloudtrail_event_data_store.store`, key `aws_kms_key.store` (through \
             alias `aws_kms_alias.store`), role `aws_iam_role.import`"
        );
        assert_eq!(
            s.slot("key-policy"),
            ["/resource/aws_kms_key_policy/store/policy"]
        );
        // The trust policy is the data source of another file the role names.
        assert_eq!(
            s.slot("import-role-trust-policy"),
            ["/data/aws_iam_policy_document/trust"]
        );
        assert_eq!(
            s.slot("import-role-policy"),
            [
                "/resource/aws_iam_role/import/inline_policy/0/policy",
                "/resource/aws_iam_role_policy/by_name/policy",
                "/resource/aws_iam_policy/attached/policy",
                "/resource/aws_iam_policy/listed/policy",
                "/resource/aws_iam_policy/group/policy",
            ]
        );
        assert_eq!(
            s.slot("caller-policy"),
            ["/resource/aws_iam_user_policy/caller/policy"]
        );
        for parameter in ["event-data-store-arn", "import-role-arn", "kms-key-arn"] {
            assert_eq!(
                s.parameters.get(parameter),
                Some(&Given::Computed),
                "{parameter}"
            );
        }
    }

    #[test]
    fn a_key_named_directly_with_its_own_policy_binds_too() {
        let module = STORE_AND_KEY
            .replace("aws_kms_alias.store.arn", "aws_kms_key.store.arn")
            .replace(
                "resource \"aws_kms_key\" \"store\" {}",
                "resource \"aws_kms_key\" \"store\" {\n  policy = jsonencode({ Statement = [] })\n}",
            );
        let s = &bind(&[&module, ROLE, TRUST])[0];
        assert_eq!(
            (s.key.as_deref(), s.alias.as_deref()),
            (Some("aws_kms_key.store"), None)
        );
        assert_eq!(
            s.slot("key-policy"),
            [
                "/resource/aws_kms_key/store/policy",
                "/resource/aws_kms_key_policy/store/policy"
            ]
        );
    }

    #[test]
    fn a_key_outside_the_module_is_a_literal_parameter_with_no_key_policy() {
        let arn = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012";
        let module = STORE_AND_KEY.replace("aws_kms_alias.store.arn", &format!("\"{arn}\""));
        let s = &bind(&[&module])[0];
        assert_eq!(
            s.parameters.get("kms-key-arn"),
            Some(&Given::Literal(arn.into()))
        );
        assert_eq!((s.key.clone(), s.alias.clone()), (None, None));
        assert!(s.slot("key-policy").is_empty());
        // A variable is computed, and its key's policy is not in the module either.
        let module = STORE_AND_KEY.replace("aws_kms_alias.store.arn", "var.key");
        let s = &bind(&[&module])[0];
        assert_eq!(s.parameters.get("kms-key-arn"), Some(&Given::Computed));
        assert!(s.slot("key-policy").is_empty());
    }

    #[test]
    fn a_partial_module_binds_what_is_there() {
        let only_store =
            "resource \"aws_cloudtrail_event_data_store\" \"s\" {\n  name = \"s\"\n}\n";
        let s = &bind(&[only_store])[0];
        assert_eq!(s.describe(), "store `aws_cloudtrail_event_data_store.s`");
        assert!(s.documents.is_empty());
        assert_eq!(s.parameters.len(), 1);
        // No store, no scenario, whatever else the module holds.
        assert!(bind(&[ROLE, TRUST]).is_empty());
    }

    #[test]
    fn a_role_not_trusted_by_cloudtrail_is_not_the_import_role() {
        let trust = TRUST.replace("cloudtrail.amazonaws.com", "lambda.amazonaws.com");
        let s = &bind(&[STORE_AND_KEY, ROLE, &trust])[0];
        assert_eq!(s.role, None);
        assert!(s.slot("caller-policy").is_empty());
        // A trust policy only known at apply time proves nothing either.
        let role = ROLE.replace("data.aws_iam_policy_document.trust.json", "var.trust");
        assert_eq!(bind(&[STORE_AND_KEY, &role, TRUST])[0].role, None);
    }

    #[test]
    fn the_only_trusted_role_is_the_import_role_only_when_an_import_is_set_up() {
        let role = ROLE.replace(
            "Action = \"cloudtrail:GetEventDataStoreData\"",
            "Action = \"logs:PutLogEvents\"",
        );
        let s = &bind(&[STORE_AND_KEY, &role, TRUST])[0];
        assert_eq!(s.role.as_deref(), Some("aws_iam_role.import"));
        // With no policy calling the import or passing the role, it is some other role.
        let role = role.replace("iam:PassRole", "iam:GetRole");
        assert_eq!(bind(&[STORE_AND_KEY, &role, TRUST])[0].role, None);
    }

    #[test]
    fn a_trail_s_log_delivery_role_is_not_the_import_role() {
        let trail = |role: &str| {
            format!(
                "resource \"aws_iam_role\" \"trail\" {{\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n}}\nresource \"aws_cloudtrail\" \"t\" {{\n  cloud_watch_logs_role_arn = aws_iam_role.{role}.arn\n}}\n"
            )
        };
        let not_reading = ROLE.replace(
            "Action = \"cloudtrail:GetEventDataStoreData\"",
            "Action = \"logs:PutLogEvents\"",
        );
        // Beside the import role, whether or not it reads the store yet.
        for role in [ROLE, &not_reading] {
            let s = &bind(&[STORE_AND_KEY, role, TRUST, &trail("trail")])[0];
            assert_eq!(s.role.as_deref(), Some("aws_iam_role.import"));
        }
        // The trail's own role, passed by the caller but not reading the store, is not the import
        // role; nor is the other, which no caller passes.
        let s = &bind(&[STORE_AND_KEY, &not_reading, TRUST, &trail("import")])[0];
        assert_eq!(s.role, None);
        assert!(s.documents.iter().all(|(slot, _)| *slot == "key-policy"));
        // A role that reads the store is the import role, whatever else it is for.
        let s = &bind(&[STORE_AND_KEY, ROLE, TRUST, &trail("import")])[0];
        assert_eq!(s.role.as_deref(), Some("aws_iam_role.import"));
    }

    #[test]
    fn of_two_trusted_roles_the_one_reading_the_store_is_chosen() {
        let decoy = "resource \"aws_iam_role\" \"decoy\" {\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n}\n";
        let s = &bind(&[STORE_AND_KEY, decoy, ROLE, TRUST])[0];
        assert_eq!(s.role.as_deref(), Some("aws_iam_role.import"));
    }

    #[test]
    fn a_caller_may_pass_the_role_by_its_literal_arn() {
        let role = ROLE.replace(
            "${aws_iam_role.import.arn}",
            "arn:aws:iam::123456789012:role/service/import-*",
        );
        let s = &bind(&[STORE_AND_KEY, &role, TRUST])[0];
        assert_eq!(
            s.slot("caller-policy"),
            ["/resource/aws_iam_user_policy/caller/policy"]
        );
        let other = ROLE.replace(
            "${aws_iam_role.import.arn}",
            "arn:aws:iam::123456789012:role/other",
        );
        assert!(bind(&[STORE_AND_KEY, &other, TRUST])[0]
            .slot("caller-policy")
            .is_empty());
    }

    #[test]
    fn a_reference_is_a_whole_address() {
        assert!(mentions("aws_iam_role.import.arn", "aws_iam_role.import"));
        assert!(mentions(
            "${aws_iam_role.import[0].arn}",
            "aws_iam_role.import"
        ));
        assert!(!mentions(
            "aws_iam_role.import_other.arn",
            "aws_iam_role.import"
        ));
        assert!(!mentions(
            "data.aws_iam_role.import.arn",
            "aws_iam_role.import"
        ));
        assert!(!mentions(
            "my_aws_iam_role.import.arn",
            "aws_iam_role.import"
        ));
        assert!(!mentions("aws_iam_role.import", "aws_iam_role.import"));
        assert_eq!(
            data_document(" data.aws_iam_policy_document.t.json\n"),
            Some("t")
        );
        assert_eq!(
            data_document("data.aws_iam_policy_document.t[0].json"),
            None
        );
    }

    #[test]
    fn each_file_reports_the_findings_inside_it_once() {
        let packs: Vec<&Pack> = super::super::builtin().iter().collect();
        let files = [STORE_AND_KEY, ROLE, TRUST];
        let index = index(&files, &[]);
        let whole = findings(&packs, &index, &[], &|_| true);
        let mut counts = Vec::new();
        for (i, text) in files.iter().enumerate() {
            let found = in_file(&whole, i, FileId(7));
            for d in &found {
                assert_eq!(d.file, FileId(7));
                assert!(d.span.end as usize <= text.len(), "{d:?}");
                assert!(d.logical_path.is_some(), "{d:?}");
            }
            counts.push(found.len());
        }
        assert_eq!(counts.iter().sum::<usize>(), whole.len(), "{counts:?}");
        // The key policy grants CloudTrail only `kms:GenerateDataKey`; the role's policies lack
        // most of what the import needs: each file has findings of its own.
        assert!(counts[0] > 0 && counts[1] > 0, "{counts:?}");
    }

    #[test]
    fn a_variable_reads_the_values_of_the_var_files_and_tfvars() {
        let arn = "arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012";
        let store = STORE_AND_KEY.replace("aws_kms_alias.store.arn", "var.key");
        let declared = "variable \"key\" {}\n";
        let given = |text: &str| VarFile::parse("given.tfvars", text).unwrap();
        let key = |s: &StackScenario| s.parameters.get("kms-key-arn").cloned();
        // Set nowhere: computed. Set by a `--var-file`, the module's `.tfvars` or a default:
        // that value, the last `--var-file` winning over the `.tfvars`.
        assert_eq!(key(&bind(&[&store, declared])[0]), Some(Given::Computed));
        let var_files = [given("key = \"other\""), given(&format!("key = \"{arn}\""))];
        let bound = bind_with(
            &[&store, declared],
            &["key = \"tfvars\"".into()],
            &var_files,
        );
        assert_eq!(key(&bound[0]), Some(Given::Literal(arn.into())));
        let bound = bind_with(&[&store, declared], &["key = \"tfvars\"".into()], &[]);
        assert_eq!(key(&bound[0]), Some(Given::Literal("tfvars".into())));
        let defaulted = format!("variable \"key\" {{\n  default = \"{arn}\"\n}}\n");
        assert_eq!(
            key(&bind(&[&store, &defaulted])[0]),
            Some(Given::Literal(arn.into()))
        );
        // A role named by a variable is passed by a caller naming it in a literal ARN.
        let role = ROLE
            .replace("name               = \"import-role\"", "name = var.role")
            .replace(
                "${aws_iam_role.import.arn}",
                "arn:aws:iam::123456789012:role/import-role",
            );
        let callers = |var_files: &[VarFile]| {
            bind_with(
                &[STORE_AND_KEY, &role, TRUST, "variable \"role\" {}\n"],
                &[],
                var_files,
            )[0]
            .slot("caller-policy")
            .len()
        };
        assert_eq!(callers(&[]), 0);
        assert_eq!(callers(&[given("role = \"import-role\"")]), 1);
    }
}
