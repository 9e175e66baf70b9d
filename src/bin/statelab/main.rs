//! `statelab`: the engine on the command line, and how StateLab is checked against real Flink.
//!
//! ```text
//! statelab keygroup                 JSON lines in (type, key, maxParallelism, parallelism), the same lines out
//!                                   with hashCode, murmurHash, keyGroup and operatorIndex filled in
//! statelab heap --keys N [...]      heap footprint of N keys in the heap backend, and where the heap runs out
//! statelab run [--config F] [...]   runs the keyed counter job headless, prints a JSON summary; can start
//!                                   from a checkpoint blob and write one
//! statelab inspect BLOB             a checkpoint blob's metadata and key groups as JSON
//! statelab scenario [ID]            the lessons' scenario presets; one run to its end, with its golden trace
//! ```
//!
//! Bad input gets one line on stderr and a non-zero exit code: 2 for a malformed command line, 1 otherwise.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::main());
}

#[cfg(target_arch = "wasm32")]
fn main() {}
