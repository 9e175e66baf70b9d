//! `TtlListState` — a `ListState<Long>` with time-to-live: the heap backend's list state of `TtlValue`s
//! (`TtlStateFactory` wraps the element serializer: `ListSerializer<TtlValue<Long>>`), so each key's entry
//! references an `ArrayList` whose every element is a `TtlValue` (24 bytes) around its `Long`: 48 bytes an
//! element where a plain list's costs 24.
//!
//! As Flink 2.3 (read from its bytecode; `original` is the wrapped `HeapListState`):
//! * `add(v)`: the access callback (the incremental cleanup's turn), then `original.add(new TtlValue(v, now))`
//!   — `stateTable.get`, a `new ArrayList<>()` put for a key without a list, then `list.add` on the object;
//! * `addAll(values)` / `update(values)`: the callback, then `original.addAll` / `original.update` of the values
//!   each wrapped with `now` (`update([])` clears);
//! * `get()`: the callback, `original.get()` (copy-on-write included); with `OnReadAndWrite` the unexpired
//!   elements are written back with the new time (`updateTs`: `original.update`, unless none is left). The
//!   `Iterable` it returns skips expired elements (`ReturnExpiredIfNotCleanedUp` returns them too), and once
//!   iterated to its end having met no unexpired element it clears the state (`IteratorWithCleanup`) — a
//!   `stateTable.remove` even for a key that had no list. [`TtlListState::get`] is `get()` iterated to its end;
//! * `clear()`: `original.clear()` — without the callback (`TtlListState` overrides `AbstractTtlState.clear`);
//! * `getUnexpiredOrNull(list)` (the incremental cleanup): the list itself unless an element expired, else a
//!   `new ArrayList<>(list.size())` of the unexpired ones (the same `TtlValue`s: `TtlSerializer.copy` returns
//!   them), or `null` when none is left.
//!
//! Time is the caller's processing time in ms (`TtlTimeProvider.currentTimestamp()`), passed to each call.

use crate::engine::state::heap::copy_on_write_state_map::MapAccess;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::state_objects::{StateValueObject, TtlLong};
use crate::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use crate::engine::state::list_state_descriptor::ListStateDescriptor;
use crate::engine::state::state_descriptor::StateDescriptorType;
use crate::engine::state::state_error::StateError;
use crate::engine::state::state_ttl_config::{StateTtlConfig, StateVisibility, UpdateType};
use crate::engine::state::ttl::abstract_ttl_state::{extends_abstract_ttl_state, AbstractTtlState};
use crate::engine::state::ttl::ttl_incremental_cleanup::Unexpired;
use crate::engine::state::ttl::ttl_utils::expired;

impl HeapKeyedStateBackend {
    /// `getState(new ListStateDescriptor<>(name, Types.LONG))` with `enableTimeToLive(ttl)`: a list state of
    /// `TtlValue`s (registered as a `LIST` state).
    pub fn get_or_create_ttl_list_state(
        &mut self,
        descriptor: &ListStateDescriptor,
        ttl: StateTtlConfig,
    ) -> Result<TtlListState, StateError> {
        AbstractTtlState::register(
            self,
            descriptor.name(),
            StateDescriptorType::List,
            ValueSerializer::TtlListOfLong,
            ttl,
        )
        .map(TtlListState)
    }
}

/// A handle on a registered `ListState<Long>` with TTL. Calls go through the backend that made it; the handle
/// holds the incremental cleanup's place in the table, so one handle is kept per state (as Flink keeps one
/// `TtlListState` per registered state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TtlListState(AbstractTtlState);

extends_abstract_ttl_state!(TtlListState);

impl TtlListState {
    /// `get()` at processing time `now`, iterated to its end: the user values it returns (the unexpired ones, and
    /// with `ReturnExpiredIfNotCleanedUp` the expired ones too), and the map operations it made.
    pub fn get(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        now: i64,
    ) -> Result<(Vec<i64>, Vec<MapAccess>), StateError> {
        self.access_callback(backend, now);
        let (current, index) = backend.locate_object(self.table)?;
        // `original.get()`, `null` as `Collections.emptyList()`.
        let (elements, read) = backend.with_object_map(self.table, index, |m| {
            let (state, access) = m.get(current.key, current.hash_code);
            let elements = match state.and_then(|r| m.objects().get(r)) {
                Some(StateValueObject::TtlList { elements, .. }) => elements.clone(),
                _ => Vec::new(),
            };
            (elements, access)
        });
        let mut accesses = vec![read];
        if self.ttl.update_type == UpdateType::OnReadAndWrite {
            // `updateTs`: the unexpired elements wrapped again with now, written unless none is left.
            let renewed: Vec<TtlLong> = elements
                .iter()
                .filter(|e| !self.expired(e, now))
                .map(|e| TtlLong {
                    user_value: e.user_value,
                    last_access_timestamp: now,
                })
                .collect();
            if !renewed.is_empty() {
                accesses.push(put_new_list(backend, self.table, index, &renewed)?);
            }
        }
        // `IteratorWithCleanup`, to the end: over the elements `original.get()` returned.
        let mut any_unexpired = false;
        let mut values = Vec::with_capacity(elements.len());
        for e in &elements {
            let unexpired = !self.expired(e, now);
            any_unexpired |= unexpired;
            if unexpired
                || self.ttl.state_visibility == StateVisibility::ReturnExpiredIfNotCleanedUp
            {
                values.push(e.user_value);
            }
        }
        if !any_unexpired {
            // `cleanupIfEmpty`: `original.clear()`.
            accesses.push(backend.with_object_map(self.table, index, |m| {
                m.remove(current.key, current.hash_code).1
            }));
        }
        Ok((values, accesses))
    }

    /// `add(value)` at processing time `now`: a `TtlValue(value, now)` added to the list (the accesses of `get`
    /// and, for a key without a list, of `put`).
    pub fn add(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        value: i64,
        now: i64,
    ) -> Result<Vec<MapAccess>, StateError> {
        self.access_callback(backend, now);
        let (current, index) = backend.locate_object(self.table)?;
        let element = TtlLong {
            user_value: value,
            last_access_timestamp: now,
        };
        Ok(backend.with_object_map(self.table, index, |map| {
            let (state, read) = map.get(current.key, current.hash_code);
            let mut accesses = vec![read];
            if state.is_none() {
                let list = map.objects_mut().allocate(StateValueObject::new_ttl_list());
                accesses.push(map.put(current.key, current.hash_code, current.key_bytes, list));
            }
            map.change_in_place(current.key, current.hash_code, |objects, list| {
                if let Some(list) = objects.get_mut(list) {
                    list.ttl_list_add(element);
                }
            });
            accesses
        }))
    }

    /// `addAll(values)` at processing time `now`: nothing for an empty list.
    pub fn add_all(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        values: &[i64],
        now: i64,
    ) -> Result<Option<MapAccess>, StateError> {
        self.access_callback(backend, now);
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
                    let list = previous
                        .unwrap_or_else(|| objects.allocate(StateValueObject::new_ttl_list()));
                    if let Some(object) = objects.get_mut(list) {
                        for &v in values {
                            object.ttl_list_add(TtlLong {
                                user_value: v,
                                last_access_timestamp: now,
                            });
                        }
                    }
                    list
                },
            )
        })))
    }

    /// `update(values)` at processing time `now`: a new list of the values wrapped with `now`; an empty one
    /// clears the state.
    pub fn update(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        values: &[i64],
        now: i64,
    ) -> Result<MapAccess, StateError> {
        self.access_callback(backend, now);
        let (current, index) = backend.locate_object(self.table)?;
        if values.is_empty() {
            return Ok(backend.with_object_map(self.table, index, |m| {
                m.remove(current.key, current.hash_code).1
            }));
        }
        let wrapped: Vec<TtlLong> = values
            .iter()
            .map(|&v| TtlLong {
                user_value: v,
                last_access_timestamp: now,
            })
            .collect();
        put_new_list(backend, self.table, index, &wrapped)
    }

    /// `clear()`: `original.clear()`, no cleanup turn.
    pub fn clear(&self, backend: &mut HeapKeyedStateBackend) -> Result<MapAccess, StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        Ok(backend.with_object_map(self.table, index, |m| {
            m.remove(current.key, current.hash_code).1
        }))
    }

    /// The stored elements of the current key (user value and last access time each) without any access (a
    /// debugger's look: no cleanup, no expiry, no copy).
    pub fn peek(
        &self,
        backend: &HeapKeyedStateBackend,
    ) -> Result<Option<Vec<TtlLong>>, StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        let map = &backend.object_table_at(self.table).maps()[index];
        Ok(map.peek(current.key, current.hash_code).and_then(|e| {
            match map.objects().get(e.state) {
                Some(StateValueObject::TtlList { elements, .. }) => Some(elements.clone()),
                _ => None,
            }
        }))
    }
}

/// `HeapListState.update(list)` of a non-empty list: a `new ArrayList<>()` with every element, put in place of
/// the key's list.
fn put_new_list(
    backend: &mut HeapKeyedStateBackend,
    table: usize,
    index: usize,
    elements: &[TtlLong],
) -> Result<MapAccess, StateError> {
    let current = backend.current_key().ok_or(StateError::NoKeySet)?;
    Ok(backend.with_object_map(table, index, |m| {
        let mut list = StateValueObject::new_ttl_list();
        for &e in elements {
            list.ttl_list_add(e);
        }
        let list = m.objects_mut().allocate(list);
        m.put(current.key, current.hash_code, current.key_bytes, list)
    }))
}

/// `TtlListState.getUnexpiredOrNull(list)`, for the incremental cleanup: the list itself when it is empty or
/// none of its elements expired; else a `new ArrayList<>(list.size())` of the unexpired elements, or `null`.
pub(crate) fn get_unexpired_or_null(elements: &[TtlLong], ttl_ms: i64, now: i64) -> Unexpired {
    let is_expired = |e: &TtlLong| expired(e.last_access_timestamp, ttl_ms, now);
    if !elements.iter().any(is_expired) {
        return Unexpired::Same;
    }
    let unexpired: Vec<TtlLong> = elements
        .iter()
        .copied()
        .filter(|e| !is_expired(e))
        .collect();
    if unexpired.is_empty() {
        Unexpired::Null
    } else {
        Unexpired::New(StateValueObject::ttl_list_of(
            unexpired,
            elements.len() as u32,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(user_value: i64, last_access_timestamp: i64) -> TtlLong {
        TtlLong {
            user_value,
            last_access_timestamp,
        }
    }

    #[test]
    fn the_cleanup_keeps_a_list_until_an_element_expired_then_copies_what_is_left() {
        assert_eq!(get_unexpired_or_null(&[], 10, 100), Unexpired::Same);
        assert_eq!(
            get_unexpired_or_null(&[at(1, 95), at(2, 99)], 10, 100),
            Unexpired::Same
        );
        // The new list has the old one's size as capacity.
        match get_unexpired_or_null(&[at(1, 80), at(2, 99), at(3, 85)], 10, 100) {
            Unexpired::New(StateValueObject::TtlList { elements, capacity }) => {
                assert_eq!(elements, vec![at(2, 99)]);
                assert_eq!(capacity.capacity(), 3);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            get_unexpired_or_null(&[at(1, 80), at(2, 90)], 10, 100),
            Unexpired::Null
        );
    }
}
