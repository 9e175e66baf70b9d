//! `org.apache.flink.runtime.state.heap.CopyOnWriteStateMap`: the hash table behind one key group of a heap
//! `StateTable`, ported structure for structure from Flink's source.
//!
//! * Chained buckets; a new entry is prepended at the head of its bucket. Default capacity 128, threshold 3/4.
//! * `putEntry` checks `size() > threshold` *before* inserting, so with 128 buckets the 98th distinct key starts
//!   a resize: `doubleCapacity()` allocates a table twice as large (the new threshold is 3/4 of it) and the
//!   triggering entry still goes into the old table.
//! * Incremental rehash: every `get`/`containsKey`/`put`/`remove` while resizing first migrates whole buckets
//!   from the front of the old table until at least 4 entries moved (empty buckets are scanned for free); when
//!   the last bucket is moved the new table becomes primary.
//! * Copy-on-write snapshots: `snapshotMapArrays()` bumps `stateMapVersion`, records it in `snapshotVersions`
//!   and as `highestRequiredSnapshotVersion`, and shallow-copies the bucket array(s). Afterwards an entry (or
//!   state) with a version below the required one is shared with the snapshot and is copied before any change:
//!   `handleChainedEntryCopyOnWrite` copies the chain from the bucket head up to the entry, the rehash copies
//!   entries it moves. `releaseSnapshot` drops the version again.
//!
//! Deliberate differences: entries live in an arena and link by index (no GC), the namespace is always
//! `VoidNamespace`, and the map counts the heap it would occupy on a JVM (JDK 17, compressed oops): entries,
//! key objects, boxed values, bucket arrays, snapshot array copies and the objects only snapshots still reach.
//! Retained objects are freed when no live snapshot taken after them and before they were superseded remains;
//! with several overlapping snapshots this can keep an object counted slightly longer than a JVM would.

use crate::engine::keys::key_registry::KeyId;
use crate::engine::keys::math_utils::bit_mix;
use crate::engine::memory::jvm_object_sizes::{
    reference_array, COPY_ON_WRITE_STATE_MAP, INTEGER, STATE_MAP_ENTRY, TREE_MAP, TREE_MAP_ENTRY,
    TREE_SET,
};
use crate::engine::shared::chunked_vec::ChunkedVec;
use crate::engine::shared::shared_storage::SharedStorage;
use crate::engine::state::heap::state_map_entry::{
    StateMapEntry, TableKind, NIL, NO_ORIGIN, VOID_NAMESPACE_HASH,
};
use crate::engine::state::state_object::StateObject;
use serde::{Deserialize, Serialize};

/// `MINIMUM_CAPACITY`.
pub const MINIMUM_CAPACITY: usize = 4;
/// `MAXIMUM_CAPACITY` = 1 << 30.
pub const MAXIMUM_CAPACITY: usize = 1 << 30;
/// `DEFAULT_CAPACITY`.
pub const DEFAULT_CAPACITY: usize = 128;
/// `MIN_TRANSFERRED_PER_INCREMENTAL_REHASH`.
pub const MIN_TRANSFERRED_PER_INCREMENTAL_REHASH: u32 = 4;
/// `CollectionUtil.MAX_ARRAY_SIZE`.
const MAX_ARRAY_SIZE: usize = i32::MAX as usize - 8;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateMapError {
    VersionCountOverflow,
    UnknownSnapshotVersion(i32),
}

crate::i18n::english_error!(StateMapError => crate::i18n::messages::errors::state_map);

/// `compositeHash(key, VoidNamespace.INSTANCE)` = `bitMix(key.hashCode() ^ 99)`.
pub const fn composite_hash(key_hash_code: i32) -> i32 {
    bit_mix(key_hash_code ^ VOID_NAMESPACE_HASH)
}

/// A resize that an insert started (`doubleCapacity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resize {
    pub from_capacity: u32,
    pub to_capacity: u32,
}

/// One call of `incrementalRehash()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RehashStep {
    /// `rehashIndex` before the step: the first old bucket moved.
    pub from_bucket: u32,
    /// `rehashIndex` after the step (the old capacity when the rehash completed).
    pub to_bucket: u32,
    pub entries_moved: u32,
    /// The new table became the primary table.
    pub completed: bool,
}

/// What one map operation did, for the UI to draw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapAccess {
    /// The composite hash of key and namespace.
    pub hash: i32,
    /// The table that holds (or received) the entry: `selectActiveTable(hash)`.
    pub table: TableKind,
    /// `hash & (table.length - 1)`.
    pub bucket: u32,
    /// Position of the entry in its chain (0 = bucket head) when found; 0 for a new entry.
    pub chain_position: u32,
    pub found: bool,
    pub inserted: bool,
    pub removed: bool,
    /// Entries copied by copy-on-write during this call (chain copies and rehash copies).
    pub entry_copies: u32,
    pub resize: Option<Resize>,
    pub rehash: Option<RehashStep>,
}

/// Heap bytes attributed to one map, by kind of object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateMapHeap {
    /// The map object, its `snapshotVersions` `TreeSet`/`TreeMap` and their entries.
    pub fixed: u64,
    /// Bucket arrays: the primary table and, during a resize, the rehash table.
    pub tables: u64,
    /// Live `StateMapEntry` objects.
    pub entries: u64,
    /// Key objects referenced by live entries.
    pub keys: u64,
    /// State objects (boxed values) referenced by live entries.
    pub values: u64,
    /// Array copies held by live snapshots (`snapshotMapArrays`).
    pub snapshot_arrays: u64,
    /// Old entries, values and keys only live snapshots still reach: the price of copy-on-write.
    pub retained_by_snapshots: u64,
}

impl StateMapHeap {
    pub fn total(&self) -> u64 {
        self.fixed
            + self.tables
            + self.entries
            + self.keys
            + self.values
            + self.snapshot_arrays
            + self.retained_by_snapshots
    }

    pub fn add(&mut self, other: &StateMapHeap) {
        self.fixed += other.fixed;
        self.tables += other.tables;
        self.entries += other.entries;
        self.keys += other.keys;
        self.values += other.values;
        self.snapshot_arrays += other.snapshot_arrays;
        self.retained_by_snapshots += other.retained_by_snapshots;
    }
}

/// Cumulative counters of one map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateMapStats {
    pub entry_copies: u64,
    pub resizes: u64,
    pub rehash_steps: u64,
    pub entries_rehashed: u64,
}

/// An object only snapshots still reach; freed once no live snapshot in `(object_version, superseded_at]`
/// remains.
#[derive(Clone, Copy, Debug)]
struct Retained<S: Copy> {
    /// Arena slot of a retained entry, or `NIL` for a key or value object alone.
    entry: u32,
    bytes: u64,
    /// A value object alone: the state that references it (for the object heap's collection).
    state: Option<S>,
    object_version: i32,
    superseded_at: i32,
}

/// A snapshot version still in use, with the bytes of its array copy.
#[derive(Clone, Copy, Debug)]
struct LiveSnapshot {
    version: i32,
    bytes: u64,
}

/// Entries per chunk of the entry arena (1,280 bytes for `i64` state).
const ENTRY_CHUNK: usize = 64;
/// Bucket heads per chunk of a bucket array (512 bytes).
const BUCKET_CHUNK: usize = 256;
/// A bucket array: arena indices of the chain heads, [`NIL`] for an empty bucket.
pub type BucketArray = ChunkedVec<u32, BUCKET_CHUNK>;

/// The map. Its arrays (entries, bucket arrays, free slots, retained objects) are [`ChunkedVec`]s: a clone (a
/// time-travel snapshot of the cluster) shares them chunk by chunk with the original until either writes.
#[derive(Clone, Debug)]
pub struct CopyOnWriteStateMap<S: StateObject> {
    entries: ChunkedVec<StateMapEntry<S>, ENTRY_CHUNK>,
    free_slots: BucketArray,
    primary_table: BucketArray,
    /// Empty when no rehash is running (Flink's `EMPTY_TABLE` sentinel).
    incremental_rehash_table: BucketArray,
    primary_table_size: u32,
    incremental_rehash_table_size: u32,
    rehash_index: u32,
    /// Which bucket array each table is (`TableKind`'s identity, for iterators that hold an array as Java's do):
    /// every array made gets the next number; 0 is the shared `EMPTY_TABLE`.
    primary_generation: u32,
    rehash_generation: u32,
    tables_made: u32,
    state_map_version: i32,
    highest_required_snapshot_version: i32,
    /// `snapshotVersions`, ascending.
    snapshot_versions: Vec<LiveSnapshot>,
    threshold: usize,
    mod_count: u32,
    retained: ChunkedVec<Retained<S>, 128>,
    /// The mutable state objects entries reference (nothing for `Long`).
    objects: S::Objects,
    heap: StateMapHeap,
    stats: StateMapStats,
}

/// A `CopyOnWriteStateMapSnapshot`: the array copy made in the synchronous phase plus the version it protects.
/// Its entries are read through the map that made it (the map keeps every entry the snapshot can reach). The
/// copied array never changes, so clones share it.
#[derive(Clone, Debug)]
pub struct CopyOnWriteStateMapSnapshot {
    snapshot_version: i32,
    snapshot_data: std::rc::Rc<Vec<u32>>,
    number_of_entries: u32,
}

impl CopyOnWriteStateMapSnapshot {
    pub fn snapshot_version(&self) -> i32 {
        self.snapshot_version
    }

    /// `numberOfEntriesInSnapshotData`.
    pub fn number_of_entries(&self) -> u32 {
        self.number_of_entries
    }

    /// Length of the copied bucket array.
    pub fn array_length(&self) -> usize {
        self.snapshot_data.len()
    }

    /// The snapshot's entries in the order Flink writes them: bucket by bucket, each chain from its head.
    pub fn entries<'a, S: StateObject>(
        &'a self,
        map: &'a CopyOnWriteStateMap<S>,
    ) -> impl Iterator<Item = &'a StateMapEntry<S>> + 'a {
        self.snapshot_data
            .iter()
            .flat_map(move |&head| map.chain_from(head))
    }
}

impl<S: StateObject> SharedStorage for CopyOnWriteStateMap<S> {
    fn unshared_bytes(&self, other: Option<&Self>) -> u64 {
        self.entries.unshared_bytes(other.map(|o| &o.entries))
            + self.free_slots.unshared_bytes(other.map(|o| &o.free_slots))
            + self
                .primary_table
                .unshared_bytes(other.map(|o| &o.primary_table))
            + self
                .incremental_rehash_table
                .unshared_bytes(other.map(|o| &o.incremental_rehash_table))
            + self.retained.unshared_bytes(other.map(|o| &o.retained))
            + self.objects.unshared_bytes(other.map(|o| &o.objects))
            + self.own_bytes()
    }
}

impl<S: StateObject> CopyOnWriteStateMap<S> {
    /// What a clone always copies: the map itself and its list of live snapshot versions.
    fn own_bytes(&self) -> u64 {
        (std::mem::size_of::<Self>()
            + self.snapshot_versions.len() * std::mem::size_of::<LiveSnapshot>()) as u64
    }
}

impl<S: StateObject> Default for CopyOnWriteStateMap<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: StateObject> CopyOnWriteStateMap<S> {
    /// `new CopyOnWriteStateMap<>(stateSerializer)`: capacity 128.
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }

    /// The constructor with a capacity: clamped to [4, 2^30] and rounded up to a power of two.
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = capacity
            .clamp(MINIMUM_CAPACITY, MAXIMUM_CAPACITY)
            .next_power_of_two();
        let mut map = CopyOnWriteStateMap {
            entries: ChunkedVec::new(),
            free_slots: ChunkedVec::new(),
            primary_table: ChunkedVec::new(),
            incremental_rehash_table: ChunkedVec::new(),
            primary_table_size: 0,
            incremental_rehash_table_size: 0,
            rehash_index: 0,
            primary_generation: 1,
            rehash_generation: 0,
            tables_made: 1,
            state_map_version: 0,
            highest_required_snapshot_version: 0,
            snapshot_versions: Vec::new(),
            threshold: 0,
            mod_count: 0,
            retained: ChunkedVec::new(),
            objects: S::Objects::default(),
            heap: StateMapHeap {
                fixed: COPY_ON_WRITE_STATE_MAP + TREE_SET + TREE_MAP,
                ..StateMapHeap::default()
            },
            stats: StateMapStats::default(),
        };
        map.primary_table = map.make_table(capacity);
        map
    }

    // ---------------------------------------------------------------------------------------------------------
    // Read-only accessors (what the UI draws)

    /// `size()` = `primaryTableSize + incrementalRehashTableSize`.
    pub fn size(&self) -> usize {
        (self.primary_table_size + self.incremental_rehash_table_size) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.size() == 0
    }

    pub fn primary_table_size(&self) -> u32 {
        self.primary_table_size
    }

    pub fn incremental_rehash_table_size(&self) -> u32 {
        self.incremental_rehash_table_size
    }

    /// Capacity of the primary table.
    pub fn capacity(&self) -> usize {
        self.primary_table.len()
    }

    /// Capacity of the rehash table (0 when not rehashing).
    pub fn rehash_capacity(&self) -> usize {
        self.incremental_rehash_table.len()
    }

    /// `isRehashing()`.
    pub fn is_rehashing(&self) -> bool {
        !self.incremental_rehash_table.is_empty()
    }

    pub fn rehash_index(&self) -> u32 {
        self.rehash_index
    }

    pub fn threshold(&self) -> usize {
        self.threshold
    }

    pub fn state_map_version(&self) -> i32 {
        self.state_map_version
    }

    pub fn highest_required_snapshot_version(&self) -> i32 {
        self.highest_required_snapshot_version
    }

    /// The versions of unreleased snapshots, ascending.
    pub fn snapshot_versions(&self) -> impl Iterator<Item = i32> + '_ {
        self.snapshot_versions.iter().map(|s| s.version)
    }

    pub fn mod_count(&self) -> u32 {
        self.mod_count
    }

    pub fn heap(&self) -> &StateMapHeap {
        &self.heap
    }

    /// The mutable state objects the entries reference.
    pub fn objects(&self) -> &S::Objects {
        &self.objects
    }

    pub fn stats(&self) -> &StateMapStats {
        &self.stats
    }

    /// Number of old entries kept alive only for snapshots.
    pub fn retained_entries(&self) -> usize {
        self.retained.iter().filter(|r| r.entry != NIL).count()
    }

    /// Bucket heads of a table (arena indices, [`NIL`] for an empty bucket).
    /// The number of buckets of a table (0 for the rehash table when no resize is running).
    pub fn table_capacity(&self, kind: TableKind) -> usize {
        self.table(kind).len()
    }

    /// Which array a table is now: the same number as long as it is the same Java array (0: the shared empty
    /// table of a map that is not rehashing). An iterator holding an older number holds an array the map has
    /// dropped, every bucket of it moved (and nulled) by the incremental rehash.
    pub fn table_generation(&self, kind: TableKind) -> u32 {
        match kind {
            TableKind::Primary => self.primary_generation,
            TableKind::IncrementalRehash => self.rehash_generation,
        }
    }

    /// The first entry of a bucket's chain, `None` for an empty bucket (Java's `null`) or one past the table.
    pub fn bucket_head(&self, kind: TableKind, bucket: usize) -> Option<u32> {
        self.table(kind)
            .get(bucket)
            .copied()
            .filter(|&head| head != NIL)
    }

    /// The first bucket of a table that holds an entry.
    pub fn first_occupied_bucket(&self, kind: TableKind) -> Option<usize> {
        self.table(kind).iter().position(|&head| head != NIL)
    }

    /// Whether an entry was copied on write for the snapshot that is running now: a copy of an entry a
    /// snapshot retains, made since the last snapshot was taken (`entryVersion == stateMapVersion`).
    pub fn copied_for_running_snapshot(&self, e: &StateMapEntry<S>) -> bool {
        e.origin_version != NO_ORIGIN
            && self.highest_required_snapshot_version > 0
            && e.entry_version == self.state_map_version
    }

    pub(in crate::engine) fn table(&self, kind: TableKind) -> &BucketArray {
        match kind {
            TableKind::Primary => &self.primary_table,
            TableKind::IncrementalRehash => &self.incremental_rehash_table,
        }
    }

    pub fn entry(&self, index: u32) -> &StateMapEntry<S> {
        &self.entries[index as usize]
    }

    /// The chain starting at arena index `head`.
    pub fn chain_from(&self, head: u32) -> impl Iterator<Item = &StateMapEntry<S>> + '_ {
        let mut next = head;
        std::iter::from_fn(move || {
            if next == NIL {
                return None;
            }
            let e = &self.entries[next as usize];
            next = e.next;
            Some(e)
        })
    }

    /// The chain in bucket `bucket` of a table.
    pub fn bucket(
        &self,
        kind: TableKind,
        bucket: usize,
    ) -> impl Iterator<Item = &StateMapEntry<S>> + '_ {
        self.chain_from(self.table(kind).get(bucket).copied().unwrap_or(NIL))
    }

    /// All live entries: the primary table, then the rehash table (`StateEntryIterator` order).
    pub fn iter(&self) -> impl Iterator<Item = &StateMapEntry<S>> + '_ {
        self.primary_table
            .iter()
            .chain(self.incremental_rehash_table.iter())
            .flat_map(move |&head| self.chain_from(head))
    }

    /// Where the entry for a key would be looked up now, without touching the map (no rehash step).
    pub fn locate(&self, key_hash_code: i32) -> (TableKind, u32) {
        let hash = composite_hash(key_hash_code);
        let kind = self.select_active_table(hash);
        (kind, (hash as u32) & (self.table(kind).len() as u32 - 1))
    }

    /// The live entry of a key, without touching the map.
    pub fn peek(&self, key: KeyId, key_hash_code: i32) -> Option<&StateMapEntry<S>> {
        let (kind, bucket) = self.locate(key_hash_code);
        let hash = composite_hash(key_hash_code);
        self.bucket(kind, bucket as usize)
            .find(|e| e.hash == hash && e.key == key)
    }

    // ---------------------------------------------------------------------------------------------------------
    // The StateMap API

    /// `get(key, namespace)`.
    pub fn get(&mut self, key: KeyId, key_hash_code: i32) -> (Option<S>, MapAccess) {
        let mut access = MapAccess::default();
        let (hash, kind, index) =
            self.locate_for_operation(composite_hash(key_hash_code), &mut access);
        let required_version = self.highest_required_snapshot_version;

        let mut e = self.table(kind)[index];
        let mut position = 0;
        while e != NIL {
            let entry = self.entries[e as usize];
            if entry.hash == hash && entry.key == key {
                let mut found = e;
                // copy-on-write check for state
                if entry.state_version < required_version {
                    // copy-on-write check for entry
                    if entry.entry_version < required_version {
                        found =
                            self.handle_chained_entry_copy_on_write(kind, index, e, &mut access);
                    }
                    // `e.state = stateSerializer.copy(e.state)`: an immutable type's serializer (`Long`)
                    // returns the same object.
                    let state = self.entries[found as usize].state;
                    match state.serializer_copy(&mut self.objects) {
                        Some((copy, unshared)) => {
                            self.replace_state_with(found, copy, Some(unshared));
                        }
                        None => self.entries[found as usize].state_version = self.state_map_version,
                    }
                }
                access.found = true;
                access.chain_position = position;
                return (Some(self.entries[found as usize].state), access);
            }
            e = entry.next;
            position += 1;
        }
        (None, access)
    }

    /// `containsKey(key, namespace)`.
    pub fn contains_key(&mut self, key: KeyId, key_hash_code: i32) -> (bool, MapAccess) {
        let mut access = MapAccess::default();
        let (hash, kind, index) =
            self.locate_for_operation(composite_hash(key_hash_code), &mut access);
        let found = self
            .chain_from(self.table(kind)[index])
            .position(|e| e.hash == hash && e.key == key);
        if let Some(position) = found {
            access.found = true;
            access.chain_position = position as u32;
        }
        (found.is_some(), access)
    }

    /// `put(key, namespace, value)`: `putEntry`, then `e.state = value; e.stateVersion = stateMapVersion`.
    /// `key_bytes` is the heap size of the key object, kept alive by a new entry.
    pub fn put(&mut self, key: KeyId, key_hash_code: i32, key_bytes: u32, value: S) -> MapAccess {
        self.put_hashed(key, composite_hash(key_hash_code), key_bytes, value)
    }

    /// [`Self::put`] of an entry whose composite hash is known (`StateEntry` of a visitor: its `hash`).
    pub fn put_hashed(
        &mut self,
        key: KeyId,
        composite: i32,
        key_bytes: u32,
        value: S,
    ) -> MapAccess {
        let mut access = MapAccess::default();
        let (hash, kind, index) = self.locate_for_operation(composite, &mut access);

        let mut e = self.table(kind)[index];
        let mut position = 0;
        while e != NIL {
            let entry = self.entries[e as usize];
            if entry.hash == hash && entry.key == key {
                let mut target = e;
                // copy-on-write check for entry
                if entry.entry_version < self.highest_required_snapshot_version {
                    target = self.handle_chained_entry_copy_on_write(kind, index, e, &mut access);
                }
                self.replace_state(target, value);
                access.found = true;
                access.chain_position = position;
                return access;
            }
            e = entry.next;
            position += 1;
        }

        self.mod_count = self.mod_count.wrapping_add(1);
        if self.size() > self.threshold {
            self.double_capacity(&mut access);
        }
        // The table was chosen before doubling: the triggering entry goes into the old table.
        self.add_new_state_map_entry(kind, key, hash, key_bytes, value);
        access.inserted = true;
        access
    }

    /// `transform(key, namespace, value, transformation)`: `putEntry` (the entry found — copied on write when a
    /// snapshot shares it — or added), then `e.state = transformation.apply(state, value)` on the state itself
    /// or, when a snapshot shares it, on the serializer's copy, and `e.stateVersion = stateMapVersion`. What
    /// `HeapReducingState.add`, `HeapAggregatingState.add` and `HeapListState.addAll` do. `transformation` gets
    /// `None` for a new key; it may change a mutable state in place and return it, or return a new state.
    pub fn transform(
        &mut self,
        key: KeyId,
        key_hash_code: i32,
        key_bytes: u32,
        transformation: impl FnOnce(&mut S::Objects, Option<S>) -> S,
    ) -> MapAccess {
        let mut access = MapAccess::default();
        let (hash, kind, index) =
            self.locate_for_operation(composite_hash(key_hash_code), &mut access);
        let required_version = self.highest_required_snapshot_version;

        let mut e = self.table(kind)[index];
        let mut position = 0;
        while e != NIL {
            let entry = self.entries[e as usize];
            if entry.hash == hash && entry.key == key {
                let mut target = e;
                if entry.entry_version < required_version {
                    target = self.handle_chained_entry_copy_on_write(kind, index, e, &mut access);
                }
                let mut state = self.entries[target as usize].state;
                if self.entries[target as usize].state_version < required_version {
                    if let Some((copy, unshared)) = state.serializer_copy(&mut self.objects) {
                        self.replace_state_with(target, copy, Some(unshared));
                        state = copy;
                    }
                }
                let before = state.heap_bytes(&self.objects);
                let transformed = transformation(&mut self.objects, Some(state));
                if transformed.is_same_object(&state) {
                    // Changed in place.
                    let after = state.heap_bytes(&self.objects);
                    self.heap.values = self.heap.values - before + after;
                    self.entries[target as usize].state_version = self.state_map_version;
                } else {
                    self.replace_state(target, transformed);
                }
                access.found = true;
                access.chain_position = position;
                return access;
            }
            e = entry.next;
            position += 1;
        }

        self.mod_count = self.mod_count.wrapping_add(1);
        if self.size() > self.threshold {
            self.double_capacity(&mut access);
        }
        let value = transformation(&mut self.objects, None);
        self.add_new_state_map_entry(kind, key, hash, key_bytes, value);
        access.inserted = true;
        access
    }

    /// A change to the object a key's state references, made through a reference the caller holds — not a map
    /// operation: no copy-on-write, no rehash step (`list.add(value)` after `HeapListState.add`'s `get`, or a
    /// user mutating an object it put earlier). Every entry referencing the object, a snapshot's included,
    /// sees the change. `None` when the key has no state.
    pub fn change_in_place<R>(
        &mut self,
        key: KeyId,
        key_hash_code: i32,
        change: impl FnOnce(&mut S::Objects, S) -> R,
    ) -> Option<R> {
        let state = self.peek(key, key_hash_code)?.state;
        let before = state.heap_bytes(&self.objects);
        let result = change(&mut self.objects, state);
        let after = state.heap_bytes(&self.objects);
        self.heap.values = self.heap.values - before + after;
        Some(result)
    }

    /// The object heap, for placing a new object before it is `put` (`new ArrayList<>()`).
    pub fn objects_mut(&mut self) -> &mut S::Objects {
        &mut self.objects
    }

    /// `remove(key, namespace)` / `removeAndGetOld`: unlinks the entry and returns its state.
    pub fn remove(&mut self, key: KeyId, key_hash_code: i32) -> (Option<S>, MapAccess) {
        self.remove_hashed(key, composite_hash(key_hash_code))
    }

    /// [`Self::remove`] of an entry whose composite hash is known (`StateEntry` of a visitor: its `hash`).
    pub fn remove_hashed(&mut self, key: KeyId, composite: i32) -> (Option<S>, MapAccess) {
        let mut access = MapAccess::default();
        let (hash, kind, index) = self.locate_for_operation(composite, &mut access);

        let mut prev = NIL;
        let mut e = self.table(kind)[index];
        let mut position = 0;
        while e != NIL {
            let entry = self.entries[e as usize];
            if entry.hash == hash && entry.key == key {
                if prev == NIL {
                    // The snapshot owns its own array copy: unlinking the head needs no copy.
                    self.table_mut(kind)[index] = entry.next;
                } else {
                    if self.entries[prev as usize].entry_version
                        < self.highest_required_snapshot_version
                    {
                        prev =
                            self.handle_chained_entry_copy_on_write(kind, index, prev, &mut access);
                    }
                    self.entries[prev as usize].next = entry.next;
                }
                self.mod_count = self.mod_count.wrapping_add(1);
                match kind {
                    TableKind::Primary => self.primary_table_size -= 1,
                    TableKind::IncrementalRehash => self.incremental_rehash_table_size -= 1,
                }
                self.account_removed_entry(e);
                access.found = true;
                access.removed = true;
                access.chain_position = position;
                return (Some(entry.state), access);
            }
            prev = e;
            e = entry.next;
            position += 1;
        }
        (None, access)
    }

    // ---------------------------------------------------------------------------------------------------------
    // Snapshots

    /// `stateSnapshot()` → `new CopyOnWriteStateMapSnapshot(this)` → `snapshotMapArrays()`.
    pub fn state_snapshot(&mut self) -> Result<CopyOnWriteStateMapSnapshot, StateMapError> {
        let version = self
            .state_map_version
            .checked_add(1)
            .ok_or(StateMapError::VersionCountOverflow)?;
        self.state_map_version = version;
        self.highest_required_snapshot_version = version;

        let table_len = self.primary_table.len();
        let rehash_index = self.rehash_index as usize;
        let copied_array_size = (rehash_index + table_len).max(self.size());
        let mut copy = Vec::with_capacity(copied_array_size);
        if self.is_rehashing() {
            // for the primary table, take every index >= rhIdx ...
            self.primary_table
                .extend_into(rehash_index..table_len, &mut copy);
            // ... and from the new table the two regions that hold the moved entries:
            // [0, rhIdx) and [table.length / 2, table.length / 2 + rhIdx).
            let half = self.incremental_rehash_table.len() / 2;
            self.incremental_rehash_table
                .extend_into(0..rehash_index, &mut copy);
            self.incremental_rehash_table
                .extend_into(half..half + rehash_index, &mut copy);
        } else {
            self.primary_table.extend_into(0..table_len, &mut copy);
        }
        copy.resize(copied_array_size, NIL);

        // The copy, plus the `TreeMap.Entry` (and a boxed `Integer` above the cache) in `snapshotVersions`.
        let array_bytes = reference_array(copied_array_size as u64);
        let version_bytes = TREE_MAP_ENTRY + if version > 127 { INTEGER } else { 0 };
        self.heap.snapshot_arrays += array_bytes;
        self.heap.fixed += version_bytes;
        self.snapshot_versions.push(LiveSnapshot {
            version,
            bytes: array_bytes,
        });

        Ok(CopyOnWriteStateMapSnapshot {
            snapshot_version: version,
            snapshot_data: std::rc::Rc::new(copy),
            number_of_entries: self.size() as u32,
        })
    }

    /// `releaseSnapshot(version)`: the map stops copying on write for it and frees what only it reached.
    pub fn release_snapshot(&mut self, version: i32) -> Result<(), StateMapError> {
        let position = self
            .snapshot_versions
            .iter()
            .position(|s| s.version == version)
            .ok_or(StateMapError::UnknownSnapshotVersion(version))?;
        let released = self.snapshot_versions.remove(position);
        self.highest_required_snapshot_version =
            self.snapshot_versions.last().map_or(0, |s| s.version);
        self.heap.snapshot_arrays -= released.bytes;
        self.heap.fixed -= TREE_MAP_ENTRY + if version > 127 { INTEGER } else { 0 };

        let mut i = 0;
        while i < self.retained.len() {
            let r = self.retained[i];
            if self.is_reachable_from_live_snapshot(r.object_version, r.superseded_at) {
                i += 1;
            } else {
                self.heap.retained_by_snapshots -= r.bytes;
                if r.entry != NIL {
                    self.free_slots.push(r.entry);
                }
                self.retained.swap_remove(i);
            }
        }
        self.collect_garbage();
        Ok(())
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internals, in Flink's order

    fn make_table(&mut self, new_capacity: usize) -> BucketArray {
        self.threshold = if new_capacity < MAXIMUM_CAPACITY {
            (new_capacity >> 1) + (new_capacity >> 2)
        } else {
            MAX_ARRAY_SIZE
        };
        self.heap.tables += reference_array(new_capacity as u64);
        ChunkedVec::from_elem(NIL, new_capacity)
    }

    fn table_mut(&mut self, kind: TableKind) -> &mut BucketArray {
        match kind {
            TableKind::Primary => &mut self.primary_table,
            TableKind::IncrementalRehash => &mut self.incremental_rehash_table,
        }
    }

    #[inline]
    fn bucket_index(&self, kind: TableKind, hash: i32) -> usize {
        (hash as u32 as usize) & (self.table(kind).len() - 1)
    }

    /// `selectActiveTable(hash)`.
    #[inline]
    fn select_active_table(&self, hash: i32) -> TableKind {
        if ((hash as u32 as usize) & (self.primary_table.len() - 1)) >= self.rehash_index as usize {
            TableKind::Primary
        } else {
            TableKind::IncrementalRehash
        }
    }

    /// The start of every operation: an incremental-rehash step if one is running, the composite hash, the
    /// active table and bucket, recorded in the access report.
    #[inline(always)]
    fn locate_for_operation(
        &mut self,
        hash: i32,
        access: &mut MapAccess,
    ) -> (i32, TableKind, usize) {
        if self.is_rehashing() {
            self.incremental_rehash(access);
        }
        let kind = self.select_active_table(hash);
        let index = self.bucket_index(kind, hash);
        access.hash = hash;
        access.table = kind;
        access.bucket = index as u32;
        (hash, kind, index)
    }

    /// `addNewStateMapEntry`: prepend at the head of the bucket; both versions are the current map version.
    fn add_new_state_map_entry(
        &mut self,
        kind: TableKind,
        key: KeyId,
        hash: i32,
        key_bytes: u32,
        value: S,
    ) {
        let index = self.bucket_index(kind, hash);
        let next = self.table(kind)[index];
        let entry = StateMapEntry {
            key,
            next,
            hash,
            entry_version: self.state_map_version,
            state_version: self.state_map_version,
            state: value,
            key_bytes,
            origin_version: NO_ORIGIN,
            shares_state_with_origin: false,
        };
        let slot = self.allocate(entry);
        self.table_mut(kind)[index] = slot;
        match kind {
            TableKind::Primary => self.primary_table_size += 1,
            TableKind::IncrementalRehash => self.incremental_rehash_table_size += 1,
        }
        self.heap.entries += STATE_MAP_ENTRY;
        self.heap.keys += u64::from(key_bytes);
        self.heap.values += value.heap_bytes(&self.objects);
    }

    /// `doubleCapacity()`.
    fn double_capacity(&mut self, access: &mut MapAccess) {
        // There can only be one rehash in flight; Flink asserts it (`checkState(!isRehashing())`), and the
        // incremental steps always finish a rehash before the next threshold is reached.
        if self.is_rehashing() {
            debug_assert!(false, "There is already a rehash in progress.");
            return;
        }
        let old_capacity = self.primary_table.len();
        if old_capacity == MAXIMUM_CAPACITY {
            return;
        }
        self.incremental_rehash_table = self.make_table(old_capacity * 2);
        self.tables_made += 1;
        self.rehash_generation = self.tables_made;
        self.stats.resizes += 1;
        access.resize = Some(Resize {
            from_capacity: old_capacity as u32,
            to_capacity: 2 * old_capacity as u32,
        });
    }

    /// `incrementalRehash()`: move whole buckets until at least 4 entries moved.
    fn incremental_rehash(&mut self, access: &mut MapAccess) {
        let old_capacity = self.primary_table.len();
        let new_mask = self.incremental_rehash_table.len() - 1;
        let required_version = self.highest_required_snapshot_version;
        let from_bucket = self.rehash_index;
        let mut rh_idx = self.rehash_index as usize;
        let mut transferred = 0u32;

        while transferred < MIN_TRANSFERRED_PER_INCREMENTAL_REHASH {
            let mut e = self.primary_table[rh_idx];
            while e != NIL {
                // copy-on-write check for entry
                if self.entries[e as usize].entry_version < required_version {
                    e = self.copy_entry(e);
                    access.entry_copies += 1;
                }
                let n = self.entries[e as usize].next;
                let pos = (self.entries[e as usize].hash as u32 as usize) & new_mask;
                self.entries[e as usize].next = self.incremental_rehash_table[pos];
                self.incremental_rehash_table[pos] = e;
                e = n;
                transferred += 1;
            }
            self.primary_table[rh_idx] = NIL;
            rh_idx += 1;
            if rh_idx == old_capacity {
                // the rehash is complete: the new table becomes primary, the old one is garbage
                self.heap.tables -= reference_array(old_capacity as u64);
                self.primary_table = std::mem::take(&mut self.incremental_rehash_table);
                self.primary_generation = std::mem::take(&mut self.rehash_generation);
                self.primary_table_size += self.incremental_rehash_table_size;
                self.incremental_rehash_table_size = 0;
                self.rehash_index = 0;
                self.record_rehash(access, from_bucket, old_capacity as u32, transferred, true);
                return;
            }
        }
        self.primary_table_size -= transferred;
        self.incremental_rehash_table_size += transferred;
        self.rehash_index = rh_idx as u32;
        self.record_rehash(access, from_bucket, rh_idx as u32, transferred, false);
    }

    fn record_rehash(
        &mut self,
        access: &mut MapAccess,
        from: u32,
        to: u32,
        moved: u32,
        completed: bool,
    ) {
        self.stats.rehash_steps += 1;
        self.stats.entries_rehashed += u64::from(moved);
        access.rehash = Some(RehashStep {
            from_bucket: from,
            to_bucket: to,
            entries_moved: moved,
            completed,
        });
    }

    /// `handleChainedEntryCopyOnWrite(tab, mapIdx, untilEntry)`: copy every old-version link from the bucket
    /// head through `until`; returns the (possibly new) entry standing for `until`.
    fn handle_chained_entry_copy_on_write(
        &mut self,
        kind: TableKind,
        map_idx: usize,
        until: u32,
        access: &mut MapAccess,
    ) -> u32 {
        let required = self.highest_required_snapshot_version;
        let mut current = self.table(kind)[map_idx];
        let mut copy;
        if self.entries[current as usize].entry_version < required {
            copy = self.copy_entry(current);
            access.entry_copies += 1;
            self.table_mut(kind)[map_idx] = copy;
        } else {
            copy = current;
        }
        while current != until {
            current = self.entries[current as usize].next;
            if self.entries[current as usize].entry_version < required {
                let c = self.copy_entry(current);
                access.entry_copies += 1;
                self.entries[copy as usize].next = c;
                copy = c;
            } else {
                copy = current;
            }
        }
        copy
    }

    /// `new StateMapEntry<>(other, stateMapVersion)`: the copy shares key and state objects with the original,
    /// which from now on only snapshots reach.
    fn copy_entry(&mut self, original: u32) -> u32 {
        let o = self.entries[original as usize];
        let copy = StateMapEntry {
            entry_version: self.state_map_version,
            origin_version: o.entry_version,
            shares_state_with_origin: true,
            ..o
        };
        let slot = self.allocate(copy);
        // The live structure has the same number of entries; the original is now retained.
        self.retain(original, STATE_MAP_ENTRY, o.entry_version);
        self.stats.entry_copies += 1;
        slot
    }

    /// `e.state = value; e.stateVersion = stateMapVersion`, counting what happens to the old object.
    fn replace_state(&mut self, e: u32, value: S) {
        self.replace_state_with(e, value, None);
    }

    /// [`Self::replace_state`]; `copied` is set when `value` is the serializer's copy of the old state: the
    /// bytes of the old object the copy does not share (its container — the elements are immutable and shared).
    fn replace_state_with(&mut self, e: u32, value: S, copied: Option<u64>) {
        let entry = self.entries[e as usize];
        if !entry.state.is_same_object(&value) {
            let old_bytes = entry.state.heap_bytes(&self.objects);
            self.heap.values -= old_bytes;
            if entry.shares_state_with_origin
                && self
                    .is_reachable_from_live_snapshot(entry.origin_version, self.state_map_version)
            {
                let retained = copied.unwrap_or(old_bytes);
                self.retain_state(entry.state, retained, entry.origin_version);
            } else {
                // Only this entry referenced it.
                entry.state.free(&mut self.objects);
            }
            self.heap.values += value.heap_bytes(&self.objects);
            self.entries[e as usize].shares_state_with_origin = false;
        }
        let slot = &mut self.entries[e as usize];
        slot.state = value;
        slot.state_version = self.state_map_version;
    }

    /// Accounting for an unlinked entry: either a snapshot still reaches it, or it is garbage (and its key and
    /// value may live on in a retained older copy).
    fn account_removed_entry(&mut self, e: u32) {
        let entry = self.entries[e as usize];
        let key_bytes = u64::from(entry.key_bytes);
        let value_bytes = entry.state.heap_bytes(&self.objects);
        self.heap.entries -= STATE_MAP_ENTRY;
        self.heap.keys -= key_bytes;
        self.heap.values -= value_bytes;
        if self.is_reachable_from_live_snapshot(entry.entry_version, self.state_map_version) {
            self.retain(
                e,
                STATE_MAP_ENTRY + key_bytes + value_bytes,
                entry.entry_version,
            );
        } else {
            self.free_slots.push(e);
            if entry.origin_version != NO_ORIGIN
                && self
                    .is_reachable_from_live_snapshot(entry.origin_version, self.state_map_version)
            {
                if entry.shares_state_with_origin {
                    self.retain_state(entry.state, key_bytes + value_bytes, entry.origin_version);
                } else {
                    self.retain(NIL, key_bytes, entry.origin_version);
                    entry.state.free(&mut self.objects);
                }
            } else {
                entry.state.free(&mut self.objects);
            }
        }
    }

    fn retain(&mut self, entry: u32, bytes: u64, object_version: i32) {
        self.heap.retained_by_snapshots += bytes;
        self.retained.push(Retained {
            entry,
            bytes,
            state: None,
            object_version,
            superseded_at: self.state_map_version,
        });
    }

    /// A state object only snapshots still reach (with the bytes of whatever else goes with it).
    fn retain_state(&mut self, state: S, bytes: u64, object_version: i32) {
        self.heap.retained_by_snapshots += bytes;
        self.retained.push(Retained {
            entry: NIL,
            bytes,
            state: Some(state),
            object_version,
            superseded_at: self.state_map_version,
        });
    }

    /// After snapshots let go of retained objects: frees every state object neither a live entry nor a
    /// retained one references (nothing to do for states held in the entries themselves).
    fn collect_garbage(&mut self) {
        if !S::HAS_OBJECTS {
            return;
        }
        let mut objects = std::mem::take(&mut self.objects);
        let entries = &self.entries;
        let live = self.iter().map(|e| e.state);
        let retained = self.retained.iter().filter_map(|r| match r.state {
            Some(state) => Some(state),
            None if r.entry != NIL => Some(entries[r.entry as usize].state),
            None => None,
        });
        S::collect_garbage(&mut objects, &mut live.chain(retained));
        self.objects = objects;
    }

    /// Whether a live snapshot was taken after an object (version) was created and before it was superseded.
    fn is_reachable_from_live_snapshot(&self, object_version: i32, superseded_at: i32) -> bool {
        self.snapshot_versions
            .iter()
            .any(|s| s.version > object_version && s.version <= superseded_at)
    }

    fn allocate(&mut self, entry: StateMapEntry<S>) -> u32 {
        match self.free_slots.pop() {
            Some(slot) => {
                self.entries[slot as usize] = entry;
                slot
            }
            None => {
                self.entries.push(entry);
                (self.entries.len() - 1) as u32
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::keys::java_key::string_hash_code;
    use std::collections::HashMap;

    fn key(i: u32) -> (KeyId, i32) {
        (KeyId(i), string_hash_code(&format!("user-{i:06}")))
    }

    fn put(map: &mut CopyOnWriteStateMap<i64>, i: u32, v: i64) -> MapAccess {
        let (k, h) = key(i);
        map.put(k, h, 56, v)
    }

    fn get(map: &mut CopyOnWriteStateMap<i64>, i: u32) -> Option<i64> {
        let (k, h) = key(i);
        map.get(k, h).0
    }

    #[test]
    fn new_map_has_128_buckets_and_threshold_96() {
        let map = CopyOnWriteStateMap::<i64>::new();
        assert_eq!(map.capacity(), 128);
        assert_eq!(map.threshold(), 96);
        assert!(!map.is_rehashing());
        assert_eq!(map.heap().total(), 656);
    }

    #[test]
    fn the_98th_distinct_insert_starts_doubling_and_still_lands_in_the_old_table() {
        let mut map = CopyOnWriteStateMap::<i64>::new();
        for i in 0..97 {
            let access = put(&mut map, i, 1);
            assert!(access.resize.is_none(), "insert {} resized", i + 1);
        }
        assert_eq!(map.size(), 97);
        let access = put(&mut map, 97, 1);
        assert_eq!(
            access.resize,
            Some(Resize {
                from_capacity: 128,
                to_capacity: 256
            })
        );
        assert_eq!(access.table, TableKind::Primary);
        assert!(map.is_rehashing());
        assert_eq!(map.threshold(), 192);
        assert_eq!(map.primary_table_size(), 98);
        assert_eq!(map.incremental_rehash_table_size(), 0);
        // Both arrays exist during the rehash.
        assert_eq!(
            map.heap().tables,
            reference_array(128) + reference_array(256)
        );
    }

    #[test]
    fn every_access_during_a_rehash_moves_whole_buckets_until_four_entries_moved() {
        let mut map = CopyOnWriteStateMap::<i64>::new();
        for i in 0..98 {
            put(&mut map, i, 1);
        }
        let mut accesses = 0;
        while map.is_rehashing() {
            let before = map.rehash_index();
            let (_, access) = map.get(KeyId(0), key(0).1);
            let step = access.rehash.expect("a rehash step on every access");
            assert_eq!(step.from_bucket, before);
            assert!(step.entries_moved >= MIN_TRANSFERRED_PER_INCREMENTAL_REHASH || step.completed);
            // Whole buckets: no old bucket below the new rehash index still holds entries.
            if !step.completed {
                assert!(map
                    .table(TableKind::Primary)
                    .iter()
                    .take(step.to_bucket as usize)
                    .all(|&h| h == NIL));
            }
            accesses += 1;
        }
        assert!(accesses <= 98 / 4 + 1);
        assert_eq!(map.capacity(), 256);
        assert_eq!(map.size(), 98);
        assert_eq!(map.heap().tables, reference_array(256));
        for i in 0..98 {
            assert_eq!(get(&mut map, i), Some(1));
        }
    }

    #[test]
    fn new_entries_are_prepended_at_the_bucket_head() {
        let mut map = CopyOnWriteStateMap::<i64>::new();
        // Find two keys sharing a bucket in a 128-slot table.
        let mut by_bucket: HashMap<u32, Vec<u32>> = HashMap::new();
        for i in 0..400 {
            by_bucket
                .entry((composite_hash(key(i).1) as u32) & 127)
                .or_default()
                .push(i);
        }
        let pair = by_bucket.values().find(|v| v.len() >= 2).unwrap();
        let (a, b) = (pair[0], pair[1]);
        put(&mut map, a, 1);
        let access = put(&mut map, b, 2);
        assert_eq!(access.chain_position, 0);
        let chain: Vec<KeyId> = map
            .bucket(TableKind::Primary, access.bucket as usize)
            .map(|e| e.key)
            .collect();
        assert_eq!(chain, vec![KeyId(b), KeyId(a)]);
        let (_, found) = map.get(KeyId(a), key(a).1);
        assert_eq!(found.chain_position, 1);
    }

    #[test]
    fn snapshot_is_unaffected_by_writes_removes_and_a_full_rehash() {
        let mut map = CopyOnWriteStateMap::<i64>::new();
        for i in 0..90 {
            put(&mut map, i, i64::from(i) + 1000);
        }
        let snapshot = map.state_snapshot().unwrap();
        let expected: HashMap<KeyId, i64> =
            snapshot.entries(&map).map(|e| (e.key, e.state)).collect();
        assert_eq!(expected.len(), 90);

        for i in 0..90 {
            let (k, h) = key(i);
            let v = map.get(k, h).0.unwrap();
            map.put(k, h, 56, v + 1);
        }
        for i in 90..400 {
            put(&mut map, i, 7);
        }
        for i in (0..90).step_by(3) {
            let (k, h) = key(i);
            map.remove(k, h);
        }
        assert!(map.stats().resizes >= 2);
        let seen: HashMap<KeyId, i64> = snapshot.entries(&map).map(|e| (e.key, e.state)).collect();
        assert_eq!(seen, expected);
        assert_eq!(get(&mut map, 1), Some(1002));
        assert_eq!(get(&mut map, 0), None);

        map.release_snapshot(snapshot.snapshot_version()).unwrap();
        assert_eq!(map.heap().retained_by_snapshots, 0);
        assert_eq!(map.retained_entries(), 0);
    }

    #[test]
    fn copy_on_write_copies_the_chain_prefix_once_per_snapshot() {
        let mut map = CopyOnWriteStateMap::<i64>::new();
        let mut by_bucket: HashMap<u32, Vec<u32>> = HashMap::new();
        for i in 0..600 {
            by_bucket
                .entry((composite_hash(key(i).1) as u32) & 127)
                .or_default()
                .push(i);
        }
        let triple = by_bucket.values().find(|v| v.len() >= 3).unwrap().clone();
        for &i in &triple[..3] {
            put(&mut map, i, 500);
        }
        // Chain: triple[2] -> triple[1] -> triple[0]. Touching the tail copies all three links.
        let snapshot = map.state_snapshot().unwrap();
        let (_, access) = map.get(KeyId(triple[0]), key(triple[0]).1);
        assert_eq!(access.entry_copies, 3);
        let access = put(&mut map, triple[0], 501);
        assert_eq!(access.entry_copies, 0, "already copied for this snapshot");
        // The head was copied by the first call, so touching the middle copies nothing more.
        let (_, access) = map.get(KeyId(triple[1]), key(triple[1]).1);
        assert_eq!(access.entry_copies, 0);
        assert_eq!(map.retained_entries(), 3);
        map.release_snapshot(snapshot.snapshot_version()).unwrap();
        let (_, access) = map.get(KeyId(triple[0]), key(triple[0]).1);
        assert_eq!(access.entry_copies, 0);
    }

    #[test]
    fn heap_counts_retained_objects_while_a_snapshot_lives_and_frees_them_after() {
        let mut map = CopyOnWriteStateMap::<i64>::new();
        put(&mut map, 1, 1000);
        let live_before = map.heap().total();
        assert_eq!(map.heap().values, 24);
        let snapshot = map.state_snapshot().unwrap();
        let (k, h) = key(1);
        let v = map.get(k, h).0.unwrap();
        map.put(k, h, 56, v + 1);
        // One entry copy (40) and the old Long (24) stay reachable from the snapshot.
        assert_eq!(map.heap().retained_by_snapshots, 40 + 24);
        assert_eq!(map.heap().entries, 40);
        assert_eq!(map.heap().values, 24);
        map.release_snapshot(snapshot.snapshot_version()).unwrap();
        assert_eq!(map.heap().total(), live_before);
    }

    #[test]
    fn removing_an_entry_a_snapshot_still_sees_keeps_it_alive_until_release() {
        let mut map = CopyOnWriteStateMap::<i64>::new();
        put(&mut map, 1, 5);
        let snapshot = map.state_snapshot().unwrap();
        let (k, h) = key(1);
        assert_eq!(map.remove(k, h).0, Some(5));
        assert_eq!(map.heap().entries, 0);
        assert_eq!(map.heap().retained_by_snapshots, 40 + 56);
        assert_eq!(snapshot.entries(&map).count(), 1);
        map.release_snapshot(snapshot.snapshot_version()).unwrap();
        assert_eq!(map.heap().retained_by_snapshots, 0);
        assert!(map.iter().next().is_none());
    }

    #[test]
    fn snapshot_during_a_rehash_copies_both_tables_regions() {
        let mut map = CopyOnWriteStateMap::<i64>::new();
        for i in 0..98 {
            put(&mut map, i, 1);
        }
        for _ in 0..5 {
            map.get(KeyId(0), key(0).1);
        }
        assert!(map.is_rehashing());
        let rh = map.rehash_index() as usize;
        assert!(rh > 0);
        let snapshot = map.state_snapshot().unwrap();
        assert_eq!(snapshot.array_length(), (rh + 128).max(98));
        let keys: std::collections::HashSet<KeyId> =
            snapshot.entries(&map).map(|e| e.key).collect();
        assert_eq!(keys.len(), 98);
    }

    #[test]
    fn releasing_an_unknown_version_is_an_error() {
        let mut map = CopyOnWriteStateMap::<i64>::new();
        assert_eq!(
            map.release_snapshot(3),
            Err(StateMapError::UnknownSnapshotVersion(3))
        );
    }

    #[test]
    fn get_during_a_snapshot_bumps_the_state_version() {
        let mut map = CopyOnWriteStateMap::<i64>::new();
        put(&mut map, 1, 5);
        let snapshot = map.state_snapshot().unwrap();
        assert_eq!(map.highest_required_snapshot_version(), 1);
        get(&mut map, 1);
        let e = map.peek(KeyId(1), key(1).1).unwrap();
        assert_eq!((e.entry_version, e.state_version), (1, 1));
        let old = snapshot.entries(&map).next().unwrap();
        assert_eq!((old.entry_version, old.state_version), (0, 0));
    }
}
