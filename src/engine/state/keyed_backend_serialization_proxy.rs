//! Sizes of the heap backend's checkpoint stream ("native" format, `HeapSnapshotStrategy`), so a checkpoint's
//! state size is what Flink would write, byte for byte:
//!
//! ```text
//! KeyedBackendSerializationProxy (VERSION 6): int version | bool compression | key serializer snapshot |
//!     short #states | per state: UTF name | int type | int #options (+ UTF pairs) | int #serializers
//!     (+ UTF role, serializer snapshot)
//! per key group of the range: int keyGroup | per state: short id | int #entries | entries
//! entry (KV state): namespace | key | value   (VoidNamespace = 1 byte, Long = 8 bytes)
//! ```
//!
//! Checked against the real Flink 2.3 files in `groundtruth/flink-2.3-savepoints/` (1060 header bytes for a
//! `String`-keyed `KeyedProcessFunction` with one `ValueState<Long>`, 22 bytes per empty key group).

use crate::engine::keys::java_key::{JavaKey, JavaKeyType};
use crate::engine::state::state_descriptor::StateDescriptorType;

/// `KeyedBackendSerializationProxy.VERSION`.
pub const PROXY_VERSION: i32 = 6;
/// `VoidNamespaceSerializer` writes one byte.
pub const VOID_NAMESPACE_BYTES: u64 = 1;

const SERIALIZER_SNAPSHOT_PROXY_VERSION_BYTES: u64 = 4;
const VOID_NAMESPACE_SNAPSHOT: &str =
    "org.apache.flink.runtime.state.VoidNamespaceSerializer$VoidNamespaceSerializerSnapshot";
const LONG_SNAPSHOT: &str =
    "org.apache.flink.api.common.typeutils.base.LongSerializer$LongSerializerSnapshot";
const TIMER_SNAPSHOT: &str = "org.apache.flink.streaming.api.operators.TimerSerializerSnapshot";

fn key_serializer_snapshot_class(key_type: JavaKeyType) -> &'static str {
    match key_type {
        JavaKeyType::String => {
            "org.apache.flink.api.common.typeutils.base.StringSerializer$StringSerializerSnapshot"
        }
        JavaKeyType::Long => LONG_SNAPSHOT,
        JavaKeyType::Integer => {
            "org.apache.flink.api.common.typeutils.base.IntSerializer$IntSerializerSnapshot"
        }
    }
}

/// `DataOutputStream.writeUTF`: u16 length + modified UTF-8.
fn utf(s: &str) -> u64 {
    2 + s
        .encode_utf16()
        .map(|u| match u {
            0x0001..=0x007F => 1,
            0x0000 | 0x0080..=0x07FF => 2,
            _ => 3,
        })
        .sum::<u64>()
}

/// A top-level serializer snapshot: proxy version, class name, snapshot version, no payload.
fn simple_snapshot(class: &str) -> u64 {
    SERIALIZER_SNAPSHOT_PROXY_VERSION_BYTES + utf(class) + 4
}

/// `TimerSerializerSnapshot`: a composite of the key and namespace serializer snapshots.
fn timer_snapshot(key_type: JavaKeyType) -> u64 {
    let nested = |class: &str| utf(class) + 4;
    SERIALIZER_SNAPSHOT_PROXY_VERSION_BYTES
        + utf(TIMER_SNAPSHOT)
        + 4 // snapshot version
        + 5 * 4 // composite magic, outer version, nested magic, nested version, #nested
        + nested(key_serializer_snapshot_class(key_type))
        + nested(VOID_NAMESPACE_SNAPSHOT)
}

/// The value serializer of a registered key/value state, as far as its snapshot's size goes (what
/// `writeVersionedSnapshot` writes into the proxy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueSerializer {
    /// `LongSerializer` (value, reducing and a sum's aggregating state).
    Long,
    /// `ListSerializer<Long>` (a list state's, and a `ValueState<List<Long>>`'s).
    ListOfLong,
    /// `MapSerializer<String, Long>` (a map state's, and a `ValueState<Map<String, Long>>`'s).
    MapOfStringLong,
    /// `TupleSerializer<Tuple2<Long, Long>>` (an average's accumulator).
    Tuple2OfLong,
    /// `TtlStateFactory.TtlSerializer` around a `LongSerializer` (a `ValueState<Long>` with TTL).
    TtlOfLong,
    /// `ListSerializer<TtlValue<Long>>` of `TtlSerializer`s (a `ListState<Long>` with TTL: `TtlStateFactory`
    /// wraps the element serializer).
    TtlListOfLong,
    /// `MapSerializer<String, TtlValue<Long>>` (a `MapState<String, Long>` with TTL: the value serializer
    /// wrapped, not the key's).
    TtlMapOfStringLong,
    /// `PojoSerializer<KeyStats>` (`KeyStatsProcessFunction`'s `ValueState<KeyStats>`: two `long` fields).
    KeyStatsPojo,
}

const LIST_SNAPSHOT: &str = "org.apache.flink.api.common.typeutils.base.ListSerializerSnapshot";
const MAP_SNAPSHOT: &str = "org.apache.flink.api.common.typeutils.base.MapSerializerSnapshot";
const TUPLE_SNAPSHOT: &str = "org.apache.flink.api.java.typeutils.runtime.TupleSerializerSnapshot";
const TTL_SNAPSHOT: &str =
    "org.apache.flink.runtime.state.ttl.TtlStateFactory$TtlSerializerSnapshot";
const STRING_SNAPSHOT: &str =
    "org.apache.flink.api.common.typeutils.base.StringSerializer$StringSerializerSnapshot";
/// The name of `KeyStatsProcessFunction`'s POJO class, as `PojoSerializer` writes it into the serializer snapshot
/// (a public class of the default package, as the page shows it and `tools/flink-checkpoint-sizes` compiles it).
pub const KEY_STATS_CLASS: &str = "KeyStats";
const POJO_SNAPSHOT: &str = "org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot";

/// `LinkedOptionalMapSerializer.writeOptionalMap`'s header: the `long` magic and the `int` size.
const OPTIONAL_MAP_HEADER: u64 = 8 + 4;

/// `PojoSerializerSnapshot` (version 2) of a POJO `class` whose fields, declared in `class`, are all `long`s
/// (`LongSerializer`): `PojoSerializerSnapshotData.writeSnapshotData` writes the class name, then three
/// `writeOptionalMap`s — the fields (each: its name, a presence flag and the framed `PojoFieldUtils.writeField`
/// — declaring class and field name —, a presence flag and the framed nested snapshot), the registered and the
/// non-registered subclasses (none). A framed value is an `int` length and the bytes.
fn pojo_snapshot(class: &str, long_fields: &[&str]) -> u64 {
    let field = |name: &str| {
        utf(name) + 1 + 4 + utf(class) + utf(name) + 1 + 4 + nested_simple(LONG_SNAPSHOT)
    };
    SERIALIZER_SNAPSHOT_PROXY_VERSION_BYTES
        + utf(POJO_SNAPSHOT)
        + 4
        + utf(class)
        + OPTIONAL_MAP_HEADER
        + long_fields.iter().map(|f| field(f)).sum::<u64>()
        + 2 * OPTIONAL_MAP_HEADER
}

/// A `CompositeTypeSerializerSnapshot`: proxy version, class name, snapshot version, then the composite's
/// header (magic, outer version, the nested snapshots' magic, version and count), its outer snapshot, and each
/// nested snapshot (class name, version).
fn composite_snapshot(class: &str, outer: u64, nested: &[&str]) -> u64 {
    let nested: Vec<u64> = nested.iter().map(|n| nested_simple(n)).collect();
    composite_snapshot_of(class, outer, &nested)
}

/// [`composite_snapshot`] with each nested snapshot's bytes given (one may be a composite itself).
fn composite_snapshot_of(class: &str, outer: u64, nested: &[u64]) -> u64 {
    SERIALIZER_SNAPSHOT_PROXY_VERSION_BYTES + nested_composite(class, outer, nested)
}

/// A nested snapshot without payload (`writeVersionedSnapshot`): class name, version.
fn nested_simple(class: &str) -> u64 {
    utf(class) + 4
}

/// A nested `CompositeTypeSerializerSnapshot` (`writeVersionedSnapshot`): class name, version, the composite's
/// header, its outer snapshot and its own nested snapshots.
fn nested_composite(class: &str, outer: u64, nested: &[u64]) -> u64 {
    utf(class) + 4 + 5 * 4 + outer + nested.iter().sum::<u64>()
}

/// `TtlSerializerSnapshot` nested in a list's or map's: the timestamp's and the value's `LongSerializer`.
fn nested_ttl_of_long() -> u64 {
    nested_composite(
        TTL_SNAPSHOT,
        0,
        &[nested_simple(LONG_SNAPSHOT), nested_simple(LONG_SNAPSHOT)],
    )
}

impl ValueSerializer {
    /// Bytes of its snapshot in the proxy (checked against real Flink 2.3 for every kind:
    /// `tools/flink-checkpoint-sizes`).
    pub fn snapshot_bytes(self) -> u64 {
        match self {
            ValueSerializer::Long => simple_snapshot(LONG_SNAPSHOT),
            ValueSerializer::ListOfLong => composite_snapshot(LIST_SNAPSHOT, 0, &[LONG_SNAPSHOT]),
            ValueSerializer::MapOfStringLong => {
                composite_snapshot(MAP_SNAPSHOT, 0, &[STRING_SNAPSHOT, LONG_SNAPSHOT])
            }
            // `TupleSerializerSnapshot.writeOuterSnapshot`: the tuple class's name.
            ValueSerializer::Tuple2OfLong => composite_snapshot(
                TUPLE_SNAPSHOT,
                utf("org.apache.flink.api.java.tuple.Tuple2"),
                &[LONG_SNAPSHOT, LONG_SNAPSHOT],
            ),
            // The timestamp's `LongSerializer`, then the user value's.
            ValueSerializer::TtlOfLong => {
                composite_snapshot(TTL_SNAPSHOT, 0, &[LONG_SNAPSHOT, LONG_SNAPSHOT])
            }
            ValueSerializer::TtlListOfLong => {
                composite_snapshot_of(LIST_SNAPSHOT, 0, &[nested_ttl_of_long()])
            }
            ValueSerializer::TtlMapOfStringLong => composite_snapshot_of(
                MAP_SNAPSHOT,
                0,
                &[nested_simple(STRING_SNAPSHOT), nested_ttl_of_long()],
            ),
            ValueSerializer::KeyStatsPojo => pojo_snapshot(KEY_STATS_CLASS, &["count", "sum"]),
        }
    }
}

/// A registered key/value state as the proxy describes it (`StateMetaInfoSnapshot`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateMetaInfo<'a> {
    pub name: &'a str,
    pub kind: StateDescriptorType,
    pub value_serializer: ValueSerializer,
}

impl<'a> StateMetaInfo<'a> {
    /// A `ValueState<Long>` (the counter's `"event-counter"`).
    pub const fn long_value(name: &'a str) -> Self {
        StateMetaInfo {
            name,
            kind: StateDescriptorType::Value,
            value_serializer: ValueSerializer::Long,
        }
    }
}

/// Bytes of the serialization proxy (the meta data at the start of each subtask's state file).
pub fn meta_data_bytes(
    key_type: JavaKeyType,
    kv_states: &[StateMetaInfo<'_>],
    pq_states: &[&str],
) -> u64 {
    let mut bytes = 4 + 1 + simple_snapshot(key_serializer_snapshot_class(key_type)) + 2;
    for state in kv_states {
        let kind = state.kind.to_string();
        bytes += utf(state.name) + 4 + 4 + utf("KEYED_STATE_TYPE") + utf(&kind) + 4;
        bytes += utf("VALUE_SERIALIZER") + state.value_serializer.snapshot_bytes();
        bytes += utf("NAMESPACE_SERIALIZER") + simple_snapshot(VOID_NAMESPACE_SNAPSHOT);
    }
    for name in pq_states {
        bytes += utf(name) + 4 + 4 + 4 + utf("VALUE_SERIALIZER") + timer_snapshot(key_type);
    }
    bytes
}

/// Bytes of one key group's header: `int keyGroup` plus `short id | int count` per state.
pub const fn key_group_header_bytes(number_of_states: u64) -> u64 {
    4 + number_of_states * (2 + 4)
}

/// `StringValue.writeString`: varint of (length + 1), then each UTF-16 unit as a 7-bit varint.
pub fn string_serialized_bytes(s: &str) -> u64 {
    let units = s
        .encode_utf16()
        .map(|u| varint_bytes(u64::from(u)))
        .sum::<u64>();
    varint_bytes(s.encode_utf16().count() as u64 + 1) + units
}

fn varint_bytes(mut v: u64) -> u64 {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

/// Bytes the key serializer writes for a key.
pub fn key_serialized_bytes(key: &JavaKey) -> u64 {
    match key {
        JavaKey::String(s) => string_serialized_bytes(s),
        JavaKey::Integer(_) => 4,
        JavaKey::Long(_) => 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::state::heap::heap_keyed_state_backend::USER_TIMERS;

    fn job_meta(key_type: JavaKeyType) -> u64 {
        meta_data_bytes(
            key_type,
            &[StateMetaInfo::long_value("event-counter")],
            &[
                &format!("_timer_state/processing_{USER_TIMERS}"),
                &format!("_timer_state/event_{USER_TIMERS}"),
            ],
        )
    }

    #[test]
    fn meta_data_of_the_keyed_counter_job_is_1060_bytes_as_in_flinks_file() {
        assert_eq!(job_meta(JavaKeyType::String), 1060);
    }

    #[test]
    fn a_real_checkpoint_file_size_is_reproduced() {
        // checkpoint_retained/9f262488-…: subtask 0 of 2 (key groups 0-63), keys k9, k6, k3, k4, k1.
        let entries: u64 = ["k9", "k6", "k3", "k4", "k1"]
            .iter()
            .map(|k| VOID_NAMESPACE_BYTES + string_serialized_bytes(k) + 8)
            .sum();
        let size = job_meta(JavaKeyType::String) + 64 * key_group_header_bytes(3) + entries;
        assert_eq!(size, 2528);
    }

    #[test]
    fn serialized_sizes() {
        assert_eq!(string_serialized_bytes("user-000123"), 12);
        assert_eq!(string_serialized_bytes(""), 1);
        assert_eq!(string_serialized_bytes("é"), 1 + 2);
        assert_eq!(key_group_header_bytes(3), 22);
        assert!(job_meta(JavaKeyType::Long) < job_meta(JavaKeyType::String));
    }
}
