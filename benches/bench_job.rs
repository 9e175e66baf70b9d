//! The benchmark job of BENCHMARKS.md, shared by `benches/engine.rs` (native) and `examples/wasm_bench.rs`
//! (wasm32): 4 keyed subtasks, one source at 1M events/s of simulated time, 100 ns per record.

use statelab::engine::cluster::engine_event::Milestones;
use statelab::engine::cluster::job_config::{
    CheckpointingConfig, JobConfig, NetworkConfig, SourceConfig,
};
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::history::run_history::RunHistory;
use statelab::engine::keys::key_registry::KeyFormat;
use statelab::engine::source::key_distribution::KeyDistribution;

pub const RATE: u64 = 1_000_000;

pub fn job(interval_ms: Option<u64>, distribution: KeyDistribution, keys: u64) -> MiniCluster {
    job_with_keys(interval_ms, distribution, keys, KeyFormat::default())
}

fn job_with_keys(
    interval_ms: Option<u64>,
    distribution: KeyDistribution,
    keys: u64,
    key_format: KeyFormat,
) -> MiniCluster {
    let config = JobConfig {
        parallelism: 4,
        source: SourceConfig {
            parallelism: 1,
            key_count: keys,
            key_format,
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

/// A job holding 1,000,000 keys spelled by `key_format` (each counted once), its source paused.
pub fn loaded(key_format: KeyFormat) -> MiniCluster {
    let mut cluster = job_with_keys(None, KeyDistribution::Sequential, 1_000_000, key_format);
    let mut events = Milestones::default();
    cluster.run(RunLimit::records(1_000_000), &mut events);
    cluster.set_source_rate(0).expect("valid rate");
    cluster.run(RunLimit::UNLIMITED, &mut events);
    cluster
}

/// [`loaded`] with `"user-%06d"` keys and one completed checkpoint of them; returns its id.
pub fn checkpointed_users() -> (MiniCluster, u64) {
    let mut cluster = loaded(KeyFormat::padded_users());
    let id = cluster.trigger_checkpoint().expect("job running");
    cluster.run(RunLimit::UNLIMITED, &mut Milestones::default());
    (cluster, id)
}

/// The job of `job/10k_keys_p4_checkpoint_every_100k` run for 1,000,000 events through a [`RunHistory`] with
/// its default snapshot budget: the run the time-travel benchmarks scrub.
pub fn recorded_run() -> (MiniCluster, RunHistory) {
    let mut cluster = job(Some(100), KeyDistribution::Uniform, 10_000);
    let mut history = RunHistory::new(&cluster);
    history
        .run(
            &mut cluster,
            RunLimit::records(1_000_000),
            &mut Milestones::default(),
        )
        .expect("the cluster moves only through its history");
    (cluster, history)
}

/// The page's heap-lesson kind of run at scale: 1,000,000 keys in turn (the benchmark job, checkpoints every 5 s
/// as the page's default) recorded in a `RunHistory` with its default budget for 3,000,000 events — the state
/// built, then every key counted twice more: the run `time_travel/*_1m_keys` steps back through.
pub fn recorded_1m_keys() -> (MiniCluster, RunHistory) {
    let mut cluster = job(Some(5_000), KeyDistribution::Sequential, 1_000_000);
    let mut history = RunHistory::new(&cluster);
    history
        .run(
            &mut cluster,
            RunLimit::records(3_000_000),
            &mut Milestones::default(),
        )
        .expect("the cluster moves only through its history");
    (cluster, history)
}

/// Deterministic pseudo-random positions in `0..=max` (SplitMix64), the same natively and in wasm.
pub fn positions(count: usize, max: u64) -> Vec<u64> {
    let mut state = 0x5EED_u64;
    (0..count)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) % (max + 1)
        })
        .collect()
}
