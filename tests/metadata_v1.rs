//! The version-1 metadata reader (`metadata_v1`, StateLab's own JSON reader) against `serde_json`, which read
//! version 1 when it was current: for the metadata of every golden, hostile and fuzz-corpus blob, and for
//! documents written to probe serde's rules (members in any order, defaults, unknown members, nulls, numbers),
//! both must accept the same documents and make the same values of them.
#![cfg(not(target_arch = "wasm32"))]

use statelab::engine::checkpoint::checkpoint_blob::BlobMetadata;
use statelab::engine::checkpoint::metadata_v1;
use statelab::engine::cluster::job_config::JobConfig;

/// The metadata JSON of a version-1 blob, if its header says where it is.
fn metadata_json(blob: &[u8]) -> Option<Vec<u8>> {
    if blob.len() < 32 || &blob[..8] != b"\x89SLCKPT\n" || blob[8..10] != [1, 0] {
        return None;
    }
    let len = u32::from_le_bytes(blob[12..16].try_into().ok()?) as usize;
    let stored = blob.get(28..28 + len)?;
    if blob[10] & 1 == 1 {
        miniz_oxide::inflate::decompress_to_vec_with_limit(stored, 4 << 20).ok()
    } else {
        Some(stored.to_vec())
    }
}

/// Whether both readers agree on `json`: both refuse it, or both read the same metadata. Returns what serde
/// made of it.
fn agree(json: &[u8], what: &str) -> Option<BlobMetadata> {
    let ours = metadata_v1::read(json);
    let serde = serde_json::from_slice::<BlobMetadata>(json);
    match (ours, serde) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "{what}");
            Some(b)
        }
        (Err(_), Err(_)) => None,
        (a, b) => panic!(
            "{what}: StateLab's reader {:?}, serde_json {:?}\n{}",
            a.map(|_| "reads it").map_err(|e| e.detail),
            b.map(|_| "reads it").map_err(|e| e.to_string()),
            String::from_utf8_lossy(&json[..json.len().min(2000)])
        ),
    }
}

fn files(folder: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path.extension().is_none_or(|e| e == "slcp") {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

#[test]
fn golden_and_hostile_blobs_read_the_same() {
    let mut read = 0;
    for folder in ["tests/data/blobs", "tests/data/blobs/hostile"] {
        for (name, blob) in files(folder) {
            if let Some(json) = metadata_json(&blob) {
                read += usize::from(agree(&json, &name).is_some());
            }
        }
    }
    assert!(read >= 12, "{read}");
}

#[test]
fn the_fuzz_corpus_reads_the_same() {
    let mut n = 0;
    for (name, input) in files("fuzz/corpus/checkpoint_blob") {
        if let Some(json) = input.get(1..).and_then(metadata_json) {
            agree(&json, &name);
            n += 1;
        }
    }
    assert!(n >= 100, "{n}");
}

/// A sound metadata document (the small golden blob's) as a JSON value to edit.
fn sound() -> serde_json::Value {
    let blob = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/blobs/strings-zipf-p2.slcp"
    ))
    .unwrap();
    serde_json::from_slice(&metadata_json(&blob).unwrap()).unwrap()
}

#[test]
fn edited_documents_read_the_same() {
    use serde_json::json;
    type Edit = fn(&mut serde_json::Value);
    let edits: &[(&str, Edit)] = &[
        ("as written", |_| {}),
        ("unknown member", |m| m["window"] = json!(1)),
        ("unknown job member", |m| m["job"]["paralelism"] = json!(4)),
        ("missing member", |m| {
            m.as_object_mut().unwrap().remove("entries");
        }),
        ("job members default", |m| m["job"] = json!({})),
        ("null max parallelism", |m| {
            m["job"]["maxParallelism"] = json!(null)
        }),
        ("float for an integer", |m| m["entries"] = json!(1.0)),
        ("negative for an integer", |m| m["entries"] = json!(-1)),
        ("u32 overflow", |m| m["parallelism"] = json!(1u64 << 32)),
        ("integer for a float", |m| {
            m["job"]["source"]["distribution"] = json!({"type": "zipf", "exponent": 2})
        }),
        ("tag last", |m| {
            m["job"]["source"]["distribution"] =
                json!({"fraction": 0.5, "key": 3, "type": "hotKey"})
        }),
        ("unknown member of a variant", |m| {
            m["job"]["source"]["distribution"] = json!({"type": "uniform", "exponent": "x"})
        }),
        ("missing member of a variant", |m| {
            m["job"]["source"]["distribution"] = json!({"type": "zipf"})
        }),
        ("unknown variant", |m| {
            m["job"]["source"]["distribution"] = json!({"type": "gauss"})
        }),
        ("no tag", |m| {
            m["job"]["source"]["distribution"] = json!({"exponent": 1})
        }),
        ("local memory", |m| {
            m["job"]["memory"] = json!({"jvmHeap": "1g", "type": "local"})
        }),
        (
            "memory in bytes",
            |m| {
                m["job"]["memory"] =
                    json!({"type": "process", "processSize": 2_000_000_000u64, "managedSize": null})
            },
        ),
        (
            "memory of another variant",
            |m| m["job"]["memory"] = json!({"type": "local", "jvmHeap": "1g", "processSize": "1g"}),
        ),
        ("memory unparseable", |m| {
            m["job"]["memory"] = json!({"type": "local", "jvmHeap": "1 furlong"})
        }),
        (
            "memory options",
            |m| m["job"]["memoryOptions"] = json!({"managedFraction": 0.25, "managedSize": "0", "networkMax": "1g", "jvmOverheadFraction": 1}),
        ),
        ("restart strategy", |m| {
            m["job"]["restartStrategy"] = json!({"type": "exponential-delay", "initialBackoffMs": 5,
                "maxBackoffMs": 50, "backoffMultiplier": 2, "resetBackoffThresholdMs": 9,
                "jitterFactor": 0.5, "attemptsBeforeResetBackoff": 3, "extra": [1, {"a": null}]})
        }),
        ("restart strategy missing", |m| {
            m["job"]["restartStrategy"] = json!({"type": "failure-rate", "delayMs": 5})
        }),
        (
            "failures",
            |m| {
                m["job"]["failures"] =
                    json!([{"at": "time", "ms": 5}, {"call": 3, "at": "processElementCall"}])
            },
        ),
        ("script", |m| {
            m["job"]["script"] = json!([
                {"at": {"type": "afterRecords", "records": 3}, "command": {"type": "injectKey", "key": "a\"b"}},
                {"at": {"type": "afterCheckpoint", "checkpointId": 1}, "command": {"type": "restore", "parallelism": 3}},
                {"at": {"type": "atTime", "ms": 1}, "command": {"type": "setCheckpointInterval"}},
                {"command": {"type": "triggerCheckpoint", "x": 1}, "at": {"type": "atTime", "ms": 2}}
            ])
        }),
        ("script member unknown", |m| {
            m["job"]["script"] = json!([{"at": {"type": "atTime", "ms": 1},
                "command": {"type": "triggerCheckpoint"}, "when": 1}])
        }),
        ("replay list", |m| {
            m["job"]["source"]["replay"] = json!(["a", "\u{1F600}", "é\\\n"])
        }),
        ("replay null", |m| {
            m["job"]["source"]["replay"] = json!(null)
        }),
        ("replay of numbers", |m| {
            m["job"]["source"]["replay"] = json!([1])
        }),
        ("key format member unknown", |m| {
            m["job"]["source"]["keyFormat"]["width"] = json!(3)
        }),
        ("key format member missing", |m| {
            m["job"]["source"]["keyFormat"]
                .as_object_mut()
                .unwrap()
                .remove("prefix");
        }),
        ("state member unknown", |m| m["state"]["ttl"] = json!(1)),
        ("split position member unknown", |m| {
            m["sourcePositions"][0]["offset"] = json!(1)
        }),
        ("subtask member missing", |m| {
            m["subtasks"][0].as_object_mut().unwrap().remove("syncNs");
        }),
        ("sink log limit", |m| {
            m["job"]["sinkLogLimit"] = json!(u64::MAX)
        }),
        ("zero pad too wide", |m| {
            m["job"]["source"]["keyFormat"]["zero_pad"] = json!(256)
        }),
    ];
    for (what, edit) in edits {
        let mut m = sound();
        edit(&mut m);
        agree(&serde_json::to_vec(&m).unwrap(), what);
        agree(&serde_json::to_vec_pretty(&m).unwrap(), what);
    }
}

#[test]
fn the_syntax_is_json_as_serde_json_reads_it() {
    let text = String::from_utf8(serde_json::to_vec(&sound()).unwrap()).unwrap();
    let variants = [
        text.replacen("\"producer\":", "\"producer\" :", 1),
        text.replacen("\"producer\":", "\"producer\"", 1),
        text.replacen('{', "{,", 1),
        text.replacen('}', ",}", 1),
        format!("{text} "),
        format!("{text} x"),
        format!(" \n\t{text}"),
        text[..text.len() - 1].to_owned(),
        text.replacen("\"checkpointId\":", "\"checkpointId\":0", 1),
        text.replacen("\"checkpointId\":", "\"checkpointId\":-", 1),
        text.replacen("\"checkpointId\":", "\"checkpointId\":1e2,\"x\":", 1),
        text.replacen("StateLab", "State\\u004cab", 1),
        text.replacen("StateLab", "State\\uD83D\\uDE00", 1),
        text.replacen("StateLab", "State\\uD83D", 1),
        text.replacen("StateLab", "State\\uDE00", 1),
        text.replacen("StateLab", "State\\x", 1),
        text.replacen("StateLab", "State\u{1}", 1),
        text.replacen("StateLab", "State\\/\\b\\f\\r\\t", 1),
        text.replacen("\"window\"", "\"w\\u0069ndow\"", 1),
        text.replacen("\"entries\":", "\"entries\":true,\"x\":", 1),
        text.replacen("\"namedKeys\":[", "\"namedKeys\":[[[[]]],", 1),
    ];
    for (i, v) in variants.iter().enumerate() {
        agree(v.as_bytes(), &format!("variant {i}"));
    }
    // Nesting within and beyond serde_json's limit, in a member that is skipped.
    for depth in [100, 127, 128, 129, 5000] {
        let deep = text.replacen(
            "\"mode\":",
            &format!("\"x\":{}{},\"mode\":", "[".repeat(depth), "]".repeat(depth)),
            1,
        );
        // The top-level object refuses unknown members: put the nesting where members are ignored.
        let deep = deep.replacen("\"x\":", "\"ignored\":", 1);
        let in_position = text.replacen(
            "\"generated\":",
            &format!(
                "\"x\":{}{},\"generated\":",
                "[".repeat(depth),
                "]".repeat(depth)
            ),
            1,
        );
        agree(deep.as_bytes(), &format!("depth {depth}"));
        agree(
            in_position.as_bytes(),
            &format!("depth {depth} in a position"),
        );
    }
    agree(b"", "empty");
    agree(b"\xff", "not UTF-8");
    let invalid_utf8 = text
        .replacen("StateLab", "State\u{0}", 1)
        .replace('\u{0}', "\u{7f}");
    agree(invalid_utf8.as_bytes(), "DEL");
    let mut bytes = text.into_bytes();
    let at = bytes.windows(8).position(|w| w == b"StateLab").unwrap();
    bytes[at + 5] = 0xC3;
    agree(&bytes, "a broken UTF-8 sequence");
}

#[test]
fn a_job_configuration_reads_the_same() {
    // The CLI's files are serde's; the page's reader must make the same job of any configuration.
    for text in [
        include_str!("data/blobs/longs-p3.job.json").to_owned(),
        serde_json::to_string(&JobConfig::default()).unwrap(),
    ] {
        let ours = {
            let mut r = statelab::engine::checkpoint::json::Reader::new(text.as_bytes());
            metadata_v1::job(&mut r).and_then(|j| r.end().map(|()| j))
        };
        let serde: JobConfig = serde_json::from_str(&text).unwrap();
        assert_eq!(ours.unwrap(), serde);
    }
}
