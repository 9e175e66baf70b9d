//! `org.apache.flink.api.common.JobStatus`, reduced to what this job goes through.

use serde::Serialize;

/// `JobStatus`, reduced to what this job goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JobStatus {
    Running,
    /// A task failed; the restart strategy's backoff is running.
    Restarting,
    /// A bounded source was read to the end.
    Finished,
    /// The restart strategy gave up.
    Failed,
}
