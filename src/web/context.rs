//! What every view reads: the [`Simulation`] behind a version number that changes whenever it did, and the
//! page's own UI state (what is selected, followed, open) as a reducer.

use super::simulation::Simulation;
use crate::i18n::Lang;
use std::cell::{Ref, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// The simulation, shared by all views. Equal while nothing changed, so views re-render only on change.
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

    /// Changes the simulation and re-renders the views.
    pub fn update<R>(&self, f: impl FnOnce(&mut Simulation) -> R) -> R {
        let result = f(&mut self.inner.borrow_mut());
        self.bump.emit(());
        result
    }
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
        use gloo::storage::{LocalStorage, Storage};
        match LocalStorage::get::<String>(THEME_KEY).ok().as_deref() {
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
        use gloo::storage::{LocalStorage, Storage};
        // Losing the preference (private mode, quota) only means the default theme next time.
        let _ = LocalStorage::set(THEME_KEY, self.name());
    }
}

/// The page's own state: nothing here changes the job.
#[derive(Clone, Debug, PartialEq)]
pub struct UiState {
    /// The key group whose `CopyOnWriteStateMap` is shown.
    pub selected_key_group: Option<u32>,
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
    pub error: Option<String>,
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
    SelectKeyGroup(Option<u32>),
    Follow(Option<String>),
    ToggleTheme,
    SetLang(Lang),
    ToggleHelp,
    ToggleSettings,
    CloseOverlays,
    ExpandCheckpoint(Option<u64>),
    Error(Option<String>),
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
