//! StateLab: Apache Flink's keyed state as it lives inside the heap state backend, step by step.
//!
//! [`engine`] is a pure-Rust, deterministic model of Flink's `HashMapStateBackend` running a keyed counter job;
//! it has no web dependencies and is tested natively. [`player`] is what the page does with it, as plain state
//! and actions (native too, tested natively); the web UI (wasm32 only) renders that and does the browser's I/O.
//! See `ARCHITECTURE.md` for the module map.

pub mod engine;
pub mod i18n;
pub mod player;
pub mod teaching;
pub mod worker;

#[cfg(target_arch = "wasm32")]
pub mod web;
