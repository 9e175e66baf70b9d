//! `TtlIncrementalCleanup` — the heap backend's background cleanup of a state with TTL: on every access to the
//! state (`stateAccessed`, the TTL state's `accessCallback`) it walks a little further through the state's table
//! with a [`StateIncrementalVisitor`] and cleans up the states it passes.
//!
//! `runCleanup`: while fewer than `cleanupSize` entries were visited, the visitor has a next map and its
//! `nextEntries()` returns a bucket's chain, each entry of the chain is checked with the TTL state's
//! `getUnexpiredOrNull(entry.getState())`: `null` removes the entry (`StateIncrementalVisitor.remove`), another
//! object than the entry's is written back (`StateIncrementalVisitor.update` → `CopyOnWriteStateMap.put`, a map
//! operation like any other: it takes an incremental-rehash step), the same object is left alone. An empty chain
//! (no non-empty bucket within `cleanupSize` positions) ends the turn. The visitor is made again from the first
//! key group when it has run out (`initIteratorIfNot`), so the cleanup goes round and round the table, however
//! few keys are accessed.
//!
//! What `getUnexpiredOrNull` makes of a state is the TTL state's own: [`get_unexpired_or_null`] dispatches on the
//! state object to `TtlValueState`'s (a `TtlValue`: `null` when expired, else itself), `TtlListState`'s (the list
//! itself while none of its elements expired) and `TtlMapState`'s (in Flink 2.3 always a *new* `HashMap` for a
//! non-empty map, expired or not — so every map the cleanup passes is rebuilt and written back).

use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::state_incremental_visitor::StateIncrementalVisitor;
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::state::ttl::{ttl_list_state, ttl_map_state, ttl_value_state};

/// What one turn of the cleanup did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CleanupTurn {
    /// Entries checked.
    pub visited: u32,
    /// Entries removed: their state had expired (`getUnexpiredOrNull` returned `null`).
    pub removed: u32,
    /// Entries whose state was written back as a new object (a list of its unexpired elements, a rebuilt map).
    pub rewritten: u32,
}

/// What `AbstractTtlState.getUnexpiredOrNull(state)` returned for a state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unexpired {
    /// The state itself: nothing to write.
    Same,
    /// `null`: nothing of it is left unexpired, the entry goes.
    Null,
    /// A new object (what is unexpired of the state), written back in its place.
    New(StateValueObject),
}

/// `getUnexpiredOrNull(state)` of the TTL state whose objects these are, at `now` ms with time-to-live `ttl_ms`.
pub fn get_unexpired_or_null(state: &StateValueObject, ttl_ms: i64, now: i64) -> Unexpired {
    match state {
        StateValueObject::TtlValue {
            last_access_timestamp,
            ..
        } => ttl_value_state::get_unexpired_or_null(*last_access_timestamp, ttl_ms, now),
        StateValueObject::TtlList { elements, .. } => {
            ttl_list_state::get_unexpired_or_null(elements, ttl_ms, now)
        }
        StateValueObject::TtlMap { .. } => ttl_map_state::get_unexpired_or_null(
            &state.ttl_map_entries_in_table_order().unwrap_or_default(),
            ttl_ms,
            now,
        ),
        StateValueObject::List { .. }
        | StateValueObject::Map { .. }
        | StateValueObject::Tuple2 { .. }
        | StateValueObject::KeyStats { .. } => Unexpired::Same,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TtlIncrementalCleanup {
    cleanup_size: u32,
    /// `stateIterator`: `None` until the first access.
    visitor: Option<StateIncrementalVisitor>,
}

impl TtlIncrementalCleanup {
    pub fn new(cleanup_size: u32) -> Self {
        TtlIncrementalCleanup {
            cleanup_size,
            visitor: None,
        }
    }

    /// `stateAccessed()` for the TTL state whose objects (`TtlValue`s, or lists or maps of them) are in object
    /// table `table`, at `now` ms with time-to-live `ttl_ms`.
    pub fn state_accessed(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        table: usize,
        ttl_ms: i64,
        now: i64,
    ) -> CleanupTurn {
        // `initIteratorIfNot`.
        let maps = backend.object_table_at(table).maps();
        let exhausted = match self.visitor.as_mut() {
            Some(v) => !v.has_next(maps),
            None => true,
        };
        if exhausted {
            self.visitor = Some(StateIncrementalVisitor::new(maps, self.cleanup_size));
        }
        let Some(visitor) = self.visitor.as_mut() else {
            return CleanupTurn::default();
        };
        // `runCleanup`.
        let mut turn = CleanupTurn::default();
        while turn.visited < self.cleanup_size {
            let maps = backend.object_table_at(table).maps();
            if !visitor.has_next(maps) {
                break;
            }
            let chain = visitor.next_entries(maps);
            if chain.is_empty() {
                break;
            }
            for entry in &chain {
                let objects = backend.object_table_at(table).maps()[entry.map].objects();
                let unexpired = match objects.get(entry.state) {
                    Some(state) => get_unexpired_or_null(state, ttl_ms, now),
                    None => Unexpired::Same,
                };
                match unexpired {
                    Unexpired::Same => {}
                    Unexpired::Null => {
                        backend.with_object_map(table, entry.map, |m| {
                            m.remove_hashed(entry.key, entry.hash)
                        });
                        turn.removed += 1;
                    }
                    Unexpired::New(object) => {
                        backend.with_object_map(table, entry.map, |m| {
                            let object = m.objects_mut().allocate(object);
                            m.put_hashed(entry.key, entry.hash, entry.key_bytes, object)
                        });
                        turn.rewritten += 1;
                    }
                }
            }
            turn.visited += chain.len() as u32;
        }
        turn
    }
}
