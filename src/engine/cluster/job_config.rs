//! The job StateLab runs and everything about its environment, as one serde document (camelCase JSON): the
//! keyed counter job `source → keyBy → EventCounterProcessFunction → sink`, its parallelism and max
//! parallelism, the source, the simulated network, checkpointing (`execution.checkpointing.*`), the restart
//! strategy (`restart-strategy.*`), the TaskManager memory (`taskmanager.memory.*`), scheduled failures and a
//! script of scheduled commands.
//! Defaults follow Flink 2.x where Flink has one; StateLab's own knobs (rates, latencies, write speed) are
//! documented where they are declared. [`JobConfig::validate`] turns every bad value into a message that says
//! what was wrong.

use crate::engine::checkpoint::key_list::{self, MAX_REPLAY_KEYS};
use crate::engine::cluster::job_command::{CommandTrigger, JobCommand, ScheduledCommand};
use crate::engine::cluster::job_config_error::{
    JobConfigError, RestartStrategyError, ScriptError, Setting,
};
use crate::engine::cluster::slot_sharing_group::SlotSharingGroup;
use crate::engine::functions::job_function::JobFunction;
use crate::engine::keys::java_key::{JavaKey, JavaKeyType, MAX_KEY_BYTES};
use crate::engine::keys::key_group_range_assignment::{
    compute_default_max_parallelism, UPPER_BOUND_MAX_PARALLELISM,
};
use crate::engine::keys::key_registry::KeyFormat;
use crate::engine::memory::memory_size::MemorySize;
use crate::engine::memory::task_executor_memory::{
    derive, MemoryConfig, TaskExecutorProcessSpec, TaskManagerMemoryOptions,
};
use crate::engine::source::key_distribution::KeyDistribution;
use serde::{Deserialize, Serialize};

/// StateLab simulates up to 8 parallel subtasks per operator.
pub const MAX_JOB_PARALLELISM: u32 = 8;

/// StateLab's bound on `taskmanager.numberOfTaskSlots` (Flink only asks for at least one).
pub const MAX_TASK_SLOTS: u32 = 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct JobConfig {
    /// Seeds every random choice of the run (keys, network jitter, trigger and restart jitter).
    pub seed: u64,
    /// The keyed operator's `KeyedProcessFunction` (a job preset: the counter, or one keeping its state in
    /// another primitive). Left out of the JSON when it is the counter, so documents written before it existed
    /// stay byte for byte the same.
    #[serde(skip_serializing_if = "JobFunction::is_counter")]
    pub function: JobFunction,
    /// Parallelism of the keyed function (1..=8).
    pub parallelism: u32,
    /// `setMaxParallelism` (the number of key groups); `None` derives it from the parallelism like Flink
    /// (`computeDefaultMaxParallelism`), which also lets a restore adopt the checkpoint's value.
    pub max_parallelism: Option<u32>,
    pub source: SourceConfig,
    pub network: NetworkConfig,
    pub checkpointing: CheckpointingConfig,
    /// `restart-strategy.type`; `None` resolves like Flink 2.x: `exponential-delay` when checkpointing is
    /// enabled, otherwise no restarts.
    pub restart_strategy: Option<RestartStrategyConfig>,
    /// Where the job runs and each TaskManager's memory: a cluster of TaskManagers sized by
    /// `taskmanager.memory.process.size` (+ `managed.size`), or local execution in one JVM of `-Xmx`.
    pub memory: MemoryConfig,
    /// `taskmanager.numberOfTaskSlots` (default 1): the slots each cluster TaskManager offers, so the job runs on
    /// ceil(slots / numberOfTaskSlots) TaskManagers, each with its own heap ([`SlotSharingGroup`]). Local execution
    /// ignores it: one TaskManager with as many slots as the job needs. Left out of the JSON when 1, so documents
    /// written before it existed (the metadata of checkpoint blobs among them) stay byte for byte the same.
    #[serde(skip_serializing_if = "is_one")]
    pub number_of_task_slots: u32,
    /// Every other `taskmanager.memory.*` option.
    pub memory_options: TaskManagerMemoryOptions,
    /// Heap in use by everything but keyed state (framework, network stack objects, user code). Not measured:
    /// an assumption to make the limit realistic; 0 gives state the whole heap.
    pub other_heap_used: MemorySize,
    /// Failures to inject; each fires once.
    pub failures: Vec<FailureTrigger>,
    /// Commands the engine applies by itself at exact points of the run (a lesson's or a preset's script);
    /// each fires once. Left out of the JSON when empty, so that documents written before it existed (the
    /// metadata of checkpoint blobs among them) stay byte for byte the same.
    ///
    /// The web app never uses a script read from JSON — its presets are built in code, and a job started from
    /// a checkpoint blob drops the blob's script — so the wasm build reads past it without parsing it, which
    /// keeps the command parser (about 20 KB) out of the page while blobs of scripted jobs still open there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "skip_script"))]
    pub script: Vec<ScheduledCommand>,
    /// How many of the most recent sink records to keep for inspection (`usize::MAX`: all of them).
    pub sink_log_limit: usize,
}

impl Default for JobConfig {
    fn default() -> Self {
        JobConfig {
            seed: 42,
            function: JobFunction::Counter,
            parallelism: 2,
            max_parallelism: None,
            source: SourceConfig::default(),
            network: NetworkConfig::default(),
            checkpointing: CheckpointingConfig::default(),
            restart_strategy: None,
            memory: MemoryConfig::default(),
            number_of_task_slots: 1,
            memory_options: TaskManagerMemoryOptions::default(),
            other_heap_used: MemorySize::of_mebibytes(32),
            failures: Vec::new(),
            script: Vec::new(),
            sink_log_limit: 1000,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct SourceConfig {
    /// Source subtasks (1..=8). Each keyed subtask reads one channel per source subtask, so with two or more
    /// the barriers of a checkpoint must be aligned.
    pub parallelism: u32,
    /// Events per second of simulated time over the whole source; 0 emits only keys injected by hand.
    pub rate: u64,
    /// Distinct keys the generator draws from.
    pub key_count: u64,
    /// How generated keys are spelled (`user-%d` by default).
    pub key_format: KeyFormat,
    pub distribution: KeyDistribution,
    /// Replay exactly these keys, in order, instead of generating (a bounded source); at most
    /// [`MAX_REPLAY_KEYS`] keys of at most [`MAX_KEY_BYTES`] bytes, bounded already while JSON is read.
    #[serde(deserialize_with = "key_list::replay")]
    pub replay: Option<Vec<String>>,
    /// Stop after this many generated events (a bounded source); `None` runs forever.
    pub max_events: Option<u64>,
}

impl Default for SourceConfig {
    fn default() -> Self {
        SourceConfig {
            parallelism: 2,
            rate: 1000,
            key_count: 1000,
            key_format: KeyFormat::default(),
            distribution: KeyDistribution::default(),
            replay: None,
            max_events: None,
        }
    }
}

/// The simulated network and task costs. Not Flink options: the knobs of the simulation's clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkConfig {
    /// Time from the source emitting a record to it arriving at the keyed subtask.
    pub latency_us: u64,
    /// Extra random latency, up to this much (channels stay FIFO).
    pub latency_jitter_us: u64,
    /// Records a channel holds before the source is backpressured (its in-flight buffers).
    pub channel_capacity: u32,
    /// Task time to process one record.
    pub processing_time_ns: u64,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            latency_us: 1000,
            latency_jitter_us: 500,
            channel_capacity: 1024,
            processing_time_ns: 10_000,
        }
    }
}

/// `CheckpointingMode`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CheckpointingMode {
    /// Barriers are aligned: a subtask blocks each input once its barrier arrived, until all have.
    #[default]
    ExactlyOnce,
    /// No alignment: records behind an early barrier are processed before the snapshot, and replayed after a
    /// restore.
    AtLeastOnce,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckpointingConfig {
    /// `execution.checkpointing.interval`; `None` disables periodic checkpoints (on-demand ones still work).
    pub interval_ms: Option<u64>,
    /// `execution.checkpointing.mode`.
    pub mode: CheckpointingMode,
    /// `execution.checkpointing.timeout` (10 min).
    pub timeout_ms: u64,
    /// `execution.checkpointing.tolerable-failed-checkpoints` (Flink 2.x: 0 — the first expired checkpoint fails
    /// the job); `2147483647` tolerates every failure. Left out of the JSON when 0, so documents written before it
    /// existed stay byte for byte the same.
    #[serde(skip_serializing_if = "is_zero")]
    pub tolerable_failed_checkpoints: u32,
    /// `execution.checkpointing.min-pause`.
    pub min_pause_ms: u64,
    /// `execution.checkpointing.num-retained` / `state.checkpoints.num-retained` (1).
    pub retained: u32,
    /// Speed of the asynchronous phase writing to checkpoint storage (StateLab's knob).
    pub write_bytes_per_second: u64,
    /// Spread of the trigger RPC arriving at the source subtasks (StateLab's knob), which is what makes
    /// barriers arrive at different times and alignment visible.
    pub trigger_jitter_us: u64,
}

impl Default for CheckpointingConfig {
    fn default() -> Self {
        CheckpointingConfig {
            interval_ms: Some(5000),
            mode: CheckpointingMode::ExactlyOnce,
            timeout_ms: 600_000,
            tolerable_failed_checkpoints: 0,
            min_pause_ms: 0,
            retained: 1,
            write_bytes_per_second: 4 << 20,
            trigger_jitter_us: 2000,
        }
    }
}

/// `restart-strategy.type` and its options (Flink 2.x names and defaults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum RestartStrategyConfig {
    /// `none`.
    None,
    /// `fixed-delay`: `attempts` (default 1), `delay` (1 s).
    #[serde(rename_all = "camelCase")]
    FixedDelay { attempts: u32, delay_ms: u64 },
    /// `failure-rate`: `max-failures-per-interval` (1), `failure-rate-interval` (1 min), `delay` (1 s).
    #[serde(rename_all = "camelCase")]
    FailureRate {
        max_failures_per_interval: u32,
        failure_rate_interval_ms: u64,
        delay_ms: u64,
    },
    /// `exponential-delay`: initial 1 s, max 1 min, multiplier 1.5, reset threshold 1 h, jitter 0.1,
    /// attempts before reset `Integer.MAX_VALUE`.
    #[serde(rename_all = "camelCase")]
    ExponentialDelay {
        initial_backoff_ms: u64,
        max_backoff_ms: u64,
        backoff_multiplier: f64,
        reset_backoff_threshold_ms: u64,
        jitter_factor: f64,
        attempts_before_reset_backoff: u32,
    },
}

impl RestartStrategyConfig {
    pub fn fixed_delay_default() -> Self {
        RestartStrategyConfig::FixedDelay {
            attempts: 1,
            delay_ms: 1000,
        }
    }

    pub fn failure_rate_default() -> Self {
        RestartStrategyConfig::FailureRate {
            max_failures_per_interval: 1,
            failure_rate_interval_ms: 60_000,
            delay_ms: 1000,
        }
    }

    pub fn exponential_delay_default() -> Self {
        RestartStrategyConfig::ExponentialDelay {
            initial_backoff_ms: 1000,
            max_backoff_ms: 60_000,
            backoff_multiplier: 1.5,
            reset_backoff_threshold_ms: 3_600_000,
            jitter_factor: 0.1,
            attempts_before_reset_backoff: i32::MAX as u32,
        }
    }
}

/// When to make the job fail (each trigger fires once, like the ground-truth job's static flag).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "at", rename_all = "camelCase")]
pub enum FailureTrigger {
    /// On the n-th `processElement` call, counted over all subtasks and attempts (1-based), before the state
    /// is touched.
    #[serde(rename_all = "camelCase")]
    ProcessElementCall { call: u64 },
    /// When a subtask is about to process the generated event with this index (0-based).
    #[serde(rename_all = "camelCase")]
    EventIndex { index: u64 },
    /// At this simulated time.
    #[serde(rename_all = "camelCase")]
    Time { ms: u64 },
}

/// One hour, the upper bound for every simulated delay.
const HOUR_US: u64 = 3_600_000_000;
/// A year of simulated time: the latest a scripted command can be scheduled.
const MAX_SCRIPT_TIME_MS: u64 = 365 * 24 * 3_600_000;

impl JobConfig {
    /// A configuration that replays the given keys once with one source subtask (like the ground-truth job).
    pub fn replaying(keys: Vec<String>) -> Self {
        JobConfig {
            source: SourceConfig {
                parallelism: 1,
                replay: Some(keys),
                ..SourceConfig::default()
            },
            ..JobConfig::default()
        }
    }

    /// The effective max parallelism: configured, or Flink's default for the parallelism.
    pub fn effective_max_parallelism(&self) -> u32 {
        self.max_parallelism.unwrap_or_else(|| {
            compute_default_max_parallelism(i64::from(self.parallelism)).map_or(128, |m| m as u32)
        })
    }

    /// The restart strategy in force, resolving `None` the way Flink 2.x does.
    pub fn effective_restart_strategy(&self) -> RestartStrategyConfig {
        match &self.restart_strategy {
            Some(s) => s.clone(),
            None if self.checkpointing.interval_ms.is_some() => {
                RestartStrategyConfig::exponential_delay_default()
            }
            None => RestartStrategyConfig::None,
        }
    }

    /// The replayed keys as Java keys of the job's key type.
    pub fn replay_keys(&self) -> Result<Option<Vec<JavaKey>>, JobConfigError> {
        let Some(list) = &self.source.replay else {
            return Ok(None);
        };
        let key_type = self.source.key_format.key_type;
        list.iter()
            .enumerate()
            .map(|(index, text)| {
                parse_key(text, key_type).ok_or_else(|| JobConfigError::ReplayKey {
                    index,
                    text: text.clone(),
                    key_type: key_type.java_name(),
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// The job's slots on its TaskManagers, at its configured parallelism.
    pub fn slot_sharing_group(&self) -> SlotSharingGroup {
        self.slot_sharing_group_at(self.parallelism)
    }

    /// The same at another keyed parallelism (a restore that rescales).
    pub fn slot_sharing_group_at(&self, parallelism: u32) -> SlotSharingGroup {
        SlotSharingGroup::new(
            self.memory.execution_mode(),
            self.source.parallelism,
            parallelism,
            self.number_of_task_slots,
        )
    }

    /// The TaskManager memory layout (every TaskManager's).
    pub fn memory_spec(&self) -> Result<TaskExecutorProcessSpec, JobConfigError> {
        derive(&self.memory, &self.memory_options).map_err(|e| JobConfigError::Memory(Box::new(e)))
    }

    /// Checks every value; the engine only runs validated configurations.
    pub fn validate(&self) -> Result<(), JobConfigError> {
        if !(1..=MAX_JOB_PARALLELISM).contains(&self.parallelism) {
            return Err(JobConfigError::Parallelism {
                parallelism: self.parallelism,
                max: MAX_JOB_PARALLELISM,
            });
        }
        if !(1..=MAX_JOB_PARALLELISM).contains(&self.source.parallelism) {
            return Err(JobConfigError::SourceParallelism {
                parallelism: self.source.parallelism,
                max: MAX_JOB_PARALLELISM,
            });
        }
        if let Some(max) = self.max_parallelism {
            if max < self.parallelism || max > UPPER_BOUND_MAX_PARALLELISM as u32 {
                return Err(JobConfigError::MaxParallelism {
                    max,
                    parallelism: self.parallelism,
                    upper: UPPER_BOUND_MAX_PARALLELISM,
                });
            }
        }
        if self.number_of_task_slots == 0 {
            return Err(JobConfigError::TaskSlots(0));
        }
        bounded(
            Setting::NumberOfTaskSlots,
            u64::from(self.number_of_task_slots),
            u64::from(MAX_TASK_SLOTS),
        )?;
        self.validate_source()?;
        bounded(Setting::NetworkLatency, self.network.latency_us, HOUR_US)?;
        bounded(
            Setting::NetworkLatencyJitter,
            self.network.latency_jitter_us,
            HOUR_US,
        )?;
        bounded(
            Setting::ProcessingTime,
            self.network.processing_time_ns,
            HOUR_US * 1000,
        )?;
        at_least(
            Setting::ChannelCapacity,
            u64::from(self.network.channel_capacity),
            1,
        )?;
        bounded(
            Setting::ChannelCapacity,
            u64::from(self.network.channel_capacity),
            1 << 20,
        )?;
        let c = &self.checkpointing;
        if let Some(interval) = c.interval_ms {
            at_least(Setting::CheckpointInterval, interval, 1)?;
            bounded(Setting::CheckpointInterval, interval, HOUR_US / 1000 * 24)?;
        }
        at_least(Setting::CheckpointTimeout, c.timeout_ms, 1)?;
        bounded(
            Setting::CheckpointTimeout,
            c.timeout_ms,
            HOUR_US / 1000 * 24,
        )?;
        bounded(
            Setting::CheckpointMinPause,
            c.min_pause_ms,
            HOUR_US / 1000 * 24,
        )?;
        bounded(
            Setting::TolerableFailedCheckpoints,
            u64::from(c.tolerable_failed_checkpoints),
            i32::MAX as u64,
        )?;
        at_least(Setting::RetainedCheckpoints, u64::from(c.retained), 1)?;
        bounded(Setting::RetainedCheckpoints, u64::from(c.retained), 100)?;
        at_least(Setting::CheckpointWriteSpeed, c.write_bytes_per_second, 1)?;
        bounded(Setting::TriggerJitter, c.trigger_jitter_us, HOUR_US)?;
        self.validate_restart_strategy()?;
        self.memory_spec()?;
        for (index, failure) in self.failures.iter().enumerate() {
            if let FailureTrigger::Time { ms } = failure {
                if *ms > MAX_SCRIPT_TIME_MS {
                    return Err(JobConfigError::FailureTime {
                        index,
                        ms: *ms,
                        max: MAX_SCRIPT_TIME_MS,
                    });
                }
            }
        }
        self.validate_script()
    }

    /// Checks what can be checked before the run: triggers that can fire and commands with valid values. Whether
    /// a command finds the job in a state that accepts it (a restore needs a retained checkpoint) only shows
    /// when it fires.
    fn validate_script(&self) -> Result<(), JobConfigError> {
        for (index, scheduled) in self.script.iter().enumerate() {
            let fail = |reason: ScriptError| Err(JobConfigError::Script { index, reason });
            match scheduled.at {
                CommandTrigger::AfterRecords { records: 0 } => {
                    return fail(ScriptError::AfterRecordsZero)
                }
                CommandTrigger::AtTime { ms } if ms > MAX_SCRIPT_TIME_MS => {
                    return fail(ScriptError::AtTimeBeyondHorizon {
                        ms,
                        max: MAX_SCRIPT_TIME_MS,
                    })
                }
                CommandTrigger::AfterCheckpoint { checkpoint_id: 0 } => {
                    return fail(ScriptError::CheckpointIdZero)
                }
                _ => {}
            }
            match &scheduled.command {
                JobCommand::InjectKey { key } => {
                    let key_type = self.source.key_format.key_type;
                    if parse_key(key, key_type).is_none() {
                        return fail(ScriptError::BadKey {
                            key: key.clone(),
                            key_type: key_type.java_name(),
                        });
                    }
                }
                JobCommand::Restore {
                    checkpoint_id,
                    parallelism,
                } => {
                    if !(1..=MAX_JOB_PARALLELISM).contains(parallelism) {
                        return fail(ScriptError::RestoreParallelism {
                            parallelism: *parallelism,
                            max: MAX_JOB_PARALLELISM,
                        });
                    }
                    if *parallelism > self.effective_max_parallelism() {
                        return fail(ScriptError::RestoreAboveMaxParallelism {
                            parallelism: *parallelism,
                            max_parallelism: self.effective_max_parallelism(),
                        });
                    }
                    if *checkpoint_id == Some(0) {
                        return fail(ScriptError::CheckpointIdZero);
                    }
                }
                JobCommand::SetSourceRate { rate } if *rate > 1_000_000_000 => {
                    return fail(ScriptError::Rate(*rate));
                }
                JobCommand::SetCheckpointInterval {
                    interval_ms: Some(ms),
                } if *ms == 0 || *ms > HOUR_US / 1000 * 24 => {
                    return fail(ScriptError::CheckpointInterval(*ms));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn validate_source(&self) -> Result<(), JobConfigError> {
        let s = &self.source;
        if s.rate > 1_000_000_000 {
            return Err(JobConfigError::Rate(s.rate));
        }
        if s.key_format.prefix.chars().count() > 64 {
            return Err(JobConfigError::KeyPrefix);
        }
        bounded(
            Setting::KeyZeroPadding,
            u64::from(s.key_format.zero_pad),
            18,
        )?;
        if let Some(list) = &s.replay {
            if list.len() > MAX_REPLAY_KEYS {
                return Err(JobConfigError::ReplayTooLong {
                    max: MAX_REPLAY_KEYS,
                });
            }
            if let Some(index) = list.iter().position(|k| k.len() > MAX_KEY_BYTES) {
                return Err(JobConfigError::ReplayKeyTooLong {
                    index,
                    max: MAX_KEY_BYTES,
                });
            }
        }
        if let Some(keys) = self.replay_keys()? {
            if keys.is_empty() {
                return Err(JobConfigError::EmptyReplay);
            }
            return Ok(());
        }
        if s.key_count == 0 {
            return Err(JobConfigError::NoKeys);
        }
        let max = s.key_format.max_index().saturating_add(1);
        if s.key_count > max {
            return Err(JobConfigError::TooManyKeys {
                count: s.key_count,
                max,
            });
        }
        match &s.distribution {
            KeyDistribution::Zipf { exponent } if !(*exponent > 0.0 && *exponent <= 20.0) => {
                Err(JobConfigError::ZipfExponent(*exponent))
            }
            KeyDistribution::HotKey { fraction, .. } if !(0.0..=1.0).contains(fraction) => {
                Err(JobConfigError::HotKeyFraction(*fraction))
            }
            KeyDistribution::HotKey { key, .. } if *key >= s.key_count => {
                Err(JobConfigError::HotKeyIndex {
                    key: *key,
                    count: s.key_count,
                })
            }
            _ => Ok(()),
        }
    }

    fn validate_restart_strategy(&self) -> Result<(), JobConfigError> {
        let err = |e: RestartStrategyError| Err(JobConfigError::RestartStrategy(e));
        match self.effective_restart_strategy() {
            RestartStrategyConfig::None => Ok(()),
            RestartStrategyConfig::FixedDelay { delay_ms, .. } => {
                bounded(Setting::RestartDelay, delay_ms, HOUR_US / 1000 * 24)
            }
            RestartStrategyConfig::FailureRate {
                max_failures_per_interval,
                failure_rate_interval_ms,
                delay_ms,
            } => {
                if max_failures_per_interval == 0 {
                    return err(RestartStrategyError::MaxFailuresPerInterval);
                }
                if failure_rate_interval_ms == 0 {
                    return err(RestartStrategyError::FailureRateInterval);
                }
                bounded(Setting::RestartDelay, delay_ms, HOUR_US / 1000 * 24)
            }
            RestartStrategyConfig::ExponentialDelay {
                initial_backoff_ms,
                max_backoff_ms,
                backoff_multiplier,
                reset_backoff_threshold_ms,
                jitter_factor,
                attempts_before_reset_backoff,
            } => {
                if initial_backoff_ms < 1 {
                    return err(RestartStrategyError::InitialBackoff);
                }
                if max_backoff_ms < 1 {
                    return err(RestartStrategyError::MaxBackoff);
                }
                if initial_backoff_ms > max_backoff_ms {
                    return err(RestartStrategyError::InitialAboveMaxBackoff);
                }
                if !(backoff_multiplier > 1.0 && backoff_multiplier <= 1000.0) {
                    return err(RestartStrategyError::BackoffMultiplier);
                }
                if reset_backoff_threshold_ms < 1 {
                    return err(RestartStrategyError::ResetBackoffThreshold);
                }
                if !(0.0..=1.0).contains(&jitter_factor) {
                    return err(RestartStrategyError::JitterFactor);
                }
                if attempts_before_reset_backoff < 1 {
                    return err(RestartStrategyError::AttemptsBeforeResetBackoff);
                }
                bounded(Setting::MaximumBackoff, max_backoff_ms, HOUR_US / 1000 * 24)
            }
        }
    }
}

fn bounded(what: Setting, value: u64, max: u64) -> Result<(), JobConfigError> {
    if value > max {
        Err(JobConfigError::TooLarge { what, value, max })
    } else {
        Ok(())
    }
}

fn at_least(what: Setting, value: u64, min: u64) -> Result<(), JobConfigError> {
    if value < min {
        Err(JobConfigError::TooSmall { what, value, min })
    } else {
        Ok(())
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// Reads past a job's script without parsing it (the wasm build; see [`JobConfig::script`]).
#[cfg(target_arch = "wasm32")]
fn skip_script<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ScheduledCommand>, D::Error> {
    serde::de::IgnoredAny::deserialize(d).map(|_| Vec::new())
}

/// Parses the text of a key as the job's key type (`String` keys are taken as they are).
pub fn parse_key(text: &str, key_type: JavaKeyType) -> Option<JavaKey> {
    match key_type {
        JavaKeyType::String => Some(JavaKey::String(text.to_owned())),
        JavaKeyType::Integer => text.trim().parse().ok().map(JavaKey::Integer),
        JavaKeyType::Long => text.trim().parse().ok().map(JavaKey::Long),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip_through_json() {
        let config = JobConfig::default();
        config.validate().unwrap();
        let json = serde_json::to_string(&config).unwrap();
        let back: JobConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, config);
        assert_eq!(config.effective_max_parallelism(), 128);
    }

    #[test]
    fn a_partial_document_fills_in_defaults() {
        let config: JobConfig = serde_json::from_str(
            r#"{"parallelism": 4, "source": {"keyCount": 10000, "distribution": {"type": "uniform"}},
                "restartStrategy": {"type": "fixed-delay", "attempts": 3, "delayMs": 500}}"#,
        )
        .unwrap();
        config.validate().unwrap();
        assert_eq!(config.source.rate, SourceConfig::default().rate);
        assert_eq!(
            config.effective_restart_strategy(),
            RestartStrategyConfig::FixedDelay {
                attempts: 3,
                delay_ms: 500
            }
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err = serde_json::from_str::<JobConfig>(r#"{"paralelism": 4}"#).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `paralelism`"),
            "{err}"
        );
    }

    #[test]
    fn bad_values_get_clear_errors() {
        let mut c = JobConfig {
            parallelism: 9,
            ..JobConfig::default()
        };
        assert_eq!(
            c.validate(),
            Err(JobConfigError::Parallelism {
                parallelism: 9,
                max: MAX_JOB_PARALLELISM
            })
        );
        c.parallelism = 4;
        c.max_parallelism = Some(2);
        assert!(matches!(
            c.validate(),
            Err(JobConfigError::MaxParallelism { .. })
        ));
        c.max_parallelism = None;
        c.source.distribution = KeyDistribution::Zipf { exponent: 0.0 };
        assert_eq!(c.validate(), Err(JobConfigError::ZipfExponent(0.0)));
        c.source.distribution = KeyDistribution::HotKey {
            key: 5000,
            fraction: 0.5,
        };
        assert!(matches!(
            c.validate(),
            Err(JobConfigError::HotKeyIndex { .. })
        ));
        c.source.distribution = KeyDistribution::Uniform;
        c.source.key_format.key_type = JavaKeyType::Long;
        c.source.replay = Some(vec!["1".into(), "two".into()]);
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "replayed key #1 'two' is not a valid Long key"
        );
    }

    #[test]
    fn restart_strategy_defaults_follow_flink_2() {
        let mut c = JobConfig::default();
        assert_eq!(
            c.effective_restart_strategy(),
            RestartStrategyConfig::exponential_delay_default()
        );
        c.checkpointing.interval_ms = None;
        assert_eq!(c.effective_restart_strategy(), RestartStrategyConfig::None);
        c.restart_strategy = Some(RestartStrategyConfig::ExponentialDelay {
            initial_backoff_ms: 10,
            max_backoff_ms: 5,
            backoff_multiplier: 2.0,
            reset_backoff_threshold_ms: 1,
            jitter_factor: 0.1,
            attempts_before_reset_backoff: 3,
        });
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "restart strategy: Initial backoff cannot be higher than maximum backoff."
        );
    }

    #[test]
    fn a_tiny_process_size_is_a_memory_error() {
        let c = JobConfig {
            memory: MemoryConfig::Process {
                process_size: MemorySize::of_mebibytes(100),
                managed_size: None,
            },
            ..JobConfig::default()
        };
        assert!(matches!(c.validate(), Err(JobConfigError::Memory(_))));
    }
}
