//! The debugger view: the object tree a Java debugger shows while stopped in `processElement`
//! ([`crate::player::object_tree`]), with the breadcrumb down to the current key's entry, drawn from the player's
//! [`TreeView`]; opening and closing nodes, following the key and choosing the subtask are [`TreeAction`]s.

use crate::engine::cluster::engine_event::EngineEvent;
use crate::engine::functions::job_function::JobFunction;
use crate::i18n::messages::debugger as msg;
use crate::i18n::Lang;
use crate::player::object_tree::{Crumb, CrumbStep, Note, ObjectTree, Pending};
use crate::player::tree_view::{DrawnTree, TreeAction, TreeView};
use crate::teaching::java_source::state_field;
use crate::web::components::term::rich_text;
use crate::web::context::{use_code, use_slow_sim, use_ui, CodeLine};
use crate::web::markup::classes;
use std::rc::Rc;
use yew::prelude::*;

impl Reducible for TreeView {
    type Action = TreeAction;

    fn reduce(self: Rc<Self>, action: TreeAction) -> Rc<Self> {
        let mut next = (*self).clone();
        TreeView::reduce(&mut next, action);
        Rc::new(next)
    }
}

/// The object a preset's state is, per key (`None`: a `Long` in the entry).
fn preset_object(function: JobFunction) -> Option<&'static str> {
    match function {
        JobFunction::Counter | JobFunction::RunningSum => None,
        JobFunction::EventLog | JobFunction::EventLogInValue => Some("ArrayList"),
        JobFunction::CategoryCounts | JobFunction::CategoryCountsInValue => Some("HashMap"),
        JobFunction::Average | JobFunction::Session => Some("Tuple2"),
        JobFunction::IdleCounter => Some("TtlValue"),
        JobFunction::KeyStats => Some("KeyStats"),
    }
}

/// A breadcrumb step's label.
fn crumb_label(crumb: &Crumb, l: Lang) -> String {
    match &crumb.step {
        CrumbStep::State(field) => field.clone(),
        CrumbStep::StateTable => "stateTable".to_owned(),
        CrumbStep::Map(kg) => msg::map_of(l, *kg),
        CrumbStep::Slot(table, bucket) => format!("{table}[{bucket}]"),
        CrumbStep::Entry => l.t(&msg::ENTRY).to_owned(),
    }
}

/// A node's note.
fn note_text(note: Note, l: Lang) -> String {
    match note {
        Note::KeyGroup(kg) => msg::key_group(l, kg),
        Note::EmptyTable => l.t(&msg::EMPTY_TABLE).to_owned(),
        Note::Shared => l.t(&msg::SHARED).to_owned(),
        Note::NotYet => l.t(&msg::NOT_YET).to_owned(),
        Note::BeforeUpdate => l.t(&msg::BEFORE_UPDATE).to_owned(),
    }
}

/// Scrolls the tree (its own scroll area, not the page) so that the row of `path` shows a little below its top,
/// or at a third of its height for the current entry.
fn scroll_tree_to(selector: &str, third: bool) {
    use wasm_bindgen::JsCast;
    let row = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(row) = row {
        if let Some(tree) = row
            .parent_element()
            .and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let offset = if third { tree.client_height() / 3 } else { 8 };
            let top = row.offset_top() - tree.offset_top() - offset;
            tree.set_scroll_top(top.max(0));
        }
    }
}

#[function_component(DebuggerView)]
pub fn debugger_view() -> Html {
    let sim = use_slow_sim();
    let ui = use_ui();
    let code = use_code();
    let l = ui.lang;
    let tree = use_reducer(TreeView::default);

    let s = sim.borrow();
    let c = s.shown();
    let newest = s.last_record().and_then(|r| match &r.event {
        EngineEvent::RecordProcessed {
            subtask,
            key,
            previous,
            write,
            ..
        } => Some((subtask.index(), *key, *previous, write.inserted)),
        _ => None,
    });
    let key_type = s.config().source.key_format.key_type;
    let followed = ui.followed_key.as_ref().and_then(|text| c.find_key(text));
    let current_key = followed.or(newest.map(|n| n.1));
    // While the code panel animates the newest record's lines over the running job, its entry shows the count
    // as before update(); stopped on a line by hand, the job shown is already the job at that line.
    // (The counter's entry only: the other presets' views show the job as it is.)
    let pending = newest
        .filter(|_| {
            c.config().function.is_counter()
                && !s.is_stopped_inside()
                && code.record == c.counters().records_processed
                && !code.line.updated()
                && code.line != CodeLine::Return
        })
        .map(|(_, key, previous, inserted)| Pending {
            key,
            previous,
            inserted,
        });
    let DrawnTree {
        rows,
        crumbs,
        target,
        ..
    } = tree.draw(c, key_type, current_key, pending);
    let tasks = c.tasks().len();
    drop(s);

    // Keep the current entry in view inside the tree's own scroll area (not the page's).
    use_effect_with(target.clone(), |_| {
        scroll_tree_to(".object-tree .node.current", true)
    });
    // A step of the breadcrumb clicked: its node, opened above, is brought to the top of the tree.
    use_effect_with(tree.revealed.clone(), |revealed| {
        if let Some((path, _)) = revealed {
            scroll_tree_to(&format!(".object-tree [data-path='{path}']"), false);
        }
    });

    let on_toggle = {
        let tree = tree.clone();
        Callback::from(move |(path, was_open): (String, bool)| {
            tree.dispatch(TreeAction::Toggle { path, was_open })
        })
    };
    let on_crumb = {
        let tree = tree.clone();
        Callback::from(move |path: String| tree.dispatch(TreeAction::Reveal(path)))
    };
    let revealed_path = tree.revealed.as_ref().map(|(p, _)| p.clone());
    let on_follow = {
        let tree = tree.clone();
        Callback::from(move |_| tree.dispatch(TreeAction::ToggleFollow))
    };
    let on_subtask = {
        let tree = tree.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            tree.dispatch(TreeAction::ChooseSubtask(v.parse::<usize>().ok()));
        })
    };
    let (chosen_subtask, follow) = (tree.subtask, tree.follow);
    // The counter's words, or the preset's: its state field, its state's class and object.
    let function = sim.borrow().config().function;
    let (subtitle, answer, path_label) = match preset_object(function) {
        None if function.is_counter() => (
            l.t(&msg::SUBTITLE).to_owned(),
            l.t(&msg::ANSWER).to_owned(),
            l.t(&msg::PATH_LABEL),
        ),
        object => {
            let field = state_field(function).unwrap_or_default();
            let class = ObjectTree::state_class_of(function);
            (
                msg::subtitle_of(l, &field),
                msg::answer_object(l, class, object.unwrap_or("Long")),
                l.t(&msg::PATH_LABEL_STATE),
            )
        }
    };

    html! {
        <section class="panel debugger" data-testid="debugger-view">
            <div class="panel-head">
                <h2>{l.t(&msg::TITLE)}</h2>
                <span class="hint">{subtitle}</span>
            </div>
            <div class="debugger-controls">
                <label>{l.t(&msg::SUBTASK)}{" "}
                    <select data-testid="debugger-subtask" onchange={on_subtask}>
                        <option value="" selected={chosen_subtask.is_none()}>{l.t(&msg::AUTO)}</option>
                        { for (0..tasks).map(|i| html! { <option value={i.to_string()} selected={chosen_subtask == Some(i)}>{i}</option> }) }
                    </select>
                </label>
                <label><input type="checkbox" checked={follow} onchange={on_follow} data-testid="debugger-follow" />{" "}{l.t(&msg::FOLLOW)}</label>
            </div>
            <p class="answer" data-testid="state-answer">{rich_text(&answer)}</p>
            if current_key.is_none() {
                <p class="hint">{l.t(&msg::NO_KEY)}</p>
            } else {
                <nav class="crumbs" data-testid="state-path" aria-label={path_label} translate="no">
                    { for crumbs.iter().enumerate().map(|(i, crumb)| {
                        let onclick = {
                            let (on_crumb, path) = (on_crumb.clone(), crumb.path.clone());
                            Callback::from(move |_| on_crumb.emit(path.clone()))
                        };
                        html! {
                            <>
                                if i > 0 { <span class="sep" aria-hidden="true">{" → "}</span> }
                                <button class="link crumb" data-testid="crumb" data-target={crumb.path.clone()}
                                    translate={if crumb.is_code() { "no" } else { "yes" }} {onclick}>{crumb_label(crumb, l)}</button>
                            </>
                        }
                    }) }
                </nav>
            }
            <ul class="object-tree" translate="no" role="tree">
                { for rows.into_iter().map(|row| {
                    let toggle = {
                        let on_toggle = on_toggle.clone();
                        let (path, open) = (row.path.clone(), row.open);
                        Callback::from(move |_| on_toggle.emit((path.clone(), open)))
                    };
                    html! {
                        <li role="treeitem" aria-expanded={row.expandable.then(|| row.open.to_string())}
                            class={classes(&[("node", true), ("current", row.current), ("noted", row.note.is_some()),
                                ("revealed", revealed_path.as_deref() == Some(row.path.as_str()))])}
                            style={format!("padding-left: {}px", 4 + row.depth * 16)}
                            data-path={row.path.clone()} data-testid="tree-node">
                            if row.expandable {
                                <button class="twisty" onclick={toggle} aria-label={row.path.clone()}>{ if row.open { "▾" } else { "▸" } }</button>
                            } else {
                                <span class="twisty leaf"></span>
                            }
                            <span class="fname">{&row.name}</span>
                            <span class="eq">{" = "}</span>
                            { match &row.class {
                                Some((class, id)) if !class.is_empty() => html! { <span class="class">{format!("{{{class}@{id}}}")}</span> },
                                _ => html! {},
                            } }
                            <span class="val" data-testid="tree-value">{&row.value}</span>
                            if let Some(note) = &row.note {
                                <span class="tree-note" translate="yes">{note_text(*note, l)}</span>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
