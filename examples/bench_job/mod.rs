//! What the native benchmark examples share (`frame_budget`, `history_chunks`): the benchmark job of
//! `tests/e2e/bench.mjs` for the job preset named on the command line, and the percentiles they print.
use statelab::engine::cluster::job_config::JobConfig;
use statelab::engine::functions::job_function::JobFunction;

/// The preset named by the first argument (`default` without one; its id as the settings' picker spells it) on
/// the benchmark job: 10,000 uniform keys, parallelism 4, one source at 1 M events/s, 100 ns per record. Exits
/// with status 2 on an unknown preset.
pub fn job_from_args(default: &str) -> (String, JobConfig) {
    let id = std::env::args().nth(1).unwrap_or_else(|| default.into());
    let Some(function) = JobFunction::from_id(&id) else {
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
    (id, config)
}

/// p50, p95 and max of `times` (ms); zeros for none.
pub fn percentiles(times: &[f64]) -> [f64; 3] {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let last = sorted.len().saturating_sub(1);
        sorted
            .get(((q * sorted.len() as f64) as usize).min(last))
            .copied()
            .unwrap_or(0.0)
    };
    [at(0.5), at(0.95), at(1.0)]
}
