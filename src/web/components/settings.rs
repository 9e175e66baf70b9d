//! The job's settings as a form: seed, source, parallelism and max parallelism, network, checkpointing,
//! restart strategy, where the job runs (a cluster of TaskManagers with `taskmanager.numberOfTaskSlots` each, or
//! local execution in one JVM) with its memory, and scheduled failures. Changes are a draft until "Apply and restart", which
//! validates the whole configuration and starts the job again with it; bad values get a message naming them.

use crate::engine::checkpoint::decimal::{parse_f64, shortest};
use crate::engine::cluster::engine_error::EngineError;
use crate::engine::cluster::job_config::{
    CheckpointingMode, FailureTrigger, JobConfig, RestartStrategyConfig, MAX_JOB_PARALLELISM,
};
use crate::engine::cluster::job_config_error::JobConfigError;
use crate::engine::functions::job_function::JobFunction;
use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::memory::memory_size::{MemorySize, MemorySizeError};
use crate::engine::memory::task_executor_memory::{MemoryConfig, MemoryConfigError};
use crate::engine::source::key_distribution::KeyDistribution;
use crate::i18n::messages::{common, errors, settings as msg};
use crate::i18n::{Lang, Text};
use crate::player::simulation::Simulation;
use crate::web::context::{use_sim, use_ui, UiAction};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The form's fields as typed.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    function: String,
    seed: String,
    parallelism: String,
    max_parallelism: String,
    source_parallelism: String,
    rate: String,
    keys: String,
    key_type: String,
    prefix: String,
    zero_pad: String,
    distribution: String,
    zipf_exponent: String,
    hot_key: String,
    hot_fraction: String,
    max_events: String,
    latency_us: String,
    processing_ns: String,
    channel_capacity: String,
    interval_ms: String,
    timeout_ms: String,
    tolerable: String,
    mode: String,
    retained: String,
    write_speed: String,
    restart: String,
    restart_attempts: String,
    restart_delay_ms: String,
    memory_mode: String,
    task_slots: String,
    process_size: String,
    managed_size: String,
    jvm_heap: String,
    other_heap: String,
    fail_at_event: String,
    fail_at_ms: String,
}

/// What is wrong with the form, kept typed so that it reads in the page's language.
#[derive(Clone, Debug, PartialEq)]
enum Problem {
    NotANumber { field: Text, text: String },
    Size { field: Text, error: MemorySizeError },
    KeyType,
    Config(JobConfigError),
    Memory(MemoryConfigError),
    Engine(EngineError),
}

impl Problem {
    /// What the configuration check found; a memory problem is shown as the memory field's.
    fn of_config(e: JobConfigError) -> Problem {
        match e {
            JobConfigError::Memory(memory) => Problem::Memory(*memory),
            e => Problem::Config(e),
        }
    }

    fn message(&self, l: Lang) -> String {
        match self {
            Problem::NotANumber { field, text } => msg::not_a_number(l, l.t(field), text),
            Problem::Size { field, error } => {
                msg::field_problem(l, l.t(field), &errors::memory_size(error, l))
            }
            Problem::KeyType => l.t(&msg::KEY_TYPE_CHOICE).to_owned(),
            Problem::Config(e) => errors::job_config(e, l),
            Problem::Memory(e) => match l {
                // As the configuration check words it.
                Lang::En => JobConfigError::Memory(Box::new(e.clone())).to_string(),
                Lang::Zh => msg::field_problem(l, l.t(&msg::MEMORY), &errors::memory_config(e, l)),
            },
            Problem::Engine(e) => errors::engine(e, l),
        }
    }
}

impl Draft {
    fn from(c: &JobConfig) -> Self {
        let (distribution, zipf_exponent, hot_key, hot_fraction) = match &c.source.distribution {
            KeyDistribution::Uniform => ("uniform", 1.0, 0, 0.5),
            KeyDistribution::Zipf { exponent } => ("zipf", *exponent, 0, 0.5),
            KeyDistribution::HotKey { key, fraction } => ("hot", 1.0, *key, *fraction),
            KeyDistribution::Sequential => ("sequential", 1.0, 0, 0.5),
        };
        let (restart, attempts, delay) = match c.effective_restart_strategy() {
            RestartStrategyConfig::None => ("none", 3, 1000),
            RestartStrategyConfig::FixedDelay { attempts, delay_ms } => {
                ("fixed-delay", attempts, delay_ms)
            }
            RestartStrategyConfig::FailureRate {
                max_failures_per_interval,
                delay_ms,
                ..
            } => ("failure-rate", max_failures_per_interval, delay_ms),
            RestartStrategyConfig::ExponentialDelay {
                initial_backoff_ms, ..
            } => ("exponential-delay", 3, initial_backoff_ms),
        };
        let (memory_mode, process_size, managed_size, jvm_heap) = match &c.memory {
            MemoryConfig::Process {
                process_size,
                managed_size,
            } => (
                "cluster",
                process_size.to_string(),
                managed_size.map_or(String::new(), |m| m.to_string()),
                "512m".into(),
            ),
            MemoryConfig::Local { jvm_heap } => {
                ("local", "1728m".into(), String::new(), jvm_heap.to_string())
            }
        };
        let fail_at_event = c.failures.iter().find_map(|f| match f {
            FailureTrigger::EventIndex { index } => Some(index.to_string()),
            _ => None,
        });
        let fail_at_ms = c.failures.iter().find_map(|f| match f {
            FailureTrigger::Time { ms } => Some(ms.to_string()),
            _ => None,
        });
        Draft {
            function: c.function.id().to_owned(),
            seed: c.seed.to_string(),
            parallelism: c.parallelism.to_string(),
            max_parallelism: c.max_parallelism.map_or(String::new(), |m| m.to_string()),
            source_parallelism: c.source.parallelism.to_string(),
            rate: c.source.rate.to_string(),
            keys: c.source.key_count.to_string(),
            key_type: c.source.key_format.key_type.java_name().into(),
            prefix: c.source.key_format.prefix.clone(),
            zero_pad: c.source.key_format.zero_pad.to_string(),
            distribution: distribution.into(),
            zipf_exponent: shortest(zipf_exponent),
            hot_key: hot_key.to_string(),
            hot_fraction: shortest(hot_fraction),
            max_events: c.source.max_events.map_or(String::new(), |m| m.to_string()),
            latency_us: c.network.latency_us.to_string(),
            processing_ns: c.network.processing_time_ns.to_string(),
            channel_capacity: c.network.channel_capacity.to_string(),
            interval_ms: c
                .checkpointing
                .interval_ms
                .map_or(String::new(), |i| i.to_string()),
            timeout_ms: c.checkpointing.timeout_ms.to_string(),
            tolerable: c.checkpointing.tolerable_failed_checkpoints.to_string(),
            mode: match c.checkpointing.mode {
                CheckpointingMode::ExactlyOnce => "EXACTLY_ONCE",
                CheckpointingMode::AtLeastOnce => "AT_LEAST_ONCE",
            }
            .into(),
            retained: c.checkpointing.retained.to_string(),
            write_speed: c.checkpointing.write_bytes_per_second.to_string(),
            restart: restart.into(),
            restart_attempts: attempts.to_string(),
            restart_delay_ms: delay.to_string(),
            memory_mode: memory_mode.into(),
            task_slots: c.number_of_task_slots.to_string(),
            process_size,
            managed_size,
            jvm_heap,
            other_heap: c.other_heap_used.to_string(),
            fail_at_event: fail_at_event.unwrap_or_default(),
            fail_at_ms: fail_at_ms.unwrap_or_default(),
        }
    }

    fn apply(&self, base: &JobConfig) -> Result<JobConfig, Problem> {
        fn num<T: std::str::FromStr>(field: Text, text: &str) -> Result<T, Problem> {
            text.trim().parse().map_err(|_| Problem::NotANumber {
                field,
                text: text.to_owned(),
            })
        }
        // A fraction or an exponent, read without `str::parse::<f64>` (its tables cost the page 10 KB; see
        // `engine::checkpoint::decimal`) to the same value.
        fn float(field: Text, text: &str) -> Result<f64, Problem> {
            parse_f64(text.trim()).ok_or_else(|| Problem::NotANumber {
                field,
                text: text.to_owned(),
            })
        }
        fn optional<T: std::str::FromStr>(field: Text, text: &str) -> Result<Option<T>, Problem> {
            if text.trim().is_empty() {
                Ok(None)
            } else {
                num(field, text).map(Some)
            }
        }
        fn size(field: Text, text: &str) -> Result<MemorySize, Problem> {
            MemorySize::parse(text).map_err(|error| Problem::Size { field, error })
        }
        let mut c = base.clone();
        c.function = JobFunction::from_id(&self.function).unwrap_or_default();
        c.seed = num(msg::SEED, &self.seed)?;
        c.parallelism = num(msg::PARALLELISM, &self.parallelism)?;
        c.max_parallelism = optional(msg::MAX_PARALLELISM, &self.max_parallelism)?;
        c.source.parallelism = num(msg::SOURCE_PARALLELISM, &self.source_parallelism)?;
        c.source.rate = num(msg::RATE, &self.rate)?;
        c.source.key_count = num(msg::KEYS, &self.keys)?;
        c.source.key_format.key_type =
            JavaKeyType::from_java_name(&self.key_type).ok_or(Problem::KeyType)?;
        c.source.key_format.prefix = self.prefix.clone();
        c.source.key_format.zero_pad = num(msg::ZERO_PAD, &self.zero_pad)?;
        c.source.distribution = match self.distribution.as_str() {
            "uniform" => KeyDistribution::Uniform,
            "zipf" => KeyDistribution::Zipf {
                exponent: float(msg::ZIPF_EXPONENT, &self.zipf_exponent)?,
            },
            "hot" => KeyDistribution::HotKey {
                key: num(msg::HOT_KEY, &self.hot_key)?,
                fraction: float(msg::HOT_SHARE, &self.hot_fraction)?,
            },
            _ => KeyDistribution::Sequential,
        };
        c.source.max_events = optional(msg::MAX_EVENTS, &self.max_events)?;
        c.network.latency_us = num(msg::LATENCY, &self.latency_us)?;
        c.network.processing_time_ns = num(msg::PROCESSING, &self.processing_ns)?;
        c.network.channel_capacity = num(msg::CAPACITY, &self.channel_capacity)?;
        c.checkpointing.interval_ms = optional(msg::INTERVAL, &self.interval_ms)?;
        c.checkpointing.mode = if self.mode == "AT_LEAST_ONCE" {
            CheckpointingMode::AtLeastOnce
        } else {
            CheckpointingMode::ExactlyOnce
        };
        c.checkpointing.timeout_ms = num(msg::TIMEOUT, &self.timeout_ms)?;
        c.checkpointing.tolerable_failed_checkpoints = num(msg::TOLERABLE, &self.tolerable)?;
        c.checkpointing.retained = num(msg::RETAINED, &self.retained)?;
        c.checkpointing.write_bytes_per_second = num(msg::WRITE_SPEED, &self.write_speed)?;
        let attempts: u32 = num(msg::ATTEMPTS, &self.restart_attempts)?;
        let delay_ms: u64 = num(msg::DELAY, &self.restart_delay_ms)?;
        c.restart_strategy = Some(match self.restart.as_str() {
            "none" => RestartStrategyConfig::None,
            "fixed-delay" => RestartStrategyConfig::FixedDelay { attempts, delay_ms },
            "failure-rate" => RestartStrategyConfig::FailureRate {
                max_failures_per_interval: attempts,
                failure_rate_interval_ms: 60_000,
                delay_ms,
            },
            _ => RestartStrategyConfig::ExponentialDelay {
                initial_backoff_ms: delay_ms.max(1),
                max_backoff_ms: 60_000.max(delay_ms),
                backoff_multiplier: 1.5,
                reset_backoff_threshold_ms: 3_600_000,
                jitter_factor: 0.1,
                attempts_before_reset_backoff: attempts.max(1),
            },
        });
        c.memory = if self.memory_mode == "local" {
            MemoryConfig::Local {
                jvm_heap: size(msg::XMX, &self.jvm_heap)?,
            }
        } else {
            MemoryConfig::Process {
                process_size: size(msg::PROCESS_SIZE, &self.process_size)?,
                managed_size: if self.managed_size.trim().is_empty() {
                    None
                } else {
                    Some(size(msg::MANAGED_SIZE, &self.managed_size)?)
                },
            }
        };
        c.number_of_task_slots = num(msg::TASK_SLOTS, &self.task_slots)?;
        c.other_heap_used = size(msg::OTHER_HEAP, &self.other_heap)?;
        c.failures = Vec::new();
        if let Some(index) = optional(msg::FAIL_EVENT, &self.fail_at_event)? {
            c.failures.push(FailureTrigger::EventIndex { index });
        }
        if let Some(ms) = optional(msg::FAIL_TIME, &self.fail_at_ms)? {
            c.failures.push(FailureTrigger::Time { ms });
        }
        match c.validate() {
            Ok(()) => Ok(c),
            Err(e) => Err(Problem::of_config(e)),
        }
    }
}

/// One of the draft's texts, to read and to write.
#[derive(Clone, Copy)]
struct Slot {
    get: fn(&Draft) -> &String,
    set: fn(&mut Draft) -> &mut String,
}

/// The slot of a draft field.
macro_rules! slot {
    ($name:ident) => {
        Slot {
            get: |d| &d.$name,
            set: |d| &mut d.$name,
        }
    };
}

/// One row of the form. The form is this data, drawn by one loop: a field or a choice written out in `html!` each
/// would cost the page's download more (BENCHMARKS.md, "Size budget").
enum Row {
    /// A text field: its label, its text, its `data-testid`, a hint under it.
    Field(Text, Slot, Option<&'static str>, Option<Text>),
    /// A choice: its label, its value, its `data-testid`, the options (value, label), and whether they are
    /// configuration values or Java types, the same in every language (`translate="no"`).
    Choice(
        Text,
        Slot,
        &'static str,
        &'static [(&'static str, Text)],
        bool,
    ),
    /// Rows shown only while the draft says so (a distribution's parameters, a kind of memory).
    When(fn(&Draft) -> bool, &'static [Row]),
}

/// The same in both languages: a configuration value or a Java type (none the English of a plain message, whose
/// Chinese the page would show for it: `i18n::pack::text`).
const fn code(value: &'static str) -> (&'static str, Text) {
    (value, Text::same(value))
}

/// The parallelisms a job can have: 1 to [`MAX_JOB_PARALLELISM`].
const PARALLELISMS: [(&str, Text); MAX_JOB_PARALLELISM as usize] = [
    code("1"),
    code("2"),
    code("3"),
    code("4"),
    code("5"),
    code("6"),
    code("7"),
    code("8"),
];

/// The job's `KeyedProcessFunction`s: the presets of `JobFunction::ALL`, by class and the state it keeps.
const FUNCTIONS: [(&str, Text); JobFunction::ALL.len()] = [
    (
        "counter",
        Text::same("EventCounterProcessFunction · ValueState<Long>"),
    ),
    (
        "event-log",
        Text::same("EventLogProcessFunction · ListState<Long>"),
    ),
    (
        "event-log-in-value",
        Text::same("EventLogInValueProcessFunction · ValueState<ArrayList<Long>>"),
    ),
    (
        "category-counts",
        Text::same("CategoryCountProcessFunction · MapState<String, Long>"),
    ),
    (
        "category-counts-in-value",
        Text::same("CategoryCountInValueProcessFunction · ValueState<HashMap<String, Long>>"),
    ),
    (
        "running-sum",
        Text::same("RunningSumProcessFunction · ReducingState<Long>"),
    ),
    (
        "average",
        Text::same("AverageProcessFunction · AggregatingState<Long, Double>"),
    ),
    (
        "idle-counter",
        Text::same("IdleKeyCounterProcessFunction · ValueState<Long> + TTL"),
    ),
    (
        "session",
        Text::same("SessionProcessFunction · ValueState<Tuple2> + timers"),
    ),
    (
        "key-stats",
        Text::same("KeyStatsProcessFunction · ValueState<KeyStats> (POJO)"),
    ),
];

/// The form, fieldset by fieldset.
const FORM: [(Text, &[Row]); 7] = [
    (
        msg::JOB,
        &[
            Row::Choice(msg::FUNCTION, slot!(function), "function", &FUNCTIONS, true),
            Row::Choice(
                msg::PARALLELISM,
                slot!(parallelism),
                "parallelism",
                &PARALLELISMS,
                false,
            ),
            Row::Field(
                msg::MAX_PARALLELISM,
                slot!(max_parallelism),
                Some("max-parallelism"),
                Some(msg::HINT_MAX_PARALLELISM),
            ),
            Row::Field(msg::SEED, slot!(seed), Some("seed"), None),
        ],
    ),
    (
        msg::SOURCE,
        &[
            Row::Field(
                msg::RATE_LABEL,
                slot!(rate),
                Some("rate"),
                Some(msg::HINT_RATE),
            ),
            Row::Field(msg::KEYS, slot!(keys), Some("keys"), None),
            Row::Choice(
                msg::DISTRIBUTION,
                slot!(distribution),
                "distribution",
                &[
                    ("uniform", msg::UNIFORM),
                    ("zipf", msg::ZIPF),
                    ("hot", msg::ONE_HOT_KEY),
                    ("sequential", msg::SEQUENTIAL),
                ],
                false,
            ),
            Row::When(
                |d| d.distribution == "zipf",
                &[Row::Field(
                    msg::ZIPF_EXPONENT,
                    slot!(zipf_exponent),
                    Some("zipf-exponent"),
                    None,
                )],
            ),
            Row::When(
                |d| d.distribution == "hot",
                &[
                    Row::Field(msg::HOT_KEY_LABEL, slot!(hot_key), Some("hot-key"), None),
                    Row::Field(
                        msg::HOT_SHARE_LABEL,
                        slot!(hot_fraction),
                        Some("hot-fraction"),
                        None,
                    ),
                ],
            ),
            Row::Choice(
                msg::KEY_TYPE,
                slot!(key_type),
                "key-type",
                &[code("String"), code("Integer"), code("Long")],
                true,
            ),
            Row::Field(msg::KEY_PREFIX, slot!(prefix), None, None),
            Row::Field(
                msg::ZERO_PAD_LABEL,
                slot!(zero_pad),
                None,
                Some(msg::HINT_ZERO_PAD),
            ),
            Row::Field(
                msg::SOURCE_PARALLELISM,
                slot!(source_parallelism),
                Some("source-parallelism"),
                Some(msg::HINT_SOURCE_PARALLELISM),
            ),
            Row::Field(
                msg::MAX_EVENTS,
                slot!(max_events),
                None,
                Some(msg::HINT_MAX_EVENTS),
            ),
        ],
    ),
    (
        msg::NETWORK,
        &[
            Row::Field(msg::LATENCY_LABEL, slot!(latency_us), None, None),
            Row::Field(
                msg::PROCESSING_LABEL,
                slot!(processing_ns),
                Some("processing-ns"),
                None,
            ),
            Row::Field(
                msg::CAPACITY_LABEL,
                slot!(channel_capacity),
                None,
                Some(msg::HINT_CAPACITY),
            ),
        ],
    ),
    (
        msg::CHECKPOINTING,
        &[
            Row::Field(
                msg::INTERVAL_LABEL,
                slot!(interval_ms),
                Some("settings-interval"),
                Some(msg::HINT_INTERVAL),
            ),
            Row::Choice(
                msg::MODE,
                slot!(mode),
                "checkpoint-mode",
                &[
                    ("EXACTLY_ONCE", msg::EXACTLY_ONCE),
                    ("AT_LEAST_ONCE", msg::AT_LEAST_ONCE),
                ],
                false,
            ),
            Row::Field(
                msg::TIMEOUT_LABEL,
                slot!(timeout_ms),
                Some("settings-timeout"),
                None,
            ),
            Row::Field(
                msg::TOLERABLE,
                slot!(tolerable),
                Some("settings-tolerable"),
                Some(msg::HINT_TOLERABLE),
            ),
            Row::Field(
                msg::RETAINED,
                slot!(retained),
                Some("settings-retained"),
                None,
            ),
            Row::Field(
                msg::WRITE_SPEED_LABEL,
                slot!(write_speed),
                None,
                Some(msg::HINT_WRITE_SPEED),
            ),
        ],
    ),
    (
        msg::RESTART,
        &[
            Row::Choice(
                msg::RESTART_TYPE,
                slot!(restart),
                "restart-strategy",
                &[
                    code("none"),
                    code("fixed-delay"),
                    code("failure-rate"),
                    code("exponential-delay"),
                ],
                true,
            ),
            Row::Field(
                msg::ATTEMPTS_LABEL,
                slot!(restart_attempts),
                Some("restart-attempts"),
                None,
            ),
            Row::Field(
                msg::DELAY_LABEL,
                slot!(restart_delay_ms),
                Some("restart-delay"),
                None,
            ),
        ],
    ),
    (
        msg::MEMORY,
        &[
            Row::Choice(
                msg::EXECUTION,
                slot!(memory_mode),
                "memory-mode",
                &[("cluster", msg::CLUSTER), ("local", msg::LOCAL)],
                false,
            ),
            Row::When(
                |d| d.memory_mode == "local",
                &[Row::Field(
                    msg::XMX,
                    slot!(jvm_heap),
                    Some("jvm-heap"),
                    Some(msg::HINT_XMX),
                )],
            ),
            Row::When(
                |d| d.memory_mode != "local",
                &[
                    Row::Field(
                        msg::TASK_SLOTS_LABEL,
                        slot!(task_slots),
                        Some("task-slots"),
                        Some(msg::HINT_TASK_SLOTS),
                    ),
                    Row::Field(
                        msg::PROCESS_SIZE,
                        slot!(process_size),
                        Some("process-size"),
                        Some(msg::HINT_PROCESS_SIZE),
                    ),
                    Row::Field(
                        msg::MANAGED_SIZE,
                        slot!(managed_size),
                        Some("managed-size"),
                        Some(msg::HINT_MANAGED_SIZE),
                    ),
                ],
            ),
            Row::Field(
                msg::OTHER_HEAP_LABEL,
                slot!(other_heap),
                Some("other-heap"),
                Some(msg::HINT_OTHER_HEAP),
            ),
        ],
    ),
    (
        msg::FAILURES,
        &[
            Row::Field(
                msg::FAIL_EVENT_LABEL,
                slot!(fail_at_event),
                Some("fail-at-event"),
                None,
            ),
            Row::Field(
                msg::FAIL_TIME_LABEL,
                slot!(fail_at_ms),
                Some("fail-at-ms"),
                None,
            ),
        ],
    ),
];

/// The rows shown for this draft, each a labelled input or select that writes its slot of the draft.
fn rows(rows: &[Row], draft: &UseStateHandle<Draft>, l: Lang, out: &mut Vec<Html>) {
    for row in rows {
        let (label, slot, testid) = match row {
            Row::When(shown, inner) => {
                // One node either way, as `if` in `html!` gives: the rows after it keep their places.
                let mut rows = Vec::new();
                if shown(draft) {
                    self::rows(inner, draft, l, &mut rows);
                }
                out.push(html! { <>{ for rows }</> });
                continue;
            }
            Row::Field(label, slot, testid, _) => (label, *slot, *testid),
            Row::Choice(label, slot, testid, ..) => (label, *slot, Some(*testid)),
        };
        let value = (slot.get)(draft);
        let on = {
            let draft = draft.clone();
            move |text: String| {
                let mut d = (*draft).clone();
                *(slot.set)(&mut d) = text;
                draft.set(d);
            }
        };
        let control = match row {
            Row::Choice(_, _, _, options, code) => html! {
                <select data-testid={testid} translate={code.then_some("no")}
                    onchange={Callback::from(move |e: Event| on(e.target_unchecked_into::<HtmlSelectElement>().value()))}>
                    { for options.iter().map(|(option, text)| html! {
                        <option value={*option} selected={value == option}>{l.t(text)}</option>
                    }) }
                </select>
            },
            _ => html! {
                <input value={value.clone()} data-testid={testid} translate="no"
                    oninput={Callback::from(move |e: InputEvent| on(e.target_unchecked_into::<HtmlInputElement>().value()))} />
            },
        };
        let hint = match row {
            Row::Field(_, _, _, Some(hint)) => Some(l.t(hint)),
            _ => None,
        };
        out.push(html! {
            <label class="field">
                <span>{l.t(label)}</span>
                { control }
                if let Some(h) = hint { <small>{h}</small> }
            </label>
        });
    }
}

#[function_component(SettingsDrawer)]
pub fn settings_drawer() -> Html {
    let sim = use_sim();
    let ui = use_ui();
    let draft = use_state(|| Draft::from(sim.borrow().config()));
    let problem = use_state(|| None::<Problem>);
    {
        // Start from the running configuration each time the drawer opens.
        let (draft, problem, sim) = (draft.clone(), problem.clone(), sim.clone());
        use_effect_with(ui.settings_open, move |open| {
            if *open {
                draft.set(Draft::from(sim.borrow().config()));
                problem.set(None);
            }
        });
    }
    if !ui.settings_open {
        return html! {};
    }
    let apply = {
        let (sim, ui, draft, problem) = (sim.clone(), ui.clone(), draft.clone(), problem.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let base = sim.borrow().config().clone();
            match draft.apply(&base).and_then(|config| {
                sim.start(|job| Simulation::new(config, job))
                    .map_err(Problem::Engine)
            }) {
                Ok(()) => {
                    problem.set(None);
                    ui.dispatch(UiAction::SelectKeyGroup(None));
                    ui.dispatch(UiAction::ToggleSettings);
                }
                Err(p) => problem.set(Some(p)),
            }
        })
    };
    let close = {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(UiAction::ToggleSettings))
    };
    let l = ui.lang;
    let t = |text: &Text| AttrValue::Static(l.t(text));
    html! {
        <aside class="drawer" role="dialog" aria-label={t(&msg::LABEL)}>
            <form onsubmit={apply}>
                <div class="drawer-head">
                    <h2>{l.t(&msg::TITLE)}</h2>
                    <button type="button" class="ghost" onclick={close} aria-label={t(&common::CLOSE)}>{"✕"}</button>
                </div>
                { for FORM.iter().map(|(legend, fields)| {
                    let mut shown = Vec::new();
                    rows(fields, &draft, l, &mut shown);
                    html! { <fieldset><legend>{l.t(legend)}</legend>{ for shown }</fieldset> }
                }) }
                if let Some(p) = &*problem { <p class="error" data-testid="settings-error" role="alert">{p.message(l)}</p> }
                <div class="drawer-foot">
                    <button type="submit" class="primary" data-testid="apply-settings">{l.t(&msg::APPLY)}</button>
                </div>
            </form>
        </aside>
    }
}
