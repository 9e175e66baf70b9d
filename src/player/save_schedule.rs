//! When the page hands the running job's completed checkpoints to the checkpoint library's worker to store —
//! the newest one the job completed since it last stored one, one write at a time, at most one per
//! [`SAVE_EVERY_MS`] of wall time while the job plays fast, and none while storage is closed or paused on a full
//! quota (as the worker says). Flink's `CheckpointCoordinator` hands every completed checkpoint to its
//! `CompletedCheckpointStore`; the page keeps up with a job that completes many per second by skipping some.

/// While the job plays fast, at most one checkpoint is stored per this many milliseconds of wall time.
pub const SAVE_EVERY_MS: f64 = 2_000.0;

#[derive(Clone, Debug, PartialEq)]
pub struct SaveSchedule {
    /// Whether the worker's storage is open.
    pub open: bool,
    /// Storing paused after the storage ran full, until something is deleted (here or in another tab).
    pub full: bool,
    /// The checkpoint handed over and not yet stored.
    pub saving: Option<u64>,
    /// When the last one was handed over (ms of wall time).
    pub last_save_ms: f64,
}

impl Default for SaveSchedule {
    fn default() -> Self {
        SaveSchedule {
            open: false,
            full: false,
            saving: None,
            last_save_ms: f64::NEG_INFINITY,
        }
    }
}

impl SaveSchedule {
    /// The checkpoint to store now, if any: the running job's newest completed checkpoint (`latest`) when it is
    /// newer than what this job stored (`stored_up_to`), unless storage is not open, a write is under way,
    /// storing is paused on a full quota, or the job plays fast and the last write was less than
    /// [`SAVE_EVERY_MS`] before `now_ms`.
    pub fn due(
        &self,
        latest: Option<u64>,
        stored_up_to: u64,
        plays_fast: bool,
        now_ms: f64,
    ) -> Option<u64> {
        if self.saving.is_some() || self.full || !self.open {
            return None;
        }
        let latest = latest.filter(|&id| id > stored_up_to)?;
        if plays_fast && now_ms - self.last_save_ms < SAVE_EVERY_MS {
            return None;
        }
        Some(latest)
    }

    /// A checkpoint handed over to be stored.
    pub fn started(&mut self, checkpoint_id: u64, at_ms: f64) {
        self.saving = Some(checkpoint_id);
        self.last_save_ms = at_ms;
    }

    /// The worker stored it, or said why not.
    pub fn done(&mut self) {
        self.saving = None;
    }

    /// Where the worker's storage stands.
    pub fn storage(&mut self, open: bool, full: bool) {
        (self.open, self.full) = (open, full);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_completed_checkpoint_is_due_once_storage_is_open() {
        let mut schedule = SaveSchedule::default();
        assert_eq!(schedule.due(Some(3), 0, false, 0.0), None, "not open");
        schedule.storage(true, false);
        assert_eq!(schedule.due(None, 0, false, 0.0), None, "no checkpoint");
        assert_eq!(schedule.due(Some(3), 3, false, 0.0), None, "stored already");
        assert_eq!(schedule.due(Some(3), 2, false, 0.0), Some(3));
        schedule.started(3, 1_000.0);
        assert_eq!(
            schedule.due(Some(4), 3, false, 1_001.0),
            None,
            "one write at a time"
        );
        schedule.done();
        assert_eq!(schedule.due(Some(4), 3, false, 1_001.0), Some(4));
        // Playing fast: at most one write per SAVE_EVERY_MS.
        assert_eq!(schedule.due(Some(4), 3, true, 1_001.0), None);
        assert_eq!(
            schedule.due(Some(4), 3, true, 1_000.0 + SAVE_EVERY_MS),
            Some(4)
        );
    }

    #[test]
    fn a_full_quota_pauses_storing_until_the_worker_says_there_is_room() {
        let mut schedule = SaveSchedule::default();
        schedule.storage(true, false);
        schedule.started(1, 0.0);
        schedule.done();
        schedule.storage(true, true);
        assert_eq!(schedule.due(Some(5), 1, false, 60_000.0), None);
        // Deleted here or in another tab: the worker says there may be room again.
        schedule.storage(true, false);
        assert_eq!(schedule.due(Some(5), 1, false, 60_000.0), Some(5));
        // Closed by another tab's upgrade: nothing is due until it opens again.
        schedule.storage(false, false);
        assert_eq!(schedule.due(Some(5), 1, false, 60_000.0), None);
    }
}
