//! Replays the checkpoint-blob fuzzer's committed corpus and every input it ever crashed on
//! (`fuzz/corpus/checkpoint_blob`, `fuzz/regressions/checkpoint_blob`) through the fuzz target's own code, so
//! what the fuzzer found stays fixed without nightly or libFuzzer.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../fuzz/exercise.rs"]
mod exercise;

fn replay(folder: &str) -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path.file_name().is_some_and(|f| f != "README.md") {
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| exercise::exercise(&data));
            assert!(outcome.is_ok(), "{} panicked", path.display());
            n += 1;
        }
    }
    n
}

#[test]
fn the_fuzz_corpus_opens_without_a_panic() {
    assert!(replay("fuzz/corpus/checkpoint_blob") >= 16);
}

#[test]
fn inputs_the_fuzzer_crashed_on_stay_fixed() {
    replay("fuzz/regressions/checkpoint_blob");
}
