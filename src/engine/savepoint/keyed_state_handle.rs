//! `org.apache.flink.runtime.state.KeyGroupsStateHandle` (and `KeyGroupsSavepointStateHandle`) with its
//! `KeyGroupRangeOffsets`, as `MetadataV2V3SerializerBase.deserializeKeyedStateHandle` reads them: a subtask's
//! keyed state is one stream (a file or inline bytes) and the offset of each key group of its `KeyGroupRange` in
//! it. Type 7 is a canonical savepoint's (only non-empty key groups have an offset), 12 a checkpoint's or native
//! savepoint's (followed by its `StateHandleID`), 3 the same before Flink 1.16. Incremental and changelog handles
//! (RocksDB, the changelog backend) are named, not read.

use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::keys::key_group_range_assignment::UPPER_BOUND_MAX_PARALLELISM;
use crate::engine::savepoint::data_input_deserializer::{DataInputDeserializer, ReadResult};
use crate::engine::savepoint::savepoint_error::{Counted, ReadProblem};
use crate::engine::savepoint::stream_state_handle::{
    at_error, read_stream_state_handle, StreamStateHandle, NULL_HANDLE,
};

pub const KEY_GROUPS_HANDLE: u8 = 3;
pub const SAVEPOINT_KEY_GROUPS_HANDLE: u8 = 7;
pub const KEY_GROUPS_HANDLE_V2: u8 = 12;

/// Which class of keyed state handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyedHandleKind {
    /// `KeyGroupsStateHandle` (types 3 and 12): a checkpoint or a native savepoint.
    KeyGroups,
    /// `KeyGroupsSavepointStateHandle` (type 7): a canonical savepoint.
    Savepoint,
}

impl KeyedHandleKind {
    pub fn class_name(self) -> &'static str {
        match self {
            KeyedHandleKind::KeyGroups => "KeyGroupsStateHandle",
            KeyedHandleKind::Savepoint => "KeyGroupsSavepointStateHandle",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyGroupsStateHandle {
    pub kind: KeyedHandleKind,
    pub key_group_range: KeyGroupRange,
    /// `KeyGroupRangeOffsets`: the offset of each key group of the range, in order.
    pub offsets: Vec<i64>,
    pub delegate: Option<StreamStateHandle>,
    /// The `StateHandleID` of a type-12 handle.
    pub state_handle_id: Option<String>,
}

/// `deserializeKeyedStateHandle`: `None` for the null handle.
pub fn read_keyed_state_handle(
    r: &mut DataInputDeserializer,
) -> ReadResult<Option<KeyGroupsStateHandle>> {
    let at = r.position();
    let type_byte = r.read_u8()?;
    let kind = match type_byte {
        NULL_HANDLE => return Ok(None),
        KEY_GROUPS_HANDLE | KEY_GROUPS_HANDLE_V2 => KeyedHandleKind::KeyGroups,
        SAVEPOINT_KEY_GROUPS_HANDLE => KeyedHandleKind::Savepoint,
        // Incremental (5, 11), changelog (8, 9, 10, 13, 14).
        t @ (5 | 8 | 9 | 10 | 11 | 13 | 14) => {
            return Err(at_error(r, at, ReadProblem::UnsupportedHandle(t)))
        }
        t => return Err(at_error(r, at, ReadProblem::UnknownHandle(t))),
    };
    let range_at = r.position();
    let start = r.read_i32()?;
    let count = r.read_i32()?;
    if start < 0
        || count < 0
        || i64::from(start) + i64::from(count) > i64::from(UPPER_BOUND_MAX_PARALLELISM)
    {
        return Err(at_error(
            r,
            range_at,
            ReadProblem::KeyGroupRange { start, count },
        ));
    }
    let count_usize = count as usize;
    if count_usize.saturating_mul(8) > r.available() {
        return Err(at_error(
            r,
            range_at,
            ReadProblem::CountBeyondBytes {
                what: Counted::KeyGroups,
                count: count as u64,
                left: r.available() as u64,
            },
        ));
    }
    let mut offsets = Vec::with_capacity(count_usize);
    for _ in 0..count {
        offsets.push(r.read_i64()?);
    }
    let delegate = read_stream_state_handle(r)?;
    let state_handle_id = if type_byte == KEY_GROUPS_HANDLE_V2 {
        Some(r.read_utf()?)
    } else {
        None
    };
    Ok(Some(KeyGroupsStateHandle {
        kind,
        key_group_range: KeyGroupRange::of(start, start + count - 1),
        offsets,
        delegate,
        state_handle_id,
    }))
}
