//! Criterion benchmarks of the engine (native). Results and the command that produced them are recorded in
//! BENCHMARKS.md.
//!
//! * `job/*`: events per second through the whole job — source, keyBy routing, 4 keyed subtasks with their
//!   heap backends, sink — over 10,000 uniform keys, without checkpoints and with one every 100k events,
//!   on the fast path (no per-record reports).
//! * `state/*`: a checkpoint (synchronous + asynchronous phase) and a restore of 1,000,000 keys.
//! * `blob/*`: a checkpoint of 1,000,000 `"user-%06d"` keys encoded as a checkpoint blob, decoded back into
//!   a checkpoint, and a whole new job started from the blob.

#[cfg(not(target_arch = "wasm32"))]
mod bench_job;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::bench_job::{checkpointed_users, job, loaded};
    use criterion::{criterion_group, BatchSize, Criterion, Throughput};
    use statelab::engine::checkpoint_blob::BlobReader;
    use statelab::engine::engine_event::Milestones;
    use statelab::engine::key_distribution::KeyDistribution;
    use statelab::engine::key_registry::{KeyFormat, KeyRegistry};
    use statelab::engine::mini_cluster::{MiniCluster, RunLimit};
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

    criterion_group!(benches, job_throughput, checkpoint_and_restore, blob);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
