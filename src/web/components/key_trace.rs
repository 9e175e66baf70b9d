//! Follow one key through everything Flink computes for it, with the arithmetic shown: `hashCode()`,
//! `MathUtils.murmurHash`, the key group, the subtask that owns it, the composite hash with `VoidNamespace`, the
//! bucket in that key group's `CopyOnWriteStateMap`, its place in the chain, and its current count.

use crate::engine::copy_on_write_state_map::composite_hash;
use crate::engine::java_key::JavaKey;
use crate::engine::job_config::parse_key;
use crate::engine::key_group_range_assignment::compute_operator_index_for_key_group;
use crate::engine::math_utils::murmur_hash;
use crate::engine::state_map_entry::{TableKind, VOID_NAMESPACE_HASH};
use crate::web::context::{Sim, Ui, UiAction};
use crate::web::palette;
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn hash_explanation(key: &JavaKey) -> String {
    match key {
        JavaKey::String(s) => {
            let n = s.encode_utf16().count();
            if n == 0 {
                "\"\".hashCode() = 0".into()
            } else {
                format!(
                    "\"{s}\".hashCode() = Σ s[i]·31^({}−i) over {n} UTF-16 units",
                    n - 1
                )
            }
        }
        JavaKey::Integer(v) => format!("Integer.hashCode({v}) = the value"),
        JavaKey::Long(v) => format!("Long.hashCode({v}) = (int)(v ^ (v >>> 32))"),
    }
}

#[function_component(KeyTrace)]
pub fn key_trace() -> Html {
    let sim = use_context::<Sim>().expect("sim context");
    let ui = use_context::<Ui>().expect("ui context");
    let draft = use_state(|| ui.followed_key.clone().unwrap_or_default());
    {
        // A key followed from elsewhere (a dot, an entry, "send") shows up in the box.
        let draft = draft.clone();
        use_effect_with(ui.followed_key.clone(), move |followed| {
            if let Some(k) = followed {
                draft.set(k.clone());
            }
        });
    }
    let on_input = {
        let (draft, ui) = (draft.clone(), ui.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            ui.dispatch(UiAction::Follow(Some(text.clone())));
            draft.set(text);
        })
    };

    let s = sim.borrow();
    let c = &s.cluster;
    let key_type = c.config().source.key_format.key_type;
    let body = match ui
        .followed_key
        .as_deref()
        .map(|t| (t, parse_key(t, key_type)))
    {
        None => {
            html! { <p class="empty">{"Type a key (or click a dot or an entry) to follow it."}</p> }
        }
        Some((text, None)) => {
            html! { <p class="error">{format!("'{text}' is not a valid {} key for this job", key_type.java_name())}</p> }
        }
        Some((_, Some(key))) => {
            let m = c.max_parallelism() as i32;
            let p = c.parallelism() as i32;
            let hash = key.hash_code();
            let murmur = murmur_hash(hash);
            let kg = murmur % m;
            let subtask = compute_operator_index_for_key_group(m, p, kg);
            let range = c.tasks()[subtask as usize].backend().key_group_range();
            let cow = composite_hash(hash);
            let map = c.key_group_map(kg as u32);
            let id = c.keys().find(&key);
            let (table, bucket) = map.map_or((TableKind::Primary, 0), |m| m.locate(hash));
            let capacity = map.map_or(0, |m| m.table(table).len());
            let position = map
                .zip(id)
                .and_then(|(m, id)| m.bucket(table, bucket as usize).position(|e| e.key == id));
            let count = id.and_then(|id| c.count_of(id));
            let open = {
                let ui = ui.clone();
                Callback::from(move |_| ui.dispatch(UiAction::SelectKeyGroup(Some(kg as u32))))
            };
            let rehash_note = match (map, table) {
                (Some(m), TableKind::IncrementalRehash) => {
                    format!(
                        " (hash & {} = {} < rehashIndex {}: already moved)",
                        m.capacity() - 1,
                        (cow as u32) & (m.capacity() as u32 - 1),
                        m.rehash_index()
                    )
                }
                _ => String::new(),
            };
            html! {
                <table class="trace">
                    <tr><th>{"hashCode()"}</th><td data-testid="trace-hash">{hash}</td><td class="why">{hash_explanation(&key)}</td></tr>
                    <tr><th>{"murmurHash"}</th><td data-testid="trace-murmur">{murmur}</td><td class="why">{format!("MathUtils.murmurHash({hash})")}</td></tr>
                    <tr><th>{"key group"}</th>
                        <td data-testid="trace-key-group"><span class="swatch" style={format!("background:{}", palette::key_group(kg as u32))}></span>{kg}</td>
                        <td class="why">{format!("{murmur} % maxParallelism {m} = {kg}")}</td></tr>
                    <tr><th>{"subtask"}</th><td data-testid="trace-subtask">{subtask}</td>
                        <td class="why">{format!("{kg} × parallelism {p} / {m} = {subtask} · its {range}")}</td></tr>
                    <tr><th>{"composite hash"}</th><td>{cow}</td>
                        <td class="why">{format!("bitMix({hash} ^ VoidNamespace.hashCode() {VOID_NAMESPACE_HASH})")}</td></tr>
                    <tr><th>{"bucket"}</th><td data-testid="trace-bucket">{bucket}</td>
                        <td class="why">{format!("{cow} & ({capacity} − 1) = {bucket} in {}{rehash_note}",
                            if table == TableKind::Primary { "primaryTable" } else { "incrementalRehashTable" })}</td></tr>
                    <tr><th>{"in the chain"}</th><td>{ match position { Some(i) => format!("#{i}"), None => "—".into() } }</td>
                        <td class="why">{ match position { Some(0) => "at the head of the bucket".to_owned(), Some(i) => format!("{i} entries ahead of it"), None => "not in state (value() returns null)".into() } }</td></tr>
                    <tr><th>{"value()"}</th><td data-testid="trace-count">{ count.map_or("null".to_owned(), |v| v.to_string()) }</td>
                        <td class="why"><button class="link" onclick={open}>{format!("open key group {kg}")}</button></td></tr>
                </table>
            }
        }
    };
    html! {
        <section class="panel trace-panel" data-testid="key-trace" aria-label="follow a key">
            <div class="panel-head">
                <h2>{"Follow a key"}</h2>
                <input data-testid="follow-key" class="follow" placeholder="e.g. user-1" value={(*draft).clone()}
                    oninput={on_input} aria-label="key to follow" />
            </div>
            { body }
        </section>
    }
}
