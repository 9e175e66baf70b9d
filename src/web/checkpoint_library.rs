//! The page's checkpoint library: what [`CheckpointStorage`] holds, as the views see it, and the commands on
//! it — storing the running job's completed checkpoints (retaining the newest `retained` of each job, older ones
//! removed only once a newer one is stored), importing blobs from files and links, exporting, sharing,
//! deleting, and starting a job from a stored checkpoint.
//!
//! Nothing from outside is stored or restored before it is fully checked: the blob is opened and every key
//! group decoded first, so a bad blob changes neither the running job nor what is stored.

use super::checkpoint_storage::{
    estimate, imported_key, job_checkpoint_key, request_persistence, CheckpointOrigin,
    CheckpointStorage, StorageError, StoredCheckpoint,
};
use super::context::{Sim, Ui, UiAction};
use super::format;
use super::sharing::{self, SharingError};
use super::simulation::Simulation;
use crate::checkpoint_link::LinkError;
use crate::engine::checkpoint_blob::{BlobError, BlobReader};
use crate::engine::key_registry::KeyRegistry;
use crate::engine::mini_cluster::EngineError;
use crate::i18n::messages::{errors, storage as msg};
use crate::i18n::Lang;
use std::rc::Rc;
use yew::platform::spawn_local;
use yew::prelude::*;

/// While the job plays fast, at most one checkpoint is stored per this many milliseconds of wall time.
const SAVE_EVERY_MS: f64 = 2_000.0;
/// Tabs tell each other on this channel that the stored checkpoints changed.
pub const CHANNEL: &str = "statelab-checkpoints";

#[derive(Clone, Debug, PartialEq)]
pub enum StorageStatus {
    Opening,
    Ready(CheckpointStorage),
    Unavailable(StorageError),
}

/// Why a checkpoint could not be imported, restored, exported or shared.
#[derive(Clone, Debug, PartialEq)]
pub enum Cause {
    StorageUnavailable,
    Storage(StorageError),
    Blob(BlobError),
    Link(LinkError),
    Sharing(SharingError),
    Engine(EngineError),
}

impl Cause {
    pub fn message(&self, l: Lang) -> String {
        match self {
            Cause::StorageUnavailable => l.t(&msg::STORAGE_NOT_AVAILABLE).to_owned(),
            Cause::Storage(e) => e.message(l),
            Cause::Blob(e) => errors::blob(e, l),
            Cause::Link(e) => errors::link(e, l),
            Cause::Sharing(e) => e.message(l),
            Cause::Engine(e) => errors::engine(e, l),
        }
    }
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

/// What the last command did, shown until the next one.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    AlreadyStored {
        checkpoint_id: u64,
        from: CheckpointOrigin,
        stored: CheckpointOrigin,
    },
    Imported {
        checkpoint_id: u64,
        from: CheckpointOrigin,
        entries: u64,
        parallelism: u32,
    },
    Started {
        checkpoint_id: u64,
        origin: CheckpointOrigin,
        parallelism: u32,
        entries: u64,
    },
    Exported {
        checkpoint_id: u64,
        file: String,
    },
    LinkCopied(u64),
    LinkNotCopied(SharingError),
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
        }
    }
}

/// Long work under way, shown with a progress indicator.
#[derive(Clone, Debug, PartialEq)]
pub enum Busy {
    Checking { from: CheckpointOrigin, bytes: u64 },
    Storing(u64),
    Restoring { checkpoint_id: u64, entries: u64 },
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

impl PartialEq for CheckpointStorage {
    fn eq(&self, other: &Self) -> bool {
        self.same_database(other)
    }
}

impl std::fmt::Debug for CheckpointStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CheckpointStorage")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LibraryState {
    pub storage: StorageStatus,
    /// Stored checkpoints, newest first.
    pub entries: Vec<StoredCheckpoint>,
    /// Long work under way, shown with a progress indicator.
    pub busy: Option<Busy>,
    /// What the last command did.
    pub notice: Option<Notice>,
    pub usage: Option<f64>,
    pub quota: Option<f64>,
    /// Whether the browser agreed to keep the storage under pressure.
    pub persistent: Option<bool>,
    /// The checkpoint being written now.
    pub saving: Option<u64>,
    pub last_save_ms: f64,
    /// Storing paused after the storage ran full, until something is deleted.
    pub full: bool,
    /// The entry to draw attention to (just imported).
    pub highlight: Option<String>,
    /// A share link made for an entry: (key, link).
    pub link: Option<(String, String)>,
}

impl Default for LibraryState {
    fn default() -> Self {
        LibraryState {
            storage: StorageStatus::Opening,
            entries: Vec::new(),
            busy: None,
            notice: None,
            usage: None,
            quota: None,
            persistent: None,
            saving: None,
            last_save_ms: f64::NEG_INFINITY,
            full: false,
            highlight: None,
            link: None,
        }
    }
}

pub enum LibraryAction {
    Opened(Result<CheckpointStorage, StorageError>),
    Listed {
        entries: Vec<StoredCheckpoint>,
        usage: Option<f64>,
        quota: Option<f64>,
    },
    Busy(Option<Busy>),
    Notice(Option<Notice>),
    Persistent(Option<bool>),
    SaveStarted {
        at_ms: f64,
        checkpoint_id: u64,
    },
    SaveDone {
        full: bool,
    },
    Deleted,
    Highlight(Option<String>),
    Link(Option<(String, String)>),
}

impl Reducible for LibraryState {
    type Action = LibraryAction;

    fn reduce(self: Rc<Self>, action: LibraryAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LibraryAction::Opened(Ok(storage)) => next.storage = StorageStatus::Ready(storage),
            LibraryAction::Opened(Err(e)) => next.storage = StorageStatus::Unavailable(e),
            LibraryAction::Listed {
                entries,
                usage,
                quota,
            } => {
                next.entries = entries;
                next.usage = usage;
                next.quota = quota;
            }
            LibraryAction::Busy(b) => next.busy = b,
            LibraryAction::Notice(n) => next.notice = n,
            LibraryAction::Persistent(p) => next.persistent = p,
            LibraryAction::SaveStarted {
                at_ms,
                checkpoint_id,
            } => {
                next.saving = Some(checkpoint_id);
                next.last_save_ms = at_ms;
            }
            LibraryAction::SaveDone { full } => {
                next.saving = None;
                next.full = full;
            }
            LibraryAction::Deleted => next.full = false,
            LibraryAction::Highlight(h) => next.highlight = h,
            LibraryAction::Link(l) => next.link = l,
        }
        Rc::new(next)
    }
}

pub type Library = UseReducerHandle<LibraryState>;

impl LibraryState {
    pub fn storage(&self) -> Option<CheckpointStorage> {
        match &self.storage {
            StorageStatus::Ready(s) => Some(s.clone()),
            _ => None,
        }
    }
}

/// Lets the browser paint (a progress message) before long synchronous work.
async fn yield_to_browser() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Tells other tabs that the stored checkpoints changed.
fn broadcast() {
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
        let _ = channel.post_message(&"changed".into());
        channel.close();
    }
}

/// Opens the database, asks for persistent storage and lists what is stored.
pub fn open(library: Library) {
    spawn_local(async move {
        let opened = CheckpointStorage::open().await;
        let storage = opened.as_ref().ok().cloned();
        library.dispatch(LibraryAction::Opened(opened));
        if let Some(storage) = storage {
            list_into(&storage, &library).await;
            library.dispatch(LibraryAction::Persistent(request_persistence().await));
        }
    });
}

/// Lists what `storage` holds into the library. (A task's library handle shows the state of when the task
/// began, so the storage is passed along rather than read from it.)
async fn list_into(storage: &CheckpointStorage, library: &Library) {
    if let Ok(entries) = storage.list().await {
        let (usage, quota) = estimate().await;
        library.dispatch(LibraryAction::Listed {
            entries,
            usage,
            quota,
        });
    }
}

/// Lists the stored checkpoints again (another tab changed them).
pub fn refresh(library: Library) {
    if let Some(storage) = library.storage() {
        spawn_local(async move { list_into(&storage, &library).await });
    }
}

/// The checkpoint to store now, if any: the newest completed checkpoint of the running job that is newer
/// than what this job stored, unless a write is under way, storing is paused, or the job plays fast and
/// the last write was less than `SAVE_EVERY_MS` ago.
fn due(sim: &Simulation, state: &LibraryState, now: f64) -> Option<u64> {
    if state.saving.is_some() || state.full || state.storage().is_none() {
        return None;
    }
    let latest = sim.cluster.coordinator().store().latest()?.checkpoint_id;
    if latest <= sim.stored_up_to {
        return None;
    }
    if sim.plays_fast() && now - state.last_save_ms < SAVE_EVERY_MS {
        return None;
    }
    Some(latest)
}

/// Stores the running job's newest completed checkpoint when one is due (see [`due`]).
pub fn save_if_due(sim: &Sim, library: &Library, ui: &Ui) {
    let now = now_ms();
    let job = {
        let s = sim.borrow();
        due(&s, library, now).and_then(|id| {
            let blob = s.cluster.checkpoint_blob(id).ok()?;
            let retained = s.cluster.coordinator().store().max_retained();
            Some((s.job_id.clone(), id, blob, retained))
        })
    };
    let Some((job_id, checkpoint_id, blob, retained)) = job else {
        return;
    };
    let Some(storage) = library.storage() else {
        return;
    };
    library.dispatch(LibraryAction::SaveStarted {
        at_ms: now,
        checkpoint_id,
    });
    let (sim, library, ui) = (sim.clone(), library.clone(), ui.clone());
    spawn_local(async move {
        let result = store_job_checkpoint(&storage, &job_id, checkpoint_id, &blob, retained).await;
        // Whatever happened, this checkpoint is not tried again.
        {
            let job_id = job_id.clone();
            sim.update(move |s| {
                if s.job_id == job_id {
                    s.stored_up_to = s.stored_up_to.max(checkpoint_id);
                }
            });
        }
        let full = matches!(result, Err(StorageError::QuotaExceeded { .. }));
        library.dispatch(LibraryAction::SaveDone { full });
        match result {
            Ok(()) => broadcast(),
            Err(cause) => ui.dispatch(UiAction::Error(Some(
                LibraryError::NotStored {
                    checkpoint_id,
                    cause,
                }
                .into(),
            ))),
        }
        list_into(&storage, &library).await;
    });
}

/// Writes one of the job's checkpoints, then removes the job's stored checkpoints beyond the newest
/// `retained` — only once the new one is safely stored, as Flink's `CompletedCheckpointStore` subsumes.
async fn store_job_checkpoint(
    storage: &CheckpointStorage,
    job_id: &str,
    checkpoint_id: u64,
    blob: &[u8],
    retained: usize,
) -> Result<(), StorageError> {
    let reader = BlobReader::open(blob).map_err(|e| StorageError::Failed(e.to_string()))?;
    let metadata = StoredCheckpoint::describe(
        job_checkpoint_key(job_id, checkpoint_id),
        CheckpointOrigin::Job {
            job_id: job_id.to_owned(),
        },
        &reader,
    );
    storage.put(&metadata, blob).await?;
    let mut own: Vec<StoredCheckpoint> = storage
        .list()
        .await?
        .into_iter()
        .filter(|c| c.job_id() == Some(job_id))
        .collect();
    own.sort_by_key(|c| std::cmp::Reverse(c.checkpoint_id));
    let subsumed: Vec<String> = own.into_iter().skip(retained).map(|c| c.key).collect();
    storage.delete(&subsumed).await
}

/// Checks a blob from outside completely: it opens, every key group decodes, and a job can start from it.
fn check_blob(blob: &[u8]) -> Result<BlobReader<'_>, BlobError> {
    let reader = BlobReader::open(blob)?;
    let mut keys = KeyRegistry::new(reader.metadata().job.source.key_format.clone());
    reader.to_completed_checkpoint(&mut keys)?;
    Ok(reader)
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
    &job_id[..job_id.len().min(8)]
}

/// Imports a blob from outside: checks it whole, then stores it beside (never over) what is stored. Returns
/// the stored entry's key.
pub async fn import(
    blob: Vec<u8>,
    origin: CheckpointOrigin,
    library: &Library,
) -> Result<String, LibraryError> {
    let fail = |cause: Cause| LibraryError::Import {
        from: origin.clone(),
        cause,
    };
    let storage = library
        .storage()
        .ok_or_else(|| fail(Cause::StorageUnavailable))?;
    library.dispatch(LibraryAction::Busy(Some(Busy::Checking {
        from: origin.clone(),
        bytes: blob.len() as u64,
    })));
    yield_to_browser().await;
    let key = imported_key(&blob);
    // What the list shows of it, from the reader that checked it (the blob is opened once).
    let checked = check_blob(&blob)
        .map(|reader| StoredCheckpoint::describe(key.clone(), origin.clone(), &reader));
    library.dispatch(LibraryAction::Busy(None));
    let metadata = checked.map_err(|e| fail(Cause::Blob(e)))?;
    let existing = storage.list().await.map_err(|e| fail(Cause::Storage(e)))?;
    if let Some(found) = existing.iter().find(|c| c.key == key) {
        library.dispatch(LibraryAction::Notice(Some(Notice::AlreadyStored {
            checkpoint_id: found.checkpoint_id,
            from: origin.clone(),
            stored: found.origin.clone(),
        })));
        return Ok(key);
    }
    library.dispatch(LibraryAction::Busy(Some(Busy::Storing(
        metadata.checkpoint_id,
    ))));
    let stored = storage.put(&metadata, &blob).await;
    library.dispatch(LibraryAction::Busy(None));
    stored.map_err(|e| fail(Cause::Storage(e)))?;
    broadcast();
    list_into(&storage, library).await;
    library.dispatch(LibraryAction::Highlight(Some(key.clone())));
    library.dispatch(LibraryAction::Notice(Some(Notice::Imported {
        checkpoint_id: metadata.checkpoint_id,
        from: origin,
        entries: metadata.entries,
        parallelism: metadata.parallelism,
    })));
    Ok(key)
}

/// Where a stored checkpoint came from, as the list says it: `job 1a2b3c4d`, `file name.slcp`, `link`.
pub fn origin_text(origin: &CheckpointOrigin, l: Lang) -> String {
    match origin {
        CheckpointOrigin::Job { job_id } => msg::origin_job(l, short_job_id(job_id)),
        CheckpointOrigin::File { name } => msg::origin_file(l, name),
        CheckpointOrigin::Link => l.t(&msg::ORIGIN_LINK).to_owned(),
    }
}

/// Imports files (chosen or dropped), one after the other.
pub fn import_files(files: Vec<web_sys::File>, library: Library, ui: Ui) {
    spawn_local(async move {
        for file in files {
            let name = file.name();
            let result = match sharing::read_file(file).await {
                Ok(bytes) => import(bytes, CheckpointOrigin::File { name }, &library)
                    .await
                    .map(|_| ()),
                Err(cause) => Err(LibraryError::Read { name, cause }),
            };
            if let Err(e) = result {
                ui.dispatch(UiAction::Error(Some(e.into())));
            }
        }
    });
}

/// Imports the checkpoint a link carries and, when `restore` is set (the page was opened with the link),
/// starts a job from it at once.
pub fn import_link(link: String, restore: bool, sim: Sim, library: Library, ui: Ui) {
    spawn_local(async move {
        let blob = match crate::checkpoint_link::blob_from_link(&link) {
            Ok(blob) => blob,
            Err(e) => {
                ui.dispatch(UiAction::Error(Some(
                    LibraryError::Import {
                        from: CheckpointOrigin::Link,
                        cause: Cause::Link(e),
                    }
                    .into(),
                )));
                return;
            }
        };
        match import(blob, CheckpointOrigin::Link, &library).await {
            Ok(key) if restore => start_from(key, None, sim, library, ui).await,
            Ok(_) => {}
            Err(e) => ui.dispatch(UiAction::Error(Some(e.into()))),
        }
    });
}

/// Starts a new job from a stored checkpoint, at its own parallelism or at `parallelism`.
pub fn restore(key: String, parallelism: Option<u32>, sim: Sim, library: Library, ui: Ui) {
    spawn_local(start_from(key, parallelism, sim, library, ui));
}

async fn start_from(key: String, parallelism: Option<u32>, sim: Sim, library: Library, ui: Ui) {
    let Some(storage) = library.storage() else {
        return;
    };
    let entry = storage
        .list()
        .await
        .ok()
        .and_then(|l| l.into_iter().find(|c| c.key == key));
    let Some(entry) = entry else {
        ui.dispatch(UiAction::Error(Some(LibraryError::NoLongerStored.into())));
        list_into(&storage, &library).await;
        return;
    };
    library.dispatch(LibraryAction::Busy(Some(Busy::Restoring {
        checkpoint_id: entry.checkpoint_id,
        entries: entry.entries,
    })));
    yield_to_browser().await;
    let result = match storage.blob(&key).await {
        Ok(blob) => sim
            .update(|s| s.start_from_blob(&blob, parallelism))
            .map_err(Cause::Engine),
        Err(e) => Err(Cause::Storage(e)),
    };
    library.dispatch(LibraryAction::Busy(None));
    match result {
        Ok(()) => {
            let p = parallelism.unwrap_or(entry.parallelism);
            ui.dispatch(UiAction::Error(None));
            library.dispatch(LibraryAction::Notice(Some(Notice::Started {
                checkpoint_id: entry.checkpoint_id,
                origin: entry.origin.clone(),
                parallelism: p,
                entries: entry.entries,
            })));
        }
        Err(cause) => ui.dispatch(UiAction::Error(Some(
            LibraryError::Restore {
                checkpoint_id: entry.checkpoint_id,
                cause,
            }
            .into(),
        ))),
    }
}

/// Downloads a stored checkpoint as a file.
pub fn export(entry: StoredCheckpoint, library: Library, ui: Ui) {
    spawn_local(async move {
        let Some(storage) = library.storage() else {
            return;
        };
        let file = sharing::file_name(entry.checkpoint_id, entry.entries, entry.parallelism);
        let result = match storage.blob(&entry.key).await {
            Ok(blob) => sharing::download(&file, &blob).map_err(Cause::Sharing),
            Err(e) => Err(Cause::Storage(e)),
        };
        match result {
            Ok(()) => library.dispatch(LibraryAction::Notice(Some(Notice::Exported {
                checkpoint_id: entry.checkpoint_id,
                file,
            }))),
            Err(cause) => ui.dispatch(UiAction::Error(Some(
                LibraryError::Export {
                    checkpoint_id: entry.checkpoint_id,
                    cause,
                }
                .into(),
            ))),
        }
    });
}

/// Makes a share link for a stored checkpoint and copies it, or says why it cannot.
pub fn share_link(entry: StoredCheckpoint, library: Library, ui: Ui) {
    spawn_local(async move {
        let Some(storage) = library.storage() else {
            return;
        };
        let link = match storage.blob(&entry.key).await {
            Ok(blob) => sharing::link_for(&blob).map_err(Cause::Sharing),
            Err(e) => Err(Cause::Storage(e)),
        };
        match link {
            Ok(link) => {
                let copied = sharing::copy_text(&link).await;
                library.dispatch(LibraryAction::Link(Some((entry.key.clone(), link))));
                library.dispatch(LibraryAction::Notice(Some(match copied {
                    Ok(()) => Notice::LinkCopied(entry.checkpoint_id),
                    Err(e) => Notice::LinkNotCopied(e),
                })));
            }
            Err(cause) => ui.dispatch(UiAction::Error(Some(
                LibraryError::Link {
                    checkpoint_id: entry.checkpoint_id,
                    entries: entry.entries,
                    cause,
                }
                .into(),
            ))),
        }
    });
}

/// Deletes stored checkpoints.
pub fn delete(keys: Vec<String>, library: Library, ui: Ui) {
    spawn_local(async move {
        let Some(storage) = library.storage() else {
            return;
        };
        match storage.delete(&keys).await {
            Ok(()) => {
                library.dispatch(LibraryAction::Deleted);
                library.dispatch(LibraryAction::Link(None));
                broadcast();
            }
            Err(e) => ui.dispatch(UiAction::Error(Some(LibraryError::Delete(e).into()))),
        }
        list_into(&storage, &library).await;
    });
}
