//! What the `flink_savepoint` fuzz target does with one input; `tests/flink_savepoint_reader.rs` replays the
//! committed corpus (`fuzz/corpus/flink_savepoint`) through the same code. An input is a `.zip` of a snapshot
//! directory (the page's and `statelab inspect x.zip`'s path) or, when it is not one, a `_metadata` file alone
//! (its state inline, or missing). Whatever it holds, reading it must give a value or a typed error — any panic
//! is a bug — and what is read must hold together: every entry of a subtask in that subtask's key groups, the dump
//! one line of JSON per entry, every error worded in both languages.

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
}
