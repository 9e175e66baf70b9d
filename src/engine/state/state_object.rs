//! The state object `S` a `StateMapEntry` references, with what its `TypeSerializer` and the JVM say about it.
//!
//! A `ValueState<Long>` (and a `ReducingState<Long>`) keeps `S = i64` in the entry itself, standing for a
//! `java.lang.Long`. `LongSerializer` is immutable-type aware: `copy()` returns the same object, so the
//! copy-on-write "state copy" of `CopyOnWriteStateMap.get` allocates nothing for `Long`. Updating a counter, on
//! the other hand, boxes a new `Long` unless the value is in the `Long.valueOf` cache (−128..127).
//!
//! Mutable state objects (an `ArrayList`, a `HashMap`, an accumulator, a `TtlValue`) live in the map's object
//! heap ([`StateObject::Objects`]) and entries hold a reference to them: several entries (the live one and the
//! copies a snapshot retains) may reference one object, as on the JVM, and the serializer's `copy()` makes a new
//! one.

use crate::engine::memory::jvm_object_sizes::boxed_long;
use crate::engine::shared::shared_storage::SharedStorage;
use std::fmt::Debug;

pub trait StateObject: Copy + PartialEq + Debug + 'static {
    /// Where the objects the state references live: nothing for a state held in the entry itself, an object
    /// heap for mutable objects.
    type Objects: Clone + Debug + Default + SharedStorage;

    /// Whether states reference objects in [`StateObject::Objects`] (false: nothing to collect).
    const HAS_OBJECTS: bool;

    /// Heap bytes of the objects an entry's state keeps alive (0 for a cached `Long`).
    fn heap_bytes(&self, objects: &Self::Objects) -> u64;

    /// Bytes its `TypeSerializer` writes into a checkpoint.
    fn serialized_bytes(&self, objects: &Self::Objects) -> u64;

    /// `stateSerializer.copy(state)`, as copy-on-write calls it on a state a snapshot still shares: `None` when
    /// the serializer returns the very object (an immutable type), else the new object and the bytes of the old
    /// one the copy does not share (immutable elements are shared, not copied).
    fn serializer_copy(&self, objects: &mut Self::Objects) -> Option<(Self, u64)>;

    /// Whether two states reference the very same object (a `put` of the object already in the entry).
    fn is_same_object(&self, other: &Self) -> bool;

    /// The object is garbage: no entry, live or retained by a snapshot, references it any more.
    fn free(&self, objects: &mut Self::Objects);

    /// Frees every object none of `reachable` references: a mark and sweep, as the JVM's collector would,
    /// after snapshots let go of what they retained.
    fn collect_garbage(objects: &mut Self::Objects, reachable: &mut dyn Iterator<Item = Self>);
}

/// A state held in the entry itself needs no object heap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoObjects;

impl SharedStorage for NoObjects {
    fn unshared_bytes(&self, _: Option<&Self>) -> u64 {
        0
    }
}

impl StateObject for i64 {
    type Objects = NoObjects;
    const HAS_OBJECTS: bool = false;

    #[inline]
    fn heap_bytes(&self, _: &NoObjects) -> u64 {
        boxed_long(*self)
    }

    /// `LongSerializer`: 8 bytes, big-endian.
    #[inline]
    fn serialized_bytes(&self, _: &NoObjects) -> u64 {
        8
    }

    /// `LongSerializer.copy(from)` returns `from`.
    #[inline]
    fn serializer_copy(&self, _: &mut NoObjects) -> Option<(i64, u64)> {
        None
    }

    /// Every `update(v)` boxes a new `Long` (or takes a cached one, which costs nothing either way).
    #[inline]
    fn is_same_object(&self, _: &i64) -> bool {
        false
    }

    #[inline]
    fn free(&self, _: &mut NoObjects) {}

    fn collect_garbage(_: &mut NoObjects, _: &mut dyn Iterator<Item = i64>) {}
}
