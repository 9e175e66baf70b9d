//! The message catalogue, one module per view. Plain messages are declared with `messages!` (both
//! languages on one line, listed in the module's `ALL` for the checks below); messages with arguments are
//! functions of the [`Lang`](super::Lang).

/// Declares plain messages: `NAME = "English", "中文";`. Also lists them in `ALL` for the catalogue checks.
macro_rules! messages {
    ($( $(#[$meta:meta])* $name:ident = $en:literal, $zh:literal; )*) => {
        $( $(#[$meta])* pub const $name: $crate::i18n::Text = $crate::i18n::Text::new($en, $zh); )*
        /// Every plain message of this module, by name.
        #[allow(dead_code)]
        pub const ALL: &[(&str, $crate::i18n::Text)] = &[$((stringify!($name), $name)),*];
    };
}

pub mod checkpoints;
pub mod code;
pub mod common;
pub mod comparison;
pub mod controls;
#[cfg(test)]
mod coverage;
pub mod debugger;
pub mod errors;
pub mod event_log;
pub mod export;
pub mod glossary;
pub mod heap;
pub mod help;
pub mod job_graph;
pub mod key_trace;
pub mod keygroup_map;
pub mod lessons;
pub mod savepoint;
pub mod savepoint_panel;
pub mod scenarios;
pub mod settings;
pub mod state_table;
pub mod storage;
pub mod timeline;

/// Every module's plain messages, for the checks.
pub fn all() -> Vec<(&'static str, &'static str, crate::i18n::Text)> {
    let modules: [(&str, &[(&str, crate::i18n::Text)]); 22] = [
        ("comparison", comparison::ALL),
        ("common", common::ALL),
        ("controls", controls::ALL),
        ("job_graph", job_graph::ALL),
        ("state_table", state_table::ALL),
        ("keygroup_map", keygroup_map::ALL),
        ("key_trace", key_trace::ALL),
        ("heap", heap::ALL),
        ("checkpoints", checkpoints::ALL),
        ("storage", storage::ALL),
        ("settings", settings::ALL),
        ("event_log", event_log::ALL),
        ("help", help::ALL),
        ("lessons", lessons::ALL),
        ("code", code::ALL),
        ("debugger", debugger::ALL),
        ("timeline", timeline::ALL),
        ("scenarios", scenarios::ALL),
        ("glossary", glossary::ALL),
        ("savepoint", savepoint::ALL),
        ("errors", errors::ALL),
        ("savepoint_panel", savepoint_panel::ALL),
    ];
    modules
        .iter()
        .flat_map(|(module, list)| list.iter().map(move |(name, text)| (*module, *name, *text)))
        .collect()
}

/// Whether a character is CJK (the Chinese text's own script, and its punctuation).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn english_messages_are_english_and_chinese_ones_are_chinese() {
        for (module, name, text) in all() {
            assert!(
                !text.en.trim().is_empty(),
                "{module}::{name} has no English"
            );
            assert!(
                !Lang::Zh.t(&text).trim().is_empty(),
                "{module}::{name} has no Chinese"
            );
            assert!(
                !text.en.chars().any(is_cjk),
                "{module}::{name}: Chinese in the English text {:?}",
                text.en
            );
            // A message without Chinese characters must be deliberately the same in both languages (a Flink
            // class name, a symbol); anything else is an untranslated English phrase.
            if !Lang::Zh.t(&text).chars().any(is_cjk) {
                assert_eq!(
                    Lang::Zh.t(&text),
                    text.en,
                    "{module}::{name}: the Chinese text has no Chinese: {:?}",
                    Lang::Zh.t(&text)
                );
            }
        }
    }

    #[test]
    fn message_names_are_unique_within_a_module() {
        let mut seen = std::collections::BTreeSet::new();
        for (module, name, _) in all() {
            assert!(seen.insert((module, name)), "{module}::{name} twice");
        }
    }
}

#[cfg(test)]
mod scenario_tests {
    use crate::i18n::Lang;
    #[test]
    fn every_scenario_preset_has_a_title_and_description_in_both_languages() {
        for preset in crate::teaching::presets::scenarios() {
            let (title, description) = super::scenarios::describe(preset.id)
                .unwrap_or_else(|| panic!("no page text for scenario {}", preset.id));
            assert!(
                !title.en.is_empty() && !Lang::Zh.t(&title).is_empty(),
                "{}",
                preset.id
            );
            assert!(!description.en.is_empty() && !Lang::Zh.t(&description).is_empty());
        }
    }
}
