//! "Which structure fits?" — the current job's workload kept two ways, `ValueState<HashMap>` against `MapState` or
//! `ValueState<ArrayList>` against `ListState`, each run to its end by the engine (`teaching::structure_comparison`)
//! and drawn side by side: heap and objects per key, bytes per checkpoint, copies on write.

use crate::engine::checkpoint::decimal::Fixed;
use crate::engine::cluster::engine_error::EngineError;
use crate::i18n::messages::{comparison as msg, errors};
use crate::player::format;
use crate::teaching::structure_comparison::{compare, StructureCost, StructurePair};
use crate::web::context::{use_sim, use_ui};
use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// The two pairs, as their buttons name them.
const PAIRS: [(StructurePair, &str, &str); 2] = [
    (
        StructurePair::Map,
        "ValueState<HashMap> vs MapState",
        "compare-map",
    ),
    (
        StructurePair::List,
        "ValueState<ArrayList> vs ListState",
        "compare-list",
    ),
];

/// The comparison shown: running, or its outcome.
#[derive(Clone, PartialEq)]
enum Shown {
    Running(StructurePair),
    Done(StructurePair, Result<[StructureCost; 2], EngineError>),
}

#[function_component(StructureComparisonPanel)]
pub fn structure_comparison_panel() -> Html {
    let sim = use_sim();
    let l = use_ui().lang;
    let shown = use_state(|| None::<Shown>);
    let run = |pair: StructurePair| {
        let (sim, shown) = (sim.clone(), shown.clone());
        Callback::from(move |_: MouseEvent| {
            shown.set(Some(Shown::Running(pair)));
            // After the "running" line is drawn: two whole jobs run in this task.
            let (sim, shown) = (sim.clone(), shown.clone());
            Timeout::new(30, move || {
                let config = sim.borrow().config().clone();
                shown.set(Some(Shown::Done(pair, compare(&config, pair))));
            })
            .forget();
        })
    };
    let body = match &*shown {
        None => html! {},
        Some(Shown::Running(_)) => {
            html! { <p class="hint" data-testid="comparison-running">{l.t(&msg::RUNNING)}</p> }
        }
        Some(Shown::Done(_, Err(e))) => {
            html! { <p class="error">{msg::failed(l, &errors::engine(e, l))}</p> }
        }
        Some(Shown::Done(_, Ok([a, b]))) => {
            let row = |label: &str, testid: &str, x: f64, y: f64, text: &dyn Fn(f64) -> String| {
                let max = x.max(y).max(f64::MIN_POSITIVE);
                let bar = |v: f64| format!("width: {}%", Fixed(v / max * 100.0, 1));
                html! {
                    <tr data-testid={testid.to_owned()}>
                        <th>{label.to_owned()}</th>
                        <td><span class="bar" style={bar(x)}></span><span class="num">{text(x)}</span></td>
                        <td><span class="bar alt" style={bar(y)}></span><span class="num">{text(y)}</span></td>
                    </tr>
                }
            };
            let one = |v: f64| Fixed(v, 1).to_string();
            let bytes = |v: f64| format::bytes(v as u64);
            let count = |v: f64| format::count(v as u64);
            let verdict = if a.heap_bytes_per_key == b.heap_bytes_per_key {
                l.t(&msg::SAME).to_owned()
            } else {
                let (more, less, m, n) = if a.heap_bytes_per_key > b.heap_bytes_per_key {
                    (a, b, a.heap_bytes_per_key, b.heap_bytes_per_key)
                } else {
                    (b, a, b.heap_bytes_per_key, a.heap_bytes_per_key)
                };
                let percent = Fixed((m / n.max(f64::MIN_POSITIVE) - 1.0) * 100.0, 1).to_string();
                msg::differs(l, state_of(more), state_of(less), &percent)
            };
            html! {
                <>
                    <table class="comparison" data-testid="comparison-table">
                        <tr><th></th><th translate="no">{state_of(a)}</th><th translate="no">{state_of(b)}</th></tr>
                        { row(l.t(&msg::KEYS), "cmp-keys", a.keys as f64, b.keys as f64, &count) }
                        { row(l.t(&msg::HEAP_PER_KEY), "cmp-heap", a.heap_bytes_per_key, b.heap_bytes_per_key, &one) }
                        { row(l.t(&msg::OBJECTS_PER_KEY), "cmp-objects", a.objects_per_key, b.objects_per_key, &one) }
                        { row(l.t(&msg::CHECKPOINT_BYTES), "cmp-checkpoint", a.bytes_per_checkpoint as f64, b.bytes_per_checkpoint as f64, &bytes) }
                        { row(l.t(&msg::COPIES), "cmp-copies", a.copies_per_checkpoint, b.copies_per_checkpoint, &one) }
                    </table>
                    <p class="hint">{msg::checkpoints(l, a.checkpoints.min(b.checkpoints))}</p>
                    <p class="verdict" data-testid="comparison-verdict">{verdict}</p>
                </>
            }
        }
    };
    let chosen = match &*shown {
        Some(Shown::Running(p) | Shown::Done(p, _)) => Some(*p),
        None => None,
    };
    html! {
        <section class="panel comparison-panel" data-testid="structure-comparison">
            <div class="panel-head">
                <h2>{l.t(&msg::TITLE)}</h2>
                <span class="hint">{l.t(&msg::HINT)}</span>
            </div>
            <div class="comparison-pairs" translate="no">
                { for PAIRS.iter().map(|&(pair, label, testid)| html! {
                    <button class={if chosen == Some(pair) { "active" } else { "" }} data-testid={testid}
                        disabled={matches!(&*shown, Some(Shown::Running(_)))} onclick={run(pair)}>{label}</button>
                }) }
            </div>
            { body }
        </section>
    }
}

/// The state a cost was measured for, as Java declares it.
fn state_of(cost: &StructureCost) -> &'static str {
    use crate::engine::functions::job_function::JobFunction;
    match cost.function {
        JobFunction::CategoryCountsInValue => "ValueState<HashMap<String, Long>>",
        JobFunction::CategoryCounts => "MapState<String, Long>",
        JobFunction::EventLogInValue => "ValueState<ArrayList<Long>>",
        _ => "ListState<Long>",
    }
}
