//! `org.apache.flink.runtime.state.heap.HeapListState`: a `ListState<Long>` on the heap backend. Its state object
//! per key is a `java.util.ArrayList<Long>` the state table references:
//!
//! * `add(v)`: `list = stateTable.get(ns)` (copied by `ListSerializer.copy` when a snapshot still shares it);
//!   when absent `list = new ArrayList<>()` and `stateTable.put(ns, list)`; then `list.add(v)` on the object.
//! * `update(values)`: `clear()` for an empty list, else a `new ArrayList<>()` with every value, put in place of
//!   the old one.
//! * `addAll(values)`: `stateTable.transform(ns, values, …)`, adding to the (copied) list, or to a new one.
//! * `get()`: `stateTable.get(ns)`, copy-on-write included — reading under a snapshot copies the list.
//! * `clear()`: `stateTable.remove(ns)`.

use crate::engine::state::heap::copy_on_write_state_map::MapAccess;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use crate::engine::state::list_state_descriptor::ListStateDescriptor;
use crate::engine::state::state_descriptor::StateDescriptorType;
use crate::engine::state::state_error::StateError;

impl HeapKeyedStateBackend {
    /// `getPartitionedState` for a `ListState<Long>`.
    pub fn get_or_create_list_state(
        &mut self,
        descriptor: &ListStateDescriptor,
    ) -> Result<HeapListState, StateError> {
        let table = self.register(
            descriptor.name(),
            StateDescriptorType::List,
            ValueSerializer::ListOfLong,
        )?;
        Ok(HeapListState::new(table))
    }
}

/// A handle on a registered `ListState<Long>`. Calls go through the backend that made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeapListState {
    table: usize,
}

impl HeapListState {
    fn new(table: usize) -> Self {
        HeapListState { table }
    }

    /// Index of the state's table among the backend's object tables.
    pub fn table_index(&self) -> usize {
        self.table
    }

    /// `get()`: the current key's elements, `None` when it has no list.
    pub fn get(
        &self,
        backend: &mut HeapKeyedStateBackend,
    ) -> Result<(Option<Vec<i64>>, MapAccess), StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |map| {
            let (state, access) = map.get(current.key, current.hash_code);
            let elements = state.and_then(|r| match map.objects().get(r) {
                Some(StateValueObject::List { elements, .. }) => Some(elements.clone()),
                _ => None,
            });
            (elements, access)
        }))
    }

    /// `get()` and counting the elements it returns (`Iterables.size(state.get())`): the same access, without
    /// handing the elements out.
    pub fn get_size(
        &self,
        backend: &mut HeapKeyedStateBackend,
    ) -> Result<(Option<usize>, MapAccess), StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |map| {
            let (state, access) = map.get(current.key, current.hash_code);
            let size = state.and_then(|r| match map.objects().get(r) {
                Some(StateValueObject::List { elements, .. }) => Some(elements.len()),
                _ => None,
            });
            (size, access)
        }))
    }

    /// `add(value)`: the accesses of `get` and, for a key without a list, of `put`.
    pub fn add(
        &self,
        backend: &mut HeapKeyedStateBackend,
        value: i64,
    ) -> Result<Vec<MapAccess>, StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |map| {
            let (state, read) = map.get(current.key, current.hash_code);
            let mut accesses = vec![read];
            if state.is_none() {
                let list = map.objects_mut().allocate(StateValueObject::new_list());
                accesses.push(map.put(current.key, current.hash_code, current.key_bytes, list));
            }
            map.change_in_place(current.key, current.hash_code, |objects, list| {
                if let Some(list) = objects.get_mut(list) {
                    list.list_add(value);
                }
            });
            accesses
        }))
    }

    /// `update(values)`: an empty list clears the state.
    pub fn update(
        &self,
        backend: &mut HeapKeyedStateBackend,
        values: &[i64],
    ) -> Result<MapAccess, StateError> {
        if values.is_empty() {
            return self.clear(backend);
        }
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |map| {
            let mut list = StateValueObject::new_list();
            for &v in values {
                list.list_add(v);
            }
            let list = map.objects_mut().allocate(list);
            map.put(current.key, current.hash_code, current.key_bytes, list)
        }))
    }

    /// `addAll(values)`: nothing for an empty list.
    pub fn add_all(
        &self,
        backend: &mut HeapKeyedStateBackend,
        values: &[i64],
    ) -> Result<Option<MapAccess>, StateError> {
        if values.is_empty() {
            return Ok(None);
        }
        let (current, index) = backend.locate_object(self.table)?;
        Ok(Some(backend.with_object_map(self.table, index, |map| {
            map.transform(
                current.key,
                current.hash_code,
                current.key_bytes,
                |objects, previous| {
                    let list =
                        previous.unwrap_or_else(|| objects.allocate(StateValueObject::new_list()));
                    if let Some(object) = objects.get_mut(list) {
                        for &v in values {
                            object.list_add(v);
                        }
                    }
                    list
                },
            )
        })))
    }

    /// `clear()`.
    pub fn clear(&self, backend: &mut HeapKeyedStateBackend) -> Result<MapAccess, StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |map| {
            map.remove(current.key, current.hash_code).1
        }))
    }
}
