//! The records the page keeps beside each stored blob (`player::stored_checkpoint`), written and read by hand, against
//! `serde_json`, which wrote and read them in every earlier version: a record of either reads the same in the
//! other, so a browser holding checkpoints of an earlier version lists them all, and a tab of that version still
//! open lists the new ones.
#![cfg(not(target_arch = "wasm32"))]

use statelab::engine::cluster::job_config::{CheckpointingMode, JobConfig};
use statelab::engine::keys::java_key::JavaKeyType;
use statelab::engine::source::data_generator_source::SplitPosition;
use statelab::engine::source::key_distribution::KeyDistribution;
use statelab::player::stored_checkpoint::{CheckpointOrigin, StoredCheckpoint, StoredJob};

fn records() -> Vec<StoredCheckpoint> {
    let base = StoredCheckpoint {
        key: "3f2a-job/00000000000000000007".into(),
        origin: CheckpointOrigin::Job {
            job_id: "3f2a-job".into(),
        },
        stored_at_ms: 1_764_600_000_123.0,
        checkpoint_id: 7,
        completion_time_ns: 3_502_913_000,
        job: Some(StoredJob::of(&JobConfig::default())),
        parallelism: 2,
        max_parallelism: 128,
        source_positions: vec![
            SplitPosition {
                generated: 1744,
                injected: 0,
            },
            SplitPosition {
                generated: 1745,
                injected: 2,
            },
        ],
        state_size: 11_274,
        entries: 453,
        blob_bytes: 2_048,
        key_group_entries: (0..128).map(|kg| kg * 3 % 7).collect(),
        run: Some("lesson/hot-key".into()),
        run_started_ms: Some(1_764_599_990_000.5),
    };
    let mut out = vec![base.clone()];
    for (origin, distribution, interval, mode, replayed) in [
        (
            CheckpointOrigin::File {
                name: "a \"quoted\"\\ name\n😀.slcp".into(),
            },
            KeyDistribution::Uniform,
            None,
            CheckpointingMode::AtLeastOnce,
            Some(20_000),
        ),
        (
            CheckpointOrigin::Link,
            KeyDistribution::HotKey {
                key: 5,
                fraction: 0.3,
            },
            Some(400),
            CheckpointingMode::ExactlyOnce,
            None,
        ),
        (
            CheckpointOrigin::Link,
            KeyDistribution::Sequential,
            Some(1),
            CheckpointingMode::ExactlyOnce,
            Some(0),
        ),
    ] {
        out.push(StoredCheckpoint {
            origin,
            job: Some(StoredJob(
                u64::MAX,
                8,
                1_000_000_000,
                1,
                JavaKeyType::Long,
                distribution,
                interval,
                mode,
                100,
                replayed,
            )),
            run: None,
            run_started_ms: None,
            key_group_entries: vec![],
            ..base.clone()
        });
    }
    out.push(StoredCheckpoint {
        job: None,
        stored_at_ms: 0.25,
        ..base
    });
    out
}

/// Records compared as serde sees them.
fn same(a: &StoredCheckpoint, b: &StoredCheckpoint) -> bool {
    serde_json::to_value(a).unwrap() == serde_json::to_value(b).unwrap()
}

#[test]
fn records_serde_wrote_read_the_same() {
    for record in records() {
        for json in [
            serde_json::to_string(&record).unwrap(),
            serde_json::to_string_pretty(&record).unwrap(),
        ] {
            let read = StoredCheckpoint::from_json(&json).unwrap_or_else(|| panic!("{json}"));
            assert!(same(&read, &record), "{json}");
        }
    }
}

#[test]
fn records_written_here_read_the_same_in_serde() {
    for record in records() {
        let json = record.to_json();
        let back: StoredCheckpoint = serde_json::from_str(&json).unwrap();
        assert!(same(&back, &record), "{json}");
        assert!(same(&StoredCheckpoint::from_json(&json).unwrap(), &record));
    }
}

#[test]
fn records_of_the_first_version_hold_the_whole_job_and_read_without_its_line() {
    let mut value = serde_json::to_value(&records()[0]).unwrap();
    let object = value.as_object_mut().unwrap();
    object.remove("jobLine");
    object.remove("run");
    object.remove("runStartedMs");
    object.insert(
        "job".into(),
        serde_json::to_value(JobConfig::default()).unwrap(),
    );
    let json = serde_json::to_string(&value).unwrap();
    let ours = StoredCheckpoint::from_json(&json).unwrap();
    let theirs: StoredCheckpoint = serde_json::from_str(&json).unwrap();
    assert!(same(&ours, &theirs));
    assert!(ours.job.is_none() && ours.run.is_none());
}

#[test]
fn records_that_do_not_read_in_serde_do_not_read_here() {
    let good = serde_json::to_value(&records()[0]).unwrap();
    type Edit = fn(&mut serde_json::Value);
    let edits: &[Edit] = &[
        |v| {
            v.as_object_mut().unwrap().remove("key");
        },
        |v| v["origin"] = serde_json::json!({"kind": "job"}),
        |v| v["origin"] = serde_json::json!({"kind": "tab", "name": "x"}),
        |v| v["jobLine"] = serde_json::json!([1, 2, 3]),
        |v| {
            v["jobLine"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!(null))
        },
        |v| v["jobLine"][4] = serde_json::json!("Short"),
        |v| v["parallelism"] = serde_json::json!(-1),
        |v| v["keyGroupEntries"] = serde_json::json!([1.5]),
        |v| v["storedAtMs"] = serde_json::json!("now"),
    ];
    for edit in edits {
        let mut v = good.clone();
        edit(&mut v);
        let json = serde_json::to_string(&v).unwrap();
        assert!(
            serde_json::from_str::<StoredCheckpoint>(&json).is_err(),
            "{json}"
        );
        assert!(StoredCheckpoint::from_json(&json).is_none(), "{json}");
    }
    assert!(StoredCheckpoint::from_json("").is_none());
    assert!(
        StoredCheckpoint::from_json(&format!("{} x", serde_json::to_string(&good).unwrap()))
            .is_none()
    );
}

/// The record of a checkpoint of the job running in the page is made without checking its blob entry by entry
/// (`StoredCheckpoint::of_job_blob`: the engine has just written it): for every job preset it equals the record
/// of the same blob checked whole, as an import is, and a blob damaged on the way still fails its checksum.
#[test]
fn a_job_checkpoint_is_described_as_its_blob_checked_whole() {
    use statelab::engine::checkpoint::checkpoint_blob::BlobReader;
    use statelab::engine::cluster::engine_event::Milestones;
    use statelab::engine::cluster::mini_cluster::MiniCluster;
    use statelab::engine::cluster::run_limit::RunLimit;
    use statelab::engine::functions::job_function::JobFunction;
    use statelab::player::stored_checkpoint::job_checkpoint_key;
    for function in JobFunction::ALL {
        let mut config = JobConfig {
            function,
            parallelism: 2,
            ..JobConfig::default()
        };
        config.source.key_count = 500;
        config.checkpointing.interval_ms = Some(500);
        let mut cluster = MiniCluster::new(config).unwrap();
        // Past the session's 2 s gap: its checkpoints hold timers and sessions that closed.
        cluster.run(RunLimit::until(2_600_000_000), &mut Milestones::default());
        let id = cluster
            .coordinator()
            .store()
            .latest()
            .expect("a completed checkpoint")
            .checkpoint_id;
        let blob = cluster.checkpoint_blob(id).unwrap();
        let record = StoredCheckpoint::of_job_blob("job", id, &blob, 1.0).unwrap();
        let checked = StoredCheckpoint::describe(
            job_checkpoint_key("job", id),
            CheckpointOrigin::Job {
                job_id: "job".into(),
            },
            &BlobReader::open(&blob).unwrap(),
            1.0,
        );
        assert!(same(&record, &checked), "{}", function.id());
        assert!(record.entries > 0, "{}", function.id());
        let mut damaged = blob.clone();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 1;
        assert!(StoredCheckpoint::of_job_blob("job", id, &damaged, 1.0).is_err());
    }
}
