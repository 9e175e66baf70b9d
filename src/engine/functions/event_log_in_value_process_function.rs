//! `EventLogInValueProcessFunction`: the same log as `EventLogProcessFunction`, kept in a
//! `ValueState<ArrayList<Long>>` — to compare with `ListState`. On the heap backend `value()` hands out the stored
//! `ArrayList` itself, so `log.add(…)` changes the state before `update()` runs; the checkpoint serializes the
//! whole list of a key either way.
//!
//! ```java
//! public class EventLogInValueProcessFunction
//!         extends KeyedProcessFunction<String, Event, Tuple2<String, Long>> {
//!
//!     private transient ValueState<ArrayList<Long>> eventLog;
//!
//!     @Override
//!     public void open(OpenContext ctx) {
//!         eventLog = getRuntimeContext().getState(new ValueStateDescriptor<>("event-log",
//!                 Types.LIST(Types.LONG)));
//!     }
//!
//!     @Override
//!     public void processElement(Event event, Context ctx,
//!             Collector<Tuple2<String, Long>> out) throws Exception {
//!         ArrayList<Long> log = eventLog.value();
//!         if (log == null) {
//!             log = new ArrayList<>();
//!         }
//!         log.add(event.amount);
//!         eventLog.update(log);
//!         out.collect(Tuple2.of(event.key, (long) log.size()));
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
pub struct EventLogInValueProcessFunction {
    event_log: HeapObjectValueState,
}

impl EventLogInValueProcessFunction {
    pub fn open(backend: &mut HeapKeyedStateBackend, name: &str) -> Result<Self, StateError> {
        let event_log =
            backend.get_or_create_object_value_state(name, ValueSerializer::ListOfLong)?;
        Ok(EventLogInValueProcessFunction { event_log })
    }

    pub fn state(&self) -> HeapObjectValueState {
        self.event_log
    }

    /// `processElement`, the key context set: the list's size before and after the add.
    pub fn process_element(
        &self,
        backend: &mut HeapKeyedStateBackend,
        cx: &ElementContext,
    ) -> Result<ProcessedElement, StateError> {
        let (held, read) = self.event_log.value(backend)?;
        let log = match held {
            Some(log) => log,
            None => self
                .event_log
                .new_object(backend, StateValueObject::new_list())?,
        };
        let amount = cx.event.amount;
        let logged = self
            .event_log
            .change(backend, log, |l| {
                l.list_add(amount);
                l.len() as i64
            })?
            .unwrap_or(0);
        let write = self.event_log.update(backend, Some(log))?;
        Ok(ProcessedElement {
            key_group: cx.key_group,
            previous: (logged > 1).then_some(logged - 1),
            count: logged,
            read,
            write,
        })
    }
}
