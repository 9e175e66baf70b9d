//! What happened, in words (checkpoints, failures, restarts, restores, rescales, map resizes and rehashes,
//! copy-on-write), and, in a panel of its own, what the non-transactional sink received, duplicates marked.

use crate::engine::cluster::engine_event::{BarrierReport, EngineEvent, RestoreReason};
use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::i18n::messages::{errors, event_log as msg};
use crate::i18n::Lang;
use crate::player::format;
use crate::web::context::{use_slow_sim, use_ui, UiAction};
use yew::prelude::*;

const SHOWN: usize = 60;

/// One line of the log: a sentence in the page's language around a verbatim part — a key, or a Java
/// exception as the task threw it — which is shown as it is in every language (marked `translate="no"`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Description {
    pub before: String,
    pub verbatim: String,
    pub after: String,
    /// The line's style: `cp`, `ok`, `bad`, `warn`, `muted`, `map`.
    pub class: &'static str,
}

impl Description {
    fn text(before: String, class: &'static str) -> Self {
        Description {
            before,
            class,
            ..Description::default()
        }
    }

    pub fn html(&self) -> Html {
        html! {
            <>
                {self.before.clone()}
                if !self.verbatim.is_empty() { <span translate="no">{self.verbatim.clone()}</span> }
                {self.after.clone()}
            </>
        }
    }
}

pub fn describe(c: &MiniCluster, event: &EngineEvent, l: Lang) -> Description {
    let text = Description::text;
    match event {
        EngineEvent::CheckpointTriggered {
            checkpoint_id,
            manual,
        } => text(msg::checkpoint_triggered(l, *checkpoint_id, *manual), "cp"),
        EngineEvent::BarrierInjected {
            split,
            checkpoint_id,
        } => text(msg::barrier_injected(l, *split, *checkpoint_id), "cp"),
        EngineEvent::BarrierReceived {
            subtask,
            split,
            checkpoint_id,
            outcome,
        } => text(
            match outcome {
                BarrierReport::Aligned { alignment_ns } => msg::barrier_aligned(
                    l,
                    *subtask,
                    *checkpoint_id,
                    *split,
                    &format::duration(*alignment_ns),
                ),
                BarrierReport::Waiting {
                    received,
                    expected,
                    blocked,
                } => msg::barrier_waiting(
                    l,
                    *subtask,
                    *checkpoint_id,
                    *split,
                    *received,
                    *expected,
                    *blocked,
                ),
                BarrierReport::Ignored => msg::barrier_ignored(l, *subtask, *checkpoint_id),
            },
            "cp",
        ),
        EngineEvent::SnapshotSyncPhase {
            subtask,
            checkpoint_id,
            maps,
            slots_copied,
            duration_ns,
            ..
        } => text(
            msg::sync_phase(
                l,
                *subtask,
                *checkpoint_id,
                *maps,
                &format::count(*slots_copied),
                &format::duration(*duration_ns),
            ),
            "cp",
        ),
        EngineEvent::SnapshotKeyGroupWritten {
            subtask,
            key_group,
            entries,
            ..
        } => text(
            msg::key_group_written(l, *subtask, *key_group, *entries),
            "cp",
        ),
        EngineEvent::SnapshotAcknowledged {
            subtask,
            checkpoint_id,
            state_size,
            async_ns,
        } => text(
            msg::async_done(
                l,
                *subtask,
                *checkpoint_id,
                &format::bytes(*state_size),
                &format::duration(*async_ns),
            ),
            "cp",
        ),
        EngineEvent::CheckpointCompleted {
            checkpoint_id,
            state_size,
            duration_ns,
            subsumed,
        } => text(
            msg::checkpoint_completed(
                l,
                *checkpoint_id,
                &format::bytes(*state_size),
                &format::duration(*duration_ns),
                subsumed,
            ),
            "ok",
        ),
        EngineEvent::CheckpointAborted {
            checkpoint_id,
            reason,
        } => text(
            msg::checkpoint_aborted(l, *checkpoint_id, &errors::checkpoint_failure(reason, l)),
            "bad",
        ),
        EngineEvent::TaskFailed {
            subtask,
            cause,
            attempt,
        } => {
            let (exception, after) = errors::failure_cause(cause, l);
            Description {
                before: msg::task_failed(l, *subtask, *attempt),
                verbatim: exception,
                after,
                class: "bad",
            }
        }
        EngineEvent::RestartScheduled { attempt, delay_ns } => text(
            msg::restart_scheduled(l, *attempt, &format::duration(*delay_ns)),
            "warn",
        ),
        EngineEvent::JobRestored {
            checkpoint_id,
            reason,
            attempt,
            parallelism,
            max_parallelism,
            entries,
        } => text(
            msg::job_restored(
                l,
                l.t(match reason {
                    RestoreReason::Failover => &msg::RESTARTED,
                    RestoreReason::Manual => &msg::RESTORED_BY_HAND,
                    RestoreReason::External => &msg::STARTED_FROM_STORED,
                }),
                *attempt,
                *parallelism,
                *max_parallelism,
                &checkpoint_id.map_or_else(
                    || l.t(&msg::FROM_SCRATCH).to_owned(),
                    |id| msg::checkpoint_named(l, id),
                ),
                &format::count(*entries),
            ),
            "ok",
        ),
        EngineEvent::JobFailed { cause } => {
            let (exception, after) = errors::failure_cause(cause, l);
            Description {
                before: l.t(&msg::JOB_FAILED).to_owned(),
                verbatim: exception,
                after,
                class: "bad",
            }
        }
        EngineEvent::StateMapResized {
            subtask,
            key_group,
            from_capacity,
            to_capacity,
            completed,
        } => text(
            msg::state_map_resized(
                l,
                *subtask,
                *key_group,
                *from_capacity,
                *to_capacity,
                *completed,
            ),
            "map",
        ),
        EngineEvent::JobFinished => text(l.t(&msg::JOB_FINISHED).to_owned(), "ok"),
        EngineEvent::SourceFinished { split } => text(msg::source_finished(l, *split), "muted"),
        EngineEvent::SourceBackpressured { split, subtask } => {
            text(msg::source_backpressured(l, *split, *subtask), "warn")
        }
        EngineEvent::RecordEmitted {
            split,
            key,
            subtask,
            ..
        } => Description {
            before: msg::record_emitted(l, *split, *subtask),
            verbatim: c.keys().display(*key),
            class: "muted",
            ..Description::default()
        },
        EngineEvent::RecordProcessed {
            subtask,
            key,
            key_group,
            count,
            read,
            write,
            ..
        } => {
            let mut after = msg::record_processed_after(l, *count, *key_group);
            let copies = read.entry_copies + write.entry_copies;
            if copies > 0 {
                after.push_str(" · ");
                after.push_str(&msg::copied_on_write(l, copies));
            }
            Description {
                before: msg::record_processed_before(l, *subtask),
                verbatim: c.keys().display(*key),
                after,
                class: "map",
            }
        }
        EngineEvent::TimerFired {
            subtask,
            key,
            timestamp,
            emitted,
            ..
        } => Description {
            before: msg::timer_fired_before(l, *subtask, *timestamp),
            verbatim: c.keys().display(*key),
            after: msg::timer_fired_after(l, *emitted),
            class: "map",
        },
    }
}

/// What happened, newest first, and what the non-transactional sink received (duplicates marked; a record
/// leads to its key): two panels side by side in the page's grid. "What happened" goes under the job graph —
/// beside it on wide screens —, where the eye is while the job plays (the sink output is ordered to the bottom
/// by the style sheet); empty, it says what will appear.
#[function_component(EventLog)]
pub fn event_log() -> Html {
    let sim = use_slow_sim();
    let ui = use_ui();
    let l = ui.lang;
    let s = sim.borrow();
    let c = s.shown();
    let entries = s.log().iter().rev().take(SHOWN).map(|(t, e)| {
        let line = describe(c, e, l);
        html! { <li class={line.class}><span class="t">{format::time(*t)}</span>{line.html()}</li> }
    });
    let follow = |key: String| {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(UiAction::Follow(Some(key.clone()))))
    };
    let sink = c.sink().recent().rev().take(SHOWN).map(|r| {
        let key = c.keys().display(r.key);
        html! {
            <li class={r.duplicate.then_some("duplicate")} onclick={follow(key.clone())}>
                <span class="t">{format::time(r.time)}</span>
                <span translate="no">{format!("({key}, {})", r.count)}</span>
                <span class="muted">{msg::sink_origin(l, r.subtask, r.attempt)}</span>
                if r.duplicate { <span class="tag">{l.t(&msg::DUPLICATE)}</span> }
            </li>
        }
    });
    let out = html! {
        <>
            <section class="panel happened" aria-label={l.t(&msg::LABEL)} data-testid="what-happened">
                <div class="panel-head"><h2>{l.t(&msg::WHAT_HAPPENED)}</h2></div>
                if s.log().is_empty() {
                    <p class="empty" data-testid="event-log-empty">{l.t(&msg::EMPTY)}</p>
                }
                <ul class="events" data-testid="event-log">{ for entries }</ul>
            </section>
            <section class="panel log" aria-label={l.t(&msg::SINK_OUTPUT)}>
                <div class="panel-head"><h2>{l.t(&msg::SINK_OUTPUT)}</h2>
                    <span class="hint">{msg::sink_summary(l, &format::count(c.sink().written()), &format::count(c.sink().duplicates()))}</span>
                </div>
                <ul class="events sink-out" data-testid="sink-output">{ for sink }</ul>
            </section>
        </>
    };
    drop(s);
    out
}
