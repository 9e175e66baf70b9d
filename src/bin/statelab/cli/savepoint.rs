//! `statelab inspect DIR|_metadata|ZIP [--dump] [--uid UID]...`: a real Flink 2.x checkpoint or savepoint — a
//! summary of what it holds, or with `--dump` one JSON line per keyed entry (engine::savepoint).

use super::CliError;
use statelab::engine::savepoint::checkpoint_properties::SnapshotType;
use statelab::engine::savepoint::metadata_v6_serializer::OperatorState;
use statelab::engine::savepoint::operator_state_handle::OperatorStreamStateHandle;
use statelab::engine::savepoint::savepoint_error::SavepointError;
use statelab::engine::savepoint::savepoint_reader::{
    read_savepoint, InMemoryFiles, OperatorView, Savepoint, SnapshotFiles, UidSource,
    MAX_STATE_FILE_BYTES,
};
use statelab::engine::savepoint::state_entry::EntryValue;
use statelab::engine::savepoint::stream_state_handle::StreamStateHandle;
use statelab::engine::savepoint::zip_archive;
use statelab::i18n::messages::savepoint as msg;
use statelab::i18n::Lang;
use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

/// How many entries of a subtask the summary lists.
const SUMMARY_ENTRIES: usize = 20;

/// Whether `path` is a Flink snapshot rather than a StateLab blob: a directory, a file named `_metadata`, a
/// file starting with Flink's metadata magic number, or a zip archive.
pub fn is_flink_snapshot(path: &Path) -> bool {
    if path.is_dir() || path.file_name().is_some_and(|n| n == "_metadata") {
        return true;
    }
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| u32::from_be_bytes(head) == 0x4960_672d || zip_archive::is_zip(&head))
}

/// The files of a snapshot directory on disk, read when the reader asks: only relative paths inside it, only
/// regular files up to the reader's size limit.
struct DirectoryFiles {
    dir: PathBuf,
}

impl SnapshotFiles for DirectoryFiles {
    fn read(&self, path: &str) -> Result<Option<Cow<'_, [u8]>>, SavepointError> {
        let rel = Path::new(path);
        if path.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Ok(None);
        }
        let full = self.dir.join(rel);
        let Ok(meta) = std::fs::metadata(&full) else {
            return Ok(None);
        };
        if !meta.is_file() {
            return Ok(None);
        }
        if meta.len() > MAX_STATE_FILE_BYTES {
            return Err(
                statelab::engine::savepoint::savepoint_error::SavepointLimit::StateFile {
                    bytes: meta.len(),
                    max: MAX_STATE_FILE_BYTES,
                }
                .into(),
            );
        }
        Ok(std::fs::read(&full).ok().map(Cow::Owned))
    }
}

/// The language of the summary and errors: `STATELAB_LANG` (`en`, `zh`), English by default.
pub(super) fn lang() -> Lang {
    std::env::var("STATELAB_LANG")
        .ok()
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or(Lang::En)
}

/// Reads the snapshot at `path`: a directory holding `_metadata`, the `_metadata` file itself, or a `.zip` of
/// such a directory (or a `_metadata` under another name, its state files next to it).
pub fn open(path: &Path, uids: &[String]) -> Result<Savepoint, CliError> {
    let l = lang();
    let name = path.display().to_string();
    let fail = |e: SavepointError| CliError::failed(format!("{name}: {}", msg::error(&e, l)));
    let savepoint = if path.is_dir() {
        read_savepoint(
            &DirectoryFiles {
                dir: path.to_owned(),
            },
            uids,
        )
    } else if path.file_name().is_some_and(|n| n == "_metadata") {
        let dir = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_owned);
        read_savepoint(&DirectoryFiles { dir }, uids)
    } else {
        let size = std::fs::metadata(path)
            .map_err(|e| CliError::failed(format!("{name}: {e}")))?
            .len();
        if size > zip_archive::MAX_UNPACKED_BYTES {
            return Err(fail(
                statelab::engine::savepoint::savepoint_error::SavepointLimit::Files {
                    max: zip_archive::MAX_UNPACKED_BYTES,
                }
                .into(),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| CliError::failed(format!("{name}: {e}")))?;
        if zip_archive::is_zip(&bytes) {
            InMemoryFiles::from_zip(&bytes).and_then(|files| read_savepoint(&files, uids))
        } else {
            // A `_metadata` file under another name: its state files are next to it.
            let metadata = vec![("_metadata".to_owned(), bytes)];
            InMemoryFiles::new(metadata).and_then(|files| read_savepoint(&files, uids))
        }
    }
    .map_err(fail)?;
    Ok(savepoint)
}

pub fn run(path: &Path, dump: bool, uids: &[String]) -> Result<(), CliError> {
    let l = lang();
    let name = path.display().to_string();
    let fail = |e: SavepointError| CliError::failed(format!("{name}: {}", msg::error(&e, l)));
    let savepoint = open(path, uids)?;
    // A subtask whose state does not read: the summary shows it; the dump fails on it.
    let first_error = savepoint
        .operators
        .iter()
        .flat_map(|o| &o.keyed)
        .find_map(|s| s.state.as_ref().err());
    if dump {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for line in savepoint.dump_lines() {
            writeln!(out, "{line}").map_err(|e| CliError::failed(e.to_string()))?;
        }
        out.flush().map_err(|e| CliError::failed(e.to_string()))?;
        if let Some(e) = first_error {
            return Err(fail(e.clone()));
        }
        return Ok(());
    }
    print!("{}", summary(&name, &savepoint, l));
    match first_error {
        Some(e) => Err(fail(e.clone())),
        None => Ok(()),
    }
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

fn operator_state_lines(out: &mut String, label: &str, h: &OperatorStreamStateHandle, l: Lang) {
    for s in &h.states {
        out.push_str(&format!(
            "      {label} '{}' · {} · {} {}\n",
            s.name,
            s.mode.name(),
            s.offsets.len(),
            l.t(&msg::PARTITIONS)
        ));
    }
    if let Some(d) = &h.delegate {
        out.push_str(&format!("        {}\n", handle_text(d, l)));
    }
}

/// The human-readable summary.
pub fn summary(name: &str, s: &Savepoint, l: Lang) -> String {
    let m = &s.metadata;
    let mut out = format!("{} {name}\n", l.t(&msg::SNAPSHOT));
    let kind = match &m.snapshot_type {
        SnapshotType::Checkpoint { name } => format!("{} ({name})", l.t(&msg::CHECKPOINT)),
        other => msg::snapshot_type(other.label(), l).to_owned(),
    };
    out.push_str(&format!(
        "  {} {} · {kind} · {} {}\n",
        l.t(&msg::CHECKPOINT),
        m.checkpoint_id,
        l.t(&msg::METADATA_VERSION),
        m.version
    ));
    if !m.master_states.is_empty() {
        out.push_str(&format!(
            "  {} {}\n",
            l.t(&msg::MASTER_STATES),
            m.master_states.len()
        ));
    }
    for (i, (op, view)) in m.operators.iter().zip(&s.operators).enumerate() {
        operator_summary(&mut out, i, op, view, s, l);
    }
    out
}

fn operator_summary(
    out: &mut String,
    index: usize,
    op: &OperatorState,
    view: &OperatorView,
    s: &Savepoint,
    l: Lang,
) {
    out.push_str(&format!("  {} {}", l.t(&msg::OPERATOR), op.id));
    if let Some(name) = &op.name {
        out.push_str(&format!(" '{name}'"));
    }
    match &view.uid {
        Some((uid, UidSource::Metadata)) => out.push_str(&format!(" · {} {uid}", l.t(&msg::UID))),
        Some((uid, UidSource::Matched)) => {
            out.push_str(&format!(" · {} {uid}", l.t(&msg::UID_MATCHED)))
        }
        None => {}
    }
    out.push_str(&format!(
        " · {} {} · {} {}\n",
        l.t(&msg::PARALLELISM),
        op.parallelism,
        l.t(&msg::MAX_PARALLELISM),
        op.max_parallelism
    ));
    if let Some(c) = &op.coordinator_state {
        out.push_str(&format!(
            "    {}: {}\n",
            l.t(&msg::COORDINATOR_STATE),
            handle_text(c, l)
        ));
    }
    if op.fully_finished {
        out.push_str(&format!("    {}\n", l.t(&msg::FINISHED)));
    }
    let _ = index;
    for sub in &op.subtasks {
        let empty = sub.managed_operator_state.is_none()
            && sub.raw_operator_state.is_none()
            && sub.managed_keyed_state.is_none()
            && sub.raw_keyed_state.is_none();
        out.push_str(&format!("    {} {}", l.t(&msg::SUBTASK), sub.index));
        if sub.finished {
            out.push_str(&format!(" · {}\n", l.t(&msg::FINISHED)));
            continue;
        }
        if empty {
            out.push_str(&format!(" · {}\n", l.t(&msg::NO_STATE)));
            continue;
        }
        out.push('\n');
        if let Some(h) = &sub.managed_operator_state {
            operator_state_lines(out, l.t(&msg::OPERATOR_STATE), h, l);
        }
        if let Some(h) = &sub.raw_operator_state {
            operator_state_lines(out, l.t(&msg::RAW_OPERATOR_STATE), h, l);
        }
        if let Some(h) = &sub.raw_keyed_state {
            out.push_str(&format!("      {}", l.t(&msg::RAW_KEYED_STATE)));
            if let Some(d) = &h.delegate {
                out.push_str(&format!(" · {}", handle_text(d, l)));
            }
            out.push('\n');
        }
        if let Some(h) = &sub.managed_keyed_state {
            let range = h.key_group_range;
            out.push_str(&format!(
                "      {} {}-{} · {}",
                l.t(&msg::KEY_GROUPS),
                range.start_key_group(),
                range.end_key_group(),
                h.kind.class_name()
            ));
            if let Some(d) = &h.delegate {
                out.push_str(&format!(" · {}", handle_text(d, l)));
            }
            out.push('\n');
            if let Some(keyed) = view.keyed.iter().find(|k| k.subtask == sub.index) {
                keyed_summary(out, keyed, s, l);
            }
        }
    }
}

fn keyed_summary(
    out: &mut String,
    keyed: &statelab::engine::savepoint::savepoint_reader::SubtaskKeyedState,
    _s: &Savepoint,
    l: Lang,
) {
    let state = match &keyed.state {
        Ok(state) => state,
        Err(e) => {
            out.push_str(&format!(
                "      {}: {}\n",
                l.t(&msg::UNREADABLE),
                msg::error(e, l)
            ));
            return;
        }
    };
    let p = &state.proxy;
    out.push_str(&format!(
        "      {} {} ({})",
        l.t(&msg::KEY_SERIALIZER),
        p.key_serializer.serializer.describe(),
        p.key_serializer.class
    ));
    if p.compression {
        out.push_str(&format!(" · {}", l.t(&msg::COMPRESSED)));
    }
    out.push('\n');
    for (id, meta) in p.states.iter().enumerate() {
        let count = state.entries.iter().filter(|e| e.state == id).count();
        let value = meta.value_serializer();
        out.push_str(&format!(
            "      {} '{}' · {} · {}",
            l.t(&msg::STATE),
            meta.name,
            meta.kind().name(),
            value.describe()
        ));
        let ns = meta.namespace_serializer();
        if ns != statelab::engine::savepoint::type_serializer::TypeSerializer::VoidNamespace {
            out.push_str(&format!(" · {} {}", l.t(&msg::NAMESPACE), ns.describe()));
        }
        out.push_str(&format!(" · {count} {}\n", l.t(&msg::ENTRIES)));
        for (role, snapshot) in &meta.serializers {
            out.push_str(&format!("        {role}: {}\n", snapshot.class));
        }
    }
    for e in state.entries.iter().take(SUMMARY_ENTRIES) {
        let name = p.states.get(e.state).map_or("?", |m| m.name.as_str());
        let value = match &e.value {
            EntryValue::State(v) | EntryValue::Element(v) => v.display(80),
            EntryValue::Timer { timestamp } => format!("{} {timestamp}", l.t(&msg::TIMER)),
            EntryValue::Undecoded(v) => v.display(80),
        };
        out.push_str(&format!(
            "        [{}] {name} {} = {value}\n",
            e.key_group,
            e.key.display(60)
        ));
    }
    if state.entries.len() > SUMMARY_ENTRIES {
        out.push_str(&format!(
            "        … {} {}\n",
            state.entries.len() - SUMMARY_ENTRIES,
            l.t(&msg::MORE_ENTRIES)
        ));
    }
}
