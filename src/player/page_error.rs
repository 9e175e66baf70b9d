//! What goes wrong with what the reader does, as the page's error banner reports it: typed, with what failed.

use crate::engine::cluster::engine_error::EngineError;
use crate::engine::history::run_history::HistoryError;

/// What the page's error banner reports. Kept typed until it is shown (`crate::web` words it), so
/// that it reads in the page's language, and switches with it.
#[derive(Clone, Debug, PartialEq)]
pub enum PageError {
    /// A command the engine refused.
    Engine(EngineError),
    /// The checkpoint interval typed is not a whole number of milliseconds.
    IntervalNotANumber(String),
    /// The running job's completed checkpoint could not be written as a blob (larger than readers open), so it
    /// was not stored.
    NotStored {
        checkpoint_id: u64,
        cause: EngineError,
    },
    /// What the checkpoint library's worker said went wrong storing the job's checkpoint, in its words (it
    /// words in the page's language; a switch of language does not reword it).
    Said(String),
    /// Going back and forth in the run.
    History(HistoryError),
    /// The Chinese text (the language pack, fetched on switching to Chinese) did not load: the page stays in
    /// English.
    LanguagePack,
}

impl From<EngineError> for PageError {
    fn from(e: EngineError) -> Self {
        PageError::Engine(e)
    }
}

impl From<HistoryError> for PageError {
    fn from(e: HistoryError) -> Self {
        match e {
            HistoryError::Engine(e) => PageError::Engine(e),
            other => PageError::History(other),
        }
    }
}
