#!/usr/bin/env bash
# Writes tests/data/groundtruth/operator_ids.csv: the JobVertexIDs and OperatorIDs real Flink 2.3 derives for
# StateLab's job (OperatorIds.java). Flink's jars come from PyPI (apache-flink-libraries, as tools/flink-bench);
# Java 17 must be on PATH. Not part of the test suite: the CSV is committed and tests/operator_ids.rs reads it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/.tools/flink"
if [ ! -f "$work/libs/pyflink/lib/flink-dist-2.3.0.jar" ]; then
  mkdir -p "$work"
  python3 -m pip download --no-deps --quiet apache-flink-libraries==2.3.0 -d "$work/dl"
  unzip -q -o "$work"/dl/apache_flink_libraries-2.3.0-*.whl -d "$work/libs"
fi
lib="$work/libs/pyflink/lib"
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" -cp "$lib/*" "$here/OperatorIds.java"
java -Dlog4j2.level=OFF -cp "$work/classes:$lib/*" OperatorIds > "$root/tests/data/groundtruth/operator_ids.csv"
cat "$root/tests/data/groundtruth/operator_ids.csv"
