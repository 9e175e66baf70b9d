//! The debugger view: the object tree a Java debugger shows while stopped in `processElement`, from the
//! function's `runtimeContext` down to the `StateMapEntry` of the current key —
//! `StreamingRuntimeContext` → `DefaultKeyedStateStore` → `HeapKeyedStateBackend` → `keyValueStatesByName` →
//! `"event-counter"` → `HeapValueState` → `CopyOnWriteStateTable` → `keyGroupedStateMaps[i]` →
//! `CopyOnWriteStateMap` → `primaryTable[bucket]` → `StateMapEntry` — with the live values of the simulation.
//! Field names are Flink 2.x's. Children are built only for expanded nodes; arrays open in chunks of 100
//! as IDE debuggers show them. Object ids (`@1234`) are stable per object, so a copy-on-write copy shows up as
//! a new object next to the one a snapshot still holds.

use crate::engine::cluster::engine_event::EngineEvent;
use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::cluster::operator_id::JobOperatorIds;
use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::keys::key_registry::KeyId;
use crate::engine::state::heap::copy_on_write_state_map::{CopyOnWriteStateMap, MINIMUM_CAPACITY};
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::state_map_entry::{TableKind, NIL};
use crate::i18n::messages::debugger as msg;
use crate::i18n::Lang;
use crate::web::components::term::rich_text;
use crate::web::context::{Code, CodeLine, SlowSim, Ui};
use std::collections::BTreeSet;
use yew::prelude::*;

/// Array elements per chunk, as IntelliJ groups them.
const CHUNK: usize = 100;
/// `CopyOnWriteStateMap.EMPTY_TABLE`: `new StateMapEntry[MINIMUM_CAPACITY >>> 1]`, shared by every idle map.
const EMPTY_TABLE_LENGTH: usize = MINIMUM_CAPACITY >> 1;

/// What a node of the tree is: enough to build its children on demand.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Obj {
    Function,
    RuntimeContext,
    KeyedStateStore,
    Backend,
    KeyContext,
    KvStatesByName,
    RegisteredKvStates,
    RegisteredPqStates,
    ValueState,
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
    /// A leaf: nothing below.
    Leaf,
}

/// One row of the tree.
struct Node {
    name: String,
    /// `{Class@id}` for objects, absent for primitives and null.
    class: Option<(String, u32)>,
    value: String,
    obj: Obj,
    /// Greyed with a note (an entry `update()` has not created yet at the current line).
    note: Option<String>,
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

/// What the tree is drawn from: one subtask of the running job, and the current record as the code panel
/// sees it.
struct View<'a> {
    cluster: &'a MiniCluster,
    subtask: usize,
    key_type: JavaKeyType,
    /// The newest record's key, its previous count and whether `update()` inserted its entry — shown as
    /// before the update while the code panel stands on an earlier line.
    pending: Option<(KeyId, Option<i64>, bool)>,
    lang: Lang,
}

impl View<'_> {
    fn backend(&self) -> &HeapKeyedStateBackend {
        self.cluster.tasks()[self.subtask].backend()
    }

    fn id(&self, what: u64) -> u32 {
        oid(&[self.subtask as u64, self.cluster.attempt() as u64, what])
    }

    fn map(&self, index: usize) -> Option<&CopyOnWriteStateMap<i64>> {
        self.backend().state_tables().first()?.maps().get(index)
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

    fn children(&self, obj: Obj) -> Vec<Node> {
        let backend = self.backend();
        let range = backend.key_group_range();
        let key_class = self.key_type.java_name();
        match obj {
            Obj::Function => vec![
                Node::object(
                    "counter",
                    "HeapValueState",
                    self.id(10),
                    "",
                    Obj::ValueState,
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
                .map(|name| {
                    Node::object(
                        format!("\"{name}\""),
                        "HeapValueState",
                        self.id(10),
                        "",
                        Obj::ValueState,
                    )
                })
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
                        "HeapPriorityQueueSnapshotRestoreWrapper",
                        self.id(40 + i as u64),
                        "size = 0",
                        Obj::Leaf,
                    )
                })
                .collect(),
            Obj::ValueState => vec![
                Node::object(
                    "stateTable",
                    self.table_class(),
                    self.id(11),
                    "",
                    Obj::StateTable,
                ),
                Node::value("keySerializer", format!("{key_class}Serializer")),
                Node::value("valueSerializer", "LongSerializer"),
                Node::value("namespaceSerializer", "VoidNamespaceSerializer"),
                Node::value("currentNamespace", "VoidNamespace"),
                Node::value("defaultValue", "null"),
            ],
            Obj::StateTable => {
                let maps = backend.state_tables().first().map_or(0, |t| t.maps().len());
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
                vec![
                    Node::value("name", "\"event-counter\""),
                    Node::value("stateType", "VALUE"),
                    Node::value("namespaceSerializerProvider", provider),
                    Node::value("stateSerializerProvider", provider),
                    Node::value(
                        "stateSnapshotTransformFactory",
                        "StateSnapshotTransformer$StateSnapshotTransformFactory$1",
                    ),
                ]
            }
            Obj::Maps => {
                let n = backend.state_tables().first().map_or(0, |t| t.maps().len());
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
                    let kg = range.start_key_group() as u32 + index as u32;
                    let mut node = Node::object(
                        format!("[{index}]"),
                        "CopyOnWriteStateMap",
                        self.id(100 + index as u64),
                        format!("size = {}", map.size()),
                        Obj::Map { index },
                    );
                    node.note = Some(msg::key_group(self.lang, kg));
                    Some(node)
                })
                .collect(),
            Obj::Map { index } => {
                let Some(map) = self.map(index) else {
                    return Vec::new();
                };
                // Idle, the map points at Flink's shared EMPTY_TABLE: MINIMUM_CAPACITY >>> 1 = 2 empty slots.
                let rehash = if map.is_rehashing() {
                    map.table(TableKind::IncrementalRehash).len()
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
                    rehash_node.note = Some(self.lang.t(&msg::EMPTY_TABLE).to_owned());
                    rehash_node.obj = Obj::Leaf;
                }
                let versions: Vec<String> =
                    map.snapshot_versions().map(|v| v.to_string()).collect();
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
                    Node::value("stateSerializer", "LongSerializer"),
                ]
            }
            Obj::SnapshotVersions { index } => self
                .map(index)
                .map(|m| {
                    m.snapshot_versions()
                        .enumerate()
                        .map(|(i, v)| Node::value(format!("[{i}]"), v.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            Obj::Table { index, kind } => {
                let len = self.map(index).map_or(0, |m| m.table(kind).len());
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
                let table = map.table(kind);
                (from..to.min(table.len()))
                    .map(|b| self.slot_node(format!("[{b}]"), index, table[b]))
                    .collect()
            }
            Obj::Entry { index, slot } => {
                let Some(map) = self.map(index) else {
                    return Vec::new();
                };
                let e = map.entry(slot);
                let (state, note) = self.state_of(e.key, e.state);
                let mut state_node = if state == "null" {
                    Node::value("state", state)
                } else {
                    let cached = (-128..=127).contains(&e.state);
                    let id = if cached {
                        oid(&[0x4c6f_6e67, e.state as u64])
                    } else {
                        self.id(500_000 + index as u64 * 1_000_000 + slot as u64)
                    };
                    Node::object("state", "Long", id, state, Obj::Leaf)
                };
                state_node.note = note;
                if e.shares_state_with_origin {
                    state_node.note = Some(self.lang.t(&msg::SHARED).to_owned());
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
                    self.slot_node("next".to_owned(), index, e.next),
                    Node::value("entryVersion", e.entry_version.to_string()),
                    Node::value("stateVersion", e.state_version.to_string()),
                    Node::value("hash", e.hash.to_string()),
                ]
            }
            Obj::Leaf => Vec::new(),
        }
    }

    /// A table slot or `next` field: `null`, or the entry it links to.
    fn slot_node(&self, name: String, index: usize, slot: u32) -> Node {
        if slot == NIL {
            return Node::value(name, "null");
        }
        let Some(map) = self.map(index) else {
            return Node::value(name, "null");
        };
        let e = map.entry(slot);
        let (state, _) = self.state_of(e.key, e.state);
        let mut node = Node::object(
            name,
            "StateMapEntry",
            self.id(600_000 + index as u64 * 1_000_000 + slot as u64),
            format!("{} → {state}", self.key_text(e.key)),
            Obj::Entry { index, slot },
        );
        if matches!(self.pending, Some((key, None, true)) if key == e.key) {
            node.note = Some(self.lang.t(&msg::NOT_YET).to_owned());
        }
        node
    }

    /// An entry's state as the current line sees it: the newest record's entry still holds the previous count
    /// until `counter.update(next)` has run.
    fn state_of(&self, key: KeyId, state: i64) -> (String, Option<String>) {
        match self.pending {
            Some((pending, previous, _)) if pending == key => (
                previous.map_or("null".to_owned(), |v| v.to_string()),
                Some(self.lang.t(&msg::BEFORE_UPDATE).to_owned()),
            ),
            _ => (state.to_string(), None),
        }
    }

    /// The paths to open so that the current key's entry shows — down to its bucket, and along its chain — and
    /// the breadcrumb of that path: `counter → stateTable → key group N's CopyOnWriteStateMap →
    /// primaryTable[b] → entry` (the entry once the key has one), each step with the path of its node.
    fn path_to(&self, key: KeyId) -> (Vec<String>, Vec<Crumb>) {
        let backend = self.backend();
        let range = backend.key_group_range();
        let info = self.cluster.keys().info(key);
        let kg = self.cluster.key_group_of(key);
        if !range.contains(kg as i32) {
            return (Vec::new(), Vec::new());
        }
        let index = (kg as i32 - range.start_key_group()) as usize;
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
        let mut p = "this/runtimeContext/keyedStateStore/keyedStateBackend/keyValueStatesByName/\"event-counter\"".to_owned();
        paths.push(p.clone());
        let mut crumbs = vec![Crumb {
            step: CrumbStep::Counter,
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
        let maps = backend.state_tables().first().map_or(0, |t| t.maps().len());
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
        let len = map.table(kind).len();
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
        for e in map.bucket(kind, bucket as usize) {
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

/// One step of the breadcrumb from the state to the current key's entry.
#[derive(Clone, Debug, PartialEq)]
enum CrumbStep {
    Counter,
    StateTable,
    Map(u32),
    Slot(&'static str, u32),
    Entry,
}

#[derive(Clone, Debug, PartialEq)]
struct Crumb {
    step: CrumbStep,
    /// The path of its node in the tree.
    path: String,
}

impl Crumb {
    fn label(&self, l: Lang) -> String {
        match self.step {
            CrumbStep::Counter => "counter".to_owned(),
            CrumbStep::StateTable => "stateTable".to_owned(),
            CrumbStep::Map(kg) => msg::map_of(l, kg),
            CrumbStep::Slot(table, bucket) => format!("{table}[{bucket}]"),
            CrumbStep::Entry => l.t(&msg::ENTRY).to_owned(),
        }
    }

    /// Whether its label is code (left untranslated).
    fn is_code(&self) -> bool {
        !matches!(self.step, CrumbStep::Map(_) | CrumbStep::Entry)
    }
}

/// A path and every path above it (`a/b/c` → `a`, `a/b`, `a/b/c`).
fn with_ancestors(path: &str) -> impl Iterator<Item = String> + '_ {
    path.match_indices('/')
        .map(|(i, _)| path[..i].to_owned())
        .chain(std::iter::once(path.to_owned()))
}

/// Scrolls the tree (its own scroll area, not the page) so that the row of `path` shows a little below its top,
/// or at a third of its height for the current entry.
fn scroll_tree_to(selector: &str, third: bool) {
    use wasm_bindgen::JsCast;
    let row = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(row) = row {
        if let Some(tree) = row
            .parent_element()
            .and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let offset = if third { tree.client_height() / 3 } else { 8 };
            let top = row.offset_top() - tree.offset_top() - offset;
            tree.set_scroll_top(top.max(0));
        }
    }
}

fn chunks(len: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..len.div_ceil(CHUNK)).map(move |c| (c * CHUNK, ((c + 1) * CHUNK).min(len)))
}

/// A rendered row: flattened, so the tree is one list of rows.
#[derive(Clone, PartialEq)]
struct Row {
    path: String,
    depth: usize,
    name: String,
    class: Option<(String, u32)>,
    value: String,
    note: Option<String>,
    expandable: bool,
    open: bool,
    current: bool,
}

fn flatten(
    view: &View<'_>,
    node: Node,
    path: String,
    depth: usize,
    open: &BTreeSet<String>,
    target: &Option<String>,
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
        current: target.as_deref() == Some(path.as_str()),
    });
    if is_open && rows.len() < 5_000 {
        for child in view.children(node.obj) {
            let child_path = format!("{path}/{}", child.name);
            flatten(view, child, child_path, depth + 1, open, target, rows);
        }
    }
}

#[function_component(DebuggerView)]
pub fn debugger_view() -> Html {
    let SlowSim(sim) = use_context::<SlowSim>().expect("slow sim context");
    let ui = use_context::<Ui>().expect("ui context");
    let code = use_context::<Code>().expect("code context");
    let l = ui.lang;
    // Paths the user opened or closed by hand; the path to the current entry opens by itself.
    let opened = use_state(BTreeSet::<String>::new);
    let closed = use_state(BTreeSet::<String>::new);
    let follow = use_state(|| true);
    let chosen_subtask = use_state(|| None::<usize>);
    // The breadcrumb step last clicked, and a click count (clicking the same step again scrolls again).
    let revealed = use_state(|| None::<(String, u32)>);

    let s = sim.borrow();
    let c = s.shown();
    let newest = s.last_record.as_ref().and_then(|r| match &r.event {
        EngineEvent::RecordProcessed {
            subtask,
            key,
            previous,
            write,
            ..
        } => Some((*subtask as usize, *key, *previous, write.inserted)),
        _ => None,
    });
    let key_type = s.config().source.key_format.key_type;
    let followed = ui.followed_key.as_ref().and_then(|text| c.find_key(text));
    let current_key = followed.or(newest.map(|n| n.1));
    let subtask = chosen_subtask
        .filter(|&i| i < c.tasks().len())
        .or_else(|| current_key.map(|k| c.owner_of_key_group(c.key_group_of(k)) as usize))
        .unwrap_or(0)
        .min(c.tasks().len().saturating_sub(1));
    // While the code panel animates the newest record's lines over the running job, its entry shows the count
    // as before update(); stopped on a line by hand, the job shown is already the job at that line.
    let pending = newest
        .filter(|_| {
            !s.is_stopped_inside()
                && code.record == c.counters().records_processed
                && !code.line.updated()
                && code.line != CodeLine::Return
        })
        .map(|(_, key, previous, inserted)| (key, previous, inserted));
    let view = View {
        cluster: c,
        subtask,
        key_type,
        pending,
        lang: l,
    };
    let (path, crumbs) = current_key.map(|key| view.path_to(key)).unwrap_or_default();
    let target = crumbs
        .last()
        .filter(|c| c.step == CrumbStep::Entry && *follow)
        .map(|c| c.path.clone());
    let auto = if *follow && current_key.is_some() {
        path
    } else {
        vec!["this".to_owned()]
    };
    let mut open: BTreeSet<String> = auto.into_iter().filter(|p| !closed.contains(p)).collect();
    open.extend(opened.iter().cloned());
    let mut rows = Vec::new();
    let root = Node::object(
        "this",
        "EventCounterProcessFunction",
        view.id(1),
        "",
        Obj::Function,
    );
    flatten(&view, root, "this".to_owned(), 0, &open, &target, &mut rows);
    let tasks = c.tasks().len();
    drop(s);

    // Keep the current entry in view inside the tree's own scroll area (not the page's).
    use_effect_with(target.clone(), |_| {
        scroll_tree_to(".object-tree .node.current", true)
    });
    // A step of the breadcrumb clicked: its node, opened above, is brought to the top of the tree.
    use_effect_with((*revealed).clone(), |revealed| {
        if let Some((path, _)) = revealed {
            scroll_tree_to(&format!(".object-tree [data-path='{path}']"), false);
        }
    });

    let on_toggle = {
        let (opened, closed) = (opened.clone(), closed.clone());
        Callback::from(move |(path, was_open): (String, bool)| {
            let (mut o, mut c) = ((*opened).clone(), (*closed).clone());
            if was_open {
                o.remove(&path);
                c.insert(path);
            } else {
                c.remove(&path);
                o.insert(path);
            }
            opened.set(o);
            closed.set(c);
        })
    };
    let on_crumb = {
        let (opened, closed, revealed) = (opened.clone(), closed.clone(), revealed.clone());
        Callback::from(move |path: String| {
            let (mut o, mut c) = ((*opened).clone(), (*closed).clone());
            for p in with_ancestors(&path) {
                c.remove(&p);
                o.insert(p);
            }
            opened.set(o);
            closed.set(c);
            let clicks = revealed.as_ref().map_or(0, |(_, n)| n + 1);
            revealed.set(Some((path, clicks)));
        })
    };
    let revealed_path = revealed.as_ref().map(|(p, _)| p.clone());
    let on_follow = {
        let (follow, opened, closed) = (follow.clone(), opened.clone(), closed.clone());
        Callback::from(move |_| {
            follow.set(!*follow);
            opened.set(BTreeSet::new());
            closed.set(BTreeSet::new());
        })
    };
    let on_subtask = {
        let chosen_subtask = chosen_subtask.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            chosen_subtask.set(v.parse::<usize>().ok());
        })
    };

    html! {
        <section class="panel debugger" data-testid="debugger-view">
            <div class="panel-head">
                <h2>{l.t(&msg::TITLE)}</h2>
                <span class="hint">{l.t(&msg::SUBTITLE)}</span>
            </div>
            <div class="debugger-controls">
                <label>{l.t(&msg::SUBTASK)}{" "}
                    <select data-testid="debugger-subtask" onchange={on_subtask}>
                        <option value="" selected={chosen_subtask.is_none()}>{l.t(&msg::AUTO)}</option>
                        { for (0..tasks).map(|i| html! { <option value={i.to_string()} selected={*chosen_subtask == Some(i)}>{i}</option> }) }
                    </select>
                </label>
                <label><input type="checkbox" checked={*follow} onchange={on_follow} data-testid="debugger-follow" />{" "}{l.t(&msg::FOLLOW)}</label>
            </div>
            <p class="answer" data-testid="state-answer">{rich_text(l.t(&msg::ANSWER))}</p>
            if current_key.is_none() {
                <p class="hint">{l.t(&msg::NO_KEY)}</p>
            } else {
                <nav class="crumbs" data-testid="state-path" aria-label={l.t(&msg::PATH_LABEL)} translate="no">
                    { for crumbs.iter().enumerate().map(|(i, crumb)| {
                        let onclick = {
                            let (on_crumb, path) = (on_crumb.clone(), crumb.path.clone());
                            Callback::from(move |_| on_crumb.emit(path.clone()))
                        };
                        html! {
                            <>
                                if i > 0 { <span class="sep" aria-hidden="true">{" → "}</span> }
                                <button class="link crumb" data-testid="crumb" data-target={crumb.path.clone()}
                                    translate={if crumb.is_code() { "no" } else { "yes" }} {onclick}>{crumb.label(l)}</button>
                            </>
                        }
                    }) }
                </nav>
            }
            <ul class="object-tree" translate="no" role="tree">
                { for rows.into_iter().map(|row| {
                    let toggle = {
                        let on_toggle = on_toggle.clone();
                        let (path, open) = (row.path.clone(), row.open);
                        Callback::from(move |_| on_toggle.emit((path.clone(), open)))
                    };
                    html! {
                        <li role="treeitem" aria-expanded={row.expandable.then(|| row.open.to_string())}
                            class={classes!("node", row.current.then_some("current"), row.note.is_some().then_some("noted"),
                                (revealed_path.as_deref() == Some(row.path.as_str())).then_some("revealed"))}
                            style={format!("padding-left: {}px", 4 + row.depth * 16)}
                            data-path={row.path.clone()} data-testid="tree-node">
                            if row.expandable {
                                <button class="twisty" onclick={toggle} aria-label={row.path.clone()}>{ if row.open { "▾" } else { "▸" } }</button>
                            } else {
                                <span class="twisty leaf"></span>
                            }
                            <span class="fname">{&row.name}</span>
                            <span class="eq">{" = "}</span>
                            { match &row.class {
                                Some((class, id)) if !class.is_empty() => html! { <span class="class">{format!("{{{class}@{id}}}")}</span> },
                                _ => html! {},
                            } }
                            <span class="val" data-testid="tree-value">{&row.value}</span>
                            if let Some(note) = &row.note {
                                <span class="tree-note" translate="yes">{note}</span>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
