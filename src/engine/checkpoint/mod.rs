//! Checkpointing — `org.apache.flink.runtime.checkpoint` (coordinator, failure manager, completed checkpoints,
//! state assignment on restore), `streaming.runtime.io.checkpointing` (barriers and their alignment) and
//! StateLab's checkpoint blob with its defensive reader.

pub mod blob_error;
pub mod blob_parts;
pub mod checkpoint_barrier;
pub mod checkpoint_barrier_handler;
pub mod checkpoint_blob;
pub mod checkpoint_coordinator;
pub mod checkpoint_failure_manager;
pub mod checkpoint_failure_reason;
pub mod checkpoints;
pub mod completed_checkpoint;
pub mod decimal;
pub mod json;
pub mod key_list;
pub mod metadata_v1;
pub mod metadata_v2;
pub mod state_assignment_operation;
