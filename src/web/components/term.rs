//! A glossary term in running text: hover or focus it to read what it means in a sentence, with a way to the
//! lesson that shows it (see [`crate::teaching::glossary`]).

use crate::i18n::messages::glossary as msg;
use crate::teaching::glossary;
use crate::web::context::{use_lessons, use_ui, LessonAction};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TermProps {
    /// The glossary id.
    pub id: AttrValue,
    /// The words shown (the term itself when absent).
    #[prop_or_default]
    pub children: Html,
}

#[function_component(Term)]
pub fn term(props: &TermProps) -> Html {
    let ui = use_ui();
    let lessons = use_lessons();
    let l = ui.lang;
    let Some(term) = glossary::find(&props.id) else {
        return html! { <>{props.children.clone()}</> };
    };
    let shown = if props.children == Html::default() {
        html! { {l.t(&term.term)} }
    } else {
        props.children.clone()
    };
    let open_lesson = {
        let lesson = term.lesson;
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            lessons.dispatch(LessonAction::Suggest(lesson));
        })
    };
    html! {
        <span class="term" tabindex="0" data-term={term.id} data-testid="term">
            {shown}
            <span class="term-tip" role="tooltip">
                <strong>{l.t(&term.term)}</strong>{" — "}{rich_text(l.t(&term.definition))}
                <button class="link" onclick={open_lesson} data-testid="term-lesson">{l.t(&msg::OPEN_LESSON)}{" →"}</button>
            </span>
        </span>
    }
}

/// Lesson text with its markup: glossary terms become [`Term`]s, `` `code` `` becomes code.
pub fn rich_text(text: &str) -> Html {
    use crate::teaching::{markup, Span};
    html! {
        <>{ for markup(text).into_iter().map(|span| match span {
            Span::Text(t) => html! { {t} },
            Span::Code(c) => html! { <code translate="no">{c}</code> },
            Span::Term { id, text } => html! { <Term id={id.to_owned()}>{text}</Term> },
        }) }</>
    }
}
