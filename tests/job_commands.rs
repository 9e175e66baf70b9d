//! Commands: `MiniCluster::apply` does what the individual methods do and refuses without side effects; the
//! commands of a job's script fire exactly once, at exactly the point their trigger names.
// Jobs read best as a default configuration with the fields that matter set one by one.
#![allow(clippy::field_reassign_with_default)]
#![cfg(not(target_arch = "wasm32"))]

use statelab::engine::cluster::engine_error::EngineError;
use statelab::engine::cluster::engine_event::{EngineEvent, Milestones, Reporter};
use statelab::engine::cluster::job_command::{CommandTrigger, JobCommand, ScheduledCommand};
use statelab::engine::cluster::job_config::JobConfig;
use statelab::engine::cluster::job_config_error::JobConfigError;
use statelab::engine::cluster::job_status::JobStatus;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::history::fingerprint::fingerprint;

const MS: u64 = 1_000_000;

fn job(script: Vec<ScheduledCommand>) -> MiniCluster {
    let mut config = JobConfig::default();
    config.checkpointing.interval_ms = Some(200);
    config.source.max_events = Some(5_000);
    config.script = script;
    MiniCluster::new(config).unwrap()
}

fn scheduled(at: CommandTrigger, command: JobCommand) -> ScheduledCommand {
    ScheduledCommand { at, command }
}

/// Everything observable that a command could change.
fn state(c: &MiniCluster) -> (String, u64, u64, JobStatus, u64) {
    (
        fingerprint(c),
        c.now(),
        c.next_action_time(),
        c.status(),
        c.next_injected_sequence(),
    )
}

#[test]
fn apply_does_what_each_method_does() {
    let mut base = job(Vec::new());
    base.run(RunLimit::records(1_000), &mut Milestones::default());
    let commands = [
        JobCommand::InjectKey {
            key: "typed".into(),
        },
        JobCommand::TriggerCheckpoint,
        JobCommand::FailNow {
            description: "boom".into(),
        },
        JobCommand::SetSourceRate { rate: 50 },
        JobCommand::SetCheckpointInterval {
            interval_ms: Some(70),
        },
        JobCommand::AdvanceClock {
            time_ns: base.next_action_time(),
        },
    ];
    for command in &commands {
        let mut by_apply = base.clone();
        let mut direct = base.clone();
        let mut a = Vec::<EngineEvent>::new();
        let mut d = Vec::<EngineEvent>::new();
        by_apply.apply(command, &mut a).unwrap();
        match command {
            JobCommand::InjectKey { key } => drop(direct.inject_key(key).unwrap()),
            JobCommand::TriggerCheckpoint => drop(direct.trigger_checkpoint_reporting(&mut d)),
            JobCommand::FailNow { description } => direct.fail_now(description, &mut d).unwrap(),
            JobCommand::SetSourceRate { rate } => direct.set_source_rate(*rate).unwrap(),
            JobCommand::SetCheckpointInterval { interval_ms } => {
                direct.set_checkpoint_interval(*interval_ms).unwrap()
            }
            JobCommand::AdvanceClock { time_ns } => direct.advance_clock(*time_ns),
            JobCommand::Restore { .. } => unreachable!(),
        }
        assert_eq!(a, d, "{command:?}");
        by_apply.run(RunLimit::records(500), &mut Milestones::default());
        direct.run(RunLimit::records(500), &mut Milestones::default());
        assert_eq!(state(&by_apply), state(&direct), "{command:?}");
    }
    let mut with_checkpoint = base.clone();
    with_checkpoint.trigger_checkpoint().unwrap();
    while with_checkpoint.coordinator().pending().is_some() {
        with_checkpoint.step(&mut Milestones::default());
    }
    let mut by_apply = with_checkpoint.clone();
    let mut direct = with_checkpoint;
    by_apply
        .apply(
            &JobCommand::Restore {
                checkpoint_id: None,
                parallelism: 3,
            },
            &mut Milestones::default(),
        )
        .unwrap();
    direct.restore(None, 3, &mut Milestones::default()).unwrap();
    assert_eq!(state(&by_apply), state(&direct));
    assert_eq!(by_apply.parallelism(), 3);
}

#[test]
fn a_refused_command_leaves_the_job_untouched() {
    let mut cluster = job(Vec::new());
    cluster.run(RunLimit::records(300), &mut Milestones::default());
    cluster.trigger_checkpoint().unwrap();
    let refused = [
        JobCommand::InjectKey { key: String::new() },
        JobCommand::TriggerCheckpoint,
        JobCommand::Restore {
            checkpoint_id: Some(42),
            parallelism: 2,
        },
        JobCommand::Restore {
            checkpoint_id: None,
            parallelism: 9,
        },
        JobCommand::SetSourceRate {
            rate: 2_000_000_000,
        },
        JobCommand::SetCheckpointInterval {
            interval_ms: Some(0),
        },
    ];
    for command in &refused {
        if matches!(command, JobCommand::InjectKey { .. }) {
            // Every string is a valid String key: refuse it on a finished job instead.
            let mut finished = job(Vec::new());
            finished.run(RunLimit::UNLIMITED, &mut Milestones::default());
            let before = state(&finished);
            let result = finished.apply(command, &mut Milestones::default());
            assert!(matches!(
                result,
                Err(EngineError::NotRunning(JobStatus::Finished))
            ));
            assert_eq!(state(&finished), before);
            continue;
        }
        let before = state(&cluster);
        let mut events = Vec::<EngineEvent>::new();
        assert!(cluster.apply(command, &mut events).is_err(), "{command:?}");
        assert!(events.is_empty(), "{command:?}: {events:?}");
        assert_eq!(state(&cluster), before, "{command:?}");
    }
}

#[test]
fn after_records_fires_right_after_that_record() {
    let script = vec![scheduled(
        CommandTrigger::AfterRecords { records: 777 },
        JobCommand::SetSourceRate { rate: 10 },
    )];
    let mut cluster = job(script);
    cluster.run(RunLimit::records(776), &mut Milestones::default());
    while cluster.counters().records_processed < 777 {
        assert!(!cluster.script().next().unwrap().1);
        cluster.step(&mut Milestones::default());
    }
    assert!(
        cluster.script().next().unwrap().1,
        "fired in the step of record 777"
    );
    assert_eq!(cluster.config().source.rate, 10);
}

#[test]
fn at_time_fires_at_that_simulated_time_also_while_restarting() {
    let script = vec![
        scheduled(
            CommandTrigger::AtTime { ms: 300 },
            JobCommand::SetCheckpointInterval { interval_ms: None },
        ),
        scheduled(
            CommandTrigger::AtTime { ms: 1_400 },
            JobCommand::SetSourceRate { rate: 3 },
        ),
    ];
    let mut config = JobConfig::default();
    config.failures =
        vec![statelab::engine::cluster::job_config::FailureTrigger::Time { ms: 1_000 }];
    config.script = script;
    let mut cluster = MiniCluster::new(config).unwrap();
    let mut events = Milestones::default();
    cluster.run(RunLimit::until(300 * MS - 1), &mut events);
    assert!(!cluster.script().next().unwrap().1);
    cluster.run(RunLimit::until(300 * MS), &mut events);
    assert!(cluster.script().next().unwrap().1);
    assert_eq!(cluster.now(), 300 * MS);
    assert_eq!(cluster.coordinator().interval_ms(), None);
    cluster.run(RunLimit::until(1_400 * MS), &mut events);
    assert_eq!(
        cluster.status(),
        JobStatus::Restarting,
        "the restart waits a second"
    );
    assert!(cluster.script().nth(1).unwrap().1);
    assert_eq!(cluster.config().source.rate, 3);
}

#[test]
fn after_checkpoint_fires_in_the_step_that_completes_it() {
    let script = vec![scheduled(
        CommandTrigger::AfterCheckpoint { checkpoint_id: 2 },
        JobCommand::Restore {
            checkpoint_id: None,
            parallelism: 4,
        },
    )];
    let mut cluster = job(script);
    let mut events = Vec::<EngineEvent>::new();
    while cluster.counters().checkpoints_completed < 2 {
        events.clear();
        cluster.step(&mut events);
    }
    assert!(cluster.script().next().unwrap().1);
    assert_eq!(cluster.parallelism(), 4);
    let completed = events
        .iter()
        .position(|e| {
            matches!(
                e,
                EngineEvent::CheckpointCompleted {
                    checkpoint_id: 2,
                    ..
                }
            )
        })
        .unwrap();
    let restored = events
        .iter()
        .position(|e| {
            matches!(
                e,
                EngineEvent::JobRestored {
                    checkpoint_id: Some(2),
                    ..
                }
            )
        })
        .unwrap();
    assert!(completed < restored);
}

/// Collects what the script hook reports.
#[derive(Default)]
struct ScriptLog(Vec<(JobCommand, bool)>);

impl Reporter for ScriptLog {
    const PER_RECORD: bool = false;
    fn report(&mut self, _at: u64, _event: EngineEvent) {}
    fn scripted_command(
        &mut self,
        _at: u64,
        command: &JobCommand,
        outcome: Result<(), &EngineError>,
    ) {
        self.0.push((command.clone(), outcome.is_ok()));
    }
}

#[test]
fn each_scripted_command_fires_once_and_a_refused_one_is_reported() {
    let script = vec![
        scheduled(
            CommandTrigger::AfterRecords { records: 100 },
            JobCommand::Restore {
                checkpoint_id: Some(99),
                parallelism: 2,
            },
        ),
        scheduled(
            CommandTrigger::AfterRecords { records: 100 },
            JobCommand::InjectKey {
                key: "typed".into(),
            },
        ),
        scheduled(
            CommandTrigger::AfterCheckpoint { checkpoint_id: 1 },
            JobCommand::FailNow {
                description: "scripted".into(),
            },
        ),
    ];
    let mut cluster = job(script);
    let mut log = ScriptLog::default();
    cluster.run(RunLimit::UNLIMITED, &mut log);
    assert_eq!(cluster.status(), JobStatus::Finished);
    assert_eq!(log.0.len(), 3, "{:?}", log.0);
    for (command, accepted) in &log.0 {
        let unknown_checkpoint = matches!(command, JobCommand::Restore { .. });
        assert_eq!(*accepted, !unknown_checkpoint, "{command:?}");
    }
    assert!(cluster.script().all(|(_, fired)| fired));
    assert_eq!(cluster.counters().restarts, 1, "the scripted failure, once");
    let typed = cluster
        .keys()
        .find(&statelab::engine::keys::java_key::JavaKey::String(
            "typed".into(),
        ))
        .unwrap();
    assert_eq!(cluster.count_of(typed), Some(1));
}

#[test]
fn a_script_is_validated_with_the_configuration() {
    let invalid = [
        scheduled(
            CommandTrigger::AfterRecords { records: 0 },
            JobCommand::TriggerCheckpoint,
        ),
        scheduled(
            CommandTrigger::AfterCheckpoint { checkpoint_id: 0 },
            JobCommand::TriggerCheckpoint,
        ),
        scheduled(
            CommandTrigger::AtTime { ms: u64::MAX },
            JobCommand::TriggerCheckpoint,
        ),
        scheduled(
            CommandTrigger::AtTime { ms: 5 },
            JobCommand::Restore {
                checkpoint_id: None,
                parallelism: 9,
            },
        ),
        scheduled(
            CommandTrigger::AtTime { ms: 5 },
            JobCommand::SetSourceRate { rate: u64::MAX },
        ),
        scheduled(
            CommandTrigger::AtTime { ms: 5 },
            JobCommand::SetCheckpointInterval {
                interval_ms: Some(0),
            },
        ),
    ];
    for bad in invalid {
        let mut config = JobConfig::default();
        config.script = vec![
            scheduled(
                CommandTrigger::AtTime { ms: 1 },
                JobCommand::TriggerCheckpoint,
            ),
            bad.clone(),
        ];
        match config.validate() {
            Err(JobConfigError::Script { index: 1, .. }) => {}
            other => panic!("{bad:?}: {other:?}"),
        }
        assert!(MiniCluster::new(config).is_err());
    }
    let mut config = JobConfig::default();
    config.source.key_format.key_type = statelab::engine::keys::java_key::JavaKeyType::Long;
    config.script = vec![scheduled(
        CommandTrigger::AtTime { ms: 1 },
        JobCommand::InjectKey { key: "x".into() },
    )];
    assert_eq!(
        config.validate().unwrap_err().to_string(),
        "script command #0: 'x' is not a valid Long key"
    );
}

#[test]
fn an_empty_script_is_left_out_of_the_json_and_a_blob_job_starts_without_the_script() {
    let plain = serde_json::to_string(&JobConfig::default()).unwrap();
    assert!(!plain.contains("script"), "{plain}");
    let script = vec![scheduled(
        CommandTrigger::AfterRecords { records: 4_000 },
        JobCommand::SetSourceRate { rate: 1 },
    )];
    let mut cluster = job(script.clone());
    cluster.run(RunLimit::records(1_000), &mut Milestones::default());
    let id = cluster.trigger_checkpoint().unwrap();
    while cluster.coordinator().pending().is_some() {
        cluster.step(&mut Milestones::default());
    }
    let blob = cluster.checkpoint_blob(id).unwrap();
    let reader = statelab::engine::checkpoint::checkpoint_blob::BlobReader::open(&blob).unwrap();
    assert_eq!(
        reader.metadata().job.script,
        script,
        "the blob keeps the job as it was"
    );
    let restored = MiniCluster::from_blob(&blob, None, &mut Milestones::default()).unwrap();
    assert_eq!(restored.script().len(), 0);
    assert!(restored.config().script.is_empty());
}

#[test]
fn a_job_that_ended_keeps_the_time_it_ended_at() {
    let mut cluster = job(Vec::new());
    cluster.run(RunLimit::UNLIMITED, &mut Milestones::default());
    assert_eq!(cluster.status(), JobStatus::Finished);
    let end = cluster.now();
    cluster.advance_clock(end + 10_000 * MS);
    assert_eq!(cluster.now(), end);
}
