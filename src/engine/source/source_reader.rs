//! One source subtask reading its split — Flink's `SourceReader` (`org.apache.flink.api.connector.source`):
//! the split's position, the rate schedule, backpressure from a full channel, and a checkpoint trigger on its way.

use crate::engine::source::data_generator_source::SourceSplit;
use crate::engine::tasks::subtask_index::SubtaskIndex;

/// One source subtask reading its split.
#[derive(Clone, Debug)]
pub struct SourceReader {
    pub(crate) split: SourceSplit,
    /// Start of the current rate schedule and generated elements emitted since.
    pub(crate) epoch: u64,
    pub(crate) emitted_since_epoch: u64,
    /// Waiting for room in the channel to this subtask.
    pub(crate) blocked_on: Option<SubtaskIndex>,
    pub(crate) finished: bool,
    /// A checkpoint trigger on its way: (checkpoint id, arrival time).
    pub(crate) trigger: Option<(u64, u64)>,
}

impl SourceReader {
    pub fn split(&self) -> &SourceSplit {
        &self.split
    }

    pub fn blocked_on(&self) -> Option<SubtaskIndex> {
        self.blocked_on
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// A checkpoint trigger on its way to this source: (checkpoint id, arrival time).
    pub fn pending_trigger(&self) -> Option<(u64, u64)> {
        self.trigger
    }
}
