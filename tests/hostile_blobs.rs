//! The hostile blobs of `tests/data/blobs/hostile/` (written by `examples/hostile_blobs.rs`): each class of
//! blob that once broke StateLab, with a correct length and CRC-32. Every one is refused with its reason — or,
//! for the sound ones, opened — within the reader's memory budget: 64 MiB plus 40 times the state the blob
//! really holds (`docs/checkpoint-format.md`, "Reading untrusted blobs"). Memory is counted by this test's own
//! allocator, per thread, so the numbers do not depend on the machine or on other tests.
#![cfg(not(target_arch = "wasm32"))]

use statelab::engine::checkpoint::blob_error::{
    Implausible, JobShape, Limit, Malformed, SectionProblem,
};
use statelab::engine::checkpoint::blob_parts::inflated_natively;
use statelab::engine::checkpoint::checkpoint_blob::{content_id, BlobError, BlobReader};
use statelab::engine::cluster::engine_event::Milestones;
use statelab::engine::cluster::job_config_error::JobConfigError;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::keys::key_registry::KeyRegistry;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static CURRENT: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn account(delta: isize) {
    let _ = CURRENT.try_with(|c| {
        let now = c.get() + delta;
        c.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
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

/// Runs `f` and returns its result with the most memory it held at once beyond what was held before.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let base = CURRENT.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = f();
    let peak = PEAK.with(Cell::get) - base;
    (out, peak.max(0) as u64)
}

const MIB: u64 = 1 << 20;
/// The reader's budget: 64 MiB and 40 times the state really held.
fn budget(state_bytes: u64) -> u64 {
    64 * MIB + 40 * state_bytes
}

fn read(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/blobs/hostile/");
    std::fs::read(format!("{path}{name}.slcp")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The page's budget for a blob from outside: its parts inflated by the browser (at most the caps: 64 MiB of
/// entries, 4 MiB of metadata), the blob framed again from them, and the reader's own budget on top.
fn page_budget(state_bytes: u64) -> u64 {
    2 * (64 + 4) * MIB + budget(state_bytes)
}

/// Opens the blob as the page does: its parts inflated one by one, each to at most what it may inflate to
/// (here by miniz_oxide, in the page by the browser's `DecompressionStream`), then read.
fn page_open(blob: &[u8]) -> Result<(), BlobError> {
    let raw = inflated_natively(blob)?;
    BlobReader::open(&raw).map(|_| ())
}

/// Opens the blob the three ways users do — the reader (`statelab inspect`, the page's check), the checkpoint
/// it makes, and a job started from it (`run --restore`, the page's restore) — and the page's way (parts
/// inflated first), and checks each refusal and the memory each took.
fn refused(name: &str) -> BlobError {
    let blob = read(name);
    let (opened, peak) = peak_of(|| BlobReader::open(&blob).map(|_| ()));
    let err = opened.expect_err(name);
    assert!(peak <= budget(0), "{name}: opening took {} MiB", peak / MIB);
    let (opened, peak) = peak_of(|| page_open(&blob));
    assert!(opened.is_err(), "{name}: the page's way opened it");
    assert!(
        peak <= page_budget(0),
        "{name}: opening the page's way took {} MiB",
        peak / MIB
    );
    let (started, peak) =
        peak_of(|| MiniCluster::from_blob(&blob, Some(1), &mut Milestones::default()).map(|_| ()));
    assert!(started.is_err(), "{name}: a job started from it");
    assert!(
        peak <= budget(0),
        "{name}: starting a job took {} MiB",
        peak / MIB
    );
    err
}

#[test]
fn two_checkpoints_of_one_length_have_two_identities() {
    let (a, b) = (read("collision-a"), read("collision-b"));
    assert_eq!(a.len(), b.len());
    assert_ne!(a, b);
    for blob in [&a, &b] {
        BlobReader::open(blob).unwrap();
    }
    // The old import key: the CRC-32 of the whole blob (a constant for every sealed blob) and the length.
    assert_eq!(
        statelab::engine::checkpoint::checkpoint_blob::crc32(&a),
        statelab::engine::checkpoint::checkpoint_blob::crc32(&b)
    );
    assert_ne!(content_id(&a), content_id(&b));
}

#[test]
fn metadata_that_inflates_beyond_its_cap_is_refused_before_it_is_parsed() {
    for name in ["replay-list-8m", "named-keys-11m-duplicates", "key-30mb"] {
        assert!(
            matches!(
                refused(name),
                BlobError::TooLarge(Limit::MetadataInflated { .. })
            ),
            "{name}"
        );
    }
}

#[test]
fn lists_and_keys_beyond_their_caps_are_refused_while_they_are_read() {
    assert!(matches!(
        refused("replay-list-1m"),
        BlobError::JobShape(JobShape::Job(JobConfigError::ReplayTooLong {
            max: 100_000
        }))
    ));
    assert!(matches!(
        refused("named-keys-1m"),
        BlobError::TooLarge(Limit::NamedKeys { max: 200_000 })
    ));
    assert!(matches!(
        refused("key-2mb"),
        BlobError::TooLarge(Limit::KeyLength {
            index: 1,
            max: 1024
        })
    ));
    assert!(matches!(
        refused("named-keys-duplicates"),
        BlobError::Malformed(Malformed::NamedKeyNotByName { .. })
    ));
}

#[test]
fn claimed_sizes_are_refused_before_anything_is_allocated_from_them() {
    assert!(matches!(
        refused("section-claims-100m-entries"),
        BlobError::TooLarge(Limit::Section { key_group: 3, .. })
    ));
    assert!(matches!(
        refused("deflate-bomb-256mib"),
        BlobError::TooLarge(Limit::Section { key_group: 3, .. })
    ));
}

#[test]
fn a_decompression_bomb_under_the_caps_stops_at_its_first_bad_entry() {
    // 60 MiB of zeros: the first entry is key 0 with a count of 0, in a key group that is not its own.
    match refused("deflate-bomb-60mib") {
        BlobError::Malformed(Malformed::Section {
            key_group: 3,
            problem: SectionProblem::WrongKeyGroup { entry: 0, .. },
        })
        | BlobError::Implausible(Implausible::Count {
            key_group: 3,
            entry: 0,
            count: 0,
        }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn impossible_counts_ids_and_statistics_are_refused() {
    for (name, count) in [
        ("count-i64-max", i64::MAX),
        ("count-negative", -5),
        ("count-zero", 0),
    ] {
        match refused(name) {
            BlobError::Implausible(Implausible::Count { count: c, .. }) if c == count => {}
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(matches!(
        refused("counts-beyond-events"),
        BlobError::Implausible(Implausible::CountsExceedEvents { .. })
    ));
    for name in [
        "checkpoint-id-u64-max",
        "checkpoint-id-u64-max-minus-1",
        "checkpoint-id-beyond-java-long",
    ] {
        assert!(
            matches!(
                refused(name),
                BlobError::Implausible(Implausible::CheckpointId { .. })
            ),
            "{name}"
        );
    }
    assert!(matches!(
        refused("state-size-u64-max"),
        BlobError::Implausible(Implausible::StateSize { .. })
    ));
    assert!(matches!(
        refused("subtask-entries-wrong"),
        BlobError::Implausible(Implausible::SubtaskEntries { subtask: 0, .. })
    ));
}

#[test]
fn version_2_metadata_that_claims_more_than_it_holds_is_refused_before_anything_is_allocated_from_it(
) {
    use statelab::engine::checkpoint::blob_error::MetadataProblem;
    let problem = |name: &str| match refused(name) {
        BlobError::Malformed(Malformed::MetadataBinary { problem, .. }) => problem,
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(problem("v2-metadata-cut-short"), MetadataProblem::CutShort);
    assert_eq!(
        problem("v2-metadata-bytes-left"),
        MetadataProblem::BytesLeft(64)
    );
    assert_eq!(
        problem("v2-unknown-field"),
        MetadataProblem::UnknownField(15)
    );
    assert_eq!(
        problem("v2-named-keys-claim-beyond-bytes"),
        MetadataProblem::ListLength { count: 199_999 }
    );
    assert_eq!(
        problem("v2-key-length-beyond-end"),
        MetadataProblem::CutShort
    );
    assert_eq!(
        refused("v2-named-keys-claim-1m"),
        BlobError::TooLarge(Limit::NamedKeys { max: 200_000 })
    );
    assert_eq!(
        refused("v2-script-claims-4g"),
        BlobError::TooLarge(Limit::List {
            count: 1 << 32,
            max: 100_000
        })
    );
    assert!(matches!(
        refused("v2-replay-claims-1m"),
        BlobError::JobShape(JobShape::Job(JobConfigError::ReplayTooLong {
            max: 100_000
        }))
    ));
    // A key that is there but too long: refused after reading, as in version 1.
    assert_eq!(
        refused("v2-key-2mb"),
        BlobError::TooLarge(Limit::KeyLength {
            index: 0,
            max: 1024
        })
    );
}

#[test]
fn every_refusal_names_what_failed_in_both_languages() {
    use statelab::i18n::messages::errors;
    use statelab::i18n::Lang;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/blobs/hostile");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("slcp") {
            continue;
        }
        let blob = std::fs::read(&path).unwrap();
        let Err(e) = BlobReader::open(&blob) else {
            continue;
        };
        let (en, zh) = (errors::blob(&e, Lang::En), errors::blob(&e, Lang::Zh));
        assert_eq!(en, e.to_string());
        assert!(en.len() < 400 && zh.len() < 600, "{}: {en}", path.display());
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: {zh}",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 27, "{seen} refused blobs");
}

#[test]
fn honest_blobs_open_within_the_budget_of_the_state_they_hold() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/blobs");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("slcp") {
            continue;
        }
        let blob = std::fs::read(&path).unwrap();
        let (state, peak) = peak_of(|| {
            let reader = BlobReader::open(&blob).unwrap();
            let mut keys = KeyRegistry::new(reader.metadata().job.source.key_format.clone());
            reader.to_completed_checkpoint(&mut keys).unwrap();
            reader.metadata().flink_state_size
        });
        assert!(peak <= budget(state), "{}: {peak} bytes", path.display());
        let (_, peak) =
            peak_of(|| MiniCluster::from_blob(&blob, None, &mut Milestones::default()).unwrap());
        assert!(peak <= budget(state), "{}: {peak} bytes", path.display());
        checked += 1;
    }
    assert_eq!(checked, 15);
}

#[test]
fn a_long_run_of_a_silent_source_with_periodic_checkpoints_holds_flat_memory() {
    use statelab::engine::cluster::engine_event::RunSummary;
    use statelab::engine::cluster::run_limit::RunLimit;
    let blob = read("source-rate-0");
    let mut summary = RunSummary::default();
    let mut cluster = MiniCluster::from_blob(&blob, None, &mut summary).unwrap();
    let start = cluster.now();
    let until = |s: u64| RunLimit::until(start + s * 1_000_000_000);
    cluster.run(until(2_000), &mut summary);
    let early = CURRENT.with(Cell::get);
    cluster.run(until(20_000), &mut summary);
    let late = CURRENT.with(Cell::get);
    assert!(summary.completed_checkpoints.total >= 19_000);
    assert!(
        late - early < 64 << 10,
        "memory grew by {} bytes over 18,000 checkpoints",
        late - early
    );
}

#[test]
fn a_sound_blob_of_a_job_with_a_silent_source_opens() {
    let blob = read("source-rate-0");
    let reader = BlobReader::open(&blob).unwrap();
    assert_eq!(reader.metadata().job.source.rate, 0);
    assert!(reader.metadata().job.checkpointing.interval_ms.is_some());
}

#[test]
fn version_3_sections_that_claim_more_than_they_hold_are_refused_before_anything_is_allocated_from_them(
) {
    let section = |name: &str| match refused(name) {
        BlobError::Malformed(Malformed::Section { problem, .. }) => problem,
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(
        section("v3-list-cut-short"),
        SectionProblem::CutShort { entry: 3 }
    );
    assert_eq!(
        section("v3-list-claims-1m"),
        SectionProblem::CountBeyondBytes {
            entry: 0,
            count: 1_000_000
        }
    );
    assert_eq!(
        refused("v3-list-claims-4g"),
        BlobError::TooLarge(Limit::Elements {
            key_group: 0,
            entry: 0,
            count: 1 << 32,
            max: 4_000_000
        })
    );
    assert_eq!(
        refused("v3-map-claims-1m"),
        BlobError::TooLarge(Limit::Elements {
            key_group: 0,
            entry: 0,
            count: 1_000_000,
            max: 100_000
        })
    );
    assert_eq!(
        refused("v3-map-key-claims-2gb"),
        BlobError::TooLarge(Limit::UserKey {
            key_group: 0,
            entry: 0,
            bytes: 1 << 31,
            max: 1024
        })
    );
    assert_eq!(
        refused("v3-timers-claim-4g"),
        BlobError::TooLarge(Limit::Timers {
            key_group: 0,
            count: 1 << 32,
            max: 4_000_000
        })
    );
}

#[test]
fn version_3_keys_map_keys_and_timers_are_checked_like_entries() {
    let section = |name: &str| match refused(name) {
        BlobError::Malformed(Malformed::Section { problem, .. }) => problem,
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(
        section("v3-map-key-not-utf8"),
        SectionProblem::UserKeyNotUtf8 { entry: 0 }
    );
    assert_eq!(
        section("v3-map-key-repeated"),
        SectionProblem::RepeatedUserKey { entry: 0 }
    );
    assert!(matches!(
        section("v3-key-repeated"),
        SectionProblem::RepeatedKey { .. }
    ));
    assert!(matches!(
        section("v3-timer-repeated"),
        SectionProblem::RepeatedTimer { .. }
    ));
    assert!(matches!(
        refused("v3-timer-of-event-log"),
        BlobError::Implausible(Implausible::UnexpectedTimers {
            count: 1,
            function: "event-log",
            ..
        })
    ));
    assert!(matches!(
        refused("v3-session-without-timer"),
        BlobError::Implausible(Implausible::SessionWithoutTimer { .. })
    ));
}

#[test]
fn a_version_3_blob_whose_version_or_state_is_not_its_function_s_is_refused() {
    assert_eq!(
        refused("v3-event-log-labelled-v2"),
        BlobError::Malformed(Malformed::Version {
            function: "event-log",
            version: 2,
            expected: 3
        })
    );
    let err = refused("v3-wrong-state-shape");
    assert!(
        matches!(
            err,
            BlobError::JobShape(JobShape::State {
                function: "event-log",
                ..
            })
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("keeps ListState<Long> 'event-log'"),
        "{err}"
    );
}

/// The page opens blobs with their parts inflated first (by the browser): every blob here, hostile or honest,
/// of every version, opens or is refused the page's way as it is natively — with the same error, but for the
/// deflated sections, whose inflated length the page checks before reading them — and an honest one holds
/// the same checkpoint either way.
#[test]
fn the_page_opens_or_refuses_every_blob_as_the_reader_does() {
    let mut checked = 0;
    for dir in ["/tests/data/blobs", "/tests/data/blobs/hostile"] {
        let dir = format!("{}{dir}", env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("slcp") {
                continue;
            }
            let name = path.display();
            let blob = std::fs::read(&path).unwrap();
            let native = BlobReader::open(&blob);
            let (page, peak) = peak_of(|| page_open(&blob));
            assert!(peak <= page_budget(0), "{name}: {} MiB", peak / MIB);
            match (&native, page) {
                (Ok(reader), Ok(())) => {
                    let raw = inflated_natively(&blob).unwrap();
                    let page = BlobReader::open(&raw).unwrap();
                    assert_eq!(page.metadata(), reader.metadata(), "{name}");
                    let key_format = &reader.metadata().job.source.key_format;
                    let (mut a, mut b) = (
                        KeyRegistry::new(key_format.clone()),
                        KeyRegistry::new(key_format.clone()),
                    );
                    let (a, b) = (
                        reader.to_completed_checkpoint(&mut a).unwrap(),
                        page.to_completed_checkpoint(&mut b).unwrap(),
                    );
                    assert_eq!(a.key_groups, b.key_groups, "{name}");
                    assert_eq!(a.subtasks, b.subtasks, "{name}");
                }
                (Err(native), Err(page)) => {
                    let section_length = matches!(
                        &page,
                        BlobError::Malformed(Malformed::Section {
                            problem: SectionProblem::Length { .. },
                            ..
                        })
                    );
                    assert!(
                        section_length || *native == page,
                        "{name}: {native} / {page}"
                    );
                }
                (native, page) => panic!("{name}: natively {native:?}, the page's way {page:?}"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 60, "{checked} blobs");
}
