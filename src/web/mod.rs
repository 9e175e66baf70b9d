//! The Yew web app: rendering and the browser's I/O. It draws what [`crate::player`] holds and dispatches the
//! reader's actions to it; all modelling lives in [`crate::engine`].
//!
//! * [`simulation`] — what the player's simulation needs of the browser (a job id, the time), its words;
//! * [`context`] — the simulation and the UI state as Yew contexts;
//! * [`checkpoint_library`], [`checkpoint_storage`], [`sharing`], [`compression`] — the checkpoint library as its
//!   worker (`statelab-library-worker`) runs it: IndexedDB, files, other tabs, the browser's deflate; [`sharing`]
//!   and [`language`] serve the page too (downloads, the clipboard; the language pack handed to the worker);
//! * [`app`] — the root: animation loop, keyboard shortcuts, layout;
//! * [`components`] — the views; [`canvas`], [`palette`] — their helpers (numbers are `player::format`'s);
//! * `automation` — `window.statelab`, for scripted measurements and the browser tests (the `automation` build
//!   only); [`frame_log`] — frame timings, the animation loop's budget.

mod app;
#[cfg(feature = "automation")]
mod automation;
mod canvas;
pub mod checkpoint_library;
pub mod checkpoint_storage;
mod components;
pub mod compression;
mod context;
mod frame_log;
pub mod language;
mod local_storage;
mod markup;
mod palette;
mod savepoint_tools;
pub mod sharing;
mod simulation;

/// Mounts the app on the page's `<body>`: in Chinese, once its text is fetched (see [`language`]).
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        if language::wanted() == crate::i18n::Lang::Zh {
            language::load_pack().await;
        }
        yew::Renderer::<app::App>::new().render();
    });
}
