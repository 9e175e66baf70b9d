//! The JobMaster's side of [`MiniCluster`]: the `CheckpointCoordinator`'s timer (triggering, expiring,
//! completing and aborting checkpoints), failing the job and the restart strategy's answer
//! (`RestartBackoffTimeStrategy`), cancelling the running execution and deploying a new one, restoring its state
//! through `StateAssignmentOperation`, and finishing when the bounded sources are read.

use crate::engine::checkpoint::checkpoint_coordinator::TriggerError;
use crate::engine::checkpoint::checkpoint_failure_reason::CheckpointFailureReason;
use crate::engine::checkpoint::completed_checkpoint::CompletedCheckpoint;
use crate::engine::cluster::engine_event::InjectedFailure;
use crate::engine::cluster::engine_event::{EngineEvent, FailureCause, Report, RestoreReason};
use crate::engine::cluster::job_command::CommandTrigger;
use crate::engine::cluster::job_config::FailureTrigger;
use crate::engine::cluster::job_exception::JobException;
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::cluster::mini_cluster::EXCEPTION_HISTORY;
use crate::engine::cluster::mini_cluster::NS_PER_MS;
use crate::engine::cluster::mini_cluster::NS_PER_US;
use crate::engine::cluster::task_manager::TaskManager;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range_assignment::{
    compute_operator_index_for_key_group, create_key_group_partitions,
};
use crate::engine::source::data_generator_source::SplitPosition;
use crate::engine::source::random::{random_below, stream};
use crate::engine::tasks::input_channel::InputChannel;
use crate::engine::tasks::stream_task::StreamTask;
use crate::engine::tasks::subtask_index::SubtaskIndex;

use crate::engine::cluster::mini_cluster::MiniCluster;

impl MiniCluster {
    pub(super) fn control_step(&mut self, r: &mut dyn Report) {
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
            !fired
                && matches!(t, FailureTrigger::Time { ms } if ms.saturating_mul(1_000_000) <= now)
        });
        if let Some(index) = due {
            self.failures[index].1 = true;
            let failure = InjectedFailure::Time {
                ms: now / 1_000_000,
            };
            self.fail(None, FailureCause::Injected { failure }, r);
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

    pub(super) fn begin_checkpoint(
        &mut self,
        manual: bool,
        r: &mut dyn Report,
    ) -> Result<u64, TriggerError> {
        let now = self.now;
        let id = self.coordinator.begin(
            now,
            self.parallelism,
            self.max_parallelism,
            self.source_parallelism,
            manual,
        )?;
        r.report_event(
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

    pub(super) fn complete_checkpoint_if_acknowledged(&mut self, r: &mut dyn Report) {
        if let Some(done) = self.coordinator.try_complete(self.now) {
            self.counters.checkpoints_completed += 1;
            self.checkpoint_failures.succeeded(done.checkpoint_id);
            if !self.script.is_empty() {
                let checkpoint_id = done.checkpoint_id;
                self.mark_script_due(|at| at == CommandTrigger::AfterCheckpoint { checkpoint_id });
            }
            r.report_event(
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
    pub(super) fn abort_checkpoint(
        &mut self,
        reason: CheckpointFailureReason,
        r: &mut dyn Report,
    ) -> Option<u64> {
        let aborted = self.coordinator.abort(self.now, reason);
        if let Some(checkpoint_id) = aborted {
            self.counters.checkpoints_failed += 1;
            r.report_event(
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

    pub(super) fn check_finished(&mut self, r: &mut dyn Report) {
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
        r.report_event(self.now, EngineEvent::JobFinished);
        self.refresh_all();
    }

    // -------------------------------------------------------------------------------------------------------
    // Failures and restores

    /// After every subtask restored its state: each TaskManager's heap, in order; the first that does not fit
    /// fails the task of its first keyed subtask.
    pub(super) fn heaps_fit_or_fail(&mut self, r: &mut dyn Report) {
        for tm in 0..self.slot_sharing.task_managers {
            let subtasks = self.slot_sharing.keyed_subtasks_of(tm);
            if !subtasks.is_empty()
                && !self.heap_fits_or_fail(self.tasks[subtasks.start].index(), r)
            {
                return;
            }
        }
    }

    /// A task failed: cancel everything (the keyed exchange connects all subtasks, so the whole job is one
    /// failover region) and ask the restart strategy.
    pub(super) fn fail(
        &mut self,
        subtask: Option<SubtaskIndex>,
        cause: FailureCause,
        r: &mut dyn Report,
    ) {
        r.report_event(
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
            r.report_event(
                self.now,
                EngineEvent::RestartScheduled {
                    attempt: self.attempt + 1,
                    delay_ns: delay,
                },
            );
        } else {
            self.status = JobStatus::Failed;
            r.report_event(self.now, EngineEvent::JobFailed { cause });
        }
        self.refresh_all();
    }

    /// Stops the running execution: aborts the pending checkpoint, drops the tasks' state (the heap it held
    /// becomes garbage) and everything in flight.
    pub(super) fn cancel_execution(&mut self, reason: CheckpointFailureReason, r: &mut dyn Report) {
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
    pub(super) fn deploy(&mut self, parallelism: u32, max_parallelism: u32) {
        self.parallelism = parallelism;
        self.max_parallelism = max_parallelism;
        self.slot_sharing = self.config.slot_sharing_group_at(parallelism);
        let needed = self.slot_sharing.task_managers as usize;
        self.task_managers.truncate(needed);
        let other = self.config.other_heap_used.bytes();
        for index in self.task_managers.len()..needed {
            let tm = TaskManager::new(index as u32, self.memory, other);
            self.task_managers.push(tm);
        }
        // Not `expect`: that would keep the error's Debug form in the page for a panic that cannot happen.
        let ranges =
            create_key_group_partitions(i64::from(max_parallelism), i64::from(parallelism))
                .unwrap_or_else(|_| unreachable!("validated parallelism and max parallelism"));
        let key_type = self.config.source.key_format.key_type;
        let inputs = self.sources.len();
        let function = self.config.function;
        self.tasks = SubtaskIndex::all(parallelism)
            .zip(&ranges)
            .map(|(i, range)| {
                StreamTask::new(i, *range, max_parallelism, key_type, inputs, function)
            })
            .collect();
        self.channels = vec![InputChannel::default(); inputs * parallelism as usize];
        let (m, p) = (max_parallelism as i32, parallelism as i32);
        self.key_group_owner = KeyGroup::all(max_parallelism)
            .map(|kg| compute_operator_index_for_key_group(m, p, kg))
            .collect();
        self.next_at = vec![u64::MAX; 1 + inputs + 2 * parallelism as usize];
    }

    /// Starts a new execution from `checkpoint` (or from scratch): new tasks at `parallelism`, each restoring
    /// its key groups, sources rewound to the checkpointed positions.
    pub(super) fn restore_from(
        &mut self,
        checkpoint: Option<&CompletedCheckpoint>,
        parallelism: u32,
        max_parallelism: u32,
        reason: RestoreReason,
        r: &mut dyn Report,
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
                range.iter().map(move |kg| {
                    (
                        kg,
                        c.key_groups[kg.index()].as_slice(),
                        c.objects_of(kg.index()),
                        c.timers_of(kg.index()),
                    )
                })
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
                Err(e) => failure = Some((task.index(), FailureCause::StateBackend { error: e })),
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
        r.report_event(
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
