#!/usr/bin/env bash
# Writes tests/data/groundtruth/flink_memory_layout.csv: the TaskManager memory layout that real Apache Flink 2.3.0
# derives (TaskExecutorProcessUtils.processSpecFromConfig) for process sizes from 1g to 64g, with and without
# taskmanager.memory.managed.size: 0. tests/groundtruth_memory.rs checks the engine against every row.
# Flink's jars come from PyPI (the apache-flink-libraries wheel, as in tools/flink-bench); Java 17 must be on
# PATH. Not part of the test suite (CI runs no Java; the CSV is committed).
#
#   tools/flink-memory/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/.tools/flink"
out="$root/tests/data/groundtruth/flink_memory_layout.csv"
if [ ! -f "$work/libs/pyflink/lib/flink-dist-2.3.0.jar" ]; then
  mkdir -p "$work"
  python3 -m pip download --no-deps --quiet apache-flink-libraries==2.3.0 -d "$work/dl"
  unzip -q -o "$work"/dl/apache_flink_libraries-2.3.0-*.whl -d "$work/libs"
fi
lib="$work/libs/pyflink/lib"
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" -cp "$lib/*" "$here/FlinkMemoryLayout.java"
# Flink logs a line per derived spec at INFO; only the CSV goes to the file.
cat > "$work/log4j2-quiet.properties" <<'PROPS'
rootLogger.level = ERROR
rootLogger.appenderRef.console.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d %-5p %c{1} - %m%n
PROPS
java -Xmx256m -Dlog4j.configurationFile="$work/log4j2-quiet.properties" -cp "$work/classes:$lib/*" \
  FlinkMemoryLayout > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $(($(wc -l < "$out") - 1)) rows to ${out#"$root"/}"
