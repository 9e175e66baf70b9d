//! A subtask's index within its operator: Flink's `int subtaskIndex` — `TaskInfo.getIndexOfThisSubtask()`, what
//! a function reads through `RuntimeContext#getTaskInfo().getIndexOfThisSubtask()` and a `StreamTask` through
//! its environment — which `KeyGroupRangeAssignment` calls `operatorIndex`
//! (`computeOperatorIndexForKeyGroup`, `computeKeyGroupRangeForOperatorIndex`).
//!
//! It lives here, beside [`StreamTask`](crate::engine::tasks::stream_task::StreamTask), because a subtask *is* a
//! task of this folder: the index is the identity a `StreamTask` is deployed with, and what the engine's events,
//! the sink's records, checkpoint acknowledgements and failures name it by. The key-group arithmetic in `keys/`
//! returns one (the owner of a key group) but does not define it.
//!
//! Flink keeps it in an `int` in `[0, parallelism)`, and a parallelism is at most
//! `UPPER_BOUND_MAX_PARALLELISM` (1 << 15), so a [`SubtaskIndex`] holds 15 bits and every conversion out of it is
//! lossless: [`SubtaskIndex::index`] for the per-subtask arrays (`MiniCluster::tasks`, channels),
//! [`SubtaskIndex::as_i32`] where Flink's `int` arithmetic is mirrored, `u32`/`u64`/`i32`/`usize` by `From`.
//! Into it: [`SubtaskIndex::try_from`] for numbers from outside, checked; `SubtaskIndex::from_java` inside the
//! crate for what Flink's own arithmetic computed (`keyGroup * parallelism / maxParallelism`), in range by
//! construction and asserted in debug builds only.
//!
//! It serializes as the plain number (`#[serde(transparent)]`) and displays as one, so events, reports and
//! traces read exactly as they did when subtask indexes were plain integers.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// The index of one parallel subtask of an operator, in `[0, UPPER_BOUND_MAX_PARALLELISM)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SubtaskIndex(u16);

/// A number that is no subtask index of any operator: outside `[0, 32768)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubtaskIndexOutOfRange(pub i64);

crate::i18n::english_error!(SubtaskIndexOutOfRange => crate::i18n::messages::errors::subtask_index_out_of_range);

impl SubtaskIndex {
    /// How many subtasks an operator can have at most: `KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM`.
    pub const LIMIT: u32 = 1 << 15;

    /// A subtask index Flink's `int` arithmetic computed (`computeOperatorIndexForKeyGroup`), in
    /// `[0, parallelism)` by construction. Asserted in debug builds only.
    #[inline]
    pub(crate) const fn from_java(index: i32) -> SubtaskIndex {
        debug_assert!(index >= 0 && (index as u32) < SubtaskIndex::LIMIT);
        SubtaskIndex(index as u16)
    }

    /// A subtask index written as a literal (a test's): checked, at compile time in a `const`.
    pub const fn new(index: u16) -> SubtaskIndex {
        assert!((index as u32) < SubtaskIndex::LIMIT, "not a subtask index");
        SubtaskIndex(index)
    }

    /// The subtasks `0..parallelism` of an operator, in order; at most [`Self::LIMIT`] of them.
    pub fn all(
        parallelism: u32,
    ) -> impl DoubleEndedIterator<Item = SubtaskIndex> + ExactSizeIterator + Clone {
        (0..parallelism.min(SubtaskIndex::LIMIT) as u16).map(SubtaskIndex)
    }

    /// Flink's `int subtaskIndex`, for its arithmetic.
    #[inline]
    pub const fn as_i32(self) -> i32 {
        self.0 as i32
    }

    /// The subtask as an index into per-subtask arrays (the cluster's tasks, a checkpoint's acknowledgements).
    #[inline]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for SubtaskIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<SubtaskIndex> for i32 {
    fn from(i: SubtaskIndex) -> i32 {
        i32::from(i.0)
    }
}

impl From<SubtaskIndex> for i64 {
    fn from(i: SubtaskIndex) -> i64 {
        i64::from(i.0)
    }
}

impl From<SubtaskIndex> for u32 {
    fn from(i: SubtaskIndex) -> u32 {
        u32::from(i.0)
    }
}

impl From<SubtaskIndex> for u64 {
    fn from(i: SubtaskIndex) -> u64 {
        u64::from(i.0)
    }
}

impl From<SubtaskIndex> for usize {
    fn from(i: SubtaskIndex) -> usize {
        usize::from(i.0)
    }
}

impl TryFrom<i64> for SubtaskIndex {
    type Error = SubtaskIndexOutOfRange;

    fn try_from(n: i64) -> Result<SubtaskIndex, SubtaskIndexOutOfRange> {
        match u16::try_from(n) {
            Ok(i) if u32::from(i) < SubtaskIndex::LIMIT => Ok(SubtaskIndex(i)),
            _ => Err(SubtaskIndexOutOfRange(n)),
        }
    }
}

impl TryFrom<i32> for SubtaskIndex {
    type Error = SubtaskIndexOutOfRange;

    fn try_from(n: i32) -> Result<SubtaskIndex, SubtaskIndexOutOfRange> {
        SubtaskIndex::try_from(i64::from(n))
    }
}

impl TryFrom<u32> for SubtaskIndex {
    type Error = SubtaskIndexOutOfRange;

    fn try_from(n: u32) -> Result<SubtaskIndex, SubtaskIndexOutOfRange> {
        SubtaskIndex::try_from(i64::from(n))
    }
}

impl TryFrom<usize> for SubtaskIndex {
    type Error = SubtaskIndexOutOfRange;

    fn try_from(n: usize) -> Result<SubtaskIndex, SubtaskIndexOutOfRange> {
        SubtaskIndex::try_from(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// Read as the number it is written as, and checked: no JSON makes a subtask index out of range.
impl<'de> Deserialize<'de> for SubtaskIndex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SubtaskIndex, D::Error> {
        SubtaskIndex::try_from(u32::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_flinks_upper_bound_of_the_parallelism() {
        use crate::engine::keys::key_group_range_assignment::UPPER_BOUND_MAX_PARALLELISM;
        assert_eq!(
            i64::from(SubtaskIndex::LIMIT),
            i64::from(UPPER_BOUND_MAX_PARALLELISM)
        );
    }

    #[test]
    fn conversions_are_checked_coming_in_and_lossless_going_out() {
        assert_eq!(SubtaskIndex::try_from(0usize), Ok(SubtaskIndex::new(0)));
        assert_eq!(SubtaskIndex::try_from(32_767u32).map(u32::from), Ok(32_767));
        assert_eq!(
            SubtaskIndex::try_from(32_768i32),
            Err(SubtaskIndexOutOfRange(32_768))
        );
        assert_eq!(
            SubtaskIndex::try_from(-1i64),
            Err(SubtaskIndexOutOfRange(-1))
        );
        let i = SubtaskIndex::from_java(3);
        assert_eq!(
            (i.index(), i.as_i32(), u32::from(i), u64::from(i)),
            (3, 3, 3, 3)
        );
        assert_eq!(
            SubtaskIndex::all(3).collect::<Vec<_>>(),
            [0, 1, 2].map(SubtaskIndex::new)
        );
    }

    #[test]
    fn it_reads_and_writes_as_the_plain_number() {
        let i = SubtaskIndex::new(2);
        assert_eq!(i.to_string(), "2");
        assert_eq!(serde_json::to_string(&Some(i)).unwrap(), "2");
        assert_eq!(serde_json::from_str::<SubtaskIndex>("2").unwrap(), i);
        assert!(serde_json::from_str::<SubtaskIndex>("40000").is_err());
    }
}
