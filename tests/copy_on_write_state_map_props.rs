//! Property tests of `CopyOnWriteStateMap` against a plain `HashMap` model: random puts, gets, removes and
//! overlapping snapshots. Live contents, every live snapshot's contents, the structural invariants (every
//! entry in the bucket its hash selects, nothing left below the rehash index) and the heap accounting must hold
//! after every operation.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use statelab::engine::keys::java_key::string_hash_code;
use statelab::engine::keys::key_registry::KeyId;
use statelab::engine::memory::jvm_object_sizes::{boxed_long, reference_array, STATE_MAP_ENTRY};
use statelab::engine::state::heap::copy_on_write_state_map::{
    composite_hash, CopyOnWriteStateMap, CopyOnWriteStateMapSnapshot,
};
use statelab::engine::state::heap::state_map_entry::TableKind;
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Debug)]
enum Op {
    Put(u16, i64),
    Increment(u16),
    Get(u16),
    Remove(u16),
    Snapshot,
    Release(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0u16..700, -300i64..300).prop_map(|(k, v)| Op::Put(k, v)),
        6 => (0u16..700).prop_map(Op::Increment),
        2 => (0u16..700).prop_map(Op::Get),
        2 => (0u16..700).prop_map(Op::Remove),
        1 => Just(Op::Snapshot),
        1 => (0usize..4).prop_map(Op::Release),
    ]
}

fn hash_of(k: u16) -> i32 {
    string_hash_code(&format!("k{k}"))
}

const KEY_BYTES: u32 = 48;

fn check_structure(map: &CopyOnWriteStateMap<i64>) {
    let primary = map.table_capacity(TableKind::Primary);
    for bucket in 0..primary {
        if (bucket as u32) < map.rehash_index() {
            assert_eq!(
                map.bucket_head(TableKind::Primary, bucket),
                None,
                "old bucket {bucket} below the rehash index still has entries"
            );
        }
        for e in map.bucket(TableKind::Primary, bucket) {
            assert_eq!((e.hash as u32 as usize) & (primary - 1), bucket);
        }
    }
    let rehash = map.table_capacity(TableKind::IncrementalRehash);
    for bucket in 0..rehash {
        for e in map.bucket(TableKind::IncrementalRehash, bucket) {
            assert_eq!((e.hash as u32 as usize) & (rehash - 1), bucket);
        }
    }
    assert_eq!(map.iter().count(), map.size());
    assert_eq!(
        map.threshold(),
        map.rehash_capacity().max(map.capacity()) / 4 * 3
    );
}

fn live_heap_from_scratch(map: &CopyOnWriteStateMap<i64>) -> u64 {
    let entries: u64 = map
        .iter()
        .map(|e| STATE_MAP_ENTRY + u64::from(e.key_bytes) + boxed_long(e.state))
        .sum();
    let tables = reference_array(map.capacity() as u64)
        + if map.is_rehashing() {
            reference_array(map.rehash_capacity() as u64)
        } else {
            0
        };
    64 + 16 + 48 + tables + entries
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, rng_seed: RngSeed::Fixed(0x5747_4C41_4221), ..ProptestConfig::default() })]

    #[test]
    fn map_matches_a_hash_map_and_snapshots_are_isolated(ops in proptest::collection::vec(op(), 1..1500)) {
        let mut map = CopyOnWriteStateMap::<i64>::new();
        let mut model: HashMap<u16, i64> = HashMap::new();
        let mut snapshots: Vec<(CopyOnWriteStateMapSnapshot, BTreeMap<u32, i64>)> = Vec::new();

        for op in ops {
            match op {
                Op::Put(k, v) => {
                    map.put(KeyId(u32::from(k)), hash_of(k), KEY_BYTES, v);
                    model.insert(k, v);
                }
                Op::Increment(k) => {
                    let (current, _) = map.get(KeyId(u32::from(k)), hash_of(k));
                    prop_assert_eq!(current, model.get(&k).copied());
                    let next = current.unwrap_or(0) + 150;
                    map.put(KeyId(u32::from(k)), hash_of(k), KEY_BYTES, next);
                    model.insert(k, next);
                }
                Op::Get(k) => {
                    let (v, access) = map.get(KeyId(u32::from(k)), hash_of(k));
                    prop_assert_eq!(v, model.get(&k).copied());
                    prop_assert_eq!(access.hash, composite_hash(hash_of(k)));
                }
                Op::Remove(k) => {
                    let (v, _) = map.remove(KeyId(u32::from(k)), hash_of(k));
                    prop_assert_eq!(v, model.remove(&k));
                }
                Op::Snapshot => {
                    if snapshots.len() < 3 {
                        let s = map.state_snapshot().unwrap();
                        prop_assert_eq!(s.number_of_entries() as usize, model.len());
                        let expected = model.iter().map(|(k, v)| (u32::from(*k), *v)).collect();
                        snapshots.push((s, expected));
                    }
                }
                Op::Release(i) => {
                    if !snapshots.is_empty() {
                        let (s, _) = snapshots.remove(i % snapshots.len());
                        map.release_snapshot(s.snapshot_version()).unwrap();
                    }
                }
            }
            prop_assert_eq!(map.size(), model.len());
            for (s, expected) in &snapshots {
                let seen: BTreeMap<u32, i64> = s.entries(&map).map(|e| (e.key.0, e.state)).collect();
                prop_assert_eq!(&seen, expected);
                prop_assert_eq!(s.entries(&map).count(), expected.len(), "a key appears twice in a snapshot");
            }
            check_structure(&map);
            let h = map.heap();
            prop_assert_eq!(h.total() - h.snapshot_arrays - h.retained_by_snapshots
                - (h.fixed - 128), live_heap_from_scratch(&map));
        }

        for (s, _) in snapshots.drain(..) {
            map.release_snapshot(s.snapshot_version()).unwrap();
        }
        prop_assert_eq!(map.heap().retained_by_snapshots, 0);
        prop_assert_eq!(map.heap().snapshot_arrays, 0);
        prop_assert_eq!(map.retained_entries(), 0);
        prop_assert_eq!(map.heap().total(), live_heap_from_scratch(&map));
        let mut live: Vec<(u32, i64)> = map.iter().map(|e| (e.key.0, e.state)).collect();
        live.sort_unstable();
        let mut expected: Vec<(u32, i64)> = model.iter().map(|(k, v)| (u32::from(*k), *v)).collect();
        expected.sort_unstable();
        prop_assert_eq!(live, expected);
    }
}
