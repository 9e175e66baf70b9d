//! `org.apache.flink.runtime.state.heap.HeapRestoreOperation` with `StateTableByKeyGroupReaders` (version 2 on):
//! the HashMap backend's native format, what `HeapSnapshotStrategy` writes for checkpoints and native savepoints.
//! After the `KeyedBackendSerializationProxy`, every key group of the subtask's range at its offset: the key
//! group's index (checked), then one section per registered state — its id (a short), the number of entries and
//! each entry as namespace, key and state (`CopyOnWriteStateMapSnapshot.writeState`), or for a priority queue the
//! number of elements and each element (`HeapPriorityQueueStateSnapshot`). Entries have no lengths, so a state
//! whose serializer StateLab cannot read leaves the rest of its key group undecoded (kept as raw bytes).

use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::savepoint::data_input_deserializer::{
    DataInputDeserializer, ReadError, ReadResult,
};
use crate::engine::savepoint::keyed_backend_serialization_proxy::{
    BackendStateType, KeyedBackendSerializationProxy,
};
use crate::engine::savepoint::savepoint_error::{Counted, ReadProblem};
use crate::engine::savepoint::snappy_stream_compression_decorator::decompress_framed;
use crate::engine::savepoint::state_entry::{EntryValue, KeyedStateEntry, MAX_ENTRIES};
use crate::engine::savepoint::state_value::StateValue;
use crate::engine::savepoint::stream_state_handle::at_error;
use crate::engine::savepoint::type_serializer::{Budget, TypeSerializer};

/// The serializers of one registered state, as the reader uses them.
pub struct StateReader {
    pub queue: bool,
    pub key: TypeSerializer,
    pub namespace: TypeSerializer,
    pub value: TypeSerializer,
    pub class: String,
}

impl StateReader {
    pub fn of(proxy: &KeyedBackendSerializationProxy) -> Vec<StateReader> {
        proxy
            .states
            .iter()
            .map(|s| {
                let value = s.value_serializer();
                StateReader {
                    queue: s.backend_state_type == BackendStateType::PriorityQueue,
                    key: proxy.key_serializer.serializer.clone(),
                    namespace: s.namespace_serializer(),
                    class: s
                        .serializer("VALUE_SERIALIZER")
                        .map(|v| v.class.clone())
                        .unwrap_or_default(),
                    value,
                }
            })
            .collect()
    }

    fn readable(&self) -> bool {
        self.value.is_readable()
            && (self.queue || (self.key.is_readable() && self.namespace.is_readable()))
    }

    /// The class to name for bytes it cannot read.
    fn unreadable_class(&self) -> String {
        for s in [&self.key, &self.namespace, &self.value] {
            if !s.is_readable() {
                return s.describe();
            }
        }
        self.class.clone()
    }
}

/// Entries counted against [`MAX_ENTRIES`].
pub fn push_entry(
    entries: &mut Vec<KeyedStateEntry>,
    entry: KeyedStateEntry,
    total: &mut u64,
    r: &DataInputDeserializer,
) -> ReadResult<()> {
    *total += 1;
    if *total > MAX_ENTRIES {
        return Err(r.error(ReadProblem::TooManyValues { max: MAX_ENTRIES }));
    }
    entries.push(entry);
    Ok(())
}

/// Every key group of `range` from `stream` (offsets in the order of the range).
pub fn read_key_groups(
    stream: &[u8],
    proxy: &KeyedBackendSerializationProxy,
    range: KeyGroupRange,
    offsets: &[i64],
    budget: &mut Budget,
    total: &mut u64,
) -> ReadResult<Vec<KeyedStateEntry>> {
    let readers = StateReader::of(proxy);
    let mut entries = Vec::new();
    // Where each key group ends: the next larger offset, or the stream's end.
    let mut sorted: Vec<i64> = offsets.to_vec();
    sorted.sort_unstable();
    for (key_group, &offset) in range.iter().zip(offsets) {
        let kg = key_group.as_i32();
        if offset < proxy.end as i64 || offset as u64 > stream.len() as u64 {
            return Err(ReadError {
                offset: proxy.end as u64,
                problem: ReadProblem::KeyGroupOffset {
                    key_group: kg,
                    offset,
                },
            });
        }
        let end = sorted
            .iter()
            .copied()
            .find(|&o| o > offset)
            .map_or(stream.len(), |o| (o as usize).min(stream.len()));
        let mut r = DataInputDeserializer::new(&stream[..end]);
        r = DataInputDeserializer::at(r.bytes(), offset as usize);
        let at = r.position();
        let written = r.read_i32()?;
        if written != kg {
            return Err(at_error(
                &r,
                at,
                ReadProblem::WrongKeyGroup {
                    expected: kg,
                    found: written,
                },
            ));
        }
        for _ in 0..readers.len() {
            if !proxy.compression {
                if !read_section(&mut r, &readers, kg, budget, total, &mut entries)? {
                    break;
                }
                continue;
            }
            // Each state's section through its own Snappy stream.
            let at = r.position();
            let (data, used) =
                decompress_framed(&r.bytes()[at..], MAX_SECTION_BYTES).map_err(|e| ReadError {
                    offset: (at + e.offset) as u64,
                    problem: ReadProblem::Snappy,
                })?;
            let mut section = DataInputDeserializer::new(&data);
            let more = read_section(&mut section, &readers, kg, budget, total, &mut entries)
                .map_err(|e| ReadError {
                    offset: at as u64,
                    problem: e.problem,
                })?;
            r.read_fully(used)?;
            if !more {
                break;
            }
        }
    }
    Ok(entries)
}

/// The most bytes one compressed section may inflate to.
pub const MAX_SECTION_BYTES: usize = 512 * 1024 * 1024;

/// One state's section of a key group: its id, then its entries or elements. `false` when the rest of the key
/// group could not be read (kept raw).
fn read_section(
    r: &mut DataInputDeserializer,
    readers: &[StateReader],
    kg: i32,
    budget: &mut Budget,
    total: &mut u64,
    entries: &mut Vec<KeyedStateEntry>,
) -> ReadResult<bool> {
    let at = r.position();
    let id = i32::from(r.read_i16()?);
    let Some(reader) = usize::try_from(id).ok().and_then(|i| readers.get(i)) else {
        return Err(at_error(r, at, ReadProblem::UnknownStateId(id)));
    };
    let state = id as usize;
    if !reader.readable() {
        // Nothing after this can be found: the rest of the key group, raw.
        let rest = r.available();
        let bytes = r.read_fully(rest)?.to_vec();
        let class = reader.unreadable_class();
        push_entry(
            entries,
            KeyedStateEntry {
                state,
                key_group: kg,
                key: StateValue::Null,
                namespace: StateValue::Null,
                value: EntryValue::Undecoded(StateValue::Raw { class, bytes }),
            },
            total,
            r,
        )?;
        return Ok(false);
    }
    if reader.queue {
        let n = r.read_count(Counted::Entries, reader.value.min_bytes().max(1))?;
        for _ in 0..n {
            let element = reader.value.deserialize(r, budget)?;
            push_entry(
                entries,
                KeyedStateEntry::queue_element(state, kg, element),
                total,
                r,
            )?;
        }
    } else {
        let min = reader.namespace.min_bytes() + reader.key.min_bytes() + reader.value.min_bytes();
        let n = r.read_count(Counted::Entries, min.max(1))?;
        for _ in 0..n {
            let namespace = reader.namespace.deserialize(r, budget)?;
            let key = reader.key.deserialize(r, budget)?;
            let value = reader.value.deserialize(r, budget)?;
            push_entry(
                entries,
                KeyedStateEntry {
                    state,
                    key_group: kg,
                    key,
                    namespace,
                    value: EntryValue::State(value),
                },
                total,
                r,
            )?;
        }
    }
    Ok(true)
}
