//! Hash lookups of a service by prefix and of an action by name, both ignoring ASCII case,
//! through linear-probing tables the generator writes (`SERVICE_SLOTS`, `ACTION_SLOTS`). Every
//! action entry of every policy is looked up: a hash and about two probes cost a tenth of a
//! case-folding binary search over 22,000 names.

use super::generated::{ACTIONS, ACTION_SLOTS, SERVICES, SERVICE_SLOTS};

const EMPTY: u16 = u16::MAX;

/// FNV-1a over the ASCII-lower-cased bytes; `xtask/src/generate.rs` has the same function.
fn name_hash(name: &str) -> u32 {
    name.bytes().fold(0x811c_9dc5, |hash, b| {
        (hash ^ u32::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0193)
    })
}

/// The ids in `slots` from `hash`'s slot up to the first empty one: where the id with that
/// hash must be, if it is anywhere.
fn probe(slots: &'static [u16], hash: u32) -> impl Iterator<Item = usize> {
    let mask = slots.len() - 1;
    let start = hash as usize & mask;
    (0..slots.len())
        .map(move |k| slots[(start + k) & mask])
        .take_while(|&id| id != EMPTY)
        .map(usize::from)
}

/// The index in `SERVICES` of the service with this prefix.
pub(super) fn service(prefix: &str) -> Option<usize> {
    probe(&SERVICE_SLOTS, name_hash(prefix))
        .find(|&i| SERVICES[i].0.get().eq_ignore_ascii_case(prefix))
}

/// The index in `ACTIONS` of the action `name` of service `service`, whose actions are the
/// rows `range`.
pub(super) fn action(service: u16, range: std::ops::Range<u32>, name: &str) -> Option<u32> {
    let hash = name_hash(name) ^ u32::from(service).wrapping_mul(0x9e37_79b9);
    probe(&ACTION_SLOTS, hash)
        .map(|i| i as u32)
        .find(|i| range.contains(i) && ACTIONS[*i as usize].0.get().eq_ignore_ascii_case(name))
}
