//! `org.apache.flink.runtime.state.heap.HeapSavepointRestoreOperation` (with `FullSnapshotRestoreOperation`'s
//! `KeyGroupsIterator`): the canonical savepoint format, what `FullSnapshotAsyncWriter` writes from
//! `HeapKeyValueStateIterator` — the same format RocksDB's savepoints use. After the
//! `KeyedBackendSerializationProxy`, each non-empty key group at its offset (0 = absent): a state id (short), then
//! key/value pairs as `byte[]`s (int length + bytes). A key is the key-group prefix (1 byte up to max parallelism
//! 128, else 2), the key, the namespace (each followed by its length when both have variable length:
//! `CompositeKeySerializationUtils`) and, for map state, the map key; a value is the state's bytes, a list's
//! elements separated by `,` (`ListDelimitedSerializer`), a map value after a null flag; a timer is the key after
//! the prefix, with an empty value. The last pair before another state or the key group's end has bit 0x80 set in
//! its key's first byte and is followed by the next state id or `0xFFFF` (`END_OF_KEY_GROUP_MARK`).

use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::savepoint::data_input_deserializer::{
    DataInputDeserializer, ReadError, ReadResult,
};
use crate::engine::savepoint::heap_restore_operation::{
    push_entry, StateReader, MAX_SECTION_BYTES,
};
use crate::engine::savepoint::keyed_backend_serialization_proxy::{
    KeyedBackendSerializationProxy, StateKind,
};
use crate::engine::savepoint::savepoint_error::{Counted, ReadProblem};
use crate::engine::savepoint::snappy_stream_compression_decorator::decompress_framed;
use crate::engine::savepoint::state_entry::{EntryValue, KeyedStateEntry};
use crate::engine::savepoint::state_value::StateValue;
use crate::engine::savepoint::stream_state_handle::at_error;
use crate::engine::savepoint::type_serializer::{Budget, TypeSerializer};

/// `FullSnapshotUtil.END_OF_KEY_GROUP_MARK`.
pub const END_OF_KEY_GROUP_MARK: u16 = 0xFFFF;
/// `FullSnapshotUtil.FIRST_BIT_IN_BYTE_MASK`: "meta data follows" in a key's first byte.
pub const META_DATA_FOLLOWS: u8 = 0x80;
/// `ListDelimitedSerializer.DELIMITER`.
pub const LIST_DELIMITER: u8 = b',';

/// `CompositeKeySerializationUtils.computeRequiredBytesInKeyGroupPrefix`.
pub fn key_group_prefix_bytes(max_parallelism: i32) -> usize {
    if max_parallelism > 128 {
        2
    } else {
        1
    }
}

/// Every non-empty key group of `range` from `stream`.
#[allow(clippy::too_many_arguments)]
pub fn read_key_groups(
    stream: &[u8],
    proxy: &KeyedBackendSerializationProxy,
    range: KeyGroupRange,
    offsets: &[i64],
    max_parallelism: i32,
    budget: &mut Budget,
    total: &mut u64,
) -> ReadResult<Vec<KeyedStateEntry>> {
    let readers = StateReader::of(proxy);
    let kinds: Vec<StateKind> = proxy.states.iter().map(|s| s.kind()).collect();
    let prefix = key_group_prefix_bytes(max_parallelism);
    let mut entries: Vec<KeyedStateEntry> = Vec::new();
    for (key_group, &offset) in range.iter().zip(offsets) {
        let kg = key_group.as_i32();
        if offset == 0 {
            continue;
        }
        if offset < proxy.end as i64 || offset as u64 >= stream.len() as u64 {
            return Err(ReadError {
                offset: proxy.end as u64,
                problem: ReadProblem::KeyGroupOffset {
                    key_group: kg,
                    offset,
                },
            });
        }
        // With compression, the key group's data is one Snappy stream at its offset.
        let decompressed;
        let mut r = if proxy.compression {
            let at = offset as usize;
            decompressed = decompress_framed(&stream[at..], MAX_SECTION_BYTES)
                .map_err(|e| ReadError {
                    offset: (at + e.offset) as u64,
                    problem: ReadProblem::Snappy,
                })?
                .0;
            DataInputDeserializer::new(&decompressed)
        } else {
            DataInputDeserializer::at(stream, offset as usize)
        };
        let mut id = r.read_u16()?;
        loop {
            let at = r.position();
            let Some(reader) = readers.get(usize::from(id)) else {
                return Err(at_error(
                    &r,
                    at,
                    ReadProblem::UnknownStateId(i32::from(id as i16)),
                ));
            };
            let state = usize::from(id);
            let key_len = r.read_count(Counted::Bytes, 1)?;
            let key_at = r.position();
            let key_bytes = r.read_fully(key_len)?;
            let value_len = r.read_count(Counted::Bytes, 1)?;
            let value_at = r.position();
            let value_bytes = r.read_fully(value_len)?;
            let meta_follows = key_bytes
                .first()
                .is_some_and(|b| b & META_DATA_FOLLOWS != 0);
            let mut key = key_bytes.to_vec();
            if let Some(first) = key.first_mut() {
                *first &= !META_DATA_FOLLOWS;
            }
            let entry = read_pair(
                reader,
                &kinds[state],
                state,
                kg,
                prefix,
                (&key, key_at),
                (value_bytes, value_at),
                budget,
            )?;
            match (entry, entries.last_mut()) {
                // A map state's pairs, one per map key: gathered into the entry of their key and namespace.
                (
                    Pair::MapEntry {
                        key,
                        namespace,
                        user_key,
                        user_value,
                    },
                    last,
                ) => {
                    let same = last.as_ref().is_some_and(|e| {
                        e.state == state
                            && e.key_group == kg
                            && e.key == key
                            && e.namespace == namespace
                    });
                    match last {
                        Some(KeyedStateEntry {
                            value: EntryValue::State(StateValue::Map(m)),
                            ..
                        }) if same => m.push((user_key, user_value)),
                        _ => push_entry(
                            &mut entries,
                            KeyedStateEntry {
                                state,
                                key_group: kg,
                                key,
                                namespace,
                                value: EntryValue::State(StateValue::Map(vec![(
                                    user_key, user_value,
                                )])),
                            },
                            total,
                            &r,
                        )?,
                    }
                }
                (Pair::Entry(e), _) => push_entry(&mut entries, e, total, &r)?,
            }
            if meta_follows {
                id = r.read_u16()?;
                if id == END_OF_KEY_GROUP_MARK {
                    break;
                }
            }
        }
    }
    Ok(entries)
}

enum Pair {
    Entry(KeyedStateEntry),
    MapEntry {
        key: StateValue,
        namespace: StateValue,
        user_key: StateValue,
        user_value: StateValue,
    },
}

/// A serializer reading exactly `bytes` (all of them), errors placed at `at` in the stream.
fn read_exact(
    serializer: &TypeSerializer,
    r: &mut DataInputDeserializer,
    budget: &mut Budget,
    base: usize,
) -> ReadResult<StateValue> {
    serializer
        .deserialize(r, budget)
        .map_err(|e| shift(e, base))
}

fn shift(mut e: ReadError, base: usize) -> ReadError {
    e.offset += base as u64;
    e
}

fn expect_end(r: &DataInputDeserializer, base: usize) -> ReadResult<()> {
    if r.available() > 0 {
        return Err(shift(
            r.error(ReadProblem::BytesLeft(r.available() as u64)),
            base,
        ));
    }
    Ok(())
}

/// How many bytes `writeVariableIntBytes(length)` wrote after a key or namespace of `length` bytes.
fn variable_int_bytes(length: usize) -> usize {
    let mut n = 1;
    let mut v = length >> 8;
    while v != 0 {
        n += 1;
        v >>= 8;
    }
    n
}

#[allow(clippy::too_many_arguments)]
fn read_pair(
    reader: &StateReader,
    kind: &StateKind,
    state: usize,
    kg: i32,
    prefix: usize,
    (key, key_at): (&[u8], usize),
    (value, value_at): (&[u8], usize),
    budget: &mut Budget,
) -> ReadResult<Pair> {
    let mut k = DataInputDeserializer::new(key);
    let prefix_bytes = k.read_fully(prefix).map_err(|e| shift(e, key_at))?;
    let written = prefix_bytes
        .iter()
        .fold(0i32, |acc, b| (acc << 8) | i32::from(*b));
    if written != kg {
        return Err(shift(
            k.error(ReadProblem::WrongKeyGroup {
                expected: kg,
                found: written,
            }),
            key_at,
        ));
    }
    if reader.queue {
        // The element is the key after the prefix; the value is empty.
        let element = if reader.value.is_readable() {
            let e = read_exact(&reader.value, &mut k, budget, key_at)?;
            expect_end(&k, key_at)?;
            e
        } else {
            raw(&reader.value, &mut k)
        };
        return Ok(Pair::Entry(KeyedStateEntry::queue_element(
            state, kg, element,
        )));
    }
    let ambiguous = reader.key.is_variable_length() && reader.namespace.is_variable_length();
    let (user_key, namespace, key_value);
    if !reader.key.is_readable() {
        // Key, namespace (and map key) cannot be told apart: all raw.
        key_value = raw(&reader.key, &mut k);
        namespace = StateValue::Null;
        user_key = StateValue::Null;
    } else {
        let start = k.position();
        key_value = read_exact(&reader.key, &mut k, budget, key_at)?;
        if ambiguous {
            k.read_fully(variable_int_bytes(k.position() - start))
                .map_err(|e| shift(e, key_at))?;
        }
        let ns_start = k.position();
        namespace = if reader.namespace.is_readable() {
            read_exact(&reader.namespace, &mut k, budget, key_at)?
        } else {
            raw(&reader.namespace, &mut k)
        };
        if ambiguous {
            k.read_fully(variable_int_bytes(k.position() - ns_start))
                .map_err(|e| shift(e, key_at))?;
        }
        user_key = match (kind, &reader.value) {
            (StateKind::Map, TypeSerializer::Map(user_key, _)) if user_key.is_readable() => {
                read_exact(user_key, &mut k, budget, key_at)?
            }
            (StateKind::Map, TypeSerializer::Map(user_key, _)) => raw(user_key, &mut k),
            _ => StateValue::Null,
        };
        expect_end(&k, key_at)?;
    }
    let mut v = DataInputDeserializer::new(value);
    match (kind, &reader.value) {
        (StateKind::Map, TypeSerializer::Map(_, user_value)) => {
            let is_null = v.read_boolean().map_err(|e| shift(e, value_at))?;
            let user_value = if is_null {
                StateValue::Null
            } else if user_value.is_readable() {
                let x = read_exact(user_value, &mut v, budget, value_at)?;
                expect_end(&v, value_at)?;
                x
            } else {
                raw(user_value, &mut v)
            };
            Ok(Pair::MapEntry {
                key: key_value,
                namespace,
                user_key,
                user_value,
            })
        }
        (StateKind::List, TypeSerializer::List(element)) => {
            let mut items = Vec::new();
            if !element.is_readable() {
                items.push(raw(element, &mut v));
            }
            while v.available() > 0 {
                items.push(read_exact(element, &mut v, budget, value_at)?);
                if v.available() > 0 {
                    let at = v.position();
                    let d = v.read_u8().map_err(|e| shift(e, value_at))?;
                    if d != LIST_DELIMITER {
                        return Err(shift(
                            at_error(
                                &v,
                                at,
                                ReadProblem::BadMagic {
                                    expected: u32::from(LIST_DELIMITER),
                                    found: u32::from(d),
                                },
                            ),
                            value_at,
                        ));
                    }
                }
            }
            Ok(Pair::Entry(KeyedStateEntry {
                state,
                key_group: kg,
                key: key_value,
                namespace,
                value: EntryValue::State(StateValue::List(items)),
            }))
        }
        (_, serializer) => {
            let x = if serializer.is_readable() {
                let x = read_exact(serializer, &mut v, budget, value_at)?;
                expect_end(&v, value_at)?;
                x
            } else {
                raw(serializer, &mut v)
            };
            Ok(Pair::Entry(KeyedStateEntry {
                state,
                key_group: kg,
                key: key_value,
                namespace,
                value: EntryValue::State(x),
            }))
        }
    }
}

/// The rest of `r` as raw bytes of `serializer`.
fn raw(serializer: &TypeSerializer, r: &mut DataInputDeserializer) -> StateValue {
    let rest = r.available();
    StateValue::Raw {
        class: serializer.describe(),
        bytes: r.read_fully(rest).map(<[u8]>::to_vec).unwrap_or_default(),
    }
}
