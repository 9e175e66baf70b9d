//! The lessons dock: guided lessons that drive the live simulation (see [`crate::teaching::lessons`]), the
//! scenario presets with their share links, and the glossary. A lesson step highlights the parts of the page
//! it talks about, performs its "try it" on the running job — waiting, where it plays, until the job got where
//! the step says — and marks itself done when its condition holds.

use crate::engine::checkpoint::decimal::parse_f64;
use crate::engine::memory::memory_size::MemorySize;
use crate::engine::memory::task_executor_memory::MemoryConfig;
use crate::i18n::messages::{glossary as gmsg, lessons as msg, scenarios as smsg};
use crate::player::page_error::PageError;
use crate::player::simulation::{PauseWhen, Simulation, SimulationAction};
use crate::player::speeds::{self, DEFAULT_SPEED};
use crate::teaching::glossary;
use crate::teaching::lessons::{self, Check, Do, Lesson, LESSONS};
use crate::teaching::presets;
use crate::teaching::reveal::{self, Extent, Target};
use crate::web::components::term::rich_text;
use crate::web::context::{use_code, use_lessons, use_sim, use_ui, Code, CodeAction};
use crate::web::context::{LessonAction, Lessons, Sim, Ui, UiAction, UiState};
use crate::web::markup::classes;
use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Whether a check holds now, on the job and the page.
fn holds(check: Check, sim: &Simulation, ui: &UiState) -> bool {
    match check {
        Check::Following(key) => ui.followed_key.as_deref() == Some(key),
        Check::KeyGroupOpen(kg) => ui.selected_key_group == Some(kg),
        Check::StoppedAt(line) => sim.stopped_at() == Some(line),
        other => other.holds(sim.cluster()).unwrap_or(false),
    }
}

/// Starts a job, paused.
fn start_job(
    sim: &Sim,
    config: crate::engine::cluster::job_config::JobConfig,
) -> Result<(), PageError> {
    sim.dispatch(SimulationAction::Pause)?;
    sim.start(|job| Simulation::new(config, job))?;
    Ok(())
}

/// Performs one "try it" action; `false` when it waits for the job to get somewhere first.
fn perform(action: Do, sim: &Sim, ui: &Ui, code: &Code) -> Result<bool, PageError> {
    match action {
        Do::Step(n) => {
            for _ in 0..n {
                sim.dispatch(SimulationAction::StepRecord)?;
            }
        }
        Do::Play(pace) | Do::PlayUntil(pace, _) => {
            sim.dispatch(SimulationAction::SetSpeed(speeds::of_pace(pace)))?;
            sim.dispatch(SimulationAction::Play)?;
            return Ok(false);
        }
        Do::SendKey(key) => drop(sim.dispatch(SimulationAction::SendKey(key))?),
        Do::Follow(key) => ui.dispatch(UiAction::Follow(Some(key.to_owned()))),
        Do::OpenKeyGroup(kg) => ui.dispatch(UiAction::SelectKeyGroup(Some(kg))),
        Do::TriggerCheckpoint => drop(sim.dispatch(SimulationAction::TriggerCheckpoint)?),
        Do::RestoreAt(p) => drop(sim.dispatch(SimulationAction::Restore {
            checkpoint_id: None,
            parallelism: p,
        })?),
        Do::ManagedMemoryZero => {
            let mut config = sim.borrow().config().clone();
            if let MemoryConfig::Process { process_size, .. } = config.memory {
                config.memory = MemoryConfig::Process {
                    process_size,
                    managed_size: Some(MemorySize::of_mebibytes(0)),
                };
            }
            start_job(sim, config)?;
        }
        Do::Function(function) => {
            let mut config = sim.borrow().config().clone();
            config.function = function;
            start_job(sim, config)?;
        }
        Do::StopInside(line) => {
            let record = sim.borrow().cluster().counters().records_processed;
            sim.dispatch(SimulationAction::StopInside(Some((record, line))))?;
            code.dispatch(CodeAction::At { record, line });
        }
        Do::Scenario(id) => {
            // Lessons name presets that exist (tests/lessons.rs runs them all).
            if let Some(preset) = presets::find_scenario(id) {
                start_job(sim, preset.config())?;
            }
        }
    }
    Ok(true)
}

/// The id and step of the lesson under way.
fn current(state: &crate::web::context::LessonState) -> Option<(&'static Lesson, usize)> {
    let (id, step) = state.current?;
    let lesson = lessons::find(id)?;
    Some((lesson, step.min(lesson.steps.len().saturating_sub(1))))
}

/// Marks the parts of the page a step talks about, and brings them whole into view below the sticky header
/// (all of them if they fit together, else the first, or the lines the job is on in a first part too tall for
/// the room; parts of the header itself are always in view).
fn highlight(testids: &[&str]) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(old) = document.query_selector_all(".lesson-highlight") {
        for i in 0..old.length() {
            if let Some(el) = old
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.class_list().remove_2("lesson-highlight", "lesson-focus");
            }
        }
    }
    let mut first = true;
    for id in testids {
        if let Ok(Some(el)) = document.query_selector(&format!("[data-testid=\"{id}\"]")) {
            let _ = el.class_list().add_1("lesson-highlight");
            if first && el.closest(STICKY_BARS).ok().flatten().is_none() {
                // The part shown first when they do not all fit.
                let _ = el.class_list().add_1("lesson-focus");
                first = false;
            }
        }
    }
    reveal_highlighted();
}

/// Scrolls the highlighted parts outside the sticky bars into view, if they are not (the focused one first; of
/// one too tall for the room, the lines the job is on where it shows them).
fn reveal_highlighted() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    let mut targets = Vec::new();
    if let Ok(marked) = document.query_selector_all(".lesson-highlight") {
        for el in (0..marked.length())
            .filter_map(|i| marked.item(i)?.dyn_into::<web_sys::Element>().ok())
            .filter(|el| el.closest(STICKY_BARS).ok().flatten().is_none())
        {
            let r = el.get_bounding_client_rect();
            let target = Target {
                part: Extent {
                    top: r.top(),
                    bottom: r.bottom(),
                },
                current: current_lines(&el),
            };
            // The focused part first: the one shown when they do not all fit.
            if el.class_list().contains("lesson-focus") {
                targets.insert(0, target);
            } else {
                targets.push(target);
            }
        }
    }
    let delta = reveal::scroll_by(&targets, visible_band(&window, &document));
    if delta.abs() >= 1.0 {
        let options = web_sys::ScrollToOptions::new();
        options.set_top(delta);
        // At once: a smooth scroll is cut short when the page changes under it (a subtask added, a map opened).
        options.set_behavior(web_sys::ScrollBehavior::Instant);
        window.scroll_by_with_scroll_to_options(&options);
    }
}

/// Where a part shows the lines the job is on: the code panel marks the first line of the current step (or of the
/// `onTimer` call that ran last) `data-current="true"` and lights it and the step's other lines with the class
/// `current`. The extent runs from that line down the lit lines right after it (onTimer's eight, from its
/// signature to its closing brace), the block the step talks about.
fn current_lines(part: &web_sys::Element) -> Option<Extent> {
    let first = part.query_selector("[data-current=true]").ok().flatten()?;
    let mut last = first.clone();
    while let Some(next) = last
        .next_element_sibling()
        .filter(|n| n.class_list().contains("current"))
    {
        last = next;
    }
    Some(Extent {
        top: first.get_bounding_client_rect().top(),
        bottom: last.get_bounding_client_rect().bottom(),
    })
}

/// How often a step's parts are checked to still be in view: the page keeps changing under a paused step (a
/// checkpoint stored, a row added above), and what the text talks about stays on screen until the reader
/// scrolls.
const KEEP_IN_VIEW_MS: u32 = 250;

/// The bars that stay at the top of the window while the page scrolls, where they do (the header is sticky on
/// wide screens only).
const STICKY_BARS: &str = "header.topbar, [data-testid=timeline]";

/// The part of the window nothing covers: below the sticky bars, above the lessons sheet where it is one (on
/// narrow screens the dock covers the bottom of the window).
fn visible_band(window: &web_sys::Window, document: &web_sys::Document) -> Extent {
    let height = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let mut band = Extent {
        top: 0.0,
        bottom: height,
    };
    if let Ok(bars) = document.query_selector_all(STICKY_BARS) {
        for el in
            (0..bars.length()).filter_map(|i| bars.item(i)?.dyn_into::<web_sys::Element>().ok())
        {
            let Ok(Some(style)) = window.get_computed_style(&el) else {
                continue;
            };
            let position = style.get_property_value("position").unwrap_or_default();
            if position == "sticky" || position == "fixed" {
                let top = style
                    .get_property_value("top")
                    .ok()
                    .and_then(|t| parse_f64(crate::i18n::trim_end(&t, "px")))
                    .unwrap_or(0.0);
                band.top = band.top.max(top + el.get_bounding_client_rect().height());
            }
        }
    }
    if let Ok(Some(dock)) = document.query_selector("[data-testid=lessons-panel]") {
        let r = dock.get_bounding_client_rect();
        if r.left() <= 1.0 && r.top() > band.top {
            band.bottom = band.bottom.min(r.top());
        }
    }
    band
}

/// What the page's link asks for: `#lesson=ID` or `#scenario=ID`.
fn requested_in_location() -> Option<(String, String)> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let fragment = hash.trim_start_matches('#');
    fragment.split('&').find_map(|part| {
        let (k, v) = part.split_once('=')?;
        matches!(k, "lesson" | "scenario").then(|| (k.to_owned(), v.to_owned()))
    })
}

/// The link to this page that opens `what=id`.
fn link_to(what: &str, id: &str) -> String {
    let location = web_sys::window().map(|w| w.location());
    let base = location
        .map(|l| {
            format!(
                "{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    format!("{base}#{what}={id}")
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Lessons,
    Scenarios,
    Glossary,
}

#[function_component(LessonsPanel)]
pub fn lessons_panel() -> Html {
    let sim = use_sim();
    let ui = use_ui();
    let code = use_code();
    let state = use_lessons();
    let tab = use_state(|| Tab::Lessons);
    // On narrow screens the dock is a sheet over the bottom of the page, lowered to its tabs on request.
    let collapsed = use_state(|| false);
    let notice = use_state(|| None::<Notice>);
    let l = ui.lang;

    // A lesson or scenario named in the page's link (now, or when the fragment changes).
    {
        let (sim, ui, state, tab, notice) = (
            sim.clone(),
            ui.clone(),
            state.clone(),
            tab.clone(),
            notice.clone(),
        );
        use_effect_with((), move |_| {
            let open = move || {
                let Some((kind, id)) = requested_in_location() else {
                    return;
                };
                match (
                    kind.as_str(),
                    lessons::find(&id),
                    presets::find_scenario(&id),
                ) {
                    ("lesson", Some(lesson), _) => start_lesson(lesson, &sim, &ui, &state),
                    ("scenario", _, Some(preset)) => {
                        state.dispatch(LessonAction::Suggest(""));
                        tab.set(Tab::Scenarios);
                        match start_job(&sim, preset.config()) {
                            Ok(()) => notice.set(Some(Notice::Loaded)),
                            Err(e) => ui.dispatch(UiAction::Error(Some(e))),
                        }
                    }
                    _ => {
                        state.dispatch(LessonAction::Suggest(""));
                        tab.set(Tab::Scenarios);
                        notice.set(Some(Notice::Unknown(format!("#{kind}={id}"))));
                    }
                }
            };
            open();
            let listener =
                web_sys::window().map(|w| EventListener::new(&w, "hashchange", move |_| open()));
            move || drop(listener)
        });
    }

    let step_info = current(&state);
    // Highlights follow the step; none without a lesson, or with the dock closed. They are brought into view
    // when the step starts and again when its moment comes (the page may have changed meanwhile: a map opened,
    // a subtask added).
    {
        let key = step_info
            .filter(|_| state.open)
            .map(|(lesson, step)| (lesson.id, step, state.done));
        use_effect_with(key, move |key| {
            let ids: &[&str] = match key
                .and_then(|(id, step, _)| lessons::find(id).map(|l| l.steps[step].highlight))
            {
                Some(ids) => ids,
                None => &[],
            };
            highlight(ids);
            // Kept in view while the step is shown, until the reader scrolls or acts on the page.
            let keeping = std::rc::Rc::new(std::cell::Cell::new(!ids.is_empty()));
            let mut listeners = Vec::new();
            if let Some(window) = web_sys::window() {
                for kind in ["wheel", "touchmove", "keydown"] {
                    let keeping = keeping.clone();
                    listeners.push(EventListener::new(&window, kind, move |_| {
                        keeping.set(false)
                    }));
                }
                // A press on the page outside the dock (the scrollbar included) is the reader's own move too.
                let keeping = keeping.clone();
                listeners.push(EventListener::new(&window, "pointerdown", move |event| {
                    let in_dock = event
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .and_then(|el| el.closest("[data-testid=lessons-panel]").ok().flatten())
                        .is_some();
                    if !in_dock {
                        keeping.set(false);
                    }
                }));
            }
            let interval = gloo::timers::callback::Interval::new(KEEP_IN_VIEW_MS, move || {
                if keeping.get() {
                    reveal_highlighted();
                }
            });
            move || drop((interval, listeners))
        });
    }
    // A new step starts at the top of its text (the sheet may have been scrolled down to "Next").
    use_effect_with(step_info.map(|(lesson, step)| (lesson.id, step)), |_| {
        if let Some(dock) = web_sys::window().and_then(|w| w.document()).and_then(|d| {
            d.query_selector("[data-testid=lessons-panel]")
                .ok()
                .flatten()
        }) {
            dock.set_scroll_top(0);
        }
    });
    // The "try it" under way: perform actions until one waits, and go on once what it waits for holds.
    let (head_holds, step_holds) = {
        let s = sim.borrow();
        let step = step_info.map(|(lesson, step)| &lesson.steps[step]);
        let head = state.queue.first().copied();
        let head_holds = match head {
            Some(Do::PlayUntil(_, check)) => holds(check, &s, &ui),
            Some(Do::Play(_)) => step
                .and_then(|st| st.done)
                .is_none_or(|check| holds(check, &s, &ui)),
            Some(_) => true,
            None => false,
        };
        let step_holds = step
            .and_then(|st| st.done)
            .is_some_and(|check| holds(check, &s, &ui));
        (head_holds, step_holds)
    };
    {
        let (sim, ui, state, code) = (sim.clone(), ui.clone(), state.clone(), code.clone());
        let pause_when_done =
            step_info.is_some_and(|(lesson, step)| lesson.steps[step].pause_when_done);
        // The step is part of what the effect depends on: a new step whose condition already holds must
        // still be marked done.
        let at = state.current;
        use_effect_with(
            (at, state.queue.clone(), head_holds, step_holds),
            move |(_, queue, head_holds, step_holds)| {
                // Only once what the "try it" does before it plays is done: a step whose condition held for the
                // job before (a restart, before a try-it that starts a scenario of its own) waits for the new job.
                let only_playing_left = queue.iter().all(|d| matches!(d, Do::Play(_)));
                if *step_holds && !state.done && only_playing_left {
                    state.dispatch(LessonAction::Done);
                    if pause_when_done {
                        let _ = sim.dispatch(SimulationAction::Pause);
                    }
                }
                match queue.first() {
                    Some(Do::Play(_)) if *head_holds => state.dispatch(LessonAction::Dequeue),
                    Some(Do::PlayUntil(..)) if *head_holds => state.dispatch(LessonAction::Dequeue),
                    // Still waiting for the job to get there (a pause by hand holds the wait until Play).
                    Some(Do::Play(_)) | Some(Do::PlayUntil(..)) => {}
                    Some(&action) => match perform(action, &sim, &ui, &code) {
                        Ok(true) => state.dispatch(LessonAction::Dequeue),
                        Ok(false) => {}
                        Err(e) => {
                            ui.dispatch(UiAction::Error(Some(e)));
                            state.dispatch(LessonAction::Queue(Vec::new()));
                        }
                    },
                    None => {}
                }
            },
        );
    }
    // A step that pauses when its condition holds, with nothing but playing left to do: the simulation
    // pauses by itself at the very engine step that makes it hold (rather than at the next frame, when the
    // moment to look at may have scrolled by). The effect above pauses too, for a condition already true.
    {
        let sim = sim.clone();
        let pause_at = step_info
            .map(|(lesson, step)| &lesson.steps[step])
            .filter(|st| st.pause_when_done && !state.done)
            .and_then(|st| st.done)
            .filter(|_| state.queue.iter().all(|d| matches!(d, Do::Play(_))));
        use_effect_with((state.current, pause_at), move |&(_, pause_at)| {
            // Only what the engine alone can tell (the page's own state changes between frames).
            let pause_at = pause_at.filter(|check| check.holds(sim.borrow().cluster()).is_some());
            let condition = pause_at
                .map(|check| -> PauseWhen { Box::new(move |c| check.holds(c) == Some(true)) });
            let _ = sim.dispatch(SimulationAction::PauseWhen(condition));
        });
    }
    // Playing actions start the job when they reach the head of the queue.
    {
        let (sim, ui) = (sim.clone(), ui.clone());
        let head = state.queue.first().copied();
        use_effect_with(head, move |head| {
            if let Some(action @ (Do::Play(_) | Do::PlayUntil(..))) = *head {
                let _ = perform(action, &sim, &ui, &code);
            }
        });
    }

    if !state.open {
        return html! {};
    }
    let close = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(LessonAction::Toggle))
    };
    let tab_button = |t: Tab, label: &'static str, testid: &'static str| {
        let tab = tab.clone();
        html! {
            <button role="tab" aria-selected={(*tab == t).to_string()} class={(*tab == t).then_some("current")}
                data-testid={testid} onclick={Callback::from(move |_| tab.set(t))}>{label}</button>
        }
    };
    html! {
        <aside class={if *collapsed { "lessons-dock collapsed" } else { "lessons-dock" }} data-testid="lessons-panel" aria-label={l.t(&msg::PANEL_TITLE)}>
            <div class="drawer-head">
                <div class="tabs" role="tablist">
                    { tab_button(Tab::Lessons, l.t(&msg::PANEL_TITLE), "tab-lessons") }
                    { tab_button(Tab::Scenarios, l.t(&smsg::TITLE), "tab-scenarios") }
                    { tab_button(Tab::Glossary, l.t(&gmsg::TITLE), "tab-glossary") }
                </div>
                <span>
                    <button class="ghost collapse" data-testid="lessons-collapse" aria-expanded={(!*collapsed).to_string()}
                        aria-label={l.t(if *collapsed { &msg::EXPAND } else { &msg::COLLAPSE })}
                        title={l.t(if *collapsed { &msg::EXPAND } else { &msg::COLLAPSE })}
                        onclick={ let collapsed = collapsed.clone(); move |_| collapsed.set(!*collapsed) }>
                        { if *collapsed { "▴" } else { "▾" } }</button>
                    <button class="ghost" onclick={close} aria-label={l.t(&crate::i18n::messages::common::CLOSE)}>{"✕"}</button>
                </span>
            </div>
            { match *tab {
                Tab::Lessons => match step_info {
                    Some((lesson, step)) => lesson_view(lesson, step, &sim, &ui, &state, head_holds),
                    None => lesson_list(&sim, &ui, &state),
                },
                Tab::Scenarios => scenario_list(&sim, &ui, &notice),
                Tab::Glossary => glossary_list(&ui, &state, &tab),
            } }
        </aside>
    }
}

/// Where the page remembers that the "Start here" pointer was seen.
const START_SEEN_KEY: &str = "statelab.start-seen";

/// The first visit's pointer to lesson 1, under the header: shown once — the visit is remembered as soon as it
/// shows — and gone as soon as the lessons open, by it or otherwise.
#[function_component(StartHere)]
pub fn start_here() -> Html {
    use gloo::storage::{LocalStorage, Storage};
    let sim = use_sim();
    let ui = use_ui();
    let state = use_lessons();
    let first_visit = use_state(|| {
        LocalStorage::raw()
            .get_item(START_SEEN_KEY)
            .ok()
            .flatten()
            .is_none()
    });
    {
        let first_visit = first_visit.clone();
        use_effect_with(state.open, move |&open| {
            // A private window or a full quota only means the pointer shows again next time.
            let _ = LocalStorage::raw().set_item(START_SEEN_KEY, "1");
            if open {
                first_visit.set(false);
            }
        });
    }
    if !*first_visit || state.open {
        return html! {};
    }
    let l = ui.lang;
    let start = Callback::from(move |_| {
        if let Some(lesson) = lessons::find(crate::teaching::start::FIRST_LESSON) {
            start_lesson(lesson, &sim, &ui, &state);
        }
    });
    let dismiss = {
        let first_visit = first_visit.clone();
        Callback::from(move |_| first_visit.set(false))
    };
    html! {
        <div class="banner start" data-testid="start-here" role="note">
            <span>{rich_text(l.t(&msg::START_HERE_TEXT))}</span>
            <span class="start-buttons">
                <button class="primary" data-testid="start-here-open" onclick={start}>{l.t(&msg::START_HERE)}</button>
                <button class="ghost" aria-label={l.t(&crate::i18n::messages::common::DISMISS)} onclick={dismiss}>{"×"}</button>
            </span>
        </div>
    }
}

/// Starts a lesson: its job, paused, and its first step.
fn start_lesson(lesson: &'static Lesson, sim: &Sim, ui: &Ui, state: &Lessons) {
    if let Some(config) = lesson.job().map(|preset| preset.config()) {
        if let Err(e) = start_job(sim, config) {
            ui.dispatch(UiAction::Error(Some(e)));
            return;
        }
        let _ = sim.dispatch(SimulationAction::SetSpeed(DEFAULT_SPEED));
    }
    ui.dispatch(UiAction::Follow(None));
    ui.dispatch(UiAction::SelectKeyGroup(None));
    state.dispatch(LessonAction::Start(lesson.id));
}

fn lesson_list(sim: &Sim, ui: &Ui, state: &Lessons) -> Html {
    let l = ui.lang;
    html! {
        <div class="lesson-list">
            <p class="hint">{l.t(&msg::PANEL_HINT)}</p>
            <ol>
                { for LESSONS.iter().map(|lesson| {
                    let start = {
                        let (sim, ui, state) = (sim.clone(), ui.clone(), state.clone());
                        Callback::from(move |_| start_lesson(lesson, &sim, &ui, &state))
                    };
                    html! {
                        <li class={if state.suggested == Some(lesson.id) { "lesson-card suggested" } else { "lesson-card" }}
                            data-testid={format!("lesson-{}", lesson.id)}>
                            <div>
                                <strong>{l.t(&lesson.title)}</strong>
                                <p class="hint">{l.t(&lesson.summary)}</p>
                            </div>
                            <button class="primary" onclick={start} data-testid="lesson-start">{l.t(&msg::START)}</button>
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}

fn lesson_view(
    lesson: &'static Lesson,
    step: usize,
    sim: &Sim,
    ui: &Ui,
    state: &Lessons,
    head_holds: bool,
) -> Html {
    let l = ui.lang;
    let s = &lesson.steps[step];
    let last = step + 1 == lesson.steps.len();
    let go = |to: usize| {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(LessonAction::Go(to)))
    };
    let try_it = s.try_it.map(|t| {
        let state = state.clone();
        let does = t.does.to_vec();
        let busy = !state.queue.is_empty();
        html! {
            <button class="primary" data-testid="lesson-try" disabled={busy}
                onclick={Callback::from(move |_| state.dispatch(LessonAction::Queue(does.clone())))}>
                {"▶ "}{l.t(&msg::TRY_IT)}{": "}{l.t(&t.label)}
            </button>
        }
    });
    let waiting = !state.queue.is_empty() && !head_holds;
    let status = if state.done {
        html! { <span class="lesson-status done" data-testid="lesson-status" data-done="true">{"✓ "}{l.t(&msg::DONE)}</span> }
    } else if waiting || (s.done.is_some() && s.try_it.is_none()) {
        html! { <span class="lesson-status waiting" data-testid="lesson-status">{l.t(&msg::WAITING)}</span> }
    } else {
        html! {}
    };
    let restart = {
        let (sim, ui, state) = (sim.clone(), ui.clone(), state.clone());
        Callback::from(move |_| start_lesson(lesson, &sim, &ui, &state))
    };
    let close = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(LessonAction::Close))
    };
    html! {
        <div class="lesson" data-testid="lesson" data-lesson={lesson.id} data-step={step.to_string()}
            data-check={s.done.is_some().to_string()}>
            <button class="link" onclick={close} data-testid="lesson-list">{"← "}{l.t(&msg::BACK_TO_LIST)}</button>
            <h3>{l.t(&lesson.title)}</h3>
            <div class="lesson-progress" aria-label={msg::step_of(l)}>
                { for (0..lesson.steps.len()).map(|i| html! {
                    <button class={classes(&[("dot", true), ("current", i == step), ("past", i < step)])}
                        onclick={go(i)} aria-label={format!("{} {}", msg::step_of(l), i + 1)}>{i + 1}</button>
                }) }
            </div>
            <p class="lesson-text" data-testid="lesson-text">{rich_text(l.t(&s.text))}</p>
            <div class="lesson-actions">
                { try_it.unwrap_or_default() }
                { status }
            </div>
            <div class="lesson-nav">
                <button onclick={go(step.saturating_sub(1))} disabled={step == 0} data-testid="lesson-prev">{"← "}{l.t(&msg::PREVIOUS)}</button>
                if last {
                    <button class="primary" onclick={close_and_list(state)} data-testid="lesson-next">{l.t(&msg::FINISH)}</button>
                } else {
                    <button class={state.done.then_some("primary")} onclick={go(step + 1)} data-testid="lesson-next">{l.t(&msg::NEXT)}{" →"}</button>
                }
                <button class="link" onclick={restart} data-testid="lesson-restart">{l.t(&msg::RESTART_LESSON)}</button>
            </div>
        </div>
    }
}

fn close_and_list(state: &Lessons) -> Callback<MouseEvent> {
    let state = state.clone();
    Callback::from(move |_| state.dispatch(LessonAction::Close))
}

/// What the scenarios tab says after a load or a copy.
#[derive(Clone, PartialEq)]
enum Notice {
    Loaded,
    Copied(String),
    /// Copying failed: the link to copy by hand.
    CopyByHand(String),
    Unknown(String),
}

fn scenario_list(sim: &Sim, ui: &Ui, notice: &UseStateHandle<Option<Notice>>) -> Html {
    let l = ui.lang;
    html! {
        <div class="scenario-list">
            <p class="hint">{l.t(&smsg::HINT)}</p>
            if let Some(n) = &**notice {
                <p class={if matches!(n, Notice::Unknown(_)) { "notice bad" } else { "notice" }} data-testid="scenario-notice">{
                    match n {
                        Notice::Loaded => l.t(&smsg::LOADED).to_owned(),
                        Notice::Copied(link) => format!("{} {link}", l.t(&smsg::LINK_COPIED)),
                        Notice::CopyByHand(link) => link.clone(),
                        Notice::Unknown(what) => format!("{}: {what}", l.t(&smsg::UNKNOWN)),
                    }
                }</p>
            }
            <ul>
                { for presets::scenarios().map(|preset| {
                    let (title, description) = smsg::describe(preset.id).unwrap_or((smsg::TITLE, smsg::HINT));
                    let load = {
                        let (sim, ui, notice) = (sim.clone(), ui.clone(), notice.clone());
                        Callback::from(move |_| match start_job(&sim, preset.config()) {
                            Ok(()) => notice.set(Some(Notice::Loaded)),
                            Err(e) => ui.dispatch(UiAction::Error(Some(e))),
                        })
                    };
                    let copy = {
                        let notice = notice.clone();
                        let link = link_to("scenario", preset.id);
                        Callback::from(move |_| {
                            let (notice, link) = (notice.clone(), link.clone());
                            yew::platform::spawn_local(async move {
                                let copied = crate::web::sharing::copy_text(&link).await.is_ok();
                                notice.set(Some(if copied { Notice::Copied(link) } else { Notice::CopyByHand(link) }));
                            });
                        })
                    };
                    html! {
                        <li class="lesson-card" data-testid={format!("scenario-{}", preset.id)}>
                            <div>
                                <strong>{l.t(&title)}</strong>
                                <p class="hint">{l.t(&description)}</p>
                            </div>
                            <div class="card-buttons">
                                <button class="primary" onclick={load} data-testid="scenario-load">{l.t(&smsg::LOAD)}</button>
                                <button onclick={copy} title={l.t(&smsg::COPY_LINK_TITLE)} data-testid="scenario-link">{l.t(&smsg::COPY_LINK)}</button>
                            </div>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

fn glossary_list(ui: &Ui, state: &Lessons, tab: &UseStateHandle<Tab>) -> Html {
    let l = ui.lang;
    html! {
        <dl class="glossary" data-testid="glossary">
            { for glossary::TERMS.iter().map(|term| {
                let open = {
                    let (state, tab) = (state.clone(), tab.clone());
                    let lesson = term.lesson;
                    Callback::from(move |_| {
                        state.dispatch(LessonAction::Suggest(lesson));
                        tab.set(Tab::Lessons);
                    })
                };
                html! {
                    <>
                        <dt id={format!("term-{}", term.id)}>{l.t(&term.term)}</dt>
                        <dd>{rich_text(l.t(&term.definition))}{" "}
                            <button class="link" onclick={open}>{l.t(&gmsg::OPEN_LESSON)}{" →"}</button></dd>
                    </>
                }
            }) }
        </dl>
    }
}
