//! Share links: a checkpoint blob carried in a page link's fragment, `…/#checkpoint=<base64url>`. The fragment
//! never reaches a server, so a link shares a checkpoint without uploading it anywhere. Links are for small
//! checkpoints (a few thousand keys); anything larger goes as a file.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::DecodeError;
use base64::Engine;

/// The fragment parameter that carries the blob.
pub const FRAGMENT_KEY: &str = "checkpoint";
/// The largest blob a link carries: 48 KiB, 64 KiB of base64 (about 10,000 `user-%d` keys).
pub const LINK_MAX_BLOB_BYTES: usize = 48 * 1024;
/// Anything longer than this many characters after `#checkpoint=` is refused before decoding.
const MAX_ENCODED_CHARS: usize = LINK_MAX_BLOB_BYTES.div_ceil(3) * 4;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    TooLarge {
        bytes: usize,
    },
    NoCheckpoint,
    TooLong {
        chars: usize,
        max: usize,
    },
    /// Its text stops being URL-safe base64 at this character (0-based: a character base64 has not, a last
    /// character that leaves bits over, or the text's length where no encoding is that long).
    BadEncoding(usize),
}

crate::i18n::english_error!(LinkError => crate::i18n::messages::errors::link);

/// The fragment (without `#`) of a link carrying `blob`.
pub fn fragment(blob: &[u8]) -> Result<String, LinkError> {
    if blob.len() > LINK_MAX_BLOB_BYTES {
        return Err(LinkError::TooLarge { bytes: blob.len() });
    }
    Ok(format!("{FRAGMENT_KEY}={}", URL_SAFE_NO_PAD.encode(blob)))
}

/// The blob a link carries. Accepts a whole link, a fragment with or without `#`, with surrounding whitespace.
pub fn blob_from_link(text: &str) -> Result<Vec<u8>, LinkError> {
    let text = text.trim();
    let fragment = text.split_once('#').map_or(text, |(_, f)| f);
    let encoded = fragment
        .split('&')
        .find_map(|part| part.strip_prefix(FRAGMENT_KEY)?.strip_prefix('='))
        .ok_or(LinkError::NoCheckpoint)?;
    if encoded.len() > MAX_ENCODED_CHARS {
        return Err(LinkError::TooLong {
            chars: encoded.len(),
            max: MAX_ENCODED_CHARS,
        });
    }
    URL_SAFE_NO_PAD.decode(encoded).map_err(|e| {
        LinkError::BadEncoding(match e {
            DecodeError::InvalidByte(at, _) | DecodeError::InvalidLastSymbol(at, _) => at,
            DecodeError::InvalidLength(_) | DecodeError::InvalidPadding => encoded.len(),
        })
    })
}

/// Whether a link's fragment carries a checkpoint.
pub fn carries_checkpoint(text: &str) -> bool {
    text.split_once('#').is_some_and(|(_, f)| {
        f.split('&')
            .any(|part| part.starts_with(&format!("{FRAGMENT_KEY}=")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_travels_through_a_link_and_back() {
        let blob: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
        let f = fragment(&blob).unwrap();
        assert!(f.starts_with("checkpoint="));
        assert!(f
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"=-_".contains(&b)));
        let link = format!("http://127.0.0.1:8080/index.html#{f}");
        assert!(carries_checkpoint(&link));
        assert_eq!(blob_from_link(&link).unwrap(), blob);
        assert_eq!(blob_from_link(&format!("  #{f}\n")).unwrap(), blob);
        assert_eq!(blob_from_link(&f).unwrap(), blob);
        assert_eq!(
            blob_from_link(&format!("http://x/#lesson=2&{f}")).unwrap(),
            blob
        );
    }

    #[test]
    fn links_are_for_small_checkpoints() {
        assert!(fragment(&vec![0; LINK_MAX_BLOB_BYTES]).is_ok());
        let err = fragment(&vec![0; LINK_MAX_BLOB_BYTES + 1]).unwrap_err();
        assert!(err.to_string().contains("export it as a file"), "{err}");
        let huge = format!("#checkpoint={}", "A".repeat(MAX_ENCODED_CHARS + 1));
        assert!(matches!(
            blob_from_link(&huge),
            Err(LinkError::TooLong { .. })
        ));
    }

    #[test]
    fn damaged_links_say_what_is_wrong() {
        assert_eq!(
            blob_from_link("http://x/index.html"),
            Err(LinkError::NoCheckpoint)
        );
        assert!(!carries_checkpoint("http://x/#lesson=1"));
        let err = blob_from_link("#checkpoint=ab$d").unwrap_err();
        assert_eq!(err, LinkError::BadEncoding(2), "the '$'");
        assert_eq!(
            err.to_string(),
            "the link is damaged from its character 3 on; copy it again, whole"
        );
        // A truncated link (one character lost) is not valid base64 of any length: damaged at its end.
        assert_eq!(
            blob_from_link("#checkpoint=QUJDR"),
            Err(LinkError::BadEncoding(5))
        );
        // A last character with bits left over.
        assert_eq!(
            blob_from_link("#checkpoint=QUJDRB"),
            Err(LinkError::BadEncoding(5))
        );
    }
}
