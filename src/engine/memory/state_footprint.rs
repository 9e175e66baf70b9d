//! The heap N keys take in any keyed-state primitive, written the way `tools/flink-heap-primitives` writes
//! them into real Flink 2.3's `HeapKeyedStateBackend` (keys `user-%06d`, values no `Long` cache holds, map keys
//! `f0`, `f1`, …), so a figure here can be held against `tests/data/groundtruth/flink_heap_primitives.csv`.
//! Not a Flink class: `statelab heap --state …` and the comparison of primitives use it. The value state's own
//! probe, with its capacity planning, is [`crate::engine::memory::heap_footprint`].

use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::keys::key_group_range_assignment::{
    compute_operator_index_for_key_group, create_key_group_partitions, key_group_of_murmur_hash,
    KeyGroupAssignmentError,
};
use crate::engine::keys::key_registry::{KeyFormat, KeyRegistry};
use crate::engine::operators::internal_timer_service_impl::InternalTimerServiceImpl;
use crate::engine::state::aggregating_state_descriptor::{
    AggregateFunctionKind, AggregatingStateDescriptor,
};
use crate::engine::state::heap::copy_on_write_state_map::StateMapHeap;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use crate::engine::state::list_state_descriptor::ListStateDescriptor;
use crate::engine::state::map_state_descriptor::MapStateDescriptor;
use crate::engine::state::reducing_state_descriptor::ReducingStateDescriptor;
use crate::engine::state::state_error::StateError;
use crate::engine::state::state_ttl_config::StateTtlConfig;
use crate::engine::state::ttl::ttl_list_state::TtlListState;
use crate::engine::state::ttl::ttl_map_state::TtlMapState;
use crate::engine::state::ttl::ttl_value_state::TtlValueState;
use crate::engine::state::value_state_descriptor::ValueStateDescriptor;
use std::fmt;
use std::str::FromStr;

/// Elements or mappings per key: more than the measurements go, less than a page could ever draw.
pub const MAX_ELEMENTS_PER_KEY: u32 = 4096;

/// A primitive and what each key writes into it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateWorkload {
    /// `ValueState<Long>`: `value()` then `update(v)`; `distinct` values outside the `Long` cache, else `1`.
    Value { distinct: bool },
    /// `ListState<Long>`: `add` of `n` distinct values.
    List(u32),
    /// `MapState<String, Long>`: `put("f<j>", v)` for `j < n`.
    Map(u32),
    /// `ValueState<ArrayList<Long>>`: `value()`, an add to the list, `update(list)` — `n` times.
    ValueList(u32),
    /// `ValueState<HashMap<String, Long>>`: `value()`, a put into the map, `update(map)` — `n` times.
    ValueMap(u32),
    /// `ReducingState<Long>` (a sum): one `add`.
    Reducing,
    /// `AggregatingState` with a `Long` accumulator (a sum): one `add`.
    Aggregating,
    /// `AggregatingState` with a `Tuple2<Long, Long>` accumulator (an average): one `add`.
    AggregatingAverage,
    /// `ValueState<Long>` with TTL (`StateTtlConfig.newBuilder(1 h)`, its defaults): `value()` then `update(v)` of
    /// a distinct value, each a `TtlValue` around the `Long`.
    ValueTtl,
    /// `ListState<Long>` with TTL (1 h, the defaults): `add` of `n` distinct values, each a `TtlValue`.
    ListTtl(u32),
    /// `MapState<String, Long>` with TTL (1 h, the defaults): `put("f<j>", v)` for `j < n`, each value a
    /// `TtlValue`. The incremental cleanup rebuilds and writes back every map it passes (`TtlMapState`).
    MapTtl(u32),
    /// `n` processing-time timers per key (`timerService().registerProcessingTimeTimer`), none due.
    Timers(u32),
    /// `ValueState<KeyStats>`, a POJO of two `long`s, as `KeyStatsProcessFunction` writes it: `value()`, a new
    /// `KeyStats`, `count++`, `update(s)`, then `sum +=` on the stored object.
    KeyStats,
}

/// A workload name that is not one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownWorkload(pub String);

impl fmt::Display for UnknownWorkload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}': use value, value-distinct, list:N, map:N, value-list:N, value-map:N, list-ttl:N, \
             map-ttl:N (N from 1 to {MAX_ELEMENTS_PER_KEY}), reducing, aggregating, aggregating-avg, value-ttl, \
             keystats or timers:N",
            self.0
        )
    }
}

impl FromStr for StateWorkload {
    type Err = UnknownWorkload;

    /// The names of the measurement's rows: `value`, `value-distinct`, `list:4`, `map:16`, `reducing`, …
    fn from_str(s: &str) -> Result<Self, UnknownWorkload> {
        let unknown = || UnknownWorkload(s.to_owned());
        let elements = |n: &str| {
            n.parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_ELEMENTS_PER_KEY).contains(n))
                .ok_or_else(unknown)
        };
        Ok(match s.split_once(':') {
            Some(("list", n)) => StateWorkload::List(elements(n)?),
            Some(("map", n)) => StateWorkload::Map(elements(n)?),
            Some(("value-list", n)) => StateWorkload::ValueList(elements(n)?),
            Some(("value-map", n)) => StateWorkload::ValueMap(elements(n)?),
            Some(("timers", n)) => StateWorkload::Timers(elements(n)?),
            Some(("list-ttl", n)) => StateWorkload::ListTtl(elements(n)?),
            Some(("map-ttl", n)) => StateWorkload::MapTtl(elements(n)?),
            Some(_) => return Err(unknown()),
            None => match s {
                "value" | "value-cached" => StateWorkload::Value { distinct: false },
                "value-distinct" => StateWorkload::Value { distinct: true },
                "list" => StateWorkload::List(1),
                "map" => StateWorkload::Map(1),
                "reducing" => StateWorkload::Reducing,
                "aggregating" => StateWorkload::Aggregating,
                "aggregating-avg" => StateWorkload::AggregatingAverage,
                "timers" => StateWorkload::Timers(1),
                "value-ttl" | "ttl" => StateWorkload::ValueTtl,
                "list-ttl" => StateWorkload::ListTtl(1),
                "map-ttl" => StateWorkload::MapTtl(1),
                "keystats" => StateWorkload::KeyStats,
                _ => return Err(unknown()),
            },
        })
    }
}

impl fmt::Display for StateWorkload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateWorkload::Value { distinct: false } => f.write_str("value"),
            StateWorkload::Value { distinct: true } => f.write_str("value-distinct"),
            StateWorkload::List(n) => write!(f, "list:{n}"),
            StateWorkload::Map(n) => write!(f, "map:{n}"),
            StateWorkload::ValueList(n) => write!(f, "value-list:{n}"),
            StateWorkload::ValueMap(n) => write!(f, "value-map:{n}"),
            StateWorkload::Reducing => f.write_str("reducing"),
            StateWorkload::Aggregating => f.write_str("aggregating"),
            StateWorkload::AggregatingAverage => f.write_str("aggregating-avg"),
            StateWorkload::Timers(n) => write!(f, "timers:{n}"),
            StateWorkload::ValueTtl => f.write_str("value-ttl"),
            StateWorkload::ListTtl(n) => write!(f, "list-ttl:{n}"),
            StateWorkload::MapTtl(n) => write!(f, "map-ttl:{n}"),
            StateWorkload::KeyStats => f.write_str("keystats"),
        }
    }
}

/// A value no `Long` cache holds, different for every key and element.
fn distinct(key: u64, element: u32) -> i64 {
    1_000_000 + (key as i64) * 100 + i64::from(element)
}

/// The handle of a state with TTL, kept from key to key as the operator keeps it: it holds the place its
/// incremental cleanup has reached in the table.
#[derive(Clone, Copy, Debug)]
enum TtlHandle {
    Value(TtlValueState),
    List(TtlListState),
    Map(TtlMapState),
}

/// The time-to-live of the measurement's TTL states: an hour, so nothing expires while they are written.
const TTL_MS: i64 = 3_600_000;

impl StateWorkload {
    /// Registers a state with TTL (as the operator's `open()` would) and returns its handle; `None` for the others.
    fn open_ttl(&self, b: &mut HeapKeyedStateBackend) -> Result<Option<TtlHandle>, StateError> {
        const NAME: &str = "state";
        let ttl = StateTtlConfig::new_builder(TTL_MS);
        Ok(match *self {
            StateWorkload::ValueTtl => Some(TtlHandle::Value(
                b.get_or_create_ttl_value_state(NAME, ttl)?,
            )),
            StateWorkload::ListTtl(_) => Some(TtlHandle::List(
                b.get_or_create_ttl_list_state(&ListStateDescriptor::new_long(NAME), ttl)?,
            )),
            StateWorkload::MapTtl(_) => Some(TtlHandle::Map(
                b.get_or_create_ttl_map_state(&MapStateDescriptor::new_string_long(NAME), ttl)?,
            )),
            _ => None,
        })
    }

    /// Registers the state (as the operator's `open()` would) and, for a key, writes what the workload writes —
    /// through `ttl`, the state's handle when it has TTL.
    fn write(
        &self,
        b: &mut HeapKeyedStateBackend,
        ttl: &mut Option<TtlHandle>,
        key: Option<u64>,
    ) -> Result<(), StateError> {
        const NAME: &str = "state";
        match *self {
            StateWorkload::Value { distinct: d } => {
                let s = b.get_or_create_value_state(&ValueStateDescriptor::new_long(NAME))?;
                if let Some(i) = key {
                    s.value(b)?;
                    s.update(b, Some(if d { distinct(i, 0) } else { 1 }))?;
                }
            }
            StateWorkload::List(n) => {
                let s = b.get_or_create_list_state(&ListStateDescriptor::new_long(NAME))?;
                if let Some(i) = key {
                    for j in 0..n {
                        s.add(b, distinct(i, j))?;
                    }
                }
            }
            StateWorkload::Map(n) => {
                let s = b.get_or_create_map_state(&MapStateDescriptor::new_string_long(NAME))?;
                if let Some(i) = key {
                    for j in 0..n {
                        s.put(b, &format!("f{j}"), distinct(i, j))?;
                    }
                }
            }
            StateWorkload::ValueList(n) | StateWorkload::ValueMap(n) => {
                let list = matches!(self, StateWorkload::ValueList(_));
                let s = b.get_or_create_object_value_state(
                    NAME,
                    if list {
                        ValueSerializer::ListOfLong
                    } else {
                        ValueSerializer::MapOfStringLong
                    },
                )?;
                if let Some(i) = key {
                    for j in 0..n {
                        let object = match s.value(b)?.0 {
                            Some(object) => object,
                            None if list => s.new_object(b, StateValueObject::new_list())?,
                            None => s.new_object(b, StateValueObject::new_map())?,
                        };
                        s.change(b, object, |o| {
                            if list {
                                o.list_add(distinct(i, j));
                            } else {
                                o.map_put(&format!("f{j}"), distinct(i, j));
                            }
                        })?;
                        s.update(b, Some(object))?;
                    }
                }
            }
            StateWorkload::Reducing => {
                let s =
                    b.get_or_create_reducing_state(&ReducingStateDescriptor::new_long_sum(NAME))?;
                if let Some(i) = key {
                    s.add(b, distinct(i, 0))?;
                }
            }
            StateWorkload::Aggregating | StateWorkload::AggregatingAverage => {
                let function = if *self == StateWorkload::Aggregating {
                    AggregateFunctionKind::Sum
                } else {
                    AggregateFunctionKind::Average
                };
                let s = b.get_or_create_aggregating_state(&AggregatingStateDescriptor::new(
                    NAME, function,
                ))?;
                if let Some(i) = key {
                    s.add(b, distinct(i, 0))?;
                }
            }
            StateWorkload::ValueTtl | StateWorkload::ListTtl(_) | StateWorkload::MapTtl(_) => {
                // As the measurement: at one time (nothing expires within the hour), so the cleanup removes
                // nothing — but it writes back every map of a map state with TTL it passes.
                if ttl.is_none() {
                    *ttl = self.open_ttl(b)?;
                }
                let Some(i) = key else {
                    return Ok(());
                };
                match ttl {
                    Some(TtlHandle::Value(s)) => {
                        s.value(b, 0)?;
                        s.update(b, Some(distinct(i, 0)), 0)?;
                    }
                    Some(TtlHandle::List(s)) => {
                        let n = if let StateWorkload::ListTtl(n) = *self {
                            n
                        } else {
                            0
                        };
                        for j in 0..n {
                            s.add(b, distinct(i, j), 0)?;
                        }
                    }
                    Some(TtlHandle::Map(s)) => {
                        let n = if let StateWorkload::MapTtl(n) = *self {
                            n
                        } else {
                            0
                        };
                        for j in 0..n {
                            s.put(b, &format!("f{j}"), distinct(i, j), 0)?;
                        }
                    }
                    None => {}
                }
            }
            StateWorkload::KeyStats => {
                let s = b.get_or_create_object_value_state(NAME, ValueSerializer::KeyStatsPojo)?;
                if let Some(i) = key {
                    let object = match s.value(b)?.0 {
                        Some(object) => object,
                        None => s.new_object(b, StateValueObject::KeyStats { count: 0, sum: 0 })?,
                    };
                    let pojo = |o: &mut StateValueObject, add_count: i64, add_sum: i64| {
                        if let StateValueObject::KeyStats { count, sum } = o {
                            *count += add_count;
                            *sum += add_sum;
                        }
                    };
                    s.change(b, object, |o| pojo(o, 1, 0))?;
                    s.update(b, Some(object))?;
                    s.change(b, object, |o| pojo(o, 0, distinct(i, 0)))?;
                }
            }
            StateWorkload::Timers(n) => {
                let timers = InternalTimerServiceImpl::get(b, NAME);
                if let Some(i) = key {
                    // As the measurement: a day ahead (nothing fires), key i at base + i·n + j.
                    let base = 86_400_000i64;
                    for j in 0..n {
                        let time = base + (i as i64) * i64::from(n) + i64::from(j);
                        timers.register_processing_time_timer(b, time)?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// What N keys of a workload take on the heap, over the subtasks of one keyed operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateFootprint {
    pub keys: u64,
    /// The heap of the registered states with the keys in them.
    pub state_bytes: u64,
    /// The same before the first key: the eagerly created maps.
    pub empty_bytes: u64,
    /// The state bytes by kind of object, in the key-group maps.
    pub breakdown: StateMapHeap,
    /// The timer queues' bytes above empty queues (timers, de-duplication maps, heap arrays, their keys).
    pub timer_bytes: u64,
}

impl StateFootprint {
    /// Bytes per key beyond the empty backends (what the class histograms of the measurement count).
    pub fn bytes_per_key(&self) -> f64 {
        if self.keys == 0 {
            return 0.0;
        }
        (self.state_bytes - self.empty_bytes) as f64 / self.keys as f64
    }
}

/// Why a footprint could not be measured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FootprintError {
    Parallelism(KeyGroupAssignmentError),
    State(StateError),
}

crate::i18n::english_error!(FootprintError => crate::i18n::messages::errors::footprint);

crate::engine::error_from!(FootprintError {
    Parallelism(KeyGroupAssignmentError),
    State(StateError),
});

/// Writes `keys` keys (`user-%06d`, in order) of `workload` into the backends of `parallelism` subtasks.
pub fn measure(
    workload: StateWorkload,
    keys: u64,
    max_parallelism: u32,
    parallelism: u32,
) -> Result<StateFootprint, FootprintError> {
    let ranges = create_key_group_partitions(i64::from(max_parallelism), i64::from(parallelism))?;
    let mut backends: Vec<HeapKeyedStateBackend> = ranges
        .into_iter()
        .map(|range| HeapKeyedStateBackend::new(range, max_parallelism as i32, JavaKeyType::String))
        .collect();
    let mut ttl: Vec<Option<TtlHandle>> = vec![None; backends.len()];
    for (b, ttl) in backends.iter_mut().zip(&mut ttl) {
        workload.write(b, ttl, None)?;
    }
    let empty_bytes = backends.iter().map(HeapKeyedStateBackend::heap_used).sum();
    let mut registry = KeyRegistry::new(KeyFormat::padded_users());
    for i in 0..keys {
        let id = registry.generated(i);
        let info = registry.info(id);
        let key_group = key_group_of_murmur_hash(info.murmur_hash, max_parallelism as i32);
        let owner = compute_operator_index_for_key_group(
            max_parallelism as i32,
            parallelism as i32,
            key_group,
        )
        .index();
        let b = &mut backends[owner];
        b.set_current_key(id, info);
        workload.write(b, &mut ttl[owner], Some(i))?;
    }
    let mut breakdown = StateMapHeap::default();
    for b in &backends {
        breakdown.add(&b.heap_breakdown());
    }
    Ok(StateFootprint {
        keys,
        state_bytes: backends.iter().map(HeapKeyedStateBackend::heap_used).sum(),
        empty_bytes,
        breakdown,
        timer_bytes: backends
            .iter()
            .map(HeapKeyedStateBackend::timers_heap)
            .sum(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workload_names_read_and_print_alike() {
        for name in [
            "value",
            "value-distinct",
            "list:4",
            "map:16",
            "value-list:2",
            "value-map:8",
            "reducing",
            "aggregating",
            "aggregating-avg",
            "timers:16",
            "value-ttl",
            "list-ttl:4",
            "map-ttl:64",
        ] {
            assert_eq!(name.parse::<StateWorkload>().unwrap().to_string(), name);
        }
        assert_eq!("list".parse(), Ok(StateWorkload::List(1)));
        assert_eq!("timers".parse(), Ok(StateWorkload::Timers(1)));
        assert_eq!("map-ttl".parse(), Ok(StateWorkload::MapTtl(1)));
        for bad in [
            "list:0",
            "map:x",
            "list:5000",
            "timers:0",
            "",
            "value:2",
            "list-ttl:0",
            "map-ttl:-1",
            "value-ttl:2",
        ] {
            assert!(bad.parse::<StateWorkload>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_list_of_four_costs_what_flink_measured_per_key() {
        // flink_heap_primitives.csv, list:4 at 1,000 keys: 272.05 B/key (no map resized yet).
        let f = measure(StateWorkload::List(4), 1000, 128, 1).unwrap();
        assert!(
            (f.bytes_per_key() - 272.0).abs() < 0.1,
            "{}",
            f.bytes_per_key()
        );
        // Two subtasks hold the same keys between them.
        let two = measure(StateWorkload::List(4), 1000, 128, 2).unwrap();
        assert_eq!(
            two.state_bytes - two.empty_bytes,
            f.state_bytes - f.empty_bytes
        );
    }
}
