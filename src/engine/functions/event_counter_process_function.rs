//! The user's `KeyedProcessFunction`, the job StateLab shows:
//!
//! ```java
//! public class EventCounterProcessFunction
//!         extends KeyedProcessFunction<String, String, Tuple2<String, Long>> {
//!
//!     private transient ValueState<Long> counter;
//!
//!     @Override
//!     public void open(OpenContext ctx) {
//!         counter = getRuntimeContext().getState(
//!                 new ValueStateDescriptor<>("event-counter", Types.LONG));
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
//!
//! (The page shows the same text with the job's key type: `src/teaching/java_source.rs`.) `counter.value()` is
//! `null` for a key seen for the first time; `counter.update(next)` boxes a new `Long` unless `next` is at most
//! 127 (`Long.valueOf`'s cache).
//!
//! Before `processElement` the operator sets the record's key as the backend's current key
//! (`AbstractStreamOperator.setKeyContextElement`), which computes the key group again.

use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_registry::{KeyId, KeyInfo};
use crate::engine::operators::internal_timer_service_impl::InternalTimerServiceImpl;
use crate::engine::state::heap::copy_on_write_state_map::MapAccess;
use crate::engine::state::heap::heap_keyed_state_backend::{
    HeapKeyedStateBackend, HeapValueState, USER_TIMERS,
};
use crate::engine::state::state_error::StateError;
use crate::engine::state::value_state_descriptor::{
    ValueStateDescriptor, EVENT_COUNTER_STATE_NAME,
};

/// A line of `processElement` a debugger can stop after (the page's "Step into"): stopped at a line, that line has
/// run and the ones after it have not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProcessLine {
    /// `processElement(key, …)` was entered: the backend's current key is set.
    Enter,
    /// `Long current = counter.value();`
    Value,
    /// `long next = (current == null ? 0L : current) + 1;`
    Next,
    /// `counter.update(next);`
    Update,
    /// A line after the write that changes the object the state still holds, without another `update()`
    /// (`s.sum += event.amount;` of `KeyStatsProcessFunction`); the counter has none.
    AfterUpdate,
    /// `out.collect(Tuple2.of(key, next));`
    Collect,
    /// `processElement` returned.
    Return,
}

impl ProcessLine {
    pub fn next(self) -> Option<ProcessLine> {
        Some(match self {
            ProcessLine::Enter => ProcessLine::Value,
            ProcessLine::Value => ProcessLine::Next,
            ProcessLine::Next => ProcessLine::Update,
            ProcessLine::Update => ProcessLine::AfterUpdate,
            ProcessLine::AfterUpdate => ProcessLine::Collect,
            ProcessLine::Collect => ProcessLine::Return,
            ProcessLine::Return => return None,
        })
    }

    /// Whether `counter.update(next)` has run.
    pub fn updated(self) -> bool {
        self >= ProcessLine::Update
    }
}

/// What one `processElement` call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProcessedElement {
    /// The key group the backend computed in `setCurrentKey`.
    pub key_group: KeyGroup,
    /// `counter.value()`.
    pub previous: Option<i64>,
    /// The value written and emitted.
    pub count: i64,
    pub read: MapAccess,
    pub write: MapAccess,
}

#[derive(Clone, Copy, Debug)]
pub struct EventCounterProcessFunction {
    counter: HeapValueState,
}

impl EventCounterProcessFunction {
    /// `open()`: gets the `ValueState` from the keyed state backend (registering it on first use); the
    /// `KeyedProcessOperator` around the function also registers its timer service.
    pub fn open(backend: &mut HeapKeyedStateBackend) -> Self {
        InternalTimerServiceImpl::get(backend, USER_TIMERS);
        // The operator opens its function on the backend it has just built, where nothing else is registered
        // under this name. (Not `expect`: that would keep `StateError`'s Debug form in the page.)
        let counter = backend
            .get_or_create_value_state(&ValueStateDescriptor::new_long(EVENT_COUNTER_STATE_NAME))
            .unwrap_or_else(|_| {
                unreachable!("a new backend registers \"event-counter\" as a value state")
            });
        EventCounterProcessFunction { counter }
    }

    pub fn counter(&self) -> HeapValueState {
        self.counter
    }

    /// `setKeyContextElement` + `processElement` up to and including `stop` (a debugger stopped after that
    /// line): the key context is set on entering, `value()` runs at [`ProcessLine::Value`] and `update()` at
    /// [`ProcessLine::Update`]. `out.collect` is the caller's.
    pub fn process_element_until(
        &self,
        backend: &mut HeapKeyedStateBackend,
        key: KeyId,
        info: KeyInfo,
        stop: ProcessLine,
    ) -> Result<(), StateError> {
        backend.set_current_key(key, info);
        if stop >= ProcessLine::Value {
            let (previous, _) = self.counter.value(backend)?;
            if stop >= ProcessLine::Update {
                self.counter
                    .update(backend, Some(previous.unwrap_or(0) + 1))?;
            }
        }
        Ok(())
    }

    /// `setKeyContextElement` + `processElement`.
    #[inline]
    pub fn process_element(
        &self,
        backend: &mut HeapKeyedStateBackend,
        key: KeyId,
        info: KeyInfo,
    ) -> Result<ProcessedElement, StateError> {
        backend.set_current_key(key, info);
        let key_group = backend.current_key().ok_or(StateError::NoKeySet)?.key_group;
        let (previous, read) = self.counter.value(backend)?;
        let count = previous.unwrap_or(0) + 1;
        let write = self.counter.update(backend, Some(count))?;
        Ok(ProcessedElement {
            key_group,
            previous,
            count,
            read,
            write,
        })
    }
}
