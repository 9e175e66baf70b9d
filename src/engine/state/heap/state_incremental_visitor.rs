//! `StateIncrementalVisitor` of the heap backend: `StateTable.StateIncrementalVisitorImpl` over the key-group
//! maps, each walked by `CopyOnWriteStateMap.StateIncrementalVisitorImpl` with its `StateEntryChainIterator` —
//! what TTL's incremental cleanup (`TtlIncrementalCleanup`) walks a little further on every state access.
//!
//! As Flink 2.3 does it (read from its bytecode):
//! * the table visitor takes the key-group maps in order and opens each one's visitor, skipping maps whose
//!   visitor has nothing (`hasNext()`: the map is not empty, and positions are left in the array it walks or
//!   that array is still the primary table);
//! * a map's visitor walks one bucket array (`activeTable`, the primary table when it was opened), at most
//!   `recommendedMaxNumberOfReturnedRecords` positions per `nextEntries()` call, and returns the whole chain of
//!   the first non-empty bucket it finds — or nothing, which ends that access's cleanup;
//! * at the end of the primary table it moves on to the incremental-rehash table (the shared empty table when
//!   no rehash runs). It holds the array itself: if the map finishes a rehash meanwhile, the array it walks is
//!   the old one, every bucket of which the rehash has moved and nulled, so it finds nothing more there.
//!
//! Entries are returned as they are in the map (`getState()` of the entry: no copy-on-write copy is made for
//! reading), with what `remove` and `update` need to find them again.

use crate::engine::keys::key_registry::KeyId;
use crate::engine::state::heap::copy_on_write_state_map::CopyOnWriteStateMap;
use crate::engine::state::heap::state_map_entry::TableKind;
use crate::engine::state::state_object::StateObject;

/// One entry a visitor returned (`StateEntry.SimpleStateEntry`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VisitedEntry<S> {
    /// The key-group map it is in (index into the table's maps).
    pub map: usize,
    pub key: KeyId,
    /// The entry's composite hash (`bitMix(key.hashCode() ^ namespace.hashCode())`).
    pub hash: i32,
    pub key_bytes: u32,
    pub state: S,
}

/// `CopyOnWriteStateMap.StateIncrementalVisitorImpl`: where its chain iterator is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct MapVisitor {
    map: usize,
    /// `activeTable`: which array ([`CopyOnWriteStateMap::table_generation`]) and its length.
    active_generation: u32,
    active_length: usize,
    /// `nextMapPosition`.
    next_position: usize,
}

/// `StateTable.StateIncrementalVisitorImpl`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateIncrementalVisitor {
    /// `recommendedMaxNumberOfReturnedRecords`: the positions one `nextEntries()` may pass.
    max_traversed_positions: usize,
    /// The next key-group map to open.
    next_map: usize,
    current: Option<MapVisitor>,
}

impl StateIncrementalVisitor {
    /// `getStateIncrementalVisitor(recommendedMaxNumberOfReturnedRecords)` of a state table.
    pub fn new<S: StateObject>(maps: &[CopyOnWriteStateMap<S>], recommended: u32) -> Self {
        let mut visitor = StateIncrementalVisitor {
            max_traversed_positions: recommended as usize,
            next_map: 0,
            current: None,
        };
        visitor.open_next_map(maps);
        visitor
    }

    /// `hasNext()`: whether a map with something to visit is left (opening the next ones as needed).
    pub fn has_next<S: StateObject>(&mut self, maps: &[CopyOnWriteStateMap<S>]) -> bool {
        loop {
            if let Some(v) = self.current {
                if map_has_next(&maps[v.map], &v) {
                    return true;
                }
            }
            if self.next_map >= maps.len() {
                return false;
            }
            self.open_next_map(maps);
        }
    }

    /// `nextEntries()`: the entries of the next non-empty bucket within the positions allowed, or none.
    pub fn next_entries<S: StateObject>(
        &mut self,
        maps: &[CopyOnWriteStateMap<S>],
    ) -> Vec<VisitedEntry<S>> {
        if !self.has_next(maps) {
            return Vec::new();
        }
        let Some(v) = self.current.as_mut() else {
            return Vec::new();
        };
        let map = &maps[v.map];
        let mut out = Vec::new();
        let mut next = chain_next(map, v, self.max_traversed_positions);
        while let Some(index) = next {
            let e = map.entry(index);
            out.push(VisitedEntry {
                map: v.map,
                key: e.key,
                hash: e.hash,
                key_bytes: e.key_bytes,
                state: e.state,
            });
            next = e.next_entry();
        }
        out
    }

    /// Opens maps from `next_map` on until one has something (`init()`), or none is left.
    fn open_next_map<S: StateObject>(&mut self, maps: &[CopyOnWriteStateMap<S>]) {
        while self.next_map < maps.len() {
            let index = self.next_map;
            self.next_map += 1;
            let map = &maps[index];
            let v = MapVisitor {
                map: index,
                active_generation: map.table_generation(TableKind::Primary),
                active_length: map.table_capacity(TableKind::Primary),
                next_position: 0,
            };
            if map_has_next(map, &v) {
                self.current = Some(v);
                return;
            }
        }
        self.current = None;
    }
}

/// `StateEntryChainIterator.hasNext()`.
fn map_has_next<S: StateObject>(map: &CopyOnWriteStateMap<S>, v: &MapVisitor) -> bool {
    map.size() > 0
        && (v.next_position < v.active_length
            || v.active_generation == map.table_generation(TableKind::Primary))
}

/// The bucket head at `position` of the array the visitor walks (`None` in an array the map dropped).
fn slot<S: StateObject>(
    map: &CopyOnWriteStateMap<S>,
    v: &MapVisitor,
    position: usize,
) -> Option<u32> {
    let kind = if v.active_generation == map.table_generation(TableKind::Primary) {
        TableKind::Primary
    } else if v.active_generation == map.table_generation(TableKind::IncrementalRehash) {
        TableKind::IncrementalRehash
    } else {
        return None;
    };
    map.bucket_head(kind, position)
}

/// `StateEntryChainIterator.next()`: the head of the next non-empty bucket within `max` positions, moving from
/// the primary table on to the incremental-rehash table at its end.
fn chain_next<S: StateObject>(
    map: &CopyOnWriteStateMap<S>,
    v: &mut MapVisitor,
    max: usize,
) -> Option<u32> {
    loop {
        // `nextActiveMapPosition()`.
        let mut found = None;
        let mut traversed = 0;
        while v.next_position < v.active_length && traversed < max {
            let head = slot(map, v, v.next_position);
            v.next_position += 1;
            if head.is_some() {
                found = head;
                break;
            }
            traversed += 1;
        }
        let rehash = map.table_generation(TableKind::IncrementalRehash);
        if found.is_none()
            && v.next_position >= v.active_length
            && v.active_generation != rehash
            && v.active_generation == map.table_generation(TableKind::Primary)
        {
            v.active_generation = rehash;
            v.active_length = map.table_capacity(TableKind::IncrementalRehash);
            v.next_position = 0;
            continue;
        }
        return found;
    }
}
