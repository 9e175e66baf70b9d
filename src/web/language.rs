//! The page's language in the browser: the user's remembered choice, else the first of
//! `navigator.languages` the catalogue has (see [`crate::i18n`]), else English. Chinese needs its text, the
//! language pack ([`crate::i18n::pack`], `zh.txt` beside the page), fetched before the page first shows it.

use super::context::{Ui, UiAction};
use super::local_storage;
use crate::i18n::{pack, Lang};
use crate::player::page_error::PageError;
use wasm_bindgen::JsCast;

const LANG_KEY: &str = "statelab.lang";

thread_local! {
    /// The pack as fetched, for the checkpoint library's worker (which then need not fetch it again).
    static PACK_TEXT: std::cell::RefCell<Option<std::rc::Rc<str>>> = const { std::cell::RefCell::new(None) };
}

/// The Chinese pack's text, once the page has it.
pub fn pack_text() -> Option<std::rc::Rc<str>> {
    PACK_TEXT.with_borrow(Clone::clone)
}

/// The language the reader would have: remembered, else the browser's.
pub fn wanted() -> Lang {
    if let Some(lang) = local_storage::get(LANG_KEY).and_then(|code| Lang::from_code(&code)) {
        return lang;
    }
    web_sys::window()
        .map(|w| w.navigator().languages())
        .and_then(|list| {
            list.iter()
                .filter_map(|l| l.as_string())
                .find_map(|code| Lang::from_code(&code))
        })
        .unwrap_or(Lang::En)
}

/// The language the page opens in: the one wanted, Chinese only with its pack (`web::start` fetches it first).
pub fn initial() -> Lang {
    match wanted() {
        Lang::Zh if !pack::installed() => Lang::En,
        lang => lang,
    }
}

/// Remembers the choice; losing it (private mode, quota) only means the browser's language next time.
pub fn store(lang: Lang) {
    local_storage::set(LANG_KEY, lang.code());
}

/// Switches the page to a language: to Chinese once its pack is in (fetched the first time), else the page stays
/// as it is and says why.
pub fn switch(ui: &Ui, lang: Lang) {
    if lang == Lang::En || pack::installed() {
        ui.dispatch(UiAction::SetLang(lang));
        return;
    }
    let ui = ui.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if load_pack().await {
            ui.dispatch(UiAction::SetLang(lang));
        } else {
            ui.dispatch(UiAction::Error(Some(PageError::LanguagePack)));
        }
    });
}

/// Fetches and installs the Chinese pack; whether it is in. Revalidated with the server each time (the pack must
/// be the one this wasm was built with); offline, any copy the browser has.
pub async fn load_pack() -> bool {
    if pack::installed() {
        return true;
    }
    for cache in [
        web_sys::RequestCache::NoCache,
        web_sys::RequestCache::ForceCache,
    ] {
        if let Some(text) = fetch_text("zh.txt", cache).await {
            let installed = pack::install(&text);
            if installed {
                PACK_TEXT.set(Some(text.into()));
            }
            return installed;
        }
    }
    false
}

async fn fetch_text(url: &str, cache: web_sys::RequestCache) -> Option<String> {
    use wasm_bindgen_futures::JsFuture;
    let init = web_sys::RequestInit::new();
    init.set_cache(cache);
    let promise = web_sys::window()?.fetch_with_str_and_init(url, &init);
    let response: web_sys::Response = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}
