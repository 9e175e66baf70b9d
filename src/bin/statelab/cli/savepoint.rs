//! `statelab inspect DIR|_metadata|ZIP [--dump] [--uid UID]...`: a real Flink 2.x checkpoint or savepoint — a
//! summary of what it holds, or with `--dump` one JSON line per keyed entry (engine::savepoint).

use super::{print_out, stdout_closed, CliError};
use statelab::engine::savepoint::savepoint_error::SavepointError;
use statelab::engine::savepoint::savepoint_reader::{
    read_savepoint, InMemoryFiles, Savepoint, SnapshotFiles, MAX_STATE_FILE_BYTES,
};
use statelab::engine::savepoint::zip_archive;
use statelab::i18n::messages::savepoint as msg;
use statelab::i18n::Lang;
use statelab::worker::savepoint_view;
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
    let first_error = savepoint.unread_subtasks().next();
    if dump {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for line in savepoint.dump_lines() {
            if let Err(e) = writeln!(out, "{line}") {
                return stdout_closed(e);
            }
        }
        out.flush().or_else(stdout_closed)?;
        if let Some(e) = first_error {
            return Err(fail(e.clone()));
        }
        return Ok(());
    }
    print_out(&summary(&name, &savepoint, l))?;
    match first_error {
        Some(e) => Err(fail(e.clone())),
        None => Ok(()),
    }
}

/// The human-readable summary.
pub fn summary(name: &str, s: &Savepoint, l: Lang) -> String {
    savepoint_view::summary_text(&savepoint_view::summary(name, s, l, SUMMARY_ENTRIES))
}
