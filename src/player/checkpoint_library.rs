//! The checkpoint library's state: what browser storage holds as the page lists it, storing the running job's
//! completed checkpoints (which one is due, paused on a full quota until something is deleted), imports, links
//! offered before anything changes, what the last command did and what went wrong with it, kept with the control
//! it was given at. Changed only by [`LibraryAction`]s through [`LibraryState::reduce`]; the IndexedDB calls
//! (`crate::web`) feed their results back as actions. Nothing from outside is stored or restored before it is
//! fully checked ([`check_blob`]).

use super::checkpoint_link::blob_from_link;
use super::checkpoint_runs::{self, RunGroup};
use super::library_error::{Cause, LibraryError, SharingError, StorageError};
use super::stored_checkpoint::{imported_key, CheckpointOrigin, StoredCheckpoint};
use crate::engine::checkpoint::blob_error::BlobError;
use crate::engine::checkpoint::checkpoint_blob::BlobReader;
use crate::engine::keys::key_registry::KeyRegistry;
use std::rc::Rc;

/// What a tab changed in the stored checkpoints, as it tells the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Stored,
    /// Something was removed: room was freed, so a tab whose storing paused on a full quota tries again.
    Deleted,
}

impl Change {
    /// As told on the channel.
    pub fn name(self) -> &'static str {
        match self {
            Change::Stored => "stored",
            Change::Deleted => "deleted",
        }
    }

    /// The change a message tells of (anything unknown only asks to list again).
    pub fn from_name(name: Option<&str>) -> Change {
        match name {
            Some("deleted") => Change::Deleted,
            _ => Change::Stored,
        }
    }
}

/// Where browser storage stands; `S` is the page's handle on the open database.
#[derive(Clone, Debug)]
pub enum StorageStatus<S> {
    Opening,
    /// Opening waits for a tab that holds an older version of the database open to let go of it.
    Blocked,
    Ready(S),
    /// Another tab asked to upgrade or delete the database, so this tab closed its connection.
    Closed,
    Unavailable(StorageError),
}

/// What the last command did, shown until the next one.
#[derive(Clone, Debug)]
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
    /// Opening storage removed damaged or incomplete checkpoints.
    Cleaned(usize),
}

/// Long work under way, shown with a progress indicator.
#[derive(Clone, Debug)]
pub enum Busy {
    Checking { from: CheckpointOrigin, bytes: u64 },
    Storing(u64),
    Restoring { checkpoint_id: u64, entries: u64 },
}

/// The control a command was given at, where what went wrong with it is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// Importing files (chosen or dropped).
    Import,
    /// A stored checkpoint's row (restore, export, link, delete), by key.
    Entry(String),
}

/// A command that went wrong, and where it was given.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub at: Place,
    pub error: LibraryError,
}

/// A checkpoint link being opened: checked whole, it waits for the user to say what to do with it.
#[derive(Clone, Debug)]
pub enum LinkOffer {
    Checked {
        blob: Rc<Vec<u8>>,
        /// What the list would show of it (its key is the blob's content identity).
        checkpoint: Rc<StoredCheckpoint>,
    },
    /// The link cannot be opened: said in the dialog, nothing changed.
    Failed(LibraryError),
}

/// The checkpoint library as the page shows it. Equal only to itself: every action makes a new one (`version`), so comparing (which the views' context
/// does on every frame) costs nothing and needs no comparison of what it holds.
#[derive(Clone, Debug)]
pub struct LibraryState<S> {
    version: u64,
    pub storage: StorageStatus<S>,
    /// Stored checkpoints, newest first.
    pub entries: Vec<StoredCheckpoint>,
    /// Long work under way, shown with a progress indicator.
    pub busy: Option<Busy>,
    /// What the last command did.
    pub notice: Option<Notice>,
    /// What went wrong with the last command, and where it was given.
    pub failure: Option<Failure>,
    /// A link waiting for the user's choice.
    pub offer: Option<LinkOffer>,
    pub usage: Option<f64>,
    pub quota: Option<f64>,
    /// Whether the browser agreed to keep the storage under pressure.
    pub persistent: Option<bool>,
    /// The checkpoint being written now.
    pub saving: Option<u64>,
    /// Storing paused after the storage ran full, until something is deleted (here or in another tab).
    pub full: bool,
    /// The entry to draw attention to (just imported).
    pub highlight: Option<String>,
    /// A share link made for an entry: (key, link).
    pub link: Option<(String, String)>,
}

impl<S> PartialEq for LibraryState<S> {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

impl<S> Default for LibraryState<S> {
    fn default() -> Self {
        LibraryState {
            version: 0,
            storage: StorageStatus::Opening,
            entries: Vec::new(),
            busy: None,
            notice: None,
            failure: None,
            offer: None,
            usage: None,
            quota: None,
            persistent: None,
            saving: None,
            full: false,
            highlight: None,
            link: None,
        }
    }
}

/// What changes the library: the page's commands and what browser storage answered.
pub enum LibraryAction<S> {
    Opening,
    Blocked,
    Opened(Result<S, StorageError>),
    /// The database was closed for another tab.
    Closed,
    Listed {
        entries: Vec<StoredCheckpoint>,
        usage: Option<f64>,
        quota: Option<f64>,
    },
    Busy(Option<Busy>),
    Notice(Option<Notice>),
    Failed(Option<Failure>),
    Offer(Option<LinkOffer>),
    Persistent(Option<bool>),
    SaveStarted {
        checkpoint_id: u64,
    },
    SaveDone {
        full: bool,
    },
    /// Something was deleted, here or in another tab: there may be room again.
    Deleted,
    Highlight(Option<String>),
    Link(Option<(String, String)>),
}

impl<S: Clone> LibraryState<S> {
    pub fn reduce(&mut self, action: LibraryAction<S>) {
        let next = self;
        next.version += 1;
        match action {
            LibraryAction::Opening => next.storage = StorageStatus::Opening,
            LibraryAction::Blocked => {
                if matches!(next.storage, StorageStatus::Opening) {
                    next.storage = StorageStatus::Blocked;
                }
            }
            LibraryAction::Opened(Ok(storage)) => next.storage = StorageStatus::Ready(storage),
            LibraryAction::Opened(Err(e)) => next.storage = StorageStatus::Unavailable(e),
            LibraryAction::Closed => {
                next.storage = StorageStatus::Closed;
                next.entries.clear();
                next.link = None;
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
            LibraryAction::Failed(f) => next.failure = f,
            LibraryAction::Offer(o) => next.offer = o,
            LibraryAction::Persistent(p) => next.persistent = p,
            LibraryAction::SaveStarted { checkpoint_id } => next.saving = Some(checkpoint_id),
            LibraryAction::SaveDone { full } => {
                next.saving = None;
                next.full = full;
            }
            LibraryAction::Deleted => next.full = false,
            LibraryAction::Highlight(h) => next.highlight = h,
            LibraryAction::Link(l) => next.link = l,
        }
    }

    /// The open database, if it is open.
    pub fn storage(&self) -> Option<S> {
        match &self.storage {
            StorageStatus::Ready(s) => Some(s.clone()),
            _ => None,
        }
    }
}

impl<S> LibraryState<S> {
    /// The stored checkpoints grouped by run, in the list's order (see [`checkpoint_runs::group`]).
    pub fn runs(&self) -> Vec<RunGroup> {
        checkpoint_runs::group(
            self.entries
                .iter()
                .map(|e| (e.job_id(), e.stored_at_ms, e.run_started_ms)),
        )
    }

    /// What went wrong with the last command given at a stored checkpoint's row.
    pub fn failure_at_entry(&self, key: &str) -> Option<&LibraryError> {
        match &self.failure {
            Some(Failure {
                at: Place::Entry(at),
                error,
            }) if at == key => Some(error),
            _ => None,
        }
    }

    /// Whether what went wrong was at a row that is no longer listed (removed in another tab).
    pub fn failure_row_gone(&self) -> bool {
        matches!(&self.failure, Some(Failure { at: Place::Entry(key), .. })
            if !self.entries.iter().any(|e| &e.key == key))
    }

    /// What the import controls say went wrong: what was given there, or at a row no longer listed.
    pub fn failure_at_import(&self) -> Option<&LibraryError> {
        match &self.failure {
            Some(Failure {
                at: Place::Import,
                error,
            }) => Some(error),
            Some(Failure { error, .. }) if self.failure_row_gone() => Some(error),
            _ => None,
        }
    }
}

/// Checks a blob from outside completely: it opens, every key group decodes, and a job can start from it.
pub fn check_blob(blob: &[u8]) -> Result<BlobReader<'_>, BlobError> {
    let reader = BlobReader::open(blob)?;
    let mut keys = KeyRegistry::new(reader.metadata().job.source.key_format.clone());
    reader.to_completed_checkpoint(&mut keys)?;
    Ok(reader)
}

/// Checks a blob from outside whole and describes it as the list would show it: `stored`, the blob as it came
/// and will be stored; `readable`, the same blob as this build's reader takes it (natively the same bytes; in
/// the page, its parts inflated by the browser first: `web::compression`). `now_ms`: when (it would be) stored.
pub fn check_and_describe(
    stored: &[u8],
    readable: &[u8],
    origin: CheckpointOrigin,
    now_ms: f64,
) -> Result<StoredCheckpoint, Cause> {
    check_blob(readable)
        .map(|reader| {
            let mut checkpoint =
                StoredCheckpoint::describe(imported_key(stored), origin, &reader, now_ms);
            checkpoint.blob_bytes = stored.len() as u64;
            checkpoint
        })
        .map_err(Cause::Blob)
}

/// The blob a checkpoint link (the page's own, one typed, pasted or put in the address bar) carries, or why it
/// carries none (see [`refused_link`]). A link carries a small blob (see [`super::checkpoint_link`]).
pub fn blob_of_link(link: &str) -> Result<Vec<u8>, Cause> {
    blob_from_link(link).map_err(Cause::Link)
}

/// What a link offers when it cannot be opened, and why.
pub fn refused_link(cause: Cause) -> LinkOffer {
    LinkOffer::Failed(LibraryError::Import {
        from: CheckpointOrigin::Link,
        cause,
    })
}

/// What opening a link's `blob` offers: the blob, checked whole (`now_ms`: when it would be stored), or why it
/// cannot be opened. `inflated`: the blob with its parts inflated, as the page's reader takes it (`None`:
/// nothing to inflate; see [`check_and_describe`]), or why they do not inflate.
pub fn offer_of_blob(
    blob: Vec<u8>,
    inflated: Result<Option<Vec<u8>>, BlobError>,
    now_ms: f64,
) -> LinkOffer {
    let readable = match &inflated {
        Ok(inflated) => inflated.as_deref().unwrap_or(&blob),
        Err(e) => return refused_link(Cause::Blob(e.clone())),
    };
    match check_and_describe(&blob, readable, CheckpointOrigin::Link, now_ms) {
        Ok(checkpoint) => LinkOffer::Checked {
            blob: Rc::new(blob),
            checkpoint: Rc::new(checkpoint),
        },
        Err(cause) => refused_link(cause),
    }
}

/// What the library's tests (and its panel's) list: a small job's checkpoint, as stored by a job or imported.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use crate::engine::cluster::engine_event::Milestones;
    use crate::engine::cluster::job_config::{JobConfig, SourceConfig};
    use crate::engine::cluster::mini_cluster::MiniCluster;
    use crate::engine::cluster::run_limit::RunLimit;
    use crate::player::stored_checkpoint::job_checkpoint_key;

    /// A small job's completed checkpoint, as a blob.
    pub fn blob() -> Vec<u8> {
        let config = JobConfig {
            source: SourceConfig {
                key_count: 50,
                max_events: Some(500),
                ..Default::default()
            },
            ..JobConfig::default()
        };
        let mut cluster = MiniCluster::new(config).unwrap();
        let mut events = Milestones::default();
        cluster.run(RunLimit::records(100), &mut events);
        let id = cluster.trigger_checkpoint().unwrap();
        while cluster.coordinator().store().get(id).is_none() {
            assert!(cluster.step(&mut events));
        }
        cluster.checkpoint_blob(id).unwrap()
    }

    /// A checkpoint of job `job_id` as the list shows it (`None`: imported), stored at `stored_ms`, of a run
    /// started at `started_ms`.
    pub fn entry(
        blob: &[u8],
        job_id: Option<&str>,
        id: u64,
        stored_ms: f64,
        started_ms: f64,
    ) -> StoredCheckpoint {
        let (key, origin) = match job_id {
            Some(job_id) => (
                job_checkpoint_key(job_id, id),
                CheckpointOrigin::Job {
                    job_id: job_id.to_owned(),
                },
            ),
            None => (
                format!("import/{id}"),
                CheckpointOrigin::File {
                    name: format!("{id}.slcp"),
                },
            ),
        };
        let mut checkpoint = check_and_describe(blob, blob, origin, stored_ms).unwrap();
        checkpoint.key = key;
        checkpoint.checkpoint_id = id;
        if job_id.is_some() {
            checkpoint.run = Some("own".to_owned());
            checkpoint.run_started_ms = Some(started_ms);
        }
        checkpoint
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{blob, entry};
    use super::*;
    use crate::engine::checkpoint::blob_parts::inflated_natively;
    use crate::player::checkpoint_link::{fragment, LinkError};

    /// The page's handle on an open database, in tests: a number.
    type Library = LibraryState<u32>;

    fn listed(entries: Vec<StoredCheckpoint>) -> LibraryAction<u32> {
        LibraryAction::Listed {
            entries,
            usage: Some(1_000.0),
            quota: Some(10_000.0),
        }
    }

    fn open() -> Library {
        let mut library = Library::default();
        library.reduce(LibraryAction::Opened(Ok(7)));
        library
    }

    #[test]
    fn storage_opens_is_blocked_or_closed_for_another_tab() {
        let mut library = Library::default();
        assert!(matches!(library.storage, StorageStatus::Opening));
        library.reduce(LibraryAction::Blocked);
        assert!(matches!(library.storage, StorageStatus::Blocked));
        library.reduce(LibraryAction::Opened(Ok(7)));
        assert_eq!(library.storage(), Some(7));
        // Blocked only while opening.
        library.reduce(LibraryAction::Blocked);
        assert_eq!(library.storage(), Some(7));
        let b = blob();
        library.reduce(listed(vec![entry(&b, Some("aaaa"), 1, 10.0, 5.0)]));
        library.reduce(LibraryAction::Link(Some((
            "k".into(),
            "#checkpoint=x".into(),
        ))));
        library.reduce(LibraryAction::Closed);
        assert!(matches!(library.storage, StorageStatus::Closed));
        assert!(library.entries.is_empty() && library.link.is_none());
        assert_eq!(library.storage(), None);
        library.reduce(LibraryAction::Opening);
        library.reduce(LibraryAction::Opened(Err(StorageError::NewerVersion)));
        assert!(matches!(
            library.storage,
            StorageStatus::Unavailable(StorageError::NewerVersion)
        ));
    }

    #[test]
    fn every_action_makes_a_new_state() {
        let mut library = open();
        let before = library.clone();
        assert_eq!(before, library);
        library.reduce(LibraryAction::Notice(None));
        assert_ne!(before, library);
    }

    #[test]
    fn stored_checkpoints_are_listed_grouped_by_run_imports_last() {
        let b = blob();
        let mut library = open();
        // Newest first, as storage lists them: run "bbbb" started after "aaaa".
        library.reduce(listed(vec![
            entry(&b, Some("bbbb"), 3, 40.0, 30.0),
            entry(&b, None, 9, 35.0, 0.0),
            entry(&b, Some("aaaa"), 2, 20.0, 5.0),
            entry(&b, Some("bbbb"), 2, 31.0, 30.0),
            entry(&b, Some("aaaa"), 1, 10.0, 5.0),
        ]));
        assert_eq!(library.usage, Some(1_000.0));
        let runs = library.runs();
        let shape: Vec<(Option<u32>, Vec<usize>)> =
            runs.iter().map(|g| (g.number, g.rows.clone())).collect();
        assert_eq!(
            shape,
            [
                (Some(2), vec![0, 3]),
                (Some(1), vec![2, 4]),
                (None, vec![1])
            ]
        );
        // A checkpoint deleted (here or elsewhere) is gone at the next listing; run numbers hold.
        library.reduce(listed(vec![
            entry(&b, Some("bbbb"), 3, 40.0, 30.0),
            entry(&b, Some("aaaa"), 2, 20.0, 5.0),
        ]));
        let numbers: Vec<Option<u32>> = library.runs().iter().map(|g| g.number).collect();
        assert_eq!(numbers, [Some(2), Some(1)]);
    }

    #[test]
    fn a_full_quota_pauses_storing_until_something_is_deleted() {
        let mut library = open();
        library.reduce(LibraryAction::SaveStarted { checkpoint_id: 1 });
        assert_eq!(library.saving, Some(1));
        library.reduce(LibraryAction::SaveDone { full: true });
        assert!(library.full);
        assert_eq!(library.saving, None);
        // Deleted here or in another tab: there may be room again.
        library.reduce(LibraryAction::Deleted);
        assert!(!library.full);
    }

    #[test]
    fn what_went_wrong_is_said_where_the_command_was_given() {
        let b = blob();
        let mut library = open();
        let row = entry(&b, Some("aaaa"), 1, 10.0, 5.0);
        let key = row.key.clone();
        library.reduce(listed(vec![row]));
        let error = LibraryError::Delete(StorageError::DeleteAborted);
        library.reduce(LibraryAction::Failed(Some(Failure {
            at: Place::Entry(key.clone()),
            error: error.clone(),
        })));
        assert_eq!(library.failure_at_entry(&key), Some(&error));
        assert_eq!(library.failure_at_entry("other"), None);
        assert_eq!(library.failure_at_import(), None);
        assert!(!library.failure_row_gone());
        // Its row gone (removed in another tab): the import controls say it.
        library.reduce(listed(Vec::new()));
        assert!(library.failure_row_gone());
        assert_eq!(library.failure_at_import(), Some(&error));
        // Given at the import controls.
        let read = LibraryError::Read {
            name: "x.slcp".into(),
            cause: SharingError::Unreadable("gone".into()),
        };
        library.reduce(LibraryAction::Failed(Some(Failure {
            at: Place::Import,
            error: read.clone(),
        })));
        assert_eq!(library.failure_at_import(), Some(&read));
        library.reduce(LibraryAction::Failed(None));
        assert_eq!(library.failure_at_import(), None);
    }

    /// Opens a link natively: the reader inflates as it goes.
    fn offer_of_link(link: &str, now_ms: f64) -> LinkOffer {
        match blob_of_link(link) {
            Ok(blob) => offer_of_blob(blob, Ok(None), now_ms),
            Err(cause) => refused_link(cause),
        }
    }

    #[test]
    fn a_link_is_checked_whole_before_it_is_offered() {
        let b = blob();
        let link = format!("http://127.0.0.1/#{}", fragment(&b).unwrap());
        match offer_of_link(&link, 123.0) {
            LinkOffer::Checked { blob, checkpoint } => {
                assert_eq!(*blob, b);
                assert_eq!(checkpoint.key, imported_key(&b));
                assert_eq!(checkpoint.origin, CheckpointOrigin::Link);
                assert_eq!(checkpoint.stored_at_ms, 123.0);
                assert_eq!(checkpoint.blob_bytes, b.len() as u64);
                assert!(checkpoint.entries > 0);
            }
            other => panic!("{other:?}"),
        }
        // The page's way: the blob as the browser inflated it is read, the blob as it came is offered.
        let inflated = inflated_natively(&b).unwrap();
        assert_ne!(inflated, b);
        match offer_of_blob(b.clone(), Ok(Some(inflated)), 5.0) {
            LinkOffer::Checked { blob, checkpoint } => {
                assert_eq!(*blob, b);
                assert_eq!(checkpoint.key, imported_key(&b));
                assert_eq!(checkpoint.blob_bytes, b.len() as u64);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            offer_of_blob(b.clone(), Err(BlobError::ChecksumMismatch), 0.0),
            LinkOffer::Failed(LibraryError::Import {
                from: CheckpointOrigin::Link,
                cause: Cause::Blob(BlobError::ChecksumMismatch),
            })
        ));
        assert!(matches!(
            offer_of_link("http://127.0.0.1/", 0.0),
            LinkOffer::Failed(LibraryError::Import {
                from: CheckpointOrigin::Link,
                cause: Cause::Link(LinkError::NoCheckpoint),
            })
        ));
        // One byte damaged: the blob does not open, nothing is offered.
        let mut damaged = b.clone();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0x55;
        let link = format!("#{}", fragment(&damaged).unwrap());
        assert!(matches!(
            offer_of_link(&link, 0.0),
            LinkOffer::Failed(LibraryError::Import {
                cause: Cause::Blob(_),
                ..
            })
        ));
    }

    #[test]
    fn a_tab_tells_the_others_what_changed() {
        for change in [Change::Stored, Change::Deleted] {
            assert_eq!(Change::from_name(Some(change.name())), change);
        }
        assert_eq!(Change::from_name(Some("something new")), Change::Stored);
        assert_eq!(Change::from_name(None), Change::Stored);
    }
}
