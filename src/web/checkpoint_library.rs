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
use super::sharing;
use super::simulation::Simulation;
use crate::engine::checkpoint_blob::BlobReader;
use crate::engine::key_registry::KeyRegistry;
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
    Unavailable(String),
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
    /// Long work under way ("Importing …"), shown with a progress indicator.
    pub busy: Option<String>,
    /// What the last command did.
    pub notice: Option<String>,
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
    Busy(Option<String>),
    Notice(Option<String>),
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
            LibraryAction::Opened(Err(e)) => {
                next.storage = StorageStatus::Unavailable(e.to_string())
            }
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
            Err(e) => ui.dispatch(UiAction::Error(Some(not_stored_message(checkpoint_id, &e)))),
        }
        list_into(&storage, &library).await;
    });
}

fn not_stored_message(checkpoint_id: u64, e: &StorageError) -> String {
    match e {
        StorageError::QuotaExceeded { .. } => format!(
            "Checkpoint {checkpoint_id} was not stored: {e}. Nothing already stored was lost. Delete stored \
             checkpoints you no longer need (export them to files first if you want to keep them); storing \
             resumes after a deletion."
        ),
        _ => format!("Checkpoint {checkpoint_id} was not stored: {e}."),
    }
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
fn check_blob(blob: &[u8]) -> Result<(), String> {
    let reader = BlobReader::open(blob).map_err(|e| e.to_string())?;
    let mut keys = KeyRegistry::new(reader.metadata().job.source.key_format.clone());
    reader
        .to_completed_checkpoint(&mut keys)
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Where an import came from, for messages.
fn origin_label(origin: &CheckpointOrigin) -> String {
    match origin {
        CheckpointOrigin::File { name } => format!("'{name}'"),
        CheckpointOrigin::Link => "the link".to_owned(),
        CheckpointOrigin::Job { job_id } => format!("job {}", short_job_id(job_id)),
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
) -> Result<String, String> {
    let label = origin_label(&origin);
    let fail = |why: String| format!("Could not import the checkpoint from {label}: {why}");
    let storage = library
        .storage()
        .ok_or_else(|| fail("the browser's storage is not available".to_owned()))?;
    library.dispatch(LibraryAction::Busy(Some(format!(
        "Checking the checkpoint from {label} ({})…",
        format::bytes(blob.len() as u64)
    ))));
    yield_to_browser().await;
    let checked = check_blob(&blob);
    library.dispatch(LibraryAction::Busy(None));
    checked.map_err(fail)?;
    let key = imported_key(&blob);
    let existing = storage.list().await.map_err(|e| fail(e.to_string()))?;
    if let Some(found) = existing.iter().find(|c| c.key == key) {
        library.dispatch(LibraryAction::Notice(Some(format!(
            "Checkpoint {} from {label} is already stored ({}).",
            found.checkpoint_id,
            origin_text(&found.origin)
        ))));
        return Ok(key);
    }
    let reader = BlobReader::open(&blob).map_err(|e| fail(e.to_string()))?;
    let metadata = StoredCheckpoint::describe(key.clone(), origin, &reader);
    library.dispatch(LibraryAction::Busy(Some(format!(
        "Storing checkpoint {}…",
        metadata.checkpoint_id
    ))));
    let stored = storage.put(&metadata, &blob).await;
    library.dispatch(LibraryAction::Busy(None));
    stored.map_err(|e| fail(e.to_string()))?;
    broadcast();
    list_into(&storage, library).await;
    library.dispatch(LibraryAction::Highlight(Some(key.clone())));
    library.dispatch(LibraryAction::Notice(Some(format!(
        "Imported checkpoint {} from {label}: {} keys, taken at parallelism {}. Restore it to see its state.",
        metadata.checkpoint_id,
        format::count(metadata.entries),
        metadata.parallelism
    ))));
    Ok(key)
}

/// Where a stored checkpoint came from, as the list says it.
pub fn origin_text(origin: &CheckpointOrigin) -> String {
    match origin {
        CheckpointOrigin::Job { job_id } => format!("job {}", short_job_id(job_id)),
        CheckpointOrigin::File { name } => format!("file {name}"),
        CheckpointOrigin::Link => "link".to_owned(),
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
                Err(e) => Err(format!("Could not import '{name}': {e}")),
            };
            if let Err(e) = result {
                ui.dispatch(UiAction::Error(Some(e)));
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
                ui.dispatch(UiAction::Error(Some(format!(
                    "Could not import the checkpoint from the link: {e}"
                ))));
                return;
            }
        };
        match import(blob, CheckpointOrigin::Link, &library).await {
            Ok(key) if restore => start_from(key, None, sim, library, ui).await,
            Ok(_) => {}
            Err(e) => ui.dispatch(UiAction::Error(Some(e))),
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
        ui.dispatch(UiAction::Error(Some(
            "That checkpoint is no longer stored (another tab may have removed it).".to_owned(),
        )));
        list_into(&storage, &library).await;
        return;
    };
    library.dispatch(LibraryAction::Busy(Some(format!(
        "Restoring checkpoint {} ({} keys)…",
        entry.checkpoint_id,
        format::count(entry.entries)
    ))));
    yield_to_browser().await;
    let result = match storage.blob(&key).await {
        Ok(blob) => sim.update(|s| s.start_from_blob(&blob, parallelism)),
        Err(e) => Err(e.to_string()),
    };
    library.dispatch(LibraryAction::Busy(None));
    match result {
        Ok(()) => {
            let p = parallelism.unwrap_or(entry.parallelism);
            ui.dispatch(UiAction::Error(None));
            library.dispatch(LibraryAction::Notice(Some(format!(
                "Started a new job from checkpoint {} ({}) at parallelism {p}: {} keys restored.",
                entry.checkpoint_id,
                origin_text(&entry.origin),
                format::count(entry.entries)
            ))));
        }
        Err(e) => ui.dispatch(UiAction::Error(Some(format!(
            "Could not restore checkpoint {}: {e}",
            entry.checkpoint_id
        )))),
    }
}

/// Downloads a stored checkpoint as a file.
pub fn export(entry: StoredCheckpoint, library: Library, ui: Ui) {
    spawn_local(async move {
        let Some(storage) = library.storage() else {
            return;
        };
        let result = match storage.blob(&entry.key).await {
            Ok(blob) => sharing::download(
                &sharing::file_name(entry.checkpoint_id, entry.entries, entry.parallelism),
                &blob,
            ),
            Err(e) => Err(e.to_string()),
        };
        match result {
            Ok(()) => library.dispatch(LibraryAction::Notice(Some(format!(
                "Exported checkpoint {} as {}.",
                entry.checkpoint_id,
                sharing::file_name(entry.checkpoint_id, entry.entries, entry.parallelism)
            )))),
            Err(e) => ui.dispatch(UiAction::Error(Some(format!(
                "Could not export checkpoint {}: {e}",
                entry.checkpoint_id
            )))),
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
            Ok(blob) => sharing::link_for(&blob),
            Err(e) => Err(e.to_string()),
        };
        match link {
            Ok(link) => {
                let copied = sharing::copy_text(&link).await;
                library.dispatch(LibraryAction::Link(Some((entry.key.clone(), link))));
                library.dispatch(LibraryAction::Notice(Some(match copied {
                    Ok(()) => format!(
                        "Copied a link to checkpoint {}: whoever opens it sees this state.",
                        entry.checkpoint_id
                    ),
                    Err(e) => format!("{e}; copy the link below by hand."),
                })));
            }
            Err(e) => ui.dispatch(UiAction::Error(Some(format!(
                "No link for checkpoint {} ({} keys): {e}",
                entry.checkpoint_id,
                format::count(entry.entries)
            )))),
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
            Err(e) => ui.dispatch(UiAction::Error(Some(format!("Could not delete: {e}")))),
        }
        list_into(&storage, &library).await;
    });
}
