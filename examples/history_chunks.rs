//! What time travel's recording costs a job, natively: a job preset (`session`, `counter`, …; the ids of the
//! settings' picker) on the benchmark job of `tests/e2e/bench.mjs` (10,000 uniform keys, parallelism 4, one
//! source, 100 ns per record) run through `RunHistory` in chunks of 2,000 steps, as the page runs it. Prints the
//! wall time per chunk (p50 / p95 / max) of the chunks that took a snapshot and of the others, what the
//! history holds at the end, and what time travel then costs: a seek to 20 places spread over the run, and one
//! record back from the head 20 times (each from where the one before went, as "←" pressed 20 times):
//!
//!     cargo run --release --example history_chunks -- session
use statelab::engine::cluster::engine_event::Milestones;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::history::run_history::RunHistory;
use std::time::Instant;

mod bench_job;

fn main() {
    let (id, config) = bench_job::job_from_args("session");
    let mut cluster = MiniCluster::new(config).expect("the benchmark job starts");
    let mut history = RunHistory::new(&cluster);
    let (mut plain, mut snapshot) = (Vec::new(), Vec::new());
    let mut events = Milestones::default();
    for _ in 0..3000 {
        let before: Vec<(u64, u64)> = history.snapshots().collect();
        let t = Instant::now();
        history
            .run(&mut cluster, RunLimit::steps(2000), &mut events)
            .expect("the job runs");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let took = history.snapshots().last() != before.last().copied();
        let chunks = if took { &mut snapshot } else { &mut plain };
        chunks.push(ms);
    }
    for (name, times) in [("without a snapshot", plain), ("with a snapshot", snapshot)] {
        let [p50, p95, max] = bench_job::percentiles(&times);
        println!(
            "{id}: {} chunks {name}: p50 {p50:.2} ms, p95 {p95:.2} ms, max {max:.2} ms",
            times.len()
        );
    }
    let summary = |times: &[f64]| {
        let [p50, p95, max] = bench_job::percentiles(times);
        format!("p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms")
    };
    let head = history.head();
    let seeks: Vec<f64> = (0..20)
        .map(|i| {
            let records = head.records * (2 * i + 1) / 40;
            let t = Instant::now();
            history.seek_records(records).expect("a record of the run");
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    println!("{id}: a seek to 20 places of the run: {}", summary(&seeks));
    let mut back = Vec::new();
    let mut records = head.records;
    for _ in 0..20 {
        records -= 1;
        let t = Instant::now();
        history.seek_records(records).expect("a record of the run");
        back.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "{id}: one record back from the head, 20 times: {}",
        summary(&back)
    );
    println!(
        "{id}: {} steps, {} snapshots counted at {:.1} MiB",
        cluster.counters().steps,
        history.snapshot_count(),
        history.snapshot_bytes() as f64 / (1 << 20) as f64
    );
}
