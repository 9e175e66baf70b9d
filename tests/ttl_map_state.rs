//! `MapState<String, Long>` with TTL (`TtlMapState`) as Flink 2.3 has it: an expired mapping removed by the read
//! that finds it (and the state with its last mapping), `OnReadAndWrite` renewing what a read returns, the two
//! visibilities, `entries()` removing expired mappings through its iterator (an emptied map stays), `isEmpty()`
//! counting expired mappings, and the incremental cleanup rebuilding every map it passes and removing those whose
//! mappings all expired — with a property test against a model of the visible map.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{backend, set_key};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use statelab::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use statelab::engine::state::heap::state_objects::{StateValueObject, TtlLong, TtlMapEntry};
use statelab::engine::state::map_state_descriptor::MapStateDescriptor;
use statelab::engine::state::state_descriptor::StateDescriptorType;
use statelab::engine::state::state_ttl_config::{StateTtlConfig, StateVisibility, UpdateType};
use statelab::engine::state::ttl::ttl_map_state::TtlMapState;
use statelab::engine::state::ttl::ttl_value_state::TtlRead;
use std::collections::BTreeMap;

const TTL: i64 = 1_000;

fn map_state(b: &mut HeapKeyedStateBackend, config: StateTtlConfig) -> TtlMapState {
    b.get_or_create_ttl_map_state(&MapStateDescriptor::new_string_long("by-category"), config)
        .unwrap()
}

/// The stored mappings of the current key as (key, value, time).
fn stored(s: &TtlMapState, b: &HeapKeyedStateBackend) -> Option<Vec<(String, i64, i64)>> {
    s.peek(b).unwrap().map(|entries| {
        entries
            .iter()
            .map(|TtlMapEntry { key, value }| {
                (
                    key.to_string(),
                    value.user_value,
                    value.last_access_timestamp,
                )
            })
            .collect()
    })
}

fn entry(key: &str, user_value: i64, time: i64) -> (String, i64, i64) {
    (key.to_owned(), user_value, time)
}

#[test]
fn an_expired_mapping_is_removed_by_the_read_that_finds_it() {
    let (mut b, mut keys) = backend();
    let mut s = map_state(
        &mut b,
        StateTtlConfig::new_builder(TTL).disable_cleanup_in_background(),
    );
    assert_eq!(b.state_type("by-category"), Some(StateDescriptorType::Map));
    set_key(&mut b, &mut keys, "a");
    assert_eq!(s.get(&mut b, "click", 0).unwrap().0, TtlRead::Absent);
    s.put(&mut b, "click", 1, 0).unwrap();
    s.put(&mut b, "view", 2, 600).unwrap();
    assert_eq!(
        stored(&s, &b),
        Some(vec![entry("click", 1, 0), entry("view", 2, 600)])
    );
    // OnCreateAndWrite: reads renew nothing.
    assert_eq!(
        s.get(&mut b, "click", 999).unwrap().0,
        TtlRead::Value(Some(1))
    );
    assert_eq!(
        s.get(&mut b, "click", 1_000).unwrap().0,
        TtlRead::Expired { returned: None }
    );
    assert_eq!(stored(&s, &b), Some(vec![entry("view", 2, 600)]));
    assert!(!s.contains(&mut b, "click", 1_000).unwrap());
    // The last mapping removed by a read clears the state.
    let (read, accesses) = s.get(&mut b, "view", 1_600).unwrap();
    assert_eq!(read, TtlRead::Expired { returned: None });
    assert!(accesses.last().unwrap().removed);
    assert_eq!(b.num_key_value_state_entries(), 0);
    // A put overwrites the value and its time; remove() of the last mapping clears too.
    s.put(&mut b, "buy", 3, 2_000).unwrap();
    s.put(&mut b, "buy", 4, 2_100).unwrap();
    assert_eq!(stored(&s, &b), Some(vec![entry("buy", 4, 2_100)]));
    s.remove(&mut b, "buy", 2_200).unwrap();
    assert_eq!(b.num_key_value_state_entries(), 0);
    assert_eq!(b.heap_used(), b.heap_breakdown().total());
}

#[test]
fn on_read_and_write_renews_and_return_expired_returns_once() {
    let (mut b, mut keys) = backend();
    let config = StateTtlConfig::new_builder(TTL)
        .update_type(UpdateType::OnReadAndWrite)
        .state_visibility(StateVisibility::ReturnExpiredIfNotCleanedUp)
        .disable_cleanup_in_background();
    let mut s = map_state(&mut b, config);
    set_key(&mut b, &mut keys, "a");
    s.put(&mut b, "click", 7, 0).unwrap();
    s.put(&mut b, "view", 8, 0).unwrap();
    for t in [900, 1_800, 2_700] {
        assert_eq!(
            s.get(&mut b, "click", t).unwrap().0,
            TtlRead::Value(Some(7))
        );
        assert_eq!(stored(&s, &b).unwrap()[0], entry("click", 7, t));
    }
    // "view" expired at 1,000 but is still stored: returned this once, and removed.
    assert_eq!(
        s.get(&mut b, "view", 2_700).unwrap().0,
        TtlRead::Expired { returned: Some(8) }
    );
    assert_eq!(s.get(&mut b, "view", 2_700).unwrap().0, TtlRead::Absent);
    // contains() is get()'s check: an expired mapping returned counts.
    s.put(&mut b, "buy", 9, 2_700).unwrap();
    assert!(s.contains(&mut b, "buy", 9_000).unwrap());
    assert!(!s.contains(&mut b, "buy", 9_000).unwrap());
}

#[test]
fn entries_drop_expired_mappings_but_an_emptied_map_stays() {
    let (mut b, mut keys) = backend();
    let mut s = map_state(
        &mut b,
        StateTtlConfig::new_builder(TTL).disable_cleanup_in_background(),
    );
    set_key(&mut b, &mut keys, "a");
    s.put(&mut b, "click", 1, 0).unwrap();
    s.put(&mut b, "view", 2, 600).unwrap();
    s.put(&mut b, "buy", 3, 100).unwrap();
    assert_eq!(
        s.entries(&mut b, 1_200).unwrap(),
        vec![("view".to_owned(), 2)]
    );
    // The iterator removed the expired mappings from the map object.
    assert_eq!(stored(&s, &b), Some(vec![entry("view", 2, 600)]));
    // isEmpty() does not look at times: an expired mapping still counts.
    assert!(!s.is_empty(&mut b, 5_000).unwrap());
    assert!(s.entries(&mut b, 5_000).unwrap().is_empty());
    // Emptied by the iterator, the map is still the key's state (no clear()): empty, but there.
    assert_eq!(stored(&s, &b), Some(vec![]));
    assert!(s.is_empty(&mut b, 5_000).unwrap());
    assert_eq!(b.num_key_value_state_entries(), 1);
    s.clear(&mut b).unwrap();
    assert_eq!(b.num_key_value_state_entries(), 0);
    assert_eq!(b.heap_used(), b.heap_breakdown().total());
}

#[test]
fn the_incremental_cleanup_rebuilds_every_map_it_passes_and_removes_the_expired() {
    let (mut b, mut keys) = backend();
    let mut s = map_state(&mut b, StateTtlConfig::new_builder(TTL));
    // 300 keys: f0 at 0, and for every third key f1 at 900.
    for i in 0..300u64 {
        let id = keys.generated(i);
        b.set_current_key(id, keys.info(id));
        s.put(&mut b, "f0", 1, 0).unwrap();
        if i % 3 == 0 {
            s.put(&mut b, "f1", 2, 900).unwrap();
        }
    }
    // Before anything expired, every non-empty map a turn passes is rebuilt and written back.
    set_key(&mut b, &mut keys, "alive");
    let (mut visited, mut rewritten) = (0, 0);
    for _ in 0..50 {
        s.put(&mut b, "f0", 9, 500).unwrap();
        let turn = s.last_cleanup();
        assert_eq!(turn.removed, 0);
        visited += turn.visited;
        rewritten += turn.rewritten;
    }
    assert!(visited > 0);
    assert_eq!(rewritten, visited);
    let heap = b.heap_used();
    // Reading at 1,200 ms: f0 at 0 expired, f1 at 900 and "alive"'s f0 at 500 not.
    let mappings = |b: &HeapKeyedStateBackend| {
        let mut left = Vec::new();
        for map in b.object_table("by-category").unwrap().maps() {
            for e in map.iter() {
                if let Some(StateValueObject::TtlMap { entries, .. }) = map.objects().get(e.state) {
                    left.extend(entries.iter().map(|e| (e.key.to_string(), e.value)));
                }
            }
        }
        left.sort_by_key(|(k, v)| (k.clone(), v.user_value));
        left
    };
    let (mut removed, mut reads) = (0, 0);
    // Until the cleanup has been round the table: 200 maps removed, 100 rebuilt without their f0.
    while (removed < 200 || mappings(&b).len() > 101) && reads < 10_000 {
        s.get(&mut b, "f0", 1_200).unwrap();
        removed += s.last_cleanup().removed;
        reads += 1;
    }
    assert_eq!(removed, 200);
    assert_eq!(b.num_key_value_state_entries(), 101);
    let left = mappings(&b);
    assert_eq!(left.len(), 101);
    // "alive"'s f0 (sorted first), then the hundred f1s.
    let at = |user_value, last_access_timestamp| TtlLong {
        user_value,
        last_access_timestamp,
    };
    assert_eq!(left[0], ("f0".to_owned(), at(9, 500)));
    assert!(left[1..].iter().all(|(k, v)| k == "f1" && *v == at(2, 900)));
    assert!(b.heap_used() < heap);
    assert_eq!(b.heap_used(), b.heap_breakdown().total());
}

#[derive(Clone, Debug)]
enum Op {
    Put(u8, u8, i64, u16),
    Get(u8, u8, u16),
    Remove(u8, u8, u16),
    Entries(u8, u16),
    Clear(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0u8..40, 0u8..5, 1i64..1_000_000, 0u16..400).prop_map(|(k, u, v, dt)| Op::Put(k, u, v, dt)),
        4 => (0u8..40, 0u8..5, 0u16..400).prop_map(|(k, u, dt)| Op::Get(k, u, dt)),
        1 => (0u8..40, 0u8..5, 0u16..400).prop_map(|(k, u, dt)| Op::Remove(k, u, dt)),
        2 => (0u8..40, 0u16..400).prop_map(|(k, dt)| Op::Entries(k, dt)),
        1 => (0u8..40).prop_map(Op::Clear),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, rng_seed: RngSeed::Fixed(0x7474_6C6D_6170), ..ProptestConfig::default() })]

    /// `NeverReturnExpired`: whatever the cleanup did in the background, reads return exactly the mappings put
    /// within the TTL before them (renewed by reads with `OnReadAndWrite`); the heap accounting holds after every
    /// call.
    #[test]
    fn reads_return_exactly_the_unexpired_mappings(
        ops in proptest::collection::vec(op(), 1..400),
        renew_on_read in any::<bool>(),
        cleanup_size in 1u32..8,
    ) {
        let (mut b, mut keys) = backend();
        let mut config = StateTtlConfig::new_builder(TTL).cleanup_incrementally(cleanup_size, false);
        if renew_on_read {
            config = config.update_type(UpdateType::OnReadAndWrite);
        }
        let mut s = map_state(&mut b, config);
        let mut model: Vec<BTreeMap<String, (i64, i64)>> = vec![BTreeMap::new(); 40];
        let mut now = 0i64;
        for op in ops {
            let key = match &op {
                Op::Put(k, ..) | Op::Get(k, ..) | Op::Remove(k, ..) | Op::Entries(k, _) | Op::Clear(k) => {
                    *k as usize
                }
            };
            set_key(&mut b, &mut keys, &format!("k{key}"));
            let alive = |t: i64, now: i64| t + TTL > now;
            match op {
                Op::Put(_, u, v, dt) => {
                    now += i64::from(dt);
                    s.put(&mut b, &format!("u{u}"), v, now).unwrap();
                    model[key].insert(format!("u{u}"), (v, now));
                }
                Op::Get(_, u, dt) => {
                    now += i64::from(dt);
                    let u = format!("u{u}");
                    let (read, _) = s.get(&mut b, &u, now).unwrap();
                    let expected = match model[key].get(&u).copied() {
                        Some((v, t)) if alive(t, now) => {
                            if renew_on_read {
                                model[key].insert(u, (v, now));
                            }
                            Some(v)
                        }
                        Some(_) => {
                            model[key].remove(&u);
                            None
                        }
                        None => None,
                    };
                    prop_assert_eq!(read.value(), expected);
                }
                Op::Remove(_, u, dt) => {
                    now += i64::from(dt);
                    s.remove(&mut b, &format!("u{u}"), now).unwrap();
                    model[key].remove(&format!("u{u}"));
                }
                Op::Entries(_, dt) => {
                    now += i64::from(dt);
                    let mut got = s.entries(&mut b, now).unwrap();
                    got.sort();
                    model[key].retain(|_, (_, t)| alive(*t, now));
                    if renew_on_read {
                        for (_, t) in model[key].values_mut() {
                            *t = now;
                        }
                    }
                    let expected: Vec<(String, i64)> =
                        model[key].iter().map(|(k, (v, _))| (k.clone(), *v)).collect();
                    prop_assert_eq!(got, expected);
                }
                Op::Clear(_) => {
                    s.clear(&mut b).unwrap();
                    model[key].clear();
                }
            }
            // What is stored is the model's map less what the cleanup or a read dropped: never an unexpired
            // mapping less.
            let mut stored_live: Vec<(String, i64, i64)> = stored(&s, &b)
                .unwrap_or_default()
                .into_iter()
                .filter(|(_, _, t)| alive(*t, now))
                .collect();
            stored_live.sort();
            let expected: Vec<(String, i64, i64)> = model[key]
                .iter()
                .filter(|(_, (_, t))| alive(*t, now))
                .map(|(k, (v, t))| (k.clone(), *v, *t))
                .collect();
            prop_assert_eq!(stored_live, expected);
            prop_assert_eq!(b.heap_used(), b.heap_breakdown().total());
        }
    }
}
