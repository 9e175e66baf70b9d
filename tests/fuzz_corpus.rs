//! Replays the checkpoint-blob fuzzer's committed corpus, every input it ever crashed on and the hostile blobs
//! (`fuzz/corpus/checkpoint_blob`, `fuzz/regressions/checkpoint_blob`, `tests/data/blobs/hostile`) through the
//! fuzz target's own code — its checks and its memory budget — so what the fuzzer found stays fixed without
//! nightly or libFuzzer.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../fuzz/exercise.rs"]
mod exercise;

/// The fuzz target counts memory process-wide: one replay at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Replays every file of `folder` (with `prefix_modes`: every blob, `*.slcp`, stored without the fuzzer's mode
/// byte, once with each first byte); returns how many inputs ran.
fn replay(folder: &str, prefix_modes: bool) -> usize {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file()
            || path.file_name().is_some_and(|f| f == "README.md")
            || (prefix_modes && path.extension().is_none_or(|e| e != "slcp"))
        {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let inputs: Vec<Vec<u8>> = if prefix_modes {
            (0u8..2).map(|mode| [&[mode][..], &data].concat()).collect()
        } else {
            vec![data]
        };
        for input in inputs {
            let outcome = std::panic::catch_unwind(|| exercise::exercise(&input));
            assert!(outcome.is_ok(), "{} panicked", path.display());
            n += 1;
        }
    }
    n
}

#[test]
fn the_fuzz_corpus_opens_without_a_panic() {
    assert!(replay("fuzz/corpus/checkpoint_blob", false) >= 60);
}

/// The golden blobs of every format version (version 3: one per function but the counter), which the corpus
/// (minimised before version 2) holds few of.
#[test]
fn the_golden_blobs_go_the_fuzz_target_s_ways() {
    assert!(replay("tests/data/blobs", true) >= 30);
}

/// What ever crashed StateLab: inputs the fuzzer found (none so far may be) and the blobs crafted by hand
/// for each class of hostile blob.
#[test]
fn inputs_that_once_broke_statelab_stay_fixed() {
    replay("fuzz/regressions/checkpoint_blob", false);
    let crafted = replay("tests/data/blobs/hostile", true);
    assert!(crafted >= 62, "{crafted} hostile inputs");
}
