//! The engine: a faithful, deterministic model of Flink's heap keyed-state backend and of the keyed counter
//! job around it. Every module mirrors one Flink class or concept and says which.

pub mod copy_on_write_state_map;
pub mod heap_keyed_state_backend;
pub mod java_key;
pub mod jvm_object_sizes;
pub mod key_group_range;
pub mod key_group_range_assignment;
pub mod key_registry;
pub mod keyed_backend_serialization_proxy;
pub mod math_utils;
pub mod memory_size;
pub mod state_error;
pub mod state_map_entry;
pub mod state_object;
pub mod state_table;
pub mod task_executor_memory;
pub mod value_state_descriptor;
