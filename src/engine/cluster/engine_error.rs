//! Why the engine refused a command or a configuration: every refusal as a typed value, worded by `src/i18n`.

use crate::engine::checkpoint::checkpoint_blob::BlobError;
use crate::engine::checkpoint::checkpoint_coordinator::TriggerError;
use crate::engine::checkpoint::checkpoints::SavepointRestoreError;
use crate::engine::checkpoint::state_assignment_operation::RestoreError;
use crate::engine::cluster::job_config_error::JobConfigError;
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::keys::key_registry::KeyError;

#[derive(Clone, Debug, PartialEq)]
pub enum EngineError {
    Config(JobConfigError),
    Key(KeyError),
    BadKey {
        text: String,
        key_type: &'static str,
    },
    NotRunning(JobStatus),
    Trigger(TriggerError),
    Restore(RestoreError),
    Interval,
    Rate,
    Blob(BlobError),
    Savepoint(SavepointRestoreError),
}

crate::i18n::english_error!(EngineError => crate::i18n::messages::errors::engine);

crate::engine::error_from!(EngineError {
    Config(JobConfigError),
    Key(KeyError),
    Trigger(TriggerError),
    Restore(RestoreError),
    Blob(BlobError),
    Savepoint(SavepointRestoreError),
});
