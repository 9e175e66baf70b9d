//! The root component: runs the keyed counter job in the browser and shows what the engine reports.
//!
//! One `requestAnimationFrame` loop drives playback: each frame runs the engine for a slice of wall time on
//! the fast path, then renders once.

use crate::engine::engine_event::Milestones;
use crate::engine::java_key::JavaKeyType;
use crate::engine::job_config::JobConfig;
use crate::engine::key_group_range_assignment::{
    compute_key_group_range_for_operator_index, compute_operator_index_for_key_group,
};
use crate::engine::mini_cluster::{MiniCluster, RunLimit};
use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Wall-clock milliseconds the engine may use per animation frame.
const FRAME_BUDGET_MS: f64 = 8.0;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn new_cluster() -> MiniCluster {
    MiniCluster::new(JobConfig::default()).expect("the default configuration is valid")
}

/// Records per frame for each speed setting; `None` runs for the whole frame budget.
const SPEEDS: [(&str, Option<u64>); 5] = [
    ("1 / frame", Some(1)),
    ("10 / frame", Some(10)),
    ("100 / frame", Some(100)),
    ("1,000 / frame", Some(1000)),
    ("max", None),
];

#[function_component(App)]
pub fn app() -> Html {
    let cluster = use_mut_ref(new_cluster);
    let version = use_state(|| 0u64);
    let playing = use_state(|| false);
    let speed = use_state(|| 2usize);
    let message = use_state(|| None::<String>);
    let key_text = use_state(String::new);
    let frame = use_mut_ref(|| None::<AnimationFrame>);

    // The animation loop: while playing, every frame runs the engine and re-renders.
    {
        let cluster = cluster.clone();
        let version = version.clone();
        let frame = frame.clone();
        use_effect_with((*playing, *speed), move |&(playing, speed)| {
            fn schedule(
                cluster: Rc<RefCell<MiniCluster>>,
                version: UseStateHandle<u64>,
                frame: Rc<RefCell<Option<AnimationFrame>>>,
                per_frame: Option<u64>,
            ) {
                let next = frame.clone();
                *frame.borrow_mut() = Some(request_animation_frame(move |_| {
                    {
                        let mut c = cluster.borrow_mut();
                        let mut events = Milestones::default();
                        match per_frame {
                            Some(n) => {
                                c.run(RunLimit::records(n), &mut events);
                            }
                            None => {
                                let start = now_ms();
                                while now_ms() - start < FRAME_BUDGET_MS {
                                    if c.run(RunLimit::records(20_000), &mut events) == 0 {
                                        break;
                                    }
                                }
                            }
                        }
                    }
                    version.set(*version + 1);
                    schedule(cluster, version, next, per_frame);
                }));
            }
            if playing {
                schedule(cluster, version, frame.clone(), SPEEDS[speed].1);
            }
            move || {
                frame.borrow_mut().take();
            }
        });
    }

    let rerender = {
        let version = version.clone();
        move || version.set(*version + 1)
    };
    let on_play = {
        let playing = playing.clone();
        Callback::from(move |_| playing.set(!*playing))
    };
    let on_step = {
        let cluster = cluster.clone();
        let rerender = rerender.clone();
        Callback::from(move |_| {
            cluster.borrow_mut().step_record(&mut Milestones::default());
            rerender();
        })
    };
    let on_reset = {
        let cluster = cluster.clone();
        let rerender = rerender.clone();
        let message = message.clone();
        Callback::from(move |_| {
            *cluster.borrow_mut() = new_cluster();
            message.set(None);
            rerender();
        })
    };
    let on_checkpoint = {
        let cluster = cluster.clone();
        let message = message.clone();
        let rerender = rerender.clone();
        Callback::from(move |_| {
            let result = cluster.borrow_mut().trigger_checkpoint();
            message.set(result.err().map(|e| e.to_string()));
            rerender();
        })
    };
    let on_fail = {
        let cluster = cluster.clone();
        let message = message.clone();
        let rerender = rerender.clone();
        Callback::from(move |_| {
            let result = cluster
                .borrow_mut()
                .fail_now("failure injected from the page", &mut Milestones::default());
            message.set(result.err().map(|e| e.to_string()));
            rerender();
        })
    };
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse::<usize>()
            {
                speed.set(v.min(SPEEDS.len() - 1));
            }
        })
    };
    let on_key_input = {
        let key_text = key_text.clone();
        Callback::from(move |e: InputEvent| {
            key_text.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_send = {
        let cluster = cluster.clone();
        let key_text = key_text.clone();
        let message = message.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut c = cluster.borrow_mut();
            match c.inject_key(&key_text) {
                Ok(_) => {
                    c.step_record(&mut Milestones::default());
                    message.set(None);
                }
                Err(err) => message.set(Some(err.to_string())),
            }
            drop(c);
            rerender();
        })
    };

    let c = cluster.borrow();
    let counters = *c.counters();
    let heap = c.heap_usage();
    let heap_percent = heap.used as f64 * 100.0 / heap.limit.max(1) as f64;
    let mut top: Vec<_> = c.counts();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(10);
    let max_parallelism = c.max_parallelism();
    let parallelism = c.parallelism();

    html! {
        <main>
            <h1>{"StateLab"}</h1>
            <p class="subtitle">{"Apache Flink keyed state inside the heap state backend, step by step."}</p>
            <section class="panel controls">
                <button data-testid="play" onclick={on_play}>{ if *playing { "Pause" } else { "Play" } }</button>
                <button data-testid="step" onclick={on_step}>{"Step one event"}</button>
                <label>{"speed"}
                    <input data-testid="speed" type="range" min="0" max={(SPEEDS.len() - 1).to_string()}
                        value={speed.to_string()} onchange={on_speed} />
                    <span>{SPEEDS[*speed].0}</span>
                </label>
                <button data-testid="checkpoint-trigger" onclick={on_checkpoint}>{"Trigger checkpoint"}</button>
                <button data-testid="fail" onclick={on_fail}>{"Inject failure"}</button>
                <button data-testid="reset" onclick={on_reset}>{"Reset"}</button>
                <form onsubmit={on_send} class="send-key">
                    <input data-testid="send-key" placeholder="type a key" value={(*key_text).clone()} oninput={on_key_input} />
                    <button type="submit">{"Send"}</button>
                </form>
                if let Some(m) = &*message { <p class="error" data-testid="error">{m}</p> }
            </section>
            <section class="panel">
                <table>
                    <tr><th>{"job"}</th><td data-testid="job-status">{format!("{:?}", c.status())}</td>
                        <th>{"simulated time"}</th><td>{format!("{:.3} s", c.now() as f64 / 1e9)}</td></tr>
                    <tr><th>{"events processed"}</th><td data-testid="event-count">{counters.records_processed}</td>
                        <th>{"parallelism / maxParallelism"}</th><td>{format!("{parallelism} / {max_parallelism}")}</td></tr>
                    <tr><th>{"checkpoints completed"}</th><td data-testid="checkpoint-count">{counters.checkpoints_completed}</td>
                        <th>{"restarts"}</th><td>{counters.restarts}</td></tr>
                    <tr><th>{"JVM heap"}</th>
                        <td colspan="3" data-testid="heap-gauge">
                            <div class="bar"><div style={format!("width:{:.1}%", heap_percent.min(100.0))}></div></div>
                            {format!("{:.1} MiB of {:.1} MiB ({:.1} MiB keyed state)", heap.used as f64 / 1048576.0,
                                heap.limit as f64 / 1048576.0, heap.state as f64 / 1048576.0)}
                        </td></tr>
                </table>
            </section>
            <section class="panel">
                <h2>{"Subtasks"}</h2>
                <table data-testid="subtasks">
                    <tr><th>{"subtask"}</th><th>{"KeyGroupRange"}</th><th>{"entries"}</th><th>{"state heap"}</th></tr>
                    { for c.tasks().iter().map(|t| {
                        let r = t.backend().key_group_range();
                        html! { <tr>
                            <td>{t.index()}</td>
                            <td>{format!("{}–{}", r.start_key_group(), r.end_key_group())}</td>
                            <td>{t.backend().num_key_value_state_entries()}</td>
                            <td>{format!("{:.1} KiB", t.backend().heap_used() as f64 / 1024.0)}</td>
                        </tr> }
                    }) }
                </table>
            </section>
            <section class="panel">
                <h2>{"Top keys in ValueState \"event-counter\""}</h2>
                <table data-testid="state-table">
                    <tr><th>{"key"}</th><th>{"count"}</th><th>{"key group"}</th><th>{"subtask"}</th></tr>
                    { for top.iter().map(|(k, v)| {
                        let info = c.keys().info(*k);
                        let kg = info.murmur_hash % max_parallelism as i32;
                        html! { <tr>
                            <td>{c.keys().display(*k)}</td><td>{*v}</td><td>{kg}</td>
                            <td>{compute_operator_index_for_key_group(max_parallelism as i32, parallelism as i32, kg)}</td>
                        </tr> }
                    }) }
                </table>
            </section>
            <KeyGroupCalculator />
        </main>
    }
}

fn parse_key(
    text: &str,
    key_type: JavaKeyType,
) -> Result<crate::engine::java_key::JavaKey, String> {
    crate::engine::job_config::parse_key(text, key_type)
        .ok_or_else(|| format!("'{text}' is not a valid {}", key_type.java_name()))
}

/// Where a key lands, with the arithmetic shown.
#[function_component(KeyGroupCalculator)]
fn key_group_calculator() -> Html {
    use crate::engine::key_group_range_assignment::assign_to_key_group;
    use crate::engine::math_utils::murmur_hash;
    let key = use_state(|| "user-1".to_owned());
    let max_parallelism = use_state(|| 128i64);
    let parallelism = use_state(|| 4i64);
    let key_type = use_state(|| JavaKeyType::String);
    let on_key = {
        let key = key.clone();
        Callback::from(move |e: InputEvent| {
            key.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_number = |state: UseStateHandle<i64>| {
        Callback::from(move |e: InputEvent| {
            if let Ok(v) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse()
            {
                state.set(v);
            }
        })
    };
    let on_type = {
        let key_type = key_type.clone();
        Callback::from(move |e: Event| {
            let name = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Some(t) = JavaKeyType::from_java_name(&name) {
                key_type.set(t);
            }
        })
    };
    let result = parse_key(&key, *key_type).and_then(|k| {
        let (m, p) = (*max_parallelism, *parallelism);
        // Validates p and M with Flink's preconditions before anything is computed.
        compute_key_group_range_for_operator_index(m, p, 0).map_err(|e| e.to_string())?;
        let kg = assign_to_key_group(&k, m as i32);
        let op = compute_operator_index_for_key_group(m as i32, p as i32, kg);
        let own = compute_key_group_range_for_operator_index(m, p, i64::from(op))
            .map_err(|e| e.to_string())?;
        Ok((k.hash_code(), murmur_hash(k.hash_code()), kg, op, own))
    });
    html! {
        <section class="panel">
            <h2>{"Where does a key go?"}</h2>
            <label>{"key type"}
                <select onchange={on_type}>
                    <option value="String" selected=true>{"String"}</option>
                    <option value="Integer">{"Integer"}</option>
                    <option value="Long">{"Long"}</option>
                </select>
            </label>
            <label>{"key"}<input data-testid="calc-key" value={(*key).clone()} oninput={on_key} /></label>
            <label>{"maxParallelism"}<input type="number" value={max_parallelism.to_string()} oninput={on_number(max_parallelism.clone())} /></label>
            <label>{"parallelism"}<input data-testid="parallelism" type="number" value={parallelism.to_string()} oninput={on_number(parallelism.clone())} /></label>
            { match result {
                Ok((hash, murmur, kg, op, range)) => html! {
                    <table data-testid="key-trace">
                        <tr><th>{"key.hashCode()"}</th><td>{hash}</td></tr>
                        <tr><th>{"MathUtils.murmurHash(hashCode)"}</th><td>{murmur}</td></tr>
                        <tr><th>{"key group = murmurHash % maxParallelism"}</th><td>{format!("{murmur} % {} = {kg}", *max_parallelism)}</td></tr>
                        <tr><th>{"subtask = keyGroup × parallelism / maxParallelism"}</th><td>{format!("{kg} × {} / {} = {op}", *parallelism, *max_parallelism)}</td></tr>
                        <tr><th>{"its KeyGroupRange"}</th><td>{range.to_string()}</td></tr>
                    </table>
                },
                Err(message) => html! { <p class="error">{message}</p> },
            } }
        </section>
    }
}
