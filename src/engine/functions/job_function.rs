//! Which user function the job's keyed operator runs — the job presets. Not a Flink class: the choice a user
//! makes when writing the program (`keyBy(…).process(new …())`), one `KeyedProcessFunction` per preset, each
//! keeping its state in another of Flink's state primitives so that they can be compared on the heap.

use crate::engine::functions::event_counter_process_function::ProcessLine;
use serde::{Deserialize, Serialize};

/// The `KeyedProcessFunction` of the job.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JobFunction {
    /// `EventCounterProcessFunction`: a `ValueState<Long>` counting events per key.
    #[default]
    Counter,
    /// `EventLogProcessFunction`: a `ListState<Long>` of every event's amount per key.
    EventLog,
    /// `EventLogInValueProcessFunction`: the same log in a `ValueState<ArrayList<Long>>`.
    EventLogInValue,
    /// `CategoryCountProcessFunction`: a `MapState<String, Long>` counting events per key and category.
    CategoryCounts,
    /// `CategoryCountInValueProcessFunction`: the same counts in a `ValueState<HashMap<String, Long>>`.
    CategoryCountsInValue,
    /// `RunningSumProcessFunction`: a `ReducingState<Long>` summing the amounts per key.
    RunningSum,
    /// `AverageProcessFunction`: an `AggregatingState<Long, Double>` averaging the amounts per key.
    Average,
    /// `IdleKeyCounterProcessFunction`: the counter with state TTL, forgetting keys idle for 5 s.
    IdleCounter,
    /// `SessionProcessFunction`: a `ValueState<Tuple2>` session per key, closed by a processing-time timer after
    /// 2 s without events.
    Session,
    /// `KeyStatsProcessFunction`: a count and a sum per key in a `ValueState<KeyStats>` (a POJO), the sum changed
    /// after `update()` — object reuse.
    KeyStats,
}

impl JobFunction {
    /// Every function, in the order the page lists them.
    pub const ALL: [JobFunction; 10] = [
        JobFunction::Counter,
        JobFunction::EventLog,
        JobFunction::EventLogInValue,
        JobFunction::CategoryCounts,
        JobFunction::CategoryCountsInValue,
        JobFunction::RunningSum,
        JobFunction::Average,
        JobFunction::IdleCounter,
        JobFunction::Session,
        JobFunction::KeyStats,
    ];

    /// The name in configurations and on the command line (`--function event-log`).
    pub fn id(self) -> &'static str {
        match self {
            JobFunction::Counter => "counter",
            JobFunction::EventLog => "event-log",
            JobFunction::EventLogInValue => "event-log-in-value",
            JobFunction::CategoryCounts => "category-counts",
            JobFunction::CategoryCountsInValue => "category-counts-in-value",
            JobFunction::RunningSum => "running-sum",
            JobFunction::Average => "average",
            JobFunction::IdleCounter => "idle-counter",
            JobFunction::Session => "session",
            JobFunction::KeyStats => "key-stats",
        }
    }

    /// Its number in a checkpoint blob's metadata: fixed once given, whatever the order of [`Self::ALL`].
    pub fn number(self) -> u64 {
        match self {
            JobFunction::Counter => 0,
            JobFunction::EventLog => 1,
            JobFunction::CategoryCounts => 2,
            JobFunction::CategoryCountsInValue => 3,
            JobFunction::RunningSum => 4,
            JobFunction::Average => 5,
            JobFunction::IdleCounter => 6,
            JobFunction::Session => 7,
            JobFunction::EventLogInValue => 8,
            JobFunction::KeyStats => 9,
        }
    }

    pub fn from_number(n: u64) -> Option<JobFunction> {
        JobFunction::ALL.into_iter().find(|f| f.number() == n)
    }

    pub fn from_id(id: &str) -> Option<JobFunction> {
        JobFunction::ALL.into_iter().find(|f| f.id() == id)
    }

    /// The Java class name of the function.
    pub fn class_name(self) -> &'static str {
        match self {
            JobFunction::Counter => "EventCounterProcessFunction",
            JobFunction::EventLog => "EventLogProcessFunction",
            JobFunction::EventLogInValue => "EventLogInValueProcessFunction",
            JobFunction::CategoryCounts => "CategoryCountProcessFunction",
            JobFunction::CategoryCountsInValue => "CategoryCountInValueProcessFunction",
            JobFunction::RunningSum => "RunningSumProcessFunction",
            JobFunction::Average => "AverageProcessFunction",
            JobFunction::IdleCounter => "IdleKeyCounterProcessFunction",
            JobFunction::Session => "SessionProcessFunction",
            JobFunction::KeyStats => "KeyStatsProcessFunction",
        }
    }

    /// The name of the state the function registers (its descriptor's name).
    pub fn state_name(self) -> &'static str {
        match self {
            JobFunction::Counter | JobFunction::IdleCounter => "event-counter",
            JobFunction::EventLog | JobFunction::EventLogInValue => "event-log",
            JobFunction::CategoryCounts | JobFunction::CategoryCountsInValue => "category-counts",
            JobFunction::RunningSum => "running-sum",
            JobFunction::Average => "average",
            JobFunction::Session => "session",
            JobFunction::KeyStats => "key-stats",
        }
    }

    /// Whether its state is a `Long` per key held in the entry (the counter's, a running sum's) rather than an
    /// object the entry references.
    pub fn keeps_longs(self) -> bool {
        matches!(self, JobFunction::Counter | JobFunction::RunningSum)
    }

    /// The line of `processElement` after which the function has changed its state: the state's write
    /// (`update`, `add`, `put`), except where the state is a list, map or tuple held in a `ValueState`: on the heap
    /// backend `value()` hands out the stored object itself, so the line that changes that object (`log.add`,
    /// `current.merge`, `current.f0 += 1`, `s.count++`) changes the state, before `update()` is called.
    pub fn changes_state_at(self) -> ProcessLine {
        match self {
            JobFunction::EventLogInValue
            | JobFunction::CategoryCountsInValue
            | JobFunction::Session
            | JobFunction::KeyStats => ProcessLine::Next,
            JobFunction::Counter
            | JobFunction::EventLog
            | JobFunction::CategoryCounts
            | JobFunction::RunningSum
            | JobFunction::Average
            | JobFunction::IdleCounter => ProcessLine::Update,
        }
    }

    /// Whether the sink can tell a duplicate by its value alone: the counter's outputs per key run 1, 2, 3, …
    /// (so a count not above the highest written is a duplicate); the others' outputs are told apart by the
    /// event that produced them.
    pub fn counts_per_key(self) -> bool {
        self == JobFunction::Counter
    }

    /// Whether `processElement` collects a record for every element (all but the session, which emits from
    /// `onTimer` only).
    pub fn collects_per_element(self) -> bool {
        self != JobFunction::Session
    }

    /// `Counter` (the default) is left out of a configuration document, which stays as it was before
    /// functions could be chosen.
    pub fn is_counter(&self) -> bool {
        *self == JobFunction::Counter
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_each_function_once_and_read_back() {
        for f in JobFunction::ALL {
            assert_eq!(JobFunction::from_id(f.id()), Some(f));
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.id()), "serde uses the same ids");
        }
        assert_eq!(JobFunction::from_id("nope"), None);
        for f in JobFunction::ALL {
            assert_eq!(JobFunction::from_number(f.number()), Some(f));
        }
        assert_eq!(
            JobFunction::from_number(JobFunction::ALL.len() as u64),
            None
        );
    }
}
