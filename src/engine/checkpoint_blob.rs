//! StateLab's checkpoint blob: one completed checkpoint as bytes that can be stored, downloaded, put in a link
//! and opened by another StateLab — the counterpart of Flink's `_metadata` file plus its keyed state handles.
//! The layout is documented in `docs/checkpoint-format.md`:
//!
//! ```text
//! header    magic "\x89SLCKPT\n" | u16 format version | u16 flags | u32 metadata length | u32 key groups |
//!           u64 total length                                                      (little-endian, 28 bytes)
//! metadata  deflated JSON: checkpoint id and times, mode, parallelism, max parallelism, source positions,
//!           the job configuration, the state's shape, named keys, entry count, per-subtask statistics
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
//! Reading is defensive: the length and checksum are checked before anything is parsed, every length field is
//! bounded before anything is allocated, decompression is bounded by the declared size, every entry's key must
//! belong to the key group it is stored under, and a blob of a newer format or another job shape is refused with
//! a message that says so.

use super::completed_checkpoint::{CompletedCheckpoint, SubtaskCheckpointStats};
use super::data_generator_source::SplitPosition;
use super::java_key::{JavaKey, JavaKeyType};
use super::job_config::{parse_key, CheckpointingMode, JobConfig};
use super::key_group_range::KeyGroupRange;
use super::key_group_range_assignment::UPPER_BOUND_MAX_PARALLELISM;
use super::key_registry::{KeyId, KeyRegistry};
use super::math_utils::murmur_hash;
use super::value_state_descriptor::EVENT_COUNTER_STATE_NAME;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use thiserror::Error;

/// The first bytes of every blob. The non-ASCII first byte and the line feed catch text-mode mangling, as PNG's do.
pub const MAGIC: [u8; 8] = *b"\x89SLCKPT\n";
/// The format this code writes and reads.
pub const FORMAT_VERSION: u16 = 1;
/// The file extension StateLab uses for blobs.
pub const FILE_EXTENSION: &str = "slcp";

const HEADER_LEN: usize = 28;
const SECTION_ENTRY_LEN: usize = 20;
const TRAILER_LEN: usize = 4;

/// Upper bounds on what a blob may claim, checked before allocating.
const MAX_METADATA_STORED: u32 = 8 << 20;
const MAX_METADATA_JSON: usize = 32 << 20;
const MAX_SECTION_RAW: u32 = 256 << 20;
const MAX_TOTAL_RAW: u64 = 1 << 30;
const MAX_TOTAL_ENTRIES: u64 = 100_000_000;
/// Deflate expands at most about 1032:1.
const MAX_DEFLATE_RATIO: u64 = 1032;
/// Source positions and times a job could reach (2^48 events; about 3 years of simulated time).
const MAX_POSITION: u64 = 1 << 48;
const MAX_TIME_NS: u64 = 1 << 56;
/// The smallest encoded entry is two bytes (a one-byte key code and a one-byte value).
const MIN_ENTRY_BYTES: u32 = 2;

const ENCODING_RAW: u8 = 0;
const ENCODING_DEFLATE: u8 = 1;
const FLAG_METADATA_DEFLATED: u16 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum BlobError {
    #[error("this is not a StateLab checkpoint: it is only {0} bytes long")]
    TooShort(usize),
    #[error("this is not a StateLab checkpoint (it does not start with StateLab's magic bytes)")]
    BadMagic,
    #[error(
        "this checkpoint was written by a newer StateLab (format version {found}); this page reads format version \
         {supported}. Update StateLab to open it."
    )]
    NewerVersion { found: u16, supported: u16 },
    #[error("this checkpoint uses unknown format version {0}")]
    UnknownVersion(u16),
    #[error(
        "the checkpoint is truncated: it should be {expected} bytes, but only {actual} arrived"
    )]
    Truncated { expected: u64, actual: u64 },
    #[error("the checkpoint has {0} unexpected bytes after its end")]
    TrailingBytes(u64),
    #[error("the checkpoint is corrupted: its checksum does not match its contents")]
    ChecksumMismatch,
    #[error("the checkpoint is malformed: {0}")]
    Malformed(String),
    #[error("the checkpoint cannot be used by this StateLab: {0}")]
    JobShape(String),
}

fn malformed(message: impl Into<String>) -> BlobError {
    BlobError::Malformed(message.into())
}

/// The state a blob holds: StateLab's job keeps `ValueState<Long>` `"event-counter"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StateShape {
    pub name: String,
    pub kind: String,
    pub value_type: String,
    pub key_type: JavaKeyType,
}

impl StateShape {
    fn of_job(key_type: JavaKeyType) -> Self {
        StateShape {
            name: EVENT_COUNTER_STATE_NAME.to_owned(),
            kind: "ValueState".to_owned(),
            value_type: "Long".to_owned(),
            key_type,
        }
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
    /// Keys the job's key format does not generate (typed by hand), referenced by position.
    pub named_keys: Vec<String>,
    pub entries: u64,
    /// Bytes Flink's native format would take for the same state.
    pub flink_state_size: u64,
    pub subtasks: Vec<SubtaskCheckpointStats>,
}

/// A key as stored: by index in the key format, or by position in the named keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyRef {
    Generated(u64),
    Named(u32),
}

/// One key group's entries: key and count, in the order they were written.
pub type KeyGroupEntries = Vec<(KeyRef, i64)>;

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

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Encodes a completed checkpoint of the job `job`, whose keys are in `keys`.
pub fn encode(checkpoint: &CompletedCheckpoint, keys: &KeyRegistry, job: &JobConfig) -> Vec<u8> {
    encode_with(checkpoint, keys, job, true)
}

/// Like [`encode`], without compression: readable JSON metadata and plain varints, as a hex viewer or a fuzzer
/// sees them best. Readers open both.
pub fn encode_uncompressed(
    checkpoint: &CompletedCheckpoint,
    keys: &KeyRegistry,
    job: &JobConfig,
) -> Vec<u8> {
    encode_with(checkpoint, keys, job, false)
}

fn encode_with(
    checkpoint: &CompletedCheckpoint,
    keys: &KeyRegistry,
    job: &JobConfig,
    compress: bool,
) -> Vec<u8> {
    let key_type = job.source.key_format.key_type;
    let mut named: Vec<String> = Vec::new();
    let mut named_index: HashMap<KeyId, u32> = HashMap::new();
    let mut raw_sections: Vec<(Vec<u8>, u32)> = Vec::with_capacity(checkpoint.key_groups.len());
    for group in &checkpoint.key_groups {
        let mut raw = Vec::with_capacity(group.len() * 5);
        for &(key, value) in group {
            let code = match keys.generated_index(key) {
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
            put_varint(&mut raw, code);
            put_varint(&mut raw, zigzag(value));
        }
        raw_sections.push((raw, group.len() as u32));
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
        state: StateShape::of_job(key_type),
        job,
        named_keys: named,
        entries: checkpoint.entries() as u64,
        flink_state_size: checkpoint.state_size(),
        subtasks: checkpoint.subtasks.clone(),
    };
    let json = serde_json::to_vec(&metadata).expect("metadata is always serialisable");
    let (metadata_bytes, flags) = if compress {
        (
            miniz_oxide::deflate::compress_to_vec(&json, 6),
            FLAG_METADATA_DEFLATED,
        )
    } else {
        (json, 0)
    };

    let sections = raw_sections.len();
    let mut table = Vec::with_capacity(sections * SECTION_ENTRY_LEN);
    let mut payload = Vec::new();
    for (raw, entries) in &raw_sections {
        let compressed = if compress && raw.len() > 64 {
            miniz_oxide::deflate::compress_to_vec(raw, 1)
        } else {
            Vec::new()
        };
        let (encoding, stored): (u8, &[u8]) =
            if !compressed.is_empty() && compressed.len() < raw.len() {
                (ENCODING_DEFLATE, &compressed)
            } else {
                (ENCODING_RAW, raw)
            };
        table.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        table.extend_from_slice(&(stored.len() as u32).to_le_bytes());
        table.extend_from_slice(&(raw.len() as u32).to_le_bytes());
        table.extend_from_slice(&entries.to_le_bytes());
        table.extend_from_slice(&[encoding, 0, 0, 0]);
        payload.extend_from_slice(stored);
    }

    let total = HEADER_LEN + metadata_bytes.len() + table.len() + payload.len() + TRAILER_LEN;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&(metadata_bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(&(sections as u32).to_le_bytes());
    out.extend_from_slice(&(total as u64).to_le_bytes());
    out.extend_from_slice(&metadata_bytes);
    out.extend_from_slice(&table);
    out.extend_from_slice(&payload);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
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
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

/// A validated blob, ready to hand out its metadata and, one by one, its key groups.
#[derive(Debug)]
pub struct BlobReader<'a> {
    bytes: &'a [u8],
    metadata: BlobMetadata,
    /// `hashCode()` of each named key.
    named_hashes: Vec<i32>,
    sections: Vec<SectionInfo>,
    payload_start: usize,
}

impl<'a> BlobReader<'a> {
    /// Checks the whole blob's framing, checksum, metadata and section table.
    pub fn open(bytes: &'a [u8]) -> Result<Self, BlobError> {
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
        if version != FORMAT_VERSION {
            return Err(BlobError::UnknownVersion(version));
        }
        let flags = u16_at(bytes, 10);
        if flags & !FLAG_METADATA_DEFLATED != 0 {
            return Err(malformed(format!("unknown header flags {flags:#06x}")));
        }
        let metadata_len = u32_at(bytes, 12);
        let sections = u32_at(bytes, 16);
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
        if crc32fast::hash(&bytes[..bytes.len() - TRAILER_LEN]) != stored_crc {
            return Err(BlobError::ChecksumMismatch);
        }
        if metadata_len > MAX_METADATA_STORED {
            return Err(malformed(format!(
                "metadata of {metadata_len} bytes (at most {MAX_METADATA_STORED})"
            )));
        }
        if sections == 0 || sections > UPPER_BOUND_MAX_PARALLELISM as u32 {
            return Err(malformed(format!(
                "{sections} key groups (between 1 and {UPPER_BOUND_MAX_PARALLELISM})"
            )));
        }
        let table_start = HEADER_LEN + metadata_len as usize;
        let payload_start = table_start + sections as usize * SECTION_ENTRY_LEN;
        let payload_end = bytes.len() - TRAILER_LEN;
        if payload_start > payload_end {
            return Err(malformed(
                "the metadata and section table run past the end of the checkpoint",
            ));
        }
        let metadata_stored = &bytes[HEADER_LEN..table_start];
        let json = if flags & FLAG_METADATA_DEFLATED != 0 {
            miniz_oxide::inflate::decompress_to_vec_with_limit(metadata_stored, MAX_METADATA_JSON)
                .map_err(|e| malformed(format!("the metadata does not decompress ({:?})", e.status)))?
        } else {
            metadata_stored.to_vec()
        };
        let metadata: BlobMetadata = serde_json::from_slice(&json)
            .map_err(|e| malformed(format!("the metadata is not valid: {e}")))?;
        validate_metadata(&metadata, sections)?;

        let payload_len = (payload_end - payload_start) as u64;
        let mut infos = Vec::with_capacity(sections as usize);
        let (mut expected_offset, mut total_raw, mut total_entries) = (0u64, 0u64, 0u64);
        for kg in 0..sections as usize {
            let at = table_start + kg * SECTION_ENTRY_LEN;
            let info = SectionInfo {
                offset: u32_at(bytes, at),
                stored_len: u32_at(bytes, at + 4),
                raw_len: u32_at(bytes, at + 8),
                entries: u32_at(bytes, at + 12),
                encoding: bytes[at + 16],
            };
            let problem = |what: String| malformed(format!("key group {kg}: {what}"));
            if bytes[at + 17..at + 20] != [0, 0, 0] {
                return Err(problem("reserved bytes are not zero".into()));
            }
            if u64::from(info.offset) != expected_offset {
                return Err(problem(format!(
                    "section at offset {} (expected {expected_offset})",
                    info.offset
                )));
            }
            expected_offset += u64::from(info.stored_len);
            if expected_offset > payload_len {
                return Err(problem(
                    "its section runs past the end of the checkpoint".into(),
                ));
            }
            if info.raw_len > MAX_SECTION_RAW {
                return Err(problem(format!(
                    "{} bytes of entries (at most {MAX_SECTION_RAW})",
                    info.raw_len
                )));
            }
            match info.encoding {
                ENCODING_RAW if info.raw_len != info.stored_len => {
                    return Err(problem("an uncompressed section whose sizes differ".into()))
                }
                ENCODING_RAW | ENCODING_DEFLATE => {}
                other => return Err(problem(format!("unknown section encoding {other}"))),
            }
            if info.encoding == ENCODING_DEFLATE
                && u64::from(info.raw_len) > u64::from(info.stored_len) * MAX_DEFLATE_RATIO + 1024
            {
                return Err(problem(format!(
                    "{} bytes cannot inflate to the {} it claims",
                    info.stored_len, info.raw_len
                )));
            }
            if u64::from(info.entries) * u64::from(MIN_ENTRY_BYTES) > u64::from(info.raw_len) {
                return Err(problem(format!(
                    "{} entries cannot fit in {} bytes",
                    info.entries, info.raw_len
                )));
            }
            total_raw += u64::from(info.raw_len);
            total_entries += u64::from(info.entries);
            infos.push(info);
        }
        if expected_offset != payload_len {
            return Err(malformed(format!(
                "{} bytes between the last section and the checksum",
                payload_len - expected_offset
            )));
        }
        if total_raw > MAX_TOTAL_RAW || total_entries > MAX_TOTAL_ENTRIES {
            return Err(malformed(format!(
                "{total_entries} entries in {total_raw} bytes is more than StateLab opens"
            )));
        }
        if total_entries != metadata.entries {
            return Err(malformed(format!(
                "the metadata counts {} entries but the key groups hold {total_entries}",
                metadata.entries
            )));
        }
        let named_hashes = named_key_hashes(&metadata)?;
        Ok(BlobReader {
            bytes,
            metadata,
            named_hashes,
            sections: infos,
            payload_start,
        })
    }

    pub fn metadata(&self) -> &BlobMetadata {
        &self.metadata
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

    /// The entries of one key group, each checked to belong to it and to appear once.
    pub fn key_group(&self, key_group: u32) -> Result<KeyGroupEntries, BlobError> {
        let entries = self
            .sections
            .get(key_group as usize)
            .map_or(0, |s| s.entries);
        let mut out = Vec::with_capacity(entries as usize);
        let mut seen = ahash::AHashSet::with_capacity(entries as usize);
        self.decode_section(key_group, |n, key, value| {
            if !seen.insert(key) {
                return Err(malformed(format!(
                    "key group {key_group}: entry {n} repeats a key"
                )));
            }
            out.push((key, value));
            Ok(())
        })?;
        Ok(out)
    }

    /// Decodes one key group's section, checking that every key belongs to it, and hands each entry (its
    /// number, key and value) to `f`.
    fn decode_section(
        &self,
        key_group: u32,
        mut f: impl FnMut(u32, KeyRef, i64) -> Result<(), BlobError>,
    ) -> Result<(), BlobError> {
        let info = *self
            .sections
            .get(key_group as usize)
            .ok_or_else(|| malformed(format!("there is no key group {key_group}")))?;
        let problem = |what: String| malformed(format!("key group {key_group}: {what}"));
        let start = self.payload_start + info.offset as usize;
        let stored = &self.bytes[start..start + info.stored_len as usize];
        let inflated;
        let raw: &[u8] = if info.encoding == ENCODING_DEFLATE {
            inflated = miniz_oxide::inflate::decompress_to_vec_with_limit(
                stored,
                info.raw_len as usize,
            )
            .map_err(|e| problem(format!("its entries do not decompress ({:?})", e.status)))?;
            &inflated
        } else {
            stored
        };
        if raw.len() != info.raw_len as usize {
            return Err(problem(format!(
                "{} bytes of entries, {} declared",
                raw.len(),
                info.raw_len
            )));
        }
        let format = &self.metadata.job.source.key_format;
        let max_parallelism = self.metadata.max_parallelism as i32;
        let mut at = 0usize;
        for n in 0..info.entries {
            let code = read_varint(raw, &mut at)
                .ok_or_else(|| problem(format!("entry {n} is cut short")))?;
            let value = read_varint(raw, &mut at)
                .ok_or_else(|| problem(format!("entry {n} is cut short")))?;
            let (key, hash) = if code & 1 == 0 {
                let index = code >> 1;
                if index > format.max_index() {
                    return Err(problem(format!(
                        "entry {n}: key number {index} is beyond the key format"
                    )));
                }
                (KeyRef::Generated(index), format.hash_code_of(index))
            } else {
                let index = usize::try_from(code >> 1).unwrap_or(usize::MAX);
                let hash = *self.named_hashes.get(index).ok_or_else(|| {
                    problem(format!("entry {n}: unknown named key {}", code >> 1))
                })?;
                (KeyRef::Named(index as u32), hash)
            };
            let actual = murmur_hash(hash) % max_parallelism;
            if actual != key_group as i32 {
                return Err(problem(format!(
                    "entry {n} holds a key of key group {actual}"
                )));
            }
            f(n, key, unzigzag(value))?;
        }
        if at != raw.len() {
            return Err(problem(format!(
                "{} bytes left after its {} entries",
                raw.len() - at,
                info.entries
            )));
        }
        Ok(())
    }

    /// The entries of the key groups in `range`, in key-group order (what one subtask restores).
    pub fn key_groups(
        &self,
        range: KeyGroupRange,
    ) -> Result<Vec<(i32, KeyGroupEntries)>, BlobError> {
        range
            .iter()
            .map(|kg| Ok((kg, self.key_group(kg as u32)?)))
            .collect()
    }

    /// The Java key a stored key stands for.
    pub fn java_key(&self, key: KeyRef) -> Result<JavaKey, BlobError> {
        let format = &self.metadata.job.source.key_format;
        match key {
            KeyRef::Generated(index) => Ok(format.key(index)),
            KeyRef::Named(i) => {
                let text = self
                    .metadata
                    .named_keys
                    .get(i as usize)
                    .ok_or_else(|| malformed(format!("unknown named key {i}")))?;
                parse_key(text, format.key_type).ok_or_else(|| {
                    malformed(format!(
                        "named key '{text}' is not a valid {}",
                        format.key_type.java_name()
                    ))
                })
            }
        }
    }

    /// Converts the whole blob into a completed checkpoint whose keys are interned in `keys`.
    pub fn to_completed_checkpoint(
        &self,
        keys: &mut KeyRegistry,
    ) -> Result<CompletedCheckpoint, BlobError> {
        let m = &self.metadata;
        let same_format = keys.format() == &m.job.source.key_format;
        if same_format {
            keys.reserve_generated(m.job.source.key_count);
        }
        let mut key_groups = Vec::with_capacity(self.sections.len());
        let mut named_ids: Vec<Option<KeyId>> = vec![None; self.named_hashes.len()];
        // Each key once per checkpoint: a bit per interned key.
        let mut seen: Vec<u64> = Vec::new();
        for kg in 0..self.sections.len() as u32 {
            let mut group = Vec::with_capacity(self.sections[kg as usize].entries as usize);
            self.decode_section(kg, |n, key, value| {
                let id = match key {
                    KeyRef::Generated(index) if same_format => keys.generated(index),
                    KeyRef::Named(i) if named_ids[i as usize].is_some() => {
                        named_ids[i as usize].unwrap_or(KeyId(0))
                    }
                    _ => {
                        let id = keys
                            .intern(&self.java_key(key)?)
                            .map_err(|e| BlobError::JobShape(e.to_string()))?;
                        if let KeyRef::Named(i) = key {
                            named_ids[i as usize] = Some(id);
                        }
                        id
                    }
                };
                let (word, bit) = (id.0 as usize / 64, 1u64 << (id.0 % 64));
                if word >= seen.len() {
                    seen.resize((word + 1).max(keys.len().div_ceil(64)), 0);
                }
                if seen[word] & bit != 0 {
                    return Err(malformed(format!(
                        "key group {kg}: entry {n} repeats a key"
                    )));
                }
                seen[word] |= bit;
                group.push((id, value));
                Ok(())
            })?;
            key_groups.push(group);
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
            subtasks: m.subtasks.clone(),
        })
    }
}

fn read_varint(b: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*at)?;
        *at += 1;
        if shift == 63 && byte > 1 {
            return None;
        }
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Parses every named key: each must be a key of the job's type, not one its key format generates (those are
/// stored by number), and named once.
fn named_key_hashes(m: &BlobMetadata) -> Result<Vec<i32>, BlobError> {
    let format = &m.job.source.key_format;
    let mut distinct = std::collections::HashSet::with_capacity(m.named_keys.len());
    m.named_keys
        .iter()
        .map(|text| {
            let key = parse_key(text, format.key_type).ok_or_else(|| {
                malformed(format!(
                    "named key '{text}' is not a valid {}",
                    format.key_type.java_name()
                ))
            })?;
            let hash = key.hash_code();
            if format.index_of(&key).is_some() || !distinct.insert(key) {
                return Err(malformed(format!(
                    "named key '{text}' is not stored by its name"
                )));
            }
            Ok(hash)
        })
        .collect()
}

fn validate_metadata(m: &BlobMetadata, sections: u32) -> Result<(), BlobError> {
    let expected = StateShape::of_job(m.job.source.key_format.key_type);
    if m.state.name != expected.name
        || m.state.kind != expected.kind
        || m.state.value_type != expected.value_type
    {
        return Err(BlobError::JobShape(format!(
            "it holds {}<{}> '{}', but StateLab's job keeps ValueState<Long> '{}'",
            m.state.kind, m.state.value_type, m.state.name, EVENT_COUNTER_STATE_NAME
        )));
    }
    if m.state.key_type != m.job.source.key_format.key_type {
        return Err(BlobError::JobShape(format!(
            "its state is keyed by {} but its job by {}",
            m.state.key_type.java_name(),
            m.job.source.key_format.key_type.java_name()
        )));
    }
    m.job
        .validate()
        .map_err(|e| BlobError::JobShape(format!("its job configuration is invalid: {e}")))?;
    if m.job.parallelism != m.parallelism || m.job.effective_max_parallelism() != m.max_parallelism
    {
        return Err(malformed(format!(
            "the checkpoint was taken at parallelism {} / max parallelism {}, its job says {} / {}",
            m.parallelism,
            m.max_parallelism,
            m.job.parallelism,
            m.job.effective_max_parallelism()
        )));
    }
    if m.max_parallelism != sections {
        return Err(malformed(format!(
            "max parallelism {} but {sections} key groups",
            m.max_parallelism
        )));
    }
    if m.parallelism == 0 || m.parallelism > m.max_parallelism {
        return Err(malformed(format!(
            "parallelism {} with max parallelism {}",
            m.parallelism, m.max_parallelism
        )));
    }
    if m.source_positions.len() != m.job.source.parallelism as usize {
        return Err(malformed(format!(
            "{} source positions for {} source subtasks",
            m.source_positions.len(),
            m.job.source.parallelism
        )));
    }
    if let Some(p) = m
        .source_positions
        .iter()
        .find(|p| p.generated > MAX_POSITION || p.injected > MAX_POSITION)
    {
        return Err(malformed(format!(
            "a source position of {} events (at most {MAX_POSITION})",
            p.generated.max(p.injected)
        )));
    }
    if m.trigger_time_ns > m.completion_time_ns || m.completion_time_ns > MAX_TIME_NS {
        return Err(malformed(format!(
            "trigger time {} ns and completion time {} ns (at most {MAX_TIME_NS})",
            m.trigger_time_ns, m.completion_time_ns
        )));
    }
    if m.subtasks.len() != m.parallelism as usize
        || m.subtasks
            .iter()
            .enumerate()
            .any(|(i, s)| s.subtask as usize != i)
    {
        return Err(malformed(format!(
            "statistics for {} subtasks at parallelism {}",
            m.subtasks.len(),
            m.parallelism
        )));
    }
    if m.named_keys.len() as u64 > MAX_TOTAL_ENTRIES {
        return Err(malformed("too many named keys"));
    }
    Ok(())
}
