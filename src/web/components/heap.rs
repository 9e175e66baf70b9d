//! The TaskManagers' memory and the JVM heaps the keyed state lives in: which assumption is made (a cluster of
//! TaskManagers, each its own JVM, or local execution in one), the memory layout every TaskManager gets from
//! `taskmanager.memory.process.size`, how many keys fit (live, as another process size or value is tried), each
//! TaskManager's heap in use broken down by kind of object (the fullest highlighted), the heaps over time, and what
//! happens at the limit (`OutOfMemoryError` in one TaskManager, the restart strategy waiting, the restore).

use crate::engine::checkpoint::decimal::Fixed;
use crate::engine::cluster::engine_event::FailureCause;
use crate::engine::cluster::job_config::{JobConfig, RestartStrategyConfig};
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::cluster::slot_sharing_group::SlotSharingGroup;
use crate::engine::keys::key_registry::KeyFormat;
use crate::engine::memory::heap_capacity::{estimate, CapacityAnswer, CapacityQuestion};
use crate::engine::memory::heap_footprint::{KeyWrite, ValueMode};
use crate::engine::memory::jvm_heap::HeapUsage;
use crate::engine::memory::jvm_heap::OUT_OF_MEMORY;
use crate::engine::memory::jvm_object_sizes::{empty_state_map, reference_array};
use crate::engine::memory::memory_size::MemorySize;
use crate::engine::memory::task_executor_memory::{
    derive, ExecutionMode, MemoryConfig, TaskExecutorProcessSpec, TaskManagerMemoryOptions,
};
use crate::engine::state::heap::copy_on_write_state_map::DEFAULT_CAPACITY;
use crate::i18n::messages::errors;
use crate::i18n::messages::heap as msg;
use crate::i18n::{Lang, Text};
use crate::player::format;
use crate::player::heap_history::{HeapMark, MAX_TASK_MANAGERS};
use crate::player::simulation::Simulation;
use crate::web::canvas::{prepare, theme_color, width_of};
use crate::web::components::term::Term;
use crate::web::context::{use_sim, use_ui, Sim, UiAction};
use crate::web::markup::classes;
use crate::web::palette;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The heap's segments, in drawing order: (label, CSS class).
const SEGMENTS: [(Text, &str); 8] = [
    (msg::SEG_OTHER, "seg-other"),
    (msg::SEG_ENTRIES, "seg-entries"),
    (msg::SEG_KEYS, "seg-keys"),
    (msg::SEG_VALUES, "seg-values"),
    (msg::SEG_TIMERS, "seg-timers"),
    (msg::SEG_TABLES, "seg-tables"),
    (msg::SEG_SNAPSHOT, "seg-snapshot"),
    (msg::SEG_COW, "seg-cow"),
];

/// A segment's label: the values are the state objects (lists, maps, tuples, `TtlValue`s) when the function's
/// state is not a `Long` per key.
fn segment_label(label: &Text, objects: bool) -> &Text {
    if objects && *label == msg::SEG_VALUES {
        &msg::SEG_OBJECTS
    } else {
        label
    }
}

/// One TaskManager's heap: whose it is, used of its limit, and the bar of what uses it, in the order of
/// [`SEGMENTS`].
fn task_manager_gauge(c: &MiniCluster, usage: &HeapUsage, fullest: bool, l: Lang) -> Html {
    let tm = usage.task_manager;
    let b = c.heap_breakdown_of(tm);
    let objects = !c.config().function.keeps_longs();
    let subtasks = c.slot_sharing().keyed_subtasks_of(tm);
    let timers: u64 = c.tasks()[subtasks.clone()]
        .iter()
        .map(|t| t.backend().timers_heap())
        .sum();
    let bytes = [
        usage.other,
        b.entries,
        b.keys,
        b.values,
        timers,
        b.tables + b.fixed,
        b.snapshot_arrays,
        b.retained_by_snapshots,
    ];
    let limit = usage.limit.max(1);
    let percent = |b: u64| (b as f64 * 100.0 / limit as f64).min(100.0);
    // Per key as the ground truth measured it: what the entries added to the backends' empty footprint.
    let tasks = &c.tasks()[subtasks.clone()];
    let keys: u64 = tasks
        .iter()
        .map(|t| t.backend().num_key_value_state_entries() as u64)
        .sum();
    let empty: u64 = tasks
        .iter()
        .map(|t| {
            let groups = t.backend().key_group_range().number_of_key_groups() as u64;
            reference_array(groups) + groups * empty_state_map(DEFAULT_CAPACITY as u64)
        })
        .sum();
    let per_key = if keys > 0 {
        usage.state.saturating_sub(empty) as f64 / keys as f64
    } else {
        0.0
    };
    html! {
        <div class={if fullest { "tm-gauge fullest" } else { "tm-gauge" }} data-testid="tm-gauge" data-tm={tm.to_string()}>
            <div class="gauge-head">
                <span class="swatch" style={format!("background:{}", palette::task_manager(tm))}></span>
                <strong translate="no">{format!("TaskManager {tm}")}</strong>
                <span class="muted">{format!(" · {} · ", msg::task_manager_holds(l, subtasks))}</span>
                if fullest { <span class="tag">{l.t(&msg::FULLEST)}</span>{" "} }
                <strong>{msg::gauge_used(l, &format::bytes(usage.used), &format::bytes(usage.limit))}</strong>
                <span class="muted">{msg::gauge_details(l, usage.used as f64 * 100.0 / limit as f64, &format::bytes(usage.state),
                    per_key, &format::bytes(usage.peak))}</span>
            </div>
            <div class="stack gauge">
                { for SEGMENTS.iter().zip(bytes).filter(|(_, b)| *b > 0).map(|((label, class), b)| html! {
                    <div class={*class} style={format!("width:{}%", Fixed(percent(b), 3))} title={msg::segment_title(l, l.t(segment_label(label, objects)), &format::bytes(b))}></div>
                }) }
            </div>
        </div>
    }
}

/// The restart strategy: its name as Flink spells it (`restart-strategy.type`, the same in every language)
/// and its parameters.
fn restart_description(config: &RestartStrategyConfig, l: Lang) -> Html {
    let (name, parameters) = match config {
        RestartStrategyConfig::None => return html! { {l.t(&msg::NO_RESTART)} },
        RestartStrategyConfig::FixedDelay { attempts, delay_ms } => {
            ("fixed-delay", msg::fixed_delay(l, *attempts, *delay_ms))
        }
        RestartStrategyConfig::FailureRate {
            max_failures_per_interval,
            failure_rate_interval_ms,
            delay_ms,
        } => (
            "failure-rate",
            msg::failure_rate(
                l,
                *max_failures_per_interval,
                *failure_rate_interval_ms,
                *delay_ms,
            ),
        ),
        RestartStrategyConfig::ExponentialDelay {
            initial_backoff_ms,
            max_backoff_ms,
            backoff_multiplier,
            ..
        } => (
            "exponential-delay",
            msg::exponential_delay(l, *initial_backoff_ms, *backoff_multiplier, *max_backoff_ms),
        ),
    };
    html! { <><span translate="no">{name}</span>{parameters}</> }
}

/// What "how many keys fit?" is asked about: the running job's memory and keys.
#[derive(PartialEq, Clone)]
struct KeysThatFitProps {
    memory: MemoryConfig,
    options: TaskManagerMemoryOptions,
    key_format: KeyFormat,
    max_parallelism: u32,
    /// The running job's slots: how many keyed subtasks share a heap.
    slots: SlotSharingGroup,
    other_heap: u64,
}

/// Why there is no answer, worded at the edge.
enum CapacityProblem {
    Size(crate::engine::memory::memory_size::MemorySizeError),
    Memory(crate::engine::memory::task_executor_memory::MemoryConfigError),
    Capacity(crate::engine::memory::heap_capacity::CapacityError),
}

/// What "how many keys fit?" is asked beyond the job: each `None` is the job's own.
#[derive(PartialEq, Clone, Default)]
struct Asked {
    /// A process size (or `-Xmx` in local execution) as typed.
    size: Option<String>,
    zero_managed: bool,
    /// `taskmanager.numberOfTaskSlots` (a cluster only).
    slots: Option<u32>,
    /// The keys' text before their number (String keys only): longer keys, more heap per key.
    prefix: Option<String>,
    /// Counts above 127: a `Long` object per key instead of the `Long.valueOf` cache.
    large_counts: bool,
}

/// The expected answer for what is asked (the job's own where nothing is): the layout it gives, the slots it
/// has, and where the heap runs out. The estimate takes milliseconds even for 64g, so it follows every
/// keystroke.
fn keys_that_fit(
    p: &KeysThatFitProps,
    size: &str,
    asked: &Asked,
) -> Result<(TaskExecutorProcessSpec, SlotSharingGroup, CapacityAnswer), CapacityProblem> {
    let size = MemorySize::parse(size).map_err(CapacityProblem::Size)?;
    let memory = match p.memory {
        MemoryConfig::Process { managed_size, .. } => MemoryConfig::Process {
            process_size: size,
            managed_size: if asked.zero_managed {
                Some(MemorySize::ZERO)
            } else {
                managed_size
            },
        },
        MemoryConfig::Local { .. } => MemoryConfig::Local { jvm_heap: size },
    };
    let spec = derive(&memory, &p.options).map_err(CapacityProblem::Memory)?;
    let slots = match (p.slots.mode, asked.slots) {
        // The job's slots are one per subtask index of its widest operator.
        (ExecutionMode::Cluster, Some(n)) => SlotSharingGroup::new(
            ExecutionMode::Cluster,
            p.slots.slots,
            p.slots.parallelism,
            n,
        ),
        _ => p.slots,
    };
    let mut key_format = p.key_format.clone();
    if let Some(prefix) = &asked.prefix {
        key_format.prefix.clone_from(prefix);
    }
    let question = CapacityQuestion {
        key_format,
        value_mode: if asked.large_counts {
            ValueMode::Distinct
        } else {
            ValueMode::Cached
        },
        write: KeyWrite::ValueThenUpdate,
        max_parallelism: p.max_parallelism,
        parallelism: slots.parallelism,
        subtasks_per_task_manager: slots.subtasks_per_task_manager(),
        heap_limit: spec.jvm_heap().bytes(),
        other_heap: p.other_heap,
    };
    let answer = estimate(&question).map_err(CapacityProblem::Capacity)?;
    Ok((spec, slots, answer))
}

/// "How many keys fit?": a process size (or `-Xmx`) to try, managed memory 0 or not, the slots per
/// TaskManager, the keys' prefix and the counts' size, and the answer (computed by the caller, only when one of
/// them changes).
fn keys_that_fit_view(
    l: Lang,
    job_slots: SlotSharingGroup,
    key_format: &KeyFormat,
    size: String,
    asked: &UseStateHandle<Asked>,
    result: &Result<(TaskExecutorProcessSpec, SlotSharingGroup, CapacityAnswer), CapacityProblem>,
) -> Html {
    let change = |f: fn(&mut Asked, &HtmlInputElement)| {
        let asked = asked.clone();
        Callback::from(move |e: Event| {
            let mut next = (*asked).clone();
            f(&mut next, &e.target_unchecked_into::<HtmlInputElement>());
            asked.set(next);
        })
    };
    let on_size = {
        let asked = asked.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*asked).clone();
            next.size = Some(e.target_unchecked_into::<HtmlInputElement>().value());
            asked.set(next);
        })
    };
    let on_managed = change(|a, el| a.zero_managed = el.checked());
    let on_large = change(|a, el| a.large_counts = el.checked());
    // A slot count the spinner can give: 1..=64, else the job's own.
    let on_slots = change(|a, el| {
        a.slots = el
            .value()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=64).contains(n))
    });
    let on_prefix = {
        let asked = asked.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*asked).clone();
            // Bounded like a key typed by hand: 1 KiB.
            let text: String = e.target_unchecked_into::<HtmlInputElement>().value();
            next.prefix = Some(text.chars().take(256).collect());
            asked.set(next);
        })
    };
    let local = job_slots.mode == ExecutionMode::Local;
    let strings = key_format.key_type == crate::engine::keys::java_key::JavaKeyType::String;
    // One line of text: the answer, or what is wrong with the size.
    let (answer, bad, slots_shown) = match result {
        Ok((spec, slots, answer)) => {
            let heap = format::bytes(spec.jvm_heap().bytes());
            let keys = match answer.out_of_memory {
                Some(oom) => {
                    let failing = format::count(oom.keys);
                    msg::keys_fit(l, &format::count(oom.keys - 1))
                        + &if local {
                            msg::keys_fit_detail_local(l, slots.parallelism, &heap, &failing)
                        } else {
                            msg::keys_fit_detail(
                                l,
                                answer.task_managers,
                                slots.subtasks_per_task_manager().min(slots.parallelism),
                                &heap,
                                &failing,
                                oom.task_manager,
                            )
                        }
                }
                None => l.t(&msg::ALL_KEYS_FIT).to_owned(),
            };
            (
                format!("{} {keys}", l.t(&msg::HOW_MANY_KEYS)),
                false,
                slots.slots_per_task_manager,
            )
        }
        Err(problem) => {
            let text = match problem {
                CapacityProblem::Size(e) => errors::memory_size(e, l),
                CapacityProblem::Memory(e) => errors::memory_config(e, l),
                CapacityProblem::Capacity(e) => msg::capacity_error(l, e),
            };
            (text, true, job_slots.slots_per_task_manager)
        }
    };
    let prefix = asked
        .prefix
        .clone()
        .unwrap_or_else(|| key_format.prefix.clone());
    html! {
        <div class="keys-fit inline" data-testid="capacity">
            <label translate="no">{if local { "-Xmx" } else { "taskmanager.memory.process.size" }}
                <input value={size} oninput={on_size} data-testid="capacity-size" /></label>
            if !local {
                <label translate="no">{"managed.size = 0"}
                    <input type="checkbox" checked={asked.zero_managed} onchange={on_managed} data-testid="capacity-managed-zero" /></label>
                <label translate="no">{"numberOfTaskSlots"}
                    <input type="number" min="1" max="64" class="narrow" value={asked.slots.unwrap_or(slots_shown).to_string()}
                        onchange={on_slots} data-testid="capacity-slots" /></label>
            }
            if strings {
                <label>{l.t(&msg::KEY_PREFIX)}
                    <input value={prefix} oninput={on_prefix} data-testid="capacity-prefix" translate="no" /></label>
            }
            <label>{l.t(&msg::LARGE_COUNTS)}
                <input type="checkbox" checked={asked.large_counts} onchange={on_large} data-testid="capacity-large-counts" /></label>
            <span class={if bad { "answer bad" } else { "answer" }} data-testid="keys-fit">{answer}</span>
        </div>
    }
}

#[function_component(HeapPanel)]
pub fn heap_panel() -> Html {
    let sim = use_sim();
    let ui = use_ui();
    let chart = use_node_ref();
    let chart_box = use_node_ref();
    let l = ui.lang;
    {
        let (sim, chart, chart_box) = (sim.clone(), chart.clone(), chart_box.clone());
        use_effect_with((sim.version, ui.theme, l), move |_| {
            draw_chart(&sim, &chart, &chart_box, l)
        });
    }

    // How many keys fit, for what is asked here (the job's own where nothing is).
    let asked = use_state(Asked::default);
    let fit = {
        let s = sim.borrow();
        let c = s.shown();
        let config = c.config();
        KeysThatFitProps {
            memory: config.memory.clone(),
            options: config.memory_options,
            key_format: config.source.key_format.clone(),
            max_parallelism: c.max_parallelism(),
            slots: *c.slot_sharing(),
            other_heap: config.other_heap_used.bytes(),
        }
    };
    let job_size = match &fit.memory {
        MemoryConfig::Process { process_size, .. } => process_size.to_string(),
        MemoryConfig::Local { jvm_heap } => jvm_heap.to_string(),
    };
    let fit_size = asked.size.clone().unwrap_or(job_size);
    let (fit_mode, fit_keys) = (fit.slots, fit.key_format.clone());
    let fit_result = use_memo(
        (fit, fit_size.clone(), (*asked).clone()),
        |(p, size, asked)| keys_that_fit(p, size, asked),
    );

    let s = sim.borrow();
    let c = s.shown();
    let objects = !c.config().function.keeps_longs();
    let spec = *c.memory_spec();

    // The memory layout of the TaskManager process.
    let components = spec.components();
    let total: u64 = components
        .iter()
        .map(|c| c.size.bytes())
        .sum::<u64>()
        .max(1);
    let layout = html! {
        <div class="memory-layout" data-testid="memory-layout">
            <div class="stack">
                { for components.iter().filter(|m| m.size.bytes() > 0).map(|m| html! {
                    <div class={classes(&[("mem", true), ("on-heap", m.on_heap), ("managed", m.name == "Managed Memory")])}
                        style={format!("flex-grow:{}", Fixed(m.size.bytes() as f64 / total as f64, 4))}
                        title={msg::component_title(l, msg::component(l, m.name), &format::bytes(m.size.bytes()), m.config_key)}>
                        <span>{msg::component_short(l, m.name)}</span>
                        <span class="size">{format::bytes(m.size.bytes())}</span>
                    </div>
                }) }
            </div>
            <div class="caption">
                { match spec.mode {
                    ExecutionMode::Cluster => msg::cluster_caption(l, &format::bytes(spec.total_process.bytes()),
                        &format::bytes(spec.jvm_heap().bytes())),
                    ExecutionMode::Local => msg::local_caption(l, &format::bytes(spec.jvm_heap().bytes())),
                } }
            </div>
        </div>
    };

    // Why managed memory should be 0 for this backend.
    let managed_tip = match c.config().memory.clone() {
        MemoryConfig::Process { process_size, .. } if spec.managed.bytes() > 0 => {
            let without = derive(
                &MemoryConfig::Process {
                    process_size,
                    managed_size: Some(MemorySize::ZERO),
                },
                &c.config().memory_options,
            )
            .ok()
            .map(|s| s.jvm_heap().bytes());
            let apply = {
                let (sim, ui) = (sim.clone(), ui.clone());
                Callback::from(move |_| {
                    let config = JobConfig {
                        memory: MemoryConfig::Process {
                            process_size,
                            managed_size: Some(MemorySize::ZERO),
                        },
                        ..sim.borrow().config().clone()
                    };
                    let result = sim.start(|job| Simulation::new(config, job));
                    ui.dispatch(UiAction::Error(result.err().map(Into::into)));
                })
            };
            without.map(|heap| html! {
                <div class="tip" data-testid="managed-tip">
                    {msg::managed_tip(l, &format::bytes(spec.managed.bytes()), &format::bytes(heap), &format::bytes(spec.jvm_heap().bytes()))}
                    <button class="small" onclick={apply}>{l.t(&msg::SET_MANAGED_ZERO)}</button>
                </div>
            })
        }
        _ => None,
    };

    // The limit: OutOfMemoryError in one TaskManager, restart, restore.
    let oom = match c.last_failure() {
        Some(FailureCause::OutOfMemory { task_manager, .. }) => Some(*task_manager),
        _ => None,
    };
    let status_line = match (c.status(), oom) {
        (JobStatus::Restarting, Some(tm)) => Some(html! {
            <div class="alert bad" data-testid="oom">
                <strong translate="no">{OUT_OF_MEMORY}</strong>
                {msg::oom_in(l, tm)}
                {l.t(&msg::OOM_RESTARTING)}
                {restart_description(&c.config().effective_restart_strategy(), l)}
                {msg::oom_restart(l, &format::duration(c.restart_at().unwrap_or(0).saturating_sub(s.display_time())),
                    c.coordinator().store().latest().map(|cp| cp.checkpoint_id))}
            </div>
        }),
        (JobStatus::Failed, Some(tm)) => Some(html! {
            <div class="alert bad" data-testid="oom">
                <strong translate="no">{OUT_OF_MEMORY}</strong>
                {msg::oom_in(l, tm)}
                {l.t(&msg::OOM_GAVE_UP)}
            </div>
        }),
        (_, Some(_)) => Some(html! {
            <div class="alert warn" data-testid="oom">{l.t(&msg::OOM_EARLIER)}</div>
        }),
        _ => None,
    };

    // Every TaskManager's heap; the fullest (closest to its limit) highlighted when there are several.
    let fullest = c.fullest_heap().task_manager;
    let several = c.task_managers().len() > 1;
    let gauges: Vec<Html> = c
        .heap_usages()
        .map(|usage| task_manager_gauge(c, &usage, several && usage.task_manager == fullest, l))
        .collect();
    let slots = *c.slot_sharing();
    // The time axis: from the oldest sample to now.
    let chart_span = s.heap().samples.first().map(|first| {
        let end = s
            .heap()
            .samples
            .last()
            .map_or(0, |x| x.time)
            .max(s.display_time());
        format!("{} → {}", format::time(first.time), format::time(end))
    });
    let out = html! {
        <section class="panel heap" aria-label={l.t(&msg::LABEL)}>
            <div class="panel-head">
                <h2><Term id="jvm-heap">{l.t(&msg::TITLE)}</Term></h2>
                <span class="hint">{l.t(&msg::HINT)}</span>
            </div>
            { layout }
            if let Some(tip) = managed_tip { { tip } }
            { keys_that_fit_view(l, fit_mode, &fit_keys, fit_size, &asked, &fit_result) }
            <div class="heap-gauge" data-testid="heap-gauge">
                <p class="tm-assumption" data-testid="tm-assumption">{msg::assumption(l, &slots)}</p>
                { for gauges }
                <div class="legend">
                    { for SEGMENTS.iter().map(|(label, class)| html! {
                        <span class="legend-item"><span class={format!("swatch {class}")}></span>{l.t(segment_label(label, objects))}</span>
                    }) }
                </div>
            </div>
            { for status_line }
            <div class="chart" ref={chart_box} data-testid="heap-chart">
                <canvas ref={chart} aria-label={l.t(&msg::CHART_LABEL)} />
                // Under the chart rather than on it: in a narrow panel the two would overlap.
                <p class="chart-foot">
                    <span class="axis" data-testid="heap-chart-axis">{chart_span}</span>
                    <span class="caption" data-testid="heap-chart-caption">{l.t(&msg::CHART_LEGEND)}</span>
                </p>
            </div>
        </section>
    };
    drop(s);
    out
}

fn draw_chart(sim: &Sim, canvas: &NodeRef, container: &NodeRef, l: Lang) {
    let s = sim.borrow();
    let Some(width) = width_of(container) else {
        return;
    };
    let height = 116.0;
    let Some(ctx) = prepare(canvas, width, height) else {
        return;
    };
    let samples = &s.heap().samples;
    let (Some(first), Some(last)) = (samples.first(), samples.last()) else {
        return;
    };
    let t0 = first.time;
    let span = (last.time.max(s.display_time()) - t0).max(1) as f64;
    let limit = samples
        .iter()
        .flat_map(|x| x.used.into_iter().chain([x.limit]))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (left, top, right, bottom) = (48.0, 8.0, width - 8.0, height - 4.0);
    let x = |t: u64| left + (t - t0) as f64 / span * (right - left);
    let y = |b: u64| bottom - b as f64 / limit * (bottom - top);
    let muted = theme_color("--muted");
    ctx.set_font("10px system-ui, sans-serif");
    ctx.set_fill_style_str(&muted);
    let _ = ctx.fill_text(&format::bytes(limit as u64), 2.0, top + 8.0);
    let _ = ctx.fill_text("0", 2.0, bottom);
    // The limit.
    ctx.set_stroke_style_str("#b3261e");
    ctx.set_line_width(1.0);
    let _ = ctx.set_line_dash(&js_sys_array(&[4.0, 3.0]));
    ctx.begin_path();
    ctx.move_to(left, y(samples.last().map_or(0, |x| x.limit)));
    ctx.line_to(right, y(samples.last().map_or(0, |x| x.limit)));
    ctx.stroke();
    let _ = ctx.set_line_dash(&js_sys_array(&[]));
    // Each TaskManager's used heap, a line in its gauge's colour, from the sample where it first appears (a
    // restore at a higher parallelism adds TaskManagers).
    ctx.set_line_width(1.5);
    for tm in 0..MAX_TASK_MANAGERS {
        ctx.set_stroke_style_str(&palette::task_manager(tm as u32));
        ctx.begin_path();
        let mut drawing = false;
        for p in samples {
            if tm >= usize::from(p.task_managers) {
                drawing = false;
            } else if drawing {
                ctx.line_to(x(p.time), y(p.used[tm]));
            } else {
                ctx.move_to(x(p.time), y(p.used[tm]));
                drawing = true;
            }
        }
        ctx.stroke();
    }
    for (t, mark) in &s.heap().marks {
        if *t < t0 {
            continue;
        }
        let (color, label) = match mark {
            HeapMark::OutOfMemory(tm) => ("#b3261e", format!("{} TM {tm}", l.t(&msg::MARK_OOM))),
            HeapMark::Failure => ("#d97706", l.t(&msg::MARK_FAIL).to_owned()),
            HeapMark::Restored => ("#1e9e5a", l.t(&msg::MARK_RESTORE).to_owned()),
        };
        ctx.set_stroke_style_str(color);
        ctx.begin_path();
        ctx.move_to(x(*t), top);
        ctx.line_to(x(*t), bottom);
        ctx.stroke();
        ctx.set_fill_style_str(color);
        // The label on the side of the line with room for it: a mark near the right edge labelled to its left.
        let right_half = x(*t) > (left + right) / 2.0;
        ctx.set_text_align(if right_half { "right" } else { "left" });
        let _ = ctx.fill_text(
            &label,
            x(*t) + if right_half { -2.0 } else { 2.0 },
            top + 10.0,
        );
    }
    ctx.set_text_align("left");
}

fn js_sys_array(values: &[f64]) -> wasm_bindgen::JsValue {
    let array = js_sys::Array::new();
    for v in values {
        array.push(&wasm_bindgen::JsValue::from_f64(*v));
    }
    array.into()
}
