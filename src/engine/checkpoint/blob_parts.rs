//! A checkpoint blob taken apart into its stored parts — the metadata and one section per key group — so that
//! each can be re-encoded on its own: inflated before the blob is read, deflated after it is written. Natively
//! [`checkpoint_blob`](super::checkpoint_blob) does both with miniz_oxide as it goes; the page leaves
//! miniz_oxide out of its wasm and hands the parts to the browser's `CompressionStream` and
//! `DecompressionStream` instead (`web::compression`), so its blobs are the same format with another
//! compressor's bytes.
//!
//! Taking a blob apart checks its framing as [`BlobReader::open`](super::checkpoint_blob::BlobReader::open)
//! does — length, checksum, caps, the section table — and bounds what each deflated part may inflate to: a
//! section exactly its declared raw length (itself capped, and at most 1032 times its stored length), the
//! metadata [`MAX_METADATA_INFLATED`]. An inflated part that is longer or shorter, or a stream that does not
//! inflate, is refused with the reader's own errors.

use crate::engine::checkpoint::blob_error::{BlobError, Limit, Malformed, SectionProblem};
use crate::engine::checkpoint::checkpoint_blob::{
    assemble, section, Frame, SectionInfo, MAX_METADATA_INFLATED, MIN_DEFLATED_SECTION,
};
use crate::engine::keys::key_group::KeyGroup;

const ENCODING_RAW: u8 = 0;
const ENCODING_DEFLATE: u8 = 1;

/// Which part of a blob: its metadata (0) or a key group's section (1 + key group).
pub type PartIndex = usize;

/// Why a deflated part could not be inflated, as whoever inflated it saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InflateFailure {
    /// It inflates to more than `max` bytes (stopped there).
    TooLong { max: u64 },
    /// It is not a deflate stream, or one that ends early or has bytes after its end.
    Invalid,
}

/// A blob's parts, as stored; see the module documentation.
#[derive(Clone, Debug)]
pub struct BlobParts {
    version: u16,
    metadata: Vec<u8>,
    metadata_deflated: bool,
    sections: Vec<(SectionInfo, Vec<u8>)>,
}

impl BlobParts {
    /// Takes a blob apart, checking its framing (see the module documentation).
    pub fn parse(blob: &[u8]) -> Result<Self, BlobError> {
        let frame = Frame::of(blob)?;
        let metadata_deflated = frame.metadata_deflated();
        let metadata = frame.metadata(blob).to_vec();
        if !metadata_deflated && metadata.len() > MAX_METADATA_INFLATED {
            return Err(Limit::MetadataInflated {
                max: MAX_METADATA_INFLATED as u64,
            }
            .into());
        }
        let sections = (0..frame.sections.len())
            .map(|i| (frame.sections[i], frame.section(blob, i).to_vec()))
            .collect();
        Ok(BlobParts {
            version: frame.version,
            metadata,
            metadata_deflated,
            sections,
        })
    }

    /// How many parts: the metadata and one per key group.
    pub fn len(&self) -> usize {
        1 + self.sections.len()
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// A part's stored bytes.
    pub fn stored(&self, part: PartIndex) -> &[u8] {
        match part {
            0 => &self.metadata,
            i => &self.sections[i - 1].1,
        }
    }

    fn deflated(&self, part: PartIndex) -> bool {
        match part {
            0 => self.metadata_deflated,
            i => self.sections[i - 1].0.encoding == ENCODING_DEFLATE,
        }
    }

    /// The deflated parts, each with the most it may inflate to.
    pub fn to_inflate(&self) -> Vec<(PartIndex, u64)> {
        (0..self.len())
            .filter(|&i| self.deflated(i))
            .map(|i| {
                let max = match i {
                    0 => MAX_METADATA_INFLATED as u64,
                    i => u64::from(self.sections[i - 1].0.raw_len),
                };
                (i, max)
            })
            .collect()
    }

    /// Puts in place what a deflated part inflated to — or refuses the blob, with the error the reader gives
    /// for that part: a section must inflate to exactly its declared raw length.
    pub fn set_inflated(
        &mut self,
        part: PartIndex,
        inflated: Result<Vec<u8>, InflateFailure>,
    ) -> Result<(), BlobError> {
        if part == 0 {
            self.metadata = inflated.map_err(|failure| match failure {
                InflateFailure::TooLong { .. } => BlobError::from(Limit::MetadataInflated {
                    max: MAX_METADATA_INFLATED as u64,
                }),
                InflateFailure::Invalid => Malformed::MetadataDeflate.into(),
            })?;
            if self.metadata.len() > MAX_METADATA_INFLATED {
                return Err(Limit::MetadataInflated {
                    max: MAX_METADATA_INFLATED as u64,
                }
                .into());
            }
            self.metadata_deflated = false;
            return Ok(());
        }
        // At most `UPPER_BOUND_MAX_PARALLELISM` sections: `part - 1` is a key group.
        let key_group = KeyGroup::try_from(part - 1).unwrap_or(KeyGroup::new(0));
        let (info, stored) = &mut self.sections[part - 1];
        let declared = info.raw_len;
        let problem = |p: SectionProblem| section(key_group, p);
        let raw = inflated.map_err(|failure| match failure {
            InflateFailure::TooLong { max } => problem(SectionProblem::Length {
                actual: max + 1,
                declared,
            }),
            InflateFailure::Invalid => problem(SectionProblem::Inflate),
        })?;
        if raw.len() as u64 != u64::from(declared) {
            return Err(problem(SectionProblem::Length {
                actual: raw.len() as u64,
                declared,
            }));
        }
        info.encoding = ENCODING_RAW;
        *stored = raw;
        Ok(())
    }

    /// The raw parts worth deflating: the metadata and the sections longer than 64 bytes (as the native
    /// writer deflates them).
    pub fn to_deflate(&self) -> Vec<PartIndex> {
        (0..self.len())
            .filter(|&i| {
                !self.deflated(i) && (i == 0 || self.stored(i).len() > MIN_DEFLATED_SECTION)
            })
            .collect()
    }

    /// Puts in place what a raw part deflated to: always for the metadata (as the native writer does), for a
    /// section only when it is smaller.
    pub fn set_deflated(&mut self, part: PartIndex, deflated: Vec<u8>) {
        if part == 0 {
            if !self.metadata_deflated {
                self.metadata = deflated;
                self.metadata_deflated = true;
            }
            return;
        }
        let (info, stored) = &mut self.sections[part - 1];
        if info.encoding == ENCODING_RAW && deflated.len() < stored.len() {
            info.encoding = ENCODING_DEFLATE;
            *stored = deflated;
        }
    }

    /// The blob again, framed and checksummed.
    pub fn to_blob(&self) -> Vec<u8> {
        let sections: Vec<(SectionInfo, &[u8])> = self
            .sections
            .iter()
            .map(|(info, stored)| (*info, &stored[..]))
            .collect();
        assemble(
            self.version,
            &self.metadata,
            self.metadata_deflated,
            &sections,
        )
    }
}

/// `blob` with its deflated parts inflated by miniz_oxide, each bounded as the page bounds it: what the page
/// reads after the browser inflated them (`web::compression`), for the tests and the fuzz target that replay the
/// page's way natively (the page never calls it: its wasm links no miniz_oxide).
pub fn inflated_natively(blob: &[u8]) -> Result<Vec<u8>, BlobError> {
    let mut parts = BlobParts::parse(blob)?;
    for (part, max) in parts.to_inflate() {
        let inflated =
            miniz_oxide::inflate::decompress_to_vec_with_limit(parts.stored(part), max as usize)
                .map_err(|e| match e.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                        InflateFailure::TooLong { max }
                    }
                    _ => InflateFailure::Invalid,
                });
        parts.set_inflated(part, inflated)?;
    }
    Ok(parts.to_blob())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::checkpoint::checkpoint_blob::{encode, encode_uncompressed};
    use crate::engine::cluster::engine_event::Milestones;
    use crate::engine::cluster::job_config::{JobConfig, SourceConfig};
    use crate::engine::cluster::mini_cluster::MiniCluster;
    use crate::engine::cluster::run_limit::RunLimit;

    /// A job's completed checkpoint (3,000 keys in 8 key groups over two subtasks: sections that deflate), written compressed and uncompressed.
    fn blobs() -> (Vec<u8>, Vec<u8>) {
        let config = JobConfig {
            parallelism: 2,
            max_parallelism: Some(8),
            source: SourceConfig {
                key_count: 3_000,
                max_events: Some(20_000),
                ..Default::default()
            },
            ..JobConfig::default()
        };
        let mut cluster = MiniCluster::new(config.clone()).unwrap();
        let mut events = Milestones::default();
        cluster.run(RunLimit::records(15_000), &mut events);
        let id = cluster.trigger_checkpoint().unwrap();
        while cluster.coordinator().store().get(id).is_none() {
            assert!(cluster.step(&mut events));
        }
        let checkpoint = cluster.coordinator().store().get(id).unwrap();
        (
            encode(checkpoint, cluster.keys(), cluster.config()).unwrap(),
            encode_uncompressed(checkpoint, cluster.keys(), cluster.config()).unwrap(),
        )
    }

    #[test]
    fn a_blob_inflated_part_by_part_is_the_uncompressed_blob() {
        let (compressed, uncompressed) = blobs();
        assert!(BlobParts::parse(&compressed).unwrap().to_inflate().len() > 1);
        assert_eq!(inflated_natively(&compressed).unwrap(), uncompressed);
        // Nothing to inflate: the same bytes.
        assert_eq!(inflated_natively(&uncompressed).unwrap(), uncompressed);
    }

    #[test]
    fn a_blob_deflated_part_by_part_is_the_native_writers_blob() {
        let (compressed, uncompressed) = blobs();
        let mut parts = BlobParts::parse(&uncompressed).unwrap();
        let to_deflate = parts.to_deflate();
        assert_eq!(to_deflate[0], 0, "the metadata is deflated");
        for part in to_deflate {
            let level = if part == 0 { 6 } else { 1 };
            let deflated = miniz_oxide::deflate::compress_to_vec(parts.stored(part), level);
            parts.set_deflated(part, deflated);
        }
        assert_eq!(parts.to_blob(), compressed);
    }

    #[test]
    fn a_part_that_does_not_inflate_to_its_declared_length_is_refused_as_the_reader_refuses_it() {
        let (compressed, _) = blobs();
        let parts = BlobParts::parse(&compressed).unwrap();
        let (part, max) = parts.to_inflate()[1];
        let kg = KeyGroup::try_from(part - 1).unwrap();
        let mut p = parts.clone();
        assert_eq!(
            p.set_inflated(part, Err(InflateFailure::TooLong { max })),
            Err(section(
                kg,
                SectionProblem::Length {
                    actual: max + 1,
                    declared: max as u32
                }
            ))
        );
        let mut p = parts.clone();
        assert_eq!(
            p.set_inflated(part, Ok(vec![0; max as usize - 1])),
            Err(section(
                kg,
                SectionProblem::Length {
                    actual: max - 1,
                    declared: max as u32
                }
            ))
        );
        let mut p = parts.clone();
        assert_eq!(
            p.set_inflated(part, Err(InflateFailure::Invalid)),
            Err(section(kg, SectionProblem::Inflate))
        );
        let mut p = parts.clone();
        assert_eq!(
            p.set_inflated(0, Err(InflateFailure::Invalid)),
            Err(Malformed::MetadataDeflate.into())
        );
        let mut p = parts;
        assert_eq!(
            p.set_inflated(0, Err(InflateFailure::TooLong { max: 1 })),
            Err(Limit::MetadataInflated {
                max: MAX_METADATA_INFLATED as u64
            }
            .into())
        );
    }

    #[test]
    fn a_blob_whose_framing_is_bad_is_refused_before_anything_is_inflated() {
        let (compressed, _) = blobs();
        let mut flipped = compressed.clone();
        let last = flipped.len() - 10;
        flipped[last] ^= 1;
        assert_eq!(
            BlobParts::parse(&flipped).unwrap_err(),
            BlobError::ChecksumMismatch
        );
        assert!(BlobParts::parse(&compressed[..compressed.len() - 1]).is_err());
        assert!(BlobParts::parse(b"not a blob").is_err());
    }
}
