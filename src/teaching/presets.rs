//! The job presets: every job the page, the lessons and the CLI start by name, in one catalogue. Not a Flink
//! concept. Two kinds: the scenarios — the situations a Flink engineer meets (a hot key, a heap that runs out, a
//! failure and its recovery, at-least-once against exactly-once, a rescale from a checkpoint), each run to a
//! natural end (a bounded source read to the end, or a job the restart strategy gives up on) the same way every
//! time, with a golden trace (`engine::history::golden_trace`) — and the lessons' own jobs, which run until the
//! learner pauses them. What a scenario shows is told, in English and Chinese, by its title and description in
//! the message catalogue (`i18n::messages::scenarios::describe`), which the page and the CLI both use.

use crate::engine::cluster::engine_error::EngineError;
use crate::engine::cluster::engine_event::Reporter;
use crate::engine::cluster::job_command::{CommandTrigger, JobCommand, ScheduledCommand};
use crate::engine::cluster::job_config::{
    CheckpointingConfig, CheckpointingMode, FailureTrigger, JobConfig, NetworkConfig,
    RestartStrategyConfig, SourceConfig,
};
use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::functions::job_function::JobFunction;
use crate::engine::history::golden_trace::run_to_end;
use crate::engine::memory::memory_size::MemorySize;
use crate::engine::memory::task_executor_memory::MemoryConfig;
use crate::engine::source::key_distribution::KeyDistribution;

/// What a preset is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PresetKind {
    /// Runs to a natural end; listed among the scenarios, with a golden trace.
    Scenario,
    /// A lesson's own job (under the lesson's id); runs until paused.
    Lesson,
}

/// A preset: a stable id and its job.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    /// Stable: links, lessons and golden traces use it.
    pub id: &'static str,
    pub kind: PresetKind,
    build: fn() -> JobConfig,
}

impl Preset {
    /// The preset's job.
    pub fn config(&self) -> JobConfig {
        (self.build)()
    }

    /// Runs the preset headless to its end (for a lesson's job: until the step bound of
    /// [`run_to_end`]).
    pub fn run<R: Reporter>(&self, r: &mut R) -> Result<MiniCluster, EngineError> {
        let mut cluster = MiniCluster::new(self.config())?;
        run_to_end(&mut cluster, r);
        Ok(cluster)
    }
}

const fn scenario(id: &'static str, build: fn() -> JobConfig) -> Preset {
    Preset {
        id,
        kind: PresetKind::Scenario,
        build,
    }
}

const fn lesson(id: &'static str, build: fn() -> JobConfig) -> Preset {
    Preset {
        id,
        kind: PresetKind::Lesson,
        build,
    }
}

const PRESETS: [Preset; 16] = [
    scenario("hot-key", hot_key),
    scenario("oom", oom),
    scenario("failure-recovery", failure_recovery),
    scenario("at-least-once", at_least_once),
    scenario("rescale-2-to-3", rescale_2_to_3),
    scenario("checkpoint-timeout", checkpoint_timeout),
    lesson("value-state", small_job),
    lesson("key-groups", key_group_job),
    lesson("state-map", map_job),
    lesson("heap", heap_job),
    lesson("checkpoints", checkpoint_job),
    lesson("state-primitives", primitives_job),
    lesson("map-state", map_state_job),
    lesson("state-ttl", ttl_job),
    lesson("timers", timers_job),
    lesson("object-reuse", object_reuse_job),
];

/// Every preset: the scenarios in lesson order, then the lessons' own jobs.
pub fn all() -> &'static [Preset] {
    &PRESETS
}

/// The scenarios, in lesson order.
pub fn scenarios() -> impl Iterator<Item = &'static Preset> {
    PRESETS.iter().filter(|p| p.kind == PresetKind::Scenario)
}

pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// A scenario by id (not a lesson's job).
pub fn find_scenario(id: &str) -> Option<&'static Preset> {
    scenarios().find(|p| p.id == id)
}

/// Half of all events carry user-0: the subtask owning its key group backpressures the source.
fn hot_key() -> JobConfig {
    JobConfig {
        seed: 11,
        parallelism: 4,
        source: SourceConfig {
            parallelism: 1,
            rate: 20_000,
            key_count: 1000,
            distribution: KeyDistribution::HotKey {
                key: 0,
                fraction: 0.5,
            },
            max_events: Some(20_000),
            ..SourceConfig::default()
        },
        network: NetworkConfig {
            processing_time_ns: 90_000,
            channel_capacity: 256,
            ..NetworkConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: Some(250),
            ..CheckpointingConfig::default()
        },
        ..JobConfig::default()
    }
}

/// A new key with every event into a 24 MiB heap: OutOfMemoryError, restarts, until the strategy gives up.
fn oom() -> JobConfig {
    JobConfig {
        seed: 3,
        parallelism: 2,
        source: SourceConfig {
            parallelism: 1,
            rate: 100_000,
            key_count: 1_000_000,
            distribution: KeyDistribution::Sequential,
            ..SourceConfig::default()
        },
        network: NetworkConfig {
            processing_time_ns: 1_000,
            ..NetworkConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: Some(300),
            ..CheckpointingConfig::default()
        },
        restart_strategy: Some(RestartStrategyConfig::FixedDelay {
            attempts: 2,
            delay_ms: 500,
        }),
        memory: MemoryConfig::Local {
            jvm_heap: MemorySize::of_mebibytes(24),
        },
        other_heap_used: MemorySize::of_mebibytes(16),
        ..JobConfig::default()
    }
}

/// The job of failure-recovery and at-least-once: two sources whose checkpoint triggers arrive up to 80 ms
/// apart (so barriers reach the keyed subtasks far apart), and a failure at event 12,000.
fn recovery_job(mode: CheckpointingMode) -> JobConfig {
    JobConfig {
        seed: 12,
        parallelism: 2,
        source: SourceConfig {
            parallelism: 2,
            rate: 10_000,
            key_count: 100,
            distribution: KeyDistribution::Uniform,
            max_events: Some(20_000),
            ..SourceConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: Some(400),
            mode,
            trigger_jitter_us: 80_000,
            ..CheckpointingConfig::default()
        },
        restart_strategy: Some(RestartStrategyConfig::FixedDelay {
            attempts: 1,
            delay_ms: 500,
        }),
        failures: vec![FailureTrigger::EventIndex { index: 12_000 }],
        ..JobConfig::default()
    }
}

/// Exactly-once: a failure mid-run, duplicates in the sink, exact counts.
fn failure_recovery() -> JobConfig {
    recovery_job(CheckpointingMode::ExactlyOnce)
}

/// The same job, stream and failure, AT_LEAST_ONCE: some counts come out too high.
fn at_least_once() -> JobConfig {
    recovery_job(CheckpointingMode::AtLeastOnce)
}

/// Parallelism 2, restored at 3 right after checkpoint 3 completes.
fn rescale_2_to_3() -> JobConfig {
    JobConfig {
        seed: 23,
        parallelism: 2,
        source: SourceConfig {
            parallelism: 1,
            rate: 10_000,
            key_count: 300,
            distribution: KeyDistribution::Uniform,
            max_events: Some(15_000),
            ..SourceConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: Some(300),
            ..CheckpointingConfig::default()
        },
        script: vec![ScheduledCommand {
            at: CommandTrigger::AfterCheckpoint { checkpoint_id: 3 },
            command: JobCommand::Restore {
                checkpoint_id: None,
                parallelism: 3,
            },
        }],
        ..JobConfig::default()
    }
}

/// A new key with every event, and checkpoint storage that each subtask writes at 100 KB/s, with a 1.5 s
/// `execution.checkpointing.timeout`: once the state takes longer than that to write, the checkpoint expires and,
/// as `tolerable-failed-checkpoints` is 0 by default, the job fails; it restarts from the last checkpoint, grows
/// past the timeout again, and the restart strategy gives up.
fn checkpoint_timeout() -> JobConfig {
    JobConfig {
        seed: 31,
        parallelism: 2,
        source: SourceConfig {
            parallelism: 1,
            rate: 2_000,
            key_count: 100_000,
            distribution: KeyDistribution::Sequential,
            max_events: Some(40_000),
            ..SourceConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: Some(1_000),
            timeout_ms: 1_500,
            write_bytes_per_second: 100_000,
            ..CheckpointingConfig::default()
        },
        restart_strategy: Some(RestartStrategyConfig::FixedDelay {
            attempts: 2,
            delay_ms: 1_000,
        }),
        ..JobConfig::default()
    }
}

/// Lesson 1's job: ten keys at a walking pace, two subtasks.
fn small_job() -> JobConfig {
    JobConfig {
        seed: 1,
        parallelism: 2,
        source: SourceConfig {
            parallelism: 1,
            rate: 20,
            key_count: 10,
            distribution: KeyDistribution::Uniform,
            ..SourceConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: None,
            ..CheckpointingConfig::default()
        },
        ..JobConfig::default()
    }
}

/// Lesson 2's job: 1,000 keys, two subtasks, 128 key groups, checkpoints on demand.
fn key_group_job() -> JobConfig {
    JobConfig {
        seed: 2,
        parallelism: 2,
        source: SourceConfig {
            parallelism: 2,
            rate: 1_000,
            key_count: 1_000,
            distribution: KeyDistribution::Uniform,
            ..SourceConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: None,
            ..CheckpointingConfig::default()
        },
        ..JobConfig::default()
    }
}

/// Lesson 3's job: maxParallelism 4, so each map gets a quarter of the keys and resizes soon.
fn map_job() -> JobConfig {
    JobConfig {
        seed: 3,
        parallelism: 1,
        max_parallelism: Some(4),
        source: SourceConfig {
            parallelism: 1,
            rate: 200,
            key_count: 2_000,
            distribution: KeyDistribution::Sequential,
            ..SourceConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: None,
            ..CheckpointingConfig::default()
        },
        ..JobConfig::default()
    }
}

/// Lesson 4's job: a 1 GiB TaskManager with the default managed fraction, and a new key with every event.
fn heap_job() -> JobConfig {
    JobConfig {
        seed: 4,
        parallelism: 2,
        source: SourceConfig {
            parallelism: 1,
            rate: 1_000_000,
            key_count: 10_000_000,
            distribution: KeyDistribution::Sequential,
            ..SourceConfig::default()
        },
        network: NetworkConfig {
            processing_time_ns: 200,
            ..NetworkConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: Some(500),
            ..CheckpointingConfig::default()
        },
        restart_strategy: Some(RestartStrategyConfig::FixedDelay {
            attempts: 3,
            delay_ms: 1_000,
        }),
        memory: MemoryConfig::Process {
            process_size: MemorySize::of_mebibytes(1024),
            managed_size: None,
        },
        ..JobConfig::default()
    }
}

/// Lesson 5's job: two sources whose barriers arrive apart, and a slow checkpoint writer, so alignment and the
/// asynchronous phase last long enough to watch.
fn checkpoint_job() -> JobConfig {
    JobConfig {
        seed: 5,
        parallelism: 2,
        source: SourceConfig {
            parallelism: 2,
            rate: 400,
            key_count: 200,
            distribution: KeyDistribution::Zipf { exponent: 0.8 },
            ..SourceConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: None,
            mode: CheckpointingMode::ExactlyOnce,
            write_bytes_per_second: 20_000,
            trigger_jitter_us: 30_000,
            ..CheckpointingConfig::default()
        },
        ..JobConfig::default()
    }
}

/// A job at a walking pace running `function`: two subtasks, `key_count` keys drawn uniformly at `rate` events/s,
/// checkpoints on demand.
fn walking_job(seed: u64, function: JobFunction, rate: u64, key_count: u64) -> JobConfig {
    JobConfig {
        seed,
        function,
        parallelism: 2,
        source: SourceConfig {
            parallelism: 1,
            rate,
            key_count,
            distribution: KeyDistribution::Uniform,
            ..SourceConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: None,
            ..CheckpointingConfig::default()
        },
        ..JobConfig::default()
    }
}

/// A job running `function` whose checkpoints are written slowly (20 KB/s per subtask), so that their
/// asynchronous phase lasts long enough to watch a state object copied on write.
fn slow_checkpoint_job(seed: u64, function: JobFunction) -> JobConfig {
    JobConfig {
        seed,
        function,
        parallelism: 2,
        source: SourceConfig {
            parallelism: 1,
            rate: 400,
            key_count: 200,
            distribution: KeyDistribution::Zipf { exponent: 0.8 },
            ..SourceConfig::default()
        },
        checkpointing: CheckpointingConfig {
            interval_ms: None,
            write_bytes_per_second: 20_000,
            ..CheckpointingConfig::default()
        },
        ..JobConfig::default()
    }
}

/// The state-primitives lesson's job: the event log in a `ListState` (the lesson switches the function).
fn primitives_job() -> JobConfig {
    walking_job(13, JobFunction::EventLog, 20, 10)
}

/// The MapState lesson's job: counts per category in a `MapState`, checkpoints written slowly.
fn map_state_job() -> JobConfig {
    slow_checkpoint_job(14, JobFunction::CategoryCounts)
}

/// The TTL lesson's job: the counter with a 5 s TTL over 100 keys.
fn ttl_job() -> JobConfig {
    walking_job(15, JobFunction::IdleCounter, 50, 100)
}

/// The timers lesson's job: sessions over 1,000 keys at 20 events/s, so most close 2 s after their one event.
fn timers_job() -> JobConfig {
    walking_job(16, JobFunction::Session, 20, 1_000)
}

/// The object-reuse lesson's job: a count and a sum per key in a `ValueState<KeyStats>` POJO whose sum is changed
/// after `update()`, checkpoints written slowly.
fn object_reuse_job() -> JobConfig {
    slow_checkpoint_job(17, JobFunction::KeyStats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teaching::lessons::{Do, LESSONS};

    #[test]
    fn ids_are_unique_and_every_lesson_starts_a_preset() {
        let mut ids: Vec<&str> = all().iter().map(|p| p.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all().len(), "a preset id used twice");
        for lesson in &LESSONS {
            assert!(
                lesson.job().is_some(),
                "lesson {} starts no preset",
                lesson.id
            );
            for step in lesson.steps {
                for action in step.try_it.iter().flat_map(|t| t.does) {
                    if let Do::Scenario(id) = action {
                        assert!(
                            find_scenario(id).is_some(),
                            "{}: no scenario {id}",
                            lesson.id
                        );
                    }
                }
            }
        }
        // A lesson's own job is listed under the lesson's id; a scenario never is.
        for preset in all().iter().filter(|p| p.kind == PresetKind::Lesson) {
            assert!(
                LESSONS.iter().any(|l| l.preset == preset.id),
                "{}",
                preset.id
            );
            assert!(find_scenario(preset.id).is_none());
        }
        assert_eq!(scenarios().count(), 6);
    }

    #[test]
    fn every_preset_starts_and_a_lesson_job_runs_until_paused() {
        for preset in all() {
            let config = preset.config();
            if preset.kind == PresetKind::Lesson {
                // How a scenario ends is checked by its golden trace (tests/scenarios.rs).
                let bounded = config.source.max_events.is_some()
                    || config.replay_keys().ok().flatten().is_some();
                assert!(!bounded, "{} ends by itself", preset.id);
            }
            MiniCluster::new(config).unwrap_or_else(|e| panic!("{}: {e}", preset.id));
        }
    }
}
