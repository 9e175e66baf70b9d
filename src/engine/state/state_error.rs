//! Errors of the keyed state API, with the messages Flink's heap backend uses.

use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::state::heap::copy_on_write_state_map::StateMapError;
use crate::engine::state::state_descriptor::StateDescriptorType;
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StateError {
    /// `StateTable` precondition.
    #[error("No key set. This method should not be called outside of a keyed context.")]
    NoKeySet,
    /// `KeyGroupRangeOffsets.newIllegalKeyGroupException`, thrown from `StateTable.getMapForKeyGroup`.
    #[error(
        "Key group {key_group} is not in {range}. Unless you're directly using low level state access APIs, \
         this is most likely caused by non-deterministic shuffle key (hashCode and equals implementation)."
    )]
    KeyGroupNotInRange {
        key_group: KeyGroup,
        range: KeyGroupRange,
    },
    /// `HeapSnapshotResources.create`.
    #[error("Too many states: {0}. Currently at most {max} states are supported", max = i16::MAX)]
    TooManyStates(usize),
    #[error("no state named '{0}' is registered")]
    UnknownState(String),
    /// `RegisteredKeyValueStateBackendMetaInfo.checkStateMetaInfo`: a name asked for as another kind of state.
    #[error(
        "Incompatible key/value state types. Was [{registered}], registered with [{requested}]."
    )]
    IncompatibleStateType {
        name: String,
        registered: StateDescriptorType,
        requested: StateDescriptorType,
    },
    /// `AbstractHeapPriorityQueue.resizeQueueArray`: a timer queue's heap array cannot grow (an
    /// `OutOfMemoryError` in Flink).
    #[error("Required minimum heap size {required} exceeds maximum size of 2147483639.")]
    PriorityQueueTooLarge { required: u64 },
    #[error(transparent)]
    StateMap(#[from] StateMapError),
}
