//! Where keyed state lives: one JVM heap per TaskManager. In a cluster (`taskmanager.numberOfTaskSlots`, default 1)
//! the job's slots — one per subtask index, slot sharing puts subtask i of every operator into slot i — are
//! spread over ceil(slots / numberOfTaskSlots) TaskManagers, each its own JVM with its own heap and its own
//! `OutOfMemoryError`; in local execution (a MiniCluster in the IDE) one TaskManager holds every slot in one JVM.
//!
//! The jobs are built from JSON, as a user writes them, and observed through the engine's counters, failures and
//! golden trace.
#![cfg(not(target_arch = "wasm32"))]

use statelab::engine::checkpoint::checkpoint_blob::BlobReader;
use statelab::engine::cluster::engine_event::{EngineEvent, FailureCause, Milestones};
use statelab::engine::cluster::job_config::JobConfig;
use statelab::engine::cluster::job_status::JobStatus;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::history::golden_trace;
use statelab::engine::keys::java_key::JavaKey;
use statelab::engine::keys::key_group::KeyGroup;
use statelab::engine::keys::key_group_range_assignment::assign_to_key_group;
use statelab::engine::memory::memory_size::MemorySize;
use statelab::engine::tasks::subtask_index::SubtaskIndex;

/// A small cluster TaskManager: `process.size` 40m with small framework, metaspace and overhead options gives a
/// 16 MiB JVM heap (framework heap 4m + task heap 12m), so a heap fills after about 150,000 keys.
const SMALL_CLUSTER: &str = r#""memory": {"type": "process", "processSize": "40m", "managedSize": 0},
    "memoryOptions": {"frameworkHeap": "4m", "frameworkOffHeap": "4m", "networkMin": "4m",
                      "jvmMetaspace": "8m", "jvmOverheadMin": "8m", "jvmOverheadMax": "8m"},
    "otherHeapUsed": "1m""#;

/// A new key with every event, no checkpoints and no restarts: the job fails at its first `OutOfMemoryError`.
fn until_out_of_memory(parallelism: u32, memory: &str, extra: &str) -> JobConfig {
    let json = format!(
        r#"{{"parallelism": {parallelism},
            "source": {{"parallelism": 1, "rate": 1000000, "keyCount": 10000000,
                        "distribution": {{"type": "sequential"}}}},
            "network": {{"processingTimeNs": 100}},
            "checkpointing": {{"intervalMs": null}},
            "restartStrategy": {{"type": "none"}},
            {memory}{extra}}}"#
    );
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// Runs to the first `OutOfMemoryError`; returns the records processed before it (each a new key) and the failure.
fn run_to_out_of_memory(config: JobConfig) -> (u64, FailureCause, Option<SubtaskIndex>) {
    let mut cluster = MiniCluster::new(config).unwrap();
    let mut events = Milestones::default();
    cluster.run(RunLimit::UNLIMITED, &mut events);
    assert_eq!(cluster.status(), JobStatus::Failed);
    let (cause, subtask) = events
        .0
        .iter()
        .find_map(|e| match e {
            EngineEvent::TaskFailed { cause, subtask, .. } => Some((cause.clone(), *subtask)),
            _ => None,
        })
        .expect("a task failed");
    assert!(matches!(cause, FailureCause::OutOfMemory { .. }), "{cause}");
    (cluster.counters().records_processed, cause, subtask)
}

#[test]
fn parallelism_2_with_one_slot_per_task_manager_has_two_heaps_and_holds_twice_the_keys() {
    let (one, _, _) = run_to_out_of_memory(until_out_of_memory(1, SMALL_CLUSTER, ""));
    let (two, cause, _) = run_to_out_of_memory(until_out_of_memory(2, SMALL_CLUSTER, ""));
    let ratio = two as f64 / one as f64;
    eprintln!(
        "parallelism 1: {one} keys; parallelism 2 on two TaskManagers: {two} keys ({ratio:.3}×)"
    );
    assert!(
        one > 100_000,
        "a 16 MiB heap holds more than 100,000 keys: {one}"
    );
    // Two heaps of the same size: the first fills when each holds about half of the job's keys (key groups split
    // 64/64, the keys spread unevenly over them, so a little under twice).
    assert!((1.85..=2.0).contains(&ratio), "{ratio}");
    assert!(
        cause.to_string().contains("TaskManager"),
        "the error names the TaskManager: {cause}"
    );
}

#[test]
fn two_slots_per_task_manager_put_both_subtasks_into_one_heap() {
    let (one, _, _) = run_to_out_of_memory(until_out_of_memory(1, SMALL_CLUSTER, ""));
    let (shared, cause, _) = run_to_out_of_memory(until_out_of_memory(
        2,
        SMALL_CLUSTER,
        r#", "numberOfTaskSlots": 2"#,
    ));
    let ratio = shared as f64 / one as f64;
    eprintln!(
        "parallelism 2 in one TaskManager with 2 slots: {shared} keys ({ratio:.3}× one subtask's)"
    );
    // One heap for both: about the keys one subtask alone held (a little less: two backends' empty maps).
    assert!((0.97..=1.01).contains(&ratio), "{ratio}");
    assert!(cause.to_string().contains("TaskManager 0"), "{cause}");
}

#[test]
fn local_execution_runs_every_subtask_in_one_jvm_heap() {
    // The same 16 MiB of heap as -Xmx of a local run.
    let local = r#""memory": {"type": "local", "jvmHeap": "16m"}, "otherHeapUsed": "1m""#;
    let (one, _, _) = run_to_out_of_memory(until_out_of_memory(1, local, ""));
    // numberOfTaskSlots is a cluster option: locally one TaskManager has as many slots as the job needs.
    let (four, cause, _) = run_to_out_of_memory(until_out_of_memory(4, local, ""));
    let ratio = four as f64 / one as f64;
    assert!((0.95..=1.01).contains(&ratio), "{ratio}");
    assert!(cause.to_string().contains("TaskManager 0"), "{cause}");
    let trace = {
        let mut cluster = MiniCluster::new(until_out_of_memory(4, local, "")).unwrap();
        cluster.run(RunLimit::records(10), &mut Milestones::default());
        golden_trace::trace(&cluster)
    };
    assert!(
        trace.contains("local execution: 1 TaskManager with 4 slots in one JVM"),
        "{trace}"
    );
}

#[test]
fn the_out_of_memory_error_fails_the_task_in_the_task_manager_whose_heap_ran_out() {
    // Only keys of subtask 1's key groups (64–127): TaskManager 1's heap fills, TaskManager 0's stays empty.
    let keys: Vec<String> = (0..400_000)
        .map(|i| format!("user-{i}"))
        .filter(|k| assign_to_key_group(&JavaKey::String(k.clone()), 128) >= KeyGroup::new(64))
        .take(100_000)
        .collect();
    let mut config = until_out_of_memory(2, SMALL_CLUSTER, "");
    config.source.replay = Some(keys.clone());
    // 8 MiB of each heap for state: about 75,000 keys.
    config.other_heap_used = MemorySize::of_mebibytes(8);
    let (processed, cause, subtask) = run_to_out_of_memory(config.clone());
    assert!(processed < keys.len() as u64, "the heap ran out first");
    assert_eq!(subtask, Some(SubtaskIndex::new(1)));
    assert!(cause.to_string().contains("TaskManager 1"), "{cause}");

    // The first TaskManager's heap, still holding only the other heap, is not the one that failed.
    let mut cluster = MiniCluster::new(config).unwrap();
    cluster.run(RunLimit::records(processed - 1), &mut Milestones::default());
    let trace = golden_trace::trace(&cluster);
    let state_of = |tm: &str| -> u64 {
        let line = trace
            .lines()
            .find(|l| l.starts_with(&format!("  TaskManager {tm} (")))
            .unwrap_or_else(|| panic!("no heap line for TaskManager {tm}: {trace}"));
        let after = &line[line.find("state ").expect("state") + 6..];
        after[..after.find(' ').unwrap()].parse().unwrap()
    };
    // TaskManager 0 holds only its empty maps (64 key groups); TaskManager 1 is nearly full.
    assert!(state_of("0") < 100_000, "{trace}");
    assert!(state_of("1") > 7 << 20, "{trace}");
}

#[test]
fn slots_follow_slot_sharing_and_fill_task_managers_in_order() {
    // Four source subtasks and three keyed ones: four slots (subtask i of each operator in slot i), two per
    // TaskManager.
    let config: JobConfig = serde_json::from_str(
        r#"{"parallelism": 3, "numberOfTaskSlots": 2,
            "source": {"parallelism": 4, "maxEvents": 1000}}"#,
    )
    .unwrap();
    let mut cluster = MiniCluster::new(config).unwrap();
    cluster.run(RunLimit::UNLIMITED, &mut Milestones::default());
    let trace = golden_trace::trace(&cluster);
    for line in [
        "slots: 4 (slot sharing: subtask i of every operator in slot i) on 2 TaskManagers with taskmanager.numberOfTaskSlots 2",
        "  subtask 0 in TaskManager 0, slot 0:",
        "  subtask 1 in TaskManager 0, slot 1:",
        "  subtask 2 in TaskManager 1, slot 0:",
        "  TaskManager 0 (slot 0: subtask 0, slot 1: subtask 1): state",
        "  TaskManager 1 (slot 0: subtask 2, slot 1: source 3 only): state",
    ] {
        assert!(trace.contains(line), "{line}\n{trace}");
    }
}

#[test]
fn number_of_task_slots_is_optional_in_json_and_left_out_when_default() {
    let config: JobConfig = serde_json::from_str(r#"{"parallelism": 2}"#).unwrap();
    let json = serde_json::to_value(&config).unwrap();
    assert!(json.get("numberOfTaskSlots").is_none(), "{json}");
    let with: JobConfig = serde_json::from_str(r#"{"numberOfTaskSlots": 4}"#).unwrap();
    let json = serde_json::to_value(&with).unwrap();
    assert_eq!(json["numberOfTaskSlots"], 4);
    let back: JobConfig = serde_json::from_value(json).unwrap();
    assert_eq!(back, with);
    assert_ne!(back, config);

    for (slots, message) in [
        (
            0,
            "taskmanager.numberOfTaskSlots : 0 - Number of task slots must be at least one.",
        ),
        (1025, "taskmanager.numberOfTaskSlots"),
    ] {
        let bad: JobConfig =
            serde_json::from_str(&format!(r#"{{"numberOfTaskSlots": {slots}}}"#)).unwrap();
        let err = bad.validate().unwrap_err().to_string();
        assert!(err.contains(message), "{err}");
    }
}

#[test]
fn golden_blobs_written_before_task_slots_existed_open_with_one_slot_and_keep_their_bytes() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/blobs");
    let mut opened = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "slcp") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let reader = BlobReader::open(&bytes).unwrap();
        // Format version 2 came after task slots.
        if reader.version() != 1 {
            continue;
        }
        let job = &reader.metadata().job;
        let json = serde_json::to_value(job).unwrap();
        assert!(
            json.get("numberOfTaskSlots").is_none(),
            "{}",
            path.display()
        );
        // A job started from it runs its subtasks on one TaskManager each, as the default cluster does.
        let cluster = MiniCluster::from_blob(&bytes, None, &mut Milestones::default()).unwrap();
        let trace = golden_trace::trace(&cluster);
        assert!(
            trace.contains("with taskmanager.numberOfTaskSlots 1"),
            "{}: {trace}",
            path.display()
        );
        opened += 1;
    }
    assert_eq!(opened, 4);
}
