//! `org.apache.flink.state.api.SavepointReader` (the State Processor API), without a JVM: a snapshot directory's
//! `_metadata` ([`read_metadata`]) and, for every operator, each subtask's keyed state read from its stream — a
//! file next to `_metadata` or bytes inline in it — in the canonical format
//! ([`heap_savepoint_restore_operation`], a
//! `KeyGroupsSavepointStateHandle`) or the HashMap backend's native format
//! ([`heap_restore_operation`], a `KeyGroupsStateHandle`).
//! Operators are named by their uid: the metadata's (version 5 on), or one of the uids a user gives whose
//! `StreamGraphHasherV2` hash is the operator's id. A subtask whose state does not read keeps its error; the rest
//! of the snapshot is still shown.

use crate::engine::cluster::operator_id::{OperatorId, EVENT_COUNTER_UID};
use crate::engine::savepoint::data_input_deserializer::{DataInputDeserializer, ReadError};
use crate::engine::savepoint::heap_restore_operation;
use crate::engine::savepoint::heap_savepoint_restore_operation;
use crate::engine::savepoint::keyed_backend_serialization_proxy::KeyedBackendSerializationProxy;
use crate::engine::savepoint::keyed_state_handle::{KeyGroupsStateHandle, KeyedHandleKind};
use crate::engine::savepoint::metadata_v6_serializer::{
    read_metadata, CheckpointMetadata, OperatorState,
};
use crate::engine::savepoint::savepoint_error::{excerpt, SavepointError, SavepointLimit};
use crate::engine::savepoint::state_entry::{EntryValue, KeyedStateEntry};
use crate::engine::savepoint::state_value::{write_json_string, StateValue};
use crate::engine::savepoint::stream_state_handle::StreamStateHandle;
use crate::engine::savepoint::type_serializer::Budget;
use std::borrow::Cow;

/// The largest state file StateLab reads.
pub const MAX_STATE_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The files of a snapshot directory, by their path relative to it.
pub trait SnapshotFiles {
    /// A file's bytes, `None` when there is no such file.
    fn read(&self, path: &str) -> Result<Option<Cow<'_, [u8]>>, SavepointError>;
}

/// Files held in memory (a `.zip`'s entries, files a page was given): paths relative to `_metadata`'s folder.
#[derive(Clone, Debug, Default)]
pub struct InMemoryFiles {
    files: Vec<(String, Vec<u8>)>,
}

impl InMemoryFiles {
    /// From files with any paths: the shallowest `_metadata` names the snapshot's folder, and the others are
    /// taken relative to it (files outside it are dropped).
    pub fn new(files: Vec<(String, Vec<u8>)>) -> Result<Self, SavepointError> {
        let metadata = files
            .iter()
            .map(|(p, _)| p.replace('\\', "/"))
            .filter(|p| p == "_metadata" || p.ends_with("/_metadata"))
            .min_by_key(|p| (p.matches('/').count(), p.clone()))
            .ok_or(SavepointError::NoMetadata)?;
        let folder = &metadata[..metadata.len() - "_metadata".len()];
        Ok(InMemoryFiles {
            files: files
                .into_iter()
                .filter_map(|(p, b)| {
                    let p = p.replace('\\', "/");
                    p.strip_prefix(folder).map(|rel| (rel.to_owned(), b))
                })
                .collect(),
        })
    }

    /// From a `.zip` of a snapshot directory.
    pub fn from_zip(bytes: &[u8]) -> Result<Self, SavepointError> {
        Self::new(crate::engine::savepoint::zip_archive::read_zip(bytes)?)
    }
}

impl SnapshotFiles for InMemoryFiles {
    fn read(&self, path: &str) -> Result<Option<Cow<'_, [u8]>>, SavepointError> {
        Ok(self
            .files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, b)| Cow::Borrowed(b.as_slice())))
    }
}

/// How a subtask's keyed state is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyedFormat {
    /// `FullSnapshotAsyncWriter`'s (canonical savepoints).
    Canonical,
    /// `HeapSnapshotStrategy`'s (checkpoints, native savepoints).
    Native,
}

/// One subtask's keyed state, read.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyedState {
    pub proxy: KeyedBackendSerializationProxy,
    /// In key-group order, then in the order of the states' ids.
    pub entries: Vec<KeyedStateEntry>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SubtaskKeyedState {
    pub subtask: i32,
    pub format: KeyedFormat,
    pub state: Result<KeyedState, SavepointError>,
}

/// Where an operator's uid comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UidSource {
    /// The metadata names it.
    Metadata,
    /// A uid given to the reader hashes to the operator's id.
    Matched,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OperatorView {
    pub uid: Option<(String, UidSource)>,
    pub keyed: Vec<SubtaskKeyedState>,
}

/// A snapshot, read.
#[derive(Clone, Debug, PartialEq)]
pub struct Savepoint {
    pub metadata: CheckpointMetadata,
    /// One per operator of the metadata, in its order.
    pub operators: Vec<OperatorView>,
}

/// Reads the snapshot in `files`; `uids` are uids to match operator ids against (StateLab's
/// `event-counter-op` is always tried).
pub fn read_savepoint(
    files: &dyn SnapshotFiles,
    uids: &[String],
) -> Result<Savepoint, SavepointError> {
    let metadata_bytes = files.read("_metadata")?.ok_or(SavepointError::NoMetadata)?;
    let metadata = read_metadata(&metadata_bytes)?;
    let mut budget = Budget::default();
    let mut total = 0u64;
    let mut candidates: Vec<&str> = uids.iter().map(String::as_str).collect();
    candidates.push(EVENT_COUNTER_UID);
    let operators = metadata
        .operators
        .iter()
        .map(|op| OperatorView {
            uid: uid_of(op, &candidates),
            keyed: op
                .subtasks
                .iter()
                .filter_map(|s| Some((s.index, s.managed_keyed_state.as_ref()?)))
                .map(|(subtask, handle)| SubtaskKeyedState {
                    subtask,
                    format: match handle.kind {
                        KeyedHandleKind::Savepoint => KeyedFormat::Canonical,
                        KeyedHandleKind::KeyGroups => KeyedFormat::Native,
                    },
                    state: read_keyed(files, op, handle, &mut budget, &mut total),
                })
                .collect(),
        })
        .collect();
    Ok(Savepoint {
        metadata,
        operators,
    })
}

fn uid_of(op: &OperatorState, candidates: &[&str]) -> Option<(String, UidSource)> {
    if let Some(uid) = &op.uid {
        return Some((uid.clone(), UidSource::Metadata));
    }
    candidates
        .iter()
        .find(|uid| OperatorId::from_uid(uid) == op.id)
        .map(|uid| ((*uid).to_owned(), UidSource::Matched))
}

/// The bytes of a stream state handle.
pub fn stream_bytes<'a>(
    files: &'a dyn SnapshotFiles,
    handle: &'a StreamStateHandle,
) -> Result<Cow<'a, [u8]>, SavepointError> {
    match handle {
        StreamStateHandle::ByteStream { data, .. } => Ok(Cow::Borrowed(data)),
        StreamStateHandle::RelativeFile { path, size } | StreamStateHandle::File { path, size } => {
            if *size as u64 > MAX_STATE_FILE_BYTES {
                return Err(SavepointLimit::StateFile {
                    bytes: *size as u64,
                    max: MAX_STATE_FILE_BYTES,
                }
                .into());
            }
            // An absolute path (a checkpoint moved from where it was written): the file of that name here.
            let name = match handle {
                StreamStateHandle::File { .. } => path.rsplit('/').next().unwrap_or(path),
                _ => path,
            };
            let bytes = files
                .read(name)?
                .ok_or_else(|| SavepointError::MissingFile(excerpt(path)))?;
            if bytes.len() as u64 != *size as u64 {
                return Err(SavepointError::FileSize {
                    file: excerpt(path),
                    expected: *size as u64,
                    actual: bytes.len() as u64,
                });
            }
            Ok(bytes)
        }
    }
}

fn read_keyed(
    files: &dyn SnapshotFiles,
    op: &OperatorState,
    handle: &KeyGroupsStateHandle,
    budget: &mut Budget,
    total: &mut u64,
) -> Result<KeyedState, SavepointError> {
    let Some(delegate) = &handle.delegate else {
        return Err(SavepointError::MissingFile(String::new()));
    };
    let stream = stream_bytes(files, delegate)?;
    let in_file = |e: ReadError| SavepointError::StateData {
        file: excerpt(delegate.name()),
        offset: e.offset,
        problem: e.problem,
    };
    let proxy = KeyedBackendSerializationProxy::read(&mut DataInputDeserializer::new(&stream))
        .map_err(in_file)?;
    let mut entries = match handle.kind {
        KeyedHandleKind::Savepoint => heap_savepoint_restore_operation::read_key_groups(
            &stream,
            &proxy,
            handle.key_group_range,
            &handle.offsets,
            op.max_parallelism,
            budget,
            total,
        ),
        KeyedHandleKind::KeyGroups => heap_restore_operation::read_key_groups(
            &stream,
            &proxy,
            handle.key_group_range,
            &handle.offsets,
            budget,
            total,
        ),
    }
    .map_err(in_file)?;
    entries.sort_by_key(|e| (e.key_group, e.state));
    Ok(KeyedState { proxy, entries })
}

impl Savepoint {
    /// An operator's name in the dump: its uid, or its id in hex.
    pub fn operator_label(&self, index: usize) -> String {
        match &self.operators[index].uid {
            Some((uid, _)) => uid.clone(),
            None => self.metadata.operators[index].id.to_string(),
        }
    }

    /// Why each keyed subtask whose state does not read failed, in the metadata's order: the dump leaves these
    /// subtasks out (the summary shows them).
    pub fn unread_subtasks(&self) -> impl Iterator<Item = &SavepointError> {
        self.operators
            .iter()
            .flat_map(|o| &o.keyed)
            .filter_map(|s| s.state.as_ref().err())
    }

    /// `statelab inspect --dump`: one JSON object per keyed entry, `{"operator", "state", "keyGroup", "key",
    /// "value"}` (with `"namespace"` when it is not `VoidNamespace`; a timer's with `"timestamp"` instead of a
    /// value; bytes no serializer read as `"value": {"class", "bytes"}` with a null key).
    pub fn dump_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        self.for_each_dump_line(|line| lines.push(line));
        lines
    }

    /// The lines of [`Savepoint::dump_lines`] one after the other, each ending in `\n`: a dump of millions of
    /// entries in one text, without a list of them.
    pub fn dump_text(&self) -> String {
        let mut text = String::new();
        self.for_each_dump_line(|line| {
            text.push_str(&line);
            text.push('\n');
        });
        text
    }

    fn for_each_dump_line(&self, mut f: impl FnMut(String)) {
        for (i, view) in self.operators.iter().enumerate() {
            let label = self.operator_label(i);
            for subtask in &view.keyed {
                let Ok(state) = &subtask.state else { continue };
                for e in &state.entries {
                    f(entry_json(&label, state, e));
                }
            }
        }
    }
}

fn entry_json(operator: &str, state: &KeyedState, e: &KeyedStateEntry) -> String {
    let mut out = String::from("{\"operator\":");
    write_json_string(operator, &mut out);
    out.push_str(",\"state\":");
    write_json_string(
        state
            .proxy
            .states
            .get(e.state)
            .map_or("?", |s| s.name.as_str()),
        &mut out,
    );
    out.push_str(&format!(",\"keyGroup\":{},\"key\":", e.key_group));
    e.key.write_json(&mut out);
    if e.namespace != StateValue::Null {
        out.push_str(",\"namespace\":");
        e.namespace.write_json(&mut out);
    }
    match &e.value {
        EntryValue::State(v) | EntryValue::Element(v) | EntryValue::Undecoded(v) => {
            out.push_str(",\"value\":");
            v.write_json(&mut out);
        }
        EntryValue::Timer { timestamp } => out.push_str(&format!(",\"timestamp\":{timestamp}")),
    }
    out.push('}');
    out
}
