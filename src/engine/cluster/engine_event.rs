//! What happened in a step of the simulation, for the UI to animate and for tests to check. Every event
//! carries simulated time implicitly (the step's time, [`crate::engine::cluster::mini_cluster::MiniCluster::now`]); keys are
//! [`KeyId`]s the key registry turns back into text.
//!
//! Per-record events (emitted, processed, barrier received) are the bulk; a [`Reporter`] that does not want them
//! (the fast path) gets them compiled away. Two more hooks, empty unless a reporter overrides them, tell a
//! reporter which step the events belong to and which scripted commands ran.

use crate::engine::checkpoint::checkpoint_barrier_handler::BarrierOutcome;
use crate::engine::checkpoint::checkpoint_failure_reason::CheckpointFailureReason;
use crate::engine::cluster::engine_error::EngineError;
use crate::engine::cluster::job_command::JobCommand;
use crate::engine::cluster::job_counters::JobCounters;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_registry::KeyId;
use crate::engine::state::heap::copy_on_write_state_map::MapAccess;
use crate::engine::state::state_error::StateError;
use crate::engine::tasks::stream_element::EventRef;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use serde::Serialize;

/// Why a task failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum FailureCause {
    /// A failure injected by a trigger or by hand (`RuntimeException` in `processElement`).
    #[serde(rename_all = "camelCase")]
    Injected {
        #[serde(rename = "description", serialize_with = "as_text")]
        failure: InjectedFailure,
    },
    /// `java.lang.OutOfMemoryError: Java heap space` while writing state: the heap of TaskManager `task_manager`
    /// would have been `used` bytes of its `limit`.
    #[serde(rename_all = "camelCase")]
    OutOfMemory {
        used: u64,
        limit: u64,
        task_manager: u32,
    },
    /// An exception from the state backend (e.g. a version overflow).
    #[serde(rename_all = "camelCase")]
    StateBackend {
        #[serde(rename = "message", serialize_with = "as_text")]
        error: StateError,
    },
    /// More checkpoints failed in a row than `execution.checkpointing.tolerable-failed-checkpoints` allows
    /// (`CheckpointFailureManager`); `reason` is why the latest one failed.
    #[serde(rename_all = "camelCase")]
    CheckpointFailures { reason: CheckpointFailureReason },
}

impl std::fmt::Display for FailureCause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FailureCause::Injected { failure } => {
                write!(f, "java.lang.RuntimeException: {failure}")
            }
            FailureCause::OutOfMemory {
                used,
                limit,
                task_manager,
            } => write!(
                f,
                "{} (in TaskManager {task_manager}, whose heap would be {used} of {limit} bytes)",
                crate::engine::memory::jvm_heap::OUT_OF_MEMORY
            ),
            FailureCause::StateBackend { error } => write!(f, "{error}"),
            FailureCause::CheckpointFailures { reason } => write!(
                f,
                "org.apache.flink.util.FlinkRuntimeException: {} The latest checkpoint failed due to {reason}, \
                 view the Checkpoint History tab or the Job Manager log to find out why continuous checkpoints \
                 failed.",
                crate::engine::checkpoint::checkpoint_failure_manager::EXCEEDED_CHECKPOINT_TOLERABLE_FAILURE_MESSAGE
            ),
        }
    }
}

/// What made an injected failure fire; its text is the `RuntimeException`'s message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InjectedFailure {
    /// A `FailureTrigger` on a `processElement` call or an event index.
    ProcessElementCall { call: u64, event: EventRef },
    /// A `FailureTrigger` at a simulated time.
    Time { ms: u64 },
    /// A `JobCommand::FailNow`, with the message it was given.
    Command(String),
}

crate::i18n::english_error!(InjectedFailure => crate::i18n::messages::errors::injected_failure);

/// Serialises a value as its text (the Java exception message a log line shows).
fn as_text<T: std::fmt::Display, S: serde::Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// How a new execution came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RestoreReason {
    /// The restart strategy restarted the job after a failure.
    Failover,
    /// Restored by hand from a retained checkpoint (possibly at another parallelism).
    Manual,
    /// Started from a checkpoint another run wrote out (`flink run -s <path>`): a stored or imported blob.
    External,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum EngineEvent {
    /// A processing-time timer of `subtask`'s timer service fired: the operator polled it, set its key as the
    /// current key and called the function's `onTimer(timestamp)`, which emitted `emitted` (the session's count,
    /// its state cleared) or nothing (`None`: the session was extended after this timer was registered).
    #[serde(rename_all = "camelCase")]
    TimerFired {
        subtask: SubtaskIndex,
        key: KeyId,
        key_group: KeyGroup,
        timestamp: i64,
        emitted: Option<i64>,
    },
    /// A source subtask emitted a record into the channel of the subtask owning its key group.
    #[serde(rename_all = "camelCase")]
    RecordEmitted {
        split: u32,
        event: EventRef,
        key: KeyId,
        key_group: KeyGroup,
        subtask: SubtaskIndex,
        arrives_at: u64,
    },
    /// The channel to `subtask` is full: the source split waits (backpressure).
    #[serde(rename_all = "camelCase")]
    SourceBackpressured { split: u32, subtask: SubtaskIndex },
    /// A bounded split has emitted everything.
    #[serde(rename_all = "camelCase")]
    SourceFinished { split: u32 },
    /// A source subtask snapshotted its position and put barrier `checkpoint_id` into all its channels.
    #[serde(rename_all = "camelCase")]
    BarrierInjected { split: u32, checkpoint_id: u64 },
    /// A keyed subtask took a barrier from the channel of `split`.
    #[serde(rename_all = "camelCase")]
    BarrierReceived {
        subtask: SubtaskIndex,
        split: u32,
        checkpoint_id: u64,
        outcome: BarrierReport,
    },
    /// `processElement` ran: the state read and write in the key group's `CopyOnWriteStateMap`, and the record
    /// written to the sink.
    #[serde(rename_all = "camelCase")]
    RecordProcessed {
        subtask: SubtaskIndex,
        event: EventRef,
        key: KeyId,
        key_group: KeyGroup,
        previous: Option<i64>,
        count: i64,
        read: MapAccess,
        write: MapAccess,
        duplicate: bool,
    },
    /// A record's access made a key group's `CopyOnWriteStateMap` start a resize (from `from_capacity` to
    /// `to_capacity` buckets, moved over by incremental rehash) or, `completed`, finish it: the new table became
    /// the primary table. A milestone, on the fast path too.
    #[serde(rename_all = "camelCase")]
    StateMapResized {
        subtask: SubtaskIndex,
        key_group: KeyGroup,
        from_capacity: u32,
        to_capacity: u32,
        completed: bool,
    },
    /// The synchronous phase: every key-group map of the subtask took a copy-on-write snapshot.
    #[serde(rename_all = "camelCase")]
    SnapshotSyncPhase {
        subtask: SubtaskIndex,
        checkpoint_id: u64,
        maps: u32,
        slots_copied: u64,
        alignment_ns: u64,
        duration_ns: u64,
    },
    /// The asynchronous phase wrote one key group and released its map snapshot.
    #[serde(rename_all = "camelCase")]
    SnapshotKeyGroupWritten {
        subtask: SubtaskIndex,
        checkpoint_id: u64,
        key_group: KeyGroup,
        entries: u32,
        bytes: u64,
        done: u32,
        total: u32,
    },
    /// The subtask's asynchronous phase finished and it acknowledged the checkpoint.
    #[serde(rename_all = "camelCase")]
    SnapshotAcknowledged {
        subtask: SubtaskIndex,
        checkpoint_id: u64,
        state_size: u64,
        async_ns: u64,
    },
    #[serde(rename_all = "camelCase")]
    CheckpointTriggered { checkpoint_id: u64, manual: bool },
    #[serde(rename_all = "camelCase")]
    CheckpointCompleted {
        checkpoint_id: u64,
        state_size: u64,
        duration_ns: u64,
        subsumed: Vec<u64>,
    },
    #[serde(rename_all = "camelCase")]
    CheckpointAborted {
        checkpoint_id: u64,
        reason: CheckpointFailureReason,
    },
    #[serde(rename_all = "camelCase")]
    TaskFailed {
        subtask: Option<SubtaskIndex>,
        cause: FailureCause,
        attempt: u32,
    },
    /// The restart strategy will restart the job after `delay_ns`.
    #[serde(rename_all = "camelCase")]
    RestartScheduled { attempt: u32, delay_ns: u64 },
    /// A new execution started from a checkpoint (or from scratch when `checkpoint_id` is `None`).
    #[serde(rename_all = "camelCase")]
    JobRestored {
        checkpoint_id: Option<u64>,
        reason: RestoreReason,
        attempt: u32,
        parallelism: u32,
        max_parallelism: u32,
        entries: u64,
    },
    /// The restart strategy gave up.
    #[serde(rename_all = "camelCase")]
    JobFailed { cause: FailureCause },
    /// A bounded source was read to the end and every record processed.
    JobFinished,
}

/// What a barrier did at a subtask.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum BarrierReport {
    Ignored,
    /// Waiting for more barriers; `blocked` when the channel is now blocked (aligned mode).
    Waiting {
        received: u32,
        expected: u32,
        blocked: bool,
    },
    /// The last one: the snapshot follows.
    #[serde(rename_all = "camelCase")]
    Aligned {
        alignment_ns: u64,
    },
}

impl From<BarrierOutcome> for BarrierReport {
    fn from(o: BarrierOutcome) -> Self {
        match o {
            BarrierOutcome::Ignored => BarrierReport::Ignored,
            BarrierOutcome::Waiting {
                received,
                expected,
                block,
            } => BarrierReport::Waiting {
                received,
                expected,
                blocked: block,
            },
            BarrierOutcome::Complete { alignment_ns, .. } => {
                BarrierReport::Aligned { alignment_ns }
            }
        }
    }
}

impl EngineEvent {
    /// Per-record events, the ones the fast path leaves out.
    pub fn is_per_record(&self) -> bool {
        matches!(
            self,
            EngineEvent::RecordEmitted { .. }
                | EngineEvent::RecordProcessed { .. }
                | EngineEvent::TimerFired { .. }
                | EngineEvent::BarrierReceived { .. }
                | EngineEvent::SourceBackpressured { .. }
                | EngineEvent::SnapshotKeyGroupWritten { .. }
        )
    }
}

/// Receives the events of a run, each with the simulated time (ns) it happened at.
pub trait Reporter {
    /// Whether per-record events are wanted; when `false` they are not even built.
    const PER_RECORD: bool;
    fn report(&mut self, at: u64, event: EngineEvent);

    /// A step begins: `counters.steps` is its number (1-based) and the other counters are as the previous step
    /// left them. Events reported until the next call belong to this step. Empty by default, so it costs
    /// nothing on the fast path.
    #[inline(always)]
    fn step_started(&mut self, counters: &JobCounters) {
        let _ = counters;
    }

    /// A command of the job's script ran at the end of the current step (`outcome` says whether the job
    /// accepted it); the events it caused were reported before this call. Empty by default.
    #[inline(always)]
    fn scripted_command(
        &mut self,
        at: u64,
        command: &JobCommand,
        outcome: Result<(), &EngineError>,
    ) {
        let _ = (at, command, outcome);
    }
}

/// What the engine's steps report through: any [`Reporter`] behind a pointer, so that the step loop is compiled
/// twice (with and without per-record events, [`Reporter::PER_RECORD`]) rather than once per kind of reporter
/// (the page's wasm holds six: BENCHMARKS.md, "Size budget"). Its methods are [`Reporter`]'s.
pub trait Report {
    fn report_event(&mut self, at: u64, event: EngineEvent);
    fn report_step_started(&mut self, counters: &JobCounters);
    fn report_scripted_command(
        &mut self,
        at: u64,
        command: &JobCommand,
        outcome: Result<(), &EngineError>,
    );
}

impl<R: Reporter> Report for R {
    fn report_event(&mut self, at: u64, event: EngineEvent) {
        self.report(at, event);
    }

    fn report_step_started(&mut self, counters: &JobCounters) {
        self.step_started(counters);
    }

    fn report_scripted_command(
        &mut self,
        at: u64,
        command: &JobCommand,
        outcome: Result<(), &EngineError>,
    ) {
        self.scripted_command(at, command, outcome);
    }
}

/// Collects every event (without times).
impl Reporter for Vec<EngineEvent> {
    const PER_RECORD: bool = true;
    fn report(&mut self, _at: u64, event: EngineEvent) {
        self.push(event);
    }
}

/// Collects every event with its time.
impl Reporter for Vec<(u64, EngineEvent)> {
    const PER_RECORD: bool = true;
    fn report(&mut self, at: u64, event: EngineEvent) {
        self.push((at, event));
    }
}

/// What a headless run reports at its end — completed checkpoints, restores, failures — in memory that stays
/// flat however long the run: every one counted, the most recent [`RunSummary::RECENT`] of each kept. The fast
/// path, like [`Milestones`].
#[derive(Debug, Default)]
pub struct RunSummary {
    /// Ids of completed checkpoints.
    pub completed_checkpoints: Recent<u64>,
    /// The checkpoint each restore started from (`None`: from scratch).
    pub restores: Recent<Option<u64>>,
    /// Why tasks failed.
    pub failures: Recent<FailureCause>,
}

impl RunSummary {
    pub const RECENT: usize = 1000;
}

/// A count and the most recent [`RunSummary::RECENT`] items.
#[derive(Debug)]
pub struct Recent<T> {
    pub total: u64,
    pub items: std::collections::VecDeque<T>,
}

impl<T> Default for Recent<T> {
    fn default() -> Self {
        Recent {
            total: 0,
            items: std::collections::VecDeque::new(),
        }
    }
}

impl<T> Recent<T> {
    fn push(&mut self, item: T) {
        self.total += 1;
        if self.items.len() == RunSummary::RECENT {
            self.items.pop_front();
        }
        self.items.push_back(item);
    }
}

impl Reporter for RunSummary {
    const PER_RECORD: bool = false;
    fn report(&mut self, _at: u64, event: EngineEvent) {
        match event {
            EngineEvent::CheckpointCompleted { checkpoint_id, .. } => {
                self.completed_checkpoints.push(checkpoint_id)
            }
            EngineEvent::JobRestored { checkpoint_id, .. } => self.restores.push(checkpoint_id),
            EngineEvent::TaskFailed { cause, .. } => self.failures.push(cause),
            _ => {}
        }
    }
}

/// Collects only milestones (checkpoints, failures, restores…): the fast path.
#[derive(Debug, Default)]
pub struct Milestones(pub Vec<EngineEvent>);

impl Reporter for Milestones {
    const PER_RECORD: bool = false;
    fn report(&mut self, _at: u64, event: EngineEvent) {
        self.0.push(event);
    }
}
