//! Time travel and runs — not a Flink concept: a run's recorded history (snapshots, seeks, forks), the lessons'
//! scenario presets, and a run's fingerprint for comparing runs.

pub mod fingerprint;
pub mod run_history;
pub mod scenario;
