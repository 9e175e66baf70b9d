#!/usr/bin/env bash
# Writes tests/data/groundtruth/flink_heap_primitives.csv and flink_heap_primitives_classes.csv: the heap that N
# keys `user-%06d` of each keyed-state primitive take in real Apache Flink 2.3.0's HeapKeyedStateBackend (max
# parallelism 128, one subtask owning all key groups, VoidNamespace), object by object — ValueState (cached and
# distinct Long, POJO; keystats: StateLab's KeyStats POJO, its sum changed after update(), and keystats-cow: the
# same read once under a snapshot), ListState, MapState (own and shared map keys), ValueState<Map> and
# ValueState<List>,
# ReducingState, AggregatingState (Long sum, Tuple2 average), State TTL (value, list, map), processing-time timers,
# and lists/maps touched during a checkpoint (copy-on-write) — for 1,000, 10,000 and 100,000 keys (and 1,000,000
# for value, list:4 and map:4; map-ttl:64 only up to 10,000), N ∈ {1, 2, 4, 8, 16, 64} elements/entries/timers
# per key.
# FlinkHeapPrimitives.java says how one JVM measures; aggregate.py takes the medians over RUNS JVMs;
# docs/heap-primitives.md explains every object and the formulas tests/heap_primitives_groundtruth.rs checks.
#
# Flink's jars come from PyPI (apache-flink-libraries 2.3.0, via tools/flink-lib.sh); Java 17 must be on PATH.
# Not part of the test suite (CI runs no Java; the CSVs are committed). One JVM at a time, heaps of 1 or 2 GB
# (fixed: -Xms = -Xmx), G1, compressed oops, C1 only (-XX:TieredStopAtLevel=1: C2 resolves the string constants
# of the methods it compiles, a few dozen interned Strings that would land between baseline and measurement;
# object layouts do not depend on the JIT). About 20 minutes on 2 cores with RUNS=3 (see docs/heap-primitives.md).
#
#   tools/flink-heap-primitives/run.sh            all cases, RUNS=3 JVMs each
#   RUNS=1 tools/flink-heap-primitives/run.sh     one JVM per case (bytes is then that JVM's, not a median)
#   CASES="list:4 timers" SIZES=1000,100000 tools/flink-heap-primitives/run.sh   a subset, written to OUT (default:
#                                                 .tools/flink/heap-primitives-subset) instead of tests/data
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${RUNS:-3}"
sizes="${SIZES:-1000,10000,100000}"
big_sizes="$sizes,1000000"
. "$root/tools/flink-lib.sh"
classes="$FLINK_WORK/heap-primitives-classes"
flink_compile "$classes" "$here/FlinkHeapPrimitives.java"
log4j="$(flink_log4j ERROR)"

ns="1 2 4 8 16 64"
if [ -n "${CASES:-}" ]; then
  cases="$CASES"
  out="${OUT:-$FLINK_WORK/heap-primitives-subset}"
else
  cases="value-cached value-distinct pojo keystats keystats-cow reducing aggregating aggregating-avg value-ttl timers"
  for p in list map map-sharedkeys value-list value-map list-ttl map-ttl list-cow map-cow; do
    for n in $ns; do cases="$cases $p:$n"; done
  done
  for n in $ns; do [ "$n" = 1 ] || cases="$cases timers:$n"; done
  out="$root/tests/data/groundtruth"
fi
mkdir -p "$out"

# Rough bytes per key at most (to pick the heap): the key and entry, plus per element.
per_key() {
  local p="${1%%:*}" n=1
  [ "$1" != "$p" ] && n="${1#*:}"
  case "$p" in
    list|value-list|list-cow) echo $((200 + 40 * n)) ;;
    list-ttl) echo $((200 + 64 * n)) ;;
    map|map-sharedkeys|value-map|map-cow) echo $((300 + 120 * n)) ;;
    map-ttl) echo $((300 + 150 * n)) ;;
    timers) echo $((150 + 80 * n)) ;;
    *) echo 250 ;;
  esac
}

raw="$FLINK_WORK/heap-primitives-raw.txt"
: > "$raw"
start=$(date +%s)
for run in $(seq 1 "$runs"); do
  for c in $cases; do
    case_sizes="$sizes"
    case "$c" in
      value-cached|value-distinct|list:4|map:4) [ -z "${CASES:-}" ] && case_sizes="$big_sizes" ;;
      # TTL's default incremental cleanup copies the 5 maps it visits on every access (TtlMapState's
      # getUnexpiredOrNull): 100,000 keys × 64 puts × 5 × 64 entries, over half an hour. Up to 10,000 keys.
      map-ttl:64) [ -z "${CASES:-}" ] && case_sizes="1000,10000" ;;
    esac
    max_keys="${case_sizes##*,}"
    heap=1g
    [ $(( $(per_key "$c") * max_keys )) -gt 300000000 ] && heap=2g
    # A -cow case snapshots after the fill and reads every key: one JVM per size.
    if [[ "$c" == *-cow* ]]; then jvm_sizes="${case_sizes//,/ }"; else jvm_sizes="$case_sizes"; fi
    for s in $jvm_sizes; do
      java -Xms$heap -Xmx$heap -XX:+UseG1GC -XX:+UseCompressedOops -XX:TieredStopAtLevel=1 \
        --add-opens java.base/java.util=ALL-UNNAMED \
        -Dlog4j.configurationFile="$log4j" -cp "$classes:$FLINK_LIB/*" FlinkHeapPrimitives "$c" "$s" "$run" >> "$raw"
    done
    echo "run $run/$runs $c ($heap) done after $(( $(date +%s) - start )) s" >&2
  done
done
python3 "$here/aggregate.py" "$out" < "$raw"
echo "wrote ${out#"$root"/}/flink_heap_primitives.csv in $(( $(date +%s) - start )) s ($(java -version 2>&1 | head -1))"
