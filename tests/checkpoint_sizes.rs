//! A checkpoint of every keyed-state primitive has real Flink's size, byte for byte: StateLab's snapshot writer
//! (`HeapSnapshotStrategy`: the serialization proxy with each state's serializer snapshot, a header per key
//! group, each entry's namespace, key and value, each timer's timestamp, key and namespace) against
//! `tools/flink-checkpoint-sizes/run.sh` — value, value, list:N and map:N with TTL (and with a full-snapshot
//! cleanup leaving expired values, leading list elements and map mappings out: written while the incremental
//! cleanup walks, so its removals and rewrites are Flink's too), list:N, map:N, ValueState<List>/<Map>,
//! reducing, aggregating (sum, average), timers:N and a POJO (`KeyStatsProcessFunction`'s `ValueState<KeyStats>`:
//! `PojoSerializerSnapshot` in the proxy, `PojoSerializer`'s 19 bytes per value), with 0, 1 and 1,000 keys, for
//! subtasks owning 128 and 64 key groups.
#![cfg(not(target_arch = "wasm32"))]

use statelab::engine::functions::key_stats_process_function::KeyStatsProcessFunction;
use statelab::engine::functions::process_context::ElementContext;
use statelab::engine::keys::java_key::JavaKeyType;
use statelab::engine::keys::key_group_range::KeyGroupRange;
use statelab::engine::keys::key_group_range_assignment::key_group_of_murmur_hash;
use statelab::engine::keys::key_registry::{KeyFormat, KeyRegistry};
use statelab::engine::operators::internal_timer_service_impl::InternalTimerServiceImpl;
use statelab::engine::source::event::Event;
use statelab::engine::state::aggregating_state_descriptor::{
    AggregateFunctionKind, AggregatingStateDescriptor,
};
use statelab::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use statelab::engine::state::heap::heap_snapshot_strategy::AsyncSnapshotWriter;
use statelab::engine::state::heap::state_objects::StateValueObject;
use statelab::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use statelab::engine::state::list_state_descriptor::ListStateDescriptor;
use statelab::engine::state::map_state_descriptor::MapStateDescriptor;
use statelab::engine::state::reducing_state_descriptor::ReducingStateDescriptor;
use statelab::engine::state::state_ttl_config::StateTtlConfig;
use statelab::engine::state::value_state_descriptor::ValueStateDescriptor;

/// `FlinkCheckpointSizes.SNAPSHOT_AT_MS`: when the snapshots are written (the TTL time).
const SNAPSHOT_AT_MS: i64 = 7_000;

/// `FlinkCheckpointSizes.elementAtMs`: when the `-full` list and map cases write element `j` of key `i` — by key,
/// all at 0, alternating 0 / 6,000 from 0, or all at 6,000 ms (a 5 s TTL: those at 0 have expired at 7,000).
fn element_at_ms(i: u64, j: u32) -> i64 {
    match i % 3 {
        0 => 0,
        1 if j.is_multiple_of(2) => 0,
        _ => 6_000,
    }
}

/// `FlinkCheckpointSizes.distinct`.
fn distinct(i: u64, j: u32) -> i64 {
    1_000_000_000 + i as i64 * 64 + i64::from(j)
}

/// What one key writes into the backend.
type Write = Box<dyn FnMut(&mut HeapKeyedStateBackend, u64)>;

/// Registers the case's state and returns what one key writes.
fn case(spec: &str, b: &mut HeapKeyedStateBackend) -> Write {
    let (p, n) = match spec.split_once(':') {
        Some((p, n)) => (p, n.parse::<u32>().unwrap()),
        None => (spec, 1),
    };
    match p {
        "value" => {
            let s = b
                .get_or_create_value_state(&ValueStateDescriptor::new_long("state"))
                .unwrap();
            Box::new(move |b, i| {
                s.update(b, Some(distinct(i, 0))).unwrap();
            })
        }
        "value-ttl" => {
            let mut s = b
                .get_or_create_ttl_value_state("state", StateTtlConfig::new_builder(3_600_000))
                .unwrap();
            Box::new(move |b, i| {
                s.update(b, Some(distinct(i, 0)), 0).unwrap();
            })
        }
        "value-ttl-full" => {
            // `FlinkCheckpointSizes`: a 5 s TTL with `cleanupFullSnapshot()`, even keys written at 0 ms, odd keys
            // at 6,000 ms; the snapshot at 7,000 ms leaves the expired even ones out.
            let mut s = b
                .get_or_create_ttl_value_state(
                    "state",
                    StateTtlConfig::new_builder(5_000).cleanup_full_snapshot(),
                )
                .unwrap();
            Box::new(move |b, i| {
                let now = if i % 2 == 0 { 0 } else { 6_000 };
                s.update(b, Some(distinct(i, 0)), now).unwrap();
            })
        }
        "list-ttl" | "list-ttl-full" => {
            let full = p == "list-ttl-full";
            let config = if full {
                StateTtlConfig::new_builder(5_000).cleanup_full_snapshot()
            } else {
                StateTtlConfig::new_builder(3_600_000)
            };
            let mut s = b
                .get_or_create_ttl_list_state(&ListStateDescriptor::new_long("state"), config)
                .unwrap();
            Box::new(move |b, i| {
                for j in 0..n {
                    let now = if full { element_at_ms(i, j) } else { 0 };
                    s.add(b, distinct(i, j), now).unwrap();
                }
            })
        }
        "map-ttl" | "map-ttl-full" => {
            let full = p == "map-ttl-full";
            let config = if full {
                StateTtlConfig::new_builder(5_000).cleanup_full_snapshot()
            } else {
                StateTtlConfig::new_builder(3_600_000)
            };
            let mut s = b
                .get_or_create_ttl_map_state(&MapStateDescriptor::new_string_long("state"), config)
                .unwrap();
            Box::new(move |b, i| {
                for j in 0..n {
                    let now = if full { element_at_ms(i, j) } else { 0 };
                    s.put(b, &format!("f{j}"), distinct(i, j), now).unwrap();
                }
            })
        }
        "list" => {
            let s = b
                .get_or_create_list_state(&ListStateDescriptor::new_long("state"))
                .unwrap();
            Box::new(move |b, i| {
                for j in 0..n {
                    s.add(b, distinct(i, j)).unwrap();
                }
            })
        }
        "map" => {
            let s = b
                .get_or_create_map_state(&MapStateDescriptor::new_string_long("state"))
                .unwrap();
            Box::new(move |b, i| {
                for j in 0..n {
                    s.put(b, &format!("f{j}"), distinct(i, j)).unwrap();
                }
            })
        }
        "value-list" | "value-map" => {
            let list = p == "value-list";
            let serializer = if list {
                ValueSerializer::ListOfLong
            } else {
                ValueSerializer::MapOfStringLong
            };
            let s = b
                .get_or_create_object_value_state("state", serializer)
                .unwrap();
            Box::new(move |b, i| {
                let object = s
                    .new_object(
                        b,
                        if list {
                            StateValueObject::new_list()
                        } else {
                            StateValueObject::new_map()
                        },
                    )
                    .unwrap();
                s.change(b, object, |o| {
                    for j in 0..n {
                        if list {
                            o.list_add(distinct(i, j));
                        } else {
                            o.map_put(&format!("f{j}"), distinct(i, j));
                        }
                    }
                })
                .unwrap();
                s.update(b, Some(object)).unwrap();
            })
        }
        "reducing" => {
            let s = b
                .get_or_create_reducing_state(&ReducingStateDescriptor::new_long_sum("state"))
                .unwrap();
            Box::new(move |b, i| {
                s.add(b, distinct(i, 0)).unwrap();
            })
        }
        "aggregating" | "aggregating-avg" => {
            let function = if p == "aggregating" {
                AggregateFunctionKind::Sum
            } else {
                AggregateFunctionKind::Average
            };
            let s = b
                .get_or_create_aggregating_state(&AggregatingStateDescriptor::new(
                    "state", function,
                ))
                .unwrap();
            Box::new(move |b, i| {
                s.add(b, distinct(i, 0)).unwrap();
            })
        }
        "timers" => {
            let timers = InternalTimerServiceImpl::get(b, "user-timers");
            Box::new(move |b, i| {
                for j in 0..n {
                    timers
                        .register_processing_time_timer(b, distinct(i, j))
                        .unwrap();
                }
            })
        }
        "keystats" => {
            // `KeyStatsProcessFunction` itself: a `ValueState<KeyStats>` (`PojoSerializer`), the sum changed after
            // `update()`.
            let f = KeyStatsProcessFunction::open(b, "state").unwrap();
            Box::new(move |b, i| {
                let key_group = b.current_key().unwrap().key_group;
                let cx = ElementContext {
                    key_group,
                    event: Event {
                        category: "view",
                        amount: distinct(i, 0),
                    },
                    now_ms: 0,
                };
                f.process_element(b, &cx).unwrap();
            })
        }
        other => panic!("unknown case {other}"),
    }
}

#[test]
fn every_primitive_checkpoints_to_real_flinks_bytes() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/groundtruth/flink_checkpoint_sizes.csv"
    ))
    .unwrap();
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        let (spec, groups, keys, flink): (&str, i32, u64, u64) = (
            c[0],
            c[1].parse().unwrap(),
            c[2].parse().unwrap(),
            c[3].parse().unwrap(),
        );
        let range = KeyGroupRange::of(0, groups - 1);
        let mut b = HeapKeyedStateBackend::new(range, 128, JavaKeyType::String);
        let mut registry = KeyRegistry::new(KeyFormat::padded_users());
        let mut write = case(spec, &mut b);
        for i in 0..keys {
            let id = registry.generated(i);
            let info = registry.info(id);
            if !range.contains(key_group_of_murmur_hash(info.murmur_hash, 128)) {
                continue;
            }
            b.set_current_key(id, info);
            write(&mut b, i);
        }
        let (_, mut writer) = AsyncSnapshotWriter::sync_phase(&mut b, 1).unwrap();
        while !writer.is_done() {
            writer
                .write_next_key_group(&mut b, &registry, SNAPSHOT_AT_MS)
                .unwrap();
        }
        assert_eq!(
            writer.bytes(),
            flink,
            "{spec} with {keys} keys over {groups} key groups"
        );
        checked += 1;
    }
    assert_eq!(checked, 114);
}
