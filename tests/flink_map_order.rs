//! The order of a `MapState`'s mappings is the order of its `java.util.HashMap`, as Flink 2.3 has it: `entries()`
//! of `HeapMapState` and of `TtlMapState` iterate as the JDK's `HashMap` does after any sequence of puts and
//! removes, the serializer's copy (copy-on-write under a snapshot) and a TTL map's rebuild (the incremental
//! cleanup's `getUnexpiredOrNull`) put the mappings into their new map in that order, and the map's `toString()`
//! in the debugger view writes them so — checked case by case against `tests/data/groundtruth/flink_map_order.txt`
//! (`tools/flink-map-order/run.sh`: the JDK's map and Flink's own `MapSerializer.copy`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{backend, set_key};
use statelab::engine::state::heap::state_objects::{StateValueObject, TtlLong};
use statelab::engine::state::map_state_descriptor::MapStateDescriptor;
use statelab::engine::state::state_ttl_config::StateTtlConfig;
use statelab::engine::state::ttl::ttl_incremental_cleanup::{get_unexpired_or_null, Unexpired};

const CASES: &str = include_str!("data/groundtruth/flink_map_order.txt");

/// One case of the ground truth: its ops (`true` for a put), then, as Java's `toString()` wrote them, the map,
/// its `MapSerializer.copy` and its rebuild.
struct Case {
    ops: Vec<(bool, &'static str)>,
    map: &'static str,
    copy: &'static str,
    rebuilt: &'static str,
}

fn cases() -> Vec<Case> {
    CASES
        .lines()
        .map(|line| {
            let parts: Vec<&str> = line.split(" | ").collect();
            let [ops, map, copy, rebuilt] = parts[..] else {
                panic!("a case has its ops and three maps: {line}");
            };
            let ops = ops
                .split_once(": ")
                .expect("a case is numbered")
                .1
                .split(' ')
                .map(|op| match op.split_at(1) {
                    ("+", key) => (true, key),
                    ("-", key) => (false, key),
                    _ => panic!("an op is +key or -key: {op}"),
                })
                .collect();
            Case {
                ops,
                map,
                copy,
                rebuilt,
            }
        })
        .collect()
}

/// Mappings as `AbstractMap.toString()` writes them.
fn java_string<'a>(entries: impl IntoIterator<Item = (&'a str, i64)>) -> String {
    let inner: Vec<String> = entries
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!("{{{}}}", inner.join(", "))
}

#[test]
fn the_ground_truth_has_cases_that_resize_remove_empty_and_reorder_their_maps() {
    let cases = cases();
    assert!(cases.len() >= 300);
    // Both ways of ordering: an insertion sort up to 32 mappings, a counting sort by bucket above.
    assert!(cases.iter().any(|c| c.map.matches('=').count() > 48));
    assert!(cases
        .iter()
        .any(|c| (2..=32).contains(&c.map.matches('=').count()) && c.map != c.copy));
    assert!(cases.iter().any(|c| c.ops.iter().any(|(put, _)| !put)));
    assert!(cases.iter().any(|c| c.map == "{}"));
    // Copies whose order is not the map's: the new table is smaller than the map's, which never shrinks.
    assert!(cases.iter().filter(|c| c.copy != c.map).count() > 10);
    assert!(cases.iter().filter(|c| c.rebuilt != c.map).count() > 10);
}

#[test]
fn heap_map_state_entries_iterate_as_java_hash_map_does() {
    for (i, case) in cases().into_iter().enumerate() {
        let (mut b, mut keys) = backend();
        let map = b
            .get_or_create_map_state(&MapStateDescriptor::new_string_long("by-category"))
            .unwrap();
        set_key(&mut b, &mut keys, "user-000001");
        for (o, (put, key)) in case.ops.iter().enumerate() {
            if *put {
                map.put(&mut b, key, o as i64).unwrap();
            } else {
                map.remove(&mut b, key).unwrap();
            }
        }
        let entries = map.entries(&mut b).unwrap();
        assert_eq!(
            java_string(entries.iter().map(|(k, v)| (k.as_str(), *v))),
            case.map,
            "case {i}"
        );
    }
}

#[test]
fn ttl_map_state_entries_iterate_as_java_hash_map_does() {
    for (i, case) in cases().into_iter().enumerate() {
        let (mut b, mut keys) = backend();
        // Nothing expires (the ops run at time 0 with a TTL of a day) and no cleanup rebuilds the map.
        let mut map = b
            .get_or_create_ttl_map_state(
                &MapStateDescriptor::new_string_long("by-category"),
                StateTtlConfig::new_builder(86_400_000).disable_cleanup_in_background(),
            )
            .unwrap();
        set_key(&mut b, &mut keys, "user-000001");
        for (o, (put, key)) in case.ops.iter().enumerate() {
            if *put {
                map.put(&mut b, key, o as i64, 0).unwrap();
            } else {
                map.remove(&mut b, key, 0).unwrap();
            }
        }
        let entries = map.entries(&mut b, 0).unwrap();
        assert_eq!(
            java_string(entries.iter().map(|(k, v)| (k.as_str(), *v))),
            case.map,
            "case {i}"
        );
    }
}

/// The case's map as a state object, by `map_put` and `map_remove` (a new map after one left empty).
fn map_object(case: &Case) -> StateValueObject {
    let mut map = StateValueObject::new_map();
    for (o, (put, key)) in case.ops.iter().enumerate() {
        if *put {
            map.map_put(key, o as i64);
        } else {
            map.map_remove(key);
            if map.is_empty() {
                map = StateValueObject::new_map();
            }
        }
    }
    map
}

#[test]
fn the_serializers_copy_and_the_debugger_view_iterate_as_flink_does() {
    for (i, case) in cases().into_iter().enumerate() {
        let map = map_object(&case);
        // `toString()` as the debugger view shows it.
        assert_eq!(map.to_string(), case.map, "case {i}: the map");
        assert_eq!(
            map.serializer_copy().to_string(),
            case.copy,
            "case {i}: MapSerializer.copy"
        );
    }
}

#[test]
fn a_ttl_maps_rebuild_iterates_as_flinks_does() {
    for (i, case) in cases().into_iter().enumerate() {
        let mut ttl_map = StateValueObject::new_ttl_map();
        for (o, (put, key)) in case.ops.iter().enumerate() {
            if *put {
                ttl_map.ttl_map_put(
                    key,
                    TtlLong {
                        user_value: o as i64,
                        last_access_timestamp: 0,
                    },
                );
            } else {
                ttl_map.ttl_map_remove(key);
                if ttl_map.is_empty() {
                    ttl_map = StateValueObject::new_ttl_map();
                }
            }
        }
        let rebuilt = match get_unexpired_or_null(&ttl_map, 86_400_000, 0) {
            Unexpired::New(object) => object,
            Unexpired::Same => {
                assert_eq!(
                    case.rebuilt, "{}",
                    "case {i}: only an empty map stays itself"
                );
                continue;
            }
            Unexpired::Null => panic!("case {i}: nothing expired"),
        };
        let order = rebuilt.ttl_map_entries_in_table_order().unwrap();
        assert_eq!(
            java_string(order.iter().map(|e| (&*e.key, e.value.user_value))),
            case.rebuilt,
            "case {i}: getUnexpiredOrNull"
        );
    }
}
