//! What the `checkpoint_blob` fuzz target does with one input; `tests/fuzz_corpus.rs` replays the committed
//! corpus and regressions through the same code. It walks the paths a blob from outside takes — the page's
//! import (open, check every key group, describe, its metadata through JSON and back), `statelab inspect`, and a
//! job started from it at several parallelisms that runs and checkpoints again — and checks what must hold for
//! every blob the reader accepts. Any panic is a bug: a blob from outside must only ever give a value or an
//! error. The fuzzer's memory limits (`-rss_limit_mb`, `-malloc_limit_mb`, see `docs/checkpoint-format.md`)
//! hold the reader to its budget.

use statelab::engine::checkpoint_blob::{content_id, BlobMetadata, BlobReader};
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
        // Refused: a job must not start from it either.
        assert!(MiniCluster::from_blob(&blob, None, &mut Milestones::default()).is_err());
        return;
    };
    let m = reader.metadata();
    assert_eq!(content_id(&blob).len(), 64);
    // What the page stores beside the blob and lists in every tab: the metadata as JSON, read back the same.
    let json = serde_json::to_vec(m).expect("metadata serialises");
    let back: BlobMetadata = serde_json::from_slice(&json).expect("metadata reads back");
    assert_eq!(&back, m);
    // `statelab inspect`: every key group and key of a blob that opened decodes.
    let mut entries = 0u64;
    for kg in 0..reader.sections().len() as u32 {
        for (key, count) in reader
            .key_group(kg)
            .expect("an opened blob's key group decodes")
        {
            reader.java_key(key).expect("an opened blob's key reads");
            assert!(count >= 1);
            entries += 1;
        }
    }
    assert_eq!(entries, m.entries);
    // The page's check before it stores an import.
    let mut keys = KeyRegistry::new(m.job.source.key_format.clone());
    let checkpoint = reader
        .to_completed_checkpoint(&mut keys)
        .expect("an opened blob converts");
    assert_eq!(checkpoint.entries() as u64, m.entries);
    // Restore at its own parallelism, at 1 and at the most the job allows; run, checkpoint, and the new
    // checkpoint is a blob readers open.
    let most = m.max_parallelism.min(8);
    for parallelism in [None, Some(1), Some(most)] {
        let mut events = Milestones::default();
        let Ok(mut cluster) = MiniCluster::from_blob(&blob, parallelism, &mut events) else {
            continue;
        };
        cluster.run(RunLimit::steps(200), &mut events);
        if let Ok(id) = cluster.trigger_checkpoint() {
            cluster.run(RunLimit::steps(400), &mut events);
            if cluster.coordinator().store().get(id).is_some() {
                if let Ok(again) = cluster.checkpoint_blob(id) {
                    BlobReader::open(&again).expect("a checkpoint of a restored job opens");
                }
            }
        }
    }
}
