//! Why the engine refused a command or a configuration: every refusal as a typed value, worded by `src/i18n`.

use crate::engine::checkpoint::checkpoint_blob::BlobError;
use crate::engine::checkpoint::checkpoint_coordinator::TriggerError;
use crate::engine::checkpoint::checkpoints::SavepointRestoreError;
use crate::engine::checkpoint::state_assignment_operation::RestoreError;
use crate::engine::cluster::job_config_error::JobConfigError;
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::keys::key_registry::KeyError;
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Error)]
pub enum EngineError {
    #[error(transparent)]
    Config(#[from] JobConfigError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("'{text}' is not a valid {key_type} key")]
    BadKey {
        text: String,
        key_type: &'static str,
    },
    #[error("the job is {0:?}; it only accepts this while RUNNING")]
    NotRunning(JobStatus),
    #[error(transparent)]
    Trigger(#[from] TriggerError),
    #[error(transparent)]
    Restore(#[from] RestoreError),
    #[error("checkpoint interval must be between 1 ms and 24 h")]
    Interval,
    #[error("the source rate must be at most 1,000,000,000 events per second")]
    Rate,
    #[error(transparent)]
    Blob(#[from] BlobError),
    #[error(transparent)]
    Savepoint(#[from] SavepointRestoreError),
}
