//! `statelab inspect BLOB|LINK`: a checkpoint blob's metadata and per-key-group contents as JSON, and
//! `statelab link BLOB`: the share link that carries a blob.

use super::{parse_value, print_json, print_out, CliError};
use serde_json::{json, Map, Value};
use statelab::engine::checkpoint::checkpoint_blob::{BlobError, BlobReader, StateValue};
use statelab::engine::keys::key_group::KeyGroup;
use statelab::engine::keys::key_group_range::KeyGroupRange;
use statelab::player::checkpoint_link;

struct InspectArgs {
    path: std::path::PathBuf,
    /// A Flink snapshot: one JSON line per keyed entry.
    dump: bool,
    /// Uids to name operators by (a Flink snapshot).
    uids: Vec<String>,
    /// Only these key groups (inclusive).
    key_groups: Option<(u32, u32)>,
    /// Section sizes only, no entries.
    summary: bool,
}

fn parse_range(text: &str) -> Result<(u32, u32), CliError> {
    let bad = || CliError::usage(format!("--key-groups '{text}': use N or FROM-TO"));
    let (from, to) = match text.split_once('-') {
        Some((a, b)) => (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?),
        None => {
            let n = text.parse().map_err(|_| bad())?;
            (n, n)
        }
    };
    if from > to {
        return Err(bad());
    }
    Ok((from, to))
}

fn parse(args: Vec<std::ffi::OsString>) -> Result<InspectArgs, CliError> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let (mut path, mut key_groups, mut summary) = (None, None, false);
    let (mut dump, mut uids) = (false, Vec::new());
    while let Some(arg) = parser.next()? {
        match arg {
            Long("key-groups") => {
                let v: String = parse_value("--key-groups", parser.value()?)?;
                key_groups = Some(parse_range(&v)?);
            }
            Long("summary") => summary = true,
            Long("dump") => dump = true,
            Long("uid") => uids.push(parse_value("--uid", parser.value()?)?),
            Value(v) if path.is_none() => path = Some(v.into()),
            _ => return Err(arg.unexpected().into()),
        }
    }
    Ok(InspectArgs {
        path: path.ok_or_else(|| CliError::usage("inspect needs a checkpoint file"))?,
        dump,
        uids,
        key_groups,
        summary,
    })
}

pub fn run(args: Vec<std::ffi::OsString>) -> Result<(), CliError> {
    let a = parse(args)?;
    if super::savepoint::is_flink_snapshot(&a.path) {
        return super::savepoint::run(&a.path, a.dump, &a.uids);
    }
    if a.dump || !a.uids.is_empty() {
        return Err(CliError::usage(
            "--dump and --uid are for Flink snapshots (a directory with _metadata, the _metadata file, a .zip)",
        ));
    }
    let name = a.path.display().to_string();
    let bytes = read_blob(&a.path)?;
    let reader = BlobReader::open(&bytes).map_err(|e| CliError::failed(format!("{name}: {e}")))?;
    let sections = reader.sections();
    let last = sections.len() as u32 - 1;
    let (from, to) = a.key_groups.unwrap_or((0, last));
    if to > last {
        return Err(CliError::failed(format!(
            "--key-groups: the checkpoint has key groups 0-{last}"
        )));
    }
    // Key groups of the checkpoint, so of a job: `try_from` cannot fail.
    let key_group = |n: u32| KeyGroup::try_from(n).map_err(|e| CliError::failed(e.to_string()));
    let range = KeyGroupRange::of(key_group(from)?.as_i32(), key_group(to)?.as_i32());
    let mut groups = Vec::with_capacity(range.number_of_key_groups());
    for kg in range.iter() {
        let info = sections[kg.index()];
        let mut group = json!({
            "keyGroup": kg,
            "entries": info.entries,
            "storedBytes": info.stored_len,
            "rawBytes": info.raw_len,
            "compressed": info.encoding == 1,
        });
        if !a.summary {
            let failed = |e: BlobError| CliError::failed(format!("{name}: {e}"));
            let contents = reader.key_group(kg).map_err(failed)?;
            let mut state = Map::new();
            for (key, value) in contents.entries {
                let key = reader.java_key(key).map_err(failed)?;
                let value = match value {
                    StateValue::Long(v) => Value::from(v),
                    StateValue::Object(o) => super::run::object_json(&o),
                };
                state.insert(key.to_string(), value);
            }
            group["state"] = Value::Object(state);
            // Version 3 carries the timers of the function's timer service (none but the session's has any).
            if reader.version() >= 3 {
                let timers = contents
                    .timers
                    .into_iter()
                    .map(|(key, timestamp)| {
                        let key = reader.java_key(key).map_err(failed)?;
                        Ok(json!({ "key": key.to_string(), "timestamp": timestamp }))
                    })
                    .collect::<Result<Vec<_>, CliError>>()?;
                group["timers"] = Value::Array(timers);
            }
        }
        groups.push(group);
    }
    let metadata =
        serde_json::to_value(reader.metadata()).map_err(|e| CliError::failed(e.to_string()))?;
    print_json(&json!({
        "file": name,
        "bytes": reader.len(),
        "formatVersion": reader.version(),
        "bytesPerEntry": reader.len() as f64 / reader.metadata().entries.max(1) as f64,
        "metadata": metadata,
        "keyGroups": groups,
    }))
}

/// The blob in a file, or in a share link given instead of a file name.
fn read_blob(path: &std::path::Path) -> Result<Vec<u8>, CliError> {
    let name = path.display().to_string();
    if checkpoint_link::carries_checkpoint(&name) {
        return checkpoint_link::blob_from_link(&name).map_err(CliError::failed);
    }
    std::fs::read(path).map_err(|e| CliError::failed(format!("{name}: {e}")))
}

/// `statelab link BLOB [--base URL]`: prints the link that opens the checkpoint in StateLab.
pub fn link(args: Vec<std::ffi::OsString>) -> Result<(), CliError> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let (mut path, mut base) = (
        None::<std::path::PathBuf>,
        "http://127.0.0.1:8080/".to_owned(),
    );
    while let Some(arg) = parser.next()? {
        match arg {
            Long("base") => base = parse_value("--base", parser.value()?)?,
            Value(v) if path.is_none() => path = Some(v.into()),
            _ => return Err(arg.unexpected().into()),
        }
    }
    let path = path.ok_or_else(|| CliError::usage("link needs a checkpoint file"))?;
    let name = path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|e| CliError::failed(format!("{name}: {e}")))?;
    BlobReader::open(&bytes).map_err(|e| CliError::failed(format!("{name}: {e}")))?;
    let fragment =
        checkpoint_link::fragment(&bytes).map_err(|e| CliError::failed(format!("{name}: {e}")))?;
    let base = base.split('#').next().unwrap_or_default();
    print_out(&format!("{base}#{fragment}\n"))?;
    Ok(())
}
