//! What the `checkpoint_blob` fuzz target does with one input; `tests/fuzz_corpus.rs` replays the committed
//! corpus and regressions through the same code. Any panic is a bug: a blob from outside must only ever give
//! a value or an error.

use statelab::engine::checkpoint_blob::BlobReader;
use statelab::engine::engine_event::Milestones;
use statelab::engine::key_registry::KeyRegistry;
use statelab::engine::mini_cluster::{MiniCluster, RunLimit};

/// Inputs whose first byte is even get their total length and checksum fixed up, so that mutations reach
/// the checks behind the checksum; odd ones are opened as they are.
pub fn exercise(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut blob = rest.to_vec();
    if mode & 1 == 0 && blob.len() >= 32 {
        let len = blob.len() as u64;
        blob[20..28].copy_from_slice(&len.to_le_bytes());
        let n = blob.len() - 4;
        let crc = crc32fast::hash(&blob[..n]);
        blob[n..].copy_from_slice(&crc.to_le_bytes());
    }
    let Ok(reader) = BlobReader::open(&blob) else {
        return;
    };
    for kg in 0..reader.sections().len() as u32 {
        if let Ok(entries) = reader.key_group(kg) {
            for (key, _) in entries {
                let _ = reader.java_key(key);
            }
        }
    }
    let mut keys = KeyRegistry::new(reader.metadata().job.source.key_format.clone());
    let _ = reader.to_completed_checkpoint(&mut keys);
    let mut events = Milestones::default();
    for parallelism in [None, Some(1)] {
        if let Ok(mut cluster) = MiniCluster::from_blob(&blob, parallelism, &mut events) {
            cluster.run(RunLimit::steps(200), &mut events);
        }
    }
}
