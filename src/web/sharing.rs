//! The edge for sharing checkpoints (the page's and the checkpoint library worker's): downloading a blob as a file, reading dropped or chosen files,
//! the clipboard, and the page link's `#checkpoint=` fragment (see [`crate::player::checkpoint_link`]).

use crate::engine::checkpoint::checkpoint_blob::FILE_EXTENSION;
use crate::player::checkpoint_link;
use crate::player::library_error::SharingError;
use gloo_file::futures::read_as_bytes;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `bytes` as a download named `name`.
pub fn download(name: &str, bytes: &[u8]) -> Result<(), SharingError> {
    download_blob(
        name,
        gloo_file::Blob::new_with_options(bytes, Some("application/octet-stream")),
    )
}

/// Offers a blob as a download named `name` (bytes that never were in the page's wasm memory: a savepoint
/// worker's file).
pub fn download_blob(name: &str, blob: gloo_file::Blob) -> Result<(), SharingError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(SharingError::NoDocument)?;
    let url = gloo_file::ObjectUrl::from(blob);
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| SharingError::NoAnchor)?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The browser reads the object URL after this returns; keep it alive for a while.
    gloo_timers::callback::Timeout::new(60_000, move || drop(url)).forget();
    Ok(())
}

/// The file name a checkpoint downloads as.
pub fn file_name(checkpoint_id: u64, keys: u64, parallelism: u32) -> String {
    format!("statelab-checkpoint-{checkpoint_id}-{keys}keys-p{parallelism}.{FILE_EXTENSION}")
}

/// The bytes of a file the user chose or dropped.
pub async fn read_file(file: web_sys::File) -> Result<Vec<u8>, SharingError> {
    let file = gloo_file::File::from(file);
    read_as_bytes(&file)
        .await
        .map_err(|e| SharingError::Unreadable(e.to_string()))
}

/// The files of a drop or of a file input.
pub fn files(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Puts `text` on the clipboard.
pub async fn copy_text(text: &str) -> Result<(), SharingError> {
    let clipboard = web_sys::window()
        .ok_or(SharingError::NoWindow)?
        .navigator()
        .clipboard();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| SharingError::ClipboardDenied)
}

/// The link to the page at `base` (its address without a fragment) that carries `blob`.
pub fn link_for(blob: &[u8], base: &str) -> Result<String, SharingError> {
    let fragment = checkpoint_link::fragment(blob).map_err(SharingError::Link)?;
    Ok(format!("{base}#{fragment}"))
}

/// The page's address without its fragment: where its share links point.
pub fn page_base() -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    format!(
        "{}{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    )
}

/// The page's own link, when it carries a checkpoint.
pub fn checkpoint_in_location() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    checkpoint_link::carries_checkpoint(&href).then_some(href)
}

/// Removes the fragment from the address bar without reloading, so a reload does not import it again.
pub fn clear_location_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
