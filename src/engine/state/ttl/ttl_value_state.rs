//! `TtlValueState` — a `ValueState<Long>` with time-to-live: the heap backend's value state of `TtlValue`s
//! (`TtlStateFactory` wraps the state and its serializer, `TtlSerializer`), so each key's entry references a
//! `TtlValue` (24 bytes) that references the `Long` (24 unless cached): 48 bytes where a plain `Long` costs 24.
//!
//! As Flink 2.3 (read from its bytecode):
//! * `value()`: the access callback first (the incremental cleanup's turn), then `getWithTtlCheckAndUpdate`:
//!   no `TtlValue` → `null`; an expired one → the entry is cleared, and `null` (`NeverReturnExpired`) or the old
//!   value (`ReturnExpiredIfNotCleanedUp`); else with `OnReadAndWrite` it is written back with the new time;
//! * `update(v)`: the callback, then `original.update(new TtlValue(v, now))` — `update(null)` stores a
//!   `TtlValue` of `null`, it does not clear;
//! * `clear()`: `original.clear()`, then the callback.
//!
//! Time is the caller's processing time in ms (`TtlTimeProvider.currentTimestamp()`), passed to each call.

use crate::engine::state::heap::copy_on_write_state_map::MapAccess;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::state_objects::{ObjectRef, StateValueObject};
use crate::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use crate::engine::state::state_descriptor::StateDescriptorType;
use crate::engine::state::state_error::StateError;
use crate::engine::state::state_ttl_config::{StateTtlConfig, StateVisibility, UpdateType};
use crate::engine::state::ttl::abstract_ttl_state::{extends_abstract_ttl_state, AbstractTtlState};
use crate::engine::state::ttl::ttl_incremental_cleanup::Unexpired;
use crate::engine::state::ttl::ttl_utils::expired;

impl HeapKeyedStateBackend {
    /// `getState(new ValueStateDescriptor<>(name, Types.LONG))` with `enableTimeToLive(ttl)`: a value state of
    /// `TtlValue`s (registered as a `VALUE` state).
    pub fn get_or_create_ttl_value_state(
        &mut self,
        name: &str,
        ttl: StateTtlConfig,
    ) -> Result<TtlValueState, StateError> {
        AbstractTtlState::register(
            self,
            name,
            StateDescriptorType::Value,
            ValueSerializer::TtlOfLong,
            ttl,
        )
        .map(TtlValueState)
    }
}

/// What `value()` found (and a map state with TTL's `get(key)`: `TtlMapState::get`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TtlRead {
    /// No value for the key.
    Absent,
    /// An unexpired value (its user value, `None` for a stored `null`).
    Value(Option<i64>),
    /// An expired value, cleared by this read; `returned` is what `value()` gave (`None` with
    /// `NeverReturnExpired`).
    Expired { returned: Option<i64> },
}

impl TtlRead {
    /// What `value()` returns.
    pub fn value(self) -> Option<i64> {
        match self {
            TtlRead::Absent => None,
            TtlRead::Value(v) => v,
            TtlRead::Expired { returned } => returned,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TtlValueState(AbstractTtlState);

extends_abstract_ttl_state!(TtlValueState);

impl TtlValueState {
    /// `value()` at processing time `now`.
    pub fn value(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        now: i64,
    ) -> Result<(TtlRead, MapAccess), StateError> {
        self.access_callback(backend, now);
        let (current, index) = backend.locate_object(self.table)?;
        let (found, access) =
            backend.with_object_map(self.table, index, |m| m.get(current.key, current.hash_code));
        let Some(object) = found else {
            return Ok((TtlRead::Absent, access));
        };
        let (user_value, last_access) = self.read(backend, index, object);
        if self.ttl.is_enabled() && expired(last_access, self.ttl.ttl_ms, now) {
            backend.with_object_map(self.table, index, |m| {
                m.remove(current.key, current.hash_code)
            });
            let returned = match self.ttl.state_visibility {
                StateVisibility::NeverReturnExpired => None,
                StateVisibility::ReturnExpiredIfNotCleanedUp => user_value,
            };
            return Ok((TtlRead::Expired { returned }, access));
        }
        if self.ttl.update_type == UpdateType::OnReadAndWrite {
            self.write(backend, index, user_value, now);
        }
        Ok((TtlRead::Value(user_value), access))
    }

    /// `update(value)` at processing time `now`: a new `TtlValue(value, now)`.
    pub fn update(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        value: Option<i64>,
        now: i64,
    ) -> Result<MapAccess, StateError> {
        self.access_callback(backend, now);
        let (_, index) = backend.locate_object(self.table)?;
        Ok(self.write(backend, index, value, now))
    }

    /// `clear()` at processing time `now`.
    pub fn clear(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        now: i64,
    ) -> Result<MapAccess, StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        let (_, access) = backend.with_object_map(self.table, index, |m| {
            m.remove(current.key, current.hash_code)
        });
        self.access_callback(backend, now);
        Ok(access)
    }

    /// The stored `TtlValue` of the current key without any access (a debugger's look; no cleanup, no expiry):
    /// (user value, last access time).
    pub fn peek(
        &self,
        backend: &HeapKeyedStateBackend,
    ) -> Result<Option<(Option<i64>, i64)>, StateError> {
        let (current, index) = backend.locate_object(self.table)?;
        let map = &backend.object_table_at(self.table).maps()[index];
        Ok(map
            .peek(current.key, current.hash_code)
            .map(|e| e.state)
            .and_then(|r| ttl_fields(map.objects().get(r))))
    }

    fn read(
        &self,
        backend: &HeapKeyedStateBackend,
        index: usize,
        object: ObjectRef,
    ) -> (Option<i64>, i64) {
        let map = &backend.object_table_at(self.table).maps()[index];
        ttl_fields(map.objects().get(object)).unwrap_or((None, i64::MIN))
    }

    /// `original.update(wrapWithTs(value))` for the current key.
    fn write(
        &self,
        backend: &mut HeapKeyedStateBackend,
        index: usize,
        value: Option<i64>,
        now: i64,
    ) -> MapAccess {
        let current = backend.current_key().expect("located above");
        backend.with_object_map(self.table, index, |m| {
            let object = m.objects_mut().allocate(StateValueObject::TtlValue {
                user_value: value,
                last_access_timestamp: now,
            });
            m.put(current.key, current.hash_code, current.key_bytes, object)
        })
    }
}

/// `TtlValueState.getUnexpiredOrNull(ttlValue)`, for the incremental cleanup: `null` once expired, else the
/// value itself (nothing is written back).
pub(crate) fn get_unexpired_or_null(
    last_access_timestamp: i64,
    ttl_ms: i64,
    now: i64,
) -> Unexpired {
    if expired(last_access_timestamp, ttl_ms, now) {
        Unexpired::Null
    } else {
        Unexpired::Same
    }
}

fn ttl_fields(object: Option<&StateValueObject>) -> Option<(Option<i64>, i64)> {
    match object? {
        StateValueObject::TtlValue {
            user_value,
            last_access_timestamp,
        } => Some((*user_value, *last_access_timestamp)),
        _ => None,
    }
}
