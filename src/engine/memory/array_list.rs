//! `java.util.ArrayList` (JDK 17) as a state object's container: its capacity policy and its heap. A
//! `ListState` on the heap backend keeps an `ArrayList` per key (`HeapListState.add` creates it with
//! `new ArrayList<>()`), and `ListSerializer.copy` — the copy-on-write of a snapshot — makes
//! `new ArrayList<>(from.size())` and adds every element.
//!
//! * `new ArrayList<>()` shares `DEFAULTCAPACITY_EMPTY_ELEMENTDATA`; its first `add` allocates
//!   `Object[DEFAULT_CAPACITY]` (10).
//! * `new ArrayList<>(0)` shares `EMPTY_ELEMENTDATA`, and grows from there one by one at first (0 → 1 → 2 → 3 →
//!   4 → 6 …); `new ArrayList<>(n)` allocates `Object[n]`.
//! * `grow(minCapacity)`: `ArraysSupport.newLength(old, minCapacity - old, old >> 1)`, the larger of the minimum
//!   growth and half again.

use crate::engine::memory::jvm_object_sizes::{reference_array, ARRAY_LIST};

/// `ArrayList.DEFAULT_CAPACITY`.
pub const DEFAULT_CAPACITY: u32 = 10;

/// How an `ArrayList` was made, which decides its first growth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrayListOrigin {
    /// `new ArrayList<>()`: `DEFAULTCAPACITY_EMPTY_ELEMENTDATA` until the first add.
    Default,
    /// `new ArrayList<>(initialCapacity)`.
    WithCapacity,
}

/// The capacity bookkeeping of one `ArrayList` (its `elementData.length`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArrayListCapacity {
    capacity: u32,
    /// Still sharing `DEFAULTCAPACITY_EMPTY_ELEMENTDATA`.
    default_empty: bool,
}

impl ArrayListCapacity {
    /// `new ArrayList<>()`.
    pub const fn new() -> Self {
        ArrayListCapacity {
            capacity: 0,
            default_empty: true,
        }
    }

    /// `new ArrayList<>(initial_capacity)` (0 shares `EMPTY_ELEMENTDATA`).
    pub const fn with_capacity(initial_capacity: u32) -> Self {
        ArrayListCapacity {
            capacity: initial_capacity,
            default_empty: false,
        }
    }

    pub const fn origin(&self) -> ArrayListOrigin {
        if self.default_empty {
            ArrayListOrigin::Default
        } else {
            ArrayListOrigin::WithCapacity
        }
    }

    /// `elementData.length`.
    pub const fn capacity(&self) -> u32 {
        self.capacity
    }

    /// Makes room for `min_capacity` elements (`ensureCapacityInternal` → `grow`), as `add` and `addAll` do.
    pub fn ensure(&mut self, min_capacity: u32) {
        if min_capacity <= self.capacity {
            return;
        }
        self.capacity = if self.default_empty {
            min_capacity.max(DEFAULT_CAPACITY)
        } else {
            let old = self.capacity;
            // ArraysSupport.newLength(old, minGrowth, prefGrowth) without its overflow cases.
            old.saturating_add((min_capacity - old).max(old >> 1))
        };
        self.default_empty = false;
    }

    /// Heap bytes of the `ArrayList` object and its own array (the shared empty arrays cost nothing).
    pub const fn heap_bytes(&self) -> u64 {
        ARRAY_LIST
            + if self.capacity == 0 {
                0
            } else {
                reference_array(self.capacity as u64)
            }
    }
}

impl Default for ArrayListCapacity {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capacities(mut list: ArrayListCapacity, adds: u32) -> Vec<u32> {
        let mut seen = vec![list.capacity()];
        for size in 1..=adds {
            list.ensure(size);
            if seen.last() != Some(&list.capacity()) {
                seen.push(list.capacity());
            }
        }
        seen
    }

    #[test]
    fn a_default_list_starts_at_ten_and_grows_by_half() {
        assert_eq!(
            capacities(ArrayListCapacity::new(), 80),
            vec![0, 10, 15, 22, 33, 49, 73, 109]
        );
    }

    #[test]
    fn a_list_made_with_capacity_zero_grows_one_by_one_at_first() {
        assert_eq!(
            capacities(ArrayListCapacity::with_capacity(0), 10),
            vec![0, 1, 2, 3, 4, 6, 9, 13]
        );
    }

    #[test]
    fn heap_counts_the_object_and_its_array() {
        // The measured `list,1` row: ArrayList 24 + Object[10] 56.
        let mut list = ArrayListCapacity::new();
        assert_eq!(list.heap_bytes(), 24);
        list.ensure(1);
        assert_eq!(list.heap_bytes(), 24 + 56);
        // `list,16`: added one by one, 10 → 15 → 22, and Object[22] = 104.
        for size in 2..=16 {
            list.ensure(size);
        }
        assert_eq!(list.heap_bytes(), 24 + 104);
        // `ListSerializer.copy` of 16 elements: new ArrayList<>(16).
        assert_eq!(ArrayListCapacity::with_capacity(16).heap_bytes(), 24 + 80);
    }
}
