//! `org.apache.flink.api.common.typeutils.TypeSerializer`, the built-in ones, as their snapshots restore them:
//! how each reads a value (`deserialize`) — `StringSerializer` (`StringValue.readString`), `LongSerializer`,
//! `IntSerializer`, …, `BytePrimitiveArraySerializer`, `ListSerializer`, `MapSerializer`, `TupleSerializer`,
//! `PojoSerializer`, `RowSerializer`, `GenericArraySerializer`, `VoidNamespaceSerializer`,
//! `TimeWindow.Serializer` and the timer queues' `TimerSerializer`. A serializer StateLab does not know (Kryo,
//! Avro, a user's own) is [`TypeSerializer::Unknown`]: its bytes are kept raw where their length is known.
//!
//! Every count is checked against the bytes left before anything is allocated, and every value read is counted
//! against a [`Budget`]; the serializer tree's depth is bounded where it is read
//! ([`type_serializer_snapshot`](crate::engine::savepoint::type_serializer_snapshot)), so is the recursion here.

use crate::engine::savepoint::data_input_deserializer::{DataInputDeserializer, ReadResult};
use crate::engine::savepoint::savepoint_error::{Counted, ReadProblem};
use crate::engine::savepoint::state_value::StateValue;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeSerializer {
    String,
    Long,
    Int,
    Short,
    Byte,
    Char,
    Float,
    Double,
    Boolean,
    BytePrimitiveArray,
    VoidNamespace,
    TimeWindow,
    List(Box<TypeSerializer>),
    Map(Box<TypeSerializer>, Box<TypeSerializer>),
    Tuple {
        class: String,
        fields: Vec<TypeSerializer>,
    },
    Pojo {
        class: String,
        fields: Vec<(String, TypeSerializer)>,
    },
    Row {
        supports_row_kind: bool,
        fields: Vec<TypeSerializer>,
    },
    GenericArray {
        class: String,
        element: Box<TypeSerializer>,
    },
    /// `TimerSerializer`: the timestamp (sign bit flipped), the key, the namespace.
    Timer {
        key: Box<TypeSerializer>,
        namespace: Box<TypeSerializer>,
    },
    /// `TtlStateFactory.TtlSerializer` (a state with time-to-live): each value a `TtlValue` — the last access
    /// time (a `long`), then the user value.
    Ttl(Box<TypeSerializer>),
    /// A serializer StateLab does not read: its snapshot's class name.
    Unknown {
        class: String,
    },
}

/// How many values one snapshot may decode (a `byte[]` or a `String` is one value).
pub const MAX_VALUES: u64 = 20_000_000;

/// Values decoded so far, against [`MAX_VALUES`].
#[derive(Clone, Debug, Default)]
pub struct Budget {
    used: u64,
}

impl Budget {
    fn take(&mut self, r: &DataInputDeserializer) -> ReadResult<()> {
        self.used += 1;
        if self.used > MAX_VALUES {
            return Err(r.error(ReadProblem::TooManyValues { max: MAX_VALUES }));
        }
        Ok(())
    }

    pub fn used(&self) -> u64 {
        self.used
    }
}

const POJO_IS_NULL: u8 = 1;
const POJO_NO_SUBCLASS: u8 = 2;
const POJO_IS_SUBCLASS: u8 = 4;
const POJO_IS_TAGGED_SUBCLASS: u8 = 8;

impl TypeSerializer {
    /// Whether every value of this serializer can be read (no [`TypeSerializer::Unknown`] inside).
    pub fn is_readable(&self) -> bool {
        match self {
            TypeSerializer::Unknown { .. } => false,
            TypeSerializer::List(e) | TypeSerializer::GenericArray { element: e, .. } => {
                e.is_readable()
            }
            TypeSerializer::Map(k, v) => k.is_readable() && v.is_readable(),
            TypeSerializer::Tuple { fields, .. } | TypeSerializer::Row { fields, .. } => {
                fields.iter().all(TypeSerializer::is_readable)
            }
            TypeSerializer::Pojo { fields, .. } => fields.iter().all(|(_, f)| f.is_readable()),
            TypeSerializer::Timer { key, namespace } => {
                key.is_readable() && namespace.is_readable()
            }
            TypeSerializer::Ttl(value) => value.is_readable(),
            _ => true,
        }
    }

    /// `getLength() < 0`: a serializer whose values have no fixed length (what makes a RocksDB-style composite key
    /// carry the key's length, `CompositeKeySerializationUtils.isAmbiguousKeyPossible`).
    pub fn is_variable_length(&self) -> bool {
        match self {
            TypeSerializer::Long
            | TypeSerializer::Int
            | TypeSerializer::Short
            | TypeSerializer::Byte
            | TypeSerializer::Char
            | TypeSerializer::Float
            | TypeSerializer::Double
            | TypeSerializer::Boolean
            | TypeSerializer::VoidNamespace
            | TypeSerializer::TimeWindow => false,
            TypeSerializer::Tuple { fields, .. } => {
                fields.iter().any(TypeSerializer::is_variable_length)
            }
            TypeSerializer::Ttl(value) => value.is_variable_length(),
            _ => true,
        }
    }

    /// The fewest bytes a value takes (what bounds a count by the bytes left).
    pub fn min_bytes(&self) -> usize {
        match self {
            TypeSerializer::Long | TypeSerializer::Double => 8,
            TypeSerializer::Int | TypeSerializer::Float | TypeSerializer::BytePrimitiveArray => 4,
            TypeSerializer::Short | TypeSerializer::Char => 2,
            TypeSerializer::Byte
            | TypeSerializer::Boolean
            | TypeSerializer::String
            | TypeSerializer::VoidNamespace
            | TypeSerializer::Pojo { .. } => 1,
            TypeSerializer::TimeWindow => 16,
            TypeSerializer::List(_)
            | TypeSerializer::Map(..)
            | TypeSerializer::GenericArray { .. } => 4,
            TypeSerializer::Tuple { fields, .. } => {
                fields.iter().map(TypeSerializer::min_bytes).sum()
            }
            TypeSerializer::Row {
                supports_row_kind,
                fields,
            } => (fields.len() + if *supports_row_kind { 2 } else { 0 }).div_ceil(8),
            TypeSerializer::Timer { key, namespace } => 8 + key.min_bytes() + namespace.min_bytes(),
            TypeSerializer::Ttl(value) => 8 + value.min_bytes(),
            TypeSerializer::Unknown { .. } => 0,
        }
    }

    /// A short name of the type: `String`, `Long`, `List<Long>`, `Map<String, Long>`, `Tuple2<Long, Long>`,
    /// `Pojo(com.example.Event)`, `Timer<String, VoidNamespace>`, the snapshot class of an unknown one.
    pub fn describe(&self) -> String {
        match self {
            TypeSerializer::String => "String".into(),
            TypeSerializer::Long => "Long".into(),
            TypeSerializer::Int => "Integer".into(),
            TypeSerializer::Short => "Short".into(),
            TypeSerializer::Byte => "Byte".into(),
            TypeSerializer::Char => "Character".into(),
            TypeSerializer::Float => "Float".into(),
            TypeSerializer::Double => "Double".into(),
            TypeSerializer::Boolean => "Boolean".into(),
            TypeSerializer::BytePrimitiveArray => "byte[]".into(),
            TypeSerializer::VoidNamespace => "VoidNamespace".into(),
            TypeSerializer::TimeWindow => "TimeWindow".into(),
            TypeSerializer::List(e) => format!("List<{}>", e.describe()),
            TypeSerializer::Map(k, v) => format!("Map<{}, {}>", k.describe(), v.describe()),
            TypeSerializer::Tuple { fields, .. } => format!(
                "Tuple{}<{}>",
                fields.len(),
                fields
                    .iter()
                    .map(TypeSerializer::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TypeSerializer::Pojo { class, .. } => format!("Pojo({class})"),
            TypeSerializer::Row { fields, .. } => format!(
                "Row({})",
                fields
                    .iter()
                    .map(TypeSerializer::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TypeSerializer::GenericArray { element, .. } => format!("{}[]", element.describe()),
            TypeSerializer::Timer { key, namespace } => {
                format!("Timer<{}, {}>", key.describe(), namespace.describe())
            }
            TypeSerializer::Ttl(value) => format!("TtlValue<{}>", value.describe()),
            TypeSerializer::Unknown { class } => class.clone(),
        }
    }

    /// `deserialize(source)`: one value. An unknown serializer takes every byte left (callers give it exactly its
    /// value's bytes, where the format delimits them).
    pub fn deserialize(
        &self,
        r: &mut DataInputDeserializer,
        budget: &mut Budget,
    ) -> ReadResult<StateValue> {
        budget.take(r)?;
        Ok(match self {
            TypeSerializer::String => read_string(r)?,
            TypeSerializer::Long => StateValue::Int(r.read_i64()?),
            TypeSerializer::Int => StateValue::Int(i64::from(r.read_i32()?)),
            TypeSerializer::Short => StateValue::Int(i64::from(r.read_i16()?)),
            TypeSerializer::Byte => StateValue::Int(i64::from(r.read_u8()? as i8)),
            TypeSerializer::Char => StateValue::Char(
                char::from_u32(u32::from(r.read_u16()?)).unwrap_or(char::REPLACEMENT_CHARACTER),
            ),
            TypeSerializer::Float => StateValue::Float(f64::from(r.read_f32()?)),
            TypeSerializer::Double => StateValue::Float(r.read_f64()?),
            TypeSerializer::Boolean => StateValue::Bool(r.read_boolean()?),
            TypeSerializer::BytePrimitiveArray => {
                let n = r.read_count(Counted::Bytes, 1)?;
                StateValue::Bytes(r.read_fully(n)?.to_vec())
            }
            TypeSerializer::VoidNamespace => {
                r.read_u8()?;
                StateValue::Null
            }
            TypeSerializer::TimeWindow => StateValue::Record(vec![
                ("start".into(), StateValue::Int(r.read_i64()?)),
                ("end".into(), StateValue::Int(r.read_i64()?)),
            ]),
            TypeSerializer::List(element) => {
                let n = r.read_count(Counted::Elements, element.min_bytes().max(1))?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(element.deserialize(r, budget)?);
                }
                StateValue::List(items)
            }
            TypeSerializer::Map(key, value) => {
                let n = r.read_count(Counted::Elements, (key.min_bytes() + 1).max(1))?;
                let mut entries = Vec::with_capacity(n);
                for _ in 0..n {
                    let k = key.deserialize(r, budget)?;
                    let v = if r.read_boolean()? {
                        StateValue::Null
                    } else {
                        value.deserialize(r, budget)?
                    };
                    entries.push((k, v));
                }
                StateValue::Map(entries)
            }
            TypeSerializer::GenericArray { element, .. } => {
                let n = r.read_count(Counted::Elements, 1)?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(if r.read_boolean()? {
                        StateValue::Null
                    } else {
                        element.deserialize(r, budget)?
                    });
                }
                StateValue::List(items)
            }
            TypeSerializer::Tuple { fields, .. } => {
                let mut out = Vec::with_capacity(fields.len());
                for (i, f) in fields.iter().enumerate() {
                    out.push((format!("f{i}"), f.deserialize(r, budget)?));
                }
                StateValue::Record(out)
            }
            TypeSerializer::Pojo { class, fields } => {
                let start = r.position();
                let flags = r.read_u8()?;
                if flags & POJO_IS_NULL != 0 {
                    StateValue::Null
                } else if flags & (POJO_IS_SUBCLASS | POJO_IS_TAGGED_SUBCLASS) != 0 {
                    // A subclass, written by a serializer the snapshot names only by class: raw.
                    let _ = start;
                    let rest = r.available();
                    StateValue::Raw {
                        class: class.clone(),
                        bytes: r.read_fully(rest)?.to_vec(),
                    }
                } else if flags & POJO_NO_SUBCLASS != 0 {
                    let mut out = Vec::with_capacity(fields.len());
                    for (name, f) in fields {
                        let v = if r.read_boolean()? {
                            StateValue::Null
                        } else {
                            f.deserialize(r, budget)?
                        };
                        out.push((name.clone(), v));
                    }
                    StateValue::Record(out)
                } else {
                    return Err(r.error(ReadProblem::BadMagic {
                        expected: u32::from(POJO_NO_SUBCLASS),
                        found: u32::from(flags),
                    }));
                }
            }
            TypeSerializer::Row {
                supports_row_kind,
                fields,
            } => {
                let offset = if *supports_row_kind { 2 } else { 0 };
                let len = fields.len() + offset;
                let mask = r.read_fully(len.div_ceil(8))?;
                let bit = |i: usize| mask[i / 8] & (0x80 >> (i % 8)) != 0;
                let kind = if *supports_row_kind {
                    u8::from(bit(0)) | (u8::from(bit(1)) << 1)
                } else {
                    0
                };
                let mut out = Vec::with_capacity(fields.len());
                for (i, f) in fields.iter().enumerate() {
                    out.push(if bit(offset + i) {
                        StateValue::Null
                    } else {
                        f.deserialize(r, budget)?
                    });
                }
                StateValue::Row { kind, fields: out }
            }
            TypeSerializer::Timer { key, namespace } => {
                let timestamp = r.read_i64()? ^ i64::MIN;
                StateValue::Record(vec![
                    ("timestamp".into(), StateValue::Int(timestamp)),
                    ("key".into(), key.deserialize(r, budget)?),
                    ("namespace".into(), namespace.deserialize(r, budget)?),
                ])
            }
            TypeSerializer::Ttl(value) => {
                let last_access = r.read_i64()?;
                StateValue::Record(vec![
                    ("userValue".into(), value.deserialize(r, budget)?),
                    ("lastAccessTimestamp".into(), StateValue::Int(last_access)),
                ])
            }
            TypeSerializer::Unknown { class } => {
                let rest = r.available();
                StateValue::Raw {
                    class: class.clone(),
                    bytes: r.read_fully(rest)?.to_vec(),
                }
            }
        })
    }
}

/// A varint of `StringValue`: 7 bits a byte, least significant first, the high bit set on all but the last;
/// at most `max_bytes` bytes.
fn read_varint(r: &mut DataInputDeserializer, max_bytes: u32) -> ReadResult<u32> {
    let mut value = 0u32;
    for i in 0..max_bytes {
        let b = u32::from(r.read_u8()?);
        value |= (b & 0x7f) << (7 * i);
        if b < 0x80 {
            return Ok(value);
        }
    }
    Err(r.error(ReadProblem::BadText))
}

/// `StringValue.readString`: the length + 1 as a varint (0 is `null`), then each UTF-16 unit as a varint.
fn read_string(r: &mut DataInputDeserializer) -> ReadResult<StateValue> {
    let len = read_varint(r, 5)?;
    if len == 0 {
        return Ok(StateValue::Null);
    }
    let len = (len - 1) as usize;
    if len > r.available() {
        return Err(r.error(ReadProblem::CountBeyondBytes {
            what: Counted::Bytes,
            count: len as u64,
            left: r.available() as u64,
        }));
    }
    let mut units = Vec::with_capacity(len);
    for _ in 0..len {
        // A char is 16 bits: three varint bytes at most (Java keeps the low 16 bits of what it reads).
        units.push(read_varint(r, 3)? as u16);
    }
    Ok(StateValue::Str(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &TypeSerializer, bytes: &[u8]) -> StateValue {
        let mut r = DataInputDeserializer::new(bytes);
        let v = s.deserialize(&mut r, &mut Budget::default()).unwrap();
        assert_eq!(r.available(), 0);
        v
    }

    #[test]
    fn strings_read_as_string_value_writes_them() {
        assert_eq!(
            read(&TypeSerializer::String, &[3, b'k', b'9']),
            StateValue::Str("k9".into())
        );
        assert_eq!(read(&TypeSerializer::String, &[0]), StateValue::Null);
        // "é" (U+00E9 = 0b1_1101001): 0xE9 | 0x80 then 0x01.
        assert_eq!(
            read(&TypeSerializer::String, &[2, 0xE9, 0x01]),
            StateValue::Str("é".into())
        );
        let mut r = DataInputDeserializer::new(&[0x80, 0x80, 0x80, 0x80, 0x08]);
        assert!(TypeSerializer::String
            .deserialize(&mut r, &mut Budget::default())
            .is_err());
    }

    #[test]
    fn containers_bound_their_counts_by_the_bytes_left() {
        let list = TypeSerializer::List(Box::new(TypeSerializer::Long));
        let mut r = DataInputDeserializer::new(&[0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1]);
        let e = list
            .deserialize(&mut r, &mut Budget::default())
            .unwrap_err();
        assert!(matches!(
            e.problem,
            ReadProblem::CountBeyondBytes { count: 2, .. }
        ));
    }

    #[test]
    fn rows_carry_their_kind_and_null_mask() {
        let row = TypeSerializer::Row {
            supports_row_kind: true,
            fields: vec![TypeSerializer::Int, TypeSerializer::Int],
        };
        // kind +U (2): bits 0,1 = 0,1; field 1 null: bit 3.
        let v = read(&row, &[0b0101_0000, 0, 0, 0, 7]);
        assert_eq!(
            v,
            StateValue::Row {
                kind: 2,
                fields: vec![StateValue::Int(7), StateValue::Null]
            }
        );
    }

    #[test]
    fn timers_flip_the_timestamps_sign_bit() {
        let t = TypeSerializer::Timer {
            key: Box::new(TypeSerializer::String),
            namespace: Box::new(TypeSerializer::VoidNamespace),
        };
        let mut bytes = (1000i64 ^ i64::MIN).to_be_bytes().to_vec();
        bytes.extend([2, b'a', 0]);
        assert_eq!(
            read(&t, &bytes),
            StateValue::Record(vec![
                ("timestamp".into(), StateValue::Int(1000)),
                ("key".into(), StateValue::Str("a".into())),
                ("namespace".into(), StateValue::Null),
            ])
        );
    }
}
