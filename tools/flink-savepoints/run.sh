#!/usr/bin/env bash
# Writes tests/data/flink-savepoints/generated/: real Apache Flink 2.3.0 savepoints and checkpoints (HashMap state
# backend, local MiniCluster) of a job whose keyed operator (uid primitives-op) writes every keyed-state primitive —
# ValueState<Long|String|Integer|Double|Boolean|byte[]>, a POJO and a Row value, ListState<Long>,
# MapState<String, Long>, ReducingState<Long>, AggregatingState with a Tuple2 accumulator, processing- and
# event-time timers — each run as a canonical savepoint, a native savepoint and a retained full checkpoint, with
# the state in files or inline in _metadata, at parallelism 1 to 4, max parallelism 128 and 256 (two-byte key-group
# prefixes), with and without snapshot compression, and (p2-ttl) with a ValueState, a ListState and a MapState
# with state TTL besides. Next to each snapshot, expected.jsonl is what the job wrote, in
# `statelab inspect --dump`'s format; tests/flink_savepoint_reader.rs checks that StateLab's dump equals it.
#
# Flink's jars come from PyPI (apache-flink-libraries 2.3.0, via tools/flink-lib.sh); Java 17 must be on PATH.
# Not part of the test suite (CI runs no Java; the snapshots are committed). About a minute per run.
#
#   tools/flink-savepoints/run.sh            every run into tests/data/flink-savepoints/generated
#   OUT=/tmp/sp tools/flink-savepoints/run.sh   elsewhere
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/tools/flink-lib.sh"
classes="$FLINK_WORK/savepoints-classes"
flink_compile "$classes" "$here/FlinkSavepoints.java"
log4j="$(flink_log4j ERROR)"
out="${OUT:-$root/tests/data/flink-savepoints/generated}"
mkdir -p "$out"

#   name        parallelism  maxParallelism  inline  compression  keys  extra states
runs="p1-files      1 128 false false 3 -
p2-inline     2 128 true  false 4 -
p3-files      3 256 false false 5 -
p4-inline     4 128 true  false 4 -
p2-snappy     2 128 false true  4 -
p2-ttl        2 128 false false 4 ttl"
echo "$runs" | while read -r name p m inline compression keys extra; do
  java -Xmx512m -Dlog4j.configurationFile="$log4j" -cp "$classes:$FLINK_LIB/*" \
    FlinkSavepoints "$out" "$name" "$p" "$m" "$inline" "$compression" "$keys" "$extra"
done
