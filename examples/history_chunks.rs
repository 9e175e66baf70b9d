//! What time travel's recording costs a job, natively: a job preset (`session`, `counter`, …; the ids of the
//! settings' picker) on the benchmark job of `tests/e2e/bench.mjs` (10,000 uniform keys, parallelism 4, one
//! source, 100 ns per record) run through `RunHistory` in chunks of 2,000 steps, as the page runs it. Prints the
//! wall time per chunk (p50 / p95 / max) of the chunks that took a snapshot and of the others, what the
//! history holds at the end, and what time travel then costs: a seek to 20 places spread over the run, and one
//! record back from the head 20 times (each from where the one before went, as "←" pressed 20 times):
//!
//!     cargo run --release --example history_chunks -- session
use statelab::engine::cluster::engine_event::Milestones;
use statelab::engine::cluster::job_config::JobConfig;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::functions::job_function::JobFunction;
use statelab::engine::history::run_history::RunHistory;
use std::time::Instant;

fn main() {
    let id = std::env::args().nth(1).unwrap_or_else(|| "session".into());
    let Some(function) = JobFunction::ALL.iter().copied().find(|f| f.id() == id) else {
        eprintln!("unknown function '{id}'");
        std::process::exit(2);
    };
    let mut config = JobConfig {
        function,
        parallelism: 4,
        ..JobConfig::default()
    };
    config.source.key_count = 10_000;
    config.source.rate = 1_000_000;
    config.network.processing_time_ns = 100;
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
    for (name, mut times) in [("without a snapshot", plain), ("with a snapshot", snapshot)] {
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((q * times.len() as f64) as usize).min(times.len() - 1)];
        println!(
            "{id}: {} chunks {name}: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
            times.len(),
            at(0.5),
            at(0.95),
            at(1.0)
        );
    }
    let summary = |times: &mut Vec<f64>| {
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((q * times.len() as f64) as usize).min(times.len() - 1)];
        format!(
            "p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            at(0.5),
            at(0.95),
            at(1.0)
        )
    };
    let head = history.head();
    let mut seeks: Vec<f64> = (0..20)
        .map(|i| {
            let records = head.records * (2 * i + 1) / 40;
            let t = Instant::now();
            history.seek_records(records).expect("a record of the run");
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    println!(
        "{id}: a seek to 20 places of the run: {}",
        summary(&mut seeks)
    );
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
        summary(&mut back)
    );
    println!(
        "{id}: {} steps, {} snapshots counted at {:.1} MiB",
        cluster.counters().steps,
        history.snapshot_count(),
        history.snapshot_bytes() as f64 / (1 << 20) as f64
    );
}
