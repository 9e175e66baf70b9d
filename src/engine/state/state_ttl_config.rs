//! `StateTtlConfig` — time-to-live of a state's values (`StateDescriptor.enableTimeToLive`), as Flink 2.3
//! builds it: `StateTtlConfig.newBuilder(ttl)` with `OnCreateAndWrite`, `NeverReturnExpired`, processing time,
//! and cleanup in background — on the heap backend the incremental cleanup with its defaults (5 entries per
//! state access, not for every record). A full-snapshot cleanup can be added (`cleanupFullSnapshot()`).

/// `StateTtlConfig.UpdateType`: which accesses renew a value's timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateType {
    /// `Disabled`: the value never expires (TTL is off).
    Disabled,
    /// `OnCreateAndWrite` (default): writes renew it.
    OnCreateAndWrite,
    /// `OnReadAndWrite`: reads renew it too (a read of an unexpired value writes it back with the new time).
    OnReadAndWrite,
}

/// `StateTtlConfig.StateVisibility`: what a read of an expired value that is still stored returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateVisibility {
    /// `ReturnExpiredIfNotCleanedUp`: the value (and it is cleared).
    ReturnExpiredIfNotCleanedUp,
    /// `NeverReturnExpired` (default): `null` (and it is cleared).
    NeverReturnExpired,
}

/// `IncrementalCleanupStrategy`: on every access to the state, visit `cleanup_size` more entries of its table
/// and remove the expired ones; with `run_cleanup_for_every_record` also on every record the operator processes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IncrementalCleanup {
    pub cleanup_size: u32,
    pub run_cleanup_for_every_record: bool,
}

/// `DEFAULT_INCREMENTAL_CLEANUP_STRATEGY`: 5 entries, not per record.
pub const DEFAULT_INCREMENTAL_CLEANUP: IncrementalCleanup = IncrementalCleanup {
    cleanup_size: 5,
    run_cleanup_for_every_record: false,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateTtlConfig {
    /// `ttl` in ms.
    pub ttl_ms: i64,
    pub update_type: UpdateType,
    pub state_visibility: StateVisibility,
    /// The heap backend's background cleanup (`None` after `disableCleanupInBackground()`).
    pub incremental_cleanup: Option<IncrementalCleanup>,
    /// `cleanupFullSnapshot()`: expired values are left out of full snapshots.
    pub cleanup_full_snapshot: bool,
}

impl StateTtlConfig {
    /// `StateTtlConfig.newBuilder(Duration.ofMillis(ttl_ms)).build()`.
    pub const fn new_builder(ttl_ms: i64) -> Self {
        StateTtlConfig {
            ttl_ms,
            update_type: UpdateType::OnCreateAndWrite,
            state_visibility: StateVisibility::NeverReturnExpired,
            incremental_cleanup: Some(DEFAULT_INCREMENTAL_CLEANUP),
            cleanup_full_snapshot: false,
        }
    }

    /// `setUpdateType`.
    pub const fn update_type(mut self, update_type: UpdateType) -> Self {
        self.update_type = update_type;
        self
    }

    /// `setStateVisibility`.
    pub const fn state_visibility(mut self, visibility: StateVisibility) -> Self {
        self.state_visibility = visibility;
        self
    }

    /// `cleanupIncrementally(cleanupSize, runCleanupForEveryRecord)`.
    pub const fn cleanup_incrementally(mut self, cleanup_size: u32, every_record: bool) -> Self {
        self.incremental_cleanup = Some(IncrementalCleanup {
            cleanup_size,
            run_cleanup_for_every_record: every_record,
        });
        self
    }

    /// `disableCleanupInBackground()`: expired values go only when read.
    pub const fn disable_cleanup_in_background(mut self) -> Self {
        self.incremental_cleanup = None;
        self
    }

    /// `cleanupFullSnapshot()`.
    pub const fn cleanup_full_snapshot(mut self) -> Self {
        self.cleanup_full_snapshot = true;
        self
    }

    /// `isEnabled()`: TTL is on unless the update type is `Disabled`.
    pub const fn is_enabled(&self) -> bool {
        !matches!(self.update_type, UpdateType::Disabled)
    }
}
