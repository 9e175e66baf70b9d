//! `window.statelab`: a small read-only handle for scripted measurements and debugging from the console.
//! `statelab.summary()` returns the job's counters, the sink's totals, each TaskManager's heap, whether the page
//! plays and what the run's history (time travel) holds;
//! `statelab.frames()` the engine and render time of recent animation frames (ms); `statelab.renders()` how many
//! times the page has been rendered and when the latest render finished, every view drawn (`performance.now()`);
//! `statelab.counts()` every key's count in state, `statelab.states()` every key's state as Java prints it, and `statelab.checkpointCounts(id)` those of a retained
//! checkpoint (the latest without `id`), so tests can compare state across a reload, an export or a link; `statelab.trace()` the golden trace
//! of a finished scenario (`engine::history::golden_trace::trace`). Values cross into JavaScript through
//! serde-wasm-bindgen. Compiled only with the `automation` feature: the build the browser tests and
//! `tests/e2e/bench.mjs` load, not the page users get.

use super::frame_log::{FrameLog, FrameTiming};
use crate::engine::cluster::engine_event::FailureCause;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::tasks::stream_element::StreamElement;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use crate::player::simulation::Simulation;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A value as plain JavaScript data: maps become objects (not `Map`s), so tests can read them with
/// `Object.keys` and compare them with `deepEqual`.
fn to_js<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    job_id: String,
    status: String,
    simulated_ns: u64,
    records_processed: u64,
    checkpoints_completed: u64,
    restarts: u32,
    /// Records the sink received, and those it had received before (counts that only grow, unlike its list of
    /// recent records).
    sink_written: u64,
    sink_duplicates: u64,
    keys_in_state: u64,
    /// The fullest TaskManager's heap.
    heap_used: u64,
    heap_limit: u64,
    /// Every TaskManager's heap, in order.
    heaps: Vec<crate::engine::memory::jvm_heap::HeapUsage>,
    /// Engine steps taken: the position in the run.
    steps: u64,
    /// Records processed at the furthest point of the run (time travel).
    head_records: u64,
    in_the_past: bool,
    /// The run's history (time travel): its snapshots, the bytes they are counted at against its budget (what
    /// each does not share with the next, a discarded future's included), the budget, and the steps between
    /// snapshots on the grid and at the head.
    history_snapshots: usize,
    history_snapshot_bytes: u64,
    history_budget_bytes: u64,
    history_interval: u64,
    history_recent_interval: u64,
    playing: bool,
    /// What the lessons' moments are made of: the parallelism, checkpoint barriers on the wire, channels
    /// blocked by alignment (padlocks), subtasks in a checkpoint's asynchronous phase and the entries copied on
    /// write since its synchronous phase, the cause of the latest failure, map resizes so far and maps in an
    /// incremental rehash, and the key groups the state table outlines as moved by the latest restore.
    parallelism: u32,
    barriers_in_flight: usize,
    blocked_channels: usize,
    async_phases: usize,
    async_copies: u64,
    last_failure: Option<&'static str>,
    map_resizes: u64,
    maps_rehashing: usize,
    moved_key_groups: Vec<KeyGroup>,
}

/// Installs `window.statelab`.
pub fn install(sim: Rc<RefCell<Simulation>>, frames: Rc<RefCell<FrameLog>>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let handle = js_sys::Object::new();
    let (counts_sim, checkpoint_sim, trace_sim) = (sim.clone(), sim.clone(), sim.clone());
    let states_sim = sim.clone();
    let summary = Closure::<dyn Fn() -> JsValue>::new(move || {
        // What the page shows: stopped inside a record ("Step into"), the job at that line.
        let s = sim.borrow();
        let c = s.shown();
        let counters = c.counters();
        let heap = c.fullest_heap();
        let channels: Vec<_> = (0..c.source_parallelism())
            .flat_map(|j| SubtaskIndex::all(c.parallelism()).map(move |i| (j, i)))
            .map(|(j, i)| c.channel(j, i))
            .collect();
        let maps = || {
            c.tasks()
                .iter()
                .flat_map(|t| t.counter_table().into_iter().flat_map(|t| t.maps()))
        };
        let summary = Summary {
            job_id: s.job_id().to_owned(),
            status: format!("{:?}", c.status()),
            simulated_ns: c.now(),
            records_processed: counters.records_processed,
            checkpoints_completed: counters.checkpoints_completed,
            restarts: counters.restarts,
            sink_written: c.sink().written(),
            sink_duplicates: c.sink().duplicates(),
            keys_in_state: c
                .tasks()
                .iter()
                .map(|t| t.backend().num_key_value_state_entries() as u64)
                .sum(),
            heap_used: heap.used,
            heap_limit: heap.limit,
            heaps: c.heap_usages().collect(),
            steps: counters.steps,
            head_records: s.history().head().records,
            history_snapshots: s.history().snapshot_count(),
            history_snapshot_bytes: s.history().snapshot_bytes(),
            history_budget_bytes: s.history().config().budget_bytes,
            history_interval: s.history().snapshot_interval(),
            history_recent_interval: s.history().recent_interval(),
            in_the_past: s.in_the_past(),
            playing: s.playing(),
            parallelism: c.parallelism(),
            barriers_in_flight: channels
                .iter()
                .flat_map(|ch| ch.in_flight())
                .filter(|f| matches!(f.element, StreamElement::Barrier(_)))
                .count(),
            blocked_channels: channels.iter().filter(|ch| ch.is_blocked()).count(),
            async_phases: c.tasks().iter().filter(|t| t.snapshot().is_some()).count(),
            async_copies: c.tasks().iter().filter_map(|t| t.snapshot_copies()).sum(),
            last_failure: c.last_failure().map(|f| match f {
                FailureCause::OutOfMemory { .. } => "OutOfMemoryError",
                FailureCause::CheckpointFailures { .. } => "CheckpointFailures",
                _ => "Exception",
            }),
            map_resizes: maps().map(|m| m.stats().resizes).sum(),
            maps_rehashing: maps().filter(|m| m.is_rehashing()).count(),
            moved_key_groups: s.outlined_moved_key_groups().unwrap_or(&[]).to_vec(),
        };
        to_js(&summary)
    });
    let counts = Closure::<dyn Fn() -> JsValue>::new(move || {
        let s = counts_sim.borrow();
        let c = s.shown();
        let map: std::collections::BTreeMap<String, i64> = c
            .counts()
            .into_iter()
            .map(|(k, v)| (c.keys().display(k), v))
            .collect();
        to_js(&map)
    });
    // Every key's state as Java prints it (`[3, 7]`, `{buy=2}`, `(3,12)`, `5`): the job function's objects, or its
    // `Long`s.
    let states = Closure::<dyn Fn() -> JsValue>::new(move || {
        let s = states_sim.borrow();
        let c = s.shown();
        let objects = c.state_objects();
        let map: std::collections::BTreeMap<String, String> = if objects.is_empty() {
            c.counts()
                .into_iter()
                .map(|(k, v)| (c.keys().display(k), v.to_string()))
                .collect()
        } else {
            objects
                .into_iter()
                .map(|(k, o)| (c.keys().display(k), o.to_string()))
                .collect()
        };
        to_js(&map)
    });
    let checkpoint_counts = Closure::<dyn Fn(JsValue) -> JsValue>::new(move |id: JsValue| {
        let s = checkpoint_sim.borrow();
        let c = &s.cluster();
        let store = c.coordinator().store();
        let checkpoint = match id.as_f64() {
            Some(id) => store.get(id as u64),
            None => store.latest(),
        };
        let Some(checkpoint) = checkpoint else {
            return JsValue::NULL;
        };
        let map: std::collections::BTreeMap<String, i64> = checkpoint
            .key_groups
            .iter()
            .flatten()
            .map(|&(k, v)| (c.keys().display(k), v))
            .collect();
        to_js(&map)
    });
    let trace = Closure::<dyn Fn() -> JsValue>::new(move || {
        JsValue::from_str(&crate::engine::history::golden_trace::trace(
            trace_sim.borrow().cluster(),
        ))
    });
    let renders_log = frames.clone();
    let renders =
        Closure::<dyn Fn() -> JsValue>::new(move || to_js(&renders_log.borrow().renders()));
    let frames_fn = Closure::<dyn Fn() -> JsValue>::new(move || {
        let list: Vec<FrameTiming> = frames.borrow().recent().copied().collect();
        to_js(&list)
    });
    let set = |name: &str, f: &JsValue| {
        let _ = js_sys::Reflect::set(&handle, &name.into(), f);
    };
    set("summary", summary.as_ref());
    set("frames", frames_fn.as_ref());
    set("renders", renders.as_ref());
    set("counts", counts.as_ref());
    set("states", states.as_ref());
    set("checkpointCounts", checkpoint_counts.as_ref());
    set("trace", trace.as_ref());
    let _ = js_sys::Reflect::set(&window, &"statelab".into(), &handle);
    // The page lives as long as the window: the closures must too.
    summary.forget();
    frames_fn.forget();
    renders.forget();
    counts.forget();
    states.forget();
    checkpoint_counts.forget();
    trace.forget();
}
