//! Timers on the heap backend: `InternalTimerServiceImpl` over two `HeapPriorityQueueSet`s, against real
//! Flink 2.3 — the heap per key, the heap array's length and the de-duplication maps' tables at every point
//! measured by `tools/flink-heap-primitives/run.sh` (`timers:N`: N processing-time timers per key, 1,000 to
//! 100,000 keys), and the service's semantics (due timers fire in time order with their key set, equal timers
//! are one, deleted ones never fire).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::set_key;

use statelab::engine::keys::java_key::{JavaKey, JavaKeyType};
use statelab::engine::keys::key_group_range::KeyGroupRange;
use statelab::engine::keys::key_registry::{KeyFormat, KeyRegistry};
use statelab::engine::operators::internal_timer_service_impl::InternalTimerServiceImpl;
use statelab::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use statelab::engine::state::state_error::StateError;

/// The measured rows of `timers`: (timers per key, keys, histogram bytes per key, heap array length, Σ of the
/// de-duplication tables' lengths).
fn measured() -> Vec<(u32, u64, f64, u32, u64)> {
    common::heap_primitive_rows("timers")
        .iter()
        .map(|r| {
            let field = |name: &str| -> u64 {
                r["tables_after"]
                    .split(';')
                    .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
                    .unwrap()
                    .parse()
                    .unwrap()
            };
            (
                r["param"].parse().unwrap_or(1),
                r["keys"].parse().unwrap(),
                r["histo_bytes_per_key"].parse().unwrap(),
                field("heapArrayLength") as u32,
                field("dedupTableSlotsSum"),
            )
        })
        .collect()
}

#[test]
fn timers_cost_what_real_flink_measured_and_their_queue_has_its_shape() {
    let rows = measured();
    assert_eq!(rows.len(), 18, "timers:1,2,4,8,16,64 at three sizes");
    let mut worst = 0f64;
    for (n, keys, real, array_length, table_slots) in rows {
        let mut b = HeapKeyedStateBackend::new(KeyGroupRange::of(0, 127), 128, JavaKeyType::String);
        let mut registry = KeyRegistry::new(KeyFormat::padded_users());
        let timers = InternalTimerServiceImpl::get(&mut b, "timers");
        let empty = b.heap_used();
        // As the measurement: key i registers times base + i·n + j, all distinct, none due.
        let base = 1_000_000_000_000i64;
        for i in 0..keys {
            let id = registry.generated(i);
            b.set_current_key(id, registry.info(id));
            for j in 0..n {
                let r = timers
                    .register_processing_time_timer(
                        &mut b,
                        base + (i * u64::from(n)) as i64 + i64::from(j),
                    )
                    .unwrap();
                assert!(r.added);
            }
        }
        let queue = b.priority_queue(timers.processing_queue()).unwrap();
        assert_eq!(queue.size() as u64, keys * u64::from(n));
        assert_eq!(
            queue.array_length(),
            array_length,
            "timers:{n} at {keys} keys"
        );
        assert_eq!(
            queue.deduplication_table_slots(),
            table_slots,
            "timers:{n} at {keys} keys"
        );
        let model = (b.heap_used() - empty) as f64 / keys as f64;
        let error = (model - real).abs() / real;
        worst = worst.max(error);
        assert!(
            error < 0.03,
            "timers:{n} at {keys} keys: model {model:.2} B/key, Flink {real:.2} ({:.2} %)",
            error * 100.0
        );
    }
    eprintln!("timers: worst {:.3} %", worst * 100.0);
}

#[test]
fn due_timers_fire_in_time_order_with_their_key_and_deleted_ones_never() {
    let mut b = HeapKeyedStateBackend::new(KeyGroupRange::of(0, 63), 128, JavaKeyType::String);
    let mut keys = KeyRegistry::new(KeyFormat::padded_users());
    let mut timers = InternalTimerServiceImpl::get(&mut b, "user-timers");
    // Registering twice gives the same queues.
    assert_eq!(InternalTimerServiceImpl::get(&mut b, "user-timers"), timers);
    assert_eq!(
        timers
            .register_processing_time_timer(&mut b, 5)
            .unwrap_err(),
        StateError::NoKeySet
    );
    // Keys whose key groups this backend (0–63 of 128) owns.
    let owned: Vec<String> = (0..200)
        .map(|i| format!("k{i}"))
        .filter(|k| {
            let id = keys.intern(&JavaKey::String(k.clone())).unwrap();
            b.set_current_key(id, keys.info(id));
            b.current_key().unwrap().key_group.index() < 64
        })
        .take(3)
        .collect();
    let (a, c, d) = (&owned[0], &owned[1], &owned[2]);
    set_key(&mut b, &mut keys, a);
    assert!(
        timers
            .register_processing_time_timer(&mut b, 300)
            .unwrap()
            .new_head
    );
    assert!(
        !timers
            .register_processing_time_timer(&mut b, 300)
            .unwrap()
            .added
    );
    set_key(&mut b, &mut keys, c);
    assert!(
        timers
            .register_processing_time_timer(&mut b, 100)
            .unwrap()
            .new_head
    );
    assert!(
        !timers
            .register_processing_time_timer(&mut b, 200)
            .unwrap()
            .new_head
    );
    set_key(&mut b, &mut keys, d);
    timers.register_processing_time_timer(&mut b, 150).unwrap();
    assert!(timers.delete_processing_time_timer(&mut b, 150).unwrap());
    assert!(!timers.delete_processing_time_timer(&mut b, 150).unwrap());
    timers.register_event_time_timer(&mut b, 10).unwrap();
    assert_eq!(b.num_timers(), 4);
    assert_eq!(timers.next_processing_time(&b), Some(100));

    // onProcessingTime(250): 100 (c), 200 (c), each with its key set; 300 is not due.
    let mut fired = Vec::new();
    while let Some(t) = timers.poll_processing_timer(&mut b, 250) {
        assert_eq!(b.current_key(), Some(t.key));
        fired.push((t.timestamp, keys.display(t.key.key)));
    }
    let c_id = keys.intern(&JavaKey::String(c.clone())).unwrap();
    assert_eq!(
        fired,
        [(100, keys.display(c_id)), (200, keys.display(c_id))]
    );
    assert_eq!(timers.next_processing_time(&b), Some(300));
    // Event time: nothing before the watermark passes 10.
    assert!(timers.poll_event_timer(&mut b).is_none());
    timers.advance_watermark(10);
    let t = timers.poll_event_timer(&mut b).unwrap();
    assert_eq!((t.timestamp, t.key.key), (10, b.current_key().unwrap().key));
    assert!(timers.poll_event_timer(&mut b).is_none());
    // The queues are state: the backend's heap holds them until they are empty again.
    assert!(b.timers_heap() > 0);
    assert!(timers.poll_processing_timer(&mut b, i64::MAX).is_some());
    assert_eq!(b.num_timers(), 0);
}

#[test]
fn the_queue_polls_what_real_flinks_polls_under_the_same_operations() {
    // FlinkTtlTimers.java (3): 20,000 seeded operations on one queue — add (half of them), remove, poll — and
    // every timer polled, in order. Ties between equal timestamps are settled by the heap's shape, so equal
    // sequences mean the same sifts.
    let flink: Vec<String> = common::groundtruth_csv("flink_ttl_timers.csv")
        .iter()
        .filter(|r| r["trace"] == "timers")
        .map(|r| format!("{},{}", r["step"], r["value"]))
        .collect();
    assert!(flink.len() > 4_000, "{} rows", flink.len());
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let mut b = HeapKeyedStateBackend::new(KeyGroupRange::of(0, 127), 128, JavaKeyType::String);
    let mut keys = KeyRegistry::new(KeyFormat::padded_users());
    let timers = InternalTimerServiceImpl::get(&mut b, "user-timers");
    let mut ours = Vec::new();
    for op in 0..20_000 {
        let id = keys.generated(next(300));
        let ts = next(1000) as i64;
        match next(4) {
            0 | 1 => {
                b.set_current_key(id, keys.info(id));
                timers.register_processing_time_timer(&mut b, ts).unwrap();
            }
            2 => {
                b.set_current_key(id, keys.info(id));
                timers.delete_processing_time_timer(&mut b, ts).unwrap();
            }
            _ => {
                let polled = timers
                    .poll_processing_timer(&mut b, i64::MAX)
                    .map_or("-".to_owned(), |t| {
                        format!("{}@{}", keys.display(t.key.key), t.timestamp)
                    });
                ours.push(format!("{op},{polled}"));
            }
        }
    }
    ours.push(format!("end,{}", b.num_timers()));
    assert_eq!(ours.len(), flink.len());
    for (o, f) in ours.iter().zip(&flink) {
        assert_eq!(o, f);
    }
}
