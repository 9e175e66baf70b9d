//! The stored-checkpoints panel and the link dialog as HTML, written by the checkpoint library's worker from its
//! [`LibraryState`], so that the page carries neither their words nor the code that lays them out (as the
//! savepoint tools' panel, [`super::panel`]): the page puts the parts in place as they are
//! (`web::library_host`) around what it keeps itself — the import controls, the link field, the drop target —
//! and reacts to the controls by their `data-act` (the row's `data-key` says which checkpoint). Every text that
//! comes from a blob, a file name or a link is escaped.

use super::panel::{element, escape};
use crate::engine::checkpoint::decimal::{fixed, Shortest};
use crate::engine::cluster::job_config::{CheckpointingMode, MAX_JOB_PARALLELISM};
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range_assignment::compute_operator_index_for_key_group;
use crate::engine::source::key_distribution::KeyDistribution;
use crate::i18n::messages::{common, scenarios, storage as msg};
use crate::i18n::{Lang, Text};
use crate::player::checkpoint_library::{LibraryState, LinkOffer, StorageStatus};
use crate::player::checkpoint_runs::{self, RunGroup, RunJob};
use crate::player::format;
use crate::player::library_words::{origin_text, short_job_id};
use crate::player::stored_checkpoint::{CheckpointOrigin, StoredCheckpoint, StoredJob};
use crate::teaching::lessons;
use std::fmt::Write;

/// At most this many bars in a key-group picture (neighbouring key groups are summed).
const BARS: usize = 128;

/// What the reader opened and chose in the panel, beside what storage holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PanelView {
    /// The rows whose details are open, by key.
    pub expanded: Vec<String>,
    /// The parallelism chosen to restore each row at (by key); a row not here restores at its own.
    pub targets: Vec<(String, u32)>,
    /// The running job's id: its run is marked "this run".
    pub current_job: String,
}

impl PanelView {
    pub fn target(&self, entry: &StoredCheckpoint) -> u32 {
        self.targets
            .iter()
            .find(|(key, _)| *key == entry.key)
            .map_or(entry.parallelism, |&(_, p)| p)
    }

    pub fn toggle(&mut self, key: &str) {
        match self.expanded.iter().position(|k| k == key) {
            Some(i) => {
                self.expanded.remove(i);
            }
            None => self.expanded.push(key.to_owned()),
        }
    }

    pub fn choose(&mut self, key: &str, parallelism: u32) {
        self.targets.retain(|(k, _)| k != key);
        self.targets.push((key.to_owned(), parallelism));
    }
}

/// Wall-clock time where the reader is: the worker asks the browser, tests a fixed zone.
pub trait LocalTime {
    /// The moment's local wall-clock time (ms since the epoch, shifted by the time zone's offset then).
    fn local_ms(&self, ms: f64) -> f64;
    /// The moment in full, as the browser says it in the language.
    fn full(&self, ms: f64, l: Lang) -> String;
}

/// The panel's parts: its status (in its head, after the title), its body (after the import controls) and the
/// link dialog (empty when no link is offered).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parts {
    pub status: String,
    pub body: String,
    pub dialog: String,
}

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

/// The status line: storage opening, blocked, closed (with a button to reopen) or unavailable, or ready with
/// what it holds of the browser's quota, what is being stored, and a pause on a full quota.
fn status<S>(library: &LibraryState<S>, l: Lang) -> String {
    let text = match &library.storage {
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
    let mut out = String::new();
    element(
        &mut out,
        "<span class=\"hint\" data-testid=\"storage-status\">",
        &text,
        "</span>",
    );
    if matches!(library.storage, StorageStatus::Closed) {
        element(
            &mut out,
            "<button class=\"small\" data-act=\"reopen\" data-testid=\"storage-reopen\">",
            l.t(&msg::REOPEN),
            "</button>",
        );
    }
    out
}

/// What went wrong with a command, next to the control it was given at (the page brings it into view).
fn error_line(out: &mut String, message: &str, l: Lang) {
    element(
        out,
        "<div class=\"inline-error\" role=\"alert\"><span data-testid=\"storage-error\">",
        message,
        "</span>",
    );
    element(
        out,
        "<button class=\"ghost small\" data-act=\"dismiss\" aria-label=\"",
        l.t(&common::DISMISS),
        "\">×</button></div>",
    );
}

/// Entries per key group as bars, coloured by the subtask that owns them at `parallelism`: what a restore at
/// that parallelism hands each subtask.
fn key_group_bars(out: &mut String, entries: &[u32], parallelism: u32, l: Lang) {
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
    element(
        out,
        "<svg class=\"kg-bars\" viewBox=\"0 0 600 60\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"",
        &msg::bars_label(l, parallelism),
        "\">",
    );
    for (i, &(entries, owner, first)) in bars.iter().enumerate() {
        let h = (entries as f64 / max as f64 * 56.0).max(if entries > 0 { 1.5 } else { 0.0 });
        let last = (first + per_bar).min(groups) - 1;
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\">",
            fixed(i as f64 * width, 2),
            fixed(58.0 - h, 2),
            fixed((width - 0.6).max(0.4), 2),
            fixed(h, 2),
            subtask_colour(owner)
        );
        element(
            out,
            "<title>",
            &msg::bar_title(l, first, last, &format::count(entries), owner),
            "</title></rect>",
        );
    }
    out.push_str("<line x1=\"0\" y1=\"59\" x2=\"600\" y2=\"59\" class=\"axis\"></line></svg>");
}

/// The row above a run's checkpoints: its label, "this run", what job it was, its parallelism and source as
/// its oldest stored checkpoint has them, and when it started.
fn run_header(
    out: &mut String,
    group: &RunGroup,
    entries: &[StoredCheckpoint],
    current_job: &str,
    (now_ms, time): (f64, &dyn LocalTime),
    l: Lang,
) {
    let Some(oldest) = group.rows.last().and_then(|&i| entries.get(i)) else {
        return;
    };
    let Some(number) = group.number else {
        element(
            out,
            "<tr class=\"run-head\" data-testid=\"stored-run\"><th colspan=\"8\">",
            l.t(&msg::IMPORTED),
            "</th></tr>",
        );
        return;
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
    let when = checkpoint_runs::when(time.local_ms(at), time.local_ms(now_ms));
    parts.push(msg::run_started(l, &msg::when(l, &when), started));
    let _ = write!(
        out,
        "<tr class=\"run-head\" data-testid=\"stored-run\" data-run=\"{number}\"><th colspan=\"8\">"
    );
    element(out, "<strong>", &msg::run_label(l, number), "</strong>");
    if oldest.job_id() == Some(current_job) {
        element(
            out,
            " <span class=\"badge ok\" data-testid=\"this-run\">",
            l.t(&msg::THIS_RUN),
            "</span>",
        );
    }
    element(out, " · ", &parts.join(" · "), "</th></tr>");
}

/// Where a stored checkpoint came from: a run's label and its job id (random hex, whole in the tooltip, kept as
/// it is: `translate="no"`), or the file or link it was imported from.
fn origin(out: &mut String, origin: &CheckpointOrigin, run: Option<u32>, l: Lang) {
    match (origin, run) {
        (CheckpointOrigin::Job { job_id }, Some(run)) => {
            escape(&msg::run_label(l, run), out);
            out.push_str(" · ");
            escape(l.t(&msg::ORIGIN_JOB), out);
            element(
                out,
                " <span translate=\"no\" class=\"code-name\" data-testid=\"job-id\" title=\"",
                job_id,
                "\">",
            );
            element(out, "", short_job_id(job_id), "</span>");
        }
        (other, _) => escape(&origin_text(other, l), out),
    }
}

/// `HH:MM:SS` of a local wall-clock time.
fn clock_time(local_ms: f64) -> String {
    let seconds = if local_ms.is_finite() {
        (local_ms / 1000.0).floor() as i64
    } else {
        0
    }
    .rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

fn button(out: &mut String, class: &str, act: &str, label: &str, title: (&str, &str)) {
    let _ = write!(
        out,
        "<button class=\"{class}\" data-act=\"{act}\" data-testid=\"stored-{act}\" {}=\"",
        title.0
    );
    escape(title.1, out);
    element(out, "\">", label, "</button>");
}

/// A stored checkpoint's row, what went wrong with its last command, and its details when open.
fn row<S>(
    out: &mut String,
    library: &LibraryState<S>,
    (e, run): (&StoredCheckpoint, Option<u32>),
    view: &PanelView,
    time: &dyn LocalTime,
    l: Lang,
) {
    let target = view.target(e);
    let expanded = view.expanded.contains(&e.key);
    let highlighted = library.highlight.as_deref() == Some(e.key.as_str());
    let _ = write!(
        out,
        "<tr class=\"stored-row{}\" data-testid=\"stored-checkpoint\" data-key=\"",
        if highlighted { " highlight" } else { "" }
    );
    escape(&e.key, out);
    let _ = write!(
        out,
        "\" data-checkpoint-id=\"{}\"><td><button class=\"ghost small\" data-act=\"toggle\" aria-expanded=\"{expanded}\" title=\"",
        e.checkpoint_id
    );
    escape(l.t(&msg::DETAILS_TITLE), out);
    let _ = write!(
        out,
        "\">{}</button>{}</td><td class=\"origin\" data-testid=\"stored-origin\">",
        if expanded { "▾" } else { "▸" },
        e.checkpoint_id
    );
    origin(out, &e.origin, run, l);
    element(
        out,
        "</td><td title=\"",
        &time.full(e.stored_at_ms, l),
        "\">",
    );
    let _ = write!(
        out,
        "{}</td><td data-testid=\"stored-entries\">{}</td><td>{} / {}</td>",
        clock_time(time.local_ms(e.stored_at_ms)),
        format::count(e.entries),
        e.parallelism,
        e.max_parallelism
    );
    element(
        out,
        "<td title=\"",
        &msg::checkpointed_size(l, &format::bytes(e.state_size)),
        "\">",
    );
    out.push_str(&format::bytes(e.blob_bytes));
    element(out, "</td><td title=\"", l.t(&msg::POSITION_TITLE), "\">");
    out.push_str(&format::count(e.source_position()));
    element(
        out,
        "</td><td class=\"actions\"><select data-act=\"parallelism\" data-testid=\"stored-parallelism\" aria-label=\"",
        l.t(&msg::RESTORE_AT),
        "\">",
    );
    for p in 1..=MAX_JOB_PARALLELISM {
        let _ = write!(
            out,
            "<option value=\"{p}\"{}{}>p={p}</option>",
            if p == target { " selected" } else { "" },
            if p > e.max_parallelism {
                " disabled"
            } else {
                ""
            }
        );
    }
    out.push_str("</select>");
    button(
        out,
        "small",
        "restore",
        l.t(&msg::RESTORE),
        ("title", l.t(&msg::RESTORE_TITLE)),
    );
    button(
        out,
        "small ghost",
        "export",
        l.t(&msg::EXPORT),
        ("title", l.t(&msg::EXPORT_TITLE)),
    );
    button(
        out,
        "small ghost",
        "link",
        l.t(&msg::LINK),
        ("title", l.t(&msg::LINK_TITLE)),
    );
    button(
        out,
        "small ghost danger",
        "delete",
        l.t(&msg::DELETE),
        ("aria-label", l.t(&msg::DELETE_LABEL)),
    );
    out.push_str("</td></tr>");
    if let Some(error) = library.failure_at_entry(&e.key) {
        out.push_str("<tr class=\"row-error\"><td colspan=\"8\">");
        error_line(out, &error.message(l), l);
        out.push_str("</td></tr>");
    }
    if expanded {
        out.push_str("<tr class=\"details\"><td colspan=\"8\">");
        if let Some(job) = &e.job {
            element(
                out,
                "<p class=\"job-line\" data-testid=\"stored-job\">",
                &job_summary(job, l),
                "</p>",
            );
        }
        key_group_bars(out, &e.key_group_entries, target, l);
        element(
            out,
            "<div class=\"legend\"><span>",
            &msg::bars_legend(l, e.max_parallelism, target),
            "</span>",
        );
        for i in 0..target {
            let _ = write!(
                out,
                "<span class=\"legend-item\"><span class=\"swatch\" style=\"background:{}\"></span>",
                subtask_colour(i)
            );
            element(out, "", &common::subtask(l, i), "</span>");
        }
        out.push_str("</div></td></tr>");
    }
}

/// The panel's body: what went wrong at the import controls, long work under way, what the last command did,
/// a share link made, and the stored checkpoints grouped by run (or why there are none).
fn body<S>(
    library: &LibraryState<S>,
    view: &PanelView,
    (now_ms, time): (f64, &dyn LocalTime),
    l: Lang,
) -> String {
    let mut out = String::new();
    // A row's error shows under the row; one whose row is gone (deleted elsewhere) under the import controls.
    if let Some(error) = library.failure_at_import() {
        error_line(&mut out, &error.message(l), l);
    }
    if let Some(busy) = &library.busy {
        element(
            &mut out,
            "<div class=\"busy\" data-testid=\"storage-busy\" role=\"status\"><span class=\"spinner\" aria-hidden=\"true\"></span>",
            &busy.message(l),
            "</div>",
        );
    }
    if let Some(notice) = &library.notice {
        element(
            &mut out,
            "<div class=\"notice\" data-testid=\"storage-notice\" role=\"status\">",
            &notice.message(l),
            "</div>",
        );
    }
    if let Some((_, link)) = &library.link {
        element(
            &mut out,
            "<label class=\"share-link\">",
            l.t(&msg::SHARE_LINK),
            "",
        );
        element(
            &mut out,
            "<input type=\"text\" readonly data-testid=\"share-link\" translate=\"no\" value=\"",
            link,
            "\"></label>",
        );
    }
    if library.entries.is_empty() {
        // While opening, blocked or closed, the status line says what is going on.
        let empty = match &library.storage {
            StorageStatus::Ready(_) => Some(&msg::NOTHING_STORED),
            StorageStatus::Unavailable(_) => Some(&msg::CANNOT_STORE),
            _ => None,
        };
        if let Some(text) = empty {
            element(&mut out, "<p class=\"empty\">", l.t(text), "</p>");
        }
        return out;
    }
    element(
        &mut out,
        "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"",
        l.t(&msg::TITLE),
        "\"><table class=\"cp-table stored-table\" data-testid=\"stored-list\"><thead><tr>",
    );
    let columns: [Text; 8] = [
        msg::COL_ID,
        msg::COL_FROM,
        msg::COL_STORED,
        msg::COL_KEYS,
        msg::COL_LAYOUT,
        msg::COL_SIZE,
        msg::COL_POSITION,
        msg::COL_ACTIONS,
    ];
    for title in &columns {
        element(&mut out, "<th>", l.t(title), "</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for group in library.runs() {
        run_header(
            &mut out,
            &group,
            &library.entries,
            &view.current_job,
            (now_ms, time),
            l,
        );
        for e in group.rows.iter().filter_map(|&i| library.entries.get(i)) {
            row(&mut out, library, (e, group.number), view, time, l);
        }
    }
    out.push_str("</tbody></table></div>");
    let total: u64 = library.entries.iter().map(|e| e.blob_bytes).sum();
    element(
        &mut out,
        "<p class=\"hint\">",
        &msg::totals(l, library.entries.len(), &format::bytes(total)),
        "</p>",
    );
    out
}

/// The dialog for the link being opened, if any: what the link holds and what to do with it, or why it cannot
/// be opened. Modal: the page moves focus to its first button (`data-first`), takes Tab round at the two
/// `data-round` ends, and cancels on Escape and on a click outside.
fn dialog<S>(library: &LibraryState<S>, l: Lang) -> String {
    let Some(offer) = &library.offer else {
        return String::new();
    };
    let mut out = String::from(
        "<div class=\"overlay\" data-testid=\"link-overlay\"><span tabindex=\"0\" data-round=\"last\"></span>\
         <div class=\"dialog link-dialog\" role=\"dialog\" aria-modal=\"true\" data-testid=\"link-dialog\" \
         aria-labelledby=\"link-dialog-title\" aria-describedby=\"link-dialog-note\">",
    );
    match offer {
        LinkOffer::Checked { checkpoint, .. } => {
            let c = checkpoint.as_ref();
            element(
                &mut out,
                "<h2 id=\"link-dialog-title\">",
                l.t(&msg::LINK_DIALOG_TITLE),
                "</h2><dl class=\"link-facts\">",
            );
            let facts = [
                (
                    &msg::LINK_JOB,
                    "link-job",
                    c.job
                        .as_ref()
                        .map(|job| job_summary(job, l))
                        .unwrap_or_default(),
                ),
                (
                    &msg::LINK_CHECKPOINT,
                    "link-checkpoint",
                    c.checkpoint_id.to_string(),
                ),
                (
                    &msg::LINK_LAYOUT,
                    "link-layout",
                    msg::link_layout(l, c.parallelism, c.max_parallelism),
                ),
                (&msg::LINK_KEYS, "link-keys", format::count(c.entries)),
                (&msg::LINK_SIZE, "link-size", format::bytes(c.blob_bytes)),
            ];
            for (label, testid, value) in facts {
                element(&mut out, "<dt>", l.t(label), "</dt>");
                element(
                    &mut out,
                    &format!("<dd data-testid=\"{testid}\">"),
                    &value,
                    "</dd>",
                );
            }
            element(
                &mut out,
                "</dl><p id=\"link-dialog-note\" class=\"hint\">",
                l.t(&msg::LINK_DIALOG_NOTE),
                "</p><div class=\"dialog-actions\">",
            );
            element(
                &mut out,
                "<button class=\"primary\" data-first data-act=\"link-restore\" data-testid=\"link-restore\">",
                l.t(&msg::RESTORE_NOW),
                "",
            );
            element(
                &mut out,
                "<span class=\"button-note\">",
                l.t(&msg::RESTORE_NOW_NOTE),
                "</span></button>",
            );
            let keep = if !matches!(library.storage, StorageStatus::Ready(_)) {
                "<button data-act=\"link-keep\" data-testid=\"link-keep\" disabled>"
            } else {
                "<button data-act=\"link-keep\" data-testid=\"link-keep\">"
            };
            element(&mut out, keep, l.t(&msg::KEEP_ONLY), "</button>");
            element(
                &mut out,
                "<button class=\"ghost\" data-last data-act=\"link-cancel\" data-testid=\"link-cancel\">",
                l.t(&msg::CANCEL),
                "</button></div>",
            );
        }
        LinkOffer::Failed(error) => {
            element(
                &mut out,
                "<h2 id=\"link-dialog-title\">",
                l.t(&msg::LINK_REFUSED_TITLE),
                "</h2>",
            );
            element(
                &mut out,
                "<p id=\"link-dialog-note\" class=\"dialog-error\" role=\"alert\" data-testid=\"link-error\">",
                &error.message(l),
                "</p>",
            );
            element(
                &mut out,
                "<p class=\"hint\">",
                l.t(&msg::LINK_REFUSED_NOTE),
                "</p><div class=\"dialog-actions\">",
            );
            element(
                &mut out,
                "<button class=\"primary\" data-first data-last data-act=\"link-cancel\" data-testid=\"link-close\">",
                l.t(&msg::CLOSE),
                "</button></div>",
            );
        }
    }
    out.push_str("</div><span tabindex=\"0\" data-round=\"first\"></span></div>");
    out
}

/// The panel's parts for what the library holds and what the reader opened and chose.
pub fn parts<S>(
    library: &LibraryState<S>,
    view: &PanelView,
    now_ms: f64,
    time: &dyn LocalTime,
    l: Lang,
) -> Parts {
    Parts {
        status: status(library, l),
        body: body(library, view, (now_ms, time), l),
        dialog: dialog(library, l),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::player::checkpoint_library::fixtures::{blob, entry};
    use crate::player::checkpoint_library::{Failure, LibraryAction, Place};
    use crate::player::library_error::{Cause, LibraryError, StorageError};
    use std::rc::Rc;

    /// Wall-clock time in UTC.
    struct Utc;

    impl LocalTime for Utc {
        fn local_ms(&self, ms: f64) -> f64 {
            ms
        }

        fn full(&self, ms: f64, _: Lang) -> String {
            format!("at {ms} ms")
        }
    }

    type Library = LibraryState<u32>;

    const NOW: f64 = 1_764_000_000_000.0;

    fn listed(library: &mut Library, entries: Vec<StoredCheckpoint>) {
        library.reduce(LibraryAction::Listed {
            entries,
            usage: Some(2048.0),
            quota: Some(1_048_576.0),
        });
    }

    fn open_with(entries: Vec<StoredCheckpoint>) -> Library {
        let mut library = Library::default();
        library.reduce(LibraryAction::Opened(Ok(1)));
        listed(&mut library, entries);
        library
    }

    fn view(current_job: &str) -> PanelView {
        PanelView {
            current_job: current_job.to_owned(),
            ..PanelView::default()
        }
    }

    fn parts_of(library: &Library, view: &PanelView, l: Lang) -> Parts {
        let parts = parts(library, view, NOW, &Utc, l);
        for html in [&parts.status, &parts.body, &parts.dialog] {
            assert_balanced(html);
        }
        parts
    }

    /// Every element the markup opens is closed, in order (the page puts it in place as it is).
    fn assert_balanced(html: &str) {
        const VOID: [&str; 2] = ["input", "br"];
        let mut open: Vec<String> = Vec::new();
        let mut rest = html;
        while let Some(at) = rest.find('<') {
            let end = rest[at..].find('>').expect("a tag ends") + at;
            let tag = &rest[at + 1..end];
            rest = &rest[end + 1..];
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if let Some(closed) = tag.strip_prefix('/') {
                assert_eq!(open.pop().as_deref(), Some(closed), "in {html}");
            } else if !VOID.contains(&name.as_str()) {
                open.push(name);
            }
        }
        assert!(open.is_empty(), "left open: {open:?} in {html}");
    }

    fn count(html: &str, what: &str) -> usize {
        html.matches(what).count()
    }

    #[test]
    fn rows_are_grouped_by_run_the_running_one_marked_imports_last() {
        let b = blob();
        let library = open_with(vec![
            entry(&b, Some("bbbbbbbbbbbb"), 3, NOW - 1_000.0, NOW - 5_000.0),
            entry(&b, None, 9, NOW - 2_000.0, 0.0),
            entry(&b, Some("aaaaaaaaaaaa"), 2, NOW - 3_000.0, NOW - 9_000.0),
        ]);
        let body = parts_of(&library, &view("bbbbbbbbbbbb"), Lang::En).body;
        assert_eq!(count(&body, "data-testid=\"stored-checkpoint\""), 3);
        assert_eq!(count(&body, "data-testid=\"stored-run\""), 3);
        assert_eq!(count(&body, "data-testid=\"this-run\""), 1);
        let run2 = body.find("data-run=\"2\"").unwrap();
        let run1 = body.find("data-run=\"1\"").unwrap();
        let imported = body.find("Imported").unwrap();
        assert!(
            run2 < run1 && run1 < imported,
            "newest run first, imports last"
        );
        let key = crate::player::stored_checkpoint::job_checkpoint_key("bbbbbbbbbbbb", 3);
        assert!(body.contains(&format!("data-key=\"{key}\" data-checkpoint-id=\"3\"")));
        assert!(body.contains("Run 2 · job <span translate=\"no\" class=\"code-name\" data-testid=\"job-id\" title=\"bbbbbbbbbbbb\">bbbbbbbb</span>"));
        assert!(body.contains("3 stored"), "the totals: {body}");
        // Stored times are the local wall clock's.
        let at = clock_time(NOW - 1_000.0);
        assert!(body.contains(&format!("<td title=\"at {} ms\">{at}</td>", NOW - 1_000.0)));
    }

    #[test]
    fn what_comes_from_outside_is_escaped() {
        let b = blob();
        let mut hostile = entry(&b, None, 4, NOW, 0.0);
        hostile.origin = CheckpointOrigin::File {
            name: "<img src=x onerror=alert(1)>\"'.slcp".into(),
        };
        hostile.key = "import/\"><script>".into();
        let mut library = open_with(vec![hostile]);
        library.reduce(LibraryAction::Failed(Some(Failure {
            at: Place::Import,
            error: LibraryError::Read {
                name: "<b>bold</b>".into(),
                cause: crate::player::library_error::SharingError::Unreadable("<i>".into()),
            },
        })));
        let body = parts_of(&library, &view("x"), Lang::En).body;
        assert!(!body.contains("<img") && !body.contains("<script") && !body.contains("<b>"));
        assert!(body.contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;.slcp"));
        assert!(body.contains("data-key=\"import/&quot;&gt;&lt;script&gt;\""));
    }

    #[test]
    fn details_show_the_key_groups_at_the_parallelism_chosen() {
        let b = blob();
        let e = entry(&b, Some("aaaaaaaaaaaa"), 1, NOW, NOW);
        let key = e.key.clone();
        let (own, max) = (e.parallelism, e.max_parallelism);
        let library = open_with(vec![e]);
        let mut v = view("aaaaaaaaaaaa");
        let closed = parts_of(&library, &v, Lang::En).body;
        assert!(!closed.contains("kg-bars") && closed.contains("aria-expanded=\"false\""));
        assert!(closed.contains(&format!("<option value=\"{own}\" selected>")));
        v.toggle(&key);
        v.choose(&key, 3);
        let open = parts_of(&library, &v, Lang::En).body;
        assert!(open.contains("aria-expanded=\"true\"") && open.contains("class=\"kg-bars\""));
        assert!(open.contains("<option value=\"3\" selected>"));
        assert_eq!(count(&open, "class=\"legend-item\""), 3);
        assert_eq!(count(&open, "<rect "), max.min(BARS as u32) as usize);
        // A parallelism above the checkpoint's maximum cannot be chosen.
        let disabled = (max + 1..=MAX_JOB_PARALLELISM).count();
        assert_eq!(count(&open, " disabled>"), disabled);
        v.toggle(&key);
        assert!(!parts_of(&library, &v, Lang::En).body.contains("kg-bars"));
    }

    #[test]
    fn what_went_wrong_is_said_under_its_row_or_by_the_import_controls() {
        let b = blob();
        let e = entry(&b, Some("aaaaaaaaaaaa"), 1, NOW, NOW);
        let key = e.key.clone();
        let mut library = open_with(vec![e]);
        library.reduce(LibraryAction::Failed(Some(Failure {
            at: Place::Entry(key),
            error: LibraryError::Delete(StorageError::DeleteAborted),
        })));
        let body = parts_of(&library, &view("x"), Lang::En).body;
        let row_error = body.find("<tr class=\"row-error\">").unwrap();
        assert!(row_error > body.find("data-testid=\"stored-checkpoint\"").unwrap());
        assert!(body.contains("data-act=\"dismiss\""));
        // Its row gone: said first, by the import controls.
        listed(&mut library, Vec::new());
        let body = parts_of(&library, &view("x"), Lang::En).body;
        assert!(body.starts_with("<div class=\"inline-error\" role=\"alert\">"));
        assert!(body.contains("Nothing stored yet") || body.contains("class=\"empty\""));
    }

    #[test]
    fn the_status_says_where_storage_stands() {
        let mut library = Library::default();
        assert!(parts_of(&library, &view("x"), Lang::En)
            .status
            .contains("opening IndexedDB"));
        library.reduce(LibraryAction::Opened(Ok(1)));
        library.reduce(LibraryAction::SaveStarted { checkpoint_id: 7 });
        let status = parts_of(&library, &view("x"), Lang::En).status;
        assert!(status.starts_with("<span class=\"hint\" data-testid=\"storage-status\">IndexedDB"));
        assert!(status.contains("7"), "{status}");
        library.reduce(LibraryAction::SaveDone { full: true });
        assert!(parts_of(&library, &view("x"), Lang::En)
            .status
            .contains("FULL"));
        library.reduce(LibraryAction::Closed);
        let status = parts_of(&library, &view("x"), Lang::En).status;
        assert!(status.contains("data-act=\"reopen\""));
        // In Chinese, from the catalogue.
        let zh = parts_of(&library, &view("x"), Lang::Zh).status;
        assert!(zh.contains(Lang::Zh.t(&msg::REOPEN)));
    }

    #[test]
    fn a_link_offered_is_a_modal_dialog_with_its_facts_or_why_it_cannot_open() {
        let b = blob();
        let mut library = Library::default();
        assert_eq!(parts_of(&library, &view("x"), Lang::En).dialog, "");
        let checkpoint = entry(&b, None, 5, NOW, 0.0);
        library.reduce(LibraryAction::Offer(Some(LinkOffer::Checked {
            blob: Rc::new(b.clone()),
            checkpoint: Rc::new(checkpoint),
        })));
        let dialog = parts_of(&library, &view("x"), Lang::En).dialog;
        assert!(dialog.contains("role=\"dialog\" aria-modal=\"true\""));
        assert!(dialog.contains("<dd data-testid=\"link-checkpoint\">5</dd>"));
        for act in ["link-restore", "link-keep", "link-cancel"] {
            assert!(dialog.contains(&format!("data-act=\"{act}\"")), "{act}");
        }
        // Storage not open: it can be restored, not kept.
        assert!(dialog.contains("data-testid=\"link-keep\" disabled>"));
        library.reduce(LibraryAction::Opened(Ok(1)));
        let dialog = parts_of(&library, &view("x"), Lang::En).dialog;
        assert!(dialog.contains("data-testid=\"link-keep\">"));
        // Tab goes round between its ends; focus goes to its first button.
        assert!(dialog.find("data-round=\"last\"") < dialog.find("data-first"));
        assert!(dialog.find("data-last") < dialog.find("data-round=\"first\""));
        library.reduce(LibraryAction::Offer(Some(LinkOffer::Failed(
            LibraryError::Import {
                from: CheckpointOrigin::Link,
                cause: Cause::StorageUnavailable,
            },
        ))));
        let dialog = parts_of(&library, &view("x"), Lang::En).dialog;
        assert!(dialog.contains("data-testid=\"link-error\""));
        assert!(dialog
            .contains("data-first data-last data-act=\"link-cancel\" data-testid=\"link-close\""));
    }

    #[test]
    fn wall_clock_times_are_hours_minutes_and_seconds() {
        assert_eq!(clock_time(0.0), "00:00:00");
        assert_eq!(clock_time(86_399_999.0), "23:59:59");
        assert_eq!(clock_time(-1_000.0), "23:59:59");
        assert_eq!(clock_time(f64::NAN), "00:00:00");
        assert_eq!(clock_time(NOW), "16:00:00");
    }

    #[test]
    fn the_view_remembers_what_was_opened_and_chosen() {
        let mut v = PanelView::default();
        v.toggle("a");
        v.toggle("b");
        v.toggle("a");
        assert_eq!(v.expanded, ["b"]);
        v.choose("a", 2);
        v.choose("a", 4);
        assert_eq!(v.targets, [("a".to_owned(), 4)]);
    }
}
