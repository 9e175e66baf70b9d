//! Where a newcomer starts: the job the page opens with, how fast "Play" plays it, and the lesson "Start here"
//! opens. The job is chosen so that pressing Play shows something happen within a minute — a periodic
//! checkpoint after about 10 s, a `CopyOnWriteStateMap` resize after about 30 s (`tests/start.rs` checks it) —
//! while records still travel as dots, and it keeps what the page's other views and tests take for granted:
//! two sources, two keyed subtasks, maxParallelism 128, a 1728m TaskManager.

use crate::engine::cluster::job_config::{
    CheckpointingConfig, JobConfig, NetworkConfig, SourceConfig,
};
use crate::engine::source::key_distribution::KeyDistribution;

/// The lesson "Start here" opens: where `HeapValueState` keeps a key's count.
pub const FIRST_LESSON: &str = "value-state";

/// Simulated seconds per wall second at the page's default speed: slow motion, a record crossing the
/// network in half a second.
pub const DEFAULT_SPEED: f64 = 0.1;

/// The job the page starts with: 4,000 events/s over half a million keys (Zipf, s = 0.8: a few hot keys and
/// a long tail of new ones, so maps fill up to their resize threshold), 5 ms of network latency, a checkpoint
/// every 2 s.
pub fn default_job() -> JobConfig {
    JobConfig {
        source: SourceConfig {
            rate: 4_000,
            key_count: 500_000,
            distribution: KeyDistribution::Zipf { exponent: 0.8 },
            ..SourceConfig::default()
        },
        network: NetworkConfig {
            latency_us: 5_000,
            latency_jitter_us: 2_500,
            ..NetworkConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: Some(2_000),
            ..CheckpointingConfig::default()
        },
        ..JobConfig::default()
    }
}
