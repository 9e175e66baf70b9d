//! The savepoint tools of the page, in a wasm module of their own (`statelab-savepoint-worker`, a Web Worker
//! loaded only when the reader opens them, so the page's download does not carry them): real Flink snapshots
//! opened off the main thread and shown as worded rows and pages of entries, their dump, and the running job
//! exported as a Flink savepoint or a Flink project, zipped — native and tested here; the worker's browser glue
//! is its binary, the page's side `web::savepoint_tools` ([`protocol`], [`panel`], [`savepoint_view`],
//! [`session`]).
//!
//! And what the checkpoint library's worker (`statelab-library-worker`, started by the page as it opens: browser
//! storage, imports, links and their checks, run by `web::checkpoint_library`) says to the page: its messages
//! ([`library_protocol`]) and the stored-checkpoints panel and link dialog as HTML ([`library_panel`]); the page's
//! side is `web::components::stored_checkpoints`.

pub mod library_panel;
pub mod library_protocol;
pub mod panel;
pub mod protocol;
pub mod savepoint_view;
pub mod session;
