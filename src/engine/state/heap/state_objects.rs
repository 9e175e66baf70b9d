//! The mutable state objects of a heap `StateTable` — the `ArrayList` of a `ListState`, the `HashMap` of a
//! `MapState` (or of a `ValueState<HashMap<…>>`), an aggregating state's `Tuple2` accumulator, and with state TTL
//! a `TtlValue`, or the `ArrayList`/`HashMap` of `TtlValue`s of a list or map state with TTL — as the objects a
//! `StateMapEntry.state` references on the JVM.
//! Not a Flink class: StateLab's model of that corner of the JVM heap, so that several entries (the live one and
//! the copies a snapshot retains) can reference one object, the serializer's `copy()` makes a new one
//! (`ListSerializer.copy`, `MapSerializer.copy`), a user function that keeps a reference can change state
//! without `update()`, and every object is counted in bytes as JDK 17 lays it out (compressed oops).
//!
//! Elements and map values are `java.lang.Long`s and map keys `java.lang.String`s: immutable, so a copy shares
//! them with the original (`LongSerializer` and `StringSerializer` return the object itself).

use crate::engine::keys::java_key::string_hash_code;
use crate::engine::memory::array_list::ArrayListCapacity;
use crate::engine::memory::hash_map::HashMapTable;
use crate::engine::memory::jvm_object_sizes::{
    boxed_long, string_with_value, KEY_STATS, TTL_VALUE, TUPLE2,
};
use crate::engine::shared::chunked_vec::ChunkedVec;
use crate::engine::shared::shared_storage::SharedStorage;
use crate::engine::state::keyed_backend_serialization_proxy::string_serialized_bytes;
use crate::engine::state::state_object::StateObject;
use std::rc::Rc;

/// A reference to a state object (a Java reference): its slot in the table's object heap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ObjectRef(u32);

/// One mapping of a `HashMap<String, Long>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapEntry {
    /// The user key: a `String` object of its own (as a deserialized record's field is).
    pub key: Rc<str>,
    pub value: i64,
}

/// `org.apache.flink.runtime.state.ttl.TtlValue<Long>` as an element of a list state with TTL or a value of a map
/// state with TTL: the user's `Long` and when it was last written (or read, with `OnReadAndWrite`). Immutable
/// (`TtlSerializer.copy` returns the very object), so the lists and maps that copy it share it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TtlLong {
    pub user_value: i64,
    pub last_access_timestamp: i64,
}

/// One mapping of a `HashMap<String, TtlValue<Long>>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TtlMapEntry {
    /// The user key: a `String` object of its own; not wrapped (only values carry a timestamp).
    pub key: Rc<str>,
    pub value: TtlLong,
}

/// Bytes `PojoSerializer.serialize` writes for a `KeyStats`: the flags byte (`NO_SUBCLASS`), then for `count` and
/// `sum` a `boolean` null marker and the `long` (Flink 2.3's bytecode; `tools/flink-checkpoint-sizes` measures 32
/// bytes per entry with the 1-byte namespace and a 12-byte key).
pub const KEY_STATS_SERIALIZED: u64 = 1 + 2 * (1 + 8);

/// A mutable state object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateValueObject {
    /// `java.util.ArrayList<Long>`.
    List {
        elements: Vec<i64>,
        capacity: ArrayListCapacity,
    },
    /// `java.util.HashMap<String, Long>`, its mappings in insertion order (the table keeps its own order).
    Map {
        entries: Vec<MapEntry>,
        table: HashMapTable,
    },
    /// `org.apache.flink.api.java.tuple.Tuple2<Long, Long>`, e.g. an average's (sum, count) accumulator.
    Tuple2 { f0: i64, f1: i64 },
    /// `KeyStats`, the POJO of `KeyStatsProcessFunction` (`public long count; public long sum;`): two primitive
    /// fields in the object itself, no boxed `Long`s. Mutable: `PojoSerializer.copy` makes a new instance.
    KeyStats { count: i64, sum: i64 },
    /// `org.apache.flink.runtime.state.ttl.TtlValue<Long>`: a value of a state with TTL and the time it was last
    /// written (or read, with `OnReadAndWrite`). Immutable: a new timestamp is a new `TtlValue`.
    TtlValue {
        /// `userValue`: a `Long`, or `null` (`update(null)` of a TTL value state stores a `TtlValue` of null).
        user_value: Option<i64>,
        last_access_timestamp: i64,
    },
    /// `java.util.ArrayList<TtlValue<Long>>`: the list of a `ListState<Long>` with TTL (`TtlListState`), each
    /// element a `TtlValue` around its `Long`.
    TtlList {
        elements: Vec<TtlLong>,
        capacity: ArrayListCapacity,
    },
    /// `java.util.HashMap<String, TtlValue<Long>>`: the map of a `MapState<String, Long>` with TTL
    /// (`TtlMapState`), each value a `TtlValue` around its `Long`, in insertion order.
    TtlMap {
        entries: Vec<TtlMapEntry>,
        table: HashMapTable,
    },
}

impl StateValueObject {
    /// `new ArrayList<>()`.
    pub fn new_list() -> Self {
        StateValueObject::List {
            elements: Vec::new(),
            capacity: ArrayListCapacity::new(),
        }
    }

    /// `new HashMap<>()`.
    pub fn new_map() -> Self {
        StateValueObject::Map {
            entries: Vec::new(),
            table: HashMapTable::new(),
        }
    }

    /// `new ArrayList<>()` of a list state with TTL.
    pub fn new_ttl_list() -> Self {
        StateValueObject::TtlList {
            elements: Vec::new(),
            capacity: ArrayListCapacity::new(),
        }
    }

    /// `new HashMap<>()` of a map state with TTL.
    pub fn new_ttl_map() -> Self {
        StateValueObject::TtlMap {
            entries: Vec::new(),
            table: HashMapTable::new(),
        }
    }

    /// `new ArrayList<>(capacity)` and an `add` of each element (`TtlListState.getUnexpiredOrNull`'s list of the
    /// unexpired elements, of the old list's size; `ListSerializer.copy` with `capacity` = the length).
    pub fn ttl_list_of(elements: Vec<TtlLong>, capacity: u32) -> Self {
        let mut c = ArrayListCapacity::with_capacity(capacity);
        c.ensure(elements.len() as u32);
        StateValueObject::TtlList {
            elements,
            capacity: c,
        }
    }

    /// `new HashMap<>()` and a `put` of each mapping (`TtlMapState.getUnexpiredOrNull`'s new map).
    pub fn ttl_map_of(entries: Vec<TtlMapEntry>) -> Self {
        let mut table = HashMapTable::new();
        for _ in &entries {
            table.insert();
        }
        StateValueObject::TtlMap { entries, table }
    }

    /// A list of `elements` as the serializer's copy makes it (`new ArrayList<>(size)` plus every element): what a
    /// checkpoint's copy and a blob's list read back as.
    pub fn list_of(elements: Vec<i64>) -> Self {
        let mut capacity = ArrayListCapacity::with_capacity(elements.len() as u32);
        capacity.ensure(elements.len() as u32);
        StateValueObject::List { elements, capacity }
    }

    /// A map of `entries` as the serializer's copy makes it (`newHashMapWithExpectedSize(size)` plus every
    /// mapping).
    pub fn map_of(entries: Vec<MapEntry>) -> Self {
        let mut table = HashMapTable::with_expected_size(entries.len() as u32);
        for _ in &entries {
            table.insert();
        }
        StateValueObject::Map { entries, table }
    }

    /// The container alone: the `ArrayList` and its array, or the `HashMap`, its table and nodes.
    pub fn container_bytes(&self) -> u64 {
        match self {
            StateValueObject::List { capacity, .. } => capacity.heap_bytes(),
            StateValueObject::Map { table, .. } => table.heap_bytes(),
            StateValueObject::Tuple2 { .. } => TUPLE2,
            StateValueObject::KeyStats { .. } => KEY_STATS,
            StateValueObject::TtlValue { .. } => TTL_VALUE,
            StateValueObject::TtlList { capacity, .. } => capacity.heap_bytes(),
            StateValueObject::TtlMap { table, .. } => table.heap_bytes(),
        }
    }

    /// The container and the elements, keys and values it references.
    pub fn heap_bytes(&self) -> u64 {
        self.container_bytes()
            + match self {
                StateValueObject::List { elements, .. } => {
                    elements.iter().map(|&v| boxed_long(v)).sum::<u64>()
                }
                StateValueObject::Map { entries, .. } => entries
                    .iter()
                    .map(|e| string_with_value(&e.key) + boxed_long(e.value))
                    .sum::<u64>(),
                StateValueObject::Tuple2 { f0, f1 } => boxed_long(*f0) + boxed_long(*f1),
                StateValueObject::KeyStats { .. } => 0,
                StateValueObject::TtlValue { user_value, .. } => user_value.map_or(0, boxed_long),
                StateValueObject::TtlList { elements, .. } => elements
                    .iter()
                    .map(|e| TTL_VALUE + boxed_long(e.user_value))
                    .sum::<u64>(),
                StateValueObject::TtlMap { entries, .. } => entries
                    .iter()
                    .map(|e| string_with_value(&e.key) + TTL_VALUE + boxed_long(e.value.user_value))
                    .sum::<u64>(),
            }
    }

    /// The Java objects it is made of, as [`Self::heap_bytes`] counts them: the container (and its array or
    /// table once allocated), a `HashMap`'s nodes and their key `String`s (with their `byte[]`), every
    /// `TtlValue`, and every `Long` outside `Long.valueOf`'s cache.
    pub fn java_objects(&self) -> u64 {
        let boxed = |v: i64| u64::from(boxed_long(v) > 0);
        match self {
            StateValueObject::List { elements, capacity } => {
                1 + u64::from(capacity.capacity() > 0)
                    + elements.iter().map(|&v| boxed(v)).sum::<u64>()
            }
            StateValueObject::Map { entries, table } => {
                1 + u64::from(table.table_length() > 0)
                    + entries.iter().map(|e| 3 + boxed(e.value)).sum::<u64>()
            }
            StateValueObject::Tuple2 { f0, f1 } => 1 + boxed(*f0) + boxed(*f1),
            StateValueObject::KeyStats { .. } => 1,
            StateValueObject::TtlValue { user_value, .. } => 1 + user_value.map_or(0, boxed),
            StateValueObject::TtlList { elements, capacity } => {
                1 + u64::from(capacity.capacity() > 0)
                    + elements
                        .iter()
                        .map(|e| 1 + boxed(e.user_value))
                        .sum::<u64>()
            }
            StateValueObject::TtlMap { entries, table } => {
                1 + u64::from(table.table_length() > 0)
                    + entries
                        .iter()
                        .map(|e| 4 + boxed(e.value.user_value))
                        .sum::<u64>()
            }
        }
    }

    /// Bytes the state serializer writes: `ListSerializer` (an `int` count, then each `Long` in 8 bytes, each
    /// `TtlValue` in 16: `TtlSerializer` writes the timestamp, then the `Long`), `MapSerializer` (an `int` count,
    /// then per mapping the key, a null flag and the value), `TupleSerializer` (each field, no count) or
    /// `PojoSerializer` (a flags byte, then per field a null flag and the field: 1 + 2 × (1 + 8)).
    pub fn serialized_bytes(&self) -> u64 {
        if let StateValueObject::KeyStats { .. } = self {
            return KEY_STATS_SERIALIZED;
        }
        // `TupleSerializer`: each field, no count; `TtlSerializer` (a `CompositeSerializer`): the timestamp's
        // `long`, then the user value.
        if let StateValueObject::Tuple2 { .. } | StateValueObject::TtlValue { .. } = self {
            return 16;
        }
        4 + match self {
            StateValueObject::List { elements, .. } => 8 * elements.len() as u64,
            StateValueObject::Map { entries, .. } => entries
                .iter()
                .map(|e| string_serialized_bytes(&e.key) + 1 + 8)
                .sum(),
            StateValueObject::TtlList { elements, .. } => 16 * elements.len() as u64,
            StateValueObject::TtlMap { entries, .. } => entries
                .iter()
                .map(|e| string_serialized_bytes(&e.key) + 1 + 16)
                .sum(),
            StateValueObject::Tuple2 { .. }
            | StateValueObject::KeyStats { .. }
            | StateValueObject::TtlValue { .. } => 0,
        }
    }

    /// The serializer's `copy()`: `ListSerializer.copy` (`new ArrayList<>(size)` plus every element) or
    /// `MapSerializer.copy` (`CollectionUtil.newHashMapWithExpectedSize(size)` plus every mapping) — the elements'
    /// and values' copies being the very `Long`s and `TtlValue`s (immutable types). A `TtlValue` is itself
    /// immutable: its copy is the same object (see [`Self::is_immutable`]), an equal value here.
    pub fn serializer_copy(&self) -> Self {
        match self {
            StateValueObject::List { elements, .. } => StateValueObject::list_of(elements.clone()),
            StateValueObject::Map { .. } => {
                StateValueObject::map_of(self.map_entries_in_table_order().unwrap_or_default())
            }
            // `TupleSerializer.copy`: a new tuple of the fields' copies (the same `Long`s).
            StateValueObject::Tuple2 { f0, f1 } => StateValueObject::Tuple2 { f0: *f0, f1: *f1 },
            // `PojoSerializer.copy`: a new instance (`instantiateRaw`), each field copied.
            StateValueObject::KeyStats { count, sum } => StateValueObject::KeyStats {
                count: *count,
                sum: *sum,
            },
            StateValueObject::TtlValue {
                user_value,
                last_access_timestamp,
            } => StateValueObject::TtlValue {
                user_value: *user_value,
                last_access_timestamp: *last_access_timestamp,
            },
            StateValueObject::TtlList { elements, .. } => {
                StateValueObject::ttl_list_of(elements.clone(), elements.len() as u32)
            }
            StateValueObject::TtlMap { entries, .. } => {
                let mut table = HashMapTable::with_expected_size(entries.len() as u32);
                for _ in entries {
                    table.insert();
                }
                StateValueObject::TtlMap {
                    entries: self.ttl_map_entries_in_table_order().unwrap_or_default(),
                    table,
                }
            }
        }
    }

    /// Whether the state serializer's `copy()` returns the object itself: `TtlSerializer`'s does (a
    /// `CompositeSerializer` of immutable `LongSerializer`s, `isImmutableType()`), so copy-on-write shares a
    /// `TtlValue` between the snapshot and the live entry, as it shares a `Long`.
    pub fn is_immutable(&self) -> bool {
        matches!(self, StateValueObject::TtlValue { .. })
    }

    /// `list.add(value)`.
    pub fn list_add(&mut self, value: i64) {
        if let StateValueObject::List { elements, capacity } = self {
            capacity.ensure(elements.len() as u32 + 1);
            elements.push(value);
        }
    }

    /// `map.put(key, value)`: the previous value, if the key was mapped.
    pub fn map_put(&mut self, key: &str, value: i64) -> Option<i64> {
        let StateValueObject::Map { entries, table } = self else {
            return None;
        };
        if let Some(e) = entries.iter_mut().find(|e| &*e.key == key) {
            return Some(std::mem::replace(&mut e.value, value));
        }
        table.insert();
        entries.push(MapEntry {
            key: key.into(),
            value,
        });
        None
    }

    /// `map.get(key)`.
    pub fn map_get(&self, key: &str) -> Option<i64> {
        match self {
            StateValueObject::Map { entries, .. } => {
                entries.iter().find(|e| &*e.key == key).map(|e| e.value)
            }
            StateValueObject::List { .. }
            | StateValueObject::Tuple2 { .. }
            | StateValueObject::KeyStats { .. }
            | StateValueObject::TtlValue { .. }
            | StateValueObject::TtlList { .. }
            | StateValueObject::TtlMap { .. } => None,
        }
    }

    /// `map.remove(key)`.
    pub fn map_remove(&mut self, key: &str) -> Option<i64> {
        let StateValueObject::Map { entries, table } = self else {
            return None;
        };
        let position = entries.iter().position(|e| &*e.key == key)?;
        table.remove();
        Some(entries.remove(position).value)
    }

    /// `list.add(element)` on a list of `TtlValue`s.
    pub fn ttl_list_add(&mut self, element: TtlLong) {
        if let StateValueObject::TtlList { elements, capacity } = self {
            capacity.ensure(elements.len() as u32 + 1);
            elements.push(element);
        }
    }

    /// `map.put(key, value)` on a map of `TtlValue`s: the previous value, if the key was mapped.
    pub fn ttl_map_put(&mut self, key: &str, value: TtlLong) -> Option<TtlLong> {
        let StateValueObject::TtlMap { entries, table } = self else {
            return None;
        };
        if let Some(e) = entries.iter_mut().find(|e| &*e.key == key) {
            return Some(std::mem::replace(&mut e.value, value));
        }
        table.insert();
        entries.push(TtlMapEntry {
            key: key.into(),
            value,
        });
        None
    }

    /// `map.get(key)` on a map of `TtlValue`s.
    pub fn ttl_map_get(&self, key: &str) -> Option<TtlLong> {
        match self {
            StateValueObject::TtlMap { entries, .. } => {
                entries.iter().find(|e| &*e.key == key).map(|e| e.value)
            }
            _ => None,
        }
    }

    /// `map.remove(key)` on a map of `TtlValue`s.
    pub fn ttl_map_remove(&mut self, key: &str) -> Option<TtlLong> {
        let StateValueObject::TtlMap { entries, table } = self else {
            return None;
        };
        let position = entries.iter().position(|e| &*e.key == key)?;
        table.remove();
        Some(entries.remove(position).value)
    }

    /// `userMap.remove(key)` on whichever map this is, of `Long`s or of `TtlValue`s (as `HeapMapState`'s code is
    /// the same for both in Java): whether the key was mapped.
    pub fn remove_mapping(&mut self, key: &str) -> bool {
        self.map_remove(key).is_some() || self.ttl_map_remove(key).is_some()
    }

    /// The number of elements or mappings.
    pub fn len(&self) -> usize {
        match self {
            StateValueObject::List { elements, .. } => elements.len(),
            StateValueObject::Map { entries, .. } => entries.len(),
            StateValueObject::TtlList { elements, .. } => elements.len(),
            StateValueObject::TtlMap { entries, .. } => entries.len(),
            StateValueObject::Tuple2 { .. }
            | StateValueObject::KeyStats { .. }
            | StateValueObject::TtlValue { .. } => 2,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A `TtlValue<Long>` field by field, as a debugger shows it (`TtlValue` has no `toString()` of its own).
fn write_ttl(
    f: &mut std::fmt::Formatter<'_>,
    user_value: Option<i64>,
    last_access_timestamp: i64,
) -> std::fmt::Result {
    match user_value {
        Some(v) => write!(
            f,
            "TtlValue{{userValue={v}, lastAccessTimestamp={last_access_timestamp}}}"
        ),
        None => write!(
            f,
            "TtlValue{{userValue=null, lastAccessTimestamp={last_access_timestamp}}}"
        ),
    }
}

impl std::fmt::Display for TtlLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_ttl(f, Some(self.user_value), self.last_access_timestamp)
    }
}

impl StateValueObject {
    /// A list's elements as Java prints each (`Long`s, or `TtlValue`s of a list with TTL).
    pub fn element_texts(&self) -> Option<Vec<String>> {
        match self {
            StateValueObject::List { elements, .. } => {
                Some(elements.iter().map(i64::to_string).collect())
            }
            StateValueObject::TtlList { elements, .. } => {
                Some(elements.iter().map(TtlLong::to_string).collect())
            }
            _ => None,
        }
    }

    /// The indices of a map's mappings (in its `entries`) in the order its `HashMap` holds them, which is the
    /// order Java iterates them (`entrySet()`, `toString()`): bucket by bucket (`(h ^ h >>> 16) & (n - 1)` of the
    /// key's `hashCode()`), a bucket's chain in insertion order.
    pub fn table_order(&self) -> Option<Vec<usize>> {
        let (keys, table): (Vec<&str>, &HashMapTable) = match self {
            StateValueObject::Map { entries, table } => {
                (entries.iter().map(|e| &*e.key).collect(), table)
            }
            StateValueObject::TtlMap { entries, table } => {
                (entries.iter().map(|e| &*e.key).collect(), table)
            }
            _ => return None,
        };
        let n = table.table_length().max(1);
        let buckets: Vec<u32> = keys
            .iter()
            .map(|key| {
                let h = string_hash_code(key);
                ((h ^ ((h as u32) >> 16) as i32) as u32) & (n - 1)
            })
            .collect();
        if buckets.len() <= 32 {
            // An insertion sort, stable, for a map state's few mappings.
            let mut order: Vec<(u32, usize)> = Vec::with_capacity(buckets.len());
            for (i, &b) in buckets.iter().enumerate() {
                let at = order
                    .iter()
                    .rposition(|&(o, _)| o <= b)
                    .map_or(0, |p| p + 1);
                order.insert(at, (b, i));
            }
            return Some(order.into_iter().map(|(_, i)| i).collect());
        }
        // A counting sort by bucket, stable, in time linear in the mappings and the table (a map read from a blob
        // may hold 100,000: `MAX_MAP_SIZE`). No sort routine of its own in the page.
        let mut start = vec![0usize; n as usize + 1];
        for &b in &buckets {
            start[b as usize + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut order = vec![0; buckets.len()];
        for (i, &b) in buckets.iter().enumerate() {
            order[start[b as usize]] = i;
            start[b as usize] += 1;
        }
        Some(order)
    }

    /// A `MapState`'s mappings in the order its `HashMap` iterates them ([`Self::table_order`]): the order in which
    /// Java's copies (`MapSerializer.copy`, a TTL map's `getUnexpiredOrNull`, the snapshot transformer) put them
    /// into their new map, and in which `MapSerializer.serialize` writes them.
    pub fn map_entries_in_table_order(&self) -> Option<Vec<MapEntry>> {
        match self {
            StateValueObject::Map { entries, .. } => Some(in_order(entries, self.table_order()?)),
            _ => None,
        }
    }

    /// A TTL map's mappings in the order its `HashMap` iterates them, as [`Self::map_entries_in_table_order`].
    pub fn ttl_map_entries_in_table_order(&self) -> Option<Vec<TtlMapEntry>> {
        match self {
            StateValueObject::TtlMap { entries, .. } => {
                Some(in_order(entries, self.table_order()?))
            }
            _ => None,
        }
    }

    /// A map's mappings as its `HashMap` holds them ([`Self::table_order`]), each value as Java prints it.
    pub fn mappings_in_table_order(&self) -> Option<Vec<(Rc<str>, String)>> {
        let order = self.table_order()?;
        Some(match self {
            StateValueObject::Map { entries, .. } => order
                .into_iter()
                .map(|i| (entries[i].key.clone(), entries[i].value.to_string()))
                .collect(),
            StateValueObject::TtlMap { entries, .. } => order
                .into_iter()
                .map(|i| (entries[i].key.clone(), entries[i].value.to_string()))
                .collect(),
            _ => return None,
        })
    }
}

/// `items` in the order of `order` (indices into them).
fn in_order<T: Clone>(items: &[T], order: Vec<usize>) -> Vec<T> {
    order.into_iter().map(|i| items[i].clone()).collect()
}

/// As Java's `toString()` writes the object: `ArrayList` `[3, 7]`, `HashMap` `{a=1, b=2}` in the order its table
/// holds the mappings, `Tuple2` `(3,12)`, `KeyStats` as its `toString()` writes it (`KeyStats{count=3, sum=120}`);
/// `TtlValue` field by field.
impl std::fmt::Display for StateValueObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(elements) = self.element_texts() {
            return write!(f, "[{}]", elements.join(", "));
        }
        if let Some(mappings) = self.mappings_in_table_order() {
            f.write_str("{")?;
            for (n, (key, value)) in mappings.iter().enumerate() {
                if n > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{key}={value}")?;
            }
            return f.write_str("}");
        }
        match self {
            StateValueObject::Tuple2 { f0, f1 } => write!(f, "({f0},{f1})"),
            StateValueObject::KeyStats { count, sum } => {
                write!(f, "KeyStats{{count={count}, sum={sum}}}")
            }
            StateValueObject::TtlValue {
                user_value,
                last_access_timestamp,
            } => write_ttl(f, *user_value, *last_access_timestamp),
            _ => Ok(()),
        }
    }
}

/// Objects per chunk of the heap.
const OBJECT_CHUNK: usize = 64;

/// The object heap of one key-group map: slots holding objects, reused once freed. Objects sit behind [`Rc`] so
/// a time-travel clone shares them until either side writes.
#[derive(Clone, Debug, Default)]
pub struct StateObjects {
    slots: ChunkedVec<Option<Rc<StateValueObject>>, OBJECT_CHUNK>,
    free: Vec<u32>,
}

impl StateObjects {
    /// Places a new object on the heap.
    pub fn allocate(&mut self, object: StateValueObject) -> ObjectRef {
        let object = Some(Rc::new(object));
        match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = object;
                ObjectRef(slot)
            }
            None => {
                self.slots.push(object);
                ObjectRef(self.slots.len() as u32 - 1)
            }
        }
    }

    /// The object a reference points at.
    pub fn get(&self, r: ObjectRef) -> Option<&StateValueObject> {
        self.slots.get(r.0 as usize)?.as_deref()
    }

    /// The object, for changing it in place (everything that references it sees the change).
    pub fn get_mut(&mut self, r: ObjectRef) -> Option<&mut StateValueObject> {
        self.slots.get_mut(r.0 as usize)?.as_mut().map(Rc::make_mut)
    }

    fn release(&mut self, r: ObjectRef) {
        if let Some(slot) = self.slots.get_mut(r.0 as usize) {
            if slot.take().is_some() {
                self.free.push(r.0);
            }
        }
    }

    /// Objects on the heap.
    pub fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl SharedStorage for StateObjects {
    fn unshared_bytes(&self, other: Option<&Self>) -> u64 {
        // The slots chunk by chunk, plus every object a clone does not share: in a chunk both share, every
        // object is shared too.
        let objects: u64 = self
            .slots
            .unshared_chunks(other.map(|o| &o.slots))
            .flat_map(|(start, chunk)| (start..).zip(chunk))
            .filter_map(|(i, slot)| {
                let mine = slot.as_ref()?;
                let shared = other
                    .and_then(|o| o.slots.get(i))
                    .and_then(Option::as_ref)
                    .is_some_and(|theirs| Rc::ptr_eq(mine, theirs));
                (!shared).then(|| mine.len() as u64 * 32 + 64)
            })
            .sum();
        self.slots.unshared_bytes(other.map(|o| &o.slots))
            + objects
            + (self.free.len() * std::mem::size_of::<u32>()) as u64
    }
}

impl StateObject for ObjectRef {
    type Objects = StateObjects;
    const HAS_OBJECTS: bool = true;

    fn heap_bytes(&self, objects: &StateObjects) -> u64 {
        objects.get(*self).map_or(0, StateValueObject::heap_bytes)
    }

    fn serialized_bytes(&self, objects: &StateObjects) -> u64 {
        objects
            .get(*self)
            .map_or(0, StateValueObject::serialized_bytes)
    }

    fn serializer_copy(&self, objects: &mut StateObjects) -> Option<(ObjectRef, u64)> {
        let original = objects.get(*self)?;
        if original.is_immutable() {
            return None;
        }
        let unshared = original.container_bytes();
        let copy = original.serializer_copy();
        Some((objects.allocate(copy), unshared))
    }

    fn is_same_object(&self, other: &ObjectRef) -> bool {
        self == other
    }

    fn free(&self, objects: &mut StateObjects) {
        objects.release(*self);
    }

    fn collect_garbage(objects: &mut StateObjects, reachable: &mut dyn Iterator<Item = ObjectRef>) {
        let mut marked = vec![false; objects.slots.len()];
        for r in reachable {
            if let Some(m) = marked.get_mut(r.0 as usize) {
                *m = true;
            }
        }
        for (slot, marked) in marked.into_iter().enumerate() {
            if !marked {
                objects.release(ObjectRef(slot as u32));
            }
        }
    }
}
