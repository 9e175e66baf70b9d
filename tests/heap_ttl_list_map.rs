//! `ListState` and `MapState` with TTL on the heap (`TtlListState`, `TtlMapState`, with the default incremental
//! cleanup) against real Flink 2.3 at every `list-ttl` and `map-ttl` point of `tools/flink-heap-primitives/run.sh`
//! (`tests/data/groundtruth/flink_heap_primitives.csv`: 1,000 to 100,000 keys, 1 to 64 elements or mappings per
//! key), through what `statelab heap --state list-ttl:N|map-ttl:N` measures: the bytes per key, and the bucket
//! arrays of the 128 key-group maps to the byte — which for `map-ttl` means the incremental cleanup rebuilt and
//! wrote back the very maps Flink's did, one rehash step each.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use statelab::engine::memory::jvm_object_sizes::reference_array;
use statelab::engine::memory::state_footprint::{measure, StateWorkload};
use std::collections::BTreeMap;

/// The bytes of the key-group maps' bucket arrays a `tables_after` cell describes
/// (`stateMaps=128;primarySlotsSum=…;rehashSlotsSum=…;mapsRehashing=…;…`): every map's primary table and the
/// rehashing maps' second table.
fn bucket_array_bytes(tables_after: &str) -> u64 {
    let fields: BTreeMap<&str, u64> = tables_after
        .split(';')
        .filter_map(|f| f.split_once('='))
        .filter_map(|(k, v)| Some((k, v.parse().ok()?)))
        .collect();
    let maps = fields["stateMaps"];
    let rehashing = fields["mapsRehashing"];
    // Σ (16 + 4·slots): slot counts are powers of two ≥ 128, so no array needs padding.
    assert_eq!(reference_array(128), 16 + 4 * 128);
    maps * 16 + 4 * fields["primarySlotsSum"] + rehashing * 16 + 4 * fields["rehashSlotsSum"]
}

/// Every row of `primitive`: the model's bytes per key within 3 % of the class histogram's (the worst returned),
/// the bucket arrays exactly Flink's.
fn check(primitive: &str, workload: fn(u32) -> StateWorkload, rows_expected: usize) -> f64 {
    let rows = common::heap_primitive_rows(primitive);
    assert_eq!(rows.len(), rows_expected, "{primitive}");
    let mut worst = 0f64;
    for r in rows {
        let n: u32 = r["param"].parse().unwrap();
        let keys: u64 = r["keys"].parse().unwrap();
        let real: f64 = r["histo_bytes_per_key"].parse().unwrap();
        let f = measure(workload(n), keys, 128, 1).unwrap();
        let model = f.bytes_per_key();
        let error = (model - real).abs() / real;
        worst = worst.max(error);
        assert!(
            error < 0.03,
            "{primitive}:{n} at {keys} keys: model {model:.2} B/key, Flink {real:.2} ({:.3} %)",
            error * 100.0
        );
        // The empty maps (128 tables of 128 slots) are in both baselines; the arrays of the keys' maps match.
        assert_eq!(
            f.breakdown.tables,
            bucket_array_bytes(&r["tables_after"]),
            "{primitive}:{n} at {keys} keys: the key-group maps' tables ({})",
            r["tables_after"]
        );
    }
    eprintln!("{primitive}: worst {:.3} %", worst * 100.0);
    worst
}

#[test]
fn a_ttl_list_costs_what_real_flink_measured_at_every_point() {
    // Expected within 0.1 %: the few fixed bytes Flink's TTL wrapper and cleanup make show at 1,000 keys.
    // Six sizes at 1,000, 10,000 and 100,000 keys.
    assert!(check("list-ttl", StateWorkload::ListTtl, 18) < 0.001);
}

#[test]
fn a_ttl_map_costs_what_real_flink_measured_at_every_point() {
    // map-ttl:64 was measured up to 10,000 keys only.
    assert!(check("map-ttl", StateWorkload::MapTtl, 17) < 0.001);
}

#[test]
fn ttl_adds_a_ttl_value_per_element_and_per_map_value() {
    // At 1,000 keys no map has resized: the difference to the plain primitive is the TtlValues alone.
    for n in [1, 4, 16] {
        let plain = measure(StateWorkload::List(n), 1_000, 128, 1).unwrap();
        let ttl = measure(StateWorkload::ListTtl(n), 1_000, 128, 1).unwrap();
        assert_eq!(
            (ttl.state_bytes - ttl.empty_bytes) - (plain.state_bytes - plain.empty_bytes),
            1_000 * 24 * u64::from(n)
        );
        let plain = measure(StateWorkload::Map(n), 1_000, 128, 1).unwrap();
        let ttl = measure(StateWorkload::MapTtl(n), 1_000, 128, 1).unwrap();
        assert_eq!(
            (ttl.state_bytes - ttl.empty_bytes) - (plain.state_bytes - plain.empty_bytes),
            1_000 * 24 * u64::from(n)
        );
    }
    // Two subtasks hold the same keys between them (each with its own cleanup).
    let one = measure(StateWorkload::MapTtl(2), 2_000, 128, 1).unwrap();
    let two = measure(StateWorkload::MapTtl(2), 2_000, 128, 2).unwrap();
    assert_eq!(
        two.breakdown.values + two.breakdown.entries + two.breakdown.keys,
        one.breakdown.values + one.breakdown.entries + one.breakdown.keys
    );
}
