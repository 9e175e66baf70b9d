//! Fuzzes the reader of real Flink snapshots — a `.zip` of a snapshot directory, or a `_metadata` alone (see
//! `../flink_exercise.rs`). Seeds: `fuzz/corpus/flink_savepoint` (every snapshot under
//! `tests/data/flink-savepoints`, zipped, and each `_metadata`).
#![no_main]

#[path = "../flink_exercise.rs"]
mod flink_exercise;

libfuzzer_sys::fuzz_target!(|data: &[u8]| flink_exercise::exercise(data));
