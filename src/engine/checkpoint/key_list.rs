//! Lists of key texts read from JSON that may come from anyone (a checkpoint blob's named keys, a job's replay
//! list), bounded while they are read: a list keeps at most one element more than its cap and a key at most one
//! byte more than [`MAX_KEY_BYTES`], whatever the document holds, so the checks after parsing
//! ([`JobConfig::validate`](crate::engine::cluster::job_config::JobConfig::validate), the blob reader) see that a cap was passed
//! and say which, while memory stays bounded by the caps rather than by what the document claims. StateLab's own
//! JSON mirror of a `List<String>`; Flink has no counterpart (its savepoint reader trusts its input).

use crate::engine::keys::java_key::MAX_KEY_BYTES;
use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use std::fmt;

/// The most keys a job's source replays.
pub const MAX_REPLAY_KEYS: usize = 100_000;

/// A key's text, cut after `MAX_KEY_BYTES + 1` bytes (on a character boundary) so that the check after parsing
/// still sees it is too long.
struct BoundedKey(String);

impl<'de> serde::Deserialize<'de> for BoundedKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = BoundedKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key as a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<BoundedKey, E> {
                let mut end = v.len().min(MAX_KEY_BYTES + 1);
                while !v.is_char_boundary(end) {
                    end += 1;
                }
                Ok(BoundedKey(v[..end].to_owned()))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

struct BoundedKeys {
    max: usize,
}

impl<'de> Visitor<'de> for BoundedKeys {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of keys")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
        // Capacity from what arrives, never from a size the document states.
        let mut keys = Vec::new();
        while keys.len() <= self.max {
            match seq.next_element::<BoundedKey>()? {
                Some(BoundedKey(key)) => keys.push(key),
                None => return Ok(keys),
            }
        }
        // Over the cap: read the rest without keeping it.
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(keys)
    }
}

/// A list of at most `max + 1` keys (one more than `max` says the list was longer).
pub fn bounded<'de, D: Deserializer<'de>>(d: D, max: usize) -> Result<Vec<String>, D::Error> {
    d.deserialize_seq(BoundedKeys { max })
}

/// `source.replay`: `null` or a list, bounded by [`MAX_REPLAY_KEYS`].
pub fn replay<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    struct OptionVisitor;
    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<Vec<String>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("null or a list of keys")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            bounded(d, MAX_REPLAY_KEYS).map(Some)
        }
    }
    d.deserialize_option(OptionVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Doc {
        #[serde(default, deserialize_with = "replay")]
        replay: Option<Vec<String>>,
    }

    fn parse(json: &str) -> Option<Vec<String>> {
        serde_json::from_str::<Doc>(json).unwrap().replay
    }

    #[test]
    fn a_list_keeps_one_key_beyond_its_cap_and_no_more() {
        let many = format!(
            "{{\"replay\": [{}\"last\"]}}",
            "\"a\",".repeat(MAX_REPLAY_KEYS + 50)
        );
        let keys = parse(&many).unwrap();
        assert_eq!(keys.len(), MAX_REPLAY_KEYS + 1);
        let exact = format!(
            "{{\"replay\": [{}\"z\"]}}",
            "\"a\",".repeat(MAX_REPLAY_KEYS - 1)
        );
        assert_eq!(parse(&exact).unwrap().len(), MAX_REPLAY_KEYS);
    }

    #[test]
    fn a_key_is_cut_just_beyond_the_longest_key_on_a_character_boundary() {
        let long = "é".repeat(MAX_KEY_BYTES);
        let keys = parse(&format!("{{\"replay\": [\"{long}\", \"b\"]}}")).unwrap();
        assert!(keys[0].len() > MAX_KEY_BYTES && keys[0].len() <= MAX_KEY_BYTES + 2);
        assert!(long.starts_with(&keys[0]));
        assert_eq!(keys[1], "b");
    }

    #[test]
    fn null_and_absent_are_no_list() {
        assert_eq!(parse("{}"), None);
        assert_eq!(parse("{\"replay\": null}"), None);
        assert_eq!(parse("{\"replay\": []}"), Some(vec![]));
        assert!(serde_json::from_str::<Doc>("{\"replay\": [1]}").is_err());
    }
}
