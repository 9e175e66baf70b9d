#!/usr/bin/env bash
# Builds the engine for wasm32 (examples/wasm_bench.rs), binds it for Node.js, and either checks that a wasm
# run of tests/data/parity-job.json and of every job preset's tests/data/functions/*.parity.json is identical to
# the native run and that every scenario preset's wasm trace is its golden trace in tests/data/scenarios/
# (default), or benchmarks it (`bench`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$root/.tools/npm/node_modules/.bin:$PATH"
cargo build --quiet --release --target wasm32-unknown-unknown --example wasm_bench
wasm-bindgen --target nodejs --out-dir target/wasm-bench \
  target/wasm32-unknown-unknown/release/examples/wasm_bench.wasm
case "${1:-parity}" in
  bench) node tools/wasm-bench.mjs bench ;;
  parity)
    cargo build --quiet --release --bin statelab
    config=tests/data/parity-job.json
    native=$(target/release/statelab run --config "$config" | node -e \
      'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).fingerprint))')
    # Each job preset beyond the counter (tests/data/functions/*.parity.json): the same fingerprint natively.
    pairs=()
    for f in tests/data/functions/*.parity.json; do
      pairs+=("$f" "$(target/release/statelab run --config "$f" | node -e \
        'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).fingerprint))')")
    done
    node tools/wasm-bench.mjs parity "$config" "$native" "${pairs[@]}" ;;
  *) echo "usage: tools/wasm-check.sh [parity|bench]" >&2; exit 2 ;;
esac
