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
out="$root/tests/data/groundtruth/flink_memory_layout.csv"
. "$root/tools/flink-lib.sh"
work="$FLINK_WORK"
lib="$FLINK_LIB"
flink_compile "$work/classes" "$here/FlinkMemoryLayout.java"
# Flink logs a line per derived spec at INFO; only the CSV goes to the file.
log4j="$(flink_log4j ERROR)"
java -Xmx256m -Dlog4j.configurationFile="$log4j" -cp "$work/classes:$lib/*" \
  FlinkMemoryLayout > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $(($(wc -l < "$out") - 1)) rows to ${out#"$root"/}"
