//! Why a checkpoint blob was refused: one typed reason per check of the reader in
//! [`checkpoint_blob`](crate::engine::checkpoint::checkpoint_blob), with the numbers that failed it. The English wording is each
//! reason's `Display` (what the CLI prints); the page words them in its language from the same values
//! (`src/i18n/messages/errors.rs`). Flink's counterpart is the `IOException`/`IllegalStateException` its
//! `Checkpoints.loadCheckpointMetadata` throws; here every reason is a value, never a panic.
//!
//! Text a blob carries (a state's name, a key) is kept only as a short excerpt: an error from a hostile blob
//! must not be larger than the check that caught it.

use crate::engine::cluster::job_config_error::JobConfigError;
use crate::engine::keys::key_registry::KeyError;
use thiserror::Error;

/// The longest excerpt of a blob's own text an error keeps, in characters.
const EXCERPT_CHARS: usize = 48;

/// At most `EXCERPT_CHARS` (48) characters of `text`, with `…` when it was longer.
pub fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[derive(Clone, Debug, PartialEq, Error)]
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
    Malformed(Malformed),
    #[error("the checkpoint is larger than StateLab opens: {0}")]
    TooLarge(Limit),
    #[error("the checkpoint holds impossible values: {0}")]
    Implausible(Implausible),
    #[error("the checkpoint cannot be used by this StateLab: {0}")]
    JobShape(JobShape),
}

/// A sum of counts, which can exceed a `u64`, written as `u128`'s `Display` writes it — without that code in the
/// page (BENCHMARKS.md, "Size budget").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sum(pub u128);

impl std::fmt::Display for Sum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const TEN_TO_19: u128 = 10_000_000_000_000_000_000;
        match u64::try_from(self.0) {
            Ok(n) => write!(f, "{n}"),
            Err(_) => write!(
                f,
                "{}{:019}",
                Sum(self.0 / TEN_TO_19),
                (self.0 % TEN_TO_19) as u64
            ),
        }
    }
}

impl From<Malformed> for BlobError {
    fn from(m: Malformed) -> Self {
        BlobError::Malformed(m)
    }
}

impl From<Limit> for BlobError {
    fn from(l: Limit) -> Self {
        BlobError::TooLarge(l)
    }
}

impl From<Implausible> for BlobError {
    fn from(i: Implausible) -> Self {
        BlobError::Implausible(i)
    }
}

impl From<JobShape> for BlobError {
    fn from(j: JobShape) -> Self {
        BlobError::JobShape(j)
    }
}

/// The bytes do not follow the format (`docs/checkpoint-format.md`).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Malformed {
    #[error("unknown header flags {0:#06x}")]
    UnknownFlags(u16),
    #[error("{0} key groups (between 1 and 32768)")]
    KeyGroups(u32),
    #[error("the metadata and section table run past the end of the checkpoint")]
    HeaderOverrun,
    #[error("the metadata does not decompress")]
    MetadataDeflate,
    /// `detail` is the JSON parser's own English words.
    #[error("the metadata is not valid at line {line}, column {column}: {detail}")]
    MetadataJson {
        line: usize,
        column: usize,
        detail: String,
    },
    /// Version 2's binary metadata (`offset` into it, after decompression).
    #[error("the metadata does not read at byte {offset}: {problem}")]
    MetadataBinary {
        offset: u64,
        problem: MetadataProblem,
    },
    #[error("key group {key_group}: {problem}")]
    Section {
        key_group: u32,
        problem: SectionProblem,
    },
    #[error("{0} bytes between the last section and the checksum")]
    GapAfterSections(u64),
    #[error("the metadata counts {metadata} entries but the key groups hold {sections}")]
    EntriesMismatch { metadata: u64, sections: u64 },
    #[error(
        "the checkpoint was taken at parallelism {parallelism} / max parallelism {max_parallelism}, its job says \
         {job_parallelism} / {job_max_parallelism}"
    )]
    LayoutMismatch {
        parallelism: u32,
        max_parallelism: u32,
        job_parallelism: u32,
        job_max_parallelism: u32,
    },
    #[error("max parallelism {max_parallelism} but {key_groups} key groups")]
    KeyGroupsMismatch {
        max_parallelism: u32,
        key_groups: u32,
    },
    #[error("{positions} source positions for {subtasks} source subtasks")]
    SourcePositions { positions: usize, subtasks: u32 },
    #[error("statistics for {stats} subtasks at parallelism {parallelism}")]
    SubtaskStats { stats: usize, parallelism: u32 },
    #[error("named key '{text}' is not a valid {key_type}")]
    NamedKeyInvalid {
        text: String,
        key_type: &'static str,
    },
    #[error("named key '{text}' is not stored by its name (the key format generates it, or it is named twice)")]
    NamedKeyNotByName { text: String },
    #[error("named key '{text}' is in no key group")]
    NamedKeyUnused { text: String },
    /// Format version 3 carries every function but the counter, whose blobs stay version 2.
    #[error(
        "the {function} job's checkpoint is written in format version {expected}, not {version}"
    )]
    Version {
        function: &'static str,
        version: u16,
        expected: u16,
    },
}

/// What is wrong with version 2's binary metadata where it stops reading.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MetadataProblem {
    #[error("it ends in the middle of a value")]
    CutShort,
    #[error("a number is not written the way StateLab writes numbers")]
    NonCanonical,
    #[error("a number is too large for its field")]
    OutOfRange,
    #[error("a text is not UTF-8")]
    NotUtf8,
    #[error("a number is not finite")]
    NotFinite,
    #[error("a list claims {count} elements, more than the bytes left")]
    ListLength { count: u64 },
    #[error("unknown field {0} (a newer StateLab may have written it)")]
    UnknownField(u64),
    #[error("field {0} is out of order or repeated")]
    FieldOrder(u64),
    #[error("field {0} is missing")]
    MissingField(u64),
    #[error("unknown variant {0}")]
    UnknownVariant(u64),
    #[error("{0} bytes are left after its end")]
    BytesLeft(u64),
}

/// What is wrong with one key group's section.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SectionProblem {
    #[error("reserved bytes are not zero")]
    ReservedBytes,
    #[error("section at offset {found} (expected {expected})")]
    Offset { found: u32, expected: u64 },
    #[error("its section runs past the end of the checkpoint")]
    Overrun,
    #[error("unknown section encoding {0}")]
    UnknownEncoding(u8),
    #[error("an uncompressed section whose sizes differ")]
    RawSizesDiffer,
    #[error("{stored} bytes cannot inflate to the {raw} it claims")]
    CannotInflate { stored: u32, raw: u32 },
    #[error("{entries} entries cannot fit in {raw} bytes")]
    EntriesDontFit { entries: u32, raw: u32 },
    #[error("its entries do not decompress")]
    Inflate,
    #[error("its entries take {actual} bytes, {declared} declared")]
    Length { actual: u64, declared: u32 },
    #[error("entry {entry} is cut short")]
    CutShort { entry: u32 },
    #[error("entry {entry} is not written the way StateLab writes numbers")]
    NonCanonical { entry: u32 },
    #[error("entry {entry}: key number {index} is beyond the key format")]
    KeyBeyondFormat { entry: u32, index: u64 },
    #[error("entry {entry}: unknown named key {index}")]
    UnknownNamedKey { entry: u32, index: u64 },
    #[error("entry {entry} holds a key of key group {actual}")]
    WrongKeyGroup { entry: u32, actual: i32 },
    #[error("entry {entry} repeats a key")]
    RepeatedKey { entry: u32 },
    #[error("{0} bytes left after its entries")]
    BytesLeft(u64),
    #[error("there is no such key group")]
    NoSuchKeyGroup,
    #[error("entry {entry} claims {count} elements, more than the bytes left")]
    CountBeyondBytes { entry: u32, count: u64 },
    #[error("entry {entry}: a map key is not UTF-8")]
    UserKeyNotUtf8 { entry: u32 },
    #[error("entry {entry}: its map holds a key twice")]
    RepeatedUserKey { entry: u32 },
    #[error("entry {entry}: a value's presence flag is {flag} (0 or 1)")]
    PresenceFlag { entry: u32, flag: u8 },
    #[error("it claims {count} timers, more than the bytes left")]
    TimersBeyondBytes { count: u64 },
    #[error("timer {timer} is cut short or not written the way StateLab writes numbers")]
    TimerUnreadable { timer: u32 },
    #[error("timer {timer}: key code {code} names no key of the job")]
    TimerKey { timer: u32, code: u64 },
    #[error("timer {timer} holds a key of key group {actual}")]
    TimerWrongKeyGroup { timer: u32, actual: i32 },
    #[error("timer {timer} repeats a timer")]
    RepeatedTimer { timer: u32 },
}

/// A cap of what StateLab opens (`docs/checkpoint-format.md`, "Limits"), exceeded.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Limit {
    #[error("metadata of {bytes} bytes (at most {max})")]
    Metadata { bytes: u64, max: u64 },
    #[error("metadata that decompresses to more than {max} bytes")]
    MetadataInflated { max: u64 },
    #[error("key group {key_group} holds {bytes} bytes of entries (at most {max})")]
    Section {
        key_group: u32,
        bytes: u64,
        max: u64,
    },
    #[error("{entries} entries (at most {max})")]
    Entries { entries: u64, max: u64 },
    #[error("{bytes} bytes of entries (at most {max})")]
    EntryBytes { bytes: u64, max: u64 },
    #[error("more than {max} named keys")]
    NamedKeys { max: usize },
    #[error("named key #{index} is longer than {max} bytes")]
    KeyLength { index: usize, max: usize },
    #[error("a producer name longer than {max} characters")]
    Producer { max: usize },
    #[error("a list of {count} in the metadata (at most {max})")]
    List { count: u64, max: u64 },
    #[error("key group {key_group}, entry {entry}: {count} elements or mappings (at most {max})")]
    Elements {
        key_group: u32,
        entry: u32,
        count: u64,
        max: u64,
    },
    #[error("key group {key_group}, entry {entry}: a map key of {bytes} bytes (at most {max})")]
    UserKey {
        key_group: u32,
        entry: u32,
        bytes: u64,
        max: u64,
    },
    #[error("key group {key_group} holds {count} timers (at most {max})")]
    Timers {
        key_group: u32,
        count: u64,
        max: u64,
    },
}

/// Values no run of the job can produce.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Implausible {
    #[error("checkpoint id {id} (ids run from 1 to {max})")]
    CheckpointId { id: u64, max: u64 },
    #[error("a source position of {events} events (at most {max})")]
    SourcePosition { events: u64, max: u64 },
    #[error(
        "trigger time {trigger} ns and completion time {completion} ns (in order, at most {max})"
    )]
    Times {
        trigger: u64,
        completion: u64,
        max: u64,
    },
    #[error("key group {key_group}, entry {entry}: a count of {count} (a key in state was counted at least once)")]
    Count {
        key_group: u32,
        entry: u32,
        count: i64,
    },
    #[error("the counts add up to {counts}, but the sources had emitted only {events} events")]
    CountsExceedEvents { counts: Sum, events: u64 },
    /// A value of the job function's state outside what its events make: a list element or a sum beyond the
    /// amounts, an empty list or map, a count below 1, a time after the checkpoint.
    #[error("key group {key_group}, entry {entry}: a value of {value} (its state holds {min} to {max} there)")]
    Value {
        key_group: u32,
        entry: u32,
        value: i64,
        min: i64,
        max: i64,
    },
    #[error("the amounts add up to {amounts}, more than {max_amount} for each of the {events} events the sources had emitted")]
    AmountsExceedEvents {
        amounts: Sum,
        events: u64,
        max_amount: i64,
    },
    #[error("key group {key_group} holds {count} timers, but the {function} job registers none")]
    UnexpectedTimers {
        key_group: u32,
        count: u32,
        function: &'static str,
    },
    #[error(
        "key group {key_group}, entry {entry}: an open session without the timer that closes it"
    )]
    SessionWithoutTimer { key_group: u32, entry: u32 },
    #[error("key group {key_group}, timer {timer} at {timestamp} ms: no open session of its key closes then or later")]
    TimerWithoutSession {
        key_group: u32,
        timer: u32,
        timestamp: i64,
    },
    #[error("the statistics give a state size of {claimed} bytes, the entries make {actual}")]
    StateSize { claimed: u64, actual: u64 },
    #[error(
        "subtask {subtask}: the statistics count {claimed} entries, its key groups hold {actual}"
    )]
    SubtaskEntries {
        subtask: u32,
        claimed: u64,
        actual: u64,
    },
    #[error("subtask {subtask}: the statistics give {claimed} bytes of state, its key groups make {actual}")]
    SubtaskStateSize {
        subtask: u32,
        claimed: u64,
        actual: u64,
    },
    #[error(
        "subtask {subtask}: its times do not fit between the checkpoint's trigger and completion"
    )]
    SubtaskTimes { subtask: u32 },
    #[error(
        "subtask {subtask}: {copies} copies on write, more than its {bound} entries and records"
    )]
    CopyOnWriteCopies {
        subtask: u32,
        copies: u64,
        bound: u64,
    },
}

/// The blob is sound but holds something other than StateLab's job.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum JobShape {
    #[error("it holds {kind}<{value_type}> '{name}', but the {function} job keeps {expected}")]
    State {
        kind: String,
        value_type: String,
        name: String,
        function: &'static str,
        /// The state the function keeps, as `ValueState<Long> 'event-counter'`.
        expected: String,
    },
    #[error("its state is keyed by {state} but its job by {job}")]
    KeyType {
        state: &'static str,
        job: &'static str,
    },
    #[error("its job configuration is invalid: {0}")]
    Job(JobConfigError),
    #[error("{0}")]
    Key(KeyError),
}

#[cfg(test)]
mod tests {
    use super::Sum;

    #[test]
    fn a_sum_is_written_as_u128_writes_it() {
        for n in [
            0,
            7,
            u128::from(u64::MAX),
            u128::from(u64::MAX) + 1,
            10_000_000_000_000_000_000,
            10_000_000_000_000_000_000 * 10_000_000_000_000_000_000 + 5,
            u128::MAX,
        ] {
            assert_eq!(Sum(n).to_string(), n.to_string());
        }
    }
}
