//! `statelab heap`: the heap footprint of N keys and where the heap runs out.

use super::memory_flags::{MemoryFlag, MemoryFlags};
use super::{parse_value, print_json, CliError};
use serde_json::json;
use statelab::engine::heap_footprint::{HeapFootprint, ValueMode};
use statelab::engine::memory_size::MemorySize;
use statelab::engine::task_executor_memory::{derive, MemoryConfig, TaskManagerMemoryOptions};

/// More keys than this would take the simulation itself several GB.
const MAX_KEYS: u64 = 50_000_000;

struct HeapArgs {
    keys: u64,
    value_mode: ValueMode,
    max_parallelism: u32,
    parallelism: u32,
    memory: Option<MemoryConfig>,
    other_heap: MemorySize,
}

fn parse(args: Vec<std::ffi::OsString>) -> Result<HeapArgs, CliError> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let mut keys = None;
    let mut value_mode = ValueMode::Cached;
    let mut max_parallelism = 128;
    let mut parallelism = 1;
    let mut memory_flags = MemoryFlags::default();
    let mut other_heap = MemorySize::of_mebibytes(32);
    while let Some(arg) = parser.next()? {
        match arg {
            Long("jvm-heap") => memory_flags.set(MemoryFlag::JvmHeap, parser.value()?)?,
            Long("process-size") => memory_flags.set(MemoryFlag::ProcessSize, parser.value()?)?,
            Long("managed-size") => memory_flags.set(MemoryFlag::ManagedSize, parser.value()?)?,
            Long("keys") => keys = Some(parse_value::<u64>("--keys", parser.value()?)?),
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
            Long("other-heap") => other_heap = parse_value("--other-heap", parser.value()?)?,
            _ => return Err(arg.unexpected().into()),
        }
    }
    let keys = keys.ok_or_else(|| CliError::usage("--keys N is required"))?;
    if keys == 0 || keys > MAX_KEYS {
        return Err(CliError::usage(format!(
            "--keys must be between 1 and {MAX_KEYS}, not {keys}"
        )));
    }
    let memory = memory_flags.into_config()?;
    Ok(HeapArgs {
        keys,
        value_mode,
        max_parallelism,
        parallelism,
        memory,
        other_heap,
    })
}

pub fn run(args: Vec<std::ffi::OsString>) -> Result<(), CliError> {
    let a = parse(args)?;
    let new_probe = || {
        HeapFootprint::new(a.max_parallelism, a.parallelism, a.value_mode).map_err(CliError::failed)
    };
    let mut probe = new_probe()?;
    probe.insert(a.keys);
    let b = probe.breakdown();
    let mut report = json!({
        "keys": a.keys,
        "valueMode": a.value_mode,
        "maxParallelism": a.max_parallelism,
        "parallelism": a.parallelism,
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
    if let Some(memory) = &a.memory {
        let spec =
            derive(memory, &TaskManagerMemoryOptions::default()).map_err(CliError::failed)?;
        let limit = spec.jvm_heap().bytes();
        let mut oom = new_probe()?;
        let oom_at = oom.fill_until_out_of_memory(limit, a.other_heap.bytes(), MAX_KEYS);
        let object = report.as_object_mut().expect("built as an object");
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
                "components": components,
            }),
        );
        object.insert("heapLimit".into(), limit.into());
        object.insert("otherHeap".into(), a.other_heap.bytes().into());
        object.insert("oomAtKeys".into(), oom_at.into());
        if oom_at.is_none() {
            object.insert("oomSearchStoppedAtKeys".into(), MAX_KEYS.into());
        }
    }
    print_json(&report)
}
