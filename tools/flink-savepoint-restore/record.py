"""Checks what real Flink restored from StateLab's savepoints and records it (tools/flink-savepoint-restore/run.sh).

    python3 record.py RUNS_TXT DATA_DIR WORK_DIR OUT_DIR

For each run of RUNS_TXT: WORK_DIR/NAME/statelab.json (StateLab's summary), WORK_DIR/NAME/savepoint/ (its savepoint)
and WORK_DIR/NAME/flink-pP.jsonl (what Flink's keyed subtasks held after restoring it at parallelism P and counting
DATA_DIR/extra-<KeyType>.txt). Every count must be StateLab's plus the extra events of its key, every key in the key
group and subtask range Flink assigns it; OUT_DIR/NAME.json records it all. Exits 1 if anything differs."""
import collections
import hashlib
import json
import os
import sys

runs_txt, data, work, out = sys.argv[1:5]
failed = 0
for line in open(runs_txt):
    if not line.strip() or line.startswith("#"):
        continue
    name, key_type, *flags = line.split()
    summary = json.load(open(os.path.join(work, name, "statelab.json")))
    savepoint = os.path.join(work, name, "savepoint")
    files = {
        f: hashlib.sha256(open(os.path.join(savepoint, f), "rb").read()).hexdigest()
        for f in sorted(os.listdir(savepoint))
    }
    extra = [k for k in open(os.path.join(data, f"extra-{key_type}.txt")).read().split("\n") if k]
    statelab = summary["finalCounts"]
    expected = collections.Counter(statelab)
    for k in extra:
        expected[k] += 1
    restores = []
    for p in (1, 2, 3, 4):
        rows = [json.loads(l) for l in open(os.path.join(work, name, f"flink-p{p}.jsonl"))]
        counts = {str(r["key"]): r["count"] for r in rows if "key" in r}
        ranges = sorted({(r["subtask"], tuple(r["keyGroupRange"])) for r in rows})
        problems = []
        if counts != dict(expected):
            diff = sorted(set(counts.items()) ^ set(expected.items()))
            problems.append(f"counts differ: {diff[:6]}")
        if len([k for k in (str(r.get("key")) for r in rows if "key" in r)]) != len(counts):
            problems.append("a key held twice")
        if not all(r["inRange"] for r in rows if "key" in r):
            problems.append("a key outside its subtask's key groups")
        max_parallelisms = {r["maxParallelism"] for r in rows}
        if max_parallelisms != {summary["maxParallelism"]}:
            problems.append(f"max parallelism {max_parallelisms}")
        status = "PASS" if not problems else "FAIL: " + "; ".join(problems)
        failed += bool(problems)
        print(f"{name}: StateLab p{summary['parallelism']}/{summary['maxParallelism']} -> Flink p{p}: "
              f"{len(counts)} keys, {status}")
        restores.append({
            "parallelism": p,
            "maxParallelism": summary["maxParallelism"],
            "subtasks": [{"subtask": s, "keyGroupRange": list(r)} for s, r in ranges],
            "result": status,
            "counts": dict(sorted(counts.items())),
        })
    record = {
        "name": name,
        "keyType": key_type,
        "statelab": flags,
        "parallelism": summary["parallelism"],
        "maxParallelism": summary["maxParallelism"],
        "savepoint": {k: summary["savepoint"][k] for k in ("uid", "operatorId", "checkpointId")},
        "files": files,
        "finalCounts": dict(sorted(statelab.items())),
        "extraKeys": extra,
        "flink": "Apache Flink 2.3.0, HashMapStateBackend, local MiniCluster, restored without allowNonRestoredState",
        "restores": restores,
    }
    with open(os.path.join(out, f"{name}.json"), "w") as f:
        json.dump(record, f, indent=1, ensure_ascii=False)
        f.write("\n")
print("all restores PASS" if not failed else f"{failed} restores FAILED")
sys.exit(1 if failed else 0)
