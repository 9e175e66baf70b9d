//! The job handed to real Flink (`statelab export-job`), against what real Flink 2.3 did with it:
//! `tools/flink-export-job/run.sh` exported every configuration in `tests/data/flink-export-job/`, compiled and
//! ran the program on a local MiniCluster (injected failures and restarts included) and recorded the keys its
//! source emits and every key's final count. Here (CI has no Java): the exporter still writes the very program
//! that was run, its source emitted the keys StateLab's source emits, and Flink's final counts are StateLab's.
#![cfg(not(target_arch = "wasm32"))]

use sha2::{Digest, Sha256};
use statelab::engine::cluster::engine_event::RunSummary;
use statelab::engine::cluster::job_config::JobConfig;
use statelab::engine::cluster::job_status::JobStatus;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::export::flink_project::{export_job, FlinkProject};
use statelab::engine::keys::java_key::JavaKeyType;
use statelab::engine::source::key_distribution::KeySampler;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/flink-export-job");
const RERUN: &str =
    "run tools/flink-export-job/run.sh to check the new program on real Flink and record it";

/// Every recorded configuration: its name, folder and job.
fn recorded() -> Vec<(String, PathBuf, JobConfig)> {
    let mut all: Vec<_> = std::fs::read_dir(DATA)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(dir.join("config.json")).unwrap();
            let config: JobConfig = serde_json::from_str(&text).unwrap();
            (name, dir, config)
        })
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(all.len() >= 7, "{} recorded configurations", all.len());
    all
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}; {RERUN}"))
}

/// The configuration the exported program runs: with the bound it was given when StateLab's had none.
fn bounded(config: &JobConfig, project: &FlinkProject) -> JobConfig {
    let mut c = config.clone();
    if project.bounded_by_default {
        c.source.max_events = Some(project.events);
    }
    c
}

/// The keys StateLab's source emits, in event order, as Java's `toString()` spells them.
fn statelab_keys(config: &JobConfig, n: u64) -> Vec<String> {
    if let Some(keys) = config.replay_keys().unwrap() {
        return keys
            .iter()
            .take(n as usize)
            .map(ToString::to_string)
            .collect();
    }
    let s = &config.source;
    let sampler = KeySampler::new(config.seed, s.key_count, &s.distribution);
    let limit = s.max_events.map_or(n, |m| m.min(n));
    (0..limit)
        .map(|i| s.key_format.key(sampler.sample(i)).to_string())
        .collect()
}

#[test]
fn the_exporter_writes_the_program_that_was_checked_on_flink() {
    for (name, dir, config) in recorded() {
        let project = export_job(&config).unwrap();
        let mut hash = Sha256::new();
        for file in &project.files {
            hash.update(file.path.as_bytes());
            hash.update([0]);
            hash.update(file.text.as_bytes());
            hash.update([0]);
        }
        let hex: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            read(&dir, "export.sha256").trim(),
            "{name}: the exported program is not the one checked on Flink: {RERUN}"
        );
    }
}

#[test]
fn the_programs_source_emits_the_keys_statelabs_source_emits() {
    for (name, dir, config) in recorded() {
        let project = export_job(&config).unwrap();
        let config = bounded(&config, &project);
        let flink: Vec<String> = read(&dir, "flink-keys.txt")
            .lines()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            statelab_keys(&config, 1000),
            flink,
            "{name}: the first keys"
        );
        let recorded = read(&dir, "keys.sha256");
        let (n, hex) = recorded.trim().split_once(' ').unwrap();
        let mut hash = Sha256::new();
        for key in statelab_keys(&config, n.parse().unwrap()) {
            hash.update(key.as_bytes());
            hash.update(b"\n");
        }
        let ours: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(ours, hex, "{name}: the first {n} keys");
    }
}

#[test]
fn flink_counted_what_statelab_counts() {
    let mut restarted = 0;
    for (name, dir, config) in recorded() {
        let project = export_job(&config).unwrap();
        let mut cluster = MiniCluster::new(bounded(&config, &project)).unwrap();
        let mut summary = RunSummary::default();
        cluster.run(RunLimit::UNLIMITED, &mut summary);
        assert_eq!(cluster.status(), JobStatus::Finished, "{name}");
        let ours: BTreeMap<String, i64> = cluster
            .counts()
            .into_iter()
            .map(|(k, v)| (cluster.keys().display(k), v))
            .collect();
        let flink: BTreeMap<String, i64> = read(&dir, "flink-counts.tsv")
            .lines()
            .map(|l| {
                let (key, count) = l.rsplit_once('\t').unwrap();
                (key.to_owned(), count.parse().unwrap())
            })
            .collect();
        assert_eq!(ours, flink, "{name}: final counts");
        assert_eq!(
            ours.values().sum::<i64>() as u64,
            project.events,
            "{name}: every event counted once"
        );
        restarted += usize::from(cluster.counters().restarts > 0);
    }
    assert!(restarted >= 3, "only {restarted} recorded jobs restart");
    // The summary of the last run (results.tsv): every configuration's counts equal, and Flink restarted too.
    let results = std::fs::read_to_string(format!("{DATA}/results.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = results
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), recorded().len(), "{RERUN}");
    assert!(rows.iter().all(|r| r[5] == "true"), "{results}");
    assert!(
        rows.iter().filter(|r| r[3] != "0").count() >= 3,
        "{results}"
    );
}

#[test]
fn the_recorded_jobs_cover_every_distribution_key_type_and_a_replay() {
    let all = recorded();
    let distributions: std::collections::BTreeSet<String> = all
        .iter()
        .filter(|(_, _, c)| c.source.replay.is_none())
        .map(|(_, _, c)| {
            format!("{:?}", c.source.distribution)
                .split([' ', '{'])
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(distributions.len(), 4, "{distributions:?}");
    for key_type in [JavaKeyType::String, JavaKeyType::Integer, JavaKeyType::Long] {
        assert!(all
            .iter()
            .any(|(_, _, c)| c.source.key_format.key_type == key_type));
    }
    assert!(all.iter().any(|(_, _, c)| c.source.replay.is_some()));
    assert!(all
        .iter()
        .any(|(_, _, c)| c.source.max_events.is_none() && c.source.replay.is_none()));
    assert!((1..=4).all(|p| all.iter().any(|(_, _, c)| c.parallelism == p)));
}

#[test]
fn the_exported_function_is_the_one_the_page_shows() {
    for (name, _, config) in recorded() {
        let project = export_job(&config).unwrap();
        let function = project
            .files
            .iter()
            .find(|f| f.path.ends_with("/EventCounterProcessFunction.java"))
            .unwrap();
        let mut lines = function.text.lines();
        for shown in statelab::teaching::java_source::source(
            statelab::engine::functions::job_function::JobFunction::Counter,
            config.source.key_format.key_type,
        ) {
            if !shown.text.is_empty() {
                assert!(
                    lines.any(|l| l == shown.text),
                    "{name}: `{}` is not in the exported function, in the page's order",
                    shown.text
                );
            }
        }
    }
}
