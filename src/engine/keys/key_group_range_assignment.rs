//! `org.apache.flink.runtime.state.KeyGroupRangeAssignment`: key → key group → operator index, the key-group
//! range of each subtask, and the default max parallelism, with Flink's bounds and error messages.

use crate::engine::keys::java_key::JavaKey;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::keys::math_utils::{murmur_hash, round_up_to_power_of_two};
use crate::engine::tasks::subtask_index::SubtaskIndex;

/// `DEFAULT_LOWER_BOUND_MAX_PARALLELISM` = 1 << 7.
pub const DEFAULT_LOWER_BOUND_MAX_PARALLELISM: i32 = 1 << 7;
/// `UPPER_BOUND_MAX_PARALLELISM` = `Transformation.UPPER_BOUND_MAX_PARALLELISM` = 1 << 15.
pub const UPPER_BOUND_MAX_PARALLELISM: i32 = 1 << 15;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyGroupAssignmentError {
    /// `checkParallelismPreconditions`, for a parallelism or a max parallelism.
    ParallelismOutOfBounds(i64),
    MaxParallelismSmallerThanParallelism,
    /// Flink does not check this; computing a range for a subtask that does not exist is always a caller bug.
    OperatorIndexOutOfBounds {
        index: i64,
        parallelism: i32,
    },
}

crate::i18n::english_error!(KeyGroupAssignmentError => crate::i18n::messages::errors::key_groups);

/// `checkParallelismPreconditions(p)`: `0 < p <= 32768`.
pub fn check_parallelism_preconditions(parallelism: i64) -> Result<i32, KeyGroupAssignmentError> {
    if parallelism > 0 && parallelism <= i64::from(UPPER_BOUND_MAX_PARALLELISM) {
        Ok(parallelism as i32)
    } else {
        Err(KeyGroupAssignmentError::ParallelismOutOfBounds(parallelism))
    }
}

/// `assignToKeyGroup(key, maxParallelism)`.
pub fn assign_to_key_group(key: &JavaKey, max_parallelism: i32) -> KeyGroup {
    compute_key_group_for_key_hash(key.hash_code(), max_parallelism)
}

/// `computeKeyGroupForKeyHash(keyHash, maxParallelism)` = `murmurHash(keyHash) % maxParallelism`.
#[inline]
pub const fn compute_key_group_for_key_hash(key_hash: i32, max_parallelism: i32) -> KeyGroup {
    key_group_of_murmur_hash(murmur_hash(key_hash), max_parallelism)
}

/// The second half of `computeKeyGroupForKeyHash`, `% maxParallelism`, for a key whose `murmurHash` the key
/// registry computed once (`KeyInfo::murmur_hash`). `murmurHash` is never negative, so the key group is in
/// `[0, maxParallelism)`.
#[inline]
pub const fn key_group_of_murmur_hash(murmur_hash: i32, max_parallelism: i32) -> KeyGroup {
    KeyGroup::from_java(murmur_hash % max_parallelism)
}

/// `computeOperatorIndexForKeyGroup(maxParallelism, parallelism, keyGroupId)` = `kg * p / M` (int arithmetic,
/// which cannot overflow within Flink's bounds).
#[inline]
pub const fn compute_operator_index_for_key_group(
    max_parallelism: i32,
    parallelism: i32,
    key_group_id: KeyGroup,
) -> SubtaskIndex {
    SubtaskIndex::from_java(key_group_id.as_i32() * parallelism / max_parallelism)
}

/// `assignKeyToParallelOperator(key, maxParallelism, parallelism)`.
pub fn assign_key_to_parallel_operator(
    key: &JavaKey,
    max_parallelism: i32,
    parallelism: i32,
) -> SubtaskIndex {
    compute_operator_index_for_key_group(
        max_parallelism,
        parallelism,
        assign_to_key_group(key, max_parallelism),
    )
}

/// `computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, operatorIndex)`.
pub fn compute_key_group_range_for_operator_index(
    max_parallelism: i64,
    parallelism: i64,
    operator_index: i64,
) -> Result<KeyGroupRange, KeyGroupAssignmentError> {
    let p = check_parallelism_preconditions(parallelism)?;
    let m = check_parallelism_preconditions(max_parallelism)?;
    if m < p {
        return Err(KeyGroupAssignmentError::MaxParallelismSmallerThanParallelism);
    }
    if operator_index < 0 || operator_index >= i64::from(p) {
        return Err(KeyGroupAssignmentError::OperatorIndexOutOfBounds {
            index: operator_index,
            parallelism: p,
        });
    }
    let i = operator_index as i32;
    let start = (i * m + p - 1) / p;
    let end = ((i + 1) * m - 1) / p;
    Ok(KeyGroupRange::of(start, end))
}

/// The ranges of all `parallelism` subtasks (`StateAssignmentOperation.createKeyGroupPartitions`).
pub fn create_key_group_partitions(
    max_parallelism: i64,
    parallelism: i64,
) -> Result<Vec<KeyGroupRange>, KeyGroupAssignmentError> {
    (0..parallelism.max(0))
        .map(|i| compute_key_group_range_for_operator_index(max_parallelism, parallelism, i))
        .collect::<Result<Vec<_>, _>>()
        .and_then(|ranges| {
            if ranges.is_empty() {
                Err(KeyGroupAssignmentError::ParallelismOutOfBounds(parallelism))
            } else {
                Ok(ranges)
            }
        })
}

/// `computeDefaultMaxParallelism(operatorParallelism)` =
/// `min(max(roundUpToPowerOfTwo(p + p/2), 128), 32768)`.
pub fn compute_default_max_parallelism(
    operator_parallelism: i64,
) -> Result<i32, KeyGroupAssignmentError> {
    let p = check_parallelism_preconditions(operator_parallelism)?;
    Ok(round_up_to_power_of_two(p + p / 2).clamp(
        DEFAULT_LOWER_BOUND_MAX_PARALLELISM,
        UPPER_BOUND_MAX_PARALLELISM,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_examples() {
        let kg = |key: &JavaKey, m| assign_to_key_group(key, m).as_i32();
        let a = JavaKey::String("a".into());
        assert_eq!(kg(&a, 128), 81);
        assert_eq!(kg(&a, 4096), 3025);
        let ops: Vec<i32> = (1..=4)
            .map(|p| assign_key_to_parallel_operator(&a, 128, p).as_i32())
            .collect();
        assert_eq!(ops, vec![0, 1, 1, 2]);
        assert_eq!(kg(&JavaKey::String("user-1".into()), 128), 121);
        assert_eq!(kg(&JavaKey::Long(42), 128), 29);
        assert_eq!(kg(&JavaKey::Long(-1), 4096), 2526);
    }

    #[test]
    fn flinks_own_cep_rescaling_test_vectors() {
        // CEPRescalingTest (maxParallelism 10): 7 -> 1, 10 -> 9, 45 -> 6, 90 -> 2.
        for (key, kg) in [(7, 1), (10, 9), (45, 6), (90, 2)] {
            assert_eq!(
                assign_to_key_group(&JavaKey::Integer(key), 10),
                KeyGroup::new(kg),
                "key {key}"
            );
        }
    }

    #[test]
    fn every_key_group_of_a_range_maps_back_to_its_operator() {
        for m in [1i32, 7, 10, 128, 129, 1000, 32768] {
            for p in [1i32, 2, 3, 5, 7, 8].into_iter().filter(|&p| p <= m) {
                let ranges = create_key_group_partitions(i64::from(m), i64::from(p)).unwrap();
                for (i, r) in SubtaskIndex::all(p as u32).zip(&ranges) {
                    assert_eq!(
                        *r,
                        compute_key_group_range_for_operator_index(
                            i64::from(m),
                            i64::from(p),
                            i64::from(i.as_i32())
                        )
                        .unwrap()
                    );
                    for kg in r.iter() {
                        assert_eq!(compute_operator_index_for_key_group(m, p, kg), i);
                    }
                }
                let total: usize = ranges.iter().map(KeyGroupRange::number_of_key_groups).sum();
                assert_eq!(total, KeyGroup::all(m as u32).len());
            }
        }
    }

    #[test]
    fn bounds_and_errors_follow_flink() {
        assert_eq!(
            compute_default_max_parallelism(40_000),
            Err(KeyGroupAssignmentError::ParallelismOutOfBounds(40_000))
        );
        assert_eq!(
            compute_default_max_parallelism(0).unwrap_err().to_string(),
            "Operator parallelism not within bounds: 0"
        );
        assert_eq!(
            compute_key_group_range_for_operator_index(4, 8, 0),
            Err(KeyGroupAssignmentError::MaxParallelismSmallerThanParallelism)
        );
        assert!(compute_key_group_range_for_operator_index(128, 2, 2).is_err());
        assert_eq!(compute_default_max_parallelism(85), Ok(128));
        assert_eq!(compute_default_max_parallelism(86), Ok(256));
        assert_eq!(compute_default_max_parallelism(10_924), Ok(32768));
    }
}
