//! Writes the fuzzer's seed corpus: every golden blob under `tests/data/blobs` (version 3's of every function
//! but the counter among them), compressed and uncompressed, and the same checkpoints in format version 2
//! (`-v2-`; version 1's are the golden blobs of that version), and every hostile blob under
//! `tests/data/blobs/hostile`, each once as it is (first byte odd) and once to be resealed (first byte even). Run
//! from `fuzz/`: `cargo run --bin seed_corpus`.

use statelab::engine::checkpoint::checkpoint_blob::{
    encode, encode_uncompressed, encode_version_1, BlobReader,
};
use statelab::engine::keys::key_registry::KeyRegistry;
use std::path::Path;

fn main() {
    let out = Path::new("corpus/checkpoint_blob");
    std::fs::create_dir_all(out).unwrap();
    let mut golden: Vec<_> = std::fs::read_dir("../tests/data/blobs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "slcp"))
        .collect();
    golden.sort();
    for path in golden {
        let blob = std::fs::read(&path).unwrap();
        let reader = BlobReader::open(&blob).unwrap();
        let mut keys = KeyRegistry::new(reader.metadata().job.source.key_format.clone());
        let checkpoint = reader.to_completed_checkpoint(&mut keys).unwrap();
        let job = &reader.metadata().job;
        let stem = path.file_stem().unwrap().to_string_lossy();
        let (deflated, plain) = if reader.version() == 1 {
            (blob.clone(), encode_version_1(&checkpoint, &keys, job, false).unwrap())
        } else {
            (blob.clone(), encode_uncompressed(&checkpoint, &keys, job).unwrap())
        };
        let mut seeds = vec![("deflated", deflated), ("plain", plain)];
        if reader.version() == 1 {
            seeds.push(("v2-deflated", encode(&checkpoint, &keys, job).unwrap()));
            seeds.push(("v2-plain", encode_uncompressed(&checkpoint, &keys, job).unwrap()));
        }
        for (name, bytes) in &seeds {
            for mode in [0u8, 1] {
                let mut input = vec![mode];
                input.extend_from_slice(bytes);
                std::fs::write(out.join(format!("seed-{stem}-{name}-{mode}")), input).unwrap();
            }
        }
    }
    let mut hostile: Vec<_> = std::fs::read_dir("../tests/data/blobs/hostile")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "slcp"))
        .collect();
    hostile.sort();
    for path in hostile {
        let blob = std::fs::read(&path).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy();
        for mode in [0u8, 1] {
            let mut input = vec![mode];
            input.extend_from_slice(&blob);
            std::fs::write(out.join(format!("seed-hostile-{stem}-{mode}")), input).unwrap();
        }
    }
}
