//! Heap bytes per key against real Flink 2.3.0 (`heap_per_key_sample.csv`): the model, run through the
//! engine's backends the way the measurement was taken, must land within 3 % of both measurements, with the
//! same map layout the measurement describes.

use statelab::engine::heap_footprint::{HeapFootprint, ValueMode};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/groundtruth");

/// (keys, bytes per key) rows of the ground truth.
fn measurements() -> Vec<(u64, f64)> {
    let text = std::fs::read_to_string(format!("{DATA}/heap_per_key_sample.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            assert_eq!((c[0], c[1]), ("direct-HeapKeyedStateBackend", "cached"));
            (c[2].parse().unwrap(), c[4].parse().unwrap())
        })
        .collect()
}

#[test]
fn bytes_per_key_are_within_three_percent_of_real_flink() {
    let rows = measurements();
    assert_eq!(rows.len(), 2);
    for (keys, real) in rows {
        let mut probe = HeapFootprint::new(128, 1, ValueMode::Cached).unwrap();
        probe.insert(keys);
        let model = probe.bytes_per_key();
        let error = (model - real).abs() / real;
        assert!(
            error < 0.03,
            "{keys} keys: model {model:.2} B/key vs real {real:.2} ({:.2} %)",
            error * 100.0
        );
    }
}

#[test]
fn map_layout_matches_the_measurement_notes() {
    // "100k keys: 87 of the 128 key-group maps were mid incremental rehash".
    let mut probe = HeapFootprint::new(128, 1, ValueMode::Cached).unwrap();
    probe.insert(100_000);
    assert_eq!(probe.maps_rehashing(), 87);
    // "1M keys: none rehashing, every map at capacity 16384".
    probe.insert(900_000);
    assert_eq!(probe.maps_rehashing(), 0);
    assert_eq!(probe.capacities(), vec![(16384, 128)]);
}

#[test]
fn between_resizes_each_key_costs_96_bytes_and_a_distinct_value_adds_a_long() {
    // 1M keys are all in 16384-slot tables, so the extra 1000 keys only add objects.
    let per_key_objects = |mode| {
        let mut probe = HeapFootprint::new(128, 1, mode).unwrap();
        probe.insert(1_000_000);
        let before = probe.state_bytes();
        probe.insert(1000);
        (probe.state_bytes() - before) / 1000
    };
    assert_eq!(
        per_key_objects(ValueMode::Cached),
        96,
        "String 24 + byte[11] 32 + entry 40"
    );
    assert_eq!(per_key_objects(ValueMode::Distinct), 96 + 24);
}

#[test]
fn out_of_memory_comes_with_the_first_key_that_does_not_fit() {
    let limit = 64 << 20;
    let other = 1 << 20;
    let mut probe = HeapFootprint::new(128, 2, ValueMode::Cached).unwrap();
    let at = probe
        .fill_until_out_of_memory(limit, other, 10_000_000)
        .unwrap();
    assert!(other + probe.state_bytes() > limit);
    let mut fits = HeapFootprint::new(128, 2, ValueMode::Cached).unwrap();
    fits.insert(at - 1);
    assert!(other + fits.state_bytes() <= limit);
    // Objects are 96 B per key; bucket arrays add a few bytes more.
    let per_key = (limit - other) as f64 / at as f64;
    assert!((96.0..115.0).contains(&per_key), "{per_key}");
    assert!(HeapFootprint::new(128, 2, ValueMode::Cached)
        .unwrap()
        .fill_until_out_of_memory(limit, other, 1000)
        .is_none());
}
