//! The page's animation frames at maximum speed, natively: a job preset (`counter`, `session`, …; the ids of the
//! settings' picker) on the benchmark job of `tests/e2e/bench.mjs` (10,000 uniform keys, parallelism 4, one
//! source, 100 ns per record) driven through `Simulation` frame by frame with a 6 ms engine budget, as the page
//! drives it. Prints the wall time per frame (p50 / p95 / max) and the frames that overran 12 ms — where the
//! engine overruns its budget, to profile natively (`perf record target/release/examples/frame_budget session`):
//!
//!     cargo run --release --example frame_budget -- session
use statelab::player::simulation::{JobStart, Simulation, SimulationAction};
use statelab::player::speeds::MAX_SPEED;
use std::time::Instant;

mod bench_job;

fn main() {
    let (id, config) = bench_job::job_from_args("counter");
    let start = JobStart {
        id: "0".into(),
        started_at_ms: 0.0,
    };
    let mut sim = Simulation::new(config, start).expect("the benchmark job starts");
    sim.reduce(SimulationAction::SetSpeed(MAX_SPEED))
        .expect("a speed");
    sim.reduce(SimulationAction::Play).expect("play");
    let t0 = Instant::now();
    let clock = || t0.elapsed().as_secs_f64() * 1000.0;
    let mut frames = Vec::new();
    for _ in 0..300 {
        let frame = Instant::now();
        sim.reduce(SimulationAction::Frame {
            wall_dt_ms: 16.7,
            budget_ms: 6.0,
            clock: &clock,
        })
        .expect("a frame");
        frames.push(frame.elapsed().as_secs_f64() * 1000.0);
    }
    let [p50, p95, max] = bench_job::percentiles(&frames);
    println!("{id}: frame p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms");
    let over: Vec<String> = (0..frames.len())
        .filter(|&i| frames[i] > 12.0)
        .map(|i| format!("{i}: {:.0}", frames[i]))
        .collect();
    println!("over 12 ms: {}", over.join(", "));
}
