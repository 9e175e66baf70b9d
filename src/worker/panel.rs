//! The savepoint tools' panel as HTML, written by the worker so that the page carries neither its words nor the
//! code that lays them out: the page puts the parts in place as they are (`web::savepoint_tools`) around the
//! two things it keeps itself — the entries table's scrolling and the uid field — and reacts to the controls by
//! their `data-act`. Every text that comes from a snapshot or a file name is escaped.

use crate::i18n::messages::savepoint_panel as msg;
use crate::i18n::Lang;
use std::fmt::Write;

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, for an element's text or a quoted attribute.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

pub fn element(out: &mut String, open: &str, text: &str, close: &str) {
    out.push_str(open);
    escape(text, out);
    out.push_str(close);
}

/// What the panel shows besides its controls.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PanelState {
    /// Bytes read of all, and the text saying so.
    pub progress: Option<(u64, u64, String)>,
    /// Why the snapshot did not open.
    pub open_error: Option<String>,
    /// The summary's rows (depth, text) of the open snapshot, and whether it has entries.
    pub summary: Vec<(u8, String)>,
    pub entries: u64,
    /// Keyed subtasks of the open snapshot whose state does not read: the dump leaves them out.
    pub unread: usize,
    /// Why an export failed.
    pub export_error: Option<String>,
}

/// The panel's four parts: above the entries table (title, drop zone and pickers, progress, the summary, the
/// dump), the table's head (which the page puts in one box with the rows, so that on a narrow screen both scroll
/// sideways together), between the table and the uid field (the exports' note and the field's label), and after
/// the field (the export buttons and their error).
pub fn parts(s: &PanelState, l: Lang) -> [String; 4] {
    let busy = if s.progress.is_some() {
        " disabled"
    } else {
        ""
    };
    let mut top = String::new();
    let mut head = String::new();
    element(&mut top, "<h3>", l.t(&msg::TITLE), "</h3>");
    element(
        &mut top,
        "<div class=\"sp-drop\" data-testid=\"savepoint-drop\"><p>",
        l.t(&msg::DROP),
        "</p>",
    );
    element(
        &mut top,
        "<label>",
        l.t(&msg::CHOOSE_FILES),
        " <input type=\"file\" multiple data-testid=\"savepoint-files\"></label>",
    );
    element(
        &mut top,
        "<label>",
        l.t(&msg::CHOOSE_FOLDER),
        " <input type=\"file\" webkitdirectory data-testid=\"savepoint-folder\"></label></div>",
    );
    if let Some((done, total, text)) = &s.progress {
        let _ = write!(
            top,
            "<div class=\"busy\" role=\"status\" data-testid=\"savepoint-progress\"><progress max=\"{total}\" value=\"{done}\"></progress>"
        );
        escape(text, &mut top);
        element(
            &mut top,
            " <button class=\"small\" data-act=\"cancel\" data-testid=\"savepoint-cancel\">",
            l.t(&msg::CANCEL),
            "</button></div>",
        );
    }
    if let Some(e) = &s.open_error {
        element(
            &mut top,
            "<p class=\"inline-error\" role=\"alert\" data-testid=\"savepoint-error\">",
            e,
            "</p>",
        );
    }
    if !s.summary.is_empty() {
        top.push_str(
            "<div class=\"sp-summary\" data-testid=\"savepoint-summary\" translate=\"no\">",
        );
        for (depth, text) in &s.summary {
            let _ = write!(top, "<div style=\"padding-left:{depth}em\">");
            element(&mut top, "", text, "</div>");
        }
        top.push_str("</div>");
        if s.entries > 0 {
            element(&mut top, &format!("<button class=\"small\" data-act=\"dump\" data-testid=\"savepoint-dump\"{busy}>"), l.t(&msg::DUMP), "</button>");
            if s.unread > 0 {
                element(
                    &mut top,
                    "<p class=\"hint\" data-testid=\"savepoint-dump-note\">",
                    &msg::dump_leaves_out(l, s.unread),
                    "</p>",
                );
            }
            head.push_str("<div class=\"sp-row sp-head\">");
            for w in [
                &msg::COLUMN_OPERATOR,
                &msg::COLUMN_SUBTASK,
                &msg::COLUMN_KEY_GROUP,
                &msg::COLUMN_STATE,
                &msg::COLUMN_KEY,
                &msg::COLUMN_VALUE,
            ] {
                element(&mut head, "<span>", l.t(w), "</span>");
            }
            head.push_str("</div>");
        }
    }
    let mut middle = String::new();
    element(
        &mut middle,
        "<p class=\"hint\">",
        l.t(&msg::EXPORT_NOTE),
        "</p>",
    );
    element(
        &mut middle,
        "<label for=\"savepoint-uid\">",
        l.t(&msg::UID),
        "</label> ",
    );
    let mut bottom = String::from("<div class=\"sp-export\">");
    element(&mut bottom, &format!("<button class=\"small\" data-act=\"savepoint\" data-testid=\"savepoint-export\"{busy}>"), l.t(&msg::SAVEPOINT_ZIP), "</button>");
    element(
        &mut bottom,
        &format!("<button class=\"small\" data-act=\"job\" data-testid=\"job-export\"{busy}>"),
        l.t(&msg::JOB_ZIP),
        "</button></div>",
    );
    if let Some(e) = &s.export_error {
        element(
            &mut bottom,
            "<p class=\"inline-error\" role=\"alert\" data-testid=\"savepoint-export-error\">",
            e,
            "</p>",
        );
    }
    [top, head, middle, bottom]
}

/// One entry of the table: its six cells.
pub fn entry_row(cells: &[String; 6]) -> String {
    let mut out = String::from("<div class=\"sp-row\" data-testid=\"savepoint-entry\">");
    for c in cells {
        element(&mut out, "<span>", c, "</span>");
    }
    out.push_str("</div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_a_snapshot_cannot_become_markup() {
        let hostile = "<img src=x onerror=alert(1)> & \"'";
        let row = entry_row(&std::array::from_fn(|_| hostile.to_owned()));
        assert!(!row.contains("<img"));
        assert!(row.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;&#39;"));
        let s = PanelState {
            summary: vec![(0, hostile.to_owned())],
            entries: 1,
            unread: 1,
            open_error: Some(hostile.to_owned()),
            export_error: Some(hostile.to_owned()),
            progress: Some((1, 2, hostile.to_owned())),
        };
        for part in parts(&s, Lang::En) {
            assert!(!part.contains("<img"), "{part}");
        }
    }

    #[test]
    fn the_panel_shows_what_its_state_holds_in_the_language() {
        let empty = parts(&PanelState::default(), Lang::En).concat();
        assert!(empty.contains("Choose folder…"));
        assert!(empty.contains("data-act=\"savepoint\""));
        assert!(!empty.contains("savepoint-summary") && !empty.contains("savepoint-dump"));
        assert!(!empty.contains("disabled"));
        let s = PanelState {
            progress: Some((5, 10, "Reading".to_owned())),
            summary: vec![(1, "checkpoint 2".to_owned())],
            entries: 3,
            ..PanelState::default()
        };
        let zh = parts(&s, Lang::Zh).concat();
        assert!(zh.contains("下载转储（JSON lines）"));
        assert!(zh.contains("<progress max=\"10\" value=\"5\">"));
        assert!(zh.contains("padding-left:1em\">checkpoint 2<"));
        assert_eq!(zh.matches(" disabled").count(), 3);
        assert!(!zh.contains("savepoint-dump-note"));
        let s = PanelState { unread: 2, ..s };
        assert!(parts(&s, Lang::Zh)[0].contains("转储不包含 2 个键控状态无法读取的子任务"));
    }
}
