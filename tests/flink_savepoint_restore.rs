//! Real Flink 2.3 takes up the savepoints StateLab writes (`statelab run --savepoint-out`): what
//! `tools/flink-savepoint-restore/run.sh` recorded in `tests/data/flink-savepoint-restore/` — for each run of
//! `runs.txt`, the savepoint's files (SHA-256), StateLab's final counts, and the keys real Flink held after restoring
//! it at parallelism 1 to 4 and counting the extra keys — is checked here against what StateLab writes today, so
//! that a change to the written bytes or the counts fails without Java: run the script again (and look at its
//! result) when the format changes on purpose.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use sha2::{Digest, Sha256};
use statelab::engine::keys::key_group_range_assignment::compute_key_group_range_for_operator_index;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/flink-savepoint-restore"
);

fn counts(v: &Value) -> BTreeMap<String, i64> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, c)| (k.clone(), c.as_i64().unwrap()))
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The runs of `runs.txt`: name and key type.
fn runs() -> Vec<(String, String)> {
    std::fs::read_to_string(Path::new(DATA).join("runs.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut words = l.split_whitespace();
            (
                words.next().unwrap().to_owned(),
                words.next().unwrap().to_owned(),
            )
        })
        .collect()
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("statelab-restore-{}", std::process::id()))
        .join(name);
    std::fs::remove_dir_all(&dir).ok();
    dir
}

#[test]
fn statelab_writes_today_what_real_flink_restored_at_every_parallelism() {
    let runs = runs();
    assert_eq!(runs.len(), 7);
    for (name, key_type) in runs {
        let record: Value = serde_json::from_str(
            &std::fs::read_to_string(Path::new(DATA).join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(record["keyType"], key_type.as_str(), "{name}");

        // The same StateLab run, today.
        let dir = out_dir(&name);
        let mut args: Vec<String> = record["statelab"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect();
        args.extend(["--counts".into(), "--savepoint-out".into()]);
        args.push(dir.to_str().unwrap().to_owned());
        let out = Command::new(env!("CARGO_BIN_EXE_statelab"))
            .arg("run")
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        let final_counts = counts(&summary["finalCounts"]);
        assert_eq!(final_counts, counts(&record["finalCounts"]), "{name}");
        for field in ["parallelism", "maxParallelism"] {
            assert_eq!(summary[field], record[field], "{name}: {field}");
        }
        for field in ["uid", "operatorId", "checkpointId"] {
            assert_eq!(
                summary["savepoint"][field], record["savepoint"][field],
                "{name}: {field}"
            );
        }
        let mut written: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        written.sort();
        let recorded = record["files"].as_object().unwrap();
        assert_eq!(
            written,
            recorded.keys().cloned().collect::<Vec<_>>(),
            "{name}"
        );
        for (file, hash) in recorded {
            let bytes = std::fs::read(dir.join(file)).unwrap();
            assert_eq!(
                sha256_hex(&bytes),
                hash.as_str().unwrap(),
                "{name}/{file}: StateLab no longer writes the bytes real Flink restored; \
                 run tools/flink-savepoint-restore/run.sh"
            );
        }
        std::fs::remove_dir_all(&dir).ok();

        // What Flink held: StateLab's counts plus the extra events, at parallelism 1 to 4, the key groups
        // partitioned as StateLab partitions them.
        let mut expected = final_counts.clone();
        for key in record["extraKeys"].as_array().unwrap() {
            *expected
                .entry(key.as_str().unwrap().to_owned())
                .or_default() += 1;
        }
        let max = record["maxParallelism"].as_i64().unwrap();
        let restores = record["restores"].as_array().unwrap();
        let parallelisms: Vec<i64> = restores
            .iter()
            .map(|r| r["parallelism"].as_i64().unwrap())
            .collect();
        assert_eq!(parallelisms, [1, 2, 3, 4], "{name}");
        for restore in restores {
            let p = restore["parallelism"].as_i64().unwrap();
            assert_eq!(restore["result"], "PASS", "{name} at {p}");
            assert_eq!(restore["maxParallelism"], max);
            assert_eq!(counts(&restore["counts"]), expected, "{name} at {p}");
            let subtasks = restore["subtasks"].as_array().unwrap();
            assert_eq!(
                subtasks.len() as i64,
                p,
                "{name} at {p}: every subtask reported"
            );
            for s in subtasks {
                let index = s["subtask"].as_i64().unwrap();
                let range = compute_key_group_range_for_operator_index(max, p, index).unwrap();
                assert_eq!(
                    s["keyGroupRange"],
                    serde_json::json!([range.start_key_group(), range.end_key_group()]),
                    "{name} at {p}"
                );
            }
        }
    }
}
