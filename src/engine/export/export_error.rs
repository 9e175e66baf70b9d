//! Why a job could not be exported as a Flink program, as typed values with the numbers that failed. The English
//! below is what the CLI prints; `src/i18n/messages/export.rs` words every variant in both languages.

use crate::engine::cluster::job_config_error::JobConfigError;

#[derive(Clone, Debug, PartialEq)]
pub enum ExportError {
    Config(JobConfigError),
    NoRate,
    KeyCountBeyondLong(u64),
    EventsBeyondLong(u64),
    ReplayKeyLineBreak {
        index: usize,
    },
    /// The job runs another function than the counter, which is the one exported so far.
    Function {
        function: &'static str,
    },
}

crate::i18n::english_error!(ExportError => crate::i18n::messages::export::error);
