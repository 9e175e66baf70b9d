//! Key-group assignment against real Flink 2.3.0: every row of `keygroups-sample.jsonl`, `defaultmaxpar.csv`
//! and `keygroupranges.csv`.

use serde_json::Value;
use statelab::engine::keys::java_key::{JavaKey, JavaKeyType};
use statelab::engine::keys::key_group_range_assignment::{
    assign_key_to_parallel_operator, assign_to_key_group, compute_default_max_parallelism,
    compute_key_group_range_for_operator_index,
};
use statelab::engine::keys::math_utils::murmur_hash;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/groundtruth");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn key_of(row: &Value) -> JavaKey {
    let key_type = JavaKeyType::from_java_name(row["type"].as_str().unwrap()).unwrap();
    match key_type {
        JavaKeyType::String => JavaKey::String(row["key"].as_str().unwrap().to_owned()),
        JavaKeyType::Integer => JavaKey::Integer(row["key"].as_i64().unwrap() as i32),
        JavaKeyType::Long => JavaKey::Long(row["key"].as_i64().unwrap()),
    }
}

#[test]
fn every_sampled_key_gets_flinks_hash_code_murmur_hash_key_group_and_operator_index() {
    let text = read("keygroups-sample.jsonl");
    let mut rows = 0;
    let mut types = std::collections::BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let row: Value = serde_json::from_str(line).unwrap();
        let key = key_of(&row);
        types.insert(key.key_type());
        let m = row["maxParallelism"].as_i64().unwrap() as i32;
        let p = row["parallelism"].as_i64().unwrap() as i32;
        assert_eq!(
            i64::from(key.hash_code()),
            row["hashCode"].as_i64().unwrap(),
            "hashCode of {line}"
        );
        assert_eq!(
            i64::from(murmur_hash(key.hash_code())),
            row["murmurHash"].as_i64().unwrap(),
            "{line}"
        );
        assert_eq!(
            i64::from(assign_to_key_group(&key, m)),
            row["keyGroup"].as_i64().unwrap(),
            "{line}"
        );
        assert_eq!(
            i64::from(assign_key_to_parallel_operator(&key, m, p)),
            row["operatorIndex"].as_i64().unwrap(),
            "{line}"
        );
        rows += 1;
    }
    // 61 keys x 4 max parallelisms x 5 parallelisms.
    assert_eq!(rows, 61 * 4 * 5);
    assert_eq!(
        types.len(),
        3,
        "String, Integer and Long keys are all covered"
    );
}

#[test]
fn default_max_parallelism_matches_flink_including_the_out_of_bounds_error() {
    let text = read("defaultmaxpar.csv");
    let mut rows = 0;
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.splitn(3, ',').collect();
        let p: i64 = cols[0].parse().unwrap();
        let result = compute_default_max_parallelism(p);
        if cols[1].is_empty() {
            let err = result.unwrap_err();
            let expected = cols[2].trim_start_matches("java.lang.IllegalArgumentException: ");
            assert_eq!(err.to_string(), expected);
        } else {
            assert_eq!(
                i64::from(result.unwrap()),
                cols[1].parse::<i64>().unwrap(),
                "p={p}"
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 8);
}

#[test]
fn key_group_ranges_match_flink() {
    let text = read("keygroupranges.csv");
    let mut rows = 0;
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let c: Vec<i64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        let range = compute_key_group_range_for_operator_index(c[0], c[1], c[2]).unwrap();
        assert_eq!(i64::from(range.start_key_group()), c[3], "{line}");
        assert_eq!(i64::from(range.end_key_group()), c[4], "{line}");
        assert_eq!(range.number_of_key_groups() as i64, c[5], "{line}");
        rows += 1;
    }
    assert_eq!(rows, 15);
}
