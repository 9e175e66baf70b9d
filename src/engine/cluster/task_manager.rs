//! One TaskManager (Flink's `TaskExecutor`): a JVM process with its own heap, sized by the TaskManager memory
//! options, offering slots that subtasks run in. The keyed state of the subtasks in its slots lives on its heap,
//! and only there: an allocation that does not fit fails the task running in this TaskManager with
//! `OutOfMemoryError`, whatever room other TaskManagers have. Which subtasks run in it is the job's
//! [`SlotSharingGroup`](crate::engine::cluster::slot_sharing_group::SlotSharingGroup)'s business.
//!
//! Simplification: a TaskManager lives as long as the job needs it. Flink's ResourceManager releases an idle one
//! after `resourcemanager.taskmanager-timeout`; StateLab keeps its heap's peak across restarts (the JVM does not
//! restart when a task fails) and drops the TaskManagers a restore at a lower parallelism no longer needs.

use crate::engine::memory::jvm_heap::{HeapUsage, JvmHeap};
use crate::engine::memory::task_executor_memory::TaskExecutorProcessSpec;

#[derive(Clone, Copy, Debug)]
pub struct TaskManager {
    index: u32,
    heap: JvmHeap,
}

impl TaskManager {
    pub fn new(index: u32, spec: TaskExecutorProcessSpec, other_heap_used: u64) -> Self {
        TaskManager {
            index,
            heap: JvmHeap::new(spec, other_heap_used),
        }
    }

    /// Its number: TaskManager 0, 1, … in the order the job's slots fill them.
    pub fn index(&self) -> u32 {
        self.index
    }

    pub fn heap(&self) -> &JvmHeap {
        &self.heap
    }

    /// Records the heap its subtasks' state takes; `false` when that no longer fits.
    #[inline]
    pub fn fits(&mut self, state_bytes: u64) -> bool {
        self.heap.fits(state_bytes)
    }

    pub fn usage(&self, state_bytes: u64) -> HeapUsage {
        HeapUsage {
            task_manager: self.index,
            ..self.heap.usage(state_bytes)
        }
    }
}
