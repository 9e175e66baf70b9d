//! `org.apache.flink.runtime.state.FullSnapshotAsyncWriter` over the heap backend's `HeapKeyValueStateIterator`:
//! one subtask's keyed state in the canonical savepoint format (the one RocksDB's savepoints share), with its
//! `KeyGroupRangeOffsets`. After the [`KeyedBackendSerializationProxy`](crate::engine::savepoint::keyed_backend_serialization_proxy_writer),
//! each non-empty key group of the subtask's `KeyGroupRange`, in order, starts at its offset (an empty one keeps
//! offset 0 and writes nothing): the state id (`short`), then the state's key/value pairs as `byte[]`s (`int`
//! length + bytes). The key is `CompositeKeySerializationUtils`' — the key-group prefix (1 byte up to max
//! parallelism 128, else 2, big-endian), the key by its serializer, the namespace (`VoidNamespace`: one 0 byte; a
//! fixed-length namespace, so no lengths follow the key); the value is the count (`LongSerializer`: 8 bytes). The
//! last pair of a state in a key group has bit 0x80 (`META_DATA_FOLLOWS`) set in its key's first byte and is
//! followed by the next state's id or, at the key group's end, `0xFFFF` (`END_OF_KEY_GROUP_MARK`).
//!
//! StateLab writes the pairs of a key group in the order of their key bytes (Flink in its map's order, which
//! nobody reading the savepoint depends on), so the same state always gives the same bytes. The empty timer queues
//! write nothing.
//! Read back by [`heap_savepoint_restore_operation`](crate::engine::savepoint::heap_savepoint_restore_operation).

use crate::engine::keys::java_key::JavaKey;
use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::savepoint::data_output_serializer::{DataOutputSerializer, UtfTooLong};
use crate::engine::savepoint::heap_savepoint_restore_operation::{
    key_group_prefix_bytes, END_OF_KEY_GROUP_MARK, META_DATA_FOLLOWS,
};
use crate::engine::savepoint::keyed_backend_serialization_proxy_writer::{
    write_serialization_proxy, RegisteredStates,
};

/// `KeyGroupRangeOffsets`: where each key group of the range starts in the stream (0: not written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyGroupRangeOffsets {
    pub range: KeyGroupRange,
    pub offsets: Vec<i64>,
}

/// The state id of the counter: the first state the proxy lists.
const COUNTER_STATE_ID: u16 = 0;
/// `VoidNamespaceSerializer.serialize` writes one 0 byte.
const VOID_NAMESPACE: u8 = 0;

/// `CompositeKeySerializationUtils.writeKeyGroup` + `writeKey` + `writeNameSpace` for a key in the
/// `VoidNamespace`: the key's bytes in the canonical format.
pub fn composite_key(key_group: i32, prefix_bytes: usize, key: &JavaKey) -> Vec<u8> {
    let mut out = DataOutputSerializer::new();
    if prefix_bytes == 2 {
        out.write_u16(key_group as u16);
    } else {
        out.write_u8(key_group as u8);
    }
    match key {
        JavaKey::String(s) => out.write_string_value(s),
        JavaKey::Integer(v) => out.write_i32(*v),
        JavaKey::Long(v) => out.write_i64(*v),
    }
    out.write_u8(VOID_NAMESPACE);
    out.into_bytes()
}

/// One subtask's keyed state stream: the proxy of `states`, then the counter's entries (`key_groups`, indexed by
/// key group; missing ones are empty) of each key group of `range`. Returns the stream and its offsets.
pub fn write_full_snapshot(
    states: &RegisteredStates,
    range: KeyGroupRange,
    max_parallelism: i32,
    key_groups: &[Vec<(JavaKey, i64)>],
) -> Result<(Vec<u8>, KeyGroupRangeOffsets), UtfTooLong> {
    let mut out = DataOutputSerializer::new();
    write_serialization_proxy(&mut out, states)?;
    let prefix_bytes = key_group_prefix_bytes(max_parallelism);
    let mut offsets = Vec::with_capacity(range.number_of_key_groups());
    for key_group in range.iter() {
        let entries = key_groups
            .get(key_group.index())
            .map_or(&[][..], Vec::as_slice);
        if entries.is_empty() {
            offsets.push(0);
            continue;
        }
        offsets.push(out.position() as i64);
        let mut pairs: Vec<(Vec<u8>, i64)> = entries
            .iter()
            .map(|(key, count)| (composite_key(key_group.as_i32(), prefix_bytes, key), *count))
            .collect();
        pairs.sort_unstable();
        out.write_u16(COUNTER_STATE_ID);
        let last = pairs.len() - 1;
        for (i, (mut key, count)) in pairs.into_iter().enumerate() {
            if i == last {
                if let Some(first) = key.first_mut() {
                    *first |= META_DATA_FOLLOWS;
                }
            }
            out.write_i32(key.len() as i32);
            out.write_bytes(&key);
            out.write_i32(8);
            out.write_i64(count);
        }
        out.write_u16(END_OF_KEY_GROUP_MARK);
    }
    Ok((out.into_bytes(), KeyGroupRangeOffsets { range, offsets }))
}
