//! A `.zip` written the simplest way a browser hands a folder out (not Flink): every file stored uncompressed
//! with its CRC-32 (the blob trailer's, [`crc32`]), local headers, the central directory and its end record —
//! what [`read_zip`](super::zip_archive::read_zip) and every unzip tool read. The page zips a savepoint for Flink
//! and an exported job with it; their state files are already compact and the Java is small, so deflate would
//! buy little for its code. No Zip64: an archive over 4 GiB (or 65,535 files) is refused.

use crate::engine::checkpoint::checkpoint_blob::crc32;

/// Why an archive was not written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZipTooLarge;

crate::i18n::english_error!(ZipTooLarge => crate::i18n::messages::savepoint::zip_too_large);

/// DOS date 1980-01-01 00:00: the files carry no time, so equal files make equal archives.
const DOS_DATE: u16 = (1 << 5) | 1;

/// The archive of `files` (path with `/` separators, bytes), in their order.
pub fn write_zip<P: AsRef<str>, B: AsRef<[u8]>>(files: &[(P, B)]) -> Result<Vec<u8>, ZipTooLarge> {
    let count = u16::try_from(files.len()).map_err(|_| ZipTooLarge)?;
    let size: usize = files
        .iter()
        .map(|(p, b)| 76 + 2 * p.as_ref().len() + b.as_ref().len())
        .sum::<usize>()
        + 22;
    if size > u32::MAX as usize {
        return Err(ZipTooLarge);
    }
    let mut out = Vec::with_capacity(size);
    let mut central = Vec::new();
    for (path, bytes) in files {
        let (name, bytes) = (path.as_ref().as_bytes(), bytes.as_ref());
        let offset = out.len() as u32;
        let crc = crc32(bytes);
        // The fields a local header and a central directory record share, from "version needed" on.
        let mut common = Vec::with_capacity(26);
        for v in [10u16, 0x0800, 0, 0, DOS_DATE] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, bytes.len() as u32, bytes.len() as u32] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        common.extend_from_slice(&(name.len() as u16).to_le_bytes());
        common.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&common);
        out.extend_from_slice(name);
        out.extend_from_slice(bytes);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&common);
        // Comment length, disk, internal and external attributes, the local header's offset.
        central.extend_from_slice(&[0; 10]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let directory_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&directory_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::savepoint::zip_archive::{is_zip, read_zip};

    #[test]
    fn archive_reads_back_with_the_crates_reader() {
        let files = vec![
            (
                "_metadata".to_owned(),
                vec![0x49, 0x60, 0x67, 0x2d, 1, 2, 3],
            ),
            (
                "keyed-state-0".to_owned(),
                (0..=255u8).cycle().take(70_000).collect(),
            ),
            (
                "src/main/java/statelab/job/A.java".to_owned(),
                b"class A {}\n".to_vec(),
            ),
            ("empty".to_owned(), Vec::new()),
        ];
        let zip = write_zip(&files).unwrap();
        assert!(is_zip(&zip));
        assert_eq!(read_zip(&zip).unwrap(), files);
    }

    #[test]
    fn empty_archive_is_an_end_record_alone() {
        let zip = write_zip::<&str, &[u8]>(&[]).unwrap();
        assert_eq!(zip.len(), 22);
        assert_eq!(read_zip(&zip).unwrap(), Vec::new());
    }

    #[test]
    fn equal_files_make_equal_archives_and_a_flipped_byte_is_caught() {
        let files = [("a.txt", b"hello".as_slice())];
        let zip = write_zip(&files).unwrap();
        assert_eq!(zip, write_zip(&files).unwrap());
        let mut bad = zip.clone();
        bad[30 + 5] ^= 1;
        assert!(read_zip(&bad).is_err());
    }

    #[test]
    fn more_files_than_the_format_counts_are_refused() {
        let files: Vec<(String, Vec<u8>)> =
            (0..65_536).map(|i| (i.to_string(), Vec::new())).collect();
        assert_eq!(write_zip(&files), Err(ZipTooLarge));
    }
}
