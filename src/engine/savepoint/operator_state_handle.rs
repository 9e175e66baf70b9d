//! `org.apache.flink.runtime.state.OperatorStreamStateHandle` (type 4, `PARTITIONABLE_OPERATOR_STATE_HANDLE`):
//! a subtask's operator state — each state's name, distribution mode (`SPLIT_DISTRIBUTE`, `UNION`, `BROADCAST`)
//! and the offsets of its partitions in the stream — as `deserializeOperatorStateHandle` reads it. StateLab
//! lists these (a source's splits, broadcast state) with their sizes; it does not decode their contents.

use crate::engine::savepoint::data_input_deserializer::{DataInputDeserializer, ReadResult};
use crate::engine::savepoint::savepoint_error::{Counted, ReadProblem};
use crate::engine::savepoint::stream_state_handle::{
    at_error, read_stream_state_handle, StreamStateHandle, NULL_HANDLE,
};

pub const PARTITIONABLE_OPERATOR_STATE_HANDLE: u8 = 4;
pub const SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE: u8 = 17;

/// `OperatorStateHandle.Mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DistributionMode {
    SplitDistribute,
    Union,
    Broadcast,
}

impl DistributionMode {
    pub fn name(self) -> &'static str {
        match self {
            DistributionMode::SplitDistribute => "SPLIT_DISTRIBUTE",
            DistributionMode::Union => "UNION",
            DistributionMode::Broadcast => "BROADCAST",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorStateMetaInfo {
    pub name: String,
    pub mode: DistributionMode,
    pub offsets: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorStreamStateHandle {
    pub states: Vec<OperatorStateMetaInfo>,
    pub delegate: Option<StreamStateHandle>,
}

/// `deserializeOperatorStateHandle`: `None` for the null handle.
pub fn read_operator_state_handle(
    r: &mut DataInputDeserializer,
) -> ReadResult<Option<OperatorStreamStateHandle>> {
    let at = r.position();
    match r.read_u8()? {
        NULL_HANDLE => return Ok(None),
        PARTITIONABLE_OPERATOR_STATE_HANDLE => {}
        t @ SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE => {
            return Err(at_error(r, at, ReadProblem::UnsupportedHandle(t)))
        }
        t => return Err(at_error(r, at, ReadProblem::UnknownHandle(t))),
    }
    // A name's length, a mode, a count.
    let n = r.read_count(Counted::StateNames, 7)?;
    let mut states = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.read_utf()?;
        let mode_at = r.position();
        let mode = match r.read_u8()? {
            0 => DistributionMode::SplitDistribute,
            1 => DistributionMode::Union,
            2 => DistributionMode::Broadcast,
            m => return Err(at_error(r, mode_at, ReadProblem::UnknownHandle(m))),
        };
        let k = r.read_count(Counted::Offsets, 8)?;
        let mut offsets = Vec::with_capacity(k);
        for _ in 0..k {
            offsets.push(r.read_i64()?);
        }
        states.push(OperatorStateMetaInfo {
            name,
            mode,
            offsets,
        });
    }
    let delegate = read_stream_state_handle(r)?;
    Ok(Some(OperatorStreamStateHandle { states, delegate }))
}
