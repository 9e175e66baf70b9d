//! Stored checkpoints: what browser storage keeps across reloads (this job's, other tabs' and earlier runs',
//! imported ones), with where each came from, its job configuration and its key groups drawn by size;
//! starting a job from any of them at any parallelism; export as a file, share as a link, delete; import
//! from a file or a pasted link; the checkpoint agent runs here too (see `checkpoint_transfer`). Long work shows
//! its progress; what goes wrong with a command is said next to
//! the control it was given at (and brought into view). The rows are grouped by run under a line that tells the
//! runs apart ([`crate::player::checkpoint_runs`]: Run 1, Run 2, … what job, parallelism, source, when it started,
//! "this run"). Job ids are random hex, marked `translate="no"`.

use crate::engine::checkpoint::decimal::{fixed, Shortest};
use crate::engine::cluster::job_config::{CheckpointingMode, MAX_JOB_PARALLELISM};
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range_assignment::compute_operator_index_for_key_group;
use crate::engine::source::key_distribution::KeyDistribution;
use crate::i18n::messages::{common, scenarios, storage as msg};
use crate::i18n::Lang;
use crate::player::checkpoint_library::{LibraryAction, StorageStatus};
use crate::player::checkpoint_runs::{self, RunGroup, RunJob};
use crate::player::stored_checkpoint::{CheckpointOrigin, StoredCheckpoint, StoredJob};
use crate::teaching::lessons;
use crate::web::checkpoint_library::{self as library, origin_text, short_job_id, Library};
use crate::web::components::checkpoint_transfer::use_checkpoint_agent;
use crate::web::context::{use_slow_sim, use_ui};
use crate::web::format;
use crate::web::markup::header_row;
use crate::web::savepoint_tools::use_savepoint_tools;
use crate::web::sharing;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// At most this many bars in a key-group picture (neighbouring key groups are summed).
const BARS: usize = 128;

/// The colour of subtask `i` in pictures of key-group layouts.
fn subtask_colour(i: u32) -> String {
    format!("hsl({}, 62%, 50%)", (i * 47 + 205) % 360)
}

/// One line about the job that took a stored (or offered) checkpoint, in Flink's words.
pub fn job_summary(job: &StoredJob, l: Lang) -> String {
    let StoredJob(
        seed,
        sources,
        rate,
        key_count,
        key_type,
        distribution,
        interval_ms,
        mode,
        retained,
        replayed,
    ) = job;
    let distribution = match distribution {
        KeyDistribution::Uniform => l.t(&msg::UNIFORM).to_owned(),
        KeyDistribution::Zipf { exponent } => format!("Zipf s={}", Shortest(*exponent)),
        KeyDistribution::HotKey { key, fraction } => msg::hot_key(l, *key, fraction * 100.0),
        KeyDistribution::Sequential => l.t(&msg::SEQUENTIAL).to_owned(),
    };
    let keys = match replayed {
        Some(events) => msg::replaying(l, &format::count(*events)),
        None => msg::generated_keys(
            l,
            &format::count(*key_count),
            key_type.java_name(),
            &distribution,
        ),
    };
    msg::job_summary(
        l,
        &keys,
        &format::count(*rate),
        *sources,
        &interval_ms.map_or_else(
            || l.t(&msg::ON_DEMAND).to_owned(),
            |ms| msg::every_ms(l, ms),
        ),
        match mode {
            CheckpointingMode::ExactlyOnce => "EXACTLY_ONCE",
            CheckpointingMode::AtLeastOnce => "AT_LEAST_ONCE",
        },
        *retained,
        *seed,
    )
}

/// Entries per key group as bars, coloured by the subtask that owns them at `parallelism`: what a restore at
/// that parallelism hands each subtask.
fn key_group_bars(entries: &[u32], parallelism: u32, l: Lang) -> Html {
    let groups = entries.len().max(1);
    let per_bar = groups.div_ceil(BARS);
    let bars: Vec<(u64, u32, usize)> = entries
        .chunks(per_bar)
        .enumerate()
        .map(|(b, chunk)| {
            let first = b * per_bar;
            // The record's key groups are a blob's: at most 32,768, so `first` is one of them.
            let (m, p) = (groups as i32, parallelism as i32);
            let owner = KeyGroup::try_from(first).map_or(0, |kg| {
                compute_operator_index_for_key_group(m, p, kg).into()
            });
            (chunk.iter().map(|&e| u64::from(e)).sum(), owner, first)
        })
        .collect();
    let max = bars.iter().map(|b| b.0).max().unwrap_or(0).max(1);
    let width = 600.0 / bars.len().max(1) as f64;
    html! {
        <svg class="kg-bars" viewBox="0 0 600 60" preserveAspectRatio="none" role="img"
            aria-label={msg::bars_label(l, parallelism)}>
            { for bars.iter().enumerate().map(|(i, &(entries, owner, first))| {
                let h = (entries as f64 / max as f64 * 56.0).max(if entries > 0 { 1.5 } else { 0.0 });
                let last = (first + per_bar).min(groups) - 1;
                html! {
                    <rect x={fixed(i as f64 * width, 2)} y={fixed(58.0 - h, 2)}
                        width={fixed((width - 0.6).max(0.4), 2)} height={fixed(h, 2)}
                        fill={subtask_colour(owner)}>
                        <title>{msg::bar_title(l, first, last, &format::count(entries), owner)}</title>
                    </rect>
                }
            }) }
            <line x1="0" y1="59" x2="600" y2="59" class="axis" />
        </svg>
    }
}

/// What went wrong with a command, next to the control it was given at (the panel brings it into view).
fn error_line(message: String, library: &Library, l: Lang) -> Html {
    let library = library.clone();
    let dismiss = Callback::from(move |_| library.dispatch(LibraryAction::Failed(None)));
    html! {
        <div class="inline-error" role="alert">
            <span data-testid="storage-error">{message}</span>
            <button class="ghost small" aria-label={l.t(&common::DISMISS)} onclick={dismiss}>{"×"}</button>
        </div>
    }
}

/// Where a stored checkpoint came from: a run's label and its job id (random hex, whole in the tooltip, kept as
/// it is: `translate="no"`), or the file or link it was imported from.
fn origin_html(origin: &CheckpointOrigin, run: Option<u32>, l: Lang) -> Html {
    match (origin, run) {
        (CheckpointOrigin::Job { job_id }, Some(run)) => html! {
            <>{msg::run_label(l, run)}{" · "}{l.t(&msg::ORIGIN_JOB)}{" "}<span translate="no" class="code-name" data-testid="job-id" title={job_id.clone()}>{short_job_id(job_id).to_owned()}</span></>
        },
        (other, _) => html! { {origin_text(other, l)} },
    }
}

/// Local wall-clock time of a moment (ms since the epoch, shifted by the time zone's offset then).
fn local_ms(ms: f64) -> f64 {
    ms - js_sys::Date::new(&ms.into()).get_timezone_offset() * 60_000.0
}

/// The row above a run's checkpoints: its label, "this run", what job it was, its parallelism and source as
/// its oldest stored checkpoint has them, and when it started.
fn run_header(
    group: &RunGroup,
    entries: &[StoredCheckpoint],
    current_job: &str,
    now_ms: f64,
    l: Lang,
) -> Html {
    let Some(oldest) = group.rows.last().and_then(|&i| entries.get(i)) else {
        return Html::default();
    };
    let key = format!("run/{}", oldest.key);
    let Some(number) = group.number else {
        return html! {
            <tr key={key} class="run-head" data-testid="stored-run"><th colspan="8">{l.t(&msg::IMPORTED)}</th></tr>
        };
    };
    let mut parts = Vec::new();
    if let Some(job) = oldest.run.as_deref().and_then(RunJob::from_id) {
        parts.push(match job {
            RunJob::Start => l.t(&msg::START_JOB).to_owned(),
            RunJob::Own => l.t(&msg::YOUR_JOB).to_owned(),
            RunJob::Scenario(id) => {
                let title = scenarios::describe(id).map_or(id, |(title, _)| l.t(&title));
                msg::run_of(l, false, title)
            }
            RunJob::Lesson(id) => {
                let title = lessons::find(id).map_or(id, |lesson| l.t(&lesson.title));
                msg::run_of(l, true, title)
            }
        });
    }
    parts.push(format!("p={}", oldest.parallelism));
    if let Some(job) = &oldest.job {
        parts.push(match job.9 {
            Some(events) => msg::replaying(l, &format::count(events)),
            None => msg::run_source(l, &format::count(job.2), &format::count(job.3)),
        });
    }
    let (at, started) = group
        .started_ms
        .map_or((group.first_stored_ms, false), |ms| (ms, true));
    let when = checkpoint_runs::when(local_ms(at), local_ms(now_ms));
    parts.push(msg::run_started(l, &msg::when(l, &when), started));
    let this = oldest.job_id() == Some(current_job);
    html! {
        <tr key={key} class="run-head" data-testid="stored-run" data-run={number.to_string()}>
            <th colspan="8">
                <strong>{msg::run_label(l, number)}</strong>
                if this { {" "}<span class="badge ok" data-testid="this-run">{l.t(&msg::THIS_RUN)}</span> }
                {" · "}{parts.join(" · ")}
            </th>
        </tr>
    }
}

/// What a row's controls ask for (one callback for the row's buttons: a closure each would cost the page's
/// download more than they are worth).
enum RowAction {
    Toggle,
    Restore(u32),
    Export,
    Link,
    Delete,
}

#[derive(Properties)]
struct RowProps {
    entry: StoredCheckpoint,
    /// The label of its run (Run 1, Run 2, …); none for an import.
    run: Option<u32>,
    current_job: String,
    highlighted: bool,
    /// What went wrong with this row's last command.
    error: Option<String>,
}

/// A stored checkpoint never changes under its key: the key tells rows apart.
impl PartialEq for RowProps {
    fn eq(&self, other: &Self) -> bool {
        self.entry.key == other.entry.key
            && self.run == other.run
            && self.current_job == other.current_job
            && self.highlighted == other.highlighted
            && self.error == other.error
    }
}

#[function_component(StoredRow)]
fn stored_row(props: &RowProps) -> Html {
    let sim = use_slow_sim();
    let library = use_context::<Library>().expect("library context");
    let ui = use_ui();
    let expanded = use_state(|| false);
    let parallelism = use_state(|| None::<u32>);
    let e = &props.entry;
    let target = parallelism.unwrap_or(e.parallelism);
    let expanded_now = *expanded;
    let l = ui.lang;

    let act = {
        let (entry, library) = (e.clone(), library.clone());
        Callback::from(move |action: RowAction| match action {
            RowAction::Toggle => expanded.set(!*expanded),
            RowAction::Restore(p) => library::restore(
                entry.clone(),
                Some(p),
                sim.clone(),
                library.clone(),
                ui.clone(),
            ),
            RowAction::Export => library::export(entry.clone(), library.clone()),
            RowAction::Link => library::share_link(entry.clone(), library.clone()),
            RowAction::Delete => library::delete(entry.key.clone(), library.clone()),
        })
    };
    let on = |action: fn(u32) -> RowAction| act.reform(move |_: MouseEvent| action(target));
    let on_parallelism = Callback::from(move |ev: Event| {
        parallelism.set(
            ev.target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .ok(),
        )
    });
    let stored_at = js_sys::Date::new(&e.stored_at_ms.into());
    let stored_at_full = match l {
        Lang::En => stored_at.to_string(),
        Lang::Zh => stored_at.to_locale_string(l.code(), &wasm_bindgen::JsValue::UNDEFINED),
    }
    .as_string()
    .unwrap_or_default();
    let stored_at_text = format!(
        "{:02}:{:02}:{:02}",
        stored_at.get_hours(),
        stored_at.get_minutes(),
        stored_at.get_seconds()
    );
    html! {
        <>
            <tr class={if props.highlighted { "stored-row highlight" } else { "stored-row" }} data-testid="stored-checkpoint"
                data-key={e.key.clone()} data-checkpoint-id={e.checkpoint_id.to_string()}>
                <td>
                    <button class="ghost small" aria-expanded={expanded_now.to_string()} onclick={on(|_| RowAction::Toggle)}
                        title={l.t(&msg::DETAILS_TITLE)}>{ if expanded_now { "▾" } else { "▸" } }</button>
                    {e.checkpoint_id}
                </td>
                <td class="origin" data-testid="stored-origin">
                    {origin_html(&e.origin, props.run, l)}
                </td>
                <td title={stored_at_full}>{stored_at_text}</td>
                <td data-testid="stored-entries">{format::count(e.entries)}</td>
                <td>{format!("{} / {}", e.parallelism, e.max_parallelism)}</td>
                <td title={msg::checkpointed_size(l, &format::bytes(e.state_size))}>{format::bytes(e.blob_bytes)}</td>
                <td title={l.t(&msg::POSITION_TITLE)}>{format::count(e.source_position())}</td>
                <td class="actions">
                    <select data-testid="stored-parallelism" aria-label={l.t(&msg::RESTORE_AT)} onchange={on_parallelism}>
                        { for (1..=MAX_JOB_PARALLELISM).map(|p| html! {
                            <option value={p.to_string()} selected={p == target} disabled={p > e.max_parallelism}>{format!("p={p}")}</option>
                        }) }
                    </select>
                    <button class="small" data-testid="stored-restore" onclick={on(RowAction::Restore)}
                        title={l.t(&msg::RESTORE_TITLE)}>{l.t(&msg::RESTORE)}</button>
                    <button class="small ghost" data-testid="stored-export" onclick={on(|_| RowAction::Export)} title={l.t(&msg::EXPORT_TITLE)}>{l.t(&msg::EXPORT)}</button>
                    <button class="small ghost" data-testid="stored-link" onclick={on(|_| RowAction::Link)} title={l.t(&msg::LINK_TITLE)}>{l.t(&msg::LINK)}</button>
                    <button class="small ghost danger" data-testid="stored-delete" onclick={on(|_| RowAction::Delete)} aria-label={l.t(&msg::DELETE_LABEL)}>{l.t(&msg::DELETE)}</button>
                </td>
            </tr>
            if let Some(message) = props.error.clone() {
                <tr class="row-error"><td colspan="8">{error_line(message, &library, l)}</td></tr>
            }
            if expanded_now {
                <tr class="details"><td colspan="8">
                    if let Some(job) = &e.job {
                        <p class="job-line" data-testid="stored-job">{job_summary(job, l)}</p>
                    }
                    {key_group_bars(&e.key_group_entries, target, l)}
                    <div class="legend">
                        <span>{msg::bars_legend(l, e.max_parallelism, target)}</span>
                        { for (0..target).map(|i| html! {
                            <span class="legend-item"><span class="swatch" style={format!("background:{}", subtask_colour(i))}></span>{common::subtask(l, i)}</span>
                        }) }
                    </div>
                </td></tr>
            }
        </>
    }
}

#[function_component(StoredCheckpointsPanel)]
pub fn stored_checkpoints_panel() -> Html {
    let sim = use_slow_sim();
    let library = use_context::<Library>().expect("library context");
    let ui = use_ui();
    let link_text = use_state(String::new);
    let file_input = use_node_ref();
    let current_job = sim.borrow().job_id().to_owned();
    let l = ui.lang;
    let overlays = use_checkpoint_agent(&sim, &library, &ui);
    let (savepoint_open, savepoint_panel) = use_savepoint_tools(&sim, l);
    // What went wrong is brought into view where it is said — again when it moves (its row gone, it shows by the
    // import controls).
    let row_gone = library.failure_row_gone();
    use_effect_with((library.failure.clone(), row_gone), |(failure, _)| {
        let shown = failure.as_ref().and_then(|_| {
            web_sys::window()?
                .document()?
                .query_selector(".inline-error")
                .ok()?
        });
        if let Some(element) = shown {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            element.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });

    let on_files = {
        let library = library.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = sharing::files(input.files());
            input.set_value("");
            library::import_files(files, library.clone());
        })
    };
    let on_choose = {
        let file_input = file_input.clone();
        Callback::from(move |_| {
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_link_input = {
        let link_text = link_text.clone();
        Callback::from(move |e: InputEvent| {
            link_text.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_open_link = {
        let (library, link_text) = (library.clone(), link_text.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = (*link_text).clone();
            link_text.set(String::new());
            library::offer_link(text, library.clone());
        })
    };
    let on_reopen = {
        let library = library.clone();
        Callback::from(move |_| library::open(library.clone()))
    };

    let status = match &library.storage {
        StorageStatus::Opening => l.t(&msg::OPENING).to_owned(),
        StorageStatus::Blocked => l.t(&msg::BLOCKED).to_owned(),
        StorageStatus::Closed => l.t(&msg::CLOSED).to_owned(),
        StorageStatus::Unavailable(e) => msg::unavailable_status(l, &e.message(l)),
        StorageStatus::Ready(_) => {
            let mut s = msg::indexed_db(
                l,
                l.t(match library.persistent {
                    Some(true) => &msg::PERSISTENT,
                    Some(false) => &msg::BEST_EFFORT,
                    None => &msg::ASKING,
                }),
            );
            if let (Some(usage), Some(quota)) = (library.usage, library.quota) {
                s.push_str(&msg::used_of(
                    l,
                    &format::bytes(usage as u64),
                    &format::bytes(quota as u64),
                ));
            }
            if let Some(id) = library.saving {
                s.push_str(&msg::storing(l, id));
            }
            if library.full {
                s.push_str(l.t(&msg::FULL));
            }
            s
        }
    };
    let total: u64 = library.entries.iter().map(|e| e.blob_bytes).sum();
    let groups = library.runs();
    let now_ms = js_sys::Date::now();
    // A row's error shows under the row; one whose row is gone (deleted elsewhere) under the import controls.
    let import_error = library.failure_at_import().map(|e| e.message(l));

    html! {
        <section class="panel stored" aria-label={l.t(&msg::LABEL)} data-testid="stored-checkpoints">
            <div class="panel-head">
                <h2>{l.t(&msg::TITLE)}</h2>
                <span class="hint" data-testid="storage-status">{status}</span>
                if matches!(library.storage, StorageStatus::Closed) {
                    <button class="small" data-testid="storage-reopen" onclick={on_reopen}>{l.t(&msg::REOPEN)}</button>
                }
            </div>
            <div class="import-row">
                <input ref={file_input} type="file" accept=".slcp,application/octet-stream" multiple=true
                    class="visually-hidden" data-testid="import-file" onchange={on_files} tabindex="-1"
                    aria-label={l.t(&msg::IMPORT_FILE_TITLE)} />
                <button class="small" data-testid="import-file-choose" onclick={on_choose} title={l.t(&msg::IMPORT_FILE_TITLE)}>{l.t(&msg::IMPORT_FILE)}</button>
                {savepoint_open}
                <form class="inline link-form" onsubmit={on_open_link}>
                    <input type="text" data-testid="import-link" placeholder={l.t(&msg::LINK_PLACEHOLDER)} translate="no"
                        value={(*link_text).clone()} oninput={on_link_input} aria-label={l.t(&msg::LINK_LABEL)} />
                    <button type="submit" class="small" data-testid="import-link-open">{l.t(&msg::IMPORT_LINK)}</button>
                </form>
                <span class="hint">{l.t(&msg::OR_DROP)}</span>
            </div>
            if let Some(message) = import_error {
                {error_line(message, &library, l)}
            }
            if let Some(busy) = &library.busy {
                <div class="busy" data-testid="storage-busy" role="status"><span class="spinner" aria-hidden="true"></span>{busy.message(l)}</div>
            }
            if let Some(notice) = &library.notice {
                <div class="notice" data-testid="storage-notice" role="status">{notice.message(l)}</div>
            }
            if let Some((_, link)) = &library.link {
                <label class="share-link">{l.t(&msg::SHARE_LINK)}
                    <input type="text" readonly=true data-testid="share-link" value={link.clone()} translate="no"
                        onfocus={Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlInputElement>().select())} />
                </label>
            }
            if library.entries.is_empty() {
                // While opening, blocked or closed, the status line says what is going on.
                if let StorageStatus::Ready(_) | StorageStatus::Unavailable(_) = &library.storage {
                    <p class="empty">{ l.t(match &library.storage {
                        StorageStatus::Ready(_) => &msg::NOTHING_STORED,
                        _ => &msg::CANNOT_STORE,
                    }) }</p>
                }
            } else {
                <div class="table-scroll" tabindex="0" role="region" aria-label={l.t(&msg::TITLE)}>
                    <table class="cp-table stored-table" data-testid="stored-list">
                        <thead>{header_row(l, &[msg::COL_ID, msg::COL_FROM, msg::COL_STORED, msg::COL_KEYS, msg::COL_LAYOUT,
                            msg::COL_SIZE, msg::COL_POSITION, msg::COL_ACTIONS])}</thead>
                        <tbody>
                            { for groups.iter().map(|g| html! { <>
                                {run_header(g, &library.entries, &current_job, now_ms, l)}
                                { for g.rows.iter().filter_map(|&i| library.entries.get(i)).map(|e| html! {
                                    <StoredRow key={e.key.clone()} entry={e.clone()} run={g.number} current_job={current_job.clone()}
                                        highlighted={library.highlight.as_deref() == Some(e.key.as_str())}
                                        error={library.failure_at_entry(&e.key).map(|e| e.message(l))} />
                                }) }
                            </> }) }
                        </tbody>
                    </table>
                </div>
                <p class="hint">{msg::totals(l, library.entries.len(), &format::bytes(total))}</p>
            }
            {savepoint_panel}
            {overlays}
        </section>
    }
}
