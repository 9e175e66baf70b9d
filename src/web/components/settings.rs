//! The job's settings as a form: seed, source, parallelism and max parallelism, network, checkpointing,
//! restart strategy, memory and scheduled failures. Changes are a draft until "Apply and restart", which
//! validates the whole configuration and starts the job again with it; bad values get a message naming them.

use crate::engine::java_key::JavaKeyType;
use crate::engine::job_config::{
    CheckpointingMode, FailureTrigger, JobConfig, RestartStrategyConfig, MAX_JOB_PARALLELISM,
};
use crate::engine::key_distribution::KeyDistribution;
use crate::engine::memory_size::MemorySize;
use crate::engine::task_executor_memory::MemoryConfig;
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
    mode: String,
    retained: String,
    write_speed: String,
    restart: String,
    restart_attempts: String,
    restart_delay_ms: String,
    memory_mode: String,
    process_size: String,
    managed_size: String,
    jvm_heap: String,
    other_heap: String,
    fail_at_event: String,
    fail_at_ms: String,
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
                "process",
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
            process_size,
            managed_size,
            jvm_heap,
            other_heap: c.other_heap_used.to_string(),
            fail_at_event: fail_at_event.unwrap_or_default(),
            fail_at_ms: fail_at_ms.unwrap_or_default(),
        }
    }

    fn apply(&self, base: &JobConfig) -> Result<JobConfig, String> {
        fn num<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, String> {
            text.trim()
                .parse()
                .map_err(|_| format!("{name}: '{text}' is not a valid number"))
        }
        fn optional<T: std::str::FromStr>(name: &str, text: &str) -> Result<Option<T>, String> {
            if text.trim().is_empty() {
                Ok(None)
            } else {
                num(name, text).map(Some)
            }
        }
        fn size(name: &str, text: &str) -> Result<MemorySize, String> {
            MemorySize::parse(text).map_err(|e| format!("{name}: {e}"))
        }
        let mut c = base.clone();
        c.seed = num("seed", &self.seed)?;
        c.parallelism = num("parallelism", &self.parallelism)?;
        c.max_parallelism = optional("maxParallelism", &self.max_parallelism)?;
        c.source.parallelism = num("source parallelism", &self.source_parallelism)?;
        c.source.rate = num("rate", &self.rate)?;
        c.source.key_count = num("number of keys", &self.keys)?;
        c.source.key_format.key_type = JavaKeyType::from_java_name(&self.key_type)
            .ok_or("key type: choose String, Integer or Long")?;
        c.source.key_format.prefix = self.prefix.clone();
        c.source.key_format.zero_pad = num("zero padding", &self.zero_pad)?;
        c.source.distribution = match self.distribution.as_str() {
            "uniform" => KeyDistribution::Uniform,
            "zipf" => KeyDistribution::Zipf {
                exponent: num("Zipf exponent", &self.zipf_exponent)?,
            },
            "hot" => KeyDistribution::HotKey {
                key: num("hot key", &self.hot_key)?,
                fraction: num("hot key share", &self.hot_fraction)?,
            },
            _ => KeyDistribution::Sequential,
        };
        c.source.max_events = optional("stop after events", &self.max_events)?;
        c.network.latency_us = num("network latency", &self.latency_us)?;
        c.network.processing_time_ns = num("processing time", &self.processing_ns)?;
        c.network.channel_capacity = num("channel capacity", &self.channel_capacity)?;
        c.checkpointing.interval_ms = optional("checkpoint interval", &self.interval_ms)?;
        c.checkpointing.mode = if self.mode == "AT_LEAST_ONCE" {
            CheckpointingMode::AtLeastOnce
        } else {
            CheckpointingMode::ExactlyOnce
        };
        c.checkpointing.retained = num("retained checkpoints", &self.retained)?;
        c.checkpointing.write_bytes_per_second = num("checkpoint write speed", &self.write_speed)?;
        let attempts: u32 = num("restart attempts", &self.restart_attempts)?;
        let delay_ms: u64 = num("restart delay", &self.restart_delay_ms)?;
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
                jvm_heap: size("-Xmx", &self.jvm_heap)?,
            }
        } else {
            MemoryConfig::Process {
                process_size: size("process.size", &self.process_size)?,
                managed_size: if self.managed_size.trim().is_empty() {
                    None
                } else {
                    Some(size("managed.size", &self.managed_size)?)
                },
            }
        };
        c.other_heap_used = size("other heap", &self.other_heap)?;
        c.failures = Vec::new();
        if let Some(index) = optional("fail at event", &self.fail_at_event)? {
            c.failures.push(FailureTrigger::EventIndex { index });
        }
        if let Some(ms) = optional("fail at time", &self.fail_at_ms)? {
            c.failures.push(FailureTrigger::Time { ms });
        }
        c.validate().map_err(|e| e.to_string())?;
        Ok(c)
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
            <input value={props.value.clone()} data-testid={props.testid.clone()}
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
}

#[function_component(Choice)]
fn choice(props: &ChoiceProps) -> Html {
    let on = props.on.clone();
    html! {
        <label class="field">
            <span>{props.label.clone()}</span>
            <select data-testid={props.testid.clone()}
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
    let problem = use_state(|| None::<String>);
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
            match draft
                .apply(&base)
                .and_then(|config| sim.update(|s| s.reset(config)))
            {
                Ok(()) => {
                    problem.set(None);
                    ui.dispatch(UiAction::SelectKeyGroup(None));
                    ui.dispatch(UiAction::ToggleSettings);
                }
                Err(message) => problem.set(Some(message)),
            }
        })
    };
    let close = {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(UiAction::ToggleSettings))
    };
    let d = &*draft;
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
    html! {
        <aside class="drawer" role="dialog" aria-label="settings">
            <form onsubmit={apply}>
                <div class="drawer-head">
                    <h2>{"Settings"}</h2>
                    <button type="button" class="ghost" onclick={close} aria-label="close">{"✕"}</button>
                </div>
                <fieldset><legend>{"Job"}</legend>
                    <Choice label="parallelism" value={d.parallelism.clone()} options={parallelism_options.clone()} on={set(|d, v| d.parallelism = v)} testid="parallelism" />
                    <Field label="maxParallelism" value={d.max_parallelism.clone()} on={set(|d, v| d.max_parallelism = v)} testid="max-parallelism" hint="empty: derived from the parallelism (128)" />
                    <Field label="seed" value={d.seed.clone()} on={set(|d, v| d.seed = v)} testid="seed" />
                </fieldset>
                <fieldset><legend>{"Source"}</legend>
                    <Field label="events per second (simulated)" value={d.rate.clone()} on={set(|d, v| d.rate = v)} testid="rate" hint="0: only keys typed by hand" />
                    <Field label="number of keys" value={d.keys.clone()} on={set(|d, v| d.keys = v)} testid="keys" />
                    <Choice label="distribution" value={d.distribution.clone()} on={set(|d, v| d.distribution = v)} testid="distribution"
                        options={vec![("uniform", "uniform"), ("zipf", "Zipf (skewed)"), ("hot", "one hot key"), ("sequential", "every key in turn")]} />
                    if d.distribution == "zipf" {
                        <Field label="Zipf exponent" value={d.zipf_exponent.clone()} on={set(|d, v| d.zipf_exponent = v)} testid="zipf-exponent" />
                    }
                    if d.distribution == "hot" {
                        <Field label="hot key (number)" value={d.hot_key.clone()} on={set(|d, v| d.hot_key = v)} testid="hot-key" />
                        <Field label="hot key share (0–1)" value={d.hot_fraction.clone()} on={set(|d, v| d.hot_fraction = v)} testid="hot-fraction" />
                    }
                    <Choice label="key type" value={d.key_type.clone()} on={set(|d, v| d.key_type = v)} testid="key-type"
                        options={vec![("String", "String"), ("Integer", "Integer"), ("Long", "Long")]} />
                    <Field label="key prefix (String keys)" value={d.prefix.clone()} on={set(|d, v| d.prefix = v)} />
                    <Field label="zero padding digits" value={d.zero_pad.clone()} on={set(|d, v| d.zero_pad = v)} hint="6 makes user-000042" />
                    <Field label="source parallelism" value={d.source_parallelism.clone()} on={set(|d, v| d.source_parallelism = v)} testid="source-parallelism" hint="2 or more: barriers must align" />
                    <Field label="stop after events" value={d.max_events.clone()} on={set(|d, v| d.max_events = v)} hint="empty: unbounded" />
                </fieldset>
                <fieldset><legend>{"Network and tasks"}</legend>
                    <Field label="network latency (µs)" value={d.latency_us.clone()} on={set(|d, v| d.latency_us = v)} />
                    <Field label="processing time per record (ns)" value={d.processing_ns.clone()} on={set(|d, v| d.processing_ns = v)} testid="processing-ns" />
                    <Field label="channel capacity (records)" value={d.channel_capacity.clone()} on={set(|d, v| d.channel_capacity = v)} hint="full channels backpressure the source" />
                </fieldset>
                <fieldset><legend>{"Checkpointing"}</legend>
                    <Field label="interval (ms)" value={d.interval_ms.clone()} on={set(|d, v| d.interval_ms = v)} testid="settings-interval" hint="empty: only on demand" />
                    <Choice label="mode" value={d.mode.clone()} on={set(|d, v| d.mode = v)} testid="checkpoint-mode"
                        options={vec![("EXACTLY_ONCE", "EXACTLY_ONCE (aligned barriers)"), ("AT_LEAST_ONCE", "AT_LEAST_ONCE (no alignment)")]} />
                    <Field label="retained checkpoints" value={d.retained.clone()} on={set(|d, v| d.retained = v)} testid="settings-retained" />
                    <Field label="write speed (bytes/s)" value={d.write_speed.clone()} on={set(|d, v| d.write_speed = v)} hint="slower: a longer async phase, more copy-on-write" />
                </fieldset>
                <fieldset><legend>{"Restart strategy"}</legend>
                    <Choice label="restart-strategy.type" value={d.restart.clone()} on={set(|d, v| d.restart = v)} testid="restart-strategy"
                        options={vec![("none", "none"), ("fixed-delay", "fixed-delay"), ("failure-rate", "failure-rate"), ("exponential-delay", "exponential-delay")]} />
                    <Field label="attempts" value={d.restart_attempts.clone()} on={set(|d, v| d.restart_attempts = v)} testid="restart-attempts" />
                    <Field label="delay / initial backoff (ms)" value={d.restart_delay_ms.clone()} on={set(|d, v| d.restart_delay_ms = v)} testid="restart-delay" />
                </fieldset>
                <fieldset><legend>{"Memory"}</legend>
                    <Choice label="TaskManager" value={d.memory_mode.clone()} on={set(|d, v| d.memory_mode = v)} testid="memory-mode"
                        options={vec![("process", "cluster: taskmanager.memory.process.size"), ("local", "local execution: -Xmx")]} />
                    if d.memory_mode == "local" {
                        <Field label="-Xmx" value={d.jvm_heap.clone()} on={set(|d, v| d.jvm_heap = v)} testid="jvm-heap" hint="e.g. 64m" />
                    } else {
                        <Field label="process.size" value={d.process_size.clone()} on={set(|d, v| d.process_size = v)} testid="process-size" hint="e.g. 1728m, 4g" />
                        <Field label="managed.size" value={d.managed_size.clone()} on={set(|d, v| d.managed_size = v)} testid="managed-size" hint="empty: 0.4 of Flink memory; 0 for the heap backend" />
                    }
                    <Field label="other heap in use" value={d.other_heap.clone()} on={set(|d, v| d.other_heap = v)} hint="framework and user objects (an assumption)" />
                </fieldset>
                <fieldset><legend>{"Failures"}</legend>
                    <Field label="fail when processing event #" value={d.fail_at_event.clone()} on={set(|d, v| d.fail_at_event = v)} testid="fail-at-event" />
                    <Field label="fail at time (ms)" value={d.fail_at_ms.clone()} on={set(|d, v| d.fail_at_ms = v)} testid="fail-at-ms" />
                </fieldset>
                if let Some(p) = &*problem { <p class="error" data-testid="settings-error" role="alert">{p}</p> }
                <div class="drawer-foot">
                    <button type="submit" class="primary" data-testid="apply-settings">{"Apply and restart the job"}</button>
                </div>
            </form>
        </aside>
    }
}
