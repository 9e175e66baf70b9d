//! The code beside the picture: the Java of the job's `KeyedProcessFunction` (`EventCounterProcessFunction` or
//! another preset), with
//! the line running for the current record highlighted and its values shown inline, as a debugger shows
//! them. After a step (or at slow speeds) the panel walks through `processElement` line by line; "Step into"
//! walks it by hand and, past the last line, processes the next record.

use crate::engine::checkpoint::decimal::shortest;
use crate::engine::cluster::engine_event::EngineEvent;
use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::functions::job_function::JobFunction;
use crate::engine::functions::session_process_function::SESSION_GAP_MS;
use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_registry::KeyId;
use crate::engine::source::event::Event;
use crate::engine::state::heap::state_map::ShownState;
use crate::engine::state::heap::state_map_entry::TableKind;
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use crate::i18n::messages::code as msg;
use crate::i18n::Lang;
use crate::player::page_error::PageError;
use crate::player::simulation::{Effect, SimulationAction};
use crate::teaching::java_source::{read_variable, source};
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
        // The counter has no line after its write.
        CodeLine::AfterUpdate => {}
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

/// The values beside a line of one of the other presets: the event's fields, the value a read returned, the
/// state object as the line left it (on the heap backend the very object `value()` handed out), where the write
/// went, what was emitted or the timer registered.
fn preset_annotations(
    l: Lang,
    line: CodeLine,
    record: &Record,
    function: JobFunction,
    state: Option<Option<ShownState>>,
) -> Vec<(String, &'static str)> {
    // The functions whose read returns a `Long` (the count of one category, or a counter with TTL).
    let reads_long = matches!(
        function,
        JobFunction::CategoryCounts | JobFunction::IdleCounter
    );
    let shown = |state: &Option<ShownState>| {
        state
            .as_ref()
            .map_or_else(|| "null".to_owned(), |s| s.abbreviated(STATE_CHARS))
    };
    let mut out = Vec::new();
    match line {
        CodeLine::Enter => {
            out.push((format!("key = {}", record.key_literal), "value"));
            if function != JobFunction::IdleCounter {
                out.push((
                    format!(
                        "event.category = \"{}\", event.amount = {}",
                        record.event.category, record.event.amount
                    ),
                    "value",
                ));
            }
            out.push((msg::entered(l, record.subtask, record.key_group), "note"));
        }
        CodeLine::Value => {
            let variable = read_variable(function).unwrap_or_default();
            let value = if reads_long {
                Some(
                    record
                        .previous
                        .map_or_else(|| "null".to_owned(), |v| v.to_string()),
                )
            } else {
                state.as_ref().map(shown)
            };
            if let Some(value) = value {
                out.push((format!("{variable} = {value}"), "value"));
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
        }
        CodeLine::Next if reads_long => {
            out.push((format!("next = {}", record.count), "value"));
        }
        // (A new object is not the state yet: nothing to show until `update()` stores it.)
        CodeLine::Next => {
            if let Some(state @ Some(_)) = &state {
                let variable = read_variable(function).unwrap_or_default();
                out.push((format!("{variable} = {}", shown(state)), "value"));
                out.push((l.t(&msg::OBJECT_CHANGED).to_owned(), "warn"));
            }
        }
        CodeLine::AfterUpdate => {
            if let Some(state) = &state {
                out.push((format!("state = {}", shown(state)), "value"));
            }
            out.push((l.t(&msg::CHANGED_AFTER_UPDATE).to_owned(), "warn"));
        }
        CodeLine::Update => {
            if let Some(state) = &state {
                out.push((format!("state = {}", shown(state)), "value"));
            }
            let write = &record.write;
            out.push((
                msg::written(l, table_name(write.table), write.bucket),
                "note",
            ));
            if write.inserted {
                out.push((l.t(&msg::NEW_ENTRY).to_owned(), "note"));
            }
            if write.entry_copies + record.read.entry_copies > 0 {
                out.push((l.t(&msg::COPIED).to_owned(), "warn"));
            }
            if write.resize.is_some() {
                out.push((l.t(&msg::RESIZE).to_owned(), "warn"));
            }
        }
        CodeLine::Collect => match (function, &state) {
            (
                JobFunction::Session,
                Some(Some(ShownState::Object(StateValueObject::Tuple2 { f1, .. }))),
            ) => out.push((msg::timer_registered(l, f1 + SESSION_GAP_MS), "note")),
            (JobFunction::Session, _) => {}
            _ => {
                let output = match function {
                    // As Java writes a `Double`: `12.0`, not `12`.
                    JobFunction::Average => {
                        let text = shortest(f64::from_bits(record.count as u64));
                        if text.contains('.') {
                            text
                        } else {
                            text + ".0"
                        }
                    }
                    _ => record.count.to_string(),
                };
                let tuple = match function {
                    JobFunction::CategoryCounts | JobFunction::CategoryCountsInValue => {
                        format!("({}, {}, {output})", record.key, record.event.category)
                    }
                    _ => format!("({}, {output})", record.key),
                };
                out.push((format!("{tuple} → {}", l.t(&msg::TO_SINK)), "value"));
                if record.duplicate {
                    out.push((l.t(&msg::DUPLICATE).to_owned(), "warn"));
                }
            }
        },
        CodeLine::Return => out.push((l.t(&msg::RETURNED).to_owned(), "note")),
    }
    out
}

/// A state shown beside a line: a long list or map cut after this many characters.
const STATE_CHARS: usize = 60;

/// The state of `key` in the job as shown (stopped on a line, the job as that line left it).
fn state_of(c: &MiniCluster, key: KeyId) -> Option<ShownState> {
    let hash = c.keys().info(key).hash_code;
    c.key_group_state_map(c.key_group_of(key))?
        .peek_state(key, hash)
}

/// The newest record `processElement` ran for, as the panel shows it.
struct Record {
    id: KeyId,
    event: Event,
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

/// The `onTimer` call that ran last: the timer's key (as Java writes it, and as shown) and time, and what it
/// emitted.
struct TimerCall {
    key_literal: String,
    key: String,
    timestamp: i64,
    emitted: Option<i64>,
}

/// The values beside `onTimer`'s signature: the timer's key and time, and what the call did.
fn timer_annotations(l: Lang, timer: &TimerCall) -> Vec<(String, &'static str)> {
    vec![
        (
            msg::on_timer_for(l, &timer.key_literal, timer.timestamp),
            "value",
        ),
        match timer.emitted {
            Some(count) => (msg::on_timer_emitted(l, &timer.key, count), "note"),
            None => (msg::on_timer_stale(l), "note"),
        },
    ]
}

#[function_component(CodePanel)]
pub fn code_panel() -> Html {
    let sim = use_sim();
    let ui = use_ui();
    let code = use_code();
    let l = ui.lang;

    let s = sim.borrow();
    let key_type = s.config().source.key_format.key_type;
    let (function, seed) = (s.config().function, s.config().seed);
    let processed = s.cluster().counters().records_processed;
    let fast = s.plays_fast();
    let record = match &s.last_record() {
        Some(last) => match &last.event {
            EngineEvent::RecordProcessed {
                subtask,
                event,
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
                    id: *key,
                    event: Event::of(seed, *event),
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
    // The timer that fired after the record, when `onTimer` was the last keyed call: its key, time and outcome.
    let timer = match s.last_record().and_then(|last| last.then_timer.as_ref()) {
        Some(EngineEvent::TimerFired {
            key,
            timestamp,
            emitted,
            ..
        }) if !fast => {
            let key = s.cluster().keys().display(*key);
            Some(TimerCall {
                key_literal: java_literal(&key, key_type),
                key,
                timestamp: *timestamp,
                emitted: *emitted,
            })
        }
        _ => None,
    };
    // The state of the record's key as the current line left it: the job shown when stopped on the line by hand,
    // else (the animation over the running job, which has run the whole call) only from the line that changed it.
    let state = match &record {
        Some(r)
            if function != JobFunction::Counter
                && (s.is_stopped_inside() || code.line >= function.changes_state_at()) =>
        {
            Some(state_of(s.shown(), r.id))
        }
        _ => None,
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
                    code.dispatch(CodeAction::Advance {
                        manual: false,
                        function,
                    })
                })
            });
            move || drop(interval)
        });
    }
    let on_step_line = {
        let (sim, code) = (sim.clone(), code.clone());
        Callback::from(move |_| step_into(|action| sim.dispatch(action), &code, function))
    };

    let line = code.line;
    let lines = source(function, key_type);
    let first_of_step = lines.iter().position(|src| src.line == Some(line));
    let first_of_timer = lines.iter().position(|src| src.on_timer);
    let class = function.class_name();
    html! {
        <section class="panel code-panel" data-testid="code-panel">
            <div class="panel-head">
                <h2>{l.t(&msg::TITLE)}</h2>
                <span class="hint">{msg::subtitle(l, class)}</span>
                <button class="step-into" data-testid="code-step-line" onclick={on_step_line}
                    title={l.t(&msg::STEP_LINE_TITLE)}>{l.t(&msg::STEP_LINE)}</button>
            </div>
            <pre class="java" translate="no" data-testid="java-source" tabindex="0" aria-label={format!("{class}.java")}>
                { for lines.iter().enumerate().map(|(i, src)| {
                    // A step can span lines (the signature, a write and the read after it): all are lit, the first
                    // is the current line and carries the values.
                    let (in_step, current) = match &timer {
                        // `onTimer` ran last: its lines are the current call.
                        Some(_) => (src.on_timer, src.on_timer && Some(i) == first_of_timer),
                        None => {
                            let in_step = !fast && record.is_some() && src.line == Some(line);
                            (in_step, in_step && Some(i) == first_of_step)
                        }
                    };
                    let hot = fast && src.line.is_some_and(|l| l != CodeLine::Return);
                    let open_hint = record.is_none() && src.open;
                    let notes = match (&record, &timer, current) {
                        (_, Some(timer), true) => timer_annotations(l, timer),
                        (Some(r), None, true) if function == JobFunction::Counter => annotations(l, line, r),
                        (Some(r), None, true) => preset_annotations(l, line, r, function, state.clone()),
                        _ => Vec::new(),
                    };
                    html! {
                        <div class={classes(&[("code-line", true), ("current", in_step), ("hot", hot), ("open-hint", open_hint)])}
                            data-line={src.line.map(|l| format!("{l:?}"))} data-on-timer={src.on_timer.then_some("true")} data-current={current.then_some("true")}>
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
                { if record.is_none() { msg::no_record(l, function.state_name()) } else if fast { l.t(&msg::FAST).to_owned() } else { String::new() } }
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
    function: JobFunction,
) {
    let at = SimulationAction::StepInto {
        record: code.record,
        line: code.line,
    };
    match dispatch(at) {
        Ok(Effect::NextLine) => code.dispatch(CodeAction::Advance {
            manual: true,
            function,
        }),
        Ok(Effect::EnteredRecord(record)) => code.dispatch(CodeAction::Record {
            record,
            manual: true,
        }),
        Ok(Effect::None) | Err(_) => {}
    }
}
