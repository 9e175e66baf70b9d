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
//! — and reports what happened through a [`Reporter`](super::engine_event::Reporter). Ties are broken by a fixed actor order, and every random
//! choice comes from the seed, so the same configuration always produces the same run, step for step.
//!
//! Users act on the job between steps with [`JobCommand`](crate::engine::cluster::job_command::JobCommand)s ([`MiniCluster::apply`]); the commands of the
//! configuration's `script` are applied by the cluster itself at the end of the step that makes them due, so a
//! scripted run is the same however its steps are chunked.
//!
//! This file holds the cluster's state, how it is built (from a configuration or a checkpoint blob) and what can
//! be read from it; its behaviour is one `impl` spread over the files beside it, along the seams of Flink's
//! actors: `scheduler` (which actor acts next), `job_master` (checkpoints, failures, restarts, deployment),
//! `task_executor` (sources, network, task threads, asynchronous snapshots, heaps), `script` (the configuration's
//! scheduled commands) and `cluster_client` (the user's commands).

use crate::engine::checkpoint::checkpoint_blob::{self, BlobReader};
use crate::engine::checkpoint::checkpoint_coordinator::CheckpointCoordinator;
use crate::engine::checkpoint::checkpoint_failure_manager::CheckpointFailureManager;
use crate::engine::checkpoint::checkpoint_failure_reason::CheckpointFailureReason;
use crate::engine::checkpoint::checkpoints::{
    load_and_validate_savepoint, LoadedSavepoint, SavepointRestoreError,
};
use crate::engine::checkpoint::state_assignment_operation::{assign, RestoreError};
use crate::engine::cluster::engine_error::EngineError;
use crate::engine::cluster::engine_event::{FailureCause, Report, RestoreReason};
use crate::engine::cluster::job_command::ScheduledCommand;
use crate::engine::cluster::job_config::{parse_key, FailureTrigger, JobConfig};
use crate::engine::cluster::job_counters::JobCounters;
use crate::engine::cluster::job_exception::JobException;
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::cluster::restart_strategy::RestartBackoffTimeStrategy;
use crate::engine::cluster::slot_sharing_group::SlotSharingGroup;
use crate::engine::cluster::task_manager::TaskManager;
use crate::engine::functions::event_counter_process_function::ProcessLine;
use crate::engine::functions::list_sink::ListSink;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range_assignment::key_group_of_murmur_hash;
use crate::engine::keys::key_registry::{KeyError, KeyId, KeyRegistry};
use crate::engine::memory::jvm_heap::HeapUsage;
use crate::engine::memory::task_executor_memory::TaskExecutorProcessSpec;
use crate::engine::savepoint::savepoint_reader::Savepoint;
use crate::engine::shared::deque::Deque;
use crate::engine::source::data_generator_source::{EventGenerator, SourceSplit};
use crate::engine::source::key_distribution::KeySampler;
use crate::engine::source::source_reader::SourceReader;
use crate::engine::state::heap::copy_on_write_state_map::{CopyOnWriteStateMap, StateMapHeap};
use crate::engine::state::heap::state_map::StateMap;
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::tasks::input_channel::InputChannel;
use crate::engine::tasks::stream_task::StreamTask;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use std::rc::Rc;

pub(super) const NS_PER_US: u64 = 1_000;
pub(super) const NS_PER_MS: u64 = 1_000_000;
pub(super) const NS_PER_SECOND: u128 = 1_000_000_000;
/// How many failures the exception history keeps (`web.exception-history-size`: 16; StateLab keeps more).
pub(super) const EXCEPTION_HISTORY: usize = 100;

/// A command of the configuration's script and how far it got.
#[derive(Clone, Debug)]
pub(super) struct ScriptEntry {
    pub(super) scheduled: ScheduledCommand,
    /// Its trigger fired in the current step; it runs at the end of the step.
    pub(super) due: bool,
    pub(super) fired: bool,
}

#[derive(Clone, Debug)]
pub struct MiniCluster {
    pub(super) config: JobConfig,
    pub(super) keys: KeyRegistry,
    pub(super) generator: EventGenerator,
    pub(super) now: u64,
    pub(super) status: JobStatus,
    pub(super) attempt: u32,
    pub(super) parallelism: u32,
    pub(super) max_parallelism: u32,
    pub(super) source_parallelism: u32,
    pub(super) rate: u64,
    pub(super) sources: Vec<SourceReader>,
    /// `channels[split * parallelism + subtask]`.
    pub(super) channels: Vec<InputChannel>,
    pub(super) tasks: Vec<StreamTask>,
    /// Which subtask owns each key group.
    pub(super) key_group_owner: Vec<SubtaskIndex>,
    pub(super) coordinator: CheckpointCoordinator,
    /// Fails the job when too many checkpoints failed in a row.
    pub(super) checkpoint_failures: CheckpointFailureManager,
    pub(super) restart: RestartBackoffTimeStrategy,
    pub(super) restart_at: Option<u64>,
    pub(super) sink: ListSink,
    /// Every TaskManager's memory layout (they are started alike).
    pub(super) memory: TaskExecutorProcessSpec,
    /// The job's slots on its TaskManagers, at the running parallelism.
    pub(super) slot_sharing: SlotSharingGroup,
    /// `slot_sharing.task_managers` of them, each with its own heap.
    pub(super) task_managers: Vec<TaskManager>,
    /// The checkpoint the running execution restored its state from (`None`: it started empty).
    pub(super) restored_from: Option<u64>,
    /// Set only during [`Self::step_into`]: the line of `processElement` a record stops after.
    pub(super) breakpoint: Option<ProcessLine>,
    pub(super) failures: Vec<(FailureTrigger, bool)>,
    pub(super) last_failure: Option<FailureCause>,
    pub(super) exceptions: Deque<JobException>,
    pub(super) script: Vec<ScriptEntry>,
    /// The record count at which an `AfterRecords` command is due next (`u64::MAX`: none).
    pub(super) script_next_records: u64,
    /// Some scripted command is due at the end of the current step.
    pub(super) script_due: bool,
    pub(super) counters: JobCounters,
    pub(super) injected_sequence: u64,
    pub(super) network_sequence: u64,
    pub(super) sources_finished: u32,
    /// Next action time per actor: `[control, sources…, tasks…, async snapshots…]`.
    pub(super) next_at: Vec<u64>,
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
            sink: if config.function.counts_per_key() {
                ListSink::new(config.sink_log_limit)
            } else {
                ListSink::by_event(config.sink_log_limit)
            },
            memory,
            slot_sharing,
            task_managers: Vec::new(),
            restored_from: None,
            breakpoint: None,
            failures: config.failures.iter().map(|&f| (f, false)).collect(),
            last_failure: None,
            exceptions: Deque::default(),
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
    pub fn from_blob(
        bytes: &[u8],
        parallelism: Option<u32>,
        r: &mut dyn Report,
    ) -> Result<Self, EngineError> {
        Self::from_reader(BlobReader::open(bytes)?, parallelism, r)
    }

    /// [`Self::from_blob`] for a blob of format version 2 or later ([`BlobReader::open_binary`]: the page's,
    /// which leaves version 1 to the checkpoint library's worker).
    pub fn from_binary_blob(
        bytes: &[u8],
        parallelism: Option<u32>,
        r: &mut dyn Report,
    ) -> Result<Self, EngineError> {
        Self::from_reader(BlobReader::open_binary(bytes)?, parallelism, r)
    }

    fn from_reader(
        reader: BlobReader<'_>,
        parallelism: Option<u32>,
        r: &mut dyn Report,
    ) -> Result<Self, EngineError> {
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

    /// `flink run -s SAVEPOINT`: the job `config` started from the counter's state in a real Flink snapshot
    /// (operator `uid`'s `"event-counter"`, see [`load_and_validate_savepoint`]), at `parallelism` or the
    /// operator's, with the snapshot's maximum parallelism. The source starts from its beginning; the keys keep
    /// their counts.
    pub fn from_savepoint(
        savepoint: &Savepoint,
        uid: &str,
        mut config: JobConfig,
        parallelism: Option<u32>,
        r: &mut dyn Report,
    ) -> Result<(Self, LoadedSavepoint), EngineError> {
        if !config.function.is_counter() {
            return Err(SavepointRestoreError::NotTheCounterJob {
                function: config.function.id(),
            }
            .into());
        }
        let mut scratch = KeyRegistry::new(config.source.key_format.clone());
        let mut loaded = load_and_validate_savepoint(
            savepoint,
            uid,
            config.source.key_format.key_type,
            config.checkpointing.mode,
            config.source.parallelism,
            &mut scratch,
        )?;
        let max_parallelism = loaded.checkpoint.max_parallelism;
        // A maximum parallelism set for the job must be the snapshot's; one left unset is taken from it.
        if let Some(configured) = config.max_parallelism.filter(|&m| m != max_parallelism) {
            return Err(RestoreError::MaxParallelismChanged {
                checkpoint: max_parallelism,
                configured,
            }
            .into());
        }
        let parallelism = parallelism.unwrap_or(loaded.parallelism);
        config.parallelism = parallelism;
        config.max_parallelism = Some(max_parallelism);
        let mut cluster = MiniCluster::new(config)?;
        for group in &mut loaded.checkpoint.key_groups {
            for (id, _) in group.iter_mut() {
                *id = cluster.keys.intern(&scratch.java_key(*id))?;
            }
        }
        assign(&loaded.checkpoint, parallelism, Some(max_parallelism))?;
        cluster.coordinator.add_external(loaded.checkpoint.clone());
        cluster.cancel_execution(CheckpointFailureReason::JobStarted, r);
        let checkpoint = cluster.coordinator.store().latest().cloned();
        cluster.restore_from(
            checkpoint.as_deref(),
            parallelism,
            cluster.max_parallelism,
            RestoreReason::External,
            r,
        );
        Ok((cluster, loaded))
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
    pub fn channel(&self, split: u32, subtask: SubtaskIndex) -> &InputChannel {
        &self.channels[split as usize * self.tasks.len() + subtask.index()]
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
        self.tasks[self.slot_sharing.keyed_subtasks_of(task_manager)]
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
        let mut total = StateMapHeap::default();
        for task in &self.tasks[self.slot_sharing.keyed_subtasks_of(task_manager)] {
            total.add(&task.backend().heap_breakdown());
        }
        total
    }

    /// The subtask owning a key group.
    pub fn owner_of_key_group(&self, key_group: KeyGroup) -> SubtaskIndex {
        self.key_group_owner[key_group.index()]
    }

    /// The live count of every key in state (what `value()` would return), sorted by key id — of the job
    /// function's state when it is a `Long` per key (the counter's, a running sum's; none otherwise).
    pub fn counts(&self) -> Vec<(KeyId, i64)> {
        let mut all = Vec::new();
        self.for_each_count(|key, count| all.push((key, count)));
        all.sort_unstable();
        all
    }

    /// The counts of [`MiniCluster::counts`] in no particular order (subtask by subtask, key group by key group):
    /// for a reader that needs no order (a savepoint's writer), without sorting a million keys.
    pub fn for_each_count(&self, mut f: impl FnMut(KeyId, i64)) {
        for table in self
            .tasks
            .iter()
            .filter_map(|t| t.backend().state_tables().first())
        {
            for m in table.maps() {
                for e in m.iter() {
                    f(e.key, e.state);
                }
            }
        }
    }

    /// The state object of every key (the job function's list, map, accumulator or `TtlValue`), sorted by key
    /// id; none when its state is a `Long` per key.
    pub fn state_objects(&self) -> Vec<(KeyId, StateValueObject)> {
        let mut all = Vec::new();
        self.for_each_object(|key, object| all.push((key, object.clone())));
        all.sort_unstable_by_key(|(k, _)| *k);
        all
    }

    /// The objects of [`MiniCluster::state_objects`] in no particular order, without copying or sorting them.
    pub fn for_each_object(&self, mut f: impl FnMut(KeyId, &StateValueObject)) {
        for table in self
            .tasks
            .iter()
            .filter_map(|t| t.backend().object_tables().first())
        {
            for m in table.maps() {
                for e in m.iter() {
                    if let Some(object) = m.objects().get(e.state) {
                        f(e.key, object);
                    }
                }
            }
        }
    }

    /// The `CopyOnWriteStateMap` of `"event-counter"` for a key group, in the subtask that owns it.
    pub fn key_group_map(&self, key_group: KeyGroup) -> Option<&CopyOnWriteStateMap<i64>> {
        let owner = *self.key_group_owner.get(key_group.index())?;
        self.tasks[owner.index()]
            .backend()
            .state_tables()
            .first()?
            .map_for_key_group(key_group)
            .ok()
    }

    /// The map of the job function's state for a key group, in the subtask that owns it, whatever the state's
    /// primitive.
    pub fn key_group_state_map(&self, key_group: KeyGroup) -> Option<&dyn StateMap> {
        let owner = *self.key_group_owner.get(key_group.index())?;
        self.tasks[owner.index()]
            .backend()
            .first_state_map(key_group)
    }

    /// The key group of a key (`murmurHash(hashCode) % maxParallelism`).
    #[inline]
    pub fn key_group_of(&self, key: KeyId) -> KeyGroup {
        key_group_of_murmur_hash(self.keys.info(key).murmur_hash, self.max_parallelism as i32)
    }

    /// The key typed as `text` (parsed as the job's key type), if the job has seen it.
    pub fn find_key(&self, text: &str) -> Option<KeyId> {
        parse_key(text, self.config.source.key_format.key_type).and_then(|k| self.keys.find(&k))
    }

    /// The current count of one key, without touching the maps.
    pub fn count_of(&self, key: KeyId) -> Option<i64> {
        let info = self.keys.info(key);
        let key_group = self.key_group_of(key);
        let task = &self.tasks[self.owner_of_key_group(key_group).index()];
        let map = task
            .backend()
            .state_tables()
            .first()?
            .map_for_key_group(key_group)
            .ok()?;
        map.peek(key, info.hash_code).map(|e| e.state)
    }

    // -------------------------------------------------------------------------------------------------------
    // Commands
}
