//! How checkpoints get in and out without a panel: the checkpoint agent ([`use_checkpoint_agent`], run by the
//! stored-checkpoints panel) opens browser storage when the page starts, stores the running job's completed
//! checkpoints as they come, follows other tabs' changes, offers a checkpoint link the page was opened with (or
//! that is pasted, or put in the address bar) in the link dialog, which it draws, and imports checkpoint files
//! dropped anywhere on the page (drawing the drop target while files are dragged over it).

use crate::i18n::messages::storage as msg;
use crate::player::checkpoint_library::Change;
use crate::web::checkpoint_library::{self as library, Library, CHANNEL};
use crate::web::components::link_dialog::{link_dialog, use_link_dialog, Ends};
use crate::web::context::{Sim, Ui};
use crate::web::sharing;
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The link in the address bar, if it carries a checkpoint: taken out of it (so a reload does not offer it
/// again) and offered.
fn offer_location_link(library: &Library) {
    if let Some(link) = sharing::checkpoint_in_location() {
        sharing::clear_location_fragment();
        library::offer_link(link, library.clone());
    }
}

/// The checkpoint agent, run by the stored-checkpoints panel (a hook rather than a component of its own: each
/// component costs the page's download some kilobytes of Yew's machinery). Returns what it draws over the
/// page: the link dialog and the drop target.
#[hook]
pub fn use_checkpoint_agent(sim: &Sim, library: &Library, ui: &Ui) -> Html {
    // Storage, and links: the page's own, one put in the address bar later, one pasted outside a field.
    {
        let library = library.clone();
        use_effect_with((), move |_| {
            library::open(library.clone());
            offer_location_link(&library);
            let mut listeners = Vec::new();
            let window = web_sys::window();
            if let Some(window) = &window {
                let library = library.clone();
                listeners.push(EventListener::new(window, "hashchange", move |_| {
                    offer_location_link(&library)
                }));
            }
            if let Some(document) = window.as_ref().and_then(|w| w.document()) {
                listeners.push(EventListener::new(&document, "paste", move |event| {
                    let Some(e) = event.dyn_ref::<web_sys::ClipboardEvent>() else {
                        return;
                    };
                    let in_field = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA"));
                    let text = e
                        .clipboard_data()
                        .and_then(|d| d.get_data("text").ok())
                        .unwrap_or_default();
                    if !in_field && crate::player::checkpoint_link::carries_checkpoint(&text) {
                        library::offer_link(text, library.clone());
                    }
                }));
            }
            move || drop(listeners)
        });
    }
    // Other tabs' changes, while storage is open.
    {
        let storage = library.storage();
        let library = library.clone();
        use_effect_with(storage, move |storage| {
            let mut kept = None;
            if let Some(storage) = storage.clone() {
                if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
                    let listener = EventListener::new(&channel, "message", move |event| {
                        let change = event
                            .dyn_ref::<web_sys::MessageEvent>()
                            .map_or(Change::Stored, |m| library::change_of(&m.data()));
                        library::changed_elsewhere(change, storage.clone(), library.clone());
                    });
                    kept = Some((channel, listener));
                }
            }
            move || {
                if let Some((channel, listener)) = kept {
                    drop(listener);
                    channel.close();
                }
            }
        });
    }
    // After every change of the job or the library: store the newest completed checkpoint if one is due.
    {
        let (sim, library, ui) = (sim.clone(), library.clone(), ui.clone());
        use_effect(move || library::save_if_due(&sim, &library, &ui));
    }
    let ends = use_memo((), |_| Ends::default());
    use_link_dialog(library, &ends);
    let dragging = use_drop_zone(library);
    let l = ui.lang;
    html! {
        <>
            {link_dialog(sim, library, ui, &ends)}
            if dragging {
                <div class="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
                    <div class="drop-card">
                        <strong>{l.t(&msg::DROP_TITLE)}</strong>
                        <span>{l.t(&msg::DROP_NOTE)}</span>
                    </div>
                </div>
            }
        </>
    }
}

/// Whether a drag carries files (not text or a link dragged within the page).
fn carries_files(event: &web_sys::DragEvent) -> bool {
    event
        .data_transfer()
        .is_some_and(|d| d.types().includes(&"Files".into(), 0))
}

/// Imports checkpoint files dropped anywhere on the page; whether files are being dragged over it.
#[hook]
fn use_drop_zone(library: &Library) -> bool {
    let dragging = use_state(|| false);
    {
        let (dragging, library) = (dragging.clone(), library.clone());
        use_effect_with((), move |_| {
            let mut listeners = Vec::new();
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                let options = EventListenerOptions::enable_prevent_default();
                let over = dragging.clone();
                listeners.push(EventListener::new_with_options(
                    &document,
                    "dragover",
                    options,
                    move |event| {
                        if let Some(e) = event.dyn_ref::<web_sys::DragEvent>() {
                            // Taken by a drop zone of its own (the savepoint tools'): not a checkpoint import.
                            if e.default_prevented() {
                                over.set(false);
                            } else if carries_files(e) {
                                e.prevent_default();
                                over.set(true);
                            }
                        }
                    },
                ));
                let leave = dragging.clone();
                listeners.push(EventListener::new(&document, "dragleave", move |event| {
                    // Leaving the window: no element to go to.
                    if let Some(e) = event.dyn_ref::<web_sys::DragEvent>() {
                        if e.related_target().is_none() {
                            leave.set(false);
                        }
                    }
                }));
                let dropped = dragging.clone();
                listeners.push(EventListener::new_with_options(
                    &document,
                    "drop",
                    options,
                    move |event| {
                        dropped.set(false);
                        let Some(e) = event.dyn_ref::<web_sys::DragEvent>() else {
                            return;
                        };
                        if !carries_files(e) || e.default_prevented() {
                            return;
                        }
                        e.prevent_default();
                        let files = sharing::files(e.data_transfer().and_then(|d| d.files()));
                        library::import_files(files, library.clone());
                    },
                ));
            }
            move || drop(listeners)
        });
    }
    *dragging
}
