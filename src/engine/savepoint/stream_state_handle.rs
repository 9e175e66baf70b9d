//! `org.apache.flink.runtime.state.StreamStateHandle` as `MetadataV2V3SerializerBase.deserializeStreamStateHandle`
//! reads it: a `ByteStreamStateHandle` (the bytes inline in `_metadata`, below
//! `execution.checkpointing.data-inline-threshold`), a `RelativeFileStateHandle` (a file next to `_metadata`:
//! savepoints, and checkpoints since they are relocatable) or a `FileStateHandle` (an absolute path).

use crate::engine::savepoint::data_input_deserializer::{DataInputDeserializer, ReadResult};
use crate::engine::savepoint::savepoint_error::{Counted, ReadProblem};

pub const NULL_HANDLE: u8 = 0;
pub const BYTE_STREAM_STATE_HANDLE: u8 = 1;
pub const FILE_STREAM_STATE_HANDLE: u8 = 2;
pub const RELATIVE_STREAM_STATE_HANDLE: u8 = 6;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamStateHandle {
    /// The handle's name (a path it would have had) and its bytes.
    ByteStream { name: String, data: Vec<u8> },
    /// A file in the snapshot's directory.
    RelativeFile { path: String, size: i64 },
    /// A file anywhere.
    File { path: String, size: i64 },
}

impl StreamStateHandle {
    /// `getStateSize()`.
    pub fn size(&self) -> u64 {
        match self {
            StreamStateHandle::ByteStream { data, .. } => data.len() as u64,
            StreamStateHandle::RelativeFile { size, .. } | StreamStateHandle::File { size, .. } => {
                (*size).max(0) as u64
            }
        }
    }

    /// `file`, `inline` (Flink's class name in parentheses in the summary).
    pub fn kind(&self) -> &'static str {
        match self {
            StreamStateHandle::ByteStream { .. } => "ByteStreamStateHandle",
            StreamStateHandle::RelativeFile { .. } => "RelativeFileStateHandle",
            StreamStateHandle::File { .. } => "FileStateHandle",
        }
    }

    /// The file name (relative path, or an absolute path's last part) or the inline handle's name.
    pub fn name(&self) -> &str {
        match self {
            StreamStateHandle::ByteStream { name, .. } => name,
            StreamStateHandle::RelativeFile { path, .. } | StreamStateHandle::File { path, .. } => {
                path
            }
        }
    }
}

/// `deserializeStreamStateHandle`: `None` for the null handle.
pub fn read_stream_state_handle(
    r: &mut DataInputDeserializer,
) -> ReadResult<Option<StreamStateHandle>> {
    let at = r.position();
    Ok(Some(match r.read_u8()? {
        NULL_HANDLE => return Ok(None),
        FILE_STREAM_STATE_HANDLE => {
            let size = r.read_i64()?;
            let path = r.read_utf()?;
            StreamStateHandle::File { path, size }
        }
        BYTE_STREAM_STATE_HANDLE => {
            let name = r.read_utf()?;
            let n = r.read_count(Counted::Bytes, 1)?;
            StreamStateHandle::ByteStream {
                name,
                data: r.read_fully(n)?.to_vec(),
            }
        }
        RELATIVE_STREAM_STATE_HANDLE => {
            let path = r.read_utf()?;
            let size = r.read_i64()?;
            StreamStateHandle::RelativeFile { path, size }
        }
        // 15, 16: file-merging segments; 3 (a KeyGroupsStateHandle used as a stream) is legacy.
        kind @ (3 | 15 | 16) => return Err(at_error(r, at, ReadProblem::UnsupportedHandle(kind))),
        kind => return Err(at_error(r, at, ReadProblem::UnknownHandle(kind))),
    }))
}

/// An error at `at` (where the value that failed started).
pub fn at_error(
    r: &DataInputDeserializer,
    at: usize,
    problem: ReadProblem,
) -> crate::engine::savepoint::data_input_deserializer::ReadError {
    let mut e = r.error(problem);
    e.offset = at as u64;
    e
}
