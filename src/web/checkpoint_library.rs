//! The page's side of the checkpoint library ([`crate::player::checkpoint_library`]): the commands on what
//! [`CheckpointStorage`] holds, which call IndexedDB, files, the clipboard and other tabs and feed what they
//! answer back as [`LibraryAction`]s — storing the running job's completed checkpoints (retaining the newest `retained` of each job: the new
//! one and the ones it subsumes are written in one transaction), importing blobs from files, opening links
//! (checked whole, then offered: restore, keep, or leave everything as it was), exporting, sharing, deleting,
//! and starting a job from a stored checkpoint.
//!
//! Nothing from outside is stored or restored before it is fully checked: the blob is opened and every key
//! group decoded first, so a bad blob changes neither the running job nor what is stored. What goes wrong
//! with a command is kept with the place it was given ([`Place`]), so the page says it next to that control.
//! The library's words (its errors, notices, progress) are given here, in the page's language.

use super::checkpoint_storage::{estimate, request_persistence, CheckpointStorage};
use super::compression;
use super::context::{Sim, Ui, UiAction};
use super::format;
use super::sharing;
use crate::i18n::messages::{errors, storage as msg};
use crate::i18n::Lang;
use crate::player::checkpoint_library::{
    blob_of_link, check_and_describe, offer_of_blob, refused_link, Busy, Change, Failure,
    LibraryAction, LibraryState, Notice, Place,
};
use crate::player::checkpoint_runs::RunJob;
use crate::player::library_error::{Cause, LibraryError, StorageError};
use crate::player::simulation::{Simulation, SimulationAction};
use crate::player::stored_checkpoint::{CheckpointOrigin, StoredCheckpoint};
use std::rc::Rc;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Tabs tell each other on this channel what changed in the stored checkpoints (a [`Change`]).
pub const CHANNEL: &str = "statelab-checkpoints";

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

impl Reducible for LibraryState<CheckpointStorage> {
    type Action = LibraryAction<CheckpointStorage>;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        let mut next = (*self).clone();
        LibraryState::reduce(&mut next, action);
        Rc::new(next)
    }
}

pub type Library = UseReducerHandle<LibraryState<CheckpointStorage>>;

/// The change a message on [`CHANNEL`] tells of.
pub fn change_of(data: &wasm_bindgen::JsValue) -> Change {
    Change::from_name(data.as_string().as_deref())
}

/// Lets the browser paint (a progress message) before long synchronous work.
async fn yield_to_browser() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Tells other tabs what changed in the stored checkpoints.
fn broadcast(change: Change) {
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
        let _ = channel.post_message(&change.name().into());
        channel.close();
    }
}

/// Opens the database (again, after another tab closed it), lists what is stored (removing what is not
/// whole) and asks for persistent storage.
pub fn open(library: Library) {
    library.dispatch(LibraryAction::Opening);
    spawn_local(async move {
        let (blocked, closed) = (library.clone(), library.clone());
        let opened = CheckpointStorage::open(
            move || blocked.dispatch(LibraryAction::Blocked),
            move || closed.dispatch(LibraryAction::Closed),
        )
        .await;
        let storage = match opened {
            Ok(storage) => storage,
            Err(e) => return library.dispatch(LibraryAction::Opened(Err(e))),
        };
        library.dispatch(LibraryAction::Opened(Ok(storage.clone())));
        list_into(&storage, &library).await;
        library.dispatch(LibraryAction::Persistent(request_persistence().await));
    });
}

/// Lists what `storage` holds into the library, saying so when listing removed damaged checkpoints. (A task's
/// library handle shows the state of when the task began, so the storage is passed along rather than read
/// from it.)
async fn list_into(storage: &CheckpointStorage, library: &Library) {
    if let Ok(listed) = storage.list().await {
        let (usage, quota) = estimate().await;
        library.dispatch(LibraryAction::Listed {
            entries: listed.entries,
            usage,
            quota,
        });
        if listed.removed > 0 {
            library.dispatch(LibraryAction::Notice(Some(Notice::Cleaned(listed.removed))));
            broadcast(Change::Deleted);
        }
    }
}

/// Follows another tab's change: lists again and, after a deletion, resumes storing paused on a full quota.
pub fn changed_elsewhere(change: Change, storage: CheckpointStorage, library: Library) {
    if change == Change::Deleted {
        library.dispatch(LibraryAction::Deleted);
    }
    spawn_local(async move { list_into(&storage, &library).await });
}

/// Stores the running job's newest completed checkpoint when one is due (see [`due`]).
pub fn save_if_due(sim: &Sim, library: &Library, ui: &Ui) {
    let now = now_ms();
    let job = {
        let s = sim.borrow();
        let latest = s
            .cluster()
            .coordinator()
            .store()
            .latest()
            .map(|c| c.checkpoint_id);
        let due = library.due(latest, s.stored_up_to(), s.plays_fast(), now);
        due.map(|id| {
            // A checkpoint that cannot be written (larger than readers open) is said once, not tried again.
            let blob = s
                .cluster()
                .checkpoint_blob(id)
                .map_err(StorageError::Unwritable);
            let retained = s.cluster().coordinator().store().max_retained();
            let run = (RunJob::of(s.config()).id(), s.started_at_ms());
            (s.job_id().to_owned(), id, blob, retained, run)
        })
    };
    let Some((job_id, checkpoint_id, blob, retained, run)) = job else {
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
        let result = match blob {
            Ok(blob) => {
                store_job_checkpoint(&storage, &job_id, checkpoint_id, blob, retained, run).await
            }
            Err(cause) => Err(cause),
        };
        // Whatever happened, this checkpoint is not tried again. (Never refused.)
        let _ = sim.dispatch(SimulationAction::Stored {
            job_id: &job_id,
            checkpoint_id,
        });
        let full = matches!(result, Err(StorageError::QuotaExceeded { .. }));
        library.dispatch(LibraryAction::SaveDone { full });
        match result {
            Ok(()) => broadcast(Change::Stored),
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

/// Writes one of the job's checkpoints, with what run it is of (the run's job and its start), and, in the same
/// transaction, removes the job's stored checkpoints beyond the newest `retained`, as Flink's
/// `CompletedCheckpointStore` subsumes.
async fn store_job_checkpoint(
    storage: &CheckpointStorage,
    job_id: &str,
    checkpoint_id: u64,
    blob: Vec<u8>,
    retained: usize,
    (run, started_ms): (String, f64),
) -> Result<(), StorageError> {
    let mut metadata = StoredCheckpoint::of_job_blob(job_id, checkpoint_id, &blob, now_ms())
        .map_err(|e| StorageError::Unwritable(e.into()))?;
    // The engine writes the page's blobs uncompressed; the browser deflates them (`compression`).
    let blob = compression::deflated(blob).await;
    metadata.blob_bytes = blob.len() as u64;
    metadata.run = Some(run);
    metadata.run_started_ms = Some(started_ms);
    storage
        .put(&metadata, &blob, Some((job_id, retained)))
        .await
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

/// Stores a checked blob beside (never over) what is stored, unless the very same bytes are stored already
/// under its content identity.
async fn store_checked(
    blob: &[u8],
    checkpoint: &StoredCheckpoint,
    storage: &CheckpointStorage,
    library: &Library,
) -> Result<(), Cause> {
    let existing = storage.list().await.map_err(Cause::Storage)?.entries;
    // Equal keys mean equal bytes (a stored copy that differs is damaged, and is replaced below).
    if let Some(found) = existing.iter().find(|c| c.key == checkpoint.key) {
        if storage.blob(&found.key).await.is_ok_and(|b| b == blob) {
            library.dispatch(LibraryAction::Highlight(Some(found.key.clone())));
            library.dispatch(LibraryAction::Notice(Some(Notice::AlreadyStored {
                checkpoint_id: found.checkpoint_id,
                from: checkpoint.origin.clone(),
                stored: found.origin.clone(),
            })));
            return Ok(());
        }
    }
    library.dispatch(LibraryAction::Busy(Some(Busy::Storing(
        checkpoint.checkpoint_id,
    ))));
    let stored = storage.put(checkpoint, blob, None).await;
    library.dispatch(LibraryAction::Busy(None));
    stored.map_err(Cause::Storage)?;
    broadcast(Change::Stored);
    list_into(storage, library).await;
    library.dispatch(LibraryAction::Highlight(Some(checkpoint.key.clone())));
    library.dispatch(LibraryAction::Notice(Some(Notice::Imported {
        checkpoint_id: checkpoint.checkpoint_id,
        from: checkpoint.origin.clone(),
        entries: checkpoint.entries,
        parallelism: checkpoint.parallelism,
    })));
    Ok(())
}

/// Imports a blob from a file: checks it whole, then stores it beside what is stored.
async fn import(
    blob: Vec<u8>,
    origin: CheckpointOrigin,
    library: &Library,
) -> Result<(), LibraryError> {
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
    let checked = match compression::inflated(&blob).await {
        Ok(inflated) => check_and_describe(
            &blob,
            inflated.as_deref().unwrap_or(&blob),
            origin.clone(),
            now_ms(),
        ),
        Err(e) => Err(Cause::Blob(e)),
    };
    library.dispatch(LibraryAction::Busy(None));
    let checkpoint = checked.map_err(fail)?;
    store_checked(&blob, &checkpoint, &storage, library)
        .await
        .map_err(fail)
}

/// Where a stored checkpoint came from, as messages say it: `job 1a2b3c4d`, `file name.slcp`, `link`.
pub fn origin_text(origin: &CheckpointOrigin, l: Lang) -> String {
    match origin {
        CheckpointOrigin::Job { job_id } => msg::origin_job(l, short_job_id(job_id)),
        CheckpointOrigin::File { name } => msg::origin_file(l, name),
        CheckpointOrigin::Link => l.t(&msg::ORIGIN_LINK).to_owned(),
    }
}

/// Imports files (chosen or dropped), one after the other; what goes wrong is said at the import controls.
pub fn import_files(files: Vec<web_sys::File>, library: Library) {
    library.dispatch(LibraryAction::Failed(None));
    spawn_local(async move {
        for file in files {
            let name = file.name();
            let result = match sharing::read_file(file).await {
                Ok(bytes) => import(bytes, CheckpointOrigin::File { name }, &library).await,
                Err(cause) => Err(LibraryError::Read { name, cause }),
            };
            if let Err(error) = result {
                library.dispatch(LibraryAction::Failed(Some(Failure {
                    at: Place::Import,
                    error,
                })));
            }
        }
    });
}

/// Opens a checkpoint link (the page's own, one typed, pasted or put in the address bar): checks the blob it
/// carries whole and offers it — or says why it cannot be opened. Nothing changes until the user chooses.
pub fn offer_link(link: String, library: Library) {
    // Closed first, so that the dialog opens anew (and takes focus) for this link.
    library.dispatch(LibraryAction::Offer(None));
    let blob = match blob_of_link(&link) {
        Ok(blob) => blob,
        Err(cause) => return library.dispatch(LibraryAction::Offer(Some(refused_link(cause)))),
    };
    spawn_local(async move {
        let inflated = compression::inflated(&blob).await;
        let offer = offer_of_blob(blob, inflated, now_ms());
        library.dispatch(LibraryAction::Offer(Some(offer)));
    });
}

/// What the user chose for an offered link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkChoice {
    /// Start a job from it now (replacing the running one), and store it.
    Restore,
    /// Only store it.
    Keep,
}

/// Starts a new job from a checked blob (at its own parallelism or at `parallelism`), and says so.
async fn start_job(
    blob: &[u8],
    entry: &StoredCheckpoint,
    parallelism: Option<u32>,
    sim: &Sim,
    library: &Library,
    ui: &Ui,
) -> Result<(), Cause> {
    library.dispatch(LibraryAction::Busy(Some(Busy::Restoring {
        checkpoint_id: entry.checkpoint_id,
        entries: entry.entries,
    })));
    yield_to_browser().await;
    let inflated = compression::inflated(blob).await;
    let started = match &inflated {
        Ok(inflated) => {
            let readable = inflated.as_deref().unwrap_or(blob);
            sim.start(|job| Simulation::from_blob(readable, parallelism, job))
        }
        Err(e) => {
            library.dispatch(LibraryAction::Busy(None));
            return Err(Cause::Blob(e.clone()));
        }
    };
    library.dispatch(LibraryAction::Busy(None));
    started.map_err(Cause::Engine)?;
    ui.dispatch(UiAction::Error(None));
    library.dispatch(LibraryAction::Notice(Some(Notice::Started {
        checkpoint_id: entry.checkpoint_id,
        origin: entry.origin.clone(),
        parallelism: parallelism.unwrap_or(entry.parallelism),
        entries: entry.entries,
    })));
    Ok(())
}

/// Does what the user chose with a checked link: stores it, and starts a job from it when asked. A failure is
/// said by the import controls (brought into view).
pub fn accept_link(
    blob: Rc<Vec<u8>>,
    checkpoint: Rc<StoredCheckpoint>,
    choice: LinkChoice,
    sim: Sim,
    library: Library,
    ui: Ui,
) {
    library.dispatch(LibraryAction::Offer(None));
    spawn_local(async move {
        let stored = match library.storage() {
            Some(storage) => store_checked(&blob, &checkpoint, &storage, &library).await,
            None => Err(Cause::StorageUnavailable),
        };
        let started = match choice {
            LinkChoice::Restore => start_job(&blob, &checkpoint, None, &sim, &library, &ui).await,
            LinkChoice::Keep => Ok(()),
        };
        let failed = match (started, stored) {
            (Err(cause), _) => Some(LibraryError::Restore {
                checkpoint_id: checkpoint.checkpoint_id,
                cause,
            }),
            (_, Err(cause)) => Some(LibraryError::Import {
                from: CheckpointOrigin::Link,
                cause,
            }),
            _ => None,
        };
        if let Some(error) = failed {
            library.dispatch(LibraryAction::Failed(Some(Failure {
                at: Place::Import,
                error,
            })));
        }
    });
}

fn fail_at(library: &Library, key: &str, error: LibraryError) {
    library.dispatch(LibraryAction::Failed(Some(Failure {
        at: Place::Entry(key.to_owned()),
        error,
    })));
}

/// Starts a new job from a stored checkpoint, at its own parallelism or at `parallelism`.
pub fn restore(
    entry: StoredCheckpoint,
    parallelism: Option<u32>,
    sim: Sim,
    library: Library,
    ui: Ui,
) {
    library.dispatch(LibraryAction::Failed(None));
    spawn_local(async move {
        let fail = |cause: Cause| {
            fail_at(
                &library,
                &entry.key,
                LibraryError::Restore {
                    checkpoint_id: entry.checkpoint_id,
                    cause,
                },
            )
        };
        // A row is listed only while storage is open.
        let Some(storage) = library.storage() else {
            return;
        };
        let blob = match storage.blob(&entry.key).await {
            Ok(blob) => blob,
            Err(StorageError::NotFound(_)) => {
                fail_at(&library, &entry.key, LibraryError::NoLongerStored);
                return list_into(&storage, &library).await;
            }
            Err(e) => return fail(Cause::Storage(e)),
        };
        if let Err(cause) = start_job(&blob, &entry, parallelism, &sim, &library, &ui).await {
            fail(cause);
        }
    });
}

/// Downloads a stored checkpoint as a file.
pub fn export(entry: StoredCheckpoint, library: Library) {
    library.dispatch(LibraryAction::Failed(None));
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
            Err(cause) => fail_at(
                &library,
                &entry.key,
                LibraryError::Export {
                    checkpoint_id: entry.checkpoint_id,
                    cause,
                },
            ),
        }
    });
}

/// Makes a share link for a stored checkpoint and copies it, or says why it cannot.
pub fn share_link(entry: StoredCheckpoint, library: Library) {
    library.dispatch(LibraryAction::Failed(None));
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
            Err(cause) => fail_at(
                &library,
                &entry.key,
                LibraryError::Link {
                    checkpoint_id: entry.checkpoint_id,
                    entries: entry.entries,
                    cause,
                },
            ),
        }
    });
}

/// Deletes a stored checkpoint.
pub fn delete(key: String, library: Library) {
    library.dispatch(LibraryAction::Failed(None));
    spawn_local(async move {
        let Some(storage) = library.storage() else {
            return;
        };
        match storage.delete(std::slice::from_ref(&key)).await {
            Ok(()) => {
                library.dispatch(LibraryAction::Deleted);
                library.dispatch(LibraryAction::Link(None));
                broadcast(Change::Deleted);
            }
            Err(e) => fail_at(&library, &key, LibraryError::Delete(e)),
        }
        list_into(&storage, &library).await;
    });
}
