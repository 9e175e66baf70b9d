//! `TtlIncrementalCleanup` — the heap backend's background cleanup of a state with TTL: on every access to the
//! state (`stateAccessed`, the TTL state's `accessCallback`) it walks a little further through the state's table
//! with a [`StateIncrementalVisitor`] and removes the expired values it passes.
//!
//! `runCleanup`: while fewer than `cleanupSize` entries were visited, the visitor has a next map and its
//! `nextEntries()` returns a bucket's chain, each entry of the chain is checked (`getUnexpiredOrNull`) and removed
//! if expired; an empty chain (no non-empty bucket within `cleanupSize` positions) ends the turn. The visitor is
//! made again from the first key group when it has run out (`initIteratorIfNot`), so the cleanup goes round and
//! round the table, however few keys are accessed.

use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::state_incremental_visitor::StateIncrementalVisitor;
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::state::ttl::ttl_utils::expired;

/// What one turn of the cleanup did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CleanupTurn {
    /// Entries checked.
    pub visited: u32,
    /// Expired entries removed.
    pub removed: u32,
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

    /// `stateAccessed()` for the TTL value state whose `TtlValue`s are in object table `table`, at `now` ms
    /// with time-to-live `ttl_ms`.
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
                let is_expired = match objects.get(entry.state) {
                    Some(StateValueObject::TtlValue {
                        last_access_timestamp,
                        ..
                    }) => expired(*last_access_timestamp, ttl_ms, now),
                    _ => false,
                };
                // `getUnexpiredOrNull` returns the same `TtlValue` when it has not expired: nothing to write.
                if is_expired {
                    backend.with_object_map(table, entry.map, |m| {
                        m.remove_hashed(entry.key, entry.hash)
                    });
                    turn.removed += 1;
                }
            }
            turn.visited += chain.len() as u32;
        }
        turn
    }
}
