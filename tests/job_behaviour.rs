//! Behaviour of the simulated job that a Flink engineer would check: exactly-once vs at-least-once, heap
//! exhaustion and recovery, copy-on-write during the asynchronous phase, rescaling, backpressure, keys typed by
//! hand, determinism.
// Scenarios read best as a default configuration with the fields that matter set one by one.
#![allow(clippy::field_reassign_with_default)]

use statelab::engine::checkpoint::checkpoint_failure_reason::CheckpointFailureReason;
use statelab::engine::cluster::engine_event::{
    BarrierReport, EngineEvent, FailureCause, Milestones, RestoreReason,
};
use statelab::engine::cluster::job_config::{
    CheckpointingMode, FailureTrigger, JobConfig, RestartStrategyConfig,
};
use statelab::engine::cluster::job_status::JobStatus;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::keys::key_group::KeyGroup;
use statelab::engine::memory::memory_size::MemorySize;
use statelab::engine::memory::task_executor_memory::MemoryConfig;
use statelab::engine::source::key_distribution::KeyDistribution;

const MS: u64 = 1_000_000;

fn total_count(cluster: &MiniCluster) -> i64 {
    cluster.counts().iter().map(|(_, v)| v).sum()
}

/// Barriers reach the keyed subtasks far apart (a slow trigger RPC to one source), so records pile up behind
/// the early barrier; a failure after the checkpoint then restores it.
fn slow_alignment(mode: CheckpointingMode) -> MiniCluster {
    let mut c = JobConfig::default();
    c.parallelism = 2;
    c.source.parallelism = 2;
    c.source.rate = 20_000;
    c.source.key_count = 50;
    c.source.max_events = Some(20_000);
    c.checkpointing.mode = mode;
    c.checkpointing.interval_ms = None;
    c.checkpointing.trigger_jitter_us = 50_000;
    c.restart_strategy = Some(RestartStrategyConfig::fixed_delay_default());
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events = Milestones::default();
    cluster.run(RunLimit::until(200 * MS), &mut events);
    cluster.trigger_checkpoint().unwrap();
    while cluster.coordinator().pending().is_some() {
        cluster.step(&mut events);
    }
    cluster.run(RunLimit::records(1000), &mut events);
    cluster
        .fail_now("after the checkpoint", &mut events)
        .unwrap();
    cluster.run(RunLimit::UNLIMITED, &mut events);
    assert_eq!(cluster.status(), JobStatus::Finished);
    cluster
}

#[test]
fn at_least_once_counts_records_behind_an_early_barrier_twice_after_a_restore() {
    let exactly = slow_alignment(CheckpointingMode::ExactlyOnce);
    assert_eq!(total_count(&exactly), 20_000);
    let at_least = slow_alignment(CheckpointingMode::AtLeastOnce);
    assert!(
        total_count(&at_least) > 20_000,
        "at-least-once state should include replayed records"
    );
    assert_eq!(at_least.sink().gaps(), 0);
}

#[test]
fn aligned_barriers_block_the_early_channel_until_the_late_barrier_arrives() {
    let mut c = JobConfig::default();
    c.source.parallelism = 2;
    c.checkpointing.interval_ms = None;
    c.checkpointing.trigger_jitter_us = 20_000;
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events: Vec<EngineEvent> = Vec::new();
    cluster.run(RunLimit::until(100 * MS), &mut events);
    cluster.trigger_checkpoint_reporting(&mut events).unwrap();
    let mut saw_blocked = false;
    let mut processed_while_aligning = 0;
    while cluster.coordinator().pending().is_some() {
        events.clear();
        cluster.step(&mut events);
        for e in &events {
            if let EngineEvent::BarrierReceived {
                subtask,
                split,
                outcome: BarrierReport::Waiting { blocked: true, .. },
                ..
            } = e
            {
                saw_blocked = true;
                assert!(cluster.channel(*split, *subtask).is_blocked());
            }
            if let EngineEvent::RecordProcessed { subtask, event, .. } = e {
                // During alignment no record comes from a channel that already delivered its barrier.
                if let Some((_, received)) = cluster.tasks()[subtask.index()]
                    .barrier_handler()
                    .aligning()
                {
                    let statelab::engine::tasks::stream_element::EventRef::Generated(index) = event
                    else {
                        continue;
                    };
                    let split = (index % 2) as usize;
                    assert!(
                        !received[split],
                        "record {index} overtook the barrier of split {split}"
                    );
                    processed_while_aligning += 1;
                }
            }
        }
    }
    assert!(saw_blocked);
    assert!(
        processed_while_aligning > 0,
        "the late channel kept flowing during alignment"
    );
    let stats = cluster.coordinator().history().last().unwrap();
    assert!(stats.subtasks.iter().flatten().any(|s| s.alignment_ns > 0));
}

#[test]
fn heap_exhaustion_fails_with_out_of_memory_restarts_from_the_checkpoint_and_finally_gives_up() {
    let mut c = JobConfig::default();
    c.memory = MemoryConfig::Local {
        jvm_heap: MemorySize::of_mebibytes(8),
    };
    c.other_heap_used = MemorySize::ZERO;
    c.source.rate = 100_000;
    c.source.key_count = 1_000_000;
    c.source.distribution = KeyDistribution::Sequential;
    c.checkpointing.interval_ms = Some(100);
    c.restart_strategy = Some(RestartStrategyConfig::FixedDelay {
        attempts: 2,
        delay_ms: 1000,
    });
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events = Milestones::default();
    cluster.run(RunLimit::UNLIMITED, &mut events);
    assert_eq!(cluster.status(), JobStatus::Failed);
    let ooms: Vec<(u64, u64)> = events
        .0
        .iter()
        .filter_map(|e| match e {
            EngineEvent::TaskFailed {
                cause:
                    FailureCause::OutOfMemory {
                        used,
                        limit,
                        task_manager,
                    },
                ..
            } => {
                assert_eq!(*task_manager, 0, "local execution: one TaskManager");
                Some((*used, *limit))
            }
            _ => None,
        })
        .collect();
    assert_eq!(ooms.len(), 3, "fails, restarts twice, fails for good");
    for (used, limit) in ooms {
        assert!(used > limit);
        assert_eq!(limit, 8 << 20);
    }
    let restores: Vec<Option<u64>> = events
        .0
        .iter()
        .filter_map(|e| match e {
            EngineEvent::JobRestored {
                checkpoint_id,
                reason: RestoreReason::Failover,
                ..
            } => Some(*checkpoint_id),
            _ => None,
        })
        .collect();
    assert_eq!(restores.len(), 2);
    assert!(
        restores.iter().all(Option::is_some),
        "each restart restores the latest checkpoint"
    );
    assert!(matches!(
        events.0.last(),
        Some(EngineEvent::JobFailed {
            cause: FailureCause::OutOfMemory { .. }
        })
    ));
    assert!(
        cluster.state_heap_bytes() < 1 << 20,
        "the failed tasks' state is gone"
    );
}

#[test]
fn a_failure_at_a_chosen_time_fires_once_and_restart_delay_is_honoured() {
    let mut c = JobConfig::default();
    c.failures = vec![FailureTrigger::Time { ms: 2500 }];
    c.restart_strategy = Some(RestartStrategyConfig::FixedDelay {
        attempts: 1,
        delay_ms: 700,
    });
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events = Milestones::default();
    cluster.run(RunLimit::until(10_000 * MS), &mut events);
    let failed_at: Vec<usize> = events
        .0
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, EngineEvent::TaskFailed { .. }))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(failed_at.len(), 1);
    assert!(events.0.iter().any(
        |e| matches!(e, EngineEvent::RestartScheduled { delay_ns, .. } if *delay_ns == 700 * MS)
    ));
    assert_eq!(cluster.status(), JobStatus::Running);
    assert_eq!(cluster.counters().restarts, 1);
}

#[test]
fn a_failure_at_a_chosen_event_fails_the_subtask_processing_it_once() {
    let mut c = JobConfig::default();
    c.parallelism = 4;
    c.failures = vec![FailureTrigger::EventIndex { index: 777 }];
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events: Vec<EngineEvent> = Vec::new();
    cluster.run(RunLimit::records(5000), &mut events);
    let failures: Vec<&EngineEvent> = events
        .iter()
        .filter(|e| matches!(e, EngineEvent::TaskFailed { .. }))
        .collect();
    assert_eq!(
        failures.len(),
        1,
        "fires once, also when event 777 is replayed"
    );
    let EngineEvent::TaskFailed {
        subtask: Some(subtask),
        cause,
        ..
    } = failures[0]
    else {
        panic!("{failures:?}")
    };
    assert!(cause.to_string().contains("(event index 777)"));
    // The subtask that failed is the one that owns the event's key.
    let emitted = events
        .iter()
        .find_map(|e| match e {
            EngineEvent::RecordEmitted {
                event: statelab::engine::tasks::stream_element::EventRef::Generated(777),
                subtask,
                ..
            } => Some(*subtask),
            _ => None,
        })
        .unwrap();
    assert_eq!(*subtask, emitted);
    assert_eq!(cluster.sink().gaps(), 0);
}

#[test]
fn the_key_group_map_of_a_key_shows_its_entry() {
    let mut cluster = MiniCluster::new(JobConfig::default()).unwrap();
    cluster.run(RunLimit::records(3000), &mut Milestones::default());
    let (key, count) = cluster.counts()[0];
    let kg = cluster.key_group_of(key);
    let map = cluster.key_group_map(kg).unwrap();
    let (table, bucket) = map.locate(cluster.keys().info(key).hash_code);
    let entry = map
        .bucket(table, bucket as usize)
        .find(|e| e.key == key)
        .unwrap();
    assert_eq!(entry.state, count);
    let past_the_last = KeyGroup::try_from(cluster.max_parallelism()).unwrap();
    assert!(cluster.key_group_map(past_the_last).is_none());
}

#[test]
fn the_same_configuration_replays_the_same_run_step_for_step() {
    let mut c = JobConfig::default();
    c.parallelism = 3;
    c.source.parallelism = 2;
    c.source.distribution = KeyDistribution::Zipf { exponent: 1.1 };
    c.checkpointing.interval_ms = Some(300);
    c.failures = vec![FailureTrigger::ProcessElementCall { call: 1500 }];
    let trace = |c: &JobConfig| {
        let mut cluster = MiniCluster::new(c.clone()).unwrap();
        let mut events: Vec<EngineEvent> = Vec::new();
        cluster.run(RunLimit::steps(20_000), &mut events);
        (events, cluster.now(), cluster.counts())
    };
    let a = trace(&c);
    assert!(a.0.len() > 20_000);
    assert_eq!(a, trace(&c));
    c.seed += 1;
    assert_ne!(a.0, trace(&c).0);
}

#[test]
fn writes_during_the_asynchronous_phase_are_copied_on_write_and_freed_after() {
    let mut c = JobConfig::default();
    c.parallelism = 1;
    c.source.parallelism = 1;
    c.source.rate = 50_000;
    c.source.key_count = 2000;
    c.source.distribution = KeyDistribution::Uniform;
    c.checkpointing.interval_ms = None;
    c.checkpointing.write_bytes_per_second = 100_000;
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events = Milestones::default();
    cluster.run(RunLimit::records(20_000), &mut events);
    let before = cluster.tasks()[0].backend().heap_breakdown();
    assert_eq!(before.retained_by_snapshots, 0);
    cluster.trigger_checkpoint().unwrap();
    let mut peak_retained = 0;
    while cluster.coordinator().pending().is_some() {
        cluster.step(&mut events);
        peak_retained = peak_retained.max(
            cluster.tasks()[0]
                .backend()
                .heap_breakdown()
                .retained_by_snapshots,
        );
    }
    assert!(
        peak_retained > 0,
        "old entries and values were kept for the snapshot"
    );
    let stats = cluster.coordinator().store().latest().unwrap().subtasks[0];
    assert!(stats.copy_on_write_copies > 100, "{stats:?}");
    assert!(stats.async_ns > stats.sync_ns);
    let after = cluster.tasks()[0].backend().heap_breakdown();
    assert_eq!(after.retained_by_snapshots, 0);
    assert_eq!(after.snapshot_arrays, 0);
    // The checkpoint holds exactly the counts at the barrier: 20,000 + what was emitted before it arrived.
    let checkpointed: i64 = cluster
        .coordinator()
        .store()
        .latest()
        .unwrap()
        .key_groups
        .iter()
        .flatten()
        .map(|(_, v)| v)
        .sum();
    assert!(checkpointed >= 20_000 && checkpointed < total_count(&cluster));
}

#[test]
fn restoring_at_another_parallelism_moves_whole_key_groups() {
    let mut c = JobConfig::default();
    c.parallelism = 2;
    c.source.key_count = 500;
    c.checkpointing.interval_ms = None;
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events = Milestones::default();
    cluster.run(RunLimit::records(5000), &mut events);
    let id = cluster.trigger_checkpoint().unwrap();
    while cluster.coordinator().pending().is_some() {
        cluster.step(&mut events);
    }
    let checkpoint = cluster.coordinator().store().get(id).unwrap().clone();
    cluster.restore(Some(id), 3, &mut events).unwrap();
    assert_eq!(cluster.parallelism(), 3);
    let ranges: Vec<(i32, i32)> = cluster
        .tasks()
        .iter()
        .map(|t| t.backend().key_group_range())
        .map(|r| (r.start_key_group(), r.end_key_group()))
        .collect();
    assert_eq!(ranges, vec![(0, 42), (43, 85), (86, 127)]);
    for task in cluster.tasks() {
        let table = task.counter_table().unwrap();
        for kg in task.backend().key_group_range().iter() {
            let mut live: Vec<_> = table
                .map_for_key_group(kg)
                .unwrap()
                .iter()
                .map(|e| (e.key, e.state))
                .collect();
            let mut stored = checkpoint.key_groups[kg.index()].clone();
            live.sort_unstable();
            stored.sort_unstable();
            assert_eq!(live, stored, "key group {kg}");
        }
    }
    // A checkpoint cannot be restored above its max parallelism, and unknown ids are refused.
    assert!(cluster.restore(Some(999), 2, &mut events).is_err());
    assert!(cluster.restore(Some(id), 0, &mut events).is_err());
}

#[test]
fn a_hot_key_backpressures_the_source_without_losing_counts() {
    let mut c = JobConfig::default();
    c.parallelism = 4;
    c.source.parallelism = 1;
    c.source.rate = 1_000_000;
    c.source.key_count = 100;
    c.source.max_events = Some(30_000);
    c.source.distribution = KeyDistribution::HotKey {
        key: 3,
        fraction: 0.9,
    };
    c.network.channel_capacity = 16;
    c.network.processing_time_ns = 50_000;
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events: Vec<EngineEvent> = Vec::new();
    cluster.run(RunLimit::UNLIMITED, &mut events);
    assert_eq!(cluster.status(), JobStatus::Finished);
    assert!(events
        .iter()
        .any(|e| matches!(e, EngineEvent::SourceBackpressured { .. })));
    assert_eq!(total_count(&cluster), 30_000);
    // 30,000 records at 50 µs each mostly on one subtask: far slower than the 1M/s source.
    assert!(cluster.now() > 27_000 * 50_000 / 2);
}

#[test]
fn keys_typed_by_hand_are_counted_and_replayed_after_a_restore() {
    let mut c = JobConfig::default();
    c.source.rate = 0;
    c.checkpointing.interval_ms = None;
    c.restart_strategy = Some(RestartStrategyConfig::fixed_delay_default());
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events = Milestones::default();
    for key in ["alice", "bob", "alice"] {
        cluster.inject_key(key).unwrap();
        cluster.step_record(&mut events);
    }
    let alice = cluster
        .keys()
        .find(&statelab::engine::keys::java_key::JavaKey::String(
            "alice".into(),
        ))
        .unwrap();
    assert_eq!(cluster.count_of(alice), Some(2));
    cluster.trigger_checkpoint().unwrap();
    cluster.run(RunLimit::until(cluster.now() + 1000 * MS), &mut events);
    assert!(cluster.coordinator().store().latest().is_some());
    cluster.inject_key("alice").unwrap();
    cluster.step_record(&mut events);
    assert_eq!(cluster.count_of(alice), Some(3));
    cluster.fail_now("by hand", &mut events).unwrap();
    cluster.run(RunLimit::until(cluster.now() + 5000 * MS), &mut events);
    // The restored state has 2; the log replays the third "alice".
    assert_eq!(cluster.count_of(alice), Some(3));
    assert_eq!(cluster.sink().duplicates(), 1);
    assert!(
        cluster.inject_key("").is_ok(),
        "the empty string is a valid String key"
    );
}

#[test]
fn a_run_counting_records_ends_when_no_record_can_come() {
    // Sources that emit nothing (rate 0) and a checkpoint every 50 ms: there is always something to do, but
    // "one more record" never comes. Such a run used to step forever, collecting the checkpoints' events.
    let mut c = JobConfig::default();
    c.source.rate = 0;
    c.checkpointing.interval_ms = Some(50);
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events: Vec<EngineEvent> = Vec::new();
    let steps = cluster.step_record(&mut events);
    assert_eq!(cluster.counters().records_processed, 0);
    assert!(steps < 10, "{steps} steps");
    // A key typed by hand is a record that can come: the run waits for it, and only for it.
    cluster.inject_key("alice").unwrap();
    cluster.run(RunLimit::records(5), &mut events);
    assert_eq!(cluster.counters().records_processed, 1);
    // A scripted command not waiting for records may still start the sources: the run goes on until it has.
    let mut c = JobConfig::default();
    c.source.rate = 0;
    c.checkpointing.interval_ms = Some(50);
    c.script = vec![statelab::engine::cluster::job_command::ScheduledCommand {
        at: statelab::engine::cluster::job_command::CommandTrigger::AtTime { ms: 400 },
        command: statelab::engine::cluster::job_command::JobCommand::SetSourceRate { rate: 1_000 },
    }];
    let mut cluster = MiniCluster::new(c).unwrap();
    cluster.run(RunLimit::records(3), &mut events);
    assert_eq!(cluster.counters().records_processed, 3);
    assert!(cluster.now() >= 400 * MS);
}

#[test]
fn commands_on_a_job_that_is_not_running_are_refused() {
    let mut c = JobConfig::default();
    c.source.max_events = Some(10);
    let mut cluster = MiniCluster::new(c).unwrap();
    cluster.run(RunLimit::UNLIMITED, &mut Milestones::default());
    assert_eq!(cluster.status(), JobStatus::Finished);
    assert!(cluster.trigger_checkpoint().is_err());
    assert!(cluster.inject_key("x").is_err());
    assert!(cluster.fail_now("x", &mut Milestones::default()).is_err());
    assert!(cluster.set_source_rate(2_000_000_000).is_err());
    assert!(cluster.set_checkpoint_interval(Some(0)).is_err());
}

#[test]
fn the_clock_can_advance_to_a_display_time_but_not_past_the_next_action() {
    let mut c = JobConfig::default();
    c.source.rate = 10;
    let mut cluster = MiniCluster::new(c).unwrap();
    assert_eq!(
        cluster.next_action_time(),
        0,
        "the first event is due at once"
    );
    cluster.step(&mut Milestones::default());
    let next = cluster.next_action_time();
    assert!(next > 0);
    cluster.advance_clock(next / 2);
    assert_eq!(cluster.now(), next / 2);
    cluster.advance_clock(next * 10);
    assert_eq!(cluster.now(), next, "stops at the pending emission");
    // A key typed now is emitted now, not at the next scheduled generated event.
    cluster.inject_key("typed").unwrap();
    assert_eq!(cluster.next_action_time(), cluster.now());
}

/// A job whose state outgrows what the checkpoint storage can write within `execution.checkpointing.timeout`:
/// 2,000 keys at 100 bytes/s of write speed take far longer than 2 s.
fn outgrowing_the_timeout(tolerable: u32) -> (MiniCluster, Vec<EngineEvent>) {
    let mut c = JobConfig::default();
    c.source.rate = 2_000;
    c.source.key_count = 2_000;
    c.source.distribution = KeyDistribution::Sequential;
    c.source.max_events = Some(40_000);
    c.checkpointing.interval_ms = Some(1_000);
    c.checkpointing.timeout_ms = 2_000;
    c.checkpointing.write_bytes_per_second = 10_000;
    c.checkpointing.tolerable_failed_checkpoints = tolerable;
    c.restart_strategy = Some(RestartStrategyConfig::FixedDelay {
        attempts: 2,
        delay_ms: 500,
    });
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events = Milestones::default();
    cluster.run(RunLimit::UNLIMITED, &mut events);
    (cluster, events.0)
}

#[test]
fn by_default_the_first_expired_checkpoint_fails_the_job_and_the_restart_strategy_runs() {
    let (cluster, events) = outgrowing_the_timeout(0);
    let expired = events
        .iter()
        .position(|e| {
            matches!(
                e,
                EngineEvent::CheckpointAborted {
                    reason: CheckpointFailureReason::CheckpointExpired,
                    ..
                }
            )
        })
        .expect("a checkpoint expires");
    // Right after it: the job fails with Flink's message and a restart is scheduled.
    match &events[expired + 1] {
        EngineEvent::TaskFailed {
            subtask: None,
            cause,
            ..
        } => {
            assert_eq!(
                *cause,
                FailureCause::CheckpointFailures {
                    reason: CheckpointFailureReason::CheckpointExpired
                }
            );
            assert!(cause.to_string().contains(
                "Exceeded checkpoint tolerable failure threshold. The latest checkpoint failed due to \
                 Checkpoint expired before completing."
            ));
        }
        other => panic!("after the expiry: {other:?}"),
    }
    assert!(events[expired + 1..]
        .iter()
        .any(|e| matches!(e, EngineEvent::RestartScheduled { attempt: 2, .. })));
    // Every attempt outgrows the timeout again: fixed-delay's 2 restarts, then FAILED.
    assert_eq!(cluster.status(), JobStatus::Failed);
    assert_eq!(cluster.counters().restarts, 2);
}

#[test]
fn expired_checkpoints_up_to_the_tolerable_number_only_abort_the_checkpoint() {
    let (_, strict) = outgrowing_the_timeout(0);
    let (_, tolerant) = outgrowing_the_timeout(3);
    let expiries_before_failure = |events: &[EngineEvent]| {
        events
            .iter()
            .take_while(|e| !matches!(e, EngineEvent::TaskFailed { .. }))
            .filter(|e| matches!(e, EngineEvent::CheckpointAborted { .. }))
            .count()
    };
    assert_eq!(expiries_before_failure(&strict), 1);
    assert_eq!(expiries_before_failure(&tolerant), 4);
    // Unlimited: the job never fails for it and runs to its end.
    let (cluster, events) = outgrowing_the_timeout(i32::MAX as u32);
    assert_eq!(cluster.status(), JobStatus::Finished);
    assert!(!events
        .iter()
        .any(|e| matches!(e, EngineEvent::TaskFailed { .. })));
}

#[test]
fn stopped_inside_process_element_the_job_is_as_the_lines_so_far_left_it() {
    use statelab::engine::functions::event_counter_process_function::ProcessLine;
    let mut c = JobConfig::default();
    c.source.key_count = 40;
    c.source.distribution = KeyDistribution::Sequential;
    c.checkpointing.interval_ms = None;
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events = Milestones::default();
    // Far enough that some keys are new and some are seen again.
    cluster.run(RunLimit::records(25), &mut events);
    let mut checked_new = false;
    let mut checked_seen = false;
    while !(checked_new && checked_seen) {
        let Some(subtask) = cluster.next_step_processes_a_record() else {
            cluster.step(&mut events);
            continue;
        };
        let before = cluster.clone();
        let mut reported: Vec<EngineEvent> = Vec::new();
        let mut after = cluster.clone();
        after.step(&mut reported);
        let (key, previous, count) = reported
            .iter()
            .find_map(|e| match e {
                EngineEvent::RecordProcessed {
                    key,
                    previous,
                    count,
                    ..
                } => Some((*key, *previous, *count)),
                _ => None,
            })
            .expect("the step processed a record");
        let at = |line: ProcessLine| {
            let mut stopped = before.clone();
            stopped.step_into(line, &mut Milestones::default());
            stopped
        };
        let processed = before.counters().records_processed;
        for line in [ProcessLine::Enter, ProcessLine::Value, ProcessLine::Next] {
            let s = at(line);
            let backend = s.tasks()[subtask.index()].backend();
            assert_eq!(backend.current_key().map(|k| k.key), Some(key), "{line:?}");
            assert_eq!(s.count_of(key), previous, "{line:?}: not written yet");
            assert_eq!(s.sink().written(), before.sink().written(), "{line:?}");
            assert_eq!(s.counters().records_processed, processed, "{line:?}");
        }
        let s = at(ProcessLine::Update);
        assert_eq!(s.count_of(key), Some(count), "update() ran");
        assert_eq!(
            s.state_heap_bytes(),
            after.state_heap_bytes(),
            "the heap grew as update() allocated"
        );
        assert_eq!(
            s.sink().written(),
            before.sink().written(),
            "out.collect has not run"
        );
        let s = at(ProcessLine::Collect);
        assert_eq!(
            s.sink().written(),
            before.sink().written() + 1,
            "out.collect ran"
        );
        assert_eq!(
            s.counters().records_processed,
            processed,
            "processElement has not returned"
        );
        let s = at(ProcessLine::Return);
        assert_eq!(s.counters().records_processed, processed + 1);
        assert_eq!(
            statelab::engine::history::fingerprint::fingerprint(&s),
            statelab::engine::history::fingerprint::fingerprint(&after),
            "Return is the whole step"
        );
        checked_new |= previous.is_none();
        checked_seen |= previous.is_some();
        cluster = after;
    }
}
