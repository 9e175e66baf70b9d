//! `org.apache.flink.runtime.state.heap.HeapSnapshotStrategy`: a checkpoint of a heap keyed backend in two
//! phases.
//!
//! * Synchronous, on the task thread (`syncPrepareResources` → `HeapSnapshotResources.create`): every
//!   key-group map of every state takes a copy-on-write snapshot (`snapshotMapArrays`), which bumps the map's
//!   version and shallow-copies its bucket array. Cheap: O(buckets), no entries are copied.
//! * Asynchronous (`AsyncSnapshotCallable`): the key groups are written one by one, in ascending order, in
//!   Flink's native format, while the task keeps processing records; each key group's map snapshot is released
//!   right after it was written (`AbstractStateTableSnapshot.writeStateInKeyGroup`). Until then, every entry the
//!   task touches in that key group is copied on write.
//!
//! StateLab writes one key group per asynchronous step and keeps the entries it wrote of the job function's
//! state (key and value, in the map's bucket order) as the checkpoint's content.

use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_registry::{KeyId, KeyRegistry};
use crate::engine::operators::timer_heap_internal_timer::TimerHeapInternalTimer;
use crate::engine::state::heap::copy_on_write_state_map::CopyOnWriteStateMapSnapshot;
use crate::engine::state::heap::heap_keyed_state_backend::{HeapKeyedStateBackend, StateStorage};
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::state::keyed_backend_serialization_proxy::{
    key_group_header_bytes, meta_data_bytes, VOID_NAMESPACE_BYTES,
};
use crate::engine::state::state_error::StateError;
use crate::engine::state::state_object::StateObject;
use crate::engine::state::ttl::ttl_state_snapshot_transformer::filter_or_transform;
use std::borrow::Cow;
use std::rc::Rc;

/// A key group as the asynchronous phase wrote it: its index and the entries of the job function's state in
/// bucket order — of the first `Long` state (the counter's, a running sum's) and of the first object state (a
/// list's, a map's, an accumulator's, a `TtlValue`'s), as the serializer's copy would read them. The entries
/// never change once written, so clones of the cluster share them.
#[derive(Clone, Debug, PartialEq)]
pub struct WrittenKeyGroup {
    pub key_group: KeyGroup,
    pub longs: Rc<Vec<(KeyId, i64)>>,
    pub objects: Rc<Vec<(KeyId, StateValueObject)>>,
    /// The key group's processing-time timers of the operator's timer service (key, timestamp in ms), in the
    /// queue's order.
    pub timers: Rc<Vec<(KeyId, i64)>>,
}

/// What the synchronous phase did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncPhase {
    /// Key-group maps snapshotted (all states).
    pub maps: u32,
    /// Bucket slots copied into the snapshot arrays.
    pub slots_copied: u64,
}

/// One key group written by the asynchronous phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyGroupWritten {
    pub key_group: KeyGroup,
    pub entries: u32,
    pub bytes: u64,
    /// Key groups written so far, out of `total`.
    pub done: u32,
    pub total: u32,
}

/// The asynchronous part of one subtask's snapshot.
#[derive(Clone, Debug)]
pub struct AsyncSnapshotWriter {
    checkpoint_id: u64,
    /// Per registered KV state (in the proxy's order), per local key group.
    snapshots: Vec<Vec<Option<CopyOnWriteStateMapSnapshot>>>,
    /// Where each of those states' table is.
    states: Vec<(StateStorage, usize)>,
    /// Each state's full-snapshot TTL cleanup (`TtlStateSnapshotTransformer`), if it has one.
    transformers: Vec<Option<i64>>,
    /// Per priority-queue state, per local key group: the timers copied in the synchronous phase.
    timers: Rc<Vec<Vec<Vec<TimerHeapInternalTimer>>>>,
    /// Key groups of the backend's range.
    total: usize,
    next: usize,
    key_groups: Vec<WrittenKeyGroup>,
    bytes: u64,
    entries: u64,
}

impl AsyncSnapshotWriter {
    /// The synchronous phase: snapshots every key-group map of every key/value state, and copies the timer
    /// queues.
    pub fn sync_phase(
        backend: &mut HeapKeyedStateBackend,
        checkpoint_id: u64,
    ) -> Result<(SyncPhase, AsyncSnapshotWriter), StateError> {
        let snapshots = backend.snapshot_state_maps()?;
        let mut phase = SyncPhase::default();
        for table in &snapshots {
            for s in table {
                phase.maps += 1;
                phase.slots_copied += s.array_length() as u64;
            }
        }
        let kv = backend.kv_state_meta_infos();
        let pq: Vec<&str> = backend
            .priority_queue_state_names()
            .iter()
            .map(String::as_str)
            .collect();
        let metas: Vec<_> = kv.iter().map(|(meta, _, _)| *meta).collect();
        let bytes = meta_data_bytes(backend.key_type(), &metas, &pq);
        let states = kv
            .iter()
            .map(|&(_, storage, table)| (storage, table))
            .collect();
        let writer = AsyncSnapshotWriter {
            checkpoint_id,
            snapshots: snapshots
                .into_iter()
                .map(|t| t.into_iter().map(Some).collect())
                .collect(),
            states,
            transformers: backend.full_snapshot_ttls(),
            timers: Rc::new(backend.snapshot_priority_queues()),
            total: backend.key_group_range().number_of_key_groups(),
            next: 0,
            key_groups: Vec::new(),
            bytes,
            entries: 0,
        };
        Ok((phase, writer))
    }

    pub fn checkpoint_id(&self) -> u64 {
        self.checkpoint_id
    }

    fn total(&self) -> usize {
        self.total
    }

    pub fn is_done(&self) -> bool {
        self.next >= self.total()
    }

    /// Key groups written so far.
    pub fn written(&self) -> usize {
        self.next
    }

    /// Serialized bytes so far (the final value is the state size Flink reports).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// Writes the next key group at processing time `now_ms` and releases its map snapshots: per key/value
    /// state its entries (namespace, key, value) — but a state with full-snapshot TTL cleanup leaves out what had
    /// expired at `now_ms` (`CopyOnWriteStateMapSnapshot`'s transformed entries: values, list elements up to the
    /// first unexpired one, map mappings, entries with nothing left) — per timer queue its timers (timestamp,
    /// key, namespace).
    pub fn write_next_key_group(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        keys: &KeyRegistry,
        now_ms: i64,
    ) -> Result<KeyGroupWritten, StateError> {
        let index = self.next;
        let key_group = backend
            .key_group_range()
            .key_group_at(index)
            .expect("one map snapshot per key group of the range, and one still to write");
        let number_of_states = (self.states.len() + self.timers.len()) as u64;
        let mut bytes = key_group_header_bytes(number_of_states);
        let mut written = Vec::new();
        let mut objects = Vec::new();
        let mut entries = 0u32;
        for (position, snapshots) in self.snapshots.iter_mut().enumerate() {
            let Some(snapshot) = snapshots[index].take() else {
                continue;
            };
            let (storage, table) = self.states[position];
            match storage {
                StateStorage::Longs => {
                    let map = &backend.state_tables()[table].maps()[index];
                    for e in snapshot.entries(map) {
                        bytes += VOID_NAMESPACE_BYTES
                            + u64::from(keys.info(e.key).serialized_bytes)
                            + e.state.serialized_bytes(map.objects());
                        entries += 1;
                        if table == 0 {
                            written.push((e.key, e.state));
                        }
                    }
                }
                StateStorage::Objects => {
                    let map = &backend.object_tables()[table].maps()[index];
                    let ttl = self.transformers.get(position).copied().flatten();
                    for e in snapshot.entries(map) {
                        let Some(object) = map.objects().get(e.state) else {
                            continue;
                        };
                        // `cleanupFullSnapshot()`: what is left of the value once the expired is left out.
                        let object = match ttl {
                            Some(ttl) => match filter_or_transform(object, ttl, now_ms) {
                                Some(written) => written,
                                None => continue,
                            },
                            None => Cow::Borrowed(object),
                        };
                        bytes += VOID_NAMESPACE_BYTES
                            + u64::from(keys.info(e.key).serialized_bytes)
                            + object.serialized_bytes();
                        entries += 1;
                        if table == 0 {
                            objects.push((e.key, object.into_owned()));
                        }
                    }
                }
            }
            backend.release_snapshot(storage, table, index, snapshot.snapshot_version())?;
        }
        let mut timers = Vec::new();
        for (position, queue) in self.timers.iter().enumerate() {
            if position == 0 {
                timers.extend(queue[index].iter().map(|t| (t.key.key, t.timestamp)));
            }
            for t in &queue[index] {
                // `TimerSerializer`: the timestamp, the key, the namespace.
                bytes +=
                    8 + u64::from(keys.info(t.key.key).serialized_bytes) + VOID_NAMESPACE_BYTES;
            }
        }
        self.entries += u64::from(entries);
        self.bytes += bytes;
        self.key_groups.push(WrittenKeyGroup {
            key_group,
            longs: Rc::new(written),
            objects: Rc::new(objects),
            timers: Rc::new(timers),
        });
        self.next += 1;
        Ok(KeyGroupWritten {
            key_group,
            entries,
            bytes,
            done: self.next as u32,
            total: self.total() as u32,
        })
    }

    /// The written key groups (the function's state), consuming the writer.
    pub fn into_key_groups(self) -> Vec<WrittenKeyGroup> {
        self.key_groups
    }

    /// Cancels the snapshot, releasing every map snapshot not yet written.
    pub fn abort(self, backend: &mut HeapKeyedStateBackend) -> Result<(), StateError> {
        for (position, snapshots) in self.snapshots.into_iter().enumerate() {
            let (storage, table) = self.states[position];
            for (index, snapshot) in snapshots.into_iter().enumerate() {
                if let Some(s) = snapshot {
                    backend.release_snapshot(storage, table, index, s.snapshot_version())?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::functions::event_counter_process_function::EventCounterProcessFunction;
    use crate::engine::keys::java_key::{JavaKey, JavaKeyType};
    use crate::engine::keys::key_group_range::KeyGroupRange;
    use crate::engine::keys::key_registry::KeyFormat;

    #[test]
    fn snapshot_of_the_groundtruth_savepoint_state_has_flinks_size_and_contents() {
        // Subtask 0 of 2 (M=128) of the real job: k9 x10, k6 x7, k3 x4, k4 x5, k1 x2 -> 2528 bytes.
        let mut keys = KeyRegistry::new(KeyFormat::default());
        let mut backend =
            HeapKeyedStateBackend::new(KeyGroupRange::of(0, 63), 128, JavaKeyType::String);
        let f = EventCounterProcessFunction::open(&mut backend);
        for (k, n) in [("k9", 10), ("k6", 7), ("k3", 4), ("k4", 5), ("k1", 2)] {
            let id = keys.intern(&JavaKey::String(k.into())).unwrap();
            for _ in 0..n {
                f.process_element(&mut backend, id, keys.info(id)).unwrap();
            }
        }
        let heap_before = backend.heap_used();
        let (sync, mut writer) = AsyncSnapshotWriter::sync_phase(&mut backend, 1).unwrap();
        assert_eq!(sync.maps, 64);
        assert!(
            backend.heap_used() > heap_before,
            "snapshot arrays are on the heap"
        );
        while !writer.is_done() {
            writer.write_next_key_group(&mut backend, &keys, 0).unwrap();
        }
        assert_eq!(writer.bytes(), 2528);
        assert_eq!(
            backend.heap_used(),
            heap_before,
            "all map snapshots released"
        );
        let groups = writer.into_key_groups();
        let keys = &keys;
        let found: Vec<(i32, String, i64)> = groups
            .iter()
            .flat_map(|g| {
                g.longs
                    .iter()
                    .map(move |(k, v)| (g.key_group.as_i32(), keys.display(*k), *v))
            })
            .collect();
        assert_eq!(
            found,
            vec![
                (6, "k9".into(), 10),
                (7, "k6".into(), 7),
                (10, "k3".into(), 4),
                (18, "k4".into(), 5),
                (19, "k1".into(), 2)
            ]
        );
    }
}
