//! State TTL on the heap backend (`TtlValueState` over `TtlValue`s, `TtlIncrementalCleanup`): Flink 2.3's
//! semantics — expiry on read, the update types and visibilities, `update(null)` — the background cleanup that
//! walks the table a few entries per access until every expired value is gone, and the heap per key against
//! real Flink at every `value-ttl` point of `tools/flink-heap-primitives/run.sh`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{backend, set_key};

use statelab::engine::state::state_descriptor::StateDescriptorType;
use statelab::engine::state::state_ttl_config::{StateTtlConfig, StateVisibility, UpdateType};
use statelab::engine::state::ttl::ttl_value_state::TtlRead;
use statelab::engine::state::value_state_descriptor::ValueStateDescriptor;

const HOUR: i64 = 3_600_000;

#[test]
fn expired_values_are_gone_on_read_and_writes_renew_them() {
    let (mut b, mut keys) = backend();
    let mut s = b
        .get_or_create_ttl_value_state("counter", StateTtlConfig::new_builder(HOUR))
        .unwrap();
    assert_eq!(b.state_type("counter"), Some(StateDescriptorType::Value));
    // A state with TTL is a VALUE state: the name cannot be asked for as a list.
    assert!(b
        .get_or_create_list_state(
            &statelab::engine::state::list_state_descriptor::ListStateDescriptor::new_long(
                "counter"
            )
        )
        .is_err());
    set_key(&mut b, &mut keys, "a");
    assert_eq!(s.value(&mut b, 0).unwrap().0, TtlRead::Absent);
    s.update(&mut b, Some(1), 1_000).unwrap();
    assert_eq!(s.peek(&b).unwrap(), Some((Some(1), 1_000)));
    // OnCreateAndWrite: a read does not renew.
    assert_eq!(s.value(&mut b, HOUR).unwrap().0, TtlRead::Value(Some(1)));
    assert_eq!(s.peek(&b).unwrap(), Some((Some(1), 1_000)));
    // A write does.
    s.update(&mut b, Some(2), HOUR).unwrap();
    assert_eq!(
        s.value(&mut b, HOUR + 1_000).unwrap().0,
        TtlRead::Value(Some(2))
    );
    // Expired at last access + ttl exactly; NeverReturnExpired gives null and clears it.
    assert_eq!(
        s.value(&mut b, 2 * HOUR).unwrap().0,
        TtlRead::Expired { returned: None }
    );
    assert_eq!(s.peek(&b).unwrap(), None);
    assert_eq!(b.num_key_value_state_entries(), 0);
    // update(null) stores a TtlValue of null: an entry, whose value() is null.
    s.update(&mut b, None, 3 * HOUR).unwrap();
    assert_eq!(s.peek(&b).unwrap(), Some((None, 3 * HOUR)));
    assert_eq!(s.value(&mut b, 3 * HOUR).unwrap().0, TtlRead::Value(None));
    assert_eq!(b.num_key_value_state_entries(), 1);
    s.clear(&mut b, 3 * HOUR).unwrap();
    assert_eq!(b.num_key_value_state_entries(), 0);
    assert_eq!(b.heap_used(), b.heap_breakdown().total());
}

#[test]
fn reads_renew_with_on_read_and_write_and_expired_values_can_be_returned_once() {
    let (mut b, mut keys) = backend();
    let config = StateTtlConfig::new_builder(1_000)
        .update_type(UpdateType::OnReadAndWrite)
        .state_visibility(StateVisibility::ReturnExpiredIfNotCleanedUp)
        .disable_cleanup_in_background();
    let mut s = b.get_or_create_ttl_value_state("v", config).unwrap();
    set_key(&mut b, &mut keys, "a");
    s.update(&mut b, Some(7), 0).unwrap();
    // Each read within the TTL moves the expiry on.
    for t in [900, 1_800, 2_700] {
        assert_eq!(s.value(&mut b, t).unwrap().0, TtlRead::Value(Some(7)));
        assert_eq!(s.peek(&b).unwrap(), Some((Some(7), t)));
    }
    // Expired but not yet cleaned up: returned this once, and cleared.
    assert_eq!(
        s.value(&mut b, 3_700).unwrap().0,
        TtlRead::Expired { returned: Some(7) }
    );
    assert_eq!(s.value(&mut b, 3_700).unwrap().0, TtlRead::Absent);
    // Without background cleanup nothing else is ever visited.
    assert_eq!(s.last_cleanup().visited, 0);
}

#[test]
fn the_incremental_cleanup_goes_round_the_table_until_every_expired_value_is_gone() {
    let (mut b, mut keys) = backend();
    let mut s = b
        .get_or_create_ttl_value_state("counter", StateTtlConfig::new_builder(HOUR))
        .unwrap();
    let empty = b.heap_used();
    // 2,000 keys written at t = 0, so that maps resize and rehash as they fill.
    for i in 0..2_000u64 {
        let id = keys.generated(i);
        b.set_current_key(id, keys.info(id));
        s.update(&mut b, Some(1_000_000 + i as i64), 0).unwrap();
    }
    assert_eq!(b.num_key_value_state_entries(), 2_000);
    // One key stays alive and is read every minute after the others expired: each read is a turn of the cleanup
    // (at most 5 entries checked, at most 5 positions passed per chain), which removes what it finds expired.
    set_key(&mut b, &mut keys, "alive");
    s.update(&mut b, Some(1), HOUR - 1).unwrap();
    let mut reads = 0;
    let mut removed = 0;
    while b.num_key_value_state_entries() > 1 {
        let now = HOUR + reads * 60_000 % HOUR;
        s.value(&mut b, now).unwrap();
        let turn = s.last_cleanup();
        assert!(
            turn.visited <= 5 + 4,
            "a turn stops once 5 entries were checked: {turn:?}"
        );
        removed += turn.removed;
        reads += 1;
        assert!(reads < 20_000, "the cleanup never finished");
    }
    assert_eq!(removed, 2_000);
    // Enough turns to pass every bucket of 128 maps, at 5 positions per turn at most.
    assert!(reads >= 2_000 / 9, "{reads}");
    // What is left: "alive"'s entry and the grown tables.
    assert_eq!(b.heap_used(), b.heap_breakdown().total());
    assert!(b.heap_used() > empty);
}

/// The measured `value-ttl` rows: (keys, histogram bytes per key).
fn measured() -> Vec<(u64, f64)> {
    common::heap_primitive_rows("value-ttl")
        .iter()
        .map(|r| {
            (
                r["keys"].parse().unwrap(),
                r["histo_bytes_per_key"].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_ttl_value_costs_what_real_flink_measured() {
    let rows = measured();
    assert_eq!(rows.len(), 3);
    for (keys, real) in rows {
        let (mut b, mut registry) = backend();
        let mut s = b
            .get_or_create_ttl_value_state("value-ttl-state", StateTtlConfig::new_builder(HOUR))
            .unwrap();
        let empty = b.heap_used();
        for i in 0..keys {
            let id = registry.generated(i);
            b.set_current_key(id, registry.info(id));
            // As the measurement: value(), then update() of a value no Long cache holds.
            s.value(&mut b, 0).unwrap();
            s.update(&mut b, Some(1_000_000 + (i as i64) * 100), 0)
                .unwrap();
        }
        let model = (b.heap_used() - empty) as f64 / keys as f64;
        let error = (model - real).abs() / real;
        assert!(
            error < 0.03,
            "value-ttl at {keys} keys: model {model:.2} B/key, Flink {real:.2} ({:.2} %)",
            error * 100.0
        );
        eprintln!(
            "value-ttl at {keys}: {model:.2} vs {real:.2} ({:.3} %)",
            error * 100.0
        );
    }
    // A plain Long value state of the same keys costs 24 B per key less: the TtlValue.
    let (mut b, mut registry) = backend();
    let plain = b
        .get_or_create_value_state(&ValueStateDescriptor::new_long("plain"))
        .unwrap();
    let empty = b.heap_used();
    let mut s = b
        .get_or_create_ttl_value_state("ttl", StateTtlConfig::new_builder(HOUR))
        .unwrap();
    let empty_both = b.heap_used();
    let id = registry.generated(1);
    b.set_current_key(id, registry.info(id));
    plain.update(&mut b, Some(1_000_000)).unwrap();
    let after_plain = b.heap_used();
    s.update(&mut b, Some(1_000_000), 0).unwrap();
    assert_eq!(
        (b.heap_used() - after_plain) - (after_plain - empty_both),
        24
    );
    assert!(empty_both > empty);
}

/// A trace of `tools/flink-ttl-timers/run.sh`: its (step, value) rows.
fn flink_trace(name: &str) -> Vec<(String, String)> {
    common::groundtruth_csv("flink_ttl_timers.csv")
        .into_iter()
        .filter(|r| r["trace"] == name)
        .map(|r| (r["step"].clone(), r["value"].clone()))
        .collect()
}

#[test]
fn the_cleanup_removes_what_real_flink_removes_access_by_access() {
    // FlinkTtlTimers.java (1): 2,000 keys at t = 0, "alive" at 1 h − 1 ms, then one read of "alive" a minute.
    let flink = flink_trace("expired-sweep");
    assert!(flink.len() > 2_000, "{} rows", flink.len());
    let (mut b, mut keys) = backend();
    let mut s = b
        .get_or_create_ttl_value_state("counter", StateTtlConfig::new_builder(HOUR))
        .unwrap();
    for i in 0..2_000u64 {
        let id = keys.generated(i);
        b.set_current_key(id, keys.info(id));
        s.value(&mut b, 0).unwrap();
        s.update(&mut b, Some(1_000_000 + i as i64 * 100), 0)
            .unwrap();
    }
    set_key(&mut b, &mut keys, "alive");
    s.update(&mut b, Some(1), HOUR - 1).unwrap();
    let mut ours = vec![("-1".to_owned(), b.num_key_value_state_entries().to_string())];
    let mut read = 0i64;
    while b.num_key_value_state_entries() > 1 && read < 20_000 {
        s.value(&mut b, HOUR + (read * 60_000) % HOUR).unwrap();
        ours.push((
            read.to_string(),
            b.num_key_value_state_entries().to_string(),
        ));
        read += 1;
    }
    assert_eq!(
        ours.len(),
        flink.len(),
        "accesses until only the live key is left"
    );
    for (o, f) in ours.iter().zip(&flink) {
        assert_eq!(o, f, "entries after access {}", f.0);
    }
}

#[test]
fn expiry_while_maps_grow_and_rehash_matches_real_flink_write_by_write() {
    // FlinkTtlTimers.java (2): 6,000 writes 10 ms apart to 1,500 keys in a scattered order, a TTL of 2 s.
    let flink = flink_trace("rolling");
    assert_eq!(flink.len(), 6_000);
    let (mut b, mut keys) = backend();
    let mut s = b
        .get_or_create_ttl_value_state("counter", StateTtlConfig::new_builder(2_000))
        .unwrap();
    for (i, (step, entries)) in flink.iter().enumerate() {
        let i = i as u64;
        let id = keys.generated((i * 7919) % 1500);
        b.set_current_key(id, keys.info(id));
        s.update(&mut b, Some(i as i64), i as i64 * 10).unwrap();
        assert_eq!(
            b.num_key_value_state_entries().to_string(),
            *entries,
            "entries after write {step}"
        );
    }
}

#[test]
fn a_snapshot_shares_the_ttl_value_a_read_under_it_finds() {
    use statelab::engine::state::heap::heap_snapshot_strategy::AsyncSnapshotWriter;
    // `TtlSerializer` is immutable (a `CompositeSerializer` of `LongSerializer`s): `copy()` returns the very
    // `TtlValue`, so a read under a snapshot copies the entry only — as for a plain `Long`.
    let (mut b, mut keys) = backend();
    let plain = b
        .get_or_create_value_state(&ValueStateDescriptor::new_long("plain"))
        .unwrap();
    let mut ttl = b
        .get_or_create_ttl_value_state("ttl", StateTtlConfig::new_builder(HOUR))
        .unwrap();
    set_key(&mut b, &mut keys, "a");
    plain.update(&mut b, Some(1_000_000)).unwrap();
    ttl.update(&mut b, Some(1_000_000), 0).unwrap();
    let (_, writer) = AsyncSnapshotWriter::sync_phase(&mut b, 1).unwrap();
    let before = b.heap_used();
    plain.value(&mut b).unwrap();
    let plain_read = b.heap_used() - before;
    assert_eq!(plain_read, 40, "the entry's copy");
    ttl.value(&mut b, 1).unwrap();
    assert_eq!(b.heap_used() - before - plain_read, plain_read);
    writer.abort(&mut b).unwrap();
    assert_eq!(b.heap_used(), b.heap_breakdown().total());
}
