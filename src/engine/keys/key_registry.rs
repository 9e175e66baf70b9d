//! The key objects of the job, interned. In Flink every record carries its own key object; the state entry
//! keeps the one that was current when the key was first written, and `StateTable` compares keys with
//! `hashCode`/`equals`. StateLab gives each distinct key a [`KeyId`] so that `equals` is an id comparison and
//! the key's `hashCode`, murmur hash and heap size are computed once.
//!
//! Keys the source generates are named by a [`KeyFormat`] (`user-%d`, `user-%06d`, or the number itself for
//! `Long`/`Integer` keys); a key typed by hand that spells a generated key is the same key.

use crate::engine::keys::java_key::{string_hash_code, JavaKey, JavaKeyType, MAX_KEY_BYTES};
use crate::engine::keys::math_utils::murmur_hash;
use crate::engine::memory::jvm_object_sizes::{
    boxed_long, byte_array, is_box_cached, INTEGER, STRING,
};
use crate::engine::shared::chunked_vec::ChunkedVec;
use crate::engine::shared::shared_storage::SharedStorage;
use crate::engine::state::keyed_backend_serialization_proxy::key_serialized_bytes;
use ahash::AHashMap;
use serde::{Deserialize, Serialize};

/// An interned key. Two keys are Java-`equals` exactly when their ids are equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KeyId(pub u32);

/// How generated key number `i` is spelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFormat {
    /// The Java type of the keys (`keyBy` on a `String`, `Integer` or `Long` field).
    pub key_type: JavaKeyType,
    /// For `String` keys: the text before the number, e.g. `user-`.
    pub prefix: String,
    /// For `String` keys: zero-pad the number to this many digits (`user-%06d` has 6; 0 means `%d`).
    pub zero_pad: u8,
}

impl Default for KeyFormat {
    fn default() -> Self {
        KeyFormat {
            key_type: JavaKeyType::String,
            prefix: "user-".to_owned(),
            zero_pad: 0,
        }
    }
}

impl KeyFormat {
    /// `user-%06d`, the keys of the heap measurements in `heap_per_key_sample.csv`.
    pub fn padded_users() -> Self {
        KeyFormat {
            zero_pad: 6,
            ..KeyFormat::default()
        }
    }

    /// The key generated for number `index`.
    pub fn key(&self, index: u64) -> JavaKey {
        match self.key_type {
            JavaKeyType::String => JavaKey::String(format!(
                "{}{:0width$}",
                self.prefix,
                index,
                width = usize::from(self.zero_pad)
            )),
            JavaKeyType::Integer => JavaKey::Integer(index as i32),
            JavaKeyType::Long => JavaKey::Long(index as i64),
        }
    }

    /// The highest index this format can spell as a distinct key.
    pub fn max_index(&self) -> u64 {
        match self.key_type {
            JavaKeyType::Integer => i32::MAX as u64,
            JavaKeyType::String | JavaKeyType::Long => i64::MAX as u64,
        }
    }

    /// The generated index a key spells, if it is exactly a key this format generates.
    pub fn index_of(&self, key: &JavaKey) -> Option<u64> {
        match (self.key_type, key) {
            (JavaKeyType::String, JavaKey::String(s)) => {
                let digits = s.strip_prefix(self.prefix.as_str())?;
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let index: u64 = digits.parse().ok()?;
                let canonical_len = decimal_digits(index).max(u32::from(self.zero_pad)) as usize;
                (digits.len() == canonical_len).then_some(index)
            }
            (JavaKeyType::Integer, JavaKey::Integer(v)) => u64::try_from(*v).ok(),
            (JavaKeyType::Long, JavaKey::Long(v)) => u64::try_from(*v).ok(),
            _ => None,
        }
    }

    /// `hashCode()` of generated key `index`, without building the string.
    pub fn hash_code_of(&self, index: u64) -> i32 {
        match self.key_type {
            JavaKeyType::String => {
                let mut digits = [0u8; 20];
                let mut n = 0;
                let mut v = index;
                loop {
                    digits[n] = b'0' + (v % 10) as u8;
                    n += 1;
                    v /= 10;
                    if v == 0 {
                        break;
                    }
                }
                let pad = usize::from(self.zero_pad).saturating_sub(n);
                let spelled =
                    std::iter::repeat_n(b'0', pad).chain(digits[..n].iter().rev().copied());
                spelled.fold(string_hash_code(&self.prefix), |h, d| {
                    h.wrapping_mul(31).wrapping_add(i32::from(d))
                })
            }
            JavaKeyType::Integer => index as i32,
            JavaKeyType::Long => JavaKey::Long(index as i64).hash_code(),
        }
    }

    /// Heap bytes of the key object generated for `index` (the entry keeps it alive).
    fn heap_bytes_of(&self, index: u64) -> u64 {
        match self.key_type {
            JavaKeyType::String => {
                let digits = u64::from(decimal_digits(index).max(u32::from(self.zero_pad)));
                if self.prefix.chars().all(|c| (c as u32) <= 0xFF) {
                    STRING + byte_array(self.prefix.chars().count() as u64 + digits)
                } else {
                    STRING + byte_array(2 * (self.prefix.encode_utf16().count() as u64 + digits))
                }
            }
            JavaKeyType::Integer => integer_key_bytes(index as i32),
            JavaKeyType::Long => boxed_long(index as i64),
        }
    }

    /// Serialized bytes of generated key `index` (`StringValue.writeString` is 1 byte per ASCII char).
    pub fn serialized_bytes_of(&self, index: u64) -> u64 {
        if self.key_type == JavaKeyType::String && self.prefix.is_ascii() {
            let chars = self.prefix.len() as u64
                + u64::from(decimal_digits(index).max(u32::from(self.zero_pad)));
            if chars < 127 {
                return 1 + chars;
            }
        }
        key_serialized_bytes(&self.key(index))
    }
}

fn decimal_digits(mut v: u64) -> u32 {
    let mut n = 1;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    n
}

/// Record keys are deserialised with `Integer.valueOf`/`Long.valueOf`, so small values share the cached box.
fn integer_key_bytes(v: i32) -> u64 {
    if is_box_cached(i64::from(v)) {
        0
    } else {
        INTEGER
    }
}

/// Heap bytes of an arbitrary key object.
pub fn key_object_bytes(key: &JavaKey) -> u64 {
    match key {
        JavaKey::String(s) => crate::engine::memory::jvm_object_sizes::string_with_value(s),
        JavaKey::Integer(v) => integer_key_bytes(*v),
        JavaKey::Long(v) => boxed_long(*v),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyError {
    WrongType {
        expected: &'static str,
        found: &'static str,
        key: String,
    },
    Full,
    TooLong {
        bytes: usize,
        max: usize,
    },
}

crate::i18n::english_error!(KeyError => crate::i18n::messages::errors::key);

/// What the registry knows about one key, computed once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyInfo {
    /// Java `hashCode()`.
    pub hash_code: i32,
    /// `MathUtils.murmurHash(hashCode)`; the key group is this `% maxParallelism`.
    pub murmur_hash: i32,
    /// Heap bytes of the key object an entry keeps alive.
    pub heap_bytes: u32,
    /// Bytes the key serializer writes for it in a checkpoint.
    pub serialized_bytes: u32,
}

const NONE: u32 = u32::MAX;
/// The largest dense table: 16M keys.
const DENSE_MAX: u64 = 1 << 24;
/// The dense table covers an index only while it holds at least one key per this many slots.
const DENSE_SLOTS_PER_KEY: usize = 8;
/// Tag bit in `origins`: the rest is an index into `named` keys rather than a generated index.
const NAMED: u64 = 1 << 63;

/// All keys the job has seen. Its tables for generated keys only grow, in [`ChunkedVec`]s: clones of the
/// cluster (time-travel snapshots) share them and copy only the chunks keys seen afterwards are written into.
#[derive(Clone, Debug)]
pub struct KeyRegistry {
    format: KeyFormat,
    infos: ChunkedVec<KeyInfo, 256>,
    /// Generated index, or `NAMED | position in named_keys`.
    origins: ChunkedVec<u64, 512>,
    /// Generated index → id, grown on demand up to `dense_limit`.
    dense: ChunkedVec<u32, 256>,
    /// The source's key count, capped: generated indices below it resolve through `dense`.
    dense_limit: usize,
    /// The keys that are not (or not yet) in `dense`, usually none or a few typed by hand: copied by every
    /// clone.
    other: OtherKeys,
}

/// Keys beyond the dense table.
#[derive(Clone, Debug, Default)]
struct OtherKeys {
    /// Generated indices beyond `dense` (a key typed by hand, say `user-99999999`).
    sparse: AHashMap<u64, KeyId>,
    named_keys: Vec<JavaKey>,
    named: AHashMap<JavaKey, KeyId>,
}

/// Estimated bytes of one named key (its `JavaKey`, text, and its entries in `named_keys` and `named`).
const NAMED_KEY_BYTES: u64 = 96;
/// Estimated bytes of one entry of `sparse`.
const SPARSE_KEY_BYTES: u64 = 24;

impl SharedStorage for KeyRegistry {
    fn unshared_bytes(&self, other: Option<&Self>) -> u64 {
        let others = NAMED_KEY_BYTES * self.other.named_keys.len() as u64
            + SPARSE_KEY_BYTES * self.other.sparse.len() as u64;
        self.infos.unshared_bytes(other.map(|o| &o.infos))
            + self.origins.unshared_bytes(other.map(|o| &o.origins))
            + self.dense.unshared_bytes(other.map(|o| &o.dense))
            + others
    }
}

impl KeyRegistry {
    pub fn new(format: KeyFormat) -> Self {
        KeyRegistry {
            format,
            infos: ChunkedVec::new(),
            origins: ChunkedVec::new(),
            dense: ChunkedVec::new(),
            dense_limit: 0,
            other: OtherKeys::default(),
        }
    }

    pub fn format(&self) -> &KeyFormat {
        &self.format
    }

    /// Makes generated indices below `count` (the source's key space) resolve through a dense table, which
    /// grows as keys are first seen; at most 16M entries (64 MiB), beyond that a hash map takes over.
    pub fn reserve_generated(&mut self, count: u64) {
        let limit = count
            .min(self.format.max_index().saturating_add(1))
            .min(DENSE_MAX) as usize;
        self.dense_limit = self.dense_limit.max(limit);
    }

    /// Grows the dense table to cover `index`, moving ids the sparse map held for the new range.
    fn grow_dense(&mut self, index: usize) {
        let old = self.dense.len();
        let new_len = (index + 1).max(old * 2).max(1024).min(self.dense_limit);
        self.dense.resize(new_len, NONE);
        if !self.other.sparse.is_empty() {
            let moved: Vec<(u64, KeyId)> = self
                .other
                .sparse
                .iter()
                .filter(|(i, _)| (old..new_len).contains(&(**i as usize)))
                .map(|(i, id)| (*i, *id))
                .collect();
            let sparse = &mut self.other.sparse;
            for (i, id) in moved {
                self.dense[i as usize] = id.0;
                sparse.remove(&i);
            }
        }
    }

    /// Number of distinct keys seen.
    pub fn len(&self) -> usize {
        self.infos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.infos.is_empty()
    }

    /// The id of generated key `index`, interning it on first sight.
    #[inline]
    pub fn generated(&mut self, index: u64) -> KeyId {
        if let Some(&id) = self.dense.get(index as usize) {
            if id != NONE {
                return KeyId(id);
            }
        }
        self.intern_generated_slow(index)
    }

    #[cold]
    fn intern_generated_slow(&mut self, index: u64) -> KeyId {
        // The dense table grows only where it stays reasonably full, so that a few keys with large indices (a
        // blob from outside, say) cost a few sparse entries rather than a table as long as their indices.
        let dense_enough = (index as usize) < DENSE_SLOTS_PER_KEY * (self.infos.len() + 1024);
        if (index as usize) < self.dense_limit && index as usize >= self.dense.len() && dense_enough
        {
            self.grow_dense(index as usize);
            if self.dense[index as usize] != NONE {
                return KeyId(self.dense[index as usize]);
            }
        }
        if let Some(id) = self.other.sparse.get(&index) {
            return *id;
        }
        let id = KeyId(self.infos.len() as u32);
        let hash_code = self.format.hash_code_of(index);
        self.infos.push(KeyInfo {
            hash_code,
            murmur_hash: murmur_hash(hash_code),
            heap_bytes: self.format.heap_bytes_of(index) as u32,
            serialized_bytes: self.format.serialized_bytes_of(index) as u32,
        });
        self.origins.push(index);
        match self.dense.get_mut(index as usize) {
            Some(slot) => *slot = id.0,
            None => {
                self.other.sparse.insert(index, id);
            }
        }
        id
    }

    /// The id of any key of the job's key type (a key typed by hand, or one from a replayed list).
    pub fn intern(&mut self, key: &JavaKey) -> Result<KeyId, KeyError> {
        if key.key_type() != self.format.key_type {
            return Err(KeyError::WrongType {
                expected: self.format.key_type.java_name(),
                found: key.key_type().java_name(),
                key: key.to_string(),
            });
        }
        if let Some(index) = self.format.index_of(key) {
            return Ok(self.generated(index));
        }
        if let Some(id) = self.other.named.get(key) {
            return Ok(*id);
        }
        if let JavaKey::String(s) = key {
            if s.len() > MAX_KEY_BYTES {
                return Err(KeyError::TooLong {
                    bytes: s.len(),
                    max: MAX_KEY_BYTES,
                });
            }
        }
        if self.infos.len() >= NONE as usize {
            return Err(KeyError::Full);
        }
        let id = KeyId(self.infos.len() as u32);
        let hash_code = key.hash_code();
        self.infos.push(KeyInfo {
            hash_code,
            murmur_hash: murmur_hash(hash_code),
            heap_bytes: key_object_bytes(key) as u32,
            serialized_bytes: key_serialized_bytes(key) as u32,
        });
        self.origins
            .push(NAMED | self.other.named_keys.len() as u64);
        self.other.named_keys.push(key.clone());
        self.other.named.insert(key.clone(), id);
        Ok(id)
    }

    /// Looks a key up without interning it.
    pub fn find(&self, key: &JavaKey) -> Option<KeyId> {
        if key.key_type() != self.format.key_type {
            return None;
        }
        match self.format.index_of(key) {
            Some(index) => match self.dense.get(index as usize) {
                Some(&id) if id != NONE => Some(KeyId(id)),
                Some(_) => None,
                None => self.other.sparse.get(&index).copied(),
            },
            None => self.other.named.get(key).copied(),
        }
    }

    #[inline]
    pub fn info(&self, id: KeyId) -> KeyInfo {
        self.infos[id.0 as usize]
    }

    /// The Java key object.
    pub fn java_key(&self, id: KeyId) -> JavaKey {
        let origin = self.origins[id.0 as usize];
        if origin & NAMED != 0 {
            self.other.named_keys[(origin & !NAMED) as usize].clone()
        } else {
            self.format.key(origin)
        }
    }

    /// The key as Java's `toString()` prints it.
    pub fn display(&self, id: KeyId) -> String {
        self.java_key(id).to_string()
    }

    /// The generated index of a key, if the source generates it.
    pub fn generated_index(&self, id: KeyId) -> Option<u64> {
        let origin = self.origins[id.0 as usize];
        (origin & NAMED == 0).then_some(origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::memory::jvm_object_sizes::string_with_value;

    #[test]
    fn generated_keys_hash_like_the_strings_they_spell() {
        for format in [KeyFormat::default(), KeyFormat::padded_users()] {
            let mut reg = KeyRegistry::new(format.clone());
            for index in [0u64, 7, 10, 123, 99_999, 1_000_000, 123_456_789] {
                let id = reg.generated(index);
                let key = format.key(index);
                assert_eq!(reg.java_key(id), key);
                assert_eq!(reg.info(id).hash_code, key.hash_code(), "{key}");
                assert_eq!(
                    u64::from(reg.info(id).heap_bytes),
                    key_object_bytes(&key),
                    "{key}"
                );
                assert_eq!(
                    u64::from(reg.info(id).serialized_bytes),
                    key_serialized_bytes(&key),
                    "{key}"
                );
            }
        }
    }

    #[test]
    fn a_key_typed_by_hand_that_spells_a_generated_key_is_the_same_key() {
        let mut reg = KeyRegistry::new(KeyFormat::padded_users());
        reg.reserve_generated(1000);
        let g = reg.generated(42);
        assert_eq!(
            reg.intern(&JavaKey::String("user-000042".into())).unwrap(),
            g
        );
        // Not canonical for %06d: a different String, so a different key.
        let other = reg.intern(&JavaKey::String("user-42".into())).unwrap();
        assert_ne!(other, g);
        assert_eq!(reg.display(other), "user-42");
        // Far beyond the dense table, then the table grows over it.
        let far = reg.intern(&JavaKey::String("user-005000".into())).unwrap();
        reg.reserve_generated(10_000);
        assert_eq!(reg.generated(5000), far);
        assert_eq!(
            reg.generated(9000),
            reg.find(&JavaKey::String("user-009000".into())).unwrap()
        );
        assert_eq!(reg.find(&JavaKey::String("user-005000".into())), Some(far));
        assert_eq!(reg.len(), 4);
    }

    #[test]
    fn a_huge_key_space_allocates_only_for_keys_seen() {
        let mut reg = KeyRegistry::new(KeyFormat::default());
        reg.reserve_generated(u64::MAX);
        let a = reg.generated(1 << 40);
        let b = reg.generated(3);
        assert_eq!(reg.generated(1 << 40), a);
        assert_eq!(reg.display(a), format!("user-{}", 1u64 << 40));
        assert_ne!(a, b);
        assert!(reg.dense.len() <= 1024);
    }

    #[test]
    fn wrong_key_type_is_refused() {
        let mut reg = KeyRegistry::new(KeyFormat::default());
        let err = reg.intern(&JavaKey::Long(5)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the job is keyed by String but the key '5' is a Long"
        );
    }

    #[test]
    fn key_object_sizes() {
        assert_eq!(key_object_bytes(&JavaKey::String("user-000123".into())), 56);
        assert_eq!(
            key_object_bytes(&JavaKey::String("user-0".into())),
            string_with_value("user-0")
        );
        assert_eq!(key_object_bytes(&JavaKey::Long(5)), 0);
        assert_eq!(key_object_bytes(&JavaKey::Long(500)), 24);
        assert_eq!(key_object_bytes(&JavaKey::Integer(500)), 16);
    }

    #[test]
    fn long_and_integer_formats_use_the_number_itself() {
        let mut reg = KeyRegistry::new(KeyFormat {
            key_type: JavaKeyType::Long,
            ..KeyFormat::default()
        });
        let id = reg.generated(1 << 32);
        assert_eq!(reg.java_key(id), JavaKey::Long(1 << 32));
        assert_eq!(reg.info(id).hash_code, 1);
        assert_eq!(reg.intern(&JavaKey::Long(1 << 32)).unwrap(), id);
        assert!(reg.intern(&JavaKey::Long(-3)).is_ok());
    }
}
