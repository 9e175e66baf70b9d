#!/usr/bin/env bash
# Serves the StateLab web app at http://127.0.0.1:8080 with `trunk serve`, installing whatever is missing
# first (wasm target, trunk, wasm-bindgen-cli, wasm-opt; see tools/install-toolchain.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tools/install-toolchain.sh
export PATH="$HOME/.cargo/bin:$root/.tools/npm/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
cargo fetch --quiet
echo "[serve] StateLab at http://127.0.0.1:8080 (Ctrl-C stops it)" >&2
exec trunk serve --release "$@"
