//! `org.apache.flink.core.memory.DataOutputSerializer`: big-endian writes into a growing byte buffer, as
//! `java.io.DataOutputStream` writes them — `writeUTF`'s modified UTF-8 with its 65,535-byte limit included — and
//! `StringValue.writeString`, the bytes of Flink's `StringSerializer`. The write side of
//! [`DataInputDeserializer`](crate::engine::savepoint::data_input_deserializer::DataInputDeserializer).

/// `writeUTF` was given a text longer than 65,535 bytes in modified UTF-8 (Java's `UTFDataFormatException`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UtfTooLong {
    pub bytes: usize,
}

/// The most bytes `writeUTF` writes (its length is an unsigned short).
pub const MAX_UTF_BYTES: usize = u16::MAX as usize;

#[derive(Clone, Debug, Default)]
pub struct DataOutputSerializer {
    bytes: Vec<u8>,
}

impl DataOutputSerializer {
    pub fn new() -> Self {
        Self::default()
    }

    /// `length()`: the bytes written so far (a key group's offset is the position it starts at).
    pub fn position(&self) -> usize {
        self.bytes.len()
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    pub fn write_u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub fn write_boolean(&mut self, v: bool) {
        self.bytes.push(u8::from(v));
    }

    /// `writeShort`: the low 16 bits.
    pub fn write_u16(&mut self, v: u16) {
        self.bytes.extend_from_slice(&v.to_be_bytes());
    }

    pub fn write_i32(&mut self, v: i32) {
        self.bytes.extend_from_slice(&v.to_be_bytes());
    }

    pub fn write_i64(&mut self, v: i64) {
        self.bytes.extend_from_slice(&v.to_be_bytes());
    }

    pub fn write_bytes(&mut self, v: &[u8]) {
        self.bytes.extend_from_slice(v);
    }

    /// `writeUTF`: an unsigned short length, then each UTF-16 unit in modified UTF-8 (1 to 3 bytes; `\0` in two).
    pub fn write_utf(&mut self, text: &str) -> Result<(), UtfTooLong> {
        let unit_bytes = |u: u16| match u {
            0x0001..=0x007F => 1,
            0x0000 | 0x0080..=0x07FF => 2,
            _ => 3,
        };
        let n: usize = text.encode_utf16().map(unit_bytes).sum();
        let length = u16::try_from(n).map_err(|_| UtfTooLong { bytes: n })?;
        self.write_u16(length);
        self.bytes.reserve(n);
        for u in text.encode_utf16() {
            match unit_bytes(u) {
                1 => self.bytes.push(u as u8),
                2 => self
                    .bytes
                    .extend_from_slice(&[0xC0 | (u >> 6) as u8, 0x80 | (u & 0x3F) as u8]),
                _ => self.bytes.extend_from_slice(&[
                    0xE0 | (u >> 12) as u8,
                    0x80 | ((u >> 6) & 0x3F) as u8,
                    0x80 | (u & 0x3F) as u8,
                ]),
            }
        }
        Ok(())
    }

    /// `StringValue.writeString` (what `StringSerializer.serialize` writes): the length + 1 in UTF-16 units as a
    /// varint, then each unit as a varint — 7 bits a byte, least significant first, the high bit on all but the
    /// last byte.
    pub fn write_string_value(&mut self, text: &str) {
        let units = text.encode_utf16().count();
        self.write_varint(units as u64 + 1);
        for u in text.encode_utf16() {
            self.write_varint(u64::from(u));
        }
    }

    fn write_varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::savepoint::data_input_deserializer::DataInputDeserializer;
    use crate::engine::savepoint::state_value::StateValue;
    use crate::engine::savepoint::type_serializer::{Budget, TypeSerializer};

    #[test]
    fn utf_is_what_the_reader_reads_back_in_modified_utf8() {
        for text in ["event-counter-op", "", "a\0b", "ключ", "键", "\u{1F600}"] {
            let mut out = DataOutputSerializer::new();
            out.write_utf(text).unwrap();
            let bytes = out.into_bytes();
            let mut r = DataInputDeserializer::new(&bytes);
            assert_eq!(r.read_utf().unwrap(), text);
            assert_eq!(r.available(), 0);
        }
        let mut out = DataOutputSerializer::new();
        out.write_utf("a\0").unwrap();
        // Java writes NUL as C0 80 and a supplementary character as two three-byte surrogates.
        assert_eq!(out.into_bytes(), [0, 3, b'a', 0xC0, 0x80]);
    }

    #[test]
    fn utf_refuses_more_than_65535_bytes() {
        let mut out = DataOutputSerializer::new();
        assert_eq!(
            out.write_utf(&"é".repeat(40_000)),
            Err(UtfTooLong { bytes: 80_000 })
        );
        assert_eq!(out.position(), 0);
        assert!(out.write_utf(&"x".repeat(MAX_UTF_BYTES)).is_ok());
    }

    #[test]
    fn string_values_read_back_through_the_string_serializer() {
        for text in [
            "k9",
            "",
            "user-123",
            "é",
            "键",
            "\u{1F600}",
            &"x".repeat(300),
        ] {
            let mut out = DataOutputSerializer::new();
            out.write_string_value(text);
            let bytes = out.into_bytes();
            let mut r = DataInputDeserializer::new(&bytes);
            let v = TypeSerializer::String
                .deserialize(&mut r, &mut Budget::default())
                .unwrap();
            assert_eq!(v, StateValue::Str(text.to_owned()));
            assert_eq!(r.available(), 0);
        }
        let mut out = DataOutputSerializer::new();
        out.write_string_value("k9");
        assert_eq!(out.into_bytes(), [3, b'k', b'9']);
    }
}
