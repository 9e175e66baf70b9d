//! `statelab compare [--config FILE.json] [job flags] [--structures map|list]`: "Which structure fits?" — the job's
//! workload kept in a `ValueState<HashMap>` and in a `MapState` (or a `ValueState<ArrayList>` and a `ListState`),
//! side by side (`teaching::structure_comparison`).

use super::{print_json, run, CliError};
use serde_json::json;
use statelab::teaching::structure_comparison::{compare, StructureCost, StructurePair};

fn cost_json(c: &StructureCost) -> serde_json::Value {
    json!({
        "function": c.function.id(),
        "class": c.function.class_name(),
        "keys": c.keys,
        "heapBytesPerKey": c.heap_bytes_per_key,
        "objectsPerKey": c.objects_per_key,
        "bytesPerCheckpoint": c.bytes_per_checkpoint,
        "copiesOnWritePerCheckpoint": c.copies_per_checkpoint,
        "checkpoints": c.checkpoints,
    })
}

pub fn run(args: Vec<std::ffi::OsString>) -> Result<(), CliError> {
    let mut pair = StructurePair::Map;
    let mut rest = Vec::new();
    let mut iter = args.into_iter();
    while let Some(arg) = iter.next() {
        if arg == "--structures" {
            let v = iter
                .next()
                .ok_or_else(|| CliError::usage("--structures needs map or list"))?;
            pair = match v.to_str() {
                Some("map") => StructurePair::Map,
                Some("list") => StructurePair::List,
                _ => {
                    return Err(CliError::usage(format!(
                        "--structures '{}': use map or list",
                        v.to_string_lossy()
                    )))
                }
            };
        } else {
            rest.push(arg);
        }
    }
    let a = run::parse(rest)?;
    run::refuse_run_only_flags(&a, "compare", "--structures")?;
    let [value_form, primitive] = compare(&a.config, pair).map_err(CliError::failed)?;
    print_json(&json!({
        "structures": match pair {
            StructurePair::Map => "map",
            StructurePair::List => "list",
        },
        "valueState": cost_json(&value_form),
        "primitive": cost_json(&primitive),
    }))
}
