//! One entry of the job's exception history — Flink's `ExceptionHistoryEntry`, the Web UI's "Exceptions" tab.

use crate::engine::cluster::engine_event::FailureCause;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use serde::Serialize;

/// One entry of the job's exception history (the Web UI's "Exceptions" tab): a task failure and when it
/// happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobException {
    /// Simulated ns.
    pub time: u64,
    /// The execution attempt that failed.
    pub attempt: u32,
    /// The failing subtask, if one subtask failed (`None`: the job as a whole).
    pub subtask: Option<SubtaskIndex>,
    pub cause: FailureCause,
}
