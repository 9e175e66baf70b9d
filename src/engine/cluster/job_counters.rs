//! The job's running totals — what Flink's metrics report as `numRecordsOut`/`numRecordsIn`, restarts
//! (`numRestarts`) and checkpoint counts (`numberOfCompletedCheckpoints`, `numberOfFailedCheckpoints`).

use serde::Serialize;

/// Running totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCounters {
    pub records_emitted: u64,
    pub records_processed: u64,
    /// `processElement` calls, including the one a failure interrupted.
    pub process_element_calls: u64,
    pub steps: u64,
    pub restarts: u32,
    pub checkpoints_completed: u64,
    pub checkpoints_failed: u64,
    /// Timers fired (`onTimer` calls); left out of JSON while 0, as for every job without timers.
    #[serde(skip_serializing_if = "is_zero")]
    pub timers_fired: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}
