#!/usr/bin/env bash
# Runs every StateLab check, installing whatever is missing first: formatting, clippy (native and wasm32),
# the native test suite (engine, ground truth against real Flink 2.3, CLI), the engine built for wasm32 and
# run under Node.js (its run must equal the native one), and the release web build.
# Ends with one summary line "N passed, M failed" counted over all test binaries.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tools/install-toolchain.sh || exit 1
export PATH="$HOME/.cargo/bin:$root/.tools/npm/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR=never

failed_steps=()
step() {
  local name="$1"; shift
  printf '\n=== %s\n' "$name"
  if ! "$@"; then
    failed_steps+=("$name")
    printf '=== FAILED: %s\n' "$name"
  fi
}

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

step "fetch crates" cargo fetch --quiet
step "rustfmt" cargo fmt --all -- --check
step "clippy (native)" cargo clippy --all-targets --quiet -- -D warnings
step "clippy (wasm32)" cargo clippy --all-targets --target wasm32-unknown-unknown --quiet -- -D warnings
step "native tests" bash -c "cargo test 2>&1 | tee '$log'; exit \${PIPESTATUS[0]}"
step "wasm engine under Node.js" bash -c "tools/wasm-check.sh parity 2>&1 | tee -a '$log'; exit \${PIPESTATUS[0]}"
step "release web build (trunk)" trunk build --release

passed=$(grep -Eo '[0-9]+ passed' "$log" | awk '{s += $1} END {print s + 0}')
failed=$(grep -Eo '[0-9]+ failed' "$log" | awk '{s += $1} END {print s + 0}')
echo
if [ "${#failed_steps[@]}" -gt 0 ]; then
  printf 'failed steps: %s\n' "${failed_steps[*]}"
  [ "$failed" -gt 0 ] || failed=${#failed_steps[@]}
fi
echo "$passed passed, $failed failed"
[ "${#failed_steps[@]}" -eq 0 ]
