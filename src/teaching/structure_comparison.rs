//! "Which structure fits?" — the same workload kept two ways, side by side: counts per category in a
//! `MapState<String, Long>` or in a `ValueState<HashMap<String, Long>>`, an event log in a `ListState<Long>` or in
//! a `ValueState<ArrayList<Long>>`. Both jobs run the same events through the same checkpoints; what each
//! costs is read off the engine: heap bytes and Java objects per key, bytes written per checkpoint, and entries
//! copied on write while a checkpoint is written. Not a Flink class: a lesson's measurement.
//!
//! On the heap backend the two forms hold the same `HashMap` (or `ArrayList`) per key and a checkpoint
//! serializes it with the same serializer, so they cost the same; what differs is the API — `value()` hands out
//! the stored object itself (change it and the state has changed, `update()` or not) — and, on RocksDB, that a
//! `ValueState` is (de)serialized whole on every access where a `MapState` touches one mapping.

use crate::engine::checkpoint::checkpoint_coordinator::CheckpointStatus;
use crate::engine::cluster::engine_error::EngineError;
use crate::engine::cluster::engine_event::Milestones;
use crate::engine::cluster::job_config::JobConfig;
use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::cluster::run_limit::RunLimit;
use crate::engine::functions::job_function::JobFunction;

/// Which two structures to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StructurePair {
    /// `ValueState<HashMap<String, Long>>` against `MapState<String, Long>`.
    Map,
    /// `ValueState<ArrayList<Long>>` against `ListState<Long>`.
    List,
}

impl StructurePair {
    /// The two job functions: the `ValueState` form first.
    pub fn functions(self) -> [JobFunction; 2] {
        match self {
            StructurePair::Map => [
                JobFunction::CategoryCountsInValue,
                JobFunction::CategoryCounts,
            ],
            StructurePair::List => [JobFunction::EventLogInValue, JobFunction::EventLog],
        }
    }
}

/// What one structure cost.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StructureCost {
    pub function: JobFunction,
    /// Keys with state at the end.
    pub keys: u64,
    /// Heap of the entries, keys and state objects (not the maps' bucket arrays), per key.
    pub heap_bytes_per_key: f64,
    /// Java objects per key: the `StateMapEntry` and the state object's own (container, array or table,
    /// nodes, key `String`s, uncached `Long`s).
    pub objects_per_key: f64,
    /// Bytes the last completed checkpoint wrote (Flink's checkpointed data size).
    pub bytes_per_checkpoint: u64,
    /// Entries copied on write while a checkpoint's asynchronous phase ran, on average per completed
    /// checkpoint.
    pub copies_per_checkpoint: f64,
    pub checkpoints: u64,
}

/// Events a comparison runs when the job's source is unbounded.
pub const DEFAULT_EVENTS: u64 = 10_000;

/// Runs `config` to its end once per structure of `pair` (the `ValueState` form first). A source without a bound
/// stops after [`DEFAULT_EVENTS`] events, one that emits nothing by itself (rate 0) emits 1,000 a second.
pub fn compare(config: &JobConfig, pair: StructurePair) -> Result<[StructureCost; 2], EngineError> {
    let mut config = config.clone();
    if config.source.replay.is_none() && config.source.max_events.is_none() {
        config.source.max_events = Some(DEFAULT_EVENTS);
    }
    if config.source.rate == 0 {
        config.source.rate = 1_000;
    }
    let [value_form, primitive] = pair.functions();
    Ok([cost(&config, value_form)?, cost(&config, primitive)?])
}

fn cost(config: &JobConfig, function: JobFunction) -> Result<StructureCost, EngineError> {
    let mut config = config.clone();
    config.function = function;
    let mut cluster = MiniCluster::new(config)?;
    cluster.run(RunLimit::steps(u64::MAX), &mut Milestones::default());
    let (mut keys, mut heap, mut java_objects) = (0u64, 0u64, 0u64);
    cluster.for_each_count(|_, _| keys += 1);
    cluster.for_each_object(|_, object| {
        keys += 1;
        java_objects += 1 + object.java_objects();
    });
    for task in cluster.tasks() {
        let b = task.backend().heap_breakdown();
        heap += b.entries + b.keys + b.values;
    }
    let completed: Vec<_> = cluster
        .coordinator()
        .history()
        .filter(|s| s.status == CheckpointStatus::Completed)
        .collect();
    let copies: u64 = completed
        .iter()
        .flat_map(|s| s.subtasks.iter().flatten())
        .map(|s| s.copy_on_write_copies)
        .sum();
    let per_key = |n: u64| {
        if keys == 0 {
            0.0
        } else {
            n as f64 / keys as f64
        }
    };
    Ok(StructureCost {
        function,
        keys,
        heap_bytes_per_key: per_key(heap),
        objects_per_key: per_key(java_objects),
        bytes_per_checkpoint: completed.last().map_or(0, |s| s.state_size()),
        copies_per_checkpoint: if completed.is_empty() {
            0.0
        } else {
            copies as f64 / completed.len() as f64
        },
        checkpoints: completed.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workload() -> JobConfig {
        let mut c = JobConfig::default();
        c.source.key_count = 200;
        c.source.max_events = Some(20_000);
        c.source.rate = 20_000;
        c.checkpointing.interval_ms = Some(100);
        // Slow writes: the asynchronous phase overlaps processing, and entries are copied on write.
        c.checkpointing.write_bytes_per_second = 200_000;
        c
    }

    #[test]
    fn on_the_heap_a_value_state_of_a_map_costs_what_a_map_state_costs() {
        let [value_form, map_state] = compare(&workload(), StructurePair::Map).unwrap();
        assert_eq!(value_form.function, JobFunction::CategoryCountsInValue);
        assert_eq!(map_state.function, JobFunction::CategoryCounts);
        assert_eq!(value_form.keys, 200);
        assert_eq!(map_state.keys, 200);
        // The same HashMap per key, serialized by the same MapSerializer: only the state's meta data in the
        // checkpoint's header differs (its kind, VALUE or MAP, and the serializer snapshot's nesting).
        assert_eq!(value_form.heap_bytes_per_key, map_state.heap_bytes_per_key);
        assert_eq!(value_form.objects_per_key, map_state.objects_per_key);
        assert!(
            value_form
                .bytes_per_checkpoint
                .abs_diff(map_state.bytes_per_checkpoint)
                <= 16
        );
        assert!(map_state.checkpoints >= 5, "{map_state:?}");
        // Four categories: a map of 4 nodes, each with its key String and byte[] (counts are small Longs until
        // they pass 127).
        assert!(
            map_state.objects_per_key > 1.0 + 2.0 + 4.0 * 3.0,
            "{map_state:?}"
        );
        assert!(map_state.copies_per_checkpoint > 0.0, "{map_state:?}");
    }

    #[test]
    fn on_the_heap_a_value_state_of_a_list_costs_what_a_list_state_costs() {
        let [value_form, list_state] = compare(&workload(), StructurePair::List).unwrap();
        assert_eq!(list_state.function, JobFunction::EventLog);
        assert_eq!(value_form.heap_bytes_per_key, list_state.heap_bytes_per_key);
        assert!(
            value_form
                .bytes_per_checkpoint
                .abs_diff(list_state.bytes_per_checkpoint)
                <= 16
        );
        // 100 events per key: an ArrayList, its array; amounts 1..=100 are cached Longs.
        assert_eq!(list_state.objects_per_key, 3.0);
        // The log grows with every event: a checkpoint writes 8 bytes per amount where the counts take a few
        // bytes per category (on the heap the cached Longs cost only their array slot).
        let [_, map_state] = compare(&workload(), StructurePair::Map).unwrap();
        assert!(list_state.bytes_per_checkpoint > 4 * map_state.bytes_per_checkpoint);
        assert!(list_state.copies_per_checkpoint > 0.0, "{list_state:?}");
    }
}
