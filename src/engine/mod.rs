//! The engine: a faithful, deterministic model of Flink's heap keyed-state backend and of the keyed counter
//! job around it. Every module mirrors one Flink class or concept and says which.

/// `From` each wrapped error into the error wrapping it, as thiserror's `#[from]` made them:
/// `error_from!(EngineError { Config(JobConfigError), Key(KeyError) })`.
macro_rules! error_from {
    ($outer:ident { $($variant:ident($inner:ty)),+ $(,)? }) => {$(
        impl From<$inner> for $outer {
            fn from(e: $inner) -> Self {
                $outer::$variant(e)
            }
        }
    )+};
}
pub(crate) use error_from;

pub mod checkpoint;
pub mod cluster;
pub mod export;
pub mod functions;
pub mod history;
pub mod keys;
pub mod memory;
pub mod operators;
pub mod savepoint;
pub mod shared;
pub mod source;
pub mod state;
pub mod tasks;
