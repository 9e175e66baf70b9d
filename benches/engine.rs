//! Criterion benchmarks of the engine (native). Results and the command that produced them are recorded in
//! BENCHMARKS.md.
//!
//! * `job/*`: events per second through the whole job — source, keyBy routing, 4 keyed subtasks with their
//!   heap backends, sink — over 10,000 uniform keys, without checkpoints and with one every 100k events,
//!   on the fast path (no per-record reports).
//! * `state/*`: a checkpoint (synchronous + asynchronous phase) and a restore of 1,000,000 keys.
//! * `blob/*`: a checkpoint of 1,000,000 `"user-%06d"` keys encoded as a checkpoint blob, decoded back into
//!   a checkpoint, and a whole new job started from the blob.
//! * `time_travel/*`: the `job/` run with checkpoints, 1,000,000 events recorded in a `RunHistory` (default
//!   budget): recording it, seeking to random positions, one event back from the head, and a seek that also
//!   reports the events of the last 2,000 steps (the page's event log). `time_travel/*_1m_keys`: a run that
//!   builds 1,000,000 keys and counts each twice more, and one event back after another from its head as the
//!   page does it (the record before with the events of the steps replayed on the way, and a second replay for
//!   the last 4,000 steps' events only when those do not reach back that far).

#[cfg(not(target_arch = "wasm32"))]
mod bench_job;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::bench_job::{
        checkpointed_users, job, loaded, positions, recorded_1m_keys, recorded_run,
    };
    use criterion::{criterion_group, BatchSize, Criterion, Throughput};
    use statelab::engine::checkpoint::checkpoint_blob::BlobReader;
    use statelab::engine::cluster::engine_event::EngineEvent;
    use statelab::engine::cluster::engine_event::Milestones;
    use statelab::engine::cluster::mini_cluster::MiniCluster;
    use statelab::engine::cluster::run_limit::RunLimit;
    use statelab::engine::keys::key_registry::{KeyFormat, KeyRegistry};
    use statelab::engine::source::key_distribution::KeyDistribution;
    use std::time::Duration;

    fn job_throughput(c: &mut Criterion) {
        let mut group = c.benchmark_group("job");
        const BATCH: u64 = 100_000;
        group.throughput(Throughput::Elements(BATCH));
        group.measurement_time(Duration::from_secs(10));
        // 100k events at 1M events/s of simulated time = one checkpoint per 100 ms.
        for (name, interval) in [
            ("10k_keys_p4_no_checkpoints", None),
            ("10k_keys_p4_checkpoint_every_100k", Some(100)),
        ] {
            let mut cluster = job(interval, KeyDistribution::Uniform, 10_000);
            let mut events = Milestones::default();
            cluster.run(RunLimit::records(200_000), &mut events);
            group.bench_function(name, |b| {
                b.iter(|| {
                    events.0.clear();
                    cluster.run(RunLimit::records(BATCH), &mut events)
                })
            });
        }
        group.finish();
    }

    fn checkpoint_and_restore(c: &mut Criterion) {
        let mut group = c.benchmark_group("state");
        group.sample_size(10);
        group.throughput(Throughput::Elements(1_000_000));
        let base = loaded(KeyFormat::default());
        group.bench_function("checkpoint_1m_keys", |b| {
            b.iter_batched(
                || base.clone(),
                |mut cluster| {
                    cluster.trigger_checkpoint().expect("job running");
                    cluster.run(RunLimit::UNLIMITED, &mut Milestones::default());
                    assert_eq!(
                        cluster.coordinator().store().latest().map(|c| c.entries()),
                        Some(1_000_000)
                    );
                    cluster
                },
                BatchSize::LargeInput,
            )
        });
        let mut with_checkpoint = base.clone();
        with_checkpoint.trigger_checkpoint().expect("job running");
        with_checkpoint.run(RunLimit::UNLIMITED, &mut Milestones::default());
        group.bench_function("restore_1m_keys", |b| {
            b.iter_batched(
                || with_checkpoint.clone(),
                |mut cluster| {
                    cluster
                        .restore(None, 4, &mut Milestones::default())
                        .expect("checkpoint retained");
                    cluster
                },
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }

    fn blob(c: &mut Criterion) {
        let mut group = c.benchmark_group("blob");
        group.sample_size(10);
        group.throughput(Throughput::Elements(1_000_000));
        let (cluster, id) = checkpointed_users();
        let blob = cluster.checkpoint_blob(id).expect("retained");
        group.bench_function("encode_1m_keys", |b| {
            b.iter(|| cluster.checkpoint_blob(id).expect("retained"))
        });
        group.bench_function("decode_1m_keys", |b| {
            b.iter(|| {
                let reader = BlobReader::open(&blob).expect("valid blob");
                let mut keys = KeyRegistry::new(KeyFormat::padded_users());
                let checkpoint = reader.to_completed_checkpoint(&mut keys).expect("valid");
                assert_eq!(checkpoint.entries(), 1_000_000);
                checkpoint
            })
        });
        group.bench_function("start_job_from_blob_1m_keys", |b| {
            b.iter(|| {
                MiniCluster::from_blob(&blob, None, &mut Milestones::default()).expect("valid")
            })
        });
        group.finish();
    }

    fn time_travel(c: &mut Criterion) {
        let mut group = c.benchmark_group("time_travel");
        group.sample_size(10);
        group.throughput(Throughput::Elements(1_000_000));
        group.bench_function("record_1m_events", |b| b.iter(recorded_run));
        let (cluster, history) = recorded_run();
        let head = history.head();
        eprintln!(
            "time_travel: {} steps, {} records; {} snapshots every {} steps, ~{} MiB estimated",
            head.step,
            head.records,
            history.snapshot_count(),
            history.snapshot_interval(),
            history.snapshot_bytes() >> 20
        );
        group.sample_size(50);
        group.throughput(Throughput::Elements(1));
        let targets = positions(1_000, head.step);
        let mut next = targets.iter().cycle();
        group.bench_function("seek_random_position_1m_run", |b| {
            b.iter(|| {
                history
                    .seek(*next.next().expect("cycles"))
                    .expect("in range")
            })
        });
        group.bench_function("seek_records_back_one_event_from_head", |b| {
            b.iter(|| {
                let back = history
                    .seek_records(cluster.counters().records_processed - 1)
                    .expect("in range");
                assert_eq!(back.counters().records_processed, head.records - 1);
                back
            })
        });
        let mut next = targets.iter().cycle();
        group.bench_function("seek_random_position_with_2000_steps_of_events", |b| {
            b.iter(|| {
                let mut log: Vec<(u64, statelab::engine::cluster::engine_event::EngineEvent)> =
                    Vec::new();
                let cluster = history
                    .seek_reporting(*next.next().expect("cycles"), 2_000, &mut log)
                    .expect("in range");
                (cluster, log)
            })
        });
        group.finish();
    }

    fn time_travel_1m_keys(c: &mut Criterion) {
        let mut group = c.benchmark_group("time_travel");
        group.sample_size(10);
        group.throughput(Throughput::Elements(3_000_000));
        group.measurement_time(Duration::from_secs(40));
        group.bench_function("record_3m_events_1m_keys", |b| b.iter(recorded_1m_keys));
        let (cluster, history) = recorded_1m_keys();
        let head = history.head();
        eprintln!(
            "time_travel 1m keys: {} steps, {} records; {} snapshots (grid every {} steps, recent every {}), \
             ~{} MiB estimated",
            head.step,
            head.records,
            history.snapshot_count(),
            history.snapshot_interval(),
            history.recent_interval(),
            history.snapshot_bytes() >> 20
        );
        group.sample_size(50);
        group.throughput(Throughput::Elements(1));
        group.measurement_time(Duration::from_secs(10));
        // One press of "one event back" after another, from the head: what the page does for each (the record
        // before, with the events of the steps replayed on the way; a second replay for the event log's 4,000
        // steps only when those do not reach back that far).
        let mut records = cluster.counters().records_processed;
        group.bench_function("one_event_back_1m_keys", |b| {
            b.iter(|| {
                let mut log: Vec<(u64, EngineEvent)> = Vec::new();
                let (mut back, after) = history
                    .seek_records_reporting(records - 1, &mut log)
                    .expect("in range");
                let step = back.counters().steps;
                if after + 4_000 > step {
                    log.clear();
                    back = history
                        .seek_reporting(step, 4_000, &mut log)
                        .expect("in range");
                }
                records = back.counters().records_processed;
                (back, log)
            })
        });
        group.finish();
    }

    criterion_group!(
        benches,
        job_throughput,
        checkpoint_and_restore,
        blob,
        time_travel,
        time_travel_1m_keys
    );
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
