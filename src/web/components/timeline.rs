//! The run's timeline (time travel): the whole run so far as a strip with its checkpoints, failures,
//! restores and commands marked, a handle to scrub through it, and one-event steps back and forth. Going back
//! is a seek in the engine's [`RunHistory`](crate::engine::history::run_history::RunHistory) (the nearest snapshot,
//! replayed); playing from the past follows the recorded run; acting in the past forks it, and a notice offers
//! to undo that (the engine keeps the discarded future until the next fork, or until the notice is dismissed).
//! The strip also holds the lessons button.

use crate::engine::checkpoint::decimal::Fixed;
use crate::engine::cluster::engine_event::FailureCause;
use crate::engine::history::run_history::{Mark, MarkKind};
use crate::i18n::messages::{lessons as lmsg, timeline as msg};
use crate::i18n::{Lang, Text};
use crate::player::format;
use crate::player::simulation::{Effect, SimulationAction};
use crate::web::context::{use_lessons, use_sim, use_ui, LessonAction, UiAction};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Marks are drawn in at most this many places along the strip.
const BINS: usize = 240;

/// What a mark is, for drawing. Each kind has its own lane (a failure and the restore that follows it
/// happen at nearly the same step: no steps are taken while the restart strategy waits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Command,
    Checkpoint,
    Restore,
    Failure,
    /// In this TaskManager.
    OutOfMemory(u32),
}

impl Kind {
    fn of(mark: &Mark) -> Option<Kind> {
        Some(match &mark.kind {
            MarkKind::CheckpointCompleted { .. } => Kind::Checkpoint,
            MarkKind::TaskFailed {
                cause: FailureCause::OutOfMemory { task_manager, .. },
                ..
            } => Kind::OutOfMemory(*task_manager),
            MarkKind::TaskFailed { .. } | MarkKind::JobFailed => Kind::Failure,
            MarkKind::JobRestored { .. } => Kind::Restore,
            MarkKind::Command { .. } => Kind::Command,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Command => "command",
            Kind::Checkpoint => "checkpoint",
            Kind::Restore => "restore",
            Kind::Failure => "failure",
            Kind::OutOfMemory(_) => "oom",
        }
    }

    fn label(self) -> Text {
        match self {
            Kind::Command => msg::MARK_COMMAND,
            Kind::Checkpoint => msg::MARK_CHECKPOINT,
            Kind::Restore => msg::MARK_RESTORE,
            Kind::Failure => msg::MARK_FAILURE,
            Kind::OutOfMemory(_) => msg::MARK_OOM,
        }
    }
}

/// One drawn mark: where (0..1 along the strip), what, and the step to jump to.
#[derive(Clone, Copy, PartialEq)]
struct Drawn {
    at: f64,
    kind: Kind,
    step: u64,
    records: u64,
}

/// The marks to draw: per kind at most one in each of `BINS` places along the strip (the last one there), ordered
/// by kind, then place. Without an ordered map: each kind's places filled in turn (a few kinds; an ordered map of
/// its own type cost the page's wasm 1.7 KB gzipped, BENCHMARKS.md "Size budget").
fn bin_marks(marks: &[Mark], origin: u64, head: u64) -> Vec<Drawn> {
    let span = head.saturating_sub(origin).max(1) as f64;
    let placed: Vec<(Kind, usize, Drawn)> = marks
        .iter()
        .filter_map(|mark| {
            let kind = Kind::of(mark)?;
            let at = (mark.step.saturating_sub(origin) as f64 / span).clamp(0.0, 1.0);
            let bin = ((at * (BINS - 1) as f64).round() as usize).min(BINS - 1);
            let drawn = Drawn {
                at,
                kind,
                step: mark.step,
                records: mark.records,
            };
            Some((kind, bin, drawn))
        })
        .collect();
    let mut out = Vec::new();
    let mut previous: Option<Kind> = None;
    // The kinds in order: each time the least one after the previous.
    while let Some(kind) = placed
        .iter()
        .map(|p| p.0)
        .filter(|k| previous.is_none_or(|p| *k > p))
        .min()
    {
        let mut places = [None; BINS];
        for (k, bin, drawn) in &placed {
            if *k == kind {
                places[*bin] = Some(*drawn);
            }
        }
        out.extend(places.iter().flatten().copied());
        previous = Some(kind);
    }
    out
}

#[function_component(Timeline)]
pub fn timeline() -> Html {
    let sim = use_sim();
    let ui = use_ui();
    let lessons = use_lessons();
    let l: Lang = ui.lang;

    let s = sim.borrow();
    let origin = s.history().origin();
    let head = s.history().head();
    let counters = *s.cluster().counters();
    let step = counters.steps;
    let records = counters.records_processed;
    let in_past = s.in_the_past();
    let marks = bin_marks(s.history().marks(), origin.step, head.step);
    let now = s.cluster().now();
    let fork = s.history().discarded();
    drop(s);

    let report = {
        let ui = ui.clone();
        move |result: Result<Effect, crate::player::page_error::PageError>| {
            if let Err(e) = result {
                ui.dispatch(UiAction::Error(Some(e)));
            }
        }
    };
    let seek = {
        let (sim, report) = (sim.clone(), report.clone());
        Callback::from(move |target: u64| report(sim.dispatch(SimulationAction::Seek(target))))
    };
    let on_scrub = {
        let seek = seek.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(v) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse::<u64>()
            {
                seek.emit(v);
            }
        })
    };
    let on_back = {
        let (sim, report) = (sim.clone(), report.clone());
        Callback::from(move |_| report(sim.dispatch(SimulationAction::StepBack)))
    };
    let on_forward = {
        let sim = sim.clone();
        Callback::from(move |_| drop(sim.dispatch(SimulationAction::StepRecord)))
    };
    let on_live = {
        let seek = seek.clone();
        Callback::from(move |_| seek.emit(head.step))
    };
    let on_lessons = Callback::from(move |_| lessons.dispatch(LessonAction::Toggle));
    let on_undo = {
        let (sim, report) = (sim.clone(), report.clone());
        Callback::from(move |_| report(sim.dispatch(SimulationAction::UndoFork)))
    };
    let on_keep = {
        let sim = sim.clone();
        Callback::from(move |_| drop(sim.dispatch(SimulationAction::KeepFork)))
    };
    let position = msg::position(l, &format::count(records), &format::count(head.records));
    // As wide as the text is at the newest moment (digits are all as wide in this font; a CJK character two of
    // them): going back in time never narrows it, so the track keeps its width under a dragged thumb.
    let widest = format!(
        "{} · {}",
        msg::position(
            l,
            &format::count(head.records),
            &format::count(head.records)
        ),
        format::time(head.time.max(now))
    );
    let widest_ch: usize = widest
        .chars()
        .map(|c| if c.is_ascii() { 1 } else { 2 })
        .sum();

    html! {
        <>
        if let Some(fork) = fork {
            // Fixed in the viewport: a command given anywhere on the page (the top bar, a stored checkpoint, the
            // settings) forks the run, and the way back is offered where it is seen.
            <div class="banner fork-notice" data-testid="fork-notice" role="status">
                <span>{ match fork.discarded_head.records.saturating_sub(fork.at.records) {
                    0 => l.t(&msg::FORKED).to_owned(),
                    n => msg::forked(l, &format::count(n)),
                } }</span>
                <button data-testid="fork-undo" onclick={on_undo} title={l.t(&msg::UNDO_TITLE)}>{l.t(&msg::UNDO)}</button>
                <button class="ghost" data-testid="fork-keep" aria-label={l.t(&crate::i18n::messages::common::DISMISS)} onclick={on_keep}>{"×"}</button>
            </div>
        }
        <div class={if in_past { "timeline past" } else { "timeline" }} data-testid="timeline" role="group" aria-label={l.t(&msg::LABEL)}>
            <button class="lessons-button" data-testid="lessons-toggle" onclick={on_lessons} title={l.t(&lmsg::OPEN_TITLE)}>{l.t(&lmsg::OPEN)}</button>
            <button data-testid="timeline-back" onclick={on_back} disabled={records == 0 && step <= origin.step} title={l.t(&msg::BACK_TITLE)}>{l.t(&msg::BACK)}</button>
            <button data-testid="timeline-forward" onclick={on_forward} title={l.t(&msg::FORWARD_TITLE)}>{l.t(&msg::FORWARD)}</button>
            <div class="track" title={l.t(&msg::SCRUB_TITLE)}>
                <div class="track-done" style={format!("width: {}%", Fixed(100.0 * (step.saturating_sub(origin.step)) as f64 / (head.step.saturating_sub(origin.step)).max(1) as f64, 3))}></div>
                { for marks.iter().map(|d| {
                    let seek = seek.clone();
                    let target = d.step;
                    html! {
                        <button class={format!("mark {}", d.kind.name())} data-testid="timeline-mark" data-kind={d.kind.name()}
                            style={format!("left: {}%", Fixed(d.at * 100.0, 3))}
                            title={match d.kind {
                                Kind::OutOfMemory(tm) => format!("{} · TaskManager {tm} · {}", l.t(&d.kind.label()), msg::position(l, &format::count(d.records), &format::count(head.records))),
                                _ => format!("{} · {}", l.t(&d.kind.label()), msg::position(l, &format::count(d.records), &format::count(head.records))),
                            }}
                            onclick={Callback::from(move |_| seek.emit(target))}></button>
                    }
                }) }
                <input type="range" data-testid="timeline-scrub" aria-label={l.t(&msg::SCRUB_TITLE)}
                    min={origin.step.to_string()} max={head.step.max(origin.step + 1).to_string()} value={step.to_string()}
                    oninput={on_scrub} />
            </div>
            <span class="position" data-testid="timeline-position" style={format!("min-width: {widest_ch}ch")}>{position}{" · "}{format::time(now)}</span>
            // Always laid out, shown only in the past: entering the past must not narrow the track under a
            // dragged thumb.
            <span class={if !in_past { "past-slot hidden" } else { "past-slot" }} aria-hidden={(!in_past).to_string()}>
                <span class="past-note" data-testid="timeline-past" title={l.t(&msg::IN_PAST)}>{l.t(&msg::IN_PAST_SHORT)}
                    <span class="visually-hidden">{": "}{l.t(&msg::IN_PAST)}</span></span>
                <button data-testid="timeline-live" onclick={on_live} title={l.t(&msg::LIVE_TITLE)} disabled={!in_past}>{l.t(&msg::LIVE)}</button>
            </span>
        </div>
        </>
    }
}
