//! Fuzzes the checkpoint blob decoder and the restore from a blob (see `../exercise.rs`).
#![no_main]

#[path = "../exercise.rs"]
mod exercise;

libfuzzer_sys::fuzz_target!(|data: &[u8]| exercise::exercise(data));
