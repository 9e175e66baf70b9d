//! `org.apache.flink.runtime.state.heap.HeapKeyedStateBackend`, the keyed backend `HashMapStateBackend` builds
//! for every subtask of a keyed operator: its `KeyGroupRange`, the key context (current key and its key group,
//! computed again here with `assignToKeyGroup` exactly as `AbstractKeyedStateBackend.setCurrentKey` does), and
//! the registered states, keyed by descriptor name (`registeredKVStates`). The two timer queues a
//! `KeyedProcessOperator` registers (`_timer_state/processing_user-timers`, `_timer_state/event_user-timers`) are
//! registered too, empty, because they are part of every checkpoint it writes.
//!
//! The backend keeps a running total of the heap its states occupy, so the simulated JVM can check its limit
//! after every access in O(1).

use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::keys::key_group_range_assignment::compute_key_group_for_key_hash;
use crate::engine::keys::key_registry::{KeyId, KeyInfo};
use crate::engine::shared::shared_storage::{unshared_bytes_of, SharedStorage};
use crate::engine::state::heap::copy_on_write_state_map::{
    CopyOnWriteStateMap, CopyOnWriteStateMapSnapshot, MapAccess, StateMapHeap,
};
use crate::engine::state::heap::state_map::StateMap;
use crate::engine::state::heap::state_objects::{ObjectRef, StateValueObject};
use crate::engine::state::heap::state_table::StateTable;
use crate::engine::state::state_descriptor::StateDescriptorType;
use crate::engine::state::state_error::StateError;
use crate::engine::state::value_state_descriptor::ValueStateDescriptor;

/// The timer service name of `KeyedProcessOperator`.
pub const USER_TIMERS: &str = "user-timers";

use crate::engine::operators::timer_heap_internal_timer::TimerHeapInternalTimer;
use crate::engine::state::heap::heap_priority_queue_set::HeapPriorityQueueSet;
pub use crate::engine::state::heap::internal_key_context::CurrentKey;
use crate::engine::state::keyed_backend_serialization_proxy::{StateMetaInfo, ValueSerializer};

/// A registered state: its kind and its table — among the tables of `Long`s held in the entries (value and
/// reducing states) or among those of objects (list, map and aggregating states).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RegisteredState {
    kind: StateDescriptorType,
    /// What its value serializer is (its snapshot in the checkpoint's meta data).
    serializer: ValueSerializer,
    /// Where the table is: among the object tables, or among those of `Long`s.
    storage: StateStorage,
    table: usize,
    /// `StateTtlConfig.cleanupFullSnapshot()`: the time to live (ms) by which a snapshot leaves expired
    /// `TtlValue`s out (`TtlStateSnapshotTransformer`).
    full_snapshot_ttl_ms: Option<i64>,
}

/// How a state's objects are kept: `Long`s in the entries, or objects the entries reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateStorage {
    /// A `Long` per key (value, reducing and sum-like aggregating states).
    Longs,
    /// An object per key (`ArrayList`, `HashMap`, an accumulator `Tuple2`).
    Objects,
}

/// A handle on a registered `ValueState<Long>`: `HeapValueState`. Calls go through the backend that made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeapValueState {
    table: usize,
}

impl HeapValueState {
    /// The `Long` state whose table is `table` (a reducing state's too: restoring writes them alike).
    pub(crate) fn of_table(table: usize) -> Self {
        HeapValueState { table }
    }
}

#[derive(Clone, Debug)]
pub struct HeapKeyedStateBackend {
    key_group_range: KeyGroupRange,
    number_of_key_groups: i32,
    key_type: JavaKeyType,
    /// `registeredKVStates`: descriptor name → kind and state table. A few, searched by name: a list, not an
    /// ordered map (whose code the page's wasm would carry for this one type: BENCHMARKS.md, "Size budget").
    registered_kv_states: Vec<(String, RegisteredState)>,
    /// Tables of states held in the entries (`Long`).
    state_tables: Vec<StateTable<i64>>,
    /// Tables of states that are objects (`ArrayList`, `HashMap`, accumulators).
    object_tables: Vec<StateTable<ObjectRef>>,
    /// Registered priority-queue (timer) states' names (`registeredPQStates`)…
    registered_pq_states: Vec<String>,
    /// … and their queues, in the same order.
    priority_queues: Vec<HeapPriorityQueueSet>,
    current_key: Option<CurrentKey>,
    heap_total: u64,
}

impl SharedStorage for HeapKeyedStateBackend {
    fn unshared_bytes(&self, other: Option<&Self>) -> u64 {
        unshared_bytes_of(&self.state_tables, other.map(|o| &o.state_tables[..]))
            + unshared_bytes_of(&self.object_tables, other.map(|o| &o.object_tables[..]))
            + unshared_bytes_of(&self.priority_queues, other.map(|o| &o.priority_queues[..]))
    }
}

impl HeapKeyedStateBackend {
    pub fn new(
        key_group_range: KeyGroupRange,
        number_of_key_groups: i32,
        key_type: JavaKeyType,
    ) -> Self {
        HeapKeyedStateBackend {
            key_group_range,
            number_of_key_groups,
            key_type,
            registered_kv_states: Vec::new(),
            state_tables: Vec::new(),
            object_tables: Vec::new(),
            registered_pq_states: Vec::new(),
            priority_queues: Vec::new(),
            current_key: None,
            heap_total: 0,
        }
    }

    pub fn key_group_range(&self) -> KeyGroupRange {
        self.key_group_range
    }

    pub fn number_of_key_groups(&self) -> i32 {
        self.number_of_key_groups
    }

    pub fn key_type(&self) -> JavaKeyType {
        self.key_type
    }

    /// `getPartitionedState(VoidNamespace, …, descriptor)`: the state registered under the descriptor's name,
    /// registering it (and eagerly creating one map per local key group) on first use.
    pub fn get_or_create_value_state(
        &mut self,
        descriptor: &ValueStateDescriptor,
    ) -> Result<HeapValueState, StateError> {
        let table = self.register(
            descriptor.name(),
            StateDescriptorType::Value,
            ValueSerializer::Long,
        )?;
        Ok(HeapValueState { table })
    }

    /// The table of the state registered under `name` as `kind`, registering it (and eagerly creating one map
    /// per local key group) on first use (`tryRegisterStateTable`). A `Long` is held in the entries, anything
    /// else is an object they reference.
    pub(crate) fn register(
        &mut self,
        name: &str,
        kind: StateDescriptorType,
        serializer: ValueSerializer,
    ) -> Result<usize, StateError> {
        let storage = if serializer == ValueSerializer::Long {
            StateStorage::Longs
        } else {
            StateStorage::Objects
        };
        if let Some(registered) = self.registered(name) {
            if registered.kind != kind {
                return Err(StateError::IncompatibleStateType {
                    name: name.to_owned(),
                    registered: registered.kind,
                    requested: kind,
                });
            }
            return Ok(registered.table);
        }
        let table = if storage == StateStorage::Objects {
            let table = StateTable::new(name, self.key_group_range);
            self.heap_total += table.heap().total();
            self.object_tables.push(table);
            self.object_tables.len() - 1
        } else {
            let table = StateTable::new(name, self.key_group_range);
            self.heap_total += table.heap().total();
            self.state_tables.push(table);
            self.state_tables.len() - 1
        };
        self.registered_kv_states.push((
            name.to_owned(),
            RegisteredState {
                kind,
                serializer,
                storage,
                table,
                full_snapshot_ttl_ms: None,
            },
        ));
        Ok(table)
    }

    /// `create(stateName, …)` of a priority-queue state (`HeapPriorityQueueSetFactory`): the index of the queue
    /// registered under `state_name`, registering an empty one the first time (a timer service's
    /// `_timer_state/processing_NAME` and `_timer_state/event_NAME`).
    pub fn create_priority_queue(&mut self, state_name: &str) -> usize {
        if let Some(i) = self
            .registered_pq_states
            .iter()
            .position(|s| s == state_name)
        {
            return i;
        }
        self.registered_pq_states.push(state_name.to_owned());
        self.priority_queues.push(HeapPriorityQueueSet::new(
            self.key_group_range,
            self.number_of_key_groups as u32,
        ));
        self.priority_queues.len() - 1
    }

    /// A registered priority-queue state, by its index in [`Self::priority_queue_state_names`].
    pub fn priority_queue(&self, index: usize) -> Option<&HeapPriorityQueueSet> {
        self.priority_queues.get(index)
    }

    pub(crate) fn priority_queue_mut(&mut self, index: usize) -> Option<&mut HeapPriorityQueueSet> {
        self.priority_queues.get_mut(index)
    }

    /// Timers in all priority-queue states.
    pub fn num_timers(&self) -> usize {
        self.priority_queues
            .iter()
            .map(HeapPriorityQueueSet::size)
            .sum()
    }

    fn registered(&self, name: &str) -> Option<&RegisteredState> {
        self.registered_kv_states
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| r)
    }

    /// Names of the registered key/value states, in registration order (states of `Long`s and of objects alike).
    pub fn kv_state_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.registered_kv_states
            .iter()
            .map(|(name, _)| name.as_str())
    }

    pub fn priority_queue_state_names(&self) -> &[String] {
        &self.registered_pq_states
    }

    /// The table of a registered value or reducing state (a state of `Long`s).
    pub fn state_table(&self, name: &str) -> Option<&StateTable<i64>> {
        self.registered(name)
            .filter(|r| r.storage == StateStorage::Longs)
            .map(|r| &self.state_tables[r.table])
    }

    /// The table of a registered list, map or aggregating state.
    pub fn object_table(&self, name: &str) -> Option<&StateTable<ObjectRef>> {
        self.registered(name)
            .filter(|r| r.storage == StateStorage::Objects)
            .map(|r| &self.object_tables[r.table])
    }

    /// The kind of the state registered under `name`.
    pub fn state_type(&self, name: &str) -> Option<StateDescriptorType> {
        self.registered(name).map(|r| r.kind)
    }

    /// The tables of the states that are objects, in registration order.
    pub fn object_tables(&self) -> &[StateTable<ObjectRef>] {
        &self.object_tables
    }

    pub fn state_tables(&self) -> &[StateTable<i64>] {
        &self.state_tables
    }

    /// The map of a key group of the first registered keyed state (the job function's), whatever its state
    /// objects are: `None` before a state is registered or for a key group outside the backend's range.
    pub fn first_state_map(&self, key_group: KeyGroup) -> Option<&dyn StateMap> {
        let (_, first) = self.registered_kv_states.first()?;
        match first.storage {
            StateStorage::Longs => self.state_tables[first.table]
                .map_for_key_group(key_group)
                .ok()
                .map(|m| m as &dyn StateMap),
            StateStorage::Objects => self.object_tables[first.table]
                .map_for_key_group(key_group)
                .ok()
                .map(|m| m as &dyn StateMap),
        }
    }

    /// The table behind a registered `ValueState`.
    pub fn table_of(&self, state: HeapValueState) -> &StateTable<i64> {
        &self.state_tables[state.table_index()]
    }

    /// `setCurrentKey(newKey)`: remembers the key and computes its key group again.
    #[inline]
    pub fn set_current_key(&mut self, key: KeyId, info: KeyInfo) {
        self.current_key = Some(CurrentKey {
            key,
            hash_code: info.hash_code,
            key_bytes: info.heap_bytes,
            key_group: compute_key_group_for_key_hash(info.hash_code, self.number_of_key_groups),
        });
    }

    /// Sets a key context saved before (a timer's: `keyContext.setCurrentKey(timer.getKey())`).
    pub fn set_current_key_context(&mut self, key: CurrentKey) {
        self.current_key = Some(key);
    }

    pub fn current_key(&self) -> Option<CurrentKey> {
        self.current_key
    }

    /// `numKeyValueStateEntries()`.
    pub fn num_key_value_state_entries(&self) -> usize {
        self.state_tables
            .iter()
            .map(StateTable::size)
            .sum::<usize>()
            + self
                .object_tables
                .iter()
                .map(StateTable::size)
                .sum::<usize>()
    }

    /// Heap bytes of all registered states (running total).
    /// Heap bytes of the state: every state table's (kept in step as they change) and the timer queues' above
    /// empty ones.
    pub fn heap_used(&self) -> u64 {
        self.heap_total + self.timers_heap()
    }

    /// The timer queues' heap above empty ones (`HeapPriorityQueueSet::heap_bytes`).
    pub fn timers_heap(&self) -> u64 {
        self.priority_queues
            .iter()
            .map(HeapPriorityQueueSet::heap_bytes)
            .sum()
    }

    /// The same, broken down by kind of object (computed by walking every map).
    pub fn heap_breakdown(&self) -> StateMapHeap {
        let mut total = StateMapHeap::default();
        for table in &self.state_tables {
            total.add(&table.heap());
        }
        for table in &self.object_tables {
            total.add(&table.heap());
        }
        total
    }

    #[inline]
    fn locate(&self, state: HeapValueState) -> Result<(CurrentKey, usize), StateError> {
        let current = self.current_key.ok_or(StateError::NoKeySet)?;
        let index = self.state_tables[state.table].map_index(current.key_group)?;
        Ok((current, index))
    }

    /// Runs `f` on one key group's map, keeping the heap total in step.
    #[inline]
    fn with_map<R>(
        &mut self,
        table: usize,
        index: usize,
        f: impl FnOnce(&mut CopyOnWriteStateMap<i64>) -> R,
    ) -> R {
        let map = self.state_tables[table].map_at_mut(index);
        let before = map.heap().total();
        let result = f(map);
        let after = map.heap().total();
        self.heap_total = self.heap_total.wrapping_add(after.wrapping_sub(before));
        result
    }

    /// The current key and the position of its key group's map in a `Long` state's table.
    pub(crate) fn locate_long(&self, table: usize) -> Result<(CurrentKey, usize), StateError> {
        self.locate(HeapValueState { table })
    }

    /// Runs `f` on one key group's map of a `Long` state, keeping the heap total in step.
    pub(crate) fn with_long_map<R>(
        &mut self,
        table: usize,
        index: usize,
        f: impl FnOnce(&mut CopyOnWriteStateMap<i64>) -> R,
    ) -> R {
        self.with_map(table, index, f)
    }

    /// An object state's table by its index.
    pub(crate) fn object_table_at(&self, table: usize) -> &StateTable<ObjectRef> {
        &self.object_tables[table]
    }

    /// The current key and the position of its key group's map in an object state's table.
    pub(crate) fn locate_object(&self, table: usize) -> Result<(CurrentKey, usize), StateError> {
        let current = self.current_key.ok_or(StateError::NoKeySet)?;
        let index = self.object_tables[table].map_index(current.key_group)?;
        Ok((current, index))
    }

    /// Runs `f` on one key group's map of an object state, keeping the heap total in step.
    pub(crate) fn with_object_map<R>(
        &mut self,
        table: usize,
        index: usize,
        f: impl FnOnce(&mut CopyOnWriteStateMap<ObjectRef>) -> R,
    ) -> R {
        let map = self.object_tables[table].map_at_mut(index);
        let before = map.heap().total();
        let result = f(map);
        let after = map.heap().total();
        self.heap_total = self.heap_total.wrapping_add(after.wrapping_sub(before));
        result
    }

    /// `StateTable.put(key, keyGroup, namespace, state)`: used by restore, without a key context.
    pub fn restore_entry(
        &mut self,
        state: HeapValueState,
        key: KeyId,
        info: KeyInfo,
        key_group: KeyGroup,
        value: i64,
    ) -> Result<MapAccess, StateError> {
        let index = self
            .state_tables
            .get(state.table)
            .ok_or_else(|| StateError::UnknownState(format!("state #{}", state.table)))?
            .map_index(key_group)?;
        Ok(self.with_map(state.table, index, |map| {
            map.put(key, info.hash_code, info.heap_bytes, value)
        }))
    }

    /// `StateTable.put(key, keyGroup, namespace, state)` of a restored object (a list, a map, an accumulator, a
    /// `TtlValue` with its timestamp) into the object state `table`: a new object on that key group's heap.
    pub fn restore_object_entry(
        &mut self,
        table: usize,
        key: KeyId,
        info: KeyInfo,
        key_group: KeyGroup,
        object: StateValueObject,
    ) -> Result<MapAccess, StateError> {
        let index = self
            .object_tables
            .get(table)
            .ok_or_else(|| StateError::UnknownState(format!("object state #{table}")))?
            .map_index(key_group)?;
        Ok(self.with_object_map(table, index, |map| {
            let object = map.objects_mut().allocate(object);
            map.put(key, info.hash_code, info.heap_bytes, object)
        }))
    }

    /// Registers a state's snapshot transformer of expired `TtlValue`s (`cleanupFullSnapshot()`), or none.
    pub(crate) fn set_full_snapshot_ttl(&mut self, name: &str, ttl_ms: Option<i64>) {
        if let Some((_, r)) = self
            .registered_kv_states
            .iter_mut()
            .find(|(n, _)| n == name)
        {
            r.full_snapshot_ttl_ms = ttl_ms;
        }
    }

    /// Per registered key/value state, in [`Self::kv_state_meta_infos`]'s order: the time to live by which a
    /// full snapshot leaves its expired values out.
    pub fn full_snapshot_ttls(&self) -> Vec<Option<i64>> {
        self.registered_kv_states
            .iter()
            .map(|(_, r)| r.full_snapshot_ttl_ms)
            .collect()
    }

    /// The registered key/value states in the order a snapshot writes them (their state ids): in the order they
    /// were registered, as what the proxy describes ([`StateMetaInfo`]) and where each one's table is.
    pub fn kv_state_meta_infos(&self) -> Vec<(StateMetaInfo<'_>, StateStorage, usize)> {
        self.registered_kv_states
            .iter()
            .map(|(name, r)| {
                (
                    StateMetaInfo {
                        name,
                        kind: r.kind,
                        value_serializer: r.serializer,
                    },
                    r.storage,
                    r.table,
                )
            })
            .collect()
    }

    /// The synchronous phase's copy-on-write snapshots (`snapshotMapArrays`) of every key-group map of every
    /// key/value state, in [`Self::kv_state_meta_infos`]'s order.
    pub fn snapshot_state_maps(
        &mut self,
    ) -> Result<Vec<Vec<CopyOnWriteStateMapSnapshot>>, StateError> {
        let total_states = self.registered_kv_states.len() + self.registered_pq_states.len();
        if total_states > i16::MAX as usize {
            return Err(StateError::TooManyStates(total_states));
        }
        let states: Vec<(StateStorage, usize)> = self
            .registered_kv_states
            .iter()
            .map(|(_, r)| (r.storage, r.table))
            .collect();
        let mut result = Vec::with_capacity(states.len());
        for (storage, table) in states {
            let count = self.key_group_range.number_of_key_groups();
            let mut snapshots = Vec::with_capacity(count);
            for index in 0..count {
                snapshots.push(match storage {
                    StateStorage::Longs => {
                        self.with_map(table, index, |map| map.state_snapshot())?
                    }
                    StateStorage::Objects => {
                        self.with_object_map(table, index, |map| map.state_snapshot())?
                    }
                });
            }
            result.push(snapshots);
        }
        Ok(result)
    }

    /// Releases one key-group map's snapshot (done right after that key group was written).
    pub fn release_snapshot(
        &mut self,
        storage: StateStorage,
        table: usize,
        index: usize,
        version: i32,
    ) -> Result<(), StateError> {
        match storage {
            StateStorage::Longs => {
                self.with_map(table, index, |map| map.release_snapshot(version))?
            }
            StateStorage::Objects => {
                self.with_object_map(table, index, |map| map.release_snapshot(version))?
            }
        }
        Ok(())
    }

    /// The timers of every priority-queue state, per local key group in heap-array order
    /// (`HeapPriorityQueueSnapshotRestoreWrapper.stateSnapshot`: a copy of the queue, partitioned by key group).
    pub fn snapshot_priority_queues(&self) -> Vec<Vec<Vec<TimerHeapInternalTimer>>> {
        let groups = self.key_group_range.number_of_key_groups();
        let first = self.key_group_range.start_key_group() as usize;
        self.priority_queues
            .iter()
            .map(|q| {
                let mut by_group = vec![Vec::new(); groups];
                for t in q.iter() {
                    if let Some(g) = by_group.get_mut(t.key.key_group.index() - first) {
                        g.push(*t);
                    }
                }
                by_group
            })
            .collect()
    }
}

impl HeapValueState {
    /// Index of the state's table in the backend (its state id in snapshots).
    pub fn table_index(&self) -> usize {
        self.table
    }

    /// `value()`: the current key's value, `null` when absent (no default value is set).
    #[inline]
    pub fn value(
        &self,
        backend: &mut HeapKeyedStateBackend,
    ) -> Result<(Option<i64>, MapAccess), StateError> {
        let (current, index) = backend.locate(*self)?;
        Ok(backend.with_map(self.table, index, |map| {
            map.get(current.key, current.hash_code)
        }))
    }

    /// `update(value)`; `update(null)` is `clear()`.
    #[inline]
    pub fn update(
        &self,
        backend: &mut HeapKeyedStateBackend,
        value: Option<i64>,
    ) -> Result<MapAccess, StateError> {
        match value {
            None => self.clear(backend),
            Some(v) => {
                let (current, index) = backend.locate(*self)?;
                Ok(backend.with_map(self.table, index, |map| {
                    map.put(current.key, current.hash_code, current.key_bytes, v)
                }))
            }
        }
    }

    /// `clear()`: `stateTable.remove(currentNamespace)`.
    pub fn clear(&self, backend: &mut HeapKeyedStateBackend) -> Result<MapAccess, StateError> {
        let (current, index) = backend.locate(*self)?;
        Ok(backend.with_map(self.table, index, |map| {
            map.remove(current.key, current.hash_code).1
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::keys::key_registry::{KeyFormat, KeyRegistry};
    use crate::engine::state::value_state_descriptor::EVENT_COUNTER_STATE_NAME;

    fn backend(range: KeyGroupRange) -> (HeapKeyedStateBackend, HeapValueState) {
        let mut b = HeapKeyedStateBackend::new(range, 128, JavaKeyType::String);
        let s = b
            .get_or_create_value_state(&ValueStateDescriptor::new_long(EVENT_COUNTER_STATE_NAME))
            .unwrap();
        (b, s)
    }

    #[test]
    fn maps_are_created_eagerly_for_every_local_key_group() {
        let (b, _) = backend(KeyGroupRange::of(0, 127));
        let table = b.state_table(EVENT_COUNTER_STATE_NAME).unwrap();
        assert_eq!(table.maps().len(), 128);
        // 128 empty maps of 656 B each plus the StateMap[128] array: the reference's ≈84.5 KB.
        assert_eq!(b.heap_used(), 128 * 656 + 528);
        assert_eq!(b.heap_used(), b.heap_breakdown().total());
    }

    #[test]
    fn states_are_registered_by_descriptor_name() {
        let (mut b, s) = backend(KeyGroupRange::of(0, 63));
        let again = b
            .get_or_create_value_state(&ValueStateDescriptor::new_long(EVENT_COUNTER_STATE_NAME))
            .unwrap();
        assert_eq!(s, again);
        let other = b
            .get_or_create_value_state(&ValueStateDescriptor::new_long("other"))
            .unwrap();
        assert_ne!(s, other);
        assert_eq!(
            b.kv_state_names().collect::<Vec<_>>(),
            vec![EVENT_COUNTER_STATE_NAME, "other"]
        );
    }

    #[test]
    fn value_update_and_clear_follow_the_current_key() {
        let (mut b, s) = backend(KeyGroupRange::of(0, 127));
        let mut keys = KeyRegistry::new(KeyFormat::default());
        assert_eq!(s.value(&mut b), Err(StateError::NoKeySet));
        let a = keys
            .intern(&crate::engine::keys::java_key::JavaKey::String("a".into()))
            .unwrap();
        b.set_current_key(a, keys.info(a));
        assert_eq!(b.current_key().unwrap().key_group, KeyGroup::new(81));
        assert_eq!(s.value(&mut b).unwrap().0, None);
        s.update(&mut b, Some(1)).unwrap();
        assert_eq!(s.value(&mut b).unwrap().0, Some(1));
        // update(null) == clear()
        let access = s.update(&mut b, None).unwrap();
        assert!(access.removed);
        assert_eq!(s.value(&mut b).unwrap().0, None);
        assert_eq!(b.num_key_value_state_entries(), 0);
        assert_eq!(b.heap_used(), b.heap_breakdown().total());
    }

    #[test]
    fn a_key_outside_the_range_gets_flinks_error() {
        let (mut b, s) = backend(KeyGroupRange::of(0, 63));
        let mut keys = KeyRegistry::new(KeyFormat::default());
        let a = keys
            .intern(&crate::engine::keys::java_key::JavaKey::String("a".into()))
            .unwrap();
        b.set_current_key(a, keys.info(a));
        let err = s.update(&mut b, Some(1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Key group 81 is not in KeyGroupRange{startKeyGroup=0, endKeyGroup=63}. Unless you're directly \
             using low level state access APIs, this is most likely caused by non-deterministic shuffle key \
             (hashCode and equals implementation)."
        );
    }
}
