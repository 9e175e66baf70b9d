#!/usr/bin/env bash
# Writes tests/data/groundtruth/flink_heap_curve.csv: the heap that N keys `user-%06d` of one ValueState<Long> take
# in real Apache Flink 2.3.0's HeapKeyedStateBackend (128 key groups, VoidNamespace), N = STEP..MAX_KEYS in steps
# of STEP: cached values (1) and distinct values (one Long each) written as the counter writes a new key (value()
# then update()), and cached values written by update() alone. One JVM per run inserts the keys one by one and
# measures every STEP keys (FlinkHeapCurve.java says how). tests/groundtruth_heap.rs checks the
# engine against every row. Flink's jars come from PyPI (the apache-flink-libraries wheel, as in
# tools/flink-bench); Java 17 must be on PATH. Takes a few minutes; not part of the test suite (CI runs no Java;
# the CSV is committed).
#
#   tools/flink-heap-curve/run.sh [MAX_KEYS [STEP]]     (default 1000000 10000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
max_keys="${1:-1000000}"
step="${2:-10000}"
out="$root/tests/data/groundtruth/flink_heap_curve.csv"
. "$root/tools/flink-lib.sh"
work="$FLINK_WORK"
lib="$FLINK_LIB"
flink_compile "$work/heap-curve-classes" "$here/FlinkHeapCurve.java"
log4j="$(flink_log4j ERROR)"
# A fixed heap (no resizing between measurements), G1 and compressed oops: the defaults the model assumes.
run() {
  java -Xms1g -Xmx1g -XX:+UseG1GC -XX:+UseCompressedOops -Dlog4j.configurationFile="$log4j" \
    -cp "$work/heap-curve-classes:$lib/*" FlinkHeapCurve "$@"
}
{
  run cached value-update "$max_keys" "$step" header
  run distinct value-update "$max_keys" "$step"
  run cached update "$max_keys" "$step"
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $(($(wc -l < "$out") - 1)) rows to ${out#"$root"/} ($(java -version 2>&1 | head -1))"
