//! StateLab reads real Flink 2.3 snapshots: the public samples (`../shared/groundtruth/flink-2.3-savepoints`,
//! copied to tests/data/flink-savepoints/public) and the snapshots `tools/flink-savepoints/run.sh` makes of a job
//! writing every keyed-state primitive (tests/data/flink-savepoints/generated) — the dump equals what each job
//! wrote (`expected.jsonl` beside each), through the engine and through `statelab inspect --dump`, from a
//! directory, its `_metadata` and a `.zip`. Damaged snapshots (truncated, bits flipped, counts made huge, in a
//! seeded loop) give typed errors, never a panic.
#![cfg(not(target_arch = "wasm32"))]

use statelab::engine::savepoint::checkpoint_properties::{SavepointFormatType, SnapshotType};
use statelab::engine::savepoint::keyed_backend_serialization_proxy::StateKind;
use statelab::engine::savepoint::savepoint_error::{ReadProblem, SavepointError};
use statelab::engine::savepoint::savepoint_reader::{
    read_savepoint, InMemoryFiles, KeyedFormat, Savepoint,
};
use statelab::engine::savepoint::stream_state_handle::StreamStateHandle;
use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/flink-savepoints")
}

/// Every snapshot directory and the expected contents that go with it.
fn snapshots() -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for dir in [
        "savepoint_canonical",
        "savepoint_native",
        "checkpoint_retained",
    ] {
        out.push((
            data().join("public").join(dir),
            data().join("public/expected.jsonl"),
        ));
    }
    let mut generated: Vec<PathBuf> = std::fs::read_dir(data().join("generated"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    generated.sort();
    assert_eq!(
        generated.len(),
        18,
        "tools/flink-savepoints/run.sh makes 6 runs × 3 snapshots"
    );
    for dir in generated {
        let expected = dir.join("expected.jsonl");
        out.push((dir, expected));
    }
    out
}

fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "expected.jsonl")
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn open(dir: &Path) -> Savepoint {
    let files = InMemoryFiles::new(files_of(dir)).unwrap();
    read_savepoint(&files, &[]).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// JSON lines as a sorted list of parsed values (the order of entries is the snapshot's, not the job's).
fn parsed(lines: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = lines
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let value: serde_json::Value =
                serde_json::from_str(&l).unwrap_or_else(|e| panic!("{l}: {e}"));
            // Canonical text: keys sorted.
            let sorted: std::collections::BTreeMap<String, serde_json::Value> =
                serde_json::from_value(value).unwrap();
            canonical(&serde_json::to_value(sorted).unwrap())
        })
        .collect();
    v.sort();
    v
}

/// A state TTL timestamp the job could not know ahead: its expected contents say `"?"`. Read, it must be a time
/// in ms this century (Flink 2.3's processing time when the value was written).
fn timestamp_as_written(k: &str, v: &serde_json::Value) -> Option<String> {
    if k != "lastAccessTimestamp" {
        return None;
    }
    if let Some(ms) = v.as_i64() {
        assert!(
            (1_600_000_000_000..4_100_000_000_000).contains(&ms),
            "a TTL timestamp in ms: {ms}"
        );
    }
    Some("\"?\"".into())
}

fn canonical(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let inner: Vec<String> = keys
                .iter()
                .map(|k| {
                    let value =
                        timestamp_as_written(k, &m[*k]).unwrap_or_else(|| canonical(&m[*k]));
                    format!("{k:?}:{value}")
                })
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        serde_json::Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

fn expected(path: &Path) -> Vec<String> {
    parsed(
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(str::to_owned),
    )
}

#[test]
fn every_snapshot_dumps_exactly_what_its_job_wrote() {
    for (dir, exp) in snapshots() {
        let s = open(&dir);
        let got = parsed(s.dump_lines());
        let want = expected(&exp);
        assert!(!want.is_empty());
        assert_eq!(got, want, "{}", dir.display());
        for op in &s.operators {
            for k in &op.keyed {
                assert!(k.state.is_ok(), "{}: {:?}", dir.display(), k.state);
            }
        }
    }
}

#[test]
fn the_public_samples_are_what_their_readme_says() {
    let cases = [
        (
            "savepoint_canonical",
            2,
            SnapshotType::Savepoint {
                format: SavepointFormatType::Canonical,
            },
            KeyedFormat::Canonical,
        ),
        (
            "savepoint_native",
            3,
            SnapshotType::Savepoint {
                format: SavepointFormatType::Native,
            },
            KeyedFormat::Native,
        ),
        (
            "checkpoint_retained",
            4,
            SnapshotType::Checkpoint {
                name: "Full Checkpoint".into(),
            },
            KeyedFormat::Native,
        ),
    ];
    for (dir, id, kind, format) in cases {
        let s = open(&data().join("public").join(dir));
        assert_eq!(s.metadata.checkpoint_id, id);
        assert_eq!(s.metadata.version, 6);
        assert_eq!(s.metadata.snapshot_type, kind);
        let uids: Vec<Option<String>> =
            s.metadata.operators.iter().map(|o| o.uid.clone()).collect();
        assert_eq!(
            uids,
            [
                "list-sink",
                "k-events-source",
                "event-counter-op",
                "drop-heartbeats"
            ]
            .map(|u| Some(u.to_owned()))
        );
        let op = &s.metadata.operators[2];
        assert_eq!(op.id.to_string(), "e2a406fded32ae49fac48820117d5ae3");
        assert_eq!((op.parallelism, op.max_parallelism), (2, 128));
        // The source's split state: operator state with a name and a size.
        let source = &s.metadata.operators[1].subtasks[0];
        let split = source.managed_operator_state.as_ref().unwrap();
        assert_eq!(split.states[0].name, "SourceReaderState");
        assert_eq!(split.delegate.as_ref().unwrap().size(), 265);
        let view = &s.operators[2];
        assert_eq!(view.keyed.len(), 2);
        for (subtask, keyed) in view.keyed.iter().enumerate() {
            assert_eq!(keyed.format, format);
            let handle = op.subtasks[subtask].managed_keyed_state.as_ref().unwrap();
            let range = handle.key_group_range;
            assert_eq!(
                (range.start_key_group(), range.end_key_group()),
                (64 * subtask as i32, 64 * subtask as i32 + 63)
            );
            assert!(matches!(
                handle.delegate,
                Some(StreamStateHandle::RelativeFile { .. })
            ));
            let state = keyed.state.as_ref().unwrap();
            let names: Vec<(&str, StateKind)> = state
                .proxy
                .states
                .iter()
                .map(|m| (m.name.as_str(), m.kind()))
                .collect();
            assert_eq!(names[0], ("event-counter", StateKind::Value));
            // The two timer queues are registered, and empty.
            for timers in [
                "_timer_state/processing_user-timers",
                "_timer_state/event_user-timers",
            ] {
                let id = state
                    .proxy
                    .states
                    .iter()
                    .position(|m| m.name == timers)
                    .unwrap();
                assert_eq!(state.proxy.states[id].kind(), StateKind::PriorityQueue);
                assert!(!state.entries.iter().any(|e| e.state == id));
            }
            // Five keys per subtask, each in the subtask's key groups.
            assert_eq!(state.entries.len(), 5);
            assert!(state
                .entries
                .iter()
                .all(|e| range.start_key_group() <= e.key_group
                    && e.key_group <= range.end_key_group()));
        }
    }
}

#[test]
fn inline_and_files_compressed_or_not_give_the_same_entries() {
    // The same job (parallelism 2, max parallelism 128, 4 keys): state inline in _metadata, and in files with
    // Snappy compression.
    let g = data().join("generated");
    for kind in ["canonical", "native", "checkpoint"] {
        let inline = open(&g.join(format!("p2-inline-{kind}")));
        let files = open(&g.join(format!("p2-snappy-{kind}")));
        let handles = |s: &Savepoint| -> Vec<&'static str> {
            s.metadata
                .operators
                .iter()
                .flat_map(|o| &o.subtasks)
                .filter_map(|t| {
                    t.managed_keyed_state
                        .as_ref()?
                        .delegate
                        .as_ref()
                        .map(|d| d.kind())
                })
                .collect()
        };
        assert!(handles(&inline)
            .iter()
            .all(|k| *k == "ByteStreamStateHandle"));
        assert!(handles(&files)
            .iter()
            .all(|k| *k == "RelativeFileStateHandle"));
        assert_eq!(handles(&inline).len(), 2);
        assert_eq!(
            parsed(inline.dump_lines()),
            parsed(files.dump_lines()),
            "{kind}"
        );
    }
}

// ---- the CLI ----

fn statelab(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_statelab"))
        .args(args)
        .env("STATELAB_LANG", "en")
        .output()
        .unwrap()
}

#[test]
fn statelab_inspect_dump_equals_the_known_contents_of_every_snapshot() {
    for (dir, exp) in snapshots() {
        for path in [dir.clone(), dir.join("_metadata")] {
            let out = statelab(&["inspect".as_ref(), path.as_os_str(), "--dump".as_ref()]);
            assert!(
                out.status.success(),
                "{}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            let lines = String::from_utf8(out.stdout).unwrap();
            assert_eq!(
                parsed(lines.lines().map(str::to_owned)),
                expected(&exp),
                "{}",
                path.display()
            );
        }
    }
}

/// A zip archive of `files` under `folder/`, entries stored (CRC-32 computed here).
fn stored_zip(folder: &str, files: &[(String, Vec<u8>)]) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, data) in files {
        let name = format!("{folder}/{name}");
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        out.extend(0x0403_4b50u32.to_le_bytes());
        out.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        out.extend(crc.to_le_bytes());
        out.extend(size.to_le_bytes());
        out.extend(size.to_le_bytes());
        out.extend((name.len() as u16).to_le_bytes());
        out.extend([0, 0]);
        out.extend(name.as_bytes());
        out.extend(data);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        central.extend(crc.to_le_bytes());
        central.extend(size.to_le_bytes());
        central.extend(size.to_le_bytes());
        central.extend((name.len() as u16).to_le_bytes());
        central.extend([0; 12]);
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0, 0, 0, 0]);
    out.extend((files.len() as u16).to_le_bytes());
    out.extend((files.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend([0, 0]);
    out
}

#[test]
fn a_zip_of_a_snapshot_directory_reads_like_the_directory() {
    let dir = data().join("generated/p3-files-native");
    let zip = stored_zip("p3-files-native", &files_of(&dir));
    let files = InMemoryFiles::from_zip(&zip).unwrap();
    let s = read_savepoint(&files, &[]).unwrap();
    assert_eq!(
        parsed(s.dump_lines()),
        expected(&dir.join("expected.jsonl"))
    );
    let tmp = std::env::temp_dir().join(format!("statelab-flink-{}.zip", std::process::id()));
    std::fs::write(&tmp, &zip).unwrap();
    let out = statelab(&["inspect".as_ref(), tmp.as_os_str(), "--dump".as_ref()]);
    std::fs::remove_file(&tmp).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        parsed(lines.lines().map(str::to_owned)),
        expected(&dir.join("expected.jsonl"))
    );
}

#[test]
fn the_summary_names_the_type_the_operators_and_the_states() {
    let dir = data().join("public/savepoint_canonical");
    let out = statelab(&["inspect".as_ref(), dir.as_os_str()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "checkpoint 2 · canonical savepoint",
        "uid event-counter-op · parallelism 2 · max parallelism 128",
        "key groups 0-63 · KeyGroupsSavepointStateHandle",
        "state 'event-counter' · VALUE · Long · 5 entries",
        "state '_timer_state/event_user-timers' · PRIORITY_QUEUE · Timer<String, VoidNamespace> · 0 entries",
        "operator state 'SourceReaderState' · SPLIT_DISTRIBUTE",
        "[6] event-counter \"k9\" = 10",
    ] {
        assert!(text.contains(needle), "{needle:?} not in\n{text}");
    }
    // A uid given on the command line names an operator whose metadata has none: by the uid's hash. The public
    // samples carry their uids; an unknown uid matches nothing and changes nothing.
    let out = statelab(&[
        "inspect".as_ref(),
        dir.as_os_str(),
        "--uid".as_ref(),
        "nope".as_ref(),
    ]);
    assert!(out.status.success());
}

// ---- damaged input ----

/// xorshift64*: a fixed seed, so every run tries the same damage.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn read(files: Vec<(String, Vec<u8>)>) -> Result<Savepoint, SavepointError> {
    read_savepoint(&InMemoryFiles::new(files)?, &["primitives-op".to_owned()])
}

#[test]
fn truncated_metadata_is_refused_with_a_reason() {
    for (dir, _) in snapshots() {
        let files = files_of(&dir);
        let (i, metadata) = files
            .iter()
            .enumerate()
            .find(|(_, (n, _))| n == "_metadata")
            .unwrap();
        // The Java-serialised properties at the end: cut there, the type is unknown but the rest reads.
        let properties = metadata
            .1
            .windows(4)
            .position(|w| w == [0xAC, 0xED, 0x00, 0x05])
            .unwrap();
        let step = (properties / 97).max(1);
        for cut in (0..properties).step_by(step) {
            let mut damaged = files.clone();
            damaged[i].1.truncate(cut);
            let e = read(damaged).expect_err("a truncated _metadata reads");
            assert!(
                matches!(
                    e,
                    SavepointError::NotFlinkMetadata
                        | SavepointError::Metadata {
                            problem: ReadProblem::CutShort | ReadProblem::CountBeyondBytes { .. },
                            ..
                        }
                ),
                "{}: cut at {cut}: {e:?}",
                dir.display()
            );
        }
    }
}

#[test]
fn damaged_snapshots_give_typed_errors_never_a_panic() {
    let mut rng = Rng(0x5EED_F11C);
    let mut outcomes = std::collections::BTreeMap::<String, u32>::new();
    for (dir, _) in snapshots() {
        let files = files_of(&dir);
        for round in 0..60 {
            let mut damaged = files.clone();
            let f = rng.below(damaged.len());
            let bytes = &mut damaged[f].1;
            if bytes.is_empty() {
                continue;
            }
            match round % 4 {
                // A flipped bit.
                0 => {
                    let at = rng.below(bytes.len());
                    bytes[at] ^= 1 << rng.below(8);
                }
                // A huge count where an int was.
                1 => {
                    let at = rng.below(bytes.len().saturating_sub(4));
                    bytes[at..at + 4].copy_from_slice(&0x7FFF_FFF0u32.to_be_bytes());
                }
                // Cut short.
                2 => {
                    let at = rng.below(bytes.len());
                    bytes.truncate(at);
                }
                // A run of random bytes.
                _ => {
                    let at = rng.below(bytes.len());
                    let end = (at + 1 + rng.below(16)).min(bytes.len());
                    for b in &mut bytes[at..end] {
                        *b = rng.next() as u8;
                    }
                }
            }
            let outcome = match read(damaged) {
                Err(e) => format!("refused: {}", variant(&format!("{e:?}"))),
                Ok(s) => match s
                    .operators
                    .iter()
                    .flat_map(|o| &o.keyed)
                    .find_map(|k| k.state.as_ref().err())
                {
                    Some(e) => format!("subtask refused: {}", variant(&format!("{e:?}"))),
                    None => "read".to_owned(),
                },
            };
            *outcomes.entry(outcome).or_default() += 1;
        }
    }
    // Damage is caught, not only survived: most damaged snapshots are refused with a reason.
    let refused: u32 = outcomes
        .iter()
        .filter(|(k, _)| k.contains("refused"))
        .map(|(_, v)| v)
        .sum();
    let total: u32 = outcomes.values().sum();
    assert!(refused * 2 > total, "{outcomes:#?}");
}

fn variant(debug: &str) -> String {
    debug
        .split(['(', ' ', '{'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn a_count_beyond_the_bytes_left_is_refused_before_anything_is_allocated() {
    let dir = data().join("public/savepoint_canonical");
    let mut files = files_of(&dir);
    let i = files.iter().position(|(n, _)| n == "_metadata").unwrap();
    // The number of operators (offset 0x14) claims 2^31 - 1.
    files[i].1[0x14..0x18].copy_from_slice(&i32::MAX.to_be_bytes());
    match read(files) {
        Err(SavepointError::Metadata {
            offset: 0x14,
            problem: ReadProblem::CountBeyondBytes { count, .. },
        }) => assert_eq!(count, i32::MAX as u64),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_missing_state_file_is_named() {
    let dir = data().join("public/checkpoint_retained");
    let files: Vec<_> = files_of(&dir)
        .into_iter()
        .filter(|(n, _)| n != "9f262488-d819-4d5d-a02c-4b7fdfabb9a9")
        .collect();
    let s = read(files).unwrap();
    let errors: Vec<_> = s.operators[2]
        .keyed
        .iter()
        .filter_map(|k| k.state.as_ref().err())
        .collect();
    assert_eq!(
        errors,
        [&SavepointError::MissingFile(
            "9f262488-d819-4d5d-a02c-4b7fdfabb9a9".into()
        )]
    );
}

// ---- the fuzz target's corpus ----

#[path = "../fuzz/flink_exercise.rs"]
mod flink_exercise;

#[test]
fn the_fuzz_corpus_replays_through_the_fuzz_targets_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/flink_savepoint");
    let mut n = 0;
    let mut rng = Rng(0xF022);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        flink_exercise::exercise(&data);
        // And damaged, a few times each (seeded).
        for _ in 0..8 {
            let mut d = data.clone();
            let at = rng.below(d.len());
            d[at] ^= 1 << rng.below(8);
            flink_exercise::exercise(&d);
        }
        n += 1;
    }
    assert_eq!(n, 42, "a .zip and a _metadata for each of the 21 snapshots");
}

#[test]
fn every_input_the_fuzzer_crashed_on_reads_to_a_value_or_a_typed_error() {
    // fuzz/regressions/flink_savepoint: inputs `cargo fuzz run flink_savepoint` once crashed on, kept fixed.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/flink_savepoint");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        flink_exercise::exercise(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n >= 1, "the regressions are there");
}

#[test]
fn a_subtask_state_twice_in_one_operator_is_refused() {
    // The first regression: a `_metadata` whose operator lists subtask 0 twice, once without keyed state.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/flink_savepoint");
    let data = std::fs::read(dir.join("crash-135cbfe03b28cfc00ff79738521c41fb163f9c94")).unwrap();
    let files = if statelab::engine::savepoint::zip_archive::is_zip(&data) {
        InMemoryFiles::from_zip(&data).unwrap()
    } else {
        InMemoryFiles::new(vec![("_metadata".to_owned(), data)]).unwrap()
    };
    let err = read_savepoint(&files, &[]).unwrap_err().to_string();
    assert!(err.contains("appears twice"), "{err}");
}
