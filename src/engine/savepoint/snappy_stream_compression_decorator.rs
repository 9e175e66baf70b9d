//! `org.apache.flink.runtime.state.SnappyStreamCompressionDecorator`: with
//! `execution.checkpointing.snapshot-compression`, each key group's data (canonical format) or each state's
//! section of a key group (native format) is written through xerial's `SnappyFramedOutputStream` — the Snappy
//! framing format: a stream identifier chunk (`FF 06 00 00 "sNaPpY"`), then chunks of compressed (`00`) or
//! uncompressed (`01`) data, each with a 3-byte little-endian length and a masked CRC-32C. Flink reads them
//! without verifying the checksums (`SnappyFramedInputStream(in, false)`); so does StateLab. One framed stream
//! ends where the next stream identifier, or the bytes given, begin.

/// A chunk holds at most 64 KiB of data (the framing format's limit).
pub const MAX_CHUNK_BYTES: usize = 65_536;

const STREAM_IDENTIFIER: [u8; 10] = [0xFF, 0x06, 0x00, 0x00, b's', b'N', b'a', b'P', b'p', b'Y'];

/// Why a framed stream does not decompress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnappyError {
    /// Offset into the bytes given.
    pub offset: usize,
}

/// One framed stream from the start of `bytes`: its data and how many bytes it took. `max_out` bounds the data.
pub fn decompress_framed(bytes: &[u8], max_out: usize) -> Result<(Vec<u8>, usize), SnappyError> {
    if !bytes.starts_with(&STREAM_IDENTIFIER) {
        return Err(SnappyError { offset: 0 });
    }
    let mut pos = STREAM_IDENTIFIER.len();
    let mut out = Vec::new();
    while pos < bytes.len() && bytes[pos] != 0xFF {
        let err = SnappyError { offset: pos };
        let header = bytes.get(pos..pos + 4).ok_or(err)?;
        let kind = header[0];
        let len =
            usize::from(header[1]) | usize::from(header[2]) << 8 | usize::from(header[3]) << 16;
        let body = bytes.get(pos + 4..pos + 4 + len).ok_or(err)?;
        match kind {
            0x00 | 0x01 => {
                let data = body.get(4..).ok_or(err)?;
                let before = out.len();
                if kind == 0x00 {
                    decompress_block(data, &mut out, max_out).map_err(|_| err)?;
                } else {
                    out.extend_from_slice(data);
                }
                if out.len() - before > MAX_CHUNK_BYTES || out.len() > max_out {
                    return Err(err);
                }
            }
            // Padding and skippable chunks.
            0x80..=0xFE => {}
            _ => return Err(err),
        }
        pos += 4 + len;
    }
    Ok((out, pos))
}

fn varint(data: &[u8], pos: &mut usize) -> Option<usize> {
    let mut v = 0usize;
    for shift in (0..35).step_by(7) {
        let b = *data.get(*pos)?;
        *pos += 1;
        v |= usize::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

/// A raw Snappy block that does not decompress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockError;

/// A raw Snappy block appended to `out`.
pub fn decompress_block(data: &[u8], out: &mut Vec<u8>, max_out: usize) -> Result<(), BlockError> {
    let mut pos = 0;
    let expected = varint(data, &mut pos).ok_or(BlockError)?;
    if expected > MAX_CHUNK_BYTES || out.len() + expected > max_out {
        return Err(BlockError);
    }
    let start = out.len();
    out.reserve(expected);
    while pos < data.len() {
        let tag = data[pos];
        pos += 1;
        let le = |pos: &mut usize, n: usize| -> Result<usize, BlockError> {
            let b = data.get(*pos..*pos + n).ok_or(BlockError)?;
            *pos += n;
            Ok(b.iter()
                .rev()
                .fold(0usize, |acc, x| (acc << 8) | usize::from(*x)))
        };
        let (len, offset) = match tag & 3 {
            0 => {
                let mut len = usize::from(tag >> 2);
                if len >= 60 {
                    len = le(&mut pos, len - 59)?;
                }
                let len = len + 1;
                let lit = data.get(pos..pos + len).ok_or(BlockError)?;
                pos += len;
                if out.len() - start + len > expected {
                    return Err(BlockError);
                }
                out.extend_from_slice(lit);
                continue;
            }
            1 => (
                4 + usize::from((tag >> 2) & 7),
                usize::from(tag >> 5) << 8 | le(&mut pos, 1)?,
            ),
            2 => (1 + usize::from(tag >> 2), le(&mut pos, 2)?),
            _ => (1 + usize::from(tag >> 2), le(&mut pos, 4)?),
        };
        if offset == 0 || offset > out.len() - start || out.len() - start + len > expected {
            return Err(BlockError);
        }
        for _ in 0..len {
            out.push(out[out.len() - offset]);
        }
    }
    if out.len() - start != expected {
        return Err(BlockError);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_framed_stream_decompresses_literals_and_copies() {
        // "abcabcabcX": literal "abc", copy (len 6, offset 3), literal "X".
        let block = [10u8, 2 << 2, b'a', b'b', b'c', 0b0000_1001, 3, 0, b'X'];
        let mut framed = STREAM_IDENTIFIER.to_vec();
        let len = block.len() + 4;
        framed.extend([0x00, len as u8, 0, 0, 0, 0, 0, 0]);
        framed.extend(block);
        framed.extend([0x01, 6, 0, 0, 0, 0, 0, 0, b'!', b'!']);
        let (out, used) = decompress_framed(&framed, 1 << 20).unwrap();
        assert_eq!(out, b"abcabcabcX!!");
        assert_eq!(used, framed.len());
        // A copy reaching before the start, a length beyond the block: refused.
        assert!(decompress_block(&[4, 0b0000_1001, 9], &mut Vec::new(), 100).is_err());
        assert!(decompress_framed(&framed[..framed.len() - 1], 1 << 20).is_err());
    }
}
