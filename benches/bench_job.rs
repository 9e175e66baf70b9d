//! The benchmark job of BENCHMARKS.md, shared by `benches/engine.rs` (native) and `examples/wasm_bench.rs`
//! (wasm32): 4 keyed subtasks, one source at 1M events/s of simulated time, 100 ns per record.

use statelab::engine::job_config::{CheckpointingConfig, JobConfig, NetworkConfig, SourceConfig};
use statelab::engine::key_distribution::KeyDistribution;
use statelab::engine::mini_cluster::MiniCluster;

pub const RATE: u64 = 1_000_000;

pub fn job(interval_ms: Option<u64>, distribution: KeyDistribution, keys: u64) -> MiniCluster {
    let config = JobConfig {
        parallelism: 4,
        source: SourceConfig {
            parallelism: 1,
            key_count: keys,
            distribution,
            rate: RATE,
            ..SourceConfig::default()
        },
        network: NetworkConfig {
            processing_time_ns: 100,
            ..NetworkConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms,
            ..CheckpointingConfig::default()
        },
        ..JobConfig::default()
    };
    MiniCluster::new(config).expect("valid benchmark configuration")
}
