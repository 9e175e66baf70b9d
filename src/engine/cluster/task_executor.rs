//! The TaskExecutors' side of [`MiniCluster`]: a source subtask emitting a record or injecting a barrier, the
//! network carrying it, a keyed subtask's task thread processing one element (`processElement` line by line,
//! barriers aligned by the `CheckpointBarrierHandler`), its asynchronous snapshot writing one key group, and the
//! heap of the TaskManager it runs in filling up to `OutOfMemoryError`.

use crate::engine::checkpoint::checkpoint_barrier::CheckpointBarrier;
use crate::engine::checkpoint::checkpoint_barrier_handler::BarrierOutcome;
use crate::engine::cluster::engine_event::InjectedFailure;
use crate::engine::cluster::engine_event::{EngineEvent, FailureCause, Report};
use crate::engine::cluster::job_config::FailureTrigger;
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::cluster::mini_cluster::NS_PER_MS;
use crate::engine::cluster::mini_cluster::NS_PER_SECOND;
use crate::engine::cluster::mini_cluster::NS_PER_US;
use crate::engine::functions::event_counter_process_function::ProcessLine;
use crate::engine::functions::list_sink::SinkRecord;
use crate::engine::keys::key_registry::KeyInfo;
use crate::engine::source::random::{random_below, stream};
use crate::engine::tasks::stream_element::{EventRef, StreamElement, StreamRecord};
use crate::engine::tasks::stream_task::AsyncStep;
use crate::engine::tasks::subtask_index::SubtaskIndex;

use crate::engine::cluster::mini_cluster::MiniCluster;

impl MiniCluster {
    pub(super) fn network_arrival(&mut self) -> u64 {
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

    pub(super) fn source_step<const PER_RECORD: bool>(&mut self, j: usize, r: &mut dyn Report) {
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
                r.report_event(
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
            r.report_event(self.now, EngineEvent::SourceFinished { split: j as u32 });
            self.refresh_source(j);
            self.check_finished(r);
            return;
        };
        let key_group = self.key_group_of(key);
        let subtask = self.key_group_owner[key_group.index()];
        let c = j * p + subtask.index();
        if self.channels[c].records() >= self.config.network.channel_capacity {
            self.sources[j].blocked_on = Some(subtask);
            if PER_RECORD {
                r.report_event(
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
        if PER_RECORD {
            r.report_event(
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
        self.refresh_task(subtask.index());
    }

    pub(super) fn task_step<const PER_RECORD: bool>(&mut self, i: usize, r: &mut dyn Report) {
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
        let timer_due = self.tasks[i]
            .next_timer()
            .map(|ms| (ms.max(0) as u64).saturating_mul(NS_PER_MS))
            .filter(|&due| due <= self.now && due <= best);
        if timer_due.is_some() {
            self.fire_timer::<PER_RECORD>(i, r);
            if self.status == JobStatus::Running {
                self.refresh_task(i);
            }
            return;
        }
        let Some(j) = chosen else {
            self.refresh_task(i);
            return;
        };
        let c = j * p + i;
        let was_full = self.channels[c].records() >= self.config.network.channel_capacity;
        let element = self.channels[c].pop().expect("head exists").element;
        match element {
            StreamElement::Record(record) => self.process_record::<PER_RECORD>(i, record, r),
            StreamElement::Barrier(barrier) => {
                self.process_barrier::<PER_RECORD>(i, j, &barrier, r)
            }
        }
        if self.status != JobStatus::Running {
            return;
        }
        if was_full && self.sources[j].blocked_on == Some(self.tasks[i].index()) {
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

    pub(super) fn process_record<const PER_RECORD: bool>(
        &mut self,
        i: usize,
        record: StreamRecord,
        r: &mut dyn Report,
    ) {
        self.counters.process_element_calls += 1;
        if !self.failures.is_empty() {
            if let Some(cause) = self.failure_due(record.event) {
                self.fail(Some(self.tasks[i].index()), cause, r);
                return;
            }
        }
        let info = self.keys.info(record.key);
        if let Some(stop) = self.breakpoint {
            self.stop_inside_record(i, record, info, stop, r);
            return;
        }
        let (seed, now_ms) = (self.config.seed, (self.now / NS_PER_MS) as i64);
        let task = &mut self.tasks[i];
        let subtask = task.index();
        let result = task.process_element(record.key, info, seed, record.event, now_ms);
        let processed = match result {
            Ok(p) => p,
            Err(e) => {
                self.fail(Some(subtask), FailureCause::StateBackend { error: e }, r);
                return;
            }
        };
        if !self.heap_fits_or_fail(subtask, r) {
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
        let duplicate = self.config.function.collects_per_element()
            && self.sink.write(SinkRecord {
                key: record.key,
                count: processed.count,
                subtask,
                event: record.event,
                attempt: self.attempt,
                time: now,
                duplicate: false,
            });
        if PER_RECORD {
            r.report_event(
                self.now,
                EngineEvent::RecordProcessed {
                    subtask,
                    event: record.event,
                    key: record.key,
                    key_group: processed.key_group,
                    previous: processed.previous,
                    count: processed.count,
                    read: processed.read,
                    write: processed.write,
                    duplicate,
                },
            );
        }
        let key_group = processed.key_group;
        if let Some(resize) = processed.write.resize {
            r.report_event(
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
            r.report_event(
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

    /// The operator's `onProcessingTime`, one timer per step: the earliest due timer is polled and the
    /// function's `onTimer` runs; what it emits goes to the sink, told apart by key and timer time.
    pub(super) fn fire_timer<const PER_RECORD: bool>(&mut self, i: usize, r: &mut dyn Report) {
        let now_ms = (self.now / NS_PER_MS) as i64;
        let subtask = self.tasks[i].index();
        let fired = match self.tasks[i].on_processing_time(now_ms) {
            Ok(fired) => fired,
            Err(e) => {
                self.fail(Some(subtask), FailureCause::StateBackend { error: e }, r);
                return;
            }
        };
        if !self.heap_fits_or_fail(subtask, r) {
            return;
        }
        let now = self.now;
        self.tasks[i].busy_until = now + self.config.network.processing_time_ns;
        let Some(fired) = fired else {
            return;
        };
        self.counters.timers_fired += 1;
        if PER_RECORD {
            r.report_event(
                now,
                EngineEvent::TimerFired {
                    subtask,
                    key: fired.timer.key.key,
                    key_group: fired.timer.key.key_group,
                    timestamp: fired.timer.timestamp,
                    emitted: fired.emitted,
                },
            );
        }
        if let Some(count) = fired.emitted {
            self.sink.write(SinkRecord {
                key: fired.timer.key.key,
                count,
                subtask,
                event: EventRef::Timer(fired.timer.timestamp.max(0) as u64),
                attempt: self.attempt,
                time: now,
                duplicate: false,
            });
        }
    }

    /// [`Self::step_into`]'s half of [`Self::process_record`]: the lines up to `stop` and their effects.
    pub(super) fn stop_inside_record(
        &mut self,
        i: usize,
        record: StreamRecord,
        info: KeyInfo,
        stop: ProcessLine,
        r: &mut dyn Report,
    ) {
        let subtask = self.tasks[i].index();
        let (seed, now_ms) = (self.config.seed, (self.now / NS_PER_MS) as i64);
        if let Err(e) =
            self.tasks[i].process_element_until(record.key, info, stop, seed, record.event, now_ms)
        {
            self.fail(Some(subtask), FailureCause::StateBackend { error: e }, r);
            return;
        }
        if stop >= self.config.function.changes_state_at() && !self.heap_fits_or_fail(subtask, r) {
            return;
        }
        if stop >= ProcessLine::Collect && self.config.function.collects_per_element() {
            let count = self.count_of(record.key).unwrap_or(0);
            self.sink.write(SinkRecord {
                key: record.key,
                count,
                subtask,
                event: record.event,
                attempt: self.attempt,
                time: self.now,
                duplicate: false,
            });
        }
    }

    /// A failure trigger that fires for this `processElement` call.
    pub(super) fn failure_due(&mut self, event: EventRef) -> Option<FailureCause> {
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
        Some(FailureCause::Injected {
            failure: InjectedFailure::ProcessElementCall { call, event },
        })
    }

    pub(super) fn process_barrier<const PER_RECORD: bool>(
        &mut self,
        i: usize,
        j: usize,
        barrier: &CheckpointBarrier,
        r: &mut dyn Report,
    ) {
        let p = self.tasks.len();
        let now = self.now;
        let subtask = self.tasks[i].index();
        let outcome = self.tasks[i]
            .barrier_handler_mut()
            .on_barrier(j, barrier, now);
        if PER_RECORD {
            r.report_event(
                self.now,
                EngineEvent::BarrierReceived {
                    subtask,
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
                        r.report_event(
                            self.now,
                            EngineEvent::SnapshotSyncPhase {
                                subtask,
                                checkpoint_id,
                                maps: phase.maps,
                                slots_copied: phase.slots_copied,
                                alignment_ns,
                                duration_ns,
                            },
                        );
                        if !self.heap_fits_or_fail(subtask, r) {
                            return;
                        }
                        self.refresh_async(i);
                    }
                    Err(e) => self.fail(Some(subtask), FailureCause::StateBackend { error: e }, r),
                }
            }
        }
    }

    pub(super) fn async_step<const PER_RECORD: bool>(&mut self, i: usize, r: &mut dyn Report) {
        let now = self.now;
        let bytes_per_second = u128::from(self.config.checkpointing.write_bytes_per_second);
        let write_ns = |bytes: u64| (u128::from(bytes) * NS_PER_SECOND / bytes_per_second) as u64;
        let subtask = self.tasks[i].index();
        let step = self.tasks[i].async_step(&self.keys, now, write_ns);
        match step {
            Ok(AsyncStep::Idle) => {}
            Ok(AsyncStep::Wrote(w)) => {
                if PER_RECORD {
                    let checkpoint_id = self.tasks[i]
                        .snapshot()
                        .map_or(0, |s| s.writer.checkpoint_id());
                    r.report_event(
                        self.now,
                        EngineEvent::SnapshotKeyGroupWritten {
                            subtask,
                            checkpoint_id,
                            key_group: w.key_group,
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
                r.report_event(
                    self.now,
                    EngineEvent::SnapshotAcknowledged {
                        subtask,
                        checkpoint_id,
                        state_size: stats.state_size,
                        async_ns: stats.async_ns,
                    },
                );
                self.coordinator
                    .acknowledge_task(checkpoint_id, subtask, stats, key_groups);
                self.complete_checkpoint_if_acknowledged(r);
            }
            Err(e) => {
                self.fail(Some(subtask), FailureCause::StateBackend { error: e }, r);
                return;
            }
        }
        self.refresh_async(i);
    }

    /// Checks the heap of the TaskManager `subtask` runs in after the subtask allocated; when it no longer fits,
    /// the task fails with `OutOfMemoryError` (other TaskManagers' room does not help). Returns whether it fit.
    pub(super) fn heap_fits_or_fail(&mut self, subtask: SubtaskIndex, r: &mut dyn Report) -> bool {
        let tm = self.slot_sharing.task_manager_of(subtask.into());
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
}
