//! `TtlMapState` — a `MapState<String, Long>` with time-to-live: the heap backend's map state whose values are
//! `TtlValue`s (`TtlStateFactory` wraps the value serializer, not the key's: `MapSerializer<String,
//! TtlValue<Long>>`), so each mapping costs a `TtlValue` (24 bytes) more than a plain map's.
//!
//! As Flink 2.3 (read from its bytecode; `original` is the wrapped `HeapMapState`):
//! * `get(k)` / `contains(k)`: the access callback (the incremental cleanup's turn), then
//!   `getWrappedWithTtlCheckAndUpdate` over `original.get(k)`: no `TtlValue` → `null`; an expired one →
//!   `original.remove(k)` (which clears the state once its map is empty), and `null` (`NeverReturnExpired`) or
//!   the old value (`ReturnExpiredIfNotCleanedUp`); else with `OnReadAndWrite` `original.put(k, …)` with the new
//!   time;
//! * `put(k, v)`: the callback, then `original.put(k, new TtlValue(v, now))`; `remove(k)`: the callback, then
//!   `original.remove(k)`;
//! * `entries()` (and `keys()`, `values()`): the callback, `original.entries()` (one `stateTable.get`); iterated,
//!   each expired mapping is removed from the map through its iterator (the map stays in the state, empty or
//!   not), each unexpired one renewed by `original.put` with `OnReadAndWrite`. [`TtlMapState::entries`] is
//!   `entries()` iterated to its end, in the order the `HashMap` iterates its mappings (its table's:
//!   `StateValueObject::table_order`);
//! * `isEmpty()`: the callback, then `original.isEmpty()` — expired mappings count;
//! * `clear()`: `original.clear()` — without the callback (`TtlMapState` overrides `AbstractTtlState.clear`);
//! * `getUnexpiredOrNull(map)` (the incremental cleanup): an empty map itself, else a *new* `HashMap` (`new
//!   HashMap<>()` and a `put` of each unexpired mapping, the same key `String`s and `TtlValue`s), or `null` when
//!   nothing is left. Never the map itself: every non-empty map the cleanup passes is rebuilt and written back
//!   (`CopyOnWriteStateMap.put`), expired or not.
//!
//! Time is the caller's processing time in ms (`TtlTimeProvider.currentTimestamp()`), passed to each call.

use crate::engine::state::heap::copy_on_write_state_map::MapAccess;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::heap_map_state::HeapMapState;
use crate::engine::state::heap::state_objects::{
    ObjectRef, StateValueObject, TtlLong, TtlMapEntry,
};
use crate::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use crate::engine::state::map_state_descriptor::MapStateDescriptor;
use crate::engine::state::state_descriptor::StateDescriptorType;
use crate::engine::state::state_error::StateError;
use crate::engine::state::state_ttl_config::{StateTtlConfig, StateVisibility, UpdateType};
use crate::engine::state::ttl::abstract_ttl_state::{extends_abstract_ttl_state, AbstractTtlState};
use crate::engine::state::ttl::ttl_incremental_cleanup::Unexpired;
use crate::engine::state::ttl::ttl_utils::expired;
use crate::engine::state::ttl::ttl_value_state::TtlRead;

impl HeapKeyedStateBackend {
    /// `getMapState(new MapStateDescriptor<>(name, Types.STRING, Types.LONG))` with `enableTimeToLive(ttl)`: a
    /// map state of `TtlValue`s (registered as a `MAP` state).
    pub fn get_or_create_ttl_map_state(
        &mut self,
        descriptor: &MapStateDescriptor,
        ttl: StateTtlConfig,
    ) -> Result<TtlMapState, StateError> {
        AbstractTtlState::register(
            self,
            descriptor.name(),
            StateDescriptorType::Map,
            ValueSerializer::TtlMapOfStringLong,
            ttl,
        )
        .map(TtlMapState)
    }
}

/// A handle on a registered `MapState<String, Long>` with TTL. Calls go through the backend that made it; the
/// handle holds the incremental cleanup's place in the table, so one handle is kept per state (as Flink keeps
/// one `TtlMapState` per registered state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TtlMapState(AbstractTtlState);

extends_abstract_ttl_state!(TtlMapState);

impl TtlMapState {
    /// `get(userKey)` at processing time `now`.
    pub fn get(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        user_key: &str,
        now: i64,
    ) -> Result<(TtlRead, Vec<MapAccess>), StateError> {
        self.access_callback(backend, now);
        let (found, mut accesses) = original_get(backend, self.table, user_key)?;
        let Some(value) = found else {
            return Ok((TtlRead::Absent, accesses));
        };
        if self.expired(&value, now) {
            accesses.extend(original_remove(backend, self.table, user_key)?);
            let returned = match self.ttl.state_visibility {
                StateVisibility::NeverReturnExpired => None,
                StateVisibility::ReturnExpiredIfNotCleanedUp => Some(value.user_value),
            };
            return Ok((TtlRead::Expired { returned }, accesses));
        }
        if self.ttl.update_type == UpdateType::OnReadAndWrite {
            accesses.extend(original_put(
                backend,
                self.table,
                user_key,
                renewed(value, now),
            )?);
        }
        Ok((TtlRead::Value(Some(value.user_value)), accesses))
    }

    /// `contains(userKey)` at processing time `now`: `get`'s check (and its clearing and renewal), and whether
    /// it found a value it would return.
    pub fn contains(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        user_key: &str,
        now: i64,
    ) -> Result<bool, StateError> {
        Ok(self.get(backend, user_key, now)?.0.value().is_some())
    }

    /// `put(userKey, value)` at processing time `now`: a `TtlValue(value, now)` (the accesses of `get` and, for a
    /// key without a map, of `put`).
    pub fn put(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        user_key: &str,
        value: i64,
        now: i64,
    ) -> Result<Vec<MapAccess>, StateError> {
        self.access_callback(backend, now);
        original_put(
            backend,
            self.table,
            user_key,
            TtlLong {
                user_value: value,
                last_access_timestamp: now,
            },
        )
    }

    /// `remove(userKey)` at processing time `now` (and `clear()` when that emptied the map).
    pub fn remove(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        user_key: &str,
        now: i64,
    ) -> Result<Vec<MapAccess>, StateError> {
        self.access_callback(backend, now);
        original_remove(backend, self.table, user_key)
    }

    /// `entries()` at processing time `now`, iterated to its end: the mappings it returns (the unexpired ones,
    /// and with `ReturnExpiredIfNotCleanedUp` the expired ones too), in the order the `HashMap` iterates them.
    pub fn entries(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        now: i64,
    ) -> Result<Vec<(String, i64)>, StateError> {
        self.access_callback(backend, now);
        let (current, index) = backend.locate_object(self.table)?;
        // `original.entries()`: the map `stateTable.get` returns (copy-on-write included), or none.
        let (state, entries) = backend.with_object_map(self.table, index, |m| {
            let (state, _) = m.get(current.key, current.hash_code);
            let entries = match state.and_then(|r| m.objects().get(r)) {
                Some(object @ StateValueObject::TtlMap { .. }) => {
                    object.ttl_map_entries_in_table_order().unwrap_or_default()
                }
                _ => Vec::new(),
            };
            (state, entries)
        });
        let mut out = Vec::with_capacity(entries.len());
        for TtlMapEntry { key, value } in entries {
            if self.expired(&value, now) {
                // `originalIterator.remove()`: on the map object, no state-table operation.
                if let Some(map) = state {
                    remove_in_place(backend, self.table, index, map, &key);
                }
                if self.ttl.state_visibility == StateVisibility::ReturnExpiredIfNotCleanedUp {
                    out.push((key.to_string(), value.user_value));
                }
                continue;
            }
            if self.ttl.update_type == UpdateType::OnReadAndWrite {
                original_put(backend, self.table, &key, renewed(value, now))?;
            }
            out.push((key.to_string(), value.user_value));
        }
        Ok(out)
    }

    /// `isEmpty()` at processing time `now`: no map, or an empty one (expired mappings still count).
    pub fn is_empty(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        now: i64,
    ) -> Result<bool, StateError> {
        self.access_callback(backend, now);
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |m| {
            let (state, _) = m.get(current.key, current.hash_code);
            state
                .and_then(|r| m.objects().get(r))
                .is_none_or(StateValueObject::is_empty)
        }))
    }

    /// `clear()`: `original.clear()`, no cleanup turn.
    pub fn clear(&self, backend: &mut HeapKeyedStateBackend) -> Result<MapAccess, StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |m| {
            m.remove(current.key, current.hash_code).1
        }))
    }

    /// The stored mappings of the current key (user value and last access time each) without any access (a
    /// debugger's look: no cleanup, no expiry, no copy).
    pub fn peek(
        &self,
        backend: &HeapKeyedStateBackend,
    ) -> Result<Option<Vec<TtlMapEntry>>, StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        let map = &backend.object_table_at(self.table).maps()[index];
        Ok(map.peek(current.key, current.hash_code).and_then(|e| {
            match map.objects().get(e.state) {
                Some(StateValueObject::TtlMap { entries, .. }) => Some(entries.clone()),
                _ => None,
            }
        }))
    }
}

/// `rewrapWithNewTs`: the same user value at a new time.
fn renewed(value: TtlLong, now: i64) -> TtlLong {
    TtlLong {
        user_value: value.user_value,
        last_access_timestamp: now,
    }
}

/// `HeapMapState.get(userKey)`: `stateTable.get`, then the map's value.
fn original_get(
    backend: &mut HeapKeyedStateBackend,
    table: usize,
    user_key: &str,
) -> Result<(Option<TtlLong>, Vec<MapAccess>), StateError> {
    let (current, index) = backend.locate_object(table)?;
    Ok(backend.with_object_map(table, index, |m| {
        let (state, access) = m.get(current.key, current.hash_code);
        let value = state
            .and_then(|r| m.objects().get(r))
            .and_then(|o| o.ttl_map_get(user_key));
        (value, vec![access])
    }))
}

/// `HeapMapState.put(userKey, value)`: `stateTable.get`, a `new HashMap<>()` put for a key without a map, then
/// `userMap.put` on the object.
fn original_put(
    backend: &mut HeapKeyedStateBackend,
    table: usize,
    user_key: &str,
    value: TtlLong,
) -> Result<Vec<MapAccess>, StateError> {
    let (current, index) = backend.locate_object(table)?;
    Ok(backend.with_object_map(table, index, |map| {
        let (state, read) = map.get(current.key, current.hash_code);
        let mut accesses = vec![read];
        if state.is_none() {
            let user_map = map.objects_mut().allocate(StateValueObject::new_ttl_map());
            accesses.push(map.put(current.key, current.hash_code, current.key_bytes, user_map));
        }
        map.change_in_place(current.key, current.hash_code, |objects, user_map| {
            if let Some(user_map) = objects.get_mut(user_map) {
                user_map.ttl_map_put(user_key, value);
            }
        });
        accesses
    }))
}

/// `original.remove(userKey)`: the wrapped `HeapMapState`'s (`stateTable.get`, `userMap.remove`, and `clear()`
/// when that emptied it).
fn original_remove(
    backend: &mut HeapKeyedStateBackend,
    table: usize,
    user_key: &str,
) -> Result<Vec<MapAccess>, StateError> {
    HeapMapState::of_table(table).remove(backend, user_key)
}

/// An `Iterator.remove()` on the map object `map` of the current key: the mapping goes, the map stays.
fn remove_in_place(
    backend: &mut HeapKeyedStateBackend,
    table: usize,
    index: usize,
    map: ObjectRef,
    user_key: &str,
) {
    let Some(current) = backend.current_key() else {
        return;
    };
    backend.with_object_map(table, index, |m| {
        m.change_in_place(current.key, current.hash_code, |objects, live| {
            // The iterator is over the object `original.entries()` returned, which is the entry's still.
            if live == map {
                if let Some(o) = objects.get_mut(map) {
                    o.ttl_map_remove(user_key);
                }
            }
        })
    });
}

/// `TtlMapState.getUnexpiredOrNull(map)`, for the incremental cleanup, over the map's mappings in the order it
/// iterates them (`StateValueObject::ttl_map_entries_in_table_order`): an empty map itself; else a new `HashMap`
/// of the unexpired mappings put in that order (even when none expired), or `null` when none is left.
pub(crate) fn get_unexpired_or_null(entries: &[TtlMapEntry], ttl_ms: i64, now: i64) -> Unexpired {
    if entries.is_empty() {
        return Unexpired::Same;
    }
    let unexpired: Vec<TtlMapEntry> = entries
        .iter()
        .filter(|e| !expired(e.value.last_access_timestamp, ttl_ms, now))
        .cloned()
        .collect();
    if unexpired.is_empty() {
        Unexpired::Null
    } else {
        Unexpired::New(StateValueObject::ttl_map_of(unexpired))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, user_value: i64, last_access_timestamp: i64) -> TtlMapEntry {
        TtlMapEntry {
            key: key.into(),
            value: TtlLong {
                user_value,
                last_access_timestamp,
            },
        }
    }

    #[test]
    fn the_cleanup_rebuilds_every_non_empty_map() {
        assert_eq!(get_unexpired_or_null(&[], 10, 100), Unexpired::Same);
        // Nothing expired, still a new map (`new HashMap<>()` and its puts: a table of 16).
        let all = [entry("a", 1, 95), entry("b", 2, 99)];
        match get_unexpired_or_null(&all, 10, 100) {
            Unexpired::New(StateValueObject::TtlMap { entries, table }) => {
                assert_eq!(entries, all.to_vec());
                assert_eq!(table.table_length(), 16);
            }
            other => panic!("{other:?}"),
        }
        match get_unexpired_or_null(&[entry("a", 1, 80), entry("b", 2, 99)], 10, 100) {
            Unexpired::New(StateValueObject::TtlMap { entries, .. }) => {
                assert_eq!(entries, vec![entry("b", 2, 99)]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            get_unexpired_or_null(&[entry("a", 1, 80)], 10, 100),
            Unexpired::Null
        );
    }
}
