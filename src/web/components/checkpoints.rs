//! Checkpoints as Flink's Web UI shows them: a timeline, the history table (ID, status, acknowledged, trigger
//! time, end-to-end duration, checkpointed data size, sync and async durations, per-subtask details), the
//! periodic interval, and restoring any retained checkpoint — also at another parallelism.

use crate::engine::checkpoint::checkpoint_coordinator::{CheckpointStats, CheckpointStatus};
use crate::engine::checkpoint::decimal::fixed;
use crate::engine::cluster::job_config::{CheckpointingMode, MAX_JOB_PARALLELISM};
use crate::i18n::messages::{checkpoints as msg, errors};
use crate::player::format;
use crate::player::simulation::SimulationAction;
use crate::web::components::term::Term;
use crate::web::context::{use_slow_sim, use_ui, UiAction};
use crate::web::markup::header_row;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

const TIMELINE: usize = 24;

fn end_to_end(stats: &CheckpointStats, now: u64) -> u64 {
    stats
        .end_time
        .unwrap_or(now)
        .saturating_sub(stats.trigger_time)
}

#[function_component(CheckpointsPanel)]
pub fn checkpoints_panel() -> Html {
    let sim = use_slow_sim();
    let ui = use_ui();
    let restore_choice = use_state(|| None::<u64>);
    let restore_parallelism = use_state(|| None::<u32>);
    let interval_draft = use_state(|| None::<String>);
    let l = ui.lang;

    let s = sim.borrow();
    let c = s.shown();
    let now = s.display_time();
    let coordinator = c.coordinator();
    let history: Vec<CheckpointStats> = coordinator.history().cloned().collect();
    let retained: Vec<(u64, u32, usize, u64)> = coordinator
        .store()
        .all()
        .map(|cp| {
            (
                cp.checkpoint_id,
                cp.parallelism,
                cp.entries(),
                cp.state_size(),
            )
        })
        .collect();
    let interval = coordinator.interval_ms();
    let mode = coordinator.mode();
    let parallelism = c.parallelism();
    let max_parallelism = c.max_parallelism();
    let configured_max = c.config().max_parallelism;
    drop(s);

    // Timeline strip.
    let recent: Vec<&CheckpointStats> = history.iter().rev().take(TIMELINE).collect();
    let timeline = if recent.is_empty() {
        html! { <div class="timeline empty">{l.t(&msg::NONE_YET)}</div> }
    } else {
        let t0 = recent.iter().map(|s| s.trigger_time).min().unwrap_or(0);
        let t1 = now
            .max(recent.iter().filter_map(|s| s.end_time).max().unwrap_or(0))
            .max(t0 + 1);
        let x = |t: u64| (t.saturating_sub(t0)) as f64 / (t1 - t0) as f64 * 1000.0;
        html! {
            <svg class="timeline" viewBox="0 0 1000 34" preserveAspectRatio="none" role="img" aria-label={l.t(&msg::TIMELINE)}>
                { for recent.iter().map(|st| {
                    let (a, b) = (x(st.trigger_time), x(st.end_time.unwrap_or(now)));
                    let class = match st.status { CheckpointStatus::Completed => "cp-ok", CheckpointStatus::InProgress => "cp-run", CheckpointStatus::Failed(_) => "cp-bad" };
                    html! {
                        <g class={class}>
                            <rect x={fixed(a, 1)} y="6" width={fixed((b - a).max(3.0), 1)} height="16" rx="2" />
                            <text x={fixed(a, 1)} y="32" class="tick">{st.checkpoint_id}</text>
                        </g>
                    }
                }) }
            </svg>
        }
    };

    let rows = history.iter().rev().take(30).map(|st| {
        let expanded = ui.expanded_checkpoint == Some(st.checkpoint_id);
        let toggle = {
            let ui = ui.clone();
            let id = st.checkpoint_id;
            Callback::from(move |_| ui.dispatch(UiAction::ExpandCheckpoint(if expanded { None } else { Some(id) })))
        };
        let (status, class, reason) = match &st.status {
            CheckpointStatus::Completed => (l.t(&msg::COMPLETED), "ok", None),
            CheckpointStatus::InProgress => (l.t(&msg::IN_PROGRESS), "run", None),
            CheckpointStatus::Failed(reason) => (l.t(&msg::FAILED), "bad", Some(errors::checkpoint_failure(reason, l))),
        };
        let acks = st.subtasks.iter().flatten();
        let sync = acks.clone().map(|a| a.sync_ns).max().unwrap_or(0);
        let async_ = acks.clone().map(|a| a.async_ns).max().unwrap_or(0);
        let alignment = acks.clone().map(|a| a.alignment_ns).max().unwrap_or(0);
        let copies: u64 = acks.map(|a| a.copy_on_write_copies).sum();
        html! {
            <>
                <tr class={format!("cp-row {class}")} onclick={toggle} data-testid={format!("checkpoint-{}", st.checkpoint_id)}>
                    <td title={format!("{}: {}", l.t(&msg::COL_TRIGGER), format::time(st.trigger_time))}>{ if expanded { "▾ " } else { "▸ " } }{st.checkpoint_id}{ if st.manual { l.t(&msg::MANUAL) } else { "" } }</td>
                    <td class="status" title={reason.clone()}>{status}</td>
                    <td>{format!("{}/{}", st.acknowledged_subtasks() + st.sources_acknowledged as usize, st.subtasks.len() + st.sources as usize)}</td>
                    <td>{format::duration(end_to_end(st, now))}</td>
                    <td>{format::bytes(st.state_size())}</td>
                    <td>{format::duration(sync)}</td>
                    <td>{format::duration(async_)}</td>
                    <td>{format::duration(alignment)}</td>
                    <td>{format::count(copies)}</td>
                </tr>
                if expanded {
                    <tr class="details"><td colspan="9">
                        if let Some(r) = &reason { <p class="reason">{l.t(&msg::FAILURE_CAUSE)}{r}</p> }
                        <table class="subtasks">
                            {header_row(l, &[msg::SUB_SUBTASK, msg::SUB_ACKNOWLEDGED, msg::SUB_ALIGNMENT, msg::SUB_SYNC,
                                msg::SUB_ASYNC, msg::SUB_SIZE, msg::SUB_ENTRIES, msg::SUB_COPIES])}
                            { for st.subtasks.iter().enumerate().map(|(i, a)| match a {
                                Some(a) => html! { <tr><td>{i}</td><td>{format::time(a.ack_time)}</td><td>{format::duration(a.alignment_ns)}</td>
                                    <td>{format::duration(a.sync_ns)}</td><td>{format::duration(a.async_ns)}</td><td>{format::bytes(a.state_size)}</td>
                                    <td>{format::count(a.entries)}</td><td>{format::count(a.copy_on_write_copies)}</td></tr> },
                                None => html! { <tr><td>{i}</td><td colspan="7" class="muted">{l.t(&msg::NOT_ACKNOWLEDGED)}</td></tr> },
                            }) }
                        </table>
                    </td></tr>
                }
            </>
        }
    });

    // Restore.
    let chosen = restore_choice
        .filter(|id| retained.iter().any(|r| r.0 == *id))
        .or(retained.last().map(|r| r.0));
    let target_parallelism = restore_parallelism.unwrap_or(parallelism);
    let on_choose = {
        let restore_choice = restore_choice.clone();
        Callback::from(move |e: Event| {
            restore_choice.set(
                e.target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .parse()
                    .ok(),
            );
        })
    };
    let on_parallelism = {
        let restore_parallelism = restore_parallelism.clone();
        Callback::from(move |e: Event| {
            restore_parallelism.set(
                e.target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .parse()
                    .ok(),
            );
        })
    };
    let on_restore = {
        let (sim, ui) = (sim.clone(), ui.clone());
        let restore_parallelism = restore_parallelism.clone();
        Callback::from(move |_| {
            let result = sim.dispatch(SimulationAction::Restore {
                checkpoint_id: chosen,
                parallelism: target_parallelism,
            });
            if result.is_ok() {
                restore_parallelism.set(None);
            }
            ui.dispatch(UiAction::Error(result.err()));
        })
    };

    // Periodic interval.
    let interval_text = (*interval_draft)
        .clone()
        .unwrap_or_else(|| interval.map_or(String::new(), |i| i.to_string()));
    let on_interval_input = {
        let draft = interval_draft.clone();
        Callback::from(move |e: InputEvent| {
            draft.set(Some(e.target_unchecked_into::<HtmlInputElement>().value()))
        })
    };
    let on_interval = {
        let (sim, ui, draft) = (sim.clone(), ui.clone(), interval_draft.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = (*draft).clone().unwrap_or_default();
            let result = sim.dispatch(SimulationAction::SetCheckpointInterval(&text));
            draft.set(None);
            ui.dispatch(UiAction::Error(result.err()));
        })
    };

    html! {
        <section class="panel checkpoints" aria-label={l.t(&msg::LABEL)}>
            <div class="panel-head">
                <h2><Term id="checkpoint">{l.t(&msg::TITLE)}</Term></h2>
                <span class="hint">{msg::summary(l, match mode { CheckpointingMode::ExactlyOnce => "EXACTLY_ONCE", CheckpointingMode::AtLeastOnce => "AT_LEAST_ONCE" },
                    retained.len(), l.t(if mode == CheckpointingMode::ExactlyOnce { &msg::ALIGNED } else { &msg::NOT_ALIGNED }))}</span>
            </div>
            <form class="inline" onsubmit={on_interval}>
                <label>{l.t(&msg::INTERVAL)}
                    <input data-testid="checkpoint-interval" type="text" inputmode="numeric" value={interval_text} oninput={on_interval_input} />
                </label>
                <button type="submit" class="small">{l.t(&msg::SET)}</button>
            </form>
            { timeline }
            <div class="table-scroll" tabindex="0" role="region" aria-label={l.t(&msg::TITLE)}>
                <table class="cp-table" data-testid="checkpoint-list">
                    <thead>{header_row(l, &[msg::COL_ID, msg::COL_STATUS, msg::COL_ACKNOWLEDGED, msg::COL_END_TO_END,
                        msg::COL_SIZE, msg::COL_SYNC, msg::COL_ASYNC, msg::COL_ALIGNMENT, msg::COL_COPIES])}</thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            <div class="restore">
                if retained.is_empty() {
                    <span class="muted">{l.t(&msg::NOTHING_TO_RESTORE)}</span>
                } else {
                    <label>{l.t(&msg::RESTORE_CHECKPOINT)}
                        <select data-testid="restore-checkpoint" onchange={on_choose}>
                            { for retained.iter().map(|(id, p, entries, size)| html! {
                                <option value={id.to_string()} selected={Some(*id) == chosen}>
                                    {msg::retained_option(l, *id, *p, &format::count(*entries as u64), &format::bytes(*size))}
                                </option>
                            }) }
                        </select>
                    </label>
                    <label>{l.t(&msg::AT_PARALLELISM)}
                        <select data-testid="restore-parallelism" onchange={on_parallelism}>
                            { for (1..=MAX_JOB_PARALLELISM).map(|p| html! {
                                <option value={p.to_string()} selected={p == target_parallelism}
                                    disabled={p > max_parallelism}>{p}</option>
                            }) }
                        </select>
                    </label>
                    <button data-testid="restore" onclick={on_restore}>{l.t(&msg::RESTORE)}</button>
                    <span class="hint">{msg::max_parallelism(l, max_parallelism, configured_max.is_some())}</span>
                }
            </div>
        </section>
    }
}
