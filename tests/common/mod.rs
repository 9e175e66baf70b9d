//! What several integration tests share: the ground truth CSVs measured with real Flink 2.3
//! (`tests/data/groundtruth/`, written by the scripts in `tools/`) and the measurements' backend and keys.

use statelab::engine::keys::java_key::{JavaKey, JavaKeyType};
use statelab::engine::keys::key_group_range::KeyGroupRange;
use statelab::engine::keys::key_registry::{KeyFormat, KeyRegistry};
use statelab::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use std::collections::BTreeMap;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/groundtruth");

/// Every row of `tests/data/groundtruth/NAME`, by its header's column names.
pub fn groundtruth_csv(name: &str) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(format!("{DATA}/{name}")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            assert_eq!(cells.len(), header.len(), "{l}");
            header
                .iter()
                .zip(cells)
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

/// The rows of `flink_heap_primitives.csv` (`tools/flink-heap-primitives/run.sh`) measured for `primitive`.
#[allow(dead_code)] // not every test that shares this module reads the primitives' rows
pub fn heap_primitive_rows(primitive: &str) -> Vec<BTreeMap<String, String>> {
    groundtruth_csv("flink_heap_primitives.csv")
        .into_iter()
        .filter(|r| r["primitive"] == primitive)
        .collect()
}

/// A backend owning all 128 key groups of `String` keys, and a registry of keys `user-%06d` — the layout of
/// `tools/flink-heap-primitives`' measurements.
#[allow(dead_code)]
pub fn backend() -> (HeapKeyedStateBackend, KeyRegistry) {
    (
        HeapKeyedStateBackend::new(KeyGroupRange::of(0, 127), 128, JavaKeyType::String),
        KeyRegistry::new(KeyFormat::padded_users()),
    )
}

/// `setCurrentKey(key)` for a `String` key, interned in `keys`.
#[allow(dead_code)]
pub fn set_key(b: &mut HeapKeyedStateBackend, keys: &mut KeyRegistry, key: &str) {
    let id = keys.intern(&JavaKey::String(key.into())).unwrap();
    b.set_current_key(id, keys.info(id));
}
