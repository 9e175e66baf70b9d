#!/usr/bin/env bash
# Writes tests/data/groundtruth/operator_ids.csv: the JobVertexIDs and OperatorIDs real Flink 2.3 derives for
# StateLab's job (OperatorIds.java). Flink's jars come from PyPI (apache-flink-libraries, as tools/flink-bench);
# Java 17 must be on PATH. Not part of the test suite: the CSV is committed and tests/operator_ids.rs reads it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/tools/flink-lib.sh"
work="$FLINK_WORK"
lib="$FLINK_LIB"
flink_compile "$work/classes" "$here/OperatorIds.java"
java -Dlog4j2.level=OFF -cp "$work/classes:$lib/*" OperatorIds > "$root/tests/data/groundtruth/operator_ids.csv"
cat "$root/tests/data/groundtruth/operator_ids.csv"
