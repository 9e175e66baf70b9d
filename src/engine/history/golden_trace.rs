//! Running a job to its natural end and its golden trace, in the manner of Monedula's Kafka simulator: a
//! readable account of how the run ended, computed from the final state of the cluster alone, so the page
//! produces the same text however it chunked the run. Not a Flink concept. The presets that run this way are
//! StateLab's teaching data (`teaching::presets`); `tests/scenarios.rs` keeps one trace per preset in
//! `tests/data/scenarios/`.

use crate::engine::checkpoint::checkpoint_coordinator::CheckpointStatus;
use crate::engine::cluster::engine_event::Reporter;
use crate::engine::cluster::job_command::CommandTrigger;
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::cluster::run_limit::RunLimit;
use crate::engine::keys::key_registry::KeyId;
use crate::engine::memory::task_executor_memory::ExecutionMode;
use crate::engine::source::key_distribution::KeySampler;
use std::collections::BTreeMap;
use std::fmt::Write;

/// More steps than any preset takes: a bound, should a change to the engine make one run forever.
pub const MAX_STEPS: u64 = 50_000_000;

/// Runs a job until nothing is left to do (or [`MAX_STEPS`] steps were taken).
pub fn run_to_end<R: Reporter>(cluster: &mut MiniCluster, r: &mut R) {
    cluster.run(RunLimit::steps(MAX_STEPS), r);
}

/// How often each key occurs in the job's input: the generated events of a bounded source plus the keys typed
/// into it. `None` when that is not known: an unbounded source, or a job started from a blob.
pub fn occurrences(cluster: &MiniCluster) -> Option<BTreeMap<KeyId, u64>> {
    let config = cluster.config();
    let keys = cluster.keys();
    let mut by_key: BTreeMap<KeyId, u64> = BTreeMap::new();
    match config.replay_keys().ok()? {
        Some(list) => {
            for key in list {
                *by_key.entry(keys.find(&key)?).or_default() += 1;
            }
        }
        None => {
            let limit = config.source.max_events?;
            let sampler = KeySampler::new(
                config.seed,
                config.source.key_count,
                &config.source.distribution,
            );
            let mut by_index: BTreeMap<u64, u64> = BTreeMap::new();
            for event in 0..limit {
                *by_index.entry(sampler.sample(event)).or_default() += 1;
            }
            let format = keys.format();
            for (index, n) in by_index {
                *by_key.entry(keys.find(&format.key(index))?).or_default() += n;
            }
        }
    }
    for source in cluster.sources() {
        for key in source.split().injected_keys()? {
            *by_key.entry(key).or_default() += 1;
        }
    }
    Some(by_key)
}

/// The golden trace of a finished run: status, attempts, checkpoint history, failures, the final layout,
/// counters, the sink, the counts against the input and the fingerprint. Integers only, nothing from a hash
/// map's order: the same on every platform.
pub fn trace(cluster: &MiniCluster) -> String {
    let mut t = String::new();
    let c = cluster.counters();
    let _ = writeln!(t, "status: {:?}", cluster.status());
    let _ = writeln!(t, "simulated time: {} ns", cluster.now());
    let _ = writeln!(
        t,
        "attempt: {} (restarts after failures: {})",
        cluster.attempt(),
        c.restarts
    );
    let _ = writeln!(
        t,
        "counters: steps {} · emitted {} · processed {} · processElement calls {} · checkpoints completed {} · \
         checkpoints failed {}",
        c.steps,
        c.records_emitted,
        c.records_processed,
        c.process_element_calls,
        c.checkpoints_completed,
        c.checkpoints_failed
    );
    let _ = writeln!(
        t,
        "parallelism: {} of maxParallelism {} (source parallelism {})",
        cluster.parallelism(),
        cluster.max_parallelism(),
        cluster.source_parallelism()
    );
    let slots = cluster.slot_sharing();
    let _ = write!(
        t,
        "slots: {} (slot sharing: subtask i of every operator in slot i)",
        slots.slots
    );
    let _ = match slots.mode {
        ExecutionMode::Cluster => writeln!(
            t,
            " on {} TaskManagers with taskmanager.numberOfTaskSlots {}",
            slots.task_managers, slots.slots_per_task_manager
        ),
        ExecutionMode::Local => writeln!(
            t,
            " — local execution: 1 TaskManager with {} slots in one JVM",
            slots.slots
        ),
    };
    for task in cluster.tasks() {
        let range = task.backend().key_group_range();
        let slot = slots.slot_of(task.index().into());
        let _ = writeln!(
            t,
            "  subtask {} in TaskManager {}, slot {}: key groups {}-{} · {} entries · {} records processed",
            task.index(),
            slots.task_manager_of_slot(slot),
            slots.slot_in_task_manager(slot),
            range.start_key_group(),
            range.end_key_group(),
            task.backend().num_key_value_state_entries(),
            task.records_processed()
        );
    }
    let _ = writeln!(t, "heap (each TaskManager's own):");
    for heap in cluster.heap_usages() {
        let held: Vec<String> = slots
            .slots_of(heap.task_manager)
            .map(|slot| {
                let within = slots.slot_in_task_manager(slot);
                if slot < slots.parallelism {
                    format!("slot {within}: subtask {slot}")
                } else {
                    format!("slot {within}: source {slot} only")
                }
            })
            .collect();
        let _ = writeln!(
            t,
            "  TaskManager {} ({}): state {} B · peak {} B · limit {} B",
            heap.task_manager,
            held.join(", "),
            heap.state,
            heap.peak,
            heap.limit
        );
    }
    let _ = writeln!(t, "checkpoints (as the coordinator keeps them):");
    for stats in cluster.coordinator().history() {
        let status = match &stats.status {
            CheckpointStatus::InProgress => "IN_PROGRESS".to_owned(),
            CheckpointStatus::Completed => "COMPLETED".to_owned(),
            CheckpointStatus::Failed(reason) => format!("FAILED ({reason})"),
        };
        let end = stats
            .end_time
            .map_or_else(|| "-".to_owned(), |e| format!("{e} ns"));
        let _ = writeln!(
            t,
            "  #{} {status}{} · triggered {} ns · ended {end} · {} B · acknowledged {}/{}",
            stats.checkpoint_id,
            if stats.manual { " (manual)" } else { "" },
            stats.trigger_time,
            stats.state_size(),
            stats.acknowledged_subtasks(),
            stats.subtasks.len()
        );
    }
    let retained: Vec<String> = cluster
        .coordinator()
        .store()
        .all()
        .map(|cp| format!("#{} ({} entries)", cp.checkpoint_id, cp.entries()))
        .collect();
    let _ = writeln!(t, "retained: {}", list_or_none(&retained));
    let _ = writeln!(t, "failures:");
    for e in cluster.exception_history() {
        let subtask = e
            .subtask
            .map_or_else(|| "the job".to_owned(), |s| format!("subtask {s}"));
        let _ = writeln!(
            t,
            "  {} ns · attempt {} · {subtask}: {}",
            e.time, e.attempt, e.cause
        );
    }
    if cluster.script().len() > 0 {
        let _ = writeln!(t, "script:");
        for (scheduled, fired) in cluster.script() {
            let _ = writeln!(
                t,
                "  {} {}: {}",
                if fired { "fired" } else { "not fired" },
                describe_trigger(scheduled.at),
                scheduled.command.describe()
            );
        }
    }
    let sink = cluster.sink();
    let _ = writeln!(
        t,
        "sink: {} records written · {} duplicates ({} before any restore) · {} gaps",
        sink.written(),
        sink.duplicates(),
        sink.duplicates_before_any_restore(),
        sink.gaps()
    );
    let function = cluster.config().function;
    if !function.is_counter() {
        write_function_state(&mut t, cluster);
        let _ = writeln!(
            t,
            "fingerprint: {}",
            crate::engine::history::fingerprint::fingerprint(cluster)
        );
        return t;
    }
    let counts = cluster.counts();
    let total: i64 = counts.iter().map(|(_, v)| v).sum();
    let _ = writeln!(t, "state: {} keys, counts summing to {total}", counts.len());
    match occurrences(cluster).filter(|_| cluster.status() == JobStatus::Finished) {
        Some(expected) => write_count_check(&mut t, cluster, &counts, &expected),
        None => {
            let _ = writeln!(
                t,
                "counts against the input: not known (the job did not read a bounded input to the end)"
            );
        }
    }
    let _ = writeln!(
        t,
        "fingerprint: {}",
        crate::engine::history::fingerprint::fingerprint(cluster)
    );
    t
}

/// The state of a job function other than the counter: its keys and what their state adds up to, and a digest
/// of every key's state.
fn write_function_state(t: &mut String, cluster: &MiniCluster) {
    let function = cluster.config().function;
    let _ = writeln!(
        t,
        "function: {} ({}, state \"{}\")",
        function.id(),
        function.class_name(),
        function.state_name()
    );
    let pending: usize = cluster
        .tasks()
        .iter()
        .map(|t| t.backend().num_timers())
        .sum();
    if pending > 0 || cluster.counters().timers_fired > 0 {
        let _ = writeln!(
            t,
            "timers: {} fired · {pending} pending",
            cluster.counters().timers_fired
        );
    }
    let longs = cluster.counts();
    let objects = cluster.state_objects();
    let mut text = String::new();
    for (key, v) in &longs {
        let _ = write!(text, " {}={v}", cluster.keys().display(*key));
    }
    text.push_str(&crate::engine::history::fingerprint::objects_text(cluster));
    let _ = writeln!(
        t,
        "state: {} keys · digest of every key's state {:016x}",
        longs.len() + objects.len(),
        crate::engine::history::fingerprint::fnv1a(&text)
    );
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

fn describe_trigger(at: CommandTrigger) -> String {
    match at {
        CommandTrigger::AfterRecords { records } => format!("after record {records}"),
        CommandTrigger::AtTime { ms } => format!("at {ms} ms"),
        CommandTrigger::AfterCheckpoint { checkpoint_id } => {
            format!("after checkpoint {checkpoint_id} completed")
        }
    }
}

/// Per key: the final count against the number of events that carried the key.
fn write_count_check(
    t: &mut String,
    cluster: &MiniCluster,
    counts: &[(KeyId, i64)],
    expected: &BTreeMap<KeyId, u64>,
) {
    const LISTED: usize = 10;
    let counted: BTreeMap<KeyId, i64> = counts.iter().copied().collect();
    let (mut exact, mut over, mut under, mut missing, mut extra) =
        (0, Vec::new(), Vec::new(), 0, 0);
    let (mut excess, mut shortfall) = (0i64, 0i64);
    for (key, n) in expected {
        let n = *n as i64;
        match counted.get(key) {
            None => missing += 1,
            Some(&count) if count == n => exact += 1,
            Some(&count) if count > n => {
                excess += count - n;
                over.push((*key, count - n));
            }
            Some(&count) => {
                shortfall += n - count;
                under.push((*key, n - count));
            }
        }
    }
    for key in counted.keys() {
        if !expected.contains_key(key) {
            extra += 1;
        }
    }
    let _ = writeln!(
        t,
        "counts against the input ({} keys): {exact} exact · {} over by {excess} in total · {} under by \
         {shortfall} in total · {missing} missing · {extra} never sent",
        expected.len(),
        over.len(),
        under.len()
    );
    for (label, sign, list) in [("over", '+', &over), ("under", '-', &under)] {
        if list.is_empty() {
            continue;
        }
        let shown: Vec<String> = list
            .iter()
            .take(LISTED)
            .map(|(key, d)| format!("{} {sign}{d}", cluster.keys().display(*key)))
            .collect();
        let more = list.len().saturating_sub(LISTED);
        let _ = writeln!(
            t,
            "  {label}: {}{}",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
}
