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

/// The longest excerpt of a blob's own text an error keeps, in characters.
const EXCERPT_CHARS: usize = 48;

/// At most `EXCERPT_CHARS` (48) characters of `text`, with `…` when it was longer.
pub fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum BlobError {
    TooShort(usize),
    BadMagic,
    NewerVersion {
        found: u16,
        supported: u16,
    },
    UnknownVersion(u16),
    /// A version-1 blob (JSON metadata) given to the page's reader, which opens it only once upgraded
    /// (`checkpoint_blob::upgraded`, as the checkpoint library's worker does).
    NotUpgraded(u16),
    Truncated {
        expected: u64,
        actual: u64,
    },
    TrailingBytes(u64),
    ChecksumMismatch,
    Malformed(Malformed),
    TooLarge(Limit),
    Implausible(Implausible),
    JobShape(JobShape),
}

crate::i18n::english_error!(BlobError => crate::i18n::messages::errors::blob);

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

crate::engine::error_from!(BlobError {
    Malformed(Malformed),
    TooLarge(Limit),
    Implausible(Implausible),
    JobShape(JobShape),
});

/// The bytes do not follow the format (`docs/checkpoint-format.md`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Malformed {
    UnknownFlags(u16),
    KeyGroups(u32),
    HeaderOverrun,
    MetadataDeflate,
    /// `detail` is the JSON parser's own English words.
    MetadataJson {
        line: usize,
        column: usize,
        detail: String,
    },
    /// Version 2's binary metadata (`offset` into it, after decompression).
    MetadataBinary {
        offset: u64,
        problem: MetadataProblem,
    },
    Section {
        key_group: u32,
        problem: SectionProblem,
    },
    GapAfterSections(u64),
    EntriesMismatch {
        metadata: u64,
        sections: u64,
    },
    LayoutMismatch {
        parallelism: u32,
        max_parallelism: u32,
        job_parallelism: u32,
        job_max_parallelism: u32,
    },
    KeyGroupsMismatch {
        max_parallelism: u32,
        key_groups: u32,
    },
    SourcePositions {
        positions: usize,
        subtasks: u32,
    },
    SubtaskStats {
        stats: usize,
        parallelism: u32,
    },
    NamedKeyInvalid {
        text: String,
        key_type: &'static str,
    },
    NamedKeyNotByName {
        text: String,
    },
    NamedKeyUnused {
        text: String,
    },
    /// Format version 3 carries every function but the counter, whose blobs stay version 2.
    Version {
        function: &'static str,
        version: u16,
        expected: u16,
    },
}

crate::i18n::english_error!(Malformed => crate::i18n::messages::errors::malformed);

/// What is wrong with version 2's binary metadata where it stops reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetadataProblem {
    CutShort,
    NonCanonical,
    OutOfRange,
    NotUtf8,
    NotFinite,
    ListLength { count: u64 },
    UnknownField(u64),
    FieldOrder(u64),
    MissingField(u64),
    UnknownVariant(u64),
    BytesLeft(u64),
}

crate::i18n::english_error!(MetadataProblem => crate::i18n::messages::errors::metadata_problem);

/// What is wrong with one key group's section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SectionProblem {
    ReservedBytes,
    Offset { found: u32, expected: u64 },
    Overrun,
    UnknownEncoding(u8),
    RawSizesDiffer,
    CannotInflate { stored: u32, raw: u32 },
    EntriesDontFit { entries: u32, raw: u32 },
    Inflate,
    Length { actual: u64, declared: u32 },
    CutShort { entry: u32 },
    NonCanonical { entry: u32 },
    KeyBeyondFormat { entry: u32, index: u64 },
    UnknownNamedKey { entry: u32, index: u64 },
    WrongKeyGroup { entry: u32, actual: i32 },
    RepeatedKey { entry: u32 },
    BytesLeft(u64),
    NoSuchKeyGroup,
    CountBeyondBytes { entry: u32, count: u64 },
    UserKeyNotUtf8 { entry: u32 },
    RepeatedUserKey { entry: u32 },
    PresenceFlag { entry: u32, flag: u8 },
    TimersBeyondBytes { count: u64 },
    TimerUnreadable { timer: u32 },
    TimerKey { timer: u32, code: u64 },
    TimerWrongKeyGroup { timer: u32, actual: i32 },
    RepeatedTimer { timer: u32 },
}

crate::i18n::english_error!(SectionProblem => crate::i18n::messages::errors::section_problem);

/// A cap of what StateLab opens (`docs/checkpoint-format.md`, "Limits"), exceeded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Limit {
    Metadata {
        bytes: u64,
        max: u64,
    },
    MetadataInflated {
        max: u64,
    },
    Section {
        key_group: u32,
        bytes: u64,
        max: u64,
    },
    Entries {
        entries: u64,
        max: u64,
    },
    EntryBytes {
        bytes: u64,
        max: u64,
    },
    NamedKeys {
        max: usize,
    },
    KeyLength {
        index: usize,
        max: usize,
    },
    Producer {
        max: usize,
    },
    List {
        count: u64,
        max: u64,
    },
    Elements {
        key_group: u32,
        entry: u32,
        count: u64,
        max: u64,
    },
    UserKey {
        key_group: u32,
        entry: u32,
        bytes: u64,
        max: u64,
    },
    Timers {
        key_group: u32,
        count: u64,
        max: u64,
    },
}

crate::i18n::english_error!(Limit => crate::i18n::messages::errors::blob_limit);

/// Values no run of the job can produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Implausible {
    CheckpointId {
        id: u64,
        max: u64,
    },
    SourcePosition {
        events: u64,
        max: u64,
    },
    Times {
        trigger: u64,
        completion: u64,
        max: u64,
    },
    Count {
        key_group: u32,
        entry: u32,
        count: i64,
    },
    CountsExceedEvents {
        counts: Sum,
        events: u64,
    },
    /// A value of the job function's state outside what its events make: a list element or a sum beyond the
    /// amounts, an empty list or map, a count below 1, a time after the checkpoint.
    Value {
        key_group: u32,
        entry: u32,
        value: i64,
        min: i64,
        max: i64,
    },
    AmountsExceedEvents {
        amounts: Sum,
        events: u64,
        max_amount: i64,
    },
    UnexpectedTimers {
        key_group: u32,
        count: u32,
        function: &'static str,
    },
    SessionWithoutTimer {
        key_group: u32,
        entry: u32,
    },
    TimerWithoutSession {
        key_group: u32,
        timer: u32,
        timestamp: i64,
    },
    StateSize {
        claimed: u64,
        actual: u64,
    },
    SubtaskEntries {
        subtask: u32,
        claimed: u64,
        actual: u64,
    },
    SubtaskStateSize {
        subtask: u32,
        claimed: u64,
        actual: u64,
    },
    SubtaskTimes {
        subtask: u32,
    },
    CopyOnWriteCopies {
        subtask: u32,
        copies: u64,
        bound: u64,
    },
}

crate::i18n::english_error!(Implausible => crate::i18n::messages::errors::implausible);

/// The blob is sound but holds something other than StateLab's job.
#[derive(Clone, Debug, PartialEq)]
pub enum JobShape {
    State {
        kind: String,
        value_type: String,
        name: String,
        function: &'static str,
        /// The state the function keeps, as `ValueState<Long> 'event-counter'`.
        expected: String,
    },
    KeyType {
        state: &'static str,
        job: &'static str,
    },
    Job(JobConfigError),
    Key(KeyError),
}

crate::i18n::english_error!(JobShape => crate::i18n::messages::errors::job_shape);

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
