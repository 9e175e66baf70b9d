//! Stored checkpoints: what browser storage keeps across reloads (this job's, other tabs' and earlier runs',
//! imported ones), with where each came from, its job configuration and its key groups drawn by size;
//! starting a job from any of them at any parallelism; export as a file, share as a link, delete; import
//! from a file or a pasted link. Long work shows its progress; errors go to the page's error banner.

use crate::engine::job_config::{CheckpointingMode, JobConfig, MAX_JOB_PARALLELISM};
use crate::engine::key_distribution::KeyDistribution;
use crate::engine::key_group_range_assignment::compute_operator_index_for_key_group;
use crate::web::checkpoint_library::{self as library, origin_text, Library, StorageStatus};
use crate::web::checkpoint_storage::StoredCheckpoint;
use crate::web::context::{SlowSim, Ui};
use crate::web::format;
use crate::web::sharing;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// At most this many bars in a key-group picture (neighbouring key groups are summed).
const BARS: usize = 128;

/// The colour of subtask `i` in pictures of key-group layouts.
fn subtask_colour(i: u32) -> String {
    format!("hsl({}, 62%, 50%)", (i * 47 + 205) % 360)
}

/// One line about a job configuration, in Flink's words.
fn job_summary(job: &JobConfig) -> String {
    let distribution = match &job.source.distribution {
        KeyDistribution::Uniform => "uniform".to_owned(),
        KeyDistribution::Zipf { exponent } => format!("Zipf s={exponent}"),
        KeyDistribution::HotKey { key, fraction } => {
            format!("hot key #{key} ({:.0} %)", fraction * 100.0)
        }
        KeyDistribution::Sequential => "sequential".to_owned(),
    };
    let keys = match &job.source.replay {
        Some(list) => format!("replaying {} events", format::count(list.len() as u64)),
        None => format!(
            "{} {} keys, {distribution}",
            format::count(job.source.key_count),
            job.source.key_format.key_type.java_name()
        ),
    };
    format!(
        "{keys} · {}/s from {} source subtask{} · checkpoints {} {} · retained {} · seed {}",
        format::count(job.source.rate),
        job.source.parallelism,
        if job.source.parallelism == 1 { "" } else { "s" },
        job.checkpointing
            .interval_ms
            .map_or("on demand".to_owned(), |ms| format!("every {ms} ms")),
        match job.checkpointing.mode {
            CheckpointingMode::ExactlyOnce => "EXACTLY_ONCE",
            CheckpointingMode::AtLeastOnce => "AT_LEAST_ONCE",
        },
        job.checkpointing.retained,
        job.seed
    )
}

#[derive(Properties, PartialEq)]
struct KeyGroupBarsProps {
    entries: Vec<u32>,
    /// Parallelism whose subtasks colour the bars.
    parallelism: u32,
}

/// Entries per key group as bars, coloured by the subtask that owns them at `parallelism`: what a restore at
/// that parallelism hands each subtask.
#[function_component(KeyGroupBars)]
fn key_group_bars(props: &KeyGroupBarsProps) -> Html {
    let groups = props.entries.len().max(1);
    let per_bar = groups.div_ceil(BARS);
    let bars: Vec<(u64, u32, usize)> = props
        .entries
        .chunks(per_bar)
        .enumerate()
        .map(|(b, chunk)| {
            let first = b * per_bar;
            let owner = compute_operator_index_for_key_group(
                groups as i32,
                props.parallelism as i32,
                first as i32,
            ) as u32;
            (chunk.iter().map(|&e| u64::from(e)).sum(), owner, first)
        })
        .collect();
    let max = bars.iter().map(|b| b.0).max().unwrap_or(0).max(1);
    let width = 600.0 / bars.len().max(1) as f64;
    html! {
        <svg class="kg-bars" viewBox="0 0 600 60" preserveAspectRatio="none" role="img"
            aria-label={format!("entries per key group, coloured by subtask at parallelism {}", props.parallelism)}>
            { for bars.iter().enumerate().map(|(i, &(entries, owner, first))| {
                let h = (entries as f64 / max as f64 * 56.0).max(if entries > 0 { 1.5 } else { 0.0 });
                let last = (first + per_bar).min(groups) - 1;
                html! {
                    <rect x={format!("{:.2}", i as f64 * width)} y={format!("{:.2}", 58.0 - h)}
                        width={format!("{:.2}", (width - 0.6).max(0.4))} height={format!("{h:.2}")}
                        fill={subtask_colour(owner)}>
                        <title>{ if first == last { format!("key group {first}: {} entries → subtask {owner}", format::count(entries)) }
                                 else { format!("key groups {first}–{last}: {} entries → subtask {owner}", format::count(entries)) } }</title>
                    </rect>
                }
            }) }
            <line x1="0" y1="59" x2="600" y2="59" class="axis" />
        </svg>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    entry: StoredCheckpoint,
    current_job: String,
    highlighted: bool,
}

#[function_component(StoredRow)]
fn stored_row(props: &RowProps) -> Html {
    let SlowSim(sim) = use_context::<SlowSim>().expect("slow sim context");
    let library = use_context::<Library>().expect("library context");
    let ui = use_context::<Ui>().expect("ui context");
    let expanded = use_state(|| false);
    let parallelism = use_state(|| None::<u32>);
    let e = &props.entry;
    let target = parallelism.unwrap_or(e.parallelism);

    let on_parallelism = {
        let parallelism = parallelism.clone();
        Callback::from(move |ev: Event| {
            parallelism.set(
                ev.target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .parse()
                    .ok(),
            )
        })
    };
    let on_restore = {
        let (key, sim, library, ui) = (e.key.clone(), sim.clone(), library.clone(), ui.clone());
        Callback::from(move |_| {
            library::restore(
                key.clone(),
                Some(target),
                sim.clone(),
                library.clone(),
                ui.clone(),
            )
        })
    };
    let on_export = {
        let (entry, library, ui) = (e.clone(), library.clone(), ui.clone());
        Callback::from(move |_| library::export(entry.clone(), library.clone(), ui.clone()))
    };
    let on_link = {
        let (entry, library, ui) = (e.clone(), library.clone(), ui.clone());
        Callback::from(move |_| library::share_link(entry.clone(), library.clone(), ui.clone()))
    };
    let on_delete = {
        let (key, library, ui) = (e.key.clone(), library.clone(), ui.clone());
        Callback::from(move |_| library::delete(vec![key.clone()], library.clone(), ui.clone()))
    };
    let toggle = {
        let expanded = expanded.clone();
        Callback::from(move |_| expanded.set(!*expanded))
    };
    let this_job = e.job_id() == Some(props.current_job.as_str());
    let origin = if this_job {
        format!("{} (running)", origin_text(&e.origin))
    } else {
        origin_text(&e.origin)
    };
    let stored_at = js_sys::Date::new(&e.stored_at_ms.into());
    let stored_at = format!(
        "{:02}:{:02}:{:02}",
        stored_at.get_hours(),
        stored_at.get_minutes(),
        stored_at.get_seconds()
    );
    html! {
        <>
            <tr class={classes!("stored-row", props.highlighted.then_some("highlight"))} data-testid="stored-checkpoint"
                data-key={e.key.clone()} data-checkpoint-id={e.checkpoint_id.to_string()}>
                <td>
                    <button class="ghost small" aria-expanded={expanded.to_string()} onclick={toggle}
                        title="job configuration and key groups">{ if *expanded { "▾" } else { "▸" } }</button>
                    {e.checkpoint_id}
                </td>
                <td class="origin" data-testid="stored-origin" title={e.key.clone()}>{origin}</td>
                <td title={js_sys::Date::new(&e.stored_at_ms.into()).to_string().as_string().unwrap_or_default()}>{stored_at}</td>
                <td data-testid="stored-entries">{format::count(e.entries)}</td>
                <td>{format!("{} / {}", e.parallelism, e.max_parallelism)}</td>
                <td title={format!("checkpointed data size (Flink's format): {}", format::bytes(e.state_size))}>{format::bytes(e.blob_bytes)}</td>
                <td title="events the sources had emitted">{format::count(e.source_position())}</td>
                <td class="actions">
                    <select data-testid="stored-parallelism" aria-label="restore at parallelism" onchange={on_parallelism}>
                        { for (1..=MAX_JOB_PARALLELISM).map(|p| html! {
                            <option value={p.to_string()} selected={p == target} disabled={p > e.max_parallelism}>{format!("p={p}")}</option>
                        }) }
                    </select>
                    <button class="small" data-testid="stored-restore" onclick={on_restore}
                        title="start a new job from this checkpoint">{"Restore"}</button>
                    <button class="small ghost" data-testid="stored-export" onclick={on_export} title="download as a file">{"Export"}</button>
                    <button class="small ghost" data-testid="stored-link" onclick={on_link} title="copy a link that carries it">{"Link"}</button>
                    <button class="small ghost danger" data-testid="stored-delete" onclick={on_delete} aria-label="delete">{"Delete"}</button>
                </td>
            </tr>
            if *expanded {
                <tr class="details"><td colspan="8">
                    <p class="job-line" data-testid="stored-job">{job_summary(&e.job)}</p>
                    <KeyGroupBars entries={e.key_group_entries.clone()} parallelism={target} />
                    <div class="legend">
                        <span>{format!("{} key groups; entries per key group, coloured by the subtask that restores them at p={target}", e.max_parallelism)}</span>
                        { for (0..target).map(|i| html! {
                            <span class="legend-item"><span class="swatch" style={format!("background:{}", subtask_colour(i))}></span>{format!("subtask {i}")}</span>
                        }) }
                    </div>
                </td></tr>
            }
        </>
    }
}

#[function_component(StoredCheckpointsPanel)]
pub fn stored_checkpoints_panel() -> Html {
    let SlowSim(sim) = use_context::<SlowSim>().expect("slow sim context");
    let library = use_context::<Library>().expect("library context");
    let ui = use_context::<Ui>().expect("ui context");
    let link_text = use_state(String::new);
    let file_input = use_node_ref();
    let current_job = sim.borrow().job_id.clone();

    let on_files = {
        let (library, ui) = (library.clone(), ui.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let files = sharing::files(input.files());
            input.set_value("");
            library::import_files(files, library.clone(), ui.clone());
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
        let (library, ui, sim, link_text) =
            (library.clone(), ui.clone(), sim.clone(), link_text.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = (*link_text).clone();
            link_text.set(String::new());
            library::import_link(text, false, sim.clone(), library.clone(), ui.clone());
        })
    };

    let status = match &library.storage {
        StorageStatus::Opening => "opening IndexedDB…".to_owned(),
        StorageStatus::Unavailable(why) => format!("not available: {why}"),
        StorageStatus::Ready(_) => {
            let mut s = format!(
                "IndexedDB, {}",
                match library.persistent {
                    Some(true) => "persistent",
                    Some(false) => "best-effort (the browser may clear it under storage pressure)",
                    None => "asking for persistent storage…",
                }
            );
            if let (Some(usage), Some(quota)) = (library.usage, library.quota) {
                s.push_str(&format!(
                    " · {} used of {}",
                    format::bytes(usage as u64),
                    format::bytes(quota as u64)
                ));
            }
            if let Some(id) = library.saving {
                s.push_str(&format!(" · storing checkpoint {id}…"));
            }
            if library.full {
                s.push_str(" · FULL: storing paused until something is deleted");
            }
            s
        }
    };
    let total: u64 = library.entries.iter().map(|e| e.blob_bytes).sum();

    html! {
        <section class="panel stored" aria-label="stored checkpoints" data-testid="stored-checkpoints">
            <div class="panel-head">
                <h2>{"Stored checkpoints"}</h2>
                <span class="hint" data-testid="storage-status">{status}</span>
            </div>
            <div class="import-row">
                <input ref={file_input} type="file" accept=".slcp,application/octet-stream" multiple=true
                    class="visually-hidden" data-testid="import-file" onchange={on_files} tabindex="-1" />
                <button class="small" onclick={on_choose} title="import checkpoint files (.slcp); you can also drop them on the page">{"Import file…"}</button>
                <form class="inline link-form" onsubmit={on_open_link}>
                    <input type="text" data-testid="import-link" placeholder="paste a StateLab link (…#checkpoint=…)"
                        value={(*link_text).clone()} oninput={on_link_input} aria-label="StateLab link to import" />
                    <button type="submit" class="small" data-testid="import-link-open">{"Import link"}</button>
                </form>
                <span class="hint">{"or drop .slcp files anywhere on the page"}</span>
            </div>
            if let Some(busy) = &library.busy {
                <div class="busy" data-testid="storage-busy" role="status"><span class="spinner" aria-hidden="true"></span>{busy}</div>
            }
            if let Some(notice) = &library.notice {
                <div class="notice" data-testid="storage-notice" role="status">{notice}</div>
            }
            if let Some((_, link)) = &library.link {
                <label class="share-link">{"share link"}
                    <input type="text" readonly=true data-testid="share-link" value={link.clone()}
                        onfocus={Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlInputElement>().select())} />
                </label>
            }
            if library.entries.is_empty() {
                <p class="empty">{ match &library.storage {
                    StorageStatus::Ready(_) => "Nothing stored yet. Completed checkpoints of the running job are stored here as they complete (the newest `retained` of each job), and survive reloads.",
                    _ => "Checkpoints cannot be stored in this browser; export and import still work while the page is open.",
                } }</p>
            } else {
                <div class="table-scroll">
                    <table class="cp-table stored-table" data-testid="stored-list">
                        <thead><tr><th>{"ID"}</th><th>{"From"}</th><th>{"Stored"}</th><th>{"Keys"}</th><th>{"p / maxP"}</th>
                            <th>{"Size"}</th><th>{"Position"}</th><th>{"Restore at · Export · Link · Delete"}</th></tr></thead>
                        <tbody>
                            { for library.entries.iter().map(|e| html! {
                                <StoredRow key={e.key.clone()} entry={e.clone()} current_job={current_job.clone()}
                                    highlighted={library.highlight.as_deref() == Some(e.key.as_str())} />
                            }) }
                        </tbody>
                    </table>
                </div>
                <p class="hint">{format!("{} stored, {} in all.", library.entries.len(), format::bytes(total))}</p>
            }
        </section>
    }
}
