//! What the page notes of the engine's events as the job runs: the event log ("what happened"), the last
//! record processed (to highlight it), the heap chart's marks, and the key groups the latest restore moved.

use super::heap_history::HeapMark;
use crate::engine::checkpoint::state_assignment_operation::moved_key_groups;
use crate::engine::cluster::engine_event::{EngineEvent, FailureCause, Reporter};
use crate::engine::cluster::job_counters::JobCounters;
use crate::engine::keys::key_group::KeyGroup;
use std::collections::VecDeque;

/// Entries the event log keeps (the oldest go first).
const LOG_LIMIT: usize = 200;

/// The last `processElement` the page saw, to highlight it, and the timer that fired after it, if the last keyed
/// call was an `onTimer` (an [`EngineEvent::TimerFired`]; the code panel shows that call then).
#[derive(Clone, Debug, PartialEq)]
pub struct LastRecord {
    pub time: u64,
    pub event: EngineEvent,
    pub then_timer: Option<EngineEvent>,
}

/// How long key groups that moved in a restore stay outlined: wall ms of playing (paused, they stay).
pub const MOVED_OUTLINED_MS: f64 = 4000.0;

/// Key groups that changed subtask in the latest restore, and how long the job has played since (wall ms):
/// the state table outlines them until it has played a few seconds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MovedKeyGroups {
    pub key_groups: Vec<KeyGroup>,
    pub played_ms: f64,
}

/// Collects per-record events into the page's buffers.
pub(super) struct PageReporter<'a> {
    pub log: &'a mut VecDeque<(u64, EngineEvent)>,
    pub last_record: &'a mut Option<LastRecord>,
    pub marks: &'a mut Vec<(u64, HeapMark)>,
    /// The job's parallelism before the events noted so far, and the key groups the latest restore moved.
    pub parallelism: u32,
    pub moved: &'a mut Option<MovedKeyGroups>,
    /// Where events are held back instead of noted, if anywhere (one event back: see [`HeldEvents`]).
    pub held: Option<&'a mut HeldEvents>,
}

impl PageReporter<'_> {
    /// Notes one event the engine reported at simulated time `now`.
    pub fn note(&mut self, now: u64, event: EngineEvent) {
        if let Some(held) = &mut self.held {
            held.events.push_back((held.step, now, event));
            return;
        }
        match &event {
            EngineEvent::TaskFailed { cause, .. } => {
                let mark = match cause {
                    FailureCause::OutOfMemory { task_manager, .. } => {
                        HeapMark::OutOfMemory(*task_manager)
                    }
                    _ => HeapMark::Failure,
                };
                self.marks.push((now, mark));
            }
            EngineEvent::JobRestored {
                parallelism,
                max_parallelism,
                ..
            } => {
                self.marks.push((now, HeapMark::Restored));
                // Every restore, by hand, by a script or by the restart strategy, says which key groups moved.
                *self.moved = Some(MovedKeyGroups {
                    key_groups: moved_key_groups(*max_parallelism, self.parallelism, *parallelism),
                    played_ms: 0.0,
                });
                self.parallelism = *parallelism;
            }
            EngineEvent::RecordProcessed { .. } => {
                *self.last_record = Some(LastRecord {
                    time: now,
                    event: event.clone(),
                    then_timer: None,
                });
            }
            EngineEvent::TimerFired { .. } => {
                if let Some(last) = self.last_record.as_mut() {
                    last.then_timer = Some(event.clone());
                }
            }
            _ => {}
        }
        if is_logged(&event) {
            if self.log.len() == LOG_LIMIT {
                self.log.pop_front();
            }
            self.log.push_back((now, event));
        }
    }
}

/// What the event log shows: milestones (resizes and rehashes among them, reported on the fast path too), the
/// records that copied entries on write, and the timers that closed a session.
fn is_logged(event: &EngineEvent) -> bool {
    match event {
        EngineEvent::RecordProcessed { read, write, .. } => {
            write.entry_copies + read.entry_copies > 0
        }
        // A session that closed; not the timers of events the session went on after.
        EngineEvent::TimerFired { emitted, .. } => emitted.is_some(),
        EngineEvent::RecordEmitted { .. }
        | EngineEvent::BarrierReceived { .. }
        | EngineEvent::SnapshotKeyGroupWritten { .. }
        | EngineEvent::SourceBackpressured { .. } => false,
        _ => true,
    }
}

/// Every event, per record too (slow speeds).
pub(super) struct Detailed<'a>(pub PageReporter<'a>);
/// Milestones only: the engine's fast path.
pub(super) struct Fast<'a>(pub PageReporter<'a>);

impl Reporter for Detailed<'_> {
    const PER_RECORD: bool = true;
    fn report(&mut self, at: u64, event: EngineEvent) {
        self.0.note(at, event);
    }

    fn step_started(&mut self, counters: &JobCounters) {
        if let Some(held) = &mut self.0.held {
            held.step_started(counters.steps);
        }
    }
}

/// Events held back with the step they belong to (the step they happened in, or the position of the command
/// that caused them), those of the last `window` steps reached, until it is known which steps the event log's
/// window holds: one event back finds the step of the record before only once it gets there.
pub(super) struct HeldEvents {
    window: u64,
    step: u64,
    events: VecDeque<(u64, u64, EngineEvent)>,
}

impl HeldEvents {
    pub fn new(window: u64) -> Self {
        HeldEvents {
            window,
            step: 0,
            events: VecDeque::new(),
        }
    }

    fn step_started(&mut self, step: u64) {
        self.step = step;
        // The replay goes on to this step or later: what is `window` steps before it is not in the window.
        while self
            .events
            .front()
            .is_some_and(|&(held, _, _)| held + self.window <= step)
        {
            self.events.pop_front();
        }
    }

    /// Notes the events held of the positions after `after` to `page`, in order.
    pub fn note_after(self, after: u64, page: &mut PageReporter<'_>) {
        for (step, at, event) in self.events {
            if step > after {
                page.note(at, event);
            }
        }
    }
}

impl Reporter for Fast<'_> {
    const PER_RECORD: bool = false;
    fn report(&mut self, at: u64, event: EngineEvent) {
        self.0.note(at, event);
    }
}
