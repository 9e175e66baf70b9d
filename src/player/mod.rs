//! The player: what the page does with the engine, as plain state changed only by actions through a reducer —
//! native, with no web dependencies, and tested by `cargo test`; `crate::web` renders it and does the browser's
//! I/O (time, random job ids, storage), which it hands in as values.
//!
//! * [`checkpoint_link`] — a checkpoint blob in a share link's fragment, and back;
//! * [`checkpoint_runs`] — the runs in the checkpoint library told apart (Run 1, Run 2, …, what job, when).

pub mod checkpoint_link;
pub mod checkpoint_runs;
