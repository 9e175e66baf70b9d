//! `RunningSumProcessFunction`: the amounts summed per key in a `ReducingState<Long>` — on the heap a `Long`
//! per key, replaced by a new one on every `add`.
//!
//! ```java
//! public class RunningSumProcessFunction
//!         extends KeyedProcessFunction<String, Event, Tuple2<String, Long>> {
//!
//!     private transient ReducingState<Long> sum;
//!
//!     @Override
//!     public void open(OpenContext ctx) {
//!         sum = getRuntimeContext().getReducingState(
//!                 new ReducingStateDescriptor<>("running-sum", Long::sum, Types.LONG));
//!     }
//!
//!     @Override
//!     public void processElement(Event event, Context ctx,
//!             Collector<Tuple2<String, Long>> out) throws Exception {
//!         sum.add(event.amount);
//!         out.collect(Tuple2.of(event.key, sum.get()));
//!     }
//! }
//! ```

use crate::engine::functions::event_counter_process_function::ProcessedElement;
use crate::engine::functions::process_context::ElementContext;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::heap_reducing_state::HeapReducingState;
use crate::engine::state::reducing_state_descriptor::ReducingStateDescriptor;
use crate::engine::state::state_error::StateError;

#[derive(Clone, Copy, Debug)]
pub struct RunningSumProcessFunction {
    sum: HeapReducingState,
}

impl RunningSumProcessFunction {
    pub fn open(backend: &mut HeapKeyedStateBackend, name: &str) -> Result<Self, StateError> {
        let sum =
            backend.get_or_create_reducing_state(&ReducingStateDescriptor::new_long_sum(name))?;
        Ok(RunningSumProcessFunction { sum })
    }

    pub fn state(&self) -> HeapReducingState {
        self.sum
    }

    /// `processElement`, the key context set: the sum before and after.
    pub fn process_element(
        &self,
        backend: &mut HeapKeyedStateBackend,
        cx: &ElementContext,
    ) -> Result<ProcessedElement, StateError> {
        let write = self.sum.add(backend, cx.event.amount)?;
        let (sum, read) = self.sum.get(backend)?;
        let sum = sum.unwrap_or(0);
        let previous = sum - cx.event.amount;
        Ok(ProcessedElement {
            key_group: cx.key_group,
            previous: (!write.inserted).then_some(previous),
            count: sum,
            read,
            write,
        })
    }
}
