//! The page's languages: English and Simplified Chinese (简体中文).
//!
//! Every piece of text the page shows comes from the message catalogue in [`messages`], one module per view.
//! A message is a [`Text`] holding both languages side by side (or, with arguments, a function of the
//! [`Lang`]), so a missing translation is a compile error rather than an English phrase left on the Chinese
//! page, and a reviewer reads each pair together. Flink's own names — `ValueState`, `KeyGroupRange`,
//! `CopyOnWriteStateMap`, `OutOfMemoryError`, config keys — stay as Flink spells them in both languages, the
//! way Flink's Chinese documentation keeps them; the Chinese text gives the usual Chinese term beside them
//! (键组 key group, 检查点 checkpoint, 屏障 barrier).
//!
//! The catalogue has no web dependencies, so its checks run natively (`cargo test`); the browser side — the
//! language from `navigator.languages`, the remembered choice — is in `web::language`.
//!
//! In the page, the Chinese is not inside the wasm: it is the language pack ([`pack`], `www/zh.txt`, written from
//! this catalogue by its test), fetched when the page first shows Chinese. So the Chinese of a function's text
//! with arguments is written with `zh!` (like `format!`, every argument named) and a Chinese text outside a `Text`
//! with `zh_str!`.

/// A Chinese text with arguments, written like `format!` with every argument named (`name = value`, or `name`
/// for a variable of that name) in the order the text first uses them; a `String`. In the page the text comes
/// from the language pack ([`pack`]); elsewhere it is formatted as written.
macro_rules! zh {
    (@value $name:ident $value:expr) => {
        $value
    };
    (@value $name:ident) => {
        $name
    };
    ($template:literal $(, $name:ident $(= $value:expr)?)* $(,)?) => {{
        const _: () = assert!(
            $crate::i18n::pack::arguments_in_order($template, &[$(stringify!($name)),*]),
            "a Chinese text names its arguments, in the order it first uses them"
        );
        #[cfg(not(target_arch = "wasm32"))]
        let text = format!($template $(, $name = $crate::i18n::zh!(@value $name $($value)?))*);
        #[cfg(target_arch = "wasm32")]
        let text = {
            const KEY: u32 = $crate::i18n::pack::template_key($template);
            $crate::i18n::pack::fill(
                KEY,
                &[$(&$crate::i18n::zh!(@value $name $($value)?) as &dyn ::std::fmt::Display),*],
            )
        };
        text
    }};
}
pub(crate) use zh;

/// A message with arguments in both languages: the language, the English, the Chinese, then the arguments as
/// `zh!` lists them (`name`, or `name = value`, in the order the Chinese first uses them) — what
/// `match l { Lang::En => format!(english), Lang::Zh => zh!(chinese, arguments) }` gives, with the arguments
/// named once. The English uses any of them, in any order, each plainly (`{name}`, no format spec). A `String`.
/// In the page both languages share the one list of arguments: the English is numbered by it while compiling
/// and filled like the Chinese (`pack::fill_lang`), one call where `format!` and `zh!` were two (BENCHMARKS.md,
/// "Size budget").
macro_rules! tr {
    ($l:expr, $en:literal, $zh:literal $(, $name:ident $(= $value:expr)?)* $(,)?) => {{
        const _: () = assert!(
            $crate::i18n::pack::arguments_in_order($zh, &[$(stringify!($name)),*]),
            "a Chinese text names its arguments, in the order it first uses them"
        );
        #[cfg(not(target_arch = "wasm32"))]
        let text = {
            $(let $name = $crate::i18n::zh!(@value $name $($value)?);)*
            match $l {
                $crate::i18n::Lang::En => format!($en),
                $crate::i18n::Lang::Zh => format!($zh),
            }
        };
        #[cfg(target_arch = "wasm32")]
        let text = {
            const NUMBERED: ([u8; $en.len()], usize) =
                $crate::i18n::pack::numbered_by::<{ $en.len() }>($en, &[$(stringify!($name)),*]);
            const EN: &str = match ::core::str::from_utf8(NUMBERED.0.split_at(NUMBERED.1).0) {
                Ok(text) => text,
                Err(_) => panic!("a numbered template is UTF-8"),
            };
            const KEY: u32 = $crate::i18n::pack::template_key($zh);
            $crate::i18n::pack::fill_lang(
                $l,
                EN,
                KEY,
                &[$(&$crate::i18n::zh!(@value $name $($value)?) as &dyn ::std::fmt::Display),*],
            )
        };
        text
    }};
}

/// A Chinese text without arguments outside a [`Text`]; a `&'static str`. In the page it comes from the language
/// pack ([`pack`]).
macro_rules! zh_str {
    ($text:literal) => {{
        #[cfg(not(target_arch = "wasm32"))]
        let text: &'static str = $text;
        #[cfg(target_arch = "wasm32")]
        let text: &'static str = {
            const KEY: u32 = $crate::i18n::pack::key($text);
            $crate::i18n::pack::get(KEY)
        };
        text
    }};
}

/// `Display` for an error type as its English in the catalogue: `english_display!(Type => path::to::function)`,
/// where `function(&Type, Lang) -> String` (or `&str`) words the error in both languages side by side. The
/// English is written once, in `src/i18n`: what the CLI prints and the page shows in English.
macro_rules! english_display {
    ($($type:ty => $function:path),+ $(,)?) => {$(
        impl ::std::fmt::Display for $type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&$function(self, $crate::i18n::Lang::En))
            }
        }
    )+};
}
pub(crate) use english_display;

/// An error type: [`english_display!`] and `std::error::Error` (every error the engine reports is worded in
/// `src/i18n` and is an `Error`, so `?` and `Box<dyn Error>` take it).
macro_rules! english_error {
    ($($type:ty => $function:path),+ $(,)?) => {$(
        $crate::i18n::english_display!($type => $function);
        impl ::std::error::Error for $type {}
    )+};
}
pub(crate) use english_error;

pub mod messages;
pub mod pack;

/// A language of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// A BCP 47 tag to a language we have: `zh`, `zh-CN`, `zh-Hans-…` → Chinese, `en-…` → English.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The tag for `<html lang>` and for links.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }

    /// The message in this language.
    pub fn t(self, text: &Text) -> &'static str {
        match self {
            Lang::En => text.en,
            #[cfg(not(target_arch = "wasm32"))]
            Lang::Zh => text.zh,
            #[cfg(target_arch = "wasm32")]
            Lang::Zh => pack::text(text.en),
        }
    }

    /// Picks between the two renderings of a message with arguments.
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// One message of the catalogue, in both languages. In the page, only the English: the Chinese is the language
/// pack's text under the [`pack::text_key`] of the English (found when shown), or the English itself where the
/// pack has none (a text the same in both languages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    #[cfg(not(target_arch = "wasm32"))]
    pub zh: &'static str,
}

impl Text {
    pub const fn new(en: &'static str, zh: &'static str) -> Text {
        #[cfg(target_arch = "wasm32")]
        let _ = zh;
        Text {
            en,
            #[cfg(not(target_arch = "wasm32"))]
            zh,
        }
    }

    /// A text that is the same in both languages.
    pub const fn same(text: &'static str) -> Text {
        Text::new(text, text)
    }
}

/// Where `needle` first occurs in `text`, as `str::find` with a `&str` finds it: compared at each byte (a UTF-8
/// needle can only match at a character's start). The page's few searches are short, and so the standard
/// library's two-way searcher is not in its wasm (BENCHMARKS.md, "Size budget"); with [`trim_end`] and [`replace`].
pub fn find(text: &str, needle: &str) -> Option<usize> {
    let (t, n) = (text.as_bytes(), needle.as_bytes());
    (0..=t.len().checked_sub(n.len())?).find(|&i| t[i..].starts_with(n))
}

/// `text` without every `suffix` at its end, as `str::trim_end_matches` with a `&str`.
pub fn trim_end<'a>(mut text: &'a str, suffix: &str) -> &'a str {
    if suffix.is_empty() {
        return text;
    }
    while let Some(rest) = text.strip_suffix(suffix) {
        text = rest;
    }
    text
}

/// `text` with every `from` (not empty) replaced by `to`, as `str::replace` with `&str`s.
pub fn replace(text: &str, from: &str, to: &str) -> String {
    debug_assert!(!from.is_empty());
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = find(rest, from).filter(|_| !from.is_empty()) {
        out.push_str(&rest[..i]);
        out.push_str(to);
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

/// How many columns a message takes in a monospaced font: a wide (CJK) character two, any other one. Where text
/// cannot wrap (an SVG label in a box of fixed width), this says whether it fits.
pub fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| match u32::from(c) {
            0x1100..=0x115f
            | 0x2e80..=0xa4cf
            | 0xac00..=0xd7a3
            | 0xf900..=0xfaff
            | 0xfe30..=0xfe4f
            | 0xff00..=0xff60
            | 0xffe0..=0xffe6 => 2,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_trim_end_and_replace_do_what_the_standard_library_does() {
        let texts = [
            "",
            "a",
            "px",
            "12px",
            "12pxpx",
            "[[a|b]] and [[c",
            "]]",
            "ab]]]]",
            "1.5 mb (1572864 bytes)",
            "5 bytes",
            " bytes bytes",
            "任务堆内存内存",
            "键 [[组]]",
            "Task Heap Memory",
        ];
        let needles = [
            "",
            "px",
            "[[",
            "]]",
            " bytes",
            "内存",
            " Memory",
            "b",
            "组",
            "bytes bytes",
        ];
        for t in texts {
            for n in needles {
                assert_eq!(find(t, n), t.find(n), "{t:?} {n:?}");
                assert_eq!(trim_end(t, n), t.trim_end_matches(n), "{t:?} {n:?}");
                if !n.is_empty() {
                    assert_eq!(replace(t, n, "字节"), t.replace(n, "字节"), "{t:?} {n:?}");
                }
            }
        }
    }

    #[test]
    fn a_wide_character_takes_two_columns() {
        assert_eq!(columns("async phase 5: 30/64 key groups written"), 39);
        // Ten CJK characters and the full-width colon; " 5", " 30/64 ".
        assert_eq!(columns("异步阶段 5：已写出 30/64 个键组"), 11 * 2 + 9);
        assert_eq!(columns(""), 0);
    }

    #[test]
    fn browser_language_tags_map_to_the_page_languages() {
        assert_eq!(Lang::from_code("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_code("zh-Hans-SG"), Some(Lang::Zh));
        assert_eq!(Lang::from_code("ZH_tw"), Some(Lang::Zh));
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("de-DE"), None);
        assert_eq!(Lang::from_code(""), None);
    }
}
