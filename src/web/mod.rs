//! The Yew web app. It only renders what the engine reports and sends it commands; all modelling lives in
//! [`crate::engine`].
//!
//! * [`simulation`] — the page's driver around the engine (display time, speed, log, heap history, rates);
//! * [`context`] — the simulation and the UI state as Yew contexts;
//! * [`app`] — the root: animation loop, keyboard shortcuts, layout;
//! * [`components`] — the views; [`canvas`], [`format`], [`palette`] — their helpers;
//! * `automation` — `window.statelab`, for scripted measurements and the browser tests (the `automation` build
//!   only); [`frame_log`] — frame timings, the animation loop's budget.

mod app;
#[cfg(feature = "automation")]
mod automation;
mod canvas;
mod checkpoint_library;
mod checkpoint_storage;
mod components;
mod context;
mod format;
mod frame_log;
mod language;
mod local_storage;
mod palette;
mod sharing;
mod simulation;

/// Mounts the app on the page's `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
