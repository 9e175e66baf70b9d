//! One parallel subtask of the keyed operator — Flink's `OneInputStreamTask` running the chain
//! `KeyedProcessOperator(EventCounterProcessFunction) → sink writer`. It owns its `HeapKeyedStateBackend`
//! (created for its `KeyGroupRange`, or restored into it), handles barriers from its input channels, takes the
//! synchronous part of a snapshot on its own thread and drives the asynchronous part beside it.
//!
//! The channels themselves belong to the [`crate::engine::cluster::mini_cluster::MiniCluster`], which moves elements between
//! subtasks; this type is what happens inside one.

use crate::engine::checkpoint::checkpoint_barrier_handler::CheckpointBarrierHandler;
use crate::engine::checkpoint::completed_checkpoint::SubtaskCheckpointStats;
use crate::engine::functions::event_counter_process_function::{
    EventCounterProcessFunction, ProcessLine, ProcessedElement,
};
use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::keys::key_registry::{KeyId, KeyInfo, KeyRegistry};
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::heap_snapshot_strategy::{
    AsyncSnapshotWriter, KeyGroupWritten, SyncPhase, WrittenKeyGroup,
};
use crate::engine::state::heap::state_table::StateTable;
use crate::engine::state::state_error::StateError;
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
    function: EventCounterProcessFunction,
    barrier_handler: CheckpointBarrierHandler,
    /// The task thread is busy (processing a record, the synchronous phase, restoring) until then.
    pub busy_until: u64,
    snapshot: Option<RunningSnapshot>,
    records_processed: u64,
}

impl StreamTask {
    /// Creates the subtask and opens its function (registering `"event-counter"` and the timer queues).
    pub fn new(
        index: SubtaskIndex,
        range: KeyGroupRange,
        max_parallelism: u32,
        key_type: JavaKeyType,
        input_channels: usize,
    ) -> Self {
        let mut backend = HeapKeyedStateBackend::new(range, max_parallelism as i32, key_type);
        let function = EventCounterProcessFunction::open(&mut backend);
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

    /// The table of the function's `"event-counter"` state.
    pub fn counter_table(&self) -> &StateTable<i64> {
        self.backend.table_of(self.function.counter())
    }

    pub fn function(&self) -> &EventCounterProcessFunction {
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

    /// Runs the function on one record (`setKeyContextElement` + `processElement`).
    #[inline]
    pub fn process_element(
        &mut self,
        key: KeyId,
        info: KeyInfo,
    ) -> Result<ProcessedElement, StateError> {
        self.function.process_element(&mut self.backend, key, info)
    }

    /// Runs the function on one record, stopping after `stop` (see
    /// [`EventCounterProcessFunction::process_element_until`]).
    pub fn process_element_until(
        &mut self,
        key: KeyId,
        info: KeyInfo,
        stop: ProcessLine,
    ) -> Result<(), StateError> {
        self.function
            .process_element_until(&mut self.backend, key, info, stop)
    }

    pub(crate) fn count_processed(&mut self) {
        self.records_processed += 1;
    }

    /// Restores checkpointed entries into the backend: `StateTable.put(key, keyGroup, namespace, state)` for
    /// each, in the order the checkpoint wrote them. Returns the entries restored and the simulated time taken.
    pub fn restore<'a>(
        &mut self,
        key_groups: impl Iterator<Item = (KeyGroup, &'a [(KeyId, i64)])>,
        keys: &KeyRegistry,
    ) -> Result<(u64, u64), StateError> {
        let state = self.function.counter();
        let (mut entries, mut groups) = (0u64, 0u64);
        for (key_group, list) in key_groups {
            groups += 1;
            for &(key, value) in list {
                self.backend
                    .restore_entry(state, key, keys.info(key), key_group, value)?;
                entries += 1;
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

    /// Entries copied on write so far, over all key-group maps.
    fn entry_copies(&self) -> u64 {
        self.backend
            .state_tables()
            .iter()
            .flat_map(|t| t.maps())
            .map(|m| m.stats().entry_copies)
            .sum()
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
            let written = running
                .writer
                .write_next_key_group(&mut self.backend, keys)?;
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
