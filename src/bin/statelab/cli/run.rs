//! `statelab run`: the keyed counter job, headless.

use super::memory_flags::{MemoryFlag, MemoryFlags, LOCAL_HAS_NO_TASK_SLOTS};
use super::{parse_value, print_json, CliError};
use serde_json::json;
use statelab::engine::cluster::engine_event::RunSummary;
use statelab::engine::cluster::job_config::{
    CheckpointingMode, FailureTrigger, JobConfig, RestartStrategyConfig,
};
use statelab::engine::cluster::job_status::JobStatus;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::operator_id::{OperatorId, EVENT_COUNTER_UID};
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::functions::job_function::JobFunction;
use statelab::engine::memory::task_executor_memory::ExecutionMode;
use statelab::engine::savepoint::savepoint_writer::SavepointWriteError;
use statelab::engine::source::key_distribution::KeyDistribution;
use statelab::engine::state::heap::state_objects::StateValueObject;
use statelab::i18n::messages::savepoint as msg;

const NS_PER_MS: u64 = 1_000_000;
/// Printing every count of millions of keys helps nobody; `--counts` asks for them anyway.
const COUNTS_BY_DEFAULT_UP_TO: usize = 10_000;

pub(super) struct RunArgs {
    pub(super) config: JobConfig,
    pub(super) until_ms: Option<u64>,
    pub(super) all_counts: bool,
    /// Start from this checkpoint blob instead of from scratch (`flink run -s`).
    pub(super) restore: Option<std::path::PathBuf>,
    /// `--parallelism` given explicitly (restoring at another parallelism).
    parallelism: Option<u32>,
    /// Write the latest retained checkpoint here when the run ends.
    pub(super) checkpoint_out: Option<std::path::PathBuf>,
    /// Write a Flink 2.x canonical savepoint into this directory when the run ends.
    pub(super) savepoint_out: Option<std::path::PathBuf>,
    /// The uid of the counting operator: of a real Flink snapshot to restore, and of the savepoint written.
    pub(super) uid: Option<String>,
}

/// Flags that only say how to run, not which job: the ones `--restore` accepts.
const RUN_FLAGS: [&str; 7] = [
    "parallelism",
    "until-ms",
    "counts",
    "checkpoint-out",
    "savepoint-out",
    "uid",
    "restore",
];

/// For a command that takes run's job flags but does not run the job (`export-job`, `compare`): refuses a flag
/// only `statelab run` has, naming what `command` takes instead (`takes`).
pub(super) fn refuse_run_only_flags(
    a: &RunArgs,
    command: &str,
    takes: &str,
) -> Result<(), CliError> {
    let run_only = [
        ("--restore", a.restore.is_some()),
        ("--until-ms", a.until_ms.is_some()),
        ("--counts", a.all_counts),
        ("--checkpoint-out", a.checkpoint_out.is_some()),
        ("--savepoint-out", a.savepoint_out.is_some()),
        ("--uid", a.uid.is_some()),
    ];
    match run_only.iter().find(|(_, given)| *given) {
        Some((flag, _)) => Err(CliError::usage(format!(
            "{flag} is a flag of statelab run; {command} takes --config, the job flags and {takes}"
        ))),
        None => Ok(()),
    }
}

fn read_replay(path: &std::ffi::OsStr) -> Result<Vec<String>, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::failed(format!("--replay {}: {e}", path.to_string_lossy())))?;
    let mut lines = text.lines().peekable();
    // `index,key` CSV with a header (job_event_keys.csv), or one key per line.
    let csv = lines.peek().is_some_and(|h| h.trim() == "index,key");
    if csv {
        lines.next();
    }
    Ok(lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            if csv {
                l.split_once(',').map_or(l, |(_, k)| k).to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect())
}

fn parse_distribution(text: &str) -> Result<KeyDistribution, CliError> {
    let bad = || {
        CliError::usage(format!(
            "--distribution '{text}': use uniform, zipf:EXPONENT, hot:KEY:FRACTION or sequential"
        ))
    };
    let parts: Vec<&str> = text.split(':').collect();
    match parts.as_slice() {
        ["uniform"] => Ok(KeyDistribution::Uniform),
        ["sequential"] => Ok(KeyDistribution::Sequential),
        ["zipf", e] => Ok(KeyDistribution::Zipf {
            exponent: e.parse().map_err(|_| bad())?,
        }),
        ["hot", k, f] => Ok(KeyDistribution::HotKey {
            key: k.parse().map_err(|_| bad())?,
            fraction: f.parse().map_err(|_| bad())?,
        }),
        _ => Err(bad()),
    }
}

fn parse_restart(text: &str) -> Result<RestartStrategyConfig, CliError> {
    let bad = || {
        CliError::usage(format!(
            "--restart '{text}': use none, fixed-delay:ATTEMPTS:DELAY_MS, exponential-delay or failure-rate:MAX:INTERVAL_MS:DELAY_MS"
        ))
    };
    let parts: Vec<&str> = text.split(':').collect();
    let num = |s: &str| s.parse::<u64>().map_err(|_| bad());
    match parts.as_slice() {
        ["none"] => Ok(RestartStrategyConfig::None),
        ["fixed-delay"] => Ok(RestartStrategyConfig::fixed_delay_default()),
        ["fixed-delay", a, d] => Ok(RestartStrategyConfig::FixedDelay {
            attempts: u32::try_from(num(a)?).map_err(|_| bad())?,
            delay_ms: num(d)?,
        }),
        ["exponential-delay"] => Ok(RestartStrategyConfig::exponential_delay_default()),
        ["failure-rate"] => Ok(RestartStrategyConfig::failure_rate_default()),
        ["failure-rate", m, i, d] => Ok(RestartStrategyConfig::FailureRate {
            max_failures_per_interval: u32::try_from(num(m)?).map_err(|_| bad())?,
            failure_rate_interval_ms: num(i)?,
            delay_ms: num(d)?,
        }),
        _ => Err(bad()),
    }
}

/// The job `--config` and the job flags describe, and how to run it.
pub(super) fn parse(args: Vec<std::ffi::OsString>) -> Result<RunArgs, CliError> {
    use lexopt::prelude::*;
    // The config file comes first so that flags override it wherever they appear.
    let mut config = JobConfig::default();
    let mut rest = Vec::new();
    let mut iter = args.into_iter();
    while let Some(arg) = iter.next() {
        if arg == "--config" {
            let path = iter
                .next()
                .ok_or_else(|| CliError::usage("--config needs a file"))?;
            let text = std::fs::read_to_string(&path).map_err(|e| {
                CliError::failed(format!("--config {}: {e}", path.to_string_lossy()))
            })?;
            config = serde_json::from_str(&text).map_err(|e| {
                CliError::failed(format!("--config {}: {e}", path.to_string_lossy()))
            })?;
        } else {
            rest.push(arg);
        }
    }
    let configured = config != JobConfig::default();
    let mut parser = lexopt::Parser::from_args(rest);
    let (mut until_ms, mut all_counts) = (None, false);
    let (mut restore, mut parallelism, mut checkpoint_out) = (None, None, None);
    let mut savepoint_out: Option<std::path::PathBuf> = None;
    let mut uid: Option<String> = None;
    let mut job_flag: Option<String> = configured.then(|| "config".to_owned());
    let mut memory_flags = MemoryFlags::default();
    let mut task_slots = None;
    while let Some(arg) = parser.next()? {
        if let Long(name) = &arg {
            if !RUN_FLAGS.contains(name) && job_flag.is_none() {
                job_flag = Some((*name).to_owned());
            }
        }
        match arg {
            Long("jvm-heap") => memory_flags.set(MemoryFlag::JvmHeap, parser.value()?)?,
            Long("process-size") => memory_flags.set(MemoryFlag::ProcessSize, parser.value()?)?,
            Long("managed-size") => memory_flags.set(MemoryFlag::ManagedSize, parser.value()?)?,
            Long("task-slots") => {
                let slots = parse_value("--task-slots", parser.value()?)?;
                config.number_of_task_slots = slots;
                task_slots = Some(slots);
            }
            Long("parallelism") => {
                let p = parse_value("--parallelism", parser.value()?)?;
                config.parallelism = p;
                parallelism = Some(p);
            }
            Long("restore") => restore = Some(parser.value()?.into()),
            Long("uid") => uid = Some(parser.value()?.to_string_lossy().into_owned()),
            Long("checkpoint-out") => checkpoint_out = Some(parser.value()?.into()),
            Long("savepoint-out") => savepoint_out = Some(parser.value()?.into()),
            Long("max-parallelism") => {
                config.max_parallelism = Some(parse_value("--max-parallelism", parser.value()?)?)
            }
            Long("source-parallelism") => {
                config.source.parallelism = parse_value("--source-parallelism", parser.value()?)?
            }
            Long("function") => {
                let v = parser.value()?.to_string_lossy().into_owned();
                config.function = JobFunction::from_id(&v).ok_or_else(|| {
                    let ids: Vec<&str> = JobFunction::ALL.iter().map(|f| f.id()).collect();
                    CliError::usage(format!("--function '{v}': use {}", ids.join(", ")))
                })?
            }
            Long("seed") => config.seed = parse_value("--seed", parser.value()?)?,
            Long("keys") => config.source.key_count = parse_value("--keys", parser.value()?)?,
            Long("rate") => config.source.rate = parse_value("--rate", parser.value()?)?,
            Long("events") => {
                config.source.max_events = Some(parse_value("--events", parser.value()?)?)
            }
            Long("until-ms") => until_ms = Some(parse_value::<u64>("--until-ms", parser.value()?)?),
            Long("distribution") => {
                config.source.distribution = parse_distribution(&parser.value()?.to_string_lossy())?
            }
            Long("replay") => config.source.replay = Some(read_replay(&parser.value()?)?),
            Long("checkpoint-interval") => {
                let v = parser.value()?;
                config.checkpointing.interval_ms = if v == "none" {
                    None
                } else {
                    Some(parse_value("--checkpoint-interval", v)?)
                };
            }
            Long("mode") => {
                config.checkpointing.mode = match parser.value()?.to_string_lossy().as_ref() {
                    "exactly-once" => CheckpointingMode::ExactlyOnce,
                    "at-least-once" => CheckpointingMode::AtLeastOnce,
                    other => {
                        return Err(CliError::usage(format!(
                            "--mode '{other}': use exactly-once or at-least-once"
                        )))
                    }
                }
            }
            Long("retained") => {
                config.checkpointing.retained = parse_value("--retained", parser.value()?)?
            }
            Long("restart") => {
                config.restart_strategy = Some(parse_restart(&parser.value()?.to_string_lossy())?)
            }
            Long("fail-at-call") => config.failures.push(FailureTrigger::ProcessElementCall {
                call: parse_value("--fail-at-call", parser.value()?)?,
            }),
            Long("fail-at-event") => config.failures.push(FailureTrigger::EventIndex {
                index: parse_value("--fail-at-event", parser.value()?)?,
            }),
            Long("fail-at-ms") => config.failures.push(FailureTrigger::Time {
                ms: parse_value("--fail-at-ms", parser.value()?)?,
            }),
            Long("other-heap") => {
                config.other_heap_used = parse_value("--other-heap", parser.value()?)?
            }
            Long("counts") => all_counts = true,
            _ => return Err(arg.unexpected().into()),
        }
    }
    if let Some(memory) = memory_flags.into_config()? {
        config.memory = memory;
    }
    if task_slots.is_some() && config.memory.execution_mode() == ExecutionMode::Local {
        return Err(CliError::usage(LOCAL_HAS_NO_TASK_SLOTS));
    }
    // A real Flink snapshot holds state, not a job: the job comes from the flags. A StateLab blob holds both.
    let flink_snapshot = restore
        .as_deref()
        .is_some_and(super::savepoint::is_flink_snapshot);
    if let (Some(_), Some(flag), false) = (&restore, &job_flag, flink_snapshot) {
        return Err(CliError::usage(format!(
            "--{flag}: with --restore the job comes from the checkpoint; only --parallelism, --until-ms, \
             --counts, --checkpoint-out and --savepoint-out apply"
        )));
    }
    if uid.is_some() && !flink_snapshot && savepoint_out.is_none() {
        return Err(CliError::usage(
            "--uid names the counting operator of a real Flink snapshot given to --restore, or of the savepoint \
             --savepoint-out writes",
        ));
    }
    if let Some(dir) = &savepoint_out {
        check_savepoint_dir(dir)?;
        // Refused before the job runs, as a directory that is not empty is (a blob's job is known only later).
        if !config.function.is_counter() {
            let refusal = SavepointWriteError::Function {
                function: config.function.id(),
            };
            return Err(CliError::failed(msg::write_error(
                &refusal,
                super::savepoint::lang(),
            )));
        }
    }
    Ok(RunArgs {
        config,
        until_ms,
        all_counts,
        restore,
        parallelism,
        checkpoint_out,
        savepoint_out,
        uid,
    })
}

/// `--savepoint-out DIR` must be a new or empty directory: a savepoint never overwrites files.
fn check_savepoint_dir(dir: &std::path::Path) -> Result<(), CliError> {
    let empty = match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
        Err(e) => {
            return Err(CliError::failed(format!(
                "--savepoint-out {}: {e}",
                dir.display()
            )))
        }
    };
    if !empty {
        return Err(CliError::failed(msg::out_dir_not_empty(
            &dir.display().to_string(),
            super::savepoint::lang(),
        )));
    }
    Ok(())
}

/// `flink stop --savepointPath DIR`: the job's state as a Flink savepoint in `dir` (`_metadata` last, so a
/// directory with `_metadata` is complete). What was written, for the summary.
fn write_savepoint_dir(
    cluster: &MiniCluster,
    dir: &std::path::Path,
    uid: &str,
) -> Result<serde_json::Value, CliError> {
    let files = cluster.savepoint(uid).map_err(|e| {
        CliError::failed(format!(
            "--savepoint-out {}: {}",
            dir.display(),
            msg::write_error(&e, super::savepoint::lang())
        ))
    })?;
    check_savepoint_dir(dir)?;
    let io =
        |e: std::io::Error| CliError::failed(format!("--savepoint-out {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut bytes = 0;
    for (name, data) in &files {
        std::fs::write(dir.join(name), data).map_err(io)?;
        bytes += data.len();
    }
    Ok(json!({
        "path": dir.display().to_string(),
        "format": "canonical",
        "checkpointId": cluster.coordinator().next_checkpoint_id(),
        "uid": uid,
        "operatorId": OperatorId::from_uid(uid).to_string(),
        "parallelism": cluster.parallelism(),
        "maxParallelism": cluster.max_parallelism(),
        "files": files.len(),
        "bytes": bytes,
    }))
}

pub fn run(args: Vec<std::ffi::OsString>) -> Result<(), CliError> {
    let a = parse(args)?;
    // Counts and the most recent milestones only: memory stays flat however long the run.
    let mut events = RunSummary::default();
    let mut restored_from = None;
    let mut cluster = match &a.restore {
        Some(path) if super::savepoint::is_flink_snapshot(path) => {
            let uid = a.uid.as_deref().unwrap_or(EVENT_COUNTER_UID);
            let savepoint = super::savepoint::open(path, &[uid.to_owned()])?;
            let (cluster, loaded) =
                MiniCluster::from_savepoint(&savepoint, uid, a.config, a.parallelism, &mut events)
                    .map_err(|e| CliError::failed(format!("--restore {}: {e}", path.display())))?;
            restored_from = Some(json!({
                "flinkSnapshot": path.display().to_string(),
                "checkpointId": loaded.checkpoint.checkpoint_id,
                "uid": uid,
                "parallelism": loaded.parallelism,
                "maxParallelism": loaded.checkpoint.max_parallelism,
                "keys": loaded.entries,
                "operatorsLeftOut": loaded.other_operators,
            }));
            cluster
        }
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| CliError::failed(format!("--restore {}: {e}", path.display())))?;
            MiniCluster::from_blob(&bytes, a.parallelism, &mut events)
                .map_err(|e| CliError::failed(format!("--restore {}: {e}", path.display())))?
        }
        None => MiniCluster::new(a.config).map_err(CliError::failed)?,
    };
    let source = &cluster.config().source;
    if a.until_ms.is_none() {
        if source.rate == 0 {
            return Err(CliError::usage(
                "the source emits nothing by itself (rate 0), so the job would never finish: pass --until-ms T \
                 to run it for T ms of simulated time",
            ));
        }
        if source.replay.is_none() && source.max_events.is_none() {
            return Err(CliError::usage(
                "the source is unbounded: pass --events N, --replay FILE or --until-ms T",
            ));
        }
    }
    let limit = a.until_ms.map_or(RunLimit::UNLIMITED, |ms| {
        RunLimit::until(ms.saturating_mul(NS_PER_MS))
    });
    cluster.run(limit, &mut events);

    let function = cluster.config().function;
    let counts = cluster.counts();
    let objects = cluster.state_objects();
    let keys_in_state = counts.len() + objects.len();
    let show_all = a.all_counts || keys_in_state <= COUNTS_BY_DEFAULT_UP_TO;
    let values_json = (!function.is_counter() && show_all).then(|| {
        let longs = counts
            .iter()
            .map(|(k, v)| (cluster.keys().display(*k), (*v).into()));
        let objects = objects
            .iter()
            .map(|(k, o)| (cluster.keys().display(*k), object_json(o)));
        serde_json::Value::Object(longs.chain(objects).collect())
    });
    let counts_json = if function.is_counter() && show_all {
        let map: serde_json::Map<String, serde_json::Value> = counts
            .iter()
            .map(|(k, v)| (cluster.keys().display(*k), (*v).into()))
            .collect();
        Some(serde_json::Value::Object(map))
    } else {
        None
    };
    let completed: Vec<u64> = events.completed_checkpoints.items.iter().copied().collect();
    let restored: Vec<Option<u64>> = events.restores.items.iter().copied().collect();
    let failures: Vec<String> = events
        .failures
        .items
        .iter()
        .map(ToString::to_string)
        .collect();
    let heaps: Vec<_> = cluster.heap_usages().collect();
    let counters = cluster.counters();
    let sink = cluster.sink();
    let summary = json!({
        "status": cluster.status(),
        "simulatedTimeMs": cluster.now() as f64 / NS_PER_MS as f64,
        "parallelism": cluster.parallelism(),
        "maxParallelism": cluster.max_parallelism(),
        "distinctKeys": keys_in_state,
        "sumOfFinalCounts": counts.iter().map(|(_, v)| v).sum::<i64>(),
        "finalCounts": counts_json,
        "emittedRecords": sink.written(),
        "duplicates": sink.duplicates(),
        "gaps": sink.gaps(),
        "recordsProcessed": counters.records_processed,
        "processElementCalls": counters.process_element_calls,
        // The most recent 1,000 of each list; the counts are of all.
        "completedCheckpoints": completed,
        "completedCheckpointCount": events.completed_checkpoints.total,
        "failedCheckpoints": counters.checkpoints_failed,
        "restarts": counters.restarts,
        "restoredCheckpoints": restored,
        "restoreCount": events.restores.total,
        "failures": failures,
        "failureCount": events.failures.total,
        // Each TaskManager's heap; the peak is the highest of them.
        "peakHeapBytes": heaps.iter().map(|h| h.peak).max(),
        "slots": cluster.slot_sharing(),
        "heaps": heaps,
        "steps": counters.steps,
        "fingerprint": statelab::engine::history::fingerprint::fingerprint(&cluster),
    });
    let mut summary = summary;
    if !function.is_counter() {
        // The function and its state per key; `finalCounts` and `sumOfFinalCounts` are the counter's.
        let summary = summary.as_object_mut().expect("a JSON object");
        summary.remove("finalCounts");
        summary.remove("sumOfFinalCounts");
        summary.insert("function".into(), function.id().into());
        summary.insert("timersFired".into(), counters.timers_fired.into());
        summary.insert("finalValues".into(), values_json.into());
    }
    if let Some(from) = restored_from {
        summary["restoredFrom"] = from;
    }
    if let Some(path) = &a.checkpoint_out {
        let latest = cluster.coordinator().store().latest().ok_or_else(|| {
            CliError::failed("--checkpoint-out: the run completed no checkpoint to write")
        })?;
        let blob = cluster
            .checkpoint_blob(latest.checkpoint_id)
            .map_err(CliError::failed)?;
        std::fs::write(path, blob)
            .map_err(|e| CliError::failed(format!("--checkpoint-out {}: {e}", path.display())))?;
    }
    if let Some(dir) = &a.savepoint_out {
        let uid = a.uid.as_deref().unwrap_or(EVENT_COUNTER_UID);
        summary["savepoint"] = write_savepoint_dir(&cluster, dir, uid)?;
    }
    print_json(&summary)?;
    if cluster.status() == JobStatus::Failed {
        return Err(CliError::failed(format!(
            "the job FAILED: {}",
            cluster
                .last_failure()
                .map(ToString::to_string)
                .unwrap_or_default()
        )));
    }
    Ok(())
}

/// A state object as JSON: a list as an array, a map as an object, an accumulator `Tuple2` as `[f0, f1]`, a
/// `KeyStats` POJO as its fields, a `TtlValue` as its value and timestamp (in a list or a map too).
pub(super) fn object_json(o: &StateValueObject) -> serde_json::Value {
    match o {
        StateValueObject::List { elements, .. } => json!(elements),
        StateValueObject::Map { entries, .. } => serde_json::Value::Object(
            entries
                .iter()
                .map(|e| (e.key.to_string(), e.value.into()))
                .collect(),
        ),
        StateValueObject::Tuple2 { f0, f1 } => json!([f0, f1]),
        StateValueObject::KeyStats { count, sum } => json!({"count": count, "sum": sum}),
        StateValueObject::TtlValue {
            user_value,
            last_access_timestamp,
        } => json!({"value": user_value, "lastAccessTimestamp": last_access_timestamp}),
        StateValueObject::TtlList { elements, .. } => serde_json::Value::Array(
            elements
                .iter()
                .map(|e| json!({"value": e.user_value, "lastAccessTimestamp": e.last_access_timestamp}))
                .collect(),
        ),
        StateValueObject::TtlMap { entries, .. } => serde_json::Value::Object(
            entries
                .iter()
                .map(|e| {
                    (
                        e.key.to_string(),
                        json!({"value": e.value.user_value, "lastAccessTimestamp": e.value.last_access_timestamp}),
                    )
                })
                .collect(),
        ),
    }
}
