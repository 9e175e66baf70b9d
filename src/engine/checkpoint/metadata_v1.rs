//! The metadata of a version-1 checkpoint blob: JSON (`docs/checkpoint-format.md`, "Metadata (JSON), version
//! 1"), read by hand with StateLab's small [`json`](super::json) reader into exactly the values `serde_json` made of it when
//! version 1 was current — the same names, defaults, unknown members refused or ignored where they were — so
//! that every blob written then opens to the same checkpoint, in the page too, without a generic deserializer
//! there. Lists and keys are bounded while they are read, as [`key_list`](super::key_list) bounds them for the
//! CLI's configuration files: at most one element more than the cap and one byte more than the longest key.
//!
//! Version 2 writes binary metadata instead ([`metadata_v2`](super::metadata_v2)); nothing writes this any more
//! but the CLI's tests and the hostile-blob generator, through `serde_json`.

use crate::engine::checkpoint::checkpoint_blob::{BlobMetadata, StateShape, MAX_NAMED_KEYS};
use crate::engine::checkpoint::completed_checkpoint::SubtaskCheckpointStats;
use crate::engine::checkpoint::json::{
    list, option, unknown_variant, variant, JsonError, Reader, Result,
};
use crate::engine::checkpoint::key_list::MAX_REPLAY_KEYS;
use crate::engine::cluster::job_command::{CommandTrigger, JobCommand, ScheduledCommand};
use crate::engine::cluster::job_config::{
    CheckpointingConfig, CheckpointingMode, FailureTrigger, JobConfig, NetworkConfig,
    RestartStrategyConfig, SourceConfig,
};
use crate::engine::keys::java_key::{JavaKeyType, MAX_KEY_BYTES};
use crate::engine::keys::key_registry::KeyFormat;
use crate::engine::memory::memory_size::MemorySize;
use crate::engine::memory::task_executor_memory::{MemoryConfig, TaskManagerMemoryOptions};
use crate::engine::source::data_generator_source::SplitPosition;
use crate::engine::source::key_distribution::KeyDistribution;

/// Reads a whole document: the metadata and nothing after it.
pub fn read(json: &[u8]) -> std::result::Result<BlobMetadata, JsonError> {
    let mut r = Reader::new(json);
    match metadata(&mut r).and_then(|m| r.end().map(|()| m)) {
        Ok(m) => Ok(m),
        Err(_) => Err(r.failure()),
    }
}

fn metadata(r: &mut Reader<'_>) -> Result<BlobMetadata> {
    const NAMES: [&str; 14] = [
        "producer",
        "checkpointId",
        "triggerTimeNs",
        "completionTimeNs",
        "mode",
        "maxParallelism",
        "parallelism",
        "sourcePositions",
        "state",
        "job",
        "namedKeys",
        "entries",
        "flinkStateSize",
        "subtasks",
    ];
    let mut m = BlobMetadata {
        producer: String::new(),
        checkpoint_id: 0,
        trigger_time_ns: 0,
        completion_time_ns: 0,
        mode: CheckpointingMode::ExactlyOnce,
        max_parallelism: 0,
        parallelism: 0,
        source_positions: Vec::new(),
        state: StateShape {
            name: String::new(),
            kind: String::new(),
            value_type: String::new(),
            key_type: JavaKeyType::String,
        },
        job: JobConfig::default(),
        named_keys: Vec::new(),
        entries: 0,
        flink_state_size: 0,
        subtasks: Vec::new(),
    };
    let seen = r.members(&NAMES, true, &mut |r, i| {
        match i {
            0 => m.producer = r.string()?,
            1 => m.checkpoint_id = r.u64()?,
            2 => m.trigger_time_ns = r.u64()?,
            3 => m.completion_time_ns = r.u64()?,
            4 => m.mode = mode(r)?,
            5 => m.max_parallelism = r.u32()?,
            6 => m.parallelism = r.u32()?,
            7 => m.source_positions = list(r, split_position)?,
            8 => m.state = state(r)?,
            9 => m.job = job(r)?,
            10 => m.named_keys = r.bounded_strings(MAX_NAMED_KEYS, MAX_KEY_BYTES)?,
            11 => m.entries = r.u64()?,
            12 => m.flink_state_size = r.u64()?,
            _ => m.subtasks = list(r, subtask)?,
        }
        Ok(())
    })?;
    r.require(
        &NAMES,
        seen,
        &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    )?;
    Ok(m)
}

pub(crate) fn mode(r: &mut Reader<'_>) -> Result<CheckpointingMode> {
    variant(
        r,
        &[
            ("EXACTLY_ONCE", CheckpointingMode::ExactlyOnce),
            ("AT_LEAST_ONCE", CheckpointingMode::AtLeastOnce),
        ],
    )
}

pub(crate) fn key_type(r: &mut Reader<'_>) -> Result<JavaKeyType> {
    variant(
        r,
        &[
            ("String", JavaKeyType::String),
            ("Integer", JavaKeyType::Integer),
            ("Long", JavaKeyType::Long),
        ],
    )
}

pub(crate) fn split_position(r: &mut Reader<'_>) -> Result<SplitPosition> {
    const NAMES: [&str; 2] = ["generated", "injected"];
    let mut p = SplitPosition::default();
    let seen = r.members(&NAMES, false, &mut |r, i| {
        *[&mut p.generated, &mut p.injected][i] = r.u64()?;
        Ok(())
    })?;
    r.require(&NAMES, seen, &[0, 1])?;
    Ok(p)
}

fn state(r: &mut Reader<'_>) -> Result<StateShape> {
    const NAMES: [&str; 4] = ["name", "kind", "valueType", "keyType"];
    let mut s = StateShape {
        name: String::new(),
        kind: String::new(),
        value_type: String::new(),
        key_type: JavaKeyType::String,
    };
    let seen = r.members(&NAMES, true, &mut |r, i| {
        match i {
            0 => s.name = r.string()?,
            1 => s.kind = r.string()?,
            2 => s.value_type = r.string()?,
            _ => s.key_type = key_type(r)?,
        }
        Ok(())
    })?;
    r.require(&NAMES, seen, &[0, 1, 2, 3])?;
    Ok(s)
}

fn subtask(r: &mut Reader<'_>) -> Result<SubtaskCheckpointStats> {
    const NAMES: [&str; 8] = [
        "subtask",
        "ackTime",
        "alignmentNs",
        "syncNs",
        "asyncNs",
        "stateSize",
        "entries",
        "copyOnWriteCopies",
    ];
    let mut s = SubtaskCheckpointStats::default();
    let seen = r.members(&NAMES, false, &mut |r, i| {
        if i == 0 {
            s.subtask = r.u32()?;
        } else {
            *[
                &mut s.ack_time,
                &mut s.alignment_ns,
                &mut s.sync_ns,
                &mut s.async_ns,
                &mut s.state_size,
                &mut s.entries,
                &mut s.copy_on_write_copies,
            ][i - 1] = r.u64()?;
        }
        Ok(())
    })?;
    r.require(&NAMES, seen, &[0, 1, 2, 3, 4, 5, 6, 7])?;
    Ok(s)
}

/// A `JobConfig`: every member optional (its default), unknown ones refused.
pub fn job(r: &mut Reader<'_>) -> Result<JobConfig> {
    let mut c = JobConfig::default();
    r.members(
        &[
            "seed",
            "parallelism",
            "maxParallelism",
            "source",
            "network",
            "checkpointing",
            "restartStrategy",
            "memory",
            "numberOfTaskSlots",
            "memoryOptions",
            "otherHeapUsed",
            "failures",
            "script",
            "sinkLogLimit",
        ],
        true,
        &mut |r, i| {
            match i {
                0 => c.seed = r.u64()?,
                1 => c.parallelism = r.u32()?,
                2 => c.max_parallelism = option(r, Reader::u32)?,
                3 => c.source = source(r)?,
                4 => c.network = network(r)?,
                5 => c.checkpointing = checkpointing(r)?,
                6 => c.restart_strategy = option(r, restart_strategy)?,
                7 => c.memory = memory(r)?,
                8 => c.number_of_task_slots = r.u32()?,
                9 => c.memory_options = memory_options(r)?,
                10 => c.other_heap_used = memory_size(r)?,
                11 => c.failures = list(r, failure)?,
                12 => c.script = list(r, scheduled_command)?,
                _ => c.sink_log_limit = r.usize()?,
            }
            Ok(())
        },
    )?;
    Ok(c)
}

fn source(r: &mut Reader<'_>) -> Result<SourceConfig> {
    let mut s = SourceConfig::default();
    r.members(
        &[
            "parallelism",
            "rate",
            "keyCount",
            "keyFormat",
            "distribution",
            "replay",
            "maxEvents",
        ],
        true,
        &mut |r, i| {
            match i {
                0 => s.parallelism = r.u32()?,
                1 => s.rate = r.u64()?,
                2 => s.key_count = r.u64()?,
                3 => s.key_format = key_format(r)?,
                4 => s.distribution = distribution(r)?,
                5 => s.replay = option(r, |r| r.bounded_strings(MAX_REPLAY_KEYS, MAX_KEY_BYTES))?,
                _ => s.max_events = option(r, Reader::u64)?,
            }
            Ok(())
        },
    )?;
    Ok(s)
}

fn key_format(r: &mut Reader<'_>) -> Result<KeyFormat> {
    const NAMES: [&str; 3] = ["key_type", "prefix", "zero_pad"];
    let mut f = KeyFormat::default();
    let seen = r.members(&NAMES, false, &mut |r, i| {
        match i {
            0 => f.key_type = key_type(r)?,
            1 => f.prefix = r.string()?,
            _ => f.zero_pad = r.u8()?,
        }
        Ok(())
    })?;
    r.require(&NAMES, seen, &[0, 1, 2])?;
    Ok(f)
}

/// `{"type": "zipf", "exponent": 1.0}` and the other distributions (members of other variants ignored).
pub(crate) fn distribution(r: &mut Reader<'_>) -> Result<KeyDistribution> {
    let tag = r.tag("type")?;
    let names = ["type", "exponent", "key", "fraction"];
    let (mut exponent, mut key, mut fraction) = (0.0, 0, 0.0);
    let wanted: &[usize] = match tag.as_str() {
        "uniform" | "sequential" => &[],
        "zipf" => &[1],
        "hotKey" => &[2, 3],
        other => return unknown_variant(r, other),
    };
    let seen = r.members(&names, false, &mut |r, i| match i {
        1 if wanted.contains(&1) => r.f64().map(|v| exponent = v),
        2 if wanted.contains(&2) => r.u64().map(|v| key = v),
        3 if wanted.contains(&3) => r.f64().map(|v| fraction = v),
        _ => r.skip(),
    })?;
    r.require(&names, seen, wanted)?;
    Ok(match tag.as_str() {
        "uniform" => KeyDistribution::Uniform,
        "sequential" => KeyDistribution::Sequential,
        "zipf" => KeyDistribution::Zipf { exponent },
        _ => KeyDistribution::HotKey { key, fraction },
    })
}

fn network(r: &mut Reader<'_>) -> Result<NetworkConfig> {
    let mut n = NetworkConfig::default();
    r.members(
        &[
            "latencyUs",
            "latencyJitterUs",
            "channelCapacity",
            "processingTimeNs",
        ],
        true,
        &mut |r, i| {
            match i {
                0 => n.latency_us = r.u64()?,
                1 => n.latency_jitter_us = r.u64()?,
                2 => n.channel_capacity = r.u32()?,
                _ => n.processing_time_ns = r.u64()?,
            }
            Ok(())
        },
    )?;
    Ok(n)
}

fn checkpointing(r: &mut Reader<'_>) -> Result<CheckpointingConfig> {
    let mut c = CheckpointingConfig::default();
    r.members(
        &[
            "intervalMs",
            "mode",
            "timeoutMs",
            "tolerableFailedCheckpoints",
            "minPauseMs",
            "retained",
            "writeBytesPerSecond",
            "triggerJitterUs",
        ],
        true,
        &mut |r, i| {
            match i {
                0 => c.interval_ms = option(r, Reader::u64)?,
                1 => c.mode = mode(r)?,
                2 => c.timeout_ms = r.u64()?,
                3 => c.tolerable_failed_checkpoints = r.u32()?,
                4 => c.min_pause_ms = r.u64()?,
                5 => c.retained = r.u32()?,
                6 => c.write_bytes_per_second = r.u64()?,
                _ => c.trigger_jitter_us = r.u64()?,
            }
            Ok(())
        },
    )?;
    Ok(c)
}

/// `{"type": "fixed-delay", "attempts": 1, "delayMs": 1000}` and the other strategies.
fn restart_strategy(r: &mut Reader<'_>) -> Result<RestartStrategyConfig> {
    let tag = r.tag("type")?;
    let names = [
        "type",
        "attempts",
        "delayMs",
        "maxFailuresPerInterval",
        "failureRateIntervalMs",
        "initialBackoffMs",
        "maxBackoffMs",
        "backoffMultiplier",
        "resetBackoffThresholdMs",
        "jitterFactor",
        "attemptsBeforeResetBackoff",
    ];
    let wanted: &[usize] = match tag.as_str() {
        "none" => &[],
        "fixed-delay" => &[1, 2],
        "failure-rate" => &[3, 4, 2],
        "exponential-delay" => &[5, 6, 7, 8, 9, 10],
        other => return unknown_variant(r, other),
    };
    // Integers by member index (u32 ones range-checked as read); the two factors apart.
    let mut n = [0u64; 11];
    let (mut multiplier, mut jitter) = (0.0, 0.0);
    let seen = r.members(&names, false, &mut |r, i| {
        if !wanted.contains(&i) {
            return r.skip();
        }
        match i {
            1 | 3 | 10 => n[i] = u64::from(r.u32()?),
            7 => multiplier = r.f64()?,
            9 => jitter = r.f64()?,
            _ => n[i] = r.u64()?,
        }
        Ok(())
    })?;
    r.require(&names, seen, wanted)?;
    Ok(match tag.as_str() {
        "none" => RestartStrategyConfig::None,
        "fixed-delay" => RestartStrategyConfig::FixedDelay {
            attempts: n[1] as u32,
            delay_ms: n[2],
        },
        "failure-rate" => RestartStrategyConfig::FailureRate {
            max_failures_per_interval: n[3] as u32,
            failure_rate_interval_ms: n[4],
            delay_ms: n[2],
        },
        _ => RestartStrategyConfig::ExponentialDelay {
            initial_backoff_ms: n[5],
            max_backoff_ms: n[6],
            backoff_multiplier: multiplier,
            reset_backoff_threshold_ms: n[8],
            jitter_factor: jitter,
            attempts_before_reset_backoff: n[10] as u32,
        },
    })
}

/// A size as Flink writes it in its configuration (`"1728m"`) or a number of bytes.
fn memory_size(r: &mut Reader<'_>) -> Result<MemorySize> {
    let size = match r.peek() {
        Some(b'"') => {
            let text = r.string()?;
            MemorySize::parse(&text).ok()
        }
        Some(b'0'..=b'9') => MemorySize::try_from(r.u64()?).ok(),
        _ => None,
    };
    match size {
        Some(size) => Ok(size),
        None => r.error("invalid memory size"),
    }
}

/// `{"type": "process", "processSize": "1728m"}` or `{"type": "local", "jvmHeap": "1g"}`; nothing else.
fn memory(r: &mut Reader<'_>) -> Result<MemoryConfig> {
    let tag = r.tag("type")?;
    let names = ["type", "processSize", "managedSize", "jvmHeap"];
    let wanted: &[usize] = match tag.as_str() {
        "process" => &[1, 2],
        "local" => &[3],
        other => return unknown_variant(r, other),
    };
    let (mut size, mut managed) = (MemorySize::ZERO, None);
    let seen = r.members(&names, true, &mut |r, i| {
        match i {
            0 => r.skip()?,
            2 if wanted.contains(&2) => managed = option(r, memory_size)?,
            1 | 3 if wanted.contains(&i) => size = memory_size(r)?,
            _ => return r.error_owned(format!("unknown field `{}`", names[i])),
        }
        Ok(())
    })?;
    r.require(&names, seen, &wanted[..1])?;
    Ok(match tag.as_str() {
        "process" => MemoryConfig::Process {
            process_size: size,
            managed_size: managed,
        },
        _ => MemoryConfig::Local { jvm_heap: size },
    })
}

fn memory_options(r: &mut Reader<'_>) -> Result<TaskManagerMemoryOptions> {
    let mut o = TaskManagerMemoryOptions::default();
    r.members(
        &[
            "frameworkHeap",
            "frameworkOffHeap",
            "taskOffHeap",
            "managedFraction",
            "managedSize",
            "networkFraction",
            "networkMin",
            "networkMax",
            "jvmMetaspace",
            "jvmOverheadFraction",
            "jvmOverheadMin",
            "jvmOverheadMax",
        ],
        true,
        &mut |r, i| {
            match i {
                3 => o.managed_fraction = r.f32()?,
                5 => o.network_fraction = r.f32()?,
                9 => o.jvm_overhead_fraction = r.f32()?,
                4 => o.managed_size = option(r, memory_size)?,
                _ => {
                    *[
                        &mut o.framework_heap,
                        &mut o.framework_off_heap,
                        &mut o.task_off_heap,
                        &mut o.network_min,
                        &mut o.network_max,
                        &mut o.jvm_metaspace,
                        &mut o.jvm_overhead_min,
                        &mut o.jvm_overhead_max,
                    ][match i {
                        0..=2 => i,
                        6..=8 => i - 3,
                        _ => i - 4,
                    }] = memory_size(r)?
                }
            }
            Ok(())
        },
    )?;
    Ok(o)
}

/// `{"at": "time", "ms": 100}` and the other triggers of a failure.
fn failure(r: &mut Reader<'_>) -> Result<FailureTrigger> {
    let tag = r.tag("at")?;
    let names = ["at", "call", "index", "ms"];
    let wanted = match tag.as_str() {
        "processElementCall" => 1,
        "eventIndex" => 2,
        "time" => 3,
        other => return unknown_variant(r, other),
    };
    let mut value = 0;
    let seen = r.members(&names, false, &mut |r, i| {
        if i == wanted {
            value = r.u64()?;
            Ok(())
        } else {
            r.skip()
        }
    })?;
    r.require(&names, seen, &[wanted])?;
    Ok(match wanted {
        1 => FailureTrigger::ProcessElementCall { call: value },
        2 => FailureTrigger::EventIndex { index: value },
        _ => FailureTrigger::Time { ms: value },
    })
}

fn scheduled_command(r: &mut Reader<'_>) -> Result<ScheduledCommand> {
    const NAMES: [&str; 2] = ["at", "command"];
    let mut at = CommandTrigger::AtTime { ms: 0 };
    let mut command = JobCommand::TriggerCheckpoint;
    let seen = r.members(&NAMES, true, &mut |r, i| {
        if i == 0 {
            at = trigger(r)?;
        } else {
            command = job_command(r)?;
        }
        Ok(())
    })?;
    r.require(&NAMES, seen, &[0, 1])?;
    Ok(ScheduledCommand { at, command })
}

fn trigger(r: &mut Reader<'_>) -> Result<CommandTrigger> {
    let tag = r.tag("type")?;
    let names = ["type", "records", "ms", "checkpointId"];
    let wanted = match tag.as_str() {
        "afterRecords" => 1,
        "atTime" => 2,
        "afterCheckpoint" => 3,
        other => return unknown_variant(r, other),
    };
    let mut value = 0;
    let seen = r.members(&names, false, &mut |r, i| {
        if i == wanted {
            value = r.u64()?;
            Ok(())
        } else {
            r.skip()
        }
    })?;
    r.require(&names, seen, &[wanted])?;
    Ok(match wanted {
        1 => CommandTrigger::AfterRecords { records: value },
        2 => CommandTrigger::AtTime { ms: value },
        _ => CommandTrigger::AfterCheckpoint {
            checkpoint_id: value,
        },
    })
}

fn job_command(r: &mut Reader<'_>) -> Result<JobCommand> {
    let tag = r.tag("type")?;
    let names = [
        "type",
        "key",
        "description",
        "checkpointId",
        "parallelism",
        "rate",
        "intervalMs",
        "timeNs",
    ];
    // The members each command reads, the required ones first (an absent id or interval is `None`).
    let (wanted, required): (&[usize], usize) = match tag.as_str() {
        "injectKey" => (&[1], 1),
        "triggerCheckpoint" => (&[], 0),
        "failNow" => (&[2], 1),
        "restore" => (&[4, 3], 1),
        "setSourceRate" => (&[5], 1),
        "setCheckpointInterval" => (&[6], 0),
        "advanceClock" => (&[7], 1),
        other => return unknown_variant(r, other),
    };
    let mut text = String::new();
    let mut number = 0;
    let mut optional = None;
    let seen = r.members(&names, false, &mut |r, i| {
        if !wanted.contains(&i) {
            return r.skip();
        }
        match i {
            1 | 2 => text = r.string()?,
            3 | 6 => optional = option(r, Reader::u64)?,
            4 => number = u64::from(r.u32()?),
            _ => number = r.u64()?,
        }
        Ok(())
    })?;
    r.require(&names, seen, &wanted[..required])?;
    Ok(match tag.as_str() {
        "injectKey" => JobCommand::InjectKey { key: text },
        "triggerCheckpoint" => JobCommand::TriggerCheckpoint,
        "failNow" => JobCommand::FailNow { description: text },
        "restore" => JobCommand::Restore {
            checkpoint_id: optional,
            parallelism: number as u32,
        },
        "setSourceRate" => JobCommand::SetSourceRate { rate: number },
        "setCheckpointInterval" => JobCommand::SetCheckpointInterval {
            interval_ms: optional,
        },
        _ => JobCommand::AdvanceClock { time_ns: number },
    })
}
