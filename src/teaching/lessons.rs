//! The guided lessons. Each starts a job preset (`teaching::presets`: its own job or a scenario), then walks through a
//! few steps: text with glossary terms, the parts of the page to look at (by `data-testid`), a "try it" action
//! the page performs on the live simulation, and the condition that shows the step worked — checked against
//! the engine, so a change to the engine that breaks a lesson fails `tests/lessons.rs`.

use crate::engine::cluster::engine_event::FailureCause;
use crate::engine::cluster::job_config::JobConfig;
use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::functions::event_counter_process_function::ProcessLine;
use crate::engine::functions::idle_key_counter_process_function::IDLE_KEY_TTL_MS;
use crate::engine::functions::job_function::JobFunction;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_registry::KeyId;
use crate::engine::memory::task_executor_memory::MemoryConfig;
use crate::engine::state::heap::state_map::ShownState;
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::state::ttl::ttl_utils::expired;
use crate::engine::tasks::stream_element::StreamElement;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use crate::i18n::messages::lessons as m;
use crate::i18n::Text;
use crate::teaching::presets::{self, Preset};

/// How fast "play" plays, as the page's speed control names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// ×0.1 of real time: records travel as dots.
    Slow,
    /// Real time.
    RealTime,
    /// As fast as the engine goes.
    Max,
}

/// One thing a "try it" does to the live simulation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Do {
    /// Process this many records (paused).
    Step(u64),
    /// Play until the step's condition holds (then pause, if the step says so). Last in a "try it".
    Play(Pace),
    /// Play until this holds, then go on with the next action.
    PlayUntil(Pace, Check),
    /// Send one event with this key, typed by hand, and process it.
    SendKey(&'static str),
    /// Follow a key (the key trace, the debugger view).
    Follow(&'static str),
    /// Open one key group's `CopyOnWriteStateMap`.
    OpenKeyGroup(KeyGroup),
    /// Trigger a checkpoint now.
    TriggerCheckpoint,
    /// Restore the latest completed checkpoint at this parallelism.
    RestoreAt(u32),
    /// Set `taskmanager.memory.managed.size` to 0 and start the job again.
    ManagedMemoryZero,
    /// Start a scenario preset.
    Scenario(&'static str),
    /// Start the job again with another `KeyedProcessFunction` (`JobConfig.function`), all else as it was.
    Function(JobFunction),
    /// Stand inside the newest record's `processElement` after this line ran, as "Step into" stopped there
    /// would: the code panel is on that line, and every view shows the job as the lines so far left it.
    StopInside(ProcessLine),
}

/// The Java class of a key's state as the heap holds it (the debugger view's name for it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateClass {
    /// A `Long` (in the entry: `ValueState<Long>`, `ReducingState<Long>`).
    Long,
    /// `java.util.ArrayList` (`ListState`, `ValueState<ArrayList>`).
    ArrayList,
    /// `java.util.HashMap` (`MapState`, `ValueState<HashMap>`).
    HashMap,
    /// `Tuple2` (an `AggregatingState`'s accumulator, a session).
    Tuple2,
    /// `TtlValue` (a state with TTL).
    TtlValue,
    /// `KeyStats`, a POJO (`KeyStatsProcessFunction`).
    KeyStats,
}

impl StateClass {
    fn of(state: &ShownState) -> Option<StateClass> {
        Some(match state {
            ShownState::Long(_) => StateClass::Long,
            ShownState::Object(
                StateValueObject::List { .. } | StateValueObject::TtlList { .. },
            ) => StateClass::ArrayList,
            ShownState::Object(StateValueObject::Map { .. } | StateValueObject::TtlMap { .. }) => {
                StateClass::HashMap
            }
            ShownState::Object(StateValueObject::Tuple2 { .. }) => StateClass::Tuple2,
            ShownState::Object(StateValueObject::TtlValue { .. }) => StateClass::TtlValue,
            ShownState::Object(StateValueObject::KeyStats { .. }) => StateClass::KeyStats,
            ShownState::Missing => return None,
        })
    }
}

/// What shows that a step worked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Check {
    /// At least this many records processed.
    Records(u64),
    /// The key's count is at least this.
    CountAtLeast(&'static str, i64),
    /// This key is followed (page state).
    Following(&'static str),
    /// This key group's map is open (page state).
    KeyGroupOpen(KeyGroup),
    /// This key group's map started a resize.
    Resized(KeyGroup),
    /// This key group's map doubled and finished its incremental rehash.
    RehashCompleted(KeyGroup),
    /// At least this many checkpoints completed.
    CheckpointsCompleted(u64),
    /// A checkpoint is in flight or completed.
    CheckpointTriggered,
    /// A checkpoint barrier is in a channel between a source and a subtask.
    BarrierInFlight,
    /// A subtask aligns a checkpoint's barriers: a channel whose barrier arrived is blocked (the padlock).
    ChannelBlocked,
    /// A subtask is in a checkpoint's asynchronous phase, and an entry was copied on write since its synchronous
    /// phase: the snapshot keeps the old entry, the map the copy.
    CopiedOnWrite,
    /// The job runs at this parallelism.
    Parallelism(u32),
    /// The fullest TaskManager's used heap is at least this many per mille of its limit.
    HeapAtLeast(u32),
    /// A task failed with `OutOfMemoryError`.
    OutOfMemory,
    /// The job restarted at least once.
    Restarted,
    /// `taskmanager.memory.managed.size` is 0.
    ManagedMemoryIsZero,
    /// The job failed because more checkpoints failed in a row than it tolerates.
    CheckpointFailuresExceeded,
    /// The job restarted and its replay is done: it processed again every record it had processed before the
    /// failure, so no key's count is behind the highest count the sink received, and what the sink receives
    /// from now on is new. Right then the sink's newest records are the ones it received twice.
    ReplayDone,
    /// The key's state is an object of this class.
    StateIs(&'static str, StateClass),
    /// The key's count — its `Long`, or its `TtlValue`'s `userValue` — is exactly this.
    CountIs(&'static str, i64),
    /// The key was seen and its state expired (state TTL): its `TtlValue`'s `lastAccessTimestamp` plus the TTL
    /// is at or before the processing time now, or its entry is gone (read or cleaned up).
    Expired(&'static str),
    /// The key was seen and has no state: read after it expired, cleaned up, or cleared.
    CleanedUp(&'static str),
    /// At least this many processing-time timers are registered, over all subtasks.
    TimersAtLeast(u64),
    /// The sink received at least this many records.
    SinkReceived(u64),
    /// The job runs from a restored checkpoint, and its subtasks hold timers again.
    TimersRestored,
    /// The views show the job stopped inside the newest record after this line of `processElement` (page
    /// state).
    StoppedAt(ProcessLine),
}

impl Check {
    /// Whether it holds, when the engine alone can tell (`None` for the page's own state).
    pub fn holds(&self, c: &MiniCluster) -> Option<bool> {
        let map_stats = |kg: KeyGroup| {
            c.key_group_map(kg)
                .map(|m| (m.stats().resizes, m.is_rehashing()))
        };
        Some(match *self {
            Check::Records(n) => c.counters().records_processed >= n,
            Check::CountAtLeast(key, n) => c
                .find_key(key)
                .and_then(|id| c.count_of(id))
                .is_some_and(|count| count >= n),
            Check::Following(_) | Check::KeyGroupOpen(_) | Check::StoppedAt(_) => return None,
            Check::Resized(kg) => map_stats(kg).is_some_and(|(resizes, _)| resizes > 0),
            Check::RehashCompleted(kg) => {
                map_stats(kg).is_some_and(|(resizes, rehashing)| resizes > 0 && !rehashing)
            }
            Check::CheckpointsCompleted(n) => c.counters().checkpoints_completed >= n,
            Check::CheckpointTriggered => {
                c.coordinator().pending().is_some() || c.counters().checkpoints_completed > 0
            }
            Check::BarrierInFlight => channels(c).any(|(j, i)| {
                c.channel(j, i)
                    .in_flight()
                    .any(|f| matches!(f.element, StreamElement::Barrier(_)))
            }),
            Check::ChannelBlocked => channels(c).any(|(j, i)| c.channel(j, i).is_blocked()),
            Check::CopiedOnWrite => c
                .tasks()
                .iter()
                .any(|t| t.snapshot_copies().is_some_and(|n| n > 0)),
            Check::Parallelism(p) => c.parallelism() == p,
            Check::HeapAtLeast(per_mille) => {
                let usage = c.fullest_heap();
                usage.limit > 0 && usage.used * 1000 >= usage.limit * per_mille as u64
            }
            Check::OutOfMemory => {
                matches!(c.last_failure(), Some(FailureCause::OutOfMemory { .. }))
            }
            Check::Restarted => c.counters().restarts > 0,
            Check::ManagedMemoryIsZero => managed_is_zero(c.config()),
            Check::CheckpointFailuresExceeded => matches!(
                c.last_failure(),
                Some(FailureCause::CheckpointFailures { .. })
            ),
            Check::ReplayDone => c.counters().restarts > 0 && replay_done(c),
            Check::StateIs(key, class) => {
                state_of(c, key).is_some_and(|s| StateClass::of(&s) == Some(class))
            }
            Check::CountIs(key, n) => state_of(c, key).is_some_and(|s| match s {
                ShownState::Long(v) => v == n,
                ShownState::Object(StateValueObject::TtlValue { user_value, .. }) => {
                    user_value == Some(n)
                }
                _ => false,
            }),
            Check::Expired(key) => {
                c.find_key(key).is_some() && {
                    let now_ms = (c.now() / 1_000_000) as i64;
                    match state_of(c, key) {
                        None => true,
                        Some(ShownState::Object(StateValueObject::TtlValue {
                            last_access_timestamp,
                            ..
                        })) => expired(last_access_timestamp, IDLE_KEY_TTL_MS, now_ms),
                        Some(_) => false,
                    }
                }
            }
            Check::CleanedUp(key) => c.find_key(key).is_some() && state_of(c, key).is_none(),
            Check::TimersAtLeast(n) => timers(c) >= n,
            Check::SinkReceived(n) => c.sink().written() >= n,
            Check::TimersRestored => c.restored_from().is_some() && timers(c) > 0,
        })
    }
}

/// A key's state as the map of its key group holds it, without touching the map.
fn state_of(c: &MiniCluster, key: &str) -> Option<ShownState> {
    let id = c.find_key(key)?;
    c.key_group_state_map(c.key_group_of(id))?
        .peek_state(id, c.keys().info(id).hash_code)
}

/// The processing-time timers registered in every subtask's timer service.
fn timers(c: &MiniCluster) -> u64 {
    c.tasks()
        .iter()
        .map(|t| t.backend().num_timers() as u64)
        .sum()
}

/// Every channel, as (source subtask, keyed subtask).
fn channels(c: &MiniCluster) -> impl Iterator<Item = (u32, SubtaskIndex)> {
    let p = c.parallelism();
    (0..c.source_parallelism()).flat_map(move |j| SubtaskIndex::all(p).map(move |i| (j, i)))
}

/// Whether every key's count in state has caught up with the highest count the sink received for it.
fn replay_done(c: &MiniCluster) -> bool {
    (0..c.keys().len() as u32).map(KeyId).all(|key| {
        let written = c.sink().max_count(key);
        written == 0 || c.count_of(key).is_some_and(|count| count >= written)
    })
}

fn managed_is_zero(config: &JobConfig) -> bool {
    match &config.memory {
        MemoryConfig::Process { managed_size, .. } => managed_size
            .or(config.memory_options.managed_size)
            .is_some_and(|m| m.bytes() == 0),
        MemoryConfig::Local { .. } => false,
    }
}

/// The "try it" of a step.
#[derive(Clone, Copy, Debug)]
pub struct TryIt {
    pub label: Text,
    pub does: &'static [Do],
}

/// One step of a lesson.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    pub text: Text,
    /// `data-testid`s of the parts of the page to look at.
    pub highlight: &'static [&'static str],
    pub try_it: Option<TryIt>,
    /// What shows the step worked; the lesson waits for it before "next" is suggested.
    pub done: Option<Check>,
    /// Pause the job when `done` holds (so the moment stays on screen).
    pub pause_when_done: bool,
}

#[derive(Clone, Copy, Debug)]
pub struct Lesson {
    /// Stable: links use it (`#lesson=heap`).
    pub id: &'static str,
    pub title: Text,
    pub summary: Text,
    /// The job the lesson starts: a preset's id (`teaching::presets`), its own job under the lesson's id or a
    /// scenario.
    pub preset: &'static str,
    pub steps: &'static [Step],
}

impl Lesson {
    /// The job the lesson starts.
    pub fn job(&self) -> Option<&'static Preset> {
        presets::find(self.preset)
    }
}

const fn step(text: Text, highlight: &'static [&'static str]) -> Step {
    Step {
        text,
        highlight,
        try_it: None,
        done: None,
        pause_when_done: false,
    }
}

const fn try_step(
    text: Text,
    highlight: &'static [&'static str],
    label: Text,
    does: &'static [Do],
    done: Check,
    pause_when_done: bool,
) -> Step {
    Step {
        text,
        highlight,
        try_it: Some(TryIt { label, does }),
        done: Some(done),
        pause_when_done,
    }
}

pub const LESSONS: [Lesson; 12] = [
    Lesson {
        id: "value-state",
        title: m::L1_TITLE,
        summary: m::L1_SUMMARY,
        preset: "value-state",
        steps: &[
            try_step(
                m::L1_S1,
                &["code-panel", "step"],
                m::L1_S1_TRY,
                &[Do::Step(1)],
                Check::Records(1),
                false,
            ),
            try_step(
                m::L1_S2,
                &["code-panel", "send-key"],
                m::L1_S2_TRY,
                &[
                    Do::Follow("user-1"),
                    Do::SendKey("user-1"),
                    Do::SendKey("user-1"),
                    Do::SendKey("user-1"),
                ],
                Check::CountAtLeast("user-1", 3),
                false,
            ),
            try_step(
                m::L1_S3,
                &["code-panel", "debugger-view"],
                m::L1_S3_TRY,
                &[Do::Follow("user-42"), Do::SendKey("user-42")],
                Check::CountAtLeast("user-42", 1),
                false,
            ),
            step(m::L1_S4, &["debugger-view"]),
        ],
    },
    Lesson {
        id: "key-groups",
        title: m::L2_TITLE,
        summary: m::L2_SUMMARY,
        preset: "key-groups",
        steps: &[
            try_step(
                m::L2_S1,
                &["key-trace"],
                m::L2_S1_TRY,
                &[Do::Follow("user-1")],
                Check::Following("user-1"),
                false,
            ),
            try_step(
                m::L2_S2,
                &["state-table"],
                m::L2_S2_TRY,
                &[Do::Play(Pace::RealTime)],
                Check::Records(2_000),
                true,
            ),
            try_step(
                m::L2_S3,
                &["state-table", "job-graph"],
                m::L2_S3_TRY,
                &[
                    Do::TriggerCheckpoint,
                    Do::PlayUntil(Pace::RealTime, Check::CheckpointsCompleted(1)),
                    Do::RestoreAt(3),
                ],
                Check::Parallelism(3),
                true,
            ),
            step(m::L2_S4, &["state-table"]),
        ],
    },
    Lesson {
        id: "state-map",
        title: m::L3_TITLE,
        summary: m::L3_SUMMARY,
        preset: "state-map",
        steps: &[
            try_step(
                m::L3_S1,
                &["keygroup-map"],
                m::L3_S1_TRY,
                &[Do::OpenKeyGroup(KeyGroup::new(0))],
                Check::KeyGroupOpen(KeyGroup::new(0)),
                false,
            ),
            try_step(
                m::L3_S2,
                &["keygroup-map"],
                m::L3_S2_TRY,
                &[Do::OpenKeyGroup(KeyGroup::new(0)), Do::Play(Pace::RealTime)],
                Check::Resized(KeyGroup::new(0)),
                true,
            ),
            try_step(
                m::L3_S3,
                &["keygroup-map"],
                m::L3_S3_TRY,
                &[Do::Play(Pace::Slow)],
                Check::RehashCompleted(KeyGroup::new(0)),
                true,
            ),
            step(m::L3_S4, &["keygroup-map", "heap-gauge"]),
        ],
    },
    Lesson {
        id: "heap",
        title: m::L4_TITLE,
        summary: m::L4_SUMMARY,
        preset: "heap",
        steps: &[
            step(m::L4_S1, &["heap-gauge"]),
            // Each of the next three steps plays fast and pauses at its own moment: half the heap used, the
            // first OutOfMemoryError, the restore after it.
            try_step(
                m::L4_S2,
                &["heap-gauge", "heap-chart"],
                m::L4_S2_TRY,
                &[Do::Play(Pace::Max)],
                Check::HeapAtLeast(500),
                true,
            ),
            try_step(
                m::L4_S3,
                &["heap-chart", "job-status"],
                m::L4_OOM_TRY,
                &[Do::Play(Pace::Max)],
                Check::OutOfMemory,
                true,
            ),
            try_step(
                m::L4_RESTORED,
                &["heap-chart", "job-status"],
                m::L4_RESTORED_TRY,
                &[Do::Play(Pace::Max)],
                Check::Restarted,
                true,
            ),
            try_step(
                m::L4_S4,
                &["heap-gauge"],
                m::L4_S4_TRY,
                &[Do::ManagedMemoryZero],
                Check::ManagedMemoryIsZero,
                false,
            ),
        ],
    },
    Lesson {
        id: "checkpoints",
        title: m::L5_TITLE,
        summary: m::L5_SUMMARY,
        preset: "checkpoints",
        steps: &[
            // Each step plays in slow motion and pauses at its moment: the barriers on the wire, a channel
            // blocked by alignment (the padlock), the asynchronous phase right after an entry was copied on
            // write, the checkpoint completed.
            try_step(
                m::L5_S1,
                &["checkpoint-trigger", "job-graph"],
                m::L5_S1_TRY,
                &[Do::Step(20), Do::TriggerCheckpoint, Do::Play(Pace::Slow)],
                Check::BarrierInFlight,
                true,
            ),
            try_step(
                m::L5_S2,
                &["job-graph"],
                m::L5_S2_TRY,
                &[Do::Play(Pace::Slow)],
                Check::ChannelBlocked,
                true,
            ),
            try_step(
                m::L5_S3,
                &["keygroup-map", "heap-gauge"],
                m::L5_S3_TRY,
                &[Do::Play(Pace::Slow)],
                Check::CopiedOnWrite,
                true,
            ),
            try_step(
                m::L5_S4,
                &["checkpoint-list"],
                m::L5_S4_TRY,
                &[Do::Play(Pace::Slow)],
                Check::CheckpointsCompleted(1),
                true,
            ),
            // Paused the moment the expired checkpoint fails the job.
            try_step(
                m::L5_S5,
                &["checkpoint-list", "job-status"],
                m::L5_S5_TRY,
                &[Do::Scenario("checkpoint-timeout"), Do::Play(Pace::Max)],
                Check::CheckpointFailuresExceeded,
                true,
            ),
        ],
    },
    Lesson {
        id: "recovery",
        title: m::L6_TITLE,
        summary: m::L6_SUMMARY,
        preset: "failure-recovery",
        steps: &[
            // Paused right after the restore, so that the replay can be watched from its start.
            try_step(
                m::L6_S1,
                &["job-graph", "job-status"],
                m::L6_S1_TRY,
                &[Do::Play(Pace::RealTime)],
                Check::Restarted,
                true,
            ),
            // Paused when the replay is done: the sink output then shows the records it received twice.
            try_step(
                m::L6_S2,
                &["sink-output", "event-log"],
                m::L6_S2_TRY,
                &[Do::Play(Pace::Slow)],
                Check::ReplayDone,
                true,
            ),
            // Paused right after the restore of the at-least-once run, as in step 1.
            try_step(
                m::L6_S3,
                &["sink-output", "state-table"],
                m::L6_S3_TRY,
                &[Do::Scenario("at-least-once"), Do::Play(Pace::Max)],
                Check::Restarted,
                true,
            ),
        ],
    },
    Lesson {
        id: "rescale",
        title: m::L7_TITLE,
        summary: m::L7_SUMMARY,
        preset: "rescale-2-to-3",
        steps: &[
            try_step(
                m::L7_S1,
                &["job-graph", "state-table"],
                m::L7_S1_TRY,
                &[Do::Play(Pace::RealTime)],
                Check::Parallelism(3),
                true,
            ),
            step(m::L7_S2, &["state-table"]),
            step(m::L7_S3, &["state-table", "checkpoint-list"]),
        ],
    },
    Lesson {
        id: "state-primitives",
        title: m::L8_TITLE,
        summary: m::L8_SUMMARY,
        preset: "state-primitives",
        steps: &[
            try_step(
                m::L8_S1,
                &["code-panel", "debugger-view"],
                m::L8_S1_TRY,
                &[
                    Do::Follow("user-42"),
                    Do::SendKey("user-42"),
                    Do::SendKey("user-42"),
                    Do::SendKey("user-42"),
                ],
                Check::StateIs("user-42", StateClass::ArrayList),
                false,
            ),
            try_step(
                m::L8_S2,
                &["code-panel", "debugger-view"],
                m::L8_S2_TRY,
                &[
                    Do::Function(JobFunction::CategoryCounts),
                    Do::SendKey("user-42"),
                    Do::SendKey("user-42"),
                ],
                Check::StateIs("user-42", StateClass::HashMap),
                false,
            ),
            try_step(
                m::L8_S3,
                &["code-panel", "debugger-view"],
                m::L8_S3_TRY,
                &[
                    Do::Function(JobFunction::RunningSum),
                    Do::SendKey("user-42"),
                    Do::SendKey("user-42"),
                ],
                Check::StateIs("user-42", StateClass::Long),
                false,
            ),
            try_step(
                m::L8_S4,
                &["code-panel", "debugger-view"],
                m::L8_S4_TRY,
                &[
                    Do::Function(JobFunction::Average),
                    Do::SendKey("user-42"),
                    Do::SendKey("user-42"),
                ],
                Check::StateIs("user-42", StateClass::Tuple2),
                false,
            ),
            step(m::L8_S5, &["state-table", "key-trace"]),
        ],
    },
    Lesson {
        id: "map-state",
        title: m::L9_TITLE,
        summary: m::L9_SUMMARY,
        preset: "map-state",
        steps: &[
            try_step(
                m::L9_S1,
                &["code-panel", "debugger-view"],
                m::L9_S1_TRY,
                &[
                    Do::Follow("user-1"),
                    Do::SendKey("user-1"),
                    Do::SendKey("user-1"),
                    Do::SendKey("user-1"),
                ],
                Check::StateIs("user-1", StateClass::HashMap),
                false,
            ),
            try_step(
                m::L9_S2,
                &["keygroup-map"],
                m::L9_S2_TRY,
                &[Do::OpenKeyGroup(USER_1_KEY_GROUP)],
                Check::KeyGroupOpen(USER_1_KEY_GROUP),
                false,
            ),
            // Paused right after the first copy on write of the checkpoint's asynchronous phase.
            try_step(
                m::L9_S3,
                &["keygroup-map", "heap-gauge"],
                m::L9_S3_TRY,
                &[Do::TriggerCheckpoint, Do::Play(Pace::Slow)],
                Check::CopiedOnWrite,
                true,
            ),
            try_step(
                m::L9_S4,
                &["code-panel", "debugger-view"],
                m::L9_S4_TRY,
                &[
                    Do::Function(JobFunction::CategoryCountsInValue),
                    Do::SendKey("user-1"),
                    Do::SendKey("user-1"),
                ],
                Check::StateIs("user-1", StateClass::HashMap),
                false,
            ),
        ],
    },
    Lesson {
        id: "state-ttl",
        title: m::L10_TITLE,
        summary: m::L10_SUMMARY,
        preset: "state-ttl",
        steps: &[
            try_step(
                m::L10_S1,
                &["code-panel", "debugger-view"],
                m::L10_S1_TRY,
                &[
                    Do::Follow("user-777"),
                    Do::SendKey("user-777"),
                    Do::SendKey("user-777"),
                ],
                Check::CountIs("user-777", 2),
                false,
            ),
            // Paused at the very step the value expires: still stored.
            try_step(
                m::L10_S2,
                &["key-trace", "debugger-view"],
                m::L10_S2_TRY,
                &[Do::Play(Pace::Max)],
                Check::Expired("user-777"),
                true,
            ),
            try_step(
                m::L10_S3,
                &["code-panel", "key-trace"],
                m::L10_S3_TRY,
                &[Do::SendKey("user-777")],
                Check::CountIs("user-777", 1),
                false,
            ),
            // Paused when the cleanup removed it (nobody sends user-777 again), at least 5 s later.
            try_step(
                m::L10_S4,
                &["key-trace", "state-table"],
                m::L10_S4_TRY,
                &[Do::Play(Pace::Max)],
                Check::CleanedUp("user-777"),
                true,
            ),
            try_step(
                m::L10_S5,
                &["checkpoint-trigger", "checkpoint-list"],
                m::L10_S5_TRY,
                &[Do::TriggerCheckpoint, Do::Play(Pace::Max)],
                Check::CheckpointsCompleted(1),
                true,
            ),
        ],
    },
    Lesson {
        id: "timers",
        title: m::L11_TITLE,
        summary: m::L11_SUMMARY,
        preset: "timers",
        steps: &[
            try_step(
                m::L11_S1,
                &["code-panel", "debugger-view"],
                m::L11_S1_TRY,
                &[Do::Follow("user-5000"), Do::SendKey("user-5000")],
                Check::TimersAtLeast(1),
                false,
            ),
            // Paused at the first session onTimer emitted: the code panel on onTimer, the sink output with it.
            try_step(
                m::L11_S2,
                &["code-panel", "sink-output"],
                m::L11_S2_TRY,
                &[Do::Play(Pace::RealTime)],
                Check::SinkReceived(1),
                true,
            ),
            try_step(
                m::L11_S3,
                &["checkpoint-list", "debugger-view"],
                m::L11_S3_TRY,
                &[
                    Do::TriggerCheckpoint,
                    Do::PlayUntil(Pace::RealTime, Check::CheckpointsCompleted(1)),
                    Do::RestoreAt(3),
                ],
                Check::TimersRestored,
                true,
            ),
        ],
    },
    Lesson {
        id: "object-reuse",
        title: m::L12_TITLE,
        summary: m::L12_SUMMARY,
        preset: "object-reuse",
        steps: &[
            try_step(
                m::L12_S1,
                &["code-panel", "debugger-view"],
                m::L12_S1_TRY,
                &[
                    Do::Follow("user-1"),
                    Do::SendKey("user-1"),
                    Do::SendKey("user-1"),
                    Do::StopInside(ProcessLine::AfterUpdate),
                ],
                Check::StoppedAt(ProcessLine::AfterUpdate),
                false,
            ),
            // Paused right after the first copy on write of the checkpoint's asynchronous phase.
            try_step(
                m::L12_S2,
                &["keygroup-map", "heap-gauge"],
                m::L12_S2_TRY,
                &[Do::TriggerCheckpoint, Do::Play(Pace::Slow)],
                Check::CopiedOnWrite,
                true,
            ),
            step(m::L12_S3, &["code-panel"]),
        ],
    },
];

/// The key group of `user-1` at the default maxParallelism 128 (the map-state lesson opens it).
const USER_1_KEY_GROUP: KeyGroup = KeyGroup::new(121);

pub fn find(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cluster::engine_event::Milestones;
    use crate::engine::cluster::run_limit::RunLimit;

    fn job(preset: &str) -> MiniCluster {
        MiniCluster::new(presets::find(preset).expect("a preset").config()).expect("a job")
    }

    /// Runs until `check` holds, within a bound.
    fn until(c: &mut MiniCluster, check: Check) {
        for _ in 0..2_000_000 {
            if check.holds(c) == Some(true) {
                return;
            }
            assert!(
                c.step(&mut Milestones::default()),
                "{check:?}: the job stopped"
            );
        }
        panic!("{check:?} never held");
    }

    #[test]
    fn a_keys_state_class_and_count_read_off_its_map() {
        let mut c = job("state-ttl");
        let (is, count) = (
            Check::StateIs("k-1", StateClass::TtlValue),
            Check::CountIs("k-1", 1),
        );
        assert_eq!(
            (is.holds(&c), count.holds(&c)),
            (Some(false), Some(false)),
            "an unknown key"
        );
        c.inject_key("k-1").unwrap();
        until(&mut c, is);
        assert_eq!(count.holds(&c), Some(true));
        assert_eq!(Check::CountIs("k-1", 2).holds(&c), Some(false));
        assert_eq!(
            Check::StateIs("k-1", StateClass::Long).holds(&c),
            Some(false)
        );
        // A counter's state is a Long in the entry; a list's an ArrayList.
        let mut counter = job("value-state");
        counter.inject_key("k-1").unwrap();
        until(&mut counter, Check::StateIs("k-1", StateClass::Long));
        assert_eq!(Check::CountIs("k-1", 1).holds(&counter), Some(true));
        let mut log = job("state-primitives");
        log.inject_key("k-1").unwrap();
        until(&mut log, Check::StateIs("k-1", StateClass::ArrayList));
        assert_eq!(
            Check::CountIs("k-1", 1).holds(&log),
            Some(false),
            "a list is no count"
        );
    }

    #[test]
    fn a_ttl_value_expires_5_s_after_its_write_and_the_cleanup_removes_it() {
        let mut c = job("state-ttl");
        assert_eq!(Check::Expired("k-1").holds(&c), Some(false), "never seen");
        assert_eq!(Check::CleanedUp("k-1").holds(&c), Some(false), "never seen");
        c.inject_key("k-1").unwrap();
        until(&mut c, Check::CountIs("k-1", 1));
        let written_ms = (c.now() / 1_000_000) as i64;
        assert_eq!(Check::Expired("k-1").holds(&c), Some(false));
        until(&mut c, Check::Expired("k-1"));
        assert!((c.now() / 1_000_000) as i64 >= written_ms + IDLE_KEY_TTL_MS);
        // Expired, still stored: the cleanup removes it later.
        assert_eq!(Check::CleanedUp("k-1").holds(&c), Some(false));
        until(&mut c, Check::CleanedUp("k-1"));
        assert_eq!(
            Check::Expired("k-1").holds(&c),
            Some(true),
            "gone counts as expired"
        );
    }

    #[test]
    fn timers_registered_fired_and_restored() {
        let mut c = job("timers");
        assert_eq!(Check::TimersAtLeast(1).holds(&c), Some(false));
        c.run(RunLimit::records(1), &mut Milestones::default());
        assert_eq!(Check::TimersAtLeast(1).holds(&c), Some(true));
        assert_eq!(
            Check::SinkReceived(1).holds(&c),
            Some(false),
            "a session emits from onTimer only"
        );
        until(&mut c, Check::SinkReceived(1));
        assert_eq!(Check::TimersRestored.holds(&c), Some(false), "not restored");
        c.trigger_checkpoint().unwrap();
        until(&mut c, Check::CheckpointsCompleted(1));
        c.restore(None, 3, &mut Milestones::default()).unwrap();
        assert_eq!(Check::TimersRestored.holds(&c), Some(true));
    }
}
