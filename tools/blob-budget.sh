#!/usr/bin/env bash
# Measures what opening a blob from outside costs in the CLI (BENCHMARKS.md, "Opening blobs from outside"):
# wall time and peak RSS of `statelab inspect --summary` (open: every check, every entry read once) and of
# `statelab run --restore` (a job started from it), median of 5, for the sound blobs that cost the most for
# their size (the worst link-sized blob and the worst 1 MB blob, written by `examples/hostile_blobs.rs --worst`)
# and for every hostile blob of tests/data/blobs/hostile.
#
#   tools/blob-budget.sh            # prints a Markdown table
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cargo build --release --quiet --bin statelab --example hostile_blobs
worst="target/worst-blobs"
[ -f "$worst/worst-64kib.slcp" ] || target/release/examples/hostile_blobs --worst "$worst" >&2
statelab=target/release/statelab

# Median wall seconds and peak RSS (KB) of a command over 5 runs.
measure() {
  local times=() rss=() out
  out="$(mktemp)"
  for _ in 1 2 3 4 5; do
    /usr/bin/time -o "$out" -f "%e %M" "$@" > /dev/null 2>&1 || true
    read -r t m < <(tail -1 "$out")
    times+=("$t"); rss+=("$m")
  done
  rm -f "$out"
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)" \
    "$(printf '%s\n' "${rss[@]}" | sort -n | sed -n 3p)"
}

echo "| blob | bytes | inspect --summary | run --restore --until-ms 1 |"
echo "|---|---|---|---|"
for blob in "$worst/worst-link.slcp" "$worst/worst-64kib.slcp" "$worst/worst-1mb.slcp" tests/data/blobs/hostile/*.slcp; do
  read -r t1 m1 < <(measure "$statelab" inspect --summary "$blob")
  read -r t2 m2 < <(measure "$statelab" run --restore "$blob" --until-ms 1)
  printf '| `%s` | %s | %s s, %s MB | %s s, %s MB |\n' "$(basename "$blob" .slcp)" "$(stat -c %s "$blob")" \
    "$t1" "$((m1 / 1024))" "$t2" "$((m2 / 1024))"
done
