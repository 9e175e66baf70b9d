//! The code beside the picture: the Java of `EventCounterProcessFunction`, the job's one user function, with
//! the line running for the current record highlighted and its values shown inline, as a debugger shows
//! them. After a step (or at slow speeds) the panel walks through `processElement` line by line; "Step into"
//! walks it by hand and, past the last line, processes the next record.

use crate::engine::cluster::engine_event::EngineEvent;
use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::state::heap::state_map_entry::TableKind;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use crate::i18n::messages::code as msg;
use crate::i18n::Lang;
use crate::player::page_error::PageError;
use crate::player::simulation::{Effect, SimulationAction};
use crate::teaching::java_source::source;
use crate::web::context::{use_code, use_sim, use_ui, Code, CodeAction, CodeLine};
use crate::web::markup::classes;
use gloo::timers::callback::Interval;
use yew::prelude::*;

/// How long the animation stays on each line.
const LINE_MS: u32 = 320;

const KEYWORDS: [&str; 15] = [
    "public",
    "class",
    "extends",
    "private",
    "transient",
    "void",
    "new",
    "return",
    "throws",
    "long",
    "null",
    "if",
    "else",
    "final",
    "static",
];

/// Java syntax colouring: keywords, types (capitalised words), string literals, annotations.
fn highlight(line: &str) -> Html {
    let mut spans: Vec<Html> = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let c = rest.chars().next().unwrap_or(' ');
        let (class, len) = if c == '"' {
            let end = rest[1..].find('"').map_or(rest.len(), |i| i + 2);
            ("str", end)
        } else if c == '@' || c.is_ascii_alphanumeric() || c == '_' {
            let len = rest
                .char_indices()
                .skip(1)
                .find(|(_, ch)| !(ch.is_ascii_alphanumeric() || *ch == '_'))
                .map_or(rest.len(), |(i, _)| i);
            let word = &rest[..len];
            let class = if c == '@' {
                "ann"
            } else if KEYWORDS.contains(&word) {
                "kw"
            } else if c.is_ascii_uppercase() {
                "ty"
            } else if c.is_ascii_digit() {
                "num"
            } else {
                ""
            };
            (class, len)
        } else {
            let len = rest
                .char_indices()
                .skip(1)
                .find(|(_, ch)| {
                    *ch == '"' || *ch == '@' || ch.is_ascii_alphanumeric() || *ch == '_'
                })
                .map_or(rest.len(), |(i, _)| i);
            ("", len)
        };
        let (token, tail) = rest.split_at(len);
        spans.push(if class.is_empty() {
            html! { {token} }
        } else {
            html! { <span class={class}>{token}</span> }
        });
        rest = tail;
    }
    html! { <>{ for spans }</> }
}

/// The key as Java source writes it.
fn java_literal(key: &str, key_type: JavaKeyType) -> String {
    match key_type {
        JavaKeyType::String => format!("\"{key}\""),
        JavaKeyType::Integer => key.to_owned(),
        JavaKeyType::Long => format!("{key}L"),
    }
}

fn table_name(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Primary => "primaryTable",
        TableKind::IncrementalRehash => "incrementalRehashTable",
    }
}

/// The values a debugger would show beside one line of the current record.
fn annotations(l: Lang, line: CodeLine, record: &Record) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    match line {
        CodeLine::Enter => {
            out.push((format!("key = {}", record.key_literal), "value"));
            out.push((msg::entered(l, record.subtask, record.key_group), "note"));
        }
        CodeLine::Value => {
            match record.previous {
                Some(v) => out.push((format!("current = {v}"), "value")),
                None => out.push((format!("current = {}", l.t(&msg::VALUE_NULL)), "value")),
            }
            let read = &record.read;
            out.push((
                msg::looked_up(
                    l,
                    table_name(read.table),
                    read.bucket,
                    read.found.then_some(read.chain_position),
                ),
                "note",
            ));
            if let Some(r) = read.rehash {
                out.push((
                    msg::rehashed(l, r.entries_moved, r.from_bucket, r.to_bucket),
                    "note",
                ));
            }
        }
        CodeLine::Next => out.push((format!("next = {}", record.count), "value")),
        CodeLine::Update => {
            let write = &record.write;
            out.push((
                msg::written(l, table_name(write.table), write.bucket),
                "note",
            ));
            out.push((
                l.t(if write.inserted {
                    &msg::NEW_ENTRY
                } else {
                    &msg::REPLACED
                })
                .to_owned(),
                "note",
            ));
            if write.entry_copies + record.read.entry_copies > 0 {
                out.push((l.t(&msg::COPIED).to_owned(), "warn"));
            }
            if write.resize.is_some() {
                out.push((l.t(&msg::RESIZE).to_owned(), "warn"));
            }
            if let Some(r) = write.rehash {
                out.push((
                    msg::rehashed(l, r.entries_moved, r.from_bucket, r.to_bucket),
                    "note",
                ));
            }
        }
        CodeLine::Collect => {
            out.push((
                format!(
                    "({}, {}) → {}",
                    record.key,
                    record.count,
                    l.t(&msg::TO_SINK)
                ),
                "value",
            ));
            if record.duplicate {
                out.push((l.t(&msg::DUPLICATE).to_owned(), "warn"));
            }
        }
        CodeLine::Return => out.push((l.t(&msg::RETURNED).to_owned(), "note")),
    }
    out
}

/// The newest record `processElement` ran for, as the panel shows it.
struct Record {
    key: String,
    key_literal: String,
    subtask: SubtaskIndex,
    key_group: KeyGroup,
    previous: Option<i64>,
    count: i64,
    read: crate::engine::state::heap::copy_on_write_state_map::MapAccess,
    write: crate::engine::state::heap::copy_on_write_state_map::MapAccess,
    duplicate: bool,
}

#[function_component(CodePanel)]
pub fn code_panel() -> Html {
    let sim = use_sim();
    let ui = use_ui();
    let code = use_code();
    let l = ui.lang;

    let s = sim.borrow();
    let key_type = s.config().source.key_format.key_type;
    let processed = s.cluster().counters().records_processed;
    let fast = s.plays_fast();
    let record = match &s.last_record() {
        Some(last) => match &last.event {
            EngineEvent::RecordProcessed {
                subtask,
                key,
                key_group,
                previous,
                count,
                read,
                write,
                duplicate,
                ..
            } => {
                let text = s.cluster().keys().display(*key);
                Some(Record {
                    key_literal: java_literal(&text, key_type),
                    key: text,
                    subtask: *subtask,
                    key_group: *key_group,
                    previous: *previous,
                    count: *count,
                    read: *read,
                    write: *write,
                    duplicate: *duplicate,
                })
            }
            _ => None,
        },
        None => None,
    };
    drop(s);

    // A new newest record starts at its first line (unless a step by hand already said so).
    {
        let code = code.clone();
        use_effect_with(processed, move |&processed| {
            if code.record != processed {
                code.dispatch(CodeAction::Record {
                    record: processed,
                    manual: false,
                });
            }
        });
    }
    // Stepping by hand is a debugger stopped on a line: every view shows the job as the lines so far left it.
    {
        let sim = sim.clone();
        use_effect_with(
            (code.record, code.line, code.manual),
            move |&(record, line, manual)| {
                if manual || sim.borrow().is_stopped_inside() {
                    // Never refused.
                    let at = manual.then_some((record, line));
                    let _ = sim.dispatch(SimulationAction::StopInside(at));
                }
            },
        );
    }
    // The animation through the lines, unless stepping by hand or playing fast.
    {
        let code = code.clone();
        let animate = !code.manual && !fast && code.line != CodeLine::Return;
        use_effect_with((code.record, animate), move |&(_, animate)| {
            let interval = animate.then(|| {
                Interval::new(LINE_MS, move || {
                    code.dispatch(CodeAction::Advance { manual: false })
                })
            });
            move || drop(interval)
        });
    }
    let on_step_line = {
        let (sim, code) = (sim.clone(), code.clone());
        Callback::from(move |_| step_into(|action| sim.dispatch(action), &code))
    };

    let line = code.line;
    let lines = source(key_type);
    html! {
        <section class="panel code-panel" data-testid="code-panel">
            <div class="panel-head">
                <h2>{l.t(&msg::TITLE)}</h2>
                <span class="hint">{l.t(&msg::SUBTITLE)}</span>
                <button class="step-into" data-testid="code-step-line" onclick={on_step_line}
                    title={l.t(&msg::STEP_LINE_TITLE)}>{l.t(&msg::STEP_LINE)}</button>
            </div>
            <pre class="java" translate="no" data-testid="java-source" tabindex="0" aria-label="EventCounterProcessFunction.java">
                { for lines.iter().enumerate().map(|(i, src)| {
                    let current = !fast && record.is_some() && src.line == Some(line)
                        // The signature spans two lines; mark the first.
                        && !(line == CodeLine::Enter && src.text.trim_start().starts_with("Collector"));
                    let hot = fast && src.line.is_some_and(|l| l != CodeLine::Return);
                    let open_hint = record.is_none() && src.open;
                    let notes = match (&record, current) {
                        (Some(r), true) => annotations(l, line, r),
                        _ => Vec::new(),
                    };
                    html! {
                        <div class={classes(&[("code-line", true), ("current", current), ("hot", hot), ("open-hint", open_hint)])}
                            data-line={src.line.map(|l| format!("{l:?}"))} data-current={current.then_some("true")}>
                            // The number and the code stay on one line; the values go under it when they do not fit.
                            <span class="code"><span class="ln">{i + 1}</span><span class="src">{highlight(&src.text)}</span></span>
                            { for notes.into_iter().map(|(text, class)| html! {
                                <span class={classes(&[("inline-value", true), (class, true)])} data-testid="inline-value">{text}</span>
                            }) }
                        </div>
                    }
                }) }
            </pre>
            <p class="hint code-status" data-testid="code-status">
                { if record.is_none() { l.t(&msg::NO_RECORD) } else if fast { l.t(&msg::FAST) } else { "" } }
                { if record.is_none() { html! { <span class="inline-value note">{l.t(&msg::OPEN_NOTE)}</span> } } else { html! {} } }
            </p>
        </section>
    }
}

/// "Step into": the next line of the current record; past its last line, the next record, stopped on its
/// first line (the simulation says which, through `dispatch`).
pub fn step_into(
    dispatch: impl FnOnce(SimulationAction<'_>) -> Result<Effect, PageError>,
    code: &Code,
) {
    let at = SimulationAction::StepInto {
        record: code.record,
        line: code.line,
    };
    match dispatch(at) {
        Ok(Effect::NextLine) => code.dispatch(CodeAction::Advance { manual: true }),
        Ok(Effect::EnteredRecord(record)) => code.dispatch(CodeAction::Record {
            record,
            manual: true,
        }),
        Ok(Effect::None) | Err(_) => {}
    }
}
