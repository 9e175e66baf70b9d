//! One parallel subtask of the keyed operator — Flink's `OneInputStreamTask` running the chain
//! `KeyedProcessOperator(the job's KeyedProcessFunction) → sink writer`. It owns its `HeapKeyedStateBackend`
//! (created for its `KeyGroupRange`, or restored into it), handles barriers from its input channels, takes the
//! synchronous part of a snapshot on its own thread and drives the asynchronous part beside it.
//!
//! The channels themselves belong to the [`crate::engine::cluster::mini_cluster::MiniCluster`], which moves elements between
//! subtasks; this type is what happens inside one.

use crate::engine::checkpoint::checkpoint_barrier_handler::CheckpointBarrierHandler;
use crate::engine::checkpoint::completed_checkpoint::SubtaskCheckpointStats;
use crate::engine::functions::event_counter_process_function::{ProcessLine, ProcessedElement};
use crate::engine::functions::job_function::JobFunction;
use crate::engine::functions::keyed_process_function::KeyedProcessFunction;
use crate::engine::functions::session_process_function::FiredTimer;
use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::keys::key_registry::{KeyId, KeyInfo, KeyRegistry};
use crate::engine::operators::internal_timer_service_impl::InternalTimerServiceImpl;
use crate::engine::state::heap::heap_keyed_state_backend::{
    HeapKeyedStateBackend, HeapValueState, USER_TIMERS,
};
use crate::engine::state::heap::heap_snapshot_strategy::{
    AsyncSnapshotWriter, KeyGroupWritten, SyncPhase, WrittenKeyGroup,
};
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::state::heap::state_table::StateTable;
use crate::engine::state::state_error::StateError;
use crate::engine::tasks::stream_element::EventRef;
use crate::engine::tasks::subtask_index::SubtaskIndex;

/// Simulated cost of the synchronous phase: a fixed part plus copying bucket references.
const SYNC_PHASE_BASE_NS: u64 = 20_000;
const SYNC_PHASE_NS_PER_SLOT: u64 = 2;
/// Simulated cost of restoring: reading and inserting each entry, plus a seek per key group.
const RESTORE_NS_PER_ENTRY: u64 = 150;
const RESTORE_NS_PER_KEY_GROUP: u64 = 5_000;

/// The asynchronous phase of a checkpoint in progress at this subtask.
#[derive(Clone, Debug)]
pub struct RunningSnapshot {
    pub writer: AsyncSnapshotWriter,
    /// When the next key group is written (or, once all are, when the subtask acknowledges).
    pub next_at: u64,
    pub started_at: u64,
    pub alignment_ns: u64,
    pub sync_ns: u64,
    copies_at_start: u64,
}

#[derive(Clone, Debug)]
pub struct StreamTask {
    index: SubtaskIndex,
    backend: HeapKeyedStateBackend,
    function: KeyedProcessFunction,
    barrier_handler: CheckpointBarrierHandler,
    /// The task thread is busy (processing a record, the synchronous phase, restoring) until then.
    pub busy_until: u64,
    snapshot: Option<RunningSnapshot>,
    records_processed: u64,
}

impl StreamTask {
    /// Creates the subtask and opens its function (registering its state and the timer queues).
    pub fn new(
        index: SubtaskIndex,
        range: KeyGroupRange,
        max_parallelism: u32,
        key_type: JavaKeyType,
        input_channels: usize,
        function: JobFunction,
    ) -> Self {
        let mut backend = HeapKeyedStateBackend::new(range, max_parallelism as i32, key_type);
        let function = KeyedProcessFunction::open(function, &mut backend);
        StreamTask {
            index,
            backend,
            function,
            barrier_handler: CheckpointBarrierHandler::new(input_channels),
            busy_until: 0,
            snapshot: None,
            records_processed: 0,
        }
    }

    /// `getEnvironment().getTaskInfo().getIndexOfThisSubtask()`.
    pub fn index(&self) -> SubtaskIndex {
        self.index
    }

    pub fn backend(&self) -> &HeapKeyedStateBackend {
        &self.backend
    }

    /// The table of the counter's `"event-counter"` state (`None` when the job runs another function).
    pub fn counter_table(&self) -> Option<&StateTable<i64>> {
        let counter = self.function.as_counter()?;
        Some(self.backend.table_of(counter.counter()))
    }

    pub fn function(&self) -> &KeyedProcessFunction {
        &self.function
    }

    pub fn barrier_handler(&self) -> &CheckpointBarrierHandler {
        &self.barrier_handler
    }

    pub fn barrier_handler_mut(&mut self) -> &mut CheckpointBarrierHandler {
        &mut self.barrier_handler
    }

    pub fn snapshot(&self) -> Option<&RunningSnapshot> {
        self.snapshot.as_ref()
    }

    pub fn records_processed(&self) -> u64 {
        self.records_processed
    }

    /// Runs the function on one record (`setKeyContextElement` + `processElement`), event `event` of a run
    /// seeded with `seed`, at processing time `now_ms`.
    #[inline]
    pub fn process_element(
        &mut self,
        key: KeyId,
        info: KeyInfo,
        seed: u64,
        event: EventRef,
        now_ms: i64,
    ) -> Result<ProcessedElement, StateError> {
        self.function
            .process_element(&mut self.backend, key, info, seed, event, now_ms)
    }

    /// Runs the function on one record, stopping after `stop` (see
    /// [`crate::engine::functions::event_counter_process_function::EventCounterProcessFunction::process_element_until`]).
    /// The other functions run the whole call once `stop` is past the line that changes their state
    /// ([`crate::engine::functions::job_function::JobFunction::changes_state_at`]).
    pub fn process_element_until(
        &mut self,
        key: KeyId,
        info: KeyInfo,
        stop: ProcessLine,
        seed: u64,
        event: EventRef,
        now_ms: i64,
    ) -> Result<(), StateError> {
        match self.function.as_counter() {
            Some(counter) => counter.process_element_until(&mut self.backend, key, info, stop),
            None => self
                .function
                .process_element_until(&mut self.backend, key, info, seed, event, now_ms, stop)
                .map(|_| ()),
        }
    }

    /// When the function's earliest timer is due (ms).
    pub fn next_timer(&self) -> Option<i64> {
        self.function.next_timer(&self.backend)
    }

    /// Fires the earliest timer due at `now_ms` (`onProcessingTime`'s turn: poll, `onTimer`).
    pub fn on_processing_time(&mut self, now_ms: i64) -> Result<Option<FiredTimer>, StateError> {
        self.function.on_processing_time(&mut self.backend, now_ms)
    }

    pub(crate) fn count_processed(&mut self) {
        self.records_processed += 1;
    }

    /// Restores checkpointed entries into the backend: `StateTable.put(key, keyGroup, namespace, state)` for
    /// each, in the order the checkpoint wrote them — into the function's `Long` state, or as new objects into
    /// its object state. Returns the entries restored and the simulated time taken.
    pub fn restore<'a>(
        &mut self,
        key_groups: impl Iterator<Item = RestoredKeyGroup<'a>>,
        keys: &KeyRegistry,
    ) -> Result<(u64, u64), StateError> {
        let (mut entries, mut groups) = (0u64, 0u64);
        let timer_service = InternalTimerServiceImpl::get(&mut self.backend, USER_TIMERS);
        for (key_group, longs, objects, timers) in key_groups {
            groups += 1;
            for &(key, value) in longs {
                self.backend.restore_entry(
                    HeapValueState::of_table(0),
                    key,
                    keys.info(key),
                    key_group,
                    value,
                )?;
                entries += 1;
            }
            for (key, object) in objects {
                self.backend.restore_object_entry(
                    0,
                    *key,
                    keys.info(*key),
                    key_group,
                    object.clone(),
                )?;
                entries += 1;
            }
            // `HeapPriorityQueueSnapshotRestoreWrapper`: each timer added back under its key.
            for &(key, timestamp) in timers {
                self.backend.set_current_key(key, keys.info(key));
                timer_service.register_processing_time_timer(&mut self.backend, timestamp)?;
            }
        }
        Ok((
            entries,
            entries * RESTORE_NS_PER_ENTRY + groups * RESTORE_NS_PER_KEY_GROUP,
        ))
    }

    /// Entries copied on write since the running snapshot's synchronous phase: what its asynchronous phase has
    /// cost so far (`None` without a running snapshot).
    pub fn snapshot_copies(&self) -> Option<u64> {
        let running = self.snapshot.as_ref()?;
        Some(self.entry_copies() - running.copies_at_start)
    }

    /// Entries copied on write so far, over all key-group maps of every state (`Long`s and objects).
    fn entry_copies(&self) -> u64 {
        let longs: u64 = self
            .backend
            .state_tables()
            .iter()
            .flat_map(|t| t.maps())
            .map(|m| m.stats().entry_copies)
            .sum();
        let objects: u64 = self
            .backend
            .object_tables()
            .iter()
            .flat_map(|t| t.maps())
            .map(|m| m.stats().entry_copies)
            .sum();
        longs + objects
    }

    /// The synchronous phase of checkpoint `checkpoint_id`, on the task thread at `now`.
    pub fn start_snapshot(
        &mut self,
        checkpoint_id: u64,
        alignment_ns: u64,
        now: u64,
    ) -> Result<(SyncPhase, u64), StateError> {
        if let Some(old) = self.snapshot.take() {
            old.writer.abort(&mut self.backend)?;
        }
        let copies_at_start = self.entry_copies();
        let (phase, writer) = AsyncSnapshotWriter::sync_phase(&mut self.backend, checkpoint_id)?;
        let sync_ns = SYNC_PHASE_BASE_NS + phase.slots_copied * SYNC_PHASE_NS_PER_SLOT;
        self.busy_until = now.max(self.busy_until) + sync_ns;
        self.snapshot = Some(RunningSnapshot {
            writer,
            next_at: self.busy_until,
            started_at: self.busy_until,
            alignment_ns,
            sync_ns,
            copies_at_start,
        });
        Ok((phase, sync_ns))
    }

    /// One step of the asynchronous phase at `now`: writes the next key group, or, when all are written,
    /// finishes and returns the acknowledgement. `write_ns` turns bytes into simulated write time.
    pub fn async_step(
        &mut self,
        keys: &KeyRegistry,
        now: u64,
        write_ns: impl Fn(u64) -> u64,
    ) -> Result<AsyncStep, StateError> {
        let Some(running) = self.snapshot.as_mut() else {
            return Ok(AsyncStep::Idle);
        };
        if !running.writer.is_done() {
            let written = running.writer.write_next_key_group(
                &mut self.backend,
                keys,
                (now / 1_000_000) as i64,
            )?;
            running.next_at = now + write_ns(written.bytes);
            return Ok(AsyncStep::Wrote(written));
        }
        let running = self.snapshot.take().expect("checked above");
        let stats = SubtaskCheckpointStats {
            subtask: u32::from(self.index),
            ack_time: now,
            alignment_ns: running.alignment_ns,
            sync_ns: running.sync_ns,
            async_ns: now - running.started_at,
            state_size: running.writer.bytes(),
            entries: running.writer.entries(),
            copy_on_write_copies: self.entry_copies() - running.copies_at_start,
        };
        let checkpoint_id = running.writer.checkpoint_id();
        Ok(AsyncStep::Acknowledged {
            checkpoint_id,
            stats,
            key_groups: running.writer.into_key_groups(),
        })
    }

    /// Cancels a running snapshot (checkpoint aborted), releasing its map snapshots.
    pub fn abort_snapshot(&mut self) -> Result<(), StateError> {
        self.barrier_handler.abort();
        match self.snapshot.take() {
            Some(s) => s.writer.abort(&mut self.backend),
            None => Ok(()),
        }
    }
}

/// A key group's checkpointed entries: its `Long` ones, its objects and its timers (key, timestamp).
pub type RestoredKeyGroup<'a> = (
    KeyGroup,
    &'a [(KeyId, i64)],
    &'a [(KeyId, StateValueObject)],
    &'a [(KeyId, i64)],
);

/// What an asynchronous step did.
#[derive(Clone, Debug)]
pub enum AsyncStep {
    Idle,
    Wrote(KeyGroupWritten),
    Acknowledged {
        checkpoint_id: u64,
        stats: SubtaskCheckpointStats,
        key_groups: Vec<WrittenKeyGroup>,
    },
}
