//! What goes wrong with what the reader does, as the page's error banner reports it: typed, with what failed.

use super::library_error::LibraryError;
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
    /// Checkpoints in browser storage, files and links (boxed: the largest by far, and the rarest).
    Library(Box<LibraryError>),
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

impl From<LibraryError> for PageError {
    fn from(e: LibraryError) -> Self {
        PageError::Library(Box::new(e))
    }
}
