//! `org.apache.flink.runtime.io.network.api.CheckpointBarrier`: injected by the sources into every output
//! channel, in line with the records, and never overtaking them. Everything before barrier `n` belongs to
//! checkpoint `n`'s state; everything after it to the next.

use crate::engine::cluster::job_config::CheckpointingMode;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckpointBarrier {
    pub checkpoint_id: u64,
    /// When the checkpoint was triggered (simulated ns).
    pub timestamp: u64,
    /// From `CheckpointOptions`: aligned (exactly-once) or not (at-least-once).
    pub mode: CheckpointingMode,
}
