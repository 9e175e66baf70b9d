//! [`SharedStorage`]: what a clone of an engine structure costs and what two of them do not share — not a Flink
//! concept. Time travel keeps snapshots (clones of the cluster) within a memory budget, and with storage shared
//! chunk by chunk ([`crate::engine::shared::chunked_vec::ChunkedVec`]) the honest price of a snapshot is what it
//! does not share with its neighbour, not its whole size. These are bytes of StateLab's own memory (the wasm
//! heap of the page), estimated; the JVM heap the engine simulates is counted elsewhere and never shared.

/// Storage that clones share in part.
pub trait SharedStorage {
    /// Bytes of storage `self` holds that `other` does not share (all of it when `other` is `None`), including
    /// what a clone copies outright ([`SharedStorage::clone_bytes`]).
    fn unshared_bytes(&self, other: Option<&Self>) -> u64;

    /// Bytes a clone copies rather than shares: headers, chunk pointers, small fields — what `self` does not
    /// share with itself.
    fn clone_bytes(&self) -> u64
    where
        Self: Sized,
    {
        self.unshared_bytes(Some(self))
    }
}

/// Sums [`SharedStorage::unshared_bytes`] over two lists matched by position (an item without a counterpart
/// shares nothing).
pub fn unshared_bytes_of<T: SharedStorage>(items: &[T], other: Option<&[T]>) -> u64 {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| item.unshared_bytes(other.and_then(|o| o.get(i))))
        .sum()
}
