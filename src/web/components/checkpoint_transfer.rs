//! How checkpoints get in and out without a panel: [`CheckpointAgent`] opens browser storage when the page
//! starts, stores the running job's completed checkpoints as they come, follows other tabs' changes, and
//! imports a checkpoint link the page was opened with (or that is pasted, or put in the address bar);
//! [`DropZone`] imports checkpoint files dropped anywhere on the page.

use crate::i18n::messages::storage as msg;
use crate::web::checkpoint_library::{self as library, Library, StorageStatus, CHANNEL};
use crate::web::context::{SlowSim, Ui};
use crate::web::sharing;
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[function_component(CheckpointAgent)]
pub fn checkpoint_agent() -> Html {
    let SlowSim(sim) = use_context::<SlowSim>().expect("slow sim context");
    let library = use_context::<Library>().expect("library context");
    let ui = use_context::<Ui>().expect("ui context");
    let ready = matches!(library.storage, StorageStatus::Ready(_));

    {
        let library = library.clone();
        use_effect_with((), move |_| library::open(library));
    }
    // Once storage is open: a link in the address bar, other tabs, links typed or pasted later.
    {
        let (sim, library, ui) = (sim.clone(), library.clone(), ui.clone());
        use_effect_with(ready, move |&ready| {
            let mut listeners = Vec::new();
            let mut channel_kept = None;
            if ready {
                if let Some(link) = sharing::checkpoint_in_location() {
                    sharing::clear_location_fragment();
                    library::import_link(link, true, sim.clone(), library.clone(), ui.clone());
                }
                let window = web_sys::window();
                if let Some(window) = &window {
                    let (sim, library, ui) = (sim.clone(), library.clone(), ui.clone());
                    listeners.push(EventListener::new(window, "hashchange", move |_| {
                        if let Some(link) = sharing::checkpoint_in_location() {
                            sharing::clear_location_fragment();
                            library::import_link(
                                link,
                                true,
                                sim.clone(),
                                library.clone(),
                                ui.clone(),
                            );
                        }
                    }));
                }
                if let Some(document) = window.as_ref().and_then(|w| w.document()) {
                    let (sim, library, ui) = (sim.clone(), library.clone(), ui.clone());
                    listeners.push(EventListener::new(&document, "paste", move |event| {
                        let Some(e) = event.dyn_ref::<web_sys::ClipboardEvent>() else {
                            return;
                        };
                        let in_field = e
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                            .is_some_and(|el| {
                                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA")
                            });
                        let text = e
                            .clipboard_data()
                            .and_then(|d| d.get_data("text").ok())
                            .unwrap_or_default();
                        if !in_field && crate::checkpoint_link::carries_checkpoint(&text) {
                            library::import_link(
                                text,
                                false,
                                sim.clone(),
                                library.clone(),
                                ui.clone(),
                            );
                        }
                    }));
                }
                if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
                    let library = library.clone();
                    listeners.push(EventListener::new(&channel, "message", move |_| {
                        library::refresh(library.clone())
                    }));
                    channel_kept = Some(channel);
                }
            }
            move || {
                drop(listeners);
                if let Some(channel) = channel_kept {
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
    html! {}
}

/// Whether a drag carries files (not text or a link dragged within the page).
fn carries_files(event: &web_sys::DragEvent) -> bool {
    event
        .data_transfer()
        .is_some_and(|d| d.types().includes(&"Files".into(), 0))
}

#[function_component(DropZone)]
pub fn drop_zone() -> Html {
    let library = use_context::<Library>().expect("library context");
    let ui = use_context::<Ui>().expect("ui context");
    let dragging = use_state(|| false);
    let l = ui.lang;
    {
        let (dragging, library, ui) = (dragging.clone(), library.clone(), ui.clone());
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
                            if carries_files(e) {
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
                        if !carries_files(e) {
                            return;
                        }
                        e.prevent_default();
                        let files = sharing::files(e.data_transfer().and_then(|d| d.files()));
                        library::import_files(files, library.clone(), ui.clone());
                    },
                ));
            }
            move || drop(listeners)
        });
    }
    html! {
        if *dragging {
            <div class="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
                <div class="drop-card">
                    <strong>{l.t(&msg::DROP_TITLE)}</strong>
                    <span>{l.t(&msg::DROP_NOTE)}</span>
                </div>
            </div>
        }
    }
}
