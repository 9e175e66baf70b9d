#!/usr/bin/env bash
# Writes a ~100 MB Flink canonical savepoint of the counter job for the page's opening benchmark
# (tests/e2e/savepoint-bench.mjs, BENCHMARKS.md "The savepoint tools"): `statelab run --savepoint-out` with
# KEYS distinct String keys (default 1,350,000) of a long prefix, every key counted once, parallelism 4; then the
# folder zipped (stored) beside it. Usage: tools/savepoint-bench/generate.sh OUT_DIR [KEYS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:?usage: generate.sh OUT_DIR [KEYS]}"
keys="${2:-1350000}"
mkdir -p "$out"
config="$out/job.json"
# A 48-character prefix: about 75 bytes per entry in the canonical format, so 1.35 M keys make ~101 MB.
cat > "$config" <<JSON
{
  "parallelism": 4,
  "source": {
    "rate": 1000000,
    "keyCount": $keys,
    "keyFormat": { "key_type": "String", "prefix": "statelab-savepoint-benchmark-key-with-long-name-", "zero_pad": 8 },
    "distribution": { "type": "sequential" },
    "maxEvents": $keys
  }
}
JSON
rm -rf "$out/savepoint" "$out/savepoint.zip"
cargo run --quiet --release --manifest-path "$root/Cargo.toml" --bin statelab -- \
  run --config "$config" --savepoint-out "$out/savepoint" > /dev/null
python3 - "$out" <<'PY'
import os, sys, zipfile
out = sys.argv[1]
with zipfile.ZipFile(os.path.join(out, "savepoint.zip"), "w", zipfile.ZIP_STORED) as z:
    for f in sorted(os.listdir(os.path.join(out, "savepoint"))):
        z.write(os.path.join(out, "savepoint", f), "savepoint/" + f)
PY
du -b "$out/savepoint.zip"
