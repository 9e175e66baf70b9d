//! `ListState<Long>` with TTL (`TtlListState`) as Flink 2.3 has it: expired elements filtered on read, the list
//! cleared once a read met nothing unexpired, writes stamping each element, `OnReadAndWrite` renewing what a read
//! returns, `ReturnExpiredIfNotCleanedUp` returning expired elements until they are gone, `clear()` without a
//! cleanup turn, and the incremental cleanup shortening lists and removing those whose elements all expired —
//! with a property test against a model of the visible list.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{backend, set_key};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use statelab::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use statelab::engine::state::heap::state_objects::{StateValueObject, TtlLong};
use statelab::engine::state::list_state_descriptor::ListStateDescriptor;
use statelab::engine::state::state_descriptor::StateDescriptorType;
use statelab::engine::state::state_ttl_config::{StateTtlConfig, StateVisibility, UpdateType};
use statelab::engine::state::ttl::ttl_list_state::TtlListState;

const TTL: i64 = 1_000;

fn at(user_value: i64, last_access_timestamp: i64) -> TtlLong {
    TtlLong {
        user_value,
        last_access_timestamp,
    }
}

fn list_state(b: &mut HeapKeyedStateBackend, config: StateTtlConfig) -> TtlListState {
    b.get_or_create_ttl_list_state(&ListStateDescriptor::new_long("events"), config)
        .unwrap()
}

#[test]
fn reads_skip_expired_elements_and_clear_a_list_with_nothing_left() {
    let (mut b, mut keys) = backend();
    let mut s = list_state(&mut b, StateTtlConfig::new_builder(TTL));
    assert_eq!(b.state_type("events"), Some(StateDescriptorType::List));
    set_key(&mut b, &mut keys, "a");
    // A key without a list: an empty iterable, and the iterator's clear() — a remove of nothing.
    let (values, accesses) = s.get(&mut b, 0).unwrap();
    assert!(values.is_empty());
    assert_eq!(accesses.len(), 2);
    assert!(!accesses[1].removed);
    s.add(&mut b, 1, 0).unwrap();
    s.add(&mut b, 2, 600).unwrap();
    assert_eq!(s.peek(&b).unwrap(), Some(vec![at(1, 0), at(2, 600)]));
    // OnCreateAndWrite: a read returns the unexpired and renews nothing.
    assert_eq!(s.get(&mut b, 999).unwrap().0, vec![1, 2]);
    assert_eq!(s.get(&mut b, 1_000).unwrap().0, vec![2]);
    // The expired element stays stored (only the cleanup or a renewal drops it) ...
    assert_eq!(s.peek(&b).unwrap(), Some(vec![at(1, 0), at(2, 600)]));
    // ... until nothing unexpired is left: the read clears the list.
    let (values, accesses) = s.get(&mut b, 1_600).unwrap();
    assert!(values.is_empty());
    assert!(accesses.last().unwrap().removed);
    assert_eq!(s.peek(&b).unwrap(), None);
    assert_eq!(b.num_key_value_state_entries(), 0);
    assert_eq!(b.heap_used(), b.heap_breakdown().total());
}

#[test]
fn writes_stamp_every_element_with_their_time() {
    let (mut b, mut keys) = backend();
    let mut s = list_state(&mut b, StateTtlConfig::new_builder(TTL));
    set_key(&mut b, &mut keys, "a");
    s.add(&mut b, 1, 100).unwrap();
    s.add_all(&mut b, &[2, 3], 200).unwrap();
    assert_eq!(s.add_all(&mut b, &[], 300).unwrap(), None);
    assert_eq!(
        s.peek(&b).unwrap(),
        Some(vec![at(1, 100), at(2, 200), at(3, 200)])
    );
    // update() replaces the list, every element stamped anew; update([]) clears.
    s.update(&mut b, &[7, 8], 500).unwrap();
    assert_eq!(s.peek(&b).unwrap(), Some(vec![at(7, 500), at(8, 500)]));
    assert!(s.update(&mut b, &[], 600).unwrap().removed);
    assert_eq!(b.num_key_value_state_entries(), 0);
    // One element: ArrayList 24 + Object[10] 56 + TtlValue 24 + Long 24 (and the entry).
    let before = b.heap_breakdown();
    s.add(&mut b, 1_000_000, 700).unwrap();
    let after = b.heap_breakdown();
    assert_eq!(after.values - before.values, 24 + 56 + 24 + 24);
    assert_eq!(after.entries - before.entries, 40);
}

#[test]
fn on_read_and_write_renews_what_a_read_returns_and_drops_the_expired() {
    let (mut b, mut keys) = backend();
    let config = StateTtlConfig::new_builder(TTL)
        .update_type(UpdateType::OnReadAndWrite)
        .disable_cleanup_in_background();
    let mut s = list_state(&mut b, config);
    set_key(&mut b, &mut keys, "a");
    s.add(&mut b, 1, 0).unwrap();
    s.add(&mut b, 2, 500).unwrap();
    // Each read within the TTL writes the list back with every element at the read's time (`updateTs`): the
    // element added at 0 outlives its first TTL.
    for t in [900, 1_899] {
        assert_eq!(s.get(&mut b, t).unwrap().0, vec![1, 2]);
        assert_eq!(s.peek(&b).unwrap(), Some(vec![at(1, t), at(2, t)]));
    }
    s.add(&mut b, 3, 2_500).unwrap();
    // At 2,899 the two renewed at 1,899 have expired: the read returns the third, and writes back only it.
    assert_eq!(s.get(&mut b, 2_899).unwrap().0, vec![3]);
    assert_eq!(s.peek(&b).unwrap(), Some(vec![at(3, 2_899)]));
    assert_eq!(s.last_cleanup().visited, 0);
}

#[test]
fn expired_elements_are_returned_until_cleaned_up_with_return_expired() {
    let (mut b, mut keys) = backend();
    let config = StateTtlConfig::new_builder(TTL)
        .state_visibility(StateVisibility::ReturnExpiredIfNotCleanedUp)
        .disable_cleanup_in_background();
    let mut s = list_state(&mut b, config);
    set_key(&mut b, &mut keys, "a");
    s.add(&mut b, 1, 0).unwrap();
    s.add(&mut b, 2, 600).unwrap();
    // One expired: both returned, nothing cleared.
    assert_eq!(s.get(&mut b, 1_200).unwrap().0, vec![1, 2]);
    assert_eq!(s.peek(&b).unwrap().map(|l| l.len()), Some(2));
    // All expired: returned this once, and the list cleared by the read.
    assert_eq!(s.get(&mut b, 5_000).unwrap().0, vec![1, 2]);
    assert!(s.get(&mut b, 5_000).unwrap().0.is_empty());
    assert_eq!(b.num_key_value_state_entries(), 0);
}

#[test]
fn clear_takes_no_cleanup_turn() {
    let (mut b, mut keys) = backend();
    let mut s = list_state(&mut b, StateTtlConfig::new_builder(TTL));
    for k in ["a", "b", "c"] {
        set_key(&mut b, &mut keys, k);
        s.add(&mut b, 1, 0).unwrap();
    }
    let turn = s.last_cleanup();
    // Everything expired: a clear() removes its key and nothing else.
    s.clear(&mut b).unwrap();
    assert_eq!(s.last_cleanup(), turn);
    assert_eq!(b.num_key_value_state_entries(), 2);
}

#[test]
fn the_incremental_cleanup_shortens_lists_and_removes_those_all_expired() {
    let (mut b, mut keys) = backend();
    let mut s = list_state(&mut b, StateTtlConfig::new_builder(TTL));
    // 300 keys: two elements at 0, and for every third key a third at 900.
    for i in 0..300u64 {
        let id = keys.generated(i);
        b.set_current_key(id, keys.info(id));
        s.add(&mut b, 1, 0).unwrap();
        s.add(&mut b, 2, 0).unwrap();
        if i % 3 == 0 {
            s.add(&mut b, 3, 900).unwrap();
        }
    }
    set_key(&mut b, &mut keys, "alive");
    s.add(&mut b, 9, 1_500).unwrap();
    let (mut removed, mut rewritten, mut reads) = (0, 0, 0);
    // Read "alive" at 1,500 ms: the elements at 0 have expired, those at 900 not yet.
    while reads < 10_000 {
        s.get(&mut b, 1_500).unwrap();
        let turn = s.last_cleanup();
        removed += turn.removed;
        rewritten += turn.rewritten;
        reads += 1;
        if b.num_key_value_state_entries() == 101 && rewritten == 100 {
            break;
        }
    }
    // 200 lists had nothing left and went; 100 were written back with their one unexpired element, in a new
    // `ArrayList` of the old size (3).
    assert_eq!((removed, rewritten), (200, 100));
    assert_eq!(b.num_key_value_state_entries(), 101);
    let table = b.object_table("events").unwrap();
    for map in table.maps() {
        for e in map.iter() {
            match map.objects().get(e.state) {
                Some(StateValueObject::TtlList { elements, capacity }) => {
                    if elements[0].user_value == 3 {
                        assert_eq!(elements, &vec![at(3, 900)]);
                        assert_eq!(capacity.capacity(), 3);
                    }
                }
                other => panic!("{other:?}"),
            }
        }
    }
    assert_eq!(b.heap_used(), b.heap_breakdown().total());
    // Later every list but the live key's is gone.
    for _ in 0..10_000 {
        if b.num_key_value_state_entries() == 1 {
            break;
        }
        set_key(&mut b, &mut keys, "alive");
        s.add(&mut b, 9, 2_000).unwrap();
    }
    assert_eq!(b.num_key_value_state_entries(), 1);
}

#[derive(Clone, Debug)]
enum Op {
    /// Advance the clock by this many ms, then do the rest.
    Add(u8, i64, u16),
    Get(u8, u16),
    Update(u8, Vec<i64>, u16),
    Clear(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0u8..40, 1i64..1_000_000, 0u16..400).prop_map(|(k, v, dt)| Op::Add(k, v, dt)),
        4 => (0u8..40, 0u16..400).prop_map(|(k, dt)| Op::Get(k, dt)),
        1 => (0u8..40, proptest::collection::vec(1i64..1_000_000, 0..4), 0u16..400)
            .prop_map(|(k, v, dt)| Op::Update(k, v, dt)),
        1 => (0u8..40).prop_map(Op::Clear),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, rng_seed: RngSeed::Fixed(0x7474_6C69_7374), ..ProptestConfig::default() })]

    /// `NeverReturnExpired`: whatever the cleanup did in the background, a read returns exactly the elements
    /// added within the TTL before it (renewed by reads with `OnReadAndWrite`), in order; the heap accounting
    /// holds after every call.
    #[test]
    fn reads_return_exactly_the_unexpired_elements(
        ops in proptest::collection::vec(op(), 1..400),
        renew_on_read in any::<bool>(),
        cleanup_size in 1u32..8,
    ) {
        let (mut b, mut keys) = backend();
        let mut config = StateTtlConfig::new_builder(TTL).cleanup_incrementally(cleanup_size, false);
        if renew_on_read {
            config = config.update_type(UpdateType::OnReadAndWrite);
        }
        let mut s = list_state(&mut b, config);
        let mut model: Vec<Vec<(i64, i64)>> = vec![Vec::new(); 40];
        let mut now = 0i64;
        for op in ops {
            let key = match &op {
                Op::Add(k, ..) | Op::Get(k, _) | Op::Update(k, ..) | Op::Clear(k) => *k as usize,
            };
            set_key(&mut b, &mut keys, &format!("k{key}"));
            let live = |l: &Vec<(i64, i64)>, now: i64| -> Vec<(i64, i64)> {
                l.iter().copied().filter(|&(_, t)| t + TTL > now).collect()
            };
            match op {
                Op::Add(_, v, dt) => {
                    now += i64::from(dt);
                    s.add(&mut b, v, now).unwrap();
                    model[key].push((v, now));
                }
                Op::Get(_, dt) => {
                    now += i64::from(dt);
                    let (values, _) = s.get(&mut b, now).unwrap();
                    let visible = live(&model[key], now);
                    prop_assert_eq!(values, visible.iter().map(|&(v, _)| v).collect::<Vec<_>>());
                    if visible.is_empty() {
                        model[key].clear();
                    } else if renew_on_read {
                        model[key] = visible.iter().map(|&(v, _)| (v, now)).collect();
                    }
                }
                Op::Update(_, values, dt) => {
                    now += i64::from(dt);
                    s.update(&mut b, &values, now).unwrap();
                    model[key] = values.iter().map(|&v| (v, now)).collect();
                }
                Op::Clear(_) => {
                    s.clear(&mut b).unwrap();
                    model[key].clear();
                }
            }
            // What is stored is the model's list less what the cleanup dropped: never an unexpired element less.
            let stored = s.peek(&b).unwrap().unwrap_or_default();
            let stored_live: Vec<(i64, i64)> = stored
                .iter()
                .filter(|e| e.last_access_timestamp + TTL > now)
                .map(|e| (e.user_value, e.last_access_timestamp))
                .collect();
            prop_assert_eq!(stored_live, live(&model[key], now));
            prop_assert_eq!(b.heap_used(), b.heap_breakdown().total());
        }
    }
}
