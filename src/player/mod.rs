//! The player: what the page does with the engine, as plain state changed only by actions through a reducer —
//! native, with no web dependencies, and tested by `cargo test`; `crate::web` renders it and does the browser's
//! I/O (time, random job ids, storage), which it hands in as values.
//!
//! * [`simulation`] — the page's driver of the engine, changed only by [`simulation::SimulationAction`]s: speed,
//!   frames, idle waits compressed, stepping, seeking, commands, keys typed by hand, new jobs; with it
//!   [`speeds`], [`heap_history`], [`flow_rates`], [`page_reporter`] (what the page notes of the engine's events)
//!   and [`page_error`] (what the error banner reports, typed);
//! * [`checkpoint_library`] — the checkpoint library's state and its actions (stored checkpoints, storing the
//!   job's, imports, links offered, what went wrong where), [`stored_checkpoint`] — what storage keeps of a
//!   checkpoint beside its blob, [`library_error`] — what goes wrong with it, typed, [`library_words`] — all of that in the reader's words;
//! * [`format`](mod@format) — numbers, sizes and durations as the page and its workers word them;
//! * [`save_schedule`] — when the page hands the running job's completed checkpoints over to be stored;
//! * [`checkpoint_link`] — a checkpoint blob in a share link's fragment, and back;
//! * [`checkpoint_runs`] — the runs in the checkpoint library told apart (Run 1, Run 2, …, what job, when);
//! * [`object_tree`] — the debugger view's object tree, from the function down to the current key's entry;
//! * [`tree_view`] — what the reader opened, closed and chose in that tree.

pub mod checkpoint_library;
pub mod checkpoint_link;
pub mod checkpoint_runs;
pub mod flow_rates;
pub mod format;
pub mod heap_history;
pub mod library_error;
pub mod library_words;
pub mod object_tree;
pub mod page_error;
pub mod page_reporter;
pub mod save_schedule;
pub mod simulation;
pub mod speeds;
pub mod stored_checkpoint;
pub mod tree_view;
