//! Time travel over one job's run, the way RaftScope does it: the engine is deterministic, so the history keeps
//! only the user's commands (each with the exact step it was applied at), periodic snapshots (clones of the
//! [`MiniCluster`]) and marks for a timeline; any earlier moment is rebuilt by cloning the nearest snapshot at
//! or before it and replaying steps and commands from there. Acting in the past forks the run: the recorded
//! future is discarded — and kept aside for one undo ([`RunHistory::undo_fork`]) until the next fork or until
//! the caller lets it go ([`RunHistory::forget_discarded`]). Not a Flink concept — StateLab's own, for stepping
//! backwards through a lesson.
//!
//! **Positions.** A position is a step count ([`JobCounters::steps`]): "step `s`" is the job after its `s`-th
//! step *and* after every command applied between step `s` and step `s + 1`. Commands applied at a position
//! are recorded in order. Records processed ([`JobCounters::records_processed`]) only grow with steps, so "right
//! after record `n`" is the first step at which `n` records were processed.
//!
//! **Driving.** The history does not own the live cluster; the caller keeps it and moves it only through the
//! history: [`RunHistory::run`] instead of [`MiniCluster::run`] (it replays recorded commands when the cluster
//! is behind the head, and extends the run, taking snapshots and marks, when it is at the head),
//! [`RunHistory::apply`] instead of [`MiniCluster::apply`] (it records the command, forking first when the
//! cluster is in the past), and [`RunHistory::seek`] and friends to jump, which hand back a new cluster. A
//! cluster handed back always has the commands of its position applied.
//!
//! **Memory.** A snapshot shares the cluster's storage with the live cluster and with the other snapshots
//! (key-group maps, keys, the sink's counts and the timer queues' heap arrays are
//! [`ChunkedVec`](crate::engine::shared::chunked_vec::ChunkedVec)s: a clone copies chunk pointers, and whatever
//! either side changes afterwards is copied chunk by chunk; the timers' de-duplication set is shared in shards of
//! timestamps), so it costs what it does not share. Each is
//! counted ([`unshared_bytes`]) at what it does not share with the next one — its older copies of what the job
//! rewrote since — and the newest at what its clone copied: the rest it shares with the live cluster playing on
//! at the head. (A live cluster sent back in time shares nothing with it any more: the history then holds up
//! to one more copy of the state than it counts.)
//!
//! Snapshots are taken at the head every `fine` steps and kept in two tiers: on a grid of `interval` steps
//! starting at the first position, covering the whole run evenly, and the 16 most recent between grid
//! positions, so that "one event back" from the head replays at most one fine interval. Over the budget, the
//! oldest recent ones go while they take more than half of it; otherwise every other one on the grid is
//! dropped and the interval doubles (the first one is always kept, the newest goes last). A seek thus replays
//! at most one interval, or one fine interval near the head — except where the job rewrites more state
//! between grid positions than the budget holds (a million keys, updated key after key): then the grid thins
//! out to the first snapshot, the recent run stays densely covered, and a seek before it replays from the
//! start. The fine interval grows with what a clone copies and with what the job copies on write after it
//! ([`HistoryConfig::bytes_per_step`]; for the copies, to 32,768 steps at most), which keeps recording cheap.
//! [`RunHistory::seek_records`] also keeps one clone a few thousand records before the record it went to, so
//! that the seeks that follow it (the event log's window, the next event back) replay a few thousand steps,
//! and so does a seek that replayed further than that (a jump in time: one event back after it replays a few
//! thousand steps too, not the way from a snapshot far behind again); the clone shares all but those steps
//! with the cluster handed back and goes as the run goes on. The snapshots of a discarded future count against
//! the same budget, and widening the grid thins them with the others (its recent ones first), so an undo costs
//! no memory beyond it.

use crate::engine::checkpoint::checkpoint_failure_reason::CheckpointFailureReason;
use crate::engine::cluster::engine_error::EngineError;
use crate::engine::cluster::engine_event::{EngineEvent, FailureCause, Reporter, RestoreReason};
use crate::engine::cluster::job_command::JobCommand;
use crate::engine::cluster::job_counters::JobCounters;
use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::cluster::run_limit::RunLimit;
use crate::engine::shared::shared_storage::SharedStorage;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use serde::Serialize;
use std::cell::Cell;

/// How much memory snapshots may take and how often they are taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HistoryConfig {
    /// The budget for all snapshots together, in estimated bytes of what they do not share
    /// ([`unshared_bytes`]).
    pub budget_bytes: u64,
    /// Steps between snapshots at the head, and on the grid until the budget forces those apart.
    pub initial_interval: u64,
    /// Snapshots at the head are at least `clone bytes / bytes_per_step` steps apart ([`clone_bytes`]: what a
    /// clone copies rather than shares, mostly chunk pointers, which a clone and its drop also count up and
    /// down), and further apart, up to [`MAX_RECENT_INTERVAL`], while the job copies more than this per step
    /// on write after a snapshot — so that they cost little next to running the steps between them.
    pub bytes_per_step: u64,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig {
            budget_bytes: 64 << 20,
            initial_interval: 4096,
            bytes_per_step: 32,
        }
    }
}

/// A moment of the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    /// Steps taken ([`JobCounters::steps`]).
    pub step: u64,
    /// Records processed by then.
    pub records: u64,
    /// Simulated ns.
    pub time: u64,
}

impl Position {
    pub fn of(cluster: &MiniCluster) -> Self {
        Position {
            step: cluster.counters().steps,
            records: cluster.counters().records_processed,
            time: cluster.now(),
        }
    }
}

/// A command as recorded: applied at position `step`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedCommand {
    pub step: u64,
    pub command: JobCommand,
}

/// What a timeline mark shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum MarkKind {
    #[serde(rename_all = "camelCase")]
    CheckpointTriggered {
        checkpoint_id: u64,
        manual: bool,
    },
    #[serde(rename_all = "camelCase")]
    CheckpointCompleted {
        checkpoint_id: u64,
        state_size: u64,
    },
    #[serde(rename_all = "camelCase")]
    CheckpointAborted {
        checkpoint_id: u64,
        reason: CheckpointFailureReason,
    },
    /// A task failed (an `OutOfMemoryError` when `cause` is [`FailureCause::OutOfMemory`]).
    #[serde(rename_all = "camelCase")]
    TaskFailed {
        subtask: Option<SubtaskIndex>,
        cause: FailureCause,
    },
    /// A restart after a failure, a restore by hand or a start from a stored checkpoint.
    #[serde(rename_all = "camelCase")]
    JobRestored {
        checkpoint_id: Option<u64>,
        reason: RestoreReason,
        attempt: u32,
        parallelism: u32,
    },
    JobFinished,
    JobFailed,
    /// A user's command, or one of the job's script (`scripted`); `accepted` is false when the job refused a
    /// scripted command. Clock advances are not marked.
    #[serde(rename_all = "camelCase")]
    Command {
        command: JobCommand,
        scripted: bool,
        accepted: bool,
    },
}

impl MarkKind {
    fn of(event: &EngineEvent) -> Option<MarkKind> {
        Some(match event {
            EngineEvent::CheckpointTriggered {
                checkpoint_id,
                manual,
            } => MarkKind::CheckpointTriggered {
                checkpoint_id: *checkpoint_id,
                manual: *manual,
            },
            EngineEvent::CheckpointCompleted {
                checkpoint_id,
                state_size,
                ..
            } => MarkKind::CheckpointCompleted {
                checkpoint_id: *checkpoint_id,
                state_size: *state_size,
            },
            EngineEvent::CheckpointAborted {
                checkpoint_id,
                reason,
            } => MarkKind::CheckpointAborted {
                checkpoint_id: *checkpoint_id,
                reason: *reason,
            },
            EngineEvent::TaskFailed { subtask, cause, .. } => MarkKind::TaskFailed {
                subtask: *subtask,
                cause: cause.clone(),
            },
            EngineEvent::JobRestored {
                checkpoint_id,
                reason,
                attempt,
                parallelism,
                ..
            } => MarkKind::JobRestored {
                checkpoint_id: *checkpoint_id,
                reason: *reason,
                attempt: *attempt,
                parallelism: *parallelism,
            },
            EngineEvent::JobFinished => MarkKind::JobFinished,
            EngineEvent::JobFailed { .. } => MarkKind::JobFailed,
            _ => return None,
        })
    }
}

/// Something worth a tick on the timeline, where it happened.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mark {
    /// The step it happened in (for a command: the position it was applied at). [`RunHistory::seek`] to it
    /// shows the job right after it.
    pub step: u64,
    /// Simulated ns.
    pub time: u64,
    /// Records processed once that step (and its commands) were done.
    pub records: u64,
    pub kind: MarkKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum HistoryError {
    StepOutOfRange { step: u64, origin: u64, head: u64 },
    RecordsOutOfRange { records: u64, head: u64 },
    NotInHistory { step: u64, head: u64 },
    Diverged { step: u64, reason: Box<Divergence> },
    Engine(EngineError),
}

crate::i18n::english_error!(HistoryError => crate::i18n::messages::errors::history);

crate::engine::error_from!(HistoryError { Engine(EngineError) });

/// How a replay of the recorded run went astray (which only a bug in the engine's determinism could cause).
#[derive(Clone, Debug, PartialEq)]
pub enum Divergence {
    /// A recorded command the job accepted when it was given was refused on replay.
    CommandRefused {
        command: JobCommand,
        error: EngineError,
    },
    /// The job stopped before reaching the recorded step.
    NothingLeftToDo,
}

crate::i18n::english_error!(Divergence => crate::i18n::messages::errors::divergence);

#[derive(Clone, Debug)]
struct Snapshot {
    step: u64,
    records: u64,
    /// Recorded commands applied to `cluster` (all of those at earlier positions).
    commands: usize,
    bytes: u64,
    cluster: MiniCluster,
}

/// A fork: where the run took another course, and how far the future it discarded went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fork {
    /// The position the command was applied at (where an undo goes back to).
    pub at: Position,
    /// The head of the discarded future.
    pub discarded_head: Position,
}

/// The recorded run as it was before a fork, kept for one undo: its commands and marks whole (small), and
/// the snapshots after the fork (the rest are shared with the new course).
#[derive(Clone, Debug)]
struct Discarded {
    fork: Fork,
    commands: Vec<RecordedCommand>,
    marks: Vec<Mark>,
    snapshots: Vec<Snapshot>,
}

/// The recorded run of one job (see the module documentation).
#[derive(Clone, Debug)]
pub struct RunHistory {
    config: HistoryConfig,
    origin: Position,
    /// Steps between snapshots on the grid.
    interval: u64,
    /// Steps between snapshots at the head (the recent ones between grid positions): `initial_interval`, or
    /// more for a large job; never more than `interval`.
    fine: u64,
    snapshots: Vec<Snapshot>,
    commands: Vec<RecordedCommand>,
    marks: Vec<Mark>,
    head: Position,
    /// A clock advance applied to a cluster in the past, not recorded (it changes nothing that follows) unless
    /// a command is applied after it at the same position: (position, the clock it left).
    pending_clock: Option<(u64, u64)>,
    /// The future the latest fork discarded, until it is undone, forgotten or replaced by another fork.
    discarded: Option<Discarded>,
    /// A clone [`RunHistory::seek_records`] kept a few thousand records before the record it went to, or
    /// [`RunHistory::seek_reporting`] some 12,000 steps before the step it went to when it replayed further,
    /// so that the seeks that usually follow (the event log's window, the next event back) replay a few
    /// thousand steps rather than up to a whole interval — or from the start of the run, where the snapshots
    /// have thinned out. Dropped as the run goes on at the head or takes another course; not counted in the
    /// budget (it shares all but those few thousand steps with the cluster the seek handed back).
    seek_cache: SeekCache,
    /// Steps replayed by seeks so far ([`RunHistory::replayed_steps`]).
    replayed: Cell<u64>,
}

/// The clone [`RunHistory::seek_records`] and [`RunHistory::seek_reporting`] keep. A clone of the history starts
/// without one.
#[derive(Default)]
struct SeekCache(Cell<Option<Snapshot>>);

impl Clone for SeekCache {
    fn clone(&self) -> Self {
        SeekCache::default()
    }
}

impl std::fmt::Debug for SeekCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SeekCache")
    }
}

/// Per-record events are not wanted: the replay runs on the fast path.
struct Silent;

impl Reporter for Silent {
    const PER_RECORD: bool = false;
    fn report(&mut self, _at: u64, _event: EngineEvent) {}
}

/// Forwards everything and notes marks with the step they happened in.
struct Recorder<'a, R> {
    inner: &'a mut R,
    marks: &'a mut Vec<Mark>,
    step: u64,
    /// Marks from `unfinished` on still need the records count of their step.
    unfinished: usize,
}

impl<'a, R: Reporter> Recorder<'a, R> {
    fn new(inner: &'a mut R, marks: &'a mut Vec<Mark>, step: u64) -> Self {
        let unfinished = marks.len();
        Recorder {
            inner,
            marks,
            step,
            unfinished,
        }
    }

    fn finish(&mut self, records: u64) {
        for mark in &mut self.marks[self.unfinished..] {
            mark.records = records;
        }
        self.unfinished = self.marks.len();
    }

    fn mark(&mut self, time: u64, kind: MarkKind) {
        self.marks.push(Mark {
            step: self.step,
            time,
            records: 0,
            kind,
        });
    }
}

impl<R: Reporter> Reporter for Recorder<'_, R> {
    const PER_RECORD: bool = R::PER_RECORD;

    #[inline]
    fn report(&mut self, at: u64, event: EngineEvent) {
        if let Some(kind) = MarkKind::of(&event) {
            self.mark(at, kind);
        }
        self.inner.report(at, event);
    }

    #[inline]
    fn step_started(&mut self, counters: &JobCounters) {
        if self.unfinished < self.marks.len() {
            self.finish(counters.records_processed);
        }
        self.step = counters.steps;
        self.inner.step_started(counters);
    }

    fn scripted_command(
        &mut self,
        at: u64,
        command: &JobCommand,
        outcome: Result<(), &EngineError>,
    ) {
        if !matches!(command, JobCommand::AdvanceClock { .. }) {
            self.mark(
                at,
                MarkKind::Command {
                    command: command.clone(),
                    scripted: true,
                    accepted: outcome.is_ok(),
                },
            );
        }
        self.inner.scripted_command(at, command, outcome);
    }
}

/// How far before the record it goes to [`RunHistory::seek_records`] keeps a clone for the seeks that follow.
const SEEK_CACHE_RECORDS: u64 = 4096;
/// How far before the window of events it reports [`RunHistory::seek_reporting`] keeps a clone for the seeks
/// that follow, when it replays further than that: with the page's window of 4,000 steps some 12,000 steps
/// before the position, about 5,000 records for the benchmark job (2.3 steps a record) — far enough for
/// [`RunHistory::seek_records`] to start from it for a few thousand events back.
const SEEK_CACHE_STEPS: u64 = 8192;
/// The interval of the recent snapshots grows no further than this for what the job copies on write after a
/// snapshot (see [`HistoryConfig::bytes_per_step`]): one event back from the head replays at most this many
/// steps, unless cloning alone asks for more (a state of many millions of keys).
pub const MAX_RECENT_INTERVAL: u64 = 1 << 15;
/// Recent snapshots kept between grid positions, at the fine interval behind the head.
const RECENT_SNAPSHOTS: usize = 16;
/// The cluster's small fields, which every clone copies.
const FIXED_BYTES: u64 = 16 << 10;
/// An element in flight in a channel.
const IN_FLIGHT_BYTES: u64 = 40;
/// A (key, count) written by a running snapshot or acknowledged to a pending checkpoint.
const WRITTEN_ENTRY_BYTES: u64 = 16;
/// A bucket slot of a snapshot's array copy.
const SNAPSHOT_SLOT_BYTES: u64 = 4;

/// Estimated bytes of StateLab's own memory (not the simulated JVM heap) that a snapshot of `cluster` holds and
/// `other` does not share: the chunks of the key-group maps (entries, bucket arrays, snapshot-retained
/// entries), of the keys and of the sink's per-key counts that differ ([`SharedStorage`]); what a clone copies
/// outright (chunk pointers, elements in flight, the sink's recent records, the cluster's small fields, a pending
/// checkpoint's acknowledged key groups); and running asynchronous snapshots `other` is not in the middle of
/// too. With
/// `other` `None`, everything: the size of a clone that shares nothing. Completed checkpoints are shared
/// between clones and not counted.
pub fn unshared_bytes(cluster: &MiniCluster, other: Option<&MiniCluster>) -> u64 {
    let mut bytes = FIXED_BYTES + in_flight_bytes(cluster);
    bytes += cluster.keys().unshared_bytes(other.map(MiniCluster::keys));
    bytes += cluster.sink().unshared_bytes(other.map(MiniCluster::sink));
    for (i, task) in cluster.tasks().iter().enumerate() {
        let theirs = other.and_then(|o| o.tasks().get(i));
        let backend = task.backend();
        bytes += backend.unshared_bytes(theirs.map(|t| t.backend()));
        if let Some(running) = task.snapshot() {
            let id = running.writer.checkpoint_id();
            if theirs
                .and_then(|t| t.snapshot())
                .is_none_or(|s| s.writer.checkpoint_id() != id)
            {
                let slots: u64 = backend
                    .state_tables()
                    .iter()
                    .flat_map(|t| t.maps())
                    .map(|m| m.capacity() as u64)
                    .sum();
                bytes +=
                    SNAPSHOT_SLOT_BYTES * slots + WRITTEN_ENTRY_BYTES * running.writer.entries();
            }
        }
    }
    bytes + pending_bytes(cluster)
}

/// The acknowledged key groups of a pending checkpoint, which a clone copies.
fn pending_bytes(cluster: &MiniCluster) -> u64 {
    let entries = cluster
        .coordinator()
        .pending()
        .map_or(0, |p| p.acknowledged_entries());
    WRITTEN_ENTRY_BYTES * entries as u64
}

/// Estimated bytes of a clone of the cluster that shares nothing: [`unshared_bytes`] against nothing.
pub fn estimate_bytes(cluster: &MiniCluster) -> u64 {
    unshared_bytes(cluster, None)
}

/// Estimated bytes a clone of the cluster copies rather than shares: chunk pointers, elements in flight, the
/// sink's recent records and the small fields — what it does not share with itself. This is what taking a
/// snapshot costs at once.
pub fn clone_bytes(cluster: &MiniCluster) -> u64 {
    unshared_bytes(cluster, Some(cluster))
}

fn in_flight_bytes(cluster: &MiniCluster) -> u64 {
    let mut elements = 0;
    for split in 0..cluster.source_parallelism() {
        for subtask in SubtaskIndex::all(cluster.parallelism()) {
            elements += cluster.channel(split, subtask).len() as u64;
        }
    }
    IN_FLIGHT_BYTES * elements
}

/// Where a replay stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Step(u64),
    Records(u64),
}

impl RunHistory {
    /// Starts recording at the cluster's current position, with the default budget.
    pub fn new(cluster: &MiniCluster) -> Self {
        RunHistory::with_config(cluster, HistoryConfig::default())
    }

    pub fn with_config(cluster: &MiniCluster, config: HistoryConfig) -> Self {
        let origin = Position::of(cluster);
        let mut history = RunHistory {
            config,
            origin,
            interval: config.initial_interval.max(1),
            fine: config.initial_interval.max(1),
            snapshots: Vec::new(),
            commands: Vec::new(),
            marks: Vec::new(),
            head: origin,
            pending_clock: None,
            discarded: None,
            seek_cache: SeekCache::default(),
            replayed: Cell::new(0),
        };
        history.take_snapshot(cluster);
        history
    }

    // -------------------------------------------------------------------------------------------------------
    // What the timeline draws

    /// Where the recording started.
    pub fn origin(&self) -> Position {
        self.origin
    }

    /// The furthest position known: a seek can go anywhere from the origin to here.
    pub fn head(&self) -> Position {
        self.head
    }

    /// Checkpoints, failures, restores and commands, in the order they happened.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// The user's commands, in the order they were applied.
    pub fn commands(&self) -> &[RecordedCommand] {
        &self.commands
    }

    /// Whether this cluster is at the head (acting on it forks nothing).
    pub fn is_at_head(&self, cluster: &MiniCluster) -> bool {
        cluster.counters().steps >= self.head.step
    }

    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// The run's snapshots, oldest first: the step each was taken at and the bytes it is counted at (what it
    /// does not share with the next one; see [`Self::snapshot_bytes`]).
    pub fn snapshots(&self) -> impl ExactSizeIterator<Item = (u64, u64)> + '_ {
        self.snapshots.iter().map(|s| (s.step, s.bytes))
    }

    /// Steps between snapshots on the grid now (doubles each time the budget forces them apart).
    pub fn snapshot_interval(&self) -> u64 {
        self.interval
    }

    /// Steps between snapshots at the head now (the recent ones).
    pub fn recent_interval(&self) -> u64 {
        self.fine
    }

    /// Steps the seeks have replayed so far, from the snapshots or the kept clone they started from: what they
    /// cost, beyond the clones.
    pub fn replayed_steps(&self) -> u64 {
        self.replayed.get()
    }

    /// Estimated bytes of all snapshots, a discarded future's included: what each does not share with the
    /// next one (see the module documentation).
    pub fn snapshot_bytes(&self) -> u64 {
        self.snapshots
            .iter()
            .chain(self.discarded.iter().flat_map(|d| &d.snapshots))
            .map(|s| s.bytes)
            .sum()
    }

    /// The latest fork, while the future it discarded can still be brought back ([`Self::undo_fork`]).
    pub fn discarded(&self) -> Option<Fork> {
        self.discarded.as_ref().map(|d| d.fork)
    }

    pub fn config(&self) -> HistoryConfig {
        self.config
    }

    // -------------------------------------------------------------------------------------------------------
    // Moving the live cluster

    /// Runs the cluster like [`MiniCluster::run`] and returns the steps taken. Behind the head it follows the
    /// recorded run, applying recorded commands at their positions (their events are reported); at the head
    /// it extends the run, taking snapshots when due and noting marks at their exact steps. A run that reaches
    /// the head goes on past it if its limit allows (limit it to the head to scrub forward only).
    pub fn run<R: Reporter>(
        &mut self,
        cluster: &mut MiniCluster,
        limit: RunLimit,
        r: &mut R,
    ) -> Result<u64, HistoryError> {
        self.check_in_history(cluster)?;
        let records_target = cluster
            .counters()
            .records_processed
            .saturating_add(limit.max_records);
        let mut taken = 0;
        while taken < limit.max_steps && cluster.counters().records_processed < records_target {
            let position = cluster.counters().steps;
            let at_head = position >= self.head.step;
            let stop = if at_head {
                self.next_snapshot_step(position)
            } else {
                self.commands[self.commands_up_to(position)..]
                    .first()
                    .map_or(self.head.step, |c| c.step.min(self.head.step))
            };
            let cap = (stop - position).min(limit.max_steps - taken);
            let chunk = RunLimit {
                max_steps: cap,
                until_time: limit.until_time,
                max_records: records_target - cluster.counters().records_processed,
            };
            let steps = if at_head {
                let mut recorder = Recorder::new(r, &mut self.marks, position);
                let steps = cluster.run(chunk, &mut recorder);
                recorder.finish(cluster.counters().records_processed);
                steps
            } else {
                cluster.run(chunk, r)
            };
            taken += steps;
            if at_head {
                if steps > 0 {
                    self.seek_cache.0.take();
                    self.head = Position::of(cluster);
                    if cluster.counters().steps == stop {
                        self.take_snapshot(cluster);
                    }
                }
            } else {
                let from = self.commands_up_to(position);
                self.replay_commands(cluster, from, r)?;
            }
            if steps < cap {
                break;
            }
        }
        Ok(taken)
    }

    /// Applies a command to the cluster and records it at the cluster's position. When the cluster is behind
    /// the head, the recorded future is discarded first (the run forks), unless the command is a clock
    /// advance: that changes nothing that follows, so it is only kept if another command follows it at the
    /// same position. A refused command changes nothing, neither the job nor the history.
    pub fn apply<R: Reporter>(
        &mut self,
        cluster: &mut MiniCluster,
        command: &JobCommand,
        r: &mut R,
    ) -> Result<(), HistoryError> {
        self.check_in_history(cluster)?;
        let before = Position::of(cluster);
        let position = before.step;
        let at_head = position >= self.head.step;
        if let JobCommand::AdvanceClock { time_ns } = command {
            let before = cluster.now();
            cluster.advance_clock(*time_ns);
            if cluster.now() != before {
                if at_head {
                    self.record_clock(position, cluster.now());
                    self.head = Position::of(cluster);
                } else {
                    self.pending_clock = Some((position, cluster.now()));
                }
            }
            return Ok(());
        }
        let clock_before = cluster.now();
        let mut marks = Vec::new();
        let mut recorder = Recorder::new(r, &mut marks, position);
        cluster.apply(command, &mut recorder)?;
        recorder.finish(cluster.counters().records_processed);
        let pending_clock = self.pending_clock.take();
        if !at_head {
            self.discard_after(before);
        }
        if let Some((step, time)) = pending_clock {
            if step == position && time == clock_before {
                self.record_clock(position, time);
            }
        }
        self.commands.push(RecordedCommand {
            step: position,
            command: command.clone(),
        });
        self.marks.push(Mark {
            step: position,
            time: clock_before,
            records: cluster.counters().records_processed,
            kind: MarkKind::Command {
                command: command.clone(),
                scripted: false,
                accepted: true,
            },
        });
        self.marks.append(&mut marks);
        self.head = Position::of(cluster);
        Ok(())
    }

    // -------------------------------------------------------------------------------------------------------
    // Seeking

    /// The job as it was at position `step` (after that step and the commands applied at it), anywhere from
    /// the origin to the head.
    pub fn seek(&self, step: u64) -> Result<MiniCluster, HistoryError> {
        self.seek_reporting(step, 0, &mut Silent)
    }

    /// Like [`Self::seek`], reporting the events of the last `window` steps before it (and of the commands
    /// applied in them) to `r`, e.g. to fill an event log. The steps before the window replay on the fast
    /// path.
    pub fn seek_reporting<R: Reporter>(
        &self,
        step: u64,
        window: u64,
        r: &mut R,
    ) -> Result<MiniCluster, HistoryError> {
        if step < self.origin.step || step > self.head.step {
            return Err(HistoryError::StepOutOfRange {
                step,
                origin: self.origin.step,
                head: self.head.step,
            });
        }
        let quiet_until = step.saturating_sub(window).max(self.origin.step);
        let snapshot = &self.snapshots[self.snapshot_at_step(quiet_until)];
        let (mut cluster, mut next, _) = self.start_from(snapshot, |c| c.step <= quiet_until);
        // On a long way, a clone some steps before the window is kept for the seeks that usually follow a jump:
        // one event back, the next place of a drag.
        let mark = quiet_until.saturating_sub(SEEK_CACHE_STEPS);
        if mark > cluster.counters().steps {
            next = self.replay(&mut cluster, next, Target::Step(mark), &mut Silent)?;
            self.keep(&cluster, next);
        }
        let next = self.replay(&mut cluster, next, Target::Step(quiet_until), &mut Silent)?;
        if quiet_until < step {
            self.replay(&mut cluster, next, Target::Step(step), r)?;
        }
        Ok(cluster)
    }

    /// The job right after its `records`-th processed record (with the commands applied at that step): what
    /// "one event back" shows. At or below the origin's count it is the origin.
    pub fn seek_records(&self, records: u64) -> Result<MiniCluster, HistoryError> {
        Ok(self.seek_records_reporting(records, &mut Silent)?.0)
    }

    /// [`Self::seek_records`], reporting to `r` the events of the last steps it replays: those after the clone
    /// it keeps a few thousand records before the record, or after the snapshot or kept clone it starts from
    /// when that is nearer. Returns the job and the position the events reported come after (events of later
    /// steps, and of commands applied at later positions), so that the caller can keep the events of the steps
    /// just before the record (the page's event log, as [`Self::seek_reporting`] reports them) from the same
    /// replay — when they come after that position.
    pub fn seek_records_reporting<R: Reporter>(
        &self,
        records: u64,
        r: &mut R,
    ) -> Result<(MiniCluster, u64), HistoryError> {
        if records <= self.origin.records {
            return Ok((self.seek(self.origin.step)?, self.origin.step));
        }
        if records > self.head.records {
            return Err(HistoryError::RecordsOutOfRange {
                records,
                head: self.head.records,
            });
        }
        let index = self
            .snapshots
            .partition_point(|s| s.records < records)
            .saturating_sub(1);
        // The kept clone serves while it is well before the record (else a new one is kept further back).
        let (mut cluster, mut next, from) = self.start_from(&self.snapshots[index], |c| {
            c.records + SEEK_CACHE_RECORDS / 2 < records
        });
        // On the way, a clone a few thousand records before the record is kept for the seeks that follow: the
        // event log's window before it, the next event back.
        let mark = records.saturating_sub(SEEK_CACHE_RECORDS);
        if mark > from {
            next = self.replay(&mut cluster, next, Target::Records(mark), &mut Silent)?;
            self.keep(&cluster, next);
        } else {
            next = self.replay_commands(&mut cluster, next, &mut Silent)?;
        }
        let reported_after = cluster.counters().steps;
        self.replay(&mut cluster, next, Target::Records(records), r)?;
        Ok((cluster, reported_after))
    }

    /// Keeps a clone of `cluster` (replayed up to recorded command `next`) for the seeks that follow.
    fn keep(&self, cluster: &MiniCluster, next: usize) {
        self.seek_cache.0.set(Some(Snapshot {
            step: cluster.counters().steps,
            records: cluster.counters().records_processed,
            commands: next,
            bytes: 0,
            cluster: cluster.clone(),
        }));
    }

    /// A clone to replay from: of `snapshot`, or of the kept clone when it is later and `usable`; with the index
    /// of the next recorded command and the records processed there.
    fn start_from(
        &self,
        snapshot: &Snapshot,
        usable: impl Fn(&Snapshot) -> bool,
    ) -> (MiniCluster, usize, u64) {
        let cached = self.seek_cache.0.take();
        let base = match &cached {
            Some(c) if c.step > snapshot.step && usable(c) => c,
            _ => snapshot,
        };
        let start = (base.cluster.clone(), base.commands, base.records);
        self.seek_cache.0.set(cached);
        start
    }

    /// The position at which the `records`-th record was processed (see [`Self::seek_records`]).
    pub fn step_of_record(&self, records: u64) -> Result<u64, HistoryError> {
        Ok(self.seek_records(records)?.counters().steps)
    }

    /// Goes back to position `step` and discards everything recorded after it (commands at later positions,
    /// snapshots, marks): the job at `step`, now the head, ready to take another course.
    pub fn fork(&mut self, step: u64) -> Result<MiniCluster, HistoryError> {
        let cluster = self.seek(step)?;
        let at = Position::of(&cluster);
        if step < self.head.step {
            self.discard_after(at);
        }
        self.head = at;
        Ok(cluster)
    }

    /// Brings back the future the latest fork discarded: the recorded run is again exactly what it was before
    /// the fork, and what was recorded since is dropped. Returns the position the fork was made at, where the
    /// caller was then: [`Self::seek`] there (the cluster in hand belongs to the dropped course). `None` when
    /// there is nothing to undo.
    pub fn undo_fork(&mut self) -> Option<u64> {
        let Discarded {
            fork,
            commands,
            marks,
            snapshots,
        } = self.discarded.take()?;
        let at = fork.at.step;
        self.snapshots.truncate(self.snapshot_at_step(at) + 1);
        self.snapshots.extend(snapshots);
        self.commands = commands;
        self.marks = marks;
        self.head = fork.discarded_head;
        self.pending_clock = None;
        self.seek_cache.0.take();
        self.recount();
        self.fit_budget();
        Some(at)
    }

    /// Lets the discarded future go: the fork stays as it is, for good.
    pub fn forget_discarded(&mut self) {
        self.discarded = None;
    }

    // -------------------------------------------------------------------------------------------------------
    // Internals

    fn check_in_history(&self, cluster: &MiniCluster) -> Result<(), HistoryError> {
        let step = cluster.counters().steps;
        if step > self.head.step || step < self.origin.step {
            return Err(HistoryError::NotInHistory {
                step,
                head: self.head.step,
            });
        }
        Ok(())
    }

    /// The number of recorded commands at positions up to `step`.
    fn commands_up_to(&self, step: u64) -> usize {
        self.commands.partition_point(|c| c.step <= step)
    }

    /// The last snapshot at or before `step`.
    fn snapshot_at_step(&self, step: u64) -> usize {
        self.snapshots
            .partition_point(|s| s.step <= step)
            .saturating_sub(1)
    }

    fn next_snapshot_step(&self, step: u64) -> u64 {
        let offset = step - self.origin.step;
        self.origin.step + (offset / self.fine + 1) * self.fine
    }

    /// Replays recorded commands from `from` on that were applied at the cluster's position; returns the index
    /// of the next one.
    fn replay_commands<R: Reporter>(
        &self,
        cluster: &mut MiniCluster,
        mut from: usize,
        r: &mut R,
    ) -> Result<usize, HistoryError> {
        let step = cluster.counters().steps;
        while let Some(recorded) = self.commands.get(from).filter(|c| c.step == step) {
            cluster
                .apply(&recorded.command, r)
                .map_err(|error| HistoryError::Diverged {
                    step,
                    reason: Box::new(Divergence::CommandRefused {
                        command: recorded.command.clone(),
                        error,
                    }),
                })?;
            from += 1;
        }
        Ok(from)
    }

    /// Moves a clone forward to `target`, applying recorded commands (from index `next`) on the way; returns
    /// the index of the next command not applied.
    fn replay<R: Reporter>(
        &self,
        cluster: &mut MiniCluster,
        mut next: usize,
        target: Target,
        r: &mut R,
    ) -> Result<usize, HistoryError> {
        loop {
            next = self.replay_commands(cluster, next, r)?;
            let counters = *cluster.counters();
            let stop = self.commands.get(next).map_or(u64::MAX, |c| c.step);
            let limit = match target {
                Target::Step(step) if counters.steps >= step => return Ok(next),
                Target::Step(step) => RunLimit::steps(step.min(stop) - counters.steps),
                Target::Records(records) if counters.records_processed >= records => {
                    return Ok(next)
                }
                Target::Records(records) => RunLimit {
                    max_records: records - counters.records_processed,
                    ..RunLimit::steps(stop - counters.steps)
                },
            };
            let steps = cluster.run(limit, r);
            self.replayed.set(self.replayed.get() + steps);
            if steps == 0 {
                return Err(HistoryError::Diverged {
                    step: counters.steps,
                    reason: Box::new(Divergence::NothingLeftToDo),
                });
            }
        }
    }

    /// Records a clock advance at `step`, merging it into one recorded just before at the same position.
    fn record_clock(&mut self, step: u64, time_ns: u64) {
        if let Some(RecordedCommand {
            step: last_step,
            command: JobCommand::AdvanceClock { time_ns: last },
        }) = self.commands.last_mut()
        {
            if *last_step == step {
                *last = time_ns;
                return;
            }
        }
        self.commands.push(RecordedCommand {
            step,
            command: JobCommand::AdvanceClock { time_ns },
        });
    }

    /// Forks at `at`: everything recorded after it is set aside for one undo (replacing what an earlier fork
    /// set aside).
    fn discard_after(&mut self, at: Position) {
        self.seek_cache.0.take();
        let step = at.step;
        let snapshots = self.snapshots.split_off(self.snapshot_at_step(step) + 1);
        let commands = self.commands.clone();
        let marks = self.marks.clone();
        self.commands.truncate(self.commands_up_to(step));
        self.marks
            .truncate(self.marks.partition_point(|m| m.step <= step));
        self.pending_clock = None;
        self.discarded = Some(Discarded {
            fork: Fork {
                at,
                discarded_head: self.head,
            },
            commands,
            marks,
            snapshots,
        });
        self.recount();
        // Counted again, the newest snapshot kept is a whole clone and the discarded chain branches off an
        // older one: together they can take more than before the fork.
        self.fit_budget();
    }

    /// Takes a snapshot when the head reaches the next fine position, then keeps the recent ones and the
    /// budget. The grid widens first if it became finer than the fine interval.
    fn take_snapshot(&mut self, cluster: &MiniCluster) {
        self.fine = self.fine_interval(cluster);
        if self.interval < self.fine {
            while self.interval < self.fine {
                self.widen_grid();
            }
            self.recount();
        }
        let step = cluster.counters().steps;
        if !(step - self.origin.step).is_multiple_of(self.fine) {
            return;
        }
        self.snapshots.push(Snapshot {
            step,
            records: cluster.counters().records_processed,
            commands: self.commands.len(),
            bytes: 0,
            cluster: cluster.clone(),
        });
        let newest = self.snapshots.len() - 1;
        self.count_at(newest.saturating_sub(1));
        self.count_at(newest);
        while self.recent().count() > RECENT_SNAPSHOTS {
            self.drop_oldest_recent();
        }
        self.fit_budget();
    }

    /// Steps between snapshots at the head: enough that what a clone copies is at most
    /// [`HistoryConfig::bytes_per_step`] per step, and, up to [`MAX_RECENT_INTERVAL`], that what the job then
    /// copies on write (as much per step as since the newest snapshot) is too. A job that rewrites its state
    /// faster than that (most do, at the default 32) thus gets a snapshot every 32,768 steps at the head: its
    /// recording pays for the copies, and one event back replays at most that.
    fn fine_interval(&self, cluster: &MiniCluster) -> u64 {
        let per_step = self.config.bytes_per_step.max(1);
        // A pending checkpoint's lists are copied whole, but only for the moments between its first
        // acknowledgement and its completion: they do not set the pace.
        let clone = clone_bytes(cluster) - pending_bytes(cluster);
        let step = cluster.counters().steps;
        let copied_per_step = self
            .snapshots
            .last()
            .filter(|s| s.step < step)
            .map_or(0, |s| {
                unshared_bytes(&s.cluster, Some(cluster)).saturating_sub(clone_bytes(&s.cluster))
                    / (step - s.step)
            });
        let mut fine = self.config.initial_interval.max(1);
        while fine < clone / per_step
            || (fine < MAX_RECENT_INTERVAL
                && clone.saturating_add(copied_per_step.saturating_mul(fine))
                    > per_step.saturating_mul(fine))
        {
            fine = fine.saturating_mul(2);
        }
        fine
    }

    /// Whether a snapshot is on the grid.
    fn on_grid(&self, snapshot: &Snapshot) -> bool {
        (snapshot.step - self.origin.step).is_multiple_of(self.interval)
    }

    /// Indices of the run's snapshots between grid positions (the recent ones, at the fine interval).
    fn recent(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.snapshots.len()).filter(|&i| !self.on_grid(&self.snapshots[i]))
    }

    /// Snapshots of both courses.
    fn total_snapshots(&self) -> usize {
        self.snapshots.len() + self.discarded.as_ref().map_or(0, |d| d.snapshots.len())
    }

    /// Drops snapshots until they fit the budget (the first one is always kept): the oldest recent ones while
    /// they take more than half of it, otherwise every other one on the grid (the interval doubles), so that
    /// the whole run stays covered evenly as far as the budget allows. The newest snapshot goes last.
    fn fit_budget(&mut self) {
        while self.snapshot_bytes() > self.config.budget_bytes && self.total_snapshots() > 1 {
            let newest = self.snapshots.len() - 1;
            let recent: Vec<usize> = self.recent().filter(|&i| i != newest).collect();
            let recent_bytes: u64 = recent.iter().map(|&i| self.snapshots[i].bytes).sum();
            let on_grid = self
                .snapshots
                .get(1..newest)
                .unwrap_or_default()
                .iter()
                .filter(|s| self.on_grid(s))
                .count()
                + self.discarded.as_ref().map_or(0, |d| d.snapshots.len());
            if !recent.is_empty() && (2 * recent_bytes > self.config.budget_bytes || on_grid == 0) {
                self.drop_oldest_recent();
            } else if on_grid > 0 {
                self.widen_grid();
                self.recount();
            } else {
                // The first and the newest are left, and the first alone exceeds the budget.
                self.snapshots.truncate(1);
                self.recount();
            }
        }
    }

    /// Drops the oldest recent snapshot that is not the newest.
    fn drop_oldest_recent(&mut self) {
        let newest = self.snapshots.len() - 1;
        let Some(i) = self.recent().find(|&i| i != newest) else {
            return;
        };
        self.snapshots.remove(i);
        self.count_at(i - 1);
        if self.discarded.is_some() {
            self.recount();
        }
    }

    /// Doubles the interval, dropping the snapshots that are not on the wider grid (every other one), those
    /// of a discarded future too — but those among the newest few, which stay as recent ones. The caller
    /// counts them again ([`Self::recount`]).
    fn widen_grid(&mut self) {
        let wider = self.interval.saturating_mul(2);
        let origin = self.origin.step;
        let interval = self.interval;
        // The newest few stay as recent ones.
        let recent_from = self
            .snapshots
            .len()
            .saturating_sub(RECENT_SNAPSHOTS + 1)
            .max(1);
        let recent_from = self.snapshots.get(recent_from).map_or(u64::MAX, |s| s.step);
        self.snapshots.retain(|s| {
            let offset = s.step - origin;
            offset.is_multiple_of(wider)
                || !offset.is_multiple_of(interval)
                || s.step >= recent_from
        });
        if let Some(d) = &mut self.discarded {
            d.snapshots
                .retain(|s| (s.step - origin).is_multiple_of(wider));
        }
        self.interval = wider;
    }

    /// Counts snapshot `i` of the run: what it does not share with the next one (its older copies of what the
    /// job rewrote since); the newest only what its clone copied (the rest it shares with the live cluster,
    /// which plays on from it at the head).
    fn count_at(&mut self, i: usize) {
        let cluster = &self.snapshots[i].cluster;
        let bytes = match self.snapshots.get(i + 1) {
            Some(next) => unshared_bytes(cluster, Some(&next.cluster)),
            None => clone_bytes(cluster),
        };
        self.snapshots[i].bytes = bytes;
    }

    /// Counts every snapshot again (after the grid widened, a fork or an undo). A discarded future is a chain
    /// of its own, branching off the snapshot at or before its fork.
    fn recount(&mut self) {
        for i in 0..self.snapshots.len() {
            self.count_at(i);
        }
        if let Some(d) = &mut self.discarded {
            // Its snapshots went on from the snapshot at or before the fork.
            let base = &self.snapshots[partition_before(&self.snapshots, d.fork.at.step)].cluster;
            for i in 0..d.snapshots.len() {
                d.snapshots[i].bytes = chain_bytes(&d.snapshots, i, Some(base));
            }
        }
    }
}

/// Index of the last snapshot at or before `step` (the first one when none is).
fn partition_before(snapshots: &[Snapshot], step: u64) -> usize {
    snapshots
        .partition_point(|s| s.step <= step)
        .saturating_sub(1)
}

/// What snapshot `i` of a discarded future does not share with its neighbour: the next one, or for the newest
/// (no live cluster shares it any more) the one before; `base` is the snapshot the future branched off.
fn chain_bytes(chain: &[Snapshot], i: usize, base: Option<&MiniCluster>) -> u64 {
    let neighbour = match chain.get(i + 1) {
        Some(next) => Some(&next.cluster),
        None if i > 0 => Some(&chain[i - 1].cluster),
        None => base,
    };
    unshared_bytes(&chain[i].cluster, neighbour)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cluster::engine_event::Milestones;
    use crate::engine::cluster::job_config::JobConfig;

    fn job() -> (MiniCluster, RunHistory) {
        let cluster = MiniCluster::new(JobConfig::default()).unwrap();
        let history = RunHistory::new(&cluster);
        (cluster, history)
    }

    fn advance(history: &mut RunHistory, cluster: &mut MiniCluster, by: u64) {
        let time_ns = cluster.now() + by;
        let command = JobCommand::AdvanceClock { time_ns };
        history
            .apply(cluster, &command, &mut Milestones::default())
            .unwrap();
    }

    #[test]
    fn clock_advances_at_the_head_are_merged_into_one_command_per_position() {
        let (mut cluster, mut history) = job();
        let mut events = Milestones::default();
        history
            .run(&mut cluster, RunLimit::records(10), &mut events)
            .unwrap();
        advance(&mut history, &mut cluster, 100);
        advance(&mut history, &mut cluster, 100);
        assert_eq!(history.commands().len(), 1);
        assert_eq!(
            history.commands()[0].command,
            JobCommand::AdvanceClock {
                time_ns: cluster.now()
            }
        );
        assert_eq!(history.head().time, cluster.now());
        assert!(history.marks().is_empty(), "clock advances are not marked");
    }

    #[test]
    fn a_clock_advance_in_the_past_forks_only_when_a_command_follows_it() {
        let (mut cluster, mut history) = job();
        let mut events = Milestones::default();
        history
            .run(&mut cluster, RunLimit::records(100), &mut events)
            .unwrap();
        let head = history.head();
        let mut past = history.seek(head.step / 2).unwrap();
        advance(&mut history, &mut past, 50);
        assert_eq!(history.head(), head, "nothing forked");
        assert!(history.commands().is_empty());
        let typed_at = past.now();
        history
            .apply(
                &mut past,
                &JobCommand::InjectKey { key: "k".into() },
                &mut events,
            )
            .unwrap();
        assert_eq!(history.head().step, head.step / 2, "forked");
        assert_eq!(history.commands().len(), 2);
        let rebuilt = history.seek(head.step / 2).unwrap();
        assert_eq!(
            rebuilt.now(),
            typed_at,
            "the key was typed at the advanced time"
        );
        assert_eq!(
            crate::engine::history::fingerprint::fingerprint(&rebuilt),
            crate::engine::history::fingerprint::fingerprint(&past)
        );
    }

    #[test]
    fn a_refused_command_records_nothing_and_forks_nothing() {
        let (mut cluster, mut history) = job();
        let mut events = Milestones::default();
        history
            .run(&mut cluster, RunLimit::records(100), &mut events)
            .unwrap();
        let head = history.head();
        let mut past = history.seek(head.step / 2).unwrap();
        let refused = JobCommand::Restore {
            checkpoint_id: Some(77),
            parallelism: 2,
        };
        assert!(matches!(
            history.apply(&mut past, &refused, &mut events),
            Err(HistoryError::Engine(_))
        ));
        assert_eq!(history.head(), head);
        assert!(history.commands().is_empty());
    }

    #[test]
    fn the_estimate_grows_with_the_keys_in_state() {
        let (mut cluster, _) = job();
        let empty = estimate_bytes(&cluster);
        cluster.run(RunLimit::records(5_000), &mut Milestones::default());
        let keys = cluster.keys().len() as u64;
        assert!(keys > 500);
        assert!(estimate_bytes(&cluster) > empty + 60 * keys);
    }

    /// The page lets the clock run between frames also while it replays the past; that must not change the
    /// recorded future it replays (the clock never passes the next pending action).
    #[test]
    fn letting_the_clock_run_in_the_past_does_not_change_the_replayed_future() {
        let (mut cluster, mut history) = job();
        let mut events = Milestones::default();
        history
            .run(&mut cluster, RunLimit::records(50), &mut events)
            .unwrap();
        // Recorded at the head: let time pass, type a key.
        advance(&mut history, &mut cluster, 5_000_000);
        history
            .apply(
                &mut cluster,
                &JobCommand::InjectKey { key: "k".into() },
                &mut events,
            )
            .unwrap();
        history
            .run(&mut cluster, RunLimit::records(50), &mut events)
            .unwrap();
        let head = history.head();
        let expected =
            crate::engine::history::fingerprint::fingerprint(&history.seek(head.step).unwrap());
        // Back before the key, let the clock run further than the recorded run did, then replay forward.
        let mut past = history.seek(head.step / 4).unwrap();
        advance(&mut history, &mut past, 900_000_000);
        let left = head.step - past.counters().steps;
        history
            .run(&mut past, RunLimit::steps(left), &mut events)
            .unwrap();
        assert_eq!(past.counters().steps, head.step);
        assert_eq!(
            crate::engine::history::fingerprint::fingerprint(&past),
            expected
        );
    }

    #[test]
    fn undoing_a_fork_brings_back_the_discarded_future_and_where_it_was_made() {
        let (mut cluster, mut history) = job();
        let mut events = Milestones::default();
        history
            .run(&mut cluster, RunLimit::records(300), &mut events)
            .unwrap();
        history
            .apply(&mut cluster, &JobCommand::TriggerCheckpoint, &mut events)
            .unwrap();
        history
            .run(&mut cluster, RunLimit::records(300), &mut events)
            .unwrap();
        let (head, marks, commands) = (
            history.head(),
            history.marks().to_vec(),
            history.commands().to_vec(),
        );
        let expected = crate::engine::history::fingerprint::fingerprint(&cluster);
        let mut past = history.seek(head.step / 3).unwrap();
        let at = Position::of(&past);
        let before = crate::engine::history::fingerprint::fingerprint(&past);
        history
            .apply(
                &mut past,
                &JobCommand::InjectKey { key: "k".into() },
                &mut events,
            )
            .unwrap();
        history
            .run(&mut past, RunLimit::records(50), &mut events)
            .unwrap();
        assert_eq!(
            history.discarded(),
            Some(Fork {
                at,
                discarded_head: head
            })
        );
        assert!(history.head().step < head.step, "the future was discarded");

        assert_eq!(history.undo_fork(), Some(at.step));
        assert_eq!(history.head(), head);
        assert_eq!(history.marks(), &marks[..]);
        assert_eq!(history.commands(), &commands[..]);
        assert_eq!(history.discarded(), None, "one level of undo");
        let back = history.seek(at.step).unwrap();
        assert_eq!(
            crate::engine::history::fingerprint::fingerprint(&back),
            before
        );
        let newest = history.seek(head.step).unwrap();
        assert_eq!(
            crate::engine::history::fingerprint::fingerprint(&newest),
            expected
        );
        assert_eq!(history.undo_fork(), None);
    }

    #[test]
    fn a_new_fork_replaces_the_discarded_future_and_forgetting_it_keeps_the_fork() {
        let (mut cluster, mut history) = job();
        let mut events = Milestones::default();
        history
            .run(&mut cluster, RunLimit::records(400), &mut events)
            .unwrap();
        let head = history.head();
        let mut past = history.seek(head.step / 2).unwrap();
        history
            .apply(&mut past, &JobCommand::TriggerCheckpoint, &mut events)
            .unwrap();
        let mut further = history.seek(head.step / 4).unwrap();
        history
            .apply(&mut further, &JobCommand::TriggerCheckpoint, &mut events)
            .unwrap();
        let fork = history.discarded().unwrap();
        assert_eq!(fork.at.step, head.step / 4);
        assert_eq!(
            fork.discarded_head.step,
            head.step / 2,
            "the second fork discarded the first fork's course"
        );
        history.forget_discarded();
        assert_eq!(history.discarded(), None);
        assert_eq!(history.undo_fork(), None);
        assert_eq!(history.head().step, head.step / 4);
    }

    #[test]
    fn a_discarded_future_counts_against_the_snapshot_budget() {
        let cluster = MiniCluster::new(JobConfig::default()).unwrap();
        let budget = 1 << 20;
        let config = HistoryConfig {
            budget_bytes: budget,
            initial_interval: 256,
            bytes_per_step: 1 << 30,
        };
        let (mut cluster, mut history) =
            (cluster.clone(), RunHistory::with_config(&cluster, config));
        let mut events = Milestones::default();
        history
            .run(&mut cluster, RunLimit::records(20_000), &mut events)
            .unwrap();
        let mut past = history.seek(history.head().step / 8).unwrap();
        history
            .apply(&mut past, &JobCommand::TriggerCheckpoint, &mut events)
            .unwrap();
        let live = |h: &RunHistory| h.snapshots.iter().map(|s| s.bytes).sum::<u64>();
        let kept = history.snapshot_bytes() - live(&history);
        assert!(kept > 0, "the discarded future keeps its snapshots");
        let interval = history.snapshot_interval();
        history
            .run(&mut past, RunLimit::records(40_000), &mut events)
            .unwrap();
        assert!(history.snapshot_bytes() <= budget);
        assert!(history.snapshot_interval() > interval, "the grid widened");
        assert!(
            history.snapshot_bytes() - live(&history) < kept,
            "and the discarded future's snapshots were thinned with the others"
        );
        let at = history.undo_fork().unwrap();
        let back = history.seek(at).unwrap();
        assert_eq!(back.counters().steps, at);
        assert!(history.seek(history.head().step).is_ok());
    }
}
