//! The job graph, animated from the engine's own state: `Source → keyBy → EventCounterProcessFunction → Sink`.
//!
//! Every channel's in-flight elements are drawn where they are at the display time (between emission and
//! arrival), records as dots labelled with their key and coloured by key group, barriers as bars with their
//! checkpoint id. Elements that arrived but were not processed yet queue at the subtask's inlet; a channel
//! blocked by barrier alignment shows a lock. At high speed, or with too many elements in flight, the view
//! draws flow rates instead of dots.
//!
//! Each subtask says which slot of which TaskManager it runs in, and a frame in the TaskManager's colour (its
//! heap gauge's) surrounds the keyed subtasks that share a TaskManager's heap.

use crate::engine::checkpoint::decimal::{fixed, shortest, Fixed, Shortest};
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::tasks::stream_element::StreamElement;
use crate::i18n::messages::{errors, job_graph as msg};
use crate::i18n::Lang;
use crate::player::format;
use crate::web::components::term::Term;
use crate::web::context::{use_sim, use_ui, UiAction};
use crate::web::markup::classes;
use crate::web::palette;
use yew::prelude::*;

const W: f64 = 1000.0;
const SOURCE_X: f64 = 20.0;
const SOURCE_W: f64 = 170.0;
const TASK_X: f64 = 540.0;
const TASK_W: f64 = 270.0;
const SINK_X: f64 = 858.0;
const SINK_W: f64 = 138.0;
/// Above this many elements in flight the view shows flow rates instead of dots.
const MAX_DOTS: usize = 160;
/// Labels are drawn on dots only when there are few of them.
const MAX_LABELS: usize = 40;

fn bezier(p0: (f64, f64), p3: (f64, f64), t: f64) -> (f64, f64) {
    let p1 = (p0.0 + (p3.0 - p0.0) * 0.45, p0.1);
    let p2 = (p3.0 - (p3.0 - p0.0) * 0.45, p3.1);
    let u = 1.0 - t;
    let x = u * u * u * p0.0 + 3.0 * u * u * t * p1.0 + 3.0 * u * t * t * p2.0 + t * t * t * p3.0;
    let y = u * u * u * p0.1 + 3.0 * u * u * t * p1.1 + 3.0 * u * t * t * p2.1 + t * t * t * p3.1;
    (x, y)
}

fn path(p0: (f64, f64), p3: (f64, f64)) -> String {
    let dx = (p3.0 - p0.0) * 0.45;
    format!(
        "M{},{} C{},{} {},{} {},{}",
        Fixed(p0.0, 1),
        Fixed(p0.1, 1),
        Fixed(p0.0 + dx, 1),
        Fixed(p0.1, 1),
        Fixed(p3.0 - dx, 1),
        Fixed(p3.1, 1),
        Fixed(p3.0, 1),
        Fixed(p3.1, 1)
    )
}

struct Layout {
    height: f64,
    sources: Vec<f64>,
    tasks: Vec<f64>,
    sink: f64,
    task_h: f64,
}

impl Layout {
    fn new(s: u32, p: u32) -> Self {
        let task_h = if p <= 4 { 84.0 } else { 58.0 };
        let height = (f64::from(p) * (task_h + 16.0))
            .max(f64::from(s) * 80.0)
            .max(200.0)
            + 20.0;
        let row = |n: u32, i: u32| height * (f64::from(i) + 0.5) / f64::from(n);
        Layout {
            height,
            sources: (0..s).map(|j| row(s, j)).collect(),
            tasks: (0..p).map(|i| row(p, i)).collect(),
            sink: height / 2.0,
            task_h,
        }
    }

    /// Where the channel from `split` enters subtask `task`.
    fn inlet(&self, split: usize, task: usize, s: usize) -> (f64, f64) {
        let spread = (self.task_h - 24.0).min(14.0 * s as f64);
        let offset = if s > 1 {
            (split as f64 / (s - 1) as f64 - 0.5) * spread
        } else {
            0.0
        };
        (TASK_X - 4.0, self.tasks[task] + offset)
    }
}

#[function_component(JobGraph)]
pub fn job_graph() -> Html {
    let sim = use_sim();
    let ui = use_ui();
    let l = ui.lang;
    let s = sim.borrow();
    let c = s.shown();
    let function = c.config().function;
    let (sp, p) = (c.source_parallelism() as usize, c.parallelism() as usize);
    let layout = Layout::new(sp as u32, p as u32);
    let now = s.display_time();
    let in_flight = s.in_flight();
    let dots_mode = s.shows_individual_records() && in_flight <= MAX_DOTS;
    let label_dots = dots_mode && in_flight <= MAX_LABELS;
    let follow = |key: String| {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(UiAction::Follow(Some(key.clone()))))
    };

    let mut edges = Vec::new();
    let mut elements = Vec::new();
    for j in 0..sp {
        let from = (SOURCE_X + SOURCE_W, layout.sources[j]);
        for i in 0..p {
            let to = layout.inlet(j, i, sp);
            let channel = c.channel(j as u32, c.tasks()[i].index());
            let rate = s.rates().channels.get(j * p + i).copied().unwrap_or(0.0);
            let width = if dots_mode {
                1.5
            } else {
                1.0 + (rate.max(1.0).log10() * 1.2).min(7.0)
            };
            edges.push(html! {
                <path class={if channel.is_blocked() { "edge blocked" } else { "edge" }} d={path(from, to)}
                    stroke-width={fixed(width, 1)} />
            });
            if !dots_mode {
                // Per-channel rates only while there are few channels (the subtask boxes show theirs anyway),
                // spread along the curves so crossing channels do not overprint each other.
                if rate >= 1.0 && sp * p <= 8 {
                    let slot = (j * p + i) as f64 + 0.5;
                    let mid = bezier(from, to, 0.2 + 0.6 * slot / (sp * p) as f64);
                    elements.push(html! {
                        <text class="rate" x={fixed(mid.0, 0)} y={fixed(mid.1 - 4.0, 0)}>{format::rate(rate)}</text>
                    });
                }
                let queued = channel.in_flight().filter(|e| e.arrives_at <= now).count();
                if queued > 0 {
                    elements.push(html! {
                        <text class="queue-count" x={fixed(to.0 - 8.0, 0)} y={fixed(to.1 - 5.0, 0)} text-anchor="end">
                            {msg::queued(l, queued)}
                        </text>
                    });
                }
            }
            if channel.is_blocked() {
                // A padlock drawn in SVG (emoji fonts are not everywhere).
                let (lx, ly) = (to.0 - 9.0, to.1 - 3.0);
                elements.push(html! {
                    <g class="lock">
                        <title>{l.t(&msg::BLOCKED)}</title>
                        <path d={format!("M{},{} v-3 a3,3 0 0 1 6,0 v3", Fixed(lx + 1.0, 1), Fixed(ly, 1))} />
                        <rect x={fixed(lx, 1)} y={fixed(ly, 1)} width="8" height="7" rx="1" />
                    </g>
                });
            }
            if dots_mode {
                let mut queue_position = 0usize;
                for flight in channel.in_flight() {
                    let emitted = match flight.element {
                        StreamElement::Record(r) => r.emitted_at,
                        StreamElement::Barrier(b) => b.timestamp,
                    };
                    let (x, y) = if flight.arrives_at <= now {
                        let q = queue_position;
                        queue_position += 1;
                        (to.0 - 14.0 - 13.0 * q as f64, to.1)
                    } else {
                        let span = flight.arrives_at.saturating_sub(emitted).max(1) as f64;
                        let t = (now.saturating_sub(emitted) as f64 / span).clamp(0.0, 1.0);
                        bezier(from, to, t)
                    };
                    if x < SOURCE_X + SOURCE_W {
                        continue;
                    }
                    elements.push(match flight.element {
                        StreamElement::Record(r) => {
                            let key = c.keys().display(r.key);
                            let kg = c.key_group_of(r.key);
                            html! {
                                <g class="dot" onclick={follow(key.clone())}>
                                    <title>{msg::record_title(l, &key, kg, i, r.event)}</title>
                                    <circle cx={fixed(x, 1)} cy={fixed(y, 1)} r="5.5" fill={palette::key_group(kg)} />
                                    if label_dots {
                                        <text x={fixed(x, 1)} y={fixed(y - 8.0, 1)} class="dot-label">{key}</text>
                                    }
                                </g>
                            }
                        }
                        StreamElement::Barrier(b) => html! {
                            <g class="barrier">
                                <title>{msg::barrier_title(l, b.checkpoint_id)}</title>
                                <rect x={fixed(x - 2.5, 1)} y={fixed(y - 11.0, 1)} width="5" height="22" rx="1.5" />
                                <text x={fixed(x, 1)} y={fixed(y - 14.0, 1)} class="barrier-label">{b.checkpoint_id}</text>
                            </g>
                        },
                    });
                }
            }
        }
    }

    // Where each subtask runs: the TaskManager's colour, and its label.
    let slots = *c.slot_sharing();
    let where_runs = |index: u32| {
        let slot = slots.slot_of(index);
        let tm = slots.task_manager_of_slot(slot);
        (
            tm,
            slots.slot_in_task_manager(slot),
            palette::task_manager(tm),
        )
    };

    // Sources.
    let sources = c.sources().iter().enumerate().map(|(j, src)| {
        let (tm, slot, color) = where_runs(j as u32);
        let y = layout.sources[j];
        let state = if c.status() != JobStatus::Running {
            l.t(&msg::STOPPED).to_owned()
        } else if src.is_finished() {
            l.t(&msg::FINISHED).to_owned()
        } else if let Some(subtask) = src.blocked_on() {
            msg::backpressured(l, subtask)
        } else if let Some((id, _)) = src.pending_trigger() {
            msg::trigger_on_its_way(l, id)
        } else {
            l.t(&msg::EMITTING).to_owned()
        };
        let position = src.split().position();
        html! {
            <g class="node source">
                <rect x={shortest(SOURCE_X)} y={fixed(y - 28.0, 1)} width={shortest(SOURCE_W)} height="56" rx="6" />
                <text x={shortest(SOURCE_X + 10.0)} y={fixed(y - 10.0, 1)} class="node-title">
                    {msg::source(l, j + 1, sp)}
                </text>
                <text x={shortest(SOURCE_X + 10.0)} y={fixed(y + 6.0, 1)} class="node-line">
                    {msg::offset(l, &format::count(position.generated + position.injected))}
                </text>
                <text x={shortest(SOURCE_X + 10.0)} y={fixed(y + 20.0, 1)} class="node-line muted">{state}</text>
                <text x={shortest(SOURCE_X + SOURCE_W - 8.0)} y={fixed(y - 10.0, 1)} class="tm-label"
                    text-anchor="end" fill={color} data-testid="tm-label">
                    <title>{msg::slot_title(l, tm, slot)}</title>
                    {format!("TM {tm}")}
                </text>
            </g>
        }
    });

    // Keyed subtasks.
    let last_subtask = s.last_record().and_then(|l| match l.event {
        crate::engine::cluster::engine_event::EngineEvent::RecordProcessed { subtask, .. } => {
            Some((subtask, l.time))
        }
        _ => None,
    });
    let tasks = c.tasks().iter().enumerate().map(|(i, task)| {
        let y = layout.tasks[i];
        let (tm, slot, color) = where_runs(task.index().into());
        let range = task.backend().key_group_range();
        let phase = task_phase(c, i, now, l);
        let flash = last_subtask.is_some_and(|(st, t)| st.index() == i && now.saturating_sub(t) < 50_000_000);
        let h = layout.task_h;
        let entries = format::count(task.backend().num_key_value_state_entries() as u64);
        let heap = format::bytes(task.backend().heap_used());
        let load = if dots_mode {
            msg::task_load(l, &heap, None)
        } else {
            msg::task_load(l, &heap, Some(&format::rate(s.rates().subtasks.get(i).copied().unwrap_or(0.0))))
        };
        html! {
            <g class={classes(&[("node task", true), ("flash", flash), ("down", c.status() != JobStatus::Running)])}>
                <rect x={shortest(TASK_X)} y={fixed(y - h / 2.0, 1)} width={shortest(TASK_W)} height={shortest(h)} rx="6" />
                <text x={shortest(TASK_X + 10.0)} y={fixed(y - h / 2.0 + 17.0, 1)} class="node-title">
                    {format!("{} ({}/{})", function.class_name(), i + 1, p)}
                </text>
                if h > 70.0 {
                    <text x={shortest(TASK_X + 10.0)} y={fixed(y - h / 2.0 + 33.0, 1)} class="node-line">
                        {msg::task_key_groups(l, range.start_key_group(), range.end_key_group(), &entries)}
                    </text>
                    <text x={shortest(TASK_X + 10.0)} y={fixed(y - h / 2.0 + 49.0, 1)} class="node-line muted">{load}</text>
                    <text x={shortest(TASK_X + TASK_W - 8.0)} y={fixed(y - h / 2.0 + 49.0, 1)} class="tm-label"
                        text-anchor="end" fill={color.clone()} data-testid="tm-label">
                        <title>{msg::slot_title(l, tm, slot)}</title>
                        {msg::slot_label(l, tm, slot)}
                    </text>
                    <text x={shortest(TASK_X + 10.0)} y={fixed(y - h / 2.0 + 67.0, 1)} class={format!("node-line phase {}", phase.1)}
                        textLength={squeeze(&phase.0, 10.5)} lengthAdjust="spacingAndGlyphs" data-testid="task-phase">{&phase.0}</text>
                } else {
                    // Compact boxes (more than 4 subtasks): smaller lines.
                    <text x={shortest(TASK_X + 10.0)} y={fixed(y - h / 2.0 + 27.0, 1)} class="node-line small">
                        {msg::task_key_groups(l, range.start_key_group(), range.end_key_group(), &entries)}
                    </text>
                    <text x={shortest(TASK_X + 10.0)} y={fixed(y - h / 2.0 + 39.0, 1)} class="node-line small muted">{load}</text>
                    <text x={shortest(TASK_X + TASK_W - 8.0)} y={fixed(y - h / 2.0 + 39.0, 1)} class="tm-label"
                        text-anchor="end" fill={color.clone()} data-testid="tm-label">
                        <title>{msg::slot_title(l, tm, slot)}</title>
                        {msg::slot_label(l, tm, slot)}
                    </text>
                    <text x={shortest(TASK_X + 10.0)} y={fixed(y - h / 2.0 + 51.0, 1)} class={format!("node-line small phase {}", phase.1)}
                        textLength={squeeze(&phase.0, 9.5)} lengthAdjust="spacingAndGlyphs" data-testid="task-phase">{&phase.0}</text>
                }
            </g>
        }
    });

    // A frame around the keyed subtasks of each TaskManager: they share its heap.
    let bands = (0..slots.task_managers).filter_map(|tm| {
        let subtasks = slots.keyed_subtasks_of(tm);
        if subtasks.is_empty() || subtasks.end > p {
            return None;
        }
        let top = layout.tasks[subtasks.start] - layout.task_h / 2.0 - 5.0;
        let bottom = layout.tasks[subtasks.end - 1] + layout.task_h / 2.0 + 5.0;
        Some(html! {
            <rect class="tm-band" x={shortest(TASK_X - 5.0)} y={fixed(top, 1)} width={shortest(TASK_W + 10.0)}
                height={fixed(bottom - top, 1)} rx="8" stroke={palette::task_manager(tm)} data-testid="tm-band">
                <title>{format!("TaskManager {tm}")}</title>
            </rect>
        })
    });

    // Subtasks → sink, with the records written most recently travelling along.
    let sink_in = (SINK_X, layout.sink);
    let travel = (c.config().network.latency_us * 1000).max(1);
    let sink_edges = (0..p).map(|i| {
        let from = (TASK_X + TASK_W, layout.tasks[i]);
        html! { <path class="edge sink-edge" d={path(from, sink_in)} /> }
    });
    let sink_dots: Vec<Html> = if dots_mode {
        c.sink()
            .recent()
            .rev()
            .take_while(|r| now.saturating_sub(r.time) < travel)
            .take(MAX_LABELS)
            .filter(|r| r.subtask.index() < p)
            .map(|r| {
                let from = (TASK_X + TASK_W, layout.tasks[r.subtask.index()]);
                let t = (now.saturating_sub(r.time) as f64 / travel as f64).clamp(0.0, 1.0);
                let (x, y) = bezier(from, sink_in, t);
                let kg = c.key_group_of(r.key);
                html! {
                    <g class={if r.duplicate { "dot out duplicate" } else { "dot out" }}>
                        <title>{format!("({}, {})", c.keys().display(r.key), r.count)}</title>
                        <circle cx={fixed(x, 1)} cy={fixed(y, 1)} r="4.5" fill={palette::key_group(kg)} />
                    </g>
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let sink = c.sink();
    let sink_box = html! {
        <g class="node sink">
            <rect x={shortest(SINK_X)} y={fixed(layout.sink - 40.0, 1)} width={shortest(SINK_W)} height="80" rx="6" />
            <text x={shortest(SINK_X + 10.0)} y={fixed(layout.sink - 20.0, 1)} class="node-title">{l.t(&msg::SINK)}</text>
            <text x={shortest(SINK_X + 10.0)} y={fixed(layout.sink - 4.0, 1)} class="node-line">{msg::written(l, &format::count(sink.written()))}</text>
            <text x={shortest(SINK_X + 10.0)} y={fixed(layout.sink + 12.0, 1)} class={if sink.duplicates() > 0 { "node-line warn" } else { "node-line" }}>
                {msg::duplicates(l, &format::count(sink.duplicates()))}
            </text>
            <text x={shortest(SINK_X + 10.0)} y={fixed(layout.sink + 28.0, 1)} class="node-line muted">
                { if dots_mode {
                    sink.recent().next_back().map_or_else(|| l.t(&msg::NOT_TRANSACTIONAL).to_owned(),
                        |r| msg::last(l, &format!("({}, {})", c.keys().display(r.key), r.count)))
                } else {
                    format::rate(s.rates().sink)
                } }
            </text>
        </g>
    };
    let mode_note = l.t(if dots_mode {
        &msg::DOTS_NOTE
    } else {
        &msg::RATES_NOTE
    });

    html! {
        <section class="panel graph" data-testid="job-graph" aria-label={l.t(&msg::LABEL)}>
            <div class="panel-head">
                <h2><Term id="job-graph">{l.t(&msg::TITLE)}</Term></h2>
                <span class="hint">{msg::pipeline(l, function.class_name())}{mode_note}<span data-testid="graph-placement">{msg::placement(l, &slots)}</span></span>
            </div>
            <svg viewBox={format!("0 0 {} {}", Shortest(W), Fixed(layout.height, 0))} class="graph-svg" role="img"
                aria-label={msg::graph_label(l, sp, p)}>
                { for edges }
                { for sink_edges }
                { for bands }
                { for sources }
                { for tasks }
                { sink_box }
                { for elements }
                { for sink_dots }
            </svg>
        </section>
    }
}

/// The width to squeeze a line of a subtask's box into (SVG text does not wrap), if at `font_size` in the
/// monospaced font (0.6 em a column, a little more to be safe) it is wider than the box.
fn squeeze(text: &str, font_size: f64) -> Option<String> {
    let room = TASK_W - 20.0;
    (crate::i18n::columns(text) as f64 * font_size * 0.62 > room).then(|| shortest(room))
}

/// What a subtask's task thread and snapshot are doing, and a style for it.
fn task_phase(c: &MiniCluster, i: usize, now: u64, l: Lang) -> (String, &'static str) {
    let task = &c.tasks()[i];
    match c.status() {
        JobStatus::Restarting => return (l.t(&msg::WAITING_FOR_RESTART).into(), "bad"),
        JobStatus::Failed => return (errors::job_status(JobStatus::Failed).into(), "bad"),
        JobStatus::Finished => return (l.t(&msg::FINISHED).into(), "muted"),
        JobStatus::Running => {}
    }
    if let Some(snapshot) = task.snapshot() {
        if now < snapshot.started_at {
            let id = snapshot.writer.checkpoint_id();
            return (msg::sync_phase(l, id), "sync");
        }
        let total = task.backend().key_group_range().number_of_key_groups();
        let (id, written) = (snapshot.writer.checkpoint_id(), snapshot.writer.written());
        return (msg::async_phase(l, id, written, total), "async");
    }
    if let Some((id, received)) = task.barrier_handler().aligning() {
        let got = received.iter().filter(|r| **r).count();
        return (msg::aligning(l, id, got, received.len()), "align");
    }
    if task.busy_until > now {
        return (l.t(&msg::PROCESSING).into(), "busy");
    }
    (l.t(&msg::IDLE).into(), "muted")
}
