//! Which slot of which TaskManager each subtask runs in: Flink's slot sharing (`SlotSharingGroup`, grouped into
//! `ExecutionSlotSharingGroup`s by `LocalInputPreferredSlotSharingStrategy` and given one slot each by
//! `SlotSharingExecutionSlotAllocator`), and the TaskManagers that offer the slots
//! (`taskmanager.numberOfTaskSlots`).
//!
//! Every operator of the job is in the slot sharing group `"default"`, so one slot holds one subtask of each
//! operator: Flink's strategy puts a source subtask into a new group each, then subtask i of the keyed operator
//! into the group of its producer if that group has no keyed subtask yet (only group 0: the hash exchange makes
//! source 0's partition every keyed subtask's first input), else into the first group without one — subtask i
//! of every operator lands in group i. The job therefore needs max(source parallelism, keyed parallelism) slots,
//! and the sink, chained to the keyed operator, adds none.
//!
//! In a cluster each TaskManager offers `taskmanager.numberOfTaskSlots` slots (default 1), so the job needs
//! ceil(slots / numberOfTaskSlots) TaskManagers: with one slot each, parallelism 2 means two TaskManager JVMs,
//! each with its own heap. Which TaskManager a group's slot comes from is not deterministic in Flink: the slot
//! pool takes whatever free slot the ResourceManager offers, and TaskManagers register in no fixed order. StateLab
//! fills them in order — slot i is slot `i % numberOfTaskSlots` of TaskManager `i / numberOfTaskSlots` — the
//! layout a cluster whose TaskManagers registered in order would give, and one that keeps neighbouring subtasks
//! together when TaskManagers have several slots.
//!
//! Local execution (`LocalStreamEnvironment`, the MiniCluster an IDE run starts) is different:
//! `PerJobMiniClusterFactory` starts `minicluster.number-of-taskmanagers` (1) TaskManager with as many slots as
//! the job's maximum parallelism, all of it in the one JVM the IDE launched, so every subtask shares one heap.

use crate::engine::memory::task_executor_memory::ExecutionMode;
use serde::Serialize;

/// The job's slots and the TaskManagers that hold them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SlotSharingGroup {
    pub mode: ExecutionMode,
    /// Slots the job needs: one per subtask index of its widest operator.
    pub slots: u32,
    /// Slots each TaskManager offers: `taskmanager.numberOfTaskSlots` in a cluster, `slots` locally.
    pub slots_per_task_manager: u32,
    pub task_managers: u32,
    /// Source subtasks (slots `0..source_parallelism` hold one each).
    pub source_parallelism: u32,
    /// Keyed subtasks (slots `0..parallelism` hold one each).
    pub parallelism: u32,
}

impl SlotSharingGroup {
    /// The layout of a job with these parallelisms; `number_of_task_slots` (at least 1) only matters in a
    /// cluster.
    pub fn new(
        mode: ExecutionMode,
        source_parallelism: u32,
        parallelism: u32,
        number_of_task_slots: u32,
    ) -> Self {
        let slots = source_parallelism.max(parallelism).max(1);
        let slots_per_task_manager = match mode {
            ExecutionMode::Cluster => number_of_task_slots.max(1),
            ExecutionMode::Local => slots,
        };
        SlotSharingGroup {
            mode,
            slots,
            slots_per_task_manager,
            task_managers: slots.div_ceil(slots_per_task_manager),
            source_parallelism,
            parallelism,
        }
    }

    /// The slot subtask `index` of any operator runs in.
    pub fn slot_of(&self, index: u32) -> u32 {
        index
    }

    /// The TaskManager holding slot `slot`.
    pub fn task_manager_of_slot(&self, slot: u32) -> u32 {
        slot / self.slots_per_task_manager
    }

    /// The TaskManager subtask `index` of any operator runs in.
    pub fn task_manager_of(&self, index: u32) -> u32 {
        self.task_manager_of_slot(self.slot_of(index))
    }

    /// The slot's number within its TaskManager.
    pub fn slot_in_task_manager(&self, slot: u32) -> u32 {
        slot % self.slots_per_task_manager
    }

    /// The job's slots in TaskManager `task_manager`.
    pub fn slots_of(&self, task_manager: u32) -> std::ops::Range<u32> {
        let start = task_manager * self.slots_per_task_manager;
        start.min(self.slots)..(start + self.slots_per_task_manager).min(self.slots)
    }

    /// The keyed subtasks in TaskManager `task_manager` (their state shares its heap), as positions in the
    /// list of keyed subtasks ([`SubtaskIndex::index`](crate::engine::tasks::subtask_index::SubtaskIndex::index)).
    pub fn keyed_subtasks_of(&self, task_manager: u32) -> std::ops::Range<usize> {
        let slots = self.slots_of(task_manager);
        let keyed = |slot: u32| slot.min(self.parallelism) as usize;
        keyed(slots.start)..keyed(slots.end)
    }

    /// Keyed subtasks whose state shares one heap: the slots of a TaskManager.
    pub fn subtasks_per_task_manager(&self) -> u32 {
        self.slots_per_task_manager
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_slot_per_task_manager_gives_each_subtask_its_own_task_manager() {
        let g = SlotSharingGroup::new(ExecutionMode::Cluster, 1, 2, 1);
        assert_eq!((g.slots, g.task_managers), (2, 2));
        assert_eq!((g.task_manager_of(0), g.task_manager_of(1)), (0, 1));
        assert_eq!(g.keyed_subtasks_of(1), 1..2);
    }

    #[test]
    fn slot_sharing_needs_as_many_slots_as_the_widest_operator() {
        // Four sources, three keyed subtasks, two slots per TaskManager: slots 0–3 on TaskManagers 0 and 1.
        let g = SlotSharingGroup::new(ExecutionMode::Cluster, 4, 3, 2);
        assert_eq!((g.slots, g.task_managers), (4, 2));
        assert_eq!(g.task_manager_of(2), 1);
        assert_eq!(g.slot_in_task_manager(g.slot_of(2)), 0);
        assert_eq!(g.slot_in_task_manager(g.slot_of(3)), 1);
        assert_eq!(g.keyed_subtasks_of(0), 0..2);
        assert_eq!(g.keyed_subtasks_of(1), 2..3);
        assert_eq!(g.slots_of(1), 2..4);
        // More slots per TaskManager than the job needs: one TaskManager, some slots free.
        let g = SlotSharingGroup::new(ExecutionMode::Cluster, 1, 3, 8);
        assert_eq!((g.task_managers, g.slots_of(0)), (1, 0..3));
        // Five slots, two per TaskManager: the last TaskManager has one of the job's slots.
        let g = SlotSharingGroup::new(ExecutionMode::Cluster, 5, 5, 2);
        assert_eq!(
            (g.task_managers, g.slots_of(2), g.keyed_subtasks_of(2)),
            (3, 4..5, 4..5)
        );
    }

    #[test]
    fn local_execution_is_one_task_manager_with_every_slot() {
        let g = SlotSharingGroup::new(ExecutionMode::Local, 2, 8, 1);
        assert_eq!(
            (g.slots, g.slots_per_task_manager, g.task_managers),
            (8, 8, 1)
        );
        assert!((0..8).all(|i| g.task_manager_of(i) == 0));
        assert_eq!(g.keyed_subtasks_of(0), 0..8);
    }
}
