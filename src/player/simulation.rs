//! The page's driver of the engine: one [`MiniCluster`] moved only through its [`RunHistory`] (so any moment can
//! be gone back to), plus what only the page needs — the display time the views draw at (wall time × speed;
//! waits with nothing in flight compressed to about a second), the playback speed and state, the event log, the
//! heap history, flow rates, the job stopped inside a record ("Step into"), a lesson's pause condition.
//!
//! Everything the reader does, and every animation frame, is a [`SimulationAction`] through
//! [`Simulation::reduce`], the one place its rules live (stepping by hand pauses; so do going back and seeking;
//! a key sent while paused is processed at once). Not Yew's `use_reducer`, whose reducer returns a new state: a
//! clone of the whole job per frame. What needs the browser — the wall clock, a random job id, when a job
//! started — comes in as values ([`JobStart`], the frame's clock), so a run of actions is deterministic.

use super::flow_rates::FlowRates;
use super::heap_history::{HeapHistory, HeapSample, MAX_TASK_MANAGERS};
use super::page_error::PageError;
use super::page_reporter::{
    Detailed, Fast, HeldEvents, LastRecord, MovedKeyGroups, PageReporter, MOVED_OUTLINED_MS,
};
use super::speeds::{DEFAULT_SPEED, MAX_SPEED, PER_RECORD_UP_TO, SPEEDS};
use crate::engine::cluster::engine_error::EngineError;
use crate::engine::cluster::engine_event::{EngineEvent, Milestones};
use crate::engine::cluster::job_command::{JobCommand, FAILURE_BY_HAND};
use crate::engine::cluster::job_config::JobConfig;
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::cluster::run_limit::RunLimit;
use crate::engine::functions::event_counter_process_function::ProcessLine;
use crate::engine::history::run_history::{HistoryError, RunHistory};
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::tasks::stream_element::EventRef;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use std::collections::VecDeque;

/// With nothing in flight, no wait takes longer than this (wall seconds).
const SKIP_IDLE_AFTER_S: f64 = 1.2;
/// After a jump in time, the steps before it whose events rebuild the event log and the last record.
const SEEK_LOG_STEPS: u64 = 4_000;

/// A job as the page starts it: a fresh id and when (given by the page: `crypto` and the wall clock).
#[derive(Clone, Debug, PartialEq)]
pub struct JobStart {
    /// Names this job's checkpoints in browser storage, like Flink's `JobID`: a new one for every job started
    /// (a reset, a start from a stored checkpoint), so tabs and runs never share checkpoint names.
    pub id: String,
    /// Wall clock, ms since the epoch: stored with its checkpoints.
    pub started_at_ms: f64,
}

/// A condition on the job (see [`SimulationAction::PauseWhen`]).
pub type PauseWhen = Box<dyn Fn(&MiniCluster) -> bool>;

/// Everything that changes the simulation: what the reader does, and the animation frames.
pub enum SimulationAction<'a> {
    /// One animation frame, `wall_dt_ms` after the last one: while playing, the engine runs for the wall time
    /// × speed, using at most `budget_ms` of wall time as `clock` (ms) reads it.
    Frame {
        wall_dt_ms: f64,
        budget_ms: f64,
        clock: &'a dyn Fn() -> f64,
    },
    TogglePlay,
    Play,
    Pause,
    /// A speed (index into [`SPEEDS`]; past the last, the last).
    SetSpeed(usize),
    Faster,
    Slower,
    /// Processes exactly one more record (and whatever comes before it). Pauses.
    StepRecord,
    /// "Step into" from where the code panel stands (a line of the `record`-th record): the next line of the
    /// newest record, else, past its last line, the next record ([`Effect`] says which). Pauses for a record.
    StepInto {
        record: u64,
        line: ProcessLine,
    },
    /// One record back in time. Pauses.
    StepBack,
    /// To this step of the run. Pauses.
    Seek(u64),
    /// Undoes the latest fork: the run is again what it was before that command, at its moment. Pauses.
    UndoFork,
    /// Keeps the new future of the latest fork: its undo is no longer offered.
    KeepFork,
    TriggerCheckpoint,
    /// Makes a task fail now, as an exception in `processElement` would.
    FailNow,
    /// The periodic checkpoint interval as typed: whole milliseconds, empty for on demand only.
    SetCheckpointInterval(&'a str),
    /// One event with the key typed by hand. When paused, the job runs until that event is processed.
    SendKey(&'a str),
    /// Restores a retained checkpoint (`None`: the latest) at `parallelism`.
    Restore {
        checkpoint_id: Option<u64>,
        parallelism: u32,
    },
    /// A new job replaces this one, at the same speed and play state (and pause condition).
    Start(Box<Simulation>),
    /// Stands inside the `records`-th record's `processElement` after `line` ran, as a debugger stopped there
    /// would: the views then show the job at that line. Anything but a line inside the newest record (or
    /// `None`) shows the job as it is.
    StopInside(Option<(u64, ProcessLine)>),
    /// Where playing stops by itself: checked after every engine step while playing, so the job pauses exactly
    /// at the step that makes it hold (a lesson's moment, not a frame later). Cleared when it fires.
    PauseWhen(Option<PauseWhen>),
    /// Browser storage has (or will not store) checkpoints up to `checkpoint_id` of job `job_id`.
    Stored {
        job_id: &'a str,
        checkpoint_id: u64,
    },
}

/// What the page does after an action, beyond drawing the simulation again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    None,
    /// "Step into" goes to the next line of the record the code panel stands in.
    NextLine,
    /// "Step into" went to the next record, the `n`-th processed: the code panel stands on its first line.
    EnteredRecord(u64),
}

pub struct Simulation {
    /// The job, moved only through `history` (so that any moment of the run can be gone back to).
    cluster: MiniCluster,
    /// The run so far: time travel (see [`RunHistory`]).
    history: RunHistory,
    job: JobStart,
    /// The newest of this job's checkpoints that browser storage has (or that will not be stored).
    stored_up_to: u64,
    /// The configuration the job was (re)started with.
    config: JobConfig,
    /// Simulated time the views draw at (≥ the engine's clock only while nothing happens).
    display_time: u64,
    playing: bool,
    speed: usize,
    log: VecDeque<(u64, EngineEvent)>,
    last_record: Option<LastRecord>,
    heap: HeapHistory,
    rates: FlowRates,
    /// Key groups that changed subtask in the latest restore (for highlighting).
    moved_key_groups: Option<MovedKeyGroups>,
    /// The engine could not keep up with the requested speed in the last frame.
    behind: bool,
    /// While idle: the pending action's time and the speed that reaches it in `SKIP_IDLE_AFTER_S`.
    idle_boost: Option<(u64, f64)>,
    /// See [`SimulationAction::PauseWhen`].
    pause_when: Option<PauseWhen>,
    /// While "Step into" stands inside the newest record's `processElement`: the job as the lines so far left
    /// it, which the views draw instead of `cluster` ([`Simulation::shown`]).
    stopped: Option<Stopped>,
}

/// The job stopped inside a record, as a debugger on that line sees it.
struct Stopped {
    /// The record: the `records`-th processed.
    records: u64,
    line: ProcessLine,
    cluster: MiniCluster,
}

impl Simulation {
    /// A new job with `config`, paused at its start, at the default speed.
    pub fn new(config: JobConfig, job: JobStart) -> Result<Self, EngineError> {
        let cluster = MiniCluster::new(config.clone())?;
        Ok(Simulation::around(cluster, config, job))
    }

    fn around(cluster: MiniCluster, config: JobConfig, job: JobStart) -> Self {
        let mut sim = Simulation {
            history: RunHistory::new(&cluster),
            cluster,
            job,
            stored_up_to: 0,
            config,
            display_time: 0,
            playing: false,
            speed: DEFAULT_SPEED,
            log: VecDeque::new(),
            last_record: None,
            heap: HeapHistory::default(),
            rates: FlowRates::default(),
            moved_key_groups: None,
            behind: false,
            idle_boost: None,
            pause_when: None,
            stopped: None,
        };
        sim.sample_heap();
        sim
    }

    /// The job a checkpoint blob was taken from, restored at `parallelism` (`flink run -s`): a new job, with the
    /// blob's configuration. The checkpoint it started from counts as stored already. The blob is of format
    /// version 2 or later ([`MiniCluster::from_binary_blob`]: the checkpoint library's worker hands the page
    /// version-1 blobs upgraded).
    pub fn from_blob(
        blob: &[u8],
        parallelism: Option<u32>,
        job: JobStart,
    ) -> Result<Self, EngineError> {
        let mut events = Vec::new();
        let cluster = MiniCluster::from_binary_blob(blob, parallelism, &mut events)?;
        let config = cluster.config().clone();
        let restored = latest_checkpoint_id(&cluster);
        let mut fresh = Simulation::around(cluster, config, job);
        fresh.stored_up_to = restored;
        fresh.display_time = fresh.cluster.now();
        let parallelism = fresh.cluster.parallelism();
        fresh.record(events, parallelism);
        fresh.heap = HeapHistory::default();
        fresh.sample_heap();
        Ok(fresh)
    }

    /// Does what the reader asked, or plays one frame; what the page does next, or why nothing changed.
    pub fn reduce(&mut self, action: SimulationAction<'_>) -> Result<Effect, PageError> {
        match action {
            SimulationAction::Frame {
                wall_dt_ms,
                budget_ms,
                clock,
            } => self.tick(wall_dt_ms, budget_ms, clock),
            SimulationAction::TogglePlay => self.playing = !self.playing,
            SimulationAction::Play => self.playing = true,
            SimulationAction::Pause => self.playing = false,
            SimulationAction::SetSpeed(speed) => self.speed = speed.min(MAX_SPEED),
            SimulationAction::Faster => self.speed = (self.speed + 1).min(MAX_SPEED),
            SimulationAction::Slower => self.speed = self.speed.saturating_sub(1),
            SimulationAction::StepRecord => {
                self.playing = false;
                self.step_record();
            }
            SimulationAction::StepInto { record, line } => {
                if line != ProcessLine::Return
                    && record == self.cluster.counters().records_processed
                {
                    return Ok(Effect::NextLine);
                }
                self.playing = false;
                self.step_record();
                return Ok(Effect::EnteredRecord(
                    self.cluster.counters().records_processed,
                ));
            }
            SimulationAction::StepBack => self.step_back()?,
            SimulationAction::Seek(step) => {
                self.playing = false;
                self.seek(step)?;
            }
            SimulationAction::UndoFork => self.undo_fork()?,
            SimulationAction::KeepFork => self.history.forget_discarded(),
            SimulationAction::TriggerCheckpoint => self.command(JobCommand::TriggerCheckpoint)?,
            SimulationAction::FailNow => self.command(JobCommand::FailNow {
                description: FAILURE_BY_HAND.to_owned(),
            })?,
            SimulationAction::SetCheckpointInterval(text) => {
                let interval_ms = if text.trim().is_empty() {
                    None
                } else {
                    let ms = text.trim().parse::<u64>();
                    Some(ms.map_err(|_| PageError::IntervalNotANumber(text.to_owned()))?)
                };
                self.command(JobCommand::SetCheckpointInterval { interval_ms })?;
            }
            SimulationAction::SendKey(text) => self.send_key(text)?,
            SimulationAction::Restore {
                checkpoint_id,
                parallelism,
            } => {
                self.command(JobCommand::Restore {
                    checkpoint_id,
                    parallelism,
                })?;
                self.rates = FlowRates::default();
            }
            SimulationAction::Start(mut fresh) => {
                fresh.speed = self.speed;
                fresh.playing = self.playing;
                fresh.pause_when = self.pause_when.take();
                *self = *fresh;
            }
            SimulationAction::StopInside(at) => self.stop_inside(at),
            SimulationAction::PauseWhen(condition) => self.pause_when = condition,
            SimulationAction::Stored {
                job_id,
                checkpoint_id,
            } => {
                if self.job.id == job_id {
                    self.stored_up_to = self.stored_up_to.max(checkpoint_id);
                }
            }
        }
        Ok(Effect::None)
    }

    /// The job as it is now (see [`Simulation::shown`] for the job the views draw).
    pub fn cluster(&self) -> &MiniCluster {
        &self.cluster
    }

    /// The run so far: time travel.
    pub fn history(&self) -> &RunHistory {
        &self.history
    }

    /// This job's id (see [`JobStart::id`]).
    pub fn job_id(&self) -> &str {
        &self.job.id
    }

    /// When this job was started (wall clock, ms since the epoch).
    pub fn started_at_ms(&self) -> f64 {
        self.job.started_at_ms
    }

    /// The newest of this job's checkpoints that browser storage has (or that will not be stored).
    pub fn stored_up_to(&self) -> u64 {
        self.stored_up_to
    }

    /// The configuration the job was (re)started with.
    pub fn config(&self) -> &JobConfig {
        &self.config
    }

    /// Simulated time the views draw at (≥ the engine's clock only while nothing happens).
    pub fn display_time(&self) -> u64 {
        self.display_time
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    /// The speed: an index into [`SPEEDS`].
    pub fn speed(&self) -> usize {
        self.speed
    }

    /// What happened, oldest first: (simulated time, event).
    pub fn log(&self) -> &VecDeque<(u64, EngineEvent)> {
        &self.log
    }

    /// The last record processed that the page saw.
    pub fn last_record(&self) -> Option<&LastRecord> {
        self.last_record.as_ref()
    }

    pub fn heap(&self) -> &HeapHistory {
        &self.heap
    }

    pub fn rates(&self) -> &FlowRates {
        &self.rates
    }

    /// The engine could not keep up with the speed in the last frame.
    pub fn behind(&self) -> bool {
        self.behind
    }

    /// Simulated seconds per wall second; `None`: as fast as the engine goes.
    pub fn speed_factor(&self) -> Option<f64> {
        SPEEDS.get(self.speed).copied().flatten()
    }

    /// Whether the job plays fast enough that slow views refresh only a few times a second.
    pub fn plays_fast(&self) -> bool {
        self.playing && !self.shows_individual_records()
    }

    /// Whether dots are drawn (otherwise flow rates).
    pub fn shows_individual_records(&self) -> bool {
        self.speed_factor().is_some_and(|f| f <= PER_RECORD_UP_TO)
    }

    /// The key groups the latest restore moved, while the state table outlines them.
    pub fn outlined_moved_key_groups(&self) -> Option<&[KeyGroup]> {
        self.moved_key_groups
            .as_ref()
            .filter(|m| m.played_ms < MOVED_OUTLINED_MS)
            .map(|m| m.key_groups.as_slice())
    }

    /// The job the views draw: stopped inside the newest record ("Step into"), the job as the lines of
    /// `processElement` so far left it; otherwise the job as it is.
    pub fn shown(&self) -> &MiniCluster {
        self.stopped.as_ref().map_or(&self.cluster, |s| &s.cluster)
    }

    /// Whether the views show the job stopped inside a record.
    pub fn is_stopped_inside(&self) -> bool {
        self.stopped.is_some()
    }

    /// The line of `processElement` the views show the newest record stopped after, if they do.
    pub fn stopped_at(&self) -> Option<ProcessLine> {
        self.stopped.as_ref().map(|s| s.line)
    }

    /// Whether the views show a moment before the furthest point of the run.
    pub fn in_the_past(&self) -> bool {
        !self.history.is_at_head(&self.cluster)
    }

    /// Elements on the wire between sources and subtasks.
    pub fn in_flight(&self) -> usize {
        let s = self.cluster.source_parallelism();
        let p = self.cluster.parallelism();
        (0..s)
            .flat_map(|j| SubtaskIndex::all(p).map(move |i| (j, i)))
            .map(|(j, i)| self.cluster.channel(j, i).len())
            .sum()
    }

    fn stop_inside(&mut self, at: Option<(u64, ProcessLine)>) {
        let newest = self.cluster.counters().records_processed;
        let Some((records, line)) = at.filter(|&(records, line)| {
            line != ProcessLine::Return
                && records == newest
                && records > self.history.origin().records
                && !self.playing
        }) else {
            self.stopped = None;
            return;
        };
        if self
            .stopped
            .as_ref()
            .is_some_and(|s| s.records == records && s.line == line)
        {
            return;
        }
        // The step that processed the record, taken again from the moment before it, stopping inside.
        let before = self
            .history
            .step_of_record(records)
            .and_then(|step| self.history.seek(step.saturating_sub(1)));
        self.stopped = before.ok().map(|mut cluster| {
            cluster.step_into(line, &mut Milestones::default());
            Stopped {
                records,
                line,
                cluster,
            }
        });
    }

    /// Runs the engine until `limit`, collecting events; returns the steps taken.
    fn run(&mut self, limit: RunLimit, detailed: bool) -> u64 {
        self.stopped = None;
        let page = PageReporter {
            log: &mut self.log,
            last_record: &mut self.last_record,
            marks: &mut self.heap.marks,
            parallelism: self.cluster.parallelism(),
            moved: &mut self.moved_key_groups,
            held: None,
        };
        // The cluster moves only through the history, so the history always holds it: this cannot fail.
        let taken = if detailed {
            self.history
                .run(&mut self.cluster, limit, &mut Detailed(page))
        } else {
            self.history.run(&mut self.cluster, limit, &mut Fast(page))
        };
        taken.unwrap_or(0)
    }

    /// Runs like [`Simulation::run`] while playing, one step at a time when a pause condition is set: it
    /// pauses, and stops, right after the step at which that holds (or before any, if it holds now). Those steps
    /// report their per-record events at any speed, so that the moment it pauses at shows in every view — its
    /// record, or the timer that fired (`LastRecord::then_timer`) —, which costs little next to running one step
    /// at a time.
    fn run_playing(&mut self, limit: RunLimit, detailed: bool) -> u64 {
        if self.pause_when.is_none() {
            return self.run(limit, detailed);
        }
        let records_target = self
            .cluster
            .counters()
            .records_processed
            .saturating_add(limit.max_records);
        let mut taken = 0;
        while !self.pause_if_due()
            && taken < limit.max_steps
            && self.cluster.counters().records_processed < records_target
        {
            let one = RunLimit {
                max_steps: 1,
                until_time: limit.until_time,
                max_records: u64::MAX,
            };
            if self.run(one, true) == 0 {
                break;
            }
            taken += 1;
        }
        taken
    }

    /// Pauses if the pause condition holds (and forgets it); whether it did.
    fn pause_if_due(&mut self) -> bool {
        let due = self
            .pause_when
            .as_ref()
            .is_some_and(|holds| holds(&self.cluster));
        if due {
            self.pause_when = None;
            self.playing = false;
        }
        due
    }

    /// Applies a command through the history (a command given in the past forks the run there), noting the
    /// events it reported.
    fn command(&mut self, command: JobCommand) -> Result<(), PageError> {
        self.stopped = None;
        let forks = self.in_the_past() && !matches!(command, JobCommand::AdvanceClock { .. });
        let mut events = Vec::new();
        let parallelism = self.cluster.parallelism();
        let result = self.history.apply(&mut self.cluster, &command, &mut events);
        self.record(events, parallelism);
        if forks && result.is_ok() {
            // The new future numbers its checkpoints on from here: those browser storage has from the
            // discarded future are replaced as the new ones complete.
            self.stored_up_to = self.stored_up_to.min(latest_checkpoint_id(&self.cluster));
        }
        result.map_err(PageError::from)
    }

    /// Goes to position `step` of the run (anywhere from its start to the furthest point reached): the
    /// views show the job as it was then. The event log and the last record are rebuilt from the steps just
    /// before it; later heap samples are dropped.
    fn seek(&mut self, step: u64) -> Result<(), PageError> {
        self.jump(&mut |history, page| {
            history.seek_reporting(step, SEEK_LOG_STEPS, &mut Detailed(page))
        })
    }

    /// Goes to the moment of the run `replay` rebuilds, given the page's reporter for the events of the steps
    /// before it (see [`Simulation::seek`]).
    fn jump(
        &mut self,
        replay: &mut dyn FnMut(&RunHistory, PageReporter<'_>) -> Result<MiniCluster, HistoryError>,
    ) -> Result<(), PageError> {
        self.stopped = None;
        let mut log = VecDeque::new();
        let mut last_record = None;
        let mut marks = Vec::new();
        // Replayed restores are history: nothing is outlined after a jump in time.
        let mut moved = None;
        let page = PageReporter {
            log: &mut log,
            last_record: &mut last_record,
            marks: &mut marks,
            parallelism: self.cluster.parallelism(),
            moved: &mut moved,
            held: None,
        };
        self.cluster = replay(&self.history, page)?;
        self.log = log;
        self.last_record = last_record;
        self.display_time = self.cluster.now();
        self.heap.truncate_after(self.display_time);
        self.rates = FlowRates::default();
        self.moved_key_groups = None;
        self.idle_boost = None;
        self.sample_heap();
        Ok(())
    }

    /// Undoes the latest fork: the run is again what it was before that command, at the moment it was given.
    fn undo_fork(&mut self) -> Result<(), PageError> {
        self.playing = false;
        if let Some(step) = self.history.undo_fork() {
            self.seek(step)?;
            // The brought-back future completes its checkpoints again, and stores them over the new ones.
            self.stored_up_to = self.stored_up_to.min(latest_checkpoint_id(&self.cluster));
        }
        Ok(())
    }

    /// One record back: the job right after the record before the newest one it processed (at the start, the
    /// start), with the event log of a seek there ([`Simulation::seek`]) — from the same replay when the events it
    /// reported reach back over the log's window, else from a second one to the step it found.
    fn step_back(&mut self) -> Result<(), PageError> {
        self.playing = false;
        let records = self.cluster.counters().records_processed.saturating_sub(1);
        self.jump(&mut |history, page| record_with_log(history, records, page))
    }

    /// One animation frame: `wall_dt_ms` since the last one; the engine may use `budget_ms` of wall time, read
    /// with `now_ms`.
    fn tick(&mut self, wall_dt_ms: f64, budget_ms: f64, now_ms: &dyn Fn() -> f64) {
        let start = now_ms();
        if self.playing {
            if let Some(moved) = &mut self.moved_key_groups {
                moved.played_ms += wall_dt_ms;
            }
            match self.speed_factor() {
                Some(factor) => {
                    self.tick_timed(factor, wall_dt_ms.min(100.0), start, budget_ms, now_ms)
                }
                None => {
                    // Small chunks, so the budget holds within a fraction of a millisecond.
                    while now_ms() - start < budget_ms {
                        if self.run_playing(RunLimit::records(2_000), false) == 0 || !self.playing {
                            break;
                        }
                    }
                    self.display_time = self.cluster.now();
                    self.behind = false;
                }
            }
        }
        self.rates.update(&self.cluster, wall_dt_ms / 1000.0);
        self.sample_heap();
    }

    fn tick_timed(
        &mut self,
        speed: f64,
        wall_dt_ms: f64,
        start: f64,
        budget_ms: f64,
        now_ms: &dyn Fn() -> f64,
    ) {
        // With nothing in flight, a long wait (sparse events in slow motion, a restart backoff) is played
        // faster, so that it takes SKIP_IDLE_AFTER_S of wall time — but it is still shown.
        let next = self.cluster.next_action_time();
        let idle = next != u64::MAX && next > self.display_time && self.in_flight() == 0;
        let mut factor = speed;
        if idle {
            let boost = match self.idle_boost {
                Some((until, boost)) if until == next => boost,
                _ => {
                    let boost = (next - self.display_time) as f64 / (SKIP_IDLE_AFTER_S * 1e9);
                    self.idle_boost = Some((next, boost));
                    boost
                }
            };
            factor = speed.max(boost);
        } else {
            self.idle_boost = None;
        }
        let target = self
            .display_time
            .saturating_add((wall_dt_ms * 1e6 * factor) as u64);
        let detailed = speed <= PER_RECORD_UP_TO;
        loop {
            let limit = RunLimit {
                max_steps: 4096,
                until_time: target,
                max_records: u64::MAX,
            };
            let steps = self.run_playing(limit, detailed);
            if !self.playing {
                // Paused where the pause condition held: the views show that very step.
                self.behind = false;
                self.display_time = self.display_time.max(self.cluster.now());
                return;
            }
            if steps < 4096 {
                self.behind = false;
                // Refused only for a job that has ended, where the clock stays put anyway.
                let _ = self.history.apply(
                    &mut self.cluster,
                    &JobCommand::AdvanceClock { time_ns: target },
                    &mut Milestones::default(),
                );
                self.display_time = target.max(self.cluster.now());
                return;
            }
            if now_ms() - start >= budget_ms {
                // Too much to do at this speed: show where the engine got to.
                self.behind = true;
                self.display_time = self.cluster.now();
                return;
            }
        }
    }

    /// Processes exactly one more record (and whatever comes before it), collecting its events.
    fn step_record(&mut self) {
        let mut steps = 0;
        let processed = self.cluster.counters().records_processed;
        while self.cluster.counters().records_processed == processed && steps < 1_000_000 {
            if self.run(RunLimit::steps(1), true) == 0 {
                break;
            }
            steps += 1;
        }
        self.display_time = self.display_time.max(self.cluster.now());
        self.sample_heap();
    }

    fn sample_heap(&mut self) {
        let mut sample = HeapSample {
            time: self.display_time,
            limit: 0,
            task_managers: 0,
            used: [0; MAX_TASK_MANAGERS],
        };
        for (slot, usage) in sample.used.iter_mut().zip(self.cluster.heap_usages()) {
            *slot = usage.used;
            sample.limit = usage.limit;
            sample.task_managers += 1;
        }
        self.heap.push(sample);
    }

    /// Sends one event with the key typed by hand. When paused, the job runs until that event is processed, so
    /// its effect on the state shows at once.
    fn send_key(&mut self, text: &str) -> Result<(), PageError> {
        let sequence = self.cluster.next_injected_sequence();
        self.command(JobCommand::InjectKey {
            key: text.to_owned(),
        })?;
        if !self.playing {
            let wanted = EventRef::Injected(sequence);
            for _ in 0..10_000 {
                self.step_record();
                let done = matches!(&self.last_record,
                    Some(LastRecord { event: EngineEvent::RecordProcessed { event, .. }, .. }) if *event == wanted);
                if done || self.cluster.status() != JobStatus::Running {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Notes the events a command reported (a restore, a failure by hand, a checkpoint trigger), given by a job
    /// that ran at `parallelism` before them.
    fn record(&mut self, events: Vec<(u64, EngineEvent)>, parallelism: u32) {
        let mut page = PageReporter {
            log: &mut self.log,
            last_record: &mut self.last_record,
            marks: &mut self.heap.marks,
            parallelism,
            moved: &mut self.moved_key_groups,
            held: None,
        };
        for (at, e) in events {
            page.note(at, e);
        }
        self.display_time = self.display_time.max(self.cluster.now());
    }
}

/// The id of the job's newest retained checkpoint (0: none).
fn latest_checkpoint_id(cluster: &MiniCluster) -> u64 {
    cluster
        .coordinator()
        .store()
        .latest()
        .map_or(0, |c| c.checkpoint_id)
}

/// The job right after its `records`-th processed record (at the start of the run, the start), with the events
/// of the [`SEEK_LOG_STEPS`] steps before it noted to `page` as a seek there notes them: from the same replay when
/// the events it reported reach back that far (they are held back by step until the step is known), else from a
/// second replay to the step it found.
fn record_with_log(
    history: &RunHistory,
    records: u64,
    mut page: PageReporter<'_>,
) -> Result<MiniCluster, HistoryError> {
    let mut held = HeldEvents::new(SEEK_LOG_STEPS);
    let (cluster, reported_after) = {
        let holding = PageReporter {
            log: &mut *page.log,
            last_record: &mut *page.last_record,
            marks: &mut *page.marks,
            parallelism: page.parallelism,
            moved: &mut *page.moved,
            held: Some(&mut held),
        };
        history.seek_records_reporting(records, &mut Detailed(holding))?
    };
    let step = cluster.counters().steps;
    let window_after = step
        .saturating_sub(SEEK_LOG_STEPS)
        .max(history.origin().step);
    if reported_after > window_after {
        return history.seek_reporting(step, SEEK_LOG_STEPS, &mut Detailed(page));
    }
    held.note_after(window_after, &mut page);
    Ok(cluster)
}

#[cfg(test)]
mod tests;
