//! `ListState` and `MapState` on the heap backend: Flink's semantics (`HeapListState`, `HeapMapState`), one name
//! per state, copy-on-write of the mutable state objects under a snapshot (`ListSerializer.copy`,
//! `MapSerializer.copy`), and their heap object by object against real Flink 2.3 at every point measured here
//! (`tests/data/groundtruth/flink_heap_primitives.csv` from `tools/flink-heap-primitives/run.sh`: 1,000 to
//! 1,000,000 keys, 1 to 64 elements or mappings per key).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{backend, set_key};

use statelab::engine::state::aggregating_state_descriptor::{
    AggregateFunctionKind, AggregatingStateDescriptor,
};
use statelab::engine::state::heap::copy_on_write_state_map::CopyOnWriteStateMap;
use statelab::engine::state::heap::heap_aggregating_state::AggregateResult;
use statelab::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use statelab::engine::state::heap::state_objects::{ObjectRef, StateValueObject};
use statelab::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use statelab::engine::state::list_state_descriptor::ListStateDescriptor;
use statelab::engine::state::map_state_descriptor::MapStateDescriptor;
use statelab::engine::state::reducing_state_descriptor::ReducingStateDescriptor;
use statelab::engine::state::state_descriptor::StateDescriptorType;
use statelab::engine::state::state_error::StateError;
use statelab::engine::state::value_state_descriptor::ValueStateDescriptor;

#[test]
fn one_name_is_one_kind_of_state() {
    let (mut b, _) = backend();
    b.get_or_create_value_state(&ValueStateDescriptor::new_long("s"))
        .unwrap();
    let err = b
        .get_or_create_list_state(&ListStateDescriptor::new_long("s"))
        .unwrap_err();
    assert_eq!(
        err,
        StateError::IncompatibleStateType {
            name: "s".into(),
            registered: StateDescriptorType::Value,
            requested: StateDescriptorType::List,
        }
    );
    assert_eq!(
        err.to_string(),
        "Incompatible key/value state types. Was [VALUE], registered with [LIST]."
    );
    let list = b
        .get_or_create_list_state(&ListStateDescriptor::new_long("l"))
        .unwrap();
    assert_eq!(
        b.get_or_create_list_state(&ListStateDescriptor::new_long("l"))
            .unwrap(),
        list
    );
    assert_eq!(b.state_type("l"), Some(StateDescriptorType::List));
    // Each state has its own table, with a map per key group from the start.
    assert_eq!(b.object_table("l").unwrap().maps().len(), 128);
    assert!(b.state_table("l").is_none());
    assert_eq!(b.heap_used(), b.heap_breakdown().total());
}

#[test]
fn list_state_adds_updates_and_clears_like_flink() {
    let (mut b, mut keys) = backend();
    let list = b
        .get_or_create_list_state(&ListStateDescriptor::new_long("events"))
        .unwrap();
    assert_eq!(list.get(&mut b).unwrap_err(), StateError::NoKeySet);
    set_key(&mut b, &mut keys, "a");
    assert_eq!(list.get(&mut b).unwrap().0, None);
    // A key without a list: get, then put of a new ArrayList, then the add on the object.
    let accesses = list.add(&mut b, 1000).unwrap();
    assert_eq!(accesses.len(), 2);
    assert!(accesses[1].inserted);
    assert_eq!(list.add(&mut b, 2000).unwrap().len(), 1);
    assert_eq!(list.get(&mut b).unwrap().0, Some(vec![1000, 2000]));
    list.add_all(&mut b, &[3000, 4000]).unwrap();
    assert_eq!(list.add_all(&mut b, &[]).unwrap(), None);
    assert_eq!(
        list.get(&mut b).unwrap().0,
        Some(vec![1000, 2000, 3000, 4000])
    );
    list.update(&mut b, &[7000]).unwrap();
    assert_eq!(list.get(&mut b).unwrap().0, Some(vec![7000]));
    // update([]) is clear().
    assert!(list.update(&mut b, &[]).unwrap().removed);
    assert_eq!(list.get(&mut b).unwrap().0, None);
    assert_eq!(b.num_key_value_state_entries(), 0);
    assert_eq!(b.heap_used(), b.heap_breakdown().total());
}

#[test]
fn map_state_puts_gets_and_clears_when_emptied() {
    let (mut b, mut keys) = backend();
    let map = b
        .get_or_create_map_state(&MapStateDescriptor::new_string_long("by-category"))
        .unwrap();
    set_key(&mut b, &mut keys, "a");
    assert!(map.is_empty(&mut b).unwrap());
    map.put(&mut b, "click", 1000).unwrap();
    map.put(&mut b, "view", 2000).unwrap();
    map.put(&mut b, "click", 3000).unwrap();
    assert_eq!(map.get(&mut b, "click").unwrap().0, Some(3000));
    assert_eq!(map.get(&mut b, "buy").unwrap().0, None);
    assert!(map.contains(&mut b, "view").unwrap().0);
    // In the order Java's `HashMap` iterates them (`"view"` hashes to bucket 2 of 16, `"click"` to 13), not the order
    // they were put in.
    assert_eq!(
        map.entries(&mut b).unwrap(),
        vec![("view".to_owned(), 2000), ("click".to_owned(), 3000)]
    );
    set_key(&mut b, &mut keys, "b");
    assert!(map.is_empty(&mut b).unwrap());
    set_key(&mut b, &mut keys, "a");
    map.remove(&mut b, "click").unwrap();
    assert_eq!(b.num_key_value_state_entries(), 1);
    // Removing the last mapping clears the state.
    let accesses = map.remove(&mut b, "view").unwrap();
    assert!(accesses.last().unwrap().removed);
    assert_eq!(b.num_key_value_state_entries(), 0);
    assert_eq!(b.heap_used(), b.heap_breakdown().total());
}

fn list(map: &CopyOnWriteStateMap<ObjectRef>, key: u32) -> Vec<i64> {
    let state = map
        .iter()
        .find(|e| e.key.0 == key)
        .map(|e| e.state)
        .unwrap();
    match map.objects().get(state) {
        Some(StateValueObject::List { elements, .. }) => elements.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_snapshot_keeps_the_list_it_saw_and_the_live_entry_gets_a_copy() {
    use statelab::engine::keys::key_registry::KeyId;
    let mut map: CopyOnWriteStateMap<ObjectRef> = CopyOnWriteStateMap::new();
    let key = KeyId(7);
    let add = |map: &mut CopyOnWriteStateMap<ObjectRef>, v: i64| {
        if map.get(key, 7).0.is_none() {
            let l = map.objects_mut().allocate(StateValueObject::new_list());
            map.put(key, 7, 32, l);
        }
        map.change_in_place(key, 7, |objects, l| objects.get_mut(l).unwrap().list_add(v));
    };
    add(&mut map, 1000);
    add(&mut map, 2000);
    // ArrayList 24 + Object[10] 56 + two Longs.
    assert_eq!(map.heap().values, 24 + 56 + 2 * 24);
    let snapshot = map.state_snapshot().unwrap();
    add(&mut map, 3000);
    // The snapshot still sees two elements; the live entry has a copy (new ArrayList<>(2), grown to 3).
    let seen: Vec<ObjectRef> = snapshot.entries(&map).map(|e| e.state).collect();
    assert_eq!(seen.len(), 1);
    match map.objects().get(seen[0]) {
        Some(StateValueObject::List { elements, .. }) => assert_eq!(elements, &vec![1000, 2000]),
        other => panic!("{other:?}"),
    }
    assert_eq!(list(&map, 7), vec![1000, 2000, 3000]);
    assert_eq!(map.objects().len(), 2);
    // Live: ArrayList 24 + Object[3] 32 (grown 2 → 3) + three Longs; the snapshot alone keeps the old
    // container and its array (its Longs are shared with the copy), and the entry it reaches.
    assert_eq!(map.heap().values, 24 + 32 + 3 * 24);
    assert_eq!(map.heap().retained_by_snapshots, 40 + 24 + 56);
    map.release_snapshot(snapshot.snapshot_version()).unwrap();
    assert_eq!(map.heap().retained_by_snapshots, 0);
    // The old list is garbage now, and collected.
    assert_eq!(map.objects().len(), 1);
    assert_eq!(list(&map, 7), vec![1000, 2000, 3000]);
}

/// Rows of the measurement made here (`tools/flink-heap-primitives/run.sh`): (N, keys, bytes per key by class
/// histogram).
fn measured(primitive: &str) -> Vec<(u32, u64, f64)> {
    common::heap_primitive_rows(primitive)
        .iter()
        .map(|r| {
            (
                r["param"].parse().unwrap_or(1),
                r["keys"].parse().unwrap(),
                r["histo_bytes_per_key"].parse().unwrap(),
            )
        })
        .collect()
}

/// Heap per key of `keys` keys, each written the way the measurement wrote it.
fn model_bytes_per_key(keys: u64, write: &dyn Fn(&mut HeapKeyedStateBackend, u64)) -> f64 {
    let (mut b, mut registry) = backend();
    write(&mut b, u64::MAX); // registers the state before the baseline
    let empty = b.heap_used();
    for i in 0..keys {
        let id = registry.generated(i);
        b.set_current_key(id, registry.info(id));
        write(&mut b, i);
    }
    (b.heap_used() - empty) as f64 / keys as f64
}

/// A value the `Long` cache does not hold, different for every key and element.
fn distinct(i: u64, j: u32) -> i64 {
    1_000_000 + (i as i64) * 100 + i64::from(j)
}

fn check(primitive: &str, write: &dyn Fn(&mut HeapKeyedStateBackend, u64, u32)) {
    let rows = measured(primitive);
    assert!(rows.len() >= 3, "{primitive}: {} rows", rows.len());
    let mut worst = 0f64;
    for (n, keys, real) in rows {
        let model = model_bytes_per_key(keys, &|b, i| write(b, i, n));
        let error = (model - real).abs() / real;
        worst = worst.max(error);
        assert!(
            error < 0.03,
            "{primitive}:{n} at {keys} keys: model {model:.2} B/key, Flink {real:.2} ({:.2} %)",
            error * 100.0
        );
    }
    eprintln!("{primitive}: worst {:.3} %", worst * 100.0);
}

#[test]
fn list_state_heap_is_within_three_percent_of_real_flink_at_every_measured_point() {
    check("list", &|b, i, n| {
        let list = b
            .get_or_create_list_state(&ListStateDescriptor::new_long("list"))
            .unwrap();
        if i != u64::MAX {
            for j in 0..n {
                list.add(b, distinct(i, j)).unwrap();
            }
        }
    });
}

#[test]
fn map_state_heap_is_within_three_percent_of_real_flink_at_every_measured_point() {
    check("map", &|b, i, n| {
        let map = b
            .get_or_create_map_state(&MapStateDescriptor::new_string_long("map"))
            .unwrap();
        if i != u64::MAX {
            for j in 0..n {
                map.put(b, &format!("f{j}"), distinct(i, j)).unwrap();
            }
        }
    });
}

#[test]
fn reducing_and_aggregating_states_fold_every_add() {
    let (mut b, mut keys) = backend();
    let sum = b
        .get_or_create_reducing_state(&ReducingStateDescriptor::new_long_sum("sum"))
        .unwrap();
    let total = b
        .get_or_create_aggregating_state(&AggregatingStateDescriptor::new(
            "total",
            AggregateFunctionKind::Sum,
        ))
        .unwrap();
    let average = b
        .get_or_create_aggregating_state(&AggregatingStateDescriptor::new(
            "average",
            AggregateFunctionKind::Average,
        ))
        .unwrap();
    set_key(&mut b, &mut keys, "a");
    assert_eq!(sum.get(&mut b).unwrap().0, None);
    assert_eq!(average.get(&mut b).unwrap().0, None);
    for v in [10, 20, 60] {
        // One transform each: a new key is inserted by the first.
        assert_eq!(sum.add(&mut b, v).unwrap().inserted, v == 10);
        total.add(&mut b, v).unwrap();
        average.add(&mut b, v).unwrap();
    }
    assert_eq!(sum.get(&mut b).unwrap().0, Some(90));
    assert_eq!(total.get(&mut b).unwrap().0, Some(AggregateResult::Sum(90)));
    assert_eq!(
        average.get(&mut b).unwrap().0,
        Some(AggregateResult::Average(30.0))
    );
    // Sum's accumulator is a Long in the entry, the average's a Tuple2 object.
    assert!(b.state_table("total").is_some());
    assert!(b.object_table("average").is_some());
    assert_eq!(
        b.state_type("total"),
        Some(StateDescriptorType::Aggregating)
    );
    sum.clear(&mut b).unwrap();
    average.clear(&mut b).unwrap();
    assert_eq!(b.num_key_value_state_entries(), 1);
    assert_eq!(b.heap_used(), b.heap_breakdown().total());
}

#[test]
fn reducing_state_heap_is_within_three_percent_of_real_flink() {
    check("reducing", &|b, i, _| {
        let s = b
            .get_or_create_reducing_state(&ReducingStateDescriptor::new_long_sum("reducing"))
            .unwrap();
        if i != u64::MAX {
            s.add(b, distinct(i, 0)).unwrap();
        }
    });
}

#[test]
fn aggregating_state_heap_is_within_three_percent_of_real_flink() {
    for (primitive, function) in [
        ("aggregating", AggregateFunctionKind::Sum),
        ("aggregating-avg", AggregateFunctionKind::Average),
    ] {
        check(primitive, &|b, i, _| {
            let s = b
                .get_or_create_aggregating_state(&AggregatingStateDescriptor::new(
                    "aggregating",
                    function,
                ))
                .unwrap();
            if i != u64::MAX {
                s.add(b, distinct(i, 0)).unwrap();
            }
        });
    }
}

#[test]
fn a_value_state_of_a_map_or_list_holds_the_users_object() {
    let (mut b, mut keys) = backend();
    let state = b
        .get_or_create_object_value_state("by-category", ValueSerializer::MapOfStringLong)
        .unwrap();
    set_key(&mut b, &mut keys, "a");
    let m = state
        .new_object(&mut b, StateValueObject::new_map())
        .unwrap();
    state
        .change(&mut b, m, |o| o.map_put("click", 1000))
        .unwrap();
    state.update(&mut b, Some(m)).unwrap();
    // The user keeps the reference and changes the map again, without update(): the state has changed.
    state
        .change(&mut b, m, |o| o.map_put("view", 2000))
        .unwrap();
    let (held, _) = state.value(&mut b).unwrap();
    assert_eq!(held, Some(m));
    assert_eq!(b.heap_used(), b.heap_breakdown().total());
    let table = b.object_table("by-category").unwrap();
    let object = table
        .maps()
        .iter()
        .find_map(|map| map.objects().get(m))
        .unwrap();
    assert_eq!(object.map_get("view"), Some(2000));
    // update(null) clears.
    assert!(state.update(&mut b, None).unwrap().removed);
    assert_eq!(b.num_key_value_state_entries(), 0);
}

/// `m = state.value(); if (m == null) m = new …; change(m); state.update(m);` per element.
fn value_of_object(
    name: &'static str,
    empty: fn() -> StateValueObject,
    add: fn(&mut StateValueObject, u32, i64),
) -> impl Fn(&mut HeapKeyedStateBackend, u64, u32) {
    move |b, i, n| {
        let serializer = if name == "value-list" {
            ValueSerializer::ListOfLong
        } else {
            ValueSerializer::MapOfStringLong
        };
        let s = b
            .get_or_create_object_value_state(name, serializer)
            .unwrap();
        if i != u64::MAX {
            for j in 0..n {
                let m = match s.value(b).unwrap().0 {
                    Some(m) => m,
                    None => s.new_object(b, empty()).unwrap(),
                };
                s.change(b, m, |o| add(o, j, distinct(i, j))).unwrap();
                s.update(b, Some(m)).unwrap();
            }
        }
    }
}

#[test]
fn value_states_of_maps_and_lists_cost_what_real_flink_measured() {
    check(
        "value-map",
        &value_of_object("value-map", StateValueObject::new_map, |o, j, v| {
            o.map_put(&format!("f{j}"), v);
        }),
    );
    check(
        "value-list",
        &value_of_object("value-list", StateValueObject::new_list, |o, _, v| {
            o.list_add(v)
        }),
    );
}

/// `KeyStatsProcessFunction`'s `ValueState<KeyStats>` (a POJO of two `long`s, its sum changed after `update()`),
/// as `statelab heap --state keystats` writes it, against `keystats` at 1,000 to 1,000,000 keys; and
/// `keystats-cow`: the same, every key read once while a checkpoint's snapshot is alive (`PojoSerializer.copy`
/// makes a new `KeyStats` for the live entry), then the snapshot released — the old objects are garbage.
#[test]
fn a_pojo_value_state_heap_is_within_three_percent_of_real_flink_at_every_measured_point() {
    use statelab::engine::memory::state_footprint::{measure, StateWorkload};
    let rows = measured("keystats");
    assert_eq!(rows.len(), 4);
    for (_, keys, real) in rows {
        let model = measure(StateWorkload::KeyStats, keys, 128, 1)
            .unwrap()
            .bytes_per_key();
        let error = (model - real).abs() / real;
        assert!(
            error < 0.03,
            "keystats at {keys} keys: model {model:.2} B/key, Flink {real:.2} ({:.2} %)",
            error * 100.0
        );
        eprintln!(
            "keystats at {keys} keys: model {model:.2}, Flink {real:.2} B/key ({:.3} %)",
            error * 100.0
        );
    }
    let rows = measured("keystats-cow");
    assert_eq!(rows.len(), 4);
    for (_, keys, real) in rows {
        let (mut b, mut registry) = backend();
        let s = b
            .get_or_create_object_value_state("state", ValueSerializer::KeyStatsPojo)
            .unwrap();
        let empty = b.heap_used();
        let ids: Vec<_> = (0..keys).map(|i| registry.generated(i)).collect();
        for (i, &id) in ids.iter().enumerate() {
            b.set_current_key(id, registry.info(id));
            let object = match s.value(&mut b).unwrap().0 {
                Some(o) => o,
                None => s
                    .new_object(&mut b, StateValueObject::KeyStats { count: 0, sum: 0 })
                    .unwrap(),
            };
            s.change(&mut b, object, |o| {
                if let StateValueObject::KeyStats { count, .. } = o {
                    *count += 1;
                }
            })
            .unwrap();
            s.update(&mut b, Some(object)).unwrap();
            s.change(&mut b, object, |o| {
                if let StateValueObject::KeyStats { sum, .. } = o {
                    *sum += distinct(i as u64, 0);
                }
            })
            .unwrap();
        }
        let snapshots = b.snapshot_state_maps().unwrap();
        let storage = b.kv_state_meta_infos()[0].1;
        for &id in &ids {
            b.set_current_key(id, registry.info(id));
            assert!(s.value(&mut b).unwrap().0.is_some());
        }
        for (table, maps) in snapshots.into_iter().enumerate() {
            for (index, snapshot) in maps.into_iter().enumerate() {
                b.release_snapshot(storage, table, index, snapshot.snapshot_version())
                    .unwrap();
            }
        }
        let model = (b.heap_used() - empty) as f64 / keys as f64;
        let error = (model - real).abs() / real;
        assert!(
            error < 0.03,
            "keystats-cow at {keys} keys: model {model:.2} B/key, Flink {real:.2} ({:.2} %)",
            error * 100.0
        );
        eprintln!(
            "keystats-cow at {keys} keys: model {model:.2}, Flink {real:.2} B/key ({:.3} %)",
            error * 100.0
        );
    }
}
