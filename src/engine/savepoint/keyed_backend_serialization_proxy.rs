//! `org.apache.flink.runtime.state.KeyedBackendSerializationProxy` (version 6, the only one Flink 2.x reads) and
//! the `StateMetaInfoSnapshot`s it carries (`StateMetaInfoSnapshotReadersWriters.CurrentReaderImpl`): the head of
//! every keyed state stream, in both the canonical and the native format — whether key groups are compressed, the
//! key serializer's snapshot, then each registered state's name, backend state type, options
//! (`KEYED_STATE_TYPE`) and serializer snapshots by role (`VALUE_SERIALIZER`, `NAMESPACE_SERIALIZER`). A state's
//! id in the data that follows is its position in this list.

use crate::engine::savepoint::data_input_deserializer::{DataInputDeserializer, ReadResult};
use crate::engine::savepoint::savepoint_error::{Counted, ReadProblem};
use crate::engine::savepoint::type_serializer::TypeSerializer;
use crate::engine::savepoint::type_serializer_snapshot::{
    read_serializer_snapshot, SerializerSnapshot,
};

/// `KeyedBackendSerializationProxy.VERSION`.
pub const PROXY_VERSION: i32 = 6;

/// `StateMetaInfoSnapshot.BackendStateType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendStateType {
    KeyValue,
    Operator,
    Broadcast,
    PriorityQueue,
}

/// What a user registered: the `KEYED_STATE_TYPE` option of a key-value state, or a priority queue (timers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateKind {
    Value,
    List,
    Map,
    Reducing,
    Aggregating,
    PriorityQueue,
    /// Another `KEYED_STATE_TYPE` (or none): its text.
    Other(String),
}

impl StateKind {
    /// Flink's name: `VALUE`, `LIST`, `MAP`, `REDUCING`, `AGGREGATING`, `PRIORITY_QUEUE`.
    pub fn name(&self) -> &str {
        match self {
            StateKind::Value => "VALUE",
            StateKind::List => "LIST",
            StateKind::Map => "MAP",
            StateKind::Reducing => "REDUCING",
            StateKind::Aggregating => "AGGREGATING",
            StateKind::PriorityQueue => "PRIORITY_QUEUE",
            StateKind::Other(s) => s,
        }
    }
}

/// One registered state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateMetaInfoSnapshot {
    pub name: String,
    pub backend_state_type: BackendStateType,
    pub options: Vec<(String, String)>,
    /// Serializer snapshots by role, in the order written.
    pub serializers: Vec<(String, SerializerSnapshot)>,
}

impl StateMetaInfoSnapshot {
    pub fn kind(&self) -> StateKind {
        if self.backend_state_type == BackendStateType::PriorityQueue {
            return StateKind::PriorityQueue;
        }
        match self.option("KEYED_STATE_TYPE") {
            Some("VALUE") => StateKind::Value,
            Some("LIST") => StateKind::List,
            Some("MAP") => StateKind::Map,
            Some("REDUCING") => StateKind::Reducing,
            Some("AGGREGATING") => StateKind::Aggregating,
            other => StateKind::Other(other.unwrap_or("?").to_owned()),
        }
    }

    pub fn option(&self, key: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn serializer(&self, role: &str) -> Option<&SerializerSnapshot> {
        self.serializers
            .iter()
            .find(|(k, _)| k == role)
            .map(|(_, s)| s)
    }

    /// The state's (or the queue's element) serializer: `VALUE_SERIALIZER`.
    pub fn value_serializer(&self) -> TypeSerializer {
        self.serializer("VALUE_SERIALIZER")
            .map(|s| s.serializer.clone())
            .unwrap_or(TypeSerializer::Unknown { class: "?".into() })
    }

    /// `NAMESPACE_SERIALIZER` (a priority queue has none).
    pub fn namespace_serializer(&self) -> TypeSerializer {
        self.serializer("NAMESPACE_SERIALIZER")
            .map(|s| s.serializer.clone())
            .unwrap_or(TypeSerializer::VoidNamespace)
    }
}

/// The head of a keyed state stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyedBackendSerializationProxy {
    pub version: i32,
    /// `usingKeyGroupCompression`: each key group's data through `SnappyStreamCompressionDecorator`.
    pub compression: bool,
    pub key_serializer: SerializerSnapshot,
    pub states: Vec<StateMetaInfoSnapshot>,
    /// Where the key-group data starts (the meta data's length).
    pub end: usize,
}

impl KeyedBackendSerializationProxy {
    /// `read(in)`: from the start of a keyed state stream.
    pub fn read(r: &mut DataInputDeserializer) -> ReadResult<Self> {
        let at = r.position();
        let version = r.read_i32()?;
        if version != PROXY_VERSION {
            let mut e = r.error(ReadProblem::ProxyVersion(version));
            e.offset = at as u64;
            return Err(e);
        }
        let compression = r.read_boolean()?;
        let key_serializer = read_serializer_snapshot(r)?;
        // A state is at least a name's length, a type, and two counts.
        let n = r.read_short_count(Counted::States, 14)?;
        let mut states = Vec::with_capacity(n);
        for _ in 0..n {
            states.push(read_state_meta_info(r)?);
        }
        Ok(KeyedBackendSerializationProxy {
            version,
            compression,
            key_serializer,
            states,
            end: r.position(),
        })
    }
}

/// `CurrentReaderImpl.readStateMetaInfoSnapshot`.
fn read_state_meta_info(r: &mut DataInputDeserializer) -> ReadResult<StateMetaInfoSnapshot> {
    let name = r.read_utf()?;
    let at = r.position();
    let backend_state_type = match r.read_i32()? {
        0 => BackendStateType::KeyValue,
        1 => BackendStateType::Operator,
        2 => BackendStateType::Broadcast,
        3 => BackendStateType::PriorityQueue,
        other => {
            let mut e = r.error(ReadProblem::StateType(other));
            e.offset = at as u64;
            return Err(e);
        }
    };
    let n = r.read_count(Counted::Options, 4)?;
    let mut options = Vec::with_capacity(n);
    for _ in 0..n {
        options.push((r.read_utf()?, r.read_utf()?));
    }
    let n = r.read_count(Counted::Serializers, 12)?;
    let mut serializers = Vec::with_capacity(n);
    for _ in 0..n {
        serializers.push((r.read_utf()?, read_serializer_snapshot(r)?));
    }
    Ok(StateMetaInfoSnapshot {
        name,
        backend_state_type,
        options,
        serializers,
    })
}
