//! What the `checkpoint_blob` fuzz target does with one input; `tests/fuzz_corpus.rs` replays the committed
//! corpus and regressions through the same code. It walks the paths a blob from outside takes — the page's
//! import (its parts inflated first, as the browser does there; open, check every key group, describe, its
//! metadata through both versions' forms and back),
//! `statelab inspect`, and a
//! job started from it at several parallelisms that runs and checkpoints again — and checks what must hold for
//! every blob the reader accepts. Any panic is a bug: a blob from outside must only ever give a value or an
//! error. Memory is counted by this binary's allocator: opening a blob and starting a job from it must each stay
//! within the reader's budget, 64 MiB plus 40 times the state the blob really holds
//! (`docs/checkpoint-format.md`), or the input is a crash.

use statelab::engine::checkpoint::blob_parts::inflated_natively;
use statelab::engine::checkpoint::checkpoint_blob::{
    content_id, BlobError, BlobReader, StateValue,
};
use statelab::engine::checkpoint::{metadata_v1, metadata_v2};
use statelab::engine::cluster::engine_event::Milestones;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::keys::key_group::KeyGroup;
use statelab::engine::keys::key_registry::KeyRegistry;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};

/// Counts the bytes held and the most held at once since the last [`measure`].
struct Counting;

static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn account(delta: isize) {
    let now = CURRENT.fetch_add(delta, Relaxed) + delta;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            account(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        account(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            account(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f`; returns its result and the most memory it held at once beyond what was held before.
fn measure<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let base = CURRENT.load(Relaxed);
    PEAK.store(base, Relaxed);
    let out = f();
    (out, (PEAK.load(Relaxed) - base).max(0) as u64)
}

/// The reader's budget for a blob that really holds `state_bytes` of state (Flink's size of it).
fn budget(state_bytes: u64) -> u64 {
    (64 << 20) + 40 * state_bytes
}

/// The page's budget: twice the caps (the inflated parts, the blob framed from them) on top of the reader's.
fn page_budget(state_bytes: u64) -> u64 {
    2 * (68 << 20) + budget(state_bytes)
}

/// Opens a blob as the page does (`engine::checkpoint::blob_parts`, `web::compression`).
fn page_open(blob: &[u8]) -> Result<(), BlobError> {
    let raw = inflated_natively(blob)?;
    BlobReader::open(&raw).map(|_| ())
}

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
        let crc = statelab::engine::checkpoint::checkpoint_blob::crc32(&blob[..n]);
        blob[n..].copy_from_slice(&crc.to_le_bytes());
    }
    let (opened, peak) = measure(|| BlobReader::open(&blob).map(|r| r.metadata().flink_state_size));
    // The page's way: the browser inflates the parts first (here miniz_oxide, bounded as the page bounds it),
    // then the raw blob is read — it opens exactly when the reader opens it, within the page's budget.
    let (page, page_peak) = measure(|| page_open(&blob));
    assert_eq!(page.is_ok(), opened.is_ok(), "the page's way: {page:?}");
    assert!(
        page_peak <= page_budget(*opened.as_ref().unwrap_or(&0)),
        "the page's way took {page_peak} bytes"
    );
    let Ok(state) = opened else {
        assert!(peak <= budget(0), "refusing took {peak} bytes");
        // Refused: a job must not start from it either.
        let (started, peak) =
            measure(|| MiniCluster::from_blob(&blob, None, &mut Milestones::default()).is_ok());
        assert!(!started);
        assert!(peak <= budget(0), "refusing a job took {peak} bytes");
        return;
    };
    assert!(
        peak <= budget(state),
        "opening took {peak} bytes for {state} of state"
    );
    let reader = BlobReader::open(&blob).expect("opens again");
    let m = reader.metadata();
    assert_eq!(content_id(&blob).len(), 64);
    // The metadata in version 2's binary form (version 3's too) reads back the same; a counter's written as
    // version 1's JSON (by serde_json, as StateLab wrote it before; version 1 held the counter only),
    // StateLab's own JSON reader makes the same of it.
    let binary = metadata_v2::write(m);
    assert_eq!(
        &metadata_v2::read(&binary).expect("binary metadata reads back"),
        m
    );
    if m.job.function.is_counter() {
        let json = serde_json::to_vec(m).expect("metadata serialises");
        assert_eq!(
            &metadata_v1::read(&json).expect("JSON metadata reads back"),
            m
        );
    }
    // `statelab inspect`: every key group, key and timer of a blob that opened decodes.
    let (mut entries, mut timers) = (0u64, 0usize);
    for i in 0..reader.sections().len() {
        let kg = KeyGroup::try_from(i).expect("an opened blob has at most 32,768 key groups");
        let state = reader
            .key_group(kg)
            .expect("an opened blob's key group decodes");
        for (key, value) in state.entries {
            reader.java_key(key).expect("an opened blob's key reads");
            if let StateValue::Long(count) = value {
                assert!(count >= 1);
            }
            entries += 1;
        }
        for (key, _) in state.timers {
            reader
                .java_key(key)
                .expect("an opened blob's timer key reads");
            timers += 1;
        }
    }
    assert_eq!(entries, m.entries);
    // The page's check before it stores an import.
    let (checkpoint, peak) = measure(|| {
        let mut keys = KeyRegistry::new(m.job.source.key_format.clone());
        reader
            .to_completed_checkpoint(&mut keys)
            .expect("an opened blob converts")
    });
    assert!(
        peak <= budget(state),
        "converting took {peak} bytes for {state} of state"
    );
    assert_eq!(checkpoint.entries() as u64, m.entries);
    assert_eq!(
        checkpoint.timers.iter().map(Vec::len).sum::<usize>(),
        timers
    );
    drop(checkpoint);
    // Restore at its own parallelism, at 1 and at the most the job allows; run, checkpoint, and the new
    // checkpoint is a blob readers open.
    let most = m.max_parallelism.min(8);
    for parallelism in [None, Some(1), Some(most)] {
        let mut events = Milestones::default();
        let (started, peak) = measure(|| MiniCluster::from_blob(&blob, parallelism, &mut events));
        assert!(
            peak <= budget(state),
            "starting a job took {peak} bytes for {state} of state"
        );
        let Ok(mut cluster) = started else {
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
