//! `statelab keygroup`: key-group assignment for JSON lines, as `KeyGroupRangeAssignment` computes it.

use super::{stdout_closed, CliError};
use serde_json::{Map, Value};
use statelab::engine::keys::java_key::{JavaKey, JavaKeyType};
use statelab::engine::keys::key_group_range_assignment::{
    assign_to_key_group, check_parallelism_preconditions, compute_operator_index_for_key_group,
};
use statelab::engine::keys::math_utils::murmur_hash;
use std::io::{BufRead, BufWriter, Write};

pub fn run(args: Vec<std::ffi::OsString>) -> Result<(), CliError> {
    if let Some(extra) = args.first() {
        return Err(CliError::usage(format!(
            "keygroup takes no arguments (got '{}'); it reads JSON lines from stdin",
            extra.to_string_lossy()
        )));
    }
    let stdin = std::io::stdin();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (index, line) in stdin.lock().lines().enumerate() {
        let line = line.map_err(|e| CliError::failed(format!("reading stdin: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let filled =
            fill(&line).map_err(|m| CliError::failed(format!("line {}: {m}", index + 1)))?;
        if let Err(e) = writeln!(out, "{filled}") {
            return stdout_closed(e);
        }
    }
    out.flush().or_else(stdout_closed)
}

/// One line: parse, validate, compute, write back with the fields filled in.
pub fn fill(line: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(mut object) = value else {
        return Err("expected a JSON object".into());
    };
    let key = key_of(&object)?;
    let max_parallelism = int_field(&object, "maxParallelism")?;
    let parallelism = int_field(&object, "parallelism")?;
    let m = check_parallelism_preconditions(max_parallelism)
        .map_err(|e| format!("maxParallelism: {e}"))?;
    let p =
        check_parallelism_preconditions(parallelism).map_err(|e| format!("parallelism: {e}"))?;
    if m < p {
        return Err(format!(
            "maxParallelism {m} must not be smaller than parallelism {p}"
        ));
    }
    let hash = key.hash_code();
    let key_group = assign_to_key_group(&key, m);
    object.insert("hashCode".into(), hash.into());
    object.insert("murmurHash".into(), murmur_hash(hash).into());
    object.insert("keyGroup".into(), i32::from(key_group).into());
    object.insert(
        "operatorIndex".into(),
        i32::from(compute_operator_index_for_key_group(m, p, key_group)).into(),
    );
    serde_json::to_string(&Value::Object(object)).map_err(|e| e.to_string())
}

fn key_of(object: &Map<String, Value>) -> Result<JavaKey, String> {
    let type_name = object
        .get("type")
        .and_then(Value::as_str)
        .ok_or("missing string field 'type'")?;
    let key_type = JavaKeyType::from_java_name(type_name)
        .ok_or_else(|| format!("type '{type_name}' is not one of String, Integer, Long"))?;
    let raw = object.get("key").ok_or("missing field 'key'")?;
    match key_type {
        JavaKeyType::String => raw
            .as_str()
            .map(|s| JavaKey::String(s.to_owned()))
            .ok_or_else(|| format!("a String key must be a JSON string, not {raw}")),
        JavaKeyType::Integer => raw
            .as_i64()
            .and_then(|v| i32::try_from(v).ok())
            .map(JavaKey::Integer)
            .ok_or_else(|| {
                format!("an Integer key must be a whole number within 32 bits, not {raw}")
            }),
        JavaKeyType::Long => raw
            .as_i64()
            .map(JavaKey::Long)
            .ok_or_else(|| format!("a Long key must be a whole number within 64 bits, not {raw}")),
    }
}

fn int_field(object: &Map<String, Value>, name: &str) -> Result<i64, String> {
    let raw = object
        .get(name)
        .ok_or_else(|| format!("missing field '{name}'"))?;
    raw.as_i64()
        .ok_or_else(|| format!("'{name}' must be a whole number, not {raw}"))
}
