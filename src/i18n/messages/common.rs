//! Words many views share.

use crate::i18n::Lang;

messages! {
    APP_NAME = "StateLab", "StateLab";
    CLOSE = "close", "关闭";
    DISMISS = "dismiss", "关闭";
    LANGUAGE = "Language", "语言";
    /// The language pack did not load when the reader switched to Chinese (shown on the English page).
    LANGUAGE_PACK = "The Chinese text could not be loaded; the page stays in English.",
        "无法加载中文文本，页面保持英文。";
}

/// `3 entries`, `1 entry` / `3 个条目`.
pub fn entries(l: Lang, count: &str) -> String {
    match l {
        Lang::En => format!("{count} {}", entry_or_entries(count)),
        Lang::Zh => zh!("{count} 个条目", count),
    }
}

/// English's noun for a count written out (`1` → `entry`).
pub fn entry_or_entries(count: &str) -> &'static str {
    if count == "1" {
        "entry"
    } else {
        "entries"
    }
}

/// `subtask 2` / `子任务 2`.
pub fn subtask(l: Lang, index: impl std::fmt::Display) -> String {
    tr!(l, "subtask {index}", "子任务 {index}", index)
}

/// `key group 12` / `键组 12`.
pub fn key_group(l: Lang, key_group: impl std::fmt::Display) -> String {
    tr!(l, "key group {key_group}", "键组 {key_group}", key_group)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_entry_is_singular_in_english() {
        assert_eq!(entries(Lang::En, "1"), "1 entry");
        assert_eq!(entries(Lang::En, "0"), "0 entries");
        assert_eq!(entries(Lang::En, "1,000"), "1,000 entries");
        assert_eq!(entries(Lang::Zh, "1"), "1 个条目");
    }
}
