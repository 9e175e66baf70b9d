//! `CategoryCountInValueProcessFunction`: the same counts as `CategoryCountProcessFunction`, kept in a
//! `ValueState<HashMap<String, Long>>` — to compare with `MapState`. On the heap backend `value()` hands out the
//! stored `HashMap` itself, so the `merge` below changes the state before `update()` runs; a snapshot taken
//! meanwhile still holds the object (until the entry is copied on write), and the checkpoint serializes the
//! whole map of a key whenever one category changes.
//!
//! ```java
//! public class CategoryCountInValueProcessFunction
//!         extends KeyedProcessFunction<String, Event, Tuple3<String, String, Long>> {
//!
//!     private transient ValueState<HashMap<String, Long>> counts;
//!
//!     @Override
//!     public void open(OpenContext ctx) {
//!         counts = getRuntimeContext().getState(new ValueStateDescriptor<>("category-counts",
//!                 Types.MAP(Types.STRING, Types.LONG)));
//!     }
//!
//!     @Override
//!     public void processElement(Event event, Context ctx,
//!             Collector<Tuple3<String, String, Long>> out) throws Exception {
//!         HashMap<String, Long> current = counts.value();
//!         if (current == null) {
//!             current = new HashMap<>();
//!         }
//!         long next = current.merge(event.category, 1L, Long::sum);
//!         counts.update(current);
//!         out.collect(Tuple3.of(event.key, event.category, next));
//!     }
//! }
//! ```

use crate::engine::functions::event_counter_process_function::ProcessedElement;
use crate::engine::functions::process_context::ElementContext;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::heap_object_value_state::HeapObjectValueState;
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use crate::engine::state::state_error::StateError;

#[derive(Clone, Copy, Debug)]
pub struct CategoryCountInValueProcessFunction {
    counts: HeapObjectValueState,
}

impl CategoryCountInValueProcessFunction {
    pub fn open(backend: &mut HeapKeyedStateBackend, name: &str) -> Result<Self, StateError> {
        let counts =
            backend.get_or_create_object_value_state(name, ValueSerializer::MapOfStringLong)?;
        Ok(CategoryCountInValueProcessFunction { counts })
    }

    pub fn state(&self) -> HeapObjectValueState {
        self.counts
    }

    /// `processElement`, the key context set: the category's count before and after.
    pub fn process_element(
        &self,
        backend: &mut HeapKeyedStateBackend,
        cx: &ElementContext,
    ) -> Result<ProcessedElement, StateError> {
        let (held, read) = self.counts.value(backend)?;
        let map = match held {
            Some(map) => map,
            None => self
                .counts
                .new_object(backend, StateValueObject::new_map())?,
        };
        let category = cx.event.category;
        let previous = self
            .counts
            .change(backend, map, |m| {
                let previous = m.map_get(category);
                m.map_put(category, previous.unwrap_or(0) + 1);
                previous
            })?
            .flatten();
        let write = self.counts.update(backend, Some(map))?;
        Ok(ProcessedElement {
            key_group: cx.key_group,
            previous,
            count: previous.unwrap_or(0) + 1,
            read,
            write,
        })
    }
}
