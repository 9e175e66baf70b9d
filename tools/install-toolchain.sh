#!/usr/bin/env bash
# Installs what building, serving and testing StateLab needs, skipping whatever is already there at the
# right version. Only package registries are used (crates.io, npm, Debian): nothing is downloaded from
# GitHub, so this works on an offline-but-for-registries machine. Versions: pinned below and in rust-toolchain.toml.
#
#   tools/install-toolchain.sh            # wasm target, trunk, wasm-bindgen-cli, wasm-opt, twiggy
#   tools/install-toolchain.sh --browser  # the same plus Debian's chromium and CJK fonts (browser tests)
set -euo pipefail

TRUNK_VERSION=0.21.14
# Must equal the `wasm-bindgen = "=…"` pin in Cargo.toml: the CLI refuses modules from another version.
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0
# Where the page's bytes are, when tools/test.sh's size gate fails.
TWIGGY_VERSION=0.8.0

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    *) echo "install-toolchain: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

log() { printf '[install] %s\n' "$*" >&2; }
export PATH="$HOME/.cargo/bin:$tools/npm/node_modules/.bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION (takes 6-8 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes 2-4 minutes)"
  # Not --locked: its lockfile names a crate version this registry mirror does not have.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  log "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm into .tools/npm"
  mkdir -p "$tools/npm"
  (cd "$tools/npm" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
    && npm install --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION")
fi

if [ "$(twiggy --version 2>/dev/null || true)" != "twiggy-opt $TWIGGY_VERSION" ]; then
  log "installing twiggy $TWIGGY_VERSION (takes 2-3 minutes)"
  cargo install --locked twiggy --version "$TWIGGY_VERSION"
fi

apt_install() {
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq "$@" >/dev/null; fi
}
if [ "$want_browser" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  log "installing Debian's chromium"
  apt_install chromium
fi
# The page speaks Chinese too: without a CJK font headless Chromium draws boxes in the screenshots.
if [ "$want_browser" = 1 ] && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  log "installing Debian's Noto CJK fonts"
  apt_install fonts-noto-cjk
fi

log "toolchain ready: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version | head -1), $(twiggy --version)"
