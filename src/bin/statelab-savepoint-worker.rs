//! The page's savepoint tools as a Web Worker (Trunk builds it from www/index.html as `data-type="worker"`; the
//! page starts it only when the reader opens the tools): the browser glue around `statelab::worker::session` —
//! each message from the page decoded, its files read (with progress), the answer posted back, a download's
//! bytes transferred rather than copied. On native it only says what it is.

#[cfg(target_arch = "wasm32")]
mod glue {
    use js_sys::{Array, Uint8Array};
    use statelab::i18n::{pack, Lang};
    use statelab::worker::protocol::{Request, Response};
    use statelab::worker::session::{Reply, Session};
    use std::cell::{Cell, RefCell};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, File, FileReaderSync, MessageEvent, XmlHttpRequest};

    /// How much of a file is read at a time, between progress messages.
    const CHUNK: f64 = 8.0 * 1024.0 * 1024.0;

    thread_local! {
        static SESSION: RefCell<Session> = RefCell::new(Session::default());
        /// Whether the Chinese pack is in: `None` before it was first needed.
        static PACK: Cell<Option<bool>> = const { Cell::new(None) };
    }

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn post(reply: Reply) {
        let header = Uint8Array::from(reply.response.encode().as_slice());
        let (message, transfer) = (Array::of1(&header), Array::of1(&header.buffer()));
        if let Some(bytes) = reply.payload {
            let payload = Uint8Array::from(bytes.as_slice());
            message.push(&payload);
            transfer.push(&payload.buffer());
        }
        let _ = scope().post_message_with_transfer(&message, &transfer);
    }

    /// The page's `zh.txt`, fetched once (synchronously: a worker may, and the requests wait for it anyway).
    fn pack_installed() -> bool {
        if let Some(installed) = PACK.get() {
            return installed;
        }
        let text = XmlHttpRequest::new().ok().and_then(|request| {
            request.open_with_async("GET", "zh.txt", false).ok()?;
            request.send().ok()?;
            (request.status().ok()? == 200).then(|| request.response_text().ok().flatten())?
        });
        let installed = text.is_some_and(|text| pack::install(&text));
        PACK.set(Some(installed));
        installed
    }

    /// The files that came with an open request, `[path, File]` pairs after the header, read in chunks with
    /// the panel's progress after each.
    fn read_files(data: &Array, session: &mut Session, l: Lang) -> Option<Vec<(String, Vec<u8>)>> {
        let reader = FileReaderSync::new().ok()?;
        let pairs: Vec<(String, File)> = (1..data.length())
            .filter_map(|i| {
                let pair: Array = data.get(i).dyn_into().ok()?;
                Some((pair.get(0).as_string()?, pair.get(1).dyn_into().ok()?))
            })
            .collect();
        let total: f64 = pairs.iter().map(|(_, f)| f.size()).sum();
        let mut done = 0.0;
        let mut files = Vec::with_capacity(pairs.len());
        post(session.reading(0, total as u64, l));
        for (path, file) in pairs {
            let mut bytes = Vec::with_capacity(file.size() as usize);
            let mut at = 0.0;
            while at < file.size() {
                let end = (at + CHUNK).min(file.size());
                let chunk = file.slice_with_f64_and_f64(at, end).ok()?;
                let buffer = reader.read_as_array_buffer(&chunk).ok()?;
                bytes.extend_from_slice(&Uint8Array::new(&buffer).to_vec());
                done += end - at;
                at = end;
                post(session.reading(done as u64, total as u64, l));
            }
            files.push((path, bytes));
        }
        Some(files)
    }

    fn on_message(event: MessageEvent) {
        let data: Array = event.data().unchecked_into();
        let header = Uint8Array::new(&data.get(0)).to_vec();
        let Some((request, l)) = Request::decode(&header) else {
            return;
        };
        let l = if l == Lang::Zh && !pack_installed() {
            Lang::En
        } else {
            l
        };
        SESSION.with_borrow_mut(|session| {
            let replies = match request {
                Request::Panel => vec![session.relabel(l)],
                Request::Open { uid } => {
                    let files = read_files(&data, session, l).unwrap_or_default();
                    vec![session.open(files, &uid, l)]
                }
                Request::Entries { from, count } => vec![session.entries(from, count, l)],
                Request::Dump => session.dump().into_iter().collect(),
                Request::Savepoint(state) => session.savepoint(&state, l),
                Request::Job { job } => session.job(&job, l),
            };
            replies.into_iter().for_each(post);
        });
    }

    pub fn start() {
        let handler = Closure::<dyn Fn(MessageEvent)>::new(on_message);
        scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
        handler.forget();
        // Messages that came before the handler are lost: the page sends nothing before this.
        post(Response::Ready.into());
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    glue::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "statelab-savepoint-worker is the page's savepoint tools as a Web Worker: `trunk build` builds it from \
         www/index.html, and the page starts it when they are opened."
    );
}
