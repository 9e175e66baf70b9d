//! Completed checkpoints kept in the browser's IndexedDB, the page's counterpart of Flink's checkpoint storage
//! (`FileSystemCheckpointStorage`): one database, two object stores written together.
//!
//! * `blobs`: the checkpoint blob (see `docs/checkpoint-format.md`) under its key;
//! * `checkpoints`: its metadata (id, times, job configuration, layout, source positions, sizes per key
//!   group, where it came from) as JSON, under the same key.
//!
//! Both records are written in one read-write transaction, so a reload or a crash in the middle of a write
//! leaves either the whole checkpoint or nothing — the role Flink's `_metadata` file, written last, plays.
//! A checkpoint's key names the job that took it (`<job id>/<checkpoint id>`), so two tabs, each running its
//! own job, never write over each other's checkpoints; an imported blob is keyed by its content.

use super::format;
use crate::engine::checkpoint_blob::BlobReader;
use crate::engine::data_generator_source::SplitPosition;
use crate::engine::job_config::JobConfig;
use crate::i18n::messages::storage as msg;
use crate::i18n::Lang;
use idb::{
    Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode, TransactionResult,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const DATABASE: &str = "statelab";
const VERSION: u32 = 1;
const BLOBS: &str = "blobs";
const METADATA: &str = "checkpoints";

/// Where a stored checkpoint came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CheckpointOrigin {
    /// Taken by a job running in this browser (this tab or another, now or before a reload).
    #[serde(rename_all = "camelCase")]
    Job { job_id: String },
    /// Imported from a file.
    File { name: String },
    /// Imported from a share link.
    Link,
}

/// What the list shows of a stored checkpoint, kept beside its blob.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredCheckpoint {
    pub key: String,
    pub origin: CheckpointOrigin,
    /// Wall-clock time it was stored (ms since the epoch).
    pub stored_at_ms: f64,
    pub checkpoint_id: u64,
    pub completion_time_ns: u64,
    pub job: JobConfig,
    pub parallelism: u32,
    pub max_parallelism: u32,
    pub source_positions: Vec<SplitPosition>,
    /// Checkpointed data size as Flink reports it.
    pub state_size: u64,
    pub entries: u64,
    pub blob_bytes: u64,
    /// Entries per key group (index = key group).
    pub key_group_entries: Vec<u32>,
}

impl StoredCheckpoint {
    /// The metadata of a validated blob.
    pub fn describe(key: String, origin: CheckpointOrigin, reader: &BlobReader<'_>) -> Self {
        let m = reader.metadata();
        StoredCheckpoint {
            key,
            origin,
            stored_at_ms: js_sys::Date::now(),
            checkpoint_id: m.checkpoint_id,
            completion_time_ns: m.completion_time_ns,
            job: m.job.clone(),
            parallelism: m.parallelism,
            max_parallelism: m.max_parallelism,
            source_positions: m.source_positions.clone(),
            state_size: m.flink_state_size,
            entries: m.entries,
            blob_bytes: reader.len() as u64,
            key_group_entries: reader.sections().iter().map(|s| s.entries).collect(),
        }
    }

    /// Events the sources had emitted at the checkpoint.
    pub fn source_position(&self) -> u64 {
        self.source_positions
            .iter()
            .map(|p| p.generated + p.injected)
            .sum()
    }

    pub fn job_id(&self) -> Option<&str> {
        match &self.origin {
            CheckpointOrigin::Job { job_id } => Some(job_id),
            _ => None,
        }
    }
}

/// The key of a checkpoint a job took: sorts by job, then by checkpoint id.
pub fn job_checkpoint_key(job_id: &str, checkpoint_id: u64) -> String {
    format!("{job_id}/{checkpoint_id:020}")
}

/// The key of an imported blob: the same blob imported twice is stored once.
pub fn imported_key(blob: &[u8]) -> String {
    format!("import/{:08x}-{}", crc32fast::hash(blob), blob.len())
}

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
    /// An IndexedDB request failed, in the browser's words.
    Failed(String),
    /// A write's transaction was aborted, with the name of the browser's exception when it gave one.
    WriteAborted(Option<String>),
    /// Deleting's transaction was aborted: nothing was removed.
    DeleteAborted,
    /// No blob is stored under this key.
    NotFound(String),
}

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
            StorageError::Failed(why) => msg::storage_failed(l, why),
            StorageError::WriteAborted(Some(name)) => {
                msg::storage_failed(l, &msg::write_aborted_by(l, name))
            }
            StorageError::WriteAborted(None) => msg::storage_failed(l, l.t(&msg::WRITE_ABORTED)),
            StorageError::DeleteAborted => msg::storage_failed(l, l.t(&msg::DELETE_ABORTED)),
            StorageError::NotFound(key) => msg::storage_failed(l, &msg::not_found(l, key)),
        }
    }
}

fn failed(e: impl std::fmt::Display) -> StorageError {
    StorageError::Failed(e.to_string())
}

/// The name of a DOM exception an IndexedDB error carries (`QuotaExceededError`, …).
fn exception_name(e: &idb::Error) -> Option<String> {
    match e {
        idb::Error::DomException(d) => Some(d.name()),
        _ => None,
    }
}

/// How much the page stores and may store, as `navigator.storage.estimate()` says.
pub async fn estimate() -> (Option<f64>, Option<f64>) {
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
        return (None, None);
    };
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

/// Asks the browser to keep the page's storage under storage pressure (`navigator.storage.persist()`);
/// `Some(true)` when it will.
pub async fn request_persistence() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    if let Ok(p) = storage.persisted() {
        if JsFuture::from(p).await.ok()?.as_bool() == Some(true) {
            return Some(true);
        }
    }
    JsFuture::from(storage.persist().ok()?)
        .await
        .ok()?
        .as_bool()
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

    pub async fn open() -> Result<Self, StorageError> {
        let factory = Factory::new().map_err(|e| StorageError::Unavailable(e.to_string()))?;
        let mut request = factory
            .open(DATABASE, Some(VERSION))
            .map_err(|e| StorageError::Unavailable(e.to_string()))?;
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
        let database = request
            .await
            .map_err(|e| StorageError::Unavailable(e.to_string()))?;
        Ok(CheckpointStorage {
            database: std::rc::Rc::new(database),
        })
    }

    /// Every stored checkpoint whose blob is there too, newest first.
    pub async fn list(&self) -> Result<Vec<StoredCheckpoint>, StorageError> {
        let tx = self
            .database
            .transaction(&[METADATA, BLOBS], TransactionMode::ReadOnly)
            .map_err(failed)?;
        let metadata = tx.object_store(METADATA).map_err(failed)?;
        let blobs = tx.object_store(BLOBS).map_err(failed)?;
        let values = metadata
            .get_all(None, None)
            .map_err(failed)?
            .await
            .map_err(failed)?;
        let blob_keys: std::collections::HashSet<String> = blobs
            .get_all_keys(None, None)
            .map_err(failed)?
            .await
            .map_err(failed)?
            .into_iter()
            .filter_map(|k| k.as_string())
            .collect();
        tx.await.map_err(failed)?;
        let mut list: Vec<StoredCheckpoint> = values
            .into_iter()
            .filter_map(|v| v.as_string())
            // from_slice, like the blob reader: one JSON deserializer in the wasm, not two.
            .filter_map(|json| serde_json::from_slice::<StoredCheckpoint>(json.as_bytes()).ok())
            .filter(|c| blob_keys.contains(&c.key))
            .collect();
        list.sort_by(|a, b| b.stored_at_ms.total_cmp(&a.stored_at_ms));
        Ok(list)
    }

    /// Writes a blob and its metadata in one transaction: both or neither.
    pub async fn put(
        &self,
        checkpoint: &StoredCheckpoint,
        blob: &[u8],
    ) -> Result<(), StorageError> {
        let json = serde_json::to_string(checkpoint).map_err(failed)?;
        let tx = self
            .database
            .transaction(&[BLOBS, METADATA], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let blobs = tx.object_store(BLOBS).map_err(failed)?;
        let metadata = tx.object_store(METADATA).map_err(failed)?;
        let key = JsValue::from_str(&checkpoint.key);
        let bytes = js_sys::Uint8Array::from(blob);
        // The requests run with the transaction; its outcome says whether they took effect.
        drop(blobs.put(&bytes, Some(&key)).map_err(failed)?);
        drop(
            metadata
                .put(&JsValue::from_str(&json), Some(&key))
                .map_err(failed)?,
        );
        let handle = metadata.transaction();
        match tx.commit().map_err(failed)?.await {
            Ok(TransactionResult::Committed) => Ok(()),
            Ok(TransactionResult::Aborted) => {
                let name = handle.error().map(|e| e.name());
                Err(self.write_error(name).await)
            }
            Err(e) => Err(self.write_error(exception_name(&e)).await),
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

    /// The blob stored under `key`.
    pub async fn blob(&self, key: &str) -> Result<Vec<u8>, StorageError> {
        let tx = self
            .database
            .transaction(&[BLOBS], TransactionMode::ReadOnly)
            .map_err(failed)?;
        let value = tx
            .object_store(BLOBS)
            .map_err(failed)?
            .get(JsValue::from_str(key))
            .map_err(failed)?
            .await
            .map_err(failed)?;
        let bytes = value
            .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
            .map(|a| a.to_vec())
            .ok_or_else(|| StorageError::NotFound(key.to_owned()))?;
        Ok(bytes)
    }

    /// Removes checkpoints, blob and metadata together.
    pub async fn delete(&self, keys: &[String]) -> Result<(), StorageError> {
        if keys.is_empty() {
            return Ok(());
        }
        let tx = self
            .database
            .transaction(&[BLOBS, METADATA], TransactionMode::ReadWrite)
            .map_err(failed)?;
        for store in [BLOBS, METADATA] {
            let store = tx.object_store(store).map_err(failed)?;
            for key in keys {
                drop(store.delete(JsValue::from_str(key)).map_err(failed)?);
            }
        }
        match tx.commit().map_err(failed)?.await {
            Ok(TransactionResult::Committed) => Ok(()),
            Ok(TransactionResult::Aborted) => Err(StorageError::DeleteAborted),
            Err(e) => Err(failed(e)),
        }
    }
}
