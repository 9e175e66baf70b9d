//! `statelab heap`: the heap footprint of N keys, and how many keys fit into a TaskManager's heap.

use super::memory_flags::{MemoryFlag, MemoryFlags, LOCAL_HAS_NO_TASK_SLOTS};
use super::{parse_value, print_json, CliError};
use serde_json::json;
use statelab::engine::cluster::slot_sharing_group::SlotSharingGroup;
use statelab::engine::memory::heap_capacity::{plan, CapacityQuestion, ExactBudget, Method};
use statelab::engine::memory::heap_footprint::{HeapFootprint, ValueMode};
use statelab::engine::memory::memory_size::MemorySize;
use statelab::engine::memory::state_footprint::{measure, StateWorkload};
use statelab::engine::memory::task_executor_memory::{
    derive, MemoryConfig, TaskManagerMemoryOptions,
};

/// More keys than this would take the simulation itself several GB.
const MAX_KEYS: u64 = 50_000_000;

struct HeapArgs {
    keys: Option<u64>,
    /// `--state`: a primitive other than the counter's `ValueState` (whose own options are `--value-mode`).
    state: Option<StateWorkload>,
    value_mode: ValueMode,
    max_parallelism: u32,
    parallelism: u32,
    memory: Option<MemoryConfig>,
    /// `taskmanager.numberOfTaskSlots` of cluster TaskManagers.
    task_slots: u32,
    other_heap: MemorySize,
    exact: bool,
}

/// `--exact`: key by key however many keys, with at most this much bookkeeping (about a byte per key).
const EXACT_MAX_BYTES: u64 = 1 << 30;

fn parse(args: Vec<std::ffi::OsString>) -> Result<HeapArgs, CliError> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let mut keys = None;
    let mut state = None;
    let mut value_mode = ValueMode::Cached;
    let mut max_parallelism = 128;
    let mut parallelism = 1;
    let mut memory_flags = MemoryFlags::default();
    let mut other_heap = MemorySize::of_mebibytes(32);
    let mut exact = false;
    let mut task_slots = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("exact") => exact = true,
            Long("jvm-heap") => memory_flags.set(MemoryFlag::JvmHeap, parser.value()?)?,
            Long("process-size") => memory_flags.set(MemoryFlag::ProcessSize, parser.value()?)?,
            Long("managed-size") => memory_flags.set(MemoryFlag::ManagedSize, parser.value()?)?,
            Long("keys") => keys = Some(parse_value::<u64>("--keys", parser.value()?)?),
            Long("state") => {
                let name = parser.value()?.to_string_lossy().into_owned();
                match name.parse::<StateWorkload>() {
                    Ok(StateWorkload::Value { distinct }) => {
                        value_mode = if distinct {
                            ValueMode::Distinct
                        } else {
                            ValueMode::Cached
                        };
                    }
                    Ok(workload) => state = Some(workload),
                    Err(e) => return Err(CliError::usage(format!("--state {e}"))),
                }
            }
            Long("value-mode") => {
                value_mode = match parser.value()?.to_string_lossy().as_ref() {
                    "cached" => ValueMode::Cached,
                    "distinct" => ValueMode::Distinct,
                    other => {
                        return Err(CliError::usage(format!(
                            "--value-mode '{other}': use cached or distinct"
                        )))
                    }
                }
            }
            Long("max-parallelism") => {
                max_parallelism = parse_value("--max-parallelism", parser.value()?)?
            }
            Long("parallelism") => parallelism = parse_value("--parallelism", parser.value()?)?,
            Long("task-slots") => {
                let slots: u32 = parse_value("--task-slots", parser.value()?)?;
                if slots == 0 {
                    return Err(CliError::usage(
                        "--task-slots must be at least 1 (Number of task slots must be at least one.)",
                    ));
                }
                task_slots = Some(slots);
            }
            Long("other-heap") => other_heap = parse_value("--other-heap", parser.value()?)?,
            _ => return Err(arg.unexpected().into()),
        }
    }
    if let Some(keys) = keys.filter(|&k| k == 0 || k > MAX_KEYS) {
        return Err(CliError::usage(format!(
            "--keys must be between 1 and {MAX_KEYS}, not {keys}"
        )));
    }
    let memory = memory_flags.into_config()?;
    if keys.is_none() && memory.is_none() {
        return Err(CliError::usage(
            "give --keys N, a heap (--process-size SIZE or --jvm-heap SIZE), or both",
        ));
    }
    match (&memory, task_slots) {
        (Some(MemoryConfig::Local { .. }), Some(_)) => {
            return Err(CliError::usage(LOCAL_HAS_NO_TASK_SLOTS))
        }
        (None, Some(_)) => {
            return Err(CliError::usage(
                "--task-slots goes with a cluster TaskManager's heap (--process-size SIZE)",
            ))
        }
        _ => {}
    }
    if state.is_some() && (memory.is_some() || keys.is_none()) {
        return Err(CliError::usage(
            "--state list:N, map:N, reducing or aggregating goes with --keys N; how many keys fit into a heap \
             is answered for the value state",
        ));
    }
    if exact && memory.is_none() {
        return Err(CliError::usage(
            "--exact goes with a heap (--process-size SIZE or --jvm-heap SIZE)",
        ));
    }
    Ok(HeapArgs {
        keys,
        state,
        value_mode,
        max_parallelism,
        parallelism,
        memory,
        task_slots: task_slots.unwrap_or(1),
        other_heap,
        exact,
    })
}

pub fn run(args: Vec<std::ffi::OsString>) -> Result<(), CliError> {
    let a = parse(args)?;
    if let (Some(workload), Some(keys)) = (a.state, a.keys) {
        let f =
            measure(workload, keys, a.max_parallelism, a.parallelism).map_err(CliError::failed)?;
        let b = f.breakdown;
        return print_json(&json!({
            "state": workload.to_string(),
            "maxParallelism": a.max_parallelism,
            "parallelism": a.parallelism,
            "keys": keys,
            "stateBytes": f.state_bytes,
            "emptyBytes": f.empty_bytes,
            "bytesPerKey": (f.bytes_per_key() * 100.0).round() / 100.0,
            "breakdown": {
                "entries": b.entries,
                "keys": b.keys,
                "values": b.values,
                "bucketArrays": b.tables,
                "mapObjects": b.fixed,
                "timers": f.timer_bytes,
            },
        }));
    }
    let mut report = json!({
        "valueMode": a.value_mode,
        "maxParallelism": a.max_parallelism,
        "parallelism": a.parallelism,
    });
    let object = report.as_object_mut().expect("built as an object");
    if let Some(keys) = a.keys {
        let mut probe = HeapFootprint::new(a.max_parallelism, a.parallelism, a.value_mode)
            .map_err(CliError::failed)?;
        probe.insert(keys);
        let b = probe.breakdown();
        let footprint = json!({
            "keys": keys,
            "stateBytes": probe.state_bytes(),
            "emptyBytes": probe.empty_bytes(),
            "bytesPerKey": (probe.bytes_per_key() * 100.0).round() / 100.0,
            "breakdown": {
                "entries": b.entries,
                "keys": b.keys,
                "values": b.values,
                "bucketArrays": b.tables,
                "mapObjects": b.fixed,
            },
            "mapsRehashing": probe.maps_rehashing(),
            "mapCapacities": probe.capacities().iter().map(|(c, n)| json!({"capacity": c, "maps": n})).collect::<Vec<_>>(),
        });
        object.extend(footprint.as_object().expect("built as an object").clone());
    }
    if let Some(memory) = &a.memory {
        let spec =
            derive(memory, &TaskManagerMemoryOptions::default()).map_err(CliError::failed)?;
        let limit = spec.jvm_heap().bytes();
        let components: Vec<serde_json::Value> = spec
            .components()
            .iter()
            .map(|c| json!({"name": c.name, "configKey": c.config_key, "bytes": c.size.bytes(), "onHeap": c.on_heap}))
            .collect();
        object.insert(
            "memory".into(),
            json!({
                "mode": spec.mode,
                "totalProcessBytes": spec.total_process.bytes(),
                "totalFlinkBytes": spec.total_flink.bytes(),
                "jvmHeapBytes": spec.jvm_heap().bytes(),
                "jvmParameters": spec.jvm_parameters(),
                "components": components,
            }),
        );
        // A cluster: `--task-slots` keyed subtasks per TaskManager (1 by default), each TaskManager with this heap.
        // Local execution: every subtask in the one JVM.
        let slots = SlotSharingGroup::new(spec.mode, 1, a.parallelism, a.task_slots);
        let question = CapacityQuestion {
            value_mode: a.value_mode,
            subtasks_per_task_manager: slots.subtasks_per_task_manager(),
            ..CapacityQuestion::counter(
                a.max_parallelism,
                a.parallelism,
                limit,
                a.other_heap.bytes(),
            )
        };
        let budget = if a.exact {
            ExactBudget {
                max_keys: u64::MAX,
                max_bytes: EXACT_MAX_BYTES,
            }
        } else {
            ExactBudget::default()
        };
        let answer = plan(&question, budget).map_err(CliError::failed)?;
        if a.exact && answer.method != Method::Exact {
            return Err(CliError::failed(format!(
                "an exact answer for this heap needs more than {} MiB of bookkeeping; without --exact the \
                 estimate answers at once",
                EXACT_MAX_BYTES >> 20
            )));
        }
        object.insert("heapLimit".into(), limit.into());
        object.insert("otherHeap".into(), a.other_heap.bytes().into());
        object.insert("executionMode".into(), json!(spec.mode));
        object.insert("taskSlots".into(), slots.slots_per_task_manager.into());
        object.insert("taskManagers".into(), answer.task_managers.into());
        object.insert(
            "subtasksPerTaskManager".into(),
            question.subtasks_per_task_manager.into(),
        );
        object.insert(
            "oomAtKeys".into(),
            answer.out_of_memory.map(|oom| oom.keys).into(),
        );
        object.insert("keysThatFit".into(), answer.keys_that_fit().into());
        object.insert(
            "oomTaskManager".into(),
            answer.out_of_memory.map(|oom| oom.task_manager).into(),
        );
        object.insert("oomMethod".into(), json!(answer.method));
    }
    print_json(&report)
}
