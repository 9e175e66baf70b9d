//! `org.apache.flink.api.common.typeutils.TypeSerializerSnapshot` as Flink 2.x reads it back
//! (`TypeSerializerSnapshotSerializationUtil.readSerializerSnapshot`, `TypeSerializerSnapshot.readVersionedSnapshot`):
//! the snapshot class's name, its version, then what that class writes — nothing for the simple ones
//! (`SimpleTypeSerializerSnapshot`), `CompositeTypeSerializerSnapshot`'s magic number, outer snapshot and
//! `NestedSerializersSnapshotDelegate` for lists, maps, tuples, rows, arrays and timers,
//! `PojoSerializerSnapshotData`'s and `KryoSerializerSnapshotData`'s `LinkedOptionalMap`s (framed, so a field of
//! an unknown kind is skipped). Each snapshot becomes the [`TypeSerializer`] it restores.
//!
//! A snapshot class StateLab does not know ends the reading of what follows it (its bytes have no length):
//! [`ReadProblem::UnknownSnapshot`] — except inside a POJO's framed fields, where it becomes
//! [`TypeSerializer::Unknown`]. Nesting is bounded by [`MAX_NESTING`].

use crate::engine::savepoint::data_input_deserializer::{DataInputDeserializer, ReadResult};
use crate::engine::savepoint::savepoint_error::{excerpt, Counted, ReadProblem};
use crate::engine::savepoint::type_serializer::TypeSerializer;

/// How deep serializers may nest (a `Map<String, List<Tuple2<…>>>` is 4).
pub const MAX_NESTING: u32 = 16;

/// `CompositeTypeSerializerSnapshot.MAGIC_NUMBER`.
pub const COMPOSITE_MAGIC: i32 = 911_108;
/// `NestedSerializersSnapshotDelegate.MAGIC_NUMBER`.
pub const NESTED_MAGIC: i32 = 1_333_245;
/// `LinkedOptionalMapSerializer.HEADER`.
pub const OPTIONAL_MAP_HEADER: i64 = 5_440_760_593_776;

/// A serializer snapshot: the class that wrote it and the serializer it restores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SerializerSnapshot {
    pub class: String,
    pub version: i32,
    pub serializer: TypeSerializer,
}

const BASE: &str = "org.apache.flink.api.common.typeutils.base.";

/// The simple snapshots (no payload at version 3) and the serializers they restore.
fn simple(class: &str) -> Option<TypeSerializer> {
    let base = class.strip_prefix(BASE);
    Some(match base {
        Some("StringSerializer$StringSerializerSnapshot") => TypeSerializer::String,
        Some("LongSerializer$LongSerializerSnapshot") => TypeSerializer::Long,
        Some("IntSerializer$IntSerializerSnapshot") => TypeSerializer::Int,
        Some("ShortSerializer$ShortSerializerSnapshot") => TypeSerializer::Short,
        Some("ByteSerializer$ByteSerializerSnapshot") => TypeSerializer::Byte,
        Some("CharSerializer$CharSerializerSnapshot") => TypeSerializer::Char,
        Some("FloatSerializer$FloatSerializerSnapshot") => TypeSerializer::Float,
        Some("DoubleSerializer$DoubleSerializerSnapshot") => TypeSerializer::Double,
        Some("BooleanSerializer$BooleanSerializerSnapshot") => TypeSerializer::Boolean,
        Some("array.BytePrimitiveArraySerializer$BytePrimitiveArraySerializerSnapshot") => {
            TypeSerializer::BytePrimitiveArray
        }
        _ => match class {
            "org.apache.flink.runtime.state.VoidNamespaceSerializer$VoidNamespaceSerializerSnapshot" => {
                TypeSerializer::VoidNamespace
            }
            "org.apache.flink.streaming.api.windowing.windows.TimeWindow$Serializer$TimeWindowSerializerSnapshot" => {
                TypeSerializer::TimeWindow
            }
            _ => return None,
        },
    })
}

/// `readSerializerSnapshot`: the proxy's version (2), then the versioned snapshot.
pub fn read_serializer_snapshot(r: &mut DataInputDeserializer) -> ReadResult<SerializerSnapshot> {
    let at = r.position();
    let proxy_version = r.read_i32()?;
    if proxy_version != 2 {
        let mut e = r.error(ReadProblem::SnapshotProxyVersion(proxy_version));
        e.offset = at as u64;
        return Err(e);
    }
    read_versioned_snapshot(r, 0)
}

/// `TypeSerializerSnapshot.readVersionedSnapshot`: the class name, the version, the class's own payload.
pub fn read_versioned_snapshot(
    r: &mut DataInputDeserializer,
    depth: u32,
) -> ReadResult<SerializerSnapshot> {
    if depth > MAX_NESTING {
        return Err(r.error(ReadProblem::TooDeep(MAX_NESTING)));
    }
    let at = r.position();
    let class = r.read_utf()?;
    let version = r.read_i32()?;
    let unknown = |class: &str| DataInputErrorAt(at).unknown(class);
    let serializer = if let Some(s) = simple(&class) {
        if version < 3 {
            // SimpleTypeSerializerSnapshot before version 3 wrote the serializer's class name.
            r.read_utf()?;
        }
        s
    } else {
        match class.as_str() {
            "org.apache.flink.api.common.typeutils.base.ListSerializerSnapshot" => {
                let (_, mut nested) = read_composite(r, depth, Outer::None)?;
                one_nested(r, &mut nested, 1)?;
                TypeSerializer::List(Box::new(nested.remove(0)))
            }
            "org.apache.flink.api.common.typeutils.base.MapSerializerSnapshot" => {
                let (_, mut nested) = read_composite(r, depth, Outer::None)?;
                one_nested(r, &mut nested, 2)?;
                let value = nested.remove(1);
                TypeSerializer::Map(Box::new(nested.remove(0)), Box::new(value))
            }
            "org.apache.flink.api.common.typeutils.base.GenericArraySerializerSnapshot" => {
                let (outer, mut nested) = read_composite(r, depth, Outer::ClassName)?;
                one_nested(r, &mut nested, 1)?;
                TypeSerializer::GenericArray {
                    class: outer.class,
                    element: Box::new(nested.remove(0)),
                }
            }
            "org.apache.flink.api.java.typeutils.runtime.TupleSerializerSnapshot" => {
                let (outer, fields) = read_composite(r, depth, Outer::ClassName)?;
                TypeSerializer::Tuple {
                    class: outer.class,
                    fields,
                }
            }
            "org.apache.flink.api.java.typeutils.runtime.RowSerializer$RowSerializerSnapshot" => {
                let (outer, fields) = read_composite(r, depth, Outer::RowKind)?;
                TypeSerializer::Row {
                    supports_row_kind: outer.supports_row_kind,
                    fields,
                }
            }
            "org.apache.flink.runtime.state.ttl.TtlStateFactory$TtlSerializerSnapshot" => {
                // Nested: the timestamp's `LongSerializer`, then the user value's serializer.
                let (_, mut nested) = read_composite(r, depth, Outer::None)?;
                one_nested(r, &mut nested, 2)?;
                TypeSerializer::Ttl(Box::new(nested.remove(1)))
            }
            "org.apache.flink.streaming.api.operators.TimerSerializerSnapshot" => {
                let (_, mut nested) = read_composite(r, depth, Outer::None)?;
                one_nested(r, &mut nested, 2)?;
                let namespace = nested.remove(1);
                TypeSerializer::Timer {
                    key: Box::new(nested.remove(0)),
                    namespace: Box::new(namespace),
                }
            }
            "org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot" => {
                read_pojo(r, depth)?
            }
            "org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializerSnapshot" => {
                // KryoSerializerSnapshotData: the type's class, then the Kryo registrations, default serializers
                // and default serializer classes as three LinkedOptionalMaps.
                let type_class = r.read_utf()?;
                for _ in 0..3 {
                    skip_optional_map(r, |_, _| Ok(()))?;
                }
                TypeSerializer::Unknown {
                    class: format!("Kryo({type_class})"),
                }
            }
            _ => return Err(unknown(&class)),
        }
    };
    Ok(SerializerSnapshot {
        class,
        version,
        serializer,
    })
}

struct DataInputErrorAt(usize);

impl DataInputErrorAt {
    fn unknown(&self, class: &str) -> crate::engine::savepoint::data_input_deserializer::ReadError {
        crate::engine::savepoint::data_input_deserializer::ReadError {
            offset: self.0 as u64,
            problem: ReadProblem::UnknownSnapshot {
                class: excerpt(class),
            },
        }
    }
}

/// What a composite snapshot writes before its nested snapshots (`writeOuterSnapshot`).
#[derive(Clone, Copy)]
enum Outer {
    None,
    /// The tuple's or the array component's class name.
    ClassName,
    /// `RowSerializerSnapshot`: from outer version 4 a boolean `supportsRowKind` (version 3: true, before: false).
    RowKind,
}

#[derive(Default)]
struct OuterSnapshot {
    class: String,
    supports_row_kind: bool,
}

/// `CompositeTypeSerializerSnapshot.readSnapshot` (version 3): magic number, outer version, outer snapshot, then
/// `NestedSerializersSnapshotDelegate`: magic number, version, count, each nested snapshot versioned.
fn read_composite(
    r: &mut DataInputDeserializer,
    depth: u32,
    outer: Outer,
) -> ReadResult<(OuterSnapshot, Vec<TypeSerializer>)> {
    expect_magic(r, COMPOSITE_MAGIC)?;
    let outer_version = r.read_i32()?;
    let mut o = OuterSnapshot::default();
    match outer {
        Outer::None => {}
        Outer::ClassName => o.class = r.read_utf()?,
        Outer::RowKind => {
            o.supports_row_kind = match outer_version {
                v if v < 3 => false,
                3 => true,
                _ => r.read_boolean()?,
            }
        }
    }
    expect_magic(r, NESTED_MAGIC)?;
    let _nested_version = r.read_i32()?;
    // A nested snapshot is at least a class name's length and a version.
    let n = r.read_count(Counted::Serializers, 6)?;
    let mut nested = Vec::with_capacity(n);
    for _ in 0..n {
        nested.push(read_versioned_snapshot(r, depth + 1)?.serializer);
    }
    Ok((o, nested))
}

fn expect_magic(r: &mut DataInputDeserializer, expected: i32) -> ReadResult<()> {
    let at = r.position();
    let found = r.read_i32()?;
    if found != expected {
        let mut e = r.error(ReadProblem::BadMagic {
            expected: expected as u32,
            found: found as u32,
        });
        e.offset = at as u64;
        return Err(e);
    }
    Ok(())
}

/// Exactly `n` nested serializers, or an error.
fn one_nested(
    r: &DataInputDeserializer,
    nested: &mut [TypeSerializer],
    n: usize,
) -> ReadResult<()> {
    if nested.len() != n {
        return Err(r.error(ReadProblem::CountBeyondBytes {
            what: Counted::Serializers,
            count: nested.len() as u64,
            left: n as u64,
        }));
    }
    Ok(())
}

/// A frame of `LinkedOptionalMapSerializer`: an int length, then that many bytes.
fn read_frame<'a>(r: &mut DataInputDeserializer<'a>) -> ReadResult<&'a [u8]> {
    let n = r.read_count(Counted::Bytes, 1)?;
    r.read_fully(n)
}

/// `LinkedOptionalMapSerializer.readOptionalMap`: header, count, then per entry its name, and the key's and the
/// value's frames, each present or not; `value` is given each entry's name and value frame.
fn skip_optional_map<'a>(
    r: &mut DataInputDeserializer<'a>,
    mut value: impl FnMut(String, Option<&'a [u8]>) -> ReadResult<()>,
) -> ReadResult<()> {
    let at = r.position();
    let header = r.read_i64()?;
    if header != OPTIONAL_MAP_HEADER {
        let mut e = r.error(ReadProblem::BadMagic {
            expected: OPTIONAL_MAP_HEADER as u32,
            found: header as u32,
        });
        e.offset = at as u64;
        return Err(e);
    }
    // Per entry at least a name's length and two presence flags.
    let n = r.read_count(Counted::Fields, 4)?;
    for _ in 0..n {
        let name = r.read_utf()?;
        if r.read_boolean()? {
            read_frame(r)?;
        }
        let frame = if r.read_boolean()? {
            Some(read_frame(r)?)
        } else {
            None
        };
        value(name, frame)?;
    }
    Ok(())
}

/// `PojoSerializerSnapshotData`: the POJO's class, its fields' snapshots (by field name), then its registered and
/// non-registered subclasses' snapshots (skipped: their values are read raw).
fn read_pojo(r: &mut DataInputDeserializer, depth: u32) -> ReadResult<TypeSerializer> {
    let class = r.read_utf()?;
    let fields_at = r.position() as u64;
    let mut fields = Vec::new();
    skip_optional_map(r, |name, frame| {
        let serializer = match frame {
            Some(bytes) => {
                let mut inner = DataInputDeserializer::new(bytes);
                match read_versioned_snapshot(&mut inner, depth + 1) {
                    Ok(s) => s.serializer,
                    Err(e) => match e.problem {
                        ReadProblem::UnknownSnapshot { class } => TypeSerializer::Unknown { class },
                        ReadProblem::TooDeep(_) => {
                            return Err(
                                crate::engine::savepoint::data_input_deserializer::ReadError {
                                    offset: fields_at,
                                    problem: e.problem,
                                },
                            )
                        }
                        _ => TypeSerializer::Unknown {
                            class: "?".to_owned(),
                        },
                    },
                }
            }
            None => TypeSerializer::Unknown {
                class: "?".to_owned(),
            },
        };
        fields.push((name, serializer));
        Ok(())
    })?;
    skip_optional_map(r, |_, _| Ok(()))?;
    skip_optional_map(r, |_, _| Ok(()))?;
    Ok(TypeSerializer::Pojo { class, fields })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf(out: &mut Vec<u8>, s: &str) {
        out.extend((s.len() as u16).to_be_bytes());
        out.extend(s.as_bytes());
    }

    fn versioned(out: &mut Vec<u8>, class: &str) {
        utf(out, class);
        out.extend(3i32.to_be_bytes());
    }

    /// A composite snapshot's header (magic, outer version 1, nested magic, nested version 1) and its count of
    /// nested snapshots.
    fn composite_header(out: &mut Vec<u8>, nested: i32) {
        out.extend(COMPOSITE_MAGIC.to_be_bytes());
        out.extend(1i32.to_be_bytes());
        out.extend(NESTED_MAGIC.to_be_bytes());
        out.extend(1i32.to_be_bytes());
        out.extend(nested.to_be_bytes());
    }

    #[test]
    fn a_map_snapshot_nests_its_key_and_value_snapshots() {
        let mut b = Vec::new();
        versioned(
            &mut b,
            "org.apache.flink.api.common.typeutils.base.MapSerializerSnapshot",
        );
        composite_header(&mut b, 2);
        versioned(
            &mut b,
            "org.apache.flink.api.common.typeutils.base.StringSerializer$StringSerializerSnapshot",
        );
        versioned(
            &mut b,
            "org.apache.flink.api.common.typeutils.base.LongSerializer$LongSerializerSnapshot",
        );
        let mut r = DataInputDeserializer::new(&b);
        let s = read_versioned_snapshot(&mut r, 0).unwrap();
        assert_eq!(s.serializer.describe(), "Map<String, Long>");
        assert_eq!(r.available(), 0);
    }

    #[test]
    fn nesting_is_bounded() {
        // Lists in lists, deeper than MAX_NESTING: refused, not a stack overflow.
        let mut b = Vec::new();
        for _ in 0..40 {
            versioned(
                &mut b,
                "org.apache.flink.api.common.typeutils.base.ListSerializerSnapshot",
            );
            composite_header(&mut b, 1);
        }
        versioned(
            &mut b,
            "org.apache.flink.api.common.typeutils.base.LongSerializer$LongSerializerSnapshot",
        );
        let e = read_versioned_snapshot(&mut DataInputDeserializer::new(&b), 0).unwrap_err();
        assert_eq!(e.problem, ReadProblem::TooDeep(MAX_NESTING));
    }

    #[test]
    fn an_unknown_snapshot_is_named() {
        let mut b = Vec::new();
        versioned(&mut b, "com.example.MySerializerSnapshot");
        let e = read_versioned_snapshot(&mut DataInputDeserializer::new(&b), 0).unwrap_err();
        assert_eq!(
            e.problem,
            ReadProblem::UnknownSnapshot {
                class: "com.example.MySerializerSnapshot".into()
            }
        );
    }
}
