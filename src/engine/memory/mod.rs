//! Memory — `org.apache.flink.runtime.util.config.memory` (TaskManager process memory), the JVM's object sizes
//! and heap, and how much heap a keyed operator's state takes and how many keys fit.

pub mod array_list;
pub mod hash_map;
pub mod heap_capacity;
pub mod heap_footprint;
pub mod jvm_heap;
pub mod jvm_object_sizes;
pub mod memory_size;
pub mod state_footprint;
pub mod state_map_growth;
pub mod task_executor_memory;
