//! Why a job could not be exported as a Flink program, as typed values with the numbers that failed. The English
//! below is what the CLI prints; `src/i18n/messages/export.rs` words every variant in both languages.

use crate::engine::cluster::job_config_error::JobConfigError;
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Error)]
pub enum ExportError {
    #[error("the job configuration is not valid: {0}")]
    Config(JobConfigError),
    #[error(
        "the source emits nothing by itself (rate 0): give it a rate above 0 to export the job"
    )]
    NoRate,
    #[error("keyCount {0} does not fit a Java long: export at most 9223372036854775807 keys")]
    KeyCountBeyondLong(u64),
    #[error("maxEvents {0} does not fit a Java long: export at most 9223372036854775807 events")]
    EventsBeyondLong(u64),
    #[error(
        "replayed key #{index} holds a line break, which the exported key list (one key per line) cannot hold"
    )]
    ReplayKeyLineBreak { index: usize },
    /// The job runs another function than the counter, which is the one exported so far.
    #[error("the {function} job is not exported yet: only the counter job is")]
    Function { function: &'static str },
}
