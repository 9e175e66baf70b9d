//! `flink run -s` into StateLab: the counter job started from a real Flink 2.3 savepoint or retained checkpoint
//! (`MiniCluster::from_savepoint`, `statelab run --restore DIR`) keeps every key's count at any parallelism, and
//! a snapshot that is not the counter job's is refused with a typed reason.
#![cfg(not(target_arch = "wasm32"))]

use statelab::engine::checkpoint::checkpoints::SavepointRestoreError;
use statelab::engine::checkpoint::state_assignment_operation::RestoreError;
use statelab::engine::cluster::engine_error::EngineError;
use statelab::engine::cluster::engine_event::RunSummary;
use statelab::engine::cluster::job_config::JobConfig;
use statelab::engine::cluster::job_config_error::JobConfigError;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::keys::java_key::JavaKeyType;
use statelab::engine::savepoint::savepoint_reader::{read_savepoint, InMemoryFiles, Savepoint};
use std::path::Path;

fn snapshot(dir: &str) -> Savepoint {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/flink-savepoints")
        .join(dir);
    let files = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    read_savepoint(&InMemoryFiles::new(files).unwrap(), &[]).unwrap()
}

/// The public samples' known contents: k0 … k9 counted 1 … 10 times.
fn known(key: usize) -> i64 {
    key as i64 + 1
}

/// The counter job replaying `k0 … k9` once each.
fn replay_each_key_once() -> JobConfig {
    let mut config = JobConfig::default();
    config.source.replay = Some((0..10).map(|k| format!("k{k}")).collect());
    config.checkpointing.interval_ms = None;
    config
}

#[test]
fn the_counts_of_a_real_savepoint_go_on_at_any_parallelism() {
    for dir in [
        "public/savepoint_canonical",
        "public/savepoint_native",
        "public/checkpoint_retained",
    ] {
        let sp = snapshot(dir);
        for parallelism in [None, Some(1), Some(3), Some(4)] {
            let (mut cluster, loaded) = MiniCluster::from_savepoint(
                &sp,
                "event-counter-op",
                replay_each_key_once(),
                parallelism,
                &mut RunSummary::default(),
            )
            .unwrap();
            assert_eq!(loaded.entries, 10);
            assert_eq!(loaded.parallelism, 2, "the job ran at parallelism 2");
            assert_eq!(cluster.max_parallelism(), 128);
            assert_eq!(cluster.parallelism(), parallelism.unwrap_or(2));
            cluster.run(RunLimit::UNLIMITED, &mut RunSummary::default());
            let counts = cluster.counts();
            assert_eq!(counts.len(), 10, "{dir}");
            for (id, count) in counts {
                let key: usize = cluster.keys().display(id)[1..].parse().unwrap();
                assert_eq!(count, known(key) + 1, "{dir} at {parallelism:?}: k{key}");
            }
            // Exactly once: nothing written twice, no gap after the restored counts.
            assert_eq!(cluster.sink().duplicates(), 0);
            assert_eq!(cluster.sink().written(), 10);
        }
    }
}

#[test]
fn a_snapshot_that_is_not_the_counter_jobs_is_refused_with_its_reason() {
    let sp = snapshot("generated/p1-files-canonical");
    let start = |uid: &str, config: JobConfig| {
        MiniCluster::from_savepoint(&sp, uid, config, None, &mut RunSummary::default()).map(|_| ())
    };
    // The primitives job has no operator event-counter-op …
    match start("event-counter-op", JobConfig::default()) {
        Err(EngineError::Savepoint(SavepointRestoreError::NoOperator {
            uid, operators, ..
        })) => {
            assert_eq!(uid, "event-counter-op");
            assert!(operators >= 2);
        }
        other => panic!("{other:?}"),
    }
    // … and its keyed operator no "event-counter".
    assert_eq!(
        start("primitives-op", JobConfig::default()),
        Err(EngineError::Savepoint(
            SavepointRestoreError::NoCounterState {
                uid: "primitives-op".into()
            }
        ))
    );
    let public = snapshot("public/savepoint_native");
    // The keys are Strings: a job of Long keys cannot take them up.
    let mut longs = JobConfig::default();
    longs.source.key_format.key_type = JavaKeyType::Long;
    match MiniCluster::from_savepoint(
        &public,
        "event-counter-op",
        longs,
        None,
        &mut RunSummary::default(),
    ) {
        Err(EngineError::Savepoint(SavepointRestoreError::KeyType {
            expected,
            serializer,
        })) => {
            assert_eq!(expected, "Long");
            assert!(serializer.contains("StringSerializer"), "{serializer}");
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
    // A maximum parallelism set for the job must be the snapshot's (Flink refuses a change) …
    let mut other_max = replay_each_key_once();
    other_max.max_parallelism = Some(256);
    assert_eq!(
        MiniCluster::from_savepoint(
            &public,
            "event-counter-op",
            other_max,
            None,
            &mut RunSummary::default()
        )
        .map(|_| ()),
        Err(EngineError::Restore(RestoreError::MaxParallelismChanged {
            checkpoint: 128,
            configured: 256
        }))
    );
    // … and the parallelism one StateLab runs (at most 8 subtasks, within the snapshot's 128 key groups).
    assert_eq!(
        MiniCluster::from_savepoint(
            &public,
            "event-counter-op",
            replay_each_key_once(),
            Some(9),
            &mut RunSummary::default(),
        )
        .map(|_| ()),
        Err(EngineError::Config(JobConfigError::Parallelism {
            parallelism: 9,
            max: 8
        }))
    );
}
