#!/usr/bin/env python3
"""Turns FlinkHeapPrimitives' raw output (HISTO and ROW lines of every run, on stdin) into
tests/data/groundtruth/flink_heap_primitives.csv (one row per primitive, param and key count) and
flink_heap_primitives_classes.csv (every class whose live instances or bytes changed, per row).

  bytes          median over the runs (JVMs) of the used-heap difference after System.gc()
  histo_bytes    median over the runs of the class-histogram difference (the same in every run so far:
                 histo_runs_spread says by how much the runs differed)
  composition    from the run whose histo_bytes is the median: "Class instances_per_key x average_size =
                 bytes_per_key" for every class worth at least 0.05 B/key, largest first, as in the team's
                 heap_primitives.csv (average "?" when the instance count did not grow, e.g. an array replaced
                 by a larger one); then "other" for the rest if it is worth at least 0.005 B/key.

  python3 aggregate.py OUT_DIR < raw.txt
"""
import csv
import re
import statistics
import sys
from collections import defaultdict

PRIMITIVE_ARRAYS = {"B": "byte", "C": "char", "I": "int", "J": "long", "S": "short", "Z": "boolean",
                    "F": "float", "D": "double"}


def simple(name):
    """java.lang.String -> String, [B -> byte[], [Lorg...HashMap$Node; -> HashMap$Node[]."""
    dims = len(name) - len(name.lstrip("["))
    base = name[dims:]
    if dims:
        if base.startswith("L") and base.endswith(";"):
            base = base[1:-1]
        else:
            base = PRIMITIVE_ARRAYS.get(base, base)
    base = base.rsplit(".", 1)[-1]
    return base + "[]" * dims


def main():
    out_dir = sys.argv[1]
    base = defaultdict(dict)        # jvm -> class -> (instances, bytes)
    histo = defaultdict(dict)       # (jvm, keys) -> class -> (instances, bytes)
    rows = {}                       # (primitive, param, keys, run) -> (jvm, used, tables, ops)
    for line in sys.stdin:
        f = line.rstrip("\n").split(",")
        if f[0] == "HISTO" and f[2] == "base":
            base[f[1]][f[3]] = (int(f[4]), int(f[5]))
        elif f[0] == "HISTO":
            histo[(f[1], f[2])][f[3]] = (int(f[4]), int(f[5]))
        elif f[0] == "ROW":
            tag = tuple(f[2:6])
            if tag in rows:
                sys.exit(f"twice: {tag}")
            rows[tag] = (f[1], int(f[6]), f[7], f[8])
        elif line.strip():
            sys.stderr.write("ignored: " + line)

    diffs = {}
    for tag, (jvm, _, _, _) in rows.items():
        now = histo[(jvm, tag[2])]
        b = base[jvm]
        d = {}
        for cls in set(now) | set(b):
            n = now.get(cls, (0, 0))
            o = b.get(cls, (0, 0))
            if n != o:
                d[cls] = (n[0] - o[0], n[1] - o[1])
        diffs[tag] = d

    groups = defaultdict(list)
    for tag in rows:
        groups[tag[:3]].append(tag)
    order = []
    for key in groups:
        order.append(key)

    main_rows = []
    class_rows = []
    for key in order:
        tags = sorted(groups[key], key=lambda t: int(t[3]))
        used = [rows[t][1] for t in tags]
        totals = [sum(v[1] for v in diffs[t].values()) for t in tags]
        histo_median = statistics.median_low(totals)
        chosen = tags[totals.index(histo_median)]
        primitive, param, keys = key
        keys_n = int(keys)
        d = diffs[chosen]
        parts = []
        listed = 0
        for cls, (count, size) in sorted(d.items(), key=lambda kv: (-kv[1][1], kv[0])):
            if abs(size) / keys_n < 0.05:
                continue
            listed += size
            avg = str(round(size / count)) if count > 0 else "?"
            parts.append(f"{simple(cls)} {count / keys_n:.2f}x{avg}={size / keys_n:.2f}")
        rest = histo_median - listed
        if abs(rest) / keys_n >= 0.005:
            parts.append(f"other={rest / keys_n:.2f}")
        bytes_median = statistics.median_low(used) if len(used) % 2 == 0 else statistics.median(used)
        main_rows.append([
            primitive, param, keys, bytes_median, f"{bytes_median / keys_n:.2f}", histo_median,
            f"{histo_median / keys_n:.2f}", rows[chosen][2], " + ".join(parts), rows[chosen][3], len(tags),
            min(used), max(used), max(totals) - min(totals)])
        for cls, (count, size) in sorted(d.items(), key=lambda kv: (-kv[1][1], kv[0])):
            class_rows.append([primitive, param, keys, cls, count, size])

    with open(f"{out_dir}/flink_heap_primitives.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["primitive", "param", "keys", "bytes", "bytes_per_key", "histo_bytes", "histo_bytes_per_key",
                    "tables_after", "composition_per_key", "map_ops_per_key", "runs", "bytes_min", "bytes_max",
                    "histo_runs_spread"])
        w.writerows(main_rows)
    with open(f"{out_dir}/flink_heap_primitives_classes.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["primitive", "param", "keys", "class", "instances", "bytes"])
        w.writerows(class_rows)
    print(f"{len(main_rows)} rows, {len(class_rows)} class rows", file=sys.stderr)


if __name__ == "__main__":
    main()
