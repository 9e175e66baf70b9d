//! StateLab's checkpoint blob: one completed checkpoint as bytes that can be stored, downloaded, put in a link
//! and opened by another StateLab — the counterpart of Flink's `_metadata` file plus its keyed state handles.
//! The layout is documented in `docs/checkpoint-format.md`:
//!
//! ```text
//! header    magic "\x89SLCKPT\n" | u16 format version | u16 flags | u32 metadata length | u32 key groups |
//!           u64 total length                                                      (little-endian, 28 bytes)
//! metadata  deflated binary records (version 2; JSON in version 1): checkpoint id and times, mode, parallelism,
//!           max parallelism, source positions, the job configuration, the state's shape, named keys, entry
//!           count, per-subtask statistics
//! sections  one table entry per key group (offset, stored length, raw length, entries, encoding), 20 bytes each —
//!           like Flink's KeyGroupRangeOffsets, so a restore reads only the key groups it owns
//! payload   per key group: entries as varint(key code) varint(zigzag(value)), deflated when that is smaller
//! trailer   u32 CRC-32 of everything before it
//! ```
//!
//! A key the job's key format generates is stored as its index (`user-000123` → 123), any other key as an index
//! into the metadata's table of named keys, so a `"user-%06d"` entry with a Long count takes about 4 bytes before
//! compression (Flink's native format: 21).
//!
//! Reading is defensive, because a blob comes from anyone: the length and checksum are checked before anything
//! is parsed; every claimed size is checked against the caps below (the reader's resource budget, documented in
//! `docs/checkpoint-format.md`) before anything is allocated, and nothing is ever allocated from a claimed count
//! beyond the bytes actually present; sections are inflated as a stream and decoded as they inflate, so a
//! decompression bomb stops at its first bad entry; and [`BlobReader::open`] reads every entry once before it
//! answers, checking that every key belongs to its key group and appears once, that every count is one a run
//! can produce, and that the statistics are what the entries make. Every refusal is a typed
//! [`BlobError`] with the numbers that failed.

pub use crate::engine::checkpoint::blob_error::BlobError;
use crate::engine::checkpoint::blob_error::{
    excerpt, Implausible, JobShape, Limit, Malformed, SectionProblem, Sum,
};
use crate::engine::checkpoint::completed_checkpoint::{
    CompletedCheckpoint, SubtaskCheckpointStats,
};
use crate::engine::checkpoint::metadata_v2::MAX_JOB_LIST;
use crate::engine::checkpoint::{key_list, metadata_v1, metadata_v2};
use crate::engine::cluster::job_config::{parse_key, CheckpointingMode, JobConfig};
use crate::engine::functions::job_function::JobFunction;
use crate::engine::functions::keyed_process_function::KeyedProcessFunction;
use crate::engine::functions::session_process_function::SESSION_GAP_MS;
use crate::engine::keys::java_key::{JavaKey, JavaKeyType, MAX_KEY_BYTES};
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::keys::key_group_range_assignment::{
    compute_operator_index_for_key_group, UPPER_BOUND_MAX_PARALLELISM,
};
use crate::engine::keys::key_registry::{KeyFormat, KeyId, KeyRegistry};
use crate::engine::keys::math_utils::murmur_hash;
use crate::engine::source::data_generator_source::SplitPosition;
use crate::engine::source::event::MAX_AMOUNT;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::state_objects::{MapEntry, StateValueObject};
use crate::engine::state::keyed_backend_serialization_proxy::{
    key_group_header_bytes, key_serialized_bytes, meta_data_bytes, VOID_NAMESPACE_BYTES,
};
#[cfg(not(target_arch = "wasm32"))]
use miniz_oxide::inflate::stream::{inflate, InflateState};
#[cfg(not(target_arch = "wasm32"))]
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The first bytes of every blob. The non-ASCII first byte and the line feed catch text-mode mangling, as PNG's do.
pub const MAGIC: [u8; 8] = *b"\x89SLCKPT\n";
/// The newest format this code writes and reads: version 3 carries every job function's state and its timers.
/// It reads versions 1 (JSON metadata, [`metadata_v1`]) and 2 too.
pub const FORMAT_VERSION: u16 = 3;
/// The version a counter job's blob is written in: version 2, which version-2 readers open, since version 3
/// would add nothing to it (`docs/checkpoint-format.md`, "Versioning").
pub const COUNTER_FORMAT_VERSION: u16 = 2;
/// The oldest format this code reads.
pub const OLDEST_FORMAT_VERSION: u16 = 1;
/// The file extension StateLab uses for blobs.
pub const FILE_EXTENSION: &str = "slcp";

const HEADER_LEN: usize = 28;
const SECTION_ENTRY_LEN: usize = 20;
const TRAILER_LEN: usize = 4;

// The reader's caps: what a blob may claim, chosen from what the page holds (a tab runs a job with a million
// keys smoothly; see BENCHMARKS.md) with room to spare. The writer refuses to write what the reader would refuse.

/// Metadata as stored (deflated) and inflated (JSON in version 1, binary in version 2): a job configuration, at
/// most [`MAX_NAMED_KEYS`] named keys and a replay list of at most 100,000 keys fit with room to spare.
pub const MAX_METADATA_STORED: u32 = 4 << 20;
pub const MAX_METADATA_INFLATED: usize = 4 << 20;
/// Keys stored by their text (typed by hand, or replayed ones the key format does not spell).
pub const MAX_NAMED_KEYS: usize = 200_000;
/// Entries (keys in state) of the whole checkpoint: four times the million keys the page is measured with.
pub const MAX_ENTRIES: u64 = 4_000_000;
/// Bytes of entries before compression, per key group and in all (an entry takes 2 to 20).
pub const MAX_SECTION_RAW: u32 = 64 << 20;
pub const MAX_ENTRY_BYTES: u64 = 64 << 20;
/// The longest `producer` text.
pub const MAX_PRODUCER_CHARS: usize = 200;
/// Checkpoint ids, source positions and times a job can reach: 2^48 checkpoints or events (a checkpoint every
/// millisecond for 8,900 years), about 2.3 years of simulated time. Well inside a Java `long` and exact in a
/// JavaScript number, and far enough below `u64::MAX` that nothing computed from them can overflow.
pub const MAX_CHECKPOINT_ID: u64 = 1 << 48;
pub const MAX_POSITION: u64 = 1 << 48;
pub const MAX_TIME_NS: u64 = 1 << 56;
/// Deflate expands at most about 1032:1.
const MAX_DEFLATE_RATIO: u64 = 1032;
/// The smallest encoded entry is two bytes (a one-byte key code and a one-byte value).
const MIN_ENTRY_BYTES: u32 = 2;
/// Inflated bytes decoded at a time.
const INFLATE_CHUNK: usize = 64 << 10;
/// Elements of one list (a `ListState`'s `ArrayList`): as many as the entries cap.
pub const MAX_LIST_LENGTH: u64 = 4_000_000;
/// Mappings of one map (a `MapState`'s or a `ValueState<HashMap>`'s): the job's maps hold a few categories.
pub const MAX_MAP_SIZE: u64 = 100_000;
/// Bytes of one map key (UTF-8), as of a key.
pub const MAX_USER_KEY_BYTES: u64 = MAX_KEY_BYTES as u64;
/// Timers of one key group: as many as the entries cap.
pub const MAX_TIMERS: u64 = 4_000_000;

const ENCODING_RAW: u8 = 0;
const ENCODING_DEFLATE: u8 = 1;
const FLAG_METADATA_DEFLATED: u16 = 1;
const NS_PER_MS: u64 = 1_000_000;

/// The state a blob holds: the job function's, e.g. `ValueState<Long>` `"event-counter"` for the counter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StateShape {
    pub name: String,
    pub kind: String,
    pub value_type: String,
    pub key_type: JavaKeyType,
}

impl StateShape {
    /// The state `function` keeps, keyed by `key_type`: its kind and value type as the Java program declares
    /// them (an `AggregatingState<Long, Double>` whose accumulator is a `Tuple2<Long, Long>`), a TTL value state's
    /// value as the `TtlValue<Long>` it stores.
    pub fn of(function: JobFunction, key_type: JavaKeyType) -> Self {
        let (kind, value_type) = match function {
            JobFunction::Counter => ("ValueState", "Long"),
            JobFunction::EventLog => ("ListState", "Long"),
            JobFunction::EventLogInValue => ("ValueState", "ArrayList<Long>"),
            JobFunction::CategoryCounts => ("MapState", "String, Long"),
            JobFunction::CategoryCountsInValue => ("ValueState", "HashMap<String, Long>"),
            JobFunction::RunningSum => ("ReducingState", "Long"),
            JobFunction::Average => ("AggregatingState", "Long, Double"),
            JobFunction::IdleCounter => ("ValueState", "TtlValue<Long>"),
            JobFunction::Session => ("ValueState", "Tuple2<Long, Long>"),
            JobFunction::KeyStats => ("ValueState", "KeyStats"),
        };
        StateShape {
            name: function.state_name().to_owned(),
            kind: kind.to_owned(),
            value_type: value_type.to_owned(),
            key_type,
        }
    }

    /// `ValueState<Long> 'event-counter'`.
    fn describe(&self) -> String {
        format!("{}<{}> '{}'", self.kind, self.value_type, self.name)
    }
}

/// How a function's state value is stored in a version-3 section (`docs/checkpoint-format.md`, "Entries").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ValueKind {
    Long,
    List,
    Map,
    Tuple2,
    Ttl,
    /// A `KeyStats` POJO: its `count` and `sum`.
    KeyStats,
}

impl ValueKind {
    fn of(function: JobFunction) -> Self {
        match function {
            JobFunction::Counter | JobFunction::RunningSum => ValueKind::Long,
            JobFunction::EventLog | JobFunction::EventLogInValue => ValueKind::List,
            JobFunction::CategoryCounts | JobFunction::CategoryCountsInValue => ValueKind::Map,
            JobFunction::Average | JobFunction::Session => ValueKind::Tuple2,
            JobFunction::IdleCounter => ValueKind::Ttl,
            JobFunction::KeyStats => ValueKind::KeyStats,
        }
    }
}

/// The format version a blob of `function`'s state is written in.
pub fn format_version_of(function: JobFunction) -> u16 {
    if function.is_counter() {
        COUNTER_FORMAT_VERSION
    } else {
        FORMAT_VERSION
    }
}

/// Everything about the checkpoint but its entries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BlobMetadata {
    /// What wrote the blob, e.g. `StateLab 0.1.0`.
    pub producer: String,
    pub checkpoint_id: u64,
    pub trigger_time_ns: u64,
    pub completion_time_ns: u64,
    pub mode: CheckpointingMode,
    pub max_parallelism: u32,
    /// Parallelism of the keyed operator when the checkpoint was taken.
    pub parallelism: u32,
    pub source_positions: Vec<SplitPosition>,
    pub state: StateShape,
    /// The job that took it.
    pub job: JobConfig,
    /// Keys the job's key format does not generate (typed by hand), referenced by position; bounded while read.
    #[serde(deserialize_with = "named_keys")]
    pub named_keys: Vec<String>,
    pub entries: u64,
    /// Bytes Flink's native format would take for the same state.
    pub flink_state_size: u64,
    pub subtasks: Vec<SubtaskCheckpointStats>,
}

fn named_keys<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    key_list::bounded(d, MAX_NAMED_KEYS)
}

impl BlobMetadata {
    /// Events the sources had emitted when the barrier passed them.
    pub fn source_events(&self) -> u64 {
        self.source_positions
            .iter()
            .map(|p| p.generated.saturating_add(p.injected))
            .fold(0, u64::saturating_add)
    }
}

/// A key as stored: by index in the key format, or by position in the named keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyRef {
    Generated(u64),
    Named(u32),
}

/// A value of the job function's state: a `Long` (the counter's count, a running sum) or an object (a list, a
/// map, a `Tuple2`, a `TtlValue`), as the serializer's copy makes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateValue {
    Long(i64),
    Object(StateValueObject),
}

/// One key group as stored: the entries of the function's state and the timers (key, timestamp in ms), in the
/// order they were written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyGroupState {
    pub entries: Vec<(KeyRef, StateValue)>,
    pub timers: Vec<(KeyRef, i64)>,
}

/// What the section table says about one key group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionInfo {
    pub offset: u32,
    pub stored_len: u32,
    pub raw_len: u32,
    pub entries: u32,
    pub encoding: u8,
}

// ------------------------------------------------------------------------------------------------------------
// Encoding

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A state object as version 3 stores it: a list's count and zigzag elements; a map's count and each mapping's
/// key (length-prefixed UTF-8) and zigzag value; a `Tuple2`'s two zigzag fields, a `KeyStats`' too (`count`, then
/// `sum`); a `TtlValue`'s presence flag,
/// zigzag value when present, and zigzag timestamp. Refuses a list or map beyond the reader's caps.
fn put_object(
    raw: &mut Vec<u8>,
    object: &StateValueObject,
    key_group: u32,
    entry: u32,
) -> Result<(), BlobError> {
    let too_many = |count: usize, max: u64| -> Result<(), BlobError> {
        if count as u64 > max {
            return Err(Limit::Elements {
                key_group,
                entry,
                count: count as u64,
                max,
            }
            .into());
        }
        Ok(())
    };
    // A map's user key, length-prefixed UTF-8, refused beyond the reader's cap.
    let put_user_key = |raw: &mut Vec<u8>, key: &str| -> Result<(), BlobError> {
        if key.len() as u64 > MAX_USER_KEY_BYTES {
            return Err(Limit::UserKey {
                key_group,
                entry,
                bytes: key.len() as u64,
                max: MAX_USER_KEY_BYTES,
            }
            .into());
        }
        put_varint(raw, key.len() as u64);
        raw.extend_from_slice(key.as_bytes());
        Ok(())
    };
    match object {
        StateValueObject::List { elements, .. } => {
            too_many(elements.len(), MAX_LIST_LENGTH)?;
            put_varint(raw, elements.len() as u64);
            for &v in elements {
                put_varint(raw, zigzag(v));
            }
        }
        // A map's mappings in the order its `HashMap` iterates them, as `MapSerializer.serialize` writes them (so
        // that the map read back iterates as Flink's restored one does).
        StateValueObject::Map { entries, .. } => {
            too_many(entries.len(), MAX_MAP_SIZE)?;
            put_varint(raw, entries.len() as u64);
            for e in &object.map_entries_in_table_order().unwrap_or_default() {
                put_user_key(raw, &e.key)?;
                put_varint(raw, zigzag(e.value));
            }
        }
        StateValueObject::Tuple2 { f0: a, f1: b }
        | StateValueObject::KeyStats { count: a, sum: b } => {
            put_varint(raw, zigzag(*a));
            put_varint(raw, zigzag(*b));
        }
        StateValueObject::TtlValue {
            user_value,
            last_access_timestamp,
        } => {
            match user_value {
                Some(v) => {
                    raw.push(1);
                    put_varint(raw, zigzag(*v));
                }
                None => raw.push(0),
            }
            put_varint(raw, zigzag(*last_access_timestamp));
        }
        // No job function keeps a list or map with TTL yet (no `ValueKind` reads them back): written as a list's
        // or map's layout with each `TtlValue` as its zigzag value and zigzag timestamp.
        StateValueObject::TtlList { elements, .. } => {
            too_many(elements.len(), MAX_LIST_LENGTH)?;
            put_varint(raw, elements.len() as u64);
            for e in elements {
                put_varint(raw, zigzag(e.user_value));
                put_varint(raw, zigzag(e.last_access_timestamp));
            }
        }
        StateValueObject::TtlMap { entries, .. } => {
            too_many(entries.len(), MAX_MAP_SIZE)?;
            put_varint(raw, entries.len() as u64);
            for e in &object.ttl_map_entries_in_table_order().unwrap_or_default() {
                put_user_key(raw, &e.key)?;
                put_varint(raw, zigzag(e.value.user_value));
                put_varint(raw, zigzag(e.value.last_access_timestamp));
            }
        }
    }
    Ok(())
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Encodes a completed checkpoint of the job `job`, whose keys are in `keys`, in the format of its function
/// ([`format_version_of`]: 2 for the counter, 3 for the others). Refuses, with the cap it would pass, a
/// checkpoint larger than readers open.
pub fn encode(
    checkpoint: &CompletedCheckpoint,
    keys: &KeyRegistry,
    job: &JobConfig,
) -> Result<Vec<u8>, BlobError> {
    encode_with(checkpoint, keys, job, true, format_version_of(job.function))
}

/// Like [`encode`], without compression: plain metadata and varints, as a hex viewer or a fuzzer sees them
/// best. Readers open both.
pub fn encode_uncompressed(
    checkpoint: &CompletedCheckpoint,
    keys: &KeyRegistry,
    job: &JobConfig,
) -> Result<Vec<u8>, BlobError> {
    encode_with(
        checkpoint,
        keys,
        job,
        false,
        format_version_of(job.function),
    )
}

/// Encodes in format version 1 (JSON metadata, written by `serde_json`), as StateLab did before version 2: kept
/// natively for the tests that old blobs keep opening and for the hostile-blob generator, never in the page.
#[cfg(not(target_arch = "wasm32"))]
pub fn encode_version_1(
    checkpoint: &CompletedCheckpoint,
    keys: &KeyRegistry,
    job: &JobConfig,
    compress: bool,
) -> Result<Vec<u8>, BlobError> {
    encode_with(checkpoint, keys, job, compress, 1)
}

fn encode_with(
    checkpoint: &CompletedCheckpoint,
    keys: &KeyRegistry,
    job: &JobConfig,
    compress: bool,
    version: u16,
) -> Result<Vec<u8>, BlobError> {
    let function = job.function;
    if version != format_version_of(function) && (version != 1 || !function.is_counter()) {
        return Err(Malformed::Version {
            function: function.id(),
            version,
            expected: format_version_of(function),
        }
        .into());
    }
    let entries = checkpoint.entries() as u64;
    if entries > MAX_ENTRIES {
        return Err(Limit::Entries {
            entries,
            max: MAX_ENTRIES,
        }
        .into());
    }
    let key_type = job.source.key_format.key_type;
    let mut named: Vec<String> = Vec::new();
    let mut named_index: HashMap<KeyId, u32> = HashMap::new();
    let mut raw_sections: Vec<(Vec<u8>, u32)> = Vec::with_capacity(checkpoint.key_groups.len());
    let mut raw_total = 0u64;
    let mut code_of = |key: KeyId| match keys.generated_index(key) {
        Some(index) => index << 1,
        None => {
            let next = named.len() as u32;
            let n = *named_index.entry(key).or_insert_with(|| {
                named.push(keys.display(key));
                next
            });
            (u64::from(n) << 1) | 1
        }
    };
    for (kg, group) in (0u32..).zip(&checkpoint.key_groups) {
        let objects = checkpoint.objects_of(kg as usize);
        let mut raw = Vec::with_capacity(group.len() * 5);
        for &(key, value) in group {
            put_varint(&mut raw, code_of(key));
            put_varint(&mut raw, zigzag(value));
        }
        for (entry, (key, object)) in (0u32..).zip(objects) {
            put_varint(&mut raw, code_of(*key));
            put_object(&mut raw, object, kg, entry)?;
        }
        if version >= 3 {
            let timers = checkpoint.timers_of(kg as usize);
            if timers.len() as u64 > MAX_TIMERS {
                return Err(Limit::Timers {
                    key_group: kg,
                    count: timers.len() as u64,
                    max: MAX_TIMERS,
                }
                .into());
            }
            put_varint(&mut raw, timers.len() as u64);
            for &(key, timestamp) in timers {
                put_varint(&mut raw, code_of(key));
                put_varint(&mut raw, zigzag(timestamp));
            }
        }
        if raw.len() as u64 > u64::from(MAX_SECTION_RAW) {
            return Err(Limit::Section {
                key_group: kg,
                bytes: raw.len() as u64,
                max: u64::from(MAX_SECTION_RAW),
            }
            .into());
        }
        raw_total += raw.len() as u64;
        raw_sections.push((raw, (group.len() + objects.len()) as u32));
    }
    if raw_total > MAX_ENTRY_BYTES {
        return Err(Limit::EntryBytes {
            bytes: raw_total,
            max: MAX_ENTRY_BYTES,
        }
        .into());
    }
    if named.len() > MAX_NAMED_KEYS {
        return Err(Limit::NamedKeys {
            max: MAX_NAMED_KEYS,
        }
        .into());
    }
    if let Some(count) = [job.failures.len(), job.script.len()]
        .into_iter()
        .find(|&n| n > MAX_JOB_LIST)
    {
        return Err(Limit::List {
            count: count as u64,
            max: MAX_JOB_LIST as u64,
        }
        .into());
    }
    // The blob names the layout the checkpoint was taken at, whatever the job was first configured with.
    let mut job = job.clone();
    job.parallelism = checkpoint.parallelism;
    job.max_parallelism = Some(checkpoint.max_parallelism);
    let metadata = BlobMetadata {
        producer: format!("StateLab {}", env!("CARGO_PKG_VERSION")),
        checkpoint_id: checkpoint.checkpoint_id,
        trigger_time_ns: checkpoint.trigger_time,
        completion_time_ns: checkpoint.completion_time,
        mode: checkpoint.mode,
        max_parallelism: checkpoint.max_parallelism,
        parallelism: checkpoint.parallelism,
        source_positions: checkpoint.source_positions.clone(),
        state: StateShape::of(function, key_type),
        job,
        named_keys: named,
        entries,
        flink_state_size: checkpoint.state_size(),
        subtasks: checkpoint.subtasks.clone(),
    };
    let raw = match version {
        #[cfg(not(target_arch = "wasm32"))]
        1 => serde_json::to_vec(&metadata).expect("metadata is always serialisable"),
        _ => metadata_v2::write(&metadata),
    };
    if raw.len() > MAX_METADATA_INFLATED {
        return Err(Limit::MetadataInflated {
            max: MAX_METADATA_INFLATED as u64,
        }
        .into());
    }
    let compress = compress && DEFLATES;
    let metadata_bytes = if compress { deflate(&raw, 6) } else { raw };
    let compressed: Vec<Vec<u8>> = raw_sections
        .iter()
        .map(|(raw, _)| {
            if compress && raw.len() > MIN_DEFLATED_SECTION {
                deflate(raw, 1)
            } else {
                Vec::new()
            }
        })
        .collect();
    let sections: Vec<(SectionInfo, &[u8])> = raw_sections
        .iter()
        .zip(&compressed)
        .map(|((raw, entries), compressed)| {
            let deflated = !compressed.is_empty() && compressed.len() < raw.len();
            let info = SectionInfo {
                offset: 0,
                stored_len: 0,
                raw_len: raw.len() as u32,
                entries: *entries,
                encoding: if deflated {
                    ENCODING_DEFLATE
                } else {
                    ENCODING_RAW
                },
            };
            (info, if deflated { &compressed[..] } else { &raw[..] })
        })
        .collect();
    Ok(assemble(version, &metadata_bytes, compress, &sections))
}

/// Whether this build deflates what it writes and inflates what it reads, with miniz_oxide: natively yes. The
/// page's wasm leaves miniz_oxide out: there the browser's `CompressionStream` deflates a blob's parts after
/// it is written, and its `DecompressionStream` inflates them before it is read
/// ([`crate::engine::checkpoint::blob_parts`], `web::compression`).
pub const DEFLATES: bool = cfg!(not(target_arch = "wasm32"));

/// Sections this short or shorter are stored raw: deflating them saves nothing.
pub(crate) const MIN_DEFLATED_SECTION: usize = 64;

#[cfg(not(target_arch = "wasm32"))]
fn deflate(raw: &[u8], level: u8) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(raw, level)
}

/// Never called in the page ([`DEFLATES`] is false there).
#[cfg(target_arch = "wasm32")]
fn deflate(raw: &[u8], _level: u8) -> Vec<u8> {
    raw.to_vec()
}

#[cfg(target_arch = "wasm32")]
type CrcTable = crc::Table<1>;
#[cfg(not(target_arch = "wasm32"))]
type CrcTable = crc::Table<16>;
const CRC_32: crc::Crc<u32, CrcTable> = crc::Crc::<u32, CrcTable>::new(&crc::CRC_32_ISO_HDLC);

/// The trailer's checksum: IEEE 802.3 CRC-32, as zlib's `crc32`.
pub fn crc32(bytes: &[u8]) -> u32 {
    CRC_32.checksum(bytes)
}

/// The content identity of a blob: the SHA-256 of its bytes as 64 lowercase hex digits. Equal identities mean
/// equal bytes (for anything but a SHA-256 collision); an import is stored under it, so the same blob imported
/// twice is one entry and two different blobs are always two.
pub fn content_id(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(byte & 15), 16).unwrap_or('0'));
    }
    hex
}

// ------------------------------------------------------------------------------------------------------------
// Decoding

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from(u32_at(b, at)) | u64::from(u32_at(b, at + 4)) << 32
}

/// What a named key contributes to the checks: its `hashCode()` and the bytes Flink's key serializer writes.
#[derive(Clone, Copy, Debug)]
struct NamedKey {
    hash_code: i32,
    serialized_bytes: u64,
}

/// A fully checked blob, ready to hand out its metadata and, one by one, its key groups.
#[derive(Debug)]
pub struct BlobReader<'a> {
    bytes: &'a [u8],
    version: u16,
    metadata: BlobMetadata,
    named: Vec<NamedKey>,
    sections: Vec<SectionInfo>,
    payload_start: usize,
}

impl<'a> BlobReader<'a> {
    /// Checks the whole blob — framing, checksum, caps, metadata, section table, and every entry of every key
    /// group — within the caps' memory, and answers only when all of it holds.
    pub fn open(bytes: &'a [u8]) -> Result<Self, BlobError> {
        let reader = Self::open_framed::<true>(bytes)?;
        reader.verify()?;
        Ok(reader)
    }

    /// A blob of format version 2 or later (binary metadata), checked whole as [`Self::open`] checks it, and one
    /// of version 1 refused ([`BlobError::NotUpgraded`]): the page's reader, which carries no JSON reader — the
    /// checkpoint library's worker hands the page version-1 blobs [`upgraded`].
    pub fn open_binary(bytes: &'a [u8]) -> Result<Self, BlobError> {
        let reader = Self::open_framed::<false>(bytes)?;
        reader.verify()?;
        Ok(reader)
    }

    /// A blob this engine has just written ([`encode`]): its framing, checksum, metadata and section table
    /// checked as [`Self::open`] checks them, but not every entry of every key group, which `encode` wrote from
    /// a running job's checkpoint (the page stores each of the job's checkpoints it completes, and with millions
    /// of timers the entries' checks take longer than writing the blob). Never for a blob from outside.
    pub fn open_written(bytes: &'a [u8]) -> Result<Self, BlobError> {
        Self::open_framed::<true>(bytes)
    }

    /// `JSON`: whether version 1's JSON metadata is read (else refused, and its reader not compiled in).
    fn open_framed<const JSON: bool>(bytes: &'a [u8]) -> Result<Self, BlobError> {
        let frame = Frame::of(bytes)?;
        let metadata = read_metadata::<JSON>(frame.metadata(bytes), frame.version, frame.flags)?;
        validate_metadata(
            &metadata,
            frame.version,
            frame.sections.len() as u32,
            frame.total_entries,
        )?;
        let named = named_keys_of(&metadata)?;
        let reader = BlobReader {
            bytes,
            version: frame.version,
            metadata,
            named,
            sections: frame.sections,
            payload_start: frame.payload_start,
        };
        Ok(reader)
    }

    pub fn metadata(&self) -> &BlobMetadata {
        &self.metadata
    }

    /// The format version the blob was written in (1, 2 or 3).
    pub fn version(&self) -> u16 {
        self.version
    }

    /// The section table entry of every key group.
    pub fn sections(&self) -> &[SectionInfo] {
        &self.sections
    }

    /// Total bytes of the blob.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Reads every entry and timer once: keys unique per key group, every named key used, values and timers a
    /// run of the job's function can produce, and statistics equal to what the entries make.
    fn verify(&self) -> Result<(), BlobError> {
        let m = &self.metadata;
        let function = m.job.function;
        let parallelism = m.parallelism as usize;
        // Bytes of each subtask's state in Flink's format: the serialization proxy, a header per key group and
        // namespace + key + value per entry, timestamp + key + namespace per timer (`HeapSnapshotStrategy`).
        let (meta, states) = proxy_of(function, m.job.source.key_format.key_type);
        let mut state_size = vec![meta; parallelism];
        let mut entries = vec![0u64; parallelism];
        let mut named_used = vec![false; self.named.len()];
        // Events each entry stands for (a count, a list's elements, …) and the amounts it adds up.
        let (mut counts, mut amounts): (u128, u128) = (0, 0);
        let mut seen = ahash::AHashSet::new();
        let mut timers_seen = ahash::AHashSet::new();
        // The session's open sessions of a key group: when each closes, its entry, whether its timer is there.
        let mut sessions: ahash::AHashMap<KeyRef, (i64, u32, bool)> = ahash::AHashMap::new();
        let completion_ms = (m.completion_time_ns / NS_PER_MS) as i64;
        // One section per key group: `validate_metadata` checked that there are `max_parallelism` of them.
        for kg in KeyGroup::all(m.max_parallelism) {
            let subtask = compute_operator_index_for_key_group(
                m.max_parallelism as i32,
                m.parallelism as i32,
                kg,
            )
            .index();
            state_size[subtask] += key_group_header_bytes(states);
            seen.clear();
            timers_seen.clear();
            sessions.clear();
            self.decode_section(kg, &mut |item| {
                let (key, bytes) = match item {
                    Item::Entry(entry, key, value) => {
                        if !seen.insert(key) {
                            return Err(section(kg, SectionProblem::RepeatedKey { entry }));
                        }
                        let check = |value: i64, min: i64, max: i64| {
                            if (min..=max).contains(&value) {
                                return Ok(());
                            }
                            Err(BlobError::from(Implausible::Value {
                                key_group: kg.into(),
                                entry,
                                value,
                                min,
                                max,
                            }))
                        };
                        let most = i64::MAX - 1;
                        let bytes = match &value {
                            StateValue::Long(_) => 8,
                            StateValue::Object(o) => o.serialized_bytes(),
                        };
                        match (function, value) {
                            (JobFunction::RunningSum, StateValue::Long(sum)) => {
                                check(sum, 1, most)?;
                                amounts += sum as u128;
                            }
                            (_, StateValue::Long(count)) => {
                                if !(1..i64::MAX).contains(&count) {
                                    return Err(Implausible::Count {
                                        key_group: kg.into(),
                                        entry,
                                        count,
                                    }
                                    .into());
                                }
                                counts += count as u128;
                            }
                            (_, StateValue::Object(StateValueObject::List { elements, .. })) => {
                                check(elements.len() as i64, 1, MAX_LIST_LENGTH as i64)?;
                                for v in elements {
                                    check(v, 1, MAX_AMOUNT)?;
                                    amounts += v as u128;
                                    counts += 1;
                                }
                            }
                            (_, StateValue::Object(StateValueObject::Map { entries, .. })) => {
                                check(entries.len() as i64, 1, MAX_MAP_SIZE as i64)?;
                                for e in entries {
                                    check(e.value, 1, most)?;
                                    counts += e.value as u128;
                                }
                            }
                            (
                                JobFunction::Session,
                                StateValue::Object(StateValueObject::Tuple2 { f0, f1 }),
                            ) => {
                                check(f0, 1, most)?;
                                check(f1, 0, completion_ms)?;
                                counts += f0 as u128;
                                sessions.insert(key, (f1 + SESSION_GAP_MS, entry, false));
                            }
                            (_, StateValue::Object(StateValueObject::Tuple2 { f0, f1 })) => {
                                // An average's (sum, count) accumulator.
                                check(f1, 1, most)?;
                                check(f0, f1, f1.saturating_mul(MAX_AMOUNT))?;
                                counts += f1 as u128;
                                amounts += f0 as u128;
                            }
                            (_, StateValue::Object(StateValueObject::KeyStats { count, sum })) => {
                                // A count of events and the sum of their amounts (each 1 to MAX_AMOUNT).
                                check(count, 1, most)?;
                                check(sum, count, count.saturating_mul(MAX_AMOUNT))?;
                                counts += count as u128;
                                amounts += sum as u128;
                            }
                            (
                                _,
                                StateValue::Object(StateValueObject::TtlValue {
                                    user_value,
                                    last_access_timestamp,
                                }),
                            ) => {
                                if let Some(count) = user_value {
                                    check(count, 1, most)?;
                                    counts += count as u128;
                                }
                                check(last_access_timestamp, 0, completion_ms)?;
                            }
                            // Not decoded by any job function's kind yet: held to a list's and a map's checks.
                            (_, StateValue::Object(StateValueObject::TtlList { elements, .. })) => {
                                check(elements.len() as i64, 1, MAX_LIST_LENGTH as i64)?;
                                for e in elements {
                                    check(e.user_value, 1, MAX_AMOUNT)?;
                                    check(e.last_access_timestamp, 0, completion_ms)?;
                                    amounts += e.user_value as u128;
                                    counts += 1;
                                }
                            }
                            (_, StateValue::Object(StateValueObject::TtlMap { entries, .. })) => {
                                check(entries.len() as i64, 1, MAX_MAP_SIZE as i64)?;
                                for e in entries {
                                    check(e.value.user_value, 1, most)?;
                                    check(e.value.last_access_timestamp, 0, completion_ms)?;
                                    counts += e.value.user_value as u128;
                                }
                            }
                        }
                        let subtask_entries = &mut entries[subtask];
                        *subtask_entries += 1;
                        (key, VOID_NAMESPACE_BYTES + bytes)
                    }
                    Item::Timers(count) => {
                        if count > 0 && function != JobFunction::Session {
                            return Err(Implausible::UnexpectedTimers {
                                key_group: kg.into(),
                                count,
                                function: function.id(),
                            }
                            .into());
                        }
                        return Ok(());
                    }
                    Item::Timer(timer, key, timestamp) => {
                        if !timers_seen.insert((key, timestamp)) {
                            return Err(section(kg, SectionProblem::RepeatedTimer { timer }));
                        }
                        // A session's timers fire in order, the last one (its last event + the gap) closing it:
                        // every timer left is one of an open session, no later than its closing one.
                        match sessions.get_mut(&key) {
                            Some((closes, _, found))
                                if (SESSION_GAP_MS..=*closes).contains(&timestamp) =>
                            {
                                *found |= timestamp == *closes;
                            }
                            _ => {
                                return Err(Implausible::TimerWithoutSession {
                                    key_group: kg.into(),
                                    timer,
                                    timestamp,
                                }
                                .into())
                            }
                        }
                        // `TimerSerializer`: the timestamp, the key, the namespace.
                        (key, 8 + VOID_NAMESPACE_BYTES)
                    }
                };
                let key_bytes = match key {
                    KeyRef::Generated(index) => m.job.source.key_format.serialized_bytes_of(index),
                    KeyRef::Named(i) => {
                        named_used[i as usize] = true;
                        self.named[i as usize].serialized_bytes
                    }
                };
                state_size[subtask] += key_bytes + bytes;
                Ok(())
            })?;
            if let Some(entry) = sessions.values().filter(|s| !s.2).map(|s| s.1).min() {
                return Err(Implausible::SessionWithoutTimer {
                    key_group: kg.into(),
                    entry,
                }
                .into());
            }
        }
        if let Some(i) = named_used.iter().position(|used| !used) {
            return Err(Malformed::NamedKeyUnused {
                text: excerpt(&m.named_keys[i]),
            }
            .into());
        }
        // A count is how many of its key's records were processed before the snapshot. Exactly once, those are
        // records the sources emitted before the barrier; at least once, a record behind an early barrier can be
        // counted once more after a restore — never, in any run, as many times again as there are records. The
        // same holds for a list's elements, a map's counts, an average's count and a session's events, and
        // their amounts are at most `MAX_AMOUNT` each.
        let events = m.source_events();
        let allowed = match m.mode {
            CheckpointingMode::ExactlyOnce => u128::from(events),
            CheckpointingMode::AtLeastOnce => 2 * u128::from(events),
        };
        if counts > allowed {
            return Err(Implausible::CountsExceedEvents {
                counts: Sum(counts),
                events,
            }
            .into());
        }
        if amounts > allowed * MAX_AMOUNT as u128 {
            return Err(Implausible::AmountsExceedEvents {
                amounts: Sum(amounts),
                events,
                max_amount: MAX_AMOUNT,
            }
            .into());
        }
        let total: u64 = state_size.iter().sum();
        let claimed: u64 = m
            .subtasks
            .iter()
            .map(|s| s.state_size)
            .fold(0, u64::saturating_add);
        if m.flink_state_size != total || claimed != total {
            return Err(Implausible::StateSize {
                claimed: m.flink_state_size,
                actual: total,
            }
            .into());
        }
        let span = m.completion_time_ns - m.trigger_time_ns;
        for (s, stats) in m.subtasks.iter().enumerate() {
            let subtask = stats.subtask;
            if stats.entries != entries[s] {
                return Err(Implausible::SubtaskEntries {
                    subtask,
                    claimed: stats.entries,
                    actual: entries[s],
                }
                .into());
            }
            if stats.state_size != state_size[s] {
                return Err(Implausible::SubtaskStateSize {
                    subtask,
                    claimed: stats.state_size,
                    actual: state_size[s],
                }
                .into());
            }
            if !(m.trigger_time_ns..=m.completion_time_ns).contains(&stats.ack_time)
                || stats.alignment_ns > span
                || stats.sync_ns > span
                || stats.async_ns > span
            {
                return Err(Implausible::SubtaskTimes { subtask }.into());
            }
            // Each copy is an entry of the subtask copied once for the snapshot, on a record's access.
            let bound = entries[s].saturating_add(events);
            if stats.copy_on_write_copies > bound {
                return Err(Implausible::CopyOnWriteCopies {
                    subtask,
                    copies: stats.copy_on_write_copies,
                    bound,
                }
                .into());
            }
        }
        Ok(())
    }

    /// The entries and timers of one key group.
    pub fn key_group(&self, key_group: KeyGroup) -> Result<KeyGroupState, BlobError> {
        // The counts were checked against the entries by `open`: they are what the section really holds.
        let entries = self
            .sections
            .get(key_group.index())
            .map_or(0, |s| s.entries);
        let mut out = KeyGroupState {
            entries: Vec::with_capacity(entries as usize),
            timers: Vec::new(),
        };
        self.decode_section(key_group, &mut |item| {
            match item {
                Item::Entry(_, key, value) => out.entries.push((key, value)),
                Item::Timers(n) => out.timers.reserve(n as usize),
                Item::Timer(_, key, timestamp) => out.timers.push((key, timestamp)),
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The key a stored key code names, with its `hashCode()`.
    fn key_of(&self, code: u64) -> Result<(KeyRef, i32), BadKey> {
        let format = &self.metadata.job.source.key_format;
        let index = code >> 1;
        if code & 1 == 0 {
            if index > format.max_index() {
                return Err(BadKey::BeyondFormat(index));
            }
            return Ok((KeyRef::Generated(index), format.hash_code_of(index)));
        }
        let named = usize::try_from(index)
            .ok()
            .and_then(|i| self.named.get(i))
            .ok_or(BadKey::UnknownNamed(index))?;
        Ok((KeyRef::Named(index as u32), named.hash_code))
    }

    /// The key group a key's `hashCode()` belongs to (Flink's `KeyGroupRangeAssignment`).
    fn key_group_of(&self, hash_code: i32) -> i32 {
        murmur_hash(hash_code) % self.metadata.max_parallelism as i32
    }

    /// Decodes one key group's section as it inflates, checking that every key belongs to it, and hands each
    /// entry, then (version 3) the timer count and each timer, to `f`.
    fn decode_section(
        &self,
        key_group: KeyGroup,
        f: &mut dyn FnMut(Item) -> Result<(), BlobError>,
    ) -> Result<(), BlobError> {
        let kg = key_group;
        let info = *self
            .sections
            .get(kg.index())
            .ok_or_else(|| section(kg, SectionProblem::NoSuchKeyGroup))?;
        let start = self.payload_start + info.offset as usize;
        let stored = &self.bytes[start..start + info.stored_len as usize];
        let mut bytes = SectionBytes::new(kg, stored, info);
        let kind = ValueKind::of(self.metadata.job.function);
        for entry in 0..info.entries {
            let code = number(&mut bytes, entry)?;
            let value = read_value(&mut bytes, kind, entry)?;
            let (key, hash) = self.key_of(code).map_err(|bad| {
                let problem = match bad {
                    BadKey::BeyondFormat(index) => SectionProblem::KeyBeyondFormat { entry, index },
                    BadKey::UnknownNamed(index) => SectionProblem::UnknownNamedKey { entry, index },
                };
                section(kg, problem)
            })?;
            let actual = self.key_group_of(hash);
            if actual != kg.as_i32() {
                return Err(section(kg, SectionProblem::WrongKeyGroup { entry, actual }));
            }
            f(Item::Entry(entry, key, value))?;
        }
        if self.version >= 3 {
            let unreadable = |timer| section(kg, SectionProblem::TimerUnreadable { timer });
            let Varint::Value(count, _) = bytes.varint()? else {
                return Err(unreadable(0));
            };
            if count > MAX_TIMERS {
                return Err(Limit::Timers {
                    key_group: kg.into(),
                    count,
                    max: MAX_TIMERS,
                }
                .into());
            }
            // A timer takes two bytes at least.
            if count * 2 > bytes.left() {
                return Err(section(kg, SectionProblem::TimersBeyondBytes { count }));
            }
            let count = count as u32;
            f(Item::Timers(count))?;
            for timer in 0..count {
                let (Varint::Value(code, _), Varint::Value(timestamp, _)) =
                    (bytes.varint()?, bytes.varint()?)
                else {
                    return Err(unreadable(timer));
                };
                let (key, hash) = self
                    .key_of(code)
                    .map_err(|_| section(kg, SectionProblem::TimerKey { timer, code }))?;
                let actual = self.key_group_of(hash);
                if actual != kg.as_i32() {
                    return Err(section(
                        kg,
                        SectionProblem::TimerWrongKeyGroup { timer, actual },
                    ));
                }
                f(Item::Timer(timer, key, unzigzag(timestamp)))?;
            }
        }
        let left = bytes.rest()?;
        if left > 0 {
            return Err(section(kg, SectionProblem::BytesLeft(left)));
        }
        if bytes.produced != bytes.declared {
            return Err(section(
                kg,
                SectionProblem::Length {
                    actual: bytes.produced,
                    declared: info.raw_len,
                },
            ));
        }
        Ok(())
    }

    /// The entries and timers of the key groups in `range`, in key-group order (what one subtask restores).
    pub fn key_groups(
        &self,
        range: KeyGroupRange,
    ) -> Result<Vec<(KeyGroup, KeyGroupState)>, BlobError> {
        range
            .iter()
            .map(|kg| Ok((kg, self.key_group(kg)?)))
            .collect()
    }

    /// The Java key a stored key stands for.
    pub fn java_key(&self, key: KeyRef) -> Result<JavaKey, BlobError> {
        let format = &self.metadata.job.source.key_format;
        match key {
            KeyRef::Generated(index) => Ok(format.key(index)),
            KeyRef::Named(i) => {
                let text = self.metadata.named_keys.get(i as usize).ok_or_else(|| {
                    section(
                        KeyGroup::new(0),
                        SectionProblem::UnknownNamedKey {
                            entry: 0,
                            index: u64::from(i),
                        },
                    )
                })?;
                parse_key(text, format.key_type).ok_or_else(|| {
                    Malformed::NamedKeyInvalid {
                        text: excerpt(text),
                        key_type: format.key_type.java_name(),
                    }
                    .into()
                })
            }
        }
    }

    /// Converts the whole blob into a completed checkpoint whose keys are interned in `keys`: `Long` entries,
    /// object entries and timers per key group, as the job's own checkpoints hold them (the object and timer
    /// lists empty when no key group has any).
    pub fn to_completed_checkpoint(
        &self,
        keys: &mut KeyRegistry,
    ) -> Result<CompletedCheckpoint, BlobError> {
        let m = &self.metadata;
        let same_format = keys.format() == &m.job.source.key_format;
        if same_format {
            keys.reserve_generated(m.job.source.key_count);
        }
        let groups = self.sections.len();
        let (mut key_groups, mut objects, mut timers) = (
            Vec::with_capacity(groups),
            Vec::with_capacity(groups),
            Vec::with_capacity(groups),
        );
        let mut named_ids: Vec<Option<KeyId>> = vec![None; self.named.len()];
        let mut intern = |key: KeyRef| -> Result<KeyId, BlobError> {
            match key {
                KeyRef::Generated(index) if same_format => return Ok(keys.generated(index)),
                KeyRef::Named(i) => {
                    if let Some(id) = named_ids[i as usize] {
                        return Ok(id);
                    }
                }
                KeyRef::Generated(_) => {}
            }
            let id = keys
                .intern(&self.java_key(key)?)
                .map_err(|e| BlobError::JobShape(JobShape::Key(e)))?;
            if let KeyRef::Named(i) = key {
                named_ids[i as usize] = Some(id);
            }
            Ok(id)
        };
        for kg in KeyGroup::all(m.max_parallelism) {
            // `open` checked every entry: the values are true, and each key appears once.
            let (mut longs, mut objs, mut ts) = (Vec::new(), Vec::new(), Vec::new());
            self.decode_section(kg, &mut |item| {
                match item {
                    Item::Entry(_, key, StateValue::Long(v)) => longs.push((intern(key)?, v)),
                    Item::Entry(_, key, StateValue::Object(o)) => objs.push((intern(key)?, o)),
                    Item::Timers(n) => ts.reserve(n as usize),
                    Item::Timer(_, key, timestamp) => ts.push((intern(key)?, timestamp)),
                }
                Ok(())
            })?;
            key_groups.push(longs);
            objects.push(objs);
            timers.push(ts);
        }
        if objects.iter().all(Vec::is_empty) {
            objects = Vec::new();
        }
        if timers.iter().all(Vec::is_empty) {
            timers = Vec::new();
        }
        Ok(CompletedCheckpoint {
            checkpoint_id: m.checkpoint_id,
            trigger_time: m.trigger_time_ns,
            completion_time: m.completion_time_ns,
            mode: m.mode,
            max_parallelism: m.max_parallelism,
            parallelism: m.parallelism,
            source_positions: m.source_positions.clone(),
            key_groups,
            objects,
            timers,
            subtasks: m.subtasks.clone(),
        })
    }
}

/// Bytes of the serialization proxy of `function`'s backend and the number of states it writes per key group:
/// the states and timer queues its `open()` registers, as its subtasks' checkpoints describe them.
fn proxy_of(function: JobFunction, key_type: JavaKeyType) -> (u64, u64) {
    let mut backend = HeapKeyedStateBackend::new(KeyGroupRange::of(0, 0), 1, key_type);
    KeyedProcessFunction::open(function, &mut backend);
    let kv: Vec<_> = backend
        .kv_state_meta_infos()
        .into_iter()
        .map(|(meta, _, _)| meta)
        .collect();
    let pq: Vec<&str> = backend
        .priority_queue_state_names()
        .iter()
        .map(String::as_str)
        .collect();
    (
        meta_data_bytes(key_type, &kv, &pq),
        (kv.len() + pq.len()) as u64,
    )
}

pub(crate) fn section(key_group: KeyGroup, problem: SectionProblem) -> BlobError {
    Malformed::Section {
        key_group: key_group.into(),
        problem,
    }
    .into()
}

/// Header checks: length, magic, version, flags, total length, checksum. Returns the version, the flags, the
/// metadata length and the number of key groups as the header states them.
/// A blob's framing checked — length, checksum, caps, the section table — before any of its parts is read:
/// what [`BlobReader::open`] and [`crate::engine::checkpoint::blob_parts::BlobParts`] start from.
pub(crate) struct Frame {
    pub version: u16,
    pub flags: u16,
    /// Where the stored metadata ends (it starts after the header), and where the payload starts.
    pub table_start: usize,
    pub payload_start: usize,
    pub sections: Vec<SectionInfo>,
    pub total_entries: u64,
}

impl Frame {
    pub fn of(bytes: &[u8]) -> Result<Self, BlobError> {
        let (version, flags, metadata_len, sections) = check_framing(bytes)?;
        if metadata_len > MAX_METADATA_STORED {
            return Err(Limit::Metadata {
                bytes: u64::from(metadata_len),
                max: u64::from(MAX_METADATA_STORED),
            }
            .into());
        }
        if sections == 0 || sections > UPPER_BOUND_MAX_PARALLELISM as u32 {
            return Err(Malformed::KeyGroups(sections).into());
        }
        let table_start = HEADER_LEN + metadata_len as usize;
        let payload_start = table_start + sections as usize * SECTION_ENTRY_LEN;
        let payload_end = bytes.len() - TRAILER_LEN;
        if payload_start > payload_end {
            return Err(Malformed::HeaderOverrun.into());
        }
        // The section table first: it bounds what the metadata may name.
        let (sections, total_entries) =
            read_section_table(&bytes[table_start..payload_end], sections)?;
        Ok(Frame {
            version,
            flags,
            table_start,
            payload_start,
            sections,
            total_entries,
        })
    }

    pub fn metadata<'b>(&self, bytes: &'b [u8]) -> &'b [u8] {
        &bytes[HEADER_LEN..self.table_start]
    }

    pub fn metadata_deflated(&self) -> bool {
        self.flags & FLAG_METADATA_DEFLATED != 0
    }

    /// The stored bytes of key group `i`'s section.
    pub fn section<'b>(&self, bytes: &'b [u8], i: usize) -> &'b [u8] {
        let info = self.sections[i];
        let start = self.payload_start + info.offset as usize;
        &bytes[start..start + info.stored_len as usize]
    }
}

/// A version-1 blob (JSON metadata) checked whole and written again in version 2 (binary metadata), its key
/// groups' sections as they are — what the page's reader ([`BlobReader::open_binary`]) opens; `None` for a blob
/// of version 2 or later, which opens as it is.
pub fn upgraded(bytes: &[u8]) -> Result<Option<Vec<u8>>, BlobError> {
    let frame = Frame::of(bytes)?;
    if frame.version >= COUNTER_FORMAT_VERSION {
        return Ok(None);
    }
    let reader = BlobReader::open(bytes)?;
    let metadata = metadata_v2::write(reader.metadata());
    let sections: Vec<(SectionInfo, &[u8])> = (0..frame.sections.len())
        .map(|i| (frame.sections[i], frame.section(bytes, i)))
        .collect();
    Ok(Some(assemble(
        COUNTER_FORMAT_VERSION,
        &metadata,
        false,
        &sections,
    )))
}

/// Frames a blob from its parts: the header, the (stored) metadata, the section table, the sections' stored
/// bytes, and the checksum of it all.
pub(crate) fn assemble(
    version: u16,
    metadata: &[u8],
    metadata_deflated: bool,
    sections: &[(SectionInfo, &[u8])],
) -> Vec<u8> {
    let payload: usize = sections.iter().map(|(_, stored)| stored.len()).sum();
    let total =
        HEADER_LEN + metadata.len() + sections.len() * SECTION_ENTRY_LEN + payload + TRAILER_LEN;
    let flags = if metadata_deflated {
        FLAG_METADATA_DEFLATED
    } else {
        0
    };
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&(metadata.len() as u32).to_le_bytes());
    out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    out.extend_from_slice(&(total as u64).to_le_bytes());
    out.extend_from_slice(metadata);
    let mut offset = 0u32;
    for (info, stored) in sections {
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&(stored.len() as u32).to_le_bytes());
        out.extend_from_slice(&info.raw_len.to_le_bytes());
        out.extend_from_slice(&info.entries.to_le_bytes());
        out.extend_from_slice(&[info.encoding, 0, 0, 0]);
        offset += stored.len() as u32;
    }
    for (_, stored) in sections {
        out.extend_from_slice(stored);
    }
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

fn check_framing(bytes: &[u8]) -> Result<(u16, u16, u32, u32), BlobError> {
    if bytes.len() < HEADER_LEN + TRAILER_LEN {
        if bytes.len() >= MAGIC.len() && bytes[..MAGIC.len()] != MAGIC {
            return Err(BlobError::BadMagic);
        }
        return Err(BlobError::TooShort(bytes.len()));
    }
    if bytes[..MAGIC.len()] != MAGIC {
        return Err(BlobError::BadMagic);
    }
    let version = u16_at(bytes, 8);
    if version > FORMAT_VERSION {
        return Err(BlobError::NewerVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    if version < OLDEST_FORMAT_VERSION {
        return Err(BlobError::UnknownVersion(version));
    }
    let flags = u16_at(bytes, 10);
    if flags & !FLAG_METADATA_DEFLATED != 0 {
        return Err(Malformed::UnknownFlags(flags).into());
    }
    let total = u64_at(bytes, 20);
    if total > bytes.len() as u64 {
        return Err(BlobError::Truncated {
            expected: total,
            actual: bytes.len() as u64,
        });
    }
    if total < bytes.len() as u64 {
        return Err(BlobError::TrailingBytes(bytes.len() as u64 - total));
    }
    let stored_crc = u32_at(bytes, bytes.len() - TRAILER_LEN);
    if crc32(&bytes[..bytes.len() - TRAILER_LEN]) != stored_crc {
        return Err(BlobError::ChecksumMismatch);
    }
    Ok((version, flags, u32_at(bytes, 12), u32_at(bytes, 16)))
}

/// Reads and checks the section table (`table_and_payload` starts at the table), within the caps. Returns the
/// entries of every key group and their total.
fn read_section_table(
    table_and_payload: &[u8],
    sections: u32,
) -> Result<(Vec<SectionInfo>, u64), BlobError> {
    let payload_len = (table_and_payload.len() - sections as usize * SECTION_ENTRY_LEN) as u64;
    let mut infos = Vec::with_capacity(sections as usize);
    let (mut expected_offset, mut total_raw, mut total_entries) = (0u64, 0u64, 0u64);
    // `open` checked that there are at most `UPPER_BOUND_MAX_PARALLELISM` sections: one per key group.
    for (i, kg) in KeyGroup::all(sections).enumerate() {
        let at = i * SECTION_ENTRY_LEN;
        let b = table_and_payload;
        let info = SectionInfo {
            offset: u32_at(b, at),
            stored_len: u32_at(b, at + 4),
            raw_len: u32_at(b, at + 8),
            entries: u32_at(b, at + 12),
            encoding: b[at + 16],
        };
        let problem = |p: SectionProblem| Err(section(kg, p));
        if b[at + 17..at + 20] != [0, 0, 0] {
            return problem(SectionProblem::ReservedBytes);
        }
        if u64::from(info.offset) != expected_offset {
            return problem(SectionProblem::Offset {
                found: info.offset,
                expected: expected_offset,
            });
        }
        expected_offset += u64::from(info.stored_len);
        if expected_offset > payload_len {
            return problem(SectionProblem::Overrun);
        }
        if info.raw_len > MAX_SECTION_RAW {
            return Err(Limit::Section {
                key_group: kg.into(),
                bytes: u64::from(info.raw_len),
                max: u64::from(MAX_SECTION_RAW),
            }
            .into());
        }
        match info.encoding {
            ENCODING_RAW if info.raw_len != info.stored_len => {
                return problem(SectionProblem::RawSizesDiffer)
            }
            ENCODING_RAW | ENCODING_DEFLATE => {}
            other => return problem(SectionProblem::UnknownEncoding(other)),
        }
        if info.encoding == ENCODING_DEFLATE
            && u64::from(info.raw_len) > u64::from(info.stored_len) * MAX_DEFLATE_RATIO + 1024
        {
            return problem(SectionProblem::CannotInflate {
                stored: info.stored_len,
                raw: info.raw_len,
            });
        }
        if u64::from(info.entries) * u64::from(MIN_ENTRY_BYTES) > u64::from(info.raw_len) {
            return problem(SectionProblem::EntriesDontFit {
                entries: info.entries,
                raw: info.raw_len,
            });
        }
        total_raw += u64::from(info.raw_len);
        total_entries += u64::from(info.entries);
        infos.push(info);
    }
    if expected_offset != payload_len {
        return Err(Malformed::GapAfterSections(payload_len - expected_offset).into());
    }
    if total_raw > MAX_ENTRY_BYTES {
        return Err(Limit::EntryBytes {
            bytes: total_raw,
            max: MAX_ENTRY_BYTES,
        }
        .into());
    }
    if total_entries > MAX_ENTRIES {
        return Err(Limit::Entries {
            entries: total_entries,
            max: MAX_ENTRIES,
        }
        .into());
    }
    Ok((infos, total_entries))
}

/// Inflates deflated metadata, at most [`MAX_METADATA_INFLATED`] bytes.
#[cfg(not(target_arch = "wasm32"))]
fn inflate_metadata(stored: &[u8]) -> Result<Vec<u8>, BlobError> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(stored, MAX_METADATA_INFLATED).map_err(|e| {
        match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                BlobError::from(Limit::MetadataInflated {
                    max: MAX_METADATA_INFLATED as u64,
                })
            }
            _ => Malformed::MetadataDeflate.into(),
        }
    })
}

/// The page reads blobs whose parts the browser inflated first ([`DEFLATES`]): metadata still deflated is
/// metadata this reader cannot inflate.
#[cfg(target_arch = "wasm32")]
fn inflate_metadata(_stored: &[u8]) -> Result<Vec<u8>, BlobError> {
    Err(Malformed::MetadataDeflate.into())
}

/// Inflates (at most [`MAX_METADATA_INFLATED`] bytes) and reads the metadata of format `version`; lists are
/// bounded while read.
fn read_metadata<const JSON: bool>(
    stored: &[u8],
    version: u16,
    flags: u16,
) -> Result<BlobMetadata, BlobError> {
    let inflated;
    let raw: &[u8] = if flags & FLAG_METADATA_DEFLATED != 0 {
        inflated = inflate_metadata(stored)?;
        &inflated
    } else {
        if stored.len() > MAX_METADATA_INFLATED {
            return Err(Limit::MetadataInflated {
                max: MAX_METADATA_INFLATED as u64,
            }
            .into());
        }
        stored
    };
    if version >= 2 {
        return metadata_v2::read(raw);
    }
    if !JSON {
        return Err(BlobError::NotUpgraded(version));
    }
    metadata_v1::read(raw).map_err(|e| {
        let (line, column) = e.line_column(raw);
        Malformed::MetadataJson {
            line,
            column,
            detail: e.detail,
        }
        .into()
    })
}

fn validate_metadata(
    m: &BlobMetadata,
    version: u16,
    sections: u32,
    entries: u64,
) -> Result<(), BlobError> {
    let function = m.job.function;
    // A counter's blob is version 2 (or 1, written before version 2), every other function's version 3.
    let expected_version = format_version_of(function);
    if version != expected_version && (version != 1 || !function.is_counter()) {
        return Err(Malformed::Version {
            function: function.id(),
            version,
            expected: expected_version,
        }
        .into());
    }
    let expected = StateShape::of(function, m.job.source.key_format.key_type);
    if m.state.name != expected.name
        || m.state.kind != expected.kind
        || m.state.value_type != expected.value_type
    {
        return Err(JobShape::State {
            kind: excerpt(&m.state.kind),
            value_type: excerpt(&m.state.value_type),
            name: excerpt(&m.state.name),
            function: function.id(),
            expected: expected.describe(),
        }
        .into());
    }
    if m.state.key_type != m.job.source.key_format.key_type {
        return Err(JobShape::KeyType {
            state: m.state.key_type.java_name(),
            job: m.job.source.key_format.key_type.java_name(),
        }
        .into());
    }
    if m.producer.chars().count() > MAX_PRODUCER_CHARS {
        return Err(Limit::Producer {
            max: MAX_PRODUCER_CHARS,
        }
        .into());
    }
    m.job.validate().map_err(JobShape::Job)?;
    if m.job.parallelism != m.parallelism || m.job.effective_max_parallelism() != m.max_parallelism
    {
        return Err(Malformed::LayoutMismatch {
            parallelism: m.parallelism,
            max_parallelism: m.max_parallelism,
            job_parallelism: m.job.parallelism,
            job_max_parallelism: m.job.effective_max_parallelism(),
        }
        .into());
    }
    if m.max_parallelism != sections {
        return Err(Malformed::KeyGroupsMismatch {
            max_parallelism: m.max_parallelism,
            key_groups: sections,
        }
        .into());
    }
    if !(1..=MAX_CHECKPOINT_ID).contains(&m.checkpoint_id) {
        return Err(Implausible::CheckpointId {
            id: m.checkpoint_id,
            max: MAX_CHECKPOINT_ID,
        }
        .into());
    }
    if m.source_positions.len() != m.job.source.parallelism as usize {
        return Err(Malformed::SourcePositions {
            positions: m.source_positions.len(),
            subtasks: m.job.source.parallelism,
        }
        .into());
    }
    if let Some(p) = m
        .source_positions
        .iter()
        .find(|p| p.generated > MAX_POSITION || p.injected > MAX_POSITION)
    {
        return Err(Implausible::SourcePosition {
            events: p.generated.max(p.injected),
            max: MAX_POSITION,
        }
        .into());
    }
    if m.trigger_time_ns > m.completion_time_ns || m.completion_time_ns > MAX_TIME_NS {
        return Err(Implausible::Times {
            trigger: m.trigger_time_ns,
            completion: m.completion_time_ns,
            max: MAX_TIME_NS,
        }
        .into());
    }
    // One statistics record per subtask, in order: subtask 0, 1, …, parallelism - 1.
    if !m.subtasks.iter().map(|s| s.subtask).eq(0..m.parallelism) {
        return Err(Malformed::SubtaskStats {
            stats: m.subtasks.len(),
            parallelism: m.parallelism,
        }
        .into());
    }
    if m.named_keys.len() > MAX_NAMED_KEYS {
        return Err(Limit::NamedKeys {
            max: MAX_NAMED_KEYS,
        }
        .into());
    }
    if let Some(index) = m.named_keys.iter().position(|k| k.len() > MAX_KEY_BYTES) {
        return Err(Limit::KeyLength {
            index,
            max: MAX_KEY_BYTES,
        }
        .into());
    }
    if m.entries != entries {
        return Err(Malformed::EntriesMismatch {
            metadata: m.entries,
            sections: entries,
        }
        .into());
    }
    Ok(())
}

/// A named key's identity for telling duplicates apart, borrowed from the metadata.
#[derive(PartialEq, Eq, Hash)]
enum NamedIdentity<'a> {
    Text(&'a str),
    Number(i64),
}

/// Parses every named key: each must be a key of the job's type, not one its key format generates (those are
/// stored by number), and named once.
fn named_keys_of(m: &BlobMetadata) -> Result<Vec<NamedKey>, BlobError> {
    let format: &KeyFormat = &m.job.source.key_format;
    let mut distinct = ahash::AHashSet::with_capacity(m.named_keys.len());
    m.named_keys
        .iter()
        .map(|text| {
            let key =
                parse_key(text, format.key_type).ok_or_else(|| Malformed::NamedKeyInvalid {
                    text: excerpt(text),
                    key_type: format.key_type.java_name(),
                })?;
            let identity = match &key {
                JavaKey::String(_) => NamedIdentity::Text(text),
                JavaKey::Integer(v) => NamedIdentity::Number(i64::from(*v)),
                JavaKey::Long(v) => NamedIdentity::Number(*v),
            };
            if format.index_of(&key).is_some() || !distinct.insert(identity) {
                return Err(Malformed::NamedKeyNotByName {
                    text: excerpt(text),
                }
                .into());
            }
            Ok(NamedKey {
                hash_code: key.hash_code(),
                serialized_bytes: key_serialized_bytes(&key),
            })
        })
        .collect()
}

/// A varint as read: a value, not yet all there, or not the shortest form (StateLab writes only that).
enum Varint {
    Value(u64, usize),
    Incomplete,
    NonCanonical,
}

fn read_varint(b: &[u8]) -> Varint {
    let mut value = 0u64;
    for (i, &byte) in b.iter().enumerate().take(10) {
        let shift = 7 * i as u32;
        if shift == 63 && byte > 1 {
            return Varint::NonCanonical;
        }
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            // A final zero byte after others is a longer spelling of a shorter number.
            if byte == 0 && i > 0 {
                return Varint::NonCanonical;
            }
            return Varint::Value(value, i + 1);
        }
    }
    if b.len() >= 10 {
        Varint::NonCanonical
    } else {
        Varint::Incomplete
    }
}

/// How one step of inflating a section went.
// In the page only `Failed` is ever constructed (see the page's `Inflater`).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
enum Inflated {
    Progress,
    /// The stream ended.
    End,
    /// More input is needed to go on.
    NeedsInput,
    Failed,
}

struct InflateStep {
    bytes_consumed: usize,
    bytes_written: usize,
    status: Inflated,
}

/// miniz_oxide's streaming inflate of a raw deflate stream.
#[cfg(not(target_arch = "wasm32"))]
struct Inflater(Box<InflateState>);

#[cfg(not(target_arch = "wasm32"))]
impl Inflater {
    fn new() -> Self {
        Inflater(InflateState::new_boxed(DataFormat::Raw))
    }

    fn inflate(&mut self, input: &[u8], out: &mut [u8]) -> InflateStep {
        let result = inflate(&mut self.0, input, out, MZFlush::None);
        InflateStep {
            bytes_consumed: result.bytes_consumed,
            bytes_written: result.bytes_written,
            status: match result.status {
                Ok(MZStatus::StreamEnd) => Inflated::End,
                Ok(_) => Inflated::Progress,
                Err(MZError::Buf) => Inflated::NeedsInput,
                Err(_) => Inflated::Failed,
            },
        }
    }
}

/// The page reads blobs whose sections the browser inflated first ([`DEFLATES`]): a section still deflated is
/// one this reader cannot inflate, refused on its first read.
#[cfg(target_arch = "wasm32")]
struct Inflater;

#[cfg(target_arch = "wasm32")]
impl Inflater {
    fn new() -> Self {
        Inflater
    }

    fn inflate(&mut self, _input: &[u8], _out: &mut [u8]) -> InflateStep {
        InflateStep {
            bytes_consumed: 0,
            bytes_written: 0,
            status: Inflated::Failed,
        }
    }
}

/// One key group's section as it inflates, read a value at a time: 64 KiB are inflated at a time, so a
/// decompression bomb stops at its first bad entry and nothing is inflated beyond the declared size.
struct SectionBytes<'s> {
    key_group: KeyGroup,
    /// A raw section's bytes, or a deflated one's stored bytes not yet inflated.
    input: &'s [u8],
    inflater: Option<Inflater>,
    /// Inflated bytes (deflated sections only).
    buf: Vec<u8>,
    /// What is left to read: `pos..filled` of `input` (raw) or of `buf` (deflated).
    pos: usize,
    filled: usize,
    /// Bytes the section produced so far, and the raw length its table entry declares.
    produced: u64,
    declared: u64,
    ended: bool,
}

impl<'s> SectionBytes<'s> {
    fn new(key_group: KeyGroup, stored: &'s [u8], info: SectionInfo) -> Self {
        let declared = u64::from(info.raw_len);
        let deflated = info.encoding == ENCODING_DEFLATE;
        SectionBytes {
            key_group,
            input: stored,
            inflater: deflated.then(Inflater::new),
            buf: if deflated {
                vec![0u8; (declared as usize).clamp(1, INFLATE_CHUNK)]
            } else {
                Vec::new()
            },
            pos: 0,
            filled: if deflated { 0 } else { stored.len() },
            produced: if deflated { 0 } else { stored.len() as u64 },
            declared,
            ended: !deflated,
        }
    }

    fn data(&self) -> &[u8] {
        match self.inflater {
            Some(_) => &self.buf[self.pos..self.filled],
            None => &self.input[self.pos..self.filled],
        }
    }

    /// Makes bytes available to read; `false` at the end of the section.
    fn fill(&mut self) -> Result<bool, BlobError> {
        let kg = self.key_group;
        while self.pos == self.filled {
            let Some(state) = self.inflater.as_mut() else {
                return Ok(false);
            };
            if self.ended {
                return Ok(false);
            }
            let result = state.inflate(self.input, &mut self.buf);
            self.input = &self.input[result.bytes_consumed..];
            self.pos = 0;
            self.filled = result.bytes_written;
            self.produced += result.bytes_written as u64;
            if self.produced > self.declared {
                return Err(section(
                    kg,
                    SectionProblem::Length {
                        actual: self.produced,
                        declared: self.declared as u32,
                    },
                ));
            }
            match result.status {
                Inflated::End if self.input.is_empty() => self.ended = true,
                Inflated::End | Inflated::Failed => {
                    return Err(section(kg, SectionProblem::Inflate))
                }
                // The input ended before the stream did.
                Inflated::NeedsInput if self.input.is_empty() => {
                    return Err(section(kg, SectionProblem::Inflate))
                }
                Inflated::Progress | Inflated::NeedsInput => {}
            }
            if result.bytes_consumed == 0 && result.bytes_written == 0 && !self.ended {
                return Err(section(kg, SectionProblem::Inflate));
            }
        }
        Ok(true)
    }

    /// Bytes the section declares that are not read yet: what a claimed count is held against.
    fn left(&self) -> u64 {
        let read = self.produced - (self.filled - self.pos) as u64;
        self.declared.saturating_sub(read)
    }

    fn byte(&mut self) -> Result<Option<u8>, BlobError> {
        if !self.fill()? {
            return Ok(None);
        }
        let b = self.data()[0];
        self.pos += 1;
        Ok(Some(b))
    }

    /// The next varint; [`Varint::Incomplete`] when the section ends first.
    fn varint(&mut self) -> Result<Varint, BlobError> {
        let mut bytes = [0u8; 10];
        let mut n = 0;
        while self.fill()? {
            let data = self.data();
            if n == 0 && data.len() >= bytes.len() {
                let v = read_varint(data);
                if let Varint::Value(_, len) = v {
                    self.pos += len;
                }
                return Ok(v);
            }
            let b = data[0];
            self.pos += 1;
            bytes[n] = b;
            n += 1;
            if b & 0x80 == 0 || n == bytes.len() {
                return Ok(read_varint(&bytes[..n]));
            }
        }
        Ok(Varint::Incomplete)
    }

    /// The next `n` bytes into `out`; `false` when the section ends first.
    fn take(&mut self, n: usize, out: &mut Vec<u8>) -> Result<bool, BlobError> {
        while out.len() < n {
            if !self.fill()? {
                return Ok(false);
            }
            let data = self.data();
            let k = data.len().min(n - out.len());
            out.extend_from_slice(&data[..k]);
            self.pos += k;
        }
        Ok(true)
    }

    /// Reads to the end of the section; returns the bytes that were left.
    fn rest(&mut self) -> Result<u64, BlobError> {
        let mut n = 0u64;
        while self.fill()? {
            n += (self.filled - self.pos) as u64;
            self.pos = self.filled;
        }
        Ok(n)
    }
}

/// An entry's number (a varint of entry `entry`): the value, or why it cannot be read.
fn number(bytes: &mut SectionBytes<'_>, entry: u32) -> Result<u64, BlobError> {
    match bytes.varint()? {
        Varint::Value(v, _) => Ok(v),
        Varint::Incomplete => Err(section(bytes.key_group, SectionProblem::CutShort { entry })),
        Varint::NonCanonical => Err(section(
            bytes.key_group,
            SectionProblem::NonCanonical { entry },
        )),
    }
}

/// A list's or map's count, within `max` and the bytes left (each element takes `min_bytes` at least).
fn element_count(
    bytes: &mut SectionBytes<'_>,
    entry: u32,
    max: u64,
    min_bytes: u64,
) -> Result<usize, BlobError> {
    let count = number(bytes, entry)?;
    if count > max {
        return Err(Limit::Elements {
            key_group: bytes.key_group.into(),
            entry,
            count,
            max,
        }
        .into());
    }
    if count * min_bytes > bytes.left() {
        return Err(section(
            bytes.key_group,
            SectionProblem::CountBeyondBytes { entry, count },
        ));
    }
    Ok(count as usize)
}

/// The value of entry `entry`, stored as `kind`.
fn read_value(
    bytes: &mut SectionBytes<'_>,
    kind: ValueKind,
    entry: u32,
) -> Result<StateValue, BlobError> {
    let kg = bytes.key_group;
    let object = match kind {
        ValueKind::Long => return Ok(StateValue::Long(unzigzag(number(bytes, entry)?))),
        ValueKind::List => {
            let count = element_count(bytes, entry, MAX_LIST_LENGTH, 1)?;
            let mut elements = Vec::with_capacity(count);
            for _ in 0..count {
                elements.push(unzigzag(number(bytes, entry)?));
            }
            StateValueObject::list_of(elements)
        }
        ValueKind::Map => {
            let count = element_count(bytes, entry, MAX_MAP_SIZE, 2)?;
            let mut entries = Vec::with_capacity(count);
            let mut text = Vec::new();
            for _ in 0..count {
                let len = number(bytes, entry)?;
                if len > MAX_USER_KEY_BYTES {
                    return Err(Limit::UserKey {
                        key_group: kg.into(),
                        entry,
                        bytes: len,
                        max: MAX_USER_KEY_BYTES,
                    }
                    .into());
                }
                text.clear();
                if !bytes.take(len as usize, &mut text)? {
                    return Err(section(kg, SectionProblem::CutShort { entry }));
                }
                let key = std::str::from_utf8(&text)
                    .map_err(|_| section(kg, SectionProblem::UserKeyNotUtf8 { entry }))?;
                entries.push(MapEntry {
                    key: key.into(),
                    value: unzigzag(number(bytes, entry)?),
                });
            }
            let mut keys: Vec<&str> = entries.iter().map(|e| &*e.key).collect();
            keys.sort_unstable();
            if keys.windows(2).any(|w| w[0] == w[1]) {
                return Err(section(kg, SectionProblem::RepeatedUserKey { entry }));
            }
            StateValueObject::map_of(entries)
        }
        ValueKind::Tuple2 => StateValueObject::Tuple2 {
            f0: unzigzag(number(bytes, entry)?),
            f1: unzigzag(number(bytes, entry)?),
        },
        ValueKind::KeyStats => StateValueObject::KeyStats {
            count: unzigzag(number(bytes, entry)?),
            sum: unzigzag(number(bytes, entry)?),
        },
        ValueKind::Ttl => {
            let user_value = match bytes.byte()? {
                None => return Err(section(kg, SectionProblem::CutShort { entry })),
                Some(0) => None,
                Some(1) => Some(unzigzag(number(bytes, entry)?)),
                Some(flag) => {
                    return Err(section(kg, SectionProblem::PresenceFlag { entry, flag }))
                }
            };
            StateValueObject::TtlValue {
                user_value,
                last_access_timestamp: unzigzag(number(bytes, entry)?),
            }
        }
    };
    Ok(StateValue::Object(object))
}

/// What a section holds, handed out as it is read: an entry (its number, key and value), then, in version 3,
/// the number of timers and each timer (its number, key and timestamp).
enum Item {
    Entry(u32, KeyRef, StateValue),
    Timers(u32),
    Timer(u32, KeyRef, i64),
}

/// A stored key code that names no key: a key number beyond the key format, or an unknown named key.
enum BadKey {
    BeyondFormat(u64),
    UnknownNamed(u64),
}
