//! `org.apache.flink.runtime.checkpoint.CheckpointFailureManager`: counts checkpoint failures in a row and fails
//! the job once more of them than `execution.checkpointing.tolerable-failed-checkpoints` allows (Flink 2.x's
//! default: 0, so the first expired checkpoint fails the job). Only the failures Flink counts are counted
//! ([`CheckpointFailureReason::counts_as_checkpoint_failure`]); a completed checkpoint newer than the last one
//! clears the count, as does failing the job. The job failure goes through the restart strategy like any other.
//!
//! Simplification: Flink remembers which checkpoint ids it counted, because one checkpoint can be declined by
//! several tasks; StateLab fails each checkpoint once, so the count alone says the same.

use crate::engine::checkpoint::checkpoint_failure_reason::CheckpointFailureReason;

/// `CheckpointFailureManager.UNLIMITED_TOLERABLE_FAILURE_NUMBER`: `Integer.MAX_VALUE` tolerates every failure.
pub const UNLIMITED_TOLERABLE_FAILURE_NUMBER: u32 = i32::MAX as u32;

/// `EXCEEDED_CHECKPOINT_TOLERABLE_FAILURE_MESSAGE`.
pub const EXCEEDED_CHECKPOINT_TOLERABLE_FAILURE_MESSAGE: &str =
    "Exceeded checkpoint tolerable failure threshold.";

#[derive(Clone, Copy, Debug)]
pub struct CheckpointFailureManager {
    tolerable: u32,
    continuous_failures: u32,
    last_succeeded: Option<u64>,
}

impl CheckpointFailureManager {
    pub fn new(tolerable: u32) -> Self {
        CheckpointFailureManager {
            tolerable,
            continuous_failures: 0,
            last_succeeded: None,
        }
    }

    /// Failures counted since the last success.
    pub fn continuous_failures(&self) -> u32 {
        self.continuous_failures
    }

    /// `handleCheckpointException` → `checkFailureAgainstCounter`: whether the job must fail now.
    pub fn failed(&mut self, checkpoint_id: u64, reason: CheckpointFailureReason) -> bool {
        if self.tolerable == UNLIMITED_TOLERABLE_FAILURE_NUMBER
            || self
                .last_succeeded
                .is_some_and(|last| checkpoint_id <= last)
        {
            return false;
        }
        if reason.counts_as_checkpoint_failure() {
            self.continuous_failures += 1;
        }
        if self.continuous_failures > self.tolerable {
            self.continuous_failures = 0;
            return true;
        }
        false
    }

    /// `handleCheckpointSuccess`.
    pub fn succeeded(&mut self, checkpoint_id: u64) {
        if self.last_succeeded.is_none_or(|last| checkpoint_id > last) {
            self.last_succeeded = Some(checkpoint_id);
            self.continuous_failures = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CheckpointFailureReason::*;

    #[test]
    fn by_default_the_first_expired_checkpoint_fails_the_job() {
        let mut m = CheckpointFailureManager::new(0);
        assert!(m.failed(1, CheckpointExpired));
    }

    #[test]
    fn failovers_and_the_end_of_the_job_are_not_counted() {
        let mut m = CheckpointFailureManager::new(0);
        for reason in [TaskFailure, JobFinished, JobStarted, JobRestored] {
            assert!(!m.failed(1, reason));
        }
        assert_eq!(m.continuous_failures(), 0);
    }

    #[test]
    fn failures_in_a_row_beyond_the_tolerable_number_fail_the_job_and_a_success_clears_them() {
        let mut m = CheckpointFailureManager::new(2);
        assert!(!m.failed(1, CheckpointExpired));
        assert!(!m.failed(2, CheckpointExpired));
        m.succeeded(3);
        assert!(!m.failed(4, CheckpointExpired));
        assert!(!m.failed(5, CheckpointExpired));
        assert!(m.failed(6, CheckpointExpired));
        // Failing the job cleared the count.
        assert_eq!(m.continuous_failures(), 0);
        // A failure of a checkpoint older than the last success is not counted.
        assert!(!m.failed(2, CheckpointExpired));
        assert_eq!(m.continuous_failures(), 0);
    }

    #[test]
    fn unlimited_tolerates_everything() {
        let mut m = CheckpointFailureManager::new(UNLIMITED_TOLERABLE_FAILURE_NUMBER);
        assert!((1..1000).all(|id| !m.failed(id, CheckpointExpired)));
    }
}
