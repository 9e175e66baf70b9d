//! The state object `S` a `StateMapEntry` references, with what its `TypeSerializer` and the JVM say about it.
//! StateLab's job keeps a `ValueState<Long>`, so `S` is `i64` standing for a `java.lang.Long`.
//!
//! `LongSerializer` is immutable-type aware: `copy()` returns the same object, so the copy-on-write "state copy"
//! of `CopyOnWriteStateMap.get` allocates nothing for `Long`. Updating a counter, on the other hand, boxes a new
//! `Long` unless the value is in the `Long.valueOf` cache (−128..127).

use crate::engine::memory::jvm_object_sizes::boxed_long;
use std::fmt::Debug;

pub trait StateObject: Copy + PartialEq + Debug + 'static {
    /// Heap bytes of the object an `update(value)` allocates (0 when a cached instance is reused).
    fn heap_bytes(&self) -> u64;
    /// Bytes its `TypeSerializer` writes into a checkpoint.
    fn serialized_bytes(&self) -> u64;
}

impl StateObject for i64 {
    fn heap_bytes(&self) -> u64 {
        boxed_long(*self)
    }

    /// `LongSerializer`: 8 bytes, big-endian.
    fn serialized_bytes(&self) -> u64 {
        8
    }
}
