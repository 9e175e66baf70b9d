//! Small pieces of markup the views repeat, as plain non-generic functions: one copy of each in the page's
//! wasm instead of one expansion of `html!` per use (BENCHMARKS.md, "Size budget").

use crate::i18n::{Lang, Text};
use yew::prelude::*;

/// An element's classes: each whose flag is set, space-separated (what `classes!` gives, without its ordered set
/// of classes in the page's wasm).
pub fn classes(classes: &[(&str, bool)]) -> String {
    let mut out = String::new();
    for (class, on) in classes {
        if *on && !class.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(class);
        }
    }
    out
}

/// A table's header row: one `<th>` per column title.
pub fn header_row(l: Lang, titles: &[Text]) -> Html {
    html! { <tr>{ for titles.iter().map(|t| html! { <th>{l.t(t)}</th> }) }</tr> }
}
