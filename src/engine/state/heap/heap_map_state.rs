//! `org.apache.flink.runtime.state.heap.HeapMapState`: a `MapState<String, Long>` on the heap backend. Its state
//! object per key is a `java.util.HashMap<String, Long>` the state table references:
//!
//! * `put(k, v)`: `userMap = stateTable.get(ns)` (copied by `MapSerializer.copy` when a snapshot still shares
//!   it); when absent `userMap = new HashMap<>()` and `stateTable.put(ns, userMap)`; then `userMap.put(k, v)`.
//! * `get(k)`, `contains(k)`, `isEmpty()`, `entries()`: `stateTable.get(ns)` — copy-on-write included — then a
//!   read of the map.
//! * `remove(k)`: `userMap.remove(k)` on the map `stateTable.get` returned, and `clear()` once it is empty.
//! * `clear()`: `stateTable.remove(ns)`.

use crate::engine::state::heap::copy_on_write_state_map::MapAccess;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::state_objects::{MapEntry, ObjectRef, StateValueObject};
use crate::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use crate::engine::state::map_state_descriptor::MapStateDescriptor;
use crate::engine::state::state_descriptor::StateDescriptorType;
use crate::engine::state::state_error::StateError;

impl HeapKeyedStateBackend {
    /// `getPartitionedState` for a `MapState<String, Long>`.
    pub fn get_or_create_map_state(
        &mut self,
        descriptor: &MapStateDescriptor,
    ) -> Result<HeapMapState, StateError> {
        let table = self.register(
            descriptor.name(),
            StateDescriptorType::Map,
            ValueSerializer::MapOfStringLong,
        )?;
        Ok(HeapMapState::new(table))
    }
}

/// A handle on a registered `MapState<String, Long>`. Calls go through the backend that made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeapMapState {
    table: usize,
}

impl HeapMapState {
    /// The map state whose maps are in object table `table` (the original state a `TtlMapState` wraps).
    pub(crate) fn of_table(table: usize) -> Self {
        HeapMapState { table }
    }

    fn new(table: usize) -> Self {
        HeapMapState { table }
    }

    /// Index of the state's table among the backend's object tables.
    pub fn table_index(&self) -> usize {
        self.table
    }

    /// `stateTable.get(ns)` and a read of the user map it returns (`None` when the key has no map).
    fn read<R>(
        &self,
        backend: &mut HeapKeyedStateBackend,
        read: impl FnOnce(&StateValueObject) -> R,
    ) -> Result<(Option<R>, MapAccess), StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |map| {
            let (state, access) = map.get(current.key, current.hash_code);
            (state.and_then(|r| map.objects().get(r)).map(read), access)
        }))
    }

    /// `get(userKey)`.
    pub fn get(
        &self,
        backend: &mut HeapKeyedStateBackend,
        user_key: &str,
    ) -> Result<(Option<i64>, MapAccess), StateError> {
        let (value, access) = self.read(backend, |m| m.map_get(user_key))?;
        Ok((value.flatten(), access))
    }

    /// `contains(userKey)`.
    pub fn contains(
        &self,
        backend: &mut HeapKeyedStateBackend,
        user_key: &str,
    ) -> Result<(bool, MapAccess), StateError> {
        let (value, access) = self.get(backend, user_key)?;
        Ok((value.is_some(), access))
    }

    /// `isEmpty()`: no map, or an empty one.
    pub fn is_empty(&self, backend: &mut HeapKeyedStateBackend) -> Result<bool, StateError> {
        Ok(self
            .read(backend, StateValueObject::is_empty)?
            .0
            .unwrap_or(true))
    }

    /// `entries()`: the mappings, in the order the `HashMap` iterates them ([`StateValueObject::table_order`]).
    pub fn entries(
        &self,
        backend: &mut HeapKeyedStateBackend,
    ) -> Result<Vec<(String, i64)>, StateError> {
        let (entries, _) = self.read(backend, |m| match m {
            StateValueObject::Map { .. } => m
                .map_entries_in_table_order()
                .unwrap_or_default()
                .into_iter()
                .map(|MapEntry { key, value }| (key.to_string(), value))
                .collect(),
            StateValueObject::List { .. }
            | StateValueObject::Tuple2 { .. }
            | StateValueObject::KeyStats { .. }
            | StateValueObject::TtlValue { .. }
            | StateValueObject::TtlList { .. }
            | StateValueObject::TtlMap { .. } => Vec::new(),
        })?;
        Ok(entries.unwrap_or_default())
    }

    /// `put(userKey, value)`: the accesses of `get` and, for a key without a map, of `put`.
    pub fn put(
        &self,
        backend: &mut HeapKeyedStateBackend,
        user_key: &str,
        value: i64,
    ) -> Result<Vec<MapAccess>, StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |map| {
            let (state, read) = map.get(current.key, current.hash_code);
            let mut accesses = vec![read];
            if state.is_none() {
                let user_map = map.objects_mut().allocate(StateValueObject::new_map());
                accesses.push(map.put(current.key, current.hash_code, current.key_bytes, user_map));
            }
            map.change_in_place(current.key, current.hash_code, |objects, user_map| {
                if let Some(user_map) = objects.get_mut(user_map) {
                    user_map.map_put(user_key, value);
                }
            });
            accesses
        }))
    }

    /// `remove(userKey)`: and `clear()` when that emptied the map.
    pub fn remove(
        &self,
        backend: &mut HeapKeyedStateBackend,
        user_key: &str,
    ) -> Result<Vec<MapAccess>, StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |map| {
            let (state, read) = map.get(current.key, current.hash_code);
            let mut accesses = vec![read];
            if state.is_some() {
                let emptied = map
                    .change_in_place(
                        current.key,
                        current.hash_code,
                        |objects, user_map: ObjectRef| {
                            objects.get_mut(user_map).is_some_and(|m| {
                                m.remove_mapping(user_key);
                                m.is_empty()
                            })
                        },
                    )
                    .unwrap_or(false);
                if emptied {
                    accesses.push(map.remove(current.key, current.hash_code).1);
                }
            }
            accesses
        }))
    }

    /// `clear()`.
    pub fn clear(&self, backend: &mut HeapKeyedStateBackend) -> Result<MapAccess, StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |map| {
            map.remove(current.key, current.hash_code).1
        }))
    }
}
