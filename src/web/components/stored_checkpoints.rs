//! Stored checkpoints: the page's side of the checkpoint library, which runs in a worker of its own
//! (`statelab-library-worker`: browser storage, imports, links, checks, and the panel's words and layout —
//! `crate::web::checkpoint_library`, `crate::worker::library_panel`). The page starts it when it opens, hands it
//! the running job's completed checkpoints as they come ([`SaveSchedule`]), files chosen or dropped anywhere on
//! the page, and links (the page's own, one put in the address bar, pasted or typed); it puts the panel's and the
//! link dialog's parts in place as the worker writes them, passes their controls on by their `data-act`, keeps
//! focus where it was across a new panel (and in the dialog: Tab goes round, Esc and a click outside cancel, no
//! key reaches the page's shortcuts), and does what only a page can: start a job from a checked blob, download
//! a file, copy a link, ask for persistent storage. The import controls and the link field stay the page's, so
//! a new panel never takes what is being typed.

use crate::i18n::messages::{errors, storage as msg};
use crate::i18n::Lang;
use crate::player::page_error::PageError;
use crate::player::save_schedule::SaveSchedule;
use crate::player::simulation::{Simulation, SimulationAction};
use crate::web::context::{use_slow_sim, use_ui, Sim, Ui, UiAction};
use crate::web::savepoint_tools::use_savepoint_tools;
use crate::web::sharing;
use crate::worker::library_protocol::{Act, LibraryRequest, LibraryResponse};
use gloo::events::{EventListener, EventListenerOptions};
use js_sys::{Array, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::prelude::*;
use yew::virtual_dom::VNode;

#[derive(Default)]
struct Host {
    worker: Option<(web_sys::Worker, EventListener)>,
    ready: bool,
    failed: bool,
    lang: Option<Lang>,
    /// The running job as last told to the worker.
    job_id: String,
    /// The panel's parts as the worker wrote them (status, body, dialog), and the language they are in (for a
    /// moment after a switch, the one before).
    parts: [AttrValue; 3],
    parts_lang: Option<Lang>,
    schedule: SaveSchedule,
    /// Focus to give back after a new panel: the control's `data-act` and its row's key.
    refocus: Option<(String, String)>,
    /// A dialog was just opened: focus goes to its first button.
    focus_dialog: bool,
    /// What went wrong is new: it is brought into view.
    show_error: bool,
    /// Whether files are dragged over the page.
    dragging: bool,
    /// Whether the worker has the Chinese pack from the page.
    pack_sent: std::cell::Cell<bool>,
    /// What was asked before the worker listened (a file dropped, a link pasted as the page opened): sent once it
    /// does.
    waiting: RefCell<Vec<(LibraryRequest, Option<Array>)>>,
}

type Shared = Rc<RefCell<Host>>;

impl Host {
    fn send(&self, request: &LibraryRequest, extra: Option<Array>) {
        let (Some((worker, _)), Some(l)) = (&self.worker, self.lang) else {
            return;
        };
        if !self.ready {
            // The panel is asked for anew once the worker listens; the rest waits for it.
            if *request != LibraryRequest::Panel {
                self.waiting.borrow_mut().push((request.clone(), extra));
            }
            return;
        }
        if l == Lang::Zh && !self.pack_sent.get() {
            if let Some(text) = crate::web::language::pack_text() {
                self.pack_sent.set(true);
                self.send(&LibraryRequest::Pack(text.to_string()), None);
            }
        }
        let header = Uint8Array::from(request.encode(l).as_slice());
        let message = extra.unwrap_or_default();
        let transfer = Array::of1(&header.buffer());
        // A blob to store travels as the message's second element, transferred.
        if let Some(payload) = message.get(0).dyn_ref::<Uint8Array>() {
            transfer.push(&payload.buffer());
        }
        message.unshift(&header);
        let _ = worker.post_message_with_transfer(&message, &transfer);
    }
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The control focus is on, if it is one of the worker's in the panel: its `data-act` and its row's key.
fn focused_control() -> Option<(String, String)> {
    let active = document()?.active_element()?;
    active.closest("[data-testid=stored-checkpoints]").ok()??;
    let act = active.get_attribute("data-act")?;
    let key = active
        .closest("[data-key]")
        .ok()?
        .and_then(|row| row.get_attribute("data-key"))
        .unwrap_or_default();
    Some((act, key))
}

fn focus(selector: &str) {
    if let Some(element) = document()
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// The first error said in the panel's body (to bring a new one into view).
fn error_in(body: &str) -> Option<&str> {
    let at = body.find("class=\"inline-error\"")?;
    let rest = &body[at..];
    Some(&rest[..rest.find("</span>").unwrap_or(rest.len())])
}

/// Asks the browser to keep the page's storage under storage pressure (`navigator.storage.persist()`, which
/// only a page may ask); `Some(true)` when it will.
async fn request_persistence() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    if let Ok(p) = storage.persisted() {
        if JsFuture::from(p).await.ok()?.as_bool() == Some(true) {
            return Some(true);
        }
    }
    JsFuture::from(storage.persist().ok()?)
        .await
        .ok()?
        .as_bool()
}

/// Starts a job from a checked blob the worker handed over, and tells it how that went.
fn restore(host: &Shared, sim: &Sim, ui: &Ui, blob: Vec<u8>, parallelism: Option<u32>) {
    let started = sim.start(|job| Simulation::from_blob(&blob, parallelism, job));
    let l = host.borrow().lang.unwrap_or(Lang::En);
    let error = match started {
        Ok(()) => {
            ui.dispatch(UiAction::Error(None));
            None
        }
        Err(e) => Some(errors::engine(&e, l)),
    };
    host.borrow().send(&LibraryRequest::Restored(error), None);
}

/// What the worker says.
fn on_response(host: &Shared, sim: &Sim, ui: &Ui, data: &Array, redraw: &Callback<()>) {
    let Some(response) = LibraryResponse::decode(&Uint8Array::new(&data.get(0)).to_vec()) else {
        return;
    };
    let payload = || Uint8Array::new(&data.get(1)).to_vec();
    match response {
        LibraryResponse::Ready => {
            let mut h = host.borrow_mut();
            h.ready = true;
            h.job_id = sim.borrow().job_id().to_owned();
            h.send(
                &LibraryRequest::Page {
                    job_id: h.job_id.clone(),
                    base: sharing::page_base(),
                },
                None,
            );
            h.send(&LibraryRequest::Panel, None);
            for (request, extra) in h.waiting.take() {
                h.send(&request, extra);
            }
            // A link the page was opened with.
            if let Some(link) = sharing::checkpoint_in_location() {
                sharing::clear_location_fragment();
                h.send(&LibraryRequest::OpenLink(link), None);
            }
            drop(h);
            let host = host.clone();
            spawn_local(async move {
                let persistent = request_persistence().await;
                host.borrow()
                    .send(&LibraryRequest::Persistent(persistent), None);
            });
        }
        LibraryResponse::Panel {
            parts,
            lang,
            open,
            full,
        } => {
            let mut h = host.borrow_mut();
            h.parts_lang = Some(lang);
            h.refocus = focused_control();
            h.focus_dialog = h.parts[2].is_empty() && !parts.dialog.is_empty();
            h.show_error = error_in(&parts.body).is_some_and(|e| error_in(&h.parts[1]) != Some(e));
            h.schedule.storage(open, full);
            h.parts = [parts.status, parts.body, parts.dialog].map(AttrValue::from);
        }
        LibraryResponse::Saved {
            job_id,
            checkpoint_id,
            error,
        } => {
            host.borrow_mut().schedule.done();
            // Whatever happened, this checkpoint is not tried again. (Never refused.)
            let _ = sim.dispatch(SimulationAction::Stored {
                job_id: &job_id,
                checkpoint_id,
            });
            if let Some(text) = error {
                ui.dispatch(UiAction::Error(Some(PageError::Said(text))));
            }
        }
        LibraryResponse::Restore { parallelism } => restore(host, sim, ui, payload(), parallelism),
        LibraryResponse::Download { name } => {
            let blob = gloo_file::Blob::new_with_options(
                data.get(1).unchecked_into::<js_sys::ArrayBuffer>(),
                Some("application/octet-stream"),
            );
            let _ = sharing::download_blob(&name, blob);
        }
        LibraryResponse::Copy(text) => {
            let host = host.clone();
            spawn_local(async move {
                let copied = sharing::copy_text(&text).await.is_ok();
                host.borrow().send(&LibraryRequest::Copied(copied), None);
            });
        }
    }
    redraw.emit(());
}

/// Starts the worker and listens to it.
fn start(host: &Shared, sim: &Sim, ui: &Ui, redraw: &Callback<()>) {
    let Ok(worker) = web_sys::Worker::new("./statelab-library-worker_loader.js") else {
        host.borrow_mut().failed = true;
        return;
    };
    let (shared, sim, ui, on_message) = (host.clone(), sim.clone(), ui.clone(), redraw.clone());
    let listener = EventListener::new(&worker, "message", move |event| {
        if let Some(data) = event
            .dyn_ref::<web_sys::MessageEvent>()
            .and_then(|m| m.data().dyn_into::<Array>().ok())
        {
            on_response(&shared, &sim, &ui, &data, &on_message);
        }
    });
    let (shared, on_error) = (host.clone(), redraw.clone());
    EventListener::new(&worker, "error", move |_| {
        shared.borrow_mut().failed = true;
        on_error.emit(());
    })
    .forget();
    host.borrow_mut().worker = Some((worker, listener));
}

/// Hands the running job's newest completed checkpoint to the worker when one is due.
fn save_if_due(host: &Shared, sim: &Sim, ui: &Ui) {
    let now = js_sys::Date::now();
    let s = sim.borrow();
    let latest = s
        .cluster()
        .coordinator()
        .store()
        .latest()
        .map(|c| c.checkpoint_id);
    let Some(checkpoint_id) =
        host.borrow()
            .schedule
            .due(latest, s.stored_up_to(), s.plays_fast(), now)
    else {
        return;
    };
    let job_id = s.job_id().to_owned();
    match s.cluster().checkpoint_blob(checkpoint_id) {
        Ok(blob) => {
            let request = LibraryRequest::Store {
                job_id,
                checkpoint_id,
                retained: s.cluster().coordinator().store().max_retained() as u64,
                run: crate::player::checkpoint_runs::RunJob::of(s.config()).id(),
                run_started_ms: s.started_at_ms(),
            };
            drop(s);
            let mut h = host.borrow_mut();
            h.schedule.started(checkpoint_id, now);
            h.send(
                &request,
                Some(Array::of1(&Uint8Array::from(blob.as_slice()))),
            );
        }
        // A checkpoint that cannot be written (larger than readers open) is said once, not tried again.
        Err(cause) => {
            drop(s);
            let _ = sim.dispatch(SimulationAction::Stored {
                job_id: &job_id,
                checkpoint_id,
            });
            ui.dispatch(UiAction::Error(Some(PageError::NotStored {
                checkpoint_id,
                cause,
            })));
        }
    }
}

/// Whether a drag carries files (not text or a link dragged within the page).
fn carries_files(event: &web_sys::DragEvent) -> bool {
    event
        .data_transfer()
        .is_some_and(|d| d.types().includes(&"Files".into(), 0))
}

/// The files of a drop or of a file input, to send along with an import.
fn file_array(list: Option<web_sys::FileList>) -> Array {
    sharing::files(list)
        .into_iter()
        .map(wasm_bindgen::JsValue::from)
        .collect()
}

/// The page-wide listeners: links put in the address bar or pasted outside a field, and files dragged over
/// and dropped anywhere on the page (not on a drop zone of its own, as the savepoint tools').
fn listen_to_page(host: &Shared, redraw: &Callback<()>) -> Vec<EventListener> {
    let mut listeners = Vec::new();
    let Some(window) = web_sys::window() else {
        return listeners;
    };
    let h = host.clone();
    listeners.push(EventListener::new(&window, "hashchange", move |_| {
        if let Some(link) = sharing::checkpoint_in_location() {
            sharing::clear_location_fragment();
            h.borrow().send(&LibraryRequest::OpenLink(link), None);
        }
    }));
    let Some(document) = window.document() else {
        return listeners;
    };
    let h = host.clone();
    listeners.push(EventListener::new(&document, "paste", move |event| {
        let Some(e) = event.dyn_ref::<web_sys::ClipboardEvent>() else {
            return;
        };
        let in_field = e
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA"));
        let text = e
            .clipboard_data()
            .and_then(|d| d.get_data("text").ok())
            .unwrap_or_default();
        if !in_field && crate::player::checkpoint_link::carries_checkpoint(&text) {
            h.borrow().send(&LibraryRequest::OpenLink(text), None);
        }
    }));
    let options = EventListenerOptions::enable_prevent_default();
    let (h, r) = (host.clone(), redraw.clone());
    listeners.push(EventListener::new_with_options(
        &document,
        "dragover",
        options,
        move |event| {
            if let Some(e) = event.dyn_ref::<web_sys::DragEvent>() {
                // Taken by a drop zone of its own (the savepoint tools'): not a checkpoint import.
                let over = !e.default_prevented() && carries_files(e);
                if over {
                    e.prevent_default();
                }
                if h.borrow().dragging != over {
                    h.borrow_mut().dragging = over;
                    r.emit(());
                }
            }
        },
    ));
    let (h, r) = (host.clone(), redraw.clone());
    listeners.push(EventListener::new(&document, "dragleave", move |event| {
        // Leaving the window: no element to go to.
        if event
            .dyn_ref::<web_sys::DragEvent>()
            .is_some_and(|e| e.related_target().is_none())
        {
            h.borrow_mut().dragging = false;
            r.emit(());
        }
    }));
    let (h, r) = (host.clone(), redraw.clone());
    listeners.push(EventListener::new_with_options(
        &document,
        "drop",
        options,
        move |event| {
            h.borrow_mut().dragging = false;
            r.emit(());
            let Some(e) = event.dyn_ref::<web_sys::DragEvent>() else {
                return;
            };
            if !carries_files(e) || e.default_prevented() {
                return;
            }
            e.prevent_default();
            let files = file_array(e.data_transfer().and_then(|d| d.files()));
            h.borrow().send(&LibraryRequest::Import, Some(files));
        },
    ));
    listeners
}

fn raw(html: &AttrValue) -> Html {
    VNode::from_html_unchecked(html.clone())
}

/// The `data-act` of the control an event is on, and the key of its row.
fn control_of(e: &Event) -> Option<(Element, String, String)> {
    let target: Element = e.target()?.dyn_into().ok()?;
    let control = target.closest("[data-act]").ok()??;
    let act = control.get_attribute("data-act")?;
    let key = control
        .closest("[data-key]")
        .ok()
        .flatten()
        .and_then(|row| row.get_attribute("data-key"))
        .unwrap_or_default();
    Some((control, act, key))
}

#[function_component(StoredCheckpointsPanel)]
pub fn stored_checkpoints_panel() -> Html {
    let sim = use_slow_sim();
    let ui = use_ui();
    let l = ui.lang;
    let host = use_mut_ref(Host::default);
    let update = use_force_update();
    let redraw = Callback::from(move |()| update.force_update());
    let link_text = use_state(String::new);
    let file_input = use_node_ref();
    let (savepoint_open, savepoint_panel) = use_savepoint_tools(&sim, l);
    // The worker, and the page-wide listeners, from the start.
    {
        let (host, sim, ui, redraw) = (host.clone(), sim.clone(), ui.clone(), redraw.clone());
        use_effect_with((), move |_| {
            host.borrow_mut().lang = Some(ui.lang);
            start(&host, &sim, &ui, &redraw);
            let listeners = listen_to_page(&host, &redraw);
            move || drop(listeners)
        });
    }
    // The worker words in the page's language, and knows the running job.
    {
        let host = host.clone();
        let job_id = sim.borrow().job_id().to_owned();
        use_effect_with((l, job_id), move |(l, job_id)| {
            let mut h = host.borrow_mut();
            if h.lang != Some(*l) {
                h.lang = Some(*l);
                h.send(&LibraryRequest::Panel, None);
            }
            if h.job_id != *job_id {
                h.job_id = job_id.clone();
                h.send(
                    &LibraryRequest::Page {
                        job_id: job_id.clone(),
                        base: sharing::page_base(),
                    },
                    None,
                );
            }
        });
    }
    // After every change of the job or the panel: store the newest completed checkpoint if one is due; give
    // focus back, move it into a new dialog, bring what went wrong into view.
    {
        let (host, sim, ui) = (host.clone(), sim.clone(), ui.clone());
        use_effect(move || {
            save_if_due(&host, &sim, &ui);
            let mut h = host.borrow_mut();
            if std::mem::take(&mut h.focus_dialog) {
                focus("[data-testid=link-dialog] [data-first]");
            }
            if let Some((act, key)) = h.refocus.take() {
                let lost = document()
                    .and_then(|d| d.active_element())
                    .is_none_or(|a| a.tag_name() == "BODY");
                if lost {
                    let row = if key.is_empty() {
                        String::new()
                    } else {
                        format!("[data-key=\"{}\"] ", key.replace('"', "\\\""))
                    };
                    focus(&format!(
                        "[data-testid=stored-checkpoints] {row}[data-act=\"{act}\"]"
                    ));
                }
            }
            if std::mem::take(&mut h.show_error) {
                if let Some(element) = document().and_then(|d| {
                    d.query_selector("[data-testid=stored-checkpoints] .inline-error")
                        .ok()
                        .flatten()
                }) {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    element.scroll_into_view_with_scroll_into_view_options(&options);
                }
            }
        });
    }

    let send = {
        let host = host.clone();
        move |request: LibraryRequest| host.borrow().send(&request, None)
    };
    let on_click = {
        let send = send.clone();
        Callback::from(move |e: MouseEvent| {
            // A click on the dialog's backdrop (not within the dialog) cancels.
            let on_backdrop = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .is_some_and(|t| t.get_attribute("data-testid").as_deref() == Some("link-overlay"));
            if on_backdrop {
                return send(LibraryRequest::Act {
                    act: Act::LinkCancel,
                    key: String::new(),
                });
            }
            let Some((control, name, key)) = control_of(&e) else {
                return;
            };
            if control.tag_name() == "SELECT" {
                return;
            }
            if let Some(act) = Act::from_name(&name) {
                send(LibraryRequest::Act { act, key });
            }
        })
    };
    let on_change = {
        let send = send.clone();
        Callback::from(move |e: Event| {
            if let Some((control, name, key)) = control_of(&e) {
                let value = control
                    .unchecked_into::<web_sys::HtmlSelectElement>()
                    .value();
                if let (true, Ok(parallelism)) = (name == "parallelism", value.parse()) {
                    send(LibraryRequest::Choose { key, parallelism });
                }
            }
        })
    };
    // In the dialog: Escape cancels, no key reaches the page's shortcuts (Enter and Space press the focused
    // button), and Tab goes round: the focusable ends before and after it pass focus on to its other end.
    let on_key = {
        let send = send.clone();
        Callback::from(move |e: KeyboardEvent| {
            let in_dialog = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest("[data-testid=link-overlay]").ok().flatten())
                .is_some();
            if in_dialog {
                e.stop_propagation();
                if e.key() == "Escape" {
                    send(LibraryRequest::Act {
                        act: Act::LinkCancel,
                        key: String::new(),
                    });
                }
            }
        })
    };
    let on_focus = Callback::from(|e: FocusEvent| {
        let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        match target.get_attribute("data-round").as_deref() {
            Some("first") => return focus("[data-testid=link-dialog] [data-first]"),
            Some(_) => return focus("[data-testid=link-dialog] [data-last]"),
            None => {}
        }
        if target.get_attribute("data-testid").as_deref() == Some("share-link") {
            target.unchecked_into::<HtmlInputElement>().select();
        }
    });
    let on_files = {
        let host = host.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = file_array(input.files());
            input.set_value("");
            host.borrow().send(&LibraryRequest::Import, Some(files));
        })
    };
    let on_choose = {
        let file_input = file_input.clone();
        Callback::from(move |_| {
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_link_input = {
        let link_text = link_text.clone();
        Callback::from(move |e: InputEvent| {
            link_text.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_open_link = {
        let (link_text, send) = (link_text.clone(), send.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send(LibraryRequest::OpenLink((*link_text).clone()));
            link_text.set(String::new());
        })
    };

    let h = host.borrow();
    // The worker's parts say what language they are in (the section's); what the page writes here, the page's.
    let page_lang = l.code();
    html! {
        <section class="panel stored" aria-label={l.t(&msg::LABEL)} data-testid="stored-checkpoints"
            lang={h.parts_lang.unwrap_or(l).code()}
            onclick={on_click} onchange={on_change} onkeydown={on_key} onfocusin={on_focus}>
            <div class="panel-head">
                <h2 lang={page_lang}>{l.t(&msg::TITLE)}</h2>
                if h.failed {
                    <span class="hint" data-testid="storage-status">{l.t(&msg::WORKER_FAILED)}</span>
                } else if h.parts[0].is_empty() {
                    <span class="hint" data-testid="storage-status">{l.t(&msg::OPENING)}</span>
                } else {
                    {raw(&h.parts[0])}
                }
            </div>
            <div class="import-row" lang={page_lang}>
                <input ref={file_input} type="file" accept=".slcp,application/octet-stream" multiple=true
                    class="visually-hidden" data-testid="import-file" onchange={on_files} tabindex="-1"
                    aria-label={l.t(&msg::IMPORT_FILE_TITLE)} />
                <button class="small" data-testid="import-file-choose" onclick={on_choose} title={l.t(&msg::IMPORT_FILE_TITLE)}>{l.t(&msg::IMPORT_FILE)}</button>
                {savepoint_open}
                <form class="inline link-form" onsubmit={on_open_link}>
                    <input type="text" data-testid="import-link" placeholder={l.t(&msg::LINK_PLACEHOLDER)} translate="no"
                        value={(*link_text).clone()} oninput={on_link_input} aria-label={l.t(&msg::LINK_LABEL)} />
                    <button type="submit" class="small" data-testid="import-link-open">{l.t(&msg::IMPORT_LINK)}</button>
                </form>
                <span class="hint">{l.t(&msg::OR_DROP)}</span>
            </div>
            {raw(&h.parts[1])}
            {savepoint_panel}
            {raw(&h.parts[2])}
            if h.dragging {
                <div class="drop-overlay" data-testid="drop-overlay" aria-hidden="true" lang={page_lang}>
                    <div class="drop-card">
                        <strong>{l.t(&msg::DROP_TITLE)}</strong>
                        <span>{l.t(&msg::DROP_NOTE)}</span>
                    </div>
                </div>
            }
        </section>
    }
}
