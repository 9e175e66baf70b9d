//! `org.apache.flink.runtime.state.heap.StateTable` / `CopyOnWriteStateTable`: one registered state of one
//! subtask, holding a `CopyOnWriteStateMap` per key group of the subtask's `KeyGroupRange`. All maps are
//! created eagerly in the constructor, so every key group pays for an empty 128-bucket map from the start; the
//! map for key group `kg` sits at index `kg - startKeyGroup`.

use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::memory::jvm_object_sizes::reference_array;
use crate::engine::shared::shared_storage::{unshared_bytes_of, SharedStorage};
use crate::engine::state::heap::copy_on_write_state_map::{CopyOnWriteStateMap, StateMapHeap};
use crate::engine::state::state_error::StateError;
use crate::engine::state::state_object::StateObject;

#[derive(Clone, Debug)]
pub struct StateTable<S: StateObject> {
    /// `metaInfo.getName()`: the descriptor name.
    name: String,
    key_group_range: KeyGroupRange,
    /// `keyGroupedStateMaps`.
    key_grouped_state_maps: Vec<CopyOnWriteStateMap<S>>,
}

impl<S: StateObject> SharedStorage for StateTable<S> {
    fn unshared_bytes(&self, other: Option<&Self>) -> u64 {
        unshared_bytes_of(
            &self.key_grouped_state_maps,
            other.map(|o| &o.key_grouped_state_maps[..]),
        )
    }
}

impl<S: StateObject> StateTable<S> {
    pub fn new(name: impl Into<String>, key_group_range: KeyGroupRange) -> Self {
        StateTable {
            name: name.into(),
            key_group_range,
            key_grouped_state_maps: key_group_range
                .iter()
                .map(|_| CopyOnWriteStateMap::new())
                .collect(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn key_group_range(&self) -> KeyGroupRange {
        self.key_group_range
    }

    /// `getMapForKeyGroup(keyGroupIndex)` by position, checking the range like Flink.
    #[inline]
    pub fn map_index(&self, key_group: KeyGroup) -> Result<usize, StateError> {
        self.key_group_range
            .index_of(key_group)
            .ok_or(StateError::KeyGroupNotInRange {
                key_group,
                range: self.key_group_range,
            })
    }

    pub fn map_for_key_group(
        &self,
        key_group: KeyGroup,
    ) -> Result<&CopyOnWriteStateMap<S>, StateError> {
        Ok(&self.key_grouped_state_maps[self.map_index(key_group)?])
    }

    pub fn map_for_key_group_mut(
        &mut self,
        key_group: KeyGroup,
    ) -> Result<&mut CopyOnWriteStateMap<S>, StateError> {
        let index = self.map_index(key_group)?;
        Ok(&mut self.key_grouped_state_maps[index])
    }

    /// The maps, in key-group order.
    pub fn maps(&self) -> &[CopyOnWriteStateMap<S>] {
        &self.key_grouped_state_maps
    }

    pub(crate) fn map_at_mut(&mut self, index: usize) -> &mut CopyOnWriteStateMap<S> {
        &mut self.key_grouped_state_maps[index]
    }

    /// `size()`: entries over all key groups.
    pub fn size(&self) -> usize {
        self.key_grouped_state_maps
            .iter()
            .map(CopyOnWriteStateMap::size)
            .sum()
    }

    /// Heap of all maps plus the `StateMap[]` array itself.
    pub fn heap(&self) -> StateMapHeap {
        let mut total = StateMapHeap {
            fixed: reference_array(self.key_grouped_state_maps.len() as u64),
            ..StateMapHeap::default()
        };
        for map in &self.key_grouped_state_maps {
            total.add(map.heap());
        }
        total
    }
}
