//! `org.apache.flink.runtime.state.KeyGroupRange`: the inclusive range of key groups one subtask's keyed state
//! backend owns. The empty range is `[0, -1]`, as in Flink, which is why its bounds stay Flink's `int`s while
//! the key groups in it are [`KeyGroup`]s.

use crate::engine::keys::key_group::KeyGroup;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KeyGroupRange {
    start_key_group: i32,
    end_key_group: i32,
}

impl KeyGroupRange {
    /// `KeyGroupRange.EMPTY_KEY_GROUP_RANGE`.
    pub const EMPTY: KeyGroupRange = KeyGroupRange {
        start_key_group: 0,
        end_key_group: -1,
    };

    /// `KeyGroupRange.of(start, end)`: the range, or the empty range when `start > end`. A negative start is
    /// clamped away by callers; Flink's constructor rejects it, so do we by returning the empty range.
    pub const fn of(start_key_group: i32, end_key_group: i32) -> KeyGroupRange {
        if start_key_group >= 0 && start_key_group <= end_key_group {
            KeyGroupRange {
                start_key_group,
                end_key_group,
            }
        } else {
            KeyGroupRange::EMPTY
        }
    }

    pub const fn start_key_group(&self) -> i32 {
        self.start_key_group
    }

    pub const fn end_key_group(&self) -> i32 {
        self.end_key_group
    }

    /// `getNumberOfKeyGroups()`.
    pub const fn number_of_key_groups(&self) -> usize {
        (self.end_key_group - self.start_key_group + 1) as usize
    }

    pub const fn is_empty(&self) -> bool {
        self.end_key_group < self.start_key_group
    }

    /// `contains(keyGroup)`.
    #[inline]
    pub const fn contains(&self, key_group: KeyGroup) -> bool {
        key_group.as_i32() >= self.start_key_group && key_group.as_i32() <= self.end_key_group
    }

    /// `getIntersection(other)`.
    pub fn intersection(&self, other: &KeyGroupRange) -> KeyGroupRange {
        KeyGroupRange::of(
            self.start_key_group.max(other.start_key_group),
            self.end_key_group.min(other.end_key_group),
        )
    }

    /// The key groups in ascending order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = KeyGroup> + Clone {
        // `of` keeps a non-empty range within `[0, …]`, and every key group of a job below 1 << 15.
        (self.start_key_group..=self.end_key_group).map(KeyGroup::from_java)
    }

    /// Position of `key_group` inside this range (`keyGroup - startKeyGroup`), the index `StateTable` uses for
    /// its per-key-group maps.
    #[inline]
    pub const fn index_of(&self, key_group: KeyGroup) -> Option<usize> {
        if self.contains(key_group) {
            // Not negative: `contains` checked that the key group is not below the start.
            Some((key_group.as_i32() - self.start_key_group) as usize)
        } else {
            None
        }
    }

    /// The key group at `position` inside this range (`startKeyGroup + position`), the inverse of
    /// [`Self::index_of`]; `None` past its end.
    pub fn key_group_at(&self, position: usize) -> Option<KeyGroup> {
        let key_group = self
            .start_key_group
            .checked_add(i32::try_from(position).ok()?)?;
        (key_group <= self.end_key_group).then(|| KeyGroup::from_java(key_group))
    }
}

impl fmt::Display for KeyGroupRange {
    /// Flink's `toString()`, used in its error messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "KeyGroupRange{{startKeyGroup={}, endKeyGroup={}}}",
            self.start_key_group, self.end_key_group
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_range_has_no_key_groups() {
        assert_eq!(KeyGroupRange::EMPTY.number_of_key_groups(), 0);
        assert!(KeyGroupRange::of(5, 4).is_empty());
        assert_eq!(KeyGroupRange::EMPTY.iter().count(), 0);
    }

    #[test]
    fn intersection_of_rescaled_ranges() {
        // M=128, 2 -> 3: new subtask 1 [43-85] reads 43-63 from old 0 and 64-85 from old 1.
        let new1 = KeyGroupRange::of(43, 85);
        assert_eq!(
            new1.intersection(&KeyGroupRange::of(0, 63)),
            KeyGroupRange::of(43, 63)
        );
        assert_eq!(
            new1.intersection(&KeyGroupRange::of(64, 127)),
            KeyGroupRange::of(64, 85)
        );
        assert!(KeyGroupRange::of(0, 42)
            .intersection(&KeyGroupRange::of(64, 127))
            .is_empty());
    }

    #[test]
    fn display_matches_flink() {
        assert_eq!(
            KeyGroupRange::of(0, 63).to_string(),
            "KeyGroupRange{startKeyGroup=0, endKeyGroup=63}"
        );
    }

    #[test]
    fn index_of_is_offset_from_start() {
        let r = KeyGroupRange::of(64, 127);
        assert_eq!(r.index_of(KeyGroup::new(64)), Some(0));
        assert_eq!(r.index_of(KeyGroup::new(127)), Some(63));
        assert_eq!(r.index_of(KeyGroup::new(63)), None);
        assert_eq!(r.key_group_at(0), Some(KeyGroup::new(64)));
        assert_eq!(r.key_group_at(63), Some(KeyGroup::new(127)));
        assert_eq!(r.key_group_at(64), None);
        assert_eq!(KeyGroupRange::EMPTY.key_group_at(0), None);
        assert!(r
            .iter()
            .enumerate()
            .all(|(i, kg)| r.index_of(kg) == Some(i) && r.key_group_at(i) == Some(kg)));
    }
}
