//! `EventLogProcessFunction`: every event's amount appended to a per-key `ListState<Long>` — on the heap an
//! `ArrayList<Long>` per key that grows by half when full.
//!
//! ```java
//! public class EventLogProcessFunction
//!         extends KeyedProcessFunction<String, Event, Tuple2<String, Long>> {
//!
//!     private transient ListState<Long> eventLog;
//!
//!     @Override
//!     public void open(OpenContext ctx) {
//!         eventLog = getRuntimeContext().getListState(
//!                 new ListStateDescriptor<>("event-log", Types.LONG));
//!     }
//!
//!     @Override
//!     public void processElement(Event event, Context ctx,
//!             Collector<Tuple2<String, Long>> out) throws Exception {
//!         eventLog.add(event.amount);
//!         long logged = Iterables.size(eventLog.get());
//!         out.collect(Tuple2.of(event.key, logged));
//!     }
//! }
//! ```

use crate::engine::functions::event_counter_process_function::ProcessedElement;
use crate::engine::functions::process_context::{last_access, ElementContext};
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::heap_list_state::HeapListState;
use crate::engine::state::list_state_descriptor::ListStateDescriptor;
use crate::engine::state::state_error::StateError;

#[derive(Clone, Copy, Debug)]
pub struct EventLogProcessFunction {
    event_log: HeapListState,
}

impl EventLogProcessFunction {
    pub fn open(backend: &mut HeapKeyedStateBackend, name: &str) -> Result<Self, StateError> {
        let event_log = backend.get_or_create_list_state(&ListStateDescriptor::new_long(name))?;
        Ok(EventLogProcessFunction { event_log })
    }

    pub fn state(&self) -> HeapListState {
        self.event_log
    }

    /// `processElement`, the key context set: the list's size before and after the add.
    pub fn process_element(
        &self,
        backend: &mut HeapKeyedStateBackend,
        cx: &ElementContext,
    ) -> Result<ProcessedElement, StateError> {
        let accesses = self.event_log.add(backend, cx.event.amount)?;
        let (size, write) = self.event_log.get_size(backend)?;
        let logged = size.unwrap_or(0) as i64;
        Ok(ProcessedElement {
            key_group: cx.key_group,
            previous: (logged > 1).then_some(logged - 1),
            count: logged,
            read: accesses[0],
            write: last_access(&accesses, write),
        })
    }
}
