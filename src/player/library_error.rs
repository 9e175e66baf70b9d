//! What goes wrong with the checkpoint library — browser storage, files, links, the clipboard — as typed values
//! with the numbers and the browser's words that tell it; `crate::web` words them in the page's language.

use super::checkpoint_link::LinkError;
use super::stored_checkpoint::CheckpointOrigin;
use crate::engine::checkpoint::blob_error::BlobError;
use crate::engine::cluster::engine_error::EngineError;

/// What went wrong with the browser's storage.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageError {
    /// The write did not fit; `usage` and `quota` in bytes as the browser estimates them.
    QuotaExceeded {
        usage: Option<f64>,
        quota: Option<f64>,
    },
    /// IndexedDB cannot be used here (disabled, or a private mode without it), in the browser's words.
    Unavailable(String),
    /// A newer StateLab (in another tab) upgraded the database past the version this page knows.
    NewerVersion,
    /// An IndexedDB request failed, in the browser's words.
    Failed(String),
    /// A write's transaction was aborted, with the name of the browser's exception when it gave one.
    WriteAborted(Option<String>),
    /// Deleting's transaction was aborted: nothing was removed.
    DeleteAborted,
    /// No blob is stored under this key.
    NotFound(String),
    /// The running job's checkpoint could not be written as a blob (one larger than readers open).
    Unwritable(EngineError),
}

/// What went wrong getting a checkpoint out of the page or into it.
#[derive(Clone, Debug, PartialEq)]
pub enum SharingError {
    NoWindow,
    NoDocument,
    /// The page could not create the link element a download needs.
    NoAnchor,
    /// Reading a file failed, in the browser's words.
    Unreadable(String),
    ClipboardDenied,
    Link(LinkError),
}

/// Why a checkpoint could not be imported, restored, exported or shared.
#[derive(Clone, Debug, PartialEq)]
pub enum Cause {
    StorageUnavailable,
    Storage(StorageError),
    Blob(BlobError),
    Link(LinkError),
    Sharing(SharingError),
    /// The page could not start a job from the checkpoint, in its words (the engine runs in the page).
    Start(String),
}

/// What went wrong with stored checkpoints, files and links, for the page's error banner.
#[derive(Clone, Debug, PartialEq)]
pub enum LibraryError {
    /// The running job's checkpoint could not be stored.
    NotStored {
        checkpoint_id: u64,
        cause: StorageError,
    },
    Import {
        from: CheckpointOrigin,
        cause: Cause,
    },
    /// A file chosen or dropped could not be read.
    Read {
        name: String,
        cause: SharingError,
    },
    /// Another tab removed the checkpoint.
    NoLongerStored,
    Restore {
        checkpoint_id: u64,
        cause: Cause,
    },
    Export {
        checkpoint_id: u64,
        cause: Cause,
    },
    Link {
        checkpoint_id: u64,
        entries: u64,
        cause: Cause,
    },
    Delete(StorageError),
}
