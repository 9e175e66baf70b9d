//! The checkpoint library as a Web Worker of its own (Trunk builds it from www/index.html as
//! `data-type="worker"`; the page starts it as it opens): the browser glue around
//! `statelab::web::checkpoint_library` — storage opened at once, each message from the page decoded and handed
//! to the library, its answers posted back with their bytes transferred rather than copied. On native it only
//! says what it is.

#[cfg(target_arch = "wasm32")]
mod glue {
    use js_sys::{Array, Uint8Array};
    use statelab::i18n::{pack, Lang};
    use statelab::web::checkpoint_library::{self as library, JobCheckpoint, Library};
    use statelab::worker::library_protocol::{LibraryRequest, LibraryResponse};
    use std::cell::Cell;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, XmlHttpRequest};

    thread_local! {
        /// Whether the Chinese pack is in: `None` before it was first needed.
        static PACK: Cell<Option<bool>> = const { Cell::new(None) };
    }

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn post(response: LibraryResponse, payload: Option<Vec<u8>>) {
        let header = Uint8Array::from(response.encode().as_slice());
        let (message, transfer) = (Array::of1(&header), Array::of1(&header.buffer()));
        if let Some(bytes) = payload {
            let payload = Uint8Array::from(bytes.as_slice());
            message.push(&payload);
            transfer.push(&payload.buffer());
        }
        let _ = scope().post_message_with_transfer(&message, &transfer);
    }

    /// The page's `zh.txt`: as the page hands it over ([`LibraryRequest::Pack`], before its first request in
    /// Chinese), else fetched once (synchronously: a worker may, and the panel waits for it anyway).
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

    fn on_message(library: &Library, event: MessageEvent) {
        let data: Array = event.data().unchecked_into();
        let header = Uint8Array::new(&data.get(0)).to_vec();
        let Some((request, l)) = LibraryRequest::decode(&header) else {
            return;
        };
        if let LibraryRequest::Pack(text) = &request {
            if PACK.get() != Some(true) {
                PACK.set(Some(pack::install(text)));
            }
        }
        library.set_lang(if l == Lang::Zh && !pack_installed() {
            Lang::En
        } else {
            l
        });
        match request {
            LibraryRequest::Page { job_id, base } => library.set_page(job_id, base),
            LibraryRequest::Persistent(p) => library.persistent(p),
            LibraryRequest::Panel => library.render_soon(),
            LibraryRequest::Store {
                job_id,
                checkpoint_id,
                retained,
                run,
                run_started_ms,
            } => library::store(
                library.clone(),
                JobCheckpoint {
                    job_id,
                    checkpoint_id,
                    blob: Uint8Array::new(&data.get(1)).to_vec(),
                    retained: usize::try_from(retained).unwrap_or(usize::MAX),
                    run: (run, run_started_ms),
                },
            ),
            LibraryRequest::Import => {
                let files = (1..data.length())
                    .filter_map(|i| data.get(i).dyn_into::<web_sys::File>().ok())
                    .collect();
                library::import_files(library.clone(), files);
            }
            LibraryRequest::OpenLink(link) => library::offer_link(library.clone(), link),
            LibraryRequest::Act { act, key } => library.act(act, key),
            LibraryRequest::Choose { key, parallelism } => library.choose(&key, parallelism),
            LibraryRequest::Restored(error) => library.restored(error),
            LibraryRequest::Copied(ok) => library.copied(ok),
            LibraryRequest::Pack(_) => library.render_soon(),
        }
    }

    pub fn start() {
        let library = Library::new(Box::new(post));
        let listening = library.clone();
        let handler =
            Closure::<dyn Fn(MessageEvent)>::new(move |event| on_message(&listening, event));
        scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
        handler.forget();
        // The automation build lets measurements read the worker's linear memory (`tests/e2e/blob-bench.mjs`).
        #[cfg(feature = "automation")]
        let _ = js_sys::Reflect::set(
            &js_sys::global(),
            &"statelabMemory".into(),
            &wasm_bindgen::memory(),
        );
        // Messages that came before the handler are lost: the page sends nothing before this.
        post(LibraryResponse::Ready, None);
        library::open(library);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    glue::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "statelab-library-worker is the page's checkpoint library as a Web Worker: `trunk build` builds it from \
         www/index.html, and the page starts it as it opens."
    );
}
