//! Checkpoint blobs compressed by the browser: the page deflates a blob's parts with `CompressionStream` after
//! the engine writes it, and inflates them with `DecompressionStream` before the engine reads one
//! ([`BlobParts`]), so that no deflate code of its own is in the page's wasm (the engine's miniz_oxide is only
//! native: `checkpoint_blob::DEFLATES`). The blobs are the same format as the command line's, with the
//! browser's zlib in place of miniz_oxide: either opens the other's. Both run in the browser's own code, off
//! the wasm's stack, all parts at once.
//!
//! Inflating is bounded as the engine's reader bounds it: a part stops at the most it may inflate to (a
//! section's declared raw length, the metadata's cap), and what does not inflate to exactly that is refused
//! with the reader's error.

use crate::engine::checkpoint::blob_parts::{BlobParts, InflateFailure};
use crate::engine::checkpoint::checkpoint_blob::BlobError;
use js_sys::{Array, Float64Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
export function deflate_parts(parts) {
  return Promise.all(parts.map(async (part) => {
    const stream = new Blob([part]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }));
}
async function inflate(part, max) {
  const reader = new Blob([part]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks = [];
  let n = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > max) {
        reader.cancel().catch(() => {});
        return -1;
      }
      chunks.push(value);
    }
  } catch (e) {
    return null;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
export function inflate_parts(parts, maxes) {
  return Promise.all(parts.map((part, i) => inflate(part, maxes[i])));
}"#)]
extern "C" {
    /// Each part (a `Uint8Array`) deflated (raw deflate, zlib's default level).
    fn deflate_parts(parts: &Array) -> js_sys::Promise;
    /// Each part inflated: its bytes, `-1` beyond its most, `null` when it does not inflate.
    fn inflate_parts(parts: &Array, maxes: &Float64Array) -> js_sys::Promise;
}

fn parts_array<'a>(parts: impl Iterator<Item = &'a [u8]>) -> Array {
    parts.map(|p| JsValue::from(Uint8Array::from(p))).collect()
}

/// The blob with its parts deflated where that makes them smaller; the blob as it is when the browser cannot
/// (it is as valid, only larger).
pub async fn deflated(blob: Vec<u8>) -> Vec<u8> {
    let Ok(mut parts) = BlobParts::parse(&blob) else {
        return blob;
    };
    let which = parts.to_deflate();
    let input = parts_array(which.iter().map(|&i| parts.stored(i)));
    let Ok(output) = JsFuture::from(deflate_parts(&input)).await else {
        return blob;
    };
    let output: Array = output.unchecked_into();
    for (&part, deflated) in which.iter().zip(output.iter()) {
        match deflated.dyn_into::<Uint8Array>() {
            Ok(bytes) => parts.set_deflated(part, bytes.to_vec()),
            Err(_) => return blob,
        }
    }
    parts.to_blob()
}

/// The blob with its deflated parts inflated, as the page's reader takes it (`None`: nothing to inflate), or
/// why it cannot be (its framing, or a part that does not inflate to what it claims).
pub async fn inflated(blob: &[u8]) -> Result<Option<Vec<u8>>, BlobError> {
    let mut parts = BlobParts::parse(blob)?;
    let which = parts.to_inflate();
    if which.is_empty() {
        return Ok(None);
    }
    let input = parts_array(which.iter().map(|&(i, _)| parts.stored(i)));
    let maxes: Vec<f64> = which.iter().map(|&(_, max)| max as f64).collect();
    let output: Array = JsFuture::from(inflate_parts(&input, &Float64Array::from(&maxes[..])))
        .await
        .map_or_else(|_| Array::new(), JsCast::unchecked_into);
    for (index, &(part, max)) in which.iter().enumerate() {
        let result = match output.get(index as u32).dyn_into::<Uint8Array>() {
            Ok(bytes) => Ok(bytes.to_vec()),
            Err(value) if value.as_f64() == Some(-1.0) => Err(InflateFailure::TooLong { max }),
            Err(_) => Err(InflateFailure::Invalid),
        };
        parts.set_inflated(part, result)?;
    }
    Ok(Some(parts.to_blob()))
}
