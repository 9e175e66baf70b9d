//! The heap keyed state backend — `org.apache.flink.runtime.state.heap`: `HeapKeyedStateBackend`, `StateTable`,
//! `CopyOnWriteStateMap` and its entries, and the snapshot strategy.

pub mod copy_on_write_state_map;
pub mod heap_keyed_state_backend;
pub mod heap_snapshot_strategy;
pub mod state_map_entry;
pub mod state_table;
