//! The checkpoint library as its worker (`statelab-library-worker`) runs it ([`crate::player::checkpoint_library`]
//! is its state): the commands on what [`CheckpointStorage`] holds, which call IndexedDB, files and other tabs
//! and feed what they answer back as [`LibraryAction`]s — storing the running job's completed checkpoints
//! (retaining the newest `retained` of each job: the new one and the ones it subsumes are written in one
//! transaction), importing blobs from files, opening links (checked whole, then offered: restore, keep, or leave
//! everything as it was), exporting, sharing, deleting, and handing the page a checked blob to start a job from.
//! After every change the panel is written again ([`crate::worker::library_panel`]) and posted to the page.
//!
//! Nothing from outside is stored or restored before it is fully checked: the blob is opened and every key
//! group decoded first, so a bad blob changes neither the running job nor what is stored. What goes wrong
//! with a command is kept with the place it was given ([`Place`]), so the panel says it next to that control.

use super::checkpoint_storage::{estimate, CheckpointStorage};
use super::compression;
use super::sharing;
use crate::engine::checkpoint::checkpoint_blob;
use crate::i18n::messages::storage as msg;
use crate::i18n::Lang;
use crate::player::checkpoint_library::{
    blob_of_link, check_and_describe, offer_of_blob, refused_link, Busy, Change, Failure,
    LibraryAction, LibraryState, LinkOffer, Notice, Place, StorageStatus,
};
use crate::player::library_error::{Cause, LibraryError, SharingError, StorageError};
use crate::player::stored_checkpoint::{CheckpointOrigin, StoredCheckpoint};
use crate::worker::library_panel::{self, LocalTime, PanelView};
use crate::worker::library_protocol::{Act, LibraryResponse};
use gloo::events::EventListener;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

/// Tabs tell each other on this channel what changed in the stored checkpoints (a [`Change`]).
pub const CHANNEL: &str = "statelab-checkpoints";

/// Posts a response to the page, with the bytes that travel beside it.
pub type Post = Box<dyn Fn(LibraryResponse, Option<Vec<u8>>)>;

/// A job the page was asked to start, waiting for its answer: what the notice says of it, where a failure is
/// said, and (for a link restored and stored) why storing it failed.
struct Restoring {
    checkpoint_id: u64,
    origin: CheckpointOrigin,
    parallelism: u32,
    entries: u64,
    at: Place,
    not_stored: Option<Cause>,
}

struct Core {
    state: RefCell<LibraryState<CheckpointStorage>>,
    view: RefCell<PanelView>,
    lang: Cell<Lang>,
    /// Whether the page has said its language yet.
    lang_known: Cell<bool>,
    /// The page's address without its fragment: share links point there.
    base: RefCell<String>,
    restoring: RefCell<Option<Restoring>>,
    /// The checkpoint whose share link the page is putting on the clipboard.
    copying: Cell<Option<u64>>,
    /// A panel is due to be posted (once for a burst of actions).
    render_due: Cell<bool>,
    channel: RefCell<Option<(web_sys::BroadcastChannel, EventListener)>>,
    post: Post,
}

/// The library: its state, what the reader opened and chose in its panel, and the page it posts to.
#[derive(Clone)]
pub struct Library(Rc<Core>);

/// The browser's clock where the reader is.
struct BrowserTime;

impl LocalTime for BrowserTime {
    fn local_ms(&self, ms: f64) -> f64 {
        ms - js_sys::Date::new(&ms.into()).get_timezone_offset() * 60_000.0
    }

    fn full(&self, ms: f64, l: Lang) -> String {
        let date = js_sys::Date::new(&ms.into());
        match l {
            Lang::En => date.to_string(),
            Lang::Zh => date.to_locale_string(l.code(), &wasm_bindgen::JsValue::UNDEFINED),
        }
        .as_string()
        .unwrap_or_default()
    }
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

impl Library {
    pub fn new(post: Post) -> Library {
        Library(Rc::new(Core {
            state: RefCell::new(LibraryState::default()),
            view: RefCell::new(PanelView::default()),
            lang: Cell::new(Lang::En),
            lang_known: Cell::new(false),
            base: RefCell::new(String::new()),
            restoring: RefCell::new(None),
            copying: Cell::new(None),
            render_due: Cell::new(false),
            channel: RefCell::new(None),
            post,
        }))
    }

    fn post(&self, response: LibraryResponse, payload: Option<Vec<u8>>) {
        (self.0.post)(response, payload);
    }

    /// Changes the state, and posts the panel once the burst of changes this one is part of is over.
    pub fn dispatch(&self, action: LibraryAction<CheckpointStorage>) {
        self.0.state.borrow_mut().reduce(action);
        self.render_soon();
    }

    pub fn render_soon(&self) {
        if self.0.render_due.replace(true) {
            return;
        }
        let library = self.clone();
        spawn_local(async move { library.render() });
    }

    /// Posts the panel as it is now — once the page has said its language (its first request), so a panel in
    /// the wrong language never shows.
    pub fn render(&self) {
        self.0.render_due.set(false);
        if !self.0.lang_known.get() {
            return;
        }
        let state = self.0.state.borrow();
        let parts = library_panel::parts(
            &state,
            &self.0.view.borrow(),
            now_ms(),
            &BrowserTime,
            self.0.lang.get(),
        );
        let (open, full) = (state.storage().is_some(), state.full);
        drop(state);
        let lang = self.0.lang.get();
        self.post(
            LibraryResponse::Panel {
                parts,
                lang,
                open,
                full,
            },
            None,
        );
    }

    pub fn set_lang(&self, l: Lang) {
        if self.0.lang.replace(l) != l || !self.0.lang_known.replace(true) {
            self.render_soon();
        }
    }

    /// The running job and the page's address.
    pub fn set_page(&self, job_id: String, base: String) {
        *self.0.base.borrow_mut() = base;
        let mut view = self.0.view.borrow_mut();
        if view.current_job != job_id {
            view.current_job = job_id;
            drop(view);
            self.render_soon();
        }
    }

    fn storage(&self) -> Option<CheckpointStorage> {
        self.0.state.borrow().storage()
    }

    /// The open database, once it is open: a file dropped as the page opens waits for it rather than fail.
    async fn storage_when_open(&self) -> Option<CheckpointStorage> {
        loop {
            match &self.0.state.borrow().storage {
                StorageStatus::Ready(storage) => return Some(storage.clone()),
                StorageStatus::Opening | StorageStatus::Blocked => {}
                StorageStatus::Closed | StorageStatus::Unavailable(_) => return None,
            }
            gloo_timers::future::TimeoutFuture::new(50).await;
        }
    }

    fn entry(&self, key: &str) -> Option<StoredCheckpoint> {
        let state = self.0.state.borrow();
        state.entries.iter().find(|e| e.key == key).cloned()
    }

    fn fail(&self, at: Place, error: LibraryError) {
        self.dispatch(LibraryAction::Failed(Some(Failure { at, error })));
    }

    /// A control of the panel or the dialog.
    pub fn act(&self, act: Act, key: String) {
        match act {
            Act::Toggle => {
                self.0.view.borrow_mut().toggle(&key);
                self.render_soon();
            }
            Act::Dismiss => self.dispatch(LibraryAction::Failed(None)),
            Act::Reopen => open(self.clone()),
            Act::LinkCancel => self.dispatch(LibraryAction::Offer(None)),
            Act::LinkRestore => accept_link(self.clone(), true),
            Act::LinkKeep => accept_link(self.clone(), false),
            Act::Restore | Act::Export | Act::Link | Act::Delete => {
                // A row is listed only while storage is open, and only what is listed is acted on.
                let Some(entry) = self.entry(&key) else {
                    return;
                };
                self.dispatch(LibraryAction::Failed(None));
                match act {
                    Act::Restore => {
                        let target = self.0.view.borrow().target(&entry);
                        restore(self.clone(), entry, target);
                    }
                    Act::Export => export(self.clone(), entry),
                    Act::Link => share_link(self.clone(), entry),
                    _ => delete(self.clone(), key),
                }
            }
        }
    }

    /// The parallelism chosen for a row.
    pub fn choose(&self, key: &str, parallelism: u32) {
        self.0.view.borrow_mut().choose(key, parallelism);
        self.render_soon();
    }

    /// What the browser answered the page's request for persistent storage.
    pub fn persistent(&self, persistent: Option<bool>) {
        self.dispatch(LibraryAction::Persistent(persistent));
    }

    /// The page's answer to a job handed to it.
    pub fn restored(&self, error: Option<String>) {
        let Some(r) = self.0.restoring.borrow_mut().take() else {
            return;
        };
        self.dispatch(LibraryAction::Busy(None));
        match (error, r.not_stored) {
            (Some(why), _) => self.fail(
                r.at,
                LibraryError::Restore {
                    checkpoint_id: r.checkpoint_id,
                    cause: Cause::Start(why),
                },
            ),
            (None, Some(cause)) => self.fail(
                Place::Import,
                LibraryError::Import {
                    from: CheckpointOrigin::Link,
                    cause,
                },
            ),
            (None, None) => self.dispatch(LibraryAction::Notice(Some(Notice::Started {
                checkpoint_id: r.checkpoint_id,
                origin: r.origin,
                parallelism: r.parallelism,
                entries: r.entries,
            }))),
        }
    }

    /// Whether the page put the share link on the clipboard.
    pub fn copied(&self, ok: bool) {
        if let Some(checkpoint_id) = self.0.copying.take() {
            self.dispatch(LibraryAction::Notice(Some(if ok {
                Notice::LinkCopied(checkpoint_id)
            } else {
                Notice::LinkNotCopied(SharingError::ClipboardDenied)
            })));
        }
    }

    /// Follows other tabs' changes on [`CHANNEL`] while storage is open: lists again and, after a deletion,
    /// resumes storing paused on a full quota.
    fn listen_to_other_tabs(&self, storage: &CheckpointStorage) {
        let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) else {
            return;
        };
        let (library, storage) = (self.clone(), storage.clone());
        let listener = EventListener::new(&channel, "message", move |event| {
            let change = Change::from_name(
                event
                    .dyn_ref::<web_sys::MessageEvent>()
                    .and_then(|m| m.data().as_string())
                    .as_deref(),
            );
            if change == Change::Deleted {
                library.dispatch(LibraryAction::Deleted);
            }
            let (library, storage) = (library.clone(), storage.clone());
            spawn_local(async move { list_into(&storage, &library).await });
        });
        if let Some((old, _)) = self.0.channel.replace(Some((channel, listener))) {
            old.close();
        }
    }
}

/// Opens the database (again, after another tab closed it) and lists what is stored (removing what is not
/// whole).
pub fn open(library: Library) {
    library.dispatch(LibraryAction::Opening);
    spawn_local(async move {
        let (blocked, closed) = (library.clone(), library.clone());
        let opened = CheckpointStorage::open(
            move || blocked.dispatch(LibraryAction::Blocked),
            move || {
                if let Some((channel, _)) = closed.0.channel.take() {
                    channel.close();
                }
                closed.dispatch(LibraryAction::Closed)
            },
        )
        .await;
        let storage = match opened {
            Ok(storage) => storage,
            Err(e) => return library.dispatch(LibraryAction::Opened(Err(e))),
        };
        library.dispatch(LibraryAction::Opened(Ok(storage.clone())));
        library.listen_to_other_tabs(&storage);
        list_into(&storage, &library).await;
    });
}

/// Lists what `storage` holds into the library, saying so when listing removed damaged checkpoints.
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

/// What the page's running job hands over to store: one of its completed checkpoints, as the engine wrote it.
pub struct JobCheckpoint {
    pub job_id: String,
    pub checkpoint_id: u64,
    pub blob: Vec<u8>,
    pub retained: usize,
    /// The run it is of: its job and when it started.
    pub run: (String, f64),
}

/// Stores one of the job's checkpoints, with the run it is of, and, in the same transaction, removes the job's
/// stored checkpoints beyond the newest `retained`, as Flink's `CompletedCheckpointStore` subsumes; then tells
/// the page whether it was stored (in its words, why not).
pub fn store(library: Library, job: JobCheckpoint) {
    library.dispatch(LibraryAction::SaveStarted {
        checkpoint_id: job.checkpoint_id,
    });
    spawn_local(async move {
        let (job_id, checkpoint_id) = (job.job_id.clone(), job.checkpoint_id);
        // Closed (by another tab's upgrade) since the page handed it over: said as the status line says it.
        let result = match library.storage() {
            Some(storage) => store_job_checkpoint(&storage, job).await,
            None => Err(StorageError::Failed(
                library.0.lang.get().t(&msg::CLOSED).to_owned(),
            )),
        };
        let full = matches!(result, Err(StorageError::QuotaExceeded { .. }));
        library.dispatch(LibraryAction::SaveDone { full });
        let error = match &result {
            Ok(_) => {
                broadcast(Change::Stored);
                None
            }
            Err(cause) => Some(
                LibraryError::NotStored {
                    checkpoint_id,
                    cause: cause.clone(),
                }
                .message(library.0.lang.get()),
            ),
        };
        library.post(
            LibraryResponse::Saved {
                job_id,
                checkpoint_id,
                error,
            },
            None,
        );
        if let Some(storage) = library.storage() {
            list_into(&storage, &library).await;
        }
    });
}

async fn store_job_checkpoint(
    storage: &CheckpointStorage,
    job: JobCheckpoint,
) -> Result<(), StorageError> {
    let mut metadata =
        StoredCheckpoint::of_job_blob(&job.job_id, job.checkpoint_id, &job.blob, now_ms())
            .map_err(|e| StorageError::Unwritable(e.into()))?;
    // The engine writes the page's blobs uncompressed; the browser deflates them (`compression`).
    let blob = compression::deflated(job.blob).await;
    metadata.blob_bytes = blob.len() as u64;
    metadata.run = Some(job.run.0);
    metadata.run_started_ms = Some(job.run.1);
    storage
        .put(&metadata, &blob, Some((&job.job_id, job.retained)))
        .await
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
        .storage_when_open()
        .await
        .ok_or_else(|| fail(Cause::StorageUnavailable))?;
    library.dispatch(LibraryAction::Busy(Some(Busy::Checking {
        from: origin.clone(),
        bytes: blob.len() as u64,
    })));
    // The progress goes out before the check, which runs in one piece.
    library.render();
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

/// Imports files (chosen or dropped), one after the other; what goes wrong is said at the import controls.
pub fn import_files(library: Library, files: Vec<web_sys::File>) {
    library.dispatch(LibraryAction::Failed(None));
    spawn_local(async move {
        for file in files {
            let name = file.name();
            let result = match sharing::read_file(file).await {
                Ok(bytes) => import(bytes, CheckpointOrigin::File { name }, &library).await,
                Err(cause) => Err(LibraryError::Read { name, cause }),
            };
            if let Err(error) = result {
                library.fail(Place::Import, error);
            }
        }
    });
}

/// Opens a checkpoint link (the page's own, one typed, pasted or put in the address bar): checks the blob it
/// carries whole and offers it — or says why it cannot be opened. Nothing changes until the user chooses.
pub fn offer_link(library: Library, link: String) {
    // Closed first, so that the dialog opens anew (and the page moves focus into it) for this link.
    library.dispatch(LibraryAction::Offer(None));
    library.render();
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

/// Hands the page a checked blob to start a new job from (at its own parallelism or at `parallelism`); the
/// page's answer ([`Library::restored`]) says how it went.
async fn start_job(
    library: &Library,
    blob: &[u8],
    entry: &StoredCheckpoint,
    parallelism: Option<u32>,
    (at, not_stored): (Place, Option<Cause>),
) -> Result<(), Cause> {
    let inflated = compression::inflated(blob).await.map_err(Cause::Blob)?;
    let readable = inflated.unwrap_or_else(|| blob.to_vec());
    // The page reads format version 2 and later only: a version-1 blob goes over written again.
    let readable = match checkpoint_blob::upgraded(&readable).map_err(Cause::Blob)? {
        Some(upgraded) => upgraded,
        None => readable,
    };
    library.dispatch(LibraryAction::Busy(Some(Busy::Restoring {
        checkpoint_id: entry.checkpoint_id,
        entries: entry.entries,
    })));
    *library.0.restoring.borrow_mut() = Some(Restoring {
        checkpoint_id: entry.checkpoint_id,
        origin: entry.origin.clone(),
        parallelism: parallelism.unwrap_or(entry.parallelism),
        entries: entry.entries,
        at,
        not_stored,
    });
    // The progress shows before the page starts the job, which runs in one piece.
    library.render();
    library.post(LibraryResponse::Restore { parallelism }, Some(readable));
    Ok(())
}

/// Does what the user chose with the checked link offered: stores it, and has the page start a job from it
/// when asked. A failure is said by the import controls.
fn accept_link(library: Library, restore: bool) {
    let offer = library.0.state.borrow().offer.clone();
    library.dispatch(LibraryAction::Offer(None));
    let Some(LinkOffer::Checked { blob, checkpoint }) = offer else {
        return;
    };
    spawn_local(async move {
        let stored = match library.storage() {
            Some(storage) => store_checked(&blob, &checkpoint, &storage, &library).await,
            None => Err(Cause::StorageUnavailable),
        };
        let failed = if restore {
            match start_job(
                &library,
                &blob,
                &checkpoint,
                None,
                (Place::Import, stored.err()),
            )
            .await
            {
                Ok(()) => None,
                Err(cause) => Some(LibraryError::Restore {
                    checkpoint_id: checkpoint.checkpoint_id,
                    cause,
                }),
            }
        } else {
            stored.err().map(|cause| LibraryError::Import {
                from: CheckpointOrigin::Link,
                cause,
            })
        };
        if let Some(error) = failed {
            library.fail(Place::Import, error);
        }
    });
}

/// Has the page start a new job from a stored checkpoint, at `parallelism`.
fn restore(library: Library, entry: StoredCheckpoint, parallelism: u32) {
    spawn_local(async move {
        let at = Place::Entry(entry.key.clone());
        let Some(storage) = library.storage() else {
            return;
        };
        let failed = match storage.blob(&entry.key).await {
            Ok(blob) => start_job(
                &library,
                &blob,
                &entry,
                Some(parallelism),
                (at.clone(), None),
            )
            .await
            .err()
            .map(|cause| LibraryError::Restore {
                checkpoint_id: entry.checkpoint_id,
                cause,
            }),
            Err(StorageError::NotFound(_)) => {
                library.fail(at, LibraryError::NoLongerStored);
                return list_into(&storage, &library).await;
            }
            Err(e) => Some(LibraryError::Restore {
                checkpoint_id: entry.checkpoint_id,
                cause: Cause::Storage(e),
            }),
        };
        if let Some(error) = failed {
            library.fail(at, error);
        }
    });
}

/// Has the page download a stored checkpoint as a file.
fn export(library: Library, entry: StoredCheckpoint) {
    spawn_local(async move {
        let Some(storage) = library.storage() else {
            return;
        };
        match storage.blob(&entry.key).await {
            Ok(blob) => {
                let file =
                    sharing::file_name(entry.checkpoint_id, entry.entries, entry.parallelism);
                library.post(LibraryResponse::Download { name: file.clone() }, Some(blob));
                library.dispatch(LibraryAction::Notice(Some(Notice::Exported {
                    checkpoint_id: entry.checkpoint_id,
                    file,
                })));
            }
            Err(e) => library.fail(
                Place::Entry(entry.key.clone()),
                LibraryError::Export {
                    checkpoint_id: entry.checkpoint_id,
                    cause: Cause::Storage(e),
                },
            ),
        }
    });
}

/// Makes a share link for a stored checkpoint, shows it and has the page copy it — or says why it cannot.
fn share_link(library: Library, entry: StoredCheckpoint) {
    spawn_local(async move {
        let Some(storage) = library.storage() else {
            return;
        };
        let base = library.0.base.borrow().clone();
        let link = match storage.blob(&entry.key).await {
            Ok(blob) => sharing::link_for(&blob, &base).map_err(Cause::Sharing),
            Err(e) => Err(Cause::Storage(e)),
        };
        match link {
            Ok(link) => {
                library.0.copying.set(Some(entry.checkpoint_id));
                library.post(LibraryResponse::Copy(link.clone()), None);
                library.dispatch(LibraryAction::Link(Some((entry.key.clone(), link))));
            }
            Err(cause) => library.fail(
                Place::Entry(entry.key.clone()),
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
fn delete(library: Library, key: String) {
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
            Err(e) => library.fail(Place::Entry(key), LibraryError::Delete(e)),
        }
        list_into(&storage, &library).await;
    });
}
