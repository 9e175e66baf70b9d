//! The engine built for wasm32 and driven from Node.js (`tools/wasm-bench.mjs`): the job-throughput,
//! checkpoint/restore, blob and time-travel benchmarks of `benches/engine.rs`, and a fingerprint of a fixed run
//! so the test suite can check that wasm and native runs are identical. Natively this example is empty.

#[cfg(target_arch = "wasm32")]
#[path = "../benches/bench_job.rs"]
mod bench_job;

#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::bench_job::{
        checkpointed_users, job, loaded, positions, recorded_1m_keys, recorded_run,
    };
    use statelab::engine::checkpoint::checkpoint_blob::BlobReader;
    use statelab::engine::cluster::engine_event::EngineEvent;
    use statelab::engine::cluster::engine_event::Milestones;
    use statelab::engine::cluster::job_config::JobConfig;
    use statelab::engine::cluster::mini_cluster::MiniCluster;
    use statelab::engine::cluster::run_limit::RunLimit;
    use statelab::engine::history::run_history::RunHistory;
    use statelab::engine::keys::key_registry::{KeyFormat, KeyRegistry};
    use statelab::engine::source::key_distribution::KeyDistribution;
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
            StateBench {
                cluster: loaded(KeyFormat::default()),
            }
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

    /// A checkpoint of 1,000,000 `"user-%06d"` keys, to encode and decode as a blob.
    #[wasm_bindgen]
    pub struct BlobBench {
        cluster: MiniCluster,
        checkpoint_id: u64,
        blob: Vec<u8>,
    }

    #[wasm_bindgen]
    impl BlobBench {
        #[wasm_bindgen(constructor)]
        pub fn new() -> BlobBench {
            let (cluster, checkpoint_id) = checkpointed_users();
            BlobBench {
                cluster,
                checkpoint_id,
                blob: Vec::new(),
            }
        }

        /// Encodes the checkpoint; returns the blob's size in bytes.
        pub fn encode(&mut self) -> u32 {
            self.blob = self
                .cluster
                .checkpoint_blob(self.checkpoint_id)
                .expect("retained");
            self.blob.len() as u32
        }

        /// Opens the last encoded blob and decodes it into a checkpoint; returns its entries.
        pub fn decode(&self) -> Result<u32, JsError> {
            let reader = BlobReader::open(&self.blob)?;
            let mut keys = KeyRegistry::new(KeyFormat::padded_users());
            Ok(reader.to_completed_checkpoint(&mut keys)?.entries() as u32)
        }

        /// Starts a new job from the last encoded blob (decode plus restore into the heap backends).
        pub fn start_job(&self) -> Result<u32, JsError> {
            let cluster = MiniCluster::from_blob(&self.blob, None, &mut Milestones::default())?;
            Ok(cluster.counts().len() as u32)
        }
    }

    /// The 1,000,000-event run of `time_travel/*` recorded in a `RunHistory`, to scrub.
    #[wasm_bindgen]
    pub struct TimeTravelBench {
        cluster: MiniCluster,
        history: RunHistory,
        targets: Vec<u64>,
        next: usize,
    }

    #[wasm_bindgen]
    impl TimeTravelBench {
        /// Records the run (the constructor's time is the recording's).
        #[wasm_bindgen(constructor)]
        pub fn new() -> TimeTravelBench {
            let (cluster, history) = recorded_run();
            let targets = positions(1_000, history.head().step);
            TimeTravelBench {
                cluster,
                history,
                targets,
                next: 0,
            }
        }

        /// Seeks to the next of the benchmark's pseudo-random positions; returns the records processed there.
        pub fn seek_random(&mut self) -> f64 {
            let step = self.targets[self.next % self.targets.len()];
            self.next += 1;
            let cluster = self.history.seek(step).expect("in range");
            cluster.counters().records_processed as f64
        }

        /// One event back from the head; returns the records processed there.
        pub fn back_one_event(&self) -> f64 {
            let records = self.cluster.counters().records_processed - 1;
            let cluster = self.history.seek_records(records).expect("in range");
            cluster.counters().records_processed as f64
        }

        pub fn head_steps(&self) -> f64 {
            self.history.head().step as f64
        }

        pub fn snapshots(&self) -> u32 {
            self.history.snapshot_count() as u32
        }

        pub fn snapshot_interval(&self) -> f64 {
            self.history.snapshot_interval() as f64
        }

        /// Estimated bytes of all snapshots.
        pub fn snapshot_bytes(&self) -> f64 {
            self.history.snapshot_bytes() as f64
        }
    }

    /// The run of `time_travel/*_1m_keys`: 1,000,000 keys built and counted twice more, recorded in a
    /// `RunHistory`, to step back through.
    #[wasm_bindgen]
    pub struct StepBack1mKeysBench {
        history: RunHistory,
        records: u64,
    }

    #[wasm_bindgen]
    impl StepBack1mKeysBench {
        /// Records the run (the constructor's time is the recording's).
        #[wasm_bindgen(constructor)]
        pub fn new() -> StepBack1mKeysBench {
            let (cluster, history) = recorded_1m_keys();
            StepBack1mKeysBench {
                records: cluster.counters().records_processed,
                history,
            }
        }

        /// One event back from where the previous press left (the head at first), as the page does it: the
        /// record before with the events of the steps replayed on the way, and a second replay for the last
        /// 4,000 steps' events only when those do not reach back that far. Returns the records processed there.
        pub fn back_one_event(&mut self) -> f64 {
            let mut log: Vec<(u64, EngineEvent)> = Vec::new();
            let (mut back, after) = self
                .history
                .seek_records_reporting(self.records - 1, &mut log)
                .expect("in range");
            let step = back.counters().steps;
            if after + 4_000 > step {
                log.clear();
                back = self
                    .history
                    .seek_reporting(step, 4_000, &mut log)
                    .expect("in range");
            }
            self.records = back.counters().records_processed;
            self.records as f64
        }

        pub fn snapshots(&self) -> u32 {
            self.history.snapshot_count() as u32
        }

        pub fn recent_interval(&self) -> f64 {
            self.history.recent_interval() as f64
        }

        /// Estimated bytes of all snapshots.
        pub fn snapshot_bytes(&self) -> f64 {
            self.history.snapshot_bytes() as f64
        }
    }

    /// The scenario presets' ids, one per line.
    #[wasm_bindgen]
    pub fn scenario_ids() -> String {
        statelab::teaching::presets::scenarios()
            .map(|s| s.id)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Runs a scenario preset to its end and returns its trace, which must equal the native golden trace.
    #[wasm_bindgen]
    pub fn scenario_trace(id: &str) -> Result<String, JsError> {
        let preset = statelab::teaching::presets::find_scenario(id)
            .ok_or_else(|| JsError::new(&format!("no scenario {id}")))?;
        let cluster = preset.run(&mut Milestones::default())?;
        Ok(statelab::engine::history::golden_trace::trace(&cluster))
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
        Ok(statelab::engine::history::fingerprint::fingerprint(
            &cluster,
        ))
    }
}
