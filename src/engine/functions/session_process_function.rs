//! `SessionProcessFunction`: a per-key session that closes after 2 seconds without events — Flink's
//! `CountWithTimeoutFunction` from the `ProcessFunction` documentation. The state is a
//! `ValueState<Tuple2<Long, Long>>` (the session's count and when it was last modified); every event registers
//! a processing-time timer 2 s later in the timer service's `HeapPriorityQueueSet`, and when a timer fires whose
//! time is still the last modification plus the gap, the session is emitted and its state cleared. Timers of
//! earlier events stay in the queue until they fire and find the session modified since.
//!
//! ```java
//! public class SessionProcessFunction
//!         extends KeyedProcessFunction<String, Event, Tuple2<String, Long>> {
//!
//!     private static final long GAP_MS = 2_000;
//!     private transient ValueState<Tuple2<Long, Long>> session;
//!
//!     @Override
//!     public void open(OpenContext ctx) {
//!         session = getRuntimeContext().getState(new ValueStateDescriptor<>("session",
//!                 Types.TUPLE(Types.LONG, Types.LONG)));
//!     }
//!
//!     @Override
//!     public void processElement(Event event, Context ctx,
//!             Collector<Tuple2<String, Long>> out) throws Exception {
//!         Tuple2<Long, Long> current = session.value();
//!         if (current == null) {
//!             current = Tuple2.of(0L, 0L);
//!         }
//!         current.f0 += 1;
//!         current.f1 = ctx.timerService().currentProcessingTime();
//!         session.update(current);
//!         ctx.timerService().registerProcessingTimeTimer(current.f1 + GAP_MS);
//!     }
//!
//!     @Override
//!     public void onTimer(long timestamp, OnTimerContext ctx,
//!             Collector<Tuple2<String, Long>> out) throws Exception {
//!         Tuple2<Long, Long> current = session.value();
//!         if (current != null && timestamp == current.f1 + GAP_MS) {
//!             out.collect(Tuple2.of(ctx.getCurrentKey(), current.f0));
//!             session.clear();
//!         }
//!     }
//! }
//! ```
//!
//! On the heap backend `session.value()` returns the stored `Tuple2` itself: `current.f0 += 1` changes the state
//! before `update()` runs (object reuse; a snapshot still sharing the object sees it until the entry is copied).

use crate::engine::functions::event_counter_process_function::ProcessedElement;
use crate::engine::functions::process_context::ElementContext;
use crate::engine::operators::internal_timer_service_impl::InternalTimerServiceImpl;
use crate::engine::operators::timer_heap_internal_timer::TimerHeapInternalTimer;
use crate::engine::state::heap::heap_keyed_state_backend::{HeapKeyedStateBackend, USER_TIMERS};
use crate::engine::state::heap::heap_object_value_state::HeapObjectValueState;
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use crate::engine::state::state_error::StateError;

/// A session closes after this long without events (processing time, ms).
pub const SESSION_GAP_MS: i64 = 2_000;

#[derive(Clone, Copy, Debug)]
pub struct SessionProcessFunction {
    session: HeapObjectValueState,
    timers: InternalTimerServiceImpl,
}

/// What one `onTimer` call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FiredTimer {
    pub timer: TimerHeapInternalTimer,
    /// The session's count, when the timer closed it (and it was emitted); `None` for a timer of an earlier event.
    pub emitted: Option<i64>,
}

impl SessionProcessFunction {
    pub fn open(backend: &mut HeapKeyedStateBackend, name: &str) -> Result<Self, StateError> {
        let timers = InternalTimerServiceImpl::get(backend, USER_TIMERS);
        let session =
            backend.get_or_create_object_value_state(name, ValueSerializer::Tuple2OfLong)?;
        Ok(SessionProcessFunction { session, timers })
    }

    pub fn state(&self) -> HeapObjectValueState {
        self.session
    }

    pub fn timer_service(&self) -> InternalTimerServiceImpl {
        self.timers
    }

    /// `processElement`, the key context set: the session's count before and after.
    pub fn process_element(
        &self,
        backend: &mut HeapKeyedStateBackend,
        cx: &ElementContext,
    ) -> Result<ProcessedElement, StateError> {
        let (held, read) = self.session.value(backend)?;
        let current = match held {
            Some(current) => current,
            None => self
                .session
                .new_object(backend, StateValueObject::Tuple2 { f0: 0, f1: 0 })?,
        };
        let now = cx.now_ms;
        let previous = self
            .session
            .change(backend, current, |o| match o {
                StateValueObject::Tuple2 { f0, f1 } => {
                    *f0 += 1;
                    *f1 = now;
                    Some(*f0)
                }
                _ => None,
            })?
            .flatten()
            .unwrap_or(1);
        let write = self.session.update(backend, Some(current))?;
        self.timers
            .register_processing_time_timer(backend, now + SESSION_GAP_MS)?;
        Ok(ProcessedElement {
            key_group: cx.key_group,
            previous: (previous > 1).then_some(previous - 1),
            count: previous,
            read,
            write,
        })
    }

    /// The earliest timer's time: when `onProcessingTime` is due.
    pub fn next_timer(&self, backend: &HeapKeyedStateBackend) -> Option<i64> {
        self.timers.next_processing_time(backend)
    }

    /// One turn of `onProcessingTime(now)`: the earliest due timer polled (its key set as the current key) and
    /// `onTimer` run for it; `None` when none is due.
    pub fn on_processing_time(
        &self,
        backend: &mut HeapKeyedStateBackend,
        now_ms: i64,
    ) -> Result<Option<FiredTimer>, StateError> {
        let Some(timer) = self.timers.poll_processing_timer(backend, now_ms) else {
            return Ok(None);
        };
        let (held, _) = self.session.value(backend)?;
        let session = match held {
            Some(r) => self.session.read(backend, r, |o| match *o {
                StateValueObject::Tuple2 { f0, f1 } => Some((f0, f1)),
                _ => None,
            })?,
            None => None,
        };
        let emitted = match session.flatten() {
            Some((f0, f1)) if timer.timestamp == f1 + SESSION_GAP_MS => {
                self.session.update(backend, None)?;
                Some(f0)
            }
            _ => None,
        };
        Ok(Some(FiredTimer { timer, emitted }))
    }
}
