//! What browser storage keeps of a checkpoint beside its blob — the record the checkpoint library lists (its id,
//! times, the job's line, layout, source positions, sizes per key group, where it came from) — and the keys
//! checkpoints are stored under: a job's `<job id>/<checkpoint id>`, an import's content identity. The
//! IndexedDB side (`crate::web`) writes and reads these records.

use crate::engine::checkpoint::checkpoint_blob::{content_id, BlobReader};
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
