//! What the `flink_savepoint` fuzz target does with one input; `tests/flink_savepoint_reader.rs` replays the
//! committed corpus (`fuzz/corpus/flink_savepoint`) through the same code. An input is a `.zip` of a snapshot
//! directory (the page's and `statelab inspect x.zip`'s path) or, when it is not one, a `_metadata` file alone
//! (its state inline, or missing). Whatever it holds, reading it must give a value or a typed error — any panic
//! is a bug — and what is read must hold together: every entry of a subtask in that subtask's key groups, the dump
//! one line of JSON per entry, every error worded in both languages. Then the path of `statelab run --restore`:
//! the counter job started from it (a typed refusal, or a job that runs), and the savepoint that job writes read
//! back with the counts it holds.

use statelab::engine::savepoint::savepoint_reader::{read_savepoint, InMemoryFiles};
use statelab::engine::savepoint::zip_archive::is_zip;
use statelab::i18n::messages::savepoint::error;
use statelab::i18n::Lang;

pub fn exercise(data: &[u8]) {
    let files = if is_zip(data) {
        InMemoryFiles::from_zip(data)
    } else {
        InMemoryFiles::new(vec![("_metadata".to_owned(), data.to_vec())])
    };
    let savepoint = match files.and_then(|f| read_savepoint(&f, &["event-counter-op".to_owned()])) {
        Ok(s) => s,
        Err(e) => {
            assert!(!error(&e, Lang::En).is_empty() && !error(&e, Lang::Zh).is_empty());
            return;
        }
    };
    for (op, view) in savepoint
        .metadata
        .operators
        .iter()
        .zip(&savepoint.operators)
    {
        for keyed in &view.keyed {
            match &keyed.state {
                Ok(state) => {
                    let subtask = op
                        .subtasks
                        .iter()
                        .find(|s| s.index == keyed.subtask)
                        .unwrap();
                    let range = subtask
                        .managed_keyed_state
                        .as_ref()
                        .unwrap()
                        .key_group_range;
                    for e in &state.entries {
                        assert!(
                            range.start_key_group() <= e.key_group
                                && e.key_group <= range.end_key_group()
                        );
                        assert!(e.state < state.proxy.states.len());
                    }
                }
                Err(e) => assert!(!error(e, Lang::Zh).is_empty()),
            }
        }
    }
    let entries: usize = savepoint
        .operators
        .iter()
        .flat_map(|o| &o.keyed)
        .filter_map(|k| k.state.as_ref().ok())
        .map(|s| s.entries.len())
        .sum();
    let lines = savepoint.dump_lines();
    assert_eq!(lines.len(), entries);
    for line in lines {
        assert!(line.starts_with("{\"operator\":") && line.ends_with('}') && !line.contains('\n'));
    }
    restore_and_write_back(&savepoint);
}

/// `statelab run --restore SNAPSHOT --savepoint-out DIR`, in memory: a small counter job started from the snapshot
/// runs to its end, writes a savepoint, and that savepoint reads back with the job's counts.
fn restore_and_write_back(savepoint: &statelab::engine::savepoint::savepoint_reader::Savepoint) {
    use statelab::engine::cluster::engine_event::Milestones;
    use statelab::engine::cluster::job_config::JobConfig;
    use statelab::engine::cluster::mini_cluster::MiniCluster;
    use statelab::engine::cluster::run_limit::RunLimit;
    let mut config = JobConfig::default();
    config.source.key_count = 20;
    config.source.max_events = Some(50);
    let started = MiniCluster::from_savepoint(
        savepoint,
        "event-counter-op",
        config,
        Some(2),
        &mut Milestones::default(),
    );
    let mut cluster = match started {
        Ok((cluster, _)) => cluster,
        Err(e) => {
            assert!(!statelab::i18n::messages::errors::engine(&e, Lang::Zh).is_empty());
            return;
        }
    };
    cluster.run(RunLimit::steps(200_000), &mut Milestones::default());
    let Ok(files) = cluster.savepoint("event-counter-op") else {
        return;
    };
    let written = InMemoryFiles::new(files).unwrap();
    let back = read_savepoint(&written, &["event-counter-op".to_owned()]).unwrap();
    let read: usize = back
        .operators
        .iter()
        .flat_map(|o| &o.keyed)
        .map(|k| k.state.as_ref().unwrap().entries.len())
        .sum();
    assert_eq!(read, cluster.counts().len());
}
