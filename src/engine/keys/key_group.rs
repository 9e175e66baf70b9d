//! A key group's index: Flink's `int keyGroupIndex` (also spelled `keyGroupId`, `keyGroup`) — what
//! `KeyGroupRangeAssignment.assignToKeyGroup` and `computeKeyGroupForKeyHash` return, what a `KeyGroupRange`
//! contains, what `StateTable.getMapForKeyGroup(keyGroupIndex)` looks up (at `keyGroupIndex - startKeyGroup`),
//! the unit a checkpoint's `KeyGroupRangeOffsets` stores and a rescale moves.
//!
//! Flink keeps it in an `int`. It is always in `[0, maxParallelism)`, and `maxParallelism` is at most
//! `UPPER_BOUND_MAX_PARALLELISM` (1 << 15), so a [`KeyGroup`] holds 15 bits and every conversion out of it is
//! lossless: [`KeyGroup::index`] for the per-key-group arrays, [`KeyGroup::as_i32`] where Flink's `int`
//! arithmetic is mirrored, `u32`/`u64`/`i32`/`usize` by `From`. Into it: [`KeyGroup::try_from`] for numbers that
//! come from outside (a blob, a command line), checked; `KeyGroup::from_java` inside the crate for what
//! Flink's own arithmetic computed (`murmurHash % maxParallelism`, a position in a range), in range by
//! construction and asserted in debug builds only, since the per-record path computes one per record.
//!
//! It serializes as the plain number (`#[serde(transparent)]`) and displays as one, so events, reports and
//! traces read exactly as they did when key groups were plain integers.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// The index of one key group, in `[0, UPPER_BOUND_MAX_PARALLELISM)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct KeyGroup(u16);

/// A number that is no key group of any job: outside `[0, 32768)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyGroupOutOfRange(pub i64);

crate::i18n::english_error!(KeyGroupOutOfRange => crate::i18n::messages::errors::key_group_out_of_range);

impl KeyGroup {
    /// How many key groups a job can have at most: `KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM`
    /// (1 << 15; not imported from there, which imports this file).
    pub const LIMIT: u32 = 1 << 15;

    /// A key group Flink's `int` arithmetic computed — `murmurHash(hash) % maxParallelism`, `keyGroup` of a
    /// `KeyGroupRange` — and so in `[0, maxParallelism)` by construction. Asserted in debug builds only.
    #[inline]
    pub(crate) const fn from_java(key_group: i32) -> KeyGroup {
        debug_assert!(key_group >= 0 && (key_group as u32) < KeyGroup::LIMIT);
        KeyGroup(key_group as u16)
    }

    /// A key group written as a literal (a lesson's, a test's): checked, at compile time in a `const`.
    pub const fn new(key_group: u16) -> KeyGroup {
        assert!((key_group as u32) < KeyGroup::LIMIT, "not a key group");
        KeyGroup(key_group)
    }

    /// The key groups `0..max_parallelism` of a job, in ascending order (`KeyGroupRange.of(0,
    /// maxParallelism - 1)`); at most [`Self::LIMIT`] of them.
    pub fn all(
        max_parallelism: u32,
    ) -> impl DoubleEndedIterator<Item = KeyGroup> + ExactSizeIterator + Clone {
        (0..max_parallelism.min(KeyGroup::LIMIT) as u16).map(KeyGroup)
    }

    /// Flink's `int keyGroupIndex`, for its arithmetic (`keyGroupId * parallelism / maxParallelism`, range
    /// bounds).
    #[inline]
    pub const fn as_i32(self) -> i32 {
        self.0 as i32
    }

    /// The key group as an index into per-key-group arrays (a checkpoint's key groups, the owner of each).
    #[inline]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for KeyGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<KeyGroup> for i32 {
    fn from(kg: KeyGroup) -> i32 {
        i32::from(kg.0)
    }
}

impl From<KeyGroup> for i64 {
    fn from(kg: KeyGroup) -> i64 {
        i64::from(kg.0)
    }
}

impl From<KeyGroup> for u32 {
    fn from(kg: KeyGroup) -> u32 {
        u32::from(kg.0)
    }
}

impl From<KeyGroup> for u64 {
    fn from(kg: KeyGroup) -> u64 {
        u64::from(kg.0)
    }
}

impl From<KeyGroup> for usize {
    fn from(kg: KeyGroup) -> usize {
        usize::from(kg.0)
    }
}

impl TryFrom<i64> for KeyGroup {
    type Error = KeyGroupOutOfRange;

    fn try_from(n: i64) -> Result<KeyGroup, KeyGroupOutOfRange> {
        match u16::try_from(n) {
            Ok(kg) if u32::from(kg) < KeyGroup::LIMIT => Ok(KeyGroup(kg)),
            _ => Err(KeyGroupOutOfRange(n)),
        }
    }
}

impl TryFrom<i32> for KeyGroup {
    type Error = KeyGroupOutOfRange;

    fn try_from(n: i32) -> Result<KeyGroup, KeyGroupOutOfRange> {
        KeyGroup::try_from(i64::from(n))
    }
}

impl TryFrom<u32> for KeyGroup {
    type Error = KeyGroupOutOfRange;

    fn try_from(n: u32) -> Result<KeyGroup, KeyGroupOutOfRange> {
        KeyGroup::try_from(i64::from(n))
    }
}

impl TryFrom<usize> for KeyGroup {
    type Error = KeyGroupOutOfRange;

    fn try_from(n: usize) -> Result<KeyGroup, KeyGroupOutOfRange> {
        KeyGroup::try_from(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// Read as the number it is written as, and checked: no JSON makes a key group out of range.
impl<'de> Deserialize<'de> for KeyGroup {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<KeyGroup, D::Error> {
        KeyGroup::try_from(u32::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_flinks_upper_bound_of_the_max_parallelism() {
        use crate::engine::keys::key_group_range_assignment::UPPER_BOUND_MAX_PARALLELISM;
        assert_eq!(
            i64::from(KeyGroup::LIMIT),
            i64::from(UPPER_BOUND_MAX_PARALLELISM)
        );
    }

    #[test]
    fn conversions_are_checked_coming_in_and_lossless_going_out() {
        assert_eq!(KeyGroup::try_from(0u32), Ok(KeyGroup::new(0)));
        assert_eq!(KeyGroup::try_from(32_767i32).map(i32::from), Ok(32_767));
        assert_eq!(
            KeyGroup::try_from(32_768u32),
            Err(KeyGroupOutOfRange(32_768))
        );
        assert_eq!(KeyGroup::try_from(-1i32), Err(KeyGroupOutOfRange(-1)));
        assert_eq!(
            KeyGroup::try_from(usize::MAX),
            Err(KeyGroupOutOfRange(i64::MAX))
        );
        let kg = KeyGroup::from_java(81);
        assert_eq!(
            (kg.index(), kg.as_i32(), u32::from(kg), u64::from(kg)),
            (81, 81, 81, 81)
        );
        assert_eq!(
            KeyGroup::all(3).collect::<Vec<_>>(),
            [0, 1, 2].map(KeyGroup::new)
        );
        assert_eq!(KeyGroup::all(u32::MAX).len(), 32_768);
    }

    #[test]
    fn it_reads_and_writes_as_the_plain_number() {
        let kg = KeyGroup::new(81);
        assert_eq!(kg.to_string(), "81");
        assert_eq!(format!("{kg:>4}"), "  81");
        assert_eq!(serde_json::to_string(&kg).unwrap(), "81");
        assert_eq!(serde_json::from_str::<KeyGroup>("81").unwrap(), kg);
        assert!(serde_json::from_str::<KeyGroup>("32768").is_err());
        assert!(serde_json::from_str::<KeyGroup>("-1").is_err());
    }
}
