//! The engine built for wasm32 and driven from Node.js (`tools/wasm-bench.mjs`): the job-throughput and
//! checkpoint/restore benchmarks of `benches/engine.rs`, and a fingerprint of a fixed run so the test suite can
//! check that wasm and native runs are identical. Natively this example is empty.

#[cfg(target_arch = "wasm32")]
#[path = "../benches/bench_job.rs"]
mod bench_job;

#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::bench_job::job;
    use statelab::engine::engine_event::Milestones;
    use statelab::engine::job_config::JobConfig;
    use statelab::engine::key_distribution::KeyDistribution;
    use statelab::engine::mini_cluster::{MiniCluster, RunLimit};
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    pub struct JobBench {
        cluster: MiniCluster,
    }

    #[wasm_bindgen]
    impl JobBench {
        /// 10,000 uniform keys; `checkpoint_interval_ms` 0 disables checkpoints (100 = one per 100k events).
        #[wasm_bindgen(constructor)]
        pub fn new(checkpoint_interval_ms: u32) -> JobBench {
            let interval =
                (checkpoint_interval_ms > 0).then_some(u64::from(checkpoint_interval_ms));
            JobBench {
                cluster: job(interval, KeyDistribution::Uniform, 10_000),
            }
        }

        /// Processes `records` more records on the fast path.
        pub fn run(&mut self, records: u32) -> u32 {
            self.cluster.run(
                RunLimit::records(u64::from(records)),
                &mut Milestones::default(),
            );
            records
        }

        pub fn checkpoints(&self) -> u32 {
            self.cluster.counters().checkpoints_completed as u32
        }
    }

    #[wasm_bindgen]
    pub struct StateBench {
        cluster: MiniCluster,
    }

    #[wasm_bindgen]
    impl StateBench {
        /// A job holding 1,000,000 keys with its source paused.
        #[wasm_bindgen(constructor)]
        pub fn new() -> StateBench {
            let mut cluster = job(None, KeyDistribution::Sequential, 1_000_000);
            let mut events = Milestones::default();
            cluster.run(RunLimit::records(1_000_000), &mut events);
            cluster.set_source_rate(0).expect("valid rate");
            cluster.run(RunLimit::UNLIMITED, &mut events);
            StateBench { cluster }
        }

        /// Takes a checkpoint of all 1M keys; returns the entries it holds.
        pub fn checkpoint(&mut self) -> u32 {
            self.cluster.trigger_checkpoint().expect("job running");
            self.cluster
                .run(RunLimit::UNLIMITED, &mut Milestones::default());
            self.cluster
                .coordinator()
                .store()
                .latest()
                .map_or(0, |c| c.entries() as u32)
        }

        /// Restores the latest checkpoint into new subtasks.
        pub fn restore(&mut self) {
            self.cluster
                .restore(None, 4, &mut Milestones::default())
                .expect("checkpoint retained");
        }
    }

    /// Runs the job a `JobConfig` JSON document describes to its end (or `until_ms` of simulated time) and
    /// returns its fingerprint, the same `statelab run --config` prints natively.
    #[wasm_bindgen]
    pub fn fingerprint(config_json: &str, until_ms: f64) -> Result<String, JsError> {
        let config: JobConfig = serde_json::from_str(config_json)?;
        let mut cluster = MiniCluster::new(config)?;
        cluster.run(
            RunLimit::until((until_ms * 1e6) as u64),
            &mut Milestones::default(),
        );
        Ok(statelab::engine::fingerprint::fingerprint(&cluster))
    }
}
