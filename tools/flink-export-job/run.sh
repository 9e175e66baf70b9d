#!/usr/bin/env bash
# Hands StateLab's job to real Apache Flink 2.3.0 and checks that it counts what StateLab counts. For every
# configuration tests/data/flink-export-job/NAME/config.json: `statelab export-job` writes the Flink project,
# javac compiles it against Flink's jars (no Maven here), PrintKeys.java prints the keys its source emits, the
# program runs on a local MiniCluster (injected failures and restarts included) and prints every key's final
# count, and `statelab run --config … --counts` runs the same configuration. Written next to each config:
#
#   export.sha256     SHA-256 of the exported files (each path, NUL, text, NUL, in the order exported): the program
#                     that was checked; tests/flink_export_job.rs fails when the exporter writes another one
#   flink-keys.txt    the first 1000 keys of the program's source, one per line
#   keys.sha256       "N HEX": SHA-256 of its first N (up to 1,000,000) keys, each followed by a newline
#   flink-counts.tsv  the program's output: key TAB final count, in key order
# and tests/data/flink-export-job/results.tsv: per configuration, events, keys, restarts in Flink and in StateLab,
# and whether the counts are equal. Exits non-zero when any differ.
#
# Flink's jars come from PyPI (apache-flink-libraries 2.3.0, via tools/flink-lib.sh); Java 17 must be on PATH.
# Not part of the test suite (CI runs no Java; the results are committed). About 10 s per configuration.
#
#   tools/flink-export-job/run.sh [NAME...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/tools/flink-lib.sh"
data="$root/tests/data/flink-export-job"
work="$FLINK_WORK/export-job"
log4j="$(flink_log4j INFO)"
(cd "$root" && cargo build --quiet --bin statelab)
statelab="$root/target/debug/statelab"
mkdir -p "$work"

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for d in "$data"/*/; do names+=("$(basename "$d")"); done
fi
printf 'name\tevents\tkeys\tflinkRestarts\tstatelabRestarts\tcountsEqual\n' > "$work/results.tsv"
status=0
for name in "${names[@]}"; do
  dir="$data/$name" out="$work/$name"
  rm -rf "$out"
  "$statelab" export-job --config "$dir/config.json" --out "$out/project" > "$out.export.json"
  python3 - "$out.export.json" "$out/project" > "$dir/export.sha256" <<'PY'
import hashlib, json, sys
listing = json.load(open(sys.argv[1]))
h = hashlib.sha256()
for path in listing["files"]:
    if path == "statelab-job.json":
        continue
    h.update(path.encode() + b"\0" + open(f"{sys.argv[2]}/{path}", "rb").read() + b"\0")
print(h.hexdigest())
PY
  classes="$out/classes"
  flink_compile "$classes" --release 11 -encoding UTF-8 $(find "$out/project/src/main/java" -name '*.java') "$here/PrintKeys.java"
  cp -r "$out/project/src/main/resources/." "$classes/"
  java -cp "$classes:$FLINK_LIB/*" statelab.job.PrintKeys 1000 1000000 "$dir/flink-keys.txt" > "$dir/keys.sha256"
  java -Xmx1g -Dlog4j.configurationFile="$log4j" -cp "$classes:$FLINK_LIB/*" statelab.job.StateLabJob \
    > "$out/flink-out.txt" 2> "$out/flink.log"
  grep -v '^#' "$out/flink-out.txt" > "$dir/flink-counts.tsv"
  "$statelab" run --config "$out/project/statelab-job.json" --counts > "$out/statelab.json"
  restarts="$(grep -c 'switched from state RUNNING to RESTARTING' "$out/flink.log" || true)"
  python3 - "$name" "$dir/flink-counts.tsv" "$out/statelab.json" "$restarts" "$out.export.json" \
    >> "$work/results.tsv" <<'PY' || status=1
import json, sys
name, counts, summary, restarts, listing = sys.argv[1:]
flink = {}
for line in open(counts, encoding="utf-8"):
    key, count = line.rstrip("\n").rsplit("\t", 1)
    flink[key] = int(count)
s = json.load(open(summary))
equal = flink == s["finalCounts"]
events = json.load(open(listing))["events"]
print(f"{name}\t{events}\t{len(flink)}\t{restarts}\t{s['restarts']}\t{str(equal).lower()}")
if not equal:
    print(f"{name}: Flink's counts differ from StateLab's", file=sys.stderr)
    sys.exit(1)
PY
  tail -n 1 "$work/results.tsv"
done
if [ $# -eq 0 ]; then
  cp "$work/results.tsv" "$data/results.tsv"
fi
exit $status
