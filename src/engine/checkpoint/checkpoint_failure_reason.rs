//! `org.apache.flink.runtime.checkpoint.CheckpointFailureReason`: why a checkpoint failed, as a value. The
//! English text is Flink's own `message()` where Flink has one (`Checkpoint expired before completing.`) and
//! StateLab's where the moment is StateLab's (a job started from a stored checkpoint); the page words each in its
//! language (`src/i18n/messages/errors.rs`). Whether a reason counts towards
//! `execution.checkpointing.tolerable-failed-checkpoints` is Flink's `CheckpointFailureManager` rule.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CheckpointFailureReason {
    /// `CHECKPOINT_EXPIRED`: the checkpoint ran past `execution.checkpointing.timeout`.
    CheckpointExpired,
    /// A task failed while the checkpoint was in flight (Flink's `TASK_FAILURE`); the failover cancels it.
    TaskFailure,
    /// The bounded sources ran out and the job finished with the checkpoint still in flight (Flink's coordinator
    /// shuts down with the job).
    JobFinished,
    /// The execution was replaced by a job started from a checkpoint (`flink run -s`).
    JobStarted,
    /// The execution was replaced by a restore from a retained checkpoint.
    JobRestored,
}

impl CheckpointFailureReason {
    /// Whether Flink's `CheckpointFailureManager` counts this failure against the tolerable number: only I/O
    /// exceptions on the JobManager, asynchronous-phase failures, declines and expiry do; a checkpoint cancelled
    /// by a failover or by the job ending is ignored.
    pub fn counts_as_checkpoint_failure(self) -> bool {
        matches!(self, CheckpointFailureReason::CheckpointExpired)
    }
}

impl std::fmt::Display for CheckpointFailureReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CheckpointFailureReason::CheckpointExpired => "Checkpoint expired before completing.",
            CheckpointFailureReason::TaskFailure => "Task failure; the checkpoint was aborted.",
            CheckpointFailureReason::JobFinished => {
                "The job finished before the checkpoint completed."
            }
            CheckpointFailureReason::JobStarted => "the job is started from a checkpoint",
            CheckpointFailureReason::JobRestored => "the job was restored from a checkpoint",
        })
    }
}
