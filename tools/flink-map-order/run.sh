#!/usr/bin/env bash
# Writes tests/data/groundtruth/flink_map_order.txt: the order in which a MapState<String, Long>'s java.util.HashMap
# iterates its mappings after seeded sequences of puts and removes, and the order of its copies by Flink 2.3's
# MapSerializer.copy and by a TTL map's rebuild (FlinkMapOrder.java says how). That order is the order of
# HeapMapState's and TtlMapState's entries(), of the map's toString() in the debugger view, and of the mappings a
# checkpoint writes; tests/flink_map_order.rs replays every case through StateLab and checks each order.
#
# Flink's jars come from PyPI (apache-flink-libraries 2.3.0, via tools/flink-lib.sh); Java 17 must be on PATH.
# Not part of the test suite (CI runs no Java; the file is committed). Under a minute.
#
#   tools/flink-map-order/run.sh          300 cases
#   tools/flink-map-order/run.sh 1000     more
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/tools/flink-lib.sh"
classes="$FLINK_WORK/map-order-classes"
flink_compile "$classes" "$here/FlinkMapOrder.java"
out="$root/tests/data/groundtruth/flink_map_order.txt"
java -cp "$classes:$FLINK_LIB/*" FlinkMapOrder "${1:-300}" > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out ($(wc -l < "$out") cases, $(java -version 2>&1 | head -1))"
