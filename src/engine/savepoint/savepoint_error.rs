//! Why a Flink snapshot was refused: one typed reason per check of the reader in
//! [`savepoint_reader`](crate::engine::savepoint::savepoint_reader), with the numbers that failed it — Flink's
//! counterpart is the `IOException`/`IllegalStateException` that `Checkpoints.loadCheckpointMetadata` and the
//! restore operations throw. The English wording is each reason's `Display` (what the CLI prints); the page words
//! them from the same values (`src/i18n/messages/savepoint.rs`). Text a snapshot carries (a file name, a class
//! name) is kept only as a short excerpt.

pub use crate::engine::checkpoint::blob_error::excerpt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SavepointError {
    NotFlinkMetadata,
    UnsupportedVersion(i32),
    Metadata {
        offset: u64,
        problem: ReadProblem,
    },
    StateData {
        file: String,
        offset: u64,
        problem: ReadProblem,
    },
    MissingFile(String),
    FileSize {
        file: String,
        expected: u64,
        actual: u64,
    },
    TooLarge(SavepointLimit),
    Zip(ZipProblem),
    NoMetadata,
}

crate::i18n::english_error!(SavepointError => crate::i18n::messages::savepoint::error);

crate::engine::error_from!(SavepointError {
    TooLarge(SavepointLimit),
    Zip(ZipProblem),
});

/// What is wrong where a reader stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadProblem {
    CutShort,
    BadText,
    Negative {
        what: Counted,
        value: i64,
    },
    CountBeyondBytes {
        what: Counted,
        count: u64,
        left: u64,
    },
    UnknownHandle(u8),
    UnsupportedHandle(u8),
    ChannelState(u64),
    /// Two states of one operator for the same subtask (Flink keeps one state per subtask index).
    DuplicateSubtask(i32),
    BadMagic {
        expected: u32,
        found: u32,
    },
    ProxyVersion(i32),
    SnapshotProxyVersion(i32),
    StateType(i32),
    UnknownSnapshot {
        class: String,
    },
    TooDeep(u32),
    KeyGroupOffset {
        key_group: i32,
        offset: i64,
    },
    WrongKeyGroup {
        expected: i32,
        found: i32,
    },
    UnknownStateId(i32),
    KeyGroupRange {
        start: i32,
        count: i32,
    },
    BytesLeft(u64),
    Snappy,
    KeySerializer {
        class: String,
    },
    TooManyValues {
        max: u64,
    },
}

crate::i18n::english_error!(ReadProblem => crate::i18n::messages::savepoint::read_problem);

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

crate::i18n::english_display!(Counted => crate::i18n::messages::savepoint::counted);

/// A cap of what StateLab opens, exceeded (`docs/flink-savepoint-format.md`, "Limits").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SavepointLimit {
    Metadata { bytes: u64, max: u64 },
    StateFile { bytes: u64, max: u64 },
    Count { what: Counted, count: u64, max: u64 },
    Entries { max: u64 },
    Files { max: u64 },
}

crate::i18n::english_error!(SavepointLimit => crate::i18n::messages::savepoint::savepoint_limit);

/// What is wrong with a `.zip` archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZipProblem {
    NoDirectory,
    Directory,
    Method { name: String, method: u16 },
    Encrypted(String),
    Inflate(String),
    Checksum(String),
}

crate::i18n::english_error!(ZipProblem => crate::i18n::messages::savepoint::zip_problem);
