//! What browser storage keeps of a checkpoint beside its blob — the record the checkpoint library lists (its id,
//! times, the job's line, layout, source positions, sizes per key group, where it came from) — and the keys
//! checkpoints are stored under: a job's `<job id>/<checkpoint id>`, an import's content identity. The
//! IndexedDB side (`crate::web`) stores the record as JSON, the form every version wrote (through `serde_json`
//! until format version 2), written and read here by hand with StateLab's own small JSON reader and writer
//! ([`json`]) so that the page carries no generic serializer; records of earlier versions read as they did, and
//! earlier versions read these (`tests/checkpoint_record.rs` checks both against `serde_json`).

use crate::engine::checkpoint::blob_error::BlobError;
use crate::engine::checkpoint::checkpoint_blob::{content_id, BlobReader};
use crate::engine::checkpoint::json::{self, list, option, Reader, Writer};
use crate::engine::checkpoint::metadata_v1;
use crate::engine::cluster::job_config::{CheckpointingMode, JobConfig};
use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::source::data_generator_source::SplitPosition;
use crate::engine::source::key_distribution::KeyDistribution;
use serde::{Deserialize, Serialize};

/// Imported blobs' keys start with this.
const IMPORT_PREFIX: &str = "import/";

/// Where a stored checkpoint came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", try_from = "OriginRecord")]
pub enum CheckpointOrigin {
    /// Taken by a job running in this browser (this tab or another, now or before a reload).
    #[serde(rename_all = "camelCase")]
    Job { job_id: String },
    /// Imported from a file.
    File { name: String },
    /// Imported from a share link.
    Link,
}

/// [`CheckpointOrigin`] as stored (`{"kind": "job", "jobId": …}`), read as a plain record: serde's reader
/// for internally tagged enums buffers the whole record first and costs the page kilobytes of code.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OriginRecord {
    kind: String,
    job_id: Option<String>,
    name: Option<String>,
}

impl TryFrom<OriginRecord> for CheckpointOrigin {
    type Error = &'static str;

    fn try_from(record: OriginRecord) -> Result<Self, Self::Error> {
        match (record.kind.as_str(), record.job_id, record.name) {
            ("job", Some(job_id), _) => Ok(CheckpointOrigin::Job { job_id }),
            ("file", _, Some(name)) => Ok(CheckpointOrigin::File { name }),
            ("link", _, _) => Ok(CheckpointOrigin::Link),
            _ => Err("an unknown origin"),
        }
    }
}

/// The job that took a stored checkpoint, as far as the list shows it (one line): small and bounded whatever
/// the job holds — a replayed source's keys stay in the blob, the line keeps their number. Stored as a JSON
/// list, `[seed, sources, rate, keyCount, keyType, distribution, intervalMs, mode, retained, replayedKeys]`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredJob(
    pub u64,
    pub u32,
    pub u64,
    pub u64,
    pub JavaKeyType,
    pub KeyDistribution,
    pub Option<u64>,
    pub CheckpointingMode,
    pub u32,
    pub Option<u64>,
);

impl StoredJob {
    pub fn of(job: &JobConfig) -> Self {
        let (source, checkpointing) = (&job.source, &job.checkpointing);
        StoredJob(
            job.seed,
            source.parallelism,
            source.rate,
            source.key_count,
            source.key_format.key_type,
            source.distribution.clone(),
            checkpointing.interval_ms,
            checkpointing.mode,
            checkpointing.retained,
            source.replay.as_ref().map(|keys| keys.len() as u64),
        )
    }
}

/// What the list shows of a stored checkpoint, kept beside its blob.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredCheckpoint {
    pub key: String,
    pub origin: CheckpointOrigin,
    /// Wall-clock time it was stored (ms since the epoch).
    pub stored_at_ms: f64,
    pub checkpoint_id: u64,
    pub completion_time_ns: u64,
    /// The job that took it. Records of earlier versions held the whole configuration under `job` instead
    /// (skipped unread): listing gives them this line, from their blob.
    #[serde(rename = "jobLine", default)]
    pub job: Option<StoredJob>,
    pub parallelism: u32,
    pub max_parallelism: u32,
    pub source_positions: Vec<SplitPosition>,
    /// Checkpointed data size as Flink reports it.
    pub state_size: u64,
    pub entries: u64,
    pub blob_bytes: u64,
    /// Entries per key group (index = key group).
    pub key_group_entries: Vec<u32>,
    /// What job the run that took it was ([`crate::player::checkpoint_runs::RunJob::id`]). Imports have none, nor do
    /// records of earlier versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// When that run started (ms since the epoch); like `run`, only checkpoints of a job of this version have it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_started_ms: Option<f64>,
}

impl StoredCheckpoint {
    /// The record of a checkpoint of the job running here (`<job id>/<checkpoint id>`), from the blob the
    /// engine has just written of it ([`BlobReader::open_written`]: not checked entry by entry as an import is).
    pub fn of_job_blob(
        job_id: &str,
        checkpoint_id: u64,
        blob: &[u8],
        stored_at_ms: f64,
    ) -> Result<Self, BlobError> {
        let reader = BlobReader::open_written(blob)?;
        Ok(StoredCheckpoint::describe(
            job_checkpoint_key(job_id, checkpoint_id),
            CheckpointOrigin::Job {
                job_id: job_id.to_owned(),
            },
            &reader,
            stored_at_ms,
        ))
    }

    /// The metadata of a validated blob, stored at `stored_at_ms` (ms since the epoch).
    pub fn describe(
        key: String,
        origin: CheckpointOrigin,
        reader: &BlobReader<'_>,
        stored_at_ms: f64,
    ) -> Self {
        let m = reader.metadata();
        StoredCheckpoint {
            key,
            origin,
            stored_at_ms,
            checkpoint_id: m.checkpoint_id,
            completion_time_ns: m.completion_time_ns,
            job: Some(StoredJob::of(&m.job)),
            parallelism: m.parallelism,
            max_parallelism: m.max_parallelism,
            source_positions: m.source_positions.clone(),
            state_size: m.flink_state_size,
            entries: m.entries,
            blob_bytes: reader.len() as u64,
            key_group_entries: reader.sections().iter().map(|s| s.entries).collect(),
            run: None,
            run_started_ms: None,
        }
    }

    /// Events the sources had emitted at the checkpoint.
    pub fn source_position(&self) -> u64 {
        self.source_positions
            .iter()
            .map(|p| p.generated.saturating_add(p.injected))
            .fold(0, u64::saturating_add)
    }

    pub fn job_id(&self) -> Option<&str> {
        match &self.origin {
            CheckpointOrigin::Job { job_id } => Some(job_id),
            _ => None,
        }
    }

    /// The record as stored: compact JSON, as `serde_json` wrote it.
    pub fn to_json(&self) -> String {
        let mut w = Writer::new();
        w.begin_object();
        w.key("key").string(&self.key);
        w.key("origin").begin_object();
        match &self.origin {
            CheckpointOrigin::Job { job_id } => {
                w.key("kind").string("job").key("jobId").string(job_id);
            }
            CheckpointOrigin::File { name } => {
                w.key("kind").string("file").key("name").string(name);
            }
            CheckpointOrigin::Link => {
                w.key("kind").string("link");
            }
        }
        w.end_object();
        w.key("storedAtMs").f64(self.stored_at_ms);
        w.key("checkpointId").u64(self.checkpoint_id);
        w.key("completionTimeNs").u64(self.completion_time_ns);
        w.key("jobLine");
        match &self.job {
            Some(job) => write_job_line(&mut w, job),
            None => {
                w.null();
            }
        }
        w.key("parallelism").u64(u64::from(self.parallelism));
        w.key("maxParallelism").u64(u64::from(self.max_parallelism));
        w.key("sourcePositions").begin_array();
        for p in &self.source_positions {
            w.begin_object();
            w.key("generated").u64(p.generated);
            w.key("injected").u64(p.injected);
            w.end_object();
        }
        w.end_array();
        w.key("stateSize").u64(self.state_size);
        w.key("entries").u64(self.entries);
        w.key("blobBytes").u64(self.blob_bytes);
        w.key("keyGroupEntries").begin_array();
        for &n in &self.key_group_entries {
            w.u64(u64::from(n));
        }
        w.end_array();
        if let Some(run) = &self.run {
            w.key("run").string(run);
        }
        if let Some(ms) = self.run_started_ms {
            w.key("runStartedMs").f64(ms);
        }
        w.end_object();
        w.finish()
    }

    /// A stored record, if it reads as one (records of every version do; members they do not have take their
    /// default, ones this version does not know — an earlier version's whole `job` — are read past).
    pub fn from_json(json: &str) -> Option<StoredCheckpoint> {
        let mut r = Reader::new(json.as_bytes());
        let record = read_record(&mut r).ok()?;
        r.end().ok()?;
        Some(record)
    }
}

fn write_job_line(w: &mut Writer, job: &StoredJob) {
    let StoredJob(
        seed,
        sources,
        rate,
        key_count,
        key_type,
        distribution,
        interval_ms,
        mode,
        retained,
        replayed,
    ) = job;
    let optional = |w: &mut Writer, v: &Option<u64>| {
        match v {
            Some(v) => w.u64(*v),
            None => w.null(),
        };
    };
    w.begin_array();
    w.u64(*seed)
        .u64(u64::from(*sources))
        .u64(*rate)
        .u64(*key_count);
    w.string(match key_type {
        JavaKeyType::String => "String",
        JavaKeyType::Integer => "Integer",
        JavaKeyType::Long => "Long",
    });
    w.begin_object();
    match *distribution {
        KeyDistribution::Uniform => {
            w.key("type").string("uniform");
        }
        KeyDistribution::Zipf { exponent } => {
            w.key("type").string("zipf").key("exponent").f64(exponent);
        }
        KeyDistribution::HotKey { key, fraction } => {
            w.key("type").string("hotKey").key("key").u64(key);
            w.key("fraction").f64(fraction);
        }
        KeyDistribution::Sequential => {
            w.key("type").string("sequential");
        }
    }
    w.end_object();
    optional(w, interval_ms);
    w.string(match mode {
        CheckpointingMode::ExactlyOnce => "EXACTLY_ONCE",
        CheckpointingMode::AtLeastOnce => "AT_LEAST_ONCE",
    });
    w.u64(u64::from(*retained));
    optional(w, replayed);
    w.end_array();
}

fn read_record(r: &mut Reader<'_>) -> json::Result<StoredCheckpoint> {
    const NAMES: [&str; 15] = [
        "key",
        "origin",
        "storedAtMs",
        "checkpointId",
        "completionTimeNs",
        "jobLine",
        "parallelism",
        "maxParallelism",
        "sourcePositions",
        "stateSize",
        "entries",
        "blobBytes",
        "keyGroupEntries",
        "run",
        "runStartedMs",
    ];
    let mut c = StoredCheckpoint {
        key: String::new(),
        origin: CheckpointOrigin::Link,
        stored_at_ms: 0.0,
        checkpoint_id: 0,
        completion_time_ns: 0,
        job: None,
        parallelism: 0,
        max_parallelism: 0,
        source_positions: Vec::new(),
        state_size: 0,
        entries: 0,
        blob_bytes: 0,
        key_group_entries: Vec::new(),
        run: None,
        run_started_ms: None,
    };
    let seen = r.members(&NAMES, false, &mut |r, i| {
        match i {
            0 => c.key = r.string()?,
            1 => c.origin = read_origin(r)?,
            2 => c.stored_at_ms = r.f64()?,
            3 => c.checkpoint_id = r.u64()?,
            4 => c.completion_time_ns = r.u64()?,
            5 => c.job = option(r, read_job_line)?,
            6 => c.parallelism = r.u32()?,
            7 => c.max_parallelism = r.u32()?,
            8 => c.source_positions = list(r, metadata_v1::split_position)?,
            9 => c.state_size = r.u64()?,
            10 => c.entries = r.u64()?,
            11 => c.blob_bytes = r.u64()?,
            12 => c.key_group_entries = list(r, Reader::u32)?,
            13 => c.run = option(r, Reader::string)?,
            _ => c.run_started_ms = option(r, Reader::f64)?,
        }
        Ok(())
    })?;
    r.require(&NAMES, seen, &[0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12])?;
    Ok(c)
}

/// `{"kind": "job", "jobId": …}`, `{"kind": "file", "name": …}` or `{"kind": "link"}`.
fn read_origin(r: &mut Reader<'_>) -> json::Result<CheckpointOrigin> {
    const NAMES: [&str; 3] = ["kind", "jobId", "name"];
    let (mut kind, mut job_id, mut name) = (String::new(), None, None);
    let seen = r.members(&NAMES, false, &mut |r, i| {
        match i {
            0 => kind = r.string()?,
            1 => job_id = option(r, Reader::string)?,
            _ => name = option(r, Reader::string)?,
        }
        Ok(())
    })?;
    r.require(&NAMES, seen, &[0])?;
    match (kind.as_str(), job_id, name) {
        ("job", Some(job_id), _) => Ok(CheckpointOrigin::Job { job_id }),
        ("file", _, Some(name)) => Ok(CheckpointOrigin::File { name }),
        ("link", _, _) => Ok(CheckpointOrigin::Link),
        _ => r.error("an unknown origin"),
    }
}

/// The job's line: a list of exactly its ten values.
fn read_job_line(r: &mut Reader<'_>) -> json::Result<StoredJob> {
    let mut job = StoredJob(
        0,
        0,
        0,
        0,
        JavaKeyType::String,
        KeyDistribution::Uniform,
        None,
        CheckpointingMode::ExactlyOnce,
        0,
        None,
    );
    let mut n = 0;
    r.array(&mut |r| {
        match n {
            0 => job.0 = r.u64()?,
            1 => job.1 = r.u32()?,
            2 => job.2 = r.u64()?,
            3 => job.3 = r.u64()?,
            4 => job.4 = metadata_v1::key_type(r)?,
            5 => job.5 = metadata_v1::distribution(r)?,
            6 => job.6 = option(r, Reader::u64)?,
            7 => job.7 = metadata_v1::mode(r)?,
            8 => job.8 = r.u32()?,
            9 => job.9 = option(r, Reader::u64)?,
            _ => return r.error("trailing characters"),
        }
        n += 1;
        Ok(())
    })?;
    if n < 10 {
        return r.error_owned(format!(
            "invalid length {n}, expected a job line of 10 values"
        ));
    }
    Ok(job)
}

/// The key of a checkpoint a job took: sorts by job, then by checkpoint id.
pub fn job_checkpoint_key(job_id: &str, checkpoint_id: u64) -> String {
    format!("{job_id}/{checkpoint_id:020}")
}

/// The key of an imported blob, its content identity: the same blob imported twice is one entry, two
/// different blobs are always two.
pub fn imported_key(blob: &[u8]) -> String {
    format!("{IMPORT_PREFIX}{}", content_id(blob))
}
