//! `org.apache.flink.runtime.checkpoint.StateAssignmentOperation`, for the keyed operator: which key groups of
//! a checkpoint each new subtask restores, and whether the checkpoint can be restored at all.
//!
//! * The new subtasks get `computeKeyGroupRangeForOperatorIndex(M, p', i)`; each reads exactly its key groups
//!   from the old state handles (`KeyGroupsStateHandle.getIntersection`). Key → key group never changes for a
//!   fixed `M`, so nothing is rehashed: whole key groups move between subtasks.
//! * The checkpoint's max parallelism must be at least the new parallelism.
//! * If it differs from the job's max parallelism, it is adopted when the job's value was derived
//!   automatically (`canRescaleMaxParallelism`); a configured value that differs is an error.

use crate::engine::checkpoint::completed_checkpoint::CompletedCheckpoint;
use crate::engine::cluster::operator_id::JobOperatorIds;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::keys::key_group_range_assignment::{
    compute_operator_index_for_key_group, create_key_group_partitions, KeyGroupAssignmentError,
};

/// The keyed vertex as Flink names it in these messages: its `JobVertexID` (the id of its head operator, the
/// keyed `EventCounterProcessFunction`), and the `ExecutionJobVertex` object, which Flink prints with `Object`'s
/// `toString()` — its class and identity hash, for which the vertex id's first eight hex digits stand here.
pub fn keyed_vertex() -> String {
    JobOperatorIds::of_job().keyed_vertex().to_string()
}

pub fn execution_job_vertex() -> String {
    format!(
        "org.apache.flink.runtime.executiongraph.ExecutionJobVertex@{}",
        &keyed_vertex()[..8]
    )
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestoreError {
    MaxParallelismBelowParallelism {
        max_parallelism: u32,
        parallelism: u32,
    },
    MaxParallelismChanged {
        checkpoint: u32,
        configured: u32,
    },
    UnknownCheckpoint(u64),
    NoCheckpoint,
    Parallelism {
        parallelism: u32,
        max: u32,
    },
    KeyGroups(KeyGroupAssignmentError),
}

crate::i18n::english_error!(RestoreError => crate::i18n::messages::errors::restore);

crate::engine::error_from!(RestoreError { KeyGroups(KeyGroupAssignmentError) });

/// How the new execution is laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub max_parallelism: u32,
    /// The key-group range of each new subtask.
    pub ranges: Vec<KeyGroupRange>,
}

/// Assigns a checkpoint's key groups to `parallelism` subtasks. `configured_max_parallelism` is the job's
/// explicit setting, `None` when it was derived automatically.
pub fn assign(
    checkpoint: &CompletedCheckpoint,
    parallelism: u32,
    configured_max_parallelism: Option<u32>,
) -> Result<Assignment, RestoreError> {
    let max_parallelism = checkpoint.max_parallelism;
    if max_parallelism < parallelism {
        return Err(RestoreError::MaxParallelismBelowParallelism {
            max_parallelism,
            parallelism,
        });
    }
    if let Some(configured) = configured_max_parallelism {
        if configured != max_parallelism {
            return Err(RestoreError::MaxParallelismChanged {
                checkpoint: max_parallelism,
                configured,
            });
        }
    }
    let ranges = create_key_group_partitions(i64::from(max_parallelism), i64::from(parallelism))?;
    Ok(Assignment {
        max_parallelism,
        ranges,
    })
}

/// The key groups whose subtask changes when `max_parallelism` key groups, laid out for `from` subtasks, are
/// restored at `to`: what a rescale moves (none when the parallelism stays).
pub fn moved_key_groups(max_parallelism: u32, from: u32, to: u32) -> Vec<KeyGroup> {
    let m = max_parallelism as i32;
    let owner = |p: u32, kg| compute_operator_index_for_key_group(m, p as i32, kg);
    KeyGroup::all(max_parallelism)
        .filter(|&kg| owner(from, kg) != owner(to, kg))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cluster::job_config::CheckpointingMode;

    #[test]
    fn a_rescale_moves_the_key_groups_whose_owner_changes_and_a_restart_none() {
        // 2 → 3 over 128: subtask 0 keeps 0..=42 and subtask 1 keeps 64..=85; 43..=63 go from subtask 0 to 1,
        // 86..=127 from subtask 1 to 2.
        let expected: Vec<KeyGroup> = (43..64).chain(86..128).map(KeyGroup::new).collect();
        assert_eq!(moved_key_groups(128, 2, 3), expected);
        assert_eq!(moved_key_groups(128, 3, 2), expected);
        assert!(moved_key_groups(128, 2, 2).is_empty());
    }

    fn checkpoint(max_parallelism: u32) -> CompletedCheckpoint {
        CompletedCheckpoint {
            checkpoint_id: 1,
            trigger_time: 0,
            completion_time: 0,
            mode: CheckpointingMode::ExactlyOnce,
            max_parallelism,
            parallelism: 2,
            source_positions: vec![],
            key_groups: vec![Vec::new(); max_parallelism as usize],
            objects: vec![],
            timers: vec![],
            subtasks: vec![],
        }
    }

    #[test]
    fn rescaling_two_to_three_moves_whole_key_groups() {
        let a = assign(&checkpoint(128), 3, None).unwrap();
        let ranges: Vec<(i32, i32)> = a
            .ranges
            .iter()
            .map(|r| (r.start_key_group(), r.end_key_group()))
            .collect();
        assert_eq!(ranges, vec![(0, 42), (43, 85), (86, 127)]);
    }

    #[test]
    fn messages_are_flinks_naming_the_keyed_vertex_by_its_id() {
        let below = RestoreError::MaxParallelismBelowParallelism {
            max_parallelism: 4,
            parallelism: 8,
        };
        assert_eq!(
            below.to_string(),
            "The state for task e2a406fded32ae49fac48820117d5ae3 can not be restored. The maximum parallelism (4) \
             of the restored state is lower than the configured parallelism (8). Please reduce the parallelism of \
             the task to be lower or equal to the maximum parallelism."
        );
        let changed = RestoreError::MaxParallelismChanged {
            checkpoint: 128,
            configured: 256,
        };
        assert!(changed.to_string().starts_with(
            "The maximum parallelism (128) with which the latest checkpoint of the execution job vertex \
             org.apache.flink.runtime.executiongraph.ExecutionJobVertex@e2a406fd has been taken"
        ));
    }

    #[test]
    fn max_parallelism_rules() {
        assert_eq!(
            assign(&checkpoint(4), 8, None),
            Err(RestoreError::MaxParallelismBelowParallelism {
                max_parallelism: 4,
                parallelism: 8
            })
        );
        assert_eq!(
            assign(&checkpoint(256), 4, None).unwrap().max_parallelism,
            256
        );
        let err = assign(&checkpoint(256), 4, Some(128)).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("The maximum parallelism (256) with which the latest checkpoint"));
        assert!(assign(&checkpoint(128), 4, Some(128)).is_ok());
    }
}
