//! The simulation driven by actions alone, as the page drives it — with a job id, start times and a clock given
//! by the test, so every run is the same.

use super::*;
use crate::engine::cluster::job_config::{CheckpointingConfig, SourceConfig};
use crate::engine::history::run_history::HistoryError;
use std::cell::Cell;

/// ×1: one simulated second per wall second.
const REAL_TIME: usize = 11;
const MS: u64 = 1_000_000;

fn job(n: u64) -> JobStart {
    JobStart {
        id: format!("{n:016x}"),
        started_at_ms: n as f64 * 1_000.0,
    }
}

/// A small job: 1,000 records per second over 50 keys, no periodic checkpoints.
fn config() -> JobConfig {
    JobConfig {
        source: SourceConfig {
            key_count: 50,
            ..Default::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: None,
            ..Default::default()
        },
        ..JobConfig::default()
    }
}

fn sim() -> Simulation {
    Simulation::new(config(), job(1)).unwrap()
}

fn records(s: &Simulation) -> u64 {
    s.cluster().counters().records_processed
}

/// A clock that stands still: no frame ever runs out of its budget.
fn still() -> f64 {
    0.0
}

fn frame(s: &mut Simulation, wall_dt_ms: f64) {
    s.reduce(SimulationAction::Frame {
        wall_dt_ms,
        budget_ms: 12.0,
        clock: &still,
    })
    .unwrap();
}

fn act(s: &mut Simulation, action: SimulationAction<'_>) -> Effect {
    s.reduce(action).unwrap()
}

#[test]
fn a_new_job_is_paused_at_its_start_at_the_default_speed() {
    let s = sim();
    assert!(!s.playing());
    assert_eq!(s.speed(), DEFAULT_SPEED);
    assert_eq!((records(&s), s.display_time()), (0, 0));
    assert_eq!(s.job_id(), "0000000000000001");
    assert_eq!(s.started_at_ms(), 1_000.0);
    assert!(!s.in_the_past() && !s.is_stopped_inside());
    assert_eq!(s.heap().samples.len(), 1);
}

#[test]
fn speeds_stay_within_the_ones_the_page_has() {
    let mut s = sim();
    act(&mut s, SimulationAction::SetSpeed(99));
    assert_eq!(s.speed(), MAX_SPEED);
    assert_eq!(s.speed_factor(), None);
    act(&mut s, SimulationAction::Faster);
    assert_eq!(s.speed(), MAX_SPEED);
    act(&mut s, SimulationAction::SetSpeed(0));
    act(&mut s, SimulationAction::Slower);
    assert_eq!(s.speed(), 0);
    assert_eq!(s.speed_factor(), Some(0.0002));
    act(&mut s, SimulationAction::Faster);
    assert_eq!(s.speed(), 1);
    // Individual records up to ×0.5; faster, flow rates, and slow views refresh less often while playing.
    act(&mut s, SimulationAction::SetSpeed(10));
    assert!(s.shows_individual_records());
    act(&mut s, SimulationAction::Faster);
    assert!(!s.shows_individual_records());
    assert!(!s.plays_fast());
    act(&mut s, SimulationAction::Play);
    assert!(s.plays_fast());
}

#[test]
fn a_frame_plays_wall_time_times_the_speed_and_nothing_while_paused() {
    let mut s = sim();
    frame(&mut s, 16.0);
    assert_eq!((records(&s), s.display_time()), (0, 0), "paused");
    act(&mut s, SimulationAction::SetSpeed(REAL_TIME));
    act(&mut s, SimulationAction::TogglePlay);
    assert!(s.playing());
    frame(&mut s, 16.0);
    assert_eq!(s.display_time(), 16 * MS);
    assert!(!s.behind());
    // A long frame (a background tab) counts as 100 ms at most.
    frame(&mut s, 5_000.0);
    assert_eq!(s.display_time(), 116 * MS);
    assert!(records(&s) > 50, "{}", records(&s));
    act(&mut s, SimulationAction::TogglePlay);
    let before = (records(&s), s.display_time());
    frame(&mut s, 16.0);
    assert_eq!((records(&s), s.display_time()), before);
}

#[test]
fn a_long_wait_with_nothing_in_flight_plays_in_about_a_second() {
    // No records, a checkpoint every minute: nothing happens for a minute.
    let config = JobConfig {
        source: SourceConfig {
            rate: 0,
            ..Default::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: Some(60_000),
            ..Default::default()
        },
        ..JobConfig::default()
    };
    let mut s = Simulation::new(config, job(1)).unwrap();
    act(&mut s, SimulationAction::Play);
    let next = s.cluster().next_action_time();
    assert!(next >= 10_000 * MS, "{next}");
    frame(&mut s, 100.0);
    // At ×0.1 a frame of 100 ms would be 10 ms; the wait is played so that it takes 1.2 s.
    let compressed = (100.0 * 1e6 * (next as f64 / (SKIP_IDLE_AFTER_S * 1e9))) as u64;
    assert_eq!(s.display_time(), compressed);
    for _ in 0..12 {
        frame(&mut s, 100.0);
    }
    assert!(s.display_time() >= next);
    assert_eq!(s.cluster().now(), s.display_time());
}

#[test]
fn a_frame_keeps_within_its_budget_and_says_when_the_engine_falls_behind() {
    let mut s = sim();
    act(&mut s, SimulationAction::SetSpeed(16)); // ×200: 20 simulated seconds per 100 ms frame.
    act(&mut s, SimulationAction::Play);
    // Every reading of the clock is 10 ms later: the budget of 12 ms runs out at the second reading.
    let ticks = Cell::new(0.0);
    let clock = || {
        ticks.set(ticks.get() + 10.0);
        ticks.get()
    };
    s.reduce(SimulationAction::Frame {
        wall_dt_ms: 100.0,
        budget_ms: 12.0,
        clock: &clock,
    })
    .unwrap();
    assert!(s.behind());
    assert!(s.display_time() < 20_000 * MS);
    assert_eq!(s.display_time(), s.cluster().now());
    // As fast as it goes: it runs for the budget, and is never "behind".
    act(&mut s, SimulationAction::SetSpeed(MAX_SPEED));
    let before = records(&s);
    s.reduce(SimulationAction::Frame {
        wall_dt_ms: 16.0,
        budget_ms: 12.0,
        clock: &clock,
    })
    .unwrap();
    assert!(!s.behind());
    assert!(records(&s) > before);
}

#[test]
fn stepping_by_hand_pauses_and_processes_exactly_one_record() {
    let mut s = sim();
    act(&mut s, SimulationAction::Play);
    act(&mut s, SimulationAction::StepRecord);
    assert!(!s.playing());
    assert_eq!(records(&s), 1);
    assert!(s.last_record().is_some());
    act(&mut s, SimulationAction::StepRecord);
    assert_eq!(records(&s), 2);
    assert!(s.display_time() >= s.cluster().now());
}

#[test]
fn step_into_walks_the_lines_then_pauses_at_the_next_record() {
    let mut s = sim();
    act(&mut s, SimulationAction::Play);
    // The code panel stands after the newest record's last line: the next record.
    let effect = act(
        &mut s,
        SimulationAction::StepInto {
            record: 0,
            line: ProcessLine::Return,
        },
    );
    assert_eq!(effect, Effect::EnteredRecord(1));
    assert!(!s.playing());
    // Inside the newest record: the next line, nothing else changes.
    let effect = act(
        &mut s,
        SimulationAction::StepInto {
            record: 1,
            line: ProcessLine::Enter,
        },
    );
    assert_eq!(effect, Effect::NextLine);
    assert_eq!(records(&s), 1);
    // On a line of an older record: the next record.
    act(&mut s, SimulationAction::StepRecord);
    let effect = act(
        &mut s,
        SimulationAction::StepInto {
            record: 1,
            line: ProcessLine::Enter,
        },
    );
    assert_eq!(effect, Effect::EnteredRecord(3));
}

#[test]
fn stopped_inside_a_record_the_views_show_the_job_at_that_line() {
    let mut s = sim();
    for _ in 0..3 {
        act(&mut s, SimulationAction::StepRecord);
    }
    act(
        &mut s,
        SimulationAction::StopInside(Some((3, ProcessLine::Enter))),
    );
    assert!(s.is_stopped_inside());
    // Before `update()`, the job shown has not counted the record yet.
    let shown: i64 = s.shown().counts().iter().map(|&(_, c)| c).sum();
    let now: i64 = s.cluster().counts().iter().map(|&(_, c)| c).sum();
    assert_eq!(shown + 1, now);
    // Only inside the newest record, and only while paused.
    act(
        &mut s,
        SimulationAction::StopInside(Some((2, ProcessLine::Enter))),
    );
    assert!(!s.is_stopped_inside());
    act(
        &mut s,
        SimulationAction::StopInside(Some((3, ProcessLine::Enter))),
    );
    act(&mut s, SimulationAction::StopInside(None));
    assert!(!s.is_stopped_inside());
    act(
        &mut s,
        SimulationAction::StopInside(Some((3, ProcessLine::Enter))),
    );
    act(&mut s, SimulationAction::StepRecord);
    assert!(!s.is_stopped_inside());
}

#[test]
fn going_back_and_seeking_pause_and_show_the_job_as_it_was() {
    let mut s = sim();
    for _ in 0..5 {
        act(&mut s, SimulationAction::StepRecord);
    }
    let head = s.cluster().counters().steps;
    act(&mut s, SimulationAction::Play);
    act(&mut s, SimulationAction::StepBack);
    assert!(!s.playing());
    assert_eq!(records(&s), 4);
    assert!(s.in_the_past());
    act(&mut s, SimulationAction::Play);
    act(&mut s, SimulationAction::Seek(0));
    assert!(!s.playing());
    assert_eq!((records(&s), s.display_time()), (0, 0));
    assert!(s.log().is_empty() && s.last_record().is_none());
    // Back at the start, a step back stays there.
    act(&mut s, SimulationAction::StepBack);
    assert_eq!(s.cluster().counters().steps, 0);
    act(&mut s, SimulationAction::Seek(head));
    assert_eq!(records(&s), 5);
    assert!(!s.in_the_past());
    // Past the furthest point reached: refused, nothing changes.
    assert!(matches!(
        s.reduce(SimulationAction::Seek(head + 1)),
        Err(PageError::History(HistoryError::StepOutOfRange { .. }))
    ));
    assert_eq!(records(&s), 5);
}

#[test]
fn a_command_in_the_past_forks_the_run_which_can_be_undone_or_kept() {
    let mut s = sim();
    for _ in 0..6 {
        act(&mut s, SimulationAction::StepRecord);
    }
    act(&mut s, SimulationAction::Seek(0));
    act(&mut s, SimulationAction::TriggerCheckpoint);
    let fork = s.history().discarded().unwrap();
    assert_eq!(fork.discarded_head.records, 6);
    assert!(!s.in_the_past());
    act(&mut s, SimulationAction::Play);
    act(&mut s, SimulationAction::UndoFork);
    assert!(!s.playing());
    assert_eq!(s.history().discarded(), None);
    assert_eq!(s.history().head().records, 6);
    // Forked again, and the new future kept: its undo is no longer offered.
    act(&mut s, SimulationAction::TriggerCheckpoint);
    assert!(s.history().discarded().is_some());
    act(&mut s, SimulationAction::KeepFork);
    assert_eq!(s.history().discarded(), None);
}

#[test]
fn a_key_sent_while_paused_is_processed_at_once() {
    let mut s = sim();
    act(&mut s, SimulationAction::SendKey("alice"));
    let alice = s.cluster().find_key("alice").unwrap();
    assert!(s.cluster().counts().contains(&(alice, 1)));
    assert!(matches!(
        s.last_record(),
        Some(LastRecord { event: EngineEvent::RecordProcessed { key, .. }, .. }) if *key == alice
    ));
    // While playing it travels like any other record: not processed yet.
    act(&mut s, SimulationAction::Play);
    let before = records(&s);
    act(&mut s, SimulationAction::SendKey("alice"));
    assert_eq!(records(&s), before);
    assert!(s.playing());
    act(&mut s, SimulationAction::SetSpeed(REAL_TIME));
    for _ in 0..20 {
        frame(&mut s, 100.0);
    }
    assert!(s.cluster().counts().contains(&(alice, 2)));
}

#[test]
fn the_checkpoint_interval_is_whole_milliseconds_or_empty() {
    let mut s = sim();
    act(&mut s, SimulationAction::SetCheckpointInterval(" 250 "));
    assert_eq!(s.cluster().coordinator().interval_ms(), Some(250));
    assert_eq!(
        s.reduce(SimulationAction::SetCheckpointInterval("soon")),
        Err(PageError::IntervalNotANumber("soon".to_owned()))
    );
    assert_eq!(s.cluster().coordinator().interval_ms(), Some(250));
    act(&mut s, SimulationAction::SetCheckpointInterval(""));
    assert_eq!(s.cluster().coordinator().interval_ms(), None);
}

#[test]
fn checkpoints_failures_and_restores_reach_the_log_and_the_heap_chart() {
    let mut s = sim();
    for _ in 0..20 {
        act(&mut s, SimulationAction::StepRecord);
    }
    act(&mut s, SimulationAction::TriggerCheckpoint);
    act(&mut s, SimulationAction::SetSpeed(REAL_TIME));
    act(&mut s, SimulationAction::Play);
    while s.cluster().counters().checkpoints_completed == 0 {
        frame(&mut s, 100.0);
    }
    act(&mut s, SimulationAction::FailNow);
    assert!(s
        .heap()
        .marks
        .iter()
        .any(|(_, m)| *m == super::super::heap_history::HeapMark::Failure));
    act(
        &mut s,
        SimulationAction::Restore {
            checkpoint_id: None,
            parallelism: 3,
        },
    );
    assert_eq!(s.cluster().parallelism(), 3);
    // The key groups that changed subtask are outlined until the job has played a few seconds.
    assert!(!s.outlined_moved_key_groups().unwrap().is_empty());
    for _ in 0..41 {
        frame(&mut s, 100.0);
    }
    assert_eq!(s.outlined_moved_key_groups(), None);
    assert!(!s.log().is_empty());
    // A restore at a parallelism the job cannot have is refused.
    assert!(matches!(
        s.reduce(SimulationAction::Restore {
            checkpoint_id: None,
            parallelism: 0,
        }),
        Err(PageError::Engine(_))
    ));
}

#[test]
fn playing_stops_by_itself_at_the_step_a_condition_holds() {
    let mut s = sim();
    let condition: PauseWhen = Box::new(|c| c.counters().records_processed >= 7);
    act(&mut s, SimulationAction::PauseWhen(Some(condition)));
    act(&mut s, SimulationAction::SetSpeed(REAL_TIME));
    act(&mut s, SimulationAction::Play);
    frame(&mut s, 100.0);
    assert!(!s.playing());
    assert_eq!(records(&s), 7);
    // It fires once.
    act(&mut s, SimulationAction::Play);
    frame(&mut s, 100.0);
    assert!(records(&s) > 7);
}

#[test]
fn a_new_job_keeps_the_speed_and_play_state() {
    let mut s = sim();
    act(&mut s, SimulationAction::SetSpeed(3));
    act(&mut s, SimulationAction::Play);
    act(&mut s, SimulationAction::StepRecord);
    act(&mut s, SimulationAction::Play);
    let fresh = Simulation::new(config(), job(2)).unwrap();
    act(&mut s, SimulationAction::Start(Box::new(fresh)));
    assert_eq!((s.speed(), s.playing()), (3, true));
    assert_eq!(records(&s), 0);
    assert_eq!(s.job_id(), "0000000000000002");
    assert_eq!(s.stored_up_to(), 0);
}

#[test]
fn a_job_started_from_a_checkpoint_has_it_stored_already() {
    let mut s = sim();
    for _ in 0..30 {
        act(&mut s, SimulationAction::StepRecord);
    }
    act(&mut s, SimulationAction::TriggerCheckpoint);
    act(&mut s, SimulationAction::SetSpeed(REAL_TIME));
    act(&mut s, SimulationAction::Play);
    while s.cluster().counters().checkpoints_completed == 0 {
        frame(&mut s, 100.0);
    }
    let id = s
        .cluster()
        .coordinator()
        .store()
        .latest()
        .unwrap()
        .checkpoint_id;
    let blob = s.cluster().checkpoint_blob(id).unwrap();
    let restored = Simulation::from_blob(&blob, Some(1), job(3)).unwrap();
    assert_eq!(restored.stored_up_to(), id);
    assert_eq!(restored.cluster().parallelism(), 1);
    assert_eq!(restored.display_time(), restored.cluster().now());
    assert!(restored
        .log()
        .iter()
        .any(|(_, e)| matches!(e, EngineEvent::JobRestored { .. })));
    assert!(Simulation::from_blob(&blob[..blob.len() / 2], None, job(4)).is_err());
}

#[test]
fn storage_notes_only_this_jobs_checkpoints() {
    let mut s = sim();
    act(
        &mut s,
        SimulationAction::Stored {
            job_id: "0000000000000001",
            checkpoint_id: 4,
        },
    );
    act(
        &mut s,
        SimulationAction::Stored {
            job_id: "0000000000000001",
            checkpoint_id: 2,
        },
    );
    act(
        &mut s,
        SimulationAction::Stored {
            job_id: "another tab's",
            checkpoint_id: 9,
        },
    );
    assert_eq!(s.stored_up_to(), 4);
}

#[test]
fn the_same_actions_make_the_same_run() {
    let run = || {
        let mut s = sim();
        act(&mut s, SimulationAction::SetSpeed(REAL_TIME));
        act(&mut s, SimulationAction::Play);
        for i in 0..30 {
            frame(&mut s, 16.0 + (i % 3) as f64);
        }
        act(&mut s, SimulationAction::SendKey("bob"));
        act(&mut s, SimulationAction::StepBack);
        act(&mut s, SimulationAction::TriggerCheckpoint);
        act(&mut s, SimulationAction::Play);
        for _ in 0..10 {
            frame(&mut s, 16.0);
        }
        (
            crate::engine::history::fingerprint::fingerprint(s.cluster()),
            s.display_time(),
            s.log().len(),
        )
    };
    assert_eq!(run(), run());
}

/// What a jump notes of the steps before where it goes: the log, the last record, heap marks, moved key groups.
type Noted = (
    VecDeque<(u64, EngineEvent)>,
    Option<LastRecord>,
    Vec<(u64, super::super::heap_history::HeapMark)>,
    Option<MovedKeyGroups>,
);

fn noting(
    parallelism: u32,
    replay: impl FnOnce(PageReporter<'_>) -> MiniCluster,
) -> (MiniCluster, Noted) {
    let (mut log, mut last_record, mut marks, mut moved) = Default::default();
    let page = PageReporter {
        log: &mut log,
        last_record: &mut last_record,
        marks: &mut marks,
        parallelism,
        moved: &mut moved,
        held: None,
    };
    let cluster = replay(page);
    (cluster, (log, last_record, marks, moved))
}

/// One event back notes of the steps before the record what a seek to its step notes, press after press: from
/// the same replay where the events it reported reach back over the log's window (snapshots far apart: it then
/// replays only the steps from the clone kept a few thousand records back), else from a second replay.
#[test]
fn one_event_back_notes_what_a_seek_to_its_step_notes() {
    use crate::engine::cluster::job_config::{FailureTrigger, RestartStrategyConfig};
    use crate::engine::history::fingerprint::fingerprint;
    use crate::engine::history::run_history::HistoryConfig;
    let mut config = config();
    config.parallelism = 3;
    config.source.parallelism = 2;
    config.source.rate = 2_000;
    config.source.key_count = 300;
    config.checkpointing.interval_ms = Some(100);
    config.failures = vec![FailureTrigger::ProcessElementCall { call: 11_000 }];
    config.restart_strategy = Some(RestartStrategyConfig::FixedDelay {
        attempts: 3,
        delay_ms: 50,
    });
    for initial_interval in [1_000, 1 << 16] {
        let mut live = MiniCluster::new(config.clone()).unwrap();
        let history = &mut RunHistory::with_config(
            &live,
            HistoryConfig {
                budget_bytes: 8 << 20,
                initial_interval,
                bytes_per_step: u64::MAX,
            },
        );
        history
            .run(
                &mut live,
                RunLimit::records(12_000),
                &mut Milestones::default(),
            )
            .unwrap();
        let history = &*history;
        let parallelism = live.parallelism();
        let back_one = |records: u64| {
            let before = history.replayed_steps();
            let (back, noted) = noting(parallelism, |page| {
                record_with_log(history, records, page).unwrap()
            });
            let replayed = history.replayed_steps() - before;
            // As the page went back before: the step of the record, then a seek there.
            let before = history.replayed_steps();
            let step = history.step_of_record(records).unwrap();
            let (seek, expected) = noting(parallelism, |page| {
                history
                    .seek_reporting(step, SEEK_LOG_STEPS, &mut Detailed(page))
                    .unwrap()
            });
            let twice = history.replayed_steps() - before;
            assert_eq!(back.counters().steps, step);
            assert_eq!(fingerprint(&back), fingerprint(&seek));
            assert_eq!(noted, expected);
            (back, noted, (replayed, twice))
        };
        let mut records = history.head().records;
        let mut replayed = Vec::new();
        for _ in 0..25 {
            let (back, noted, steps) = back_one(records - 1);
            assert!(!noted.0.is_empty(), "checkpoints in the log");
            replayed.push(steps);
            records = back.counters().records_processed;
        }
        if initial_interval > 1_000 {
            // From the clone kept a few thousand records back, one replay instead of two.
            assert!(
                replayed[1..]
                    .iter()
                    .all(|&(once, twice)| 3 * once < 2 * twice),
                "{replayed:?}"
            );
        }
        assert!(back_one(1).1 .1.is_some(), "the first record");
        assert_eq!(back_one(0).0.counters().steps, 0);
    }
}

#[test]
fn paused_as_a_timer_closes_a_session_the_last_record_says_on_timer_ran_after_it() {
    use crate::engine::functions::job_function::JobFunction;
    let mut config = config();
    config.function = JobFunction::Session;
    // A key's events a second apart on average: sessions close after 2 s without events.
    config.source.rate = 50;
    let mut s = Simulation::new(config, job(1)).unwrap();
    let condition: PauseWhen = Box::new(|c| c.sink().written() >= 1);
    act(&mut s, SimulationAction::PauseWhen(Some(condition)));
    act(&mut s, SimulationAction::SetSpeed(REAL_TIME));
    act(&mut s, SimulationAction::Play);
    for _ in 0..200 {
        if !s.playing() {
            break;
        }
        frame(&mut s, 100.0);
    }
    assert!(!s.playing(), "a session closed");
    let last = s.last_record().expect("records came before the timer");
    let Some(EngineEvent::TimerFired { key, emitted, .. }) = &last.then_timer else {
        panic!("onTimer ran last: {last:?}");
    };
    let written = s.cluster().sink().recent().last().unwrap();
    assert_eq!((written.key, Some(written.count)), (*key, *emitted));
    // The log says the session closed.
    assert!(s.log().iter().any(|(_, e)| matches!(
        e,
        EngineEvent::TimerFired { emitted: Some(_), key: k, .. } if k == key
    )));
    // The next record is the last call again.
    act(&mut s, SimulationAction::StepRecord);
    assert_eq!(s.last_record().unwrap().then_timer, None);
}
