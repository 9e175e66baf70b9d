//! Why a Flink snapshot was refused: one typed reason per check of the reader in
//! [`savepoint_reader`](crate::engine::savepoint::savepoint_reader), with the numbers that failed it — Flink's
//! counterpart is the `IOException`/`IllegalStateException` that `Checkpoints.loadCheckpointMetadata` and the
//! restore operations throw. The English wording is each reason's `Display` (what the CLI prints); the page words
//! them from the same values (`src/i18n/messages/savepoint.rs`). Text a snapshot carries (a file name, a class
//! name) is kept only as a short excerpt.

use thiserror::Error;

pub use crate::engine::checkpoint::blob_error::excerpt;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SavepointError {
    #[error(
        "this is not a Flink checkpoint or savepoint: its _metadata does not start with Flink's magic number 0x4960672d"
    )]
    NotFlinkMetadata,
    #[error(
        "Flink metadata version {0}: StateLab reads versions 3 to 6 (what Flink 1.13 to 2.x write)"
    )]
    UnsupportedVersion(i32),
    #[error("the _metadata file does not read at byte {offset}: {problem}")]
    Metadata { offset: u64, problem: ReadProblem },
    #[error("state file '{file}' does not read at byte {offset}: {problem}")]
    StateData {
        file: String,
        offset: u64,
        problem: ReadProblem,
    },
    #[error("the snapshot refers to state file '{0}', which is not there")]
    MissingFile(String),
    #[error("state file '{file}' has {actual} bytes, the metadata says {expected}")]
    FileSize {
        file: String,
        expected: u64,
        actual: u64,
    },
    #[error("the snapshot is larger than StateLab opens: {0}")]
    TooLarge(SavepointLimit),
    #[error("the zip archive does not read: {0}")]
    Zip(ZipProblem),
    #[error("there is no _metadata file (a Flink checkpoint or savepoint directory has one)")]
    NoMetadata,
}

impl From<SavepointLimit> for SavepointError {
    fn from(l: SavepointLimit) -> Self {
        SavepointError::TooLarge(l)
    }
}

impl From<ZipProblem> for SavepointError {
    fn from(z: ZipProblem) -> Self {
        SavepointError::Zip(z)
    }
}

/// What is wrong where a reader stopped.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ReadProblem {
    #[error("it ends in the middle of a value")]
    CutShort,
    #[error("a text is not valid (modified) UTF-8")]
    BadText,
    #[error("a negative {what}: {value}")]
    Negative { what: Counted, value: i64 },
    #[error("{count} {what} cannot fit in the {left} bytes left")]
    CountBeyondBytes {
        what: Counted,
        count: u64,
        left: u64,
    },
    #[error("unknown state handle type {0}")]
    UnknownHandle(u8),
    #[error(
        "state handle type {0} (incremental, changelog or file-merging state) is not read by StateLab, which reads \
         full snapshots of the HashMap state backend"
    )]
    UnsupportedHandle(u8),
    #[error("channel state of an unaligned checkpoint ({0} handles) is not read by StateLab")]
    ChannelState(u64),
    /// Two states of one operator for the same subtask (Flink keeps one state per subtask index).
    #[error("subtask {0}'s state appears twice in one operator")]
    DuplicateSubtask(i32),
    #[error("magic number {found:#010x} where {expected:#010x} belongs")]
    BadMagic { expected: u32, found: u32 },
    #[error(
        "KeyedBackendSerializationProxy version {0} (Flink 2.x, and StateLab, read version 6)"
    )]
    ProxyVersion(i32),
    #[error("serializer snapshot written by proxy version {0} (StateLab reads 2)")]
    SnapshotProxyVersion(i32),
    #[error("unknown backend state type {0}")]
    StateType(i32),
    #[error("the serializer snapshot {class} is unknown to StateLab, so what follows it cannot be found")]
    UnknownSnapshot { class: String },
    #[error("serializers nested more than {0} deep")]
    TooDeep(u32),
    #[error("key group {key_group} at offset {offset}, outside the state file")]
    KeyGroupOffset { key_group: i32, offset: i64 },
    #[error("key group {found} where key group {expected} belongs")]
    WrongKeyGroup { expected: i32, found: i32 },
    #[error("state id {0}, but the snapshot registers fewer states")]
    UnknownStateId(i32),
    #[error("key group range from {start} with {count} key groups")]
    KeyGroupRange { start: i32, count: i32 },
    #[error("{0} bytes are left after its end")]
    BytesLeft(u64),
    #[error("a Snappy-compressed block does not decompress")]
    Snappy,
    #[error("keyed state without a key serializer that StateLab can read ({class})")]
    KeySerializer { class: String },
    #[error("more than {max} values in one snapshot (StateLab's limit)")]
    TooManyValues { max: u64 },
}

/// What a count counts, in an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counted {
    MasterStates,
    Operators,
    Subtasks,
    KeyGroups,
    StateNames,
    Offsets,
    States,
    Options,
    Serializers,
    Entries,
    Elements,
    Fields,
    Bytes,
    CheckpointId,
}

impl Counted {
    pub const ALL: [Counted; 14] = [
        Counted::MasterStates,
        Counted::Operators,
        Counted::Subtasks,
        Counted::KeyGroups,
        Counted::StateNames,
        Counted::Offsets,
        Counted::States,
        Counted::Options,
        Counted::Serializers,
        Counted::Entries,
        Counted::Elements,
        Counted::Fields,
        Counted::Bytes,
        Counted::CheckpointId,
    ];
}

impl std::fmt::Display for Counted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Counted::MasterStates => "master states",
            Counted::Operators => "operators",
            Counted::Subtasks => "subtask states",
            Counted::KeyGroups => "key groups",
            Counted::StateNames => "operator state names",
            Counted::Offsets => "offsets",
            Counted::States => "registered states",
            Counted::Options => "options",
            Counted::Serializers => "serializers",
            Counted::Entries => "entries",
            Counted::Elements => "elements",
            Counted::Fields => "fields",
            Counted::Bytes => "bytes",
            Counted::CheckpointId => "checkpoint id",
        })
    }
}

/// A cap of what StateLab opens, exceeded (`docs/flink-savepoint-format.md`, "Limits").
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SavepointLimit {
    #[error("a _metadata file of {bytes} bytes (at most {max})")]
    Metadata { bytes: u64, max: u64 },
    #[error("a state file of {bytes} bytes (at most {max})")]
    StateFile { bytes: u64, max: u64 },
    #[error("{count} {what} (at most {max})")]
    Count { what: Counted, count: u64, max: u64 },
    #[error("more than {max} keyed entries")]
    Entries { max: u64 },
    #[error("more than {max} bytes of files")]
    Files { max: u64 },
}

/// What is wrong with a `.zip` archive.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ZipProblem {
    #[error("it has no end-of-central-directory record (is it a zip archive?)")]
    NoDirectory,
    #[error("its central directory is damaged")]
    Directory,
    #[error("entry '{name}' uses compression method {method} (StateLab reads stored and deflated entries)")]
    Method { name: String, method: u16 },
    #[error("entry '{0}' is encrypted")]
    Encrypted(String),
    #[error("entry '{0}' does not decompress")]
    Inflate(String),
    #[error("entry '{0}' does not match its checksum")]
    Checksum(String),
}
