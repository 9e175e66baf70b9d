//! The `statelab` command-line tool, run as a user would: output, exit codes, one-line errors.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/groundtruth");

fn statelab(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_statelab"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A failed run: the exit code and the single stderr line.
fn failure(out: &Output) -> (i32, String) {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(stderr.starts_with("statelab: error: "), "{stderr}");
    (out.status.code().unwrap(), stderr)
}

#[test]
fn keygroup_fills_in_what_flink_computed_for_every_sample_line() {
    let sample = std::fs::read_to_string(format!("{DATA}/keygroups-sample.jsonl")).unwrap();
    let stripped: String = sample
        .lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            for field in ["hashCode", "murmurHash", "keyGroup", "operatorIndex"] {
                v.as_object_mut().unwrap().remove(field);
            }
            format!("{v}\n")
        })
        .collect();
    let out = statelab(&["keygroup"], &stripped);
    assert!(out.status.success());
    let produced: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let expected: Vec<Value> = sample
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(produced.len(), 1220);
    assert_eq!(produced, expected);
}

#[test]
fn keygroup_keeps_the_input_field_order_and_extra_fields() {
    let out = statelab(
        &["keygroup"],
        "{\"note\":\"x\",\"type\":\"Long\",\"key\":42,\"maxParallelism\":128,\"parallelism\":4}\n",
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        r#"{"note":"x","type":"Long","key":42,"maxParallelism":128,"parallelism":4,"hashCode":42,"murmurHash":1134849565,"keyGroup":29,"operatorIndex":0}"#
    );
}

#[test]
fn keygroup_rejects_bad_lines_with_the_line_number() {
    let cases = [
        ("not json", "not valid JSON"),
        (
            r#"{"type":"Short","key":1,"maxParallelism":128,"parallelism":1}"#,
            "type 'Short' is not one of",
        ),
        (
            r#"{"type":"String","key":1,"maxParallelism":128,"parallelism":1}"#,
            "a String key must be a JSON string",
        ),
        (
            r#"{"type":"Integer","key":3000000000,"maxParallelism":128,"parallelism":1}"#,
            "within 32 bits",
        ),
        (
            r#"{"type":"Long","key":1,"maxParallelism":0,"parallelism":1}"#,
            "Operator parallelism not within bounds: 0",
        ),
        (
            r#"{"type":"Long","key":1,"maxParallelism":4,"parallelism":8}"#,
            "must not be smaller than parallelism",
        ),
        (
            r#"{"type":"Long","key":1,"parallelism":8}"#,
            "missing field 'maxParallelism'",
        ),
    ];
    for (line, message) in cases {
        let good = r#"{"type":"Long","key":1,"maxParallelism":128,"parallelism":1}"#;
        let out = statelab(&["keygroup"], &format!("{good}\n{line}\n"));
        let (code, stderr) = failure(&out);
        assert_eq!(code, 1);
        assert!(
            stderr.contains("line 2: ") && stderr.contains(message),
            "{line}: {stderr}"
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).lines().count(),
            1,
            "the good line was written"
        );
    }
    assert_eq!(failure(&statelab(&["keygroup", "extra"], "")).0, 2);
}

#[test]
fn heap_matches_real_flink_and_finds_the_out_of_memory_point() {
    let v = stdout_json(&statelab(&["heap", "--keys", "100000"], ""));
    assert_eq!(v["keys"], 100_000);
    let per_key = v["bytesPerKey"].as_f64().unwrap();
    assert!((per_key - 109.70).abs() / 109.70 < 0.03, "{per_key}");
    assert_eq!(v["mapsRehashing"], 87);
    assert!(v.get("oomAtKeys").is_none());

    let v = stdout_json(&statelab(
        &[
            "heap",
            "--keys",
            "1000",
            "--process-size",
            "1g",
            "--value-mode",
            "distinct",
        ],
        "",
    ));
    assert!(v["breakdown"]["values"].as_u64().unwrap() == 1000 * 24);
    let limit = v["heapLimit"].as_u64().unwrap();
    assert_eq!(v["memory"]["jvmHeapBytes"].as_u64().unwrap(), limit);
    let oom = v["oomAtKeys"].as_u64().unwrap();
    let other = v["otherHeap"].as_u64().unwrap();
    // Distinct values cost 24 B more per key than the ~104 B of cached ones.
    let per_key = (limit - other) as f64 / oom as f64;
    assert!((120.0..140.0).contains(&per_key), "{per_key}");
}

#[test]
fn heap_answers_how_many_keys_fit_without_inserting_them() {
    // A 1728m TaskManager with managed memory 0: about 10 million keys, exactly.
    let v = stdout_json(&statelab(
        &["heap", "--process-size", "1728m", "--managed-size", "0"],
        "",
    ));
    assert!(v.get("keys").is_none(), "no --keys, no footprint");
    assert_eq!(v["oomMethod"], "exact");
    assert_eq!(v["taskManagers"], 1);
    assert_eq!(v["subtasksPerTaskManager"], 1);
    assert_eq!(
        v["memory"]["jvmParameters"],
        "-Xmx1073741822 -Xms1073741822 -XX:MaxDirectMemorySize=268435458 -XX:MaxMetaspaceSize=268435456"
    );
    let oom = v["oomAtKeys"].as_u64().unwrap();
    assert_eq!(v["keysThatFit"].as_u64().unwrap(), oom - 1);
    let per_key = (1_073_741_822 - 32 * 1024 * 1024) as f64 / oom as f64;
    assert!((98.0..110.0).contains(&per_key), "{per_key}");

    // 64g: hundreds of millions of keys, estimated; each of 4 TaskManagers holds its own quarter.
    let v = stdout_json(&statelab(
        &["heap", "--process-size", "64g", "--parallelism", "4"],
        "",
    ));
    assert_eq!(v["oomMethod"], "estimate");
    assert_eq!(v["taskManagers"], 4);
    assert_eq!(v["heapLimit"], 33_554_431_498u64);
    let oom = v["oomAtKeys"].as_u64().unwrap();
    let per_key = 4.0 * (33_554_431_498u64 - 32 * 1024 * 1024) as f64 / oom as f64;
    assert!((98.0..110.0).contains(&per_key), "{per_key}");

    // --exact insists, where it can.
    let v = stdout_json(&statelab(
        &[
            "heap",
            "--jvm-heap",
            "256m",
            "--max-parallelism",
            "1000",
            "--exact",
        ],
        "",
    ));
    assert_eq!(v["oomMethod"], "exact");
}

#[test]
fn heap_answers_for_the_task_managers_the_job_runs_on() {
    let answer = |args: &[&str]| {
        stdout_json(&statelab(
            &[&["heap", "--process-size", "1728m"][..], args].concat(),
            "",
        ))
    };
    // Parallelism 2 on TaskManagers with one slot: two heaps, each holding half of the keys.
    let two = answer(&["--parallelism", "2"]);
    assert_eq!(two["executionMode"], "cluster");
    assert_eq!(
        (two["taskSlots"].as_u64(), two["taskManagers"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(two["subtasksPerTaskManager"], 1);
    // With two slots both subtasks share one heap: about half as many keys fit.
    let shared = answer(&["--parallelism", "2", "--task-slots", "2"]);
    assert_eq!(
        (
            shared["taskSlots"].as_u64(),
            shared["taskManagers"].as_u64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(shared["subtasksPerTaskManager"], 2);
    let ratio = two["oomAtKeys"].as_f64().unwrap() / shared["oomAtKeys"].as_f64().unwrap();
    assert!((1.9..2.05).contains(&ratio), "{ratio}");
    assert_eq!(shared["oomTaskManager"], 0);
    // Local execution: every subtask in the one JVM, whatever the parallelism.
    let local = stdout_json(&statelab(
        &["heap", "--jvm-heap", "512m", "--parallelism", "4"],
        "",
    ));
    assert_eq!(local["executionMode"], "local");
    assert_eq!(
        (
            local["taskManagers"].as_u64(),
            local["subtasksPerTaskManager"].as_u64()
        ),
        (Some(1), Some(4))
    );
    let alone = stdout_json(&statelab(
        &["heap", "--jvm-heap", "512m", "--parallelism", "1"],
        "",
    ));
    let ratio = local["oomAtKeys"].as_f64().unwrap() / alone["oomAtKeys"].as_f64().unwrap();
    assert!((0.97..1.01).contains(&ratio), "{ratio}");
}

#[test]
fn heap_flag_errors_are_usage_errors() {
    for (args, message) in [
        (vec!["heap"], "give --keys N, a heap"),
        (
            vec!["heap", "--keys", "5", "--exact"],
            "--exact goes with a heap",
        ),
        (vec!["heap", "--keys", "0"], "--keys must be between"),
        (vec!["heap", "--keys", "ten"], "--keys 'ten'"),
        (
            vec![
                "heap",
                "--keys",
                "5",
                "--jvm-heap",
                "1g",
                "--process-size",
                "2g",
            ],
            "not both",
        ),
        (
            vec!["heap", "--keys", "5", "--managed-size", "0"],
            "--process-size",
        ),
        (
            vec!["heap", "--keys", "5", "--jvm-heap", "12 parsecs"],
            "does not match any of the recognized units",
        ),
        (
            vec!["heap", "--keys", "5", "--value-mode", "huge"],
            "use cached or distinct",
        ),
        (vec!["heap", "--keys", "5", "--bogus"], "--bogus"),
        (
            vec!["heap", "--jvm-heap", "1g", "--task-slots", "2"],
            "local execution (--jvm-heap) runs one TaskManager",
        ),
        (
            vec!["heap", "--keys", "5", "--task-slots", "2"],
            "--task-slots goes with a cluster TaskManager's heap",
        ),
        (
            vec!["heap", "--process-size", "1g", "--task-slots", "0"],
            "--task-slots must be at least 1",
        ),
    ] {
        let (code, stderr) = failure(&statelab(&args, ""));
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let (code, stderr) = failure(&statelab(
        &[
            "heap",
            "--keys",
            "5",
            "--max-parallelism",
            "2",
            "--parallelism",
            "4",
        ],
        "",
    ));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("Maximum parallelism must not be smaller than parallelism."),
        "{stderr}"
    );
    let (code, stderr) = failure(&statelab(
        &["heap", "--keys", "5", "--process-size", "100m"],
        "",
    ));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("exceed configured Total Process Memory"),
        "{stderr}"
    );
}

#[test]
fn run_replays_the_ground_truth_events_and_summarises_the_job() {
    let keys = format!("{DATA}/job_event_keys.csv");
    let v = stdout_json(&statelab(
        &[
            "run",
            "--replay",
            &keys,
            "--parallelism",
            "2",
            "--source-parallelism",
            "1",
            "--checkpoint-interval",
            "200",
            "--restart",
            "fixed-delay:3:500",
            "--fail-at-call",
            "12345",
            "--rate",
            "5000",
        ],
        "",
    ));
    assert_eq!(v["status"], "FINISHED");
    assert_eq!(v["sumOfFinalCounts"], 20_000);
    assert_eq!(v["finalCounts"]["user-0"], 2835);
    assert_eq!(v["restarts"], 1);
    assert_eq!(v["gaps"], 0);
    let duplicates = v["duplicates"].as_u64().unwrap();
    assert!(duplicates > 0);
    assert_eq!(v["emittedRecords"].as_u64().unwrap(), 20_000 + duplicates);
    assert!(v["completedCheckpoints"].as_array().unwrap().len() >= 15);
    assert!(v["peakHeapBytes"].as_u64().unwrap() > v["heaps"][0]["other"].as_u64().unwrap());
}

#[test]
fn run_places_each_subtask_in_a_task_manager_with_a_heap_of_its_own() {
    let heaps = |v: &Value| v["heaps"].as_array().unwrap().len();
    let job = [
        "run",
        "--parallelism",
        "2",
        "--source-parallelism",
        "1",
        "--events",
        "2000",
    ];
    // A cluster with taskmanager.numberOfTaskSlots 1: two TaskManagers, two heaps.
    let v = stdout_json(&statelab(&job, ""));
    assert_eq!(v["slots"]["mode"], "cluster");
    assert_eq!(v["slots"]["taskManagers"], 2);
    assert_eq!(heaps(&v), 2);
    assert_eq!(v["heaps"][1]["taskManager"], 1);
    assert!(v["heaps"][1]["state"].as_u64().unwrap() > 0);
    // Two slots per TaskManager: one TaskManager, one heap holding both subtasks' state.
    let v = stdout_json(&statelab(&[&job[..], &["--task-slots", "2"]].concat(), ""));
    assert_eq!(
        (v["slots"]["taskManagers"].as_u64(), heaps(&v)),
        (Some(1), 1)
    );
    assert_eq!(v["slots"]["slotsPerTaskManager"], 2);
    // Local execution: one JVM with as many slots as the job needs.
    let v = stdout_json(&statelab(&[&job[..], &["--jvm-heap", "256m"]].concat(), ""));
    assert_eq!(v["slots"]["mode"], "local");
    assert_eq!(
        (v["slots"]["slotsPerTaskManager"].as_u64(), heaps(&v)),
        (Some(2), 1)
    );
    assert_eq!(v["heaps"][0]["limit"], 256u64 << 20);

    let (code, stderr) = failure(&statelab(
        &[&job[..], &["--jvm-heap", "256m", "--task-slots", "2"]].concat(),
        "",
    ));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("local execution (--jvm-heap) runs one TaskManager"),
        "{stderr}"
    );
    let (code, stderr) = failure(&statelab(&[&job[..], &["--task-slots", "0"]].concat(), ""));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("Number of task slots must be at least one."),
        "{stderr}"
    );

    // A heap that runs out: the failure names the TaskManager whose heap it was.
    let path = temp_path("small-task-managers.json");
    std::fs::write(
        &path,
        r#"{"parallelism": 2,
            "source": {"parallelism": 1, "rate": 1000000, "keyCount": 10000000, "maxEvents": 10000000,
                       "distribution": {"type": "sequential"}},
            "network": {"processingTimeNs": 100},
            "checkpointing": {"intervalMs": null},
            "restartStrategy": {"type": "none"},
            "memory": {"type": "process", "processSize": "40m", "managedSize": 0},
            "memoryOptions": {"frameworkHeap": "4m", "frameworkOffHeap": "4m", "networkMin": "4m",
                              "jvmMetaspace": "8m", "jvmOverheadMin": "8m", "jvmOverheadMax": "8m"},
            "otherHeapUsed": "1m"}"#,
    )
    .unwrap();
    let out = statelab(&["run", "--config", path.to_str().unwrap()], "");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(heaps(&v), 2);
    let (code, stderr) = failure(&out);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("java.lang.OutOfMemoryError: Java heap space (in TaskManager "),
        "{stderr}"
    );
    let failed = v["heaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["peak"].as_u64() > h["limit"].as_u64())
        .count();
    assert_eq!(failed, 1, "one TaskManager's heap ran out: {}", v["heaps"]);
}

#[test]
fn run_reads_a_config_file_and_flags_override_it() {
    let path = temp_path("job.json");
    std::fs::write(&path, r#"{"parallelism": 3, "source": {"keyCount": 7, "maxEvents": 500, "distribution": {"type": "uniform"}}}"#).unwrap();
    let v = stdout_json(&statelab(
        &[
            "run",
            "--config",
            path.to_str().unwrap(),
            "--parallelism",
            "2",
        ],
        "",
    ));
    assert_eq!(v["parallelism"], 2);
    assert_eq!(v["distinctKeys"], 7);
    assert_eq!(v["sumOfFinalCounts"], 500);
    std::fs::write(&path, r#"{"parallelism": 3, "sauce": {}}"#).unwrap();
    let (code, stderr) = failure(&statelab(&["run", "--config", path.to_str().unwrap()], ""));
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown field `sauce`"), "{stderr}");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn a_source_that_emits_nothing_by_itself_needs_a_time_limit() {
    let hostile = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/blobs/hostile/source-rate-0.slcp"
    );
    for args in [
        &["run", "--rate", "0", "--events", "10"][..],
        &["run", "--restore", hostile][..],
    ] {
        let (code, stderr) = failure(&statelab(args, ""));
        assert_eq!(code, 2, "{args:?}");
        assert!(
            stderr.contains("rate 0") && stderr.contains("--until-ms"),
            "{stderr}"
        );
    }
    // With a limit it runs to it; thousands of periodic checkpoints are counted, the most recent kept.
    let out = statelab(&["run", "--restore", hostile, "--until-ms", "3000000"], "");
    assert!(out.status.success(), "{out:?}");
    let v = stdout_json(&out);
    assert_eq!(v["status"], "RUNNING");
    assert_eq!(v["completedCheckpointCount"], 2999);
    assert_eq!(v["completedCheckpoints"].as_array().unwrap().len(), 1000);
}

#[test]
fn run_errors_and_a_job_that_fails_for_good() {
    let (code, stderr) = failure(&statelab(&["run", "--keys", "10"], ""));
    assert_eq!(code, 2);
    assert!(stderr.contains("unbounded"));
    let (code, stderr) = failure(&statelab(
        &["run", "--events", "10", "--parallelism", "9"],
        "",
    ));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("parallelism must be between 1 and 8"),
        "{stderr}"
    );
    let (code, _) = failure(&statelab(
        &["run", "--events", "10", "--distribution", "zipf:x"],
        "",
    ));
    assert_eq!(code, 2);
    // No restarts: the injected failure ends the job, the summary is still printed.
    let out = statelab(
        &[
            "run",
            "--events",
            "1000",
            "--restart",
            "none",
            "--fail-at-call",
            "10",
        ],
        "",
    );
    let (code, stderr) = failure(&out);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("the job FAILED") && stderr.contains("processElement call #10"),
        "{stderr}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "FAILED");
    assert_eq!(v["recordsProcessed"], 9);
}

#[test]
fn unknown_commands_and_help() {
    let (code, stderr) = failure(&statelab(&["frobnicate"], ""));
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown command 'frobnicate'"));
    let out = statelab(&["help"], "");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("statelab heap [--keys N]"));
    // Each command's --help (or -h) prints the usage too, whatever else is on the line.
    for args in [
        &["run", "--help"][..],
        &["compare", "-h"],
        &["inspect", "some.zip", "--help"],
        &["export-job", "--help"],
        &["heap", "--keys", "10", "-h"],
    ] {
        let out = statelab(args, "");
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("statelab compare [--config FILE.json]"),
            "{args:?}"
        );
    }
}

const BLOBS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/blobs");

/// A file of its own for one test, in this test binary's directory (tests run in parallel: none removes the
/// directory another one writes to).
fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("statelab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn inspect_prints_a_golden_blob_as_it_was_recorded() {
    for name in ["strings-zipf-p2", "v2-strings-zipf-p2"] {
        let blob = format!("{BLOBS}/{name}.slcp");
        let mut printed = stdout_json(&statelab(&["inspect", &blob], ""));
        assert_eq!(printed["file"], blob.as_str());
        printed.as_object_mut().unwrap().remove("file");
        let recorded: Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{BLOBS}/{name}.json")).unwrap())
                .unwrap();
        assert_eq!(printed, recorded);
    }
    let blob = format!("{BLOBS}/strings-zipf-p2.slcp");

    let summary = stdout_json(&statelab(
        &["inspect", &blob, "--key-groups", "5-7", "--summary"],
        "",
    ));
    let groups = summary["keyGroups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    assert_eq!(groups[0]["keyGroup"], 5);
    assert!(groups
        .iter()
        .all(|g| g.get("state").is_none() && g["entries"].is_u64()));
}

#[test]
fn inspect_refuses_damaged_and_foreign_files_with_one_line() {
    let good = std::fs::read(format!("{BLOBS}/strings-zipf-p2.slcp")).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated", good[..good.len() / 2].to_vec(), "truncated"),
        (
            "flipped",
            {
                let mut b = good.clone();
                b[good.len() / 3] ^= 4;
                b
            },
            "checksum",
        ),
        (
            "text",
            b"user-1,3\nuser-2,4\n".to_vec(),
            "not a StateLab checkpoint",
        ),
        ("empty", Vec::new(), "not a StateLab checkpoint"),
        (
            "newer",
            {
                let mut b = good.clone();
                b[8] = 9;
                b
            },
            "newer StateLab (format version 9)",
        ),
    ];
    for (name, bytes, message) in cases {
        let path = temp_path(&format!("{name}.slcp"));
        std::fs::write(&path, bytes).unwrap();
        let (code, line) = failure(&statelab(&["inspect", path.to_str().unwrap()], ""));
        assert_eq!(code, 1, "{name}");
        assert!(line.contains(message), "{name}: {line}");
    }
    let (code, line) = failure(&statelab(&["inspect", "/nonexistent/x.slcp"], ""));
    assert_eq!(code, 1);
    assert!(line.contains("/nonexistent/x.slcp"), "{line}");
    assert_eq!(failure(&statelab(&["inspect"], "")).0, 2);
    let blob = format!("{BLOBS}/strings-zipf-p2.slcp");
    let (code, line) = failure(&statelab(
        &["inspect", &blob, "--key-groups", "100-200"],
        "",
    ));
    assert_eq!(code, 1);
    assert!(line.contains("key groups 0-127"), "{line}");
}

#[test]
fn run_writes_a_blob_and_a_run_restored_from_it_at_another_parallelism_ends_the_same() {
    let blob = temp_path("run.slcp");
    let blob = blob.to_str().unwrap();
    // Stop half-way (the source would emit 4000 events), keeping the latest checkpoint.
    let flags = [
        "--keys",
        "300",
        "--events",
        "4000",
        "--rate",
        "1000",
        "--checkpoint-interval",
        "200",
    ];
    let mut args = vec!["run"];
    args.extend(flags);
    args.extend(["--until-ms", "2500", "--checkpoint-out", blob]);
    stdout_json(&statelab(&args, ""));
    let inspected = stdout_json(&statelab(&["inspect", blob, "--summary"], ""));
    let id = inspected["metadata"]["checkpointId"].as_u64().unwrap();
    assert!(id >= 10, "{inspected}");

    let restored = stdout_json(&statelab(
        &["run", "--restore", blob, "--parallelism", "5"],
        "",
    ));
    assert_eq!(restored["parallelism"], 5);
    assert_eq!(restored["status"], "FINISHED");
    assert_eq!(restored["restoredCheckpoints"], serde_json::json!([id]));
    let mut whole = vec!["run"];
    whole.extend(flags);
    let uninterrupted = stdout_json(&statelab(&whole, ""));
    assert_eq!(restored["finalCounts"], uninterrupted["finalCounts"]);
    assert_eq!(restored["sumOfFinalCounts"], 4000);

    let (code, line) = failure(&statelab(&["run", "--restore", blob, "--keys", "5"], ""));
    assert_eq!(code, 2);
    assert!(
        line.contains("--keys: with --restore the job comes from the checkpoint"),
        "{line}"
    );
    let (code, line) = failure(&statelab(
        &["run", "--events", "10", "--checkpoint-out", blob],
        "",
    ));
    assert_eq!(code, 1);
    assert!(line.contains("completed no checkpoint"), "{line}");
}

#[test]
fn link_makes_a_share_link_that_inspect_opens_and_big_blobs_are_refused() {
    let blob = format!("{BLOBS}/strings-zipf-p2.slcp");
    let out = statelab(
        &["link", &blob, "--base", "http://localhost:9000/statelab/"],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(
        link.starts_with("http://localhost:9000/statelab/#checkpoint="),
        "{link}"
    );
    let mut from_link = stdout_json(&statelab(&["inspect", &link], ""));
    let mut from_file = stdout_json(&statelab(&["inspect", &blob], ""));
    from_link.as_object_mut().unwrap().remove("file");
    from_file.as_object_mut().unwrap().remove("file");
    assert_eq!(from_link, from_file);

    let cut = &link[..link.len() - 1];
    let (code, line) = failure(&statelab(&["inspect", cut], ""));
    assert_eq!(code, 1);
    assert!(line.contains("the link is damaged"), "{line}");

    // 30,000 keys do not fit in a link.
    let big = temp_path("big.slcp");
    let big = big.to_str().unwrap();
    let args = [
        "run",
        "--keys",
        "30000",
        "--distribution",
        "uniform",
        "--events",
        "60000",
        "--rate",
        "20000",
        "--checkpoint-interval",
        "1000",
        "--checkpoint-out",
        big,
    ];
    stdout_json(&statelab(&args, ""));
    let (code, line) = failure(&statelab(&["link", big], ""));
    assert_eq!(code, 1);
    assert!(line.contains("too large for a link"), "{line}");
}

#[test]
fn scenario_lists_the_presets_and_prints_a_preset_s_golden_trace() {
    let out = statelab(&["scenario"], "");
    assert!(out.status.success());
    let list = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<&str> = list
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "hot-key",
            "oom",
            "failure-recovery",
            "at-least-once",
            "rescale-2-to-3",
            "checkpoint-timeout"
        ]
    );

    for id in ["oom", "rescale-2-to-3"] {
        let out = statelab(&["scenario", id], "");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let golden = std::fs::read_to_string(format!(
            "{}/tests/data/scenarios/{id}.trace",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), golden, "{id}");
    }

    let config = stdout_json(&statelab(&["scenario", "rescale-2-to-3", "--config"], ""));
    assert_eq!(config["parallelism"], 2);
    assert_eq!(config["script"][0]["command"]["parallelism"], 3);
    let path = temp_path("rescale.json");
    std::fs::write(&path, config.to_string()).unwrap();
    let summary = stdout_json(&statelab(&["run", "--config", path.to_str().unwrap()], ""));
    assert_eq!(
        summary["parallelism"], 3,
        "the script runs in `statelab run` too"
    );

    let (code, stderr) = failure(&statelab(&["scenario", "nope"], ""));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown scenario 'nope'") && stderr.contains("hot-key"),
        "{stderr}"
    );
    assert_eq!(failure(&statelab(&["scenario", "--config"], "")).0, 2);
    assert_eq!(failure(&statelab(&["scenario", "oom", "extra"], "")).0, 2);
}

#[test]
fn heap_measures_every_state_primitive_as_real_flink_holds_it() {
    // tools/flink-heap-primitives at 1,000 keys: list:4 272.05, map:4 640.05, aggregating-avg 144.05,
    // timers:16 1263.52, value-ttl 144.26, list-ttl:4 368.14, map-ttl:4 736.14, keystats 128.05 B/key.
    for (state, flink) in [
        ("keystats", 128.05),
        ("list:4", 272.05),
        ("map:4", 640.05),
        ("aggregating-avg", 144.05),
        ("timers:16", 1263.52),
        ("value-ttl", 144.26),
        ("list-ttl:4", 368.14),
        ("map-ttl:4", 736.14),
    ] {
        let v = stdout_json(&statelab(&["heap", "--keys", "1000", "--state", state], ""));
        assert_eq!(v["state"], state);
        let model = v["bytesPerKey"].as_f64().unwrap();
        assert!(
            (model - flink).abs() / flink < 0.03,
            "{state}: {model} vs {flink}"
        );
        assert_eq!(v["keys"], 1000);
    }
    // value-distinct is the value state's --value-mode distinct.
    let v = stdout_json(&statelab(
        &["heap", "--keys", "1000", "--state", "value-distinct"],
        "",
    ));
    assert_eq!(v["valueMode"], "distinct");
}

#[test]
fn heap_state_errors_are_usage_errors() {
    for (args, expected) in [
        (
            vec!["heap", "--keys", "5", "--state", "list:0"],
            "--state 'list:0'",
        ),
        (
            vec!["heap", "--keys", "5", "--state", "timers:0"],
            "--state 'timers:0'",
        ),
        (
            vec!["heap", "--keys", "5", "--state", "map-ttl:0"],
            "--state 'map-ttl:0': use value, value-distinct, list:N, map:N, value-list:N, value-map:N, \
             list-ttl:N, map-ttl:N",
        ),
        (vec!["heap", "--state", "map:2"], "give --keys N"),
        (
            vec![
                "heap",
                "--keys",
                "5",
                "--state",
                "map:2",
                "--jvm-heap",
                "1g",
            ],
            "goes with --keys N",
        ),
    ] {
        let out = statelab(&args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn run_restores_a_real_flink_savepoint_like_flink_run_s() {
    // The public canonical savepoint of the counter job (k0 … k9 counted 1 … 10 times), continued by a replay
    // of every key once, at parallelism 3.
    let replay = std::env::temp_dir().join(format!("statelab-replay-{}.txt", std::process::id()));
    std::fs::write(
        &replay,
        (0..10).map(|k| format!("k{k}\n")).collect::<String>(),
    )
    .unwrap();
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/flink-savepoints/public/savepoint_canonical"
    );
    let v = stdout_json(&statelab(
        &[
            "run",
            "--restore",
            dir,
            "--replay",
            replay.to_str().unwrap(),
            "--parallelism",
            "3",
            "--checkpoint-interval",
            "none",
        ],
        "",
    ));
    std::fs::remove_file(&replay).ok();
    assert_eq!(v["status"], "FINISHED");
    assert_eq!(v["parallelism"], 3);
    assert_eq!(v["maxParallelism"], 128);
    for k in 0..10 {
        assert_eq!(v["finalCounts"][format!("k{k}")], k + 2, "k{k}");
    }
    assert_eq!(v["duplicates"], 0);
    let from = &v["restoredFrom"];
    assert_eq!(from["checkpointId"], 2);
    assert_eq!(from["uid"], "event-counter-op");
    assert_eq!(from["keys"], 10);
    assert_eq!(from["parallelism"], 2);
    // Not the counter's operator: a one-line reason, exit code 1.
    let out = statelab(
        &["run", "--restore", dir, "--uid", "nope", "--events", "5"],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no operator with uid 'nope'"), "{stderr}");
    // --uid belongs to a Flink snapshot.
    let out = statelab(&["run", "--uid", "x", "--events", "5"], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn run_writes_a_flink_savepoint_that_a_restore_takes_up() {
    let dir = temp_path("savepoint-out");
    let dir2 = temp_path("savepoint-out-2");
    for d in [&dir, &dir2] {
        std::fs::remove_dir_all(d).ok();
    }
    let job = ["--keys", "30", "--events", "300", "--seed", "7"];
    let mut args = vec!["run", "--parallelism", "2", "--savepoint-out"];
    args.push(dir.to_str().unwrap());
    args.extend(["--uid", "my-counter"]);
    args.extend(job);
    let first = stdout_json(&statelab(&args, ""));
    let sp = &first["savepoint"];
    assert_eq!(sp["uid"], "my-counter");
    assert_eq!(sp["format"], "canonical");
    assert_eq!(sp["parallelism"], 2);
    assert_eq!(sp["maxParallelism"], 128);
    assert_eq!(sp["files"], 3);
    for name in ["_metadata", "keyed-state-0", "keyed-state-1"] {
        assert!(dir.join(name).is_file(), "{name}");
    }
    // StateLab's reader reads every count back.
    let dump = statelab(
        &[
            "inspect",
            dir.to_str().unwrap(),
            "--dump",
            "--uid",
            "my-counter",
        ],
        "",
    );
    assert!(dump.status.success());
    let lines: Vec<Value> = String::from_utf8_lossy(&dump.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let counts = first["finalCounts"].as_object().unwrap();
    assert_eq!(lines.len(), counts.len());
    for line in &lines {
        assert_eq!(line["operator"], "my-counter");
        assert_eq!(line["state"], "event-counter");
        assert_eq!(counts[line["key"].as_str().unwrap()], line["value"]);
    }

    // `flink run -s`: restored at parallelism 3, the same events again, and written again under the same uid.
    let mut args = vec![
        "run",
        "--restore",
        dir.to_str().unwrap(),
        "--uid",
        "my-counter",
    ];
    args.extend([
        "--parallelism",
        "3",
        "--savepoint-out",
        dir2.to_str().unwrap(),
    ]);
    args.extend(job);
    let second = stdout_json(&statelab(&args, ""));
    assert_eq!(second["restoredFrom"]["uid"], "my-counter");
    assert_eq!(second["restoredFrom"]["operatorsLeftOut"], 0);
    for (key, count) in counts {
        assert_eq!(
            second["finalCounts"][key].as_i64(),
            count.as_i64().map(|c| 2 * c),
            "{key}"
        );
    }
    assert_eq!(second["savepoint"]["uid"], "my-counter");
    assert_eq!(second["savepoint"]["parallelism"], 3);
    assert!(dir2.join("keyed-state-2").is_file());

    // Nothing is overwritten: a directory with files in it, or a file, is refused before the job runs.
    for taken in [&dir, &dir.join("_metadata")] {
        let out = statelab(
            &[
                "run",
                "--events",
                "5",
                "--savepoint-out",
                taken.to_str().unwrap(),
            ],
            "",
        );
        let (code, line) = failure(&out);
        assert_eq!(code, 1);
        assert!(line.contains("--savepoint-out"), "{line}");
        assert!(out.stdout.is_empty());
    }
    for d in [&dir, &dir2] {
        std::fs::remove_dir_all(d).ok();
    }
}

#[test]
fn export_job_writes_a_flink_project_and_the_configuration_that_counts_the_same() {
    let dir = std::env::temp_dir().join(format!("statelab-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.to_str().unwrap();
    let args = [
        "export-job",
        "--parallelism",
        "3",
        "--keys",
        "20",
        "--events",
        "500",
        "--rate",
        "100",
        "--distribution",
        "hot:3:0.5",
        "--fail-at-call",
        "100",
        "--out",
        out,
    ];
    let summary = stdout_json(&statelab(&args, ""));
    assert_eq!(summary["events"], 500);
    assert_eq!(summary["boundedByDefault"], false);
    let files: Vec<&str> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for file in &files {
        assert!(dir.join(file).is_file(), "{file}");
    }
    assert!(files.contains(&"src/main/java/statelab/job/InjectedFailures.java"));
    let job =
        std::fs::read_to_string(dir.join("src/main/java/statelab/job/StateLabJob.java")).unwrap();
    assert!(job.contains("env.setParallelism(3);"), "{job}");
    // The configuration beside it is the job's: `statelab run --config` runs it.
    let config = dir.join("statelab-job.json");
    let run = stdout_json(&statelab(
        &["run", "--config", config.to_str().unwrap(), "--counts"],
        "",
    ));
    assert_eq!(run["sumOfFinalCounts"], 500);
    assert_eq!(run["restarts"], 1);

    // A folder that is not empty is left alone.
    let (code, message) = failure(&statelab(&args, ""));
    assert_eq!(code, 1);
    assert!(message.contains("not empty"), "{message}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn export_job_refuses_what_it_cannot_export_in_one_line() {
    let dir = std::env::temp_dir().join(format!("statelab-export-refused-{}", std::process::id()));
    let out = dir.to_str().unwrap();
    let (code, message) = failure(&statelab(&["export-job", "--keys", "5"], ""));
    assert_eq!(code, 2);
    assert!(message.contains("--out"), "{message}");
    let (code, message) = failure(&statelab(&["export-job", "--counts", "--out", out], ""));
    assert_eq!(code, 2);
    assert!(
        message.contains("--counts is a flag of statelab run"),
        "{message}"
    );
    let (code, message) = failure(&statelab(&["export-job", "--rate", "0", "--out", out], ""));
    assert_eq!(code, 1);
    assert!(message.contains("rate 0"), "{message}");
    let zh = Command::new(env!("CARGO_BIN_EXE_statelab"))
        .args(["export-job", "--rate", "0", "--out", out])
        .env("STATELAB_LANG", "zh")
        .output()
        .unwrap();
    let (_, message) = failure(&zh);
    assert!(message.contains("速率为 0"), "{message}");
    assert!(!dir.exists(), "nothing written");
}

#[test]
fn compare_runs_the_workload_in_both_structures() {
    let out = statelab(
        &[
            "compare",
            "--keys",
            "50",
            "--events",
            "3000",
            "--structures",
            "list",
        ],
        "",
    );
    let v = stdout_json(&out);
    assert_eq!(v["structures"], "list");
    assert_eq!(v["valueState"]["function"], "event-log-in-value");
    assert_eq!(v["primitive"]["function"], "event-log");
    assert_eq!(v["valueState"]["keys"], 50);
    assert_eq!(
        v["valueState"]["heapBytesPerKey"],
        v["primitive"]["heapBytesPerKey"]
    );
    let bad = statelab(&["compare", "--structures", "tree"], "");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn every_function_s_run_writes_a_blob_that_inspect_prints_and_a_run_restores() {
    for function in [
        "counter",
        "event-log",
        "category-counts",
        "category-counts-in-value",
        "running-sum",
        "average",
        "idle-counter",
        "session",
        "event-log-in-value",
        "key-stats",
    ] {
        let blob = temp_path(&format!("{function}.slcp"));
        let blob = blob.to_str().unwrap();
        let flags = [
            "--function",
            function,
            "--keys",
            "20",
            "--events",
            "600",
            "--rate",
            "200",
            "--checkpoint-interval",
            "300",
            // One source: each key's events in one order, whatever the parallelism (an event log's order).
            "--source-parallelism",
            "1",
        ];
        let mut args = vec!["run"];
        args.extend(flags);
        args.extend(["--until-ms", "1500", "--checkpoint-out", blob]);
        stdout_json(&statelab(&args, ""));
        let inspected = stdout_json(&statelab(&["inspect", blob], ""));
        let version = if function == "counter" { 2 } else { 3 };
        assert_eq!(inspected["formatVersion"], version, "{function}");
        assert_eq!(
            inspected["metadata"]["job"]["function"]
                .as_str()
                .unwrap_or("counter"),
            function
        );
        let groups = inspected["keyGroups"].as_array().unwrap();
        let values: Vec<&Value> = groups
            .iter()
            .flat_map(|g| g["state"].as_object().unwrap().values())
            .collect();
        assert!(!values.is_empty(), "{function}: {inspected}");
        let timers: usize = groups
            .iter()
            .map(|g| {
                g.get("timers")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len)
            })
            .sum();
        assert_eq!(timers > 0, function == "session", "{function}");
        // Each value in its JSON form: a number, a list, a map, a pair, a TTL value with its timestamp.
        let shape_ok = |v: &Value| match function {
            "counter" | "running-sum" => v.is_i64(),
            "event-log" | "event-log-in-value" => {
                v.as_array().is_some_and(|a| a.iter().all(Value::is_i64))
            }
            "category-counts" | "category-counts-in-value" => v.is_object(),
            "average" | "session" => v.as_array().is_some_and(|a| a.len() == 2),
            "key-stats" => v["count"].as_i64() <= v["sum"].as_i64() && v["count"].is_i64(),
            _ => v["lastAccessTimestamp"].is_i64() && v["value"].is_i64(),
        };
        assert!(values.iter().all(|v| shape_ok(v)), "{function}: {values:?}");

        let restored = stdout_json(&statelab(
            &["run", "--restore", blob, "--parallelism", "3"],
            "",
        ));
        assert_eq!(restored["status"], "FINISHED", "{function}");
        assert_eq!(restored["parallelism"], 3);
        let mut whole = vec!["run"];
        whole.extend(flags);
        let uninterrupted = stdout_json(&statelab(&whole, ""));
        if !["idle-counter", "session"].contains(&function) {
            let key = if function == "counter" {
                "finalCounts"
            } else {
                "finalValues"
            };
            assert_eq!(restored[key], uninterrupted[key], "{function}");
        }
    }
}

#[test]
fn a_savepoint_of_another_preset_than_the_counter_is_refused_before_the_job_runs() {
    let dir = temp_path("savepoint-of-a-session");
    std::fs::remove_dir_all(&dir).ok();
    let out = statelab(
        &[
            "run",
            "--function",
            "session",
            "--events",
            "10",
            "--savepoint-out",
            dir.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "the job did not run");
    assert!(String::from_utf8_lossy(&out.stderr).contains("only the counter job's is"));
    assert!(!dir.exists());
}

/// A reader that stops reading (`statelab inspect … | head`) ends the output quietly: no panic, exit 0.
#[test]
fn output_into_a_pipe_closed_early_ends_quietly() {
    use std::io::Read;
    let blob = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/blobs/uniform-10k-p4.slcp"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_statelab"))
        .args(["inspect", blob])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the first bytes, then close the pipe long before the ~1 MB of JSON is written.
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(&first[..1], b"{");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
