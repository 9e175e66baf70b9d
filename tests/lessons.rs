//! Every lesson, run headless through the engine the way the page runs it: each step's "try it" must get the
//! job to the state the step promises (its `done` check), within bounds. A change to the engine or to a
//! lesson's job that breaks a lesson fails here before a learner meets it.

use statelab::engine::checkpoint::state_assignment_operation::moved_key_groups;
use statelab::engine::cluster::engine_event::{EngineEvent, FailureCause, Milestones, Reporter};
use statelab::engine::cluster::job_config::JobConfig;
use statelab::engine::cluster::job_status::JobStatus;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::functions::event_counter_process_function::ProcessLine;
use statelab::engine::keys::key_group::KeyGroup;
use statelab::engine::memory::memory_size::MemorySize;
use statelab::engine::memory::task_executor_memory::MemoryConfig;
use statelab::engine::state::heap::state_objects::StateValueObject;
use statelab::engine::tasks::stream_element::EventRef;
use statelab::engine::tasks::subtask_index::SubtaskIndex;
use statelab::i18n::Lang;
use statelab::player::simulation::{JobStart, Simulation, SimulationAction};
use statelab::teaching::lessons::{Check, Do, Lesson, Step, LESSONS};
use statelab::teaching::presets;
use statelab::teaching::{glossary, markup, Span};

/// The page state the engine does not know about.
#[derive(Default)]
struct Page {
    followed: Option<&'static str>,
    open_key_group: Option<KeyGroup>,
    /// Stopped inside the newest record after this line (until the job runs on).
    stopped_at: Option<ProcessLine>,
}

impl Page {
    fn holds(&self, c: &MiniCluster, check: Check) -> bool {
        match check {
            Check::Following(key) => self.followed == Some(key),
            Check::KeyGroupOpen(kg) => self.open_key_group == Some(kg),
            Check::StoppedAt(line) => self.stopped_at == Some(line),
            other => other.holds(c).expect("an engine check"),
        }
    }
}

/// Steps until `check` holds; fails the test after `max_steps` engine steps.
fn play_until(c: &mut MiniCluster, page: &Page, check: Check, what: &str, r: &mut Milestones) {
    let mut steps = 0u64;
    while !page.holds(c, check) {
        let taken = c.run(RunLimit::steps(16), r);
        steps += taken;
        assert!(
            taken > 0 || page.holds(c, check),
            "{what}: the job stopped before {check:?}"
        );
        assert!(
            steps < 30_000_000,
            "{what}: {check:?} did not happen within 30M steps"
        );
    }
}

/// Whether the record of the key typed by hand as number `sequence` was processed.
struct Processed {
    sequence: u64,
    done: bool,
}

impl Reporter for Processed {
    const PER_RECORD: bool = true;
    fn report(&mut self, _: u64, event: EngineEvent) {
        if let EngineEvent::RecordProcessed {
            event: EventRef::Injected(n),
            ..
        } = event
        {
            self.done |= n == self.sequence;
        }
    }
}

fn send_key(c: &mut MiniCluster, key: &str) {
    let before = c.counters().records_processed;
    let sequence = c.next_injected_sequence();
    c.inject_key(key).expect("a valid key");
    // The typed key is processed once the source split's log reaches it: run until its record went through
    // `processElement`, as the page does when paused.
    let mut r = Processed {
        sequence,
        done: false,
    };
    for _ in 0..1_000_000 {
        if r.done {
            break;
        }
        c.run(RunLimit::steps(1), &mut r);
    }
    assert!(
        r.done,
        "the key {key} sent by hand (#{sequence}) was processed"
    );
    assert!(c.counters().records_processed > before);
}

/// Walks a lesson as the page does: each step's "try it" action by action — a step that pauses when its
/// condition holds plays one engine step at a time and stops at the very step that makes it hold, as the page's
/// `Simulation::pause_when` does; other plays stop at the first chunk where it holds. After each step, `at_step`
/// sees the job, the page state and the milestones the step reported.
fn walk(
    lesson: &Lesson,
    mut at_step: impl FnMut(usize, &Step, &MiniCluster, &Page, &[EngineEvent]),
) {
    let mut c = MiniCluster::new(
        lesson
            .job()
            .map(|preset| preset.config())
            .expect("a known setup"),
    )
    .expect("a valid job");
    let mut page = Page::default();
    for (n, step) in lesson.steps.iter().enumerate() {
        let what = format!("lesson {} step {}", lesson.id, n + 1);
        let mut r = Milestones::default();
        let play = |c: &mut MiniCluster, page: &Page, check: Check, r: &mut Milestones| {
            if step.pause_when_done && Some(check) == step.done {
                step_until(c, check, &what, r);
            } else {
                play_until(c, page, check, &what, r);
            }
        };
        if let Some(try_it) = step.try_it {
            for action in try_it.does {
                // The job runs on from where it stood, except to stand inside its newest record.
                if !matches!(
                    action,
                    Do::StopInside(_) | Do::Follow(_) | Do::OpenKeyGroup(_)
                ) {
                    page.stopped_at = None;
                }
                match *action {
                    Do::Step(records) => {
                        c.run(RunLimit::records(records), &mut r);
                    }
                    Do::Play(_) => {
                        let done = step.done.expect("a step that plays says until when");
                        play(&mut c, &page, done, &mut r);
                    }
                    Do::PlayUntil(_, check) => play_until(&mut c, &page, check, &what, &mut r),
                    Do::SendKey(key) => send_key(&mut c, key),
                    Do::Follow(key) => page.followed = Some(key),
                    Do::OpenKeyGroup(kg) => page.open_key_group = Some(kg),
                    Do::TriggerCheckpoint => {
                        c.trigger_checkpoint().expect("the job runs");
                    }
                    Do::RestoreAt(p) => c.restore(None, p, &mut r).expect("a completed checkpoint"),
                    Do::ManagedMemoryZero => {
                        let mut config = c.config().clone();
                        let MemoryConfig::Process { process_size, .. } = config.memory else {
                            panic!("{what}: the lesson's TaskManager is sized by process.size");
                        };
                        config.memory = MemoryConfig::Process {
                            process_size,
                            managed_size: Some(MemorySize::of_mebibytes(0)),
                        };
                        c = MiniCluster::new(config).expect("a valid job");
                    }
                    Do::Function(function) => {
                        let mut config = c.config().clone();
                        config.function = function;
                        c = MiniCluster::new(config).expect("a valid job");
                    }
                    Do::StopInside(line) => page.stopped_at = Some(line),
                    Do::Scenario(id) => {
                        c = MiniCluster::new(
                            presets::find_scenario(id).expect("a scenario").config(),
                        )
                        .expect("a valid job");
                    }
                }
            }
        } else if let Some(done) = step.done {
            // A step without a "try it" waits for what the previous one set going.
            play(&mut c, &page, done, &mut r);
        }
        if let Some(done) = step.done {
            assert!(page.holds(&c, done), "{what}: {done:?} after its try-it");
        }
        eprintln!(
            "{what}: {} records, parallelism {}, restarts {}, heap {} of {}",
            c.counters().records_processed,
            c.parallelism(),
            c.counters().restarts,
            c.fullest_heap().used,
            c.fullest_heap().limit
        );
        at_step(n, step, &c, &page, &r.0);
    }
}

#[test]
fn every_lesson_reaches_every_step_it_promises() {
    for lesson in &LESSONS {
        walk(lesson, |_, _, _, _, _| {});
    }
}

/// Steps one engine step at a time until `check` holds, as the page does while a step that pauses when its
/// condition holds plays: the job stops at the very step that makes it hold.
fn step_until(c: &mut MiniCluster, check: Check, what: &str, r: &mut Milestones) {
    for _ in 0..30_000_000u64 {
        if check.holds(c) == Some(true) {
            return;
        }
        assert!(c.step(r), "{what}: the job stopped before {check:?}");
    }
    panic!("{what}: {check:?} did not happen within 30M steps");
}

fn find(id: &str) -> &'static Lesson {
    statelab::teaching::lessons::find(id).expect("a lesson")
}

fn blocked_channels(c: &MiniCluster) -> usize {
    (0..c.source_parallelism())
        .flat_map(|j| SubtaskIndex::all(c.parallelism()).map(move |i| (j, i)))
        .filter(|&(j, i)| c.channel(j, i).is_blocked())
        .count()
}

#[test]
fn the_checkpoints_lesson_pauses_on_barriers_a_padlock_a_copy_on_write_and_the_completion() {
    let lesson = find("checkpoints");
    let mut seen = 0;
    walk(lesson, |n, step, c, _, _| {
        assert!(step.pause_when_done, "step {} pauses at its moment", n + 1);
        let pending = c.coordinator().pending().is_some();
        let completed = c.counters().checkpoints_completed;
        match n {
            // The barriers travel: one is on the wire, the checkpoint is pending, nothing blocked yet.
            0 => {
                assert_eq!(Check::BarrierInFlight.holds(c), Some(true));
                assert!(pending && completed == 0);
                assert_eq!(blocked_channels(c), 0);
            }
            // Alignment: a subtask has one source's barrier and blocks that channel (the padlock).
            1 => {
                assert!(blocked_channels(c) > 0);
                assert!(c
                    .tasks()
                    .iter()
                    .any(|t| t.barrier_handler().aligning().is_some()));
                assert!(pending && completed == 0);
            }
            // The asynchronous phase, right after the first copy on write: not at the completion.
            2 => {
                let copies: u64 = c.tasks().iter().filter_map(|t| t.snapshot_copies()).sum();
                assert_eq!(copies, 1, "paused at the first copy");
                assert!(pending && completed == 0);
                let copied = c
                    .tasks()
                    .iter()
                    .flat_map(|t| t.counter_table().into_iter().flat_map(|t| t.maps()));
                assert_eq!(copied.map(|m| m.stats().entry_copies).sum::<u64>(), 1);
            }
            // Completed, with the copies its asynchronous phase made in the table.
            3 => {
                assert_eq!(completed, 1);
                let latest = c
                    .coordinator()
                    .store()
                    .latest()
                    .expect("a completed checkpoint");
                let copies: u64 = latest.subtasks.iter().map(|s| s.copy_on_write_copies).sum();
                assert!(copies > 0, "{copies} copies");
            }
            _ => assert_eq!(Check::CheckpointFailuresExceeded.holds(c), Some(true)),
        }
        seen += 1;
    });
    assert_eq!(seen, 5);
}

#[test]
fn the_heap_lesson_pauses_half_full_at_the_first_out_of_memory_error_and_after_the_restore() {
    let lesson = find("heap");
    let mut seen = 0;
    walk(lesson, |n, step, c, _, events| {
        let usage = c.fullest_heap();
        let ooms = events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    EngineEvent::TaskFailed {
                        cause: FailureCause::OutOfMemory { .. },
                        ..
                    }
                )
            })
            .count();
        match n {
            0 => assert_eq!(c.counters().records_processed, 0),
            1 => {
                assert!(step.pause_when_done);
                assert!(usage.used * 2 >= usage.limit && c.last_failure().is_none());
                assert_eq!(c.status(), JobStatus::Running);
            }
            // The first OutOfMemoryError: the restart strategy waits, nothing restarted yet.
            2 => {
                assert!(step.pause_when_done);
                assert_eq!(ooms, 1);
                assert_eq!(c.status(), JobStatus::Restarting);
                assert_eq!(c.counters().restarts, 0);
            }
            // Right after the restore: running again from the checkpoint, the heap far from full.
            3 => {
                assert!(step.pause_when_done);
                assert_eq!(ooms, 0, "no second OutOfMemoryError before the pause");
                assert_eq!(c.counters().restarts, 1);
                assert_eq!(c.status(), JobStatus::Running);
                assert!(events.iter().any(|e| matches!(
                    e,
                    EngineEvent::JobRestored {
                        checkpoint_id: Some(_),
                        ..
                    }
                )));
                assert!(
                    usage.used * 2 < usage.limit,
                    "{} of {}",
                    usage.used,
                    usage.limit
                );
            }
            _ => assert_eq!(Check::ManagedMemoryIsZero.holds(c), Some(true)),
        }
        seen += 1;
    });
    assert_eq!(seen, 5);
}

#[test]
fn the_rescale_lesson_pauses_right_after_the_scripted_restore_that_moved_key_groups() {
    let lesson = find("rescale");
    walk(lesson, |n, step, c, _, events| {
        if n != 0 {
            return;
        }
        assert!(step.pause_when_done);
        assert_eq!(c.parallelism(), 3);
        // What the page outlines in green: the key groups that changed subtask in that restore.
        let restored = events.iter().find_map(|e| match e {
            EngineEvent::JobRestored {
                parallelism,
                max_parallelism,
                ..
            } => Some((*parallelism, *max_parallelism)),
            _ => None,
        });
        assert_eq!(restored, Some((3, 128)));
        assert_eq!(moved_key_groups(128, 2, 3).len(), 63);
    });
}

/// The sink output shows its newest 60 records (`SHOWN` in src/web/components/event_log.rs).
const SINK_RECORDS_SHOWN: usize = 60;

#[test]
fn the_recovery_lesson_pauses_after_the_restore_and_where_the_replay_is_done() {
    let lesson = statelab::teaching::lessons::find("recovery").unwrap();
    let mut c = MiniCluster::new(lesson.job().map(|preset| preset.config()).unwrap()).unwrap();
    let (restarted, replayed) = (&lesson.steps[0], &lesson.steps[1]);
    assert!(restarted.pause_when_done && replayed.pause_when_done);

    // Step 1 pauses right after the restore: the sources rewound, nothing replayed yet.
    step_until(
        &mut c,
        restarted.done.unwrap(),
        "step 1",
        &mut Milestones::default(),
    );
    assert_eq!(c.counters().restarts, 1);
    assert_eq!(c.sink().duplicates(), 0);
    let written_before_replay = c.sink().written();
    assert_eq!(
        replayed.done,
        Some(Check::ReplayDone),
        "step 2 waits for the replay"
    );
    assert_eq!(
        Check::ReplayDone.holds(&c),
        Some(false),
        "records to replay"
    );

    // Step 2 pauses when the replay is done: the newest record the sink output shows is the last one received
    // twice. (The replay's tail mixes in new records: one source's replay ends before the other's.)
    step_until(
        &mut c,
        Check::ReplayDone,
        "step 2",
        &mut Milestones::default(),
    );
    let replay = c.sink().written() - written_before_replay;
    let shown: Vec<_> = c.sink().recent().rev().take(SINK_RECORDS_SHOWN).collect();
    let duplicates_shown = shown.iter().filter(|r| r.duplicate).count();
    eprintln!(
        "replay of {replay} records, {} duplicates, {duplicates_shown} of the {} shown",
        c.sink().duplicates(),
        shown.len()
    );
    assert!(shown[0].duplicate, "the newest record was received twice");
    assert!(replay > 1_000 && c.sink().duplicates() > 1_000);
    // Exactly-once: right then every key's count is the highest count the sink received for it.
    for (key, count) in c.counts() {
        assert_eq!(count, c.sink().max_count(key), "{}", c.keys().display(key));
    }
    // One step before, the replay was not done.
    let mut earlier =
        MiniCluster::new(lesson.job().map(|preset| preset.config()).unwrap()).unwrap();
    let steps = c.counters().steps;
    earlier.run(RunLimit::steps(steps - 1), &mut Milestones::default());
    assert_eq!(Check::ReplayDone.holds(&earlier), Some(false));
}

#[test]
fn the_heap_lesson_shows_managed_memory_taking_heap_away() {
    let lesson = statelab::teaching::lessons::find("heap").unwrap();
    let config = lesson.job().map(|preset| preset.config()).unwrap();
    // A cluster with the default taskmanager.numberOfTaskSlots (1): parallelism 2 runs on two TaskManagers,
    // each with its own heap of this size.
    let cluster = MiniCluster::new(config.clone()).unwrap();
    assert_eq!(cluster.task_managers().len(), 2);
    let with_managed = cluster.heap_usage_of(1).limit;
    assert_eq!(cluster.heap_usage_of(0).limit, with_managed);
    let mut zero = config;
    if let MemoryConfig::Process { process_size, .. } = zero.memory {
        zero.memory = MemoryConfig::Process {
            process_size,
            managed_size: Some(MemorySize::of_mebibytes(0)),
        };
    }
    let without = MiniCluster::new(zero).unwrap().heap_usage_of(0).limit;
    // What the lesson's text says: 154 MiB of heap with the default managed fraction, 384 MiB without.
    assert_eq!(with_managed / (1 << 20), 153, "{with_managed}");
    assert_eq!(without / (1 << 20), 384, "{without}");
}

#[test]
fn the_heap_lessons_out_of_memory_error_is_one_task_managers_at_twice_the_keys_of_one_heap() {
    let lesson = statelab::teaching::lessons::find("heap").unwrap();
    let config = lesson.job().map(|preset| preset.config()).unwrap();
    let until_out_of_memory = |config: JobConfig| {
        let mut c = MiniCluster::new(config).unwrap();
        step_until(
            &mut c,
            Check::OutOfMemory,
            "the heap lesson",
            &mut Milestones::default(),
        );
        c
    };
    // Two TaskManagers: the task fails in the one whose heap ran out, the other still had room.
    let c = until_out_of_memory(config.clone());
    let Some(&FailureCause::OutOfMemory { task_manager, .. }) = c.last_failure() else {
        panic!("{:?}", c.last_failure());
    };
    let other = c.task_managers()[1 - task_manager as usize].heap();
    assert!(other.peak() < other.limit(), "only one heap ran out");
    // What the text says: two heaps hold about twice the keys one heap of this size holds (both subtasks in
    // one TaskManager, as in local execution). Without checkpoints, whose copy-on-write and snapshot arrays move
    // the moment a nearly full heap runs out, the ratio is the heaps' alone.
    let mut no_checkpoints = config;
    no_checkpoints.checkpointing.interval_ms = None;
    let two = until_out_of_memory(no_checkpoints.clone());
    let shared = until_out_of_memory(JobConfig {
        number_of_task_slots: 2,
        ..no_checkpoints
    });
    let ratio =
        two.counters().records_processed as f64 / shared.counters().records_processed as f64;
    assert!((1.9..2.05).contains(&ratio), "{ratio}");
}

#[test]
fn lesson_text_marks_only_known_glossary_terms_and_both_languages_agree() {
    for lesson in &LESSONS {
        for step in lesson.steps {
            let terms = |lang: Lang| -> Vec<String> {
                markup(lang.t(&step.text))
                    .into_iter()
                    .filter_map(|s| match s {
                        Span::Term { id, .. } => Some(id.to_owned()),
                        _ => None,
                    })
                    .collect()
            };
            for lang in Lang::ALL {
                for id in terms(lang) {
                    assert!(
                        glossary::find(&id).is_some(),
                        "lesson {}: unknown term {id}",
                        lesson.id
                    );
                }
            }
            assert_eq!(
                terms(Lang::En),
                terms(Lang::Zh),
                "lesson {}: the two languages mark different terms",
                lesson.id
            );
            let code = |lang: Lang| {
                markup(lang.t(&step.text))
                    .into_iter()
                    .filter(|s| matches!(s, Span::Code(_)))
                    .count()
            };
            assert_eq!(
                code(Lang::En),
                code(Lang::Zh),
                "lesson {}: code spans differ between languages",
                lesson.id
            );
        }
    }
}

#[test]
fn every_glossary_term_points_to_a_lesson() {
    for term in &glossary::TERMS {
        assert!(
            statelab::teaching::lessons::find(term.lesson).is_some(),
            "{} → {}",
            term.id,
            term.lesson
        );
    }
    let mut ids: Vec<_> = glossary::TERMS.iter().map(|t| t.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), glossary::TERMS.len(), "glossary ids are unique");
}

/// The state of `key` as the heap holds it (the state object, when it is one).
fn object_of(c: &MiniCluster, key: &str) -> Option<StateValueObject> {
    let id = c.find_key(key)?;
    c.state_objects()
        .into_iter()
        .find(|(k, _)| *k == id)
        .map(|(_, o)| o)
}

fn copies_now(c: &MiniCluster) -> u64 {
    c.tasks().iter().filter_map(|t| t.snapshot_copies()).sum()
}

#[test]
fn the_state_primitives_lesson_shows_each_primitives_object_for_the_key_sent() {
    let mut seen = Vec::new();
    walk(find("state-primitives"), |n, _, c, page, _| {
        assert_eq!(page.followed, Some("user-42"));
        let state = object_of(c, "user-42");
        match n {
            // Three sends, three amounts in one ArrayList.
            0 => assert!(
                matches!(&state, Some(StateValueObject::List { elements, .. }) if elements.len() == 3),
                "{state:?}"
            ),
            1 => assert!(
                matches!(state, Some(StateValueObject::Map { .. })),
                "{state:?}"
            ),
            // A ReducingState<Long>: a Long in the entry, no object; the sum of the two amounts.
            2 => {
                assert_eq!(state, None);
                let id = c.find_key("user-42").unwrap();
                assert!(c.count_of(id).is_some_and(|sum| sum >= 2));
            }
            3 => assert!(
                matches!(state, Some(StateValueObject::Tuple2 { f1: 2, .. })),
                "the accumulator (sum, 2): {state:?}"
            ),
            _ => {}
        }
        seen.push(c.config().function);
    });
    use statelab::engine::functions::job_function::JobFunction as F;
    assert_eq!(
        seen,
        [
            F::EventLog,
            F::CategoryCounts,
            F::RunningSum,
            F::Average,
            F::Average
        ]
    );
}

#[test]
fn the_map_state_lesson_opens_user_1s_key_group_and_pauses_at_the_first_hash_map_copied() {
    walk(find("map-state"), |n, _, c, page, _| match n {
        0 => {
            let Some(StateValueObject::Map { entries, .. }) = object_of(c, "user-1") else {
                panic!("a HashMap");
            };
            let counted: i64 = entries.iter().map(|e| e.value).sum();
            assert!(counted >= 3, "{counted}");
        }
        1 => {
            let id = c.find_key("user-1").unwrap();
            assert_eq!(
                page.open_key_group,
                Some(c.key_group_of(id)),
                "user-1's key group"
            );
        }
        // Right after the first copy on write: one object copied, the checkpoint still running.
        2 => {
            assert_eq!(copies_now(c), 1);
            assert!(c.coordinator().pending().is_some());
            assert_eq!(c.counters().checkpoints_completed, 0);
        }
        _ => assert_eq!(
            c.config().function,
            statelab::engine::functions::job_function::JobFunction::CategoryCountsInValue
        ),
    });
}

#[test]
fn the_ttl_lesson_pauses_when_the_value_expires_still_stored_and_when_the_cleanup_removed_it() {
    let ttl = |c: &MiniCluster| match object_of(c, "user-777") {
        Some(StateValueObject::TtlValue {
            user_value,
            last_access_timestamp,
        }) => Some((user_value, last_access_timestamp)),
        _ => None,
    };
    let mut written = 0;
    let mut processed_at_expiry = 0;
    walk(find("state-ttl"), |n, _, c, _, _| {
        let now_ms = (c.now() / 1_000_000) as i64;
        match n {
            0 => {
                let (value, at) = ttl(c).expect("a TtlValue");
                assert_eq!(value, Some(2));
                written = at;
            }
            // Paused at the very step it expired: still stored, 5 s after its last write.
            1 => {
                assert_eq!(ttl(c), Some((Some(2), written)), "expired, not removed");
                assert!(now_ms >= written + 5_000);
                processed_at_expiry = c.counters().records_processed;
            }
            2 => assert_eq!(ttl(c).map(|(v, _)| v), Some(Some(1))),
            // Gone without being read: no record of user-777 since step 3.
            3 => {
                assert_eq!(ttl(c), None);
                assert!(c.find_key("user-777").is_some());
                assert!(c.counters().records_processed > processed_at_expiry);
            }
            _ => assert_eq!(c.counters().checkpoints_completed, 1),
        }
    });
}

#[test]
fn the_timers_lesson_registers_a_timer_fires_one_and_restores_them_at_parallelism_3() {
    let timers_of = |c: &MiniCluster, key: &str| -> Vec<i64> {
        let id = c.find_key(key).unwrap();
        c.tasks()
            .iter()
            .filter_map(|t| t.backend().priority_queue(0))
            .flat_map(|q| q.iter().filter(|t| t.key.key == id).map(|t| t.timestamp))
            .collect()
    };
    walk(find("timers"), |n, _, c, _, _| match n {
        // The session (1, t) and its timer at t + 2 s.
        0 => {
            let Some(StateValueObject::Tuple2 { f0: 1, f1 }) = object_of(c, "user-5000") else {
                panic!("a session of one event");
            };
            assert_eq!(timers_of(c, "user-5000"), vec![f1 + 2_000]);
        }
        // Paused at the first record onTimer emitted.
        1 => assert_eq!(c.sink().written(), 1),
        _ => {
            assert_eq!(c.parallelism(), 3);
            assert_eq!(c.restored_from(), Some(1));
            assert!(
                c.tasks().iter().all(|t| t.backend().num_timers() > 0),
                "every subtask holds timers"
            );
        }
    });
}

#[test]
fn the_object_reuse_lesson_pauses_at_the_first_pojo_copied_for_a_running_checkpoint() {
    walk(find("object-reuse"), |n, _, c, _, _| match n {
        // Two events of user-1: its KeyStats counts them, and its sum — changed after update() — holds both
        // amounts.
        0 => {
            let Some(StateValueObject::KeyStats { count, sum }) = object_of(c, "user-1") else {
                panic!("user-1's state is a KeyStats");
            };
            assert!(count >= 2, "{count}");
            assert!(sum >= count && sum <= count * 100, "{sum}");
        }
        1 => {
            assert_eq!(copies_now(c), 1);
            assert!(c.coordinator().pending().is_some());
        }
        _ => {}
    });
}

/// The object-reuse lesson's first step stands inside the second record of `user-1` on the line after
/// `update()`, as the page shows it (`Simulation`, stopped inside): there the state's sum has grown — by
/// `s.sum += event.amount`, without another `update()` — while on the `update()` line it had not.
#[test]
fn the_object_reuse_lesson_stops_on_the_line_after_update_where_the_sum_has_grown() {
    let lesson = find("object-reuse");
    let config = lesson.job().expect("a preset").config();
    let start = JobStart {
        id: "0".into(),
        started_at_ms: 0.0,
    };
    let mut s = Simulation::new(config, start).expect("the lesson's job");
    let does = lesson.steps[0].try_it.expect("a try-it").does;
    assert_eq!(does.last(), Some(&Do::StopInside(ProcessLine::AfterUpdate)));
    for _ in 0..2 {
        s.reduce(SimulationAction::SendKey("user-1"))
            .expect("a key by hand");
    }
    let newest = s.cluster().counters().records_processed;
    let mut stats_at = |line| {
        s.reduce(SimulationAction::StopInside(Some((newest, line))))
            .expect("stopped inside");
        assert_eq!(s.stopped_at(), Some(line));
        match object_of(s.shown(), "user-1") {
            Some(StateValueObject::KeyStats { count, sum }) => (count, sum),
            other => panic!("user-1's state is a KeyStats: {other:?}"),
        }
    };
    let (count_at_update, sum_at_update) = stats_at(ProcessLine::Update);
    let (count_after, sum_after) = stats_at(ProcessLine::AfterUpdate);
    assert_eq!(
        (count_at_update, count_after),
        (2, 2),
        "count++ ran before update()"
    );
    assert!(
        sum_after > sum_at_update,
        "the sum grew after update(): {sum_at_update} → {sum_after}"
    );
    // What the record left when it returned: the sum as the line after update() made it.
    assert_eq!(
        object_of(s.cluster(), "user-1"),
        Some(StateValueObject::KeyStats {
            count: 2,
            sum: sum_after
        })
    );
}
