//! The TaskManager memory layout against real Apache Flink 2.3.0 (`flink_memory_layout.csv`, written by
//! `tools/flink-memory/run.sh` from Flink's own `TaskExecutorProcessUtils.processSpecFromConfig`): for every
//! process size in it (1g to 64g: every 64m, the clamp edges and 400 arbitrary byte counts), with and without
//! `taskmanager.memory.managed.size: 0`, every component and the JVM flags must agree to the byte.

use statelab::engine::memory::memory_size::MemorySize;
use statelab::engine::memory::task_executor_memory::{
    derive, MemoryConfig, TaskExecutorProcessSpec, TaskManagerMemoryOptions,
};

const CSV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/groundtruth/flink_memory_layout.csv"
);

/// The columns of the CSV, in order, as the engine computes them.
fn engine_row(spec: &TaskExecutorProcessSpec) -> Vec<String> {
    let mut row: Vec<String> = [
        spec.jvm_overhead,
        spec.jvm_metaspace,
        spec.total_flink,
        spec.framework_heap,
        spec.task_heap,
        spec.framework_off_heap,
        spec.task_off_heap,
        spec.managed,
        spec.network,
        spec.jvm_heap(),
        spec.jvm_direct(),
    ]
    .iter()
    .map(|size| size.bytes().to_string())
    .collect();
    row.push(spec.jvm_parameters());
    row
}

#[test]
fn every_process_size_from_1g_to_64g_derives_flinks_exact_layout() {
    let text = std::fs::read_to_string(CSV).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        header,
        [
            "process_bytes",
            "managed_size_option",
            "jvm_overhead",
            "jvm_metaspace",
            "total_flink",
            "framework_heap",
            "task_heap",
            "framework_off_heap",
            "task_off_heap",
            "managed",
            "network",
            "jvm_heap",
            "jvm_direct",
            "jvm_parameters"
        ]
    );
    let options = TaskManagerMemoryOptions::default();
    let (mut rows, mut zero_managed, mut mismatches) = (0, 0, Vec::new());
    let (mut smallest, mut largest) = (u64::MAX, 0);
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        let process_bytes: u64 = fields[0].parse().unwrap();
        let managed_size = match fields[1] {
            "" => None,
            size => Some(MemorySize::of_bytes(size.parse().unwrap())),
        };
        zero_managed += usize::from(managed_size.is_some());
        let config = MemoryConfig::Process {
            process_size: MemorySize::of_bytes(process_bytes),
            managed_size,
        };
        let spec = derive(&config, &options).unwrap_or_else(|e| panic!("{config:?}: {e}"));
        assert_eq!(spec.total_process.bytes(), process_bytes);
        let engine = engine_row(&spec);
        if engine != fields[2..] {
            mismatches.push(format!(
                "{process_bytes} (managed {:?}):\n  flink  {}\n  engine {}",
                fields[1],
                fields[2..].join(","),
                engine.join(",")
            ));
        }
        rows += 1;
        smallest = smallest.min(process_bytes);
        largest = largest.max(process_bytes);
    }
    assert!(
        mismatches.is_empty(),
        "{} of {rows} rows differ from Flink, e.g.\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(5)].join("\n")
    );
    assert!(rows > 2000, "{rows} rows");
    assert_eq!(zero_managed * 2, rows);
    assert_eq!((smallest, largest), (1 << 30, 64 << 30));
}
