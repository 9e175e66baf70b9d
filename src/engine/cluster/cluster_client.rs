//! What a user does to the running job between steps — Flink's `ClusterClient` and REST API (`POST
//! /jobs/:id/checkpoints`, `flink run -s` at another parallelism) and what the page adds: a key typed into the
//! source, an exception thrown in `processElement`, the source rate, the checkpoint interval. Each [`JobCommand`]
//! lands in one of these methods of [`MiniCluster`]; [`MiniCluster::savepoint`] is `flink stop --savepointPath`
//! at a run's end.

use crate::engine::checkpoint::checkpoint_failure_reason::CheckpointFailureReason;
use crate::engine::checkpoint::state_assignment_operation::{assign, RestoreError};
use crate::engine::cluster::engine_error::EngineError;
use crate::engine::cluster::engine_event::InjectedFailure;
use crate::engine::cluster::engine_event::{
    FailureCause, Milestones, Report, Reporter, RestoreReason,
};
use crate::engine::cluster::job_command::JobCommand;
use crate::engine::cluster::job_config::{parse_key, MAX_JOB_PARALLELISM};
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::keys::java_key::JavaKey;
use crate::engine::keys::key_registry::KeyId;
use crate::engine::savepoint::savepoint_writer::{
    check_job, write_savepoint, CounterState, SavepointWriteError,
};
use crate::engine::tasks::subtask_index::SubtaskIndex;

use crate::engine::cluster::mini_cluster::MiniCluster;

impl MiniCluster {
    /// Applies a user's command (see [`JobCommand`] for what each does), reporting what it causes. A refused
    /// command (`Err`) leaves the job exactly as it was.
    pub fn apply<R: Reporter>(
        &mut self,
        command: &JobCommand,
        r: &mut R,
    ) -> Result<(), EngineError> {
        self.apply_reporting(command, r)
    }

    /// [`Self::apply`] through a pointer: compiled once, for every kind of reporter.
    pub(super) fn apply_reporting(
        &mut self,
        command: &JobCommand,
        r: &mut dyn Report,
    ) -> Result<(), EngineError> {
        match command {
            JobCommand::InjectKey { key } => self.inject_key(key).map(drop),
            JobCommand::TriggerCheckpoint => self.trigger_checkpoint_reporting(r).map(drop),
            JobCommand::FailNow { description } => self.fail_now(description, r),
            JobCommand::Restore {
                checkpoint_id,
                parallelism,
            } => self.restore(*checkpoint_id, *parallelism, r),
            JobCommand::SetSourceRate { rate } => self.set_source_rate(*rate),
            JobCommand::SetCheckpointInterval { interval_ms } => {
                self.set_checkpoint_interval(*interval_ms)
            }
            JobCommand::AdvanceClock { time_ns } => {
                self.advance_clock(*time_ns);
                Ok(())
            }
        }
    }

    /// Sends one event with `text` as its key, as if typed into the source (it goes into split 0's log).
    pub fn inject_key(&mut self, text: &str) -> Result<KeyId, EngineError> {
        if self.status == JobStatus::Finished || self.status == JobStatus::Failed {
            return Err(EngineError::NotRunning(self.status));
        }
        let key_type = self.config.source.key_format.key_type;
        let key = parse_key(text, key_type).ok_or_else(|| EngineError::BadKey {
            text: text.to_owned(),
            key_type: key_type.java_name(),
        })?;
        self.inject(&key)
    }

    /// The number the next key typed by hand will get (`EventRef::Injected`).
    pub fn next_injected_sequence(&self) -> u64 {
        self.injected_sequence
    }

    /// Sends one event with this key.
    pub fn inject(&mut self, key: &JavaKey) -> Result<KeyId, EngineError> {
        if self.status == JobStatus::Finished || self.status == JobStatus::Failed {
            return Err(EngineError::NotRunning(self.status));
        }
        let id = self.keys.intern(key)?;
        let sequence = self.injected_sequence;
        self.injected_sequence += 1;
        let source = &mut self.sources[0];
        source.split.inject(sequence, id);
        if source.finished {
            source.finished = false;
            self.sources_finished -= 1;
        }
        self.refresh_source(0);
        Ok(id)
    }

    /// Triggers a checkpoint now (the REST API's `POST /jobs/:id/checkpoints`).
    pub fn trigger_checkpoint(&mut self) -> Result<u64, EngineError> {
        let mut sink = Milestones::default();
        self.trigger_checkpoint_reporting(&mut sink)
    }

    /// Like [`Self::trigger_checkpoint`], reporting the trigger.
    pub fn trigger_checkpoint_reporting(&mut self, r: &mut dyn Report) -> Result<u64, EngineError> {
        if self.status != JobStatus::Running {
            return Err(EngineError::NotRunning(self.status));
        }
        let id = self.begin_checkpoint(true, r)?;
        Ok(id)
    }

    /// Changes the periodic checkpoint interval (`None` turns periodic checkpoints off).
    pub fn set_checkpoint_interval(&mut self, interval_ms: Option<u64>) -> Result<(), EngineError> {
        if interval_ms.is_some_and(|i| i == 0 || i > 86_400_000) {
            return Err(EngineError::Interval);
        }
        self.config.checkpointing.interval_ms = interval_ms;
        let now = if self.status == JobStatus::Running {
            self.now
        } else {
            u64::MAX
        };
        if now != u64::MAX {
            self.coordinator.set_interval(interval_ms, now);
        }
        self.refresh_control();
        Ok(())
    }

    /// Changes the source rate (events per second of simulated time; 0 pauses the generator).
    pub fn set_source_rate(&mut self, rate: u64) -> Result<(), EngineError> {
        if rate > 1_000_000_000 {
            return Err(EngineError::Rate);
        }
        self.rate = rate;
        self.config.source.rate = rate;
        for j in 0..self.sources.len() {
            let s = &mut self.sources[j];
            s.epoch = self.now;
            s.emitted_since_epoch = 0;
            self.refresh_source(j);
        }
        Ok(())
    }

    /// Makes a task fail now, as an exception in `processElement` would.
    pub fn fail_now(&mut self, description: &str, r: &mut dyn Report) -> Result<(), EngineError> {
        if self.status != JobStatus::Running {
            return Err(EngineError::NotRunning(self.status));
        }
        self.fail(
            Some(SubtaskIndex::new(0)),
            FailureCause::Injected {
                failure: InjectedFailure::Command(description.to_owned()),
            },
            r,
        );
        Ok(())
    }

    /// Cancels the running execution and starts a new one from a retained checkpoint (the latest when `None`)
    /// at `parallelism`, redistributing key groups as Flink's `StateAssignmentOperation` does.
    pub fn restore(
        &mut self,
        checkpoint_id: Option<u64>,
        parallelism: u32,
        r: &mut dyn Report,
    ) -> Result<(), EngineError> {
        if !(1..=MAX_JOB_PARALLELISM).contains(&parallelism) {
            return Err(RestoreError::Parallelism {
                parallelism,
                max: MAX_JOB_PARALLELISM,
            }
            .into());
        }
        let checkpoint = match checkpoint_id {
            Some(id) => self
                .coordinator
                .store()
                .get(id)
                .cloned()
                .ok_or(RestoreError::UnknownCheckpoint(id))?,
            None => self
                .coordinator
                .store()
                .latest()
                .cloned()
                .ok_or(RestoreError::NoCheckpoint)?,
        };
        let assignment = assign(&checkpoint, parallelism, self.config.max_parallelism)?;
        self.cancel_execution(CheckpointFailureReason::JobRestored, r);
        self.restart_at = None;
        self.restore_from(
            Some(&checkpoint),
            parallelism,
            assignment.max_parallelism,
            RestoreReason::Manual,
            r,
        );
        Ok(())
    }

    /// `flink stop --savepointPath`: the state of the job now — every key's live count, what `counts()` holds —
    /// as a Flink 2.x canonical savepoint of the keyed operator `uid` at the job's parallelism and maximum
    /// parallelism, numbered as the next checkpoint would be ([`write_savepoint`]: the files by name, relative to
    /// the savepoint's directory). A failed or restarting job has no such state.
    pub fn savepoint(&self, uid: &str) -> Result<Vec<(String, Vec<u8>)>, SavepointWriteError> {
        check_job(self.status, self.config.function)?;
        let counts = self.java_counts();
        write_savepoint(&CounterState {
            uid,
            checkpoint_id: self.next_checkpoint_id(),
            parallelism: self.parallelism(),
            max_parallelism: self.max_parallelism(),
            key_type: self.config.source.key_format.key_type,
            counts: &counts,
        })
    }

    /// Every key's live count with its Java key, in no particular order: what [`MiniCluster::savepoint`] writes.
    pub fn java_counts(&self) -> Vec<(JavaKey, i64)> {
        let mut counts = Vec::new();
        self.for_each_count(|key, count| counts.push((self.keys.java_key(key), count)));
        counts
    }

    /// The id the next checkpoint (or savepoint) gets.
    pub fn next_checkpoint_id(&self) -> u64 {
        self.coordinator.next_checkpoint_id()
    }

    // -------------------------------------------------------------------------------------------------------
    // Running
}
