//! `statelab run --savepoint-out`: the counter's state written as a Flink 2.x canonical savepoint
//! (`MiniCluster::savepoint`, `engine::savepoint::savepoint_writer`). Its state files are byte for byte the ones
//! real Flink 2.3 wrote for the same state (the public sample); StateLab's own reader reads every count back at
//! any parallelism and maximum parallelism, for each key type; and StateLab restores it at another parallelism
//! and goes on counting. (`tools/flink-savepoint-restore` restores it in real Flink;
//! `tests/flink_savepoint_restore.rs` checks what it recorded.)
#![cfg(not(target_arch = "wasm32"))]

use statelab::engine::cluster::engine_event::RunSummary;
use statelab::engine::cluster::job_config::{FailureTrigger, JobConfig, RestartStrategyConfig};
use statelab::engine::cluster::job_status::JobStatus;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::operator_id::{OperatorId, EVENT_COUNTER_UID};
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::keys::java_key::{JavaKey, JavaKeyType};
use statelab::engine::keys::key_group_range_assignment::{
    assign_to_key_group, compute_key_group_range_for_operator_index,
};
use statelab::engine::savepoint::checkpoint_properties::{SavepointFormatType, SnapshotType};
use statelab::engine::savepoint::keyed_state_handle::KeyedHandleKind;
use statelab::engine::savepoint::savepoint_reader::{read_savepoint, InMemoryFiles, Savepoint};
use statelab::engine::savepoint::savepoint_writer::{
    write_savepoint, CounterState, SavepointWriteError,
};
use statelab::engine::savepoint::state_entry::EntryValue;
use statelab::engine::savepoint::state_value::StateValue;
use statelab::engine::savepoint::stream_state_handle::StreamStateHandle;
use std::collections::BTreeMap;
use std::path::Path;

fn public_sample(file: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/flink-savepoints/public/savepoint_canonical")
            .join(file),
    )
    .unwrap()
}

fn read_back(files: Vec<(String, Vec<u8>)>) -> Savepoint {
    read_savepoint(&InMemoryFiles::new(files).unwrap(), &[]).unwrap()
}

/// The counter job at `parallelism`.
fn job(parallelism: u32) -> JobConfig {
    JobConfig {
        parallelism,
        ..JobConfig::default()
    }
}

/// A job with `config`, run to its end.
fn run(config: JobConfig) -> MiniCluster {
    let mut cluster = MiniCluster::new(config).unwrap();
    cluster.run(RunLimit::UNLIMITED, &mut RunSummary::default());
    cluster
}

/// Every key's count in the savepoint's `"event-counter"` (key as text), checking each entry's key group.
fn savepoint_counts(sp: &Savepoint, max_parallelism: i32) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for subtask in &sp.operators[0].keyed {
        let state = subtask.state.as_ref().unwrap();
        for e in &state.entries {
            let (key, java) = match &e.key {
                StateValue::Str(s) => (s.clone(), JavaKey::String(s.clone())),
                StateValue::Int(v) => {
                    let java = match &state.proxy.key_serializer.serializer {
                        statelab::engine::savepoint::type_serializer::TypeSerializer::Int => {
                            JavaKey::Integer(*v as i32)
                        }
                        _ => JavaKey::Long(*v),
                    };
                    (v.to_string(), java)
                }
                other => panic!("key {other:?}"),
            };
            assert_eq!(
                e.key_group,
                assign_to_key_group(&java, max_parallelism).as_i32()
            );
            let EntryValue::State(StateValue::Int(count)) = e.value else {
                panic!("{e:?}")
            };
            assert!(out.insert(key, count).is_none(), "one entry per key");
        }
    }
    out
}

fn cluster_counts(cluster: &MiniCluster) -> BTreeMap<String, i64> {
    cluster
        .counts()
        .into_iter()
        .map(|(k, v)| (cluster.keys().display(k), v))
        .collect()
}

#[test]
fn the_state_files_are_byte_for_byte_what_flink_wrote_for_the_same_state() {
    // The public sample: k0 … k9 counted 1 … 10 times at parallelism 2, max parallelism 128.
    let mut config = job(2);
    config.checkpointing.interval_ms = None;
    config.source.replay = Some(
        (0..10)
            .flat_map(|k| std::iter::repeat_n(format!("k{k}"), k + 1))
            .collect(),
    );
    let cluster = run(config);
    assert_eq!(cluster.status(), JobStatus::Finished);
    let files = cluster.savepoint(EVENT_COUNTER_UID).unwrap();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["keyed-state-0", "keyed-state-1", "_metadata"]);
    assert_eq!(
        files[0].1,
        public_sample("2eb7a6a3-32ba-4643-b08f-dd9ecfdc61ff")
    );
    assert_eq!(
        files[1].1,
        public_sample("f10fb9a5-e00f-4ca6-8721-4ef820d8e27d")
    );

    // The metadata's operator is the sample's keyed operator, but for its state files' names.
    let ours = read_back(files);
    let sample = read_savepoint(
        &InMemoryFiles::new(vec![("_metadata".into(), public_sample("_metadata"))]).unwrap(),
        &[],
    )
    .unwrap();
    let theirs = sample
        .metadata
        .operators
        .iter()
        .find(|op| op.uid.as_deref() == Some(EVENT_COUNTER_UID))
        .unwrap();
    let mine = &ours.metadata.operators[0];
    assert_eq!(ours.metadata.version, 6);
    assert_eq!(ours.metadata.operators.len(), 1);
    assert_eq!(
        (
            &mine.name,
            &mine.uid,
            mine.id,
            mine.parallelism,
            mine.max_parallelism
        ),
        (
            &theirs.name,
            &theirs.uid,
            theirs.id,
            theirs.parallelism,
            theirs.max_parallelism
        )
    );
    for (m, t) in mine.subtasks.iter().zip(&theirs.subtasks) {
        let (m, t) = (
            m.managed_keyed_state.as_ref().unwrap(),
            t.managed_keyed_state.as_ref().unwrap(),
        );
        assert_eq!(
            (m.kind, m.key_group_range, &m.offsets),
            (t.kind, t.key_group_range, &t.offsets)
        );
        assert_eq!(
            m.delegate.as_ref().unwrap().size(),
            t.delegate.as_ref().unwrap().size()
        );
    }
    assert_eq!(
        ours.metadata.snapshot_type,
        SnapshotType::Savepoint {
            format: SavepointFormatType::Canonical
        }
    );
}

#[test]
fn every_count_reads_back_at_any_parallelism_and_max_parallelism() {
    for (parallelism, max_parallelism) in
        [(1, 128), (2, 128), (3, 7), (4, 256), (5, 1000), (1, 32768)]
    {
        let mut config = job(parallelism);
        config.max_parallelism = Some(max_parallelism);
        config.source.key_count = 300;
        config.source.max_events = Some(2_000);
        config.checkpointing.interval_ms = Some(50);
        let cluster = run(config);
        let files = cluster.savepoint(EVENT_COUNTER_UID).unwrap();
        assert_eq!(files.len(), parallelism as usize + 1);
        let sp = read_back(files);
        assert_eq!(
            sp.metadata.checkpoint_id as u64,
            cluster.coordinator().next_checkpoint_id()
        );
        assert!(sp.metadata.master_states.is_empty());
        let op = &sp.metadata.operators[0];
        assert_eq!(op.id, OperatorId::from_uid(EVENT_COUNTER_UID));
        assert_eq!(op.parallelism, parallelism as i32);
        assert_eq!(op.max_parallelism, max_parallelism as i32);
        for (index, subtask) in op.subtasks.iter().enumerate() {
            let handle = subtask.managed_keyed_state.as_ref().unwrap();
            assert_eq!(handle.kind, KeyedHandleKind::Savepoint);
            assert_eq!(
                handle.key_group_range,
                compute_key_group_range_for_operator_index(
                    i64::from(max_parallelism),
                    i64::from(parallelism),
                    index as i64
                )
                .unwrap()
            );
            assert!(matches!(
                handle.delegate,
                Some(StreamStateHandle::RelativeFile { .. })
            ));
        }
        let counts = savepoint_counts(&sp, max_parallelism as i32);
        assert_eq!(
            counts,
            cluster_counts(&cluster),
            "{parallelism}/{max_parallelism}"
        );
        assert_eq!(counts.values().sum::<i64>(), 2_000);
    }
}

#[test]
fn integer_and_long_keys_are_written_with_their_serializers() {
    for key_type in [JavaKeyType::Integer, JavaKeyType::Long] {
        let mut config = job(3);
        config.source.key_format.key_type = key_type;
        config.source.key_count = 50;
        config.source.max_events = Some(500);
        let cluster = run(config);
        let sp = read_back(cluster.savepoint("counter").unwrap());
        let proxy = &sp.operators[0].keyed[0].state.as_ref().unwrap().proxy;
        assert_eq!(
            proxy.key_serializer.class,
            match key_type {
                JavaKeyType::Integer =>
                    "org.apache.flink.api.common.typeutils.base.IntSerializer$IntSerializerSnapshot",
                _ => "org.apache.flink.api.common.typeutils.base.LongSerializer$LongSerializerSnapshot",
            }
        );
        assert_eq!(sp.metadata.operators[0].uid.as_deref(), Some("counter"));
        assert_eq!(savepoint_counts(&sp, 128), cluster_counts(&cluster));
    }
}

#[test]
fn statelab_restores_its_own_savepoint_at_another_parallelism_and_goes_on_counting() {
    let mut config = job(3);
    config.source.key_count = 40;
    config.source.max_events = Some(400);
    let first = run(config.clone());
    let before = cluster_counts(&first);
    let sp = read_back(first.savepoint(EVENT_COUNTER_UID).unwrap());
    for parallelism in [1, 2, 4] {
        let (mut cluster, loaded) = MiniCluster::from_savepoint(
            &sp,
            EVENT_COUNTER_UID,
            config.clone(),
            Some(parallelism),
            &mut RunSummary::default(),
        )
        .unwrap();
        assert_eq!(loaded.parallelism, 3);
        assert_eq!(loaded.other_operators, 0);
        cluster.run(RunLimit::UNLIMITED, &mut RunSummary::default());
        // The same 400 events again: every count doubles.
        let after = cluster_counts(&cluster);
        let doubled: BTreeMap<String, i64> =
            before.iter().map(|(k, v)| (k.clone(), 2 * v)).collect();
        assert_eq!(after, doubled, "at parallelism {parallelism}");
    }
}

#[test]
fn a_savepoint_is_refused_with_a_typed_reason() {
    let counts = [(JavaKey::String("a".into()), 1)];
    let state = CounterState {
        uid: EVENT_COUNTER_UID,
        checkpoint_id: 1,
        parallelism: 2,
        max_parallelism: 128,
        key_type: JavaKeyType::String,
        counts: &counts,
    };
    assert!(write_savepoint(&state).is_ok());
    assert_eq!(
        write_savepoint(&CounterState { uid: "", ..state }),
        Err(SavepointWriteError::EmptyUid)
    );
    let long = "é".repeat(40_000);
    assert_eq!(
        write_savepoint(&CounterState {
            uid: &long,
            ..state
        }),
        Err(SavepointWriteError::UidTooLong { bytes: 80_000 })
    );
    for (parallelism, max_parallelism) in [(0, 128), (3, 2), (1, 40_000)] {
        assert_eq!(
            write_savepoint(&CounterState {
                parallelism,
                max_parallelism,
                ..state
            }),
            Err(SavepointWriteError::Parallelism {
                parallelism,
                max_parallelism
            })
        );
    }
    let wrong = [(JavaKey::Long(7), 1)];
    assert!(matches!(
        write_savepoint(&CounterState {
            counts: &wrong,
            ..state
        }),
        Err(SavepointWriteError::KeyType { .. })
    ));

    // A job that failed for good holds no state to take a savepoint of.
    let mut config = JobConfig::default();
    config.source.max_events = Some(100);
    config.restart_strategy = Some(RestartStrategyConfig::None);
    config
        .failures
        .push(FailureTrigger::EventIndex { index: 10 });
    let failed = run(config);
    assert_eq!(failed.status(), JobStatus::Failed);
    assert_eq!(
        failed.savepoint(EVENT_COUNTER_UID),
        Err(SavepointWriteError::JobStatus(JobStatus::Failed))
    );
}

#[test]
fn any_uid_and_any_keys_read_back() {
    let keys = [
        "",
        "\0",
        "a\"b\\c",
        "ключ",
        "键",
        "\u{1F600}",
        "\u{FFFF}",
        &"x".repeat(1024),
    ];
    let counts: Vec<(JavaKey, i64)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (JavaKey::String((*k).to_owned()), i as i64 - 3))
        .collect();
    for uid in ["é/../x\0", "\u{1F600}", &"u".repeat(65_535)] {
        for (parallelism, max_parallelism) in [(1, 1), (3, 129), (2, 32_768)] {
            let files = write_savepoint(&CounterState {
                uid,
                checkpoint_id: u64::MAX,
                parallelism,
                max_parallelism,
                key_type: JavaKeyType::String,
                counts: &counts,
            })
            .unwrap();
            let sp = read_back(files);
            assert_eq!(sp.metadata.checkpoint_id, i64::MAX);
            assert_eq!(sp.metadata.operators[0].uid.as_deref(), Some(uid));
            assert_eq!(sp.metadata.operators[0].id, OperatorId::from_uid(uid));
            let read = savepoint_counts(&sp, max_parallelism as i32);
            let expected: BTreeMap<String, i64> = keys
                .iter()
                .enumerate()
                .map(|(i, k)| ((*k).to_owned(), i as i64 - 3))
                .collect();
            assert_eq!(read, expected);
        }
    }
}
