//! Row types of the generated tables. Tuple structs keep `generated.rs` short; the
//! accessors below give the fields their names. Ranges are `start, len` into the named
//! table; key ids and resource-type ids are indices into `KEYS` and `RESOURCE_TYPES`.
//! The generator checks that every id fits its field. Names are `N`s into `TEXT`, not
//! `&'static str`: a pointer in a static is relocated by the dynamic loader at every start.

use super::generated::TEXT;
use super::{AccessLevel, ConditionType};

/// A name in `TEXT`: its start and length in bytes.
#[derive(Clone, Copy)]
pub(super) struct N(pub u32, pub u16);

impl N {
    pub fn get(self) -> &'static str {
        &TEXT[self.0 as usize..][..usize::from(self.1)]
    }
}

/// prefix, display name, actions range, resource types range, keys range.
pub(super) struct S(
    pub N,
    pub N,
    pub u32,
    pub u32,
    pub u32,
    pub u32,
    pub u32,
    pub u32,
);
pub(super) type ServiceRow = S;

/// name, access level, start in `LISTS`, number of resource-type refs, number of key ids.
/// The action's slice of `LISTS` is its refs (`resource type id << 1 | required`) followed by
/// its key ids: the action's own keys plus every key of its resource types, deduplicated.
pub(super) struct A(pub N, pub AccessLevel, pub u32, pub u8, pub u16);
pub(super) type ActionRow = A;

/// key, ARN template, key ids range in `LISTS`.
pub(super) struct T(pub N, pub N, pub u32, pub u16);
pub(super) type ResourceTypeRow = T;

/// key name (possibly a `${Var}` template) and its type.
pub(super) struct K(pub N, pub KeyType);
pub(super) type KeyRow = K;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct KeyType {
    pub ty: ConditionType,
    pub multi_valued: bool,
}

const fn single(ty: ConditionType) -> KeyType {
    KeyType {
        ty,
        multi_valued: false,
    }
}
const fn multi(ty: ConditionType) -> KeyType {
    KeyType {
        ty,
        multi_valued: true,
    }
}

// One constant per type the generator can emit; the current data does not use them all.
pub(super) const STR: KeyType = single(ConditionType::String);
pub(super) const ARR_STR: KeyType = multi(ConditionType::String);
pub(super) const ARN: KeyType = single(ConditionType::Arn);
pub(super) const ARR_ARN: KeyType = multi(ConditionType::Arn);
pub(super) const BOOL: KeyType = single(ConditionType::Bool);
pub(super) const ARR_BOOL: KeyType = multi(ConditionType::Bool);
pub(super) const NUM: KeyType = single(ConditionType::Numeric);
#[allow(dead_code)]
pub(super) const ARR_NUM: KeyType = multi(ConditionType::Numeric);
pub(super) const DATE: KeyType = single(ConditionType::Date);
#[allow(dead_code)]
pub(super) const ARR_DATE: KeyType = multi(ConditionType::Date);
pub(super) const IP: KeyType = single(ConditionType::IpAddress);
#[allow(dead_code)]
pub(super) const ARR_IP: KeyType = multi(ConditionType::IpAddress);
#[allow(dead_code)]
pub(super) const BIN: KeyType = single(ConditionType::Binary);
#[allow(dead_code)]
pub(super) const ARR_BIN: KeyType = multi(ConditionType::Binary);
