//! `Checkpoints.loadAndValidateCheckpoint` for StateLab's job: a real Flink savepoint or retained checkpoint
//! (read by [`crate::engine::savepoint`]) taken up as the counter job's state, as `flink run -s` takes it up.
//!
//! As Flink does, the job's keyed operator is found by its operator id — the hash of its uid
//! (`event-counter-op` unless told otherwise) — and its state is the registered `"event-counter"` value state;
//! its maximum parallelism becomes the job's (Flink refuses a change), and the parallelism may be any up to it.
//! The state must be what the counter job writes: `String` (or `Long`, `Integer`) keys as the job's key type
//! and `Long` values. Every entry's key group is checked against its key (`murmurHash(hashCode) % max`), as a
//! restore would. Other operators' state (the source's split, a sink's) is not StateLab's and is left out, as
//! `--allowNonRestoredState` leaves it; the source starts from its beginning.

use crate::engine::checkpoint::completed_checkpoint::CompletedCheckpoint;
use crate::engine::cluster::job_config::CheckpointingMode;
use crate::engine::cluster::operator_id::OperatorId;
use crate::engine::keys::java_key::{JavaKey, JavaKeyType};
use crate::engine::keys::key_group_range_assignment::assign_to_key_group;
use crate::engine::keys::key_registry::{KeyError, KeyRegistry};
use crate::engine::savepoint::savepoint_error::SavepointError;
use crate::engine::savepoint::savepoint_reader::Savepoint;
use crate::engine::savepoint::state_entry::EntryValue;
use crate::engine::savepoint::state_value::StateValue;
use crate::engine::savepoint::type_serializer::TypeSerializer;
use crate::engine::source::data_generator_source::SplitPosition;
use crate::engine::state::value_state_descriptor::EVENT_COUNTER_STATE_NAME;

/// Flink's largest maximum parallelism (`KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM`).
const UPPER_BOUND_MAX_PARALLELISM: i32 = 1 << 15;

/// Why a real snapshot cannot start StateLab's job.
#[derive(Clone, Debug, PartialEq)]
pub enum SavepointRestoreError {
    NoOperator {
        uid: String,
        operator_id: String,
        operators: usize,
    },
    NoCounterState {
        uid: String,
    },
    NotAValueState {
        uid: String,
        kind: String,
    },
    NotLongValues {
        serializer: String,
    },
    KeyType {
        serializer: String,
        expected: &'static str,
    },
    Unreadable {
        subtask: i32,
        error: SavepointError,
    },
    WrongKeyGroup {
        key: String,
        stored: i32,
        expected: i32,
    },
    MaxParallelism(i32),
    Key(KeyError),
    /// The job to start runs another function than the counter, whose state a real snapshot is read as.
    NotTheCounterJob {
        function: &'static str,
    },
}

crate::i18n::english_error!(SavepointRestoreError => crate::i18n::messages::errors::savepoint_restore);

crate::engine::error_from!(SavepointRestoreError { Key(KeyError) });

/// The counter's state in a real snapshot, as a completed checkpoint of StateLab's job.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedSavepoint {
    pub checkpoint: CompletedCheckpoint,
    /// The operator's parallelism when the snapshot was taken.
    pub parallelism: u32,
    /// Keys restored.
    pub entries: usize,
    /// Operators whose state was left out.
    pub other_operators: usize,
}

/// Loads the `"event-counter"` state of operator `uid` from `savepoint`: its keys interned in `keys` (of key
/// type `key_type`), one list of (key, count) per key group of the operator's maximum parallelism.
pub fn load_and_validate_savepoint(
    savepoint: &Savepoint,
    uid: &str,
    key_type: JavaKeyType,
    mode: CheckpointingMode,
    source_parallelism: u32,
    keys: &mut KeyRegistry,
) -> Result<LoadedSavepoint, SavepointRestoreError> {
    let operator_id = OperatorId::from_uid(uid);
    let position = savepoint
        .metadata
        .operators
        .iter()
        .position(|op| op.id == operator_id || op.uid.as_deref() == Some(uid))
        .ok_or_else(|| SavepointRestoreError::NoOperator {
            uid: uid.to_owned(),
            operator_id: operator_id.to_string(),
            operators: savepoint.metadata.operators.len(),
        })?;
    let operator = &savepoint.metadata.operators[position];
    let max = operator.max_parallelism;
    if !(1..=UPPER_BOUND_MAX_PARALLELISM).contains(&max) {
        return Err(SavepointRestoreError::MaxParallelism(max));
    }
    let mut key_groups: Vec<Vec<_>> = vec![Vec::new(); max as usize];
    let mut entries = 0;
    let mut found_state = false;
    for subtask in &savepoint.operators[position].keyed {
        let state = subtask
            .state
            .as_ref()
            .map_err(|e| SavepointRestoreError::Unreadable {
                subtask: subtask.subtask,
                error: e.clone(),
            })?;
        let proxy = &state.proxy;
        let Some(id) = proxy
            .states
            .iter()
            .position(|s| s.name == EVENT_COUNTER_STATE_NAME)
        else {
            continue;
        };
        found_state = true;
        let meta = &proxy.states[id];
        let kind = meta.kind();
        if kind.name() != "VALUE" {
            return Err(SavepointRestoreError::NotAValueState {
                uid: uid.to_owned(),
                kind: kind.name().to_owned(),
            });
        }
        if meta.value_serializer() != TypeSerializer::Long {
            return Err(SavepointRestoreError::NotLongValues {
                serializer: meta
                    .serializer("VALUE_SERIALIZER")
                    .map_or_else(String::new, |s| s.class.clone()),
            });
        }
        if proxy.key_serializer.serializer != key_serializer_of(key_type) {
            return Err(SavepointRestoreError::KeyType {
                serializer: proxy.key_serializer.class.clone(),
                expected: key_type.java_name(),
            });
        }
        for e in state.entries.iter().filter(|e| e.state == id) {
            let (EntryValue::State(StateValue::Int(count)), Some(key)) =
                (&e.value, java_key(&e.key, key_type))
            else {
                continue;
            };
            let expected = assign_to_key_group(&key, max);
            if expected.as_i32() != e.key_group {
                return Err(SavepointRestoreError::WrongKeyGroup {
                    key: key.to_string(),
                    stored: e.key_group,
                    expected: expected.as_i32(),
                });
            }
            let id = keys.intern(&key)?;
            key_groups[expected.index()].push((id, *count));
            entries += 1;
        }
    }
    if !found_state {
        return Err(SavepointRestoreError::NoCounterState {
            uid: uid.to_owned(),
        });
    }
    Ok(LoadedSavepoint {
        checkpoint: CompletedCheckpoint {
            checkpoint_id: savepoint.metadata.checkpoint_id.max(0) as u64,
            trigger_time: 0,
            completion_time: 0,
            mode,
            max_parallelism: max as u32,
            parallelism: operator.parallelism.max(1) as u32,
            source_positions: vec![SplitPosition::default(); source_parallelism as usize],
            key_groups,
            objects: Vec::new(),
            timers: Vec::new(),
            subtasks: Vec::new(),
        },
        parallelism: operator.parallelism.max(1) as u32,
        entries,
        other_operators: savepoint.metadata.operators.len() - 1,
    })
}

fn key_serializer_of(key_type: JavaKeyType) -> TypeSerializer {
    match key_type {
        JavaKeyType::String => TypeSerializer::String,
        JavaKeyType::Long => TypeSerializer::Long,
        JavaKeyType::Integer => TypeSerializer::Int,
    }
}

/// A snapshot's key as the job's key type.
fn java_key(key: &StateValue, key_type: JavaKeyType) -> Option<JavaKey> {
    match (key, key_type) {
        (StateValue::Str(s), JavaKeyType::String) => Some(JavaKey::String(s.clone())),
        (StateValue::Int(v), JavaKeyType::Long) => Some(JavaKey::Long(*v)),
        (StateValue::Int(v), JavaKeyType::Integer) => i32::try_from(*v).ok().map(JavaKey::Integer),
        _ => None,
    }
}
