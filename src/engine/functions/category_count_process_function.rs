//! `CategoryCountProcessFunction`: events counted per key and category in a `MapState<String, Long>` — on the
//! heap one `HashMap<String, Long>` per key, each mapping a node of its own.
//!
//! ```java
//! public class CategoryCountProcessFunction
//!         extends KeyedProcessFunction<String, Event, Tuple3<String, String, Long>> {
//!
//!     private transient MapState<String, Long> counts;
//!
//!     @Override
//!     public void open(OpenContext ctx) {
//!         counts = getRuntimeContext().getMapState(
//!                 new MapStateDescriptor<>("category-counts", Types.STRING, Types.LONG));
//!     }
//!
//!     @Override
//!     public void processElement(Event event, Context ctx,
//!             Collector<Tuple3<String, String, Long>> out) throws Exception {
//!         Long current = counts.get(event.category);
//!         long next = (current == null ? 0L : current) + 1;
//!         counts.put(event.category, next);
//!         out.collect(Tuple3.of(event.key, event.category, next));
//!     }
//! }
//! ```

use crate::engine::functions::event_counter_process_function::ProcessedElement;
use crate::engine::functions::process_context::{last_access, ElementContext};
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::heap_map_state::HeapMapState;
use crate::engine::state::map_state_descriptor::MapStateDescriptor;
use crate::engine::state::state_error::StateError;

#[derive(Clone, Copy, Debug)]
pub struct CategoryCountProcessFunction {
    counts: HeapMapState,
}

impl CategoryCountProcessFunction {
    pub fn open(backend: &mut HeapKeyedStateBackend, name: &str) -> Result<Self, StateError> {
        let counts = backend.get_or_create_map_state(&MapStateDescriptor::new_string_long(name))?;
        Ok(CategoryCountProcessFunction { counts })
    }

    pub fn state(&self) -> HeapMapState {
        self.counts
    }

    /// `processElement`, the key context set: the category's count before and after.
    pub fn process_element(
        &self,
        backend: &mut HeapKeyedStateBackend,
        cx: &ElementContext,
    ) -> Result<ProcessedElement, StateError> {
        let (previous, read) = self.counts.get(backend, cx.event.category)?;
        let count = previous.unwrap_or(0) + 1;
        let writes = self.counts.put(backend, cx.event.category, count)?;
        Ok(ProcessedElement {
            key_group: cx.key_group,
            previous,
            count,
            read,
            write: last_access(&writes, read),
        })
    }
}
