//! The checkpoint blob format: round trips through real runs of the job, restores at any parallelism, the
//! golden blobs committed under `tests/data/blobs/`, and every kind of damage a blob from outside can carry.
// Scenarios read best as a default configuration with the fields that matter set one by one.
#![allow(clippy::field_reassign_with_default)]
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use statelab::engine::checkpoint::blob_error::{Limit, Malformed, MetadataProblem};
use statelab::engine::checkpoint::checkpoint_blob::{
    encode, encode_uncompressed, encode_version_1, upgraded, BlobError, BlobMetadata, BlobReader,
    KeyRef, StateValue, FORMAT_VERSION, MAGIC,
};
use statelab::engine::checkpoint::completed_checkpoint::CompletedCheckpoint;
use statelab::engine::checkpoint::metadata_v2;
use statelab::engine::cluster::engine_event::Milestones;
use statelab::engine::cluster::job_config::JobConfig;
use statelab::engine::cluster::job_status::JobStatus;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::functions::job_function::JobFunction;
use statelab::engine::functions::session_process_function::SESSION_GAP_MS;
use statelab::engine::keys::java_key::{JavaKey, JavaKeyType};
use statelab::engine::keys::key_group::KeyGroup;
use statelab::engine::keys::key_registry::{KeyFormat, KeyId, KeyRegistry};
use statelab::engine::source::key_distribution::KeyDistribution;
use statelab::engine::state::heap::state_objects::StateValueObject;
use std::collections::{BTreeMap, BTreeSet};

const BLOBS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/blobs");

#[derive(Clone, Debug)]
struct Job {
    key_type: JavaKeyType,
    zero_pad: u8,
    key_count: u64,
    parallelism: u32,
    max_parallelism: Option<u32>,
    events: u64,
    /// Keys typed by hand before the checkpoint (not all of them spell a generated key).
    typed: Vec<String>,
    checkpoint_after: u64,
    seed: u64,
}

fn config(j: &Job) -> JobConfig {
    let mut c = JobConfig::default();
    c.seed = j.seed;
    c.parallelism = j.parallelism;
    c.max_parallelism = j.max_parallelism;
    c.source.key_count = j.key_count;
    c.source.max_events = Some(j.events);
    // Slow enough in simulated time that a checkpoint completes long before a bounded source runs out.
    c.source.rate = 1_000;
    c.source.key_format = KeyFormat {
        key_type: j.key_type,
        prefix: "user-".into(),
        zero_pad: j.zero_pad,
    };
    c.checkpointing.interval_ms = None;
    c.checkpointing.write_bytes_per_second = 50_000_000;
    c
}

/// Runs the job, types the keys, takes one checkpoint after `checkpoint_after` records and runs until it
/// completed. Returns the cluster and the checkpoint's id.
fn checkpointed(j: &Job) -> (MiniCluster, u64) {
    checkpointed_config(config(j), &j.typed, j.checkpoint_after)
}

fn checkpointed_config(config: JobConfig, typed: &[String], after: u64) -> (MiniCluster, u64) {
    let mut cluster = MiniCluster::new(config).unwrap();
    let mut events = Milestones::default();
    for key in typed {
        cluster.inject_key(key).unwrap();
    }
    cluster.run(RunLimit::records(after), &mut events);
    let id = cluster.trigger_checkpoint().unwrap();
    while cluster.coordinator().store().get(id).is_none() {
        assert!(
            cluster.step(&mut events),
            "the job stopped before checkpoint {id} completed"
        );
    }
    (cluster, id)
}

fn typed_keys(key_type: JavaKeyType) -> BoxedStrategy<Vec<String>> {
    match key_type {
        JavaKeyType::String => proptest::collection::vec(
            prop_oneof![
                Just("alice".to_owned()),
                Just(String::new()),
                Just("user-7".to_owned()),
                Just("user-007".to_owned()),
                Just("ключ-ü-😀".to_owned()),
                "[a-z0-9-]{1,12}",
            ],
            0..6,
        )
        .boxed(),
        _ => proptest::collection::vec(
            prop_oneof![
                Just(-1i64),
                Just(-129),
                Just(0),
                Just(7),
                -100_000i64..100_000
            ],
            0..6,
        )
        .prop_map(|v| v.into_iter().map(|n| n.to_string()).collect())
        .boxed(),
    }
}

fn job() -> impl Strategy<Value = Job> {
    prop_oneof![
        Just(JavaKeyType::String),
        Just(JavaKeyType::Integer),
        Just(JavaKeyType::Long)
    ]
    .prop_flat_map(|key_type| {
        (
            Just(key_type),
            prop_oneof![Just(0u8), Just(6)],
            1u64..3000,
            1u32..=4,
            prop_oneof![Just(None), (4u32..300).prop_map(Some)],
            200u64..4000,
            typed_keys(key_type),
            0u64..4000,
            any::<u64>(),
        )
    })
    .prop_map(
        |(
            key_type,
            zero_pad,
            key_count,
            parallelism,
            max_parallelism,
            events,
            typed,
            after,
            seed,
        )| {
            Job {
                key_type,
                zero_pad,
                key_count,
                parallelism,
                max_parallelism,
                events,
                typed,
                // Early enough that the checkpoint completes before the source runs out.
                checkpoint_after: after % (events / 2),
                seed,
            }
        },
    )
}

/// A checkpoint's state by key text, key group by key group.
fn by_key(checkpoint: &CompletedCheckpoint, keys: &KeyRegistry) -> Vec<BTreeMap<String, i64>> {
    checkpoint
        .key_groups
        .iter()
        .map(|g| g.iter().map(|&(k, v)| (keys.display(k), v)).collect())
        .collect()
}

fn counts(cluster: &MiniCluster) -> BTreeMap<String, i64> {
    cluster
        .counts()
        .into_iter()
        .map(|(k, v)| (cluster.keys().display(k), v))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, rng_seed: RngSeed::Fixed(0x5747_4C41_4221), ..ProptestConfig::default() })]

    /// encode → open → decode gives back the checkpoint: ids, times, layout, source positions, statistics and
    /// every entry in the key group it was in, in the same order.
    #[test]
    fn a_checkpoint_survives_the_round_trip(j in job()) {
        let (cluster, id) = checkpointed(&j);
        let original = cluster.coordinator().store().get(id).unwrap().clone();
        let blob = cluster.checkpoint_blob(id).unwrap();
        prop_assert_eq!(&blob, &cluster.checkpoint_blob(id).unwrap(), "encoding is deterministic");
        let reader = BlobReader::open(&blob).unwrap();
        let m = reader.metadata();
        prop_assert_eq!(m.checkpoint_id, id);
        prop_assert_eq!(m.entries, original.entries() as u64);
        prop_assert_eq!(m.job.source.key_format.key_type, j.key_type);
        let mut fresh = KeyRegistry::new(m.job.source.key_format.clone());
        let decoded = reader.to_completed_checkpoint(&mut fresh).unwrap();
        prop_assert_eq!(by_key(&decoded, &fresh), by_key(&original, cluster.keys()));
        // Uncompressed, the same checkpoint reads back the same.
        let plain = encode_uncompressed(&original, cluster.keys(), cluster.config()).unwrap();
        let mut plain_keys = KeyRegistry::new(m.job.source.key_format.clone());
        let plain_reader = BlobReader::open(&plain).unwrap();
        prop_assert!(plain_reader.sections().iter().all(|s| s.encoding == 0));
        let from_plain = plain_reader.to_completed_checkpoint(&mut plain_keys).unwrap();
        prop_assert_eq!(by_key(&from_plain, &plain_keys), by_key(&original, cluster.keys()));
        let ordered = |c: &CompletedCheckpoint, k: &KeyRegistry| -> Vec<Vec<String>> {
            c.key_groups.iter().map(|g| g.iter().map(|&(key, _)| k.display(key)).collect()).collect()
        };
        prop_assert_eq!(ordered(&decoded, &fresh), ordered(&original, cluster.keys()));
        prop_assert_eq!(
            CompletedCheckpoint { key_groups: vec![], ..decoded },
            CompletedCheckpoint { key_groups: vec![], ..(*original).clone() }
        );
        // Version 1 (JSON metadata, as StateLab wrote it before) of the same checkpoint opens to the same.
        for compress in [true, false] {
            let old = encode_version_1(&original, cluster.keys(), cluster.config(), compress).unwrap();
            let old_reader = BlobReader::open(&old).unwrap();
            prop_assert_eq!(old_reader.version(), 1);
            prop_assert_eq!(reader.version(), 2);
            prop_assert_eq!(old_reader.metadata(), m);
            prop_assert_eq!(old_reader.sections(), reader.sections());
        }
    }

    /// A blob restored into a new job, at its own or another parallelism, holds exactly the checkpoint's
    /// counts, and the job then ends where the original job ends when it is restored from the same checkpoint.
    #[test]
    fn a_blob_restores_anywhere_and_the_job_continues_as_the_original(
        j in job(),
        parallelism in 1u32..=8,
    ) {
        let (mut cluster, id) = checkpointed(&j);
        let blob = cluster.checkpoint_blob(id).unwrap();
        let max_parallelism = cluster.max_parallelism();
        let parallelism = parallelism.min(max_parallelism);
        let mut events = Milestones::default();
        let mut restored = MiniCluster::from_blob(&blob, Some(parallelism), &mut events).unwrap();
        prop_assert_eq!(restored.parallelism(), parallelism);
        prop_assert_eq!(restored.max_parallelism(), max_parallelism);
        let checkpoint = cluster.coordinator().store().get(id).unwrap().clone();
        let expected: BTreeMap<String, i64> =
            by_key(&checkpoint, cluster.keys()).into_iter().flatten().collect();
        prop_assert_eq!(counts(&restored), expected);
        prop_assert_eq!(restored.now(), checkpoint.completion_time);

        cluster.restore(Some(id), parallelism, &mut events).unwrap();
        cluster.run(RunLimit::steps(5_000_000), &mut events);
        restored.run(RunLimit::steps(5_000_000), &mut events);
        prop_assert_eq!(cluster.status(), JobStatus::Finished);
        prop_assert_eq!(restored.status(), JobStatus::Finished);
        prop_assert_eq!(counts(&restored), counts(&cluster));
    }

    /// Whatever the bytes, opening and reading a blob returns a value or an error, never a panic.
    #[test]
    fn random_bytes_are_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        prop_assert!(BlobReader::open(&bytes).is_err());
        let mut framed = frame(&bytes);
        reseal(&mut framed);
        prop_assert!(BlobReader::open(&framed).is_err());
    }
}

// ---------------------------------------------------------------------------------------------------------
// Damage

fn small_blob() -> Vec<u8> {
    let (cluster, id) = small_run();
    cluster.checkpoint_blob(id).unwrap()
}

/// The same checkpoint as [`small_blob`] in format version 1 (deflated JSON metadata).
fn small_blob_v1() -> Vec<u8> {
    let (cluster, id) = small_run();
    let checkpoint = cluster.coordinator().store().get(id).unwrap();
    encode_version_1(checkpoint, cluster.keys(), cluster.config(), true).unwrap()
}

fn small_run() -> (MiniCluster, u64) {
    let j = Job {
        key_type: JavaKeyType::String,
        zero_pad: 6,
        key_count: 300,
        parallelism: 2,
        max_parallelism: Some(16),
        events: 2000,
        typed: vec!["alice".into(), "user-000007".into()],
        checkpoint_after: 1000,
        seed: 7,
    };
    checkpointed(&j)
}

/// Random bytes behind a valid header (metadata length and key groups taken from the bytes), for the checks
/// that come after the checksum.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut b = MAGIC.to_vec();
    b.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    let metadata_len = body
        .first()
        .map_or(0, |&n| u32::from(n).min(body.len() as u32));
    let sections = body.get(1).map_or(1, |&n| u32::from(n % 4) + 1);
    b.extend_from_slice(&metadata_len.to_le_bytes());
    b.extend_from_slice(&sections.to_le_bytes());
    b.extend_from_slice(&[0; 8]);
    b.extend_from_slice(body);
    b.extend_from_slice(&[0; 4]);
    b
}

/// Fixes the total length and the checksum after an edit, so a test reaches the checks behind them.
fn reseal(blob: &mut [u8]) {
    let len = blob.len() as u64;
    blob[20..28].copy_from_slice(&len.to_le_bytes());
    let n = blob.len() - 4;
    let crc = crc32(&blob[..n]);
    blob[n..].copy_from_slice(&crc.to_le_bytes());
}

/// CRC-32 (IEEE), bit by bit: an independent check of the trailer the encoder writes.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (!(crc & 1)).wrapping_add(1));
        }
    }
    !crc
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

/// Where key group `kg`'s section table entry starts.
fn section_entry(blob: &[u8], kg: usize) -> usize {
    28 + u32_at(blob, 12) as usize + kg * 20
}

/// The refusal of a blob whose framing and checksum are right: malformed, over a cap or impossible.
fn malformed(result: Result<BlobReader<'_>, BlobError>) -> String {
    match result {
        Err(e @ (BlobError::Malformed(_) | BlobError::TooLarge(_) | BlobError::Implausible(_))) => {
            e.to_string()
        }
        other => panic!("expected a malformed blob, got {other:?}"),
    }
}

#[test]
fn the_trailer_is_the_ieee_crc32_of_everything_before_it() {
    let blob = small_blob();
    let n = blob.len() - 4;
    assert_eq!(u32_at(&blob, n), crc32(&blob[..n]));
    assert_eq!(&blob[..8], b"\x89SLCKPT\n");
    assert_eq!(
        u64::from_le_bytes(blob[20..28].try_into().unwrap()),
        blob.len() as u64
    );
}

#[test]
fn every_truncation_is_refused_and_says_so() {
    let blob = small_blob();
    for len in 0..blob.len() {
        let err = BlobReader::open(&blob[..len]).unwrap_err();
        match err {
            BlobError::TooShort(n) => assert!(len < 32 && n == len),
            BlobError::Truncated { expected, actual } => {
                assert_eq!((expected, actual), (blob.len() as u64, len as u64));
                assert!(err.to_string().contains("truncated"));
            }
            BlobError::BadMagic => assert!(len < 8, "prefix of {len} bytes"),
            other => panic!("prefix of {len} bytes: {other:?}"),
        }
    }
    let mut longer = blob.clone();
    longer.push(0);
    assert_eq!(
        BlobReader::open(&longer).unwrap_err(),
        BlobError::TrailingBytes(1)
    );
}

#[test]
fn every_single_bit_flip_is_caught() {
    let blob = small_blob();
    let mut copy = blob.clone();
    for at in 0..blob.len() {
        for bit in 0..8 {
            copy[at] ^= 1 << bit;
            assert!(
                BlobReader::open(&copy).is_err(),
                "flip of bit {bit} in byte {at} went unnoticed"
            );
            copy[at] = blob[at];
        }
    }
    let mut flipped = blob.clone();
    flipped[blob.len() / 2] ^= 0x10;
    assert_eq!(
        BlobReader::open(&flipped).unwrap_err(),
        BlobError::ChecksumMismatch
    );
    assert!(BlobError::ChecksumMismatch
        .to_string()
        .contains("corrupted"));
}

#[test]
fn wrong_magic_and_newer_versions_are_refused_with_a_message_that_says_so() {
    let blob = small_blob();
    let mut png = blob.clone();
    png[1..4].copy_from_slice(b"PNG");
    assert_eq!(BlobReader::open(&png).unwrap_err(), BlobError::BadMagic);
    assert_eq!(
        BlobReader::open(b"{\"checkpointId\": 1}").unwrap_err(),
        BlobError::BadMagic
    );
    assert!(BlobError::BadMagic
        .to_string()
        .contains("not a StateLab checkpoint"));

    let mut newer = blob.clone();
    newer[8..10].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let err = BlobReader::open(&newer).unwrap_err();
    assert_eq!(
        err,
        BlobError::NewerVersion {
            found: FORMAT_VERSION + 1,
            supported: FORMAT_VERSION
        }
    );
    assert!(err.to_string().contains("newer StateLab"), "{err}");
    let mut zero = blob;
    zero[8..10].copy_from_slice(&0u16.to_le_bytes());
    assert_eq!(
        BlobReader::open(&zero).unwrap_err(),
        BlobError::UnknownVersion(0)
    );
}

#[test]
fn enormous_claimed_lengths_are_refused_before_anything_is_allocated() {
    let blob = small_blob();
    // The total length field.
    let mut b = blob.clone();
    b[20..28].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(
        BlobReader::open(&b).unwrap_err(),
        BlobError::Truncated {
            expected: u64::MAX,
            ..
        }
    ));
    // The metadata length, behind a valid checksum.
    let mut b = blob.clone();
    b[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
    reseal(&mut b);
    assert!(malformed(BlobReader::open(&b)).contains("metadata of 4294967295 bytes"));
    // The number of key groups.
    let mut b = blob.clone();
    b[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    reseal(&mut b);
    assert!(malformed(BlobReader::open(&b)).contains("4294967295 key groups"));
    // One section's raw length and entry count.
    for (field, value, expect) in [
        (8, u32::MAX, "bytes of entries"),
        (12, u32::MAX, "entries cannot fit"),
        (4, u32::MAX, "runs past the end"),
    ] {
        let mut b = blob.clone();
        let at = section_entry(&b, 3) + field;
        b[at..at + 4].copy_from_slice(&value.to_le_bytes());
        reseal(&mut b);
        let m = malformed(BlobReader::open(&b));
        assert!(m.contains(expect), "field {field}: {m}");
    }
}

#[test]
fn a_section_that_inflates_beyond_its_declared_size_is_refused() {
    // Few key groups with many keys counted once: sections large and repetitive enough to be deflated.
    let j = Job {
        key_type: JavaKeyType::Integer,
        zero_pad: 0,
        key_count: 5000,
        parallelism: 1,
        max_parallelism: Some(4),
        events: 20_000,
        typed: vec![],
        checkpoint_after: 3000,
        seed: 5,
    };
    let mut c = config(&j);
    c.source.distribution = KeyDistribution::Sequential;
    let (cluster, id) = checkpointed_config(c, &[], j.checkpoint_after);
    let blob = cluster.checkpoint_blob(id).unwrap();
    // Shrink a deflated section's declared raw length: inflating must stop at the declared size.
    let reader = BlobReader::open(&blob).unwrap();
    let kg = reader
        .sections()
        .iter()
        .position(|s| s.encoding == 1)
        .expect("a deflated section");
    let mut b = blob.clone();
    let at = section_entry(&b, kg) + 8;
    let raw = u32_at(&b, at);
    let entries = u32_at(&b, at + 4);
    let smaller = (raw - 1).max(entries * 2);
    b[at..at + 4].copy_from_slice(&smaller.to_le_bytes());
    reseal(&mut b);
    let err = malformed(BlobReader::open(&b));
    assert!(
        err.contains(&format!("key group {kg}: its entries take")),
        "{err}"
    );
    let mut events = Milestones::default();
    assert!(MiniCluster::from_blob(&b, None, &mut events).is_err());

    // A declared size no deflate stream of that length can reach is refused on opening (a zip bomb's claim).
    let stored = u32_at(&blob, at - 4);
    let mut b = blob.clone();
    b[at..at + 4].copy_from_slice(&(stored * 1100 + 2048).to_le_bytes());
    reseal(&mut b);
    assert!(malformed(BlobReader::open(&b)).contains("cannot inflate"));
}

#[test]
fn an_entry_in_the_wrong_key_group_or_a_repeated_key_is_refused() {
    let j = Job {
        key_type: JavaKeyType::Long,
        zero_pad: 0,
        key_count: 50,
        parallelism: 1,
        max_parallelism: Some(8),
        events: 500,
        typed: vec![],
        checkpoint_after: 250,
        seed: 3,
    };
    let (cluster, id) = checkpointed(&j);
    let original = cluster.coordinator().store().get(id).unwrap();
    let (from, to) = (0..8)
        .map(|g| (g, (g + 1) % 8))
        .find(|&(g, _)| !original.key_groups[g].is_empty())
        .unwrap();

    let mut moved = (**original).clone();
    let entry = moved.key_groups[from].pop().unwrap();
    moved.key_groups[to].push(entry);
    let blob = encode(&moved, cluster.keys(), cluster.config()).unwrap();
    let err = malformed(BlobReader::open(&blob));
    assert!(
        err.contains(&format!("holds a key of key group {from}")),
        "{err}"
    );
    let mut events = Milestones::default();
    assert!(MiniCluster::from_blob(&blob, None, &mut events).is_err());

    let mut repeated = (**original).clone();
    let entry = repeated.key_groups[from][0];
    repeated.key_groups[from].push(entry);
    let blob = encode(&repeated, cluster.keys(), cluster.config()).unwrap();
    let err = malformed(BlobReader::open(&blob));
    assert!(err.contains("repeats a key"), "{err}");
}

/// Rewrites the (deflated JSON) metadata of a blob; the section table and payload stay as they were.
fn with_metadata(blob: &[u8], edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let len = u32_at(blob, 12) as usize;
    let json = miniz_oxide::inflate::decompress_to_vec(&blob[28..28 + len]).unwrap();
    let mut value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    edit(&mut value);
    let deflated = miniz_oxide::deflate::compress_to_vec(&serde_json::to_vec(&value).unwrap(), 6);
    let mut out = blob[..28].to_vec();
    out[12..16].copy_from_slice(&(deflated.len() as u32).to_le_bytes());
    out.extend_from_slice(&deflated);
    out.extend_from_slice(&blob[28 + len..]);
    reseal(&mut out);
    out
}

#[test]
fn a_blob_of_another_job_shape_is_refused_with_a_message_that_says_so() {
    let blob = small_blob_v1();
    assert!(
        BlobReader::open(&with_metadata(&blob, |_| {})).is_ok(),
        "the rewrite itself is sound"
    );

    let list_state = with_metadata(&blob, |m| m["state"]["kind"] = "ListState".into());
    let err = BlobReader::open(&list_state).unwrap_err();
    assert!(matches!(err, BlobError::JobShape(_)));
    assert!(
        err.to_string().contains("ListState<Long> 'event-counter'"),
        "{err}"
    );
    assert!(
        err.to_string().contains("ValueState<Long> 'event-counter'"),
        "{err}"
    );

    let renamed = with_metadata(&blob, |m| m["state"]["name"] = "clicks".into());
    assert!(BlobReader::open(&renamed)
        .unwrap_err()
        .to_string()
        .contains("'clicks'"));

    let long_keyed = with_metadata(&blob, |m| m["state"]["keyType"] = "Long".into());
    let err = BlobReader::open(&long_keyed).unwrap_err();
    assert!(
        err.to_string()
            .contains("keyed by Long but its job by String"),
        "{err}"
    );

    let nine = with_metadata(&blob, |m| m["job"]["parallelism"] = 9.into());
    assert!(BlobReader::open(&nine).is_err());

    let unknown_field = with_metadata(&blob, |m| m["window"] = "tumbling".into());
    let err = BlobReader::open(&unknown_field).unwrap_err();
    assert!(err.to_string().contains("unknown field `window`"), "{err}");

    let more_groups = with_metadata(&blob, |m| m["maxParallelism"] = 32.into());
    assert!(BlobReader::open(&more_groups).is_err());

    // A named key that spells a generated one would be the same Java key as that number: two entries.
    let aliased = with_metadata(&blob, |m| m["namedKeys"][0] = "user-000007".into());
    assert!(
        malformed(BlobReader::open(&aliased)).contains("'user-000007' is not stored by its name")
    );

    let far_future = with_metadata(&blob, |m| {
        m["sourcePositions"][0]["generated"] = u64::MAX.into()
    });
    assert!(malformed(BlobReader::open(&far_future)).contains("source position"));
}

/// The metadata of a blob as its version stores it, inflated.
fn raw_metadata(blob: &[u8]) -> Vec<u8> {
    let len = u32_at(blob, 12) as usize;
    miniz_oxide::inflate::decompress_to_vec(&blob[28..28 + len]).unwrap()
}

/// Replaces the metadata of a blob with `raw` (deflated), keeping the section table and the payload.
fn with_raw_metadata(blob: &[u8], raw: &[u8]) -> Vec<u8> {
    let len = u32_at(blob, 12) as usize;
    let deflated = miniz_oxide::deflate::compress_to_vec(raw, 6);
    let mut out = blob[..28].to_vec();
    out[12..16].copy_from_slice(&(deflated.len() as u32).to_le_bytes());
    out.extend_from_slice(&deflated);
    out.extend_from_slice(&blob[28 + len..]);
    reseal(&mut out);
    out
}

/// Rewrites the (binary) metadata of a version-2 blob through its values.
fn with_metadata_v2(blob: &[u8], edit: impl FnOnce(&mut BlobMetadata)) -> Vec<u8> {
    let mut m = BlobReader::open(blob).unwrap().metadata().clone();
    edit(&mut m);
    with_raw_metadata(blob, &metadata_v2::write(&m))
}

/// `raw` with the first `pattern` replaced by `with`.
fn splice(raw: &[u8], pattern: &[u8], with: &[u8]) -> Vec<u8> {
    let at = raw
        .windows(pattern.len())
        .position(|w| w == pattern)
        .unwrap_or_else(|| panic!("{pattern:?} not in the metadata"));
    [&raw[..at], with, &raw[at + pattern.len()..]].concat()
}

fn varint(mut v: u64) -> Vec<u8> {
    let mut out = Vec::new();
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
    out
}

/// The problem a version-2 blob's metadata was refused for.
fn metadata_problem(blob: &[u8]) -> MetadataProblem {
    match BlobReader::open(blob) {
        Err(BlobError::Malformed(Malformed::MetadataBinary { problem, .. })) => problem,
        other => panic!("expected unreadable metadata, got {other:?}"),
    }
}

#[test]
fn a_version_2_blob_of_another_job_shape_is_refused_like_a_version_1_blob() {
    let blob = small_blob();
    assert_eq!(BlobReader::open(&blob).unwrap().version(), 2);
    assert_eq!(
        with_metadata_v2(&blob, |_| {}),
        blob,
        "the rewrite is the blob"
    );
    let refusal =
        |edit: fn(&mut BlobMetadata)| BlobReader::open(&with_metadata_v2(&blob, edit)).unwrap_err();
    let err = refusal(|m| m.state.kind = "ListState".into());
    assert!(
        err.to_string().contains("ListState<Long> 'event-counter'"),
        "{err}"
    );
    let err = refusal(|m| m.state.key_type = JavaKeyType::Long);
    assert!(
        err.to_string()
            .contains("keyed by Long but its job by String"),
        "{err}"
    );
    refusal(|m| m.job.parallelism = 9);
    refusal(|m| m.max_parallelism = 32);
    let err = refusal(|m| m.named_keys[0] = "user-000007".into());
    assert!(
        matches!(err, BlobError::Malformed(_))
            && err
                .to_string()
                .contains("'user-000007' is not stored by its name"),
        "{err}"
    );
    let err = refusal(|m| m.source_positions[0].generated = u64::MAX);
    assert!(err.to_string().contains("source position"), "{err}");
}

#[test]
fn damaged_version_2_metadata_is_refused_where_it_stops_reading() {
    let blob = small_blob();
    let raw = raw_metadata(&blob);
    // Cut anywhere: the metadata ends in the middle of a value, in a list that claims more than is left, or
    // before a field it always has.
    for len in 0..raw.len() {
        let cut = with_raw_metadata(&blob, &raw[..len]);
        assert!(
            matches!(
                metadata_problem(&cut),
                MetadataProblem::CutShort
                    | MetadataProblem::ListLength { .. }
                    | MetadataProblem::MissingField(_)
            ),
            "cut at {len}: {:?}",
            metadata_problem(&cut)
        );
    }
    let longer = with_raw_metadata(&blob, &[&raw[..], &[0]].concat());
    assert_eq!(metadata_problem(&longer), MetadataProblem::BytesLeft(1));
    // A field the reader does not know: a newer StateLab's.
    let newer = [&raw[..raw.len() - 1], &[15, 1, 0]].concat();
    assert_eq!(
        metadata_problem(&with_raw_metadata(&blob, &newer)),
        MetadataProblem::UnknownField(15)
    );
    // The producer (field 1) written twice.
    let twice = [&raw[..raw.len() - 1], &[1, 0, 0]].concat();
    assert_eq!(
        metadata_problem(&with_raw_metadata(&blob, &twice)),
        MetadataProblem::FieldOrder(1)
    );
    // The first field's number in two bytes where one does: not how StateLab writes it.
    let long_form = [&[0x81, 0x00][..], &raw[1..]].concat();
    assert_eq!(
        metadata_problem(&with_raw_metadata(&blob, &long_form)),
        MetadataProblem::NonCanonical
    );
    // The producer's length claims more bytes than there are.
    let beyond = [&[1][..], &varint(1 << 40), &raw[2..]].concat();
    assert_eq!(
        metadata_problem(&with_raw_metadata(&blob, &beyond)),
        MetadataProblem::CutShort
    );
    let not_utf8 = splice(&raw, b"StateLab", b"State\xffab");
    assert_eq!(
        metadata_problem(&with_raw_metadata(&blob, &not_utf8)),
        MetadataProblem::NotUtf8
    );
    let mut m = BlobReader::open(&blob).unwrap().metadata().clone();
    m.job.source.distribution = KeyDistribution::Zipf { exponent: f64::NAN };
    assert_eq!(
        metadata_problem(&with_raw_metadata(&blob, &metadata_v2::write(&m))),
        MetadataProblem::NotFinite
    );
    // Parallelism (field 2 of the job) of 2^32: not a u32.
    m = BlobReader::open(&blob).unwrap().metadata().clone();
    m.job.seed = 0x5EED;
    let seed = [&[1][..], &varint(0x5EED)].concat();
    let wide = splice(
        &metadata_v2::write(&m),
        &[&seed[..], &[2, 2]].concat(),
        &[&seed[..], &[2], &varint(1 << 32)].concat(),
    );
    assert_eq!(
        metadata_problem(&with_raw_metadata(&blob, &wide)),
        MetadataProblem::OutOfRange
    );
}

#[test]
fn version_2_lists_beyond_their_caps_or_their_bytes_are_refused_before_they_are_read() {
    let blob = small_blob();
    let raw = raw_metadata(&blob);
    // Named keys (field 11): one, "alice".
    let named = [&[11, 1, 5][..], b"alice"].concat();
    let claims = |count: u64| {
        let raw = splice(
            &raw,
            &named,
            &[&[11][..], &varint(count), &named[2..]].concat(),
        );
        BlobReader::open(&with_raw_metadata(&blob, &raw)).unwrap_err()
    };
    for count in [200_001, 1 << 40] {
        assert_eq!(
            claims(count),
            BlobError::TooLarge(Limit::NamedKeys { max: 200_000 })
        );
    }
    assert_eq!(
        claims(199_999),
        BlobError::Malformed(Malformed::MetadataBinary {
            offset: raw.windows(named.len()).position(|w| w == named).unwrap() as u64 + 1,
            problem: MetadataProblem::ListLength { count: 199_999 },
        })
    );
    // A replay list (field 6 of the source), a failure list (field 12 of the job).
    let mut m = BlobReader::open(&blob).unwrap().metadata().clone();
    m.job.source.replay = Some(vec!["q".into()]);
    let replay = metadata_v2::write(&m);
    let over = splice(
        &replay,
        &[6, 1, 1, b'q'],
        &[&[6][..], &varint(100_001), &[1, b'q']].concat(),
    );
    assert!(matches!(
        BlobReader::open(&with_raw_metadata(&blob, &over)).unwrap_err(),
        BlobError::JobShape(statelab::engine::checkpoint::blob_error::JobShape::Job(
            statelab::engine::cluster::job_config_error::JobConfigError::ReplayTooLong {
                max: 100_000
            }
        ))
    ));
    let failures = splice(&raw, &[12, 0], &[&[12][..], &varint(100_001)].concat());
    assert_eq!(
        BlobReader::open(&with_raw_metadata(&blob, &failures)).unwrap_err(),
        BlobError::TooLarge(Limit::List {
            count: 100_001,
            max: 100_000
        })
    );
    // Source positions (field 8): at most one per source subtask StateLab runs (8).
    let positions = splice(&raw, &[8, 2], &[8, 9]);
    assert_eq!(
        BlobReader::open(&with_raw_metadata(&blob, &positions)).unwrap_err(),
        BlobError::TooLarge(Limit::List { count: 9, max: 8 })
    );
}

#[test]
fn named_keys_are_stored_once_and_typed_keys_that_spell_a_generated_key_are_not_named() {
    let blob = small_blob();
    let reader = BlobReader::open(&blob).unwrap();
    assert_eq!(reader.metadata().named_keys, vec!["alice".to_owned()]);
    let mut found = Vec::new();
    for kg in KeyGroup::all(reader.metadata().max_parallelism) {
        for (key, value) in reader.key_group(kg).unwrap().entries {
            if matches!(key, KeyRef::Named(_)) || key == KeyRef::Generated(7) {
                let StateValue::Long(value) = value else {
                    panic!("the counter's values are Longs")
                };
                found.push((reader.java_key(key).unwrap(), value >= 1));
            }
        }
    }
    found.sort_by_key(|(k, _)| k.to_string());
    assert_eq!(
        found,
        vec![
            (JavaKey::String("alice".into()), true),
            (JavaKey::String("user-000007".into()), true)
        ]
    );
}

#[test]
fn user_padded_keys_take_far_fewer_bytes_than_flinks_own_21_per_entry() {
    // 100,000 keys user-%06d drawn uniformly, most of them counted once or twice, in 128 key groups.
    let mut c = config(&Job {
        key_type: JavaKeyType::String,
        zero_pad: 6,
        key_count: 100_000,
        parallelism: 2,
        max_parallelism: Some(128),
        events: 1_000_000,
        typed: vec![],
        checkpoint_after: 0,
        seed: 11,
    });
    c.source.distribution = KeyDistribution::Uniform;
    let (cluster, id) = checkpointed_config(c, &[], 200_000);
    let blob = cluster.checkpoint_blob(id).unwrap();
    let reader = BlobReader::open(&blob).unwrap();
    let entries = reader.metadata().entries;
    assert!(entries > 80_000, "{entries}");
    let per_entry = blob.len() as f64 / entries as f64;
    let flink_per_entry = reader.metadata().flink_state_size as f64 / entries as f64;
    assert!(per_entry < 5.0, "{per_entry:.2} bytes per entry");
    assert!(
        flink_per_entry > 21.0,
        "Flink's format: {flink_per_entry:.2} bytes per entry"
    );
}

// ---------------------------------------------------------------------------------------------------------
// Golden blobs: written by earlier versions, they must keep opening to the same state.

#[test]
fn golden_blobs_still_open_to_the_state_they_were_written_with() {
    let mut checked = 0;
    let mut versions = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(BLOBS).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("slcp") {
            continue;
        }
        let blob = std::fs::read(&path).unwrap();
        let expected: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path.with_extension("json")).unwrap()).unwrap();
        let reader = BlobReader::open(&blob).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(u64::from(reader.version()), expected["formatVersion"]);
        versions.insert(reader.version());
        assert_eq!(
            serde_json::to_value(reader.metadata()).unwrap(),
            expected["metadata"],
            "{}",
            path.display()
        );
        // The page's reader opens version 1 only once upgraded, as the checkpoint library's worker hands it over.
        let upgraded = upgraded(&blob).unwrap();
        assert_eq!(
            upgraded.is_some(),
            reader.version() == 1,
            "{}",
            path.display()
        );
        let binary = upgraded.as_deref().unwrap_or(&blob);
        let page =
            BlobReader::open_binary(binary).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            serde_json::to_value(page.metadata()).unwrap(),
            expected["metadata"],
            "{} upgraded",
            path.display()
        );
        if reader.version() == 1 {
            assert_eq!(page.version(), 2);
            assert_eq!(
                BlobReader::open_binary(&blob).unwrap_err(),
                BlobError::NotUpgraded(1)
            );
        }
        if reader.version() >= 3 {
            golden_version_3(&reader, &blob, &expected, &path);
            checked += 1;
            continue;
        }
        let mut all = BTreeMap::new();
        for group in expected["keyGroups"].as_array().unwrap() {
            let kg = KeyGroup::try_from(group["keyGroup"].as_i64().unwrap()).unwrap();
            let state: Vec<(String, i64)> = reader
                .key_group(kg)
                .unwrap()
                .entries
                .into_iter()
                .map(|(k, v)| {
                    let StateValue::Long(v) = v else {
                        panic!("the counter's values are Longs")
                    };
                    (reader.java_key(k).unwrap().to_string(), v)
                })
                .collect();
            let want: Vec<(String, i64)> = group["state"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
                .collect();
            assert_eq!(state, want, "{} key group {kg}", path.display());
            all.extend(want);
        }
        // And the job restored from it holds exactly that state, at its own and at another parallelism.
        for parallelism in [None, Some(3)] {
            let mut events = Milestones::default();
            let cluster = MiniCluster::from_blob(&blob, parallelism, &mut events).unwrap();
            assert_eq!(counts(&cluster), all, "{}", path.display());
            let cluster = MiniCluster::from_binary_blob(binary, parallelism, &mut events).unwrap();
            assert_eq!(counts(&cluster), all, "{} upgraded", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} golden blobs under {BLOBS}");
    assert_eq!(versions, [1, 2, 3].into_iter().collect(), "every version");
}

/// A state value as `statelab inspect` prints it.
fn value_json(value: StateValue) -> serde_json::Value {
    use serde_json::json;
    match value {
        StateValue::Long(v) => json!(v),
        StateValue::Object(StateValueObject::List { elements, .. }) => json!(elements),
        StateValue::Object(StateValueObject::Map { entries, .. }) => serde_json::Value::Object(
            entries
                .iter()
                .map(|e| (e.key.to_string(), json!(e.value)))
                .collect(),
        ),
        StateValue::Object(StateValueObject::Tuple2 { f0, f1 }) => json!([f0, f1]),
        StateValue::Object(StateValueObject::KeyStats { count, sum }) => {
            json!({"count": count, "sum": sum})
        }
        StateValue::Object(StateValueObject::TtlValue {
            user_value,
            last_access_timestamp,
        }) => json!({"value": user_value, "lastAccessTimestamp": last_access_timestamp}),
        // No blob holds a list or map with TTL (no job function keeps one).
        StateValue::Object(StateValueObject::TtlList { elements, .. }) => json!(elements
            .iter()
            .map(|e| json!({"value": e.user_value, "lastAccessTimestamp": e.last_access_timestamp}))
            .collect::<Vec<_>>()),
        StateValue::Object(StateValueObject::TtlMap { entries, .. }) => serde_json::Value::Object(
            entries
                .iter()
                .map(|e| {
                    (
                        e.key.to_string(),
                        json!({"value": e.value.user_value, "lastAccessTimestamp": e.value.last_access_timestamp}),
                    )
                })
                .collect(),
        ),
    }
}

/// A version-3 golden blob: every key group's values and timers as recorded, and a job restored from it, at its
/// own and at another parallelism, holding the checkpoint's state and timers.
fn golden_version_3(
    reader: &BlobReader<'_>,
    blob: &[u8],
    expected: &serde_json::Value,
    path: &std::path::Path,
) {
    for group in expected["keyGroups"].as_array().unwrap() {
        let kg = KeyGroup::try_from(group["keyGroup"].as_i64().unwrap()).unwrap();
        let state = reader.key_group(kg).unwrap();
        let values: serde_json::Map<String, serde_json::Value> = state
            .entries
            .into_iter()
            .map(|(k, v)| (reader.java_key(k).unwrap().to_string(), value_json(v)))
            .collect();
        assert_eq!(
            serde_json::Value::Object(values),
            group["state"],
            "{} key group {kg}",
            path.display()
        );
        let timers: Vec<serde_json::Value> = state
            .timers
            .into_iter()
            .map(|(k, t)| serde_json::json!({"key": reader.java_key(k).unwrap().to_string(), "timestamp": t}))
            .collect();
        assert_eq!(
            serde_json::Value::from(timers),
            group["timers"],
            "{}",
            path.display()
        );
    }
    let mut keys = KeyRegistry::new(reader.metadata().job.source.key_format.clone());
    let checkpoint = reader.to_completed_checkpoint(&mut keys).unwrap();
    let values = values_of(
        &checkpoint.key_groups.concat(),
        &checkpoint.objects.concat(),
        &keys,
    );
    let timers: BTreeSet<(String, i64)> = checkpoint
        .timers
        .concat()
        .iter()
        .map(|&(k, t)| (keys.display(k), t))
        .collect();
    for parallelism in [None, Some(3)] {
        let mut events = Milestones::default();
        let cluster = MiniCluster::from_blob(blob, parallelism, &mut events).unwrap();
        assert_eq!(cluster_values(&cluster), values, "{}", path.display());
        assert_eq!(cluster_timers(&cluster), timers, "{}", path.display());
    }
}

/// The replayed golden blob, checked against its input rather than against its recorded output: an
/// exactly-once checkpoint counts each key as often as it occurs among the events before the source positions.
#[test]
fn the_replayed_golden_blob_counts_exactly_the_events_before_its_source_positions() {
    let blob = std::fs::read(format!("{BLOBS}/named-keys-p4.slcp")).unwrap();
    let keys: Vec<String> = std::fs::read_to_string(format!("{BLOBS}/named-keys.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let reader = BlobReader::open(&blob).unwrap();
    let m = reader.metadata();
    assert_eq!(m.job.source.replay.as_deref(), Some(keys.as_slice()));
    let splits = m.source_positions.len() as u64;
    let mut expected: BTreeMap<String, i64> = BTreeMap::new();
    for (j, position) in m.source_positions.iter().enumerate() {
        for k in 0..position.generated {
            *expected
                .entry(keys[(j as u64 + k * splits) as usize].clone())
                .or_default() += 1;
        }
    }
    assert!(expected.len() > 100 && expected.contains_key("😀 emoji key"));
    let mut events = Milestones::default();
    let cluster = MiniCluster::from_blob(&blob, Some(1), &mut events).unwrap();
    assert_eq!(counts(&cluster), expected);
}

/// A subtask restoring at a new parallelism reads only its own key groups' sections: together the subtasks'
/// ranges read every entry exactly once.
#[test]
fn key_group_ranges_read_only_their_sections() {
    let blob = std::fs::read(format!("{BLOBS}/uniform-10k-p4.slcp")).unwrap();
    let reader = BlobReader::open(&blob).unwrap();
    let mut total = 0;
    for subtask in 0..3 {
        let range = statelab::engine::keys::key_group_range_assignment::compute_key_group_range_for_operator_index(
            128, 3, subtask,
        )
        .unwrap();
        let groups = reader.key_groups(range).unwrap();
        assert_eq!(groups.first().unwrap().0.as_i32(), range.start_key_group());
        assert_eq!(groups.last().unwrap().0.as_i32(), range.end_key_group());
        for (kg, entries) in groups {
            assert_eq!(entries, reader.key_group(kg).unwrap());
            total += entries.entries.len() as u64;
        }
    }
    assert_eq!(total, reader.metadata().entries);
}

#[test]
fn content_ids_tell_blobs_apart_where_the_crc_32_trailer_cannot() {
    use statelab::engine::checkpoint::checkpoint_blob::content_id;
    // The FIPS 180-2 test vector: the identity is plain SHA-256.
    assert_eq!(
        content_id(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    // Two different checkpoints of the same length: the CRC-32 of data followed by its own CRC-32 is the same
    // residue for every valid blob (what the old import key was made of), the content identities differ.
    let a = small_blob();
    let mut b = small_blob();
    let at = b.len() - 5;
    b[at] ^= 1;
    reseal(&mut b);
    assert_eq!(a.len(), b.len());
    assert_ne!(a, b);
    assert_eq!(
        crc32(&a),
        crc32(&b),
        "the CRC-32 residue of every sealed blob is one constant"
    );
    assert_ne!(content_id(&a), content_id(&b));
    assert_eq!(content_id(&a), content_id(&small_blob()));
}

/// A job of `function` over 40 keys from one source (so each key's events arrive in one order whatever the
/// parallelism) and its checkpoint after 1,000 of its 3,000 records.
fn function_run(function: JobFunction) -> (MiniCluster, u64) {
    let mut c = JobConfig::default();
    c.function = function;
    c.seed = 5;
    c.parallelism = 2;
    c.max_parallelism = Some(32);
    c.source.parallelism = 1;
    c.source.key_count = 40;
    c.source.max_events = Some(3_000);
    // Slow enough that sessions (2 s gap) and TTLs (5 s) come and go.
    c.source.rate = 400;
    c.checkpointing.interval_ms = None;
    checkpointed_config(c, &["alice".to_owned()], 1_000)
}

/// Each key's state as text, whatever the function keeps: a `Long`, a list's elements, a map's mappings in
/// key order, a pair, a TTL value and its timestamp.
fn values_of(
    longs: &[(KeyId, i64)],
    objects: &[(KeyId, StateValueObject)],
    keys: &KeyRegistry,
) -> BTreeMap<String, String> {
    let longs = longs.iter().map(|&(k, v)| (keys.display(k), v.to_string()));
    let objects = objects.iter().map(|(k, o)| {
        let text = match o {
            StateValueObject::Map { entries, .. } => {
                let sorted: BTreeMap<_, _> = entries.iter().map(|e| (&*e.key, e.value)).collect();
                format!("{sorted:?}")
            }
            StateValueObject::List { elements, .. } => format!("{elements:?}"),
            other => format!("{other:?}"),
        };
        (keys.display(*k), text)
    });
    longs.chain(objects).collect()
}

fn cluster_values(cluster: &MiniCluster) -> BTreeMap<String, String> {
    values_of(&cluster.counts(), &cluster.state_objects(), cluster.keys())
}

/// The timers of every subtask's timer service, by key and timestamp.
fn cluster_timers(cluster: &MiniCluster) -> BTreeSet<(String, i64)> {
    let mut timers = BTreeSet::new();
    for task in cluster.tasks() {
        for queue in 0..task.backend().priority_queue_state_names().len() {
            for t in task.backend().priority_queue(queue).unwrap().iter() {
                timers.insert((cluster.keys().display(t.key.key), t.timestamp));
            }
        }
    }
    timers
}

/// A key group as text: its entries (key and value), then its timers (key, timestamp).
type GroupText = (Vec<String>, Vec<(String, i64)>);

#[test]
fn every_functions_checkpoint_survives_the_round_trip_in_its_format_version() {
    for function in JobFunction::ALL {
        let (cluster, id) = function_run(function);
        let original = cluster.coordinator().store().get(id).unwrap().clone();
        let blob = cluster.checkpoint_blob(id).unwrap();
        let reader = BlobReader::open(&blob).unwrap();
        let expected_version = if function.is_counter() { 2 } else { 3 };
        assert_eq!(reader.version(), expected_version, "{function:?}");
        assert_eq!(reader.metadata().job.function, function);
        assert_eq!(reader.metadata().state.name, function.state_name());
        let mut keys = KeyRegistry::new(reader.metadata().job.source.key_format.clone());
        let decoded = reader.to_completed_checkpoint(&mut keys).unwrap();
        // Every key group's entries and timers in the order they were written, objects as the serializer's
        // copy makes them: as Java prints them (a map's mappings in the order it iterates them) and their
        // containers' heap (an `ArrayList`'s capacity, a `HashMap`'s table).
        let by_group = |c: &CompletedCheckpoint, k: &KeyRegistry| -> Vec<GroupText> {
            (0..c.key_groups.len())
                .map(|kg| {
                    let longs = c.key_groups[kg]
                        .iter()
                        .map(|(key, v)| format!("{} {v}", k.display(*key)));
                    let objects = c.objects_of(kg).iter().map(|(key, o)| {
                        let copy = o.serializer_copy();
                        format!("{} {copy} {}", k.display(*key), copy.container_bytes())
                    });
                    let timers = c
                        .timers_of(kg)
                        .iter()
                        .map(|&(key, t)| (k.display(key), t))
                        .collect();
                    (longs.chain(objects).collect(), timers)
                })
                .collect()
        };
        assert_eq!(
            by_group(&decoded, &keys),
            by_group(&original, cluster.keys()),
            "{function:?}"
        );
        assert_eq!(decoded.entries(), original.entries());
        assert_eq!(decoded.objects.is_empty(), original.objects.is_empty());
        assert_eq!(decoded.timers.is_empty(), original.timers.is_empty());
        assert_eq!(
            function == JobFunction::Session,
            !decoded.timers.is_empty(),
            "{function:?}: only the session has timers"
        );
        // Uncompressed, the same.
        let plain = encode_uncompressed(&original, cluster.keys(), cluster.config()).unwrap();
        let plain_reader = BlobReader::open(&plain).unwrap();
        let mut plain_keys = KeyRegistry::new(reader.metadata().job.source.key_format.clone());
        let from_plain = plain_reader
            .to_completed_checkpoint(&mut plain_keys)
            .unwrap();
        assert_eq!(
            by_group(&from_plain, &plain_keys),
            by_group(&decoded, &keys)
        );
        assert_eq!(plain_reader.metadata(), reader.metadata());
        // Every key group holds a key, a map key or a timer once: the timers' named keys are named too.
        for kg in KeyGroup::all(reader.metadata().max_parallelism) {
            let state = reader.key_group(kg).unwrap();
            let distinct: std::collections::HashSet<_> = state.timers.iter().collect();
            assert_eq!(distinct.len(), state.timers.len());
        }
        // Version 1 carries only the counter.
        let v1 = encode_version_1(&original, cluster.keys(), cluster.config(), true);
        assert_eq!(v1.is_ok(), function.is_counter(), "{function:?}");
    }
}

#[test]
fn every_function_restores_from_its_blob_anywhere_and_continues_exactly() {
    for function in JobFunction::ALL {
        let (cluster, id) = function_run(function);
        let checkpoint = cluster.coordinator().store().get(id).unwrap().clone();
        let blob = cluster.checkpoint_blob(id).unwrap();
        let at_checkpoint = values_of(
            &checkpoint.key_groups.concat(),
            &checkpoint.objects.concat(),
            cluster.keys(),
        );
        let checkpoint_timers: BTreeSet<(String, i64)> = checkpoint
            .timers
            .concat()
            .iter()
            .map(|&(k, t)| (cluster.keys().display(k), t))
            .collect();
        // The same job never interrupted.
        let mut uninterrupted = MiniCluster::new(cluster.config().clone()).unwrap();
        uninterrupted.inject_key("alice").unwrap();
        uninterrupted.run(RunLimit::steps(10_000_000), &mut Milestones::default());
        assert_eq!(uninterrupted.status(), JobStatus::Finished);
        for parallelism in [None, Some(1), Some(3)] {
            let mut events = Milestones::default();
            let mut restored = MiniCluster::from_blob(&blob, parallelism, &mut events).unwrap();
            assert_eq!(restored.parallelism(), parallelism.unwrap_or(2));
            // What the checkpoint held, objects and timers included.
            assert_eq!(cluster_values(&restored), at_checkpoint, "{function:?}");
            assert_eq!(cluster_timers(&restored), checkpoint_timers, "{function:?}");
            restored.run(RunLimit::steps(10_000_000), &mut events);
            assert_eq!(restored.status(), JobStatus::Finished, "{function:?}");
            let now_ms = (restored.now() / 1_000_000) as i64;
            match function {
                // Time decides what a TTL forgets and when a session closes: their invariants instead.
                JobFunction::IdleCounter => {
                    let totals = counts_of_events(&uninterrupted, &restored);
                    for (key, object) in restored.state_objects() {
                        let StateValueObject::TtlValue {
                            user_value: Some(v),
                            last_access_timestamp,
                        } = object
                        else {
                            panic!("{object:?}")
                        };
                        let total = totals[&restored.keys().display(key)];
                        assert!((1..=total).contains(&v), "{v} of {total}");
                        assert!(last_access_timestamp <= now_ms);
                    }
                }
                JobFunction::Session => {
                    let timers = cluster_timers(&restored);
                    let totals = counts_of_events(&uninterrupted, &restored);
                    for (key, object) in restored.state_objects() {
                        let StateValueObject::Tuple2 { f0, f1 } = object else {
                            panic!("{object:?}")
                        };
                        let key = restored.keys().display(key);
                        assert!((1..=totals[&key]).contains(&f0) && f1 <= now_ms);
                        assert!(
                            timers.contains(&(key.clone(), f1 + SESSION_GAP_MS)),
                            "the open session of {key} has its timer"
                        );
                    }
                }
                _ => assert_eq!(
                    cluster_values(&restored),
                    cluster_values(&uninterrupted),
                    "{function:?} at parallelism {parallelism:?}"
                ),
            }
        }
    }
}

/// Each key's events in the whole run (the counter's count of the same job, uninterrupted).
fn counts_of_events(uninterrupted: &MiniCluster, like: &MiniCluster) -> BTreeMap<String, i64> {
    let mut config = like.config().clone();
    config.function = JobFunction::Counter;
    config.parallelism = uninterrupted.parallelism();
    let mut counter = MiniCluster::new(config).unwrap();
    counter.inject_key("alice").unwrap();
    counter.run(RunLimit::steps(10_000_000), &mut Milestones::default());
    counter
        .counts()
        .into_iter()
        .map(|(k, v)| (counter.keys().display(k), v))
        .collect()
}
