//! `org.apache.flink.runtime.checkpoint.CompletedCheckpoint` and the `CompletedCheckpointStore` that retains
//! the last `num-retained` of them (Flink's default: 1). A checkpoint is complete once every task and source
//! acknowledged it; a newer completed checkpoint subsumes the oldest beyond the limit, which is only removed
//! after the newer one is safely in the store.
//!
//! StateLab's checkpoint holds, per key group, the entries of `"event-counter"` exactly as the asynchronous
//! phase wrote them (bucket order), the source positions, and the statistics Flink's Web UI shows.

use crate::engine::cluster::job_config::CheckpointingMode;
use crate::engine::keys::key_registry::KeyId;
use crate::engine::shared::deque::Deque;
use crate::engine::source::data_generator_source::SplitPosition;
use crate::engine::state::heap::state_objects::StateValueObject;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// Per-subtask statistics, in the vocabulary of Flink's checkpoint details.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubtaskCheckpointStats {
    pub subtask: u32,
    /// When the subtask acknowledged (simulated ns).
    pub ack_time: u64,
    /// First barrier to last barrier.
    pub alignment_ns: u64,
    pub sync_ns: u64,
    pub async_ns: u64,
    /// Bytes of the subtask's state handle ("Checkpointed Data Size").
    pub state_size: u64,
    pub entries: u64,
    /// Entries copied on write while this subtask's snapshot was being written.
    pub copy_on_write_copies: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CompletedCheckpoint {
    pub checkpoint_id: u64,
    pub trigger_time: u64,
    pub completion_time: u64,
    pub mode: CheckpointingMode,
    /// The number of key groups the state was partitioned into.
    pub max_parallelism: u32,
    /// Parallelism of the keyed operator when it was taken.
    pub parallelism: u32,
    /// Where each source split resumes.
    pub source_positions: Vec<SplitPosition>,
    /// The entries of the job function's state per key group (index = key group) when it is a `Long` per key:
    /// the counter's `"event-counter"`, a running sum.
    pub key_groups: Vec<Vec<(KeyId, i64)>>,
    /// … and when it is an object per key (a list, a map, an accumulator, a `TtlValue`): empty, or one list
    /// per key group.
    pub objects: Vec<Vec<(KeyId, StateValueObject)>>,
    /// The processing-time timers of the operator's timer service per key group (key, timestamp in ms): empty,
    /// or one list per key group.
    pub timers: Vec<Vec<(KeyId, i64)>>,
    pub subtasks: Vec<SubtaskCheckpointStats>,
}

impl CompletedCheckpoint {
    /// Total bytes of all subtasks' state handles.
    pub fn state_size(&self) -> u64 {
        self.subtasks.iter().map(|s| s.state_size).sum()
    }

    pub fn entries(&self) -> usize {
        self.key_groups.iter().map(Vec::len).sum::<usize>()
            + self.objects.iter().map(Vec::len).sum::<usize>()
    }

    /// The timers of key group `index`.
    pub fn timers_of(&self, index: usize) -> &[(KeyId, i64)] {
        self.timers.get(index).map_or(&[], Vec::as_slice)
    }

    /// The object entries of key group `index` (none when the state is a `Long` per key).
    pub fn objects_of(&self, index: usize) -> &[(KeyId, StateValueObject)] {
        self.objects.get(index).map_or(&[], Vec::as_slice)
    }
}

/// `StandaloneCompletedCheckpointStore` with `maxNumberOfCheckpointsToRetain`.
#[derive(Clone, Debug)]
pub struct CompletedCheckpointStore {
    max_retained: usize,
    checkpoints: Deque<Rc<CompletedCheckpoint>>,
}

impl CompletedCheckpointStore {
    pub fn new(max_retained: usize) -> Self {
        CompletedCheckpointStore {
            max_retained: max_retained.max(1),
            checkpoints: Deque::default(),
        }
    }

    /// `addCheckpointAndSubsumeOldestOne`: returns the ids of the checkpoints it removed.
    pub fn add(&mut self, checkpoint: CompletedCheckpoint) -> Vec<u64> {
        self.checkpoints.push_back(Rc::new(checkpoint));
        let mut subsumed = Vec::new();
        while self.checkpoints.len() > self.max_retained {
            if let Some(old) = self.checkpoints.pop_front() {
                subsumed.push(old.checkpoint_id);
            }
        }
        subsumed
    }

    pub fn latest(&self) -> Option<&Rc<CompletedCheckpoint>> {
        self.checkpoints.back()
    }

    pub fn get(&self, checkpoint_id: u64) -> Option<&Rc<CompletedCheckpoint>> {
        self.checkpoints
            .iter()
            .find(|c| c.checkpoint_id == checkpoint_id)
    }

    /// Retained checkpoints, oldest first.
    pub fn all(
        &self,
    ) -> impl DoubleEndedIterator<Item = &Rc<CompletedCheckpoint>> + ExactSizeIterator + '_ {
        self.checkpoints.iter()
    }

    pub fn max_retained(&self) -> usize {
        self.max_retained
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkpoint(id: u64) -> CompletedCheckpoint {
        CompletedCheckpoint {
            checkpoint_id: id,
            trigger_time: 0,
            completion_time: 0,
            mode: CheckpointingMode::ExactlyOnce,
            max_parallelism: 128,
            parallelism: 1,
            source_positions: vec![],
            key_groups: vec![],
            objects: vec![],
            timers: vec![],
            subtasks: vec![],
        }
    }

    #[test]
    fn store_retains_the_newest_n() {
        let mut store = CompletedCheckpointStore::new(2);
        assert!(store.add(checkpoint(1)).is_empty());
        assert!(store.add(checkpoint(2)).is_empty());
        assert_eq!(store.add(checkpoint(3)), vec![1]);
        assert_eq!(
            store.all().map(|c| c.checkpoint_id).collect::<Vec<_>>(),
            vec![2, 3]
        );
        assert_eq!(store.latest().unwrap().checkpoint_id, 3);
        assert!(store.get(1).is_none());
    }
}
