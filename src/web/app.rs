//! Root component.

use crate::engine::java_key::{JavaKey, JavaKeyType};
use crate::engine::key_group_range_assignment::{
    assign_to_key_group, compute_key_group_range_for_operator_index,
    compute_operator_index_for_key_group,
};
use crate::engine::math_utils::murmur_hash;
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn parse_key(text: &str, key_type: JavaKeyType) -> Result<JavaKey, String> {
    match key_type {
        JavaKeyType::String => Ok(JavaKey::String(text.to_owned())),
        JavaKeyType::Integer => text
            .trim()
            .parse()
            .map(JavaKey::Integer)
            .map_err(|_| format!("'{text}' is not an Integer")),
        JavaKeyType::Long => text
            .trim()
            .parse()
            .map(JavaKey::Long)
            .map_err(|_| format!("'{text}' is not a Long")),
    }
}

#[function_component(App)]
pub fn app() -> Html {
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
        let m = *max_parallelism;
        let p = *parallelism;
        // Validates p and M with Flink's preconditions before anything is computed.
        compute_key_group_range_for_operator_index(m, p, 0).map_err(|e| e.to_string())?;
        let kg = assign_to_key_group(&k, m as i32);
        let op = compute_operator_index_for_key_group(m as i32, p as i32, kg);
        let own = compute_key_group_range_for_operator_index(m, p, i64::from(op))
            .map_err(|e| e.to_string())?;
        Ok((k.hash_code(), murmur_hash(k.hash_code()), kg, op, own))
    });

    html! {
        <main>
            <h1>{"StateLab"}</h1>
            <p class="subtitle">{"Apache Flink keyed state inside the heap state backend, step by step."}</p>
            <section class="panel">
                <label>{"key type"}
                    <select onchange={on_type}>
                        <option value="String" selected=true>{"String"}</option>
                        <option value="Integer">{"Integer"}</option>
                        <option value="Long">{"Long"}</option>
                    </select>
                </label>
                <label>{"key"}<input data-testid="send-key" value={(*key).clone()} oninput={on_key} /></label>
                <label>{"maxParallelism"}<input type="number" value={max_parallelism.to_string()} oninput={on_number(max_parallelism.clone())} /></label>
                <label>{"parallelism"}<input data-testid="parallelism" type="number" value={parallelism.to_string()} oninput={on_number(parallelism.clone())} /></label>
            </section>
            <section class="panel">
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
                    Err(message) => html! { <p class="error" data-testid="error">{message}</p> },
                } }
            </section>
        </main>
    }
}
