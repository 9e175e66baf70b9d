//! `CopyOnWriteStateMap`'s growth without its entries: the bucket arrays of every key-group map of an operator
//! as keys arrive, through `doubleCapacity()` and the incremental rehash that follows, step for step as
//! [`CopyOnWriteStateMap`](crate::engine::state::heap::copy_on_write_state_map::CopyOnWriteStateMap) does it, but holding only counts.
//!
//! What a map's tables weigh after N new keys depends on more than N: a map that resized stays twice as heavy
//! (old and new table) until its incremental rehash has moved every old bucket, and each map operation moves
//! whole buckets until at least four entries moved, so when the rehash ends depends on how the keys fell into
//! the old buckets. This type keeps, per map, how many keys fell into each bucket of a table of `resolution`
//! slots (one byte per bucket, an overflow table beyond 255), which tells the occupancy of every old bucket at
//! any capacity up to `resolution` exactly, so every rehash step moves exactly as many entries as the real one.
//! That costs about one byte per key of the largest tables instead of the full entries, so a planner can follow
//! tens of millions of keys in tens of megabytes.
//!
//! Deliberate limits: keys are only ever added (no removals, no snapshots, no copy-on-write), and a map whose
//! rehash would start from a table larger than `resolution` is refused ([`GrowthError::ResolutionExceeded`]):
//! the caller asks again with a finer resolution.

use crate::engine::memory::heap_footprint::KeyWrite;
use crate::engine::memory::jvm_object_sizes::reference_array;
use crate::engine::state::heap::copy_on_write_state_map::{
    DEFAULT_CAPACITY, MAXIMUM_CAPACITY, MIN_TRANSFERRED_PER_INCREMENTAL_REHASH,
};
use std::collections::BTreeMap;

/// `CollectionUtil.MAX_ARRAY_SIZE`: the threshold of a table at `MAXIMUM_CAPACITY`.
const MAX_ARRAY_SIZE: u32 = i32::MAX as u32 - 8;

/// Below `resolution / FOLD_BELOW` an old table's occupancies are summed once when its rehash starts, instead of
/// being summed from the fine counts at every step.
const FOLD_BELOW: u32 = 16;

/// At most this many buffered bucket counts in all, so that thousands of maps stay cheap.
const BUFFERED_COUNTS: usize = 1 << 18;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrowthError {
    /// The resolution must be a power of two between `DEFAULT_CAPACITY` and `MAXIMUM_CAPACITY`.
    InvalidResolution(u64),
    /// A map is about to rehash from a table larger than the resolution can describe.
    ResolutionExceeded { capacity: u32, resolution: u32 },
}

crate::i18n::english_error!(GrowthError => crate::i18n::messages::errors::growth);

/// One map's bookkeeping: what `CopyOnWriteStateMap` keeps in `primaryTableSize`, `threshold`, the two tables'
/// lengths and `rehashIndex`.
#[derive(Clone, Debug)]
struct MapGrowth {
    /// `size()`: entries in both tables.
    size: u32,
    /// Length of the table the map grows into: the primary table, or the rehash table while rehashing.
    capacity: u32,
    threshold: u32,
    /// Length of the old (primary) table while an incremental rehash runs, 0 otherwise.
    rehash_from: u32,
    rehash_index: u32,
    /// The old table's occupancy per bucket when it is much coarser than the resolution (see [`FOLD_BELOW`]).
    folded: Vec<u32>,
    /// Bucket counts not yet added to the fine counts…
    buffered: u32,
    /// …the smallest old bucket among them that the running rehash has yet to move (`u32::MAX`: none); the
    /// rehash adds them before it reads that bucket.
    buffered_from: u32,
}

/// The growth of one operator's key-group maps (all maps of all its subtasks, indexed by key group).
#[derive(Clone, Debug)]
pub struct StateMapGrowth {
    resolution: u32,
    maps: Vec<MapGrowth>,
    /// `maps × resolution` counts of keys per fine bucket (`hash & (resolution - 1)`), modulo 256…
    counts: Vec<u8>,
    /// …plus 256 for every time one of them wrapped around, by index into `counts`.
    overflow: BTreeMap<usize, u32>,
    /// Per map, fine buckets whose count is still to be added (a map's counts are touched in bursts).
    buffer: Vec<u32>,
    buffer_len: u32,
}

/// `makeTable(n)`'s threshold.
const fn threshold_of(capacity: u32) -> u32 {
    if capacity as usize >= MAXIMUM_CAPACITY {
        MAX_ARRAY_SIZE
    } else {
        (capacity >> 1) + (capacity >> 2)
    }
}

impl StateMapGrowth {
    /// `maps` empty maps of `DEFAULT_CAPACITY` buckets (as `StateTable` creates them), following rehashes from
    /// tables of up to `resolution` buckets.
    pub fn new(maps: usize, resolution: u64) -> Result<StateMapGrowth, GrowthError> {
        if !resolution.is_power_of_two()
            || !(DEFAULT_CAPACITY as u64..=MAXIMUM_CAPACITY as u64).contains(&resolution)
        {
            return Err(GrowthError::InvalidResolution(resolution));
        }
        let resolution = resolution as u32;
        let buffer_len = (BUFFERED_COUNTS / maps.max(1)).clamp(4, 128) as u32;
        let capacity = DEFAULT_CAPACITY as u32;
        Ok(StateMapGrowth {
            resolution,
            maps: vec![
                MapGrowth {
                    size: 0,
                    capacity,
                    threshold: threshold_of(capacity),
                    rehash_from: 0,
                    rehash_index: 0,
                    folded: Vec::new(),
                    buffered: 0,
                    buffered_from: u32::MAX,
                };
                maps
            ],
            counts: vec![0; maps * resolution as usize],
            overflow: BTreeMap::new(),
            buffer: vec![0; maps * buffer_len as usize],
            buffer_len,
        })
    }

    /// Bytes this bookkeeping occupies for `maps` maps at `resolution` (what [`StateMapGrowth::new`] allocates).
    pub const fn bytes_needed(maps: u64, resolution: u64) -> u64 {
        maps * resolution
    }

    pub fn resolution(&self) -> u64 {
        u64::from(self.resolution)
    }

    /// Entries in map `map`.
    pub fn size(&self, map: usize) -> u32 {
        self.maps[map].size
    }

    /// Length of the map's primary table.
    pub fn capacity(&self, map: usize) -> u32 {
        let m = &self.maps[map];
        if m.rehash_from > 0 {
            m.rehash_from
        } else {
            m.capacity
        }
    }

    /// Length of the map's incremental-rehash table, 0 when it is not rehashing.
    pub fn rehash_capacity(&self, map: usize) -> u32 {
        let m = &self.maps[map];
        if m.rehash_from > 0 {
            m.capacity
        } else {
            0
        }
    }

    pub fn is_rehashing(&self, map: usize) -> bool {
        self.maps[map].rehash_from > 0
    }

    /// Bytes of the map's bucket arrays (`StateMapEntry[]`, both while rehashing).
    pub fn table_bytes(&self, map: usize) -> u64 {
        let m = &self.maps[map];
        reference_array(u64::from(m.capacity))
            + if m.rehash_from > 0 {
                reference_array(u64::from(m.rehash_from))
            } else {
                0
            }
    }

    /// A new key written into map `map`, `hash` being its composite hash (`compositeHash(key, namespace)`):
    /// the map operations `write` stands for, each starting with a rehash step, the last one inserting. Returns
    /// how the map's bucket arrays changed, in bytes.
    pub fn insert(&mut self, map: usize, hash: i32, write: KeyWrite) -> Result<i64, GrowthError> {
        let hash = hash as u32;
        let mut delta = 0i64;
        for _ in 0..write.operations() {
            if self.maps[map].rehash_from > 0 {
                delta -= self.incremental_rehash(map);
            }
        }
        let m = &mut self.maps[map];
        // `putEntry`: the resize check comes before the insert, and the new entry goes into the table chosen before
        // the doubling (the old one, at a bucket the rehash has not reached).
        if m.size > m.threshold {
            delta += self.double_capacity(map)?;
        }
        let m = &mut self.maps[map];
        m.size += 1;
        let fine_bucket = hash & (self.resolution - 1);
        if m.rehash_from > 0 {
            let old_bucket = hash & (m.rehash_from - 1);
            if old_bucket >= m.rehash_index {
                if m.folded.is_empty() {
                    // The rehash will read this bucket from the fine counts: it must be counted by then.
                    m.buffered_from = m.buffered_from.min(old_bucket);
                } else {
                    m.folded[old_bucket as usize] += 1;
                }
            }
        }
        self.buffer_count(map, fine_bucket);
        Ok(delta)
    }

    /// `doubleCapacity()`: the rehash table of twice the capacity; returns its bytes.
    fn double_capacity(&mut self, map: usize) -> Result<i64, GrowthError> {
        let m = &self.maps[map];
        // Flink asserts there is no rehash in flight; the steps always finish one before the threshold is reached.
        if m.rehash_from > 0 || m.capacity as usize == MAXIMUM_CAPACITY {
            return Ok(0);
        }
        let old = m.capacity;
        if old > self.resolution {
            return Err(GrowthError::ResolutionExceeded {
                capacity: old,
                resolution: self.resolution,
            });
        }
        self.flush(map);
        let folded = if old < self.resolution / FOLD_BELOW {
            let mut folded = vec![0u32; old as usize];
            for (i, &c) in self.fine_counts(map).iter().enumerate() {
                folded[i & (old as usize - 1)] += u32::from(c);
            }
            if !self.overflow.is_empty() {
                let base = map * self.resolution as usize;
                for (&index, &extra) in self.overflow.range(base..base + self.resolution as usize) {
                    folded[(index - base) & (old as usize - 1)] += extra;
                }
            }
            folded
        } else {
            Vec::new()
        };
        let m = &mut self.maps[map];
        m.rehash_from = old;
        m.rehash_index = 0;
        m.capacity = old * 2;
        m.threshold = threshold_of(m.capacity);
        m.folded = folded;
        Ok(reference_array(u64::from(m.capacity)) as i64)
    }

    /// `incrementalRehash()`: moves whole old buckets until at least four entries moved; returns the bytes freed
    /// (the old table, when its last bucket moved).
    fn incremental_rehash(&mut self, map: usize) -> i64 {
        let old = self.maps[map].rehash_from;
        let mut index = self.maps[map].rehash_index;
        let mut transferred = 0u64;
        while transferred < u64::from(MIN_TRANSFERRED_PER_INCREMENTAL_REHASH) {
            if index >= self.maps[map].buffered_from {
                self.flush(map);
            }
            transferred += self.old_bucket_occupancy(map, index);
            index += 1;
            if index == old {
                let m = &mut self.maps[map];
                m.rehash_from = 0;
                m.rehash_index = 0;
                m.folded = Vec::new();
                return reference_array(u64::from(old)) as i64;
            }
        }
        self.maps[map].rehash_index = index;
        0
    }

    /// Entries in old bucket `bucket` now: every key so far whose hash falls into it (a key lands in an old bucket
    /// only while the rehash has not passed it, and then stays there until it is moved).
    fn old_bucket_occupancy(&self, map: usize, bucket: u32) -> u64 {
        let m = &self.maps[map];
        if !m.folded.is_empty() {
            return u64::from(m.folded[bucket as usize]);
        }
        let base = map * self.resolution as usize;
        let stride = m.rehash_from as usize;
        let mut total = 0u64;
        let mut index = base + bucket as usize;
        while index < base + self.resolution as usize {
            total += u64::from(self.counts[index]);
            if !self.overflow.is_empty() {
                total += u64::from(self.overflow.get(&index).copied().unwrap_or(0));
            }
            index += stride;
        }
        total
    }

    fn fine_counts(&self, map: usize) -> &[u8] {
        let base = map * self.resolution as usize;
        &self.counts[base..base + self.resolution as usize]
    }

    #[inline]
    fn buffer_count(&mut self, map: usize, fine_bucket: u32) {
        let m = &mut self.maps[map];
        let slot = map * self.buffer_len as usize + m.buffered as usize;
        m.buffered += 1;
        self.buffer[slot] = fine_bucket;
        if m.buffered == self.buffer_len {
            self.flush(map);
        }
    }

    fn flush(&mut self, map: usize) {
        let start = map * self.buffer_len as usize;
        let n = std::mem::take(&mut self.maps[map].buffered) as usize;
        self.maps[map].buffered_from = u32::MAX;
        let base = map * self.resolution as usize;
        for &fine_bucket in &self.buffer[start..start + n] {
            bump(
                &mut self.counts,
                &mut self.overflow,
                base + fine_bucket as usize,
            );
        }
    }
}

/// One more key in a fine bucket; the byte wraps, and the overflow table keeps the 256s.
#[inline(always)]
fn bump(counts: &mut [u8], overflow: &mut BTreeMap<usize, u32>, index: usize) {
    let c = counts[index].wrapping_add(1);
    counts[index] = c;
    if c == 0 {
        *overflow.entry(index).or_insert(0) += 256;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::keys::java_key::string_hash_code;
    use crate::engine::keys::key_registry::KeyId;
    use crate::engine::state::heap::copy_on_write_state_map::{
        composite_hash, CopyOnWriteStateMap,
    };

    /// Writes `keys` keys into one real map and one counted map the same way; their tables must agree after
    /// every key.
    fn follow(keys: u32, resolution: u64, write: KeyWrite, hash_of: impl Fn(u32) -> i32) {
        let mut real = CopyOnWriteStateMap::<i64>::new();
        let mut counted = StateMapGrowth::new(1, resolution).unwrap();
        let mut tables = counted.table_bytes(0) as i64;
        for i in 0..keys {
            let key_hash = hash_of(i);
            if write == KeyWrite::ValueThenUpdate {
                real.get(KeyId(i), key_hash);
            }
            real.put(KeyId(i), key_hash, 56, 1);
            tables += counted.insert(0, composite_hash(key_hash), write).unwrap();
            assert_eq!(counted.table_bytes(0) as i64, tables);
            assert_eq!(tables as u64, real.heap().tables, "after {} keys", i + 1);
            assert_eq!(counted.capacity(0) as usize, real.capacity());
            assert_eq!(counted.rehash_capacity(0) as usize, real.rehash_capacity());
            assert_eq!(counted.size(0) as usize, real.size());
        }
    }

    /// The key hash whose composite hash (`bitMix(hash ^ 99)`) is `composite`: fmix32 undone step by step.
    fn key_hash_for_composite(composite: u32) -> i32 {
        let inverse = |a: u32| {
            (0..5).fold(a, |x, _| {
                x.wrapping_mul(2u32.wrapping_sub(a.wrapping_mul(x)))
            })
        };
        let mut x = composite;
        x ^= x >> 16;
        x = x.wrapping_mul(inverse(0xc2b2ae35));
        x ^= (x >> 13) ^ (x >> 26);
        x = x.wrapping_mul(inverse(0x85ebca6b));
        x ^= x >> 16;
        (x as i32) ^ 99
    }

    fn user(i: u32) -> i32 {
        string_hash_code(&format!("user-{i:06}"))
    }

    #[test]
    fn rehash_steps_end_exactly_where_the_real_map_finishes() {
        for write in [KeyWrite::ValueThenUpdate, KeyWrite::UpdateOnly] {
            // Coarse (folded), medium (strided) and exact-resolution old tables.
            follow(20_000, 1 << 14, write, user);
            follow(12_000, 1 << 13, write, |i| user(i + 7_000_000));
        }
    }

    #[test]
    fn crowded_buckets_beyond_255_keys_are_counted_in_full() {
        // Every key's composite hash has the same low 16 bits: one fine bucket overflows its byte.
        assert_eq!(
            composite_hash(key_hash_for_composite(0xdead_beef)) as u32,
            0xdead_beef
        );
        let colliding = |i: u32| key_hash_for_composite((i << 16) | 0x1234);
        follow(3000, 1 << 11, KeyWrite::ValueThenUpdate, colliding);
    }

    #[test]
    fn a_rehash_from_a_table_beyond_the_resolution_is_refused() {
        let mut counted = StateMapGrowth::new(1, 128).unwrap();
        let mut outcome = Ok(0);
        for i in 0..200 {
            outcome = counted.insert(0, composite_hash(user(i)), KeyWrite::ValueThenUpdate);
            if outcome.is_err() {
                break;
            }
        }
        assert_eq!(
            outcome,
            Err(GrowthError::ResolutionExceeded {
                capacity: 256,
                resolution: 128
            })
        );
        assert!(StateMapGrowth::new(1, 100).is_err());
        assert!(StateMapGrowth::new(1, 64).is_err());
    }
}
