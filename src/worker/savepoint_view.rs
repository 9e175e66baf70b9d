//! A Flink snapshot as people read it: the summary `statelab inspect` prints and the page's savepoint panel
//! shows — the checkpoint id and type, every operator (id, name, uid when matched, parallelism and max
//! parallelism), each subtask's `KeyGroupRange`, state handles and sizes, operator state, the registered keyed
//! states with their kinds and serializers — as rows of text at a depth, in the reader's language; and each keyed
//! entry (operator, key group, state, key, value or timer) as cells, found by its position among all entries
//! without copying them.

use crate::engine::savepoint::checkpoint_properties::SnapshotType;
use crate::engine::savepoint::metadata_v6_serializer::OperatorState;
use crate::engine::savepoint::operator_state_handle::OperatorStreamStateHandle;
use crate::engine::savepoint::savepoint_reader::{
    KeyedState, OperatorView, Savepoint, SubtaskKeyedState, UidSource,
};
use crate::engine::savepoint::state_entry::{EntryValue, KeyedStateEntry};
use crate::engine::savepoint::stream_state_handle::StreamStateHandle;
use crate::engine::savepoint::type_serializer::TypeSerializer;
use crate::i18n::messages::savepoint as msg;
use crate::i18n::Lang;

/// One line of the summary: how deep it is nested (the CLI indents it by two spaces a level) and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub depth: u8,
    pub text: String,
}

struct Rows(Vec<Row>);

impl Rows {
    fn push(&mut self, depth: u8, text: String) {
        self.0.push(Row { depth, text });
    }
}

/// The summary of `s` named `name`, with at most `entries` keyed entries listed per subtask (the CLI lists 20;
/// the page 0: its entries table shows them all).
pub fn summary(name: &str, s: &Savepoint, l: Lang, entries: usize) -> Vec<Row> {
    let m = &s.metadata;
    let mut rows = Rows(Vec::new());
    rows.push(0, format!("{} {name}", l.t(&msg::SNAPSHOT)));
    let kind = match &m.snapshot_type {
        SnapshotType::Checkpoint { name } => format!("{} ({name})", l.t(&msg::CHECKPOINT)),
        other => msg::snapshot_type(other.label(), l).to_owned(),
    };
    rows.push(
        1,
        format!(
            "{} {} · {kind} · {} {}",
            l.t(&msg::CHECKPOINT),
            m.checkpoint_id,
            l.t(&msg::METADATA_VERSION),
            m.version
        ),
    );
    if !m.master_states.is_empty() {
        rows.push(
            1,
            format!("{} {}", l.t(&msg::MASTER_STATES), m.master_states.len()),
        );
    }
    for (op, view) in m.operators.iter().zip(&s.operators) {
        operator_summary(&mut rows, op, view, l, entries);
    }
    rows.0
}

/// The summary as `statelab inspect` prints it: a line per row, indented.
pub fn summary_text(rows: &[Row]) -> String {
    let mut out = String::new();
    for row in rows {
        for _ in 0..row.depth {
            out.push_str("  ");
        }
        out.push_str(&row.text);
        out.push('\n');
    }
    out
}

fn handle_text(h: &StreamStateHandle, l: Lang) -> String {
    match h {
        StreamStateHandle::ByteStream { .. } => {
            format!("{} ({} {})", l.t(&msg::INLINE), h.size(), l.t(&msg::BYTES))
        }
        _ => format!(
            "{} {} ({} {})",
            l.t(&msg::FILE),
            h.name(),
            h.size(),
            l.t(&msg::BYTES)
        ),
    }
}

fn operator_state_rows(rows: &mut Rows, label: &str, h: &OperatorStreamStateHandle, l: Lang) {
    for s in &h.states {
        rows.push(
            3,
            format!(
                "{label} '{}' · {} · {} {}",
                s.name,
                s.mode.name(),
                s.offsets.len(),
                l.t(&msg::PARTITIONS)
            ),
        );
    }
    if let Some(d) = &h.delegate {
        rows.push(4, handle_text(d, l));
    }
}

fn operator_summary(
    rows: &mut Rows,
    op: &OperatorState,
    view: &OperatorView,
    l: Lang,
    entries: usize,
) {
    let mut line = format!("{} {}", l.t(&msg::OPERATOR), op.id);
    if let Some(name) = &op.name {
        line.push_str(&format!(" '{name}'"));
    }
    match &view.uid {
        Some((uid, UidSource::Metadata)) => line.push_str(&format!(" · {} {uid}", l.t(&msg::UID))),
        Some((uid, UidSource::Matched)) => {
            line.push_str(&format!(" · {} {uid}", l.t(&msg::UID_MATCHED)))
        }
        None => {}
    }
    line.push_str(&format!(
        " · {} {} · {} {}",
        l.t(&msg::PARALLELISM),
        op.parallelism,
        l.t(&msg::MAX_PARALLELISM),
        op.max_parallelism
    ));
    rows.push(1, line);
    if let Some(c) = &op.coordinator_state {
        rows.push(
            2,
            format!("{}: {}", l.t(&msg::COORDINATOR_STATE), handle_text(c, l)),
        );
    }
    if op.fully_finished {
        rows.push(2, l.t(&msg::FINISHED).to_owned());
    }
    for sub in &op.subtasks {
        let empty = sub.managed_operator_state.is_none()
            && sub.raw_operator_state.is_none()
            && sub.managed_keyed_state.is_none()
            && sub.raw_keyed_state.is_none();
        let head = format!("{} {}", l.t(&msg::SUBTASK), sub.index);
        if sub.finished {
            rows.push(2, format!("{head} · {}", l.t(&msg::FINISHED)));
            continue;
        }
        if empty {
            rows.push(2, format!("{head} · {}", l.t(&msg::NO_STATE)));
            continue;
        }
        rows.push(2, head);
        if let Some(h) = &sub.managed_operator_state {
            operator_state_rows(rows, l.t(&msg::OPERATOR_STATE), h, l);
        }
        if let Some(h) = &sub.raw_operator_state {
            operator_state_rows(rows, l.t(&msg::RAW_OPERATOR_STATE), h, l);
        }
        if let Some(h) = &sub.raw_keyed_state {
            let mut line = l.t(&msg::RAW_KEYED_STATE).to_owned();
            if let Some(d) = &h.delegate {
                line.push_str(&format!(" · {}", handle_text(d, l)));
            }
            rows.push(3, line);
        }
        if let Some(h) = &sub.managed_keyed_state {
            let range = h.key_group_range;
            let mut line = format!(
                "{} {}-{} · {}",
                l.t(&msg::KEY_GROUPS),
                range.start_key_group(),
                range.end_key_group(),
                h.kind.class_name()
            );
            if let Some(d) = &h.delegate {
                line.push_str(&format!(" · {}", handle_text(d, l)));
            }
            rows.push(3, line);
            if let Some(keyed) = view.keyed.iter().find(|k| k.subtask == sub.index) {
                keyed_summary(rows, keyed, l, entries);
            }
        }
    }
}

fn keyed_summary(rows: &mut Rows, keyed: &SubtaskKeyedState, l: Lang, entries: usize) {
    let state = match &keyed.state {
        Ok(state) => state,
        Err(e) => {
            rows.push(
                3,
                format!("{}: {}", l.t(&msg::UNREADABLE), msg::error(e, l)),
            );
            return;
        }
    };
    let p = &state.proxy;
    let mut line = format!(
        "{} {} ({})",
        l.t(&msg::KEY_SERIALIZER),
        p.key_serializer.serializer.describe(),
        p.key_serializer.class
    );
    if p.compression {
        line.push_str(&format!(" · {}", l.t(&msg::COMPRESSED)));
    }
    rows.push(3, line);
    for (id, meta) in p.states.iter().enumerate() {
        let count = state.entries.iter().filter(|e| e.state == id).count();
        let mut line = format!(
            "{} '{}' · {} · {}",
            l.t(&msg::STATE),
            meta.name,
            meta.kind().name(),
            meta.value_serializer().describe()
        );
        let ns = meta.namespace_serializer();
        if ns != TypeSerializer::VoidNamespace {
            line.push_str(&format!(" · {} {}", l.t(&msg::NAMESPACE), ns.describe()));
        }
        line.push_str(&format!(" · {count} {}", l.t(&msg::ENTRIES)));
        rows.push(3, line);
        for (role, snapshot) in &meta.serializers {
            rows.push(4, format!("{role}: {}", snapshot.class));
        }
    }
    for e in state.entries.iter().take(entries) {
        let [kg, name, key, value] = entry_cells(state, e, l);
        rows.push(4, format!("[{kg}] {name} {key} = {value}"));
    }
    if entries > 0 && state.entries.len() > entries {
        rows.push(
            4,
            format!(
                "… {} {}",
                state.entries.len() - entries,
                l.t(&msg::MORE_ENTRIES)
            ),
        );
    }
}

/// An entry's key group, state name, key and value (a timer's time), as the summary shows them.
fn entry_cells(state: &KeyedState, e: &KeyedStateEntry, l: Lang) -> [String; 4] {
    let name = state
        .proxy
        .states
        .get(e.state)
        .map_or("?", |m| m.name.as_str());
    let value = match &e.value {
        EntryValue::State(v) | EntryValue::Element(v) | EntryValue::Undecoded(v) => v.display(80),
        EntryValue::Timer { timestamp } => format!("{} {timestamp}", l.t(&msg::TIMER)),
    };
    [
        e.key_group.to_string(),
        name.to_owned(),
        e.key.display(60),
        value,
    ]
}

/// Where each subtask's readable keyed entries start among all of the snapshot's entries (operators in the
/// metadata's order, subtasks in theirs, entries in key-group order — `dump_lines`' order), to find the entry
/// at a position without a list of them all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryIndex {
    /// (first position, operator, subtask's place in the operator's keyed states), by first position.
    starts: Vec<(u64, usize, usize)>,
    total: u64,
}

impl EntryIndex {
    pub fn new(s: &Savepoint) -> Self {
        let mut index = EntryIndex::default();
        for (op, view) in s.operators.iter().enumerate() {
            for (k, keyed) in view.keyed.iter().enumerate() {
                if let Ok(state) = &keyed.state {
                    if !state.entries.is_empty() {
                        index.starts.push((index.total, op, k));
                        index.total += state.entries.len() as u64;
                    }
                }
            }
        }
        index
    }

    /// How many entries the snapshot's readable keyed state holds.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The cells of the entries at positions `from..from + count` (fewer at the end): operator (uid or id),
    /// subtask, key group, state, key and value.
    pub fn cells(&self, s: &Savepoint, from: u64, count: u64, l: Lang) -> Vec<[String; 6]> {
        let end = from.saturating_add(count).min(self.total);
        let mut out = Vec::new();
        let mut at = from;
        while at < end {
            let i = self.starts.partition_point(|&(start, _, _)| start <= at) - 1;
            let (start, op, k) = self.starts[i];
            let keyed = &s.operators[op].keyed[k];
            let Ok(state) = &keyed.state else { break };
            let label = s.operator_label(op);
            let first = (at - start) as usize;
            let take = ((end - at) as usize).min(state.entries.len() - first);
            for e in &state.entries[first..first + take] {
                let [kg, name, key, value] = entry_cells(state, e, l);
                out.push([
                    label.clone(),
                    keyed.subtask.to_string(),
                    kg,
                    name,
                    key,
                    value,
                ]);
            }
            at += take as u64;
        }
        out
    }
}
