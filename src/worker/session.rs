//! What the savepoint worker holds and does, request by request, without the browser: the snapshot it opened
//! (read once, then summarised, paged and dumped on request) and the two exports made from what the page hands
//! it. Every answer is already worded in the page's language; the page only shows it.

use super::protocol::{decode_counts, word, JobState, Response, AT_EXPORT, AT_OPEN};
use super::savepoint_view::{summary, EntryIndex};
use crate::engine::checkpoint::metadata_v2::read_job;
use crate::engine::cluster::job_config::JobConfig;
use crate::engine::export::flink_project::{export_job, exported_config, CONFIG_FILE};
use crate::engine::savepoint::savepoint_error::SavepointError;
use crate::engine::savepoint::savepoint_reader::{read_savepoint, InMemoryFiles, Savepoint};
use crate::engine::savepoint::savepoint_writer::{check_job, write_savepoint, CounterState};
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

fn download(name: String, bytes: Vec<u8>) -> Reply {
    Reply {
        response: Response::Download { name },
        payload: Some(bytes),
    }
}

fn error(at: u8, text: String) -> Reply {
    Response::Error { at, text }.into()
}

struct Opened {
    name: String,
    savepoint: Savepoint,
    index: EntryIndex,
}

/// The worker's state: the snapshot last opened.
#[derive(Default)]
pub struct Session {
    opened: Option<Opened>,
}

/// The panel's words, in [`word`]'s order.
pub fn words(l: Lang) -> Vec<String> {
    let words = [
        &panel::TITLE,
        &panel::DROP,
        &panel::CHOOSE_FILES,
        &panel::CHOOSE_FOLDER,
        &panel::CANCEL,
        &panel::DUMP,
        &panel::UID,
        &panel::SAVEPOINT_ZIP,
        &panel::JOB_ZIP,
        &panel::EXPORT_NOTE,
        &panel::COLUMN_OPERATOR,
        &panel::COLUMN_SUBTASK,
        &panel::COLUMN_KEY_GROUP,
        &panel::COLUMN_STATE,
        &panel::COLUMN_KEY,
        &panel::COLUMN_VALUE,
    ];
    debug_assert_eq!(words.len(), word::COUNT);
    words.iter().map(|w| l.t(w).to_owned()).collect()
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
    /// The panel's words and, when a snapshot is open, its summary in that language.
    pub fn words(&self, l: Lang) -> Vec<Reply> {
        let mut replies = vec![Response::Words(words(l)).into()];
        replies.extend(self.summary(l));
        replies
    }

    fn summary(&self, l: Lang) -> Option<Reply> {
        let o = self.opened.as_ref()?;
        let rows = summary(&o.name, &o.savepoint, l, 0)
            .into_iter()
            .map(|r| (r.depth, r.text))
            .collect();
        Some(
            Response::Summary {
                rows,
                entries: o.index.total(),
            }
            .into(),
        )
    }

    /// Opens the snapshot in `files` (paths and bytes), naming operators by `uid` too when its hash matches.
    pub fn open(&mut self, files: Vec<(String, Vec<u8>)>, uid: &str, l: Lang) -> Reply {
        self.opened = None;
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
                self.opened = Some(Opened {
                    name,
                    savepoint,
                    index,
                });
                self.summary(l)
                    .unwrap_or_else(|| error(AT_OPEN, String::new()))
            }
            Err(e) => error(AT_OPEN, msg::error(&e, l)),
        }
    }

    /// The entries at `from..from + count` of the open snapshot (none when nothing is open).
    pub fn entries(&self, from: u64, count: u64, l: Lang) -> Reply {
        let rows = self.opened.as_ref().map_or_else(Vec::new, |o| {
            o.index.cells(&o.savepoint, from, count.min(4096), l)
        });
        Response::Entries { from, rows }.into()
    }

    /// Every entry of the open snapshot as a JSON line (`statelab inspect --dump`), as a download.
    pub fn dump(&self) -> Option<Reply> {
        let o = self.opened.as_ref()?;
        let name = o.name.rsplit('/').next().unwrap_or("snapshot");
        let name = name.strip_suffix(".zip").unwrap_or(name);
        Some(download(
            format!("{name}-dump.jsonl"),
            o.savepoint.dump_text().into_bytes(),
        ))
    }

    /// The running job's state as a Flink canonical savepoint (`MiniCluster::savepoint`), its folder zipped.
    pub fn savepoint(&self, s: &JobState, l: Lang) -> Reply {
        let (config, counts) = match (job_config(&s.job, l), decode_counts(&s.counts)) {
            (Ok(config), Some(counts)) => (config, counts),
            (Err(e), _) => return e,
            (_, None) => return error(AT_EXPORT, l.t(&panel::MALFORMED).to_owned()),
        };
        let written = check_job(s.status, config.function).and_then(|()| {
            write_savepoint(&CounterState {
                uid: &s.uid,
                checkpoint_id: s.checkpoint_id,
                parallelism: s.parallelism,
                max_parallelism: s.max_parallelism,
                key_type: config.source.key_format.key_type,
                counts: &counts,
            })
        });
        let folder = format!("savepoint-{}", s.checkpoint_id);
        match written {
            Ok(files) => zipped(
                &folder,
                files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
                l,
            ),
            Err(e) => error(AT_EXPORT, msg::write_error(&e, l)),
        }
    }

    /// The job as a Flink Maven project (`statelab export-job`), its folder zipped.
    pub fn job(&self, job: &[u8], l: Lang) -> Reply {
        let config = match job_config(job, l) {
            Ok(config) => config,
            Err(e) => return e,
        };
        let project = match export_job(&config) {
            Ok(project) => project,
            Err(e) => return error(AT_EXPORT, export::error(&e, l)),
        };
        let json = serde_json::to_string_pretty(&exported_config(&config, &project))
            .map(|text| text + "\n")
            .unwrap_or_default();
        let files = project
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.text.as_bytes()))
            .chain([(CONFIG_FILE, json.as_bytes())]);
        zipped("statelab-job", files, l)
    }
}

fn job_config(bytes: &[u8], l: Lang) -> Result<JobConfig, Reply> {
    read_job(bytes).map_err(|e| error(AT_EXPORT, errors::blob(&e, l)))
}

/// The files in a folder `folder` of a zip named after it.
fn zipped<'a>(folder: &str, files: impl Iterator<Item = (&'a str, &'a [u8])>, l: Lang) -> Reply {
    let files: Vec<(String, &[u8])> = files.map(|(p, b)| (format!("{folder}/{p}"), b)).collect();
    match write_zip(&files) {
        Ok(zip) => download(format!("{folder}.zip"), zip),
        Err(_) => error(AT_EXPORT, l.t(&panel::TOO_LARGE).to_owned()),
    }
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

    fn summary_rows(reply: &Reply) -> (Vec<(u8, String)>, u64) {
        match &reply.response {
            Response::Summary { rows, entries } => (rows.clone(), *entries),
            other => panic!("not a summary: {other:?}"),
        }
    }

    #[test]
    fn a_dropped_folder_shows_what_statelab_inspect_shows_and_every_entry() {
        for sample in [
            "savepoint_canonical",
            "savepoint_native",
            "checkpoint_retained",
        ] {
            let mut session = Session::default();
            let reply = session.open(folder(sample), "", Lang::En);
            let (rows, entries) = summary_rows(&reply);
            assert_eq!(rows[0], (0, format!("Flink snapshot {sample}")));
            let text: Vec<&str> = rows.iter().map(|(_, t)| t.as_str()).collect();
            let all = text.join("\n");
            assert!(all.contains("uid event-counter-op"), "{all}");
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
            let dump = session.dump().unwrap();
            let text = String::from_utf8(dump.payload.unwrap()).unwrap();
            for (line, row) in text.lines().zip(&rows) {
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
                assert_eq!(row[0], "event-counter-op");
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
            let from_folder = summary_rows(&Session::default().open(files.clone(), "", l));
            let from_zip = summary_rows(&Session::default().open(
                vec![("sp.zip".to_owned(), zip.clone())],
                "",
                l,
            ));
            let from_loose = summary_rows(&Session::default().open(loose.clone(), "", l));
            assert_eq!(from_folder.0[1..], from_zip.0[1..]);
            assert_eq!(from_folder.0[1..], from_loose.0[1..]);
            assert_eq!(from_zip.0[0].1, format!("{} sp.zip", l.t(&msg::SNAPSHOT)));
        }
        let zh = summary_rows(&Session::default().open(files, "", Lang::Zh)).0;
        assert!(
            zh.iter()
                .any(|(_, t)| t.contains("并行度 2 · 最大并行度 128")),
            "{zh:?}"
        );
    }

    #[test]
    fn damaged_input_is_refused_in_the_readers_language_and_the_session_goes_on() {
        let mut session = Session::default();
        session.open(folder("savepoint_native"), "", Lang::En);
        for (l, expected) in [(Lang::En, "Flink's magic number"), (Lang::Zh, "魔数")] {
            let reply = session.open(
                vec![("x.png".to_owned(), vec![0x89, b'P', b'N', b'G'])],
                "",
                l,
            );
            match reply.response {
                Response::Error { at, text } => {
                    assert_eq!(at, AT_OPEN);
                    assert!(text.contains(expected), "{text}");
                }
                other => panic!("{other:?}"),
            }
        }
        let mut cut = folder("savepoint_canonical");
        cut.retain(|(p, _)| p.ends_with("_metadata"));
        cut.push(("savepoint_canonical/other".to_owned(), vec![1, 2, 3]));
        let reply = session.open(cut, "", Lang::En);
        let (rows, entries) = summary_rows(&reply);
        assert_eq!(entries, 0);
        assert!(
            rows.iter()
                .any(|(_, t)| t.contains("its keyed state does not read")),
            "{rows:?}"
        );
        let truncated = write_zip(&folder("savepoint_canonical")).unwrap();
        let reply = session.open(
            vec![(
                "a.zip".to_owned(),
                truncated[..truncated.len() / 2].to_vec(),
            )],
            "",
            Lang::En,
        );
        assert!(
            matches!(reply.response, Response::Error { .. }),
            "{reply:?}"
        );
        // It still opens the next one.
        assert_eq!(
            summary_rows(&session.open(folder("savepoint_native"), "", Lang::En)).1,
            10
        );
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
        let session = Session::default();
        let reply = session.savepoint(&job_state(&cluster, "my-op"), Lang::En);
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
        let mut reader = Session::default();
        let (rows, entries) =
            summary_rows(&reader.open(vec![(name.clone(), reply.payload.unwrap())], "", Lang::En));
        assert_eq!(entries, cluster.counts().len() as u64);
        assert!(
            rows.iter().any(|(_, t)| t.contains("uid my-op")),
            "{rows:?}"
        );
    }

    #[test]
    fn exports_give_their_typed_errors_in_the_pages_language() {
        let cluster = counter_cluster();
        let session = Session::default();
        let mut state = job_state(&cluster, "op");
        state.status = JobStatus::Restarting;
        let Response::Error { at, text } = session.savepoint(&state, Lang::Zh).response else {
            panic!()
        };
        assert_eq!(at, AT_EXPORT);
        assert!(text.contains("保存点"), "{text}");
        let mut config = cluster.config().clone();
        config.function = crate::engine::functions::job_function::JobFunction::ALL
            .into_iter()
            .find(|f| !f.is_counter())
            .unwrap();
        let mut state = job_state(&cluster, "op");
        state.job = job_bytes(&config);
        for l in Lang::ALL {
            let Response::Error { text, .. } = session.savepoint(&state, l).response else {
                panic!()
            };
            let function = config.function.id();
            assert!(text.contains(function), "{text}");
            let Response::Error { text: job_text, .. } = session.job(&state.job, l).response else {
                panic!()
            };
            assert!(job_text.contains(function), "{job_text}");
            assert_ne!(text, job_text);
        }
        let Response::Error { text, .. } = session.job(&[0xff], Lang::En).response else {
            panic!()
        };
        assert!(!text.is_empty());
    }

    #[test]
    fn the_job_zip_is_the_exported_project_with_its_configuration() {
        let cluster = counter_cluster();
        let reply = Session::default().job(&job_bytes(cluster.config()), Lang::En);
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

    #[test]
    fn words_come_in_the_panels_order_and_language() {
        let en = words(Lang::En);
        assert_eq!(en.len(), word::COUNT);
        assert_eq!(en[word::DUMP], "Download dump (JSON lines)");
        assert_eq!(words(Lang::Zh)[word::CANCEL], "取消");
    }
}
