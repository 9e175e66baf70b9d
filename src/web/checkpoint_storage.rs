//! Completed checkpoints kept in the browser's IndexedDB, the page's counterpart of Flink's checkpoint storage
//! (`FileSystemCheckpointStorage`): one database, two object stores written together.
//!
//! * `blobs`: the checkpoint blob (see `docs/checkpoint-format.md`) under its key;
//! * `checkpoints`: what the list shows of it (id, times, the job's line, layout, source positions, sizes per
//!   key group, where it came from) as JSON (`crate::player::stored_checkpoint`), under the same key. Small and bounded whatever the blob holds:
//!   a job's replayed keys stay in the blob, the record keeps their number.
//!
//! Every write is one read-write transaction — a checkpoint's two records, and the checkpoints it subsumes
//! removed with it — and is aborted as soon as anything in it fails, so a reload or a crash in the middle of a
//! write leaves either all of it or nothing (the role Flink's `_metadata` file, written last, plays). Listing
//! removes what an earlier version, a crash or a hand may have left half (a blob without its record, a record
//! without its blob, a record that does not read). A checkpoint's key names the job that took it
//! (`<job id>/<checkpoint id>`), so two tabs, each running its own job, never write over each other's
//! checkpoints; an imported blob is keyed by its content (SHA-256).

use crate::player::library_error::StorageError;
use crate::player::stored_checkpoint::StoredCheckpoint;
use idb::{
    Database, DatabaseEvent, Factory, ObjectStore, ObjectStoreParams, Transaction, TransactionMode,
    TransactionResult,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const DATABASE: &str = "statelab";
/// 2: small records, imports keyed by content, store and prune in one transaction. A tab of an earlier
/// StateLab that holds version 1 open blocks the upgrade until it closes (the page says so); a tab of this
/// version lets go when a newer one asks, and never touches a database a newer version wrote.
const VERSION: u32 = 2;
const BLOBS: &str = "blobs";
const METADATA: &str = "checkpoints";

fn failed(e: idb::Error) -> StorageError {
    StorageError::Failed(browser_reason(&e))
}

/// What the browser said went wrong, in its own words: the `DOMException` or error an IndexedDB call gave
/// (`String(error)`: its name and message). The `idb` crate's English account of which call it was never
/// reaches the page, whose words (`msg::storage_failed`, …) say that in the reader's language; an error of
/// the crate's own, without the browser's, is named by a short identifier.
fn browser_reason(e: &idb::Error) -> String {
    use idb::Error as E;
    let value = match e {
        E::DomException(d) => return format!("{}: {}", d.name(), d.message()),
        E::AddFailed(v)
        | E::ClearFailed(v)
        | E::CountFailed(v)
        | E::CursorAdvanceFailed(v)
        | E::CursorContinueFailed(v)
        | E::CursorKeyNotFound(v)
        | E::CursorPrimaryKeyNotFound(v)
        | E::CursorValueNotFound(v)
        | E::DeleteFailed(v)
        | E::GetAllFailed(v)
        | E::GetAllKeysFailed(v)
        | E::GetFailed(v)
        | E::GetKeyFailed(v)
        | E::IndexCreateFailed(v)
        | E::IndexDeleteFailed(v)
        | E::IndexedDbDeleteFailed(v)
        | E::IndexedDbNotFound(v)
        | E::IndexedDbOpenFailed(v)
        | E::IndexNotFound(v)
        | E::KeyPathNotFound(v)
        | E::KeyRangeBoundNotFound(v)
        | E::KeyRangeCreateFailed(v)
        | E::KeyRangeIncludesFailed(v)
        | E::ObjectStoreCreateFailed(v)
        | E::ObjectStoreDeleteFailed(v)
        | E::ObjectStoreNotFound(v)
        | E::OpenCursorFailed(v)
        | E::OpenKeyCursorFailed(v)
        | E::RequestErrorNotFound(v)
        | E::RequestResultNotFound(v)
        | E::TransactionAbortError(v)
        | E::TransactionCommitError(v)
        | E::TransactionModeNotFound(v)
        | E::TransactionOpenFailed(v)
        | E::UpdateFailed(v)
        | E::UnexpectedJsType(_, v) => v,
        _ => return "IndexedDB".to_owned(),
    };
    if value.is_undefined() || value.is_null() {
        return "IndexedDB".to_owned();
    }
    String::from(value.unchecked_ref::<js_sys::Object>().to_string())
}

/// The name of a DOM exception an IndexedDB error carries (`QuotaExceededError`, …).
fn exception_name(e: &idb::Error) -> Option<String> {
    match e {
        idb::Error::DomException(d) => Some(d.name()),
        _ => None,
    }
}

/// How much the page stores and may store, as `navigator.storage.estimate()` says (in the library's worker).
pub async fn estimate() -> (Option<f64>, Option<f64>) {
    let Ok(scope) = js_sys::global().dyn_into::<web_sys::WorkerGlobalScope>() else {
        return (None, None);
    };
    let storage = scope.navigator().storage();
    let Ok(promise) = storage.estimate() else {
        return (None, None);
    };
    let Ok(value) = JsFuture::from(promise).await else {
        return (None, None);
    };
    let number = |name: &str| {
        js_sys::Reflect::get(&value, &name.into())
            .ok()
            .and_then(|v| v.as_f64())
    };
    (number("usage"), number("quota"))
}

/// What listing found: the stored checkpoints (newest first) and how many damaged ones it removed.
pub struct Swept {
    pub entries: Vec<StoredCheckpoint>,
    pub removed: usize,
}

/// A record as stored: its key and its JSON, if both are strings.
fn text_of(key: &JsValue, value: &JsValue) -> Option<(String, String)> {
    Some((key.as_string()?, value.as_string()?))
}

/// A metadata record that reads, under its own key.
fn parse_record(key: &str, json: &str) -> Option<StoredCheckpoint> {
    StoredCheckpoint::from_json(json).filter(|c| c.key == key)
}

/// Newest first, equal times in the order read: a stable insertion sort (a handful of records; the standard
/// library's sort is not in the page's wasm for this one list: BENCHMARKS.md, "Size budget").
fn newest_first(list: &mut [StoredCheckpoint]) {
    for i in 1..list.len() {
        let mut j = i;
        while j > 0
            && list[j - 1]
                .stored_at_ms
                .total_cmp(&list[j].stored_at_ms)
                .is_lt()
        {
            list.swap(j - 1, j);
            j -= 1;
        }
    }
}

fn string_keys(keys: Vec<JsValue>) -> impl Iterator<Item = String> {
    keys.into_iter().filter_map(|k| k.as_string())
}

/// The blob under `key` in `store`, if there is one.
async fn read_blob(store: &ObjectStore, key: JsValue) -> Result<Option<Vec<u8>>, StorageError> {
    let value = store.get(key).map_err(failed)?.await.map_err(failed)?;
    Ok(value
        .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
        .map(|a| a.to_vec()))
}

/// The keys a job's checkpoints are stored under in `store`.
async fn job_keys(store: &ObjectStore, job_id: &str) -> Result<Vec<String>, StorageError> {
    let prefix = format!("{job_id}/");
    let keys = store
        .get_all_keys(None, None)
        .map_err(failed)?
        .await
        .map_err(failed)?;
    Ok(string_keys(keys)
        .filter(|k| k.starts_with(&prefix))
        .collect())
}

/// The page's checkpoint database.
#[derive(Clone)]
pub struct CheckpointStorage {
    database: std::rc::Rc<Database>,
}

impl CheckpointStorage {
    /// Whether both handles are the same open database.
    pub fn same_database(&self, other: &CheckpointStorage) -> bool {
        std::rc::Rc::ptr_eq(&self.database, &other.database)
    }

    /// Opens the database. `blocked` runs when a tab holding an older version open keeps the upgrade waiting
    /// (opening goes on once that tab lets go); `closed` runs when another tab asks for a newer version or to
    /// delete the database: this connection is closed first, so that tab is not kept waiting.
    pub async fn open(
        blocked: impl FnOnce() + 'static,
        closed: impl FnOnce() + 'static,
    ) -> Result<Self, StorageError> {
        let factory = Factory::new().map_err(|e| StorageError::Unavailable(browser_reason(&e)))?;
        let mut request = factory
            .open(DATABASE, Some(VERSION))
            .map_err(|e| StorageError::Unavailable(browser_reason(&e)))?;
        request.on_upgrade_needed(|event| {
            let Ok(database) = event.database() else {
                return;
            };
            let names = database.store_names();
            for store in [BLOBS, METADATA] {
                if !names.iter().any(|n| n == store) {
                    // Keys are given with each record (out-of-line).
                    let _ = database.create_object_store(store, ObjectStoreParams::new());
                }
            }
        });
        request.on_blocked(move |_| blocked());
        let mut database = request
            .await
            .map_err(|e| match exception_name(&e).as_deref() {
                Some("VersionError") => StorageError::NewerVersion,
                _ => StorageError::Unavailable(browser_reason(&e)),
            })?;
        database.on_version_change(move |event| {
            if let Some(database) = event
                .target()
                .and_then(|target| Database::try_from(target).ok())
            {
                database.close();
            }
            closed();
        });
        Ok(CheckpointStorage {
            database: std::rc::Rc::new(database),
        })
    }

    fn begin(&self, mode: TransactionMode) -> Result<Transaction, StorageError> {
        self.database
            .transaction(&[BLOBS, METADATA], mode)
            .map_err(failed)
    }

    /// Commits a read-write transaction whose requests all went in (`result` is `Ok`), or aborts it when one
    /// did not, so that none of them takes effect.
    async fn finish<T>(
        &self,
        tx: Transaction,
        result: Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let value = match result {
            Ok(value) => value,
            Err(e) => {
                // Fails only when the browser aborted it already.
                let _ = tx.abort();
                return Err(e);
            }
        };
        let handle = tx
            .object_store(METADATA)
            .map(|store| web_sys::IdbTransaction::from(store.transaction()));
        let outcome = match tx.commit() {
            Ok(tx) => tx.await,
            Err(e) => return Err(failed(e)),
        };
        let handle = handle.ok();
        if let Some(handle) = &handle {
            // The outcome is known, and the handlers that told it are gone: the events still to come (the
            // rest of an abort) must not call them.
            handle.set_onerror(None);
            handle.set_onabort(None);
            handle.set_oncomplete(None);
        }
        // An aborted transaction's error says why (`QuotaExceededError`), also when its requests failed first.
        let name = handle.and_then(|h| h.error()).map(|e| e.name());
        match outcome {
            Ok(TransactionResult::Committed) => Ok(value),
            Ok(TransactionResult::Aborted) => Err(self.write_error(name).await),
            Err(e) => Err(self.write_error(name.or_else(|| exception_name(&e))).await),
        }
    }

    async fn write_error(&self, name: Option<String>) -> StorageError {
        match name.as_deref() {
            Some("QuotaExceededError") => {
                let (usage, quota) = estimate().await;
                StorageError::QuotaExceeded { usage, quota }
            }
            other => StorageError::WriteAborted(other.map(str::to_owned)),
        }
    }

    /// Every stored checkpoint, newest first — and, in the same transaction, what is not a whole one removed:
    /// a blob without its record, a record without its blob, a record that does not read (how many is said).
    /// Records of earlier versions (which held the whole job configuration instead) list without the job's
    /// line, read without it.
    pub async fn list(&self) -> Result<Swept, StorageError> {
        let tx = self.begin(TransactionMode::ReadWrite)?;
        let result = async {
            let metadata = tx.object_store(METADATA).map_err(failed)?;
            let blobs = tx.object_store(BLOBS).map_err(failed)?;
            let keys = metadata
                .get_all_keys(None, None)
                .map_err(failed)?
                .await
                .map_err(failed)?;
            let values = metadata
                .get_all(None, None)
                .map_err(failed)?
                .await
                .map_err(failed)?;
            let blob_keys = blobs
                .get_all_keys(None, None)
                .map_err(failed)?
                .await
                .map_err(failed)?;
            // A handful of keys: plain lists are enough (and keep the page small).
            let with_blob: Vec<String> = string_keys(blob_keys.clone()).collect();
            let described: Vec<String> = string_keys(keys.clone()).collect();
            let mut entries = Vec::new();
            let mut removed = 0;
            for (key, value) in keys.iter().zip(&values) {
                let whole = text_of(key, value)
                    .filter(|(key, _)| with_blob.contains(key))
                    .and_then(|(key, json)| parse_record(&key, &json));
                match whole {
                    Some(checkpoint) => entries.push(checkpoint),
                    None => {
                        removed += 1;
                        drop(metadata.delete(key.clone()).map_err(failed)?);
                    }
                }
            }
            for key in blob_keys {
                let name = key.as_string();
                if name
                    .as_deref()
                    .is_some_and(|k| entries.iter().any(|c| c.key == k))
                {
                    continue;
                }
                // A blob whose record was just removed was counted with it.
                if !name.is_some_and(|k| described.contains(&k)) {
                    removed += 1;
                }
                drop(blobs.delete(key).map_err(failed)?);
            }
            newest_first(&mut entries);
            Ok(Swept { entries, removed })
        }
        .await;
        self.finish(tx, result).await
    }

    /// Writes a blob and its metadata in one transaction: both or neither. With `prune` (a job id and its
    /// retained count), the same transaction removes the job's stored checkpoints beyond the newest `retained`
    /// (this one counted), as Flink's `CompletedCheckpointStore` subsumes them: an interrupted write leaves the
    /// set as it was, never the new checkpoint beside ones it should have replaced.
    pub async fn put(
        &self,
        checkpoint: &StoredCheckpoint,
        blob: &[u8],
        prune: Option<(&str, usize)>,
    ) -> Result<(), StorageError> {
        let json = checkpoint.to_json();
        let tx = self.begin(TransactionMode::ReadWrite)?;
        let result = async {
            let blobs = tx.object_store(BLOBS).map_err(failed)?;
            let metadata = tx.object_store(METADATA).map_err(failed)?;
            let mut subsumed = Vec::new();
            if let Some((job_id, retained)) = prune {
                // Either half of a job's checkpoint counts (after a listing both are there or neither).
                let mut others: Vec<String> = Vec::new();
                for store in [&metadata, &blobs] {
                    for key in job_keys(store, job_id).await? {
                        if key != checkpoint.key && !others.contains(&key) {
                            others.push(key);
                        }
                    }
                }
                // Keys sort by checkpoint id within a job: the new one and the `retained - 1` newest others stay.
                let keep = retained.saturating_sub(1);
                for key in &others {
                    if others.iter().filter(|other| *other > key).count() >= keep {
                        subsumed.push(key.clone());
                    }
                }
            }
            let key = JsValue::from_str(&checkpoint.key);
            // The requests run with the transaction; its outcome says whether they took effect.
            drop(
                blobs
                    .put(&js_sys::Uint8Array::from(blob), Some(&key))
                    .map_err(failed)?,
            );
            drop(
                metadata
                    .put(&JsValue::from_str(&json), Some(&key))
                    .map_err(failed)?,
            );
            for key in &subsumed {
                for store in [&blobs, &metadata] {
                    drop(store.delete(JsValue::from_str(key)).map_err(failed)?);
                }
            }
            Ok(())
        }
        .await;
        self.finish(tx, result).await
    }

    /// The blob stored under `key`.
    pub async fn blob(&self, key: &str) -> Result<Vec<u8>, StorageError> {
        let tx = self
            .database
            .transaction(&[BLOBS], TransactionMode::ReadOnly)
            .map_err(failed)?;
        let store = tx.object_store(BLOBS).map_err(failed)?;
        read_blob(&store, JsValue::from_str(key))
            .await?
            .ok_or_else(|| StorageError::NotFound(key.to_owned()))
    }

    /// Removes checkpoints, blob and metadata together.
    pub async fn delete(&self, keys: &[String]) -> Result<(), StorageError> {
        if keys.is_empty() {
            return Ok(());
        }
        let tx = self.begin(TransactionMode::ReadWrite)?;
        let result = async {
            for store in [BLOBS, METADATA] {
                let store = tx.object_store(store).map_err(failed)?;
                for key in keys {
                    drop(store.delete(JsValue::from_str(key)).map_err(failed)?);
                }
            }
            Ok(())
        }
        .await;
        match self.finish(tx, result).await {
            Err(StorageError::WriteAborted(_)) => Err(StorageError::DeleteAborted),
            other => other,
        }
    }
}
