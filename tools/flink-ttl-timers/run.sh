#!/usr/bin/env bash
# Writes tests/data/groundtruth/flink_ttl_timers.csv: step-by-step traces of real Apache Flink 2.3.0's heap backend
# — a TTL value state's incremental cleanup (entries left after every access), the same while maps resize and
# values expire as they are written, and a timer queue's polled timers under seeded adds, removes and polls —
# which tests/heap_ttl.rs and tests/heap_timers.rs replay step for step. FlinkTtlTimers.java says what each trace
# does. Flink's jars come from PyPI (apache-flink-libraries 2.3.0, via tools/flink-lib.sh); Java 17 must be on
# PATH. A few seconds; not part of the test suite (CI runs no Java; the CSV is committed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/tools/flink-lib.sh"
classes="$FLINK_WORK/ttl-timers-classes"
flink_compile "$classes" "$here/FlinkTtlTimers.java"
log4j="$(flink_log4j ERROR)"
out="$root/tests/data/groundtruth/flink_ttl_timers.csv"
{
  echo "trace,step,value"
  java -Dlog4j.configurationFile="$log4j" -cp "$classes:$FLINK_LIB/*" FlinkTtlTimers
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out ($(wc -l < "$out") lines)"
