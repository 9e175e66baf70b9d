//! What the savepoint worker holds and does, request by request, without the browser: the snapshot it opened
//! (read once, then summarised, paged and dumped on request), the panel's state, and the two exports made from
//! what the page hands it. Every answer is already worded in the page's language and laid out
//! (`worker::panel`); the page only puts it in place.

use super::panel::{entry_row, parts, PanelState};
use super::protocol::{decode_counts, JobState, Response};
use super::savepoint_view::{summary, EntryIndex};
use crate::engine::checkpoint::blob_error::BlobError;
use crate::engine::checkpoint::metadata_v2::read_job;
use crate::engine::cluster::job_config::JobConfig;
use crate::engine::export::export_error::ExportError;
use crate::engine::export::flink_project::{export_job, exported_config, CONFIG_FILE};
use crate::engine::savepoint::savepoint_error::SavepointError;
use crate::engine::savepoint::savepoint_reader::{read_savepoint, InMemoryFiles, Savepoint};
use crate::engine::savepoint::savepoint_writer::{
    check_job, write_savepoint, CounterState, SavepointWriteError,
};
use crate::engine::savepoint::zip_archive::is_zip;
use crate::engine::savepoint::zip_writer::write_zip;
use crate::i18n::messages::{errors, export, savepoint as msg, savepoint_panel as panel};
use crate::i18n::Lang;

/// An answer: the message and, for a download, the file's bytes that go with it.
#[derive(Debug, PartialEq, Eq)]
pub struct Reply {
    pub response: Response,
    pub payload: Option<Vec<u8>>,
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        Reply {
            response,
            payload: None,
        }
    }
}

/// Why the last open or export failed, kept typed so that it is worded again in another language.
#[derive(Clone, Debug)]
enum Failure {
    Open(SavepointError),
    Write(SavepointWriteError),
    Export(ExportError),
    Job(BlobError),
    Malformed,
    TooLarge,
}

impl Failure {
    fn text(&self, l: Lang) -> String {
        match self {
            Failure::Open(e) => msg::error(e, l),
            Failure::Write(e) => msg::write_error(e, l),
            Failure::Export(e) => export::error(e, l),
            Failure::Job(e) => errors::blob(e, l),
            Failure::Malformed => l.t(&panel::MALFORMED).to_owned(),
            Failure::TooLarge => l.t(&panel::TOO_LARGE).to_owned(),
        }
    }
}

struct Opened {
    name: String,
    savepoint: Savepoint,
    index: EntryIndex,
}

/// The worker's state: the snapshot last opened and what the panel shows.
#[derive(Default)]
pub struct Session {
    opened: Option<Opened>,
    state: PanelState,
    failures: [Option<Failure>; 2],
}

/// The files of a drop or a choice as a snapshot: a `.zip` alone is unpacked, any other file alone is taken for
/// `_metadata` (its state inline, or none), several files are a snapshot folder's (paths relative to anything
/// above its `_metadata`). Also the name the summary gives it.
fn snapshot_files(
    mut files: Vec<(String, Vec<u8>)>,
) -> Result<(String, InMemoryFiles), SavepointError> {
    if files.len() == 1 {
        let (path, bytes) = files.pop().unwrap_or_default();
        if is_zip(&bytes) {
            return Ok((path, InMemoryFiles::from_zip(&bytes)?));
        }
        let metadata = vec![("_metadata".to_owned(), bytes)];
        return Ok((path, InMemoryFiles::new(metadata)?));
    }
    let folder = files
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| *p == "_metadata" || p.ends_with("/_metadata"))
        .min_by_key(|p| p.matches('/').count())
        .map(|p| {
            p.trim_end_matches("_metadata")
                .trim_end_matches('/')
                .to_owned()
        })
        .filter(|folder| !folder.is_empty())
        .unwrap_or_else(|| "_metadata".to_owned());
    Ok((folder, InMemoryFiles::new(files)?))
}

impl Session {
    /// The panel as it is, in `l`.
    pub fn panel(&self, l: Lang) -> Reply {
        Response::Panel {
            parts: parts(&self.state, l),
            entries: self.state.entries,
        }
        .into()
    }

    /// The files being read: `done` of `total` bytes.
    pub fn reading(&mut self, done: u64, total: u64, l: Lang) -> Reply {
        let mb = |bytes: u64| format!("{:.1}", bytes as f64 / 1e6);
        let text = if done < total {
            panel::progress(l, &mb(done), &mb(total))
        } else {
            panel::decoding(l, &mb(total))
        };
        self.state.progress = Some((done, total, text));
        self.panel(l)
    }

    fn summarise(&mut self, l: Lang) {
        if let Some(o) = &self.opened {
            self.state.summary = summary(&o.name, &o.savepoint, l, 0)
                .into_iter()
                .map(|r| (r.depth, r.text))
                .collect();
        }
    }

    /// The panel in another language (the summary and the errors worded again).
    pub fn relabel(&mut self, l: Lang) -> Reply {
        self.summarise(l);
        let [open, export] = &self.failures;
        self.state.open_error = open.as_ref().map(|f| f.text(l));
        self.state.export_error = export.as_ref().map(|f| f.text(l));
        self.panel(l)
    }

    /// Opens the snapshot in `files` (paths and bytes), naming operators by `uid` too when its hash matches.
    pub fn open(&mut self, files: Vec<(String, Vec<u8>)>, uid: &str, l: Lang) -> Reply {
        self.opened = None;
        self.failures[0] = None;
        self.state = PanelState {
            export_error: self.state.export_error.take(),
            ..PanelState::default()
        };
        let uids: Vec<String> = Some(uid.trim())
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .into_iter()
            .collect();
        let opened = snapshot_files(files).and_then(|(name, files)| {
            let savepoint = read_savepoint(&files, &uids)?;
            Ok((name, savepoint))
        });
        match opened {
            Ok((name, savepoint)) => {
                let index = EntryIndex::new(&savepoint);
                self.state.entries = index.total();
                self.state.unread = savepoint.unread_subtasks().count();
                self.opened = Some(Opened {
                    name,
                    savepoint,
                    index,
                });
                self.summarise(l);
            }
            Err(e) => {
                let failure = Failure::Open(e);
                self.state.open_error = Some(failure.text(l));
                self.failures[0] = Some(failure);
            }
        }
        self.panel(l)
    }

    /// The entries at `from..from + count` of the open snapshot, as the table's rows (none when nothing is open).
    pub fn entries(&self, from: u64, count: u64, l: Lang) -> Reply {
        let rows = self.opened.as_ref().map_or_else(Vec::new, |o| {
            o.index
                .cells(&o.savepoint, from, count.min(4096), l)
                .iter()
                .map(entry_row)
                .collect()
        });
        Response::Entries { from, rows }.into()
    }

    /// Every entry of the open snapshot as a JSON line (`statelab inspect --dump`), as a download.
    pub fn dump(&self) -> Option<Reply> {
        let o = self.opened.as_ref()?;
        let name = o.name.rsplit('/').next().unwrap_or("snapshot");
        let name = name.strip_suffix(".zip").unwrap_or(name);
        Some(Reply {
            response: Response::Download {
                name: format!("{name}-dump.jsonl"),
            },
            payload: Some(o.savepoint.dump_text().into_bytes()),
        })
    }

    /// The running job's state as a Flink canonical savepoint (`MiniCluster::savepoint`), its folder zipped: the
    /// download and the panel, or the panel with the error.
    pub fn savepoint(&mut self, s: &JobState, l: Lang) -> Vec<Reply> {
        let written = job_config(&s.job).and_then(|config| {
            let counts = decode_counts(&s.counts).ok_or(Failure::Malformed)?;
            check_job(s.status, config.function)
                .and_then(|()| {
                    write_savepoint(&CounterState {
                        uid: &s.uid,
                        checkpoint_id: s.checkpoint_id,
                        parallelism: s.parallelism,
                        max_parallelism: s.max_parallelism,
                        key_type: config.source.key_format.key_type,
                        counts: &counts,
                    })
                })
                .map_err(Failure::Write)
        });
        let folder = format!("savepoint-{}", s.checkpoint_id);
        let zipped = written.and_then(|files| {
            zipped(
                &folder,
                files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
            )
        });
        self.exported(zipped, l)
    }

    /// The job as a Flink Maven project (`statelab export-job`), its folder zipped.
    pub fn job(&mut self, job: &[u8], l: Lang) -> Vec<Reply> {
        let zipped = job_config(job).and_then(|config| {
            let project = export_job(&config).map_err(Failure::Export)?;
            let json = serde_json::to_string_pretty(&exported_config(&config, &project))
                .map(|text| text + "\n")
                .unwrap_or_default();
            let files = project
                .files
                .iter()
                .map(|f| (f.path.as_str(), f.text.as_bytes()))
                .chain([(CONFIG_FILE, json.as_bytes())]);
            zipped("statelab-job", files)
        });
        self.exported(zipped, l)
    }

    fn exported(&mut self, zipped: Result<Reply, Failure>, l: Lang) -> Vec<Reply> {
        let mut replies = Vec::new();
        self.failures[1] = match zipped {
            Ok(download) => {
                replies.push(download);
                None
            }
            Err(e) => Some(e),
        };
        self.state.export_error = self.failures[1].as_ref().map(|f| f.text(l));
        replies.push(self.panel(l));
        replies
    }
}

fn job_config(bytes: &[u8]) -> Result<JobConfig, Failure> {
    read_job(bytes).map_err(Failure::Job)
}

/// The files in a folder `folder` of a zip named after it, as a download.
fn zipped<'a>(
    folder: &str,
    files: impl Iterator<Item = (&'a str, &'a [u8])>,
) -> Result<Reply, Failure> {
    let files: Vec<(String, &[u8])> = files.map(|(p, b)| (format!("{folder}/{p}"), b)).collect();
    let zip = write_zip(&files).map_err(|_| Failure::TooLarge)?;
    Ok(Reply {
        response: Response::Download {
            name: format!("{folder}.zip"),
        },
        payload: Some(zip),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::checkpoint::metadata_v2::job_bytes;
    use crate::engine::cluster::engine_event::RunSummary;
    use crate::engine::cluster::job_status::JobStatus;
    use crate::engine::cluster::mini_cluster::MiniCluster;
    use crate::engine::cluster::run_limit::RunLimit;
    use crate::engine::savepoint::zip_archive::read_zip;
    use crate::worker::protocol::encode_counts;

    const PUBLIC: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/flink-savepoints/public"
    );

    /// A sample's files as a folder drop gives them: paths under the folder's name.
    fn folder(name: &str) -> Vec<(String, Vec<u8>)> {
        let dir = std::path::Path::new(PUBLIC).join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let file = e.file_name().into_string().unwrap();
                (format!("{name}/{file}"), std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    /// Opens `files` in a new session: the summary's rows, the entries, and the session.
    fn open(files: Vec<(String, Vec<u8>)>, l: Lang) -> (Vec<(u8, String)>, u64, Session) {
        let mut session = Session::default();
        let reply = session.open(files, "", l);
        let Response::Panel { parts, entries } = reply.response else {
            panic!("not the panel")
        };
        assert_eq!(entries, session.state.entries);
        if entries > 0 {
            assert!(parts[0].contains("savepoint-summary"));
            assert!(parts[1].contains("sp-head"));
        } else {
            assert!(parts[1].is_empty());
        }
        (session.state.summary.clone(), entries, session)
    }

    /// The cells of a table row's HTML.
    fn cells(row: &str) -> Vec<String> {
        row.split("<span>")
            .skip(1)
            .map(|c| c.split("</span>").next().unwrap().replace("&quot;", "\""))
            .collect()
    }

    fn export_error(replies: &[Reply], session: &Session) -> String {
        assert_eq!(replies.len(), 1, "{replies:?}");
        session.state.export_error.clone().expect("an export error")
    }

    #[test]
    fn a_dropped_folder_shows_what_statelab_inspect_shows_and_every_entry() {
        for sample in [
            "savepoint_canonical",
            "savepoint_native",
            "checkpoint_retained",
        ] {
            let (rows, entries, session) = open(folder(sample), Lang::En);
            assert_eq!(rows[0], (0, format!("Flink snapshot {sample}")));
            let all = rows
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            assert!(
                all.contains("uid event-counter-op · parallelism 2 · max parallelism 128"),
                "{all}"
            );
            assert!(all.contains("key groups 64-127"), "{all}");
            assert!(
                all.contains("state 'event-counter' · VALUE · Long · 5 entries"),
                "{all}"
            );
            assert_eq!(entries, 10, "{sample}");
            // Pages of entries, in the dump's order: the same keys and values as the dump.
            let Response::Entries { from, rows } = session.entries(0, 100, Lang::En).response
            else {
                panic!("no entries")
            };
            assert_eq!((from, rows.len()), (0, 10));
            let text = String::from_utf8(session.dump().unwrap().payload.unwrap()).unwrap();
            for (line, row) in text.lines().zip(&rows) {
                let row = cells(row);
                assert_eq!(row[0], "event-counter-op");
                assert!(
                    line.contains(&format!("\"keyGroup\":{}", row[2])),
                    "{line} {row:?}"
                );
                assert!(
                    line.contains(&format!("\"key\":{}", row[4])),
                    "{line} {row:?}"
                );
                assert!(
                    line.contains(&format!("\"value\":{}", row[5])),
                    "{line} {row:?}"
                );
            }
            let mut expected: Vec<&str> = include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/data/flink-savepoints/public/expected.jsonl"
            ))
            .lines()
            .collect();
            let mut got: Vec<&str> = text.lines().collect();
            expected.sort();
            got.sort();
            assert_eq!(got, expected, "{sample}");
        }
    }

    #[test]
    fn a_zip_and_loose_files_open_like_the_folder_in_both_languages() {
        let files = folder("savepoint_canonical");
        let zip = write_zip(&files).unwrap();
        let loose: Vec<_> = files
            .iter()
            .map(|(p, b)| (p.rsplit('/').next().unwrap().to_owned(), b.clone()))
            .collect();
        for l in Lang::ALL {
            let from_folder = open(files.clone(), l).0;
            let from_zip = open(vec![("sp.zip".to_owned(), zip.clone())], l).0;
            let from_loose = open(loose.clone(), l).0;
            assert_eq!(from_folder[1..], from_zip[1..]);
            assert_eq!(from_folder[1..], from_loose[1..]);
            assert_eq!(from_zip[0].1, format!("{} sp.zip", l.t(&msg::SNAPSHOT)));
        }
        let (_, _, mut session) = open(files, Lang::En);
        session.relabel(Lang::Zh);
        let zh = &session.state.summary;
        assert!(
            zh.iter()
                .any(|(_, t)| t.contains("并行度 2 · 最大并行度 128")),
            "{zh:?}"
        );
    }

    #[test]
    fn damaged_input_is_refused_in_the_readers_language_and_the_session_goes_on() {
        let (_, _, mut session) = open(folder("savepoint_native"), Lang::En);
        for (l, expected) in [(Lang::En, "Flink's magic number"), (Lang::Zh, "魔数")] {
            let reply = session.open(
                vec![("x.png".to_owned(), vec![0x89, b'P', b'N', b'G'])],
                "",
                l,
            );
            let Response::Panel { parts, entries } = reply.response else {
                panic!()
            };
            assert_eq!(entries, 0);
            assert!(parts[0].contains("data-testid=\"savepoint-error\""));
            assert!(!parts[0].contains("savepoint-summary"));
            let text = session.state.open_error.clone().unwrap();
            assert!(text.contains(expected), "{text}");
        }
        // Worded again in the other language.
        session.relabel(Lang::En);
        assert!(session
            .state
            .open_error
            .as_ref()
            .unwrap()
            .contains("magic number"));
        let mut cut = folder("savepoint_canonical");
        cut.retain(|(p, _)| p.ends_with("_metadata"));
        cut.push(("savepoint_canonical/other".to_owned(), vec![1, 2, 3]));
        let (rows, entries, _) = open(cut, Lang::En);
        assert_eq!(entries, 0);
        assert!(
            rows.iter()
                .any(|(_, t)| t.contains("its keyed state does not read")),
            "{rows:?}"
        );
        let zip = write_zip(&folder("savepoint_canonical")).unwrap();
        session.open(
            vec![("a.zip".to_owned(), zip[..zip.len() / 2].to_vec())],
            "",
            Lang::En,
        );
        assert!(session.state.open_error.is_some());
        // It still opens the next one.
        session.open(folder("savepoint_native"), "", Lang::En);
        assert_eq!(
            (session.state.entries, session.state.open_error.as_ref()),
            (10, None)
        );
    }

    /// A snapshot one of whose keyed subtasks does not read (its state file is missing): the entries of the
    /// others open and the dump holds them, and the panel says beside the dump that it leaves that subtask out
    /// (as `statelab inspect --dump` writes the others and then fails).
    #[test]
    fn the_dump_says_it_leaves_out_a_subtask_whose_state_does_not_read() {
        let whole = folder("savepoint_native");
        let (_, all, _) = open(whole.clone(), Lang::En);
        let state_files: Vec<&String> = whole
            .iter()
            .map(|(p, _)| p)
            .filter(|p| !p.ends_with("_metadata"))
            .collect();
        // Without each state file in turn: one whose loss leaves keyed entries from another subtask.
        let (cut, entries, session) = state_files
            .iter()
            .map(|missing| {
                let mut cut = whole.clone();
                cut.retain(|(p, _)| p != *missing);
                let (_, entries, session) = open(cut.clone(), Lang::En);
                (cut, entries, session)
            })
            .find(|(_, entries, session)| *entries > 0 && session.state.unread > 0)
            .expect("a state file whose loss leaves another subtask's entries");
        assert_eq!(session.state.unread, 1);
        assert!(entries < all, "{entries} of {all}");
        let Response::Panel { parts, .. } = session.panel(Lang::En).response else {
            panic!("not the panel")
        };
        assert!(
            parts[0].contains("The dump leaves out the subtask whose keyed state does not read"),
            "{}",
            parts[0]
        );
        let Response::Panel { parts, .. } = session.panel(Lang::Zh).response else {
            panic!("not the panel")
        };
        assert!(parts[0].contains("转储不包含键控状态无法读取的那个子任务"));
        let dump = session.dump().expect("a dump").payload.expect("its bytes");
        let lines = String::from_utf8(dump).unwrap();
        assert_eq!(lines.lines().count() as u64, entries);
        // Whole, it says nothing of the kind.
        let (_, _, whole) = open(whole, Lang::En);
        assert_eq!(whole.state.unread, 0);
        drop(cut);
    }

    #[test]
    fn reading_shows_its_progress_and_disables_the_buttons_until_opened() {
        let mut session = Session::default();
        let Response::Panel { parts, .. } =
            session.reading(4_000_000, 100_000_000, Lang::En).response
        else {
            panic!()
        };
        assert!(
            parts[0].contains("Reading 4.0 of 100.0 MB…"),
            "{}",
            parts[0]
        );
        assert!(parts[3].contains(" disabled"));
        session.reading(100_000_000, 100_000_000, Lang::Zh);
        assert!(session
            .state
            .progress
            .as_ref()
            .unwrap()
            .2
            .contains("正在解码"));
        session.open(folder("savepoint_native"), "", Lang::En);
        assert_eq!(session.state.progress, None);
    }

    fn job_state(cluster: &MiniCluster, uid: &str) -> JobState {
        JobState {
            uid: uid.to_owned(),
            status: cluster.status(),
            checkpoint_id: cluster.next_checkpoint_id(),
            parallelism: cluster.parallelism(),
            max_parallelism: cluster.max_parallelism(),
            job: job_bytes(cluster.config()),
            counts: encode_counts(&cluster.java_counts()),
        }
    }

    fn counter_cluster() -> MiniCluster {
        let mut config = JobConfig::default();
        config.source.key_count = 500;
        config.source.max_events = Some(3_000);
        let mut cluster = MiniCluster::new(config).unwrap();
        cluster.run(RunLimit::UNLIMITED, &mut RunSummary::default());
        cluster
    }

    #[test]
    fn the_savepoint_zip_is_what_minicluster_savepoint_writes_and_reads_back() {
        let cluster = counter_cluster();
        let mut session = Session::default();
        let mut replies = session.savepoint(&job_state(&cluster, "my-op"), Lang::En);
        assert_eq!(replies.len(), 2);
        let reply = replies.remove(0);
        let Response::Download { name } = &reply.response else {
            panic!("{reply:?}")
        };
        let folder = format!("savepoint-{}", cluster.next_checkpoint_id());
        assert_eq!(name, &format!("{folder}.zip"));
        let unzipped = read_zip(reply.payload.as_ref().unwrap()).unwrap();
        let expected: Vec<(String, Vec<u8>)> = cluster
            .savepoint("my-op")
            .unwrap()
            .into_iter()
            .map(|(p, b)| (format!("{folder}/{p}"), b))
            .collect();
        assert_eq!(unzipped, expected);
        // And it opens in the panel as the savepoint of the job's counts.
        let (rows, entries, _) = open(vec![(name.clone(), reply.payload.unwrap())], Lang::En);
        assert_eq!(entries, cluster.counts().len() as u64);
        assert!(
            rows.iter().any(|(_, t)| t.contains("uid my-op")),
            "{rows:?}"
        );
    }

    #[test]
    fn exports_give_their_typed_errors_in_the_pages_language() {
        let cluster = counter_cluster();
        let mut session = Session::default();
        let mut state = job_state(&cluster, "op");
        state.status = JobStatus::Restarting;
        let replies = session.savepoint(&state, Lang::Zh);
        let text = export_error(&replies, &session);
        assert!(text.contains("保存点"), "{text}");
        let Response::Panel { parts, .. } = &replies[0].response else {
            panic!()
        };
        assert!(parts[3].contains("savepoint-export-error"));
        let mut config = cluster.config().clone();
        config.function = crate::engine::functions::job_function::JobFunction::ALL
            .into_iter()
            .find(|f| !f.is_counter())
            .unwrap();
        let mut state = job_state(&cluster, "op");
        state.job = job_bytes(&config);
        for l in Lang::ALL {
            let replies = session.savepoint(&state, l);
            let text = export_error(&replies, &session);
            let function = config.function.id();
            assert!(text.contains(function), "{text}");
            let replies = session.job(&state.job, l);
            let job_text = export_error(&replies, &session);
            assert!(job_text.contains(function), "{job_text}");
            assert_ne!(text, job_text);
        }
        let replies = session.job(&[0xff], Lang::En);
        assert!(!export_error(&replies, &session).is_empty());
        // A download that works clears the error.
        let replies = session.job(&job_bytes(cluster.config()), Lang::En);
        assert_eq!(replies.len(), 2);
        assert_eq!(session.state.export_error, None);
    }

    #[test]
    fn the_job_zip_is_the_exported_project_with_its_configuration() {
        let cluster = counter_cluster();
        let reply = Session::default()
            .job(&job_bytes(cluster.config()), Lang::En)
            .remove(0);
        assert_eq!(
            reply.response,
            Response::Download {
                name: "statelab-job.zip".to_owned()
            }
        );
        let files = read_zip(&reply.payload.unwrap()).unwrap();
        let project = export_job(cluster.config()).unwrap();
        for (file, (path, bytes)) in project.files.iter().zip(&files) {
            assert_eq!(path, &format!("statelab-job/{}", file.path));
            assert_eq!(bytes, file.text.as_bytes());
        }
        let (path, json) = files.last().unwrap();
        assert_eq!(path, "statelab-job/statelab-job.json");
        let config: JobConfig = serde_json::from_slice(json).unwrap();
        assert_eq!(config, exported_config(cluster.config(), &project));
    }
}
