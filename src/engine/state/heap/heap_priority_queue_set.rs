//! `HeapPriorityQueueSet` (with what it inherits from `HeapPriorityQueue` and `AbstractHeapPriorityQueue`) — the
//! heap backend's priority-queue state, one per timer queue (`_timer_state/processing_user-timers`, …), holding
//! [`TimerHeapInternalTimer`]s of every key group the backend owns:
//!
//! * a binary min-heap in one array (`queue`), head at index 1 (`QUEUE_HEAD_INDEX`), created with
//!   `1 + minimumCapacity` = 129 slots (`HeapPriorityQueueSetFactory` passes 128) and grown by
//!   `increaseSizeByOne`: when `++size >= queue.length`, to `length + (length < 64 ? length + 2 : length >> 1)`
//!   (129, 193, 289, 433, …; it never shrinks). `siftUp`/`siftDown` as Flink's, ties keep their place;
//! * a de-duplication `HashMap<T, T>` per local key group (`deduplicationMapsByKeyGroup`), each made by
//!   `CollectionUtil.newHashMapWithExpectedSize(1 + minimumCapacity / numberOfKeyGroups)`: `add` is
//!   `putIfAbsent` there and only a new element enters the heap; `remove` takes it out of both; `poll` removes
//!   the head from the heap and then from its key group's map.
//!
//! Read from Flink 2.3's bytecode (`javap -c` on `flink-dist-2.3.0.jar`). Its heap — above an empty queue's,
//! which every `KeyedProcessOperator` has — is counted as the JVM holds it: a `TimerHeapInternalTimer` (32) and a
//! `HashMap.Node` (32) per timer, the de-duplication tables (`memory::hash_map`), the heap array's growth, and the
//! key object of a key that has timers but is counted nowhere else (see [`HeapPriorityQueueSet::heap_bytes`]).
//! Within 0.2 % of real Flink at every measured point (`tests/heap_timers.rs`).

use std::rc::Rc;

use ahash::AHashSet;

use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::keys::key_registry::KeyId;
use crate::engine::memory::hash_map::HashMapTable;
use crate::engine::memory::jvm_object_sizes::reference_array;
use crate::engine::operators::timer_heap_internal_timer::{
    TimerHeapInternalTimer, TIMER_HEAP_INTERNAL_TIMER,
};
use crate::engine::shared::chunked_vec::ChunkedVec;
use crate::engine::shared::shared_storage::SharedStorage;

/// `QUEUE_HEAD_INDEX`.
pub const QUEUE_HEAD_INDEX: u32 = 1;
/// The `minimumCapacity` `HeapKeyedStateBackendBuilder` gives `HeapPriorityQueueSetFactory`.
pub const MINIMUM_CAPACITY: u32 = 128;
/// `MAX_ARRAY_SIZE` of `AbstractHeapPriorityQueue`'s `resizeQueueArray`.
const MAX_ARRAY_SIZE: u32 = i32::MAX as u32 - 8;
/// Timers per chunk of the heap array (6 KiB).
const HEAP_CHUNK: usize = 256;
/// Keys per chunk of the timer counts: as the key registry's tables of `u32`s, so that the page has one copy of
/// the code for both.
const COUNT_CHUNK: usize = 256;
/// The de-duplication set is kept in shards of `2^SHARD_SHIFT` ms of timestamps (16 ms).
const SHARD_SHIFT: u32 = 4;

/// Why a timer could not be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriorityQueueError {
    /// The element's key group is not one the backend owns (Flink: `IllegalArgumentException`).
    KeyGroupNotInRange(KeyGroup),
    /// The heap array cannot grow past the JVM's largest array (Flink: `OutOfMemoryError`).
    ArrayTooLarge,
}

/// The timers of one shard of timestamps (see [`HeapPriorityQueueSet`]).
type Shard = AHashSet<(KeyId, i64)>;

/// The queue's contents as StateLab keeps them for time travel: a snapshot of the cluster clones the queue, so
/// everything big in it is shared between clones and copied piece by piece on write (`Rc::make_mut`):
///
/// * the heap array in chunks ([`ChunkedVec`]): a `poll` rewrites one path from the head to a leaf;
/// * the de-duplication maps' elements as one set of (key, timestamp) in shards of 16 ms of timestamps: timers
///   are mostly registered a while after "now" and fire in time order, so after a snapshot the job rewrites the
///   newest and the oldest shards, not the whole set. The set keeps no heap indices (Flink's element keeps its
///   own, `internalIndex`, rewritten at every move of a sift): a `remove` finds the element in the heap array,
///   which only deleting a timer does and no job preset does;
/// * the timers per key in chunks, indexed by the key's id.
///
/// The per-key-group `HashMap` tables of Flink (only their lengths and counts matter for the heap) are a small
/// array copied with every clone.
#[derive(Clone, Debug)]
pub struct HeapPriorityQueueSet {
    key_group_range: KeyGroupRange,
    /// `totalNumberOfKeyGroups` (the max parallelism).
    number_of_key_groups: u32,
    /// `expectedSize` of each de-duplication map.
    expected_size: u32,
    /// `queue[1..=size]`: `heap[i - 1]` is at index `i`.
    heap: ChunkedVec<TimerHeapInternalTimer, HEAP_CHUNK>,
    /// `queue.length`.
    array_length: u32,
    /// The de-duplication maps' elements, by `timestamp >> SHARD_SHIFT`, ascending; no shard is empty.
    shards: Vec<(i64, Rc<Shard>)>,
    /// Each local key group's de-duplication `HashMap` table (`None` until a timer was added to it).
    tables: Vec<Option<HashMapTable>>,
    /// Timers per key, indexed by [`KeyId`] (dense: the key registry numbers keys as it meets them): a key object
    /// is kept alive by its timers.
    timers_per_key: ChunkedVec<u32, COUNT_CHUNK>,
    /// Key objects referenced only through timers, counted in [`Self::heap_bytes`].
    key_bytes: u64,
    /// The de-duplication tables' bytes beyond the empty maps.
    table_bytes: u64,
}

impl SharedStorage for HeapPriorityQueueSet {
    /// The heap array's and the counts' chunks `other` does not share, the shards it does not share, and what
    /// every clone copies (the shard list, the tables, the fields).
    fn unshared_bytes(&self, other: Option<&Self>) -> u64 {
        use std::mem::size_of;
        let shards: u64 = self
            .shards
            .iter()
            .filter(|(at, shard)| {
                other.is_none_or(|o| {
                    o.shard_index(*at)
                        .is_ok_and(|i| !Rc::ptr_eq(shard, &o.shards[i].1))
                })
            })
            // hashbrown: an element and a control byte per bucket, and the set's header.
            .map(|(_, shard)| (shard.capacity() * (size_of::<(KeyId, i64)>() + 1) + 64) as u64)
            .sum();
        size_of::<Self>() as u64
            + self.heap.unshared_bytes(other.map(|o| &o.heap))
            + self
                .timers_per_key
                .unshared_bytes(other.map(|o| &o.timers_per_key))
            + shards
            + (self.shards.len() * size_of::<(i64, Rc<Shard>)>()) as u64
            + (self.tables.len() * size_of::<Option<HashMapTable>>()) as u64
    }
}

impl HeapPriorityQueueSet {
    /// `HeapPriorityQueueSetFactory.create`: an empty queue for `key_group_range` of `number_of_key_groups`.
    pub fn new(key_group_range: KeyGroupRange, number_of_key_groups: u32) -> Self {
        let local = key_group_range.number_of_key_groups();
        // `1 + minimumCapacity / keyGroupsInLocalRange`.
        let expected_size = 1 + MINIMUM_CAPACITY / (local.max(1) as u32);
        HeapPriorityQueueSet {
            key_group_range,
            number_of_key_groups,
            expected_size,
            heap: ChunkedVec::new(),
            array_length: QUEUE_HEAD_INDEX + MINIMUM_CAPACITY,
            shards: Vec::new(),
            tables: vec![None; local],
            timers_per_key: ChunkedVec::new(),
            key_bytes: 0,
            table_bytes: 0,
        }
    }

    pub fn key_group_range(&self) -> KeyGroupRange {
        self.key_group_range
    }

    /// `totalNumberOfKeyGroups`.
    pub fn number_of_key_groups(&self) -> u32 {
        self.number_of_key_groups
    }

    /// `size()`.
    pub fn size(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// `queue.length`: the heap array's slots.
    pub fn array_length(&self) -> u32 {
        self.array_length
    }

    /// Σ of the de-duplication maps' table lengths (0 for a map no timer was ever added to).
    pub fn deduplication_table_slots(&self) -> u64 {
        self.tables
            .iter()
            .flatten()
            .map(|t| u64::from(t.table_length()))
            .sum()
    }

    /// `peek()`: the timer with the smallest timestamp.
    pub fn peek(&self) -> Option<&TimerHeapInternalTimer> {
        self.heap.get(0)
    }

    /// Whether an equal timer (same key and timestamp) is in the queue.
    pub fn contains(&self, timer: &TimerHeapInternalTimer) -> bool {
        self.key_group_range.contains(timer.key.key_group)
            && self
                .shard_index(shard_of(timer))
                .is_ok_and(|i| self.shards[i].1.contains(&id(timer)))
    }

    /// The timers of one key group, in heap-array order (the order a snapshot partitions them in).
    pub fn key_group_timers(
        &self,
        key_group: KeyGroup,
    ) -> impl Iterator<Item = &TimerHeapInternalTimer> + '_ {
        self.heap
            .iter()
            .filter(move |t| t.key.key_group == key_group)
    }

    /// Every timer, in heap-array order.
    pub fn iter(&self) -> impl Iterator<Item = &TimerHeapInternalTimer> + '_ {
        self.heap.iter()
    }

    /// `add(element)`: `putIfAbsent` in the key group's de-duplication map, and only if it was absent into the
    /// heap. Returns whether it became the head (`element.getInternalIndex() == QUEUE_HEAD_INDEX`); `Ok(false)`
    /// for an element already there.
    pub fn add(&mut self, timer: TimerHeapInternalTimer) -> Result<bool, PriorityQueueError> {
        let map = self.map_index(timer.key.key_group)?;
        if self.contains(&timer) {
            return Ok(false);
        }
        // `increaseSizeByOne` before the element is stored: the resize can fail.
        let new_size = self.heap.len() as u32 + 1;
        if new_size >= self.array_length {
            let old = self.array_length;
            let grow = if old < 64 { old + 2 } else { old >> 1 };
            let desired = old.saturating_add(grow);
            self.array_length = if desired <= MAX_ARRAY_SIZE {
                desired
            } else if new_size <= MAX_ARRAY_SIZE {
                MAX_ARRAY_SIZE
            } else {
                return Err(PriorityQueueError::ArrayTooLarge);
            };
        }
        let expected = self.expected_size;
        let table =
            self.tables[map].get_or_insert_with(|| HashMapTable::with_expected_size(expected));
        // The map object itself belongs to the empty queue (`heap_bytes` of a map without a table); its table
        // and nodes to its timers.
        let before = table.heap_bytes();
        table.insert();
        self.table_bytes += table.heap_bytes() - before;
        let at = shard_of(&timer);
        let shard = match self.shard_index(at) {
            Ok(i) => i,
            Err(i) => {
                self.shards.insert(i, (at, Rc::default()));
                i
            }
        };
        Rc::make_mut(&mut self.shards[shard].1).insert(id(&timer));
        let key = timer.key.key.0 as usize;
        if key >= self.timers_per_key.len() {
            self.timers_per_key.resize(key + 1, 0);
        }
        let count = &mut self.timers_per_key[key];
        if *count == 0 {
            self.key_bytes += u64::from(timer.key.key_bytes);
        }
        *count += 1;
        self.heap.push(timer);
        self.sift_up(new_size);
        Ok(self.peek() == Some(&timer))
    }

    /// `remove(element)`: out of its de-duplication map and, if it was there, out of the heap. Returns whether
    /// the removed element was the head. (Flink finds the element's index in the element; this searches the
    /// heap array for it.)
    pub fn remove(&mut self, timer: &TimerHeapInternalTimer) -> bool {
        if !self.contains(timer) {
            return false;
        }
        let Some(index) = self.heap_index(timer) else {
            return false;
        };
        self.forget(timer);
        self.remove_internal(index);
        index == QUEUE_HEAD_INDEX
    }

    /// `poll()`: removes and returns the head.
    pub fn poll(&mut self) -> Option<TimerHeapInternalTimer> {
        let head = *self.peek()?;
        self.remove_internal(QUEUE_HEAD_INDEX);
        self.forget(&head);
        Some(head)
    }

    /// Heap bytes above an empty queue's (its 129-slot array and empty maps): per timer a
    /// `TimerHeapInternalTimer` and a `HashMap.Node`, the de-duplication tables, the heap array's growth, and
    /// the key objects of keys with timers. (A key with both state and timers is one object on the JVM; the
    /// backend counts it in its state entries and here.)
    pub fn heap_bytes(&self) -> u64 {
        self.heap.len() as u64 * TIMER_HEAP_INTERNAL_TIMER
            + self.table_bytes
            + reference_array(u64::from(self.array_length))
            - reference_array(u64::from(QUEUE_HEAD_INDEX + MINIMUM_CAPACITY))
            + self.key_bytes
    }

    /// Out of the de-duplication set and its key group's table, and its key's reference: for an element that
    /// is in the queue.
    fn forget(&mut self, timer: &TimerHeapInternalTimer) {
        if let Ok(i) = self.shard_index(shard_of(timer)) {
            let shard = Rc::make_mut(&mut self.shards[i].1);
            shard.remove(&id(timer));
            if shard.is_empty() {
                self.shards.remove(i);
            }
        }
        if let Ok(map) = self.map_index(timer.key.key_group) {
            if let Some(table) = self.tables[map].as_mut() {
                let before = table.heap_bytes();
                table.remove();
                self.table_bytes -= before - table.heap_bytes();
            }
        }
        if let Some(count) = self.timers_per_key.get_mut(timer.key.key.0 as usize) {
            *count -= 1;
            if *count == 0 {
                self.key_bytes -= u64::from(timer.key.key_bytes);
            }
        }
    }

    fn map_index(&self, key_group: KeyGroup) -> Result<usize, PriorityQueueError> {
        if !self.key_group_range.contains(key_group) {
            return Err(PriorityQueueError::KeyGroupNotInRange(key_group));
        }
        Ok(key_group.index() - self.key_group_range.start_key_group() as usize)
    }

    /// Where the shard of timestamps `at` is in [`Self::shards`], or where it would go.
    fn shard_index(&self, at: i64) -> Result<usize, usize> {
        self.shards.binary_search_by_key(&at, |(shard, _)| *shard)
    }

    /// The element's index in the heap array (1-based), if it is there.
    fn heap_index(&self, timer: &TimerHeapInternalTimer) -> Option<u32> {
        self.heap
            .iter()
            .position(|t| id(t) == id(timer))
            .map(|i| i as u32 + 1)
    }

    fn at(&self, index: u32) -> &TimerHeapInternalTimer {
        &self.heap[(index - 1) as usize]
    }

    /// `moveElementToIdx`: stores the element at `index`.
    fn move_element_to_idx(&mut self, timer: TimerHeapInternalTimer, index: u32) {
        self.heap[(index - 1) as usize] = timer;
    }

    /// `removeInternal(removeIdx)`: the last element takes the removed one's place and is sifted.
    fn remove_internal(&mut self, remove_index: u32) {
        let old_size = self.heap.len() as u32;
        if remove_index != old_size {
            let element = *self.at(old_size);
            self.move_element_to_idx(element, remove_index);
            self.heap.pop();
            // `adjustElementAtIndex`: down, and up if it did not move.
            self.sift_down(remove_index);
            if *self.at(remove_index) == element {
                self.sift_up(remove_index);
            }
        } else {
            self.heap.pop();
        }
    }

    fn sift_up(&mut self, mut index: u32) {
        let current = *self.at(index);
        let mut parent = index >> 1;
        while parent > 0 && current.priority_less_than(self.at(parent)) {
            let moved = *self.at(parent);
            self.move_element_to_idx(moved, index);
            index = parent;
            parent >>= 1;
        }
        self.move_element_to_idx(current, index);
    }

    fn sift_down(&mut self, mut index: u32) {
        let size = self.heap.len() as u32;
        let current = *self.at(index);
        let mut first = index << 1;
        let mut second = first + 1;
        if second <= size && self.at(second).priority_less_than(self.at(first)) {
            first = second;
        }
        while first <= size && self.at(first).priority_less_than(&current) {
            let moved = *self.at(first);
            self.move_element_to_idx(moved, index);
            index = first;
            first = index << 1;
            second = first + 1;
            if second <= size && self.at(second).priority_less_than(self.at(first)) {
                first = second;
            }
        }
        self.move_element_to_idx(current, index);
    }
}

/// The shard of the de-duplication set a timer is in.
fn shard_of(timer: &TimerHeapInternalTimer) -> i64 {
    timer.timestamp >> SHARD_SHIFT
}

/// What the de-duplication map keys on (`equals`: timestamp, key, namespace).
fn id(timer: &TimerHeapInternalTimer) -> (KeyId, i64) {
    (timer.key.key, timer.timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::memory::jvm_object_sizes::HASH_MAP;
    use crate::engine::state::heap::internal_key_context::CurrentKey;

    fn timer(key: u32, key_group: u16, timestamp: i64) -> TimerHeapInternalTimer {
        TimerHeapInternalTimer {
            timestamp,
            key: CurrentKey {
                key: KeyId(key),
                hash_code: key as i32,
                key_bytes: 56,
                key_group: KeyGroup::new(key_group),
            },
        }
    }

    /// A clone shares the queue's storage; polls and adds afterwards copy the heap array's chunks they rewrite
    /// and the shards of timestamps they touch, not the whole set.
    #[test]
    fn a_clone_shares_the_queue_until_it_is_written() {
        let mut q = HeapPriorityQueueSet::new(KeyGroupRange::of(0, 127), 128);
        // As a session job registers them: 100 timers per ms over 2 s, of 10,000 keys.
        for i in 0..200_000u32 {
            q.add(timer(
                i % 10_000,
                (i % 128) as u16,
                2_000 + i64::from(i / 100),
            ))
            .unwrap();
        }
        let whole = q.unshared_bytes(None);
        let snapshot = q.clone();
        assert!(
            q.clone_bytes() < whole / 50,
            "{} of {whole}",
            q.clone_bytes()
        );
        assert_eq!(q.unshared_bytes(Some(&snapshot)), q.clone_bytes());
        // 1 ms of the job: a hundred timers fire, a hundred are registered 2 s later.
        for i in 0..100u32 {
            let fired = q.poll().unwrap();
            assert_eq!(fired.timestamp, 2_000);
            q.add(timer(i, (i % 128) as u16, 4_000)).unwrap();
        }
        // Of the set, the oldest shard (the fired timers) and a new one (the timers registered); of the counts,
        // the chunk of keys 0..99; of the heap array, the chunks on the paths from the head a sift walked.
        let shared_shards = q
            .shards
            .iter()
            .filter(|(at, shard)| {
                let theirs = snapshot.shard_index(*at).map(|i| &snapshot.shards[i].1);
                theirs.is_ok_and(|theirs| Rc::ptr_eq(shard, theirs))
            })
            .count();
        assert_eq!(q.shards.len() - shared_shards, 2);
        let chunks = |bytes: u64, chunk: u64| bytes / chunk;
        let counts = q
            .timers_per_key
            .unshared_bytes(Some(&snapshot.timers_per_key));
        assert_eq!(chunks(counts, 4 * COUNT_CHUNK as u64), 1);
        let heap = q.heap.unshared_bytes(Some(&snapshot.heap));
        // 200,000 timers: 18 levels, the first 8 in the first chunk.
        let most = 1 + 100 * 10;
        let heap_chunks = chunks(
            heap,
            ChunkedVec::<TimerHeapInternalTimer, HEAP_CHUNK>::CHUNK_BYTES,
        );
        assert!(
            heap_chunks > 1 && heap_chunks <= most,
            "{heap_chunks} chunks"
        );
        assert!(
            q.unshared_bytes(Some(&snapshot)) < whole,
            "some of the set is shared"
        );
        // The snapshot still holds the queue as it was.
        assert_eq!(snapshot.size(), 200_000);
        assert_eq!(snapshot.peek().map(|t| t.timestamp), Some(2_000));
        assert!(snapshot.contains(&timer(0, 0, 2_000)));
        assert!(!q.contains(&timer(0, 0, 2_000)));
        assert!(q.contains(&timer(0, 0, 4_000)));
        assert!(!snapshot.contains(&timer(0, 0, 4_000)));
    }

    #[test]
    fn the_array_grows_as_flinks_increase_size_by_one() {
        let mut q = HeapPriorityQueueSet::new(KeyGroupRange::of(0, 127), 128);
        let mut lengths = vec![q.array_length()];
        for i in 0..1000 {
            q.add(timer(i, (i % 128) as u16, i64::from(i))).unwrap();
            if *lengths.last().unwrap() != q.array_length() {
                lengths.push(q.array_length());
            }
        }
        assert_eq!(lengths, [129, 193, 289, 433, 649, 973, 1459]);
    }

    #[test]
    fn equal_timers_are_one_and_the_head_is_the_earliest() {
        let mut q = HeapPriorityQueueSet::new(KeyGroupRange::of(0, 3), 4);
        assert!(q.add(timer(1, 0, 50)).unwrap());
        assert!(!q.add(timer(1, 0, 50)).unwrap());
        assert!(!q.add(timer(2, 1, 70)).unwrap());
        assert!(q.add(timer(3, 2, 10)).unwrap());
        assert_eq!(q.size(), 3);
        assert_eq!(
            q.add(timer(9, 9, 1)),
            Err(PriorityQueueError::KeyGroupNotInRange(KeyGroup::new(9)))
        );
        assert!(q.remove(&timer(3, 2, 10)));
        assert!(!q.remove(&timer(3, 2, 10)));
        assert_eq!(q.poll().map(|t| t.timestamp), Some(50));
        assert_eq!(q.poll().map(|t| t.timestamp), Some(70));
        assert_eq!(q.poll(), None);
        assert_eq!(q.heap_bytes(), q.deduplication_table_slots() * 4 + 16 * 3);
    }

    #[test]
    fn removing_everything_frees_all_but_the_tables() {
        let mut q = HeapPriorityQueueSet::new(KeyGroupRange::of(0, 127), 128);
        for i in 0..300 {
            q.add(timer(i % 7, (i % 128) as u16, i64::from(i) * 3 % 101))
                .unwrap();
        }
        let timers: Vec<_> = q.iter().copied().collect();
        for t in &timers {
            assert!(q.contains(t));
            q.remove(t);
            assert!(!q.contains(t));
        }
        assert!(q.is_empty());
        // The tables and the grown array stay, as on the JVM; nodes, timers and keys are gone.
        let tables: u64 = q
            .tables
            .iter()
            .flatten()
            .map(|t| t.heap_bytes() - HASH_MAP)
            .sum();
        assert_eq!(
            q.heap_bytes(),
            tables + reference_array(u64::from(q.array_length())) - reference_array(129)
        );
    }

    /// Seeded random adds, removes and polls against a sorted set, timestamps on both sides of 0: every poll
    /// returns a timer of the smallest timestamp, the sizes agree, the array is a heap, the de-duplication set and
    /// the timers per key hold exactly the heap's elements — and a clone taken along the way (a time-travel
    /// snapshot) keeps the queue as it was, whatever the original did since.
    #[test]
    fn it_behaves_as_a_set_ordered_by_time() {
        let mut q = HeapPriorityQueueSet::new(KeyGroupRange::of(0, 15), 16);
        let mut model = std::collections::BTreeSet::new();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut clones = Vec::new();
        for round in 0..20_000 {
            if round % 997 == 0 {
                clones.push((q.clone(), model.clone()));
            }
            let key = next(40) as u32;
            let t = timer(key, (key % 16) as u16, next(500) as i64 - 250);
            match next(4) {
                0 | 1 => {
                    let head = q.peek().map(|h| h.timestamp);
                    let became_head = q.add(t).unwrap();
                    let added = model.insert((t.timestamp, key));
                    // Ties do not move up (`siftUp` compares strictly): only an earlier time takes the head.
                    assert_eq!(became_head, added && head.is_none_or(|h| t.timestamp < h));
                }
                2 => {
                    q.remove(&t);
                    model.remove(&(t.timestamp, key));
                }
                _ => {
                    let polled = q.poll().map(|p| p.timestamp);
                    let smallest = model.iter().next().map(|(ts, _)| *ts);
                    assert_eq!(polled, smallest);
                    if let Some(ts) = polled {
                        // Which of the timers of that time came out is the heap's business: the one gone.
                        let gone = model
                            .iter()
                            .find(|(t2, k2)| {
                                *t2 == ts && !q.contains(&timer(*k2, (*k2 % 16) as u16, ts))
                            })
                            .copied()
                            .unwrap();
                        model.remove(&gone);
                    }
                }
            }
            assert_eq!(q.size(), model.len());
            for (i, t) in q.iter().enumerate() {
                let parent = (i + 1) >> 1; // 1-based heap index of the parent
                if parent > 0 {
                    assert!(q.heap[parent - 1].timestamp <= t.timestamp);
                }
            }
            let in_set: usize = q.shards.iter().map(|(_, s)| s.len()).sum();
            assert_eq!(in_set, q.size());
            assert!(q.shards.iter().all(|(_, s)| !s.is_empty()));
            assert!(q.shards.windows(2).all(|w| w[0].0 < w[1].0));
            let counted: u32 = q.timers_per_key.iter().sum();
            assert_eq!(counted as usize, q.size());
        }
        assert!(clones.len() > 10);
        for (clone, then) in &clones {
            let mut timers: Vec<(i64, u32)> =
                clone.iter().map(|t| (t.timestamp, t.key.key.0)).collect();
            timers.sort();
            assert_eq!(timers, then.iter().copied().collect::<Vec<_>>());
            assert!(then
                .iter()
                .all(|&(ts, k)| clone.contains(&timer(k, (k % 16) as u16, ts))));
        }
    }
}
