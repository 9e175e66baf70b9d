//! The page's views. Each reads the simulation through the [`crate::web::context::Sim`] context and re-renders
//! when its version changes.

pub mod checkpoints;
pub mod code_panel;
pub mod controls;
pub mod debugger_view;
pub mod event_log;
pub mod heap;
pub mod help;
pub mod job_graph;
pub mod key_trace;
pub mod keygroup_map;
pub mod lessons_panel;
pub mod settings;
pub mod state_table;
pub mod stored_checkpoints;
pub mod structure_comparison;
pub mod term;
pub mod timeline;
