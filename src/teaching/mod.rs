//! What StateLab teaches with: the guided [`lessons`] that drive the live simulation, the job [`presets`] the
//! lessons and the scenarios start, and the [`glossary`] behind every term the page explains on hover. Plain
//! data over the engine and the message catalogue, with no web dependencies, so `cargo test` checks that every
//! lesson's "try it" really gets the engine where the lesson says it will.

pub mod glossary;
pub mod java_source;
pub mod lessons;
pub mod presets;
pub mod reveal;
pub mod start;
pub mod structure_comparison;

/// A piece of lesson text: plain words, `` `code` ``, or a glossary term `[[id|shown text]]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span<'a> {
    Text(&'a str),
    Code(&'a str),
    Term { id: &'a str, text: &'a str },
}

/// Splits lesson text into spans. Unclosed markup is kept as plain text.
pub fn markup(text: &str) -> Vec<Span<'_>> {
    let mut spans = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let term = crate::i18n::find(rest, "[[");
        let code = rest.find('`');
        let next = match (term, code) {
            (Some(t), Some(c)) => Some(t.min(c)),
            (t, c) => t.or(c),
        };
        let Some(at) = next else {
            spans.push(Span::Text(rest));
            break;
        };
        if at > 0 {
            spans.push(Span::Text(&rest[..at]));
        }
        rest = &rest[at..];
        if let Some(body) = rest.strip_prefix("[[") {
            match crate::i18n::find(body, "]]") {
                Some(end) => {
                    let inner = &body[..end];
                    let (id, shown) = inner.split_once('|').unwrap_or((inner, inner));
                    spans.push(Span::Term { id, text: shown });
                    rest = &body[end + 2..];
                }
                None => {
                    spans.push(Span::Text(rest));
                    break;
                }
            }
        } else {
            let body = &rest[1..];
            match body.find('`') {
                Some(end) => {
                    spans.push(Span::Code(&body[..end]));
                    rest = &body[end + 1..];
                }
                None => {
                    spans.push(Span::Text(rest));
                    break;
                }
            }
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_splits_terms_code_and_text() {
        assert_eq!(
            markup("Each [[key-group|key group]] has a `CopyOnWriteStateMap`."),
            vec![
                Span::Text("Each "),
                Span::Term {
                    id: "key-group",
                    text: "key group"
                },
                Span::Text(" has a "),
                Span::Code("CopyOnWriteStateMap"),
                Span::Text("."),
            ]
        );
        assert_eq!(
            markup("[[oom]]"),
            vec![Span::Term {
                id: "oom",
                text: "oom"
            }]
        );
        assert_eq!(
            markup("a [[broken"),
            vec![Span::Text("a "), Span::Text("[[broken")]
        );
        assert_eq!(markup("x `y"), vec![Span::Text("x "), Span::Text("`y")]);
        assert_eq!(markup(""), vec![]);
    }
}
