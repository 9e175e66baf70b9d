//! `org.apache.flink.api.common.typeutils.TypeSerializerSnapshot`, written: the snapshots of the serializers a
//! savepoint of StateLab's job names, as `TypeSerializerSnapshotSerializationUtil.writeSerializerSnapshot` writes
//! them — the proxy's version (2), then `writeVersionedSnapshot`: the snapshot class's name, its version and its
//! payload. `SimpleTypeSerializerSnapshot` (version 3) has none: `StringSerializer`, `IntSerializer` and
//! `LongSerializer` for the keys, `LongSerializer` for the counts, `VoidNamespaceSerializer` for the namespace.
//! `TimerSerializerSnapshot` (the timer queues' elements) is a `CompositeTypeSerializerSnapshot` (version 3): its
//! magic number, outer version 2, no outer snapshot, then `NestedSerializersSnapshotDelegate` with the key's and
//! the namespace's snapshots. Read back by [`type_serializer_snapshot`](crate::engine::savepoint::type_serializer_snapshot).

use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::savepoint::data_output_serializer::{DataOutputSerializer, UtfTooLong};
use crate::engine::savepoint::type_serializer::TypeSerializer;
use crate::engine::savepoint::type_serializer_snapshot::{COMPOSITE_MAGIC, NESTED_MAGIC};

/// `TypeSerializerSnapshotSerializationProxy.VERSION`.
pub const SNAPSHOT_PROXY_VERSION: i32 = 2;
/// `SimpleTypeSerializerSnapshot.CURRENT_VERSION`, also `CompositeTypeSerializerSnapshot`'s.
pub const SNAPSHOT_VERSION: i32 = 3;
/// `TimerSerializerSnapshot.VERSION` (its outer snapshot's version).
const TIMER_OUTER_VERSION: i32 = 2;
/// `NestedSerializersSnapshotDelegate.VERSION`.
const NESTED_VERSION: i32 = 1;
const TIMER_SNAPSHOT: &str = "org.apache.flink.streaming.api.operators.TimerSerializerSnapshot";

/// A serializer whose snapshot is a `SimpleTypeSerializerSnapshot`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimpleTypeSerializer {
    String,
    Int,
    Long,
    VoidNamespace,
}

impl SimpleTypeSerializer {
    /// The serializer Flink picks for a key of this type (`Types.STRING`, `Types.INT`, `Types.LONG`).
    pub fn of_key_type(key_type: JavaKeyType) -> Self {
        match key_type {
            JavaKeyType::String => SimpleTypeSerializer::String,
            JavaKeyType::Integer => SimpleTypeSerializer::Int,
            JavaKeyType::Long => SimpleTypeSerializer::Long,
        }
    }

    /// The snapshot's class, what Flink instantiates to restore the serializer.
    pub fn snapshot_class(self) -> &'static str {
        match self {
            SimpleTypeSerializer::String => {
                "org.apache.flink.api.common.typeutils.base.StringSerializer$StringSerializerSnapshot"
            }
            SimpleTypeSerializer::Int => {
                "org.apache.flink.api.common.typeutils.base.IntSerializer$IntSerializerSnapshot"
            }
            SimpleTypeSerializer::Long => {
                "org.apache.flink.api.common.typeutils.base.LongSerializer$LongSerializerSnapshot"
            }
            SimpleTypeSerializer::VoidNamespace => {
                "org.apache.flink.runtime.state.VoidNamespaceSerializer$VoidNamespaceSerializerSnapshot"
            }
        }
    }

    /// The reader's serializer of the same kind.
    pub fn type_serializer(self) -> TypeSerializer {
        match self {
            SimpleTypeSerializer::String => TypeSerializer::String,
            SimpleTypeSerializer::Int => TypeSerializer::Int,
            SimpleTypeSerializer::Long => TypeSerializer::Long,
            SimpleTypeSerializer::VoidNamespace => TypeSerializer::VoidNamespace,
        }
    }
}

/// `writeSerializerSnapshot` of a simple serializer: proxy version, then the versioned snapshot.
pub fn write_serializer_snapshot(
    out: &mut DataOutputSerializer,
    serializer: SimpleTypeSerializer,
) -> Result<(), UtfTooLong> {
    out.write_i32(SNAPSHOT_PROXY_VERSION);
    write_versioned(out, serializer.snapshot_class())
}

/// `writeSerializerSnapshot` of a `TimerSerializer<K, VoidNamespace>`.
pub fn write_timer_serializer_snapshot(
    out: &mut DataOutputSerializer,
    key: SimpleTypeSerializer,
) -> Result<(), UtfTooLong> {
    out.write_i32(SNAPSHOT_PROXY_VERSION);
    write_versioned(out, TIMER_SNAPSHOT)?;
    out.write_i32(COMPOSITE_MAGIC);
    out.write_i32(TIMER_OUTER_VERSION);
    out.write_i32(NESTED_MAGIC);
    out.write_i32(NESTED_VERSION);
    out.write_i32(2);
    write_versioned(out, key.snapshot_class())?;
    write_versioned(out, SimpleTypeSerializer::VoidNamespace.snapshot_class())
}

/// `writeVersionedSnapshot` without a payload (the simple snapshots' and the composite's head).
fn write_versioned(out: &mut DataOutputSerializer, class: &str) -> Result<(), UtfTooLong> {
    out.write_utf(class)?;
    out.write_i32(SNAPSHOT_VERSION);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::savepoint::data_input_deserializer::DataInputDeserializer;
    use crate::engine::savepoint::type_serializer_snapshot::read_serializer_snapshot;

    fn read_back(bytes: &[u8]) -> TypeSerializer {
        let mut r = DataInputDeserializer::new(bytes);
        let snapshot = read_serializer_snapshot(&mut r).unwrap();
        assert_eq!(snapshot.version, SNAPSHOT_VERSION);
        assert_eq!(r.available(), 0);
        snapshot.serializer
    }

    #[test]
    fn every_snapshot_reads_back_as_its_serializer() {
        for s in [
            SimpleTypeSerializer::String,
            SimpleTypeSerializer::Int,
            SimpleTypeSerializer::Long,
            SimpleTypeSerializer::VoidNamespace,
        ] {
            let mut out = DataOutputSerializer::new();
            write_serializer_snapshot(&mut out, s).unwrap();
            assert_eq!(read_back(&out.into_bytes()), s.type_serializer());

            let mut out = DataOutputSerializer::new();
            write_timer_serializer_snapshot(&mut out, s).unwrap();
            assert_eq!(
                read_back(&out.into_bytes()),
                TypeSerializer::Timer {
                    key: Box::new(s.type_serializer()),
                    namespace: Box::new(TypeSerializer::VoidNamespace),
                }
            );
        }
    }
}
