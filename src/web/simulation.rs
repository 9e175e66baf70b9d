//! The page's side of the engine: one [`MiniCluster`] plus what only the page needs — the display time the
//! views draw at, the playback speed, a log of what happened, the heap history for the chart and flow rates.
//! Each animation frame calls [`Simulation::tick`], which maps wall time to simulated time and runs the engine
//! within a time budget.

use crate::engine::checkpoint::state_assignment_operation::moved_key_groups;
use crate::engine::cluster::engine_event::{EngineEvent, Milestones, Reporter};
use crate::engine::cluster::job_command::JobCommand;
use crate::engine::cluster::job_config::JobConfig;
use crate::engine::cluster::mini_cluster::{EngineError, MiniCluster, RunLimit};
use crate::engine::functions::event_counter_process_function::ProcessLine;
use crate::engine::history::run_history::{HistoryError, RunHistory};
use crate::i18n::messages::{controls as msg, errors};
use crate::i18n::Lang;
use crate::player::library_error::LibraryError;
use std::collections::VecDeque;

/// Playback speeds: simulated seconds per wall second; `None` is as fast as the engine goes.
pub const SPEEDS: [Option<f64>; 18] = [
    Some(0.0002),
    Some(0.0005),
    Some(0.001),
    Some(0.002),
    Some(0.005),
    Some(0.01),
    Some(0.02),
    Some(0.05),
    Some(0.1),
    Some(0.2),
    Some(0.5),
    Some(1.0),
    Some(2.0),
    Some(5.0),
    Some(10.0),
    Some(50.0),
    Some(200.0),
    None,
];
/// ×0.1 ([`crate::teaching::start::DEFAULT_SPEED`]): the default job's records cross the network in half a
/// second, and a checkpoint and a map resize happen within a minute.
pub const DEFAULT_SPEED: usize = 8;
const _: () =
    assert!(matches!(SPEEDS[DEFAULT_SPEED], Some(f) if f == crate::teaching::start::DEFAULT_SPEED));
/// Above this speed the per-record events are not collected (the engine's fast path).
const PER_RECORD_UP_TO: f64 = 0.5;
/// With nothing in flight, no wait takes longer than this (wall seconds).
const SKIP_IDLE_AFTER_S: f64 = 1.2;
const LOG_LIMIT: usize = 200;
const HEAP_SAMPLES: usize = 1200;
/// After a jump in time, the steps before it whose events rebuild the event log and the last record.
const SEEK_LOG_STEPS: u64 = 4_000;

pub fn speed_label(index: usize, l: Lang) -> String {
    match SPEEDS.get(index).copied().flatten() {
        Some(f) => format!("×{}", trim_float(f)),
        None => l.t(&msg::SPEED_MAX).to_owned(),
    }
}

/// What the page's error banner reports. Kept typed until it is shown, so that it reads in the page's
/// language, and switches with it.
#[derive(Clone, Debug, PartialEq)]
pub enum PageError {
    /// A command the engine refused.
    Engine(EngineError),
    /// The checkpoint interval typed is not a whole number of milliseconds.
    IntervalNotANumber(String),
    /// Checkpoints in browser storage, files and links.
    Library(LibraryError),
    /// Going back and forth in the run.
    History(HistoryError),
}

impl PageError {
    pub fn message(&self, l: Lang) -> String {
        match self {
            PageError::Engine(e) => errors::engine(e, l),
            PageError::IntervalNotANumber(text) => errors::interval_not_a_number(text, l),
            PageError::Library(e) => e.message(l),
            PageError::History(e) => errors::history(e, l),
        }
    }
}

impl From<EngineError> for PageError {
    fn from(e: EngineError) -> Self {
        PageError::Engine(e)
    }
}

impl From<HistoryError> for PageError {
    fn from(e: HistoryError) -> Self {
        match e {
            HistoryError::Engine(e) => PageError::Engine(e),
            other => PageError::History(other),
        }
    }
}

impl From<LibraryError> for PageError {
    fn from(e: LibraryError) -> Self {
        PageError::Library(e)
    }
}

fn trim_float(f: f64) -> String {
    let s = format!("{f:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The id of the job's newest retained checkpoint (0: none).
fn latest_checkpoint_id(cluster: &MiniCluster) -> u64 {
    cluster
        .coordinator()
        .store()
        .latest()
        .map_or(0, |c| c.checkpoint_id)
}

/// A fresh job id: 16 hex digits, like the first half of Flink's 32-digit `JobID`.
fn new_job_id() -> String {
    let mut bytes = [0u8; 8];
    let random = web_sys::window().and_then(|w| w.crypto().ok());
    match random {
        Some(crypto) if crypto.get_random_values_with_u8_array(&mut bytes).is_ok() => {}
        _ => {
            for b in &mut bytes {
                *b = (js_sys::Math::random() * 256.0) as u8;
            }
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// At most this many TaskManagers: one per slot, and a job has at most as many slots as subtasks of an operator.
pub const MAX_TASK_MANAGERS: usize =
    crate::engine::cluster::job_config::MAX_JOB_PARALLELISM as usize;

/// One point of the heap chart: each TaskManager's used heap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeapSample {
    pub time: u64,
    /// Each TaskManager's `-Xmx` (they are all started alike).
    pub limit: u64,
    pub task_managers: u8,
    pub used: [u64; MAX_TASK_MANAGERS],
}

/// A mark on the heap chart's time axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeapMark {
    /// In this TaskManager.
    OutOfMemory(u32),
    Failure,
    Restored,
}

/// Heap samples over the whole run: when full, every other sample is dropped and the interval doubles.
#[derive(Clone, Debug, Default)]
pub struct HeapHistory {
    pub samples: Vec<HeapSample>,
    pub marks: Vec<(u64, HeapMark)>,
    min_interval: u64,
}

impl HeapHistory {
    /// Forgets what came after `time` (the page went back in time).
    fn truncate_after(&mut self, time: u64) {
        self.samples.retain(|s| s.time <= time);
        self.marks.retain(|&(t, _)| t <= time);
    }

    fn push(&mut self, sample: HeapSample) {
        if let Some(last) = self.samples.last() {
            if sample.time < last.time + self.min_interval && sample.used == last.used {
                return;
            }
        }
        if self.samples.len() == HEAP_SAMPLES {
            let mut keep = Vec::with_capacity(HEAP_SAMPLES / 2 + 1);
            keep.extend(self.samples.iter().step_by(2).copied());
            self.samples = keep;
            let span = self.samples.last().map_or(0, |l| l.time)
                - self.samples.first().map_or(0, |f| f.time);
            self.min_interval = (span / HEAP_SAMPLES as u64)
                .max(self.min_interval * 2)
                .max(1);
        }
        self.samples.push(sample);
    }
}

/// Records per second, smoothed, per channel / subtask / sink.
#[derive(Clone, Debug, Default)]
pub struct FlowRates {
    pub channels: Vec<f64>,
    pub subtasks: Vec<f64>,
    pub sink: f64,
    last_channels: Vec<u64>,
    last_subtasks: Vec<u64>,
    last_sink: u64,
}

impl FlowRates {
    fn update(&mut self, cluster: &MiniCluster, wall_dt_s: f64) {
        let s = cluster.source_parallelism();
        let p = cluster.parallelism();
        let channels: Vec<u64> = (0..s)
            .flat_map(|j| (0..p).map(move |i| (j, i)))
            .map(|(j, i)| cluster.channel(j, i).records_sent())
            .collect();
        let subtasks: Vec<u64> = cluster
            .tasks()
            .iter()
            .map(|t| t.records_processed())
            .collect();
        let sink = cluster.sink().written();
        if channels.len() != self.last_channels.len() || wall_dt_s <= 0.0 {
            self.channels = vec![0.0; channels.len()];
            self.subtasks = vec![0.0; subtasks.len()];
        } else {
            let smooth = |old: f64, new: f64| old * 0.8 + new * 0.2;
            for (i, (&now, &before)) in channels.iter().zip(&self.last_channels).enumerate() {
                self.channels[i] = smooth(
                    self.channels[i],
                    now.saturating_sub(before) as f64 / wall_dt_s,
                );
            }
            for (i, (&now, &before)) in subtasks.iter().zip(&self.last_subtasks).enumerate() {
                self.subtasks[i] = smooth(
                    self.subtasks[i],
                    now.saturating_sub(before) as f64 / wall_dt_s,
                );
            }
            self.sink = smooth(
                self.sink,
                sink.saturating_sub(self.last_sink) as f64 / wall_dt_s,
            );
        }
        self.last_channels = channels;
        self.last_subtasks = subtasks;
        self.last_sink = sink;
    }
}

/// The last `processElement` the page saw, to highlight it.
#[derive(Clone, Debug, PartialEq)]
pub struct LastRecord {
    pub time: u64,
    pub event: EngineEvent,
}

/// How long key groups that moved in a restore stay outlined: wall ms of playing (paused, they stay).
const MOVED_OUTLINED_MS: f64 = 4000.0;

/// Key groups that changed subtask in the latest restore, and how long the job has played since (wall ms):
/// the state table outlines them until it has played a few seconds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MovedKeyGroups {
    pub key_groups: Vec<u32>,
    pub played_ms: f64,
}

/// Collects per-record events into the page's buffers.
struct PageReporter<'a> {
    log: &'a mut VecDeque<(u64, EngineEvent)>,
    last_record: &'a mut Option<LastRecord>,
    marks: &'a mut Vec<(u64, HeapMark)>,
    /// The job's parallelism before the events noted so far, and the key groups the latest restore moved.
    parallelism: u32,
    moved: &'a mut Option<MovedKeyGroups>,
}

impl PageReporter<'_> {
    fn note(&mut self, now: u64, event: EngineEvent) {
        match &event {
            EngineEvent::TaskFailed { cause, .. } => {
                let mark = match cause {
                    crate::engine::cluster::engine_event::FailureCause::OutOfMemory {
                        task_manager,
                        ..
                    } => HeapMark::OutOfMemory(*task_manager),
                    _ => HeapMark::Failure,
                };
                self.marks.push((now, mark));
            }
            EngineEvent::JobRestored {
                parallelism,
                max_parallelism,
                ..
            } => {
                self.marks.push((now, HeapMark::Restored));
                // Every restore, by hand, by a script or by the restart strategy, says which key groups moved.
                *self.moved = Some(MovedKeyGroups {
                    key_groups: moved_key_groups(*max_parallelism, self.parallelism, *parallelism),
                    played_ms: 0.0,
                });
                self.parallelism = *parallelism;
            }
            EngineEvent::RecordProcessed { .. } => {
                *self.last_record = Some(LastRecord {
                    time: now,
                    event: event.clone(),
                });
            }
            _ => {}
        }
        if is_logged(&event) {
            if self.log.len() == LOG_LIMIT {
                self.log.pop_front();
            }
            self.log.push_back((now, event));
        }
    }
}

/// What the event log shows: milestones (resizes and rehashes among them, reported on the fast path too), and
/// the records that copied entries on write.
fn is_logged(event: &EngineEvent) -> bool {
    match event {
        EngineEvent::RecordProcessed { read, write, .. } => {
            write.entry_copies + read.entry_copies > 0
        }
        EngineEvent::RecordEmitted { .. }
        | EngineEvent::BarrierReceived { .. }
        | EngineEvent::SnapshotKeyGroupWritten { .. }
        | EngineEvent::SourceBackpressured { .. } => false,
        _ => true,
    }
}

struct Detailed<'a>(PageReporter<'a>);
struct Fast<'a>(PageReporter<'a>);

impl Reporter for Detailed<'_> {
    const PER_RECORD: bool = true;
    fn report(&mut self, at: u64, event: EngineEvent) {
        self.0.note(at, event);
    }
}

impl Reporter for Fast<'_> {
    const PER_RECORD: bool = false;
    fn report(&mut self, at: u64, event: EngineEvent) {
        self.0.note(at, event);
    }
}

pub struct Simulation {
    /// The job, moved only through `history` (so that any moment of the run can be gone back to).
    pub cluster: MiniCluster,
    /// The run so far: time travel (see [`RunHistory`]).
    pub history: RunHistory,
    /// Names this job's checkpoints in browser storage, like Flink's `JobID`: a new one for every job
    /// started (a reset, a start from a stored checkpoint), so tabs and runs never share checkpoint names.
    pub job_id: String,
    /// The newest of this job's checkpoints that browser storage has (or that will not be stored).
    pub stored_up_to: u64,
    /// When this job was started (wall clock, ms since the epoch): stored with its checkpoints.
    pub started_at_ms: f64,
    /// The configuration the job was (re)started with.
    config: JobConfig,
    /// Simulated time the views draw at (≥ the engine's clock only while nothing happens).
    pub display_time: u64,
    pub playing: bool,
    pub speed: usize,
    pub log: VecDeque<(u64, EngineEvent)>,
    pub last_record: Option<LastRecord>,
    pub heap: HeapHistory,
    pub rates: FlowRates,
    /// Key groups that changed subtask in the latest restore (for highlighting).
    moved_key_groups: Option<MovedKeyGroups>,
    /// The engine could not keep up with the requested speed in the last frame.
    pub behind: bool,
    /// While idle: the pending action's time and the speed that reaches it in `SKIP_IDLE_AFTER_S`.
    idle_boost: Option<(u64, f64)>,
    /// Where playing stops by itself: checked after every engine step while playing, so the job pauses
    /// exactly at the step that makes it hold (a lesson's moment, not a frame later). Cleared when it fires.
    pub pause_when: Option<PauseWhen>,
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

/// A condition on the job (see [`Simulation::pause_when`]).
pub type PauseWhen = Box<dyn Fn(&MiniCluster) -> bool>;

impl Simulation {
    pub fn new(config: JobConfig) -> Result<Self, EngineError> {
        let cluster = MiniCluster::new(config.clone())?;
        Ok(Simulation::around(cluster, config))
    }

    fn around(cluster: MiniCluster, config: JobConfig) -> Self {
        let mut sim = Simulation {
            history: RunHistory::new(&cluster),
            cluster,
            job_id: new_job_id(),
            stored_up_to: 0,
            started_at_ms: js_sys::Date::now(),
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

    /// Starts the job a checkpoint blob was taken from, restored at `parallelism` (`flink run -s`). Speed and
    /// play state stay as they were; the job is new, with the blob's configuration.
    pub fn start_from_blob(
        &mut self,
        blob: &[u8],
        parallelism: Option<u32>,
    ) -> Result<(), EngineError> {
        let mut events = Vec::new();
        let cluster = MiniCluster::from_blob(blob, parallelism, &mut events)?;
        let config = cluster.config().clone();
        let restored = latest_checkpoint_id(&cluster);
        let mut fresh = Simulation::around(cluster, config);
        // The checkpoint it started from is stored already.
        fresh.stored_up_to = restored;
        fresh.speed = self.speed;
        fresh.playing = self.playing;
        fresh.pause_when = self.pause_when.take();
        fresh.display_time = fresh.cluster.now();
        let parallelism = fresh.cluster.parallelism();
        fresh.record(events, parallelism);
        fresh.heap = HeapHistory::default();
        fresh.sample_heap();
        *self = fresh;
        Ok(())
    }

    pub fn config(&self) -> &JobConfig {
        &self.config
    }

    /// The key groups the latest restore moved, while the state table outlines them.
    pub fn outlined_moved_key_groups(&self) -> Option<&[u32]> {
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

    /// Stands inside the `records`-th record's `processElement` after `line` ran, as a debugger stopped there
    /// would: the views then show the job at that line. Anything but a line inside the newest record (or
    /// `None`) shows the job as it is.
    pub fn stop_inside(&mut self, at: Option<(u64, ProcessLine)>) {
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

    /// Restarts from scratch with a (possibly new) configuration, keeping speed and play state.
    pub fn reset(&mut self, config: JobConfig) -> Result<(), EngineError> {
        let mut fresh = Simulation::new(config)?;
        fresh.speed = self.speed;
        fresh.playing = self.playing;
        fresh.pause_when = self.pause_when.take();
        *self = fresh;
        Ok(())
    }

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

    /// Runs the engine until `limit`, collecting events; returns the steps taken.
    fn run(&mut self, limit: RunLimit, detailed: bool) -> u64 {
        self.stopped = None;
        let page = PageReporter {
            log: &mut self.log,
            last_record: &mut self.last_record,
            marks: &mut self.heap.marks,
            parallelism: self.cluster.parallelism(),
            moved: &mut self.moved_key_groups,
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

    /// Runs like [`Simulation::run`] while playing, one step at a time when [`Simulation::pause_when`] is
    /// set: it pauses, and stops, right after the step at which that holds (or before any, if it holds now).
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
            if self.run(one, detailed) == 0 {
                break;
            }
            taken += 1;
        }
        taken
    }

    /// Pauses if [`Simulation::pause_when`] holds (and forgets it); whether it did.
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
    pub fn seek(&mut self, step: u64) -> Result<(), PageError> {
        self.stopped = None;
        let mut log = VecDeque::new();
        let mut last_record = None;
        let mut marks = Vec::new();
        // Replayed restores are history: nothing is outlined after a jump in time.
        let mut moved = None;
        let cluster = {
            let page = PageReporter {
                log: &mut log,
                last_record: &mut last_record,
                marks: &mut marks,
                parallelism: self.cluster.parallelism(),
                moved: &mut moved,
            };
            self.history
                .seek_reporting(step, SEEK_LOG_STEPS, &mut Detailed(page))?
        };
        self.cluster = cluster;
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
    pub fn undo_fork(&mut self) -> Result<(), PageError> {
        self.playing = false;
        if let Some(step) = self.history.undo_fork() {
            self.seek(step)?;
            // The brought-back future completes its checkpoints again, and stores them over the new ones.
            self.stored_up_to = self.stored_up_to.min(latest_checkpoint_id(&self.cluster));
        }
        Ok(())
    }

    /// One record back: the job right after the record before the newest one it processed.
    pub fn step_back(&mut self) -> Result<(), PageError> {
        self.playing = false;
        let records = self.cluster.counters().records_processed;
        let step = if records <= self.history.origin().records {
            self.history.origin().step
        } else {
            self.history.step_of_record(records - 1)?
        };
        self.seek(step)
    }

    /// Whether the views show a moment before the furthest point of the run.
    pub fn in_the_past(&self) -> bool {
        !self.history.is_at_head(&self.cluster)
    }

    /// One animation frame: `wall_dt_ms` since the last one; the engine may use `budget_ms` of wall time, read
    /// with `now_ms`.
    pub fn tick(&mut self, wall_dt_ms: f64, budget_ms: f64, now_ms: &dyn Fn() -> f64) {
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
                // Paused where `pause_when` held: the views show that very step.
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

    /// Elements on the wire between sources and subtasks.
    pub fn in_flight(&self) -> usize {
        let s = self.cluster.source_parallelism();
        let p = self.cluster.parallelism();
        (0..s)
            .flat_map(|j| (0..p).map(move |i| (j, i)))
            .map(|(j, i)| self.cluster.channel(j, i).len())
            .sum()
    }

    /// Processes exactly one more record (and whatever comes before it), collecting its events.
    pub fn step_record(&mut self) {
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

    /// Triggers a checkpoint now.
    pub fn trigger_checkpoint(&mut self) -> Result<(), PageError> {
        self.command(JobCommand::TriggerCheckpoint)
    }

    /// Makes a task fail now, as an exception in `processElement` would.
    pub fn fail_now(&mut self) -> Result<(), PageError> {
        self.command(JobCommand::FailNow {
            description: errors::FAILURE_BY_HAND.en.to_owned(),
        })
    }

    /// Changes the periodic checkpoint interval (`None`: only on demand).
    pub fn set_checkpoint_interval(&mut self, interval_ms: Option<u64>) -> Result<(), PageError> {
        self.command(JobCommand::SetCheckpointInterval { interval_ms })
    }

    /// Sends one event with the key typed by hand. When paused, the job runs until that event is processed, so
    /// its effect on the state shows at once.
    pub fn send_key(&mut self, text: &str) -> Result<(), PageError> {
        let sequence = self.cluster.next_injected_sequence();
        self.command(JobCommand::InjectKey {
            key: text.to_owned(),
        })?;
        if !self.playing {
            let wanted = crate::engine::tasks::stream_element::EventRef::Injected(sequence);
            for _ in 0..10_000 {
                self.step_record();
                let done = matches!(&self.last_record,
                    Some(LastRecord { event: EngineEvent::RecordProcessed { event, .. }, .. }) if *event == wanted);
                if done
                    || self.cluster.status()
                        != crate::engine::cluster::mini_cluster::JobStatus::Running
                {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Restores a retained checkpoint at `parallelism` (the restore's event says which key groups moved).
    pub fn restore(
        &mut self,
        checkpoint_id: Option<u64>,
        parallelism: u32,
    ) -> Result<(), PageError> {
        self.command(JobCommand::Restore {
            checkpoint_id,
            parallelism,
        })?;
        self.rates = FlowRates::default();
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
        };
        for (at, e) in events {
            page.note(at, e);
        }
        self.display_time = self.display_time.max(self.cluster.now());
    }
}
