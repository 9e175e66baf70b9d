//! The metadata of a version-2 checkpoint blob: binary, a few hundred bytes for a whole job
//! (`docs/checkpoint-format.md`, "Metadata (binary), version 2"). Everything is a LEB128 varint in its shortest
//! form, a length-prefixed UTF-8 string, a little-endian IEEE float, a list (a count, then its elements) or a
//! *record*: numbered fields in increasing order, each a field number followed by its value, ended by a 0. A
//! field left out takes its default — an absent option is `None` — so a field added later needs no new version
//! while it holds its default, and a reader refuses a field number it does not know (a newer StateLab wrote it).
//! An enum is its variant's number followed by the variant's record.
//!
//! Reading checks as it goes, like the rest of the blob: varints in their shortest form and within their
//! field's type, text that is UTF-8, floats that are finite, fields in order, every byte used; and no list is
//! read beyond its cap or beyond the bytes that remain, so memory stays bounded by the caps.

use crate::engine::checkpoint::blob_error::{
    BlobError, JobShape, Limit, Malformed, MetadataProblem,
};
use crate::engine::checkpoint::checkpoint_blob::{BlobMetadata, StateShape, MAX_NAMED_KEYS};
use crate::engine::checkpoint::completed_checkpoint::SubtaskCheckpointStats;
use crate::engine::checkpoint::key_list::MAX_REPLAY_KEYS;
use crate::engine::cluster::job_command::{CommandTrigger, JobCommand, ScheduledCommand};
use crate::engine::cluster::job_config::{
    CheckpointingConfig, CheckpointingMode, FailureTrigger, JobConfig, NetworkConfig,
    RestartStrategyConfig, SourceConfig, MAX_JOB_PARALLELISM,
};
use crate::engine::cluster::job_config_error::JobConfigError;
use crate::engine::functions::job_function::JobFunction;
use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::keys::key_registry::KeyFormat;
use crate::engine::memory::memory_size::MemorySize;
use crate::engine::memory::task_executor_memory::{MemoryConfig, TaskManagerMemoryOptions};
use crate::engine::source::data_generator_source::SplitPosition;
use crate::engine::source::key_distribution::KeyDistribution;

/// The most failures, and the most scripted commands, a job in a blob holds: as many as a replay list's keys.
pub const MAX_JOB_LIST: usize = 100_000;

// ------------------------------------------------------------------------------------------------------------
// Writing

struct Out(Vec<u8>);

impl Out {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    /// Field `n`, an integer.
    fn int(&mut self, n: u64, v: u64) {
        self.varint(n);
        self.varint(v);
    }

    /// Field `n` when there is a value.
    fn option(&mut self, n: u64, v: Option<u64>) {
        if let Some(v) = v {
            self.int(n, v);
        }
    }

    fn text(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn string(&mut self, n: u64, s: &str) {
        self.varint(n);
        self.text(s);
    }

    fn f64(&mut self, n: u64, v: f64) {
        self.varint(n);
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn f32(&mut self, n: u64, v: f32) {
        self.varint(n);
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    /// The end of a record.
    fn end(&mut self) {
        self.0.push(0);
    }

    /// Field `n`, a list: its count, then each element written by `f`.
    fn list<T>(&mut self, n: u64, items: &[T], mut f: impl FnMut(&mut Self, &T)) {
        self.varint(n);
        self.varint(items.len() as u64);
        for item in items {
            f(self, item);
        }
    }
}

/// The metadata as version 2 stores it (before compression).
pub fn write(m: &BlobMetadata) -> Vec<u8> {
    let mut o = Out(Vec::with_capacity(256));
    o.string(1, &m.producer);
    o.int(2, m.checkpoint_id);
    o.int(3, m.trigger_time_ns);
    o.int(4, m.completion_time_ns);
    o.int(5, mode_number(m.mode));
    o.int(6, u64::from(m.max_parallelism));
    o.int(7, u64::from(m.parallelism));
    o.list(8, &m.source_positions, |o, p| {
        o.int(1, p.generated);
        o.int(2, p.injected);
        o.end();
    });
    o.varint(9);
    o.string(1, &m.state.name);
    o.string(2, &m.state.kind);
    o.string(3, &m.state.value_type);
    o.int(4, key_type_number(m.state.key_type));
    o.end();
    o.varint(10);
    write_job(&mut o, &m.job);
    o.list(11, &m.named_keys, |o, k| o.text(k));
    o.int(12, m.entries);
    o.int(13, m.flink_state_size);
    o.list(14, &m.subtasks, |o, s| {
        o.int(1, u64::from(s.subtask));
        o.int(2, s.ack_time);
        o.int(3, s.alignment_ns);
        o.int(4, s.sync_ns);
        o.int(5, s.async_ns);
        o.int(6, s.state_size);
        o.int(7, s.entries);
        o.int(8, s.copy_on_write_copies);
        o.end();
    });
    o.end();
    o.0
}

/// A job configuration as version 2 stores it: equal configurations have equal bytes.
pub fn job_bytes(job: &JobConfig) -> Vec<u8> {
    let mut o = Out(Vec::with_capacity(128));
    write_job(&mut o, job);
    o.0
}

fn mode_number(mode: CheckpointingMode) -> u64 {
    match mode {
        CheckpointingMode::ExactlyOnce => 0,
        CheckpointingMode::AtLeastOnce => 1,
    }
}

fn key_type_number(key_type: JavaKeyType) -> u64 {
    match key_type {
        JavaKeyType::String => 0,
        JavaKeyType::Integer => 1,
        JavaKeyType::Long => 2,
    }
}

fn write_job(o: &mut Out, c: &JobConfig) {
    o.int(1, c.seed);
    o.int(2, u64::from(c.parallelism));
    o.option(3, c.max_parallelism.map(u64::from));
    let s = &c.source;
    o.varint(4);
    o.int(1, u64::from(s.parallelism));
    o.int(2, s.rate);
    o.int(3, s.key_count);
    o.varint(4);
    o.int(1, key_type_number(s.key_format.key_type));
    o.string(2, &s.key_format.prefix);
    o.int(3, u64::from(s.key_format.zero_pad));
    o.end();
    o.varint(5);
    match s.distribution {
        KeyDistribution::Uniform => o.varint(0),
        KeyDistribution::Zipf { exponent } => {
            o.varint(1);
            o.f64(1, exponent);
        }
        KeyDistribution::HotKey { key, fraction } => {
            o.varint(2);
            o.int(1, key);
            o.f64(2, fraction);
        }
        KeyDistribution::Sequential => o.varint(3),
    }
    o.end();
    if let Some(replay) = &s.replay {
        o.list(6, replay, |o, k| o.text(k));
    }
    o.option(7, s.max_events);
    o.end();
    let n = &c.network;
    o.varint(5);
    o.int(1, n.latency_us);
    o.int(2, n.latency_jitter_us);
    o.int(3, u64::from(n.channel_capacity));
    o.int(4, n.processing_time_ns);
    o.end();
    let k = &c.checkpointing;
    o.varint(6);
    o.option(1, k.interval_ms);
    o.int(2, mode_number(k.mode));
    o.int(3, k.timeout_ms);
    o.int(4, u64::from(k.tolerable_failed_checkpoints));
    o.int(5, k.min_pause_ms);
    o.int(6, u64::from(k.retained));
    o.int(7, k.write_bytes_per_second);
    o.int(8, k.trigger_jitter_us);
    o.end();
    if let Some(strategy) = &c.restart_strategy {
        o.varint(7);
        match *strategy {
            RestartStrategyConfig::None => o.varint(0),
            RestartStrategyConfig::FixedDelay { attempts, delay_ms } => {
                o.varint(1);
                o.int(1, u64::from(attempts));
                o.int(2, delay_ms);
            }
            RestartStrategyConfig::FailureRate {
                max_failures_per_interval,
                failure_rate_interval_ms,
                delay_ms,
            } => {
                o.varint(2);
                o.int(1, u64::from(max_failures_per_interval));
                o.int(2, failure_rate_interval_ms);
                o.int(3, delay_ms);
            }
            RestartStrategyConfig::ExponentialDelay {
                initial_backoff_ms,
                max_backoff_ms,
                backoff_multiplier,
                reset_backoff_threshold_ms,
                jitter_factor,
                attempts_before_reset_backoff,
            } => {
                o.varint(3);
                o.int(1, initial_backoff_ms);
                o.int(2, max_backoff_ms);
                o.f64(3, backoff_multiplier);
                o.int(4, reset_backoff_threshold_ms);
                o.f64(5, jitter_factor);
                o.int(6, u64::from(attempts_before_reset_backoff));
            }
        }
        o.end();
    }
    o.varint(8);
    match c.memory {
        MemoryConfig::Process {
            process_size,
            managed_size,
        } => {
            o.varint(0);
            o.int(1, process_size.bytes());
            o.option(2, managed_size.map(MemorySize::bytes));
        }
        MemoryConfig::Local { jvm_heap } => {
            o.varint(1);
            o.int(1, jvm_heap.bytes());
        }
    }
    o.end();
    o.int(9, u64::from(c.number_of_task_slots));
    let m = &c.memory_options;
    o.varint(10);
    o.int(1, m.framework_heap.bytes());
    o.int(2, m.framework_off_heap.bytes());
    o.int(3, m.task_off_heap.bytes());
    o.f32(4, m.managed_fraction);
    o.option(5, m.managed_size.map(MemorySize::bytes));
    o.f32(6, m.network_fraction);
    o.int(7, m.network_min.bytes());
    o.int(8, m.network_max.bytes());
    o.int(9, m.jvm_metaspace.bytes());
    o.f32(10, m.jvm_overhead_fraction);
    o.int(11, m.jvm_overhead_min.bytes());
    o.int(12, m.jvm_overhead_max.bytes());
    o.end();
    o.int(11, c.other_heap_used.bytes());
    o.list(12, &c.failures, |o, f| {
        let (variant, value) = match *f {
            FailureTrigger::ProcessElementCall { call } => (0, call),
            FailureTrigger::EventIndex { index } => (1, index),
            FailureTrigger::Time { ms } => (2, ms),
        };
        o.varint(variant);
        o.int(1, value);
        o.end();
    });
    o.list(13, &c.script, |o, s| {
        o.varint(1);
        let (variant, value) = match s.at {
            CommandTrigger::AfterRecords { records } => (0, records),
            CommandTrigger::AtTime { ms } => (1, ms),
            CommandTrigger::AfterCheckpoint { checkpoint_id } => (2, checkpoint_id),
        };
        o.varint(variant);
        o.int(1, value);
        o.end();
        o.varint(2);
        match &s.command {
            JobCommand::InjectKey { key } => {
                o.varint(0);
                o.string(1, key);
            }
            JobCommand::TriggerCheckpoint => o.varint(1),
            JobCommand::FailNow { description } => {
                o.varint(2);
                o.string(1, description);
            }
            JobCommand::Restore {
                checkpoint_id,
                parallelism,
            } => {
                o.varint(3);
                o.option(1, *checkpoint_id);
                o.int(2, u64::from(*parallelism));
            }
            JobCommand::SetSourceRate { rate } => {
                o.varint(4);
                o.int(1, *rate);
            }
            JobCommand::SetCheckpointInterval { interval_ms } => {
                o.varint(5);
                o.option(1, *interval_ms);
            }
            JobCommand::AdvanceClock { time_ns } => {
                o.varint(6);
                o.int(1, *time_ns);
            }
        }
        o.end();
        o.end();
    });
    o.int(14, c.sink_log_limit as u64);
    if !c.function.is_counter() {
        o.int(15, c.function.number());
    }
    o.end();
}

// ------------------------------------------------------------------------------------------------------------
// Reading

/// Reading stopped; the reader keeps why. A unit error, so that passing it on (`?`) costs the page no code.
struct Stop;

type Result<T> = std::result::Result<T, Stop>;

struct In<'a> {
    b: &'a [u8],
    at: usize,
    failure: Option<BlobError>,
}

impl<'a> In<'a> {
    #[cold]
    #[inline(never)]
    fn stop(&mut self, error: BlobError) -> Stop {
        self.failure = Some(error);
        Stop
    }

    fn fail<T>(&mut self, problem: MetadataProblem) -> Result<T> {
        let offset = self.at as u64;
        Err(self.stop(Malformed::MetadataBinary { offset, problem }.into()))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.b.len() - self.at < n {
            return self.fail(MetadataProblem::CutShort);
        }
        self.at += n;
        Ok(&self.b[self.at - n..self.at])
    }

    fn varint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for i in 0..10 {
            let Some(&byte) = self.b.get(self.at + i) else {
                return self.fail(MetadataProblem::CutShort);
            };
            if (i == 9 && byte > 1) || (i > 0 && byte == 0) {
                return self.fail(MetadataProblem::NonCanonical);
            }
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                self.at += i + 1;
                return Ok(value);
            }
        }
        self.fail(MetadataProblem::NonCanonical)
    }

    fn at_most(&mut self, max: u64) -> Result<u64> {
        let at = self.at;
        let v = self.varint()?;
        if v > max {
            self.at = at;
            return self.fail(MetadataProblem::OutOfRange);
        }
        Ok(v)
    }

    fn u32(&mut self) -> Result<u32> {
        self.at_most(u64::from(u32::MAX)).map(|v| v as u32)
    }

    fn memory_size(&mut self) -> Result<MemorySize> {
        self.at_most(MemorySize::MAX_VALUE.bytes())
            .map(MemorySize::of_bytes)
    }

    fn f64(&mut self) -> Result<f64> {
        let v = f64::from_le_bytes(self.take(8)?.try_into().unwrap_or_default());
        if !v.is_finite() {
            self.at -= 8;
            return self.fail(MetadataProblem::NotFinite);
        }
        Ok(v)
    }

    fn f32(&mut self) -> Result<f32> {
        let v = f32::from_le_bytes(self.take(4)?.try_into().unwrap_or_default());
        if !v.is_finite() {
            self.at -= 4;
            return self.fail(MetadataProblem::NotFinite);
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String> {
        let len = self.varint()?;
        if len > (self.b.len() - self.at) as u64 {
            return self.fail(MetadataProblem::CutShort);
        }
        let at = self.at;
        match std::str::from_utf8(self.take(len as usize)?) {
            Ok(s) => Ok(s.to_owned()),
            Err(e) => {
                self.at = at + e.valid_up_to();
                self.fail(MetadataProblem::NotUtf8)
            }
        }
    }

    /// A list's count: at most `max` (else `over`), and never more than the bytes that remain (every element
    /// takes one at least).
    fn count(&mut self, max: usize, over: impl FnOnce(u64) -> BlobError) -> Result<usize> {
        let at = self.at;
        let count = self.varint()?;
        if count > max as u64 {
            return Err(self.stop(over(count)));
        }
        if count > (self.b.len() - self.at) as u64 {
            self.at = at;
            return self.fail(MetadataProblem::ListLength { count });
        }
        Ok(count as usize)
    }

    fn list<T>(
        &mut self,
        max: usize,
        over: impl FnOnce(u64) -> BlobError,
        mut element: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<Vec<T>> {
        let count = self.count(max, over)?;
        let mut out = Vec::with_capacity(count);
        for _ in 0..count {
            out.push(element(self)?);
        }
        Ok(out)
    }

    /// A list of at most `max` elements, refused as one more than the metadata holds.
    fn capped<T>(
        &mut self,
        max: usize,
        element: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.list(
            max,
            |count| {
                Limit::List {
                    count,
                    max: max as u64,
                }
                .into()
            },
            element,
        )
    }

    /// A record: `field` reads field `n`'s value and says whether it knows the field.
    /// (A `dyn` callback: one copy of the loop in the binary.)
    fn record(&mut self, field: &mut dyn FnMut(&mut Self, u64) -> Result<bool>) -> Result<()> {
        let mut last = 0;
        loop {
            let at = self.at;
            let n = self.varint()?;
            if n == 0 {
                return Ok(());
            }
            if n <= last {
                self.at = at;
                return self.fail(MetadataProblem::FieldOrder(n));
            }
            last = n;
            if !field(self, n)? {
                self.at = at;
                return self.fail(MetadataProblem::UnknownField(n));
            }
        }
    }

    /// A record of integer fields `1..=N` (each within `max[n - 1]`), by field number.
    fn integers<const N: usize>(&mut self, max: [u64; N]) -> Result<[u64; N]> {
        let mut v = [0; N];
        self.record(&mut |r, n| {
            let i = usize::try_from(n - 1).unwrap_or(N);
            match max.get(i) {
                Some(&m) => {
                    v[i] = r.at_most(m)?;
                    Ok(true)
                }
                None => Ok(false),
            }
        })?;
        Ok(v)
    }

    /// An enum's variant number, at most `max`.
    fn variant(&mut self, max: u64) -> Result<u64> {
        let at = self.at;
        let v = self.varint()?;
        if v > max {
            self.at = at;
            return self.fail(MetadataProblem::UnknownVariant(v));
        }
        Ok(v)
    }
}

const U32: u64 = u32::MAX as u64;

/// Reads the whole metadata; every byte must be part of it.
pub fn read(bytes: &[u8]) -> std::result::Result<BlobMetadata, BlobError> {
    let mut r = In {
        b: bytes,
        at: 0,
        failure: None,
    };
    match metadata(&mut r) {
        Ok(m) => Ok(m),
        Err(Stop) => Err(r.failure.take().unwrap_or(
            Malformed::MetadataBinary {
                offset: r.at as u64,
                problem: MetadataProblem::CutShort,
            }
            .into(),
        )),
    }
}

/// Reads [`job_bytes`]' record of a job alone (how the page hands its job to the savepoint worker); every byte
/// must be part of it.
pub fn read_job(bytes: &[u8]) -> std::result::Result<JobConfig, BlobError> {
    let mut r = In {
        b: bytes,
        at: 0,
        failure: None,
    };
    let job = job(&mut r).and_then(|job| match bytes.len() - r.at {
        0 => Ok(job),
        left => r.fail(MetadataProblem::BytesLeft(left as u64)),
    });
    job.map_err(|Stop| {
        r.failure.take().unwrap_or(
            Malformed::MetadataBinary {
                offset: r.at as u64,
                problem: MetadataProblem::CutShort,
            }
            .into(),
        )
    })
}

fn metadata(r: &mut In<'_>) -> Result<BlobMetadata> {
    let bytes = r.b;
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
    let mut seen = 0u32;
    r.record(&mut |r, n| {
        match n {
            1 => m.producer = r.string()?,
            2 => m.checkpoint_id = r.varint()?,
            3 => m.trigger_time_ns = r.varint()?,
            4 => m.completion_time_ns = r.varint()?,
            5 => m.mode = mode(r)?,
            6 => m.max_parallelism = r.u32()?,
            7 => m.parallelism = r.u32()?,
            8 => {
                m.source_positions = r.capped(MAX_JOB_PARALLELISM as usize, |r| {
                    let [generated, injected] = r.integers([u64::MAX; 2])?;
                    Ok(SplitPosition {
                        generated,
                        injected,
                    })
                })?
            }
            9 => m.state = state(r)?,
            10 => m.job = job(r)?,
            11 => {
                m.named_keys = r.list(
                    MAX_NAMED_KEYS,
                    |_| {
                        Limit::NamedKeys {
                            max: MAX_NAMED_KEYS,
                        }
                        .into()
                    },
                    In::string,
                )?
            }
            12 => m.entries = r.varint()?,
            13 => m.flink_state_size = r.varint()?,
            14 => {
                m.subtasks = r.capped(MAX_JOB_PARALLELISM as usize, |r| {
                    let v = r.integers([
                        U32,
                        u64::MAX,
                        u64::MAX,
                        u64::MAX,
                        u64::MAX,
                        u64::MAX,
                        u64::MAX,
                        u64::MAX,
                    ])?;
                    Ok(SubtaskCheckpointStats {
                        subtask: v[0] as u32,
                        ack_time: v[1],
                        alignment_ns: v[2],
                        sync_ns: v[3],
                        async_ns: v[4],
                        state_size: v[5],
                        entries: v[6],
                        copy_on_write_copies: v[7],
                    })
                })?
            }
            _ => return Ok(false),
        }
        seen |= 1 << n;
        Ok(true)
    })?;
    // Every field of the checkpoint itself is written, always.
    if let Some(missing) = (1..=14).find(|n| seen & (1 << n) == 0) {
        return r.fail(MetadataProblem::MissingField(missing));
    }
    if r.at != bytes.len() {
        return r.fail(MetadataProblem::BytesLeft((bytes.len() - r.at) as u64));
    }
    Ok(m)
}

fn mode(r: &mut In<'_>) -> Result<CheckpointingMode> {
    Ok(match r.variant(1)? {
        0 => CheckpointingMode::ExactlyOnce,
        _ => CheckpointingMode::AtLeastOnce,
    })
}

fn key_type(r: &mut In<'_>) -> Result<JavaKeyType> {
    Ok(match r.variant(2)? {
        0 => JavaKeyType::String,
        1 => JavaKeyType::Integer,
        _ => JavaKeyType::Long,
    })
}

fn state(r: &mut In<'_>) -> Result<StateShape> {
    let mut s = StateShape {
        name: String::new(),
        kind: String::new(),
        value_type: String::new(),
        key_type: JavaKeyType::String,
    };
    r.record(&mut |r, n| {
        match n {
            1 => s.name = r.string()?,
            2 => s.kind = r.string()?,
            3 => s.value_type = r.string()?,
            4 => s.key_type = key_type(r)?,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(s)
}

fn job(r: &mut In<'_>) -> Result<JobConfig> {
    let mut c = JobConfig::default();
    r.record(&mut |r, n| {
        match n {
            1 => c.seed = r.varint()?,
            2 => c.parallelism = r.u32()?,
            3 => c.max_parallelism = Some(r.u32()?),
            4 => c.source = source(r)?,
            5 => {
                let [latency, jitter, capacity, processing] =
                    r.integers([u64::MAX, u64::MAX, U32, u64::MAX])?;
                c.network = NetworkConfig {
                    latency_us: latency,
                    latency_jitter_us: jitter,
                    channel_capacity: capacity as u32,
                    processing_time_ns: processing,
                };
            }
            6 => c.checkpointing = checkpointing(r)?,
            7 => c.restart_strategy = Some(restart_strategy(r)?),
            8 => c.memory = memory(r)?,
            9 => c.number_of_task_slots = r.u32()?,
            10 => c.memory_options = memory_options(r)?,
            11 => c.other_heap_used = r.memory_size()?,
            12 => c.failures = r.capped(MAX_JOB_LIST, failure)?,
            13 => c.script = r.capped(MAX_JOB_LIST, scheduled_command)?,
            // `usize::MAX` ("keep all") is the largest `u64` natively; in wasm it stays the largest `usize`.
            14 => c.sink_log_limit = usize::try_from(r.varint()?).unwrap_or(usize::MAX),
            15 => {
                let n = r.variant(JobFunction::ALL.len() as u64 - 1)?;
                c.function = JobFunction::from_number(n).unwrap_or_default();
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(c)
}

fn source(r: &mut In<'_>) -> Result<SourceConfig> {
    let mut s = SourceConfig::default();
    r.record(&mut |r, n| {
        match n {
            1 => s.parallelism = r.u32()?,
            2 => s.rate = r.varint()?,
            3 => s.key_count = r.varint()?,
            4 => {
                let mut f = KeyFormat::default();
                r.record(&mut |r, n| {
                    match n {
                        1 => f.key_type = key_type(r)?,
                        2 => f.prefix = r.string()?,
                        3 => f.zero_pad = r.at_most(u64::from(u8::MAX))? as u8,
                        _ => return Ok(false),
                    }
                    Ok(true)
                })?;
                s.key_format = f;
            }
            5 => s.distribution = distribution(r)?,
            6 => {
                s.replay = Some(r.list(
                    MAX_REPLAY_KEYS,
                    |_| {
                        JobShape::Job(JobConfigError::ReplayTooLong {
                            max: MAX_REPLAY_KEYS,
                        })
                        .into()
                    },
                    In::string,
                )?)
            }
            7 => s.max_events = Some(r.varint()?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(s)
}

fn distribution(r: &mut In<'_>) -> Result<KeyDistribution> {
    let variant = r.variant(3)?;
    let (mut number, mut float) = (0, 0.0);
    r.record(&mut |r, n| {
        match (variant, n) {
            (1, 1) | (2, 2) => float = r.f64()?,
            (2, 1) => number = r.varint()?,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(match variant {
        0 => KeyDistribution::Uniform,
        1 => KeyDistribution::Zipf { exponent: float },
        2 => KeyDistribution::HotKey {
            key: number,
            fraction: float,
        },
        _ => KeyDistribution::Sequential,
    })
}

fn checkpointing(r: &mut In<'_>) -> Result<CheckpointingConfig> {
    // An absent option is `None`, whatever the option's default.
    let mut c = CheckpointingConfig {
        interval_ms: None,
        ..CheckpointingConfig::default()
    };
    r.record(&mut |r, n| {
        match n {
            1 => c.interval_ms = Some(r.varint()?),
            2 => c.mode = mode(r)?,
            3 => c.timeout_ms = r.varint()?,
            4 => c.tolerable_failed_checkpoints = r.u32()?,
            5 => c.min_pause_ms = r.varint()?,
            6 => c.retained = r.u32()?,
            7 => c.write_bytes_per_second = r.varint()?,
            8 => c.trigger_jitter_us = r.varint()?,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(c)
}

fn restart_strategy(r: &mut In<'_>) -> Result<RestartStrategyConfig> {
    let variant = r.variant(3)?;
    // Integer fields by number; the two factors of the exponential delay apart.
    let mut v = [0u64; 7];
    let (mut multiplier, mut jitter) = (0.0, 0.0);
    let fields: u64 = [0, 2, 3, 6][variant as usize];
    r.record(&mut |r, n| {
        if n > fields {
            return Ok(false);
        }
        match (variant, n) {
            (3, 3) => multiplier = r.f64()?,
            (3, 5) => jitter = r.f64()?,
            (1, 1) | (2, 1) | (3, 6) => v[n as usize] = u64::from(r.u32()?),
            _ => v[n as usize] = r.varint()?,
        }
        Ok(true)
    })?;
    Ok(match variant {
        0 => RestartStrategyConfig::None,
        1 => RestartStrategyConfig::FixedDelay {
            attempts: v[1] as u32,
            delay_ms: v[2],
        },
        2 => RestartStrategyConfig::FailureRate {
            max_failures_per_interval: v[1] as u32,
            failure_rate_interval_ms: v[2],
            delay_ms: v[3],
        },
        _ => RestartStrategyConfig::ExponentialDelay {
            initial_backoff_ms: v[1],
            max_backoff_ms: v[2],
            backoff_multiplier: multiplier,
            reset_backoff_threshold_ms: v[4],
            jitter_factor: jitter,
            attempts_before_reset_backoff: v[6] as u32,
        },
    })
}

fn memory(r: &mut In<'_>) -> Result<MemoryConfig> {
    let variant = r.variant(1)?;
    let (mut size, mut managed) = (MemorySize::ZERO, None);
    r.record(&mut |r, n| {
        match (variant, n) {
            (_, 1) => size = r.memory_size()?,
            (0, 2) => managed = Some(r.memory_size()?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(match variant {
        0 => MemoryConfig::Process {
            process_size: size,
            managed_size: managed,
        },
        _ => MemoryConfig::Local { jvm_heap: size },
    })
}

fn memory_options(r: &mut In<'_>) -> Result<TaskManagerMemoryOptions> {
    let mut o = TaskManagerMemoryOptions::default();
    r.record(&mut |r, n| {
        match n {
            4 => o.managed_fraction = r.f32()?,
            5 => o.managed_size = Some(r.memory_size()?),
            6 => o.network_fraction = r.f32()?,
            10 => o.jvm_overhead_fraction = r.f32()?,
            1..=12 => {
                let size = r.memory_size()?;
                *match n {
                    1 => &mut o.framework_heap,
                    2 => &mut o.framework_off_heap,
                    3 => &mut o.task_off_heap,
                    7 => &mut o.network_min,
                    8 => &mut o.network_max,
                    9 => &mut o.jvm_metaspace,
                    11 => &mut o.jvm_overhead_min,
                    _ => &mut o.jvm_overhead_max,
                } = size;
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(o)
}

/// An enum whose variants all hold one integer, field 1: the variant and the integer.
fn one_integer(r: &mut In<'_>, max_variant: u64) -> Result<(u64, u64)> {
    let variant = r.variant(max_variant)?;
    let [value] = r.integers([u64::MAX])?;
    Ok((variant, value))
}

fn failure(r: &mut In<'_>) -> Result<FailureTrigger> {
    Ok(match one_integer(r, 2)? {
        (0, call) => FailureTrigger::ProcessElementCall { call },
        (1, index) => FailureTrigger::EventIndex { index },
        (_, ms) => FailureTrigger::Time { ms },
    })
}

fn scheduled_command(r: &mut In<'_>) -> Result<ScheduledCommand> {
    let mut at = CommandTrigger::AtTime { ms: 0 };
    let mut command = JobCommand::TriggerCheckpoint;
    r.record(&mut |r, n| {
        match n {
            1 => {
                at = match one_integer(r, 2)? {
                    (0, records) => CommandTrigger::AfterRecords { records },
                    (1, ms) => CommandTrigger::AtTime { ms },
                    (_, checkpoint_id) => CommandTrigger::AfterCheckpoint { checkpoint_id },
                }
            }
            2 => command = job_command(r)?,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(ScheduledCommand { at, command })
}

fn job_command(r: &mut In<'_>) -> Result<JobCommand> {
    let variant = r.variant(6)?;
    let mut text = String::new();
    let (mut number, mut optional) = (0, None);
    r.record(&mut |r, n| {
        match (variant, n) {
            (0 | 2, 1) => text = r.string()?,
            (3 | 5, 1) => optional = Some(r.varint()?),
            (3, 2) => number = u64::from(r.u32()?),
            (4 | 6, 1) => number = r.varint()?,
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(match variant {
        0 => JobCommand::InjectKey { key: text },
        1 => JobCommand::TriggerCheckpoint,
        2 => JobCommand::FailNow { description: text },
        3 => JobCommand::Restore {
            checkpoint_id: optional,
            parallelism: number as u32,
        },
        4 => JobCommand::SetSourceRate { rate: number },
        5 => JobCommand::SetCheckpointInterval {
            interval_ms: optional,
        },
        _ => JobCommand::AdvanceClock { time_ns: number },
    })
}
