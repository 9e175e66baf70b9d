#!/usr/bin/env bash
# Runs the StateLab benchmark job on real Apache Flink 2.3.0 for a side-by-side comparison (BENCHMARKS.md).
# Flink's jars come from PyPI (the apache-flink-libraries wheel, as in shared/groundtruth); Java 17 must be on
# PATH. Not part of the test suite.
#
#   tools/flink-bench/run.sh [EVENTS] [CHECKPOINT_INTERVAL_MS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/.tools/flink"
events="${1:-20000000}"
interval="${2:-0}"
if [ ! -f "$work/libs/pyflink/lib/flink-dist-2.3.0.jar" ]; then
  mkdir -p "$work"
  python3 -m pip download --no-deps --quiet apache-flink-libraries==2.3.0 -d "$work/dl"
  unzip -q -o "$work"/dl/apache_flink_libraries-2.3.0-*.whl -d "$work/libs"
fi
lib="$work/libs/pyflink/lib"
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" -cp "$lib/*" "$here/FlinkCounterBench.java"
# Quiet logging: the shipped log4j2 configuration at WARN.
cat > "$work/log4j2.properties" <<'PROPS'
rootLogger.level = WARN
rootLogger.appenderRef.console.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d %-5p %c{1} - %m%n
PROPS
exec java -Xmx2g -Dlog4j.configurationFile="$work/log4j2.properties" \
  --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
  -cp "$work/classes:$lib/*" FlinkCounterBench "$events" 10000 4 "$interval"
