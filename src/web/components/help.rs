//! The keyboard shortcuts, and what the page shows, in an overlay.

use crate::web::app::SHORTCUTS;
use crate::web::context::{Ui, UiAction};
use yew::prelude::*;

#[function_component(HelpOverlay)]
pub fn help_overlay() -> Html {
    let ui = use_context::<Ui>().expect("ui context");
    if !ui.help_open {
        return html! {};
    }
    let close = {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(UiAction::ToggleHelp))
    };
    html! {
        <div class="overlay" onclick={close.clone()}>
            <div class="dialog" role="dialog" aria-label="help" data-testid="help" onclick={|e: MouseEvent| e.stop_propagation()}>
                <div class="drawer-head">
                    <h2>{"Keyboard shortcuts"}</h2>
                    <button class="ghost" onclick={close} aria-label="close">{"✕"}</button>
                </div>
                <table class="shortcuts">
                    { for SHORTCUTS.iter().map(|(key, what)| html! { <tr><td><kbd>{*key}</kbd></td><td>{*what}</td></tr> }) }
                </table>
                <h3>{"What you are looking at"}</h3>
                <ul class="about">
                    <li>{"Each record's key is hashed (Java hashCode, then MathUtils.murmurHash) to one of maxParallelism key groups; each subtask owns a contiguous KeyGroupRange."}</li>
                    <li>{"Every subtask's HeapKeyedStateBackend keeps a StateTable for \"event-counter\" with one CopyOnWriteStateMap per key group: chained buckets, 128 to start, doubling with an incremental rehash."}</li>
                    <li>{"A checkpoint's barriers flow with the records; aligned barriers block a channel until all arrived. The synchronous phase copies bucket arrays; while the asynchronous phase writes, changed entries are copied on write."}</li>
                    <li>{"State lives on the JVM heap, object by object. When it runs out the task fails with OutOfMemoryError and restarts from the last checkpoint; the non-transactional sink sees the replayed records again."}</li>
                </ul>
            </div>
        </div>
    }
}
