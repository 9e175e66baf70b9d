//! The job presets beyond the counter, end to end: for random streams, checkpoint intervals, failure points and
//! rescales, every function's exactly-once state ends equal to what its events make — the amounts a
//! `ListState` logged, the counts per category of a `MapState` and of a `ValueState<HashMap>`, a
//! `ReducingState`'s sum, an `AggregatingState`'s (sum, count) accumulator, a `KeyStats` POJO's count and sum
//! (the sum changed after `update()`), a TTL counter's value — and its sink
//! sees every event once plus, after a restore only, the replayed ones. A TTL counter forgets keys idle for 5 s.
// Scenarios read best as a default configuration with the fields that matter set one by one.
#![allow(clippy::field_reassign_with_default)]
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use statelab::engine::cluster::engine_event::{EngineEvent, Milestones};
use statelab::engine::cluster::job_config::{FailureTrigger, JobConfig, RestartStrategyConfig};
use statelab::engine::cluster::job_status::JobStatus;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::functions::idle_key_counter_process_function::IDLE_KEY_TTL_MS;
use statelab::engine::functions::job_function::JobFunction;
use statelab::engine::source::event::Event;
use statelab::engine::state::heap::state_objects::StateValueObject;
use statelab::engine::tasks::stream_element::EventRef;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
struct Scenario {
    function: JobFunction,
    keys: Vec<u8>,
    parallelism: u32,
    source_parallelism: u32,
    interval_ms: u64,
    failures: Vec<u64>,
    rescale: Option<(u64, u32)>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        proptest::sample::select(JobFunction::ALL.to_vec()),
        proptest::collection::vec(0u8..30, 100..1500),
        1u32..=4,
        1u32..=3,
        5u64..200,
        proptest::collection::vec(1u64..1500, 0..3),
        proptest::option::of((50u64..1200, 1u32..=6)),
    )
        .prop_map(
            |(function, keys, parallelism, source_parallelism, interval_ms, failures, rescale)| {
                Scenario {
                    function,
                    keys,
                    parallelism,
                    source_parallelism,
                    interval_ms,
                    failures,
                    rescale,
                }
            },
        )
}

fn config(s: &Scenario) -> JobConfig {
    let mut c = JobConfig::replaying(s.keys.iter().map(|k| format!("k{k}")).collect());
    c.function = s.function;
    c.sink_log_limit = usize::MAX;
    c.parallelism = s.parallelism;
    c.source.parallelism = s.source_parallelism;
    c.source.rate = 10_000;
    c.checkpointing.interval_ms = Some(s.interval_ms);
    c.checkpointing.write_bytes_per_second = 200_000;
    c.restart_strategy = Some(RestartStrategyConfig::FixedDelay {
        attempts: 100,
        delay_ms: 10,
    });
    c.failures = s
        .failures
        .iter()
        .map(|&call| FailureTrigger::ProcessElementCall { call })
        .collect();
    c
}

fn run(s: &Scenario) -> (MiniCluster, Milestones) {
    let mut cluster = MiniCluster::new(config(s)).unwrap();
    let mut events = Milestones::default();
    if let Some((after, parallelism)) = s.rescale {
        cluster.run(RunLimit::records(after), &mut events);
        if cluster.status() == JobStatus::Running
            && cluster.coordinator().store().latest().is_some()
        {
            cluster.restore(None, parallelism, &mut events).unwrap();
        }
    }
    cluster.run(RunLimit::steps(10_000_000), &mut events);
    (cluster, events)
}

/// Each key's state as the test reads it: a number, or a list / map / pair.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Long(i64),
    List(Vec<i64>),
    Map(BTreeMap<String, i64>),
    Pair(i64, i64),
}

/// What each key's state must be after its events, in the order they were emitted.
fn expected(s: &Scenario, seed: u64) -> BTreeMap<String, Value> {
    let mut events: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for (i, k) in s.keys.iter().enumerate() {
        let event = Event::of(seed, EventRef::Generated(i as u64));
        events.entry(format!("k{k}")).or_default().push(event);
    }
    events
        .into_iter()
        .map(|(key, es)| {
            let amounts = es.iter().map(|e| e.amount);
            let value = match s.function {
                JobFunction::Counter | JobFunction::IdleCounter => Value::Long(es.len() as i64),
                JobFunction::EventLog | JobFunction::EventLogInValue => {
                    Value::List(amounts.collect())
                }
                JobFunction::CategoryCounts | JobFunction::CategoryCountsInValue => {
                    let mut m = BTreeMap::new();
                    for e in &es {
                        *m.entry(e.category.to_owned()).or_default() += 1;
                    }
                    Value::Map(m)
                }
                JobFunction::RunningSum => Value::Long(amounts.sum()),
                JobFunction::Average => Value::Pair(amounts.sum(), es.len() as i64),
                // The sum changed after update() is in the state, and in every checkpoint since.
                JobFunction::KeyStats => Value::Pair(es.len() as i64, amounts.sum()),
                JobFunction::Session => unreachable!("sessions depend on time: check_sessions"),
            };
            (key, value)
        })
        .collect()
}

fn actual(cluster: &MiniCluster) -> BTreeMap<String, Value> {
    let keys = cluster.keys();
    let longs = cluster
        .counts()
        .into_iter()
        .map(|(k, v)| (keys.display(k), Value::Long(v)));
    let objects = cluster.state_objects().into_iter().map(|(k, o)| {
        let value = match o {
            StateValueObject::List { elements, .. } => Value::List(elements),
            StateValueObject::Map { entries, .. } => Value::Map(
                entries
                    .iter()
                    .map(|e| (e.key.to_string(), e.value))
                    .collect(),
            ),
            StateValueObject::Tuple2 { f0, f1 } => Value::Pair(f0, f1),
            StateValueObject::KeyStats { count, sum } => Value::Pair(count, sum),
            StateValueObject::TtlValue { user_value, .. } => {
                Value::Long(user_value.unwrap_or(i64::MIN))
            }
            // No job function keeps a list or map with TTL.
            StateValueObject::TtlList { elements, .. } => {
                Value::List(elements.iter().map(|e| e.user_value).collect())
            }
            StateValueObject::TtlMap { entries, .. } => Value::Map(
                entries
                    .iter()
                    .map(|e| (e.key.to_string(), e.value.user_value))
                    .collect(),
            ),
        };
        (keys.display(k), value)
    });
    longs.chain(objects).collect()
}

/// A session job's invariants: every open session (count, last modified) has its closing timer in the queue of
/// the subtask holding it — timers and state restored from the same checkpoint — and, without a restore, every
/// event is in exactly one session, emitted or still open.
fn check_sessions(cluster: &MiniCluster, keys: &[u8], events: &Milestones) {
    use statelab::engine::functions::session_process_function::SESSION_GAP_MS;
    let now_ms = (cluster.now() / 1_000_000) as i64;
    let mut timers = std::collections::BTreeSet::new();
    for task in cluster.tasks() {
        for queue in 0..task.backend().priority_queue_state_names().len() {
            for t in task.backend().priority_queue(queue).unwrap().iter() {
                timers.insert((t.key.key, t.timestamp));
            }
        }
    }
    let mut open: BTreeMap<String, i64> = BTreeMap::new();
    for (key, object) in cluster.state_objects() {
        let StateValueObject::Tuple2 { f0, f1 } = object else {
            panic!("a session is a Tuple2: {object:?}");
        };
        assert!(f0 >= 1 && f1 <= now_ms, "({f0}, {f1}) at {now_ms}");
        assert!(
            timers.contains(&(key, f1 + SESSION_GAP_MS)),
            "the open session of {} has its timer",
            cluster.keys().display(key)
        );
        open.insert(cluster.keys().display(key), f0);
    }
    let restored = events
        .0
        .iter()
        .any(|e| matches!(e, EngineEvent::JobRestored { .. }));
    if restored {
        return;
    }
    let mut in_sessions = open;
    for record in cluster.sink().recent() {
        assert!(matches!(record.event, EventRef::Timer(_)), "{record:?}");
        *in_sessions
            .entry(cluster.keys().display(record.key))
            .or_default() += record.count;
    }
    let mut occurrences: BTreeMap<String, i64> = BTreeMap::new();
    for k in keys {
        *occurrences.entry(format!("k{k}")).or_default() += 1;
    }
    assert_eq!(in_sessions, occurrences);
}

/// A list's order depends on how the source splits' records interleave; with one split it is the events'.
fn sorted_lists(values: BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    values
        .into_iter()
        .map(|(k, v)| match v {
            Value::List(mut l) => {
                l.sort_unstable();
                (k, Value::List(l))
            }
            other => (k, other),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, rng_seed: RngSeed::Fixed(0x4655_4E43_5449_4F4E), ..ProptestConfig::default() })]

    #[test]
    fn every_function_keeps_exactly_once_state_through_failures_and_rescaling(s in scenario()) {
        let (cluster, events) = run(&s);
        prop_assert_eq!(cluster.status(), JobStatus::Finished);
        let sink = cluster.sink();
        prop_assert_eq!(sink.duplicates_before_any_restore(), 0);
        if s.function == JobFunction::Session {
            check_sessions(&cluster, &s.keys, &events);
        } else {
            let expected = expected(&s, cluster.config().seed);
            let actual = actual(&cluster);
            if s.source_parallelism == 1 {
                prop_assert_eq!(&actual, &expected);
            }
            prop_assert_eq!(sorted_lists(actual), sorted_lists(expected));
            prop_assert_eq!(sink.written(), s.keys.len() as u64 + sink.duplicates());
        }
        let restored = events.0.iter().any(|e| matches!(e, EngineEvent::JobRestored { .. }));
        if !restored {
            prop_assert_eq!(sink.duplicates(), 0);
        }
        for task in cluster.tasks() {
            prop_assert_eq!(task.backend().heap_breakdown().retained_by_snapshots, 0);
            prop_assert_eq!(task.backend().heap_breakdown().snapshot_arrays, 0);
        }
    }
}

#[test]
fn checkpoints_hold_each_functions_state_and_a_restore_brings_it_back() {
    for function in JobFunction::ALL {
        let s = Scenario {
            function,
            keys: (0..400u32).map(|i| (i * 7 % 23) as u8).collect(),
            parallelism: 2,
            source_parallelism: 1,
            interval_ms: 10,
            failures: vec![],
            rescale: None,
        };
        let mut cluster = MiniCluster::new(config(&s)).unwrap();
        let mut events = Milestones::default();
        cluster.run(RunLimit::steps(10_000_000), &mut events);
        assert_eq!(cluster.status(), JobStatus::Finished, "{function:?}");
        let latest = cluster.coordinator().store().latest().cloned().unwrap();
        let entries = latest.entries();
        assert_eq!(
            entries, 23,
            "{function:?}: one entry per key in the last checkpoint"
        );
        let objects: usize = latest.objects.iter().map(Vec::len).sum();
        let longs: usize = latest.key_groups.iter().map(Vec::len).sum();
        let held_in_entries = matches!(function, JobFunction::Counter | JobFunction::RunningSum);
        assert_eq!(
            (longs > 0, objects > 0),
            (held_in_entries, !held_in_entries),
            "{function:?}"
        );
        // Restored at another parallelism, the state is the same — but a session's time of last modification:
        // the events after the checkpoint are processed again, later.
        let counts_only = |values: BTreeMap<String, Value>| -> BTreeMap<String, Value> {
            values
                .into_iter()
                .map(|(k, v)| match v {
                    Value::Pair(count, _) if function == JobFunction::Session => {
                        (k, Value::Long(count))
                    }
                    other => (k, other),
                })
                .collect()
        };
        let before = actual(&cluster);
        cluster.restore(None, 3, &mut events).unwrap();
        cluster.run(RunLimit::steps(10_000), &mut events);
        assert_eq!(
            counts_only(actual(&cluster)),
            counts_only(before),
            "{function:?}"
        );
    }
}

#[test]
fn the_idle_key_counter_forgets_keys_idle_for_its_ttl() {
    // 10 events per second over 20 keys: a key waits 2 s on average for its next event, and now and then
    // longer than the 5 s TTL.
    let mut c = JobConfig::default();
    c.function = JobFunction::IdleCounter;
    c.source.rate = 10;
    c.source.key_count = 20;
    c.source.max_events = Some(600);
    c.checkpointing.interval_ms = Some(1_000);
    let mut cluster = MiniCluster::new(c.clone()).unwrap();
    let mut events = Milestones::default();
    cluster.run(RunLimit::steps(10_000_000), &mut events);
    assert_eq!(cluster.status(), JobStatus::Finished);
    let ttl_ms = IDLE_KEY_TTL_MS;
    let now_ms = (cluster.now() / 1_000_000) as i64;
    let mut counter = c.clone();
    counter.function = JobFunction::Counter;
    let mut plain = MiniCluster::new(counter).unwrap();
    plain.run(RunLimit::steps(10_000_000), &mut Milestones::default());
    let totals: BTreeMap<String, i64> = plain
        .counts()
        .into_iter()
        .map(|(k, v)| (plain.keys().display(k), v))
        .collect();
    let mut forgot = 0;
    for (key, object) in cluster.state_objects() {
        let StateValueObject::TtlValue {
            user_value: Some(v),
            last_access_timestamp,
        } = object
        else {
            panic!("{object:?}");
        };
        let total = totals[&cluster.keys().display(key)];
        assert!((1..=total).contains(&v), "{v} of {total}");
        assert!(last_access_timestamp <= now_ms);
        forgot += usize::from(v < total);
    }
    assert!(
        forgot > 0,
        "keys idle for more than {ttl_ms} ms started again at 1"
    );
}

/// Each function's golden run: 50 keys, 4,000 events, checkpoints every 200 ms, a failure at event 2,000 and a
/// rescale from 2 to 3 subtasks after 3,000 records (the session job's source slower, so that sessions close).
fn golden_config(function: JobFunction) -> JobConfig {
    use statelab::engine::cluster::job_command::{CommandTrigger, JobCommand, ScheduledCommand};
    let mut c = JobConfig::default();
    c.function = function;
    c.source.key_count = 50;
    c.source.max_events = Some(4_000);
    if function == JobFunction::Session {
        // A key's events a second apart on average: sessions close (after 2 s without events) as the job runs.
        c.source.rate = 50;
    }
    c.checkpointing.interval_ms = Some(200);
    c.failures = vec![FailureTrigger::EventIndex { index: 2_000 }];
    c.script = vec![ScheduledCommand {
        at: CommandTrigger::AfterRecords { records: 3_000 },
        command: JobCommand::Restore {
            checkpoint_id: None,
            parallelism: 3,
        },
    }];
    c
}

#[test]
fn every_function_matches_its_golden_trace() {
    // Rewrite with `STATELAB_BLESS=1 cargo test --test job_functions` after a deliberate change; review the diff.
    let bless = std::env::var_os("STATELAB_BLESS").is_some_and(|v| v == "1");
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/functions");
    let mut mismatched = Vec::new();
    for function in JobFunction::ALL.into_iter().filter(|f| !f.is_counter()) {
        let mut cluster = MiniCluster::new(golden_config(function)).unwrap();
        cluster.run(RunLimit::steps(10_000_000), &mut Milestones::default());
        assert_eq!(cluster.status(), JobStatus::Finished, "{function:?}");
        let got = statelab::engine::history::golden_trace::trace(&cluster);
        assert!(got.contains("fired after record 3000"), "{got}");
        assert!(got.contains("Injected failure"), "{got}");
        let path = dir.join(format!("{}.trace", function.id()));
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != got {
            mismatched.push(format!(
                "--- {} (expected)\n{expected}\n+++ (got)\n{got}",
                path.display()
            ));
        }
    }
    assert!(
        mismatched.is_empty(),
        "traces changed:\n{}",
        mismatched.join("\n")
    );
}

#[test]
fn sessions_close_after_the_gap_and_survive_a_failure_and_a_rescale() {
    // 20 events per second over 30 keys drawn at random: a key's next event comes after 1.5 s on average, often
    // after more than the 2 s gap, so sessions close while the job runs; checkpoints every 500 ms carry timers.
    let keys: Vec<u8> = (0..400u64)
        .map(|i| {
            let x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            ((x ^ (x >> 29)) % 30) as u8
        })
        .collect();
    let s = Scenario {
        function: JobFunction::Session,
        keys: keys.clone(),
        parallelism: 2,
        source_parallelism: 1,
        interval_ms: 500,
        failures: vec![],
        rescale: None,
    };
    let mut c = config(&s);
    c.source.rate = 20;
    let mut plain = MiniCluster::new(c.clone()).unwrap();
    let mut events = Milestones::default();
    plain.run(RunLimit::steps(10_000_000), &mut events);
    assert_eq!(plain.status(), JobStatus::Finished);
    assert!(plain.counters().timers_fired > 0);
    let closed = plain.sink().written();
    assert!(closed > 10, "{closed} sessions closed");
    check_sessions(&plain, &keys, &events);

    // The same with a failure and a rescale: state and timers come back together.
    c.failures = vec![FailureTrigger::ProcessElementCall { call: 150 }];
    let mut cluster = MiniCluster::new(c).unwrap();
    let mut events = Milestones::default();
    cluster.run(RunLimit::records(250), &mut events);
    cluster.restore(None, 3, &mut events).unwrap();
    cluster.run(RunLimit::steps(10_000_000), &mut events);
    assert_eq!(cluster.status(), JobStatus::Finished);
    assert_eq!(cluster.parallelism(), 3);
    check_sessions(&cluster, &keys, &events);
    let latest = cluster.coordinator().store().latest().unwrap();
    assert!(
        latest.timers.iter().any(|t| !t.is_empty()),
        "checkpoints hold timers"
    );
}

#[test]
fn the_wasm_parity_configs_run_each_function_through_a_failure() {
    // tools/wasm-check.sh runs each of these in wasm and natively and compares the fingerprints.
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/functions");
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(id) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".parity.json"))
        else {
            continue;
        };
        let config: JobConfig =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(config.function.id(), id);
        let mut cluster = MiniCluster::new(config).unwrap();
        cluster.run(RunLimit::steps(10_000_000), &mut Milestones::default());
        assert_eq!(cluster.status(), JobStatus::Finished, "{id}");
        assert_eq!(cluster.counters().restarts, 1, "{id}");
        seen.push(cluster.config().function);
    }
    seen.sort_by_key(|f| f.id());
    let mut all: Vec<JobFunction> = JobFunction::ALL
        .into_iter()
        .filter(|f| !f.is_counter())
        .collect();
    all.sort_by_key(|f| f.id());
    assert_eq!(
        seen, all,
        "one parity config per function beyond the counter"
    );
}

/// Every timer that fires is reported (`EngineEvent::TimerFired`, per record: not on the fast path) with its
/// key, key group, subtask and time, and what `onTimer` emitted: exactly the sink's records of the sessions it
/// closed, in order; the others are timers of events the session went on after.
#[test]
fn every_fired_timer_is_reported_with_what_on_timer_emitted() {
    let mut config = golden_config(JobFunction::Session);
    config.failures.clear();
    config.script.clear();
    let mut cluster = MiniCluster::new(config.clone()).unwrap();
    let mut events: Vec<(u64, EngineEvent)> = Vec::new();
    cluster.run(RunLimit::steps(10_000_000), &mut events);
    assert_eq!(cluster.status(), JobStatus::Finished);
    let fired: Vec<_> = events
        .iter()
        .filter_map(|(at, e)| match e {
            EngineEvent::TimerFired {
                subtask,
                key,
                key_group,
                timestamp,
                emitted,
            } => Some((*at, *subtask, *key, *key_group, *timestamp, *emitted)),
            _ => None,
        })
        .collect();
    assert_eq!(fired.len() as u64, cluster.counters().timers_fired);
    for &(at, _, key, key_group, timestamp, _) in &fired {
        assert_eq!(key_group, cluster.key_group_of(key));
        assert!(timestamp * 1_000_000 <= at as i64, "a timer fires once due");
    }
    let emitted: Vec<_> = fired
        .iter()
        .filter_map(|&(at, subtask, key, _, timestamp, emitted)| {
            emitted.map(|count| (key, count, subtask, EventRef::Timer(timestamp as u64), at))
        })
        .collect();
    assert!(emitted.len() > 10, "sessions closed: {}", emitted.len());
    assert!(
        fired.len() > emitted.len(),
        "and timers of extended sessions fired"
    );
    assert_eq!(emitted.len() as u64, cluster.sink().written());
    let recent: Vec<_> = cluster
        .sink()
        .recent()
        .map(|r| (r.key, r.count, r.subtask, r.event, r.time))
        .collect();
    assert!(!recent.is_empty());
    assert_eq!(recent[..], emitted[emitted.len() - recent.len()..]);
    // Not built on the fast path.
    let mut fast = MiniCluster::new(config).unwrap();
    let mut milestones = Milestones::default();
    fast.run(RunLimit::steps(10_000_000), &mut milestones);
    assert_eq!(
        fast.counters().timers_fired,
        cluster.counters().timers_fired
    );
    assert!(!milestones
        .0
        .iter()
        .any(|e| matches!(e, EngineEvent::TimerFired { .. })));
}
