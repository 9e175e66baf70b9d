//! `CopyOnWriteStateMap.StateMapEntry`: one (key, namespace, state) triplet with its chain link, cached hash and
//! the two copy-on-write versions. Entries live in the map's arena and link by index; [`NIL`] is Java's `null`.
//!
//! The namespace is always `VoidNamespace.INSTANCE` (keyed state outside windows), a shared singleton, so it is
//! not stored. Two fields are StateLab's own, for counting the heap object by object: the size of the key object
//! and the copy-on-write lineage (which older, snapshot-retained copy shares this entry's key and state objects).

use crate::engine::keys::key_registry::KeyId;
use serde::{Deserialize, Serialize};

/// The null link.
pub const NIL: u32 = u32::MAX;
/// `origin_version` of an entry that is not a copy of a retained one.
pub const NO_ORIGIN: i32 = -1;

/// `VoidNamespace.hashCode()`.
pub const VOID_NAMESPACE_HASH: i32 = 99;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StateMapEntry<S> {
    /// `final K key`.
    pub key: KeyId,
    /// `StateMapEntry next` (chaining), as an arena index.
    pub next: u32,
    /// `final int hash`: `bitMix(key.hashCode() ^ namespace.hashCode())`.
    pub hash: i32,
    /// `int entryVersion`: copy-on-write meta data for the structure.
    pub entry_version: i32,
    /// `int stateVersion`: copy-on-write meta data for the state object.
    pub state_version: i32,
    /// `S state`.
    pub state: S,
    /// Heap bytes of the key object (the entry keeps it alive).
    pub key_bytes: u32,
    /// `entryVersion` of the retained entry this one was copied from, or [`NO_ORIGIN`].
    pub origin_version: i32,
    /// Whether `state` is still the very object the retained origin references.
    pub shares_state_with_origin: bool,
}

impl<S> StateMapEntry<S> {
    /// The next entry of the chain, `None` at its end (Java's `next == null`).
    pub fn next_entry(&self) -> Option<u32> {
        (self.next != NIL).then_some(self.next)
    }
}

/// Where an entry lives: the primary table or, during a resize, the incremental-rehash table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum TableKind {
    #[default]
    Primary,
    IncrementalRehash,
}
