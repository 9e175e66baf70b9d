//! Remembered choices (language, theme) in `localStorage`, each a short ASCII word stored as a JSON string
//! (`"dark"`), the form earlier versions wrote through gloo's `serde_json` storage — read and written here by
//! hand, so that the page carries no JSON serializer for two words, and tabs of either version read each other's.

use gloo::storage::{LocalStorage, Storage};

/// The word stored under `key`, if there is one in the form this module writes.
pub fn get(key: &str) -> Option<String> {
    let stored = LocalStorage::raw().get_item(key).ok().flatten()?;
    let word = stored.strip_prefix('"')?.strip_suffix('"')?;
    (!word.contains(['"', '\\'])).then(|| word.to_owned())
}

/// Stores `word` (ASCII, without quotes or backslashes) under `key`; losing it (private mode, quota) only
/// means the default next time.
pub fn set(key: &str, word: &str) {
    let _ = LocalStorage::raw().set_item(key, &format!("\"{word}\""));
}
