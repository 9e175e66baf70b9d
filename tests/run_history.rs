//! Time travel: for random jobs, random commands at random points and random seeks back and forth, a seek
//! rebuilds exactly the job that was live at that step; acting in the past forks the run, and the recorded run
//! is what a fresh job given the same commands at the same steps does; marks sit at the steps where their
//! events happened; snapshots stay within their budget.
// Jobs read best as a default configuration with the fields that matter set one by one.
#![allow(clippy::field_reassign_with_default)]
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use statelab::engine::checkpoint::checkpoint_coordinator::CheckpointStatus;
use statelab::engine::cluster::engine_error::EngineError;
use statelab::engine::cluster::engine_event::{EngineEvent, Milestones, Reporter};
use statelab::engine::cluster::job_command::{CommandTrigger, JobCommand, ScheduledCommand};
use statelab::engine::cluster::job_config::{
    CheckpointingMode, FailureTrigger, JobConfig, RestartStrategyConfig,
};
use statelab::engine::cluster::job_counters::JobCounters;
use statelab::engine::cluster::job_status::JobStatus;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::history::fingerprint::fingerprint;
use statelab::engine::history::run_history::{
    clone_bytes, estimate_bytes, unshared_bytes, HistoryConfig, HistoryError, MarkKind, Position,
    RunHistory, MAX_RECENT_INTERVAL,
};
use statelab::engine::shared::shared_storage::SharedStorage;
use statelab::engine::source::data_generator_source::SplitPosition;
use statelab::engine::source::key_distribution::KeyDistribution;
use statelab::engine::tasks::subtask_index::SubtaskIndex;
use std::collections::BTreeMap;

/// Everything a seek must reproduce.
#[derive(Clone, Debug, PartialEq)]
struct Observation {
    fingerprint: String,
    counters: JobCounters,
    next_action: u64,
    status: JobStatus,
    checkpoints: Vec<(u64, CheckpointStatus, u64, Option<u64>)>,
    sources: Vec<(SplitPosition, Option<SubtaskIndex>, bool)>,
    exceptions: usize,
    script: Vec<bool>,
    in_flight: Vec<usize>,
}

fn observe(c: &MiniCluster) -> Observation {
    Observation {
        fingerprint: fingerprint(c),
        counters: *c.counters(),
        next_action: c.next_action_time(),
        status: c.status(),
        checkpoints: c
            .coordinator()
            .history()
            .map(|s| {
                (
                    s.checkpoint_id,
                    s.status.clone(),
                    s.trigger_time,
                    s.end_time,
                )
            })
            .collect(),
        sources: c
            .sources()
            .iter()
            .map(|s| (s.split().position(), s.blocked_on(), s.is_finished()))
            .collect(),
        exceptions: c.exception_history().len(),
        script: c.script().map(|(_, fired)| fired).collect(),
        in_flight: (0..c.source_parallelism())
            .flat_map(|j| SubtaskIndex::all(c.parallelism()).map(move |i| (j, i)))
            .map(|(j, i)| c.channel(j, i).len())
            .collect(),
    }
}

#[derive(Clone, Debug)]
struct Job {
    config: JobConfig,
    history: HistoryConfig,
}

fn job() -> impl Strategy<Value = Job> {
    (
        (1u32..=4, 1u32..=2, 5u64..400, 0usize..3, 2_000u64..40_000),
        (
            proptest::option::of(30u64..300),
            any::<bool>(),
            proptest::option::of(1_500u64..6_000),
            proptest::collection::vec(50u64..5_000, 0..3),
            0usize..3,
        ),
        (any::<u64>(), 6u32..12, 18u32..23, any::<bool>()),
    )
        .prop_map(
            |(
                (parallelism, sources, keys, distribution, rate),
                (interval, at_least_once, max_events, failures, script),
                (seed, interval_log2, budget_log2, dense),
            )| {
                let mut c = JobConfig::default();
                c.seed = seed;
                c.parallelism = parallelism;
                c.source.parallelism = sources;
                c.source.key_count = keys;
                c.source.distribution = match distribution {
                    0 => KeyDistribution::Uniform,
                    1 => KeyDistribution::Zipf { exponent: 1.2 },
                    _ => KeyDistribution::HotKey {
                        key: 0,
                        fraction: 0.4,
                    },
                };
                c.source.rate = rate;
                c.source.max_events = max_events;
                c.network.channel_capacity = 64;
                c.checkpointing.interval_ms = interval;
                c.checkpointing.write_bytes_per_second = 400_000;
                c.checkpointing.retained = 2;
                if at_least_once {
                    c.checkpointing.mode = CheckpointingMode::AtLeastOnce;
                }
                c.restart_strategy = Some(RestartStrategyConfig::FixedDelay {
                    attempts: 20,
                    delay_ms: 30,
                });
                c.failures = failures
                    .into_iter()
                    .map(|call| FailureTrigger::ProcessElementCall { call })
                    .collect();
                c.script = [
                    ScheduledCommand {
                        at: CommandTrigger::AfterRecords { records: 700 },
                        command: JobCommand::InjectKey {
                            key: "scripted".into(),
                        },
                    },
                    ScheduledCommand {
                        at: CommandTrigger::AfterCheckpoint { checkpoint_id: 2 },
                        command: JobCommand::Restore {
                            checkpoint_id: None,
                            parallelism: 3,
                        },
                    },
                ]
                .into_iter()
                .take(script)
                .collect();
                Job {
                    config: c,
                    history: HistoryConfig {
                        budget_bytes: 1 << budget_log2,
                        initial_interval: 1 << interval_log2,
                        // Dense: as many snapshots as the interval asks for, however large the job.
                        bytes_per_step: if dense { u64::MAX } else { 32 },
                    },
                }
            },
        )
}

#[derive(Clone, Debug)]
enum Op {
    RunSteps(u64),
    RunRecords(u64),
    /// Simulated µs, then the clock advanced to the frame's time (the page's timed playback).
    RunFor(u64),
    Apply(u8, u64),
    /// A fraction (per mille) of the way from the origin to the head.
    Seek(u16),
    SeekRecords(u16),
    /// One record back from where the live job is.
    StepBack,
    Fork(u16),
    /// Undo the latest fork: the discarded future comes back.
    Undo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1u64..3_000).prop_map(Op::RunSteps),
        3 => (1u64..1_500).prop_map(Op::RunRecords),
        2 => (1u64..200_000).prop_map(Op::RunFor),
        4 => (0u8..7, 0u64..1_000).prop_map(|(k, v)| Op::Apply(k, v)),
        3 => (0u16..=1000).prop_map(Op::Seek),
        1 => (0u16..=1000).prop_map(Op::SeekRecords),
        1 => Just(Op::StepBack),
        1 => (0u16..=1000).prop_map(Op::Fork),
        1 => Just(Op::Undo),
    ]
}

fn command(kind: u8, v: u64, live: &MiniCluster) -> JobCommand {
    match kind {
        0 => JobCommand::InjectKey {
            key: format!("typed-{}", v % 7),
        },
        1 => JobCommand::TriggerCheckpoint,
        2 => JobCommand::FailNow {
            description: format!("by hand {v}"),
        },
        3 => JobCommand::Restore {
            checkpoint_id: None,
            parallelism: (v % 4) as u32 + 1,
        },
        4 => JobCommand::SetSourceRate { rate: v * 50 },
        5 => JobCommand::SetCheckpointInterval {
            interval_ms: (!v.is_multiple_of(3)).then_some(v + 20),
        },
        _ => JobCommand::AdvanceClock {
            time_ns: live.now() + v * 10_000,
        },
    }
}

fn between(history: &RunHistory, per_mille: u16) -> u64 {
    let (from, to) = (history.origin().step, history.head().step);
    from + (to - from) * u64::from(per_mille) / 1000
}

/// Plays `ops` against a live job, checking every seek against what the live job looked like at that step.
fn play(job: &Job, ops: &[Op]) -> Result<(MiniCluster, RunHistory), TestCaseError> {
    let mut live = MiniCluster::new(job.config.clone()).unwrap();
    let mut history = RunHistory::with_config(&live, job.history);
    // The live job as last seen at each step (commands at a step included); dropped when the run forks.
    let mut seen: BTreeMap<u64, Observation> = BTreeMap::new();
    seen.insert(0, observe(&live));
    // What was seen before the latest fork, for its undo.
    let mut seen_before_fork: Option<BTreeMap<u64, Observation>> = None;
    // A clock advance in the past is not recorded until a command follows it: the live job's clock is ahead of
    // the recorded one until its next step.
    let mut clock_ahead = false;
    let mut events = Milestones::default();
    for op in ops {
        let step_before = live.counters().steps;
        // This op left the live clock ahead of the recorded one / replaced or re-recorded the live job.
        let mut advanced_in_past = false;
        let mut reset = false;
        match op {
            Op::RunSteps(n) => {
                history
                    .run(&mut live, RunLimit::steps(*n), &mut events)
                    .unwrap();
            }
            Op::RunRecords(n) => {
                let mut detailed: Vec<EngineEvent> = Vec::new();
                history
                    .run(&mut live, RunLimit::records(*n), &mut detailed)
                    .unwrap();
            }
            Op::RunFor(us) => {
                let target = live.now() + us * 1_000;
                history
                    .run(&mut live, RunLimit::until(target), &mut events)
                    .unwrap();
                let in_past = !history.is_at_head(&live);
                history
                    .apply(
                        &mut live,
                        &JobCommand::AdvanceClock { time_ns: target },
                        &mut events,
                    )
                    .unwrap();
                advanced_in_past = in_past;
            }
            Op::Apply(kind, v) => {
                let command = command(*kind, *v, &live);
                let in_past = !history.is_at_head(&live);
                let before = observe(&live);
                let clock_before = live.now();
                match history.apply(&mut live, &command, &mut events) {
                    Ok(()) if matches!(command, JobCommand::AdvanceClock { .. }) => {
                        advanced_in_past = in_past && live.now() != clock_before;
                    }
                    Ok(()) => {
                        reset = true;
                        if in_past {
                            let at = live.counters().steps;
                            seen_before_fork = Some(seen.clone());
                            seen.retain(|&s, _| s <= at);
                            prop_assert_eq!(history.discarded().map(|f| f.at.step), Some(at));
                            prop_assert_eq!(history.head().step, at, "acting in the past forks");
                        }
                    }
                    Err(HistoryError::Engine(_)) => {
                        prop_assert_eq!(
                            observe(&live),
                            before,
                            "a refused command changes nothing"
                        );
                    }
                    Err(e) => return Err(TestCaseError::fail(e.to_string())),
                }
            }
            Op::Seek(per_mille) => {
                let step = between(&history, *per_mille);
                live = history.seek(step).unwrap();
                prop_assert_eq!(live.counters().steps, step);
                reset = true;
            }
            Op::SeekRecords(per_mille) => {
                let (from, to) = (history.origin().records, history.head().records);
                let records = from + (to - from) * u64::from(*per_mille) / 1000;
                live = history.seek_records(records).unwrap();
                prop_assert_eq!(live.counters().records_processed, records);
                let step = live.counters().steps;
                if step > 0 {
                    let before = history.seek(step - 1).unwrap();
                    prop_assert!(
                        before.counters().records_processed < records,
                        "the first step with {} records",
                        records
                    );
                }
                reset = true;
            }
            Op::StepBack => {
                // As the page does it: the record before, reporting the events of the last steps on the way.
                let records = live.counters().records_processed.saturating_sub(1);
                let mut reported = ByStep::default();
                let (back, after) = history
                    .seek_records_reporting(records, &mut reported)
                    .unwrap();
                prop_assert_eq!(
                    observe(&back),
                    observe(&history.seek_records(records).unwrap())
                );
                // The events of the steps after `after`: those a seek to the step with that window reports.
                let step = back.counters().steps;
                let mut expected = ByStep::default();
                history
                    .seek_reporting(step, step - after, &mut expected)
                    .unwrap();
                prop_assert_eq!(reported.events, expected.events);
                prop_assert_eq!(reported.scripted, expected.scripted);
                live = back;
                reset = true;
            }
            Op::Fork(per_mille) => {
                let step = between(&history, *per_mille);
                if step < history.head().step {
                    seen_before_fork = Some(seen.clone());
                }
                live = history.fork(step).unwrap();
                seen.retain(|&s, _| s <= step);
                prop_assert_eq!(history.head().step, step);
                reset = true;
            }
            Op::Undo => {
                let head = history.discarded().map(|f| f.discarded_head);
                match history.undo_fork() {
                    Some(at) => {
                        prop_assert_eq!(Some(history.head()), head);
                        seen = seen_before_fork.take().expect("a fork was undone");
                        live = history.seek(at).unwrap();
                        prop_assert!(history.discarded().is_none(), "one level of undo");
                        reset = true;
                    }
                    None => prop_assert!(head.is_none()),
                }
            }
        }
        if reset || live.counters().steps != step_before {
            clock_ahead = advanced_in_past;
        } else {
            clock_ahead |= advanced_in_past;
        }
        if !clock_ahead {
            seen.insert(live.counters().steps, observe(&live));
        }
        prop_assert!(history.snapshot_count() >= 1);
        prop_assert!(
            history.snapshot_bytes() <= job.history.budget_bytes || history.snapshot_count() == 1,
            "{} bytes in {} snapshots",
            history.snapshot_bytes(),
            history.snapshot_count()
        );
        prop_assert!(history.is_at_head(&live) || live.counters().steps < history.head().step);
    }
    for (step, expected) in &seen {
        let rebuilt = history.seek(*step).unwrap();
        prop_assert_eq!(
            &observe(&rebuilt),
            expected,
            "seek({}) differs from the live job",
            step
        );
    }
    Ok((live, history))
}

/// A fresh job given the recorded commands at the recorded steps.
fn fresh_run(config: &JobConfig, history: &RunHistory) -> MiniCluster {
    let mut cluster = MiniCluster::new(config.clone()).unwrap();
    let mut events = Milestones::default();
    for recorded in history.commands() {
        let steps = recorded.step - cluster.counters().steps;
        assert_eq!(cluster.run(RunLimit::steps(steps), &mut events), steps);
        cluster.apply(&recorded.command, &mut events).unwrap();
    }
    let steps = history.head().step - cluster.counters().steps;
    assert_eq!(cluster.run(RunLimit::steps(steps), &mut events), steps);
    cluster
}

fn check_marks(history: &RunHistory) -> Result<(), TestCaseError> {
    let command_steps: Vec<u64> = history.commands().iter().map(|c| c.step).collect();
    let mut previous = 0;
    for mark in history.marks() {
        prop_assert!(mark.step >= previous, "marks in order");
        previous = mark.step;
        let at = history.seek(mark.step).unwrap();
        prop_assert_eq!(at.counters().records_processed, mark.records);
        prop_assert!(mark.time <= at.now());
        // Before the step (unless commands at that position blur the line).
        let before = (mark.step > 0 && !command_steps.contains(&mark.step))
            .then(|| history.seek(mark.step - 1).unwrap());
        let status = |c: &MiniCluster, id: u64| {
            c.coordinator()
                .history()
                .find(|s| s.checkpoint_id == id)
                .map(|s| s.status.clone())
        };
        match &mark.kind {
            MarkKind::CheckpointTriggered { checkpoint_id, .. } => {
                prop_assert!(status(&at, *checkpoint_id).is_some());
                if let Some(b) = &before {
                    prop_assert!(status(b, *checkpoint_id).is_none());
                }
            }
            MarkKind::CheckpointCompleted { checkpoint_id, .. } => {
                prop_assert_eq!(
                    status(&at, *checkpoint_id),
                    Some(CheckpointStatus::Completed)
                );
                if let Some(b) = &before {
                    prop_assert_eq!(
                        status(b, *checkpoint_id),
                        Some(CheckpointStatus::InProgress)
                    );
                }
            }
            MarkKind::CheckpointAborted { checkpoint_id, .. } => {
                prop_assert!(matches!(
                    status(&at, *checkpoint_id),
                    Some(CheckpointStatus::Failed(_))
                ));
            }
            MarkKind::TaskFailed { .. } => {
                prop_assert!(at.exception_history().any(|e| e.time == mark.time));
                if let Some(b) = &before {
                    prop_assert!(!b.exception_history().any(|e| e.time == mark.time));
                }
            }
            MarkKind::JobRestored {
                attempt,
                parallelism,
                ..
            } => {
                prop_assert!(at.attempt() >= *attempt);
                if at.attempt() == *attempt {
                    prop_assert_eq!(at.parallelism(), *parallelism);
                }
                if let Some(b) = &before {
                    prop_assert!(b.attempt() < *attempt);
                }
            }
            // A command at the same position (a restore) may have started the job again.
            MarkKind::JobFinished if before.is_some() => {
                prop_assert_eq!(at.status(), JobStatus::Finished)
            }
            MarkKind::JobFailed if before.is_some() => {
                prop_assert_eq!(at.status(), JobStatus::Failed)
            }
            MarkKind::JobFinished | MarkKind::JobFailed => {}
            MarkKind::Command { scripted, .. } => {
                if !*scripted {
                    prop_assert!(command_steps.contains(&mark.step));
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, rng_seed: RngSeed::Fixed(0x5747_4C41_4221), ..ProptestConfig::default() })]

    #[test]
    fn seeks_rebuild_the_live_job_and_the_recorded_run_is_a_real_run(
        job in job(),
        ops in proptest::collection::vec(op(), 1..40),
    ) {
        let (live, history) = play(&job, &ops)?;
        let fresh = fresh_run(&job.config, &history);
        let head = history.seek(history.head().step).unwrap();
        prop_assert_eq!(observe(&fresh), observe(&head));
        prop_assert_eq!(Position::of(&head), history.head());
        if history.is_at_head(&live) {
            prop_assert_eq!(fingerprint(&live), fingerprint(&fresh));
        }
        check_marks(&history)?;
    }
}

/// Collects events with the position they belong to (the last step begun).
#[derive(Default)]
struct ByStep {
    step: u64,
    events: Vec<(u64, u64, EngineEvent)>,
    /// The job's scripted commands: (position, time, command, accepted).
    scripted: Vec<(u64, u64, JobCommand, bool)>,
}

impl Reporter for ByStep {
    const PER_RECORD: bool = true;
    fn report(&mut self, at: u64, event: EngineEvent) {
        self.events.push((self.step, at, event));
    }
    fn step_started(&mut self, counters: &JobCounters) {
        self.step = counters.steps;
    }
    fn scripted_command(
        &mut self,
        at: u64,
        command: &JobCommand,
        outcome: Result<(), &EngineError>,
    ) {
        self.scripted
            .push((self.step, at, command.clone(), outcome.is_ok()));
    }
}

fn small_job() -> JobConfig {
    let mut c = JobConfig::default();
    c.parallelism = 3;
    c.source.parallelism = 2;
    c.source.rate = 20_000;
    c.source.key_count = 300;
    c.checkpointing.interval_ms = Some(100);
    c.failures = vec![FailureTrigger::ProcessElementCall { call: 3_000 }];
    c.restart_strategy = Some(RestartStrategyConfig::FixedDelay {
        attempts: 3,
        delay_ms: 50,
    });
    c
}

#[test]
fn a_seek_reports_the_events_of_its_window_as_the_live_run_did() {
    let mut live = MiniCluster::new(small_job()).unwrap();
    let mut history = RunHistory::with_config(
        &live,
        HistoryConfig {
            budget_bytes: 8 << 20,
            initial_interval: 1000,
            bytes_per_step: u64::MAX,
        },
    );
    let mut all = ByStep::default();
    history
        .run(&mut live, RunLimit::records(2_000), &mut all)
        .unwrap();
    all.step = live.counters().steps;
    history
        .apply(&mut live, &JobCommand::TriggerCheckpoint, &mut all)
        .unwrap();
    history
        .apply(
            &mut live,
            &JobCommand::InjectKey { key: "x".into() },
            &mut all,
        )
        .unwrap();
    history
        .run(&mut live, RunLimit::records(4_000), &mut all)
        .unwrap();
    let head = history.head().step;
    for (step, window) in [(head, 3_000), (head / 2, 500), (2_345, 2_345), (5_000, 0)] {
        let mut replayed = ByStep::default();
        let rebuilt = history.seek_reporting(step, window, &mut replayed).unwrap();
        assert_eq!(
            fingerprint(&rebuilt),
            fingerprint(&history.seek(step).unwrap())
        );
        let expected: Vec<&(u64, u64, EngineEvent)> = all
            .events
            .iter()
            .filter(|(s, _, _)| *s > step - window && *s <= step)
            .collect();
        let got: Vec<&(u64, u64, EngineEvent)> = replayed.events.iter().collect();
        assert_eq!(got.len(), expected.len(), "step {step} window {window}");
        assert_eq!(got, expected, "step {step} window {window}");
    }
}

/// One event back reports the events of the steps it replays after the clone it keeps (or the snapshot it starts
/// from): the job of `seek_records`, and the events a seek to its step reports with the window reaching back
/// there — press after press, and at the start of the run. With snapshots far apart, every press after the first
/// reports at least the 4,000 steps the page's event log shows (it starts from a clone kept at least 2,048
/// records back); with snapshots 1,000 steps apart, the page replays a second time from the one before.
#[test]
fn one_event_back_reports_the_events_of_the_steps_it_replays() {
    for initial_interval in [1_000, 1 << 16] {
        let mut live = MiniCluster::new(small_job()).unwrap();
        let mut history = RunHistory::with_config(
            &live,
            HistoryConfig {
                budget_bytes: 8 << 20,
                initial_interval,
                bytes_per_step: u64::MAX,
            },
        );
        let mut events = Milestones::default();
        history
            .run(&mut live, RunLimit::records(2_000), &mut events)
            .unwrap();
        history
            .apply(&mut live, &JobCommand::TriggerCheckpoint, &mut events)
            .unwrap();
        history
            .run(&mut live, RunLimit::records(12_000), &mut events)
            .unwrap();
        let check = |records: u64| {
            let mut reported = ByStep::default();
            let (back, after) = history
                .seek_records_reporting(records, &mut reported)
                .unwrap();
            assert_eq!(
                fingerprint(&back),
                fingerprint(&history.seek_records(records).unwrap())
            );
            let step = back.counters().steps;
            let mut expected = ByStep::default();
            history
                .seek_reporting(step, step - after, &mut expected)
                .unwrap();
            assert_eq!(reported.events, expected.events, "record {records}");
            (back, step - after)
        };
        let mut records = history.head().records;
        let mut reported_steps = Vec::new();
        for _ in 0..30 {
            let (back, steps) = check(records - 1);
            records = back.counters().records_processed;
            reported_steps.push(steps);
        }
        if initial_interval > 1_000 {
            assert!(
                reported_steps[1..].iter().all(|&steps| steps >= 4_000),
                "{reported_steps:?}"
            );
        }
        for records in [2_001, 1, 0] {
            check(records);
        }
    }
}

#[test]
fn scrubbing_forward_from_the_past_follows_the_recorded_commands() {
    let mut live = MiniCluster::new(small_job()).unwrap();
    let mut history = RunHistory::new(&live);
    let mut events = Milestones::default();
    history
        .run(&mut live, RunLimit::records(1_000), &mut events)
        .unwrap();
    history
        .apply(
            &mut live,
            &JobCommand::SetSourceRate { rate: 5_000 },
            &mut events,
        )
        .unwrap();
    history
        .run(&mut live, RunLimit::records(1_000), &mut events)
        .unwrap();
    let head = fingerprint(&live);
    let mut scrubbed = history.seek(10).unwrap();
    while !history.is_at_head(&scrubbed) {
        let left = history.head().step - scrubbed.counters().steps;
        history
            .run(&mut scrubbed, RunLimit::steps(left.min(333)), &mut events)
            .unwrap();
    }
    assert_eq!(fingerprint(&scrubbed), head);
    assert_eq!(scrubbed.config().source.rate, 5_000);
    assert_eq!(history.commands().len(), 1, "replaying forks nothing");
}

#[test]
fn a_job_moved_outside_the_history_is_refused() {
    let mut live = MiniCluster::new(small_job()).unwrap();
    let mut history = RunHistory::new(&live);
    live.run(RunLimit::steps(10), &mut Milestones::default());
    assert!(matches!(
        history.run(&mut live, RunLimit::steps(1), &mut Milestones::default()),
        Err(HistoryError::NotInHistory { step: 10, head: 0 })
    ));
    assert!(matches!(
        history.seek(11),
        Err(HistoryError::StepOutOfRange { .. })
    ));
    assert!(matches!(
        history.seek_records(1),
        Err(HistoryError::RecordsOutOfRange { .. })
    ));
}

#[test]
fn a_long_run_keeps_its_snapshots_within_budget_by_thinning_them() {
    let mut c = JobConfig::default();
    c.parallelism = 4;
    c.source.parallelism = 1;
    c.source.rate = 1_000_000;
    c.source.key_count = 10_000;
    c.source.distribution = KeyDistribution::Uniform;
    c.network.processing_time_ns = 100;
    c.checkpointing.interval_ms = Some(100);
    let mut live = MiniCluster::new(c).unwrap();
    let budget = 16 << 20;
    let mut history = RunHistory::with_config(
        &live,
        HistoryConfig {
            budget_bytes: budget,
            ..HistoryConfig::default()
        },
    );
    history
        .run(
            &mut live,
            RunLimit::records(300_000),
            &mut Milestones::default(),
        )
        .unwrap();
    assert!(history.snapshot_bytes() <= budget);
    assert!(history.snapshot_interval() > 4096, "thinned");
    assert!(history.snapshot_count() >= 4);
    let steps = history.head().step;
    assert!(history.snapshot_interval() * (history.snapshot_count() as u64 + 1) > steps / 2);
    let marks = history.marks();
    assert!(marks
        .iter()
        .any(|m| matches!(m.kind, MarkKind::CheckpointCompleted { .. })));
    let back = history.seek_records(299_999).unwrap();
    assert_eq!(back.counters().records_processed, 299_999);
}

/// A job of the heap lesson's kind: `keys` keys in turn, one source at 1M events/s, 4 keyed subtasks.
fn keys_in_turn(keys: u64) -> JobConfig {
    let mut c = JobConfig::default();
    c.parallelism = 4;
    c.source.parallelism = 1;
    c.source.rate = 1_000_000;
    c.source.key_count = keys;
    c.source.distribution = KeyDistribution::Sequential;
    c.network.processing_time_ns = 100;
    c
}

/// Snapshots share the cluster's storage: a clone taken before one more record differs from the live cluster
/// only in the chunks that record wrote — every other key group's map is shared whole.
#[test]
fn a_snapshot_shares_everything_but_what_the_job_changed_since() {
    let mut live = MiniCluster::new(keys_in_turn(100_000)).unwrap();
    live.run(RunLimit::records(150_000), &mut Milestones::default());
    let snapshot = live.clone();
    live.run(RunLimit::records(1), &mut Milestones::default());

    let mut shared_maps = 0;
    let mut changed_maps = 0;
    for (mine, theirs) in snapshot.tasks().iter().zip(live.tasks()) {
        let (mine, theirs) = (
            &mine.backend().state_tables()[0],
            &theirs.backend().state_tables()[0],
        );
        for (a, b) in mine.maps().iter().zip(theirs.maps()) {
            if a.unshared_bytes(Some(b)) == a.clone_bytes() {
                shared_maps += 1;
            } else {
                changed_maps += 1;
            }
        }
    }
    assert_eq!(changed_maps, 1, "one record touches one key group's map");
    assert_eq!(shared_maps, 127);

    let changed = unshared_bytes(&snapshot, Some(&live)) - clone_bytes(&snapshot);
    assert!(
        changed <= 8 << 10,
        "{changed} bytes not shared after one record"
    );
    assert!(
        estimate_bytes(&snapshot) > 1_000 * changed,
        "a copy that shared nothing would take {} bytes",
        estimate_bytes(&snapshot)
    );
}

/// Time travel at scale: with more keys in state than the snapshot budget holds in one copy, the history keeps
/// snapshots right behind the head within the budget, so one event back replays at most one recent interval
/// (before snapshots were shared, only the first snapshot fitted and every seek replayed the whole run); after
/// a jump to where the grid has thinned out, one event back replays a few thousand steps (the jump kept a clone
/// on its way).
#[test]
fn one_event_back_with_a_state_larger_than_the_budget_replays_a_few_steps() {
    let config = keys_in_turn(300_000);
    let mut live = MiniCluster::new(config.clone()).unwrap();
    let budget = 16 << 20;
    let mut history = RunHistory::with_config(
        &live,
        HistoryConfig {
            budget_bytes: budget,
            ..HistoryConfig::default()
        },
    );
    // Every key counted three times: the state is rewritten twice after it was built.
    history
        .run(
            &mut live,
            RunLimit::records(900_000),
            &mut Milestones::default(),
        )
        .unwrap();
    assert!(
        estimate_bytes(&live) > budget,
        "one whole copy of the job takes more than the budget"
    );
    assert!(history.snapshot_bytes() <= budget);
    assert!(history.snapshot_count() >= 3, "snapshots near the head");

    let head = history.head();
    let back = history.step_of_record(head.records - 1).unwrap();
    let base = history
        .snapshots()
        .map(|(step, _)| step)
        .take_while(|&step| step <= back)
        .last()
        .unwrap();
    assert!(
        back - base <= history.recent_interval(),
        "one event back replays {} steps",
        back - base
    );
    assert!(history.recent_interval() <= MAX_RECENT_INTERVAL);
    assert!(back - base < head.step / 20, "not the whole run");

    // And it is the job as it was: the same as a fresh run to that record.
    let rebuilt = history.seek(back).unwrap();
    let mut fresh = MiniCluster::new(config.clone()).unwrap();
    fresh.run(
        RunLimit::records(head.records - 1),
        &mut Milestones::default(),
    );
    assert_eq!(fingerprint(&rebuilt), fingerprint(&fresh));
    assert_eq!(rebuilt.counters(), fresh.counters());

    // A jump to where the snapshots have thinned out replays from far behind; one event back from there as the
    // page does it (the step of the record before, then the job there with the events of the 4,000 steps
    // before it) then replays a few thousand steps, from a clone the jump kept on its way, not the way again.
    let middle = head.step / 2;
    let base = history
        .snapshots()
        .map(|(step, _)| step)
        .take_while(|&step| step <= middle)
        .last()
        .unwrap();
    assert!(
        middle - base > 200_000,
        "the nearest snapshot is far behind"
    );
    let replayed = history.replayed_steps();
    let jumped = history
        .seek_reporting(middle, 4_000, &mut Milestones::default())
        .unwrap();
    assert!(history.replayed_steps() - replayed >= middle - base);
    let replayed = history.replayed_steps();
    let records = jumped.counters().records_processed - 1;
    let step = history.step_of_record(records).unwrap();
    let back = history
        .seek_reporting(step, 4_000, &mut Milestones::default())
        .unwrap();
    let steps = history.replayed_steps() - replayed;
    assert!(
        steps < 32_000,
        "one event back after the jump replayed {steps} steps"
    );
    let mut fresh = MiniCluster::new(config).unwrap();
    fresh.run(RunLimit::records(records), &mut Milestones::default());
    assert_eq!(fingerprint(&back), fingerprint(&fresh));
}
