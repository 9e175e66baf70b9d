//! Property tests of the whole job: for random streams, checkpoint intervals, failure points and parallelism
//! changes, exactly-once state ends with every key's count equal to its number of occurrences, and the sink sees
//! each key's counts run 1..n without gaps, with duplicates only after a restore.
// Scenarios read best as a default configuration with the fields that matter set one by one.
#![allow(clippy::field_reassign_with_default)]
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use statelab::engine::cluster::engine_event::{EngineEvent, Milestones};
use statelab::engine::cluster::job_config::{FailureTrigger, JobConfig, RestartStrategyConfig};
use statelab::engine::cluster::job_status::JobStatus;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
struct Scenario {
    keys: Vec<u8>,
    parallelism: u32,
    source_parallelism: u32,
    interval_ms: u64,
    failures: Vec<u64>,
    rescale: Option<(u64, u32)>,
    channel_capacity: u32,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        proptest::collection::vec(0u8..40, 200..3000),
        1u32..=4,
        1u32..=3,
        5u64..200,
        proptest::collection::vec(1u64..3000, 0..3),
        proptest::option::of((100u64..2500, 1u32..=8)),
        prop_oneof![Just(4u32), Just(1024)],
    )
        .prop_map(
            |(
                keys,
                parallelism,
                source_parallelism,
                interval_ms,
                failures,
                rescale,
                channel_capacity,
            )| Scenario {
                keys,
                parallelism,
                source_parallelism,
                interval_ms,
                failures,
                rescale,
                channel_capacity,
            },
        )
}

fn run(s: &Scenario) -> (MiniCluster, Milestones) {
    let mut c = JobConfig::replaying(s.keys.iter().map(|k| format!("k{k}")).collect());
    c.parallelism = s.parallelism;
    c.source.parallelism = s.source_parallelism;
    c.source.rate = 10_000;
    c.network.channel_capacity = s.channel_capacity;
    c.checkpointing.interval_ms = Some(s.interval_ms);
    c.checkpointing.write_bytes_per_second = 200_000;
    c.restart_strategy = Some(RestartStrategyConfig::FixedDelay {
        attempts: 100,
        delay_ms: 10,
    });
    c.failures = s
        .failures
        .iter()
        .map(|&call| FailureTrigger::ProcessElementCall { call })
        .collect();
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events = Milestones::default();
    if let Some((after, parallelism)) = s.rescale {
        cluster.run(RunLimit::records(after), &mut events);
        if cluster.status() == JobStatus::Running
            && cluster.coordinator().store().latest().is_some()
        {
            cluster.restore(None, parallelism, &mut events).unwrap();
        }
    }
    cluster.run(RunLimit::steps(10_000_000), &mut events);
    (cluster, events)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, rng_seed: RngSeed::Fixed(0x5747_4C41_4221), ..ProptestConfig::default() })]

    #[test]
    fn exactly_once_counts_survive_failures_and_rescaling(s in scenario()) {
        let (cluster, events) = run(&s);
        prop_assert_eq!(cluster.status(), JobStatus::Finished);
        let mut expected: BTreeMap<String, i64> = BTreeMap::new();
        for k in &s.keys {
            *expected.entry(format!("k{k}")).or_default() += 1;
        }
        let counts: BTreeMap<String, i64> =
            cluster.counts().into_iter().map(|(k, v)| (cluster.keys().display(k), v)).collect();
        prop_assert_eq!(counts, expected);
        let sink = cluster.sink();
        prop_assert_eq!(sink.gaps(), 0);
        prop_assert_eq!(sink.duplicates_before_any_restore(), 0);
        prop_assert_eq!(sink.written(), s.keys.len() as u64 + sink.duplicates());
        let restored = events.0.iter().any(|e| matches!(e, EngineEvent::JobRestored { .. }));
        if !restored {
            prop_assert_eq!(sink.duplicates(), 0);
        }
        // Checkpoints release every snapshot: no copy-on-write leftovers once the job is done.
        for task in cluster.tasks() {
            prop_assert_eq!(task.backend().heap_breakdown().retained_by_snapshots, 0);
            prop_assert_eq!(task.backend().heap_breakdown().snapshot_arrays, 0);
        }
    }
}
