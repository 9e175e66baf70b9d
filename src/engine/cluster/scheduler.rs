//! The discrete-event loop of [`MiniCluster`]: each step performs the earliest pending action of one actor
//! (`[control, sources…, tasks…, async snapshots…]`, ties broken in that order), and the bookkeeping of when
//! each actor acts next. Not a Flink class: Flink's actors run concurrently; StateLab serialises them in simulated
//! time so that a run is the same step for step.

use crate::engine::cluster::engine_event::{Report, Reporter};
use crate::engine::cluster::job_command::CommandTrigger;
use crate::engine::cluster::job_config::FailureTrigger;
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::cluster::mini_cluster::NS_PER_MS;
use crate::engine::cluster::mini_cluster::NS_PER_SECOND;
use crate::engine::cluster::run_limit::RunLimit;
use crate::engine::functions::event_counter_process_function::ProcessLine;
use crate::engine::tasks::stream_element::StreamElement;
use crate::engine::tasks::subtask_index::SubtaskIndex;

use crate::engine::cluster::mini_cluster::MiniCluster;

impl MiniCluster {
    /// Performs the next action; `false` when nothing will ever happen again (finished, failed, or idle with
    /// no events to read).
    pub fn step<R: Reporter>(&mut self, r: &mut R) -> bool {
        if R::PER_RECORD {
            self.step_reporting::<true>(r)
        } else {
            self.step_reporting::<false>(r)
        }
    }

    /// [`Self::step`] through a pointer: compiled twice (with and without per-record events), not once per kind
    /// of reporter.
    fn step_reporting<const PER_RECORD: bool>(&mut self, r: &mut dyn Report) -> bool {
        let (actor, time) = self.next_actor();
        if time == u64::MAX {
            return false;
        }
        self.now = self.now.max(time);
        self.counters.steps += 1;
        r.report_step_started(&self.counters);
        let s = self.sources.len();
        let p = self.tasks.len();
        if actor == 0 {
            self.control_step(r);
        } else if actor <= s {
            self.source_step::<PER_RECORD>(actor - 1, r);
        } else if actor <= s + p {
            self.task_step::<PER_RECORD>(actor - 1 - s, r);
        } else {
            self.async_step::<PER_RECORD>(actor - 1 - s - p, r);
        }
        if self.script_due {
            self.run_script(r);
        }
        true
    }

    /// Runs the next step like [`Self::step`], except that a record it processes stops right after line `stop`
    /// of `processElement` ran: the job as a debugger stopped there sees it — the key context set, `value()`
    /// read (with its incremental rehash step), `update()` written (and the heap grown), the record collected
    /// to the sink — and nothing after (the record is not counted as processed, the task not yet busy). Only to
    /// be looked at: a job stopped inside a record is not stepped further. With [`ProcessLine::Return`] it is
    /// [`Self::step`].
    pub fn step_into<R: Reporter>(&mut self, stop: ProcessLine, r: &mut R) -> bool {
        self.breakpoint = (stop != ProcessLine::Return).then_some(stop);
        let stepped = self.step(r);
        self.breakpoint = None;
        stepped
    }

    /// Whether the next step processes a record (in which subtask), rather than a barrier, a source or a
    /// checkpoint's work.
    pub fn next_step_processes_a_record(&self) -> Option<SubtaskIndex> {
        let (actor, time) = self.next_actor();
        let (s, p) = (self.sources.len(), self.tasks.len());
        if time == u64::MAX || actor <= s || actor > s + p {
            return None;
        }
        let i = actor - 1 - s;
        let head = (0..s)
            .filter_map(|j| self.channels[j * p + i].head())
            .min_by_key(|h| h.arrives_at)?;
        matches!(head.element, StreamElement::Record(_)).then(|| self.tasks[i].index())
    }

    /// Steps until a limit is reached or nothing is left to do; returns the number of steps taken.
    pub fn run<R: Reporter>(&mut self, limit: RunLimit, r: &mut R) -> u64 {
        if R::PER_RECORD {
            self.run_reporting::<true>(limit, r)
        } else {
            self.run_reporting::<false>(limit, r)
        }
    }

    /// [`Self::run`] through a pointer, like [`Self::step_reporting`].
    fn run_reporting<const PER_RECORD: bool>(
        &mut self,
        limit: RunLimit,
        r: &mut dyn Report,
    ) -> u64 {
        let target = self
            .counters
            .records_processed
            .saturating_add(limit.max_records);
        let mut steps = 0;
        let counts_records = limit.max_records != u64::MAX;
        while steps < limit.max_steps && self.counters.records_processed < target {
            let (_, time) = self.next_actor();
            if time == u64::MAX || time > limit.until_time {
                break;
            }
            if counts_records && !self.records_can_come() {
                break;
            }
            self.step_reporting::<PER_RECORD>(r);
            steps += 1;
        }
        steps
    }

    /// Whether a record may still be processed: a source emits (a rate above 0, or a key typed by hand is
    /// waiting), a record is on the wire, the job is between attempts, or a scripted command that does not wait
    /// for records may still change that. A run counting records stops when none can come: a job whose sources
    /// emit nothing (rate 0) but that checkpoints periodically would otherwise step forever.
    pub fn records_can_come(&self) -> bool {
        if self.rate > 0 || self.status != JobStatus::Running {
            return true;
        }
        self.sources
            .iter()
            .any(|s| !s.finished && s.split.next_is_injected())
            || self.channels.iter().any(|c| c.in_flight().next().is_some())
            || self
                .script
                .iter()
                .any(|e| !e.fired && !matches!(e.scheduled.at, CommandTrigger::AfterRecords { .. }))
    }

    /// Steps until one more record was processed (or nothing is left to do).
    pub fn step_record<R: Reporter>(&mut self, r: &mut R) -> u64 {
        self.run(RunLimit::records(1), r)
    }

    #[inline]
    pub(super) fn next_actor(&self) -> (usize, u64) {
        let mut best = (0, self.next_at[0]);
        for (i, &t) in self.next_at.iter().enumerate().skip(1) {
            if t < best.1 {
                best = (i, t);
            }
        }
        best
    }

    /// When the next action happens (`u64::MAX`: never).
    pub fn next_action_time(&self) -> u64 {
        self.next_actor().1
    }

    /// Lets simulated time pass up to `time` without anything happening: the clock stops at the next
    /// pending action. Commands given afterwards (a key typed by hand, a checkpoint) happen at that time. A job
    /// that ended (finished or failed) keeps the time it ended at, so its final state does not depend on how
    /// long it was watched afterwards.
    pub fn advance_clock(&mut self, time: u64) {
        if matches!(self.status, JobStatus::Finished | JobStatus::Failed) {
            return;
        }
        let limit = self.next_action_time();
        if time > self.now {
            self.now = time.min(limit.max(self.now));
            self.refresh_control();
            for j in 0..self.sources.len() {
                self.refresh_source(j);
            }
        }
    }

    // -------------------------------------------------------------------------------------------------------
    // Scheduling bookkeeping

    pub(super) fn refresh_all(&mut self) {
        self.next_at = vec![u64::MAX; 1 + self.sources.len() + 2 * self.tasks.len()];
        self.refresh_control();
        for j in 0..self.sources.len() {
            self.refresh_source(j);
        }
        for i in 0..self.tasks.len() {
            self.refresh_task(i);
            self.refresh_async(i);
        }
    }

    pub(super) fn refresh_control(&mut self) {
        let mut t = self.restart_at.unwrap_or(u64::MAX);
        if self.status == JobStatus::Running {
            t = t.min(self.coordinator.next_deadline());
            for (trigger, fired) in &self.failures {
                if let (FailureTrigger::Time { ms }, false) = (trigger, fired) {
                    t = t.min(ms.saturating_mul(1_000_000).max(self.now));
                }
            }
        }
        if matches!(self.status, JobStatus::Running | JobStatus::Restarting) {
            for entry in &self.script {
                if let (CommandTrigger::AtTime { ms }, false) = (entry.scheduled.at, entry.fired) {
                    t = t.min(ms.saturating_mul(NS_PER_MS).max(self.now));
                }
            }
        }
        self.next_at[0] = t;
    }

    // -------------------------------------------------------------------------------------------------------
    // The script

    /// The time generated element `k` (since the schedule's epoch) of split `j` is due.
    #[inline]
    pub(super) fn scheduled(&self, j: usize, k: u64) -> u64 {
        let s = u128::from(self.source_parallelism);
        let offset = (u128::from(k) * s + j as u128) * NS_PER_SECOND / u128::from(self.rate);
        self.sources[j]
            .epoch
            .saturating_add(offset.min(u128::from(u64::MAX)) as u64)
    }

    pub(super) fn refresh_source(&mut self, j: usize) {
        let src = &self.sources[j];
        let mut t = u64::MAX;
        if self.status == JobStatus::Running {
            if let Some((_, at)) = src.trigger {
                t = at;
            }
            if !src.finished && src.blocked_on.is_none() {
                let emit = if src.split.next_is_injected() {
                    self.now
                } else if self.rate == 0 {
                    u64::MAX
                } else {
                    self.scheduled(j, src.emitted_since_epoch)
                };
                t = t.min(emit);
            }
        }
        self.next_at[1 + j] = t;
    }

    pub(super) fn refresh_task(&mut self, i: usize) {
        let p = self.tasks.len();
        let mut earliest = u64::MAX;
        if self.status == JobStatus::Running {
            for j in 0..self.sources.len() {
                if let Some(head) = self.channels[j * p + i].head() {
                    earliest = earliest.min(head.arrives_at);
                }
            }
        }
        if self.status == JobStatus::Running {
            // The function's earliest processing-time timer, when the operator's `onProcessingTime` is due.
            if let Some(ms) = self.tasks[i].next_timer() {
                earliest = earliest.min((ms.max(0) as u64).saturating_mul(NS_PER_MS));
            }
        }
        self.next_at[1 + self.sources.len() + i] = if earliest == u64::MAX {
            u64::MAX
        } else {
            earliest.max(self.tasks[i].busy_until)
        };
    }

    pub(super) fn refresh_async(&mut self, i: usize) {
        let t = match (self.status, self.tasks[i].snapshot()) {
            (JobStatus::Running, Some(s)) => s.next_at,
            _ => u64::MAX,
        };
        self.next_at[1 + self.sources.len() + self.tasks.len() + i] = t;
    }

    // -------------------------------------------------------------------------------------------------------
    // Actors
}
