//! `AverageProcessFunction`: the mean amount per key in an `AggregatingState<Long, Double>` whose accumulator
//! is a `Tuple2<Long, Long>` (sum, count) — on the heap one `Tuple2` per key, changed in place by `add` (and
//! copied first when a snapshot still shares it).
//!
//! ```java
//! public class AverageProcessFunction
//!         extends KeyedProcessFunction<String, Event, Tuple2<String, Double>> {
//!
//!     private transient AggregatingState<Long, Double> average;
//!
//!     @Override
//!     public void open(OpenContext ctx) {
//!         average = getRuntimeContext().getAggregatingState(new AggregatingStateDescriptor<>(
//!                 "average", new AverageAggregate(), Types.TUPLE(Types.LONG, Types.LONG)));
//!     }
//!
//!     @Override
//!     public void processElement(Event event, Context ctx,
//!             Collector<Tuple2<String, Double>> out) throws Exception {
//!         average.add(event.amount);
//!         out.collect(Tuple2.of(event.key, average.get()));
//!     }
//! }
//!
//! // createAccumulator: Tuple2.of(0L, 0L); add: acc.f0 += value; acc.f1 += 1; return acc;
//! // getResult: (double) acc.f0 / acc.f1
//! ```
//!
//! Its output is a `Double`: [`ProcessedElement::count`] holds its bits (`Double.doubleToLongBits`).

use crate::engine::functions::event_counter_process_function::ProcessedElement;
use crate::engine::functions::process_context::ElementContext;
use crate::engine::state::aggregating_state_descriptor::{
    AggregateFunctionKind, AggregatingStateDescriptor,
};
use crate::engine::state::heap::heap_aggregating_state::{AggregateResult, HeapAggregatingState};
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::state_error::StateError;

#[derive(Clone, Copy, Debug)]
pub struct AverageProcessFunction {
    average: HeapAggregatingState,
}

impl AverageProcessFunction {
    pub fn open(backend: &mut HeapKeyedStateBackend, name: &str) -> Result<Self, StateError> {
        let average = backend.get_or_create_aggregating_state(&AggregatingStateDescriptor::new(
            name,
            AggregateFunctionKind::Average,
        ))?;
        Ok(AverageProcessFunction { average })
    }

    pub fn state(&self) -> HeapAggregatingState {
        self.average
    }

    /// `processElement`, the key context set: the average after the add (as `Double` bits).
    pub fn process_element(
        &self,
        backend: &mut HeapKeyedStateBackend,
        cx: &ElementContext,
    ) -> Result<ProcessedElement, StateError> {
        let write = self.average.add(backend, cx.event.amount)?;
        let (result, read) = self.average.get(backend)?;
        let average = match result {
            Some(AggregateResult::Average(a)) => a,
            Some(AggregateResult::Sum(s)) => s as f64,
            None => 0.0,
        };
        Ok(ProcessedElement {
            key_group: cx.key_group,
            previous: None,
            count: average.to_bits() as i64,
            read,
            write,
        })
    }
}
