//! The heap keyed state backend — `org.apache.flink.runtime.state.heap`: `HeapKeyedStateBackend`, `StateTable`,
//! `CopyOnWriteStateMap` and its entries, the state objects entries reference (`ArrayList`, `HashMap`, `Tuple2`), the
//! list, map, reducing and aggregating states, the timer queues (`HeapPriorityQueueSet`), and the snapshot strategy.

pub mod copy_on_write_state_map;
pub mod heap_aggregating_state;
pub mod heap_keyed_state_backend;
pub mod heap_list_state;
pub mod heap_map_state;
pub mod heap_object_value_state;
pub mod heap_priority_queue_set;
pub mod heap_reducing_state;
pub mod heap_snapshot_strategy;
pub mod internal_key_context;
pub mod state_incremental_visitor;
pub mod state_map;
pub mod state_map_entry;
pub mod state_objects;
pub mod state_table;
