#!/usr/bin/env bash
# Writes tests/data/groundtruth/flink_checkpoint_sizes.csv: the bytes one checkpoint of real Apache Flink 2.3.0's
# heap backend writes (native format, uncompressed, HeapSnapshotStrategy) for each keyed-state primitive — value,
# value, list:N and map:N with TTL (and with cleanupFullSnapshot() leaving expired values, elements and mappings
# out), list:N, map:N, ValueState<List>/<Map>, reducing, aggregating (sum and average), timers:N, and a
# ValueState<KeyStats> (a POJO, KeyStats.java) — with 0, 1 and 1,000 keys, for a subtask owning all 128 key groups
# and one owning 64. tests/checkpoint_sizes.rs checks StateLab's snapshot writer against every row.
# FlinkCheckpointSizes.java says how. Flink's jars come from PyPI (apache-flink-libraries 2.3.0, via
# tools/flink-lib.sh); Java 17 must be on PATH. A few seconds; CI runs no Java (the CSV is committed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/tools/flink-lib.sh"
classes="$FLINK_WORK/checkpoint-sizes-classes"
flink_compile "$classes" "$here/FlinkCheckpointSizes.java" "$here/KeyStats.java"
log4j="$(flink_log4j ERROR)"
out="$root/tests/data/groundtruth/flink_checkpoint_sizes.csv"
{
  echo "case,keyGroups,keys,bytes"
  java -Dlog4j.configurationFile="$log4j" -cp "$classes:$FLINK_LIB/*" FlinkCheckpointSizes
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out ($(wc -l < "$out") lines)"
