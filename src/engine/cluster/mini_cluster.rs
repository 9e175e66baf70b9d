//! The whole keyed counter job and the cluster it runs on, like Flink's `MiniCluster`: the JobMaster's side
//! (checkpoint coordinator, restart strategy, state assignment on restore) and the TaskManagers' (source
//! subtasks, network channels, keyed subtasks with their heap backends, the sink). The subtasks run in the slots
//! of one or more TaskManagers ([`SlotSharingGroup`]), each with its own JVM heap ([`TaskManager`]): a
//! cluster's TaskManagers offer `taskmanager.numberOfTaskSlots` slots each, local execution runs every slot in one
//! JVM.
//!
//! Time is simulated (nanoseconds) and advances in explicit steps. Each step performs the one earliest pending
//! action — a source emitting a record or injecting a barrier, a subtask processing one element, an
//! asynchronous snapshot writing one key group, the coordinator triggering or timing out a checkpoint, a restart
//! — and reports what happened through a [`Reporter`]. Ties are broken by a fixed actor order, and every random
//! choice comes from the seed, so the same configuration always produces the same run, step for step.
//!
//! Users act on the job between steps with [`JobCommand`]s ([`MiniCluster::apply`]); the commands of the
//! configuration's `script` are applied by the cluster itself at the end of the step that makes them due, so a
//! scripted run is the same however its steps are chunked.

use crate::engine::checkpoint::checkpoint_barrier::CheckpointBarrier;
use crate::engine::checkpoint::checkpoint_barrier_handler::BarrierOutcome;
use crate::engine::checkpoint::checkpoint_blob::{self, BlobError, BlobReader};
use crate::engine::checkpoint::checkpoint_coordinator::{CheckpointCoordinator, TriggerError};
use crate::engine::checkpoint::checkpoint_failure_manager::CheckpointFailureManager;
use crate::engine::checkpoint::checkpoint_failure_reason::CheckpointFailureReason;
use crate::engine::checkpoint::completed_checkpoint::CompletedCheckpoint;
use crate::engine::checkpoint::state_assignment_operation::{assign, RestoreError};
use crate::engine::cluster::engine_event::{
    EngineEvent, FailureCause, Milestones, Reporter, RestoreReason,
};
use crate::engine::cluster::job_command::{CommandTrigger, JobCommand, ScheduledCommand};
use crate::engine::cluster::job_config::{
    parse_key, FailureTrigger, JobConfig, JobConfigError, MAX_JOB_PARALLELISM,
};
use crate::engine::cluster::restart_strategy::RestartBackoffTimeStrategy;
use crate::engine::cluster::slot_sharing_group::SlotSharingGroup;
use crate::engine::cluster::task_manager::TaskManager;
use crate::engine::functions::event_counter_process_function::ProcessLine;
use crate::engine::functions::list_sink::{ListSink, SinkRecord};
use crate::engine::keys::java_key::JavaKey;
use crate::engine::keys::key_group_range_assignment::{
    compute_operator_index_for_key_group, create_key_group_partitions,
};
use crate::engine::keys::key_registry::{KeyError, KeyId, KeyInfo, KeyRegistry};
use crate::engine::memory::jvm_heap::HeapUsage;
use crate::engine::memory::task_executor_memory::TaskExecutorProcessSpec;
use crate::engine::source::data_generator_source::{EventGenerator, SourceSplit, SplitPosition};
use crate::engine::source::key_distribution::KeySampler;
use crate::engine::source::random::{random_below, stream};
use crate::engine::state::heap::copy_on_write_state_map::{CopyOnWriteStateMap, StateMapHeap};
use crate::engine::tasks::input_channel::InputChannel;
use crate::engine::tasks::stream_element::{EventRef, StreamElement, StreamRecord};
use crate::engine::tasks::stream_task::{AsyncStep, StreamTask};
use serde::Serialize;
use std::collections::VecDeque;
use std::rc::Rc;
use thiserror::Error;

const NS_PER_US: u64 = 1_000;
const NS_PER_MS: u64 = 1_000_000;
const NS_PER_SECOND: u128 = 1_000_000_000;
/// How many failures the exception history keeps (`web.exception-history-size`: 16; StateLab keeps more).
const EXCEPTION_HISTORY: usize = 100;

/// `JobStatus`, reduced to what this job goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JobStatus {
    Running,
    /// A task failed; the restart strategy's backoff is running.
    Restarting,
    /// A bounded source was read to the end.
    Finished,
    /// The restart strategy gave up.
    Failed,
}

#[derive(Clone, Debug, PartialEq, Error)]
pub enum EngineError {
    #[error(transparent)]
    Config(#[from] JobConfigError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("'{text}' is not a valid {key_type} key")]
    BadKey {
        text: String,
        key_type: &'static str,
    },
    #[error("the job is {0:?}; it only accepts this while RUNNING")]
    NotRunning(JobStatus),
    #[error(transparent)]
    Trigger(#[from] TriggerError),
    #[error(transparent)]
    Restore(#[from] RestoreError),
    #[error("checkpoint interval must be between 1 ms and 24 h")]
    Interval,
    #[error("the source rate must be at most 1,000,000,000 events per second")]
    Rate,
    #[error(transparent)]
    Blob(#[from] BlobError),
}

/// One source subtask reading its split.
#[derive(Clone, Debug)]
pub struct SourceReader {
    split: SourceSplit,
    /// Start of the current rate schedule and generated elements emitted since.
    epoch: u64,
    emitted_since_epoch: u64,
    /// Waiting for room in the channel to this subtask.
    blocked_on: Option<u32>,
    finished: bool,
    /// A checkpoint trigger on its way: (checkpoint id, arrival time).
    trigger: Option<(u64, u64)>,
}

impl SourceReader {
    pub fn split(&self) -> &SourceSplit {
        &self.split
    }

    pub fn blocked_on(&self) -> Option<u32> {
        self.blocked_on
    }

    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// A checkpoint trigger on its way to this source: (checkpoint id, arrival time).
    pub fn pending_trigger(&self) -> Option<(u64, u64)> {
        self.trigger
    }
}

/// When to stop [`MiniCluster::run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunLimit {
    pub max_steps: u64,
    /// Stop once simulated time reaches this (ns).
    pub until_time: u64,
    /// Stop once this many more records were processed.
    pub max_records: u64,
}

impl RunLimit {
    pub const UNLIMITED: RunLimit = RunLimit {
        max_steps: u64::MAX,
        until_time: u64::MAX,
        max_records: u64::MAX,
    };

    pub fn records(n: u64) -> Self {
        RunLimit {
            max_records: n,
            ..RunLimit::UNLIMITED
        }
    }

    pub fn steps(n: u64) -> Self {
        RunLimit {
            max_steps: n,
            ..RunLimit::UNLIMITED
        }
    }

    pub fn until(time_ns: u64) -> Self {
        RunLimit {
            until_time: time_ns,
            ..RunLimit::UNLIMITED
        }
    }
}

/// One entry of the job's exception history (the Web UI's "Exceptions" tab): a task failure and when it
/// happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobException {
    /// Simulated ns.
    pub time: u64,
    /// The execution attempt that failed.
    pub attempt: u32,
    /// The failing subtask, if one subtask failed (`None`: the job as a whole).
    pub subtask: Option<u32>,
    pub cause: FailureCause,
}

/// A command of the configuration's script and how far it got.
#[derive(Clone, Debug)]
struct ScriptEntry {
    scheduled: ScheduledCommand,
    /// Its trigger fired in the current step; it runs at the end of the step.
    due: bool,
    fired: bool,
}

/// Running totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCounters {
    pub records_emitted: u64,
    pub records_processed: u64,
    /// `processElement` calls, including the one a failure interrupted.
    pub process_element_calls: u64,
    pub steps: u64,
    pub restarts: u32,
    pub checkpoints_completed: u64,
    pub checkpoints_failed: u64,
}

#[derive(Clone, Debug)]
pub struct MiniCluster {
    config: JobConfig,
    keys: KeyRegistry,
    generator: EventGenerator,
    now: u64,
    status: JobStatus,
    attempt: u32,
    parallelism: u32,
    max_parallelism: u32,
    source_parallelism: u32,
    rate: u64,
    sources: Vec<SourceReader>,
    /// `channels[split * parallelism + subtask]`.
    channels: Vec<InputChannel>,
    tasks: Vec<StreamTask>,
    /// Which subtask owns each key group.
    key_group_owner: Vec<u32>,
    coordinator: CheckpointCoordinator,
    /// Fails the job when too many checkpoints failed in a row.
    checkpoint_failures: CheckpointFailureManager,
    restart: RestartBackoffTimeStrategy,
    restart_at: Option<u64>,
    sink: ListSink,
    /// Every TaskManager's memory layout (they are started alike).
    memory: TaskExecutorProcessSpec,
    /// The job's slots on its TaskManagers, at the running parallelism.
    slot_sharing: SlotSharingGroup,
    /// `slot_sharing.task_managers` of them, each with its own heap.
    task_managers: Vec<TaskManager>,
    /// The checkpoint the running execution restored its state from (`None`: it started empty).
    restored_from: Option<u64>,
    /// Set only during [`Self::step_into`]: the line of `processElement` a record stops after.
    breakpoint: Option<ProcessLine>,
    failures: Vec<(FailureTrigger, bool)>,
    last_failure: Option<FailureCause>,
    exceptions: VecDeque<JobException>,
    script: Vec<ScriptEntry>,
    /// The record count at which an `AfterRecords` command is due next (`u64::MAX`: none).
    script_next_records: u64,
    /// Some scripted command is due at the end of the current step.
    script_due: bool,
    counters: JobCounters,
    injected_sequence: u64,
    network_sequence: u64,
    sources_finished: u32,
    /// Next action time per actor: `[control, sources…, tasks…, async snapshots…]`.
    next_at: Vec<u64>,
}

impl MiniCluster {
    /// Validates the configuration and starts the job at simulated time 0.
    pub fn new(config: JobConfig) -> Result<Self, EngineError> {
        config.validate()?;
        let mut keys = KeyRegistry::new(config.source.key_format.clone());
        let generator = match config.replay_keys()? {
            Some(list) => {
                let ids = list
                    .iter()
                    .map(|k| keys.intern(k))
                    .collect::<Result<Vec<KeyId>, KeyError>>()?;
                EventGenerator::Replay {
                    keys: Rc::from(ids),
                }
            }
            None => {
                keys.reserve_generated(config.source.key_count);
                EventGenerator::Sample {
                    sampler: KeySampler::new(
                        config.seed,
                        config.source.key_count,
                        &config.source.distribution,
                    ),
                    limit: config.source.max_events,
                }
            }
        };
        let memory = config.memory_spec()?;
        let slot_sharing = config.slot_sharing_group();
        let source_parallelism = config.source.parallelism;
        let mut cluster = MiniCluster {
            keys,
            generator,
            now: 0,
            status: JobStatus::Running,
            attempt: 0,
            parallelism: config.parallelism,
            max_parallelism: config.effective_max_parallelism(),
            source_parallelism,
            rate: config.source.rate,
            sources: (0..source_parallelism)
                .map(|j| SourceReader {
                    split: SourceSplit::new(j, source_parallelism),
                    epoch: 0,
                    emitted_since_epoch: 0,
                    blocked_on: None,
                    finished: false,
                    trigger: None,
                })
                .collect(),
            channels: Vec::new(),
            tasks: Vec::new(),
            key_group_owner: Vec::new(),
            coordinator: CheckpointCoordinator::new(&config.checkpointing, config.seed),
            checkpoint_failures: CheckpointFailureManager::new(
                config.checkpointing.tolerable_failed_checkpoints,
            ),
            restart: RestartBackoffTimeStrategy::new(
                config.effective_restart_strategy(),
                config.seed,
            ),
            restart_at: None,
            sink: ListSink::new(config.sink_log_limit),
            memory,
            slot_sharing,
            task_managers: Vec::new(),
            restored_from: None,
            breakpoint: None,
            failures: config.failures.iter().map(|f| (f.clone(), false)).collect(),
            last_failure: None,
            exceptions: VecDeque::new(),
            script: config
                .script
                .iter()
                .map(|scheduled| ScriptEntry {
                    scheduled: scheduled.clone(),
                    due: false,
                    fired: false,
                })
                .collect(),
            script_next_records: u64::MAX,
            script_due: false,
            counters: JobCounters::default(),
            injected_sequence: 0,
            network_sequence: 0,
            sources_finished: 0,
            next_at: Vec::new(),
            config,
        };
        cluster.deploy(cluster.parallelism, cluster.max_parallelism);
        cluster.coordinator.start_scheduler(0);
        cluster.update_script_next_records();
        cluster.refresh_all();
        Ok(cluster)
    }

    /// Starts the job a checkpoint blob was taken from and restores it, like `flink run -s <checkpoint>`: the
    /// blob's job configuration (without its scheduled failures), at the blob's parallelism or at
    /// `parallelism`, its key groups redistributed as Flink's `StateAssignmentOperation` does, the sources
    /// resuming at the checkpointed positions and the clock at the checkpoint's completion. The checkpoint
    /// becomes the job's retained checkpoint and new checkpoints continue its numbering. The blob's script is
    /// left out too: its triggers belong to the run that wrote the blob.
    pub fn from_blob<R: Reporter>(
        bytes: &[u8],
        parallelism: Option<u32>,
        r: &mut R,
    ) -> Result<Self, EngineError> {
        let reader = BlobReader::open(bytes)?;
        let metadata = reader.metadata();
        let parallelism = parallelism.unwrap_or(metadata.parallelism);
        let mut config = metadata.job.clone();
        config.parallelism = parallelism;
        config.max_parallelism = Some(metadata.max_parallelism);
        config.failures.clear();
        config.script.clear();
        let mut cluster = MiniCluster::new(config)?;
        let checkpoint = reader.to_completed_checkpoint(&mut cluster.keys)?;
        assign(&checkpoint, parallelism, Some(checkpoint.max_parallelism))?;
        cluster.now = checkpoint.completion_time;
        for (source, position) in cluster.sources.iter_mut().zip(&checkpoint.source_positions) {
            source.split.start_at(*position);
        }
        cluster.injected_sequence = checkpoint.source_positions.iter().map(|p| p.injected).sum();
        cluster.coordinator.add_external(checkpoint);
        cluster.cancel_execution(CheckpointFailureReason::JobStarted, r);
        let checkpoint = cluster.coordinator.store().latest().cloned();
        cluster.restore_from(
            checkpoint.as_deref(),
            parallelism,
            cluster.max_parallelism,
            RestoreReason::External,
            r,
        );
        Ok(cluster)
    }

    /// A retained checkpoint as a blob (see [`checkpoint_blob`]) that [`Self::from_blob`] restores anywhere.
    pub fn checkpoint_blob(&self, checkpoint_id: u64) -> Result<Vec<u8>, EngineError> {
        let checkpoint = self
            .coordinator
            .store()
            .get(checkpoint_id)
            .ok_or(RestoreError::UnknownCheckpoint(checkpoint_id))?;
        Ok(checkpoint_blob::encode(
            checkpoint,
            &self.keys,
            &self.config,
        )?)
    }

    // -------------------------------------------------------------------------------------------------------
    // Read access

    pub fn config(&self) -> &JobConfig {
        &self.config
    }

    /// Simulated time in ns.
    pub fn now(&self) -> u64 {
        self.now
    }

    pub fn status(&self) -> JobStatus {
        self.status
    }

    /// Execution attempt (0 until the first restart or restore).
    /// The checkpoint the running execution restored its state from; `None` when it started empty.
    pub fn restored_from(&self) -> Option<u64> {
        self.restored_from
    }

    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    pub fn parallelism(&self) -> u32 {
        self.parallelism
    }

    pub fn max_parallelism(&self) -> u32 {
        self.max_parallelism
    }

    pub fn source_parallelism(&self) -> u32 {
        self.source_parallelism
    }

    pub fn keys(&self) -> &KeyRegistry {
        &self.keys
    }

    pub fn tasks(&self) -> &[StreamTask] {
        &self.tasks
    }

    pub fn sources(&self) -> &[SourceReader] {
        &self.sources
    }

    /// The channel from source split `split` to keyed subtask `subtask`.
    pub fn channel(&self, split: u32, subtask: u32) -> &InputChannel {
        &self.channels[(split * self.parallelism + subtask) as usize]
    }

    pub fn coordinator(&self) -> &CheckpointCoordinator {
        &self.coordinator
    }

    pub fn sink(&self) -> &ListSink {
        &self.sink
    }

    pub fn counters(&self) -> &JobCounters {
        &self.counters
    }

    pub fn last_failure(&self) -> Option<&FailureCause> {
        self.last_failure.as_ref()
    }

    /// The task failures of the job, oldest first (at most the last 100).
    pub fn exception_history(
        &self,
    ) -> impl DoubleEndedIterator<Item = &JobException> + ExactSizeIterator + '_ {
        self.exceptions.iter()
    }

    /// The configuration's scripted commands, each with whether it has fired.
    pub fn script(&self) -> impl ExactSizeIterator<Item = (&ScheduledCommand, bool)> + '_ {
        self.script.iter().map(|e| (&e.scheduled, e.fired))
    }

    /// When a pending restart happens.
    pub fn restart_at(&self) -> Option<u64> {
        self.restart_at
    }

    /// Heap bytes of keyed state over all subtasks (in every TaskManager).
    pub fn state_heap_bytes(&self) -> u64 {
        self.tasks.iter().map(|t| t.backend().heap_used()).sum()
    }

    /// Heap bytes of the keyed state in one TaskManager: its subtasks'.
    pub fn state_heap_bytes_of(&self, task_manager: u32) -> u64 {
        let subtasks = self.slot_sharing.keyed_subtasks_of(task_manager);
        self.tasks[subtasks.start as usize..subtasks.end as usize]
            .iter()
            .map(|t| t.backend().heap_used())
            .sum()
    }

    /// Which slot of which TaskManager each subtask runs in.
    pub fn slot_sharing(&self) -> &SlotSharingGroup {
        &self.slot_sharing
    }

    /// The TaskManagers the job runs on, in slot order.
    pub fn task_managers(&self) -> &[TaskManager] {
        &self.task_managers
    }

    /// Every TaskManager's memory layout (they are all started alike).
    pub fn memory_spec(&self) -> &TaskExecutorProcessSpec {
        &self.memory
    }

    /// One TaskManager's heap.
    pub fn heap_usage_of(&self, task_manager: u32) -> HeapUsage {
        self.task_managers[task_manager as usize].usage(self.state_heap_bytes_of(task_manager))
    }

    /// Every TaskManager's heap, in order.
    pub fn heap_usages(&self) -> impl ExactSizeIterator<Item = HeapUsage> + '_ {
        (0..self.task_managers.len() as u32).map(|tm| self.heap_usage_of(tm))
    }

    /// The heap closest to its limit (the first of equals): the one the next `OutOfMemoryError` is likeliest in.
    pub fn fullest_heap(&self) -> HeapUsage {
        self.heap_usages()
            .reduce(|fullest, h| {
                if u128::from(h.used) * u128::from(fullest.limit.max(1))
                    > u128::from(fullest.used) * u128::from(h.limit.max(1))
                {
                    h
                } else {
                    fullest
                }
            })
            .unwrap_or_default()
    }

    /// Keyed state of one TaskManager's subtasks by kind of object (walks every key-group map).
    pub fn heap_breakdown_of(&self, task_manager: u32) -> StateMapHeap {
        let subtasks = self.slot_sharing.keyed_subtasks_of(task_manager);
        let mut total = StateMapHeap::default();
        for task in &self.tasks[subtasks.start as usize..subtasks.end as usize] {
            total.add(&task.backend().heap_breakdown());
        }
        total
    }

    /// The subtask owning a key group.
    pub fn owner_of_key_group(&self, key_group: u32) -> u32 {
        self.key_group_owner[key_group as usize]
    }

    /// The live count of every key in state (what `value()` would return), sorted by key id.
    pub fn counts(&self) -> Vec<(KeyId, i64)> {
        let mut all: Vec<(KeyId, i64)> = self
            .tasks
            .iter()
            .flat_map(|t| {
                t.backend().state_tables()[0]
                    .maps()
                    .iter()
                    .flat_map(|m| m.iter().map(|e| (e.key, e.state)))
            })
            .collect();
        all.sort_unstable();
        all
    }

    /// The `CopyOnWriteStateMap` of `"event-counter"` for a key group, in the subtask that owns it.
    pub fn key_group_map(&self, key_group: u32) -> Option<&CopyOnWriteStateMap<i64>> {
        let owner = *self.key_group_owner.get(key_group as usize)?;
        self.tasks[owner as usize]
            .backend()
            .state_tables()
            .first()?
            .map_for_key_group(key_group as i32)
            .ok()
    }

    /// The key group of a key (`murmurHash(hashCode) % maxParallelism`).
    pub fn key_group_of(&self, key: KeyId) -> u32 {
        (self.keys.info(key).murmur_hash % self.max_parallelism as i32) as u32
    }

    /// The key typed as `text` (parsed as the job's key type), if the job has seen it.
    pub fn find_key(&self, text: &str) -> Option<KeyId> {
        parse_key(text, self.config.source.key_format.key_type).and_then(|k| self.keys.find(&k))
    }

    /// The current count of one key, without touching the maps.
    pub fn count_of(&self, key: KeyId) -> Option<i64> {
        let info = self.keys.info(key);
        let key_group = (info.murmur_hash % self.max_parallelism as i32) as u32;
        let task = &self.tasks[self.owner_of_key_group(key_group) as usize];
        let map = task.backend().state_tables()[0]
            .map_for_key_group(key_group as i32)
            .ok()?;
        map.peek(key, info.hash_code).map(|e| e.state)
    }

    // -------------------------------------------------------------------------------------------------------
    // Commands

    /// Applies a user's command (see [`JobCommand`] for what each does), reporting what it causes. A refused
    /// command (`Err`) leaves the job exactly as it was.
    pub fn apply<R: Reporter>(
        &mut self,
        command: &JobCommand,
        r: &mut R,
    ) -> Result<(), EngineError> {
        match command {
            JobCommand::InjectKey { key } => self.inject_key(key).map(drop),
            JobCommand::TriggerCheckpoint => self.trigger_checkpoint_reporting(r).map(drop),
            JobCommand::FailNow { description } => self.fail_now(description, r),
            JobCommand::Restore {
                checkpoint_id,
                parallelism,
            } => self.restore(*checkpoint_id, *parallelism, r),
            JobCommand::SetSourceRate { rate } => self.set_source_rate(*rate),
            JobCommand::SetCheckpointInterval { interval_ms } => {
                self.set_checkpoint_interval(*interval_ms)
            }
            JobCommand::AdvanceClock { time_ns } => {
                self.advance_clock(*time_ns);
                Ok(())
            }
        }
    }

    /// Sends one event with `text` as its key, as if typed into the source (it goes into split 0's log).
    pub fn inject_key(&mut self, text: &str) -> Result<KeyId, EngineError> {
        if self.status == JobStatus::Finished || self.status == JobStatus::Failed {
            return Err(EngineError::NotRunning(self.status));
        }
        let key_type = self.config.source.key_format.key_type;
        let key = parse_key(text, key_type).ok_or_else(|| EngineError::BadKey {
            text: text.to_owned(),
            key_type: key_type.java_name(),
        })?;
        self.inject(&key)
    }

    /// The number the next key typed by hand will get (`EventRef::Injected`).
    pub fn next_injected_sequence(&self) -> u64 {
        self.injected_sequence
    }

    /// Sends one event with this key.
    pub fn inject(&mut self, key: &JavaKey) -> Result<KeyId, EngineError> {
        if self.status == JobStatus::Finished || self.status == JobStatus::Failed {
            return Err(EngineError::NotRunning(self.status));
        }
        let id = self.keys.intern(key)?;
        let sequence = self.injected_sequence;
        self.injected_sequence += 1;
        let source = &mut self.sources[0];
        source.split.inject(sequence, id);
        if source.finished {
            source.finished = false;
            self.sources_finished -= 1;
        }
        self.refresh_source(0);
        Ok(id)
    }

    /// Triggers a checkpoint now (the REST API's `POST /jobs/:id/checkpoints`).
    pub fn trigger_checkpoint(&mut self) -> Result<u64, EngineError> {
        let mut sink = Milestones::default();
        self.trigger_checkpoint_reporting(&mut sink)
    }

    /// Like [`Self::trigger_checkpoint`], reporting the trigger.
    pub fn trigger_checkpoint_reporting<R: Reporter>(
        &mut self,
        r: &mut R,
    ) -> Result<u64, EngineError> {
        if self.status != JobStatus::Running {
            return Err(EngineError::NotRunning(self.status));
        }
        let id = self.begin_checkpoint(true, r)?;
        Ok(id)
    }

    /// Changes the periodic checkpoint interval (`None` turns periodic checkpoints off).
    pub fn set_checkpoint_interval(&mut self, interval_ms: Option<u64>) -> Result<(), EngineError> {
        if interval_ms.is_some_and(|i| i == 0 || i > 86_400_000) {
            return Err(EngineError::Interval);
        }
        self.config.checkpointing.interval_ms = interval_ms;
        let now = if self.status == JobStatus::Running {
            self.now
        } else {
            u64::MAX
        };
        if now != u64::MAX {
            self.coordinator.set_interval(interval_ms, now);
        }
        self.refresh_control();
        Ok(())
    }

    /// Changes the source rate (events per second of simulated time; 0 pauses the generator).
    pub fn set_source_rate(&mut self, rate: u64) -> Result<(), EngineError> {
        if rate > 1_000_000_000 {
            return Err(EngineError::Rate);
        }
        self.rate = rate;
        self.config.source.rate = rate;
        for j in 0..self.sources.len() {
            let s = &mut self.sources[j];
            s.epoch = self.now;
            s.emitted_since_epoch = 0;
            self.refresh_source(j);
        }
        Ok(())
    }

    /// Schedules a failure.
    pub fn schedule_failure(&mut self, trigger: FailureTrigger) {
        self.failures.push((trigger, false));
        self.refresh_control();
    }

    /// Makes a task fail now, as an exception in `processElement` would.
    pub fn fail_now<R: Reporter>(
        &mut self,
        description: &str,
        r: &mut R,
    ) -> Result<(), EngineError> {
        if self.status != JobStatus::Running {
            return Err(EngineError::NotRunning(self.status));
        }
        self.fail(
            Some(0),
            FailureCause::Injected {
                description: description.to_owned(),
            },
            r,
        );
        Ok(())
    }

    /// Cancels the running execution and starts a new one from a retained checkpoint (the latest when `None`)
    /// at `parallelism`, redistributing key groups as Flink's `StateAssignmentOperation` does.
    pub fn restore<R: Reporter>(
        &mut self,
        checkpoint_id: Option<u64>,
        parallelism: u32,
        r: &mut R,
    ) -> Result<(), EngineError> {
        if !(1..=MAX_JOB_PARALLELISM).contains(&parallelism) {
            return Err(RestoreError::Parallelism {
                parallelism,
                max: MAX_JOB_PARALLELISM,
            }
            .into());
        }
        let checkpoint = match checkpoint_id {
            Some(id) => self
                .coordinator
                .store()
                .get(id)
                .cloned()
                .ok_or(RestoreError::UnknownCheckpoint(id))?,
            None => self
                .coordinator
                .store()
                .latest()
                .cloned()
                .ok_or(RestoreError::NoCheckpoint)?,
        };
        let assignment = assign(&checkpoint, parallelism, self.config.max_parallelism)?;
        self.cancel_execution(CheckpointFailureReason::JobRestored, r);
        self.restart_at = None;
        self.restore_from(
            Some(&checkpoint),
            parallelism,
            assignment.max_parallelism,
            RestoreReason::Manual,
            r,
        );
        Ok(())
    }

    // -------------------------------------------------------------------------------------------------------
    // Running

    /// Performs the next action; `false` when nothing will ever happen again (finished, failed, or idle with
    /// no events to read).
    pub fn step<R: Reporter>(&mut self, r: &mut R) -> bool {
        let (actor, time) = self.next_actor();
        if time == u64::MAX {
            return false;
        }
        self.now = self.now.max(time);
        self.counters.steps += 1;
        r.step_started(&self.counters);
        let s = self.sources.len();
        let p = self.tasks.len();
        if actor == 0 {
            self.control_step(r);
        } else if actor <= s {
            self.source_step(actor - 1, r);
        } else if actor <= s + p {
            self.task_step(actor - 1 - s, r);
        } else {
            self.async_step(actor - 1 - s - p, r);
        }
        if self.script_due {
            self.run_script(r);
        }
        true
    }

    /// Runs the next step like [`Self::step`], except that a record it processes stops right after line `stop`
    /// of `processElement` ran: the job as a debugger stopped there sees it — the key context set, `value()`
    /// read (with its incremental rehash step), `update()` written (and the heap grown), the record collected
    /// to the sink — and nothing after (the record is not counted as processed, the task not yet busy). Only to
    /// be looked at: a job stopped inside a record is not stepped further. With [`ProcessLine::Return`] it is
    /// [`Self::step`].
    pub fn step_into<R: Reporter>(&mut self, stop: ProcessLine, r: &mut R) -> bool {
        self.breakpoint = (stop != ProcessLine::Return).then_some(stop);
        let stepped = self.step(r);
        self.breakpoint = None;
        stepped
    }

    /// Whether the next step processes a record (in which subtask), rather than a barrier, a source or a
    /// checkpoint's work.
    pub fn next_step_processes_a_record(&self) -> Option<u32> {
        let (actor, time) = self.next_actor();
        let (s, p) = (self.sources.len(), self.tasks.len());
        if time == u64::MAX || actor <= s || actor > s + p {
            return None;
        }
        let i = actor - 1 - s;
        let head = (0..s)
            .filter_map(|j| self.channels[j * p + i].head())
            .min_by_key(|h| h.arrives_at)?;
        matches!(head.element, StreamElement::Record(_)).then_some(i as u32)
    }

    /// Steps until a limit is reached or nothing is left to do; returns the number of steps taken.
    pub fn run<R: Reporter>(&mut self, limit: RunLimit, r: &mut R) -> u64 {
        let target = self
            .counters
            .records_processed
            .saturating_add(limit.max_records);
        let mut steps = 0;
        let counts_records = limit.max_records != u64::MAX;
        while steps < limit.max_steps && self.counters.records_processed < target {
            let (_, time) = self.next_actor();
            if time == u64::MAX || time > limit.until_time {
                break;
            }
            if counts_records && !self.records_can_come() {
                break;
            }
            self.step(r);
            steps += 1;
        }
        steps
    }

    /// Whether a record may still be processed: a source emits (a rate above 0, or a key typed by hand is
    /// waiting), a record is on the wire, the job is between attempts, or a scripted command that does not wait
    /// for records may still change that. A run counting records stops when none can come: a job whose sources
    /// emit nothing (rate 0) but that checkpoints periodically would otherwise step forever.
    pub fn records_can_come(&self) -> bool {
        if self.rate > 0 || self.status != JobStatus::Running {
            return true;
        }
        self.sources
            .iter()
            .any(|s| !s.finished && s.split.next_is_injected())
            || self.channels.iter().any(|c| c.in_flight().next().is_some())
            || self
                .script
                .iter()
                .any(|e| !e.fired && !matches!(e.scheduled.at, CommandTrigger::AfterRecords { .. }))
    }

    /// Steps until one more record was processed (or nothing is left to do).
    pub fn step_record<R: Reporter>(&mut self, r: &mut R) -> u64 {
        self.run(RunLimit::records(1), r)
    }

    #[inline]
    fn next_actor(&self) -> (usize, u64) {
        let mut best = (0, self.next_at[0]);
        for (i, &t) in self.next_at.iter().enumerate().skip(1) {
            if t < best.1 {
                best = (i, t);
            }
        }
        best
    }

    /// When the next action happens (`u64::MAX`: never).
    pub fn next_action_time(&self) -> u64 {
        self.next_actor().1
    }

    /// Lets simulated time pass up to `time` without anything happening: the clock stops at the next
    /// pending action. Commands given afterwards (a key typed by hand, a checkpoint) happen at that time. A job
    /// that ended (finished or failed) keeps the time it ended at, so its final state does not depend on how
    /// long it was watched afterwards.
    pub fn advance_clock(&mut self, time: u64) {
        if matches!(self.status, JobStatus::Finished | JobStatus::Failed) {
            return;
        }
        let limit = self.next_action_time();
        if time > self.now {
            self.now = time.min(limit.max(self.now));
            self.refresh_control();
            for j in 0..self.sources.len() {
                self.refresh_source(j);
            }
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Scheduling bookkeeping

    fn refresh_all(&mut self) {
        self.next_at = vec![u64::MAX; 1 + self.sources.len() + 2 * self.tasks.len()];
        self.refresh_control();
        for j in 0..self.sources.len() {
            self.refresh_source(j);
        }
        for i in 0..self.tasks.len() {
            self.refresh_task(i);
            self.refresh_async(i);
        }
    }

    fn refresh_control(&mut self) {
        let mut t = self.restart_at.unwrap_or(u64::MAX);
        if self.status == JobStatus::Running {
            t = t.min(self.coordinator.next_deadline());
            for (trigger, fired) in &self.failures {
                if let (FailureTrigger::Time { ms }, false) = (trigger, fired) {
                    t = t.min((ms * 1_000_000).max(self.now));
                }
            }
        }
        if matches!(self.status, JobStatus::Running | JobStatus::Restarting) {
            for entry in &self.script {
                if let (CommandTrigger::AtTime { ms }, false) = (entry.scheduled.at, entry.fired) {
                    t = t.min(ms.saturating_mul(NS_PER_MS).max(self.now));
                }
            }
        }
        self.next_at[0] = t;
    }

    // -------------------------------------------------------------------------------------------------------
    // The script

    /// The smallest record count an unfired `AfterRecords` command waits for.
    fn update_script_next_records(&mut self) {
        self.script_next_records = self
            .script
            .iter()
            .filter(|e| !e.fired)
            .filter_map(|e| match e.scheduled.at {
                CommandTrigger::AfterRecords { records } => Some(records),
                _ => None,
            })
            .min()
            .unwrap_or(u64::MAX);
    }

    /// Marks the unfired commands whose trigger matches as due at the end of this step.
    fn mark_script_due(&mut self, matches: impl Fn(CommandTrigger) -> bool) {
        for entry in &mut self.script {
            if !entry.fired && matches(entry.scheduled.at) {
                entry.due = true;
                self.script_due = true;
            }
        }
    }

    #[cold]
    fn script_records_reached(&mut self) {
        let records = self.counters.records_processed;
        self.mark_script_due(|at| at == CommandTrigger::AfterRecords { records });
    }

    /// Applies the commands that became due in this step, in script order, each once.
    #[cold]
    fn run_script<R: Reporter>(&mut self, r: &mut R) {
        self.script_due = false;
        for index in 0..self.script.len() {
            let entry = &mut self.script[index];
            if !entry.due {
                continue;
            }
            entry.due = false;
            entry.fired = true;
            let command = entry.scheduled.command.clone();
            let outcome = self.apply(&command, r);
            r.scripted_command(self.now, &command, outcome.as_ref().map(drop));
        }
        self.update_script_next_records();
        self.refresh_control();
    }

    /// The time generated element `k` (since the schedule's epoch) of split `j` is due.
    #[inline]
    fn scheduled(&self, j: usize, k: u64) -> u64 {
        let s = u128::from(self.source_parallelism);
        let offset = (u128::from(k) * s + j as u128) * NS_PER_SECOND / u128::from(self.rate);
        self.sources[j]
            .epoch
            .saturating_add(offset.min(u128::from(u64::MAX)) as u64)
    }

    fn refresh_source(&mut self, j: usize) {
        let src = &self.sources[j];
        let mut t = u64::MAX;
        if self.status == JobStatus::Running {
            if let Some((_, at)) = src.trigger {
                t = at;
            }
            if !src.finished && src.blocked_on.is_none() {
                let emit = if src.split.next_is_injected() {
                    self.now
                } else if self.rate == 0 {
                    u64::MAX
                } else {
                    self.scheduled(j, src.emitted_since_epoch)
                };
                t = t.min(emit);
            }
        }
        self.next_at[1 + j] = t;
    }

    fn refresh_task(&mut self, i: usize) {
        let p = self.tasks.len();
        let mut earliest = u64::MAX;
        if self.status == JobStatus::Running {
            for j in 0..self.sources.len() {
                if let Some(head) = self.channels[j * p + i].head() {
                    earliest = earliest.min(head.arrives_at);
                }
            }
        }
        self.next_at[1 + self.sources.len() + i] = if earliest == u64::MAX {
            u64::MAX
        } else {
            earliest.max(self.tasks[i].busy_until)
        };
    }

    fn refresh_async(&mut self, i: usize) {
        let t = match (self.status, self.tasks[i].snapshot()) {
            (JobStatus::Running, Some(s)) => s.next_at,
            _ => u64::MAX,
        };
        self.next_at[1 + self.sources.len() + self.tasks.len() + i] = t;
    }

    // -------------------------------------------------------------------------------------------------------
    // Actors

    fn control_step<R: Reporter>(&mut self, r: &mut R) {
        let now = self.now;
        if !self.script.is_empty() {
            self.mark_script_due(
                |at| matches!(at, CommandTrigger::AtTime { ms } if ms.saturating_mul(NS_PER_MS) <= now),
            );
        }
        if self.restart_at.is_some_and(|t| t <= now) {
            self.restart_at = None;
            let latest = self.coordinator.store().latest().cloned();
            let (parallelism, max_parallelism) = (self.parallelism, self.max_parallelism);
            self.restore_from(
                latest.as_deref(),
                parallelism,
                max_parallelism,
                RestoreReason::Failover,
                r,
            );
            return;
        }
        if self.status != JobStatus::Running {
            self.refresh_control();
            return;
        }
        let due = self.failures.iter().position(|(t, fired)| {
            !fired && matches!(t, FailureTrigger::Time { ms } if ms * 1_000_000 <= now)
        });
        if let Some(index) = due {
            self.failures[index].1 = true;
            let description = format!("Injected failure at {} ms", now / 1_000_000);
            self.fail(None, FailureCause::Injected { description }, r);
            return;
        }
        if self.coordinator.is_expired(now) {
            let reason = CheckpointFailureReason::CheckpointExpired;
            if let Some(checkpoint_id) = self.abort_checkpoint(reason, r) {
                if self.checkpoint_failures.failed(checkpoint_id, reason) {
                    self.fail(None, FailureCause::CheckpointFailures { reason }, r);
                    return;
                }
            }
        } else if self.coordinator.periodic_due(now) {
            // Cannot fail: periodic_due is only true without a pending checkpoint.
            let _ = self.begin_checkpoint(false, r);
        }
        self.refresh_control();
    }

    fn begin_checkpoint<R: Reporter>(
        &mut self,
        manual: bool,
        r: &mut R,
    ) -> Result<u64, TriggerError> {
        let now = self.now;
        let id = self.coordinator.begin(
            now,
            self.parallelism,
            self.max_parallelism,
            self.source_parallelism,
            manual,
        )?;
        r.report(
            self.now,
            EngineEvent::CheckpointTriggered {
                checkpoint_id: id,
                manual,
            },
        );
        let jitter = self.config.checkpointing.trigger_jitter_us * NS_PER_US;
        for j in 0..self.sources.len() {
            let delay = random_below(
                self.config.seed,
                stream::TRIGGER_JITTER,
                id * 64 + j as u64,
                jitter + 1,
            );
            self.sources[j].trigger = Some((id, now + delay));
            self.refresh_source(j);
        }
        self.refresh_control();
        Ok(id)
    }

    fn network_arrival(&mut self) -> u64 {
        let jitter = self.config.network.latency_jitter_us * NS_PER_US;
        self.network_sequence += 1;
        let extra = if jitter == 0 {
            0
        } else {
            random_below(
                self.config.seed,
                stream::NETWORK_JITTER,
                self.network_sequence,
                jitter + 1,
            )
        };
        self.now + self.config.network.latency_us * NS_PER_US + extra
    }

    fn source_step<R: Reporter>(&mut self, j: usize, r: &mut R) {
        let now = self.now;
        let p = self.tasks.len();
        if let Some((checkpoint_id, at)) = self.sources[j].trigger {
            if at <= now {
                // The source snapshots its reader position and puts the barrier behind everything it emitted.
                self.sources[j].trigger = None;
                let position = self.sources[j].split.position();
                self.coordinator
                    .acknowledge_source(checkpoint_id, j, position);
                let barrier = CheckpointBarrier {
                    checkpoint_id,
                    timestamp: now,
                    mode: self.coordinator.mode(),
                };
                for i in 0..p {
                    let arrives = self.network_arrival();
                    self.channels[j * p + i].push(arrives, StreamElement::Barrier(barrier));
                    self.refresh_task(i);
                }
                r.report(
                    self.now,
                    EngineEvent::BarrierInjected {
                        split: j as u32,
                        checkpoint_id,
                    },
                );
                self.complete_checkpoint_if_acknowledged(r);
                self.refresh_source(j);
                return;
            }
        }
        let Some((event, key)) = self.sources[j].split.peek(&self.generator, &mut self.keys) else {
            self.sources[j].finished = true;
            self.sources_finished += 1;
            r.report(self.now, EngineEvent::SourceFinished { split: j as u32 });
            self.refresh_source(j);
            self.check_finished(r);
            return;
        };
        let key_group = self.key_group_of(key);
        let subtask = self.key_group_owner[key_group as usize];
        let c = j * p + subtask as usize;
        if self.channels[c].records() >= self.config.network.channel_capacity {
            self.sources[j].blocked_on = Some(subtask);
            if R::PER_RECORD {
                r.report(
                    self.now,
                    EngineEvent::SourceBackpressured {
                        split: j as u32,
                        subtask,
                    },
                );
            }
            self.refresh_source(j);
            return;
        }
        let arrives = self.network_arrival();
        let record = StreamRecord {
            event,
            key,
            emitted_at: now,
        };
        let arrives = self.channels[c].push(arrives, StreamElement::Record(record));
        self.sources[j].split.advance(event);
        if let EventRef::Generated(_) = event {
            self.sources[j].emitted_since_epoch += 1;
        }
        self.counters.records_emitted += 1;
        if R::PER_RECORD {
            r.report(
                self.now,
                EngineEvent::RecordEmitted {
                    split: j as u32,
                    event,
                    key,
                    key_group,
                    subtask,
                    arrives_at: arrives,
                },
            );
        }
        self.refresh_source(j);
        self.refresh_task(subtask as usize);
    }

    fn task_step<R: Reporter>(&mut self, i: usize, r: &mut R) {
        let p = self.tasks.len();
        // The input with the earliest arrival (lowest split on a tie).
        let mut chosen = None;
        let mut best = u64::MAX;
        for j in 0..self.sources.len() {
            if let Some(head) = self.channels[j * p + i].head() {
                if head.arrives_at < best {
                    best = head.arrives_at;
                    chosen = Some(j);
                }
            }
        }
        let Some(j) = chosen else {
            self.refresh_task(i);
            return;
        };
        let c = j * p + i;
        let was_full = self.channels[c].records() >= self.config.network.channel_capacity;
        let element = self.channels[c].pop().expect("head exists").element;
        match element {
            StreamElement::Record(record) => self.process_record(i, record, r),
            StreamElement::Barrier(barrier) => self.process_barrier(i, j, &barrier, r),
        }
        if self.status != JobStatus::Running {
            return;
        }
        if was_full && self.sources[j].blocked_on == Some(i as u32) {
            self.sources[j].blocked_on = None;
            self.refresh_source(j);
        }
        if self.sources_finished as usize == self.sources.len() {
            self.check_finished(r);
        }
        if self.status == JobStatus::Running {
            self.refresh_task(i);
        }
    }

    fn process_record<R: Reporter>(&mut self, i: usize, record: StreamRecord, r: &mut R) {
        self.counters.process_element_calls += 1;
        if !self.failures.is_empty() {
            if let Some(cause) = self.failure_due(record.event) {
                self.fail(Some(i as u32), cause, r);
                return;
            }
        }
        let info = self.keys.info(record.key);
        if let Some(stop) = self.breakpoint {
            self.stop_inside_record(i, record, info, stop, r);
            return;
        }
        let result = self.tasks[i].process_element(record.key, info);
        let processed = match result {
            Ok(p) => p,
            Err(e) => {
                self.fail(
                    Some(i as u32),
                    FailureCause::StateBackend {
                        message: e.to_string(),
                    },
                    r,
                );
                return;
            }
        };
        if !self.heap_fits_or_fail(i as u32, r) {
            return;
        }
        let now = self.now;
        let task = &mut self.tasks[i];
        task.busy_until = now + self.config.network.processing_time_ns;
        task.count_processed();
        self.counters.records_processed += 1;
        if self.counters.records_processed == self.script_next_records {
            self.script_records_reached();
        }
        let duplicate = self.sink.write(SinkRecord {
            key: record.key,
            count: processed.count,
            subtask: i as u32,
            event: record.event,
            attempt: self.attempt,
            time: now,
            duplicate: false,
        });
        if R::PER_RECORD {
            r.report(
                self.now,
                EngineEvent::RecordProcessed {
                    subtask: i as u32,
                    event: record.event,
                    key: record.key,
                    key_group: processed.key_group as u32,
                    previous: processed.previous,
                    count: processed.count,
                    read: processed.read,
                    write: processed.write,
                    duplicate,
                },
            );
        }
        let (subtask, key_group) = (i as u32, processed.key_group as u32);
        if let Some(resize) = processed.write.resize {
            r.report(
                now,
                EngineEvent::StateMapResized {
                    subtask,
                    key_group,
                    from_capacity: resize.from_capacity,
                    to_capacity: resize.to_capacity,
                    completed: false,
                },
            );
        }
        let rehashed = [processed.read.rehash, processed.write.rehash]
            .into_iter()
            .flatten()
            .find(|step| step.completed);
        if let Some(step) = rehashed {
            // At its completion, the step ends at the old table's capacity; the new one is twice that.
            r.report(
                now,
                EngineEvent::StateMapResized {
                    subtask,
                    key_group,
                    from_capacity: step.to_bucket,
                    to_capacity: step.to_bucket.saturating_mul(2),
                    completed: true,
                },
            );
        }
    }

    /// [`Self::step_into`]'s half of [`Self::process_record`]: the lines up to `stop` and their effects.
    fn stop_inside_record<R: Reporter>(
        &mut self,
        i: usize,
        record: StreamRecord,
        info: KeyInfo,
        stop: ProcessLine,
        r: &mut R,
    ) {
        if let Err(e) = self.tasks[i].process_element_until(record.key, info, stop) {
            let message = e.to_string();
            self.fail(Some(i as u32), FailureCause::StateBackend { message }, r);
            return;
        }
        if stop.updated() && !self.heap_fits_or_fail(i as u32, r) {
            return;
        }
        if stop >= ProcessLine::Collect {
            let count = self.count_of(record.key).unwrap_or(0);
            self.sink.write(SinkRecord {
                key: record.key,
                count,
                subtask: i as u32,
                event: record.event,
                attempt: self.attempt,
                time: self.now,
                duplicate: false,
            });
        }
    }

    /// A failure trigger that fires for this `processElement` call.
    fn failure_due(&mut self, event: EventRef) -> Option<FailureCause> {
        let call = self.counters.process_element_calls;
        let index = self.failures.iter().position(|(t, fired)| {
            !fired
                && match t {
                    FailureTrigger::ProcessElementCall { call: c } => *c == call,
                    FailureTrigger::EventIndex { index } => event == EventRef::Generated(*index),
                    FailureTrigger::Time { .. } => false,
                }
        })?;
        self.failures[index].1 = true;
        let description = match event {
            EventRef::Generated(e) => {
                format!("Injected failure at processElement call #{call} (event index {e})")
            }
            EventRef::Injected(e) => {
                format!("Injected failure at processElement call #{call} (hand event {e})")
            }
        };
        Some(FailureCause::Injected { description })
    }

    fn process_barrier<R: Reporter>(
        &mut self,
        i: usize,
        j: usize,
        barrier: &CheckpointBarrier,
        r: &mut R,
    ) {
        let p = self.tasks.len();
        let now = self.now;
        let outcome = self.tasks[i]
            .barrier_handler_mut()
            .on_barrier(j, barrier, now);
        if R::PER_RECORD {
            r.report(
                self.now,
                EngineEvent::BarrierReceived {
                    subtask: i as u32,
                    split: j as u32,
                    checkpoint_id: barrier.checkpoint_id,
                    outcome: outcome.into(),
                },
            );
        }
        match outcome {
            BarrierOutcome::Ignored => {}
            BarrierOutcome::Waiting { block, .. } => {
                if block {
                    self.channels[j * p + i].set_blocked(true);
                }
            }
            BarrierOutcome::Complete {
                checkpoint_id,
                alignment_ns,
            } => {
                for jj in 0..self.sources.len() {
                    self.channels[jj * p + i].set_blocked(false);
                }
                let still_pending = self
                    .coordinator
                    .pending()
                    .is_some_and(|pc| pc.checkpoint_id == checkpoint_id);
                if !still_pending {
                    return;
                }
                match self.tasks[i].start_snapshot(checkpoint_id, alignment_ns, now) {
                    Ok((phase, duration_ns)) => {
                        r.report(
                            self.now,
                            EngineEvent::SnapshotSyncPhase {
                                subtask: i as u32,
                                checkpoint_id,
                                maps: phase.maps,
                                slots_copied: phase.slots_copied,
                                alignment_ns,
                                duration_ns,
                            },
                        );
                        if !self.heap_fits_or_fail(i as u32, r) {
                            return;
                        }
                        self.refresh_async(i);
                    }
                    Err(e) => self.fail(
                        Some(i as u32),
                        FailureCause::StateBackend {
                            message: e.to_string(),
                        },
                        r,
                    ),
                }
            }
        }
    }

    fn async_step<R: Reporter>(&mut self, i: usize, r: &mut R) {
        let now = self.now;
        let bytes_per_second = u128::from(self.config.checkpointing.write_bytes_per_second);
        let write_ns = |bytes: u64| (u128::from(bytes) * NS_PER_SECOND / bytes_per_second) as u64;
        let step = self.tasks[i].async_step(&self.keys, now, write_ns);
        match step {
            Ok(AsyncStep::Idle) => {}
            Ok(AsyncStep::Wrote(w)) => {
                if R::PER_RECORD {
                    let checkpoint_id = self.tasks[i]
                        .snapshot()
                        .map_or(0, |s| s.writer.checkpoint_id());
                    r.report(
                        self.now,
                        EngineEvent::SnapshotKeyGroupWritten {
                            subtask: i as u32,
                            checkpoint_id,
                            key_group: w.key_group as u32,
                            entries: w.entries,
                            bytes: w.bytes,
                            done: w.done,
                            total: w.total,
                        },
                    );
                }
            }
            Ok(AsyncStep::Acknowledged {
                checkpoint_id,
                stats,
                key_groups,
            }) => {
                r.report(
                    self.now,
                    EngineEvent::SnapshotAcknowledged {
                        subtask: i as u32,
                        checkpoint_id,
                        state_size: stats.state_size,
                        async_ns: stats.async_ns,
                    },
                );
                self.coordinator
                    .acknowledge_task(checkpoint_id, stats, key_groups);
                self.complete_checkpoint_if_acknowledged(r);
            }
            Err(e) => {
                self.fail(
                    Some(i as u32),
                    FailureCause::StateBackend {
                        message: e.to_string(),
                    },
                    r,
                );
                return;
            }
        }
        self.refresh_async(i);
    }

    fn complete_checkpoint_if_acknowledged<R: Reporter>(&mut self, r: &mut R) {
        if let Some(done) = self.coordinator.try_complete(self.now) {
            self.counters.checkpoints_completed += 1;
            self.checkpoint_failures.succeeded(done.checkpoint_id);
            if !self.script.is_empty() {
                let checkpoint_id = done.checkpoint_id;
                self.mark_script_due(|at| at == CommandTrigger::AfterCheckpoint { checkpoint_id });
            }
            r.report(
                self.now,
                EngineEvent::CheckpointCompleted {
                    checkpoint_id: done.checkpoint_id,
                    state_size: done.state_size,
                    duration_ns: done.duration_ns,
                    subsumed: done.subsumed,
                },
            );
            self.refresh_control();
        }
    }

    /// Aborts the checkpoint in flight, if any; returns its id.
    fn abort_checkpoint<R: Reporter>(
        &mut self,
        reason: CheckpointFailureReason,
        r: &mut R,
    ) -> Option<u64> {
        let aborted = self.coordinator.abort(self.now, reason);
        if let Some(checkpoint_id) = aborted {
            self.counters.checkpoints_failed += 1;
            r.report(
                self.now,
                EngineEvent::CheckpointAborted {
                    checkpoint_id,
                    reason,
                },
            );
            let p = self.tasks.len();
            for i in 0..p {
                // Releasing snapshots only frees memory; it cannot fail for snapshots this task took.
                let _ = self.tasks[i].abort_snapshot();
                for j in 0..self.sources.len() {
                    self.channels[j * p + i].set_blocked(false);
                }
                self.refresh_task(i);
                self.refresh_async(i);
            }
            for j in 0..self.sources.len() {
                self.sources[j].trigger = None;
                self.refresh_source(j);
            }
        }
        aborted
    }

    fn check_finished<R: Reporter>(&mut self, r: &mut R) {
        if self.status != JobStatus::Running
            || (self.sources_finished as usize) < self.sources.len()
        {
            return;
        }
        if self.channels.iter().any(|c| !c.is_empty()) {
            return;
        }
        self.abort_checkpoint(CheckpointFailureReason::JobFinished, r);
        self.coordinator.stop_scheduler();
        self.status = JobStatus::Finished;
        r.report(self.now, EngineEvent::JobFinished);
        self.refresh_all();
    }

    // -------------------------------------------------------------------------------------------------------
    // Failures and restores

    /// Checks the heap of the TaskManager `subtask` runs in after the subtask allocated; when it no longer fits,
    /// the task fails with `OutOfMemoryError` (other TaskManagers' room does not help). Returns whether it fit.
    fn heap_fits_or_fail<R: Reporter>(&mut self, subtask: u32, r: &mut R) -> bool {
        let tm = self.slot_sharing.task_manager_of(subtask);
        let state_bytes = self.state_heap_bytes_of(tm);
        if self.task_managers[tm as usize].fits(state_bytes) {
            return true;
        }
        let usage = self.task_managers[tm as usize].usage(state_bytes);
        self.fail(
            Some(subtask),
            FailureCause::OutOfMemory {
                used: usage.used,
                limit: usage.limit,
                task_manager: tm,
            },
            r,
        );
        false
    }

    /// After every subtask restored its state: each TaskManager's heap, in order; the first that does not fit
    /// fails the task of its first keyed subtask.
    fn heaps_fit_or_fail<R: Reporter>(&mut self, r: &mut R) {
        for tm in 0..self.slot_sharing.task_managers {
            let subtasks = self.slot_sharing.keyed_subtasks_of(tm);
            if !subtasks.is_empty() && !self.heap_fits_or_fail(subtasks.start, r) {
                return;
            }
        }
    }

    /// A task failed: cancel everything (the keyed exchange connects all subtasks, so the whole job is one
    /// failover region) and ask the restart strategy.
    fn fail<R: Reporter>(&mut self, subtask: Option<u32>, cause: FailureCause, r: &mut R) {
        r.report(
            self.now,
            EngineEvent::TaskFailed {
                subtask,
                cause: cause.clone(),
                attempt: self.attempt,
            },
        );
        self.last_failure = Some(cause.clone());
        if self.exceptions.len() == EXCEPTION_HISTORY {
            self.exceptions.pop_front();
        }
        self.exceptions.push_back(JobException {
            time: self.now,
            attempt: self.attempt,
            subtask,
            cause: cause.clone(),
        });
        self.cancel_execution(CheckpointFailureReason::TaskFailure, r);
        let now = self.now;
        self.restart.notify_failure(now);
        if self.restart.can_restart(now) {
            let delay = self.restart.backoff_time(now);
            self.restart_at = Some(now + delay);
            self.status = JobStatus::Restarting;
            r.report(
                self.now,
                EngineEvent::RestartScheduled {
                    attempt: self.attempt + 1,
                    delay_ns: delay,
                },
            );
        } else {
            self.status = JobStatus::Failed;
            r.report(self.now, EngineEvent::JobFailed { cause });
        }
        self.refresh_all();
    }

    /// Stops the running execution: aborts the pending checkpoint, drops the tasks' state (the heap it held
    /// becomes garbage) and everything in flight.
    fn cancel_execution<R: Reporter>(&mut self, reason: CheckpointFailureReason, r: &mut R) {
        self.abort_checkpoint(reason, r);
        self.coordinator.stop_scheduler();
        let (parallelism, max_parallelism) = (self.parallelism, self.max_parallelism);
        self.deploy(parallelism, max_parallelism);
        for s in &mut self.sources {
            s.trigger = None;
            s.blocked_on = None;
        }
        self.status = JobStatus::Restarting;
    }

    /// Creates fresh, empty tasks and channels for a layout, in slots of as many TaskManagers as it needs. The
    /// TaskManagers already running keep running (with their heap's peak); those no longer needed go.
    fn deploy(&mut self, parallelism: u32, max_parallelism: u32) {
        self.parallelism = parallelism;
        self.max_parallelism = max_parallelism;
        self.slot_sharing = self.config.slot_sharing_group_at(parallelism);
        let needed = self.slot_sharing.task_managers as usize;
        self.task_managers.truncate(needed);
        let other = self.config.other_heap_used.bytes();
        for index in self.task_managers.len()..needed {
            let tm = TaskManager::new(index as u32, self.memory.clone(), other);
            self.task_managers.push(tm);
        }
        let ranges =
            create_key_group_partitions(i64::from(max_parallelism), i64::from(parallelism))
                .expect("validated parallelism and max parallelism");
        let key_type = self.config.source.key_format.key_type;
        let inputs = self.sources.len();
        self.tasks = ranges
            .iter()
            .enumerate()
            .map(|(i, range)| StreamTask::new(i as u32, *range, max_parallelism, key_type, inputs))
            .collect();
        self.channels = vec![InputChannel::default(); inputs * parallelism as usize];
        self.key_group_owner = (0..max_parallelism as i32)
            .map(|kg| {
                compute_operator_index_for_key_group(max_parallelism as i32, parallelism as i32, kg)
                    as u32
            })
            .collect();
        self.next_at = vec![u64::MAX; 1 + inputs + 2 * parallelism as usize];
    }

    /// Starts a new execution from `checkpoint` (or from scratch): new tasks at `parallelism`, each restoring
    /// its key groups, sources rewound to the checkpointed positions.
    fn restore_from<R: Reporter>(
        &mut self,
        checkpoint: Option<&CompletedCheckpoint>,
        parallelism: u32,
        max_parallelism: u32,
        reason: RestoreReason,
        r: &mut R,
    ) {
        let now = self.now;
        self.deploy(parallelism, max_parallelism);
        self.restored_from = checkpoint.map(|c| c.checkpoint_id);
        self.attempt += 1;
        self.counters.restarts += u32::from(reason == RestoreReason::Failover);
        self.status = JobStatus::Running;
        self.sink.mark_restored();
        let mut entries = 0;
        let mut failure = None;
        for task in &mut self.tasks {
            let range = task.backend().key_group_range();
            let groups = checkpoint.map(|c| {
                range
                    .iter()
                    .map(move |kg| (kg, c.key_groups[kg as usize].as_slice()))
            });
            let restored = match groups {
                Some(groups) => task.restore(groups, &self.keys),
                None => Ok((0, 0)),
            };
            match restored {
                Ok((n, duration)) => {
                    entries += n;
                    task.busy_until = now + duration;
                }
                Err(e) => {
                    failure = Some((
                        task.index(),
                        FailureCause::StateBackend {
                            message: e.to_string(),
                        },
                    ))
                }
            }
        }
        for (j, source) in self.sources.iter_mut().enumerate() {
            let position = checkpoint.map_or(SplitPosition::default(), |c| c.source_positions[j]);
            source.split.seek(position);
            source.epoch = now;
            source.emitted_since_epoch = 0;
            source.blocked_on = None;
            source.trigger = None;
            source.finished = false;
        }
        self.sources_finished = 0;
        r.report(
            self.now,
            EngineEvent::JobRestored {
                checkpoint_id: checkpoint.map(|c| c.checkpoint_id),
                reason,
                attempt: self.attempt,
                parallelism,
                max_parallelism,
                entries,
            },
        );
        self.coordinator.start_scheduler(now);
        self.refresh_all();
        if let Some((subtask, cause)) = failure {
            self.fail(Some(subtask), cause, r);
            return;
        }
        self.heaps_fit_or_fail(r);
    }
}
