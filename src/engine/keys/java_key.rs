//! The Java key objects a Flink `keyBy` can produce here — `String`, `Integer` and `Long` — and their
//! `hashCode()`, which is where key-group assignment starts (`KeyGroupRangeAssignment.assignToKeyGroup` calls
//! `key.hashCode()`). `String.hashCode()` runs over UTF-16 code units, so a character outside the BMP counts
//! twice, exactly as in the JDK.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest key StateLab accepts, in UTF-8 bytes: far beyond any key a person types or a replayed list
/// holds, small enough that a key read from a blob or a link cannot cost much memory.
pub const MAX_KEY_BYTES: usize = 1024;

/// The Java type of a key, as named in Flink's type system (`Types.STRING`, `Types.INT`, `Types.LONG`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum JavaKeyType {
    String,
    Integer,
    Long,
}

impl JavaKeyType {
    /// The name Java (and `keygroups-sample.jsonl`) uses for the type.
    pub const fn java_name(self) -> &'static str {
        match self {
            JavaKeyType::String => "String",
            JavaKeyType::Integer => "Integer",
            JavaKeyType::Long => "Long",
        }
    }

    /// Parses `String`, `Integer` or `Long` (also the `java.lang.` names).
    pub fn from_java_name(name: &str) -> Option<Self> {
        match name.strip_prefix("java.lang.").unwrap_or(name) {
            "String" => Some(JavaKeyType::String),
            "Integer" => Some(JavaKeyType::Integer),
            "Long" => Some(JavaKeyType::Long),
            _ => None,
        }
    }
}

/// One key object. Equality is Java `equals`: an `Integer 42` and a `Long 42L` are different keys even though
/// their hash codes (and so their key groups) are the same.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum JavaKey {
    String(String),
    Integer(i32),
    Long(i64),
}

impl JavaKey {
    pub fn key_type(&self) -> JavaKeyType {
        match self {
            JavaKey::String(_) => JavaKeyType::String,
            JavaKey::Integer(_) => JavaKeyType::Integer,
            JavaKey::Long(_) => JavaKeyType::Long,
        }
    }

    /// Java's `hashCode()` of the key object.
    pub fn hash_code(&self) -> i32 {
        match self {
            JavaKey::String(s) => string_hash_code(s),
            JavaKey::Integer(v) => integer_hash_code(*v),
            JavaKey::Long(v) => long_hash_code(*v),
        }
    }
}

impl fmt::Display for JavaKey {
    /// Java's `toString()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JavaKey::String(s) => f.write_str(s),
            JavaKey::Integer(v) => write!(f, "{v}"),
            JavaKey::Long(v) => write!(f, "{v}"),
        }
    }
}

/// `String.hashCode()`: `h = 31 * h + c` over the UTF-16 code units, wrapping.
pub fn string_hash_code(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// `Integer.hashCode(v)` is the value itself.
pub const fn integer_hash_code(v: i32) -> i32 {
    v
}

/// `Long.hashCode(v)` = `(int) (v ^ (v >>> 32))`.
pub const fn long_hash_code(v: i64) -> i32 {
    (v ^ ((v as u64) >> 32) as i64) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_hash_code_matches_java() {
        assert_eq!(string_hash_code(""), 0);
        assert_eq!(string_hash_code("a"), 97);
        assert_eq!(string_hash_code("hello"), 99_162_322);
        assert_eq!(string_hash_code("user-1"), -836_031_825);
        assert_eq!(string_hash_code("user-000123"), 736_447_044);
    }

    #[test]
    fn string_hash_code_counts_a_supplementary_character_as_two_utf16_units() {
        // U+1F600 is the surrogate pair D83D DE00 in Java.
        let expected = 0xD83Di32.wrapping_mul(31).wrapping_add(0xDE00);
        assert_eq!(string_hash_code("\u{1F600}"), expected);
    }

    #[test]
    fn long_hash_code_folds_the_high_word() {
        assert_eq!(long_hash_code(-1), 0);
        assert_eq!(long_hash_code(1 << 32), 1);
        assert_eq!(long_hash_code(42), 42);
        assert_eq!(
            JavaKey::Long(42).hash_code(),
            JavaKey::Integer(42).hash_code()
        );
        assert_ne!(JavaKey::Long(42), JavaKey::Integer(42));
    }

    #[test]
    fn key_type_names_round_trip() {
        for t in [JavaKeyType::String, JavaKeyType::Integer, JavaKeyType::Long] {
            assert_eq!(JavaKeyType::from_java_name(t.java_name()), Some(t));
        }
        assert_eq!(
            JavaKeyType::from_java_name("java.lang.Long"),
            Some(JavaKeyType::Long)
        );
        assert_eq!(JavaKeyType::from_java_name("Short"), None);
    }
}
