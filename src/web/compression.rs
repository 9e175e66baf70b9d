//! Checkpoint blobs compressed by the browser: the checkpoint library's worker deflates a blob's parts with
//! `CompressionStream` after the engine writes it, and inflates them with `DecompressionStream` before the
//! engine reads one ([`BlobParts`]), so that no deflate code of its own is in the wasm (the engine's miniz_oxide
//! is only native: `checkpoint_blob::DEFLATES`). The blobs are the same format as the command line's, with the
//! browser's zlib in place of miniz_oxide: either opens the other's. Both run in the browser's own code, off
//! the wasm's stack. (Bound by hand to the global constructors: the worker is a classic script, which cannot
//! import a JavaScript module of its own.)
//!
//! Inflating is bounded as the engine's reader bounds it: a part stops at the most it may inflate to (a
//! section's declared raw length, the metadata's cap), and what does not inflate to exactly that is refused
//! with the reader's error.

use crate::engine::checkpoint::blob_parts::{BlobParts, InflateFailure};
use crate::engine::checkpoint::checkpoint_blob::BlobError;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, ReadableStreamDefaultReader, ReadableWritablePair, Response};

#[wasm_bindgen]
extern "C" {
    /// `CompressionStream` or `DecompressionStream`: a transform of bytes.
    type Transform;
    #[wasm_bindgen(constructor, js_class = "CompressionStream", catch)]
    fn deflate(format: &str) -> Result<Transform, JsValue>;
    #[wasm_bindgen(constructor, js_class = "DecompressionStream", catch)]
    fn inflate(format: &str) -> Result<Transform, JsValue>;
}

/// `part` through a transform, as a stream.
fn through(part: &[u8], transform: Transform) -> Result<ReadableStream, JsValue> {
    let mut bytes = part.to_vec();
    let source = Response::new_with_opt_u8_array(Some(&mut bytes))?
        .body()
        .ok_or(JsValue::NULL)?;
    Ok(source.pipe_through(transform.unchecked_ref::<ReadableWritablePair>()))
}

/// A part deflated (raw deflate, zlib's default level).
async fn deflate_part(part: &[u8]) -> Result<Vec<u8>, JsValue> {
    let stream = through(part, Transform::deflate("deflate-raw")?)?;
    let buffer =
        JsFuture::from(Response::new_with_opt_readable_stream(Some(&stream))?.array_buffer()?)
            .await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// A part inflated, stopped beyond `max` bytes.
async fn inflate_part(part: &[u8], max: u64) -> Result<Vec<u8>, InflateFailure> {
    let stream = Transform::inflate("deflate-raw")
        .and_then(|t| through(part, t))
        .map_err(|_| InflateFailure::Invalid)?;
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| InflateFailure::Invalid)?;
        if Reflect::get(&chunk, &"done".into()).is_ok_and(|d| d.is_truthy()) {
            return Ok(out);
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(|_| InflateFailure::Invalid)?
            .unchecked_into();
        if out.len() as u64 + u64::from(value.length()) > max {
            let _ = reader.cancel();
            return Err(InflateFailure::TooLong { max });
        }
        out.extend_from_slice(&value.to_vec());
    }
}

/// The blob with its parts deflated where that makes them smaller; the blob as it is when the browser cannot
/// (it is as valid, only larger).
pub async fn deflated(blob: Vec<u8>) -> Vec<u8> {
    let Ok(mut parts) = BlobParts::parse(&blob) else {
        return blob;
    };
    for part in parts.to_deflate() {
        match deflate_part(parts.stored(part)).await {
            Ok(bytes) => parts.set_deflated(part, bytes),
            Err(_) => return blob,
        }
    }
    parts.to_blob()
}

/// The blob with its deflated parts inflated, as the engine's reader takes it (`None`: nothing to inflate), or
/// why it cannot be (its framing, or a part that does not inflate to what it claims).
pub async fn inflated(blob: &[u8]) -> Result<Option<Vec<u8>>, BlobError> {
    let mut parts = BlobParts::parse(blob)?;
    let which = parts.to_inflate();
    if which.is_empty() {
        return Ok(None);
    }
    for (part, max) in which {
        let result = inflate_part(parts.stored(part), max).await;
        parts.set_inflated(part, result)?;
    }
    Ok(Some(parts.to_blob()))
}
