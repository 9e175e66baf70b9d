//! Follow one key through everything Flink computes for it, with the arithmetic shown: `hashCode()`,
//! `MathUtils.murmurHash`, the key group, the subtask that owns it, the composite hash with `VoidNamespace`, the
//! bucket in that key group's `CopyOnWriteStateMap`, its place in the chain, and its current count.

use crate::engine::cluster::job_config::parse_key;
use crate::engine::keys::java_key::JavaKey;
use crate::engine::keys::key_group_range_assignment::{
    compute_operator_index_for_key_group, key_group_of_murmur_hash,
};
use crate::engine::keys::math_utils::murmur_hash;
use crate::engine::state::heap::copy_on_write_state_map::composite_hash;
use crate::engine::state::heap::state_map_entry::{TableKind, VOID_NAMESPACE_HASH};
use crate::i18n::messages::key_trace as msg;
use crate::i18n::Lang;
use crate::web::context::{use_sim, use_ui, UiAction};
use crate::web::palette;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// How Java computes the key's `hashCode()`: the formula (code, as it is in every language) and words.
fn hash_explanation(key: &JavaKey, l: Lang) -> Html {
    let (code, words) = match key {
        JavaKey::String(s) => {
            let n = s.encode_utf16().count();
            if n == 0 {
                ("\"\".hashCode() = 0".to_owned(), String::new())
            } else {
                (
                    format!("\"{s}\".hashCode() = Σ s[i]·31^({}−i)", n - 1),
                    msg::utf16_units(l, n),
                )
            }
        }
        JavaKey::Integer(v) => (
            format!("Integer.hashCode({v})"),
            l.t(&msg::THE_VALUE).to_owned(),
        ),
        JavaKey::Long(v) => (
            format!("Long.hashCode({v}) = (int)(v ^ (v >>> 32))"),
            String::new(),
        ),
    };
    html! { <><span translate="no">{code}</span>{words}</> }
}

#[function_component(KeyTrace)]
pub fn key_trace() -> Html {
    let sim = use_sim();
    let ui = use_ui();
    let l = ui.lang;
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
    let c = s.shown();
    let key_type = c.config().source.key_format.key_type;
    let body = match ui
        .followed_key
        .as_deref()
        .map(|t| (t, parse_key(t, key_type)))
    {
        None => {
            html! { <p class="empty">{l.t(&msg::EMPTY)}</p> }
        }
        Some((text, None)) => {
            html! { <p class="error">{msg::not_a_key(l, text, key_type.java_name())}</p> }
        }
        Some((_, Some(key))) => {
            let m = c.max_parallelism() as i32;
            let p = c.parallelism() as i32;
            let hash = key.hash_code();
            let murmur = murmur_hash(hash);
            let kg = key_group_of_murmur_hash(murmur, m);
            let subtask = compute_operator_index_for_key_group(m, p, kg);
            let range = c.tasks()[subtask.index()].backend().key_group_range();
            let cow = composite_hash(hash);
            let map = c.key_group_state_map(kg);
            let id = c.keys().find(&key);
            let (table, bucket) = map.map_or((TableKind::Primary, 0), |m| m.locate(hash));
            let capacity = map.map_or(0, |m| m.table_capacity(table));
            let position = map.zip(id).and_then(|(m, id)| {
                m.bucket_entries(table, bucket as usize)
                    .iter()
                    .position(|e| e.key == id)
            });
            let state = map.zip(id).and_then(|(m, id)| m.peek_state(id, hash));
            let open = {
                let ui = ui.clone();
                Callback::from(move |_| ui.dispatch(UiAction::SelectKeyGroup(Some(kg))))
            };
            let rehash_note = match (map, table) {
                (Some(m), TableKind::IncrementalRehash) => msg::already_moved(
                    l,
                    m.capacity() - 1,
                    (cow as u32) & (m.capacity() as u32 - 1),
                    m.rehash_index(),
                ),
                _ => String::new(),
            };
            html! {
                <table class="trace">
                    <tr><th translate="no">{l.t(&msg::ROW_HASH_CODE)}</th><td data-testid="trace-hash">{hash}</td><td class="why">{hash_explanation(&key, l)}</td></tr>
                    <tr><th translate="no">{l.t(&msg::ROW_MURMUR)}</th><td data-testid="trace-murmur">{murmur}</td><td class="why" translate="no">{format!("MathUtils.murmurHash({hash})")}</td></tr>
                    <tr><th>{l.t(&msg::ROW_KEY_GROUP)}</th>
                        <td data-testid="trace-key-group"><span class="swatch" style={format!("background:{}", palette::key_group(kg))}></span>{kg.to_string()}</td>
                        <td class="why" translate="no">{format!("{murmur} % maxParallelism {m} = {kg}")}</td></tr>
                    <tr><th>{l.t(&msg::ROW_SUBTASK)}</th><td data-testid="trace-subtask">{subtask.to_string()}</td>
                        <td class="why">{msg::subtask_formula(l, kg, p, m, subtask, &range.to_string())}</td></tr>
                    <tr><th>{l.t(&msg::ROW_COMPOSITE)}</th><td>{cow}</td>
                        <td class="why" translate="no">{format!("bitMix({hash} ^ VoidNamespace.hashCode() {VOID_NAMESPACE_HASH})")}</td></tr>
                    <tr><th>{l.t(&msg::ROW_BUCKET)}</th><td data-testid="trace-bucket">{bucket}</td>
                        <td class="why">{msg::bucket_formula(l, cow, capacity, bucket,
                            if table == TableKind::Primary { "primaryTable" } else { "incrementalRehashTable" })}{rehash_note}</td></tr>
                    <tr><th>{l.t(&msg::ROW_CHAIN)}</th><td>{ match position { Some(i) => format!("#{i}"), None => "—".into() } }</td>
                        <td class="why">{ match position { Some(0) => l.t(&msg::AT_HEAD).to_owned(), Some(i) => msg::entries_ahead(l, i), None => l.t(&msg::NOT_IN_STATE).to_owned() } }</td></tr>
                    <tr><th translate="no">{l.t(&msg::ROW_VALUE)}</th><td data-testid="trace-count" translate="no">{ state.map_or("null".to_owned(), |v| v.to_string()) }</td>
                        <td class="why"><button class="link" onclick={open} data-testid="trace-open-map">{msg::open_key_group(l, kg)}</button></td></tr>
                </table>
            }
        }
    };
    html! {
        <section class="panel trace-panel" data-testid="key-trace" aria-label={l.t(&msg::LABEL)}>
            <div class="panel-head">
                <h2>{l.t(&msg::TITLE)}</h2>
                <input data-testid="follow-key" class="follow" placeholder={l.t(&msg::PLACEHOLDER)} value={(*draft).clone()}
                    oninput={on_input} aria-label={l.t(&msg::INPUT_LABEL)} />
            </div>
            { body }
        </section>
    }
}
