//! The browser's side of the player's [`Simulation`](crate::player::simulation::Simulation): a new job's id (from `crypto`) and start (the wall clock),
//! the speed as the controls label it, and the page's errors in the page's language.

use crate::engine::checkpoint::decimal::fixed;
use crate::i18n::messages::{common, controls as msg, errors, storage};
use crate::i18n::Lang;
use crate::player::page_error::PageError;
use crate::player::simulation::JobStart;
use crate::player::speeds::SPEEDS;

pub fn speed_label(index: usize, l: Lang) -> String {
    match SPEEDS.get(index).copied().flatten() {
        Some(f) => format!("×{}", trim_float(f)),
        None => l.t(&msg::SPEED_MAX).to_owned(),
    }
}

fn trim_float(f: f64) -> String {
    let s = fixed(f, 4);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl PageError {
    pub fn message(&self, l: Lang) -> String {
        match self {
            PageError::Engine(e) => errors::engine(e, l),
            PageError::IntervalNotANumber(text) => errors::interval_not_a_number(text, l),
            PageError::NotStored {
                checkpoint_id,
                cause,
            } => storage::not_stored(l, *checkpoint_id, &errors::engine(cause, l), false),
            PageError::Said(text) => text.clone(),
            PageError::History(e) => errors::history(e, l),
            PageError::LanguagePack => l.t(&common::LANGUAGE_PACK).to_owned(),
        }
    }
}

/// A job started now: a fresh id of 16 hex digits, like the first half of Flink's 32-digit `JobID`.
pub fn new_job() -> JobStart {
    let mut bytes = [0u8; 8];
    let random = web_sys::window().and_then(|w| w.crypto().ok());
    match random {
        Some(crypto) if crypto.get_random_values_with_u8_array(&mut bytes).is_ok() => {}
        _ => {
            for b in &mut bytes {
                *b = (js_sys::Math::random() * 256.0) as u8;
            }
        }
    }
    JobStart {
        id: bytes.iter().map(|b| format!("{b:02x}")).collect(),
        started_at_ms: js_sys::Date::now(),
    }
}
