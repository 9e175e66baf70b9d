//! `org.apache.flink.runtime.state.heap.HeapValueState` over a mutable type: a `ValueState<HashMap<String, Long>>`
//! or `ValueState<ArrayList<Long>>`, the alternative to a `MapState` or `ListState` that the docs compare. Its
//! state object per key is the very `HashMap` or `ArrayList` the user passed to `update()`:
//!
//! * `value()` is `stateTable.get(ns)` — under a snapshot the serializer's copy (`MapSerializer.copy`,
//!   `ListSerializer.copy`) — and returns the object itself, not a copy: on the heap backend a user who changes
//!   it has changed the state, `update()` or not (why the docs warn against reusing state objects).
//! * `update(v)` is `stateTable.put(ns, v)`; `update(null)` is `clear()`.
//!
//! A user's `m = state.value(); if (m == null) m = new HashMap<>(); m.put(k, v); state.update(m);` is two map
//! operations per call, against `MapState.put`'s one `get` (and a `put` for a new key).

use crate::engine::state::heap::copy_on_write_state_map::MapAccess;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::state_objects::{ObjectRef, StateValueObject};
use crate::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use crate::engine::state::state_descriptor::StateDescriptorType;
use crate::engine::state::state_error::StateError;

impl HeapKeyedStateBackend {
    /// `getPartitionedState` for a `ValueState` of a mutable type: `ValueState<List<Long>>`
    /// ([`ValueSerializer::ListOfLong`]) or `ValueState<Map<String, Long>>` ([`ValueSerializer::MapOfStringLong`]).
    pub fn get_or_create_object_value_state(
        &mut self,
        name: &str,
        serializer: ValueSerializer,
    ) -> Result<HeapObjectValueState, StateError> {
        let table = self.register(name, StateDescriptorType::Value, serializer)?;
        Ok(HeapObjectValueState { table })
    }
}

/// A handle on a registered `ValueState` of a mutable type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeapObjectValueState {
    table: usize,
}

impl HeapObjectValueState {
    /// Index of the state's table among the backend's object tables.
    pub fn table_index(&self) -> usize {
        self.table
    }

    /// `value()`: a reference to the current key's object, `None` (Java's `null`) when it has none.
    pub fn value(
        &self,
        backend: &mut HeapKeyedStateBackend,
    ) -> Result<(Option<ObjectRef>, MapAccess), StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |map| {
            map.get(current.key, current.hash_code)
        }))
    }

    /// User code reading an object it holds (one `value()` returned), on the current key's key group's heap.
    pub fn read<R>(
        &self,
        backend: &HeapKeyedStateBackend,
        object: ObjectRef,
        read: impl FnOnce(&StateValueObject) -> R,
    ) -> Result<Option<R>, StateError> {
        let (_, index) = backend.locate_object(self.table)?;
        Ok(backend.object_table_at(self.table).maps()[index]
            .objects()
            .get(object)
            .map(read))
    }

    /// `new HashMap<>()` / `new ArrayList<>()` in user code: an object on the heap of the current key's key
    /// group, referenced by nothing yet.
    pub fn new_object(
        &self,
        backend: &mut HeapKeyedStateBackend,
        object: StateValueObject,
    ) -> Result<ObjectRef, StateError> {
        let (_, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |map| map.objects_mut().allocate(object)))
    }

    /// User code changing an object it holds (`m.put(k, v)` on the map `value()` returned): whatever references
    /// it — the state, and a snapshot that has not copied it — sees the change. The current key's state is
    /// counted again if it is this object.
    pub fn change<R>(
        &self,
        backend: &mut HeapKeyedStateBackend,
        object: ObjectRef,
        change: impl FnOnce(&mut StateValueObject) -> R,
    ) -> Result<Option<R>, StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |map| {
            let held = map
                .peek(current.key, current.hash_code)
                .is_some_and(|e| e.state == object);
            if held {
                map.change_in_place(current.key, current.hash_code, |objects, r| {
                    objects.get_mut(r).map(change)
                })
                .flatten()
            } else {
                map.objects_mut().get_mut(object).map(change)
            }
        }))
    }

    /// `update(value)`; `update(null)` is `clear()`.
    pub fn update(
        &self,
        backend: &mut HeapKeyedStateBackend,
        value: Option<ObjectRef>,
    ) -> Result<MapAccess, StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        Ok(
            backend.with_object_map(self.table, index, |map| match value {
                Some(object) => map.put(current.key, current.hash_code, current.key_bytes, object),
                None => map.remove(current.key, current.hash_code).1,
            }),
        )
    }
}
