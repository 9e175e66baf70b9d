//! The page's side of the savepoint tools: it starts their worker (`statelab-savepoint-worker`, a wasm module of
//! its own) when the reader first opens them, hands it files and the running job, and puts in place what it
//! answers — the panel as HTML the worker words and lays out (`worker::panel`, every snapshot text escaped),
//! pages of the entries table (only the rows in view, asked for as they scroll into it) and downloads. The page
//! keeps only the table's scrolling and the uid field, and reacts to the panel's controls by their `data-act`. A
//! `[path, File]` list is all it reads of a drop (`snapshot_files`, which also walks a dropped folder), so no
//! snapshot ever enters the page's own memory.

use crate::engine::checkpoint::metadata_v2::job_bytes;
use crate::engine::cluster::operator_id::EVENT_COUNTER_UID;
use crate::i18n::messages::savepoint_panel as msg;
use crate::i18n::Lang;
use crate::web::context::Sim;
use crate::web::sharing;
use crate::worker::protocol::{encode_counts, JobState, Request, Response};
use gloo::events::EventListener;
use js_sys::{Array, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yew::virtual_dom::VNode;

#[wasm_bindgen(inline_js = r#"
export async function snapshot_files(source) {
  const out = [];
  const walk = async (entry, path) => {
    if (entry.isFile) {
      out.push([path + entry.name, await new Promise((ok, fail) => entry.file(ok, fail))]);
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
        if (!batch.length) break;
        for (const child of batch) await walk(child, path + entry.name + '/');
      }
    }
  };
  if (source.items) {
    const entries = [...source.items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry());
    if (entries.length && entries.every((e) => e)) {
      for (const e of entries) await walk(e, '');
      return out;
    }
    source = source.files;
  }
  for (const f of source) out.push([f.webkitRelativePath || f.name, f]);
  return out;
}"#)]
extern "C" {
    /// The files of a drop (a `DataTransfer`: folders walked) or of a file input (a `FileList`: a chosen folder's
    /// paths), as a promise of `[path, File]` pairs. Called during the event: a drop's items and an input's files
    /// are gone after it.
    fn snapshot_files(source: JsValue) -> js_sys::Promise;
}

/// The entries table's row height in CSS pixels, how many rows it draws, and the entries asked for at a time.
const ROW: u64 = 20;
const SHOWN: u64 = 24;
const PAGE: u64 = 256;
/// The table's scroll height at most: browsers cap an element's height (Chromium at about 33 million pixels).
const MAX_PX: u64 = 8_000_000;

#[derive(Default)]
struct Tools {
    worker: Option<(web_sys::Worker, EventListener)>,
    /// The panel's parts, as the worker wrote them, and the open snapshot's number of entries.
    parts: [AttrValue; 4],
    entries: u64,
    /// Pages of the table's rows by their first position; an empty page is asked for and not yet here.
    pages: Vec<(u64, Vec<String>)>,
    first: u64,
    uid: String,
    lang: Option<Lang>,
    failed: bool,
}

type Shared = Rc<RefCell<Tools>>;

impl Tools {
    fn send(&self, request: &Request, files: Option<Array>) {
        let (Some((worker, _)), Some(l)) = (&self.worker, self.lang) else {
            return;
        };
        let header = Uint8Array::from(request.encode(l).as_slice());
        let message = files.unwrap_or_default();
        message.unshift(&header);
        let _ = worker.post_message_with_transfer(&message, &Array::of1(&header.buffer()));
    }

    /// Asks for the pages of the rows in view that are not here yet.
    fn fetch_pages(&mut self) {
        let end = (self.first + SHOWN).min(self.entries);
        let mut page = self.first / PAGE * PAGE;
        while page < end {
            if !self.pages.iter().any(|(p, _)| *p == page) {
                // Scrolled far: the pages out of view go.
                if self.pages.len() > 64 {
                    self.pages.clear();
                }
                self.pages.push((page, Vec::new()));
                self.send(
                    &Request::Entries {
                        from: page,
                        count: PAGE,
                    },
                    None,
                );
            }
            page += PAGE;
        }
    }
}

/// Starts the worker and listens to it.
fn start(tools: &Shared, redraw: &Callback<()>) {
    let Ok(worker) = web_sys::Worker::new("./statelab-savepoint-worker_loader.js") else {
        tools.borrow_mut().failed = true;
        return;
    };
    let (shared, on_message) = (tools.clone(), redraw.clone());
    let listener = EventListener::new(&worker, "message", move |event| {
        let Some(data) = event
            .dyn_ref::<web_sys::MessageEvent>()
            .and_then(|m| m.data().dyn_into::<Array>().ok())
        else {
            return;
        };
        let Some(response) = Response::decode(&Uint8Array::new(&data.get(0)).to_vec()) else {
            return;
        };
        let mut t = shared.borrow_mut();
        match response {
            Response::Ready => t.send(&Request::Panel, None),
            Response::Panel { parts, entries } => {
                if entries != t.entries {
                    (t.entries, t.first) = (entries, 0);
                }
                t.parts = parts.map(AttrValue::from);
                t.pages.clear();
                t.fetch_pages();
            }
            Response::Entries { from, rows } => {
                if let Some(page) = t.pages.iter_mut().find(|(p, _)| *p == from) {
                    page.1 = rows;
                }
            }
            Response::Download { name } => {
                let blob = gloo_file::Blob::new_with_options(
                    data.get(1).unchecked_into::<js_sys::ArrayBuffer>(),
                    Some("application/octet-stream"),
                );
                let _ = sharing::download_blob(&name, blob);
            }
        }
        drop(t);
        on_message.emit(());
    });
    let (shared, on_error) = (tools.clone(), redraw.clone());
    EventListener::new(&worker, "error", move |_| {
        shared.borrow_mut().failed = true;
        on_error.emit(());
    })
    .forget();
    tools.borrow_mut().worker = Some((worker, listener));
}

/// Sends the files of a drop or a file input to be opened.
fn open_files(tools: &Shared, source: JsValue) {
    let (tools, files) = (tools.clone(), snapshot_files(source));
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(files) = wasm_bindgen_futures::JsFuture::from(files).await else {
            return;
        };
        let files: Array = files.unchecked_into();
        let t = tools.borrow();
        t.send(&Request::Open { uid: t.uid.clone() }, Some(files));
    });
}

fn raw(html: &AttrValue) -> Html {
    VNode::from_html_unchecked(html.clone())
}

/// The savepoint tools: the button that opens them (for the panel's head) and the panel itself, once open.
#[hook]
pub fn use_savepoint_tools(sim: &Sim, l: Lang) -> (Html, Html) {
    let tools = use_mut_ref(|| Tools {
        uid: EVENT_COUNTER_UID.to_owned(),
        ..Tools::default()
    });
    let update = use_force_update();
    let redraw = Callback::from(move |()| update.force_update());
    // The worker words in the page's language: again when it changes.
    use_effect_with(l, {
        let tools = tools.clone();
        move |l| {
            tools.borrow_mut().lang = Some(*l);
            tools.borrow().send(&Request::Panel, None)
        }
    });
    let on_open = {
        let (tools, redraw) = (tools.clone(), redraw.clone());
        Callback::from(move |_| {
            if tools.borrow().worker.is_none() {
                start(&tools, &redraw);
                redraw.emit(());
            }
        })
    };
    let opener = html! {
        <button class="small" data-testid="savepoint-tools-open" title={l.t(&msg::OPEN_TITLE)} onclick={on_open}>{l.t(&msg::OPEN)}</button>
    };
    let t = tools.borrow();
    if t.failed {
        return (
            opener,
            html! { <p class="inline-error" role="alert" data-testid="savepoint-tools-failed">{l.t(&msg::FAILED)}</p> },
        );
    }
    if t.worker.is_none() {
        return (opener, Html::default());
    }

    let on_drop = {
        let tools = tools.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            open_files(&tools, e.data_transfer().map_or(JsValue::NULL, Into::into));
        })
    };
    let on_change = {
        let tools = tools.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files() {
                open_files(&tools, files.into());
                input.set_value("");
            }
        })
    };
    let on_click = {
        let (tools, sim, redraw) = (tools.clone(), sim.clone(), redraw.clone());
        Callback::from(move |e: MouseEvent| {
            let act = e
                .target_unchecked_into::<web_sys::Element>()
                .get_attribute("data-act")
                .unwrap_or_default();
            let t = tools.borrow();
            let s = sim.borrow();
            let c = s.cluster();
            match act.as_str() {
                "dump" => t.send(&Request::Dump, None),
                "savepoint" => t.send(
                    &Request::Savepoint(JobState {
                        uid: t.uid.clone(),
                        status: c.status(),
                        checkpoint_id: c.next_checkpoint_id(),
                        parallelism: c.parallelism(),
                        max_parallelism: c.max_parallelism(),
                        job: job_bytes(c.config()),
                        counts: encode_counts(&c.java_counts()),
                    }),
                    None,
                ),
                "job" => t.send(
                    &Request::Job {
                        job: job_bytes(c.config()),
                    },
                    None,
                ),
                "cancel" => {
                    // Decoding cannot be interrupted: the worker goes, and a new one starts.
                    if let Some((worker, _)) = &t.worker {
                        worker.terminate();
                    }
                    let (uid, lang) = (t.uid.clone(), t.lang);
                    drop(t);
                    *tools.borrow_mut() = Tools {
                        uid,
                        lang,
                        ..Tools::default()
                    };
                    start(&tools, &redraw);
                    redraw.emit(());
                }
                _ => {}
            }
        })
    };
    let on_uid = {
        let tools = tools.clone();
        Callback::from(move |e: InputEvent| {
            tools.borrow_mut().uid = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value()
        })
    };
    // The entries table scrolls over a height of at most MAX_PX, the rows in view drawn from their pages.
    let span = (t.entries * ROW).min(MAX_PX);
    let on_scroll = {
        let (tools, redraw, entries) = (tools.clone(), redraw.clone(), t.entries);
        Callback::from(move |e: Event| {
            let el: web_sys::Element = e.target_unchecked_into();
            let room = (span as f64 - f64::from(el.client_height())).max(1.0);
            let hidden = entries.saturating_sub(SHOWN - 4) as f64;
            let first = (f64::from(el.scroll_top()) / room * hidden) as u64;
            let mut t = tools.borrow_mut();
            if t.first != first {
                t.first = first.min(entries.saturating_sub(1));
                t.fetch_pages();
                drop(t);
                redraw.emit(());
            }
        })
    };
    let mut rows = String::new();
    for i in t.first..(t.first + SHOWN).min(t.entries) {
        if let Some(row) = t
            .pages
            .iter()
            .find(|(p, _)| *p == i / PAGE * PAGE)
            .and_then(|(_, page)| page.get((i % PAGE) as usize))
        {
            rows.push_str(row);
        }
    }
    // Integer pixels: formatting a float would bring its code into the page.
    let offset = (t.first as f64 / (t.entries.max(1) as f64) * span as f64) as u64;
    let panel = html! {
        <section class="savepoint-tools" data-testid="savepoint-tools" onclick={on_click} onchange={on_change}
            ondragover={|e: DragEvent| e.prevent_default()} ondrop={on_drop}>
            {raw(&t.parts[0])}
            if t.entries > 0 {
                // The head and the rows in one box: on a narrow screen they scroll sideways together.
                <div class="sp-table">
                    {raw(&t.parts[1])}
                    <div class="sp-entries" data-testid="savepoint-entries" onscroll={on_scroll} translate="no">
                        <div style={format!("height:{span}px")}>
                            <div style={format!("transform:translateY({offset}px)")}>{raw(&rows.into())}</div>
                        </div>
                    </div>
                </div>
            }
            {raw(&t.parts[2])}
            <input id="savepoint-uid" type="text" value={t.uid.clone()} placeholder="event-counter-op" translate="no"
                data-testid="savepoint-uid" oninput={on_uid} />
            {raw(&t.parts[3])}
        </section>
    };
    (opener, panel)
}
