//! A savepoint of StateLab's job for real Flink — what `flink stop --savepointPath DIR` writes for the counter job
//! when `--savepoint-out DIR` ends a run (the State Processor API's `SavepointWriter` writes the same): a Flink 2.x
//! canonical savepoint of the keyed operator with uid `event-counter-op` (or another), its `_metadata` and one
//! state file per subtask, in memory — (file name, bytes), names relative to the savepoint's directory — for the
//! CLI to write out and the page to zip.
//!
//! The operator's state is what its `HeapKeyedStateBackend`s hold: the `ValueState<Long>` `"event-counter"` with
//! the job's `String`, `Integer` or `Long` keys, and the two empty timer queues `KeyedProcessOperator` registers.
//! Each key goes to its key group (`KeyGroupRangeAssignment.assignToKeyGroup`) and each key group to the subtask
//! whose `KeyGroupRange` holds it at the job's parallelism and maximum parallelism, as Flink partitions them; each
//! subtask's file is [`write_full_snapshot`]'s stream, the `_metadata` [`write_metadata`]'s. Flink restores it at
//! any parallelism up to the maximum (`flink run -s DIR`, `tools/flink-savepoint-restore`). The source's split
//! state is not written: it is StateLab's, not Flink's, and an operator without state in a savepoint starts
//! empty — the restored job's source starts from its beginning, and no `--allowNonRestoredState` is needed.

use crate::engine::cluster::job_status::JobStatus;
use crate::engine::cluster::operator_id::OperatorId;
use crate::engine::functions::job_function::JobFunction;
use crate::engine::keys::java_key::{JavaKey, JavaKeyType};
use crate::engine::keys::key_group_range_assignment::{
    assign_to_key_group, compute_key_group_range_for_operator_index, UPPER_BOUND_MAX_PARALLELISM,
};
use crate::engine::savepoint::checkpoint_properties::SUSPEND_CANONICAL_SAVEPOINT;
use crate::engine::savepoint::data_output_serializer::UtfTooLong;
use crate::engine::savepoint::full_snapshot_async_writer::write_full_snapshot;
use crate::engine::savepoint::keyed_backend_serialization_proxy_writer::{
    RegisteredStates, ValueStateMetaInfo,
};
use crate::engine::savepoint::metadata_v6_serializer_writer::{
    write_metadata, KeyGroupsSavepointStateHandle, OperatorStateOut,
};
use crate::engine::savepoint::type_serializer_snapshot_writer::SimpleTypeSerializer;
use crate::engine::state::value_state_descriptor::EVENT_COUNTER_STATE_NAME;

/// The keyed operator's name in the metadata (Flink keeps it for humans; restores go by the id).
pub const KEYED_OPERATOR_NAME: &str = "EventCounterProcessFunction";
/// The timer queues of `KeyedProcessOperator`'s timer service `user-timers`, registered on `open()`.
const TIMER_QUEUES: [&str; 2] = [
    "_timer_state/processing_user-timers",
    "_timer_state/event_user-timers",
];

/// Why a savepoint was not written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SavepointWriteError {
    EmptyUid,
    UidTooLong {
        bytes: usize,
    },
    Parallelism {
        parallelism: u32,
        max_parallelism: u32,
    },
    KeyType {
        key: String,
        found: &'static str,
        expected: &'static str,
    },
    JobStatus(JobStatus),
    /// The job runs another function than the counter: only the counter's state is written so far.
    Function {
        function: &'static str,
    },
}

crate::i18n::english_error!(SavepointWriteError => crate::i18n::messages::savepoint::write_error);

/// Whether a job in `status` running `function` has state to write as a savepoint: a running (or finished) job
/// of the counter. [`MiniCluster::savepoint`](crate::engine::cluster::mini_cluster::MiniCluster::savepoint)
/// asks it, and the page's savepoint worker for the job the page hands it.
pub fn check_job(status: JobStatus, function: JobFunction) -> Result<(), SavepointWriteError> {
    if !matches!(status, JobStatus::Running | JobStatus::Finished) {
        return Err(SavepointWriteError::JobStatus(status));
    }
    if !function.is_counter() {
        return Err(SavepointWriteError::Function {
            function: function.id(),
        });
    }
    Ok(())
}

/// The counter's state to write.
#[derive(Clone, Copy, Debug)]
pub struct CounterState<'a> {
    /// The keyed operator's uid; its id is the uid's hash (`OperatorId::from_uid`).
    pub uid: &'a str,
    /// The savepoint's checkpoint id (Flink numbers savepoints with its checkpoints).
    pub checkpoint_id: u64,
    pub parallelism: u32,
    pub max_parallelism: u32,
    pub key_type: JavaKeyType,
    /// Every key's count, in any order.
    pub counts: &'a [(JavaKey, i64)],
}

/// The name of subtask `index`'s state file.
pub fn state_file_name(index: u32) -> String {
    format!("keyed-state-{index}")
}

/// The savepoint's files: each subtask's state file, then `_metadata`.
pub fn write_savepoint(
    state: &CounterState,
) -> Result<Vec<(String, Vec<u8>)>, SavepointWriteError> {
    if state.uid.is_empty() {
        return Err(SavepointWriteError::EmptyUid);
    }
    let (p, max) = (state.parallelism, state.max_parallelism);
    if p == 0 || p > max || max > UPPER_BOUND_MAX_PARALLELISM as u32 {
        return Err(SavepointWriteError::Parallelism {
            parallelism: p,
            max_parallelism: max,
        });
    }
    let mut key_groups: Vec<Vec<(JavaKey, i64)>> = vec![Vec::new(); max as usize];
    for (key, count) in state.counts {
        if key.key_type() != state.key_type {
            return Err(SavepointWriteError::KeyType {
                key: key.to_string(),
                found: key.key_type().java_name(),
                expected: state.key_type.java_name(),
            });
        }
        let key_group = assign_to_key_group(key, max as i32);
        if let Some(group) = key_groups.get_mut(key_group.index()) {
            group.push((key.clone(), *count));
        }
    }
    let value_states = [ValueStateMetaInfo {
        name: EVENT_COUNTER_STATE_NAME,
        value_serializer: SimpleTypeSerializer::Long,
    }];
    let registered = RegisteredStates {
        key_serializer: SimpleTypeSerializer::of_key_type(state.key_type),
        value_states: &value_states,
        timer_queues: &TIMER_QUEUES,
    };
    let parallelism_error = || SavepointWriteError::Parallelism {
        parallelism: p,
        max_parallelism: max,
    };
    let mut files = Vec::with_capacity(p as usize + 1);
    let mut handles = Vec::with_capacity(p as usize);
    for index in 0..p {
        let range = compute_key_group_range_for_operator_index(
            i64::from(max),
            i64::from(p),
            i64::from(index),
        )
        .map_err(|_| parallelism_error())?;
        let (bytes, offsets) = write_full_snapshot(&registered, range, max as i32, &key_groups)
            .map_err(uid_too_long)?;
        let file = state_file_name(index);
        handles.push(KeyGroupsSavepointStateHandle {
            offsets,
            file: file.clone(),
            size: bytes.len() as i64,
        });
        files.push((file, bytes));
    }
    let operator = OperatorStateOut {
        name: KEYED_OPERATOR_NAME,
        uid: state.uid,
        id: OperatorId::from_uid(state.uid),
        parallelism: p as i32,
        max_parallelism: max as i32,
        subtasks: handles,
    };
    let checkpoint_id = i64::try_from(state.checkpoint_id).unwrap_or(i64::MAX);
    let metadata = write_metadata(checkpoint_id, &[operator], SUSPEND_CANONICAL_SAVEPOINT)
        .map_err(uid_too_long)?;
    files.push(("_metadata".to_owned(), metadata));
    Ok(files)
}

/// Every other text written is StateLab's own and short: only the uid can exceed `writeUTF`'s limit.
fn uid_too_long(e: UtfTooLong) -> SavepointWriteError {
    SavepointWriteError::UidTooLong { bytes: e.bytes }
}
