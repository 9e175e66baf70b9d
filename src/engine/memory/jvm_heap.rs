//! A TaskManager's JVM heap as the heap state backend experiences it: a limit (`-Xmx` = framework heap +
//! task heap, or the plain `-Xmx` of local execution), the heap other things already use, and the bytes of
//! keyed state of the subtasks in the TaskManager's slots, counted object by object. When an allocation would take
//! the used heap past the limit the task fails with `java.lang.OutOfMemoryError: Java heap space`. Every
//! TaskManager has one ([`crate::engine::cluster::task_manager::TaskManager`]).
//!
//! A real JVM collects garbage lazily and starts struggling (GC overhead) before it is completely full; the
//! model counts live bytes only, which is the floor of what the heap needs.

use crate::engine::memory::task_executor_memory::TaskExecutorProcessSpec;
use crate::engine::state::heap::copy_on_write_state_map::StateMapHeap;
use serde::{Deserialize, Serialize};

/// A snapshot of the heap, for reports and the UI.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeapUsage {
    /// The TaskManager whose heap this is.
    pub task_manager: u32,
    /// `-Xmx`.
    pub limit: u64,
    /// Everything but keyed state (configured assumption).
    pub other: u64,
    /// Keyed state of the subtasks in this TaskManager.
    pub state: u64,
    /// `other + state`.
    pub used: u64,
    /// The highest `used` seen so far.
    pub peak: u64,
}

#[derive(Clone, Copy, Debug)]
pub struct JvmHeap {
    spec: TaskExecutorProcessSpec,
    limit: u64,
    other: u64,
    peak: u64,
}

/// The message of the error a failing allocation throws.
pub const OUT_OF_MEMORY: &str = "java.lang.OutOfMemoryError: Java heap space";

impl JvmHeap {
    pub fn new(spec: TaskExecutorProcessSpec, other_used: u64) -> Self {
        let limit = spec.jvm_heap().bytes();
        JvmHeap {
            spec,
            limit,
            other: other_used,
            peak: other_used,
        }
    }

    pub fn spec(&self) -> &TaskExecutorProcessSpec {
        &self.spec
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The highest used heap seen so far.
    pub fn peak(&self) -> u64 {
        self.peak
    }

    /// Records the current state bytes; `false` when the heap is exhausted.
    #[inline]
    pub fn fits(&mut self, state_bytes: u64) -> bool {
        let used = self.other + state_bytes;
        if used > self.peak {
            self.peak = used;
        }
        used <= self.limit
    }

    pub fn usage(&self, state_bytes: u64) -> HeapUsage {
        HeapUsage {
            task_manager: 0,
            limit: self.limit,
            other: self.other,
            state: state_bytes,
            used: self.other + state_bytes,
            peak: self.peak.max(self.other + state_bytes),
        }
    }
}

/// Heap of keyed state broken down by kind of object, summed over subtasks.
pub fn total_breakdown<'a>(parts: impl Iterator<Item = StateMapHeap> + 'a) -> StateMapHeap {
    parts.fold(StateMapHeap::default(), |mut acc, h| {
        acc.add(&h);
        acc
    })
}
