//! What happened, in words (checkpoints, failures, restarts, restores, resizes, copy-on-write), next to what the
//! non-transactional sink received, duplicates marked.

use crate::engine::engine_event::{BarrierReport, EngineEvent, RestoreReason};
use crate::engine::mini_cluster::MiniCluster;
use crate::web::context::{SlowSim, Ui, UiAction};
use crate::web::format;
use yew::prelude::*;

const SHOWN: usize = 60;

pub fn describe(c: &MiniCluster, event: &EngineEvent) -> (String, &'static str) {
    match event {
        EngineEvent::CheckpointTriggered { checkpoint_id, manual } => {
            (format!("checkpoint {checkpoint_id} triggered{}", if *manual { " by hand" } else { "" }), "cp")
        }
        EngineEvent::BarrierInjected { split, checkpoint_id } => {
            (format!("source {split} snapshotted its position and injected barrier {checkpoint_id}"), "cp")
        }
        EngineEvent::BarrierReceived { subtask, split, checkpoint_id, outcome } => (
            match outcome {
                BarrierReport::Aligned { alignment_ns } => format!("subtask {subtask}: last barrier {checkpoint_id} (from source {split}) after {} of alignment", format::duration(*alignment_ns)),
                BarrierReport::Waiting { received, expected, blocked } => format!("subtask {subtask}: barrier {checkpoint_id} from source {split} ({received}/{expected}){}", if *blocked { ", channel blocked" } else { "" }),
                BarrierReport::Ignored => format!("subtask {subtask}: stale barrier {checkpoint_id} ignored"),
            },
            "cp",
        ),
        EngineEvent::SnapshotSyncPhase { subtask, checkpoint_id, maps, slots_copied, duration_ns, .. } => (
            format!("subtask {subtask}: sync phase of {checkpoint_id} — snapshotMapArrays on {maps} maps ({} bucket slots, {})", format::count(*slots_copied), format::duration(*duration_ns)),
            "cp",
        ),
        EngineEvent::SnapshotKeyGroupWritten { subtask, key_group, entries, .. } => {
            (format!("subtask {subtask}: wrote key group {key_group} ({entries} entries) and released its snapshot"), "cp")
        }
        EngineEvent::SnapshotAcknowledged { subtask, checkpoint_id, state_size, async_ns } => (
            format!("subtask {subtask}: async phase of {checkpoint_id} done — {} in {}", format::bytes(*state_size), format::duration(*async_ns)),
            "cp",
        ),
        EngineEvent::CheckpointCompleted { checkpoint_id, state_size, duration_ns, subsumed } => (
            format!(
                "checkpoint {checkpoint_id} COMPLETED — {} in {}{}",
                format::bytes(*state_size),
                format::duration(*duration_ns),
                if subsumed.is_empty() { String::new() } else { format!("; subsumed {subsumed:?}") }
            ),
            "ok",
        ),
        EngineEvent::CheckpointAborted { checkpoint_id, reason } => (format!("checkpoint {checkpoint_id} FAILED — {reason}"), "bad"),
        EngineEvent::TaskFailed { subtask, cause, attempt } => (
            format!("{} failed (attempt {attempt}): {cause}", subtask.map_or("a task".to_owned(), |s| format!("subtask {s}"))),
            "bad",
        ),
        EngineEvent::RestartScheduled { attempt, delay_ns } => {
            (format!("restart strategy: restarting as attempt {attempt} in {}", format::duration(*delay_ns)), "warn")
        }
        EngineEvent::JobRestored { checkpoint_id, reason, attempt, parallelism, max_parallelism, entries } => (
            format!(
                "{} attempt {attempt} at parallelism {parallelism} (maxParallelism {max_parallelism}) from {} — {} entries restored, sources rewound",
                match reason { RestoreReason::Failover => "restarted", RestoreReason::Manual => "restored by hand:", RestoreReason::External => "started from a stored checkpoint:" },
                checkpoint_id.map_or("scratch (no checkpoint yet)".to_owned(), |id| format!("checkpoint {id}")),
                format::count(*entries)
            ),
            "ok",
        ),
        EngineEvent::JobFailed { cause } => (format!("job FAILED: the restart strategy gave up after {cause}"), "bad"),
        EngineEvent::JobFinished => ("job FINISHED: the bounded source was read to the end".into(), "ok"),
        EngineEvent::SourceFinished { split } => (format!("source {split} finished"), "muted"),
        EngineEvent::SourceBackpressured { split, subtask } => (format!("source {split} backpressured by subtask {subtask}"), "warn"),
        EngineEvent::RecordEmitted { split, key, subtask, .. } => (format!("source {split} → subtask {subtask}: {}", c.keys().display(*key)), "muted"),
        EngineEvent::RecordProcessed { subtask, key, key_group, count, read, write, .. } => {
            let mut parts = vec![format!("subtask {subtask}: {} → {count} in key group {key_group}", c.keys().display(*key))];
            if let Some(r) = write.resize {
                parts.push(format!("resize {} → {} buckets started", r.from_capacity, r.to_capacity));
            }
            if [read.rehash, write.rehash].iter().flatten().any(|s| s.completed) {
                parts.push("incremental rehash completed".into());
            }
            let copies = read.entry_copies + write.entry_copies;
            if copies > 0 {
                parts.push(format!("{copies} entries copied on write"));
            }
            (parts.join(" · "), "map")
        }
    }
}

#[function_component(EventLog)]
pub fn event_log() -> Html {
    let SlowSim(sim) = use_context::<SlowSim>().expect("slow sim context");
    let ui = use_context::<Ui>().expect("ui context");
    let s = sim.borrow();
    let c = &s.cluster;
    let entries = s.log.iter().rev().take(SHOWN).map(|(t, e)| {
        let (text, class) = describe(c, e);
        html! { <li class={class}><span class="t">{format::time(*t)}</span>{text}</li> }
    });
    let follow = |key: String| {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(UiAction::Follow(Some(key.clone()))))
    };
    let sink = c.sink().recent().rev().take(SHOWN).map(|r| {
        let key = c.keys().display(r.key);
        html! {
            <li class={classes!(r.duplicate.then_some("duplicate"))} onclick={follow(key.clone())}>
                <span class="t">{format::time(r.time)}</span>
                {format!("({key}, {})", r.count)}
                <span class="muted">{format!(" subtask {} · attempt {}", r.subtask, r.attempt)}</span>
                if r.duplicate { <span class="tag">{"duplicate"}</span> }
            </li>
        }
    });
    let out = html! {
        <section class="panel log" aria-label="event log">
            <div class="log-columns">
                <div>
                    <div class="panel-head"><h2>{"What happened"}</h2></div>
                    <ul class="events" data-testid="event-log">{ for entries }</ul>
                </div>
                <div>
                    <div class="panel-head"><h2>{"Sink output"}</h2>
                        <span class="hint">{format!("{} records, {} duplicates (replayed after a restore)", format::count(c.sink().written()), format::count(c.sink().duplicates()))}</span>
                    </div>
                    <ul class="events sink-out" data-testid="sink-output">{ for sink }</ul>
                </div>
            </div>
        </section>
    };
    drop(s);
    out
}
