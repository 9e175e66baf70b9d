//! `IdleKeyCounterProcessFunction`: the event counter with state TTL — a key not written for 5 seconds of
//! processing time is forgotten, and its count starts again at 1. On the heap each value is a `TtlValue` (the
//! `Long` and the time it was last written) instead of a bare `Long`; an expired one is removed when it is read,
//! or earlier by the incremental cleanup, which checks 5 more entries of the table on every state access.
//!
//! ```java
//! public class IdleKeyCounterProcessFunction
//!         extends KeyedProcessFunction<String, String, Tuple2<String, Long>> {
//!
//!     private transient ValueState<Long> counter;
//!
//!     @Override
//!     public void open(OpenContext ctx) {
//!         ValueStateDescriptor<Long> descriptor =
//!                 new ValueStateDescriptor<>("event-counter", Types.LONG);
//!         descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofSeconds(5)).build());
//!         counter = getRuntimeContext().getState(descriptor);
//!     }
//!
//!     @Override
//!     public void processElement(String key, Context ctx,
//!             Collector<Tuple2<String, Long>> out) throws Exception {
//!         Long current = counter.value();
//!         long next = (current == null ? 0L : current) + 1;
//!         counter.update(next);
//!         out.collect(Tuple2.of(key, next));
//!     }
//! }
//! ```

use crate::engine::functions::event_counter_process_function::ProcessedElement;
use crate::engine::functions::process_context::ElementContext;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::state_error::StateError;
use crate::engine::state::state_ttl_config::StateTtlConfig;
use crate::engine::state::ttl::ttl_value_state::TtlValueState;

/// The time to live: 5 s.
pub const IDLE_KEY_TTL_MS: i64 = 5_000;

#[derive(Clone, Copy, Debug)]
pub struct IdleKeyCounterProcessFunction {
    counter: TtlValueState,
}

impl IdleKeyCounterProcessFunction {
    pub fn open(backend: &mut HeapKeyedStateBackend, name: &str) -> Result<Self, StateError> {
        let counter = backend
            .get_or_create_ttl_value_state(name, StateTtlConfig::new_builder(IDLE_KEY_TTL_MS))?;
        Ok(IdleKeyCounterProcessFunction { counter })
    }

    pub fn state(&self) -> TtlValueState {
        self.counter
    }

    /// `processElement` at the operator's processing time, the key context set.
    pub fn process_element(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        cx: &ElementContext,
    ) -> Result<ProcessedElement, StateError> {
        let (found, read) = self.counter.value(backend, cx.now_ms)?;
        let previous = found.value();
        let count = previous.unwrap_or(0) + 1;
        let write = self.counter.update(backend, Some(count), cx.now_ms)?;
        Ok(ProcessedElement {
            key_group: cx.key_group,
            previous,
            count,
            read,
            write,
        })
    }
}
