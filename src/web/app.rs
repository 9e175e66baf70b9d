//! The root component: owns the [`Simulation`], runs the one `requestAnimationFrame` loop while playing, handles
//! keyboard shortcuts and lays out the views. Every frame runs the engine within a time budget, then bumps the
//! version once so each view renders at most once per frame.

use super::components::{
    checkpoints::CheckpointsPanel,
    code_panel::{step_into, CodePanel},
    controls::TopBar,
    debugger_view::DebuggerView,
    event_log::EventLog,
    heap::HeapPanel,
    help::HelpOverlay,
    job_graph::JobGraph,
    key_trace::KeyTrace,
    keygroup_map::KeyGroupMap,
    lessons_panel::{LessonsPanel, StartHere},
    settings::SettingsDrawer,
    state_table::StateTablePanel,
    stored_checkpoints::StoredCheckpointsPanel,
    structure_comparison::StructureComparisonPanel,
    timeline::Timeline,
};
use super::context::use_ui;
use super::context::{
    Code, CodeCursor, LessonAction, LessonState, Lessons, Sim, SlowSim, Ui, UiAction, UiState,
};
use super::frame_log::FrameLog;
use super::simulation::new_job;
use crate::i18n::messages::{common, help};
use crate::i18n::{Lang, Text};
use crate::player::simulation::{Simulation, SimulationAction};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// How often views on the slow context refresh while the job plays fast.
const SLOW_REFRESH_MS: f64 = 100.0;

#[function_component(App)]
pub fn app() -> Html {
    let sim = use_mut_ref(|| {
        // Not `expect`: that would keep the Debug form of every engine error in the page for a panic that cannot
        // happen.
        Simulation::new(crate::teaching::start::default_job(), new_job())
            .unwrap_or_else(|_| unreachable!("the default configuration is valid"))
    });
    let version = use_state(|| 0u64);
    let slow_version = use_state(|| 0u64);
    let ui = use_reducer(UiState::default);
    let code: Code = use_reducer(CodeCursor::default);
    let lessons: Lessons = use_reducer(LessonState::default);
    let frames = use_mut_ref(FrameLog::default);
    // The test hooks, in the automation build only (the page's build has no effect here at all: hooks are
    // called in the same order on every render either way).
    #[cfg(feature = "automation")]
    {
        let (sim, frames) = (sim.clone(), frames.clone());
        use_effect_with((), move |_| super::automation::install(sim, frames));
    }
    {
        // Runs after every render: closes the frame's timing.
        let frames = frames.clone();
        use_effect(move || frames.borrow_mut().render_done(now_ms()));
    }
    // A command changes everything at once; the animation loop refreshes slow views less often.
    let bump = {
        let (version, slow_version) = (version.clone(), slow_version.clone());
        Callback::from(move |_| {
            version.set(*version + 1);
            slow_version.set(*slow_version + 1);
        })
    };
    let bump_frame = {
        let (version, slow_version) = (version.clone(), slow_version.clone());
        let last_slow = use_mut_ref(|| 0.0f64);
        Callback::from(move |fast: bool| {
            version.set(*version + 1);
            let now = now_ms();
            if !fast || now - *last_slow.borrow() >= SLOW_REFRESH_MS {
                *last_slow.borrow_mut() = now;
                slow_version.set(*slow_version + 1);
            }
        })
    };
    let playing = sim.borrow().playing();

    // The animation loop: runs while playing.
    {
        let sim = sim.clone();
        let bump_frame = bump_frame.clone();
        let frames = frames.clone();
        use_effect_with(playing, move |&playing| {
            let frame: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
            if playing {
                schedule(sim, bump_frame, frames, frame.clone(), None);
            }
            move || {
                frame.borrow_mut().take();
            }
        });
    }

    // Keyboard shortcuts.
    {
        let sim = sim.clone();
        let bump = bump.clone();
        let ui = ui.clone();
        let code = code.clone();
        let lessons = lessons.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .and_then(|w| w.document())
                .map(|document| {
                    // Not passive: the shortcuts prevent the default (Space would scroll the page).
                    EventListener::new_with_options(
                        &document,
                        "keydown",
                        EventListenerOptions::enable_prevent_default(),
                        move |event| {
                            if let Some(e) = event.dyn_ref::<web_sys::KeyboardEvent>() {
                                handle_key(e, &sim, &bump, &ui, &code, &lessons);
                            }
                        },
                    )
                });
            move || drop(listener)
        });
    }

    // Canvases are drawn at their container's width: they are drawn again when the page's width changes (the
    // window, or the lessons dock opening beside the page), playing or not.
    let layout = use_node_ref();
    {
        // The listener outlives this render: it bumps through the newest render's callback.
        let latest = use_mut_ref(|| bump.clone());
        *latest.borrow_mut() = bump.clone();
        let layout = layout.clone();
        use_effect_with((), move |_| {
            let element = layout.cast::<web_sys::Element>();
            let width = std::cell::Cell::new(element.as_ref().map_or(0, |e| e.client_width()));
            let measured = element.clone();
            let on_resize = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                let now = measured.as_ref().map_or(0, |e| e.client_width());
                if width.replace(now) != now {
                    latest.borrow().emit(());
                }
            });
            let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
            if let (Some(observer), Some(element)) = (&observer, &element) {
                observer.observe(element);
            }
            move || {
                if let Some(observer) = observer {
                    observer.disconnect();
                }
                drop(on_resize);
            }
        });
    }

    let slow = SlowSim(Sim::new(sim.clone(), *slow_version, bump.clone()));
    let context = Sim::new(sim, *version, bump);
    html! {
        <ContextProvider<Sim> context={context}>
          <ContextProvider<SlowSim> context={slow}>
            <ContextProvider<Ui> context={ui.clone()}>
            <ContextProvider<Code> context={code}>
            <ContextProvider<Lessons> context={lessons.clone()}>
                <div class={if lessons.open { "app with-dock" } else { "app" }} data-theme={ui.theme.name()}>
                    <ThemeRoot />
                    <TopBar />
                    <Timeline />
                    <StartHere />
                    if let Some(error) = &ui.error {
                        <div class="banner error" data-testid="error" role="alert">
                            <span>{error.message(ui.lang)}</span>
                            <button class="ghost" aria-label={ui.lang.t(&common::DISMISS)} onclick={ {
                                let ui = ui.clone();
                                move |_| ui.dispatch(UiAction::Error(None))
                            } }>{"×"}</button>
                        </div>
                    }
                    <main class="layout" ref={layout}>
                        <JobGraph />
                        <EventLog />
                        <div class="row-2">
                            <CodePanel />
                            <DebuggerView />
                        </div>
                        <div class="column">
                            <StateTablePanel />
                            <KeyGroupMap />
                            <StructureComparisonPanel />
                        </div>
                        <div class="column">
                            <KeyTrace />
                            <HeapPanel />
                            <CheckpointsPanel />
                        </div>
                        <StoredCheckpointsPanel />
                    </main>
                    <LessonsPanel />
                    <SettingsDrawer />
                    <HelpOverlay />
                </div>
            </ContextProvider<Lessons>>
            </ContextProvider<Code>>
            </ContextProvider<Ui>>
          </ContextProvider<SlowSim>>
        </ContextProvider<Sim>>
    }
}

/// Puts the theme and the language on `<html>` too, so the page background and canvases follow the theme and
/// the browser (fonts, screen readers) knows the language.
#[function_component(ThemeRoot)]
fn theme_root() -> Html {
    let ui = use_ui();
    use_effect_with((ui.theme, ui.lang), |(theme, lang)| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-theme", theme.name());
            let _ = root.set_attribute("lang", lang.code());
        }
    });
    html! {}
}

fn schedule(
    sim: Rc<RefCell<Simulation>>,
    bump: Callback<bool>,
    frames: Rc<RefCell<FrameLog>>,
    frame: Rc<RefCell<Option<AnimationFrame>>>,
    last: Option<f64>,
) {
    let next = frame.clone();
    *frame.borrow_mut() = Some(request_animation_frame(move |timestamp| {
        let dt = last.map_or(16.7, |l| (timestamp - l).max(0.0));
        let start = now_ms();
        let budget = frames.borrow().engine_budget_ms();
        let (playing, fast) = {
            let mut s = sim.borrow_mut();
            // A frame never goes wrong.
            let _ = s.reduce(SimulationAction::Frame {
                wall_dt_ms: dt,
                budget_ms: budget,
                clock: &now_ms,
            });
            (s.playing(), s.plays_fast())
        };
        let engine_done = now_ms();
        frames
            .borrow_mut()
            .engine_done(engine_done - start, engine_done);
        bump.emit(fast);
        if playing {
            schedule(sim, bump, frames, next, Some(timestamp));
        }
    }));
}

fn handle_key(
    e: &web_sys::KeyboardEvent,
    sim: &Rc<RefCell<Simulation>>,
    bump: &Callback<()>,
    ui: &Ui,
    code: &Code,
    lessons: &Lessons,
) {
    let key = e.key();
    // Keys typed into a field belong to the field; a slider only keeps its arrow keys.
    let typing = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| match el.tag_name().as_str() {
            "SELECT" | "TEXTAREA" => true,
            "INPUT" => {
                el.get_attribute("type").as_deref() != Some("range") || key.starts_with("Arrow")
            }
            _ => false,
        });
    // Escape closes what is on top: the help or the settings, else the lessons dock (and its highlights).
    if key == "Escape" {
        if ui.help_open || ui.settings_open || !lessons.open {
            ui.dispatch(UiAction::CloseOverlays);
        } else {
            lessons.dispatch(LessonAction::Toggle);
        }
        return;
    }
    if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
        return;
    }
    let mut handled = true;
    let dispatch = |action: SimulationAction<'_>| sim.borrow_mut().reduce(action);
    match key.as_str() {
        " " => drop(dispatch(SimulationAction::TogglePlay)),
        "ArrowRight" | "." => drop(dispatch(SimulationAction::StepRecord)),
        "ArrowLeft" | "," => {
            if let Err(e) = dispatch(SimulationAction::StepBack) {
                ui.dispatch(UiAction::Error(Some(e)));
            }
        }
        // IntelliJ's "Step Into" key, or i; the arrow keys keep scrolling the page.
        "i" | "F7" => {
            let function = sim.borrow().config().function;
            step_into(dispatch, code, function)
        }
        "+" | "=" => drop(dispatch(SimulationAction::Faster)),
        "-" | "_" => drop(dispatch(SimulationAction::Slower)),
        "c" => {
            let result = dispatch(SimulationAction::TriggerCheckpoint);
            ui.dispatch(UiAction::Error(result.err()));
        }
        "f" => {
            let result = dispatch(SimulationAction::FailNow);
            ui.dispatch(UiAction::Error(result.err()));
        }
        "r" => {
            let config = sim.borrow().config().clone();
            let result = super::context::start(sim, |job| Simulation::new(config, job));
            ui.dispatch(UiAction::Error(result.err().map(Into::into)));
        }
        "s" => ui.dispatch(UiAction::ToggleSettings),
        "g" => lessons.dispatch(LessonAction::Toggle),
        "t" => ui.dispatch(UiAction::ToggleTheme),
        "l" => super::language::switch(
            ui,
            match ui.lang {
                Lang::En => Lang::Zh,
                Lang::Zh => Lang::En,
            },
        ),
        "?" | "h" => ui.dispatch(UiAction::ToggleHelp),
        "/" => {
            if let Some(input) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector("[data-testid=send-key]").ok().flatten())
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = input.focus();
            }
        }
        _ => handled = false,
    }
    if handled {
        e.prevent_default();
        bump.emit(());
    }
}

/// The shortcuts, for the help overlay.
pub const SHORTCUTS: [(Text, Text); 15] = [
    (help::KEY_SPACE, help::DO_PLAY),
    (help::KEY_STEP, help::DO_STEP),
    (help::KEY_BACK, help::DO_BACK),
    (help::KEY_DOWN, help::DO_STEP_INTO),
    (help::KEY_SPEED, help::DO_SPEED),
    (help::KEY_C, help::DO_CHECKPOINT),
    (help::KEY_F, help::DO_FAIL),
    (help::KEY_R, help::DO_RESET),
    (help::KEY_SLASH, help::DO_SEND),
    (help::KEY_S, help::DO_SETTINGS),
    (help::KEY_T, help::DO_THEME),
    (help::KEY_L, help::DO_LANGUAGE),
    (help::KEY_G, help::DO_LESSONS),
    (help::KEY_HELP, help::DO_HELP),
    (help::KEY_ESC, help::DO_CLOSE),
];
