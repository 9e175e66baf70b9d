//! `org.apache.flink.runtime.checkpoint.metadata.MetadataV6Serializer` — and versions 3 to 5, which Flink 2.x
//! still reads (`MetadataSerializers`) — as `Checkpoints.loadCheckpointMetadata` reads a `_metadata` file: magic
//! number `0x4960672d`, version, checkpoint id, master states, then each `OperatorState` (from version 5 with its
//! name and uid; its id, parallelism, max parallelism, coordinator state) with its `OperatorSubtaskState`s
//! (operator and keyed state handles, the channel state of unaligned checkpoints), and from version 4 the
//! Java-serialised `CheckpointProperties` to the end. Layout verified against Flink 2.3's bytecode
//! (`MetadataV2V3SerializerBase`, `MetadataV3Serializer`, `MetadataV5Serializer`) and the public samples.

use crate::engine::cluster::operator_id::OperatorId;
use crate::engine::savepoint::checkpoint_properties::{snapshot_type, SnapshotType};
use crate::engine::savepoint::data_input_deserializer::{
    DataInputDeserializer, ReadError, ReadResult,
};
use crate::engine::savepoint::keyed_state_handle::{read_keyed_state_handle, KeyGroupsStateHandle};
use crate::engine::savepoint::operator_state_handle::{
    read_operator_state_handle, OperatorStreamStateHandle,
};
use crate::engine::savepoint::savepoint_error::{
    Counted, ReadProblem, SavepointError, SavepointLimit,
};
use crate::engine::savepoint::stream_state_handle::{
    at_error, read_stream_state_handle, StreamStateHandle,
};

/// `Checkpoints.HEADER_MAGIC_NUMBER`.
pub const MAGIC: u32 = 0x4960_672d;
/// The largest `_metadata` StateLab opens.
pub const MAX_METADATA_BYTES: u64 = 256 * 1024 * 1024;
/// `MASTER_STATE_MAGIC_NUMBER`.
const MASTER_STATE_MAGIC: i32 = -915_728_746;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckpointMetadata {
    pub version: i32,
    pub checkpoint_id: i64,
    pub master_states: Vec<MasterState>,
    pub operators: Vec<OperatorState>,
    pub snapshot_type: SnapshotType,
}

/// A `MasterState` (a master hook's state): its name and size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MasterState {
    pub name: String,
    pub bytes: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorState {
    /// The operator's name and uid (version 5 on; empty ones are `None`).
    pub name: Option<String>,
    pub uid: Option<String>,
    pub id: OperatorId,
    pub parallelism: i32,
    pub max_parallelism: i32,
    pub coordinator_state: Option<StreamStateHandle>,
    /// `FullyFinishedOperatorState`: every subtask had finished.
    pub fully_finished: bool,
    pub subtasks: Vec<OperatorSubtaskState>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorSubtaskState {
    pub index: i32,
    /// `FinishedOperatorSubtaskState`: the subtask had finished (no state).
    pub finished: bool,
    pub managed_operator_state: Option<OperatorStreamStateHandle>,
    pub raw_operator_state: Option<OperatorStreamStateHandle>,
    pub managed_keyed_state: Option<KeyGroupsStateHandle>,
    pub raw_keyed_state: Option<KeyGroupsStateHandle>,
}

fn metadata_error(e: ReadError) -> SavepointError {
    SavepointError::Metadata {
        offset: e.offset,
        problem: e.problem,
    }
}

/// `Checkpoints.loadCheckpointMetadata`: the whole `_metadata` file.
pub fn read_metadata(bytes: &[u8]) -> Result<CheckpointMetadata, SavepointError> {
    if bytes.len() as u64 > MAX_METADATA_BYTES {
        return Err(SavepointLimit::Metadata {
            bytes: bytes.len() as u64,
            max: MAX_METADATA_BYTES,
        }
        .into());
    }
    let mut r = DataInputDeserializer::new(bytes);
    match r.read_i32() {
        Ok(m) if m as u32 == MAGIC => {}
        _ => return Err(SavepointError::NotFlinkMetadata),
    }
    let version = r.read_i32().map_err(metadata_error)?;
    if !(3..=6).contains(&version) {
        return Err(SavepointError::UnsupportedVersion(version));
    }
    read_body(&mut r, version).map_err(metadata_error)
}

fn read_body(r: &mut DataInputDeserializer, version: i32) -> ReadResult<CheckpointMetadata> {
    let at = r.position();
    let checkpoint_id = r.read_i64()?;
    if checkpoint_id < 0 {
        return Err(at_error(
            r,
            at,
            ReadProblem::Negative {
                what: Counted::CheckpointId,
                value: checkpoint_id,
            },
        ));
    }
    let n = r.read_count(Counted::MasterStates, 8)?;
    let mut master_states = Vec::with_capacity(n);
    for _ in 0..n {
        master_states.push(read_master_state(r)?);
    }
    // An operator is at least its id, parallelisms, coordinator handle and subtask count (and two empty names).
    let min_operator = 16 + 4 + 4 + 1 + 4 + if version >= 5 { 4 } else { 0 };
    let n = r.read_count(Counted::Operators, min_operator)?;
    let mut operators = Vec::with_capacity(n);
    for _ in 0..n {
        operators.push(read_operator_state(r, version)?);
    }
    let snapshot_type = if version >= 4 {
        snapshot_type(r.read_fully(r.available())?)
    } else {
        SnapshotType::Unknown
    };
    Ok(CheckpointMetadata {
        version,
        checkpoint_id,
        master_states,
        operators,
        snapshot_type,
    })
}

/// `deserializeMasterState`: magic, length, then (version, name, bytes) inside.
fn read_master_state(r: &mut DataInputDeserializer) -> ReadResult<MasterState> {
    let at = r.position();
    let magic = r.read_i32()?;
    if magic != MASTER_STATE_MAGIC {
        return Err(at_error(
            r,
            at,
            ReadProblem::BadMagic {
                expected: MASTER_STATE_MAGIC as u32,
                found: magic as u32,
            },
        ));
    }
    let n = r.read_count(Counted::Bytes, 1)?;
    let data = r.read_fully(n)?;
    let mut inner = DataInputDeserializer::new(data);
    let name = inner
        .read_i32()
        .and_then(|_| inner.read_utf())
        .unwrap_or_default();
    Ok(MasterState {
        name,
        bytes: n as u64,
    })
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// `MetadataV5Serializer.deserializeOperatorState` (version 3 and 4: without name and uid).
fn read_operator_state(r: &mut DataInputDeserializer, version: i32) -> ReadResult<OperatorState> {
    let (name, uid) = if version >= 5 {
        (non_empty(r.read_utf()?), non_empty(r.read_utf()?))
    } else {
        (None, None)
    };
    let id_bytes = r.read_fully(16)?;
    let mut id = [0u8; 16];
    id.copy_from_slice(id_bytes);
    let parallelism = r.read_i32()?;
    let max_parallelism = r.read_i32()?;
    let coordinator_state = read_stream_state_handle(r)?;
    let count_at = r.position();
    let count = r.read_i32()?;
    let mut op = OperatorState {
        name,
        uid,
        id: OperatorId(id),
        parallelism,
        max_parallelism,
        coordinator_state,
        fully_finished: count < 0,
        subtasks: Vec::new(),
    };
    if count < 0 {
        return Ok(op);
    }
    // A subtask state is at least 22 bytes.
    let n = r.check_count(count_at, Counted::Subtasks, i64::from(count), 22)?;
    op.subtasks.reserve_exact(n);
    let mut seen = std::collections::HashSet::with_capacity(n);
    for _ in 0..n {
        let at = r.position();
        let subtask = read_subtask_state(r)?;
        // Flink puts each into a map by its index; a repeated index would stand for two states of one subtask.
        if !seen.insert(subtask.index) {
            return Err(at_error(
                r,
                at,
                ReadProblem::DuplicateSubtask(subtask.index),
            ));
        }
        op.subtasks.push(subtask);
    }
    Ok(op)
}

/// `deserializeSubtaskIndexAndFinishedState` + `deserializeSubtaskState`.
fn read_subtask_state(r: &mut DataInputDeserializer) -> ReadResult<OperatorSubtaskState> {
    let index = r.read_i32()?;
    if index < 0 {
        return Ok(OperatorSubtaskState {
            index: -(index + 1),
            finished: true,
            managed_operator_state: None,
            raw_operator_state: None,
            managed_keyed_state: None,
            raw_keyed_state: None,
        });
    }
    let managed_operator_state = if r.read_i32()? != 0 {
        read_operator_state_handle(r)?
    } else {
        None
    };
    let raw_operator_state = if r.read_i32()? != 0 {
        read_operator_state_handle(r)?
    } else {
        None
    };
    let managed_keyed_state = read_keyed_state_handle(r)?;
    let raw_keyed_state = read_keyed_state_handle(r)?;
    for _ in 0..2 {
        // Input channel and result subpartition state (unaligned checkpoints).
        let at = r.position();
        let n = r.read_i32()?;
        if n != 0 {
            return Err(at_error(r, at, ReadProblem::ChannelState(n as i64 as u64)));
        }
    }
    Ok(OperatorSubtaskState {
        index,
        finished: false,
        managed_operator_state,
        raw_operator_state,
        managed_keyed_state,
        raw_keyed_state,
    })
}
