//! The keyboard shortcuts, and what the page shows, in an overlay.

use crate::i18n::messages::{common, help as msg};
use crate::web::app::SHORTCUTS;
use crate::web::context::{use_ui, UiAction};
use yew::prelude::*;

#[function_component(HelpOverlay)]
pub fn help_overlay() -> Html {
    let ui = use_ui();
    if !ui.help_open {
        return html! {};
    }
    let l = ui.lang;
    let close = {
        let ui = ui.clone();
        Callback::from(move |_| ui.dispatch(UiAction::ToggleHelp))
    };
    html! {
        <div class="overlay" onclick={close.clone()}>
            <div class="dialog" role="dialog" aria-label={l.t(&msg::LABEL)} data-testid="help" onclick={|e: MouseEvent| e.stop_propagation()}>
                <div class="drawer-head">
                    <h2>{l.t(&msg::TITLE)}</h2>
                    <button class="ghost" onclick={close} aria-label={l.t(&common::CLOSE)}>{"✕"}</button>
                </div>
                <table class="shortcuts">
                    { for SHORTCUTS.iter().map(|(key, what)| html! { <tr><td><kbd translate="no">{l.t(key)}</kbd></td><td>{l.t(what)}</td></tr> }) }
                </table>
                <h3>{l.t(&msg::ABOUT)}</h3>
                <ul class="about">
                    <li>{l.t(&msg::ABOUT_KEYS)}</li>
                    <li>{l.t(&msg::ABOUT_STATE)}</li>
                    <li>{l.t(&msg::ABOUT_CHECKPOINTS)}</li>
                    <li>{l.t(&msg::ABOUT_HEAP)}</li>
                </ul>
            </div>
        </div>
    }
}
