#!/usr/bin/env bash
# Runs the StateLab benchmark job on real Apache Flink 2.3.0 for a side-by-side comparison (BENCHMARKS.md).
# Flink's jars come from PyPI (the apache-flink-libraries wheel, as in shared/groundtruth); Java 17 must be on
# PATH. Not part of the test suite.
#
#   tools/flink-bench/run.sh [EVENTS] [CHECKPOINT_INTERVAL_MS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
events="${1:-20000000}"
interval="${2:-0}"
. "$root/tools/flink-lib.sh"
work="$FLINK_WORK"
lib="$FLINK_LIB"
flink_compile "$work/classes" "$here/FlinkCounterBench.java"
# Quiet logging: warnings and errors only.
log4j="$(flink_log4j WARN)"
exec java -Xmx2g -Dlog4j.configurationFile="$log4j" \
  --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
  -cp "$work/classes:$lib/*" FlinkCounterBench "$events" 10000 4 "$interval"
