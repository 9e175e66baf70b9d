//! `TimerHeapInternalTimer` — one registered timer: a timestamp, the key it was registered under and its
//! namespace, and its index in the priority queue's heap array (`timerHeapIndex`, here the queue's own business).
//!
//! The job's timers are all in `VoidNamespace` (a `KeyedProcessFunction`'s), so the namespace is not stored.
//! Two timers are equal when timestamp, key and namespace are (`equals`), which is what the queue's
//! de-duplication map keys on: registering the same time twice for one key leaves one timer. Their priority is
//! the timestamp alone (`PRIORITY_COMPARATOR`: `Long.compare(left.timestamp, right.timestamp)`).
//!
//! On the heap: 32 bytes (header 12, `long timestamp` 8, `int timerHeapIndex` 4, `key` and `namespace` 4 each);
//! the key is the record's own key object, shared with the key's state entries and its other timers.

use crate::engine::state::heap::internal_key_context::CurrentKey;

/// Heap bytes of one `TimerHeapInternalTimer` (JDK 17, compressed oops; measured: `docs/heap-primitives.md`).
pub const TIMER_HEAP_INTERNAL_TIMER: u64 = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerHeapInternalTimer {
    /// `timestamp`: processing time or event time in ms, as the function registered it.
    pub timestamp: i64,
    /// The key context the timer was registered in (`keyContext.getCurrentKey()`), with its key group.
    pub key: CurrentKey,
}

impl TimerHeapInternalTimer {
    /// `comparePriority(this, other) < 0`.
    #[inline]
    pub fn priority_less_than(&self, other: &TimerHeapInternalTimer) -> bool {
        self.timestamp < other.timestamp
    }
}
