//! `org.apache.flink.runtime.checkpoint.CheckpointCoordinator` for one job: triggers checkpoints (periodically
//! and on demand), collects the acknowledgements of the sources (their split positions) and of the keyed
//! subtasks (their written key groups), completes a checkpoint when everything acknowledged, aborts it on a
//! failure or timeout, and keeps the statistics Flink's Web UI shows.
//!
//! As in Flink: at most one checkpoint is in flight (`max-concurrent-checkpoints` = 1); a periodic trigger that
//! comes while one is in flight is queued and runs when it finishes, after `min-pause`; the first periodic
//! checkpoint comes after a random initial delay in `[min-pause, interval]`; checkpoint ids keep increasing,
//! also across failures.

use crate::engine::checkpoint::checkpoint_failure_reason::CheckpointFailureReason;
use crate::engine::checkpoint::completed_checkpoint::{
    CompletedCheckpoint, CompletedCheckpointStore, SubtaskCheckpointStats,
};
use crate::engine::cluster::job_config::{CheckpointingConfig, CheckpointingMode};
use crate::engine::keys::key_registry::KeyId;
use crate::engine::shared::deque::Deque;
use crate::engine::source::data_generator_source::SplitPosition;
use crate::engine::source::random::{random_below, stream};
use crate::engine::state::heap::heap_snapshot_strategy::WrittenKeyGroup;
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

const NS_PER_MS: u64 = 1_000_000;
/// How many checkpoints the statistics history keeps (`web.checkpoints.history`: 10; StateLab keeps more).
const HISTORY: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "status", content = "reason")]
pub enum CheckpointStatus {
    InProgress,
    Completed,
    Failed(CheckpointFailureReason),
}

/// One row of the checkpoint history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckpointStats {
    pub checkpoint_id: u64,
    pub status: CheckpointStatus,
    /// Triggered on demand rather than by the periodic scheduler.
    pub manual: bool,
    pub trigger_time: u64,
    pub end_time: Option<u64>,
    /// Acknowledgement of each keyed subtask, once it arrived.
    pub subtasks: Vec<Option<SubtaskCheckpointStats>>,
    pub sources_acknowledged: u32,
    pub sources: u32,
}

impl CheckpointStats {
    pub fn state_size(&self) -> u64 {
        self.subtasks.iter().flatten().map(|s| s.state_size).sum()
    }

    pub fn acknowledged_subtasks(&self) -> usize {
        self.subtasks.iter().flatten().count()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TriggerError {
    AlreadyInProgress(u64),
    JobNotRunning,
    /// Checkpoint ids are a Java `long`: after `Long.MAX_VALUE` there is no next one.
    IdsExhausted(u64),
}

crate::i18n::english_error!(TriggerError => crate::i18n::messages::errors::trigger);

#[derive(Clone, Debug)]
pub struct PendingCheckpoint {
    pub checkpoint_id: u64,
    pub trigger_time: u64,
    pub mode: CheckpointingMode,
    timeout_at: u64,
    parallelism: u32,
    max_parallelism: u32,
    source_positions: Vec<Option<SplitPosition>>,
    subtasks: Vec<Option<SubtaskCheckpointStats>>,
    key_groups: Vec<Vec<(KeyId, i64)>>,
    /// Object entries per key group; empty until a subtask acknowledges some.
    objects: Vec<Vec<(KeyId, StateValueObject)>>,
    /// Timers per key group; empty until a subtask acknowledges some.
    timers: Vec<Vec<(KeyId, i64)>>,
}

impl PendingCheckpoint {
    /// The (key, count) entries acknowledged so far, over every key group.
    pub fn acknowledged_entries(&self) -> usize {
        self.key_groups.iter().map(Vec::len).sum::<usize>()
            + self.objects.iter().map(Vec::len).sum::<usize>()
    }
}

/// What became of a checkpoint that finished.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub checkpoint_id: u64,
    pub state_size: u64,
    pub duration_ns: u64,
    /// Older checkpoints removed by the retention limit.
    pub subsumed: Vec<u64>,
}

#[derive(Clone, Debug)]
pub struct CheckpointCoordinator {
    config: CheckpointingConfig,
    seed: u64,
    next_checkpoint_id: u64,
    pending: Option<PendingCheckpoint>,
    store: CompletedCheckpointStore,
    /// When the periodic scheduler fires next (`u64::MAX`: disabled or stopped).
    next_periodic: u64,
    /// A periodic trigger came while a checkpoint was in flight.
    queued: bool,
    last_completion: Option<u64>,
    history: Deque<CheckpointStats>,
    scheduler_starts: u64,
}

impl CheckpointCoordinator {
    pub fn new(config: &CheckpointingConfig, seed: u64) -> Self {
        CheckpointCoordinator {
            config: *config,
            seed,
            next_checkpoint_id: 1,
            pending: None,
            store: CompletedCheckpointStore::new(config.retained as usize),
            next_periodic: u64::MAX,
            queued: false,
            last_completion: None,
            history: Deque::default(),
            scheduler_starts: 0,
        }
    }

    pub fn mode(&self) -> CheckpointingMode {
        self.config.mode
    }

    /// The id the next checkpoint or savepoint gets (`CheckpointIDCounter.get()`).
    pub fn next_checkpoint_id(&self) -> u64 {
        self.next_checkpoint_id
    }

    pub fn store(&self) -> &CompletedCheckpointStore {
        &self.store
    }

    pub fn pending(&self) -> Option<&PendingCheckpoint> {
        self.pending.as_ref()
    }

    pub fn history(
        &self,
    ) -> impl DoubleEndedIterator<Item = &CheckpointStats> + ExactSizeIterator + '_ {
        self.history.iter()
    }

    /// `startCheckpointScheduler()`: the first periodic checkpoint after a random delay in
    /// `[min-pause, interval]`, as `CheckpointCoordinator.getRandomInitDelay` does.
    pub fn start_scheduler(&mut self, now: u64) {
        self.queued = false;
        self.next_periodic = match self.config.interval_ms {
            Some(interval) => {
                let min = self.config.min_pause_ms.min(interval);
                self.scheduler_starts += 1;
                let delay = min
                    + random_below(
                        self.seed,
                        stream::TRIGGER_JITTER,
                        u64::MAX - self.scheduler_starts,
                        interval - min + 1,
                    );
                now + delay * NS_PER_MS
            }
            None => u64::MAX,
        };
    }

    /// `stopCheckpointScheduler()`.
    pub fn stop_scheduler(&mut self) {
        self.next_periodic = u64::MAX;
        self.queued = false;
    }

    /// Changes the periodic interval at run time (`None` stops periodic checkpoints).
    pub fn set_interval(&mut self, interval_ms: Option<u64>, now: u64) {
        self.config.interval_ms = interval_ms;
        if self.next_periodic != u64::MAX || interval_ms.is_some() {
            self.next_periodic = interval_ms.map_or(u64::MAX, |i| now + i * NS_PER_MS);
        }
    }

    pub fn interval_ms(&self) -> Option<u64> {
        self.config.interval_ms
    }

    /// The next time the coordinator has something to do: a periodic trigger or a pending checkpoint's timeout.
    pub fn next_deadline(&self) -> u64 {
        match &self.pending {
            Some(p) => p.timeout_at,
            None if self.queued => self.earliest_after_pause(0),
            None => self.next_periodic.max(self.earliest_after_pause(0)),
        }
    }

    fn earliest_after_pause(&self, now: u64) -> u64 {
        self.last_completion
            .map_or(now, |t| (t + self.config.min_pause_ms * NS_PER_MS).max(now))
    }

    /// Whether a periodic (or queued) trigger is due now; when a checkpoint is in flight the trigger is queued.
    pub fn periodic_due(&mut self, now: u64) -> bool {
        if self.next_periodic != u64::MAX && now >= self.next_periodic {
            let interval = self.config.interval_ms.unwrap_or(0).max(1) * NS_PER_MS;
            self.next_periodic += ((now - self.next_periodic) / interval + 1) * interval;
            if self.pending.is_some() || now < self.earliest_after_pause(now) {
                self.queued = true;
                return false;
            }
            return true;
        }
        if self.queued && self.pending.is_none() && now >= self.earliest_after_pause(now) {
            self.queued = false;
            return true;
        }
        false
    }

    /// Starts checkpoint `n`: the caller sends the trigger to the sources.
    pub fn begin(
        &mut self,
        now: u64,
        parallelism: u32,
        max_parallelism: u32,
        sources: u32,
        manual: bool,
    ) -> Result<u64, TriggerError> {
        if let Some(p) = &self.pending {
            return Err(TriggerError::AlreadyInProgress(p.checkpoint_id));
        }
        let checkpoint_id = self.next_checkpoint_id;
        if checkpoint_id > i64::MAX as u64 {
            return Err(TriggerError::IdsExhausted(checkpoint_id - 1));
        }
        self.next_checkpoint_id = checkpoint_id + 1;
        self.pending = Some(PendingCheckpoint {
            checkpoint_id,
            trigger_time: now,
            mode: self.config.mode,
            timeout_at: now + self.config.timeout_ms * NS_PER_MS,
            parallelism,
            max_parallelism,
            source_positions: vec![None; sources as usize],
            subtasks: vec![None; parallelism as usize],
            key_groups: vec![Vec::new(); max_parallelism as usize],
            objects: Vec::new(),
            timers: Vec::new(),
        });
        self.push_history(CheckpointStats {
            checkpoint_id,
            status: CheckpointStatus::InProgress,
            manual,
            trigger_time: now,
            end_time: None,
            subtasks: vec![None; parallelism as usize],
            sources_acknowledged: 0,
            sources,
        });
        Ok(checkpoint_id)
    }

    fn push_history(&mut self, stats: CheckpointStats) {
        if self.history.len() == HISTORY {
            self.history.pop_front();
        }
        self.history.push_back(stats);
    }

    fn stats_mut(&mut self, checkpoint_id: u64) -> Option<&mut CheckpointStats> {
        self.history
            .iter_mut()
            .rev()
            .find(|s| s.checkpoint_id == checkpoint_id)
    }

    fn pending_mut(&mut self, checkpoint_id: u64) -> Option<&mut PendingCheckpoint> {
        self.pending
            .as_mut()
            .filter(|p| p.checkpoint_id == checkpoint_id)
    }

    /// A source split snapshotted its position (and emitted the barrier).
    pub fn acknowledge_source(
        &mut self,
        checkpoint_id: u64,
        split: usize,
        position: SplitPosition,
    ) {
        if let Some(p) = self.pending_mut(checkpoint_id) {
            if p.source_positions[split].replace(position).is_none() {
                if let Some(s) = self.stats_mut(checkpoint_id) {
                    s.sources_acknowledged += 1;
                }
            }
        }
    }

    /// Keyed subtask `subtask` finished its asynchronous phase. As in Flink's `PendingCheckpoint.acknowledgeTask`,
    /// the subtask is the one that acknowledged (its statistics name the same one).
    pub fn acknowledge_task(
        &mut self,
        checkpoint_id: u64,
        subtask: SubtaskIndex,
        stats: SubtaskCheckpointStats,
        key_groups: Vec<WrittenKeyGroup>,
    ) {
        debug_assert_eq!(stats.subtask, u32::from(subtask));
        if let Some(p) = self.pending_mut(checkpoint_id) {
            for g in key_groups {
                // The writer's own lists, unless a clone of the cluster still shares them.
                p.key_groups[g.key_group.index()] = Rc::unwrap_or_clone(g.longs);
                if !g.objects.is_empty() {
                    let max = p.key_groups.len();
                    p.objects.resize(max, Vec::new());
                    p.objects[g.key_group.index()] = Rc::unwrap_or_clone(g.objects);
                }
                if !g.timers.is_empty() {
                    let max = p.key_groups.len();
                    p.timers.resize(max, Vec::new());
                    p.timers[g.key_group.index()] = Rc::unwrap_or_clone(g.timers);
                }
            }
            p.subtasks[subtask.index()] = Some(stats);
            if let Some(s) = self.stats_mut(checkpoint_id) {
                s.subtasks[subtask.index()] = Some(stats);
            }
        }
    }

    /// Adds a checkpoint taken by another run (`flink run -s <path>`): it becomes the one to restore, and
    /// new checkpoints continue its numbering, as Flink's checkpoint id counter does after a restore.
    pub fn add_external(&mut self, checkpoint: CompletedCheckpoint) -> Vec<u64> {
        self.next_checkpoint_id = self
            .next_checkpoint_id
            .max(checkpoint.checkpoint_id.saturating_add(1));
        self.store.add(checkpoint)
    }

    /// Completes the pending checkpoint if everything acknowledged.
    pub fn try_complete(&mut self, now: u64) -> Option<Completion> {
        let p = self.pending.as_ref()?;
        if p.source_positions.iter().any(Option::is_none) || p.subtasks.iter().any(Option::is_none)
        {
            return None;
        }
        let p = self.pending.take()?;
        let checkpoint = CompletedCheckpoint {
            checkpoint_id: p.checkpoint_id,
            trigger_time: p.trigger_time,
            completion_time: now,
            mode: p.mode,
            max_parallelism: p.max_parallelism,
            parallelism: p.parallelism,
            source_positions: p.source_positions.into_iter().flatten().collect(),
            key_groups: p.key_groups,
            objects: p.objects,
            timers: p.timers,
            subtasks: p.subtasks.into_iter().flatten().collect(),
        };
        let state_size = checkpoint.state_size();
        let checkpoint_id = checkpoint.checkpoint_id;
        let subsumed = self.store.add(checkpoint);
        self.last_completion = Some(now);
        if let Some(s) = self.stats_mut(checkpoint_id) {
            s.status = CheckpointStatus::Completed;
            s.end_time = Some(now);
        }
        Some(Completion {
            checkpoint_id,
            state_size,
            duration_ns: now - p.trigger_time,
            subsumed,
        })
    }

    /// Aborts the pending checkpoint; returns its id.
    pub fn abort(&mut self, now: u64, reason: CheckpointFailureReason) -> Option<u64> {
        let p = self.pending.take()?;
        self.last_completion = Some(now);
        if let Some(s) = self.stats_mut(p.checkpoint_id) {
            s.status = CheckpointStatus::Failed(reason);
            s.end_time = Some(now);
        }
        Some(p.checkpoint_id)
    }

    /// Whether the pending checkpoint ran past `execution.checkpointing.timeout`.
    pub fn is_expired(&self, now: u64) -> bool {
        self.pending.as_ref().is_some_and(|p| now >= p.timeout_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(interval_ms: Option<u64>) -> CheckpointingConfig {
        CheckpointingConfig {
            interval_ms,
            ..CheckpointingConfig::default()
        }
    }

    #[test]
    fn first_periodic_trigger_comes_within_one_interval_and_then_every_interval() {
        let mut c = CheckpointCoordinator::new(&config(Some(200)), 7);
        c.start_scheduler(0);
        let first = c.next_deadline();
        assert!(first <= 200 * NS_PER_MS);
        assert!(c.periodic_due(first));
        c.begin(first, 1, 128, 1, false).unwrap();
        c.acknowledge_source(1, 0, SplitPosition::default());
        c.acknowledge_task(
            1,
            SubtaskIndex::new(0),
            SubtaskCheckpointStats::default(),
            vec![],
        );
        let done = c.try_complete(first + 5).unwrap();
        assert_eq!(done.checkpoint_id, 1);
        assert_eq!(c.next_deadline(), first + 200 * NS_PER_MS);
    }

    #[test]
    fn a_trigger_during_a_checkpoint_is_queued_until_it_completes() {
        let mut c = CheckpointCoordinator::new(&config(Some(100)), 1);
        c.start_scheduler(0);
        let t = c.next_deadline();
        assert!(c.periodic_due(t));
        c.begin(t, 1, 128, 1, false).unwrap();
        assert_eq!(
            c.begin(t, 1, 128, 1, true),
            Err(TriggerError::AlreadyInProgress(1))
        );
        let later = t + 150 * NS_PER_MS;
        assert!(!c.periodic_due(later));
        c.acknowledge_source(1, 0, SplitPosition::default());
        c.acknowledge_task(
            1,
            SubtaskIndex::new(0),
            SubtaskCheckpointStats::default(),
            vec![],
        );
        c.try_complete(later).unwrap();
        assert_eq!(c.next_deadline(), later);
        assert!(c.periodic_due(later));
    }

    #[test]
    fn aborted_checkpoints_are_failed_in_the_history_and_ids_keep_increasing() {
        let mut c = CheckpointCoordinator::new(&config(None), 1);
        c.begin(0, 2, 128, 1, true).unwrap();
        assert_eq!(c.abort(5, CheckpointFailureReason::TaskFailure), Some(1));
        assert_eq!(c.begin(10, 2, 128, 1, true), Ok(2));
        let statuses: Vec<_> = c.history().map(|s| s.status.clone()).collect();
        assert_eq!(
            statuses,
            vec![
                CheckpointStatus::Failed(CheckpointFailureReason::TaskFailure),
                CheckpointStatus::InProgress
            ]
        );
    }
}
