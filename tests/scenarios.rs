//! The scenario presets: each matches its golden trace in `tests/data/scenarios/<id>.trace` (rewrite them with
//! `STATELAB_BLESS=1 cargo test --test scenarios` after a deliberate change, and review the diff), produces the
//! same trace however its run is chunked, and really shows what it is for.
#![cfg(not(target_arch = "wasm32"))]

use statelab::engine::cluster::engine_event::{
    EngineEvent, FailureCause, Milestones, RestoreReason,
};
use statelab::engine::cluster::job_config::{CheckpointingMode, JobConfig};
use statelab::engine::cluster::job_status::JobStatus;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::history::golden_trace::{occurrences, trace};
use statelab::engine::keys::key_group_range_assignment::{
    compute_operator_index_for_key_group, create_key_group_partitions,
};
use statelab::engine::source::key_distribution::KeyDistribution;
use statelab::i18n::Lang;
use statelab::teaching::presets;
use std::path::PathBuf;

fn golden_path(id: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/scenarios")
        .join(format!("{id}.trace"))
}

fn run(id: &str) -> MiniCluster {
    presets::find_scenario(id)
        .unwrap()
        .run(&mut Milestones::default())
        .unwrap()
}

/// Runs a job the way the page does: chunks of steps, of records and of simulated time (with the clock
/// advanced to the frame's time afterwards), some with per-record reports, until nothing is left to do.
fn run_in_chunks(config: JobConfig, salt: u64) -> MiniCluster {
    let mut cluster = MiniCluster::new(config).unwrap();
    let mut detailed: Vec<(u64, EngineEvent)> = Vec::new();
    let mut i = salt;
    while cluster.next_action_time() != u64::MAX {
        i += 1;
        let size = (i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52) + 1;
        match i % 4 {
            0 => {
                cluster.run(RunLimit::steps(size), &mut Milestones::default());
            }
            1 => {
                detailed.clear();
                cluster.run(RunLimit::records(size), &mut detailed);
            }
            2 => {
                let target = cluster.now() + size * 20_000;
                cluster.run(RunLimit::until(target), &mut Milestones::default());
                cluster.advance_clock(target);
            }
            _ => {
                cluster.step(&mut detailed);
            }
        }
    }
    cluster
}

#[test]
fn every_preset_matches_its_golden_trace() {
    let bless = std::env::var_os("STATELAB_BLESS").is_some_and(|v| v == "1");
    let mut mismatched = Vec::new();
    for s in presets::scenarios() {
        let got = trace(&run(s.id));
        let path = golden_path(s.id);
        if bless {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
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
        "scenario traces changed; if that is intended, rerun with STATELAB_BLESS=1 and review the diff:\n{}",
        mismatched.join("\n")
    );
}

#[test]
fn a_preset_gives_the_same_trace_however_its_run_is_chunked() {
    for s in presets::scenarios() {
        let headless = trace(&run(s.id));
        for salt in [0, 7] {
            let chunked = trace(&run_in_chunks(s.config(), salt));
            assert_eq!(chunked, headless, "{} chunked (salt {salt})", s.id);
        }
    }
}

#[test]
fn presets_have_stable_ids_valid_configs_and_survive_a_link() {
    let ids: Vec<&str> = presets::scenarios().map(|s| s.id).collect();
    assert_eq!(
        ids,
        [
            "hot-key",
            "oom",
            "failure-recovery",
            "at-least-once",
            "rescale-2-to-3",
            "checkpoint-timeout"
        ]
    );
    for s in presets::scenarios() {
        let config = s.config();
        config.validate().unwrap();
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(serde_json::from_str::<JobConfig>(&json).unwrap(), config);
        assert!(presets::find_scenario(s.id).is_some());
        let (title, description) =
            statelab::i18n::messages::scenarios::describe(s.id).expect("a title and a description");
        assert!(!title.en.is_empty() && !Lang::Zh.t(&description).is_empty());
    }
    assert!(presets::find_scenario("no-such-preset").is_none());
}

#[test]
fn presets_end_by_themselves_within_a_few_tens_of_thousands_of_records() {
    for s in presets::scenarios() {
        let cluster = run(s.id);
        assert_eq!(
            cluster.next_action_time(),
            u64::MAX,
            "{} still running",
            s.id
        );
        assert!(
            matches!(cluster.status(), JobStatus::Finished | JobStatus::Failed),
            "{}",
            s.id
        );
        let processed = cluster.counters().records_processed;
        assert!(
            (1_000..=200_000).contains(&processed),
            "{}: {processed}",
            s.id
        );
    }
}

#[test]
fn hot_key_overloads_one_subtask_backpressures_the_source_and_counts_exactly() {
    let s = presets::find_scenario("hot-key").unwrap();
    let mut events: Vec<EngineEvent> = Vec::new();
    let cluster = s.run(&mut events).unwrap();
    assert_eq!(cluster.status(), JobStatus::Finished);
    let expected = occurrences(&cluster).unwrap();
    let counts = cluster.counts();
    assert_eq!(counts.len(), expected.len());
    for (key, count) in &counts {
        assert_eq!(
            *count as u64,
            expected[key],
            "{}",
            cluster.keys().display(*key)
        );
    }
    let (hot, hot_count) = *counts.iter().max_by_key(|(_, c)| *c).unwrap();
    assert_eq!(cluster.keys().display(hot), "user-0");
    assert!(hot_count > 9_000, "{hot_count}");
    let owner = cluster
        .owner_of_key_group(cluster.key_group_of(hot))
        .index();
    let processed: Vec<u64> = cluster
        .tasks()
        .iter()
        .map(|t| t.records_processed())
        .collect();
    for (i, n) in processed.iter().enumerate() {
        if i != owner {
            assert!(processed[owner] > 3 * n, "{processed:?}");
        }
    }
    let backpressured = events
        .iter()
        .filter(|e| {
            matches!(e, EngineEvent::SourceBackpressured { subtask, .. } if subtask.index() == owner)
        })
        .count();
    assert!(
        backpressured > 0,
        "the hot subtask never backpressured the source"
    );
}

#[test]
fn oom_runs_out_of_heap_recovers_from_a_checkpoint_and_finally_fails() {
    let s = presets::find_scenario("oom").unwrap();
    assert_eq!(s.config().source.distribution, KeyDistribution::Sequential);
    let mut events = Milestones::default();
    let cluster = s.run(&mut events).unwrap();
    assert_eq!(cluster.status(), JobStatus::Failed);
    let ooms = cluster
        .exception_history()
        .filter(|e| matches!(e.cause, FailureCause::OutOfMemory { .. }))
        .count();
    assert!(ooms >= 2, "{ooms} OutOfMemoryErrors");
    assert_eq!(ooms, cluster.exception_history().len());
    let recoveries: Vec<Option<u64>> = events
        .0
        .iter()
        .filter_map(|e| match e {
            EngineEvent::JobRestored {
                checkpoint_id,
                reason: RestoreReason::Failover,
                entries,
                ..
            } if *entries > 0 => Some(*checkpoint_id),
            _ => None,
        })
        .collect();
    assert!(
        !recoveries.is_empty() && recoveries.iter().all(Option::is_some),
        "restarts restore a checkpoint: {recoveries:?}"
    );
    assert!(cluster.counters().restarts >= 1);
    // Local execution: both subtasks' state in one JVM, whose heap ran out every time.
    assert_eq!(cluster.task_managers().len(), 1);
    let heap = cluster.heap_usage_of(0);
    assert!(heap.peak > heap.limit);
    assert!(cluster.exception_history().all(|e| matches!(
        e.cause,
        FailureCause::OutOfMemory {
            task_manager: 0,
            ..
        }
    )));
}

#[test]
fn exactly_once_recovery_counts_exactly_despite_duplicates_in_the_sink() {
    let cluster = run("failure-recovery");
    assert_eq!(cluster.status(), JobStatus::Finished);
    assert_eq!(cluster.counters().restarts, 1);
    assert!(
        cluster.sink().duplicates() > 0,
        "the replay reaches the sink again"
    );
    assert_eq!(cluster.sink().duplicates_before_any_restore(), 0);
    assert_eq!(cluster.sink().gaps(), 0);
    let expected = occurrences(&cluster).unwrap();
    let counts = cluster.counts();
    assert_eq!(counts.len(), expected.len());
    for (key, count) in counts {
        assert_eq!(
            count as u64,
            expected[&key],
            "{}",
            cluster.keys().display(key)
        );
    }
}

#[test]
fn at_least_once_counts_some_keys_too_high_where_exactly_once_is_exact() {
    let exactly = presets::find_scenario("failure-recovery").unwrap();
    let at_least = presets::find_scenario("at-least-once").unwrap();
    let mut same_job = exactly.config();
    same_job.checkpointing.mode = CheckpointingMode::AtLeastOnce;
    assert_eq!(same_job, at_least.config(), "only the mode differs");

    let a = run(at_least.id);
    let e = run(exactly.id);
    assert_eq!(a.status(), JobStatus::Finished);
    let failure = |c: &MiniCluster| -> Vec<String> {
        c.exception_history().map(|x| x.cause.to_string()).collect()
    };
    assert_eq!(failure(&a), failure(&e), "the same failure point");
    assert_eq!(failure(&a).len(), 1);

    let expected = occurrences(&a).unwrap();
    assert_eq!(expected, occurrences(&e).unwrap(), "the same stream");
    let mut over = 0;
    for (key, count) in a.counts() {
        let n = expected[&key] as i64;
        assert!(count >= n, "at-least-once never loses a count");
        over += count - n;
    }
    assert!(over > 50, "only {over} extra counts");
    for (key, count) in e.counts() {
        assert_eq!(count as u64, expected[&key]);
    }
    assert_eq!(a.sink().gaps(), 0);
}

#[test]
fn rescale_ends_at_parallelism_3_with_the_key_groups_flink_assigns() {
    let cluster = run("rescale-2-to-3");
    assert_eq!(cluster.status(), JobStatus::Finished);
    assert_eq!(cluster.parallelism(), 3);
    assert_eq!(cluster.max_parallelism(), 128);
    assert_eq!(
        cluster.counters().restarts,
        0,
        "a rescale is not a failover"
    );
    let (scheduled, fired) = cluster.script().next().unwrap();
    assert!(fired, "{scheduled:?}");
    let ranges = create_key_group_partitions(128, 3).unwrap();
    for (task, range) in cluster.tasks().iter().zip(&ranges) {
        assert_eq!(task.backend().key_group_range(), *range);
        assert!(task.records_processed() > 0);
    }
    for (key, _) in cluster.counts() {
        let key_group = cluster.key_group_of(key);
        assert_eq!(
            cluster.owner_of_key_group(key_group),
            compute_operator_index_for_key_group(128, 3, key_group)
        );
    }
    let stats: Vec<usize> = cluster
        .coordinator()
        .history()
        .map(|s| s.subtasks.len())
        .collect();
    assert_eq!(&stats[..3], [2, 2, 2], "checkpoints 1-3 at parallelism 2");
    assert!(stats[3..].iter().all(|&p| p == 3), "then at 3: {stats:?}");
    let expected = occurrences(&cluster).unwrap();
    for (key, count) in cluster.counts() {
        assert_eq!(count as u64, expected[&key]);
    }
}

#[test]
fn checkpoint_timeout_fails_the_job_at_the_first_expiry_until_the_restart_strategy_gives_up() {
    use statelab::engine::checkpoint::checkpoint_coordinator::CheckpointStatus;
    use statelab::engine::checkpoint::checkpoint_failure_reason::CheckpointFailureReason;
    use statelab::engine::cluster::engine_event::FailureCause;
    let s = presets::find_scenario("checkpoint-timeout").unwrap();
    assert_eq!(s.config().checkpointing.tolerable_failed_checkpoints, 0);
    let cluster = run(s.id);
    assert_eq!(cluster.status(), JobStatus::Failed);
    let history: Vec<_> = cluster.coordinator().history().collect();
    // Checkpoints complete while the state is small, then one expires: every expiry failed the job.
    assert!(history
        .iter()
        .take(3)
        .all(|h| h.status == CheckpointStatus::Completed));
    let expired = history
        .iter()
        .filter(|h| {
            h.status == CheckpointStatus::Failed(CheckpointFailureReason::CheckpointExpired)
        })
        .count();
    let failures: Vec<_> = cluster.exception_history().collect();
    assert_eq!(expired, failures.len());
    assert_eq!(expired as u32, cluster.counters().restarts + 1);
    assert!(failures.iter().all(|f| f.cause
        == FailureCause::CheckpointFailures {
            reason: CheckpointFailureReason::CheckpointExpired
        }));
}
