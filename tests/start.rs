//! What a newcomer meets: the job the page starts with shows a checkpoint and a map resize within a minute of
//! pressing Play at the default speed, and keeps the layout the page's views are drawn for.

use statelab::engine::cluster::engine_event::Milestones;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::memory::task_executor_memory::MemoryConfig;
use statelab::teaching::lessons;
use statelab::teaching::start::{default_job, DEFAULT_SPEED, FIRST_LESSON};

/// Simulated nanoseconds that a minute of wall time plays at the default speed.
const A_MINUTE_NS: u64 = (60.0 * DEFAULT_SPEED * 1e9) as u64;

#[test]
fn the_default_job_resizes_a_map_and_completes_a_periodic_checkpoint_within_a_minute() {
    let mut c = MiniCluster::new(default_job()).expect("a valid job");
    let mut r = Milestones::default();
    let (mut resized_at, mut checkpointed_at) = (None, None);
    while c.now() < A_MINUTE_NS && (resized_at.is_none() || checkpointed_at.is_none()) {
        assert!(c.run(RunLimit::steps(1), &mut r) > 0, "the job runs on");
        let resized = c
            .tasks()
            .iter()
            .flat_map(|t| t.counter_table().into_iter().flat_map(|t| t.maps()))
            .any(|m| m.stats().resizes > 0);
        if resized && resized_at.is_none() {
            resized_at = Some(c.now());
        }
        if c.counters().checkpoints_completed > 0 && checkpointed_at.is_none() {
            checkpointed_at = Some(c.now());
        }
    }
    let wall_s = |ns: Option<u64>| ns.map(|ns| ns as f64 / 1e9 / DEFAULT_SPEED);
    eprintln!(
        "at the default speed: first checkpoint after {:?} s, first resize after {:?} s",
        wall_s(checkpointed_at),
        wall_s(resized_at)
    );
    assert!(
        checkpointed_at.is_some(),
        "a periodic checkpoint within a minute"
    );
    assert!(resized_at.is_some(), "a map resize within a minute");
    // Both well inside the minute, not at its edge.
    assert!(wall_s(resized_at).unwrap() < 45.0);
    assert!(wall_s(checkpointed_at).unwrap() < 30.0);
}

#[test]
fn the_default_job_keeps_the_layout_the_page_is_drawn_for() {
    let c = MiniCluster::new(default_job()).expect("a valid job");
    assert_eq!((c.source_parallelism(), c.parallelism()), (2, 2));
    assert_eq!(c.max_parallelism(), 128);
    assert_eq!(c.config().memory, MemoryConfig::default());
    assert!(c.config().checkpointing.interval_ms.is_some());
    assert!(lessons::find(FIRST_LESSON).is_some());
}
