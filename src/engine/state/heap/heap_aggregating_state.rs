//! `org.apache.flink.runtime.state.heap.HeapAggregatingState`: an `AggregatingState<Long, OUT>` on the heap
//! backend. `add(v)` is one `stateTable.transform(ns, v, aggregateTransformation)`: the accumulator (a new one
//! from `createAccumulator()` for a new key, the serializer's copy when a snapshot shares it) passed to the
//! function's `add`. A sum's `Long` accumulator is replaced by a new `Long`; an average's `Tuple2` is changed in
//! place. `get()` is `getResult` of `stateTable.get(ns)`.

use crate::engine::state::aggregating_state_descriptor::{
    AggregateFunctionKind, AggregatingStateDescriptor,
};
use crate::engine::state::heap::copy_on_write_state_map::MapAccess;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use crate::engine::state::state_descriptor::StateDescriptorType;
use crate::engine::state::state_error::StateError;

impl HeapKeyedStateBackend {
    /// `getPartitionedState` for an `AggregatingState<Long, OUT>`.
    pub fn get_or_create_aggregating_state(
        &mut self,
        descriptor: &AggregatingStateDescriptor,
    ) -> Result<HeapAggregatingState, StateError> {
        let table = self.register(
            descriptor.name(),
            StateDescriptorType::Aggregating,
            // A `Long` accumulator is held in the entry; a `Tuple2` is an object the entry references.
            match descriptor.function() {
                AggregateFunctionKind::Sum => ValueSerializer::Long,
                AggregateFunctionKind::Average => ValueSerializer::Tuple2OfLong,
            },
        )?;
        Ok(HeapAggregatingState {
            table,
            function: descriptor.function(),
        })
    }
}

/// What `getResult` returns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AggregateResult {
    Sum(i64),
    Average(f64),
}

/// A handle on a registered `AggregatingState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeapAggregatingState {
    table: usize,
    function: AggregateFunctionKind,
}

impl HeapAggregatingState {
    /// Index of the state's table among the backend's `Long` tables (a sum) or object tables (an average).
    pub fn table_index(&self) -> usize {
        self.table
    }

    pub fn function(&self) -> AggregateFunctionKind {
        self.function
    }

    /// `get()`: `getResult(accumulator)`, `None` for a key without one.
    pub fn get(
        &self,
        backend: &mut HeapKeyedStateBackend,
    ) -> Result<(Option<AggregateResult>, MapAccess), StateError> {
        match self.function {
            AggregateFunctionKind::Sum => {
                let (current, index) = backend.locate_long(self.table)?;
                Ok(backend.with_long_map(self.table, index, |map| {
                    let (sum, access) = map.get(current.key, current.hash_code);
                    (sum.map(AggregateResult::Sum), access)
                }))
            }
            AggregateFunctionKind::Average => {
                let (current, index) = backend.locate_object(self.table)?;
                Ok(backend.with_object_map(self.table, index, |map| {
                    let (state, access) = map.get(current.key, current.hash_code);
                    let result = state.and_then(|r| match map.objects().get(r) {
                        Some(StateValueObject::Tuple2 { f0, f1 }) => {
                            Some(AggregateResult::Average(if *f1 == 0 {
                                0.0
                            } else {
                                *f0 as f64 / *f1 as f64
                            }))
                        }
                        _ => None,
                    });
                    (result, access)
                }))
            }
        }
    }

    /// `add(value)`.
    pub fn add(
        &self,
        backend: &mut HeapKeyedStateBackend,
        value: i64,
    ) -> Result<MapAccess, StateError> {
        match self.function {
            AggregateFunctionKind::Sum => {
                let (current, index) = backend.locate_long(self.table)?;
                Ok(backend.with_long_map(self.table, index, |map| {
                    map.transform(
                        current.key,
                        current.hash_code,
                        current.key_bytes,
                        |_, previous| previous.unwrap_or(0).wrapping_add(value),
                    )
                }))
            }
            AggregateFunctionKind::Average => {
                let (current, index) = backend.locate_object(self.table)?;
                Ok(backend.with_object_map(self.table, index, |map| {
                    map.transform(
                        current.key,
                        current.hash_code,
                        current.key_bytes,
                        |objects, previous| {
                            let acc = previous.unwrap_or_else(|| {
                                objects.allocate(StateValueObject::Tuple2 { f0: 0, f1: 0 })
                            });
                            if let Some(StateValueObject::Tuple2 { f0, f1 }) = objects.get_mut(acc)
                            {
                                *f0 = f0.wrapping_add(value);
                                *f1 = f1.wrapping_add(1);
                            }
                            acc
                        },
                    )
                }))
            }
        }
    }

    /// `clear()`.
    pub fn clear(&self, backend: &mut HeapKeyedStateBackend) -> Result<MapAccess, StateError> {
        match self.function {
            AggregateFunctionKind::Sum => {
                let (current, index) = backend.locate_long(self.table)?;
                Ok(backend.with_long_map(self.table, index, |map| {
                    map.remove(current.key, current.hash_code).1
                }))
            }
            AggregateFunctionKind::Average => {
                let (current, index) = backend.locate_object(self.table)?;
                Ok(backend.with_object_map(self.table, index, |map| {
                    map.remove(current.key, current.hash_code).1
                }))
            }
        }
    }
}
