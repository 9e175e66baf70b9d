//! `InternalKeyContext` — the key of the record being processed (`setCurrentKey`), with what the backend
//! derives from it once: its key group (`currentKeyGroupIndex`), its `hashCode` and its heap size.

use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_registry::KeyId;

/// The current key: what a state access or a timer registration is made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CurrentKey {
    pub key: KeyId,
    pub hash_code: i32,
    /// Heap bytes of the key object.
    pub key_bytes: u32,
    /// `currentKeyGroupIndex`.
    pub key_group: KeyGroup,
}
