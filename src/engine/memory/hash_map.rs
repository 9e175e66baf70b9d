//! `java.util.HashMap` (JDK 17) as a state object's container: its table sizing and its heap. A `MapState` on
//! the heap backend keeps a `HashMap` per key (`HeapMapState.put` creates it with `new HashMap<>()`), and so
//! does a `ValueState<HashMap<…>>` the user fills; `MapSerializer.copy` — the copy-on-write of a snapshot —
//! makes `new HashMap<>(from.size())` and puts every entry again.
//!
//! * `new HashMap<>()` has no table until the first `put`, which allocates 16 buckets (threshold 12).
//! * `new HashMap<>(n)` keeps `tableSizeFor(n)` as its threshold until the first `put` allocates that many
//!   buckets (threshold ¾ of them).
//! * `putVal` resizes after inserting when `++size > threshold`: twice the buckets, and twice the threshold —
//!   below 16 buckets the threshold is ¾ of the new table again.
//! * Every mapping is a `HashMap.Node` (32 bytes); bins never turn into trees here (that takes 8 colliding keys
//!   in one bin of a table of at least 64).

use crate::engine::memory::jvm_object_sizes::{reference_array, HASH_MAP, HASH_MAP_NODE};

/// `DEFAULT_INITIAL_CAPACITY`.
pub const DEFAULT_INITIAL_CAPACITY: u32 = 16;
/// `MAXIMUM_CAPACITY`.
pub const MAXIMUM_CAPACITY: u32 = 1 << 30;

/// `HashMap.tableSizeFor(cap)`: the power of two at or above `cap` (at least 1).
pub const fn table_size_for(cap: u32) -> u32 {
    if cap <= 1 {
        1
    } else if cap >= MAXIMUM_CAPACITY {
        MAXIMUM_CAPACITY
    } else {
        cap.next_power_of_two()
    }
}

/// The table bookkeeping of one `HashMap`: `table.length` (0 before the first put), `threshold`, `size`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashMapTable {
    table_length: u32,
    threshold: u32,
    size: u32,
}

impl HashMapTable {
    /// `new HashMap<>()`.
    pub const fn new() -> Self {
        HashMapTable {
            table_length: 0,
            threshold: 0,
            size: 0,
        }
    }

    /// `new HashMap<>(initial_capacity)`.
    pub const fn with_capacity(initial_capacity: u32) -> Self {
        HashMapTable {
            table_length: 0,
            threshold: table_size_for(initial_capacity),
            size: 0,
        }
    }

    /// Flink's `CollectionUtil.newHashMapWithExpectedSize(n)` (what `MapSerializer.copy` makes):
    /// `new HashMap<>(n <= 2 ? n + 1 : ceil(n / 0.75f))`, so `n` mappings fit without a resize.
    pub fn with_expected_size(expected_size: u32) -> Self {
        let capacity = if expected_size <= 2 {
            expected_size + 1
        } else if expected_size >= MAXIMUM_CAPACITY {
            i32::MAX as u32
        } else {
            (f64::from(expected_size as f32 / 0.75f32)).ceil() as u32
        };
        Self::with_capacity(capacity)
    }

    pub const fn table_length(&self) -> u32 {
        self.table_length
    }

    pub const fn size(&self) -> u32 {
        self.size
    }

    /// `resize()`: the first table, or twice the buckets.
    fn resize(&mut self) {
        let old = self.table_length;
        if old >= MAXIMUM_CAPACITY {
            self.threshold = u32::MAX;
            return;
        }
        self.table_length = match old {
            0 if self.threshold > 0 => self.threshold,
            0 => DEFAULT_INITIAL_CAPACITY,
            _ => old * 2,
        };
        self.threshold = if old >= DEFAULT_INITIAL_CAPACITY {
            self.threshold.saturating_mul(2)
        } else {
            // (int) ((float) newCap * loadFactor)
            self.table_length / 4 * 3 + (self.table_length % 4) * 3 / 4
        };
    }

    /// `put` of a key not yet in the map: a table if there is none, a new node, then a resize when
    /// `++size > threshold`.
    pub fn insert(&mut self) {
        if self.table_length == 0 {
            self.resize();
        }
        self.size += 1;
        if self.size > self.threshold {
            self.resize();
        }
    }

    /// `remove` of a key in the map (the table never shrinks).
    pub fn remove(&mut self) {
        self.size = self.size.saturating_sub(1);
    }

    /// Heap bytes of the `HashMap` object, its table and its nodes (keys and values not included).
    pub const fn heap_bytes(&self) -> u64 {
        HASH_MAP
            + if self.table_length == 0 {
                0
            } else {
                reference_array(self.table_length as u64)
            }
            + HASH_MAP_NODE * self.size as u64
    }
}

impl Default for HashMapTable {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(mut map: HashMapTable, n: u32) -> HashMapTable {
        for _ in 0..n {
            map.insert();
        }
        map
    }

    #[test]
    fn a_default_map_gets_16_buckets_and_doubles_past_three_quarters() {
        assert_eq!(filled(HashMapTable::new(), 0).table_length(), 0);
        assert_eq!(filled(HashMapTable::new(), 1).table_length(), 16);
        assert_eq!(filled(HashMapTable::new(), 12).table_length(), 16);
        assert_eq!(filled(HashMapTable::new(), 13).table_length(), 32);
        assert_eq!(filled(HashMapTable::new(), 25).table_length(), 64);
    }

    #[test]
    fn a_map_made_with_a_capacity_starts_at_table_size_for() {
        // new HashMap<>(4): threshold 4 → a table of 4 (threshold 3) at the first put; the 4th put resizes.
        assert_eq!(filled(HashMapTable::with_capacity(4), 3).table_length(), 4);
        assert_eq!(filled(HashMapTable::with_capacity(4), 4).table_length(), 8);
        // new HashMap<>(1): a table of 1 (threshold 0) resized at once to 2 (threshold 1), then 4.
        assert_eq!(filled(HashMapTable::with_capacity(1), 1).table_length(), 2);
        assert_eq!(filled(HashMapTable::with_capacity(1), 2).table_length(), 4);
        assert_eq!(filled(HashMapTable::with_capacity(0), 1).table_length(), 2);
        assert_eq!(
            filled(HashMapTable::with_capacity(16), 16).table_length(),
            32
        );
    }

    #[test]
    fn flinks_expected_size_fits_without_a_resize() {
        let cases = [
            (1, 2),
            (2, 4),
            (3, 4),
            (4, 8),
            (6, 8),
            (7, 16),
            (12, 16),
            (16, 32),
            (64, 128),
        ];
        for (n, table) in cases {
            // The first put allocates the table; the n-th still fits in it.
            assert_eq!(
                filled(HashMapTable::with_expected_size(n), 1).table_length(),
                table
            );
            assert_eq!(
                filled(HashMapTable::with_expected_size(n), n).table_length(),
                table
            );
        }
    }

    #[test]
    fn heap_counts_the_object_table_and_nodes() {
        // The measured `map,1` row: HashMap 48 + Node[16] 80 + one Node 32.
        assert_eq!(filled(HashMapTable::new(), 1).heap_bytes(), 48 + 80 + 32);
        // `map,16`: Node[32] 144 + 16 Nodes.
        assert_eq!(
            filled(HashMapTable::new(), 16).heap_bytes(),
            48 + 144 + 16 * 32
        );
    }
}
