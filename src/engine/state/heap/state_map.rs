//! `org.apache.flink.runtime.state.heap.StateMap`: the abstract base of `CopyOnWriteStateMap`, the map of one key
//! group of one `StateTable` as whoever looks at it sees it — its size, its tables and their buckets, its
//! copy-on-write versions, its heap — whatever state objects its entries hold (a `Long` in the entry, or a
//! reference to a list, map, accumulator or `TtlValue`). Object safe, so that the page's views and the
//! lessons read every state primitive's maps through one `&dyn StateMap` instead of one copy per state type.

use crate::engine::keys::key_registry::KeyId;
use crate::engine::state::heap::copy_on_write_state_map::{
    CopyOnWriteStateMap, StateMapHeap, StateMapStats,
};
use crate::engine::state::heap::state_map_entry::{StateMapEntry, TableKind};
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::state::state_object::StateObject;
use std::fmt;

/// A state as the map holds it: a `Long` in the entry, or the object the entry references.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShownState {
    Long(i64),
    Object(StateValueObject),
    /// A reference to an object the map no longer has (never for a live entry).
    Missing,
}

/// As Java's `toString()` writes the state: `3`, `[3, 7]`, `{a=1, b=2}`, `(3,12)`, `TtlValue{…}`.
impl fmt::Display for ShownState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShownState::Long(v) => write!(f, "{v}"),
            ShownState::Object(o) => o.fmt(f),
            ShownState::Missing => f.write_str("null"),
        }
    }
}

impl ShownState {
    /// As Java prints it, in at most about `max_chars` characters: a longer text keeps its beginning and its end
    /// (a list's newest elements are at its end) around ` … `.
    pub fn abbreviated(&self, max_chars: usize) -> String {
        let text = self.to_string();
        let chars = text.chars().count();
        if chars <= max_chars {
            return text;
        }
        let keep = max_chars.saturating_sub(3) / 2;
        let head: String = text.chars().take(keep).collect();
        let tail: String = text.chars().skip(chars - keep).collect();
        // Cut between elements (after a `,`), not through one.
        let head = head.rfind(',').map_or(&head[..], |at| &head[..=at]);
        let tail = tail
            .find(',')
            .map_or(&tail[..], |at| tail[at + 1..].trim_start());
        format!("{head} … {tail}")
    }
}

/// One `StateMapEntry` of a bucket's chain, as a debugger shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryView {
    pub key: KeyId,
    pub hash: i32,
    pub entry_version: i32,
    pub state_version: i32,
    pub state: ShownState,
    /// The entry (or its state) was copied on write for a snapshot that is still running.
    pub copied: bool,
}

/// What a reader of a key group's map sees (`StateMap` and the `CopyOnWriteStateMap` fields Flink keeps private).
pub trait StateMap {
    fn size(&self) -> usize;
    /// The primary table's length.
    fn capacity(&self) -> usize;
    fn table_capacity(&self, kind: TableKind) -> usize;
    fn rehash_capacity(&self) -> usize;
    fn is_rehashing(&self) -> bool;
    fn rehash_index(&self) -> u32;
    fn threshold(&self) -> usize;
    fn state_map_version(&self) -> i32;
    fn highest_required_snapshot_version(&self) -> i32;
    fn snapshot_versions(&self) -> Vec<i32>;
    fn heap(&self) -> &StateMapHeap;
    fn stats(&self) -> &StateMapStats;
    fn retained_entries(&self) -> usize;
    fn first_occupied_bucket(&self, kind: TableKind) -> Option<usize>;
    /// Where a key with this `hashCode()` is looked up now.
    fn locate(&self, key_hash_code: i32) -> (TableKind, u32);
    /// A bucket's chain length, and whether an entry of it holds a copy for a running snapshot.
    fn bucket_shape(&self, kind: TableKind, bucket: usize) -> (u32, bool);
    /// A bucket's chain, entry by entry.
    fn bucket_entries(&self, kind: TableKind, bucket: usize) -> Vec<EntryView>;
    /// The live state of a key, without touching the map.
    fn peek_state(&self, key: KeyId, key_hash_code: i32) -> Option<ShownState>;
    fn primary_table_size(&self) -> u32;
    fn incremental_rehash_table_size(&self) -> u32;
    fn mod_count(&self) -> u32;
    /// The slot (arena index) of the first entry in a bucket.
    fn bucket_head(&self, kind: TableKind, bucket: usize) -> Option<u32>;
    /// The entry in a slot, the slot of the next entry of its chain, and whether its state object is still the
    /// one a snapshot holds (copy on write has not copied it yet).
    fn entry_at(&self, slot: u32) -> (EntryView, Option<u32>, bool);
}

/// How an entry's state reads: the `Long` itself, or the object it references.
pub trait ShowState: StateObject {
    fn show(&self, objects: &Self::Objects) -> ShownState;
}

impl ShowState for i64 {
    fn show(&self, _: &Self::Objects) -> ShownState {
        ShownState::Long(*self)
    }
}

impl ShowState for crate::engine::state::heap::state_objects::ObjectRef {
    fn show(&self, objects: &Self::Objects) -> ShownState {
        objects
            .get(*self)
            .map_or(ShownState::Missing, |o| ShownState::Object(o.clone()))
    }
}

impl<S: ShowState> CopyOnWriteStateMap<S> {
    fn entry_view(&self, e: &StateMapEntry<S>) -> EntryView {
        EntryView {
            key: e.key,
            hash: e.hash,
            entry_version: e.entry_version,
            state_version: e.state_version,
            state: e.state.show(self.objects()),
            copied: self.copied_for_running_snapshot(e),
        }
    }
}

impl<S: ShowState> StateMap for CopyOnWriteStateMap<S> {
    fn size(&self) -> usize {
        CopyOnWriteStateMap::size(self)
    }
    fn capacity(&self) -> usize {
        CopyOnWriteStateMap::capacity(self)
    }
    fn table_capacity(&self, kind: TableKind) -> usize {
        CopyOnWriteStateMap::table_capacity(self, kind)
    }
    fn rehash_capacity(&self) -> usize {
        CopyOnWriteStateMap::rehash_capacity(self)
    }
    fn is_rehashing(&self) -> bool {
        CopyOnWriteStateMap::is_rehashing(self)
    }
    fn rehash_index(&self) -> u32 {
        CopyOnWriteStateMap::rehash_index(self)
    }
    fn threshold(&self) -> usize {
        CopyOnWriteStateMap::threshold(self)
    }
    fn state_map_version(&self) -> i32 {
        CopyOnWriteStateMap::state_map_version(self)
    }
    fn highest_required_snapshot_version(&self) -> i32 {
        CopyOnWriteStateMap::highest_required_snapshot_version(self)
    }
    fn snapshot_versions(&self) -> Vec<i32> {
        CopyOnWriteStateMap::snapshot_versions(self).collect()
    }
    fn heap(&self) -> &StateMapHeap {
        CopyOnWriteStateMap::heap(self)
    }
    fn stats(&self) -> &StateMapStats {
        CopyOnWriteStateMap::stats(self)
    }
    fn retained_entries(&self) -> usize {
        CopyOnWriteStateMap::retained_entries(self)
    }
    fn first_occupied_bucket(&self, kind: TableKind) -> Option<usize> {
        CopyOnWriteStateMap::first_occupied_bucket(self, kind)
    }
    fn locate(&self, key_hash_code: i32) -> (TableKind, u32) {
        CopyOnWriteStateMap::locate(self, key_hash_code)
    }
    fn bucket_shape(&self, kind: TableKind, bucket: usize) -> (u32, bool) {
        self.bucket(kind, bucket)
            .fold((0, false), |(n, copied), e| {
                (n + 1, copied || self.copied_for_running_snapshot(e))
            })
    }
    fn bucket_entries(&self, kind: TableKind, bucket: usize) -> Vec<EntryView> {
        self.bucket(kind, bucket)
            .map(|e| self.entry_view(e))
            .collect()
    }
    fn peek_state(&self, key: KeyId, key_hash_code: i32) -> Option<ShownState> {
        self.peek(key, key_hash_code)
            .map(|e| e.state.show(self.objects()))
    }
    fn primary_table_size(&self) -> u32 {
        CopyOnWriteStateMap::primary_table_size(self)
    }
    fn incremental_rehash_table_size(&self) -> u32 {
        CopyOnWriteStateMap::incremental_rehash_table_size(self)
    }
    fn mod_count(&self) -> u32 {
        CopyOnWriteStateMap::mod_count(self)
    }
    fn bucket_head(&self, kind: TableKind, bucket: usize) -> Option<u32> {
        CopyOnWriteStateMap::bucket_head(self, kind, bucket)
    }
    fn entry_at(&self, slot: u32) -> (EntryView, Option<u32>, bool) {
        let e = self.entry(slot);
        (
            self.entry_view(e),
            e.next_entry(),
            e.shares_state_with_origin,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::state::heap::state_objects::MapEntry;

    fn map(keys: &[&str]) -> StateValueObject {
        let mut m = StateValueObject::new_map();
        for (i, k) in keys.iter().enumerate() {
            m.map_put(k, i as i64 + 1);
        }
        m
    }

    /// What JDK 17 prints for the same objects (`System.out.println` of a `HashMap` filled with `put(k, 1L), …`
    /// in this order, of `new ArrayList<>(List.of(3L, 7L))` and of Flink's `Tuple2.of(3L, 12L)`): a map's
    /// mappings bucket by bucket, colliding keys (`"Aa"` and `"BB"` share a `hashCode()`) in insertion order.
    #[test]
    fn states_read_as_java_prints_them() {
        let keys = [
            "view", "click", "cart", "buy", "search", "share", "zeta", "Aa", "BB", "alpha",
        ];
        assert_eq!(
            ShownState::Object(map(&keys)).to_string(),
            "{zeta=7, Aa=8, BB=9, view=1, search=5, buy=4, alpha=10, share=6, click=2, cart=3}"
        );
        assert_eq!(
            ShownState::Object(map(&["b", "a"])).to_string(),
            "{a=2, b=1}"
        );
        assert_eq!(
            ShownState::Object(StateValueObject::list_of(vec![3, 7])).to_string(),
            "[3, 7]"
        );
        assert_eq!(
            ShownState::Object(StateValueObject::new_list()).to_string(),
            "[]"
        );
        assert_eq!(
            ShownState::Object(StateValueObject::Tuple2 { f0: 3, f1: 12 }).to_string(),
            "(3,12)"
        );
        assert_eq!(ShownState::Long(-5).to_string(), "-5");
        let long = ShownState::Object(StateValueObject::list_of((1..=30).collect()));
        assert_eq!(long.abbreviated(200), long.to_string());
        assert_eq!(long.abbreviated(23), "[1, 2, 3, … 29, 30]");
        assert_eq!(
            ShownState::Object(map(&["é", "ü"])).abbreviated(9),
            "{é= … =2}"
        );
        assert_eq!(
            ShownState::Object(StateValueObject::TtlValue {
                user_value: Some(4),
                last_access_timestamp: 1500
            })
            .to_string(),
            "TtlValue{userValue=4, lastAccessTimestamp=1500}"
        );
        // A list or a map with TTL: each element or value a TtlValue.
        let ttl = |user_value, last_access_timestamp| {
            crate::engine::state::heap::state_objects::TtlLong {
                user_value,
                last_access_timestamp,
            }
        };
        let mut list = StateValueObject::new_ttl_list();
        list.ttl_list_add(ttl(3, 10));
        list.ttl_list_add(ttl(7, 20));
        assert_eq!(
            ShownState::Object(list).to_string(),
            "[TtlValue{userValue=3, lastAccessTimestamp=10}, TtlValue{userValue=7, lastAccessTimestamp=20}]"
        );
        let mut m = StateValueObject::new_ttl_map();
        m.ttl_map_put("b", ttl(1, 5));
        m.ttl_map_put("a", ttl(2, 6));
        assert_eq!(
            ShownState::Object(m).to_string(),
            "{a=TtlValue{userValue=2, lastAccessTimestamp=6}, b=TtlValue{userValue=1, lastAccessTimestamp=5}}"
        );
        // A copy the serializer made (`newHashMapWithExpectedSize`) may have another table length, and so
        // another order, as on the JVM.
        let copied = StateValueObject::map_of(vec![
            MapEntry {
                key: "b".into(),
                value: 1,
            },
            MapEntry {
                key: "a".into(),
                value: 2,
            },
        ]);
        assert_eq!(ShownState::Object(copied).to_string(), "{a=2, b=1}");
    }
}
