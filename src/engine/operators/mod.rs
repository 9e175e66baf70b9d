//! `org.apache.flink.streaming.api.operators`: the keyed operator's timer service — `InternalTimerServiceImpl`
//! over the backend's timer queues, and the `TimerHeapInternalTimer`s it registers.

pub mod internal_timer_service_impl;
pub mod timer_heap_internal_timer;
