//! `org.apache.flink.streaming.api.functions.KeyedProcessFunction`: the user function a keyed subtask runs,
//! one of the job presets ([`JobFunction`]). `open()` registers its state (and the operator its timer service);
//! `processElement` runs with the record's key as the backend's current key
//! (`AbstractStreamOperator.setKeyContextElement`).

use crate::engine::functions::average_process_function::AverageProcessFunction;
use crate::engine::functions::category_count_in_value_process_function::CategoryCountInValueProcessFunction;
use crate::engine::functions::category_count_process_function::CategoryCountProcessFunction;
use crate::engine::functions::event_counter_process_function::{
    EventCounterProcessFunction, ProcessLine, ProcessedElement,
};
use crate::engine::functions::event_log_in_value_process_function::EventLogInValueProcessFunction;
use crate::engine::functions::event_log_process_function::EventLogProcessFunction;
use crate::engine::functions::idle_key_counter_process_function::IdleKeyCounterProcessFunction;
use crate::engine::functions::job_function::JobFunction;
use crate::engine::functions::key_stats_process_function::KeyStatsProcessFunction;
use crate::engine::functions::process_context::ElementContext;
use crate::engine::functions::running_sum_process_function::RunningSumProcessFunction;
use crate::engine::functions::session_process_function::{FiredTimer, SessionProcessFunction};
use crate::engine::keys::key_registry::{KeyId, KeyInfo};
use crate::engine::operators::internal_timer_service_impl::InternalTimerServiceImpl;
use crate::engine::source::event::Event;
use crate::engine::state::heap::heap_keyed_state_backend::{HeapKeyedStateBackend, USER_TIMERS};
use crate::engine::state::state_error::StateError;
use crate::engine::tasks::stream_element::EventRef;

/// The function of a keyed subtask.
#[derive(Clone, Copy, Debug)]
pub enum KeyedProcessFunction {
    Counter(EventCounterProcessFunction),
    EventLog(EventLogProcessFunction),
    EventLogInValue(EventLogInValueProcessFunction),
    CategoryCounts(CategoryCountProcessFunction),
    CategoryCountsInValue(CategoryCountInValueProcessFunction),
    RunningSum(RunningSumProcessFunction),
    Average(AverageProcessFunction),
    IdleCounter(IdleKeyCounterProcessFunction),
    Session(SessionProcessFunction),
    KeyStats(KeyStatsProcessFunction),
}

impl KeyedProcessFunction {
    /// `open()` on a new backend: registers the function's state, and the operator's timer service.
    pub fn open(function: JobFunction, backend: &mut HeapKeyedStateBackend) -> Self {
        if function == JobFunction::Counter {
            return KeyedProcessFunction::Counter(EventCounterProcessFunction::open(backend));
        }
        // The operator registers its timer service before the function's state, as `KeyedProcessOperator.open`
        // does before calling the function's `open`.
        InternalTimerServiceImpl::get(backend, USER_TIMERS);
        let name = function.state_name();
        let opened = match function {
            JobFunction::Counter => unreachable!("opened above"),
            JobFunction::EventLog => {
                EventLogProcessFunction::open(backend, name).map(KeyedProcessFunction::EventLog)
            }
            JobFunction::EventLogInValue => EventLogInValueProcessFunction::open(backend, name)
                .map(KeyedProcessFunction::EventLogInValue),
            JobFunction::CategoryCounts => CategoryCountProcessFunction::open(backend, name)
                .map(KeyedProcessFunction::CategoryCounts),
            JobFunction::CategoryCountsInValue => {
                CategoryCountInValueProcessFunction::open(backend, name)
                    .map(KeyedProcessFunction::CategoryCountsInValue)
            }
            JobFunction::RunningSum => {
                RunningSumProcessFunction::open(backend, name).map(KeyedProcessFunction::RunningSum)
            }
            JobFunction::Average => {
                AverageProcessFunction::open(backend, name).map(KeyedProcessFunction::Average)
            }
            JobFunction::IdleCounter => IdleKeyCounterProcessFunction::open(backend, name)
                .map(KeyedProcessFunction::IdleCounter),
            JobFunction::Session => {
                SessionProcessFunction::open(backend, name).map(KeyedProcessFunction::Session)
            }
            JobFunction::KeyStats => {
                KeyStatsProcessFunction::open(backend, name).map(KeyedProcessFunction::KeyStats)
            }
        };
        // The operator opens its function on the backend it has just built, where nothing else is registered.
        opened.unwrap_or_else(|_| unreachable!("a new backend registers the function's one state"))
    }

    pub fn job_function(&self) -> JobFunction {
        match self {
            KeyedProcessFunction::Counter(_) => JobFunction::Counter,
            KeyedProcessFunction::EventLog(_) => JobFunction::EventLog,
            KeyedProcessFunction::EventLogInValue(_) => JobFunction::EventLogInValue,
            KeyedProcessFunction::CategoryCounts(_) => JobFunction::CategoryCounts,
            KeyedProcessFunction::CategoryCountsInValue(_) => JobFunction::CategoryCountsInValue,
            KeyedProcessFunction::RunningSum(_) => JobFunction::RunningSum,
            KeyedProcessFunction::Average(_) => JobFunction::Average,
            KeyedProcessFunction::IdleCounter(_) => JobFunction::IdleCounter,
            KeyedProcessFunction::Session(_) => JobFunction::Session,
            KeyedProcessFunction::KeyStats(_) => JobFunction::KeyStats,
        }
    }

    /// The counter, when this is the counter job.
    pub fn as_counter(&self) -> Option<&EventCounterProcessFunction> {
        match self {
            KeyedProcessFunction::Counter(c) => Some(c),
            _ => None,
        }
    }

    /// `setKeyContextElement` + `processElement` of one record: event `event` of a run seeded with `seed`.
    #[inline]
    pub fn process_element(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        key: KeyId,
        info: KeyInfo,
        seed: u64,
        event: EventRef,
        now_ms: i64,
    ) -> Result<ProcessedElement, StateError> {
        self.process_element_until(backend, key, info, seed, event, now_ms, ProcessLine::Return)
    }

    /// [`Self::process_element`] as a debugger stopped after line `stop` sees it, for a function other than the
    /// counter (which has its own): `KeyStatsProcessFunction` runs its lines up to `stop`; the others run whole
    /// once `stop` reaches the line where they change their state
    /// ([`JobFunction::changes_state_at`]), and only set the key before.
    #[allow(clippy::too_many_arguments)]
    pub fn process_element_until(
        &mut self,
        backend: &mut HeapKeyedStateBackend,
        key: KeyId,
        info: KeyInfo,
        seed: u64,
        event: EventRef,
        now_ms: i64,
        stop: ProcessLine,
    ) -> Result<ProcessedElement, StateError> {
        if let KeyedProcessFunction::Counter(c) = self {
            return c.process_element(backend, key, info);
        }
        if !matches!(self, KeyedProcessFunction::KeyStats(_))
            && stop < self.job_function().changes_state_at()
        {
            backend.set_current_key(key, info);
            let key_group = backend.current_key().ok_or(StateError::NoKeySet)?.key_group;
            return Ok(ProcessedElement {
                key_group,
                previous: None,
                count: 0,
                read: Default::default(),
                write: Default::default(),
            });
        }
        // The event's other fields, drawn only for the functions that read them (not the counter's hot path).
        let event = Event::of(seed, event);
        backend.set_current_key(key, info);
        let key_group = backend.current_key().ok_or(StateError::NoKeySet)?.key_group;
        let cx = ElementContext {
            key_group,
            event,
            now_ms,
        };
        match self {
            KeyedProcessFunction::Counter(_) => unreachable!("handled above"),
            KeyedProcessFunction::EventLog(f) => f.process_element(backend, &cx),
            KeyedProcessFunction::EventLogInValue(f) => f.process_element(backend, &cx),
            KeyedProcessFunction::CategoryCounts(f) => f.process_element(backend, &cx),
            KeyedProcessFunction::CategoryCountsInValue(f) => f.process_element(backend, &cx),
            KeyedProcessFunction::RunningSum(f) => f.process_element(backend, &cx),
            KeyedProcessFunction::Average(f) => f.process_element(backend, &cx),
            KeyedProcessFunction::IdleCounter(f) => f.process_element(backend, &cx),
            KeyedProcessFunction::Session(f) => f.process_element(backend, &cx),
            KeyedProcessFunction::KeyStats(f) => f.process_element_until(backend, &cx, stop),
        }
    }

    /// When the function's earliest timer is due (ms): `None` without timers.
    pub fn next_timer(&self, backend: &HeapKeyedStateBackend) -> Option<i64> {
        match self {
            KeyedProcessFunction::Session(f) => f.next_timer(backend),
            _ => None,
        }
    }

    /// One turn of the operator's `onProcessingTime(now_ms)`: the earliest due timer fired (`onTimer`).
    pub fn on_processing_time(
        &self,
        backend: &mut HeapKeyedStateBackend,
        now_ms: i64,
    ) -> Result<Option<FiredTimer>, StateError> {
        match self {
            KeyedProcessFunction::Session(f) => f.on_processing_time(backend, now_ms),
            _ => Ok(None),
        }
    }
}
