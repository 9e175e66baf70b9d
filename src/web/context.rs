//! What every view reads: the [`Simulation`] behind a version number that changes whenever it did — views change
//! it only by dispatching [`SimulationAction`]s — and the page's own UI state (what is selected, followed, open)
//! as a reducer.

use crate::engine::cluster::engine_error::EngineError;
use crate::engine::keys::key_group::KeyGroup;
use crate::i18n::Lang;
use crate::player::page_error::PageError;
use crate::player::simulation::{Effect, JobStart, Simulation, SimulationAction};
use std::cell::{Ref, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// The simulation, shared by all views. Equal while nothing changed, so views re-render only on change. Shared
/// mutably rather than through `use_reducer` (whose reducer returns a new state: a clone of the whole job per
/// frame), but changed the same way: by an action through [`Simulation::reduce`].
#[derive(Clone)]
pub struct Sim {
    inner: Rc<RefCell<Simulation>>,
    pub version: u64,
    bump: Callback<()>,
}

impl PartialEq for Sim {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Sim {
    pub fn new(inner: Rc<RefCell<Simulation>>, version: u64, bump: Callback<()>) -> Self {
        Sim {
            inner,
            version,
            bump,
        }
    }

    pub fn borrow(&self) -> Ref<'_, Simulation> {
        self.inner.borrow()
    }

    /// Does what the reader asked and re-renders the views.
    pub fn dispatch(&self, action: SimulationAction<'_>) -> Result<Effect, PageError> {
        let result = self.inner.borrow_mut().reduce(action);
        self.bump.emit(());
        result
    }

    /// Starts a new job in place of the running one (at the same speed and play state): the one `job` makes,
    /// given a fresh id and the time now.
    pub fn start(
        &self,
        job: impl FnOnce(JobStart) -> Result<Simulation, EngineError>,
    ) -> Result<(), EngineError> {
        start(&self.inner, job)?;
        self.bump.emit(());
        Ok(())
    }
}

/// Starts a new job in place of the one in `sim` (see [`Sim::start`]).
pub fn start(
    sim: &RefCell<Simulation>,
    job: impl FnOnce(JobStart) -> Result<Simulation, EngineError>,
) -> Result<(), EngineError> {
    let fresh = job(super::simulation::new_job())?;
    // A job made already starts: that cannot go wrong.
    let _ = sim
        .borrow_mut()
        .reduce(SimulationAction::Start(Box::new(fresh)));
    Ok(())
}

/// The same simulation for views that need not change every frame (long lists, tables): while the job plays
/// fast its version changes ten times a second; otherwise with every change.
#[derive(Clone, PartialEq)]
pub struct SlowSim(pub Sim);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

const THEME_KEY: &str = "statelab.theme";

impl Theme {
    /// The stored choice, else the system preference.
    pub fn initial() -> Theme {
        match super::local_storage::get(THEME_KEY).as_deref() {
            Some("dark") => Theme::Dark,
            Some("light") => Theme::Light,
            _ => {
                let dark = web_sys::window()
                    .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                    .is_some_and(|m| m.matches());
                if dark {
                    Theme::Dark
                } else {
                    Theme::Light
                }
            }
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn store(self) {
        super::local_storage::set(THEME_KEY, self.name());
    }
}

/// The page's own state: nothing here changes the job.
#[derive(Clone, Debug, PartialEq)]
pub struct UiState {
    /// The key group whose `CopyOnWriteStateMap` is shown.
    pub selected_key_group: Option<KeyGroup>,
    /// The key being followed (as typed).
    pub followed_key: Option<String>,
    pub theme: Theme,
    /// The page's language.
    pub lang: Lang,
    pub help_open: bool,
    pub settings_open: bool,
    /// The checkpoint whose per-subtask details are shown.
    pub expanded_checkpoint: Option<u64>,
    /// The last command that went wrong.
    pub error: Option<PageError>,
}

impl Default for UiState {
    fn default() -> Self {
        UiState {
            selected_key_group: None,
            followed_key: None,
            theme: Theme::initial(),
            lang: super::language::initial(),
            help_open: false,
            settings_open: false,
            expanded_checkpoint: None,
            error: None,
        }
    }
}

pub enum UiAction {
    SelectKeyGroup(Option<KeyGroup>),
    Follow(Option<String>),
    ToggleTheme,
    SetLang(Lang),
    ToggleHelp,
    ToggleSettings,
    CloseOverlays,
    ExpandCheckpoint(Option<u64>),
    Error(Option<PageError>),
}

impl Reducible for UiState {
    type Action = UiAction;

    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            UiAction::SelectKeyGroup(kg) => next.selected_key_group = kg,
            UiAction::Follow(key) => next.followed_key = key.filter(|k| !k.is_empty()),
            UiAction::ToggleTheme => {
                next.theme = if next.theme == Theme::Light {
                    Theme::Dark
                } else {
                    Theme::Light
                };
                next.theme.store();
            }
            UiAction::SetLang(lang) => {
                next.lang = lang;
                super::language::store(lang);
            }
            UiAction::ToggleHelp => next.help_open = !next.help_open,
            UiAction::ToggleSettings => next.settings_open = !next.settings_open,
            UiAction::CloseOverlays => {
                next.help_open = false;
                next.settings_open = false;
            }
            UiAction::ExpandCheckpoint(id) => next.expanded_checkpoint = id,
            UiAction::Error(e) => next.error = e,
        }
        Rc::new(next)
    }
}

pub type Ui = UseReducerHandle<UiState>;

pub use crate::teaching::java_source::CodeLine;

/// Where the code panel is in the most recent record: which record (`records_processed` when it was the
/// newest), which line, and whether the user steps line by line (no animation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeCursor {
    pub record: u64,
    pub line: CodeLine,
    pub manual: bool,
}

impl Default for CodeCursor {
    fn default() -> Self {
        CodeCursor {
            record: 0,
            line: CodeLine::Return,
            manual: false,
        }
    }
}

pub enum CodeAction {
    /// A new record became the newest: start at its first line (a record the cursor is already on, by a step
    /// by hand or a lesson, is not new).
    Record { record: u64, manual: bool },
    /// Stopped by a lesson on this line of this record, as a step by hand would be.
    At { record: u64, line: CodeLine },
    /// The next line of the job's function (the animation, or a step by hand).
    Advance {
        manual: bool,
        function: crate::engine::functions::job_function::JobFunction,
    },
}

impl Reducible for CodeCursor {
    type Action = CodeAction;

    fn reduce(self: Rc<Self>, action: CodeAction) -> Rc<Self> {
        let next = match action {
            CodeAction::Record {
                record,
                manual: false,
            } if record == self.record => return self,
            CodeAction::At { record, line } => CodeCursor {
                record,
                line,
                manual: true,
            },
            CodeAction::Record { record, manual } => CodeCursor {
                record,
                line: CodeLine::Enter,
                manual,
            },
            CodeAction::Advance { manual, function } => CodeCursor {
                line: crate::teaching::java_source::next_line(function, self.line)
                    .unwrap_or(CodeLine::Return),
                manual: manual || self.manual,
                ..*self
            },
        };
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

pub type Code = UseReducerHandle<CodeCursor>;

/// The guided lesson under way, if any, and the "try it" actions still to perform.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LessonState {
    pub open: bool,
    /// The lesson and its step (index).
    pub current: Option<(&'static str, usize)>,
    /// Actions of a "try it" not yet done; the first may be waiting for the job to get somewhere.
    pub queue: Vec<crate::teaching::lessons::Do>,
    /// The step's condition held at some point (steps stay done once done).
    pub done: bool,
    /// A lesson the glossary pointed to, marked in the list.
    pub suggested: Option<&'static str>,
}

pub enum LessonAction {
    Toggle,
    /// Opens the list with a lesson marked (from the glossary), or none with `""`.
    Suggest(&'static str),
    Start(&'static str),
    Go(usize),
    Close,
    Queue(Vec<crate::teaching::lessons::Do>),
    /// The first queued action is done.
    Dequeue,
    Done,
}

impl Reducible for LessonState {
    type Action = LessonAction;

    fn reduce(self: Rc<Self>, action: LessonAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LessonAction::Toggle => next.open = !next.open,
            LessonAction::Suggest(id) => {
                next.open = true;
                next.suggested = (!id.is_empty()).then_some(id);
                if next.current.is_some_and(|(current, _)| current != id) {
                    next.current = None;
                    next.queue.clear();
                }
            }
            LessonAction::Start(id) => {
                next = LessonState {
                    open: true,
                    current: Some((id, 0)),
                    ..LessonState::default()
                }
            }
            LessonAction::Go(step) => {
                if let Some((id, _)) = next.current {
                    next.current = Some((id, step));
                    next.queue.clear();
                    next.done = false;
                }
            }
            LessonAction::Close => {
                next.current = None;
                next.queue.clear();
                next.done = false;
            }
            LessonAction::Queue(actions) => {
                next.queue = actions;
                next.done = false;
            }
            LessonAction::Dequeue => {
                if !next.queue.is_empty() {
                    next.queue.remove(0);
                }
            }
            LessonAction::Done => next.done = true,
        }
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

pub type Lessons = UseReducerHandle<LessonState>;

/// The contexts every view is inside (the app's providers), one hook each: one copy of each lookup in the page's
/// wasm rather than one per view (BENCHMARKS.md, "Size budget").
#[hook]
pub fn use_sim() -> Sim {
    use_context::<Sim>().expect("sim context")
}

#[hook]
pub fn use_slow_sim() -> Sim {
    use_context::<SlowSim>().expect("slow sim context").0
}

#[hook]
pub fn use_ui() -> Ui {
    use_context::<Ui>().expect("ui context")
}

#[hook]
pub fn use_code() -> Code {
    use_context::<Code>().expect("code context")
}

#[hook]
pub fn use_lessons() -> Lessons {
    use_context::<Lessons>().expect("lessons context")
}
