#!/usr/bin/env bash
# Hands StateLab's state to real Apache Flink 2.3.0 and checks that Flink takes it up: for each run of
# tests/data/flink-savepoint-restore/runs.txt, `statelab run … --savepoint-out DIR` writes a canonical savepoint
# (parallelism 1 to 4, max parallelism 32 to 256 and the default 128, String, Long and Integer keys, one run with a
# failover, one restored from a real Flink savepoint first); FlinkSavepointRestore.java reads each _metadata with
# Flink's own Checkpoints.loadCheckpointMetadata, restores the savepoint like `flink run -s DIR` (no
# --allowNonRestoredState) in a local MiniCluster at parallelism 1, 2, 3 and 4, feeds the extra keys of
# extra-<KeyType>.txt to the same keyBy -> KeyedProcessFunction counting in ValueState<Long> "event-counter" (uid as
# StateLab wrote it), and dumps every key its backends hold. record.py checks that each count is StateLab's final
# count plus the extra events, each key in the key group and subtask Flink assigns it, and writes NAME.json (the
# savepoint files' SHA-256, StateLab's counts, what Flink restored) into tests/data/flink-savepoint-restore/, which
# tests/flink_savepoint_restore.rs checks against what StateLab writes today (CI runs no Java).
#
# Flink's jars come from PyPI (apache-flink-libraries 2.3.0, via tools/flink-lib.sh); Java 17 and python3 must be
# on PATH, and cargo for statelab. About a minute.
#
#   tools/flink-savepoint-restore/run.sh              every run, recorded in tests/data/flink-savepoint-restore
#   OUT=/tmp/restore tools/flink-savepoint-restore/run.sh   recorded elsewhere
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$root/tests/data/flink-savepoint-restore"
out="${OUT:-$data}"
. "$root/tools/flink-lib.sh"
cd "$root"
cargo build --quiet --bin statelab
statelab="$root/target/debug/statelab"
classes="$FLINK_WORK/savepoint-restore-classes"
flink_compile "$classes" "$here/FlinkSavepointRestore.java"
log4j="$(flink_log4j ERROR)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

plan="$work/plan.txt"
grep -v '^#' "$data/runs.txt" | grep -v '^ *$' | while read -r name key_type flags; do
  mkdir -p "$work/$name"
  # shellcheck disable=SC2086 # the flags are words
  "$statelab" run $flags --counts --savepoint-out "$work/$name/savepoint" > "$work/$name/statelab.json"
  for p in 1 2 3 4; do
    echo "$name $work/$name/savepoint $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["savepoint"]["uid"])' "$work/$name/statelab.json") $key_type $p $data/extra-$key_type.txt $work/$name/flink-p$p.jsonl" >> "$plan"
  done
done
java -Xmx768m -Dlog4j.configurationFile="$log4j" -cp "$classes:$FLINK_LIB/*" FlinkSavepointRestore "$plan" \
  | tee "$work/flink.log"
python3 "$here/record.py" "$data/runs.txt" "$data" "$work" "$out"
