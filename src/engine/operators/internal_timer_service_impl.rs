//! `InternalTimerServiceImpl` — the timer service a `KeyedProcessOperator` gives its function
//! (`ctx.timerService()`): processing- and event-time timers of the current key, kept in two of the keyed
//! backend's priority-queue states (`HeapPriorityQueueSet`, `_timer_state/processing_user-timers` and
//! `_timer_state/event_user-timers`), so they are part of the key groups, of checkpoints and of rescaling.
//!
//! * `registerProcessingTimeTimer(ns, t)` adds `new TimerHeapInternalTimer(t, currentKey, ns)`; when it becomes
//!   the earliest, the service asks the task's `ProcessingTimeService` to call `onProcessingTime` at `t`
//!   (here: [`TimerRegistration::new_head`], the caller schedules).
//! * `onProcessingTime(time)`: while the head's timestamp is `<= time`, set the head's key as the current key,
//!   `poll()` it, call the function's `onTimer` — here [`InternalTimerServiceImpl::poll_processing_timer`]
//!   returns one due timer at a time with its key set, so the caller runs `onTimer` between polls (a timer
//!   `onTimer` registers for a time already passed fires in the same loop, as in Flink).
//! * `advanceWatermark(time)`: the same over the event-time queue, after `currentWatermark = time`.
//! * `deleteProcessingTimeTimer` / `deleteEventTimeTimer`: `remove` from the queue (nothing if absent).
//!
//! The namespace is `VoidNamespace` throughout (a `KeyedProcessFunction`'s timers).

use crate::engine::operators::timer_heap_internal_timer::TimerHeapInternalTimer;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::heap_priority_queue_set::PriorityQueueError;
use crate::engine::state::state_error::StateError;

/// What a registration did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerRegistration {
    /// The timer was not there yet (an equal one — same key and time — makes it a no-op).
    pub added: bool,
    /// It is the queue's new head: the service re-schedules its wake-up to its time.
    pub new_head: bool,
}

/// The service: which of the backend's priority-queue states are its two queues, and its watermark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InternalTimerServiceImpl {
    processing: usize,
    event: usize,
    /// `currentWatermark`, `Long.MIN_VALUE` at first.
    current_watermark: i64,
}

impl InternalTimerServiceImpl {
    /// `InternalTimeServiceManagerImpl.getInternalTimerService(name, …)`: the service named `name` over the
    /// backend's two priority-queue states `_timer_state/processing_NAME` and `_timer_state/event_NAME`, created
    /// empty the first time; asked again, the same queues.
    pub fn get(backend: &mut HeapKeyedStateBackend, name: &str) -> Self {
        InternalTimerServiceImpl {
            processing: backend.create_priority_queue(&format!("_timer_state/processing_{name}")),
            event: backend.create_priority_queue(&format!("_timer_state/event_{name}")),
            current_watermark: i64::MIN,
        }
    }

    /// The backend's index of the processing-time queue.
    pub fn processing_queue(&self) -> usize {
        self.processing
    }

    /// The backend's index of the event-time queue.
    pub fn event_queue(&self) -> usize {
        self.event
    }

    /// `currentWatermark()`.
    pub fn current_watermark(&self) -> i64 {
        self.current_watermark
    }

    /// `registerProcessingTimeTimer(VoidNamespace, time)` for the current key.
    pub fn register_processing_time_timer(
        &self,
        backend: &mut HeapKeyedStateBackend,
        time: i64,
    ) -> Result<TimerRegistration, StateError> {
        register(backend, self.processing, time)
    }

    /// `registerEventTimeTimer(VoidNamespace, time)` for the current key.
    pub fn register_event_time_timer(
        &self,
        backend: &mut HeapKeyedStateBackend,
        time: i64,
    ) -> Result<TimerRegistration, StateError> {
        register(backend, self.event, time)
    }

    /// `deleteProcessingTimeTimer(VoidNamespace, time)` for the current key; whether there was one.
    pub fn delete_processing_time_timer(
        &self,
        backend: &mut HeapKeyedStateBackend,
        time: i64,
    ) -> Result<bool, StateError> {
        delete(backend, self.processing, time)
    }

    /// `deleteEventTimeTimer(VoidNamespace, time)` for the current key; whether there was one.
    pub fn delete_event_time_timer(
        &self,
        backend: &mut HeapKeyedStateBackend,
        time: i64,
    ) -> Result<bool, StateError> {
        delete(backend, self.event, time)
    }

    /// The earliest processing-time timer's time: when the service wants to be woken up.
    pub fn next_processing_time(&self, backend: &HeapKeyedStateBackend) -> Option<i64> {
        backend
            .priority_queue(self.processing)?
            .peek()
            .map(|t| t.timestamp)
    }

    /// The earliest event-time timer's time.
    pub fn next_event_time(&self, backend: &HeapKeyedStateBackend) -> Option<i64> {
        backend
            .priority_queue(self.event)?
            .peek()
            .map(|t| t.timestamp)
    }

    /// One turn of `onProcessingTime(time)`'s loop: if the earliest timer is due at `time`, sets its key as the
    /// current key, polls it and returns it (the caller runs `onTimer`); `None` when none is due.
    pub fn poll_processing_timer(
        &self,
        backend: &mut HeapKeyedStateBackend,
        time: i64,
    ) -> Option<TimerHeapInternalTimer> {
        poll_due(backend, self.processing, time)
    }

    /// `advanceWatermark(time)`: sets the watermark; then call [`Self::poll_event_timer`] until `None`.
    pub fn advance_watermark(&mut self, time: i64) {
        self.current_watermark = time;
    }

    /// One turn of `advanceWatermark`'s loop over the event-time queue, at the current watermark.
    pub fn poll_event_timer(
        &self,
        backend: &mut HeapKeyedStateBackend,
    ) -> Option<TimerHeapInternalTimer> {
        poll_due(backend, self.event, self.current_watermark)
    }
}

fn register(
    backend: &mut HeapKeyedStateBackend,
    queue: usize,
    time: i64,
) -> Result<TimerRegistration, StateError> {
    let key = backend.current_key().ok_or(StateError::NoKeySet)?;
    let range = backend.key_group_range();
    let queue = backend
        .priority_queue_mut(queue)
        .ok_or(StateError::UnknownState("timer service".into()))?;
    let size = queue.size();
    match queue.add(TimerHeapInternalTimer {
        timestamp: time,
        key,
    }) {
        Ok(new_head) => Ok(TimerRegistration {
            added: queue.size() > size,
            new_head,
        }),
        Err(PriorityQueueError::KeyGroupNotInRange(key_group)) => {
            Err(StateError::KeyGroupNotInRange { key_group, range })
        }
        Err(PriorityQueueError::ArrayTooLarge) => Err(StateError::PriorityQueueTooLarge {
            required: size as u64 + 1,
        }),
    }
}

fn delete(
    backend: &mut HeapKeyedStateBackend,
    queue: usize,
    time: i64,
) -> Result<bool, StateError> {
    let key = backend.current_key().ok_or(StateError::NoKeySet)?;
    let queue = backend
        .priority_queue_mut(queue)
        .ok_or(StateError::UnknownState("timer service".into()))?;
    let timer = TimerHeapInternalTimer {
        timestamp: time,
        key,
    };
    let existed = queue.contains(&timer);
    queue.remove(&timer);
    Ok(existed)
}

fn poll_due(
    backend: &mut HeapKeyedStateBackend,
    queue: usize,
    time: i64,
) -> Option<TimerHeapInternalTimer> {
    let head = *backend.priority_queue(queue)?.peek()?;
    if head.timestamp > time {
        return None;
    }
    backend.set_current_key_context(head.key);
    backend.priority_queue_mut(queue)?.poll()
}
