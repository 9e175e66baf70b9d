//! The page's language in the browser: the user's remembered choice, else the first of
//! `navigator.languages` the catalogue has (see [`crate::i18n`]), else English.

use super::local_storage;
use crate::i18n::Lang;

const LANG_KEY: &str = "statelab.lang";

pub fn initial() -> Lang {
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

/// Remembers the choice; losing it (private mode, quota) only means the browser's language next time.
pub fn store(lang: Lang) {
    local_storage::set(LANG_KEY, lang.code());
}
