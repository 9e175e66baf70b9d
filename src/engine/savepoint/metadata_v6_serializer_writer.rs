//! `org.apache.flink.runtime.checkpoint.metadata.MetadataV6Serializer.serialize`, as
//! `Checkpoints.storeCheckpointMetadata` writes a savepoint's `_metadata`: magic number `0x4960672d`, version 6
//! (what Flink 2.x writes), the checkpoint id, no master states, then each `OperatorState` — its name and uid
//! (`MetadataV5Serializer`), id, parallelism, max parallelism, no coordinator state — with one
//! `OperatorSubtaskState` per subtask: no operator state, its managed keyed state as a
//! `KeyGroupsSavepointStateHandle` (type 7: key-group range, one offset per key group) over a
//! `RelativeFileStateHandle` (type 6: a file next to `_metadata`, by name, and its size), no raw keyed state and
//! no channel state (`MetadataV2V3SerializerBase`, `MetadataV3Serializer`); last the Java-serialised
//! `CheckpointProperties` (`MetadataV4Serializer`). Read back by
//! [`metadata_v6_serializer`](crate::engine::savepoint::metadata_v6_serializer).

use crate::engine::cluster::operator_id::OperatorId;
use crate::engine::savepoint::data_output_serializer::{DataOutputSerializer, UtfTooLong};
use crate::engine::savepoint::full_snapshot_async_writer::KeyGroupRangeOffsets;
use crate::engine::savepoint::keyed_state_handle::SAVEPOINT_KEY_GROUPS_HANDLE;
use crate::engine::savepoint::metadata_v6_serializer::MAGIC;
use crate::engine::savepoint::stream_state_handle::{NULL_HANDLE, RELATIVE_STREAM_STATE_HANDLE};

/// `MetadataV6Serializer.VERSION`: what Flink 2.3 writes (`Checkpoints.storeCheckpointMetadata` takes
/// `MetadataV6Serializer.INSTANCE`; the public samples are version 6).
pub const METADATA_VERSION: i32 = 6;

/// One subtask's keyed state: its key groups' offsets in a file next to `_metadata`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyGroupsSavepointStateHandle {
    pub offsets: KeyGroupRangeOffsets,
    /// The file's name, relative to the savepoint's directory.
    pub file: String,
    pub size: i64,
}

/// An operator's state in the savepoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorStateOut<'a> {
    pub name: &'a str,
    pub uid: &'a str,
    pub id: OperatorId,
    pub parallelism: i32,
    pub max_parallelism: i32,
    /// Subtask i's keyed state at index i.
    pub subtasks: Vec<KeyGroupsSavepointStateHandle>,
}

/// The `_metadata` file of a savepoint with these operators and `properties` (Java-serialised
/// `CheckpointProperties`).
pub fn write_metadata(
    checkpoint_id: i64,
    operators: &[OperatorStateOut],
    properties: &[u8],
) -> Result<Vec<u8>, UtfTooLong> {
    let mut out = DataOutputSerializer::new();
    out.write_i32(MAGIC as i32);
    out.write_i32(METADATA_VERSION);
    out.write_i64(checkpoint_id);
    out.write_i32(0);
    out.write_i32(operators.len() as i32);
    for op in operators {
        write_operator_state(&mut out, op)?;
    }
    out.write_bytes(properties);
    Ok(out.into_bytes())
}

/// `MetadataV5Serializer.serializeOperatorState`.
fn write_operator_state(
    out: &mut DataOutputSerializer,
    op: &OperatorStateOut,
) -> Result<(), UtfTooLong> {
    out.write_utf(op.name)?;
    out.write_utf(op.uid)?;
    out.write_bytes(&op.id.0);
    out.write_i32(op.parallelism);
    out.write_i32(op.max_parallelism);
    out.write_u8(NULL_HANDLE);
    out.write_i32(op.subtasks.len() as i32);
    for (index, handle) in op.subtasks.iter().enumerate() {
        // serializeSubtaskIndexAndFinishedState: a running subtask's index.
        out.write_i32(index as i32);
        // No managed and no raw operator state (empty collections).
        out.write_i32(0);
        out.write_i32(0);
        write_key_groups_savepoint_state_handle(out, handle)?;
        // No raw keyed state; no input channel and no result subpartition state.
        out.write_u8(NULL_HANDLE);
        out.write_i32(0);
        out.write_i32(0);
    }
    Ok(())
}

/// `serializeKeyedStateHandle` of a `KeyGroupsSavepointStateHandle` and its `RelativeFileStateHandle`.
fn write_key_groups_savepoint_state_handle(
    out: &mut DataOutputSerializer,
    handle: &KeyGroupsSavepointStateHandle,
) -> Result<(), UtfTooLong> {
    let range = handle.offsets.range;
    out.write_u8(SAVEPOINT_KEY_GROUPS_HANDLE);
    out.write_i32(range.start_key_group());
    out.write_i32(range.number_of_key_groups() as i32);
    for offset in &handle.offsets.offsets {
        out.write_i64(*offset);
    }
    out.write_u8(RELATIVE_STREAM_STATE_HANDLE);
    out.write_utf(&handle.file)?;
    out.write_i64(handle.size);
    Ok(())
}
