//! The job's settings as a form: seed, source, parallelism and max parallelism, network, checkpointing,
//! restart strategy, where the job runs (a cluster of TaskManagers with `taskmanager.numberOfTaskSlots` each, or
//! local execution in one JVM) with its memory, and scheduled failures. Changes are a draft until "Apply and restart", which
//! validates the whole configuration and starts the job again with it; bad values get a message naming them.

use crate::engine::checkpoint::decimal::parse_f64;
use crate::engine::cluster::engine_error::EngineError;
use crate::engine::cluster::job_config::{
    CheckpointingMode, FailureTrigger, JobConfig, RestartStrategyConfig, MAX_JOB_PARALLELISM,
};
use crate::engine::cluster::job_config_error::JobConfigError;
use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::memory::memory_size::{MemorySize, MemorySizeError};
use crate::engine::memory::task_executor_memory::{MemoryConfig, MemoryConfigError};
use crate::engine::source::key_distribution::KeyDistribution;
use crate::i18n::messages::{common, errors, settings as msg};
use crate::i18n::{Lang, Text};
use crate::player::simulation::Simulation;
use crate::web::context::{Sim, Ui, UiAction};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The form's fields as typed.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
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
            zipf_exponent: zipf_exponent.to_string(),
            hot_key: hot_key.to_string(),
            hot_fraction: hot_fraction.to_string(),
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

#[derive(Properties, PartialEq)]
struct FieldProps {
    label: AttrValue,
    value: String,
    on: Callback<String>,
    #[prop_or_default]
    testid: Option<AttrValue>,
    #[prop_or_default]
    hint: Option<AttrValue>,
}

#[function_component(Field)]
fn field(props: &FieldProps) -> Html {
    let on = props.on.clone();
    html! {
        <label class="field">
            <span>{props.label.clone()}</span>
            <input value={props.value.clone()} data-testid={props.testid.clone()} translate="no"
                oninput={Callback::from(move |e: InputEvent| on.emit(e.target_unchecked_into::<HtmlInputElement>().value()))} />
            if let Some(h) = &props.hint { <small>{h.clone()}</small> }
        </label>
    }
}

#[derive(Properties, PartialEq)]
struct ChoiceProps {
    label: AttrValue,
    value: String,
    options: Vec<(&'static str, &'static str)>,
    on: Callback<String>,
    #[prop_or_default]
    testid: Option<AttrValue>,
    /// The options are configuration values or Java types, the same in every language.
    #[prop_or_default]
    code: bool,
}

#[function_component(Choice)]
fn choice(props: &ChoiceProps) -> Html {
    let on = props.on.clone();
    html! {
        <label class="field">
            <span>{props.label.clone()}</span>
            <select data-testid={props.testid.clone()} translate={props.code.then_some("no")}
                onchange={Callback::from(move |e: Event| on.emit(e.target_unchecked_into::<HtmlSelectElement>().value()))}>
                { for props.options.iter().map(|(value, label)| html! {
                    <option value={*value} selected={props.value == *value}>{*label}</option>
                }) }
            </select>
        </label>
    }
}

#[function_component(SettingsDrawer)]
pub fn settings_drawer() -> Html {
    let sim = use_context::<Sim>().expect("sim context");
    let ui = use_context::<Ui>().expect("ui context");
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
    let set = |update: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |v: String| {
            let mut d = (*draft).clone();
            update(&mut d, v);
            draft.set(d);
        })
    };
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
    let d = &*draft;
    let l = ui.lang;
    let parallelism_options: Vec<(&'static str, &'static str)> = [
        ("1", "1"),
        ("2", "2"),
        ("3", "3"),
        ("4", "4"),
        ("5", "5"),
        ("6", "6"),
        ("7", "7"),
        ("8", "8"),
    ][..MAX_JOB_PARALLELISM as usize]
        .to_vec();
    let t = |text: &Text| AttrValue::Static(l.t(text));
    html! {
        <aside class="drawer" role="dialog" aria-label={t(&msg::LABEL)}>
            <form onsubmit={apply}>
                <div class="drawer-head">
                    <h2>{l.t(&msg::TITLE)}</h2>
                    <button type="button" class="ghost" onclick={close} aria-label={t(&common::CLOSE)}>{"✕"}</button>
                </div>
                <fieldset><legend>{l.t(&msg::JOB)}</legend>
                    <Choice label={t(&msg::PARALLELISM)} value={d.parallelism.clone()} options={parallelism_options.clone()} on={set(|d, v| d.parallelism = v)} testid="parallelism" />
                    <Field label={t(&msg::MAX_PARALLELISM)} value={d.max_parallelism.clone()} on={set(|d, v| d.max_parallelism = v)} testid="max-parallelism" hint={t(&msg::HINT_MAX_PARALLELISM)} />
                    <Field label={t(&msg::SEED)} value={d.seed.clone()} on={set(|d, v| d.seed = v)} testid="seed" />
                </fieldset>
                <fieldset><legend>{l.t(&msg::SOURCE)}</legend>
                    <Field label={t(&msg::RATE_LABEL)} value={d.rate.clone()} on={set(|d, v| d.rate = v)} testid="rate" hint={t(&msg::HINT_RATE)} />
                    <Field label={t(&msg::KEYS)} value={d.keys.clone()} on={set(|d, v| d.keys = v)} testid="keys" />
                    <Choice label={t(&msg::DISTRIBUTION)} value={d.distribution.clone()} on={set(|d, v| d.distribution = v)} testid="distribution"
                        options={vec![("uniform", l.t(&msg::UNIFORM)), ("zipf", l.t(&msg::ZIPF)), ("hot", l.t(&msg::ONE_HOT_KEY)), ("sequential", l.t(&msg::SEQUENTIAL))]} />
                    if d.distribution == "zipf" {
                        <Field label={t(&msg::ZIPF_EXPONENT)} value={d.zipf_exponent.clone()} on={set(|d, v| d.zipf_exponent = v)} testid="zipf-exponent" />
                    }
                    if d.distribution == "hot" {
                        <Field label={t(&msg::HOT_KEY_LABEL)} value={d.hot_key.clone()} on={set(|d, v| d.hot_key = v)} testid="hot-key" />
                        <Field label={t(&msg::HOT_SHARE_LABEL)} value={d.hot_fraction.clone()} on={set(|d, v| d.hot_fraction = v)} testid="hot-fraction" />
                    }
                    <Choice label={t(&msg::KEY_TYPE)} value={d.key_type.clone()} on={set(|d, v| d.key_type = v)} testid="key-type" code=true
                        options={vec![("String", "String"), ("Integer", "Integer"), ("Long", "Long")]} />
                    <Field label={t(&msg::KEY_PREFIX)} value={d.prefix.clone()} on={set(|d, v| d.prefix = v)} />
                    <Field label={t(&msg::ZERO_PAD_LABEL)} value={d.zero_pad.clone()} on={set(|d, v| d.zero_pad = v)} hint={t(&msg::HINT_ZERO_PAD)} />
                    <Field label={t(&msg::SOURCE_PARALLELISM)} value={d.source_parallelism.clone()} on={set(|d, v| d.source_parallelism = v)} testid="source-parallelism" hint={t(&msg::HINT_SOURCE_PARALLELISM)} />
                    <Field label={t(&msg::MAX_EVENTS)} value={d.max_events.clone()} on={set(|d, v| d.max_events = v)} hint={t(&msg::HINT_MAX_EVENTS)} />
                </fieldset>
                <fieldset><legend>{l.t(&msg::NETWORK)}</legend>
                    <Field label={t(&msg::LATENCY_LABEL)} value={d.latency_us.clone()} on={set(|d, v| d.latency_us = v)} />
                    <Field label={t(&msg::PROCESSING_LABEL)} value={d.processing_ns.clone()} on={set(|d, v| d.processing_ns = v)} testid="processing-ns" />
                    <Field label={t(&msg::CAPACITY_LABEL)} value={d.channel_capacity.clone()} on={set(|d, v| d.channel_capacity = v)} hint={t(&msg::HINT_CAPACITY)} />
                </fieldset>
                <fieldset><legend>{l.t(&msg::CHECKPOINTING)}</legend>
                    <Field label={t(&msg::INTERVAL_LABEL)} value={d.interval_ms.clone()} on={set(|d, v| d.interval_ms = v)} testid="settings-interval" hint={t(&msg::HINT_INTERVAL)} />
                    <Choice label={t(&msg::MODE)} value={d.mode.clone()} on={set(|d, v| d.mode = v)} testid="checkpoint-mode"
                        options={vec![("EXACTLY_ONCE", l.t(&msg::EXACTLY_ONCE)), ("AT_LEAST_ONCE", l.t(&msg::AT_LEAST_ONCE))]} />
                    <Field label={t(&msg::TIMEOUT_LABEL)} value={d.timeout_ms.clone()} on={set(|d, v| d.timeout_ms = v)} testid="settings-timeout" />
                    <Field label={t(&msg::TOLERABLE)} value={d.tolerable.clone()} on={set(|d, v| d.tolerable = v)} testid="settings-tolerable" hint={t(&msg::HINT_TOLERABLE)} />
                    <Field label={t(&msg::RETAINED)} value={d.retained.clone()} on={set(|d, v| d.retained = v)} testid="settings-retained" />
                    <Field label={t(&msg::WRITE_SPEED_LABEL)} value={d.write_speed.clone()} on={set(|d, v| d.write_speed = v)} hint={t(&msg::HINT_WRITE_SPEED)} />
                </fieldset>
                <fieldset><legend>{l.t(&msg::RESTART)}</legend>
                    <Choice label={t(&msg::RESTART_TYPE)} value={d.restart.clone()} on={set(|d, v| d.restart = v)} testid="restart-strategy" code=true
                        options={vec![("none", "none"), ("fixed-delay", "fixed-delay"), ("failure-rate", "failure-rate"), ("exponential-delay", "exponential-delay")]} />
                    <Field label={t(&msg::ATTEMPTS_LABEL)} value={d.restart_attempts.clone()} on={set(|d, v| d.restart_attempts = v)} testid="restart-attempts" />
                    <Field label={t(&msg::DELAY_LABEL)} value={d.restart_delay_ms.clone()} on={set(|d, v| d.restart_delay_ms = v)} testid="restart-delay" />
                </fieldset>
                <fieldset><legend>{l.t(&msg::MEMORY)}</legend>
                    <Choice label={t(&msg::EXECUTION)} value={d.memory_mode.clone()} on={set(|d, v| d.memory_mode = v)} testid="memory-mode"
                        options={vec![("cluster", l.t(&msg::CLUSTER)), ("local", l.t(&msg::LOCAL))]} />
                    if d.memory_mode == "local" {
                        <Field label={t(&msg::XMX)} value={d.jvm_heap.clone()} on={set(|d, v| d.jvm_heap = v)} testid="jvm-heap" hint={t(&msg::HINT_XMX)} />
                    } else {
                        <Field label={t(&msg::TASK_SLOTS_LABEL)} value={d.task_slots.clone()} on={set(|d, v| d.task_slots = v)} testid="task-slots" hint={t(&msg::HINT_TASK_SLOTS)} />
                        <Field label={t(&msg::PROCESS_SIZE)} value={d.process_size.clone()} on={set(|d, v| d.process_size = v)} testid="process-size" hint={t(&msg::HINT_PROCESS_SIZE)} />
                        <Field label={t(&msg::MANAGED_SIZE)} value={d.managed_size.clone()} on={set(|d, v| d.managed_size = v)} testid="managed-size" hint={t(&msg::HINT_MANAGED_SIZE)} />
                    }
                    <Field label={t(&msg::OTHER_HEAP_LABEL)} value={d.other_heap.clone()} on={set(|d, v| d.other_heap = v)} testid="other-heap" hint={t(&msg::HINT_OTHER_HEAP)} />
                </fieldset>
                <fieldset><legend>{l.t(&msg::FAILURES)}</legend>
                    <Field label={t(&msg::FAIL_EVENT_LABEL)} value={d.fail_at_event.clone()} on={set(|d, v| d.fail_at_event = v)} testid="fail-at-event" />
                    <Field label={t(&msg::FAIL_TIME_LABEL)} value={d.fail_at_ms.clone()} on={set(|d, v| d.fail_at_ms = v)} testid="fail-at-ms" />
                </fieldset>
                if let Some(p) = &*problem { <p class="error" data-testid="settings-error" role="alert">{p.message(l)}</p> }
                <div class="drawer-foot">
                    <button type="submit" class="primary" data-testid="apply-settings">{l.t(&msg::APPLY)}</button>
                </div>
            </form>
        </aside>
    }
}
