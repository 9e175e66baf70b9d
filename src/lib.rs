//! StateLab: Apache Flink's keyed state as it lives inside the heap state backend, step by step.
//!
//! [`engine`] is a pure-Rust, deterministic model of Flink's `HashMapStateBackend` running a keyed counter job;
//! it has no web dependencies and is tested natively. The web UI (wasm32 only) renders what the engine reports.
//! See `ARCHITECTURE.md` for the module map.

pub mod checkpoint_link;
pub mod checkpoint_record;
pub mod checkpoint_runs;
pub mod engine;
pub mod i18n;
pub mod teaching;

#[cfg(target_arch = "wasm32")]
pub mod web;
