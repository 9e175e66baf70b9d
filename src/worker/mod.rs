//! The savepoint tools of the page, in a wasm module of their own (`statelab-savepoint-worker`, a Web Worker
//! loaded only when the reader opens them, so the page's download does not carry them): real Flink snapshots
//! opened off the main thread and shown as worded rows and pages of entries, their dump, and the running job
//! exported as a Flink savepoint or a Flink project, zipped — native and tested here; the worker's browser glue
//! is its binary, the page's side `web::savepoint_tools`.

pub mod library_panel;
pub mod library_protocol;
pub mod panel;
pub mod protocol;
pub mod savepoint_view;
pub mod session;
