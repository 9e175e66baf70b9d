//! The checkpoint library's words: what goes wrong with a command ([`LibraryError`] and its causes), what a
//! command did ([`Notice`]) and long work under way ([`Busy`]), in the reader's language — from the worker that
//! runs the library, which writes them into its panel, and from the page, which says a checkpoint that could
//! not be written.

use super::checkpoint_library::{Busy, Notice};
use super::format;
use super::library_error::{Cause, LibraryError, SharingError, StorageError};
use super::stored_checkpoint::CheckpointOrigin;
use crate::i18n::messages::{errors, storage as msg};
use crate::i18n::Lang;

impl StorageError {
    pub fn message(&self, l: Lang) -> String {
        match self {
            StorageError::QuotaExceeded { usage, quota } => match (usage, quota) {
                (Some(u), Some(q)) => {
                    let (u, q) = (format::bytes(*u as u64), format::bytes(*q as u64));
                    msg::quota_full(l, Some((&u, &q)))
                }
                _ => msg::quota_full(l, None),
            },
            StorageError::Unavailable(why) => msg::storage_unavailable(l, why),
            StorageError::NewerVersion => l.t(&msg::NEWER_VERSION).to_owned(),
            StorageError::Failed(why) => msg::storage_failed(l, why),
            StorageError::WriteAborted(Some(name)) => {
                msg::storage_failed(l, &msg::write_aborted_by(l, name))
            }
            StorageError::WriteAborted(None) => msg::storage_failed(l, l.t(&msg::WRITE_ABORTED)),
            StorageError::DeleteAborted => msg::storage_failed(l, l.t(&msg::DELETE_ABORTED)),
            StorageError::NotFound(key) => msg::storage_failed(l, &msg::not_found(l, key)),
            StorageError::Unwritable(e) => errors::engine(e, l),
        }
    }
}

impl SharingError {
    pub fn message(&self, l: Lang) -> String {
        match self {
            SharingError::NoWindow => l.t(&msg::NO_WINDOW).to_owned(),
            SharingError::NoDocument => l.t(&msg::NO_DOCUMENT).to_owned(),
            SharingError::NoAnchor => l.t(&msg::NO_ANCHOR).to_owned(),
            SharingError::Unreadable(why) => msg::unreadable(l, why),
            SharingError::ClipboardDenied => l.t(&msg::CLIPBOARD_DENIED).to_owned(),
            SharingError::Link(e) => errors::link(e, l),
        }
    }
}

impl Cause {
    pub fn message(&self, l: Lang) -> String {
        match self {
            Cause::StorageUnavailable => l.t(&msg::STORAGE_NOT_AVAILABLE).to_owned(),
            Cause::Storage(e) => e.message(l),
            Cause::Blob(e) => errors::blob(e, l),
            Cause::Link(e) => errors::link(e, l),
            Cause::Sharing(e) => e.message(l),
            Cause::Start(why) => why.clone(),
        }
    }
}

impl LibraryError {
    pub fn message(&self, l: Lang) -> String {
        match self {
            LibraryError::NotStored {
                checkpoint_id,
                cause,
            } => msg::not_stored(
                l,
                *checkpoint_id,
                &cause.message(l),
                matches!(cause, StorageError::QuotaExceeded { .. }),
            ),
            LibraryError::Import { from, cause } => {
                msg::import_failed(l, &origin_label(from, l), &cause.message(l))
            }
            LibraryError::Read { name, cause } => msg::read_failed(l, name, &cause.message(l)),
            LibraryError::NoLongerStored => l.t(&msg::NO_LONGER_STORED).to_owned(),
            LibraryError::Restore {
                checkpoint_id,
                cause,
            } => msg::restore_failed(l, *checkpoint_id, &cause.message(l)),
            LibraryError::Export {
                checkpoint_id,
                cause,
            } => msg::export_failed(l, *checkpoint_id, &cause.message(l)),
            LibraryError::Link {
                checkpoint_id,
                entries,
                cause,
            } => msg::link_failed(
                l,
                *checkpoint_id,
                &format::count(*entries),
                &cause.message(l),
            ),
            LibraryError::Delete(e) => msg::delete_failed(l, &e.message(l)),
        }
    }
}

impl Notice {
    pub fn message(&self, l: Lang) -> String {
        match self {
            Notice::AlreadyStored {
                checkpoint_id,
                from,
                stored,
            } => msg::already_stored(
                l,
                *checkpoint_id,
                &origin_label(from, l),
                &origin_text(stored, l),
            ),
            Notice::Imported {
                checkpoint_id,
                from,
                entries,
                parallelism,
            } => msg::imported(
                l,
                *checkpoint_id,
                &origin_label(from, l),
                &format::count(*entries),
                *parallelism,
            ),
            Notice::Started {
                checkpoint_id,
                origin,
                parallelism,
                entries,
            } => msg::started(
                l,
                *checkpoint_id,
                &origin_text(origin, l),
                *parallelism,
                &format::count(*entries),
            ),
            Notice::Exported {
                checkpoint_id,
                file,
            } => msg::exported(l, *checkpoint_id, file),
            Notice::LinkCopied(checkpoint_id) => msg::link_copied(l, *checkpoint_id),
            Notice::LinkNotCopied(e) => msg::link_not_copied(l, &e.message(l)),
            Notice::Cleaned(count) => msg::cleaned(l, *count),
        }
    }
}

impl Busy {
    pub fn message(&self, l: Lang) -> String {
        match self {
            Busy::Checking { from, bytes } => {
                msg::checking(l, &origin_label(from, l), &format::bytes(*bytes))
            }
            Busy::Storing(checkpoint_id) => msg::storing_checkpoint(l, *checkpoint_id),
            Busy::Restoring {
                checkpoint_id,
                entries,
            } => msg::restoring(l, *checkpoint_id, &format::count(*entries)),
        }
    }
}

/// Where an import came from, for messages: `'name.slcp'`, `the link`.
fn origin_label(origin: &CheckpointOrigin, l: Lang) -> String {
    match origin {
        CheckpointOrigin::File { name } => msg::from_file(name),
        CheckpointOrigin::Link => l.t(&msg::FROM_LINK).to_owned(),
        CheckpointOrigin::Job { job_id } => msg::origin_job(l, short_job_id(job_id)),
    }
}

pub fn short_job_id(job_id: &str) -> &str {
    job_id.get(..8).unwrap_or(job_id)
}

/// Where a stored checkpoint came from, as messages say it: `job 1a2b3c4d`, `file name.slcp`, `link`.
pub fn origin_text(origin: &CheckpointOrigin, l: Lang) -> String {
    match origin {
        CheckpointOrigin::Job { job_id } => msg::origin_job(l, short_job_id(job_id)),
        CheckpointOrigin::File { name } => msg::origin_file(l, name),
        CheckpointOrigin::Link => l.t(&msg::ORIGIN_LINK).to_owned(),
    }
}
