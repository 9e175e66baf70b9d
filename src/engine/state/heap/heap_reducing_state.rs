//! `org.apache.flink.runtime.state.heap.HeapReducingState`: a `ReducingState<Long>` (sum) on the heap backend.
//! `add(v)` is one `stateTable.transform(ns, v, reduceTransformation)`: the previous value (or `v` for a new
//! key) reduced with `v` — a new `Long` in the entry. `get()` is `stateTable.get(ns)`, `clear()` a remove.

use crate::engine::state::heap::copy_on_write_state_map::MapAccess;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use crate::engine::state::reducing_state_descriptor::ReducingStateDescriptor;
use crate::engine::state::state_descriptor::StateDescriptorType;
use crate::engine::state::state_error::StateError;

impl HeapKeyedStateBackend {
    /// `getPartitionedState` for a `ReducingState<Long>`.
    pub fn get_or_create_reducing_state(
        &mut self,
        descriptor: &ReducingStateDescriptor,
    ) -> Result<HeapReducingState, StateError> {
        let table = self.register(
            descriptor.name(),
            StateDescriptorType::Reducing,
            ValueSerializer::Long,
        )?;
        Ok(HeapReducingState { table })
    }
}

/// A handle on a registered `ReducingState<Long>` (sum).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeapReducingState {
    table: usize,
}

impl HeapReducingState {
    /// Index of the state's table among the backend's `Long` tables.
    pub fn table_index(&self) -> usize {
        self.table
    }

    /// `get()`: the reduced value, `None` for a key without one.
    pub fn get(
        &self,
        backend: &mut HeapKeyedStateBackend,
    ) -> Result<(Option<i64>, MapAccess), StateError> {
        let (current, index) = backend.locate_long(self.table)?;
        Ok(backend.with_long_map(self.table, index, |map| {
            map.get(current.key, current.hash_code)
        }))
    }

    /// `add(value)`: `reduce(previous, value)`, or `value` itself for a new key.
    pub fn add(
        &self,
        backend: &mut HeapKeyedStateBackend,
        value: i64,
    ) -> Result<MapAccess, StateError> {
        let (current, index) = backend.locate_long(self.table)?;
        Ok(backend.with_long_map(self.table, index, |map| {
            map.transform(
                current.key,
                current.hash_code,
                current.key_bytes,
                |_, previous| previous.map_or(value, |p| p.wrapping_add(value)),
            )
        }))
    }

    /// `clear()`.
    pub fn clear(&self, backend: &mut HeapKeyedStateBackend) -> Result<MapAccess, StateError> {
        let (current, index) = backend.locate_long(self.table)?;
        Ok(backend.with_long_map(self.table, index, |map| {
            map.remove(current.key, current.hash_code).1
        }))
    }
}
