//! The object tree a Java debugger shows while stopped in `processElement`, from the function's `runtimeContext`
//! down to the `StateMapEntry` of the current key — `StreamingRuntimeContext` → `DefaultKeyedStateStore` →
//! `HeapKeyedStateBackend` → `keyValueStatesByName` → `"event-counter"` → `HeapValueState` →
//! `CopyOnWriteStateTable` → `keyGroupedStateMaps[i]` → `CopyOnWriteStateMap` → `primaryTable[bucket]` →
//! `StateMapEntry` — with the job's live values, built from a `&MiniCluster` alone. Field names are Flink 2.x's.
//! Children are built only for open nodes; arrays open in chunks of 100 as IDE debuggers show them. Object ids
//! (`@1234`) are stable per object, so a copy-on-write copy shows up as a new object next to the one a snapshot
//! still holds. The debugger view (`crate::web`) draws it.

use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::cluster::operator_id::JobOperatorIds;
use crate::engine::functions::job_function::JobFunction;
use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_registry::KeyId;
use crate::engine::state::heap::copy_on_write_state_map::MINIMUM_CAPACITY;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::state_map::{ShownState, StateMap};
use crate::engine::state::heap::state_map_entry::TableKind;
use crate::engine::state::heap::state_objects::StateValueObject;

/// Array elements per chunk, as IntelliJ groups them.
pub const CHUNK: usize = 100;
/// `CopyOnWriteStateMap.EMPTY_TABLE`: `new StateMapEntry[MINIMUM_CAPACITY >>> 1]`, shared by every idle map.
const EMPTY_TABLE_LENGTH: usize = MINIMUM_CAPACITY >> 1;

/// What a node of the tree is: enough to build its children on demand.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Obj {
    Function,
    RuntimeContext,
    KeyedStateStore,
    Backend,
    KeyContext,
    KvStatesByName,
    RegisteredKvStates,
    RegisteredPqStates,
    /// A registered priority queue (timers): its index among them.
    TimerQueue {
        queue: usize,
    },
    /// Its heap array, `queue[1..=size]`.
    TimerArray {
        queue: usize,
    },
    /// The function's state (`HeapValueState`, `HeapListState`, …).
    ValueState,
    /// A `TtlValueState` around it.
    TtlState,
    StateTable,
    MetaInfo,
    Maps,
    MapsChunk {
        from: usize,
        to: usize,
    },
    Map {
        index: usize,
    },
    Table {
        index: usize,
        kind: TableKind,
    },
    TableChunk {
        index: usize,
        kind: TableKind,
        from: usize,
        to: usize,
    },
    Entry {
        index: usize,
        slot: u32,
    },
    SnapshotVersions {
        index: usize,
    },
    /// The object an entry's `state` references (an `ArrayList`, a `HashMap`, a `Tuple2`, a `TtlValue`).
    StateObject {
        index: usize,
        slot: u32,
    },
    /// An `ArrayList`'s `elementData`.
    ElementData {
        index: usize,
        slot: u32,
    },
    /// A leaf: nothing below.
    Leaf,
}

/// A note beside a node, worded by the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Note {
    /// A state map: the key group it holds.
    KeyGroup(KeyGroup),
    /// `incrementalRehashTable` while the map is not rehashing: Flink's shared `EMPTY_TABLE`.
    EmptyTable,
    /// An entry's state object that a snapshot still shares with it (copy on write has not copied it).
    Shared,
    /// The newest record's entry, which `update()` has not created yet at the current line (greyed).
    NotYet,
    /// The newest record's state as it was before `update()`, while the current line is before it.
    BeforeUpdate,
}

/// One node of the tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub name: String,
    /// `{Class@id}` for objects, absent for primitives and null.
    pub class: Option<(String, u32)>,
    pub value: String,
    pub obj: Obj,
    /// Greyed with a note.
    pub note: Option<Note>,
}

impl Node {
    fn object(
        name: impl Into<String>,
        class: impl Into<String>,
        id: u32,
        value: impl Into<String>,
        obj: Obj,
    ) -> Node {
        Node {
            name: name.into(),
            class: Some((class.into(), id)),
            value: value.into(),
            obj,
            note: None,
        }
    }
    fn value(name: impl Into<String>, value: impl Into<String>) -> Node {
        Node {
            name: name.into(),
            class: None,
            value: value.into(),
            obj: Obj::Leaf,
            note: None,
        }
    }
}

/// A stable, debugger-like object id for an object identity.
fn oid(parts: &[u64]) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &p in parts {
        h ^= p;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    1000 + (h % 9000) as u32
}

/// The newest record as the code panel stands in it before `counter.update(next)`: its key, its previous count
/// and whether `update()` inserted its entry — the tree shows them as before the update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pending {
    pub key: KeyId,
    pub previous: Option<i64>,
    pub inserted: bool,
}

/// What the tree is drawn from: one subtask of the job, and the current record as the code panel sees it.
pub struct ObjectTree<'a> {
    cluster: &'a MiniCluster,
    subtask: usize,
    key_type: JavaKeyType,
    pending: Option<Pending>,
}

impl<'a> ObjectTree<'a> {
    /// The tree of `subtask` of `cluster` (the last subtask if there are fewer), its keys of `key_type`.
    pub fn new(
        cluster: &'a MiniCluster,
        subtask: usize,
        key_type: JavaKeyType,
        pending: Option<Pending>,
    ) -> Self {
        ObjectTree {
            cluster,
            subtask: subtask.min(cluster.tasks().len().saturating_sub(1)),
            key_type,
            pending,
        }
    }

    /// The function the debugger stands in: `this`.
    pub fn root(&self) -> Node {
        Node::object(
            "this",
            self.function().class_name(),
            self.id(1),
            "",
            Obj::Function,
        )
    }

    fn function(&self) -> JobFunction {
        self.cluster.config().function
    }

    /// The class of the function's state object as `getState`/`getListState`/… returned it.
    fn state_class(&self) -> &'static str {
        Self::state_class_of(self.function())
    }

    /// The class of `function`'s state object as `getState`/`getListState`/… returns it.
    pub fn state_class_of(function: JobFunction) -> &'static str {
        match function {
            JobFunction::Counter
            | JobFunction::EventLogInValue
            | JobFunction::CategoryCountsInValue
            | JobFunction::Session
            | JobFunction::KeyStats => "HeapValueState",
            JobFunction::EventLog => "HeapListState",
            JobFunction::CategoryCounts => "HeapMapState",
            JobFunction::RunningSum => "HeapReducingState",
            JobFunction::Average => "HeapAggregatingState",
            JobFunction::IdleCounter => "TtlValueState",
        }
    }

    /// The state's serializer (`stateSerializer` of its maps, `valueSerializer` of the state).
    fn state_serializer(&self) -> &'static str {
        match self.function() {
            JobFunction::Counter | JobFunction::RunningSum => "LongSerializer",
            JobFunction::EventLog | JobFunction::EventLogInValue => "ListSerializer",
            JobFunction::CategoryCounts | JobFunction::CategoryCountsInValue => "MapSerializer",
            JobFunction::Average | JobFunction::Session => "TupleSerializer",
            JobFunction::IdleCounter => "TtlStateFactory$TtlSerializer",
            JobFunction::KeyStats => "PojoSerializer",
        }
    }

    /// The state node as it hangs off the function or `keyValueStatesByName`.
    fn state_node(&self, name: String) -> Node {
        let obj = if self.function() == JobFunction::IdleCounter {
            Obj::TtlState
        } else {
            Obj::ValueState
        };
        Node::object(name, self.state_class(), self.id(10), "", obj)
    }

    fn backend(&self) -> &HeapKeyedStateBackend {
        self.cluster.tasks()[self.subtask].backend()
    }

    fn id(&self, what: u64) -> u32 {
        oid(&[self.subtask as u64, self.cluster.attempt() as u64, what])
    }

    /// The function state's map at `index` of the backend's key-group range.
    fn map(&self, index: usize) -> Option<&dyn StateMap> {
        let backend = self.backend();
        backend.first_state_map(backend.key_group_range().key_group_at(index)?)
    }

    /// How many key-group maps the function's state has (none before it is registered).
    fn map_count(&self) -> usize {
        let backend = self.backend();
        if backend.kv_state_names().next().is_some() {
            backend.key_group_range().number_of_key_groups()
        } else {
            0
        }
    }

    fn key_text(&self, key: KeyId) -> String {
        let text = self.cluster.keys().display(key);
        match self.key_type {
            JavaKeyType::String => format!("\"{text}\""),
            _ => text,
        }
    }

    fn table_class(&self) -> String {
        "CopyOnWriteStateTable".to_owned()
    }

    /// The nodes under a node (built only when asked: only for the nodes open).
    pub fn children(&self, obj: Obj) -> Vec<Node> {
        let backend = self.backend();
        let range = backend.key_group_range();
        let key_class = self.key_type.java_name();
        match obj {
            Obj::Function => vec![
                self.state_node(
                    crate::teaching::java_source::state_field(self.function()).unwrap_or_default(),
                ),
                Node::object(
                    "runtimeContext",
                    "StreamingRuntimeContext",
                    self.id(2),
                    "",
                    Obj::RuntimeContext,
                ),
            ],
            Obj::RuntimeContext => vec![
                Node::object(
                    "keyedStateStore",
                    "DefaultKeyedStateStore",
                    self.id(3),
                    "",
                    Obj::KeyedStateStore,
                ),
                Node::value(
                    "operatorUniqueID",
                    format!("\"{}\"", JobOperatorIds::of_job().keyed),
                ),
            ],
            Obj::KeyedStateStore => vec![
                Node::object(
                    "keyedStateBackend",
                    "HeapKeyedStateBackend",
                    self.id(4),
                    "",
                    Obj::Backend,
                ),
                Node::value("asyncKeyedStateBackend", "null"),
                Node::value("supportKeyedStateApiSet", "STATE_V1"),
            ],
            Obj::Backend => vec![
                Node::value("keyGroupRange", range.to_string()),
                Node::value(
                    "numberOfKeyGroups",
                    backend.number_of_key_groups().to_string(),
                ),
                Node::object(
                    "keyContext",
                    "InternalKeyContextImpl",
                    self.id(5),
                    "",
                    Obj::KeyContext,
                ),
                Node::object(
                    "keyValueStatesByName",
                    "HashMap",
                    self.id(6),
                    format!("size = {}", backend.kv_state_names().count()),
                    Obj::KvStatesByName,
                ),
                Node::object(
                    "registeredKVStates",
                    "HashMap",
                    self.id(7),
                    format!("size = {}", backend.kv_state_names().count()),
                    Obj::RegisteredKvStates,
                ),
                Node::object(
                    "registeredPQStates",
                    "HashMap",
                    self.id(8),
                    format!("size = {}", backend.priority_queue_state_names().len()),
                    Obj::RegisteredPqStates,
                ),
                Node::value("keySerializer", format!("{key_class}Serializer")),
            ],
            Obj::KeyContext => {
                let current = backend.current_key();
                vec![
                    Node::value(
                        "currentKey",
                        current.map_or("null".to_owned(), |c| self.key_text(c.key)),
                    ),
                    // A Java int field: 0 until the first key is set.
                    Node::value(
                        "currentKeyGroupIndex",
                        current.map_or("0".to_owned(), |c| c.key_group.to_string()),
                    ),
                    Node::value("keyGroupRange", range.to_string()),
                    Node::value(
                        "numberOfKeyGroups",
                        backend.number_of_key_groups().to_string(),
                    ),
                ]
            }
            Obj::KvStatesByName => backend
                .kv_state_names()
                .map(|name| self.state_node(format!("\"{name}\"")))
                .collect(),
            Obj::RegisteredKvStates => backend
                .kv_state_names()
                .map(|name| {
                    Node::object(
                        format!("\"{name}\""),
                        self.table_class(),
                        self.id(11),
                        "",
                        Obj::StateTable,
                    )
                })
                .collect(),
            Obj::RegisteredPqStates => backend
                .priority_queue_state_names()
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    Node::object(
                        format!("\"{name}\""),
                        "HeapPriorityQueueSet",
                        self.id(40 + i as u64),
                        format!(
                            "size = {}",
                            backend.priority_queue(i).map_or(0, |q| q.size())
                        ),
                        Obj::TimerQueue { queue: i },
                    )
                })
                .collect(),
            Obj::TimerQueue { queue } => {
                let Some(q) = backend.priority_queue(queue) else {
                    return Vec::new();
                };
                vec![
                    Node::object(
                        "queue",
                        format!("HeapPriorityQueueElement[{}]", q.array_length()),
                        self.id(50 + queue as u64),
                        "",
                        Obj::TimerArray { queue },
                    ),
                    Node::value("size", q.size().to_string()),
                    Node::value("keyGroupRange", q.key_group_range().to_string()),
                    Node::value("totalNumberOfKeyGroups", q.number_of_key_groups().to_string()),
                ]
            }
            Obj::TimerArray { queue } => {
                let Some(q) = backend.priority_queue(queue) else {
                    return Vec::new();
                };
                // `QUEUE_HEAD_INDEX` is 1: slot 0 stays empty, the head (earliest timer) is at 1.
                std::iter::once(Node::value("[0]", "null"))
                    .chain(q.iter().take(CHUNK).enumerate().map(|(i, t)| {
                        Node::object(
                            format!("[{}]", i + 1),
                            "TimerHeapInternalTimer",
                            self.id(700_000 + i as u64),
                            format!(
                                "Timer{{timestamp={}, key={}, namespace=VoidNamespace}}",
                                t.timestamp,
                                self.key_text(t.key.key)
                            ),
                            Obj::Leaf,
                        )
                    }))
                    .collect()
            }
            Obj::TtlState => vec![
                Node::object(
                    "original",
                    "HeapValueState",
                    self.id(9),
                    "",
                    Obj::ValueState,
                ),
                Node::value(
                    "ttlConfig",
                    "StateTtlConfig{updateType=OnCreateAndWrite, stateVisibility=NeverReturnExpired, ttl=PT5S}",
                ),
                Node::value("timeProvider", "TtlTimeProvider$$Lambda"),
            ],
            Obj::ValueState => vec![
                Node::object(
                    "stateTable",
                    self.table_class(),
                    self.id(11),
                    "",
                    Obj::StateTable,
                ),
                Node::value("keySerializer", format!("{key_class}Serializer")),
                Node::value("valueSerializer", self.state_serializer()),
                Node::value("namespaceSerializer", "VoidNamespaceSerializer"),
                Node::value("currentNamespace", "VoidNamespace"),
                Node::value("defaultValue", "null"),
            ],
            Obj::StateTable => {
                let maps = self.map_count();
                vec![
                    Node::object(
                        "keyContext",
                        "InternalKeyContextImpl",
                        self.id(5),
                        "",
                        Obj::KeyContext,
                    ),
                    Node::object(
                        "metaInfo",
                        "RegisteredKeyValueStateBackendMetaInfo",
                        self.id(12),
                        "",
                        Obj::MetaInfo,
                    ),
                    Node::value("keySerializer", format!("{key_class}Serializer")),
                    Node::value("keyGroupRange", range.to_string()),
                    Node::object(
                        "keyGroupedStateMaps",
                        format!("StateMap[{maps}]"),
                        self.id(13),
                        "",
                        Obj::Maps,
                    ),
                ]
            }
            Obj::MetaInfo => {
                // Registered fresh, a state's serializers are given eagerly; restored, the serializer snapshots
                // come from the checkpoint and the new serializers are checked against them lazily.
                let provider = if self.cluster.restored_from().is_some() {
                    "StateSerializerProvider$LazilyRegisteredStateSerializerProvider"
                } else {
                    "StateSerializerProvider$EagerlyRegisteredStateSerializerProvider"
                };
                let name = backend.kv_state_names().next().unwrap_or_default();
                vec![
                    Node::value("name", format!("\"{name}\"")),
                    Node::value(
                        "stateType",
                        backend
                            .state_type(name)
                            .map_or_else(String::new, |t| t.to_string()),
                    ),
                    Node::value("namespaceSerializerProvider", provider),
                    Node::value("stateSerializerProvider", provider),
                    Node::value(
                        "stateSnapshotTransformFactory",
                        "StateSnapshotTransformer$StateSnapshotTransformFactory$1",
                    ),
                ]
            }
            Obj::Maps => {
                let n = self.map_count();
                if n > CHUNK {
                    chunks(n)
                        .map(|(from, to)| {
                            Node::object(
                                format!("[{from}…{}]", to - 1),
                                "",
                                0,
                                "",
                                Obj::MapsChunk { from, to },
                            )
                        })
                        .collect()
                } else {
                    self.children(Obj::MapsChunk { from: 0, to: n })
                }
            }
            Obj::MapsChunk { from, to } => (from..to)
                .filter_map(|index| {
                    let map = self.map(index)?;
                    let kg = range.key_group_at(index)?;
                    let mut node = Node::object(
                        format!("[{index}]"),
                        "CopyOnWriteStateMap",
                        self.id(100 + index as u64),
                        format!("size = {}", map.size()),
                        Obj::Map { index },
                    );
                    node.note = Some(Note::KeyGroup(kg));
                    Some(node)
                })
                .collect(),
            Obj::Map { index } => {
                let Some(map) = self.map(index) else {
                    return Vec::new();
                };
                // Idle, the map points at Flink's shared EMPTY_TABLE: MINIMUM_CAPACITY >>> 1 = 2 empty slots.
                let rehash = if map.is_rehashing() {
                    map.table_capacity(TableKind::IncrementalRehash)
                } else {
                    EMPTY_TABLE_LENGTH
                };
                let mut rehash_node = Node::object(
                    "incrementalRehashTable",
                    format!("StateMapEntry[{rehash}]"),
                    self.id(200_000 + index as u64),
                    "",
                    Obj::Table {
                        index,
                        kind: TableKind::IncrementalRehash,
                    },
                );
                if !map.is_rehashing() {
                    rehash_node.note = Some(Note::EmptyTable);
                    rehash_node.obj = Obj::Leaf;
                }
                let versions: Vec<String> = map
                    .snapshot_versions()
                    .iter()
                    .map(|v| v.to_string())
                    .collect();
                vec![
                    Node::object(
                        "primaryTable",
                        format!("StateMapEntry[{}]", map.capacity()),
                        self.id(100_000
                            + index as u64 * 64
                            + map.capacity().trailing_zeros() as u64),
                        "",
                        Obj::Table {
                            index,
                            kind: TableKind::Primary,
                        },
                    ),
                    rehash_node,
                    Node::value("primaryTableSize", map.primary_table_size().to_string()),
                    Node::value(
                        "incrementalRehashTableSize",
                        map.incremental_rehash_table_size().to_string(),
                    ),
                    Node::value("rehashIndex", map.rehash_index().to_string()),
                    Node::value("stateMapVersion", map.state_map_version().to_string()),
                    Node::value(
                        "highestRequiredSnapshotVersion",
                        map.highest_required_snapshot_version().to_string(),
                    ),
                    Node::object(
                        "snapshotVersions",
                        "TreeSet",
                        self.id(300_000 + index as u64),
                        format!("size = {} [{}]", versions.len(), versions.join(", ")),
                        Obj::SnapshotVersions { index },
                    ),
                    Node::value("threshold", map.threshold().to_string()),
                    Node::value("modCount", map.mod_count().to_string()),
                    // Set by the first entry the map ever added, never cleared.
                    Node::value(
                        "lastNamespace",
                        if map.mod_count() == 0 {
                            "null"
                        } else {
                            "VoidNamespace"
                        },
                    ),
                    Node::value("stateSerializer", self.state_serializer()),
                ]
            }
            Obj::SnapshotVersions { index } => self
                .map(index)
                .map(|m| {
                    m.snapshot_versions()
                        .iter()
                        .enumerate()
                        .map(|(i, v)| Node::value(format!("[{i}]"), v.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            Obj::Table { index, kind } => {
                let len = self.map(index).map_or(0, |m| m.table_capacity(kind));
                if len > CHUNK {
                    chunks(len)
                        .map(|(from, to)| {
                            Node::object(
                                format!("[{from}…{}]", to - 1),
                                "",
                                0,
                                "",
                                Obj::TableChunk {
                                    index,
                                    kind,
                                    from,
                                    to,
                                },
                            )
                        })
                        .collect()
                } else {
                    self.children(Obj::TableChunk {
                        index,
                        kind,
                        from: 0,
                        to: len,
                    })
                }
            }
            Obj::TableChunk {
                index,
                kind,
                from,
                to,
            } => {
                let Some(map) = self.map(index) else {
                    return Vec::new();
                };
                (from..to.min(map.table_capacity(kind)))
                    .map(|b| self.slot_node(format!("[{b}]"), index, map.bucket_head(kind, b)))
                    .collect()
            }
            Obj::Entry { index, slot } => {
                let Some(map) = self.map(index) else {
                    return Vec::new();
                };
                let (e, next, shared) = map.entry_at(slot);
                let object_id = self.id(500_000 + index as u64 * 1_000_000 + slot as u64);
                let mut state_node = match &e.state {
                    ShownState::Long(value) => {
                        let (state, note) = self.state_of(e.key, *value);
                        let mut node = if state == "null" {
                            Node::value("state", state)
                        } else {
                            let cached = (-128..=127).contains(value);
                            let id = if cached {
                                oid(&[0x4c6f_6e67, *value as u64])
                            } else {
                                object_id
                            };
                            Node::object("state", "Long", id, state, Obj::Leaf)
                        };
                        node.note = note;
                        node
                    }
                    ShownState::Object(object) => Node::object(
                        "state",
                        object_class(object),
                        object_id,
                        object_summary(object),
                        Obj::StateObject { index, slot },
                    ),
                    ShownState::Missing => Node::value("state", "null"),
                };
                if shared {
                    state_node.note = Some(Note::Shared);
                }
                vec![
                    Node::object(
                        "key",
                        key_class,
                        self.id(400_000 + e.key.0 as u64),
                        self.key_text(e.key),
                        Obj::Leaf,
                    ),
                    Node::object("namespace", "VoidNamespace", oid(&[99]), "", Obj::Leaf),
                    state_node,
                    self.slot_node("next".to_owned(), index, next),
                    Node::value("entryVersion", e.entry_version.to_string()),
                    Node::value("stateVersion", e.state_version.to_string()),
                    Node::value("hash", e.hash.to_string()),
                ]
            }
            Obj::StateObject { index, slot } => {
                let Some(map) = self.map(index) else {
                    return Vec::new();
                };
                let ShownState::Object(object) = map.entry_at(slot).0.state else {
                    return Vec::new();
                };
                let long = |name: &str, v: i64| Node::value(name, v.to_string());
                if let Some(elements) = object.element_texts() {
                    return vec![
                        Node::object(
                            "elementData",
                            format!("Object[{}]", list_capacity(&object)),
                            self.id(800_000 + index as u64 * 1_000_000 + slot as u64),
                            "",
                            Obj::ElementData { index, slot },
                        ),
                        Node::value("size", elements.len().to_string()),
                    ];
                }
                // As IDE debuggers show a map: its mappings, in the order its table holds them.
                if let Some(mappings) = object.mappings_in_table_order() {
                    let size = Node::value("size", mappings.len().to_string());
                    return mappings
                        .into_iter()
                        .map(|(k, v)| Node::value(format!("\"{k}\""), v))
                        .chain(std::iter::once(size))
                        .collect();
                }
                match object {
                    StateValueObject::Tuple2 { f0, f1 } => vec![long("f0", f0), long("f1", f1)],
                    // Its two `long` fields, in the object itself.
                    StateValueObject::KeyStats { count, sum } => {
                        vec![long("count", count), long("sum", sum)]
                    }
                    StateValueObject::TtlValue {
                        user_value,
                        last_access_timestamp,
                    } => vec![
                        Node::value(
                            "userValue",
                            user_value.map_or_else(|| "null".to_owned(), |v| v.to_string()),
                        ),
                        long("lastAccessTimestamp", last_access_timestamp),
                    ],
                    _ => Vec::new(),
                }
            }
            Obj::ElementData { index, slot } => {
                let Some(map) = self.map(index) else {
                    return Vec::new();
                };
                let ShownState::Object(object) = map.entry_at(slot).0.state else {
                    return Vec::new();
                };
                let elements = object.element_texts().unwrap_or_default();
                // The slots past `size` are null until the list grows into them.
                (0..(list_capacity(&object) as usize).min(CHUNK))
                    .map(|i| {
                        Node::value(
                            format!("[{i}]"),
                            elements.get(i).map_or("null", String::as_str),
                        )
                    })
                    .collect()
            }
            Obj::Leaf => Vec::new(),
        }
    }

    /// A table slot or `next` field: `null`, or the entry it links to.
    fn slot_node(&self, name: String, index: usize, slot: Option<u32>) -> Node {
        let Some(slot) = slot else {
            return Node::value(name, "null");
        };
        let Some(map) = self.map(index) else {
            return Node::value(name, "null");
        };
        let (e, ..) = map.entry_at(slot);
        let state = match &e.state {
            ShownState::Long(v) => self.state_of(e.key, *v).0,
            other => other.abbreviated(40),
        };
        let mut node = Node::object(
            name,
            "StateMapEntry",
            self.id(600_000 + index as u64 * 1_000_000 + slot as u64),
            format!("{} → {state}", self.key_text(e.key)),
            Obj::Entry { index, slot },
        );
        if matches!(self.pending, Some(Pending { key, previous: None, inserted: true }) if key == e.key)
        {
            node.note = Some(Note::NotYet);
        }
        node
    }

    /// An entry's state as the current line sees it: the newest record's entry still holds the previous count
    /// until `counter.update(next)` has run.
    fn state_of(&self, key: KeyId, state: i64) -> (String, Option<Note>) {
        match self.pending {
            Some(Pending {
                key: pending,
                previous,
                ..
            }) if pending == key => (
                previous.map_or("null".to_owned(), |v| v.to_string()),
                Some(Note::BeforeUpdate),
            ),
            _ => (state.to_string(), None),
        }
    }

    /// The paths to open so that the current key's entry shows — down to its bucket, and along its chain — and
    /// the breadcrumb of that path: `counter → stateTable → key group N's CopyOnWriteStateMap →
    /// primaryTable[b] → entry` (the entry once the key has one), each step with the path of its node.
    pub fn path_to(&self, key: KeyId) -> (Vec<String>, Vec<Crumb>) {
        let backend = self.backend();
        let range = backend.key_group_range();
        let info = self.cluster.keys().info(key);
        let kg = self.cluster.key_group_of(key);
        let Some(index) = range.index_of(kg) else {
            return (Vec::new(), Vec::new());
        };
        let Some(map) = self.map(index) else {
            return (Vec::new(), Vec::new());
        };
        let (kind, bucket) = map.locate(info.hash_code);
        let table = if kind == TableKind::Primary {
            "primaryTable"
        } else {
            "incrementalRehashTable"
        };
        let mut paths = vec![
            "this".to_owned(),
            "this/runtimeContext".to_owned(),
            "this/runtimeContext/keyedStateStore".to_owned(),
            "this/runtimeContext/keyedStateStore/keyedStateBackend".to_owned(),
            "this/runtimeContext/keyedStateStore/keyedStateBackend/keyValueStatesByName".to_owned(),
        ];
        // The function's `counter` field and `keyValueStatesByName["event-counter"]` are the same
        // HeapValueState: the breadcrumb points at the one on the open path.
        let name = backend.kv_state_names().next().unwrap_or_default();
        let mut p = format!(
            "this/runtimeContext/keyedStateStore/keyedStateBackend/keyValueStatesByName/\"{name}\""
        );
        // A TTL state's table is its original's.
        if self.function() == JobFunction::IdleCounter {
            paths.push(p.clone());
            p.push_str("/original");
        }
        paths.push(p.clone());
        let mut crumbs = vec![Crumb {
            step: CrumbStep::State(
                crate::teaching::java_source::state_field(self.function()).unwrap_or_default(),
            ),
            path: p.clone(),
        }];
        for part in ["stateTable".to_owned(), "keyGroupedStateMaps".to_owned()] {
            p = format!("{p}/{part}");
            paths.push(p.clone());
        }
        crumbs.push(Crumb {
            step: CrumbStep::StateTable,
            path: paths[paths.len() - 2].clone(),
        });
        let maps = self.map_count();
        if maps > CHUNK {
            let from = index / CHUNK * CHUNK;
            p = format!("{p}/[{from}…{}]", (from + CHUNK).min(maps) - 1);
            paths.push(p.clone());
        }
        p = format!("{p}/[{index}]");
        paths.push(p.clone());
        crumbs.push(Crumb {
            step: CrumbStep::Map(kg),
            path: p.clone(),
        });
        p = format!("{p}/{table}");
        paths.push(p.clone());
        let len = map.table_capacity(kind);
        if len > CHUNK {
            let from = bucket as usize / CHUNK * CHUNK;
            p = format!("{p}/[{from}…{}]", (from + CHUNK).min(len) - 1);
            paths.push(p.clone());
        }
        p = format!("{p}/[{bucket}]");
        crumbs.push(Crumb {
            step: CrumbStep::Slot(table, bucket),
            path: p.clone(),
        });
        let hash =
            crate::engine::state::heap::copy_on_write_state_map::composite_hash(info.hash_code);
        for e in map.bucket_entries(kind, bucket as usize) {
            paths.push(p.clone());
            if e.hash == hash && e.key == key {
                crumbs.push(Crumb {
                    step: CrumbStep::Entry,
                    path: p,
                });
                return (paths, crumbs);
            }
            p = format!("{p}/next");
        }
        (paths, crumbs)
    }
}

/// The class of a state object, as a debugger names it.
fn object_class(object: &StateValueObject) -> &'static str {
    match object {
        StateValueObject::List { .. } | StateValueObject::TtlList { .. } => "ArrayList",
        StateValueObject::Map { .. } | StateValueObject::TtlMap { .. } => "HashMap",
        StateValueObject::Tuple2 { .. } => "Tuple2",
        StateValueObject::KeyStats { .. } => "KeyStats",
        StateValueObject::TtlValue { .. } => "TtlValue",
    }
}

/// What a debugger shows beside a state object: a container's size, a tuple as it prints.
fn object_summary(object: &StateValueObject) -> String {
    match object {
        StateValueObject::Tuple2 { .. }
        | StateValueObject::KeyStats { .. }
        | StateValueObject::TtlValue { .. } => object.to_string(),
        _ => format!("size = {}", object.len()),
    }
}

/// An `ArrayList`'s `elementData.length`.
fn list_capacity(object: &StateValueObject) -> u32 {
    match object {
        StateValueObject::List { capacity, .. } | StateValueObject::TtlList { capacity, .. } => {
            capacity.capacity()
        }
        _ => 0,
    }
}

/// One step of the breadcrumb from the state to the current key's entry.
#[derive(Clone, Debug, PartialEq)]
pub enum CrumbStep {
    /// The function's state field (`counter`, `eventLog`, …).
    State(String),
    StateTable,
    Map(KeyGroup),
    Slot(&'static str, u32),
    Entry,
}

/// A step of the breadcrumb and the node it opens.
#[derive(Clone, Debug, PartialEq)]
pub struct Crumb {
    pub step: CrumbStep,
    /// The path of its node in the tree.
    pub path: String,
}

impl Crumb {
    /// Whether its label is code (left untranslated).
    pub fn is_code(&self) -> bool {
        !matches!(self.step, CrumbStep::Map(_) | CrumbStep::Entry)
    }
}

/// A path and every path above it (`a/b/c` → `a`, `a/b`, `a/b/c`).
pub fn with_ancestors(path: &str) -> impl Iterator<Item = String> + '_ {
    path.match_indices('/')
        .map(|(i, _)| path[..i].to_owned())
        .chain(std::iter::once(path.to_owned()))
}

fn chunks(len: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..len.div_ceil(CHUNK)).map(move |c| (c * CHUNK, ((c + 1) * CHUNK).min(len)))
}

/// A row as drawn: the tree flattened into one list of rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The names from `this` down to it, joined by `/`.
    pub path: String,
    pub depth: usize,
    pub name: String,
    pub class: Option<(String, u32)>,
    pub value: String,
    pub note: Option<Note>,
    pub expandable: bool,
    pub open: bool,
    /// The current key's entry, when followed.
    pub current: bool,
}

/// Paths of tree nodes (the open ones, those opened or closed by hand): a sorted list — a handful of paths — rather
/// than a `BTreeSet`, whose code the page's wasm would carry for this one type (BENCHMARKS.md, "Size budget").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathSet(Vec<String>);

impl PathSet {
    fn find(&self, path: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|p| p.as_str().cmp(path))
    }

    pub fn contains(&self, path: &str) -> bool {
        self.find(path).is_ok()
    }

    pub fn insert(&mut self, path: String) {
        if let Err(i) = self.find(&path) {
            self.0.insert(i, path);
        }
    }

    pub fn remove(&mut self, path: &str) {
        if let Ok(i) = self.find(path) {
            self.0.remove(i);
        }
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// In order.
    pub fn iter(&self) -> impl Iterator<Item = &String> {
        self.0.iter()
    }
}

impl Extend<String> for PathSet {
    fn extend<I: IntoIterator<Item = String>>(&mut self, paths: I) {
        for path in paths {
            self.insert(path);
        }
    }
}

impl FromIterator<String> for PathSet {
    fn from_iter<I: IntoIterator<Item = String>>(paths: I) -> Self {
        let mut set = PathSet::default();
        set.extend(paths);
        set
    }
}

/// At most about this many rows are built (an open node past it shows closed children).
const MAX_ROWS: usize = 5_000;

impl ObjectTree<'_> {
    /// The rows of the tree with the nodes at `open` paths open, the one at `target` marked current.
    pub fn rows(&self, open: &PathSet, target: Option<&str>) -> Vec<Row> {
        let mut rows = Vec::new();
        flatten(
            self,
            self.root(),
            "this".to_owned(),
            0,
            open,
            target,
            &mut rows,
        );
        rows
    }
}

fn flatten(
    view: &ObjectTree<'_>,
    node: Node,
    path: String,
    depth: usize,
    open: &PathSet,
    target: Option<&str>,
    rows: &mut Vec<Row>,
) {
    let expandable = node.obj != Obj::Leaf;
    let is_open = expandable && open.contains(&path);
    rows.push(Row {
        path: path.clone(),
        depth,
        name: node.name,
        class: node.class,
        value: node.value,
        note: node.note,
        expandable,
        open: is_open,
        current: target == Some(path.as_str()),
    });
    if is_open && rows.len() < MAX_ROWS {
        for child in view.children(node.obj) {
            let child_path = format!("{path}/{}", child.name);
            flatten(view, child, child_path, depth + 1, open, target, rows);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cluster::engine_event::Milestones;
    use crate::engine::cluster::job_config::JobConfig;
    use crate::engine::cluster::run_limit::RunLimit;

    /// A small job that has processed `records` records.
    fn cluster(parallelism: u32, max_parallelism: u32, records: u64) -> MiniCluster {
        let config = JobConfig {
            parallelism,
            max_parallelism: Some(max_parallelism),
            source: crate::engine::cluster::job_config::SourceConfig {
                key_count: 20,
                ..Default::default()
            },
            ..JobConfig::default()
        };
        let mut c = MiniCluster::new(config).unwrap();
        c.run(RunLimit::records(records), &mut Milestones::default());
        c
    }

    fn tree(c: &MiniCluster, subtask: usize) -> ObjectTree<'_> {
        ObjectTree::new(c, subtask, JavaKeyType::String, None)
    }

    fn names(nodes: &[Node]) -> Vec<&str> {
        nodes.iter().map(|n| n.name.as_str()).collect()
    }

    /// A key in state, with its count.
    fn some_key(c: &MiniCluster) -> (KeyId, i64) {
        c.counts()[0]
    }

    #[test]
    fn the_function_holds_its_state_and_its_runtime_context() {
        let c = cluster(1, 4, 10);
        let t = tree(&c, 0);
        let root = t.root();
        assert_eq!(root.name, "this");
        assert_eq!(
            root.class.as_ref().unwrap().0,
            "EventCounterProcessFunction"
        );
        let children = t.children(root.obj);
        assert_eq!(names(&children), ["counter", "runtimeContext"]);
        assert_eq!(children[0].class.as_ref().unwrap().0, "HeapValueState");
        // The same HeapValueState, reached through the backend's states by name: the same object id.
        let store = t.children(Obj::KeyedStateStore);
        let backend = t.children(store[0].obj);
        let by_name = backend
            .iter()
            .find(|n| n.name == "keyValueStatesByName")
            .unwrap();
        assert_eq!(by_name.value, "size = 1");
        let state = &t.children(by_name.obj)[0];
        assert_eq!(state.name, "\"event-counter\"");
        assert_eq!(state.class, children[0].class);
        assert_eq!(t.children(Obj::Leaf), Vec::new());
    }

    #[test]
    fn each_state_map_is_noted_with_its_key_group() {
        let c = cluster(2, 4, 10);
        // Subtask 1 owns key groups 2 and 3.
        let t = tree(&c, 1);
        let maps = t.children(Obj::Maps);
        assert_eq!(names(&maps), ["[0]", "[1]"]);
        assert_eq!(maps[0].note, Some(Note::KeyGroup(KeyGroup::new(2))));
        assert_eq!(maps[1].note, Some(Note::KeyGroup(KeyGroup::new(3))));
        assert!(maps
            .iter()
            .all(|m| m.class.as_ref().unwrap().0 == "CopyOnWriteStateMap"));
        // Not rehashing: the rehash table is Flink's shared empty table, a leaf.
        let fields = t.children(maps[0].obj);
        let rehash = fields
            .iter()
            .find(|n| n.name == "incrementalRehashTable")
            .unwrap();
        assert_eq!(rehash.note, Some(Note::EmptyTable));
        assert_eq!(rehash.obj, Obj::Leaf);
    }

    #[test]
    fn long_arrays_open_in_chunks_of_a_hundred() {
        let c = cluster(1, 256, 10);
        let t = tree(&c, 0);
        let chunks = t.children(Obj::Maps);
        assert_eq!(names(&chunks), ["[0…99]", "[100…199]", "[200…255]"]);
        assert_eq!(t.children(chunks[2].obj).len(), 56);
        // A short array lists its elements directly.
        let c = cluster(1, 8, 10);
        assert_eq!(tree(&c, 0).children(Obj::Maps).len(), 8);
    }

    #[test]
    fn the_path_to_a_key_ends_at_its_entry_with_its_count() {
        let c = cluster(1, 4, 30);
        let (key, count) = some_key(&c);
        let t = tree(&c, 0);
        let (paths, crumbs) = t.path_to(key);
        let steps: Vec<_> = crumbs.iter().map(|c| c.step.clone()).collect();
        let kg = c.key_group_of(key);
        assert!(matches!(
            steps.as_slice(),
            [CrumbStep::State(s), CrumbStep::StateTable, CrumbStep::Map(k), CrumbStep::Slot(_, _), CrumbStep::Entry]
                if *k == kg && s == "counter"
        ));
        // Every crumb's node is on the open path (the entry is the last node reached).
        let open: PathSet = paths.iter().cloned().collect();
        for crumb in &crumbs[..crumbs.len() - 1] {
            assert!(open.contains(&crumb.path), "{}", crumb.path);
        }
        let entry = crumbs.last().unwrap().path.clone();
        let rows = t.rows(&open, Some(&entry));
        let current: Vec<&Row> = rows.iter().filter(|r| r.current).collect();
        assert_eq!(current.len(), 1);
        let text = format!("\"{}\" → {count}", c.keys().display(key));
        assert_eq!(current[0].value, text);
        assert_eq!(current[0].class.as_ref().unwrap().0, "StateMapEntry");
        // Opened, the entry shows its key, state and the rest of its fields.
        let mut open = open;
        open.insert(entry);
        let rows = t.rows(&open, None);
        let fields: Vec<&str> = rows
            .iter()
            .skip_while(|r| !r.open || r.class.as_ref().is_none_or(|c| c.0 != "StateMapEntry"))
            .skip(1)
            .take(7)
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(
            fields,
            [
                "key",
                "namespace",
                "state",
                "next",
                "entryVersion",
                "stateVersion",
                "hash"
            ]
        );
    }

    #[test]
    fn a_key_of_another_subtask_has_no_path_here() {
        let c = cluster(2, 4, 30);
        let (key, _) = some_key(&c);
        let owner = c.owner_of_key_group(c.key_group_of(key)).index();
        assert!(!tree(&c, owner).path_to(key).1.is_empty());
        assert_eq!(tree(&c, 1 - owner).path_to(key), (Vec::new(), Vec::new()));
    }

    #[test]
    fn before_update_the_newest_record_shows_its_previous_count() {
        let c = cluster(1, 4, 30);
        let (key, count) = some_key(&c);
        let pending = Pending {
            key,
            previous: Some(count - 1),
            inserted: false,
        };
        let t = ObjectTree::new(&c, 0, JavaKeyType::String, Some(pending));
        let (paths, crumbs) = t.path_to(key);
        let entry = crumbs.last().unwrap().path.clone();
        let mut open: PathSet = paths.into_iter().collect();
        open.insert(entry.clone());
        let rows = t.rows(&open, Some(&entry));
        let current = rows.iter().find(|r| r.current).unwrap();
        assert!(current.value.ends_with(&format!("→ {}", count - 1)));
        let state = rows
            .iter()
            .find(|r| r.path == format!("{entry}/state"))
            .unwrap();
        assert_eq!(state.value, (count - 1).to_string());
        assert_eq!(state.note, Some(Note::BeforeUpdate));
        // A key its record inserts: its entry is not there yet (greyed), its state null.
        let inserted = Pending {
            key,
            previous: None,
            inserted: true,
        };
        let t = ObjectTree::new(&c, 0, JavaKeyType::String, Some(inserted));
        let rows = t.rows(&open, Some(&entry));
        let current = rows.iter().find(|r| r.current).unwrap();
        assert_eq!(current.note, Some(Note::NotYet));
        assert!(current.value.ends_with("→ null"));
    }

    #[test]
    fn object_ids_are_stable_and_a_subtask_out_of_range_is_the_last() {
        let c = cluster(2, 4, 10);
        assert_eq!(tree(&c, 1).root(), tree(&c, 1).root());
        assert_ne!(tree(&c, 0).root().class, tree(&c, 1).root().class);
        assert_eq!(tree(&c, 9).root(), tree(&c, 1).root());
    }

    #[test]
    fn a_path_and_its_ancestors() {
        let all: Vec<String> = with_ancestors("this/a/b").collect();
        assert_eq!(all, ["this", "this/a", "this/a/b"]);
        assert_eq!(with_ancestors("this").collect::<Vec<_>>(), ["this"]);
    }

    /// The node at a path of the tree (names joined by `/`), found by opening each node on the way.
    fn node_at(t: &ObjectTree<'_>, path: &str) -> Node {
        let mut names = path.split('/');
        assert_eq!(names.next(), Some("this"));
        names.fold(t.root(), |node, name| {
            t.children(node.obj)
                .into_iter()
                .find(|n| n.name == name)
                .unwrap_or_else(|| panic!("{name} under {} in {path}", node.name))
        })
    }

    #[test]
    fn every_preset_opens_down_to_its_state_objects_and_timers() {
        for function in JobFunction::ALL {
            let config = JobConfig {
                function,
                parallelism: 1,
                source: crate::engine::cluster::job_config::SourceConfig {
                    key_count: 20,
                    ..Default::default()
                },
                ..JobConfig::default()
            };
            let mut c = MiniCluster::new(config).unwrap();
            c.run(RunLimit::records(400), &mut Milestones::default());
            let t = tree(&c, 0);
            assert_eq!(t.root().class.unwrap().0, function.class_name());
            let field = &t.children(Obj::Function)[0];
            assert_eq!(
                Some(field.name.clone()),
                crate::teaching::java_source::state_field(function)
            );
            let objects = c.state_objects();
            let states: Vec<(KeyId, ShownState)> = if objects.is_empty() {
                c.counts()
                    .into_iter()
                    .map(|(k, v)| (k, ShownState::Long(v)))
                    .collect()
            } else {
                objects
                    .into_iter()
                    .map(|(k, o)| (k, ShownState::Object(o)))
                    .collect()
            };
            assert!(!states.is_empty(), "{function:?}");
            for (key, state) in &states {
                let (_, crumbs) = t.path_to(*key);
                let entry = crumbs.last().unwrap();
                assert_eq!(entry.step, CrumbStep::Entry, "{function:?}");
                let node = node_at(&t, &entry.path);
                let fields = t.children(node.obj);
                let state_node = fields.iter().find(|n| n.name == "state").unwrap();
                let below = t.children(state_node.obj);
                let value = |name: &str| {
                    below
                        .iter()
                        .find(|n| n.name == name)
                        .map(|n| n.value.clone())
                        .unwrap_or_default()
                };
                match state {
                    ShownState::Long(v) => {
                        assert_eq!(state_node.value, v.to_string());
                    }
                    ShownState::Object(StateValueObject::List { elements, .. }) => {
                        assert_eq!(state_node.class.as_ref().unwrap().0, "ArrayList");
                        assert_eq!(value("size"), elements.len().to_string());
                        let data = t.children(below[0].obj);
                        let shown: Vec<String> = data
                            .iter()
                            .take(elements.len())
                            .map(|n| n.value.clone())
                            .collect();
                        let expected: Vec<String> =
                            elements.iter().take(CHUNK).map(i64::to_string).collect();
                        assert_eq!(shown, expected, "{function:?}");
                        assert!(data[elements.len().min(data.len())..]
                            .iter()
                            .all(|n| n.value == "null"));
                    }
                    ShownState::Object(StateValueObject::Map { entries, .. }) => {
                        assert_eq!(state_node.class.as_ref().unwrap().0, "HashMap");
                        for e in entries {
                            assert_eq!(value(&format!("\"{}\"", e.key)), e.value.to_string());
                        }
                        assert_eq!(value("size"), entries.len().to_string());
                    }
                    ShownState::Object(StateValueObject::Tuple2 { f0, f1 }) => {
                        assert_eq!(state_node.class.as_ref().unwrap().0, "Tuple2");
                        assert_eq!((value("f0"), value("f1")), (f0.to_string(), f1.to_string()));
                    }
                    ShownState::Object(StateValueObject::KeyStats { count, sum }) => {
                        assert_eq!(state_node.class.as_ref().unwrap().0, "KeyStats");
                        assert_eq!(
                            (value("count"), value("sum")),
                            (count.to_string(), sum.to_string())
                        );
                        assert_eq!(
                            state_node.value,
                            format!("KeyStats{{count={count}, sum={sum}}}")
                        );
                    }
                    ShownState::Object(StateValueObject::TtlValue {
                        user_value,
                        last_access_timestamp,
                    }) => {
                        assert_eq!(state_node.class.as_ref().unwrap().0, "TtlValue");
                        assert_eq!(value("userValue"), user_value.unwrap().to_string());
                        assert_eq!(
                            value("lastAccessTimestamp"),
                            last_access_timestamp.to_string()
                        );
                    }
                    ShownState::Object(other) => {
                        panic!("{function:?}: no preset keeps {other:?}")
                    }
                    ShownState::Missing => panic!("a live entry's state is there"),
                }
            }
            // The timer service's queue: its size, and the earliest timer at the head (index 1).
            let queues = t.children(Obj::RegisteredPqStates);
            let timers = c.tasks()[0].backend().num_timers();
            // The operator's timer service: a queue for processing time and one for event time.
            assert_eq!(queues.len(), 2, "{function:?}");
            if let Some(queue) = queues.iter().find(|q| q.name.contains("processing")) {
                assert_eq!(queue.value, format!("size = {timers}"));
                let array = t.children(t.children(queue.obj)[0].obj);
                assert_eq!(array[0].value, "null");
                assert_eq!(array.len(), 1 + timers.min(CHUNK));
                if function == JobFunction::Session {
                    assert!(timers > 0);
                    let head = c.tasks()[0]
                        .backend()
                        .priority_queue(0)
                        .unwrap()
                        .peek()
                        .unwrap();
                    assert!(array[1]
                        .value
                        .starts_with(&format!("Timer{{timestamp={},", head.timestamp)));
                }
            }
        }
    }
}
