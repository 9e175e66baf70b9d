//! A `.zip` of a snapshot directory, read defensively (not Flink: how a browser hands StateLab a folder). The
//! central directory is read from the end-of-central-directory record; stored and deflated entries are taken
//! (deflate by `miniz_oxide`, bounded by the entry's declared size), each checked against its CRC-32. Zip64,
//! encryption and other methods are refused with a reason. Entry and byte counts are capped.

use crate::engine::savepoint::savepoint_error::{
    excerpt, Counted, SavepointError, SavepointLimit, ZipProblem,
};

/// At most this many entries.
pub const MAX_ENTRIES: u64 = 100_000;
/// At most this many bytes unpacked, all entries together.
pub const MAX_UNPACKED_BYTES: u64 = 1 << 30;

const EOCD: u32 = 0x0605_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const LOCAL: u32 = 0x0403_4b50;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Whether `bytes` look like a zip archive (a local file header or an empty archive's record first).
pub fn is_zip(bytes: &[u8]) -> bool {
    matches!(u32_at(bytes, 0), Some(LOCAL) | Some(EOCD))
}

/// Every file of the archive (directories left out): its path and its bytes.
pub fn read_zip(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, SavepointError> {
    let directory = || SavepointError::Zip(ZipProblem::Directory);
    // The record is 22 bytes plus a comment of at most 65535.
    let lowest = bytes.len().saturating_sub(22 + 65_535);
    let eocd = (lowest..=bytes.len().saturating_sub(22))
        .rev()
        .find(|&i| u32_at(bytes, i) == Some(EOCD))
        .ok_or(SavepointError::Zip(ZipProblem::NoDirectory))?;
    let count = u64::from(u16_at(bytes, eocd + 10).ok_or_else(directory)?);
    let cd_offset = u32_at(bytes, eocd + 16).ok_or_else(directory)? as usize;
    if count > MAX_ENTRIES {
        return Err(SavepointLimit::Count {
            what: Counted::Entries,
            count,
            max: MAX_ENTRIES,
        }
        .into());
    }
    let mut files = Vec::new();
    let mut unpacked = 0u64;
    let mut at = cd_offset;
    for _ in 0..count {
        if u32_at(bytes, at) != Some(CENTRAL) {
            return Err(directory());
        }
        let flags = u16_at(bytes, at + 8).ok_or_else(directory)?;
        let method = u16_at(bytes, at + 10).ok_or_else(directory)?;
        let crc = u32_at(bytes, at + 16).ok_or_else(directory)?;
        let compressed = u32_at(bytes, at + 20).ok_or_else(directory)? as usize;
        let size = u32_at(bytes, at + 24).ok_or_else(directory)? as usize;
        let name_len = usize::from(u16_at(bytes, at + 28).ok_or_else(directory)?);
        let extra_len = usize::from(u16_at(bytes, at + 30).ok_or_else(directory)?);
        let comment_len = usize::from(u16_at(bytes, at + 32).ok_or_else(directory)?);
        let local = u32_at(bytes, at + 42).ok_or_else(directory)? as usize;
        let name_bytes = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(directory)?;
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        at += 46 + name_len + extra_len + comment_len;
        if name.ends_with('/') {
            continue;
        }
        if flags & 1 != 0 {
            return Err(ZipProblem::Encrypted(excerpt(&name)).into());
        }
        if compressed == u32::MAX as usize || size == u32::MAX as usize {
            return Err(directory()); // Zip64
        }
        unpacked += size as u64;
        if unpacked > MAX_UNPACKED_BYTES {
            return Err(SavepointLimit::Files {
                max: MAX_UNPACKED_BYTES,
            }
            .into());
        }
        if u32_at(bytes, local) != Some(LOCAL) {
            return Err(directory());
        }
        let local_name = usize::from(u16_at(bytes, local + 26).ok_or_else(directory)?);
        let local_extra = usize::from(u16_at(bytes, local + 28).ok_or_else(directory)?);
        let start = local + 30 + local_name + local_extra;
        let data = bytes.get(start..start + compressed).ok_or_else(directory)?;
        let content = match method {
            0 if compressed == size => data.to_vec(),
            0 => return Err(directory()),
            8 => {
                let out = miniz_oxide::inflate::decompress_to_vec_with_limit(data, size)
                    .map_err(|_| ZipProblem::Inflate(excerpt(&name)))?;
                if out.len() != size {
                    return Err(ZipProblem::Inflate(excerpt(&name)).into());
                }
                out
            }
            m => {
                return Err(ZipProblem::Method {
                    name: excerpt(&name),
                    method: m,
                }
                .into())
            }
        };
        if crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC).checksum(&content) != crc {
            return Err(ZipProblem::Checksum(excerpt(&name)).into());
        }
        files.push((name, content));
    }
    Ok(files)
}
