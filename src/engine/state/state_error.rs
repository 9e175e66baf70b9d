//! Errors of the keyed state API, with the messages Flink's heap backend uses.

use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::state::heap::copy_on_write_state_map::StateMapError;
use crate::engine::state::state_descriptor::StateDescriptorType;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateError {
    /// `StateTable` precondition.
    NoKeySet,
    /// `KeyGroupRangeOffsets.newIllegalKeyGroupException`, thrown from `StateTable.getMapForKeyGroup`.
    KeyGroupNotInRange {
        key_group: KeyGroup,
        range: KeyGroupRange,
    },
    /// `HeapSnapshotResources.create`.
    TooManyStates(usize),
    UnknownState(String),
    /// `RegisteredKeyValueStateBackendMetaInfo.checkStateMetaInfo`: a name asked for as another kind of state.
    IncompatibleStateType {
        name: String,
        registered: StateDescriptorType,
        requested: StateDescriptorType,
    },
    /// `AbstractHeapPriorityQueue.resizeQueueArray`: a timer queue's heap array cannot grow (an
    /// `OutOfMemoryError` in Flink).
    PriorityQueueTooLarge {
        required: u64,
    },
    StateMap(StateMapError),
}

crate::i18n::english_error!(StateError => crate::i18n::messages::errors::state);

crate::engine::error_from!(StateError { StateMap(StateMapError) });
