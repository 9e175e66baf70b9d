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

use ahash::AHashMap;

use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::keys::key_registry::KeyId;
use crate::engine::memory::hash_map::HashMapTable;
use crate::engine::memory::jvm_object_sizes::reference_array;
use crate::engine::operators::timer_heap_internal_timer::{
    TimerHeapInternalTimer, TIMER_HEAP_INTERNAL_TIMER,
};

/// `QUEUE_HEAD_INDEX`.
pub const QUEUE_HEAD_INDEX: u32 = 1;
/// The `minimumCapacity` `HeapKeyedStateBackendBuilder` gives `HeapPriorityQueueSetFactory`.
pub const MINIMUM_CAPACITY: u32 = 128;
/// `MAX_ARRAY_SIZE` of `AbstractHeapPriorityQueue`'s `resizeQueueArray`.
const MAX_ARRAY_SIZE: u32 = i32::MAX as u32 - 8;

/// Why a timer could not be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriorityQueueError {
    /// The element's key group is not one the backend owns (Flink: `IllegalArgumentException`).
    KeyGroupNotInRange(KeyGroup),
    /// The heap array cannot grow past the JVM's largest array (Flink: `OutOfMemoryError`).
    ArrayTooLarge,
}

/// One key group's de-duplication map: its elements with their heap index, and its `HashMap`'s table.
#[derive(Clone, Debug, Default)]
struct DeduplicationMap {
    /// (key, timestamp) → heap index.
    elements: AHashMap<(KeyId, i64), u32>,
    table: Option<HashMapTable>,
}

#[derive(Clone, Debug)]
pub struct HeapPriorityQueueSet {
    key_group_range: KeyGroupRange,
    /// `totalNumberOfKeyGroups` (the max parallelism).
    number_of_key_groups: u32,
    /// `expectedSize` of each de-duplication map.
    expected_size: u32,
    /// `queue[1..=size]`: `heap[i - 1]` is at index `i`.
    heap: Vec<TimerHeapInternalTimer>,
    /// `queue.length`.
    array_length: u32,
    deduplication_maps: Vec<DeduplicationMap>,
    /// Timers per key: a key object is kept alive by its timers.
    timers_per_key: AHashMap<KeyId, (u32, u32)>,
    /// Key objects referenced only through timers, counted in [`Self::heap_bytes`].
    key_bytes: u64,
    /// The de-duplication tables' bytes beyond the empty maps.
    table_bytes: u64,
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
            heap: Vec::new(),
            array_length: QUEUE_HEAD_INDEX + MINIMUM_CAPACITY,
            deduplication_maps: vec![DeduplicationMap::default(); local],
            timers_per_key: AHashMap::new(),
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
    /// Bytes a clone of the queue copies (nothing of it is shared between clones): the heap array, the
    /// de-duplication maps and the timers per key, at their capacities — what a time-travel snapshot pays for it
    /// (`engine::history`), not the JVM's bytes ([`Self::heap_bytes`]).
    pub fn clone_bytes(&self) -> u64 {
        use std::mem::size_of;
        fn map_bytes<K, V>(map: &AHashMap<K, V>) -> u64 {
            // hashbrown: a (key, value) slot and a control byte per bucket.
            (map.capacity() * (size_of::<(K, V)>() + 1)) as u64
        }
        let maps: u64 = self
            .deduplication_maps
            .iter()
            .map(|m| size_of::<DeduplicationMap>() as u64 + map_bytes(&m.elements))
            .sum();
        (self.heap.capacity() * size_of::<TimerHeapInternalTimer>()) as u64
            + maps
            + map_bytes(&self.timers_per_key)
    }

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
        self.deduplication_maps
            .iter()
            .filter_map(|m| m.table)
            .map(|t| u64::from(t.table_length()))
            .sum()
    }

    /// `peek()`: the timer with the smallest timestamp.
    pub fn peek(&self) -> Option<&TimerHeapInternalTimer> {
        self.heap.first()
    }

    /// Whether an equal timer (same key and timestamp) is in the queue.
    pub fn contains(&self, timer: &TimerHeapInternalTimer) -> bool {
        self.map_index(timer.key.key_group)
            .is_ok_and(|i| self.deduplication_maps[i].elements.contains_key(&id(timer)))
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
        if self.deduplication_maps[map]
            .elements
            .contains_key(&id(&timer))
        {
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
        let dedup = &mut self.deduplication_maps[map];
        let table = dedup
            .table
            .get_or_insert_with(|| HashMapTable::with_expected_size(expected));
        // The map object itself belongs to the empty queue (`heap_bytes` of a map without a table); its table
        // and nodes to its timers.
        let before = table.heap_bytes();
        table.insert();
        self.table_bytes += table.heap_bytes() - before;
        dedup.elements.insert(id(&timer), new_size);
        let count = self.timers_per_key.entry(timer.key.key).or_insert((0, 0));
        if count.0 == 0 {
            self.key_bytes += u64::from(timer.key.key_bytes);
            count.1 = timer.key.key_bytes;
        }
        count.0 += 1;
        self.heap.push(timer);
        self.sift_up(new_size);
        Ok(self.heap_index(&timer) == Some(QUEUE_HEAD_INDEX))
    }

    /// `remove(element)`: out of its de-duplication map and, if it was there, out of the heap. Returns whether
    /// the removed element was the head.
    pub fn remove(&mut self, timer: &TimerHeapInternalTimer) -> bool {
        let Ok(map) = self.map_index(timer.key.key_group) else {
            return false;
        };
        let Some(index) = self.deduplication_maps[map].elements.remove(&id(timer)) else {
            return false;
        };
        self.forget(map, timer);
        self.remove_internal(index);
        index == QUEUE_HEAD_INDEX
    }

    /// `poll()`: removes and returns the head.
    pub fn poll(&mut self) -> Option<TimerHeapInternalTimer> {
        let head = *self.heap.first()?;
        self.remove_internal(QUEUE_HEAD_INDEX);
        if let Ok(map) = self.map_index(head.key.key_group) {
            self.deduplication_maps[map].elements.remove(&id(&head));
            self.forget(map, &head);
        }
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

    /// Timer and node of one removed element, and its key's reference.
    fn forget(&mut self, map: usize, timer: &TimerHeapInternalTimer) {
        if let Some(table) = self.deduplication_maps[map].table.as_mut() {
            let before = table.heap_bytes();
            table.remove();
            self.table_bytes -= before - table.heap_bytes();
        }
        if let Some(count) = self.timers_per_key.get_mut(&timer.key.key) {
            count.0 -= 1;
            if count.0 == 0 {
                self.key_bytes -= u64::from(count.1);
                self.timers_per_key.remove(&timer.key.key);
            }
        }
    }

    fn map_index(&self, key_group: KeyGroup) -> Result<usize, PriorityQueueError> {
        if !self.key_group_range.contains(key_group) {
            return Err(PriorityQueueError::KeyGroupNotInRange(key_group));
        }
        Ok(key_group.index() - self.key_group_range.start_key_group() as usize)
    }

    fn heap_index(&self, timer: &TimerHeapInternalTimer) -> Option<u32> {
        let map = self.map_index(timer.key.key_group).ok()?;
        self.deduplication_maps[map]
            .elements
            .get(&id(timer))
            .copied()
    }

    fn at(&self, index: u32) -> &TimerHeapInternalTimer {
        &self.heap[(index - 1) as usize]
    }

    /// `moveElementToIdx`: stores the element at `index` and records its index (`setInternalIndex`).
    fn move_element_to_idx(&mut self, timer: TimerHeapInternalTimer, index: u32) {
        self.heap[(index - 1) as usize] = timer;
        if let Ok(map) = self.map_index(timer.key.key_group) {
            if let Some(slot) = self.deduplication_maps[map].elements.get_mut(&id(&timer)) {
                *slot = index;
            }
        }
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

    /// A time-travel snapshot copies the whole queue: what it counts grows with the timers, at least their
    /// elements and one de-duplication entry each.
    #[test]
    fn a_clone_copies_every_timer_and_its_deduplication_entry() {
        use std::mem::size_of;
        let mut q = HeapPriorityQueueSet::new(KeyGroupRange::of(0, 127), 128);
        let empty = q.clone_bytes();
        for i in 0..10_000 {
            q.add(timer(i, (i % 128) as u16, i64::from(i))).unwrap();
        }
        let per_timer = size_of::<TimerHeapInternalTimer>() + size_of::<((KeyId, i64), u32)>();
        assert!(q.clone_bytes() >= empty + 10_000 * per_timer as u64);
        assert!(q.clone_bytes() < empty + 10_000 * 4 * per_timer as u64);
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
            .deduplication_maps
            .iter()
            .filter_map(|m| m.table)
            .map(|t| t.heap_bytes() - HASH_MAP)
            .sum();
        assert_eq!(
            q.heap_bytes(),
            tables + reference_array(u64::from(q.array_length())) - reference_array(129)
        );
    }

    /// Seeded random adds, removes and polls against a sorted set: every poll returns a timer of the smallest
    /// timestamp, the sizes agree, and every stored index is where the element is.
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
        for _ in 0..20_000 {
            let key = next(40) as u32;
            let t = timer(key, (key % 16) as u16, next(500) as i64);
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
                assert_eq!(q.heap_index(t), Some(i as u32 + 1));
                let parent = (i + 1) >> 1; // 1-based heap index of the parent
                if parent > 0 {
                    assert!(q.heap[parent - 1].timestamp <= t.timestamp);
                }
            }
        }
    }
}
