//! Time travel and runs — not a Flink concept: a run's recorded history (snapshots, seeks, forks), running a
//! job to its natural end with its golden trace, and a run's fingerprint for comparing runs.

pub mod fingerprint;
pub mod golden_trace;
pub mod run_history;
