//! The keyed counter job against real Flink 2.3.0 (`job_run.json`, `job_event_keys.csv`): the same 20,000
//! events, exactly-once checkpoints, a fixed-delay restart after a failure on the 12,345th `processElement`
//! call. Final counts, key groups, subtasks, emitted records and duplicates must agree.
// Scenarios read best as a default configuration with the fields that matter set one by one.
#![allow(clippy::field_reassign_with_default)]

use serde_json::Value;
use statelab::engine::cluster::engine_event::{EngineEvent, Milestones};
use statelab::engine::cluster::job_config::{FailureTrigger, JobConfig, RestartStrategyConfig};
use statelab::engine::cluster::job_status::JobStatus;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::keys::key_group::KeyGroup;
use std::collections::BTreeMap;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/groundtruth");

fn job_run() -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DATA}/job_run.json")).unwrap()).unwrap()
}

fn event_keys() -> Vec<String> {
    std::fs::read_to_string(format!("{DATA}/job_event_keys.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split_once(',').unwrap().1.to_owned())
        .collect()
}

/// The documented key sequence: `s = s*6364136223846793005 + 1442695040888963407; x = s>>>33;
/// k = (((x*x)>>>30)*50)>>>32`.
fn lcg_keys(n: usize) -> Vec<String> {
    let mut s: u64 = 42;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let x = s >> 33;
            let k = (((x * x) >> 30) * 50) >> 32;
            format!("user-{k}")
        })
        .collect()
}

/// The ground-truth job: replayed keys, one source subtask, max parallelism 128, fixed-delay restart (3 x 500 ms).
fn config(parallelism: u32) -> JobConfig {
    let mut c = JobConfig::replaying(event_keys());
    c.parallelism = parallelism;
    c.max_parallelism = Some(128);
    c.source.rate = 5000;
    c.checkpointing.interval_ms = None;
    c.checkpointing.trigger_jitter_us = 0;
    c.restart_strategy = Some(RestartStrategyConfig::FixedDelay {
        attempts: 3,
        delay_ms: 500,
    });
    c
}

fn expected_counts(run: &Value) -> BTreeMap<String, i64> {
    run["finalCountPerKey"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
        .collect()
}

fn final_counts(cluster: &MiniCluster) -> BTreeMap<String, i64> {
    cluster
        .counts()
        .into_iter()
        .map(|(k, v)| (cluster.keys().display(k), v))
        .collect()
}

/// Runs until the source has emitted `position` events, then triggers a checkpoint there.
fn checkpoint_at_source_position(
    cluster: &mut MiniCluster,
    position: u64,
    events: &mut Milestones,
) -> u64 {
    while cluster.counters().records_emitted < position {
        assert!(cluster.step(events));
    }
    let id = cluster.trigger_checkpoint_reporting(events).unwrap();
    cluster.run(RunLimit::steps(1), events);
    id
}

#[test]
fn the_documented_lcg_reproduces_the_event_list() {
    let keys = event_keys();
    assert_eq!(keys.len(), 20_000);
    assert_eq!(lcg_keys(20_000), keys);
    let first: Vec<String> = job_run()["runs"]["failure_p1"]["config"]["firstKeys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys[..20].to_vec(), first);
}

#[test]
fn every_key_lands_in_the_key_group_and_subtask_flink_reported() {
    let truth = job_run();
    for (run, parallelism) in [("nofailure_p1", 1), ("nofailure_p2", 2)] {
        let mut cluster = MiniCluster::new(config(parallelism)).unwrap();
        cluster.run(RunLimit::UNLIMITED, &mut Milestones::default());
        assert_eq!(cluster.status(), JobStatus::Finished);
        let per_key = truth["runs"][run]["keyGroupAndSubtaskPerKey"]
            .as_object()
            .unwrap();
        for (key, expected) in per_key {
            let id = cluster
                .keys()
                .find(&statelab::engine::keys::java_key::JavaKey::String(
                    key.clone(),
                ))
                .unwrap();
            let kg = KeyGroup::try_from(cluster.keys().info(id).murmur_hash % 128).unwrap();
            assert_eq!(
                i64::from(kg),
                expected["keyGroup"].as_i64().unwrap(),
                "{run} {key}"
            );
            assert_eq!(
                i64::from(cluster.owner_of_key_group(kg)),
                expected["subtask"].as_i64().unwrap(),
                "{run} {key}"
            );
            assert_eq!(
                cluster.count_of(id),
                expected["count"].as_i64(),
                "{run} {key}"
            );
        }
    }
}

#[test]
fn runs_without_failure_emit_every_count_once() {
    let truth = job_run();
    for (run, parallelism) in [("nofailure_p1", 1), ("nofailure_p2", 2)] {
        let mut cluster = MiniCluster::new(config(parallelism)).unwrap();
        cluster.run(RunLimit::UNLIMITED, &mut Milestones::default());
        let expected = &truth["runs"][run];
        assert_eq!(
            cluster.sink().written(),
            expected["totalEmittedRecords"].as_u64().unwrap()
        );
        assert_eq!(cluster.sink().duplicates(), 0);
        assert_eq!(cluster.sink().gaps(), 0);
        assert_eq!(final_counts(&cluster), expected_counts(expected));
    }
}

#[test]
fn failure_on_call_12345_with_the_checkpoint_at_12102_reproduces_flinks_run_at_parallelism_1() {
    let truth = &job_run()["runs"]["failure_p1"];
    let mut c = config(1);
    c.failures = vec![FailureTrigger::ProcessElementCall { call: 12_345 }];
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events = Milestones::default();
    let replay_start = truth["replayStartEventIndex_minIndexSeenInAttempt1"]
        .as_u64()
        .unwrap();
    assert_eq!(replay_start, 12_102);
    let checkpoint = checkpoint_at_source_position(&mut cluster, replay_start, &mut events);
    cluster.run(RunLimit::UNLIMITED, &mut events);

    assert_eq!(cluster.status(), JobStatus::Finished);
    let failed: Vec<&EngineEvent> = events
        .0
        .iter()
        .filter(|e| matches!(e, EngineEvent::TaskFailed { .. }))
        .collect();
    assert_eq!(failed.len(), 1);
    let EngineEvent::TaskFailed { cause, .. } = failed[0] else {
        unreachable!()
    };
    assert!(
        cause
            .to_string()
            .contains("processElement call #12345 (event index 12344)"),
        "{cause}"
    );
    assert!(events.0.iter().any(|e| matches!(e, EngineEvent::JobRestored { checkpoint_id: Some(id), .. } if *id == checkpoint)));
    assert_eq!(
        u64::from(cluster.counters().restarts),
        truth["restartCount_exceptionHistoryEntries"]
            .as_u64()
            .unwrap()
    );
    assert_eq!(
        cluster.sink().written(),
        truth["totalEmittedRecords"].as_u64().unwrap()
    );
    assert_eq!(
        cluster.sink().duplicates(),
        truth["duplicateRecords"].as_u64().unwrap()
    );
    assert_eq!(
        cluster.counters().process_element_calls,
        truth["processElementCallsTotal"].as_u64().unwrap()
    );
    assert_eq!(cluster.sink().gaps(), 0);
    assert_eq!(final_counts(&cluster), expected_counts(truth));
}

#[test]
fn flinks_duplicates_at_parallelism_2_are_the_records_each_subtask_processed_after_the_checkpoint()
{
    // Real Flink's subtasks were at different points when subtask 1 failed: subtask 0 had processed through
    // event 12802, subtask 1 up to 12457. Routing the events with our key groups must give Flink's own
    // per-subtask call counts and its 1128 duplicates.
    let truth = &job_run()["runs"]["failure_p2"];
    let keys = event_keys();
    let cluster = MiniCluster::new(config(2)).unwrap();
    let mut registry = statelab::engine::keys::key_registry::KeyRegistry::new(Default::default());
    let subtask = |key: &str, registry: &mut statelab::engine::keys::key_registry::KeyRegistry| {
        let id = registry
            .intern(&statelab::engine::keys::java_key::JavaKey::String(
                key.to_owned(),
            ))
            .unwrap();
        cluster
            .owner_of_key_group(KeyGroup::try_from(registry.info(id).murmur_hash % 128).unwrap())
            .index()
    };
    let per = &truth["processElementPerAttemptSubtask"];
    let s0_max = per["attempt0/subtask0"]["maxEventIndex"].as_u64().unwrap() as usize;
    let failed_at = truth["failure"]["failedAtEventIndex"].as_u64().unwrap() as usize;
    let replay = truth["replayStartEventIndex_minIndexSeenInAttempt1"]
        .as_u64()
        .unwrap() as usize;
    let calls0 = (0..=s0_max)
        .filter(|&i| subtask(&keys[i], &mut registry) == 0)
        .count() as u64;
    let calls1 = (0..=failed_at)
        .filter(|&i| subtask(&keys[i], &mut registry) == 1)
        .count() as u64;
    assert_eq!(
        calls0,
        per["attempt0/subtask0"]["processElementCalls"]
            .as_u64()
            .unwrap()
    );
    assert_eq!(
        calls1,
        per["attempt0/subtask1"]["processElementCalls"]
            .as_u64()
            .unwrap()
    );
    let dup0 = (replay..=s0_max)
        .filter(|&i| subtask(&keys[i], &mut registry) == 0)
        .count() as u64;
    let dup1 = (replay..failed_at)
        .filter(|&i| subtask(&keys[i], &mut registry) == 1)
        .count() as u64;
    assert_eq!(dup0 + dup1, truth["duplicateRecords"].as_u64().unwrap());
}

#[test]
fn failure_at_parallelism_2_restores_exact_counts_and_duplicates_only_what_was_replayed() {
    let truth = &job_run()["runs"]["failure_p2"];
    let mut c = config(2);
    c.failures = vec![FailureTrigger::ProcessElementCall { call: 12_345 }];
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events = Milestones::default();
    let replay_start = truth["replayStartEventIndex_minIndexSeenInAttempt1"]
        .as_u64()
        .unwrap();
    checkpoint_at_source_position(&mut cluster, replay_start, &mut events);
    // Run to the failure.
    while cluster.status() == JobStatus::Running {
        cluster.step(&mut events);
    }
    assert!(events
        .0
        .iter()
        .any(|e| matches!(e, EngineEvent::CheckpointCompleted { .. })));
    let processed_before_failure = cluster.counters().records_processed;
    cluster.run(RunLimit::UNLIMITED, &mut events);
    assert_eq!(cluster.status(), JobStatus::Finished);
    assert_eq!(cluster.counters().restarts, 1);
    assert_eq!(final_counts(&cluster), expected_counts(truth));
    assert_eq!(cluster.sink().gaps(), 0);
    assert_eq!(cluster.sink().duplicates_before_any_restore(), 0);
    // Every duplicate is a record processed between the checkpoint position and the failure.
    assert_eq!(
        cluster.sink().written(),
        20_000 + cluster.sink().duplicates()
    );
    assert_eq!(
        cluster.sink().duplicates(),
        processed_before_failure - replay_start
    );
}
