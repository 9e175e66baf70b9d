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
work="$root/.tools/flink"
max_keys="${1:-1000000}"
step="${2:-10000}"
out="$root/tests/data/groundtruth/flink_heap_curve.csv"
if [ ! -f "$work/libs/pyflink/lib/flink-dist-2.3.0.jar" ]; then
  mkdir -p "$work"
  python3 -m pip download --no-deps --quiet apache-flink-libraries==2.3.0 -d "$work/dl"
  unzip -q -o "$work"/dl/apache_flink_libraries-2.3.0-*.whl -d "$work/libs"
fi
lib="$work/libs/pyflink/lib"
mkdir -p "$work/heap-curve-classes"
javac -nowarn -d "$work/heap-curve-classes" -cp "$lib/*" "$here/FlinkHeapCurve.java"
cat > "$work/log4j2-quiet.properties" <<'PROPS'
rootLogger.level = ERROR
rootLogger.appenderRef.console.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d %-5p %c{1} - %m%n
PROPS
# A fixed heap (no resizing between measurements), G1 and compressed oops: the defaults the model assumes.
run() {
  java -Xms1g -Xmx1g -XX:+UseG1GC -XX:+UseCompressedOops -Dlog4j.configurationFile="$work/log4j2-quiet.properties" \
    -cp "$work/heap-curve-classes:$lib/*" FlinkHeapCurve "$@"
}
{
  run cached value-update "$max_keys" "$step" header
  run distinct value-update "$max_keys" "$step"
  run cached update "$max_keys" "$step"
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $(($(wc -l < "$out") - 1)) rows to ${out#"$root"/} ($(java -version 2>&1 | head -1))"
