//! The heap a keyed operator's state needs, measured the way the ground truth was measured on real Flink
//! ("direct-HeapKeyedStateBackend" in `heap_per_key_sample.csv`): `N` distinct keys `user-%06d` written
//! straight into the `HeapKeyedStateBackend`s of the operator's subtasks, each with one read-modify-write as the
//! counter does on a key's first event (`value()` → `null`, `update(v)`), then the heap in use compared with the
//! same backends empty.
//!
//! Values are either `1` (a cached `Long`, no object per key) or a distinct large value per key (a 24-byte
//! `Long` each). Optionally the keys keep coming until the simulated TaskManager heap is exhausted, which is
//! where the real task would die with `OutOfMemoryError`.
//!
//! How a key is written matters beyond its objects: every map operation on a map that is mid incremental rehash
//! moves at least four entries, so the counter's `value()` + `update()` (two operations per new key) finishes a
//! rehash twice as fast as `update()` alone (what a restore's `StateTable.put` or a `ReducingState.add` does).
//! Measured on real Flink 2.3 (`flink_heap_curve.csv`), the two differ by up to 4 % of the heap at the key
//! counts where many maps are mid-rehash; [`KeyWrite`] picks one.

use crate::engine::functions::event_counter_process_function::EventCounterProcessFunction;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range_assignment::{
    compute_operator_index_for_key_group, create_key_group_partitions, key_group_of_murmur_hash,
    KeyGroupAssignmentError,
};
use crate::engine::keys::key_registry::{KeyFormat, KeyRegistry};
use crate::engine::state::heap::copy_on_write_state_map::StateMapHeap;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use serde::{Deserialize, Serialize};

/// The first write that does not fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutOfMemory {
    /// Distinct keys in state when the write failed, counting the key being written: one more than fit.
    pub keys: u64,
    /// The TaskManager whose heap ran out.
    pub task_manager: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ValueMode {
    /// Every key holds `1L`: the `Long.valueOf` cache, no object per key.
    Cached,
    /// Every key holds its own large value: one 24-byte `Long` per key.
    Distinct,
}

/// How each new key is written into the state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum KeyWrite {
    /// The counter's first event for the key: `value()` (null), then `update(v)`: two map operations.
    #[default]
    ValueThenUpdate,
    /// `update(v)` alone: one map operation.
    UpdateOnly,
}

impl KeyWrite {
    /// Map operations per new key, each of which advances a running incremental rehash by one step.
    pub const fn operations(self) -> u32 {
        match self {
            KeyWrite::ValueThenUpdate => 2,
            KeyWrite::UpdateOnly => 1,
        }
    }
}

#[derive(Clone, Debug)]
pub struct HeapFootprint {
    backends: Vec<(HeapKeyedStateBackend, EventCounterProcessFunction)>,
    keys: KeyRegistry,
    owner: Vec<SubtaskIndex>,
    max_parallelism: u32,
    value_mode: ValueMode,
    write: KeyWrite,
    inserted: u64,
    empty_bytes: u64,
}

impl HeapFootprint {
    /// The operator's backends, with `"event-counter"` registered and no entries; keys `user-%06d`.
    pub fn new(
        max_parallelism: u32,
        parallelism: u32,
        value_mode: ValueMode,
    ) -> Result<Self, KeyGroupAssignmentError> {
        Self::for_keys(
            max_parallelism,
            parallelism,
            value_mode,
            KeyFormat::padded_users(),
        )
    }

    /// The same for the keys `key_format` generates, in order.
    pub fn for_keys(
        max_parallelism: u32,
        parallelism: u32,
        value_mode: ValueMode,
        key_format: KeyFormat,
    ) -> Result<Self, KeyGroupAssignmentError> {
        let ranges =
            create_key_group_partitions(i64::from(max_parallelism), i64::from(parallelism))?;
        let backends: Vec<_> = ranges
            .into_iter()
            .map(|range| {
                let mut backend =
                    HeapKeyedStateBackend::new(range, max_parallelism as i32, key_format.key_type);
                let function = EventCounterProcessFunction::open(&mut backend);
                (backend, function)
            })
            .collect();
        let empty_bytes = backends.iter().map(|(b, _)| b.heap_used()).sum();
        let (m, p) = (max_parallelism as i32, parallelism as i32);
        let owner = KeyGroup::all(max_parallelism)
            .map(|kg| compute_operator_index_for_key_group(m, p, kg))
            .collect();
        Ok(HeapFootprint {
            backends,
            keys: KeyRegistry::new(key_format),
            owner,
            max_parallelism,
            value_mode,
            write: KeyWrite::default(),
            inserted: 0,
            empty_bytes,
        })
    }

    /// The same backends, with every key written as `write` says (before any key is inserted).
    pub fn writing(mut self, write: KeyWrite) -> Self {
        self.write = write;
        self
    }

    /// Writes the next key; returns the subtask whose backend took it.
    #[inline]
    pub fn insert_one(&mut self) -> usize {
        let index = self.inserted;
        let id = self.keys.generated(index);
        let info = self.keys.info(id);
        let key_group = key_group_of_murmur_hash(info.murmur_hash, self.max_parallelism as i32);
        let subtask = self.owner[key_group.index()].index();
        let (backend, function) = &mut self.backends[subtask];
        let value = match self.value_mode {
            ValueMode::Cached => 1,
            ValueMode::Distinct => 1_000_000_000 + index as i64,
        };
        backend.set_current_key(id, info);
        let state = function.counter();
        let read = match self.write {
            KeyWrite::ValueThenUpdate => state.value(backend).map(|_| ()),
            KeyWrite::UpdateOnly => Ok(()),
        };
        let written = read.and_then(|_| state.update(backend, Some(value)));
        debug_assert!(
            written.is_ok(),
            "keys are routed to the subtask that owns their key group"
        );
        self.inserted += 1;
        subtask
    }

    /// Writes `n` more keys.
    pub fn insert(&mut self, n: u64) {
        for _ in 0..n {
            self.insert_one();
        }
    }

    /// Keeps writing keys until the heap of one TaskManager exceeds `limit`: subtask `i` runs in TaskManager
    /// `i / subtasks_per_task_manager`, whose heap holds `other_bytes` plus the state of its subtasks. Returns the
    /// write that did not fit (keys in state then, counting the one being written), or `None` if `max_keys` came
    /// first.
    pub fn fill_until_out_of_memory(
        &mut self,
        limit: u64,
        other_bytes: u64,
        max_keys: u64,
        subtasks_per_task_manager: u32,
    ) -> Option<OutOfMemory> {
        let per_tm = subtasks_per_task_manager.max(1) as usize;
        while self.inserted < max_keys {
            let tm = self.insert_one() / per_tm;
            let state: u64 = self.backends[tm * per_tm..]
                .iter()
                .take(per_tm)
                .map(|(b, _)| b.heap_used())
                .sum();
            if other_bytes + state > limit {
                return Some(OutOfMemory {
                    keys: self.inserted,
                    task_manager: tm as u32,
                });
            }
        }
        None
    }

    pub fn keys_inserted(&self) -> u64 {
        self.inserted
    }

    /// Heap of all backends now.
    pub fn state_bytes(&self) -> u64 {
        self.backends.iter().map(|(b, _)| b.heap_used()).sum()
    }

    /// Heap of the same backends with no entries (eagerly created maps).
    pub fn empty_bytes(&self) -> u64 {
        self.empty_bytes
    }

    /// What the entries added, per key: the ground truth's `bytes_per_key`.
    pub fn bytes_per_key(&self) -> f64 {
        if self.inserted == 0 {
            0.0
        } else {
            (self.state_bytes() - self.empty_bytes) as f64 / self.inserted as f64
        }
    }

    pub fn breakdown(&self) -> StateMapHeap {
        let mut total = StateMapHeap::default();
        for (b, _) in &self.backends {
            total.add(&b.heap_breakdown());
        }
        total
    }

    /// Key-group maps in the middle of an incremental rehash.
    pub fn maps_rehashing(&self) -> usize {
        self.backends
            .iter()
            .flat_map(|(b, f)| b.table_of(f.counter()).maps())
            .filter(|m| m.is_rehashing())
            .count()
    }

    /// Slots of all primary tables and of all incremental-rehash tables (the latter only of maps mid-rehash).
    pub fn table_slots(&self) -> (u64, u64) {
        self.backends
            .iter()
            .flat_map(|(b, f)| b.table_of(f.counter()).maps())
            .fold((0, 0), |(primary, rehash), m| {
                (
                    primary + m.capacity() as u64,
                    rehash + m.rehash_capacity() as u64,
                )
            })
    }

    /// The number of key-group maps per capacity, ascending.
    pub fn capacities(&self) -> Vec<(usize, usize)> {
        let mut counts = std::collections::BTreeMap::new();
        for m in self
            .backends
            .iter()
            .flat_map(|(b, f)| b.table_of(f.counter()).maps())
        {
            *counts.entry(m.capacity()).or_insert(0) += 1;
        }
        counts.into_iter().collect()
    }
}
