//! The messages between the page and the checkpoint library's worker (`statelab-library-worker`), as bytes in
//! the savepoint tools' encoding ([`super::protocol`]: a tag, then varints and texts). The page encodes
//! [`LibraryRequest`]s and decodes [`LibraryResponse`]s, the worker the reverse. A blob travels beside its
//! message as a transferred buffer (the job's checkpoint to store, a checkpoint to restore or download), files
//! to import as the browser's `File` objects.

use super::library_panel::Parts;
use super::protocol::{lang_number, In, Out};
use crate::i18n::Lang;

/// A control of the panel or the link dialog, by its `data-act`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// A row's details opened or closed.
    Toggle,
    Restore,
    Export,
    Link,
    Delete,
    /// What went wrong, no longer shown.
    Dismiss,
    /// Storage opened again after another tab closed it.
    Reopen,
    /// The offered link: restored now (and stored), only stored, or left.
    LinkRestore,
    LinkKeep,
    LinkCancel,
}

const ACTS: [(Act, &str); 10] = [
    (Act::Toggle, "toggle"),
    (Act::Restore, "restore"),
    (Act::Export, "export"),
    (Act::Link, "link"),
    (Act::Delete, "delete"),
    (Act::Dismiss, "dismiss"),
    (Act::Reopen, "reopen"),
    (Act::LinkRestore, "link-restore"),
    (Act::LinkKeep, "link-keep"),
    (Act::LinkCancel, "link-cancel"),
];

impl Act {
    /// The control's `data-act`.
    pub fn name(self) -> &'static str {
        ACTS.iter().find(|(a, _)| *a == self).map_or("", |(_, n)| n)
    }

    pub fn from_name(name: &str) -> Option<Act> {
        ACTS.iter().find(|(_, n)| *n == name).map(|(a, _)| *a)
    }

    fn number(self) -> u64 {
        ACTS.iter().position(|(a, _)| *a == self).unwrap_or(0) as u64
    }

    fn from_number(n: u64) -> Option<Act> {
        ACTS.get(usize::try_from(n).ok()?).map(|(a, _)| *a)
    }
}

/// What the page asks of the library's worker. Every request carries the page's language.
#[derive(Clone, Debug, PartialEq)]
pub enum LibraryRequest {
    /// The running job (its run is marked "this run", its checkpoints are stored under its id) and the page's
    /// address without its fragment (share links point there).
    Page { job_id: String, base: String },
    /// What the browser answered the page's request for persistent storage (only a page may ask).
    Persistent(Option<bool>),
    /// The panel again (in this language).
    Panel,
    /// Store the job's completed checkpoint that comes with the message, retaining the job's newest
    /// `retained`, with the run it is of (its job and its start).
    Store {
        job_id: String,
        checkpoint_id: u64,
        retained: u64,
        run: String,
        run_started_ms: f64,
    },
    /// Import the files that come with the message.
    Import,
    /// Open a checkpoint link (typed, pasted, or in the address bar).
    OpenLink(String),
    /// A control of the panel, for the stored checkpoint under `key` (empty for the panel's own).
    Act { act: Act, key: String },
    /// The parallelism chosen to restore a stored checkpoint at.
    Choose { key: String, parallelism: u32 },
    /// The page started the job the worker handed it, or says (worded) why it could not.
    Restored(Option<String>),
    /// Whether the share link went onto the clipboard.
    Copied(bool),
    /// The Chinese pack's text, as the page fetched it (sent before the first request in Chinese).
    Pack(String),
}

fn optional_text(o: &mut Out, text: &Option<String>) {
    match text {
        Some(t) => o.varint(1).text(t),
        None => o.varint(0),
    };
}

fn read_optional_text(i: &mut In) -> Option<Option<String>> {
    Some(match i.varint()? {
        0 => None,
        _ => Some(i.text()?),
    })
}

impl LibraryRequest {
    pub fn encode(&self, l: Lang) -> Vec<u8> {
        let mut o = Out::default();
        o.varint(lang_number(l));
        match self {
            LibraryRequest::Page { job_id, base } => o.varint(0).text(job_id).text(base),
            LibraryRequest::Persistent(p) => o.varint(1).varint(match p {
                None => 0,
                Some(false) => 1,
                Some(true) => 2,
            }),
            LibraryRequest::Panel => o.varint(2),
            LibraryRequest::Store {
                job_id,
                checkpoint_id,
                retained,
                run,
                run_started_ms,
            } => o
                .varint(3)
                .text(job_id)
                .varint(*checkpoint_id)
                .varint(*retained)
                .text(run)
                .varint(run_started_ms.to_bits()),
            LibraryRequest::Import => o.varint(4),
            LibraryRequest::OpenLink(link) => o.varint(5).text(link),
            LibraryRequest::Act { act, key } => o.varint(6).varint(act.number()).text(key),
            LibraryRequest::Choose { key, parallelism } => {
                o.varint(7).text(key).varint(u64::from(*parallelism))
            }
            LibraryRequest::Restored(error) => {
                o.varint(8);
                optional_text(&mut o, error);
                &mut o
            }
            LibraryRequest::Copied(ok) => o.varint(9).varint(u64::from(*ok)),
            LibraryRequest::Pack(text) => o.varint(10).text(text),
        };
        o.0
    }

    pub fn decode(bytes: &[u8]) -> Option<(LibraryRequest, Lang)> {
        let mut i = In(bytes);
        let l = i.lang()?;
        let request = match i.varint()? {
            0 => LibraryRequest::Page {
                job_id: i.text()?,
                base: i.text()?,
            },
            1 => LibraryRequest::Persistent(match i.varint()? {
                0 => None,
                1 => Some(false),
                _ => Some(true),
            }),
            2 => LibraryRequest::Panel,
            3 => LibraryRequest::Store {
                job_id: i.text()?,
                checkpoint_id: i.varint()?,
                retained: i.varint()?,
                run: i.text()?,
                run_started_ms: f64::from_bits(i.varint()?),
            },
            4 => LibraryRequest::Import,
            5 => LibraryRequest::OpenLink(i.text()?),
            6 => LibraryRequest::Act {
                act: Act::from_number(i.varint()?)?,
                key: i.text()?,
            },
            7 => LibraryRequest::Choose {
                key: i.text()?,
                parallelism: u32::try_from(i.varint()?).ok()?,
            },
            8 => LibraryRequest::Restored(read_optional_text(&mut i)?),
            9 => LibraryRequest::Copied(i.varint()? != 0),
            10 => LibraryRequest::Pack(i.text()?),
            _ => return None,
        };
        i.0.is_empty().then_some((request, l))
    }
}

/// What the library's worker tells the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LibraryResponse {
    /// The worker listens: the page may send.
    Ready,
    /// The panel's parts and the language they are in, and what the page's storing of the job's checkpoints
    /// needs: whether storage is open and whether storing is paused on a full quota.
    Panel {
        parts: Parts,
        lang: Lang,
        open: bool,
        full: bool,
    },
    /// The job's checkpoint was stored, or (worded) why not.
    Saved {
        job_id: String,
        checkpoint_id: u64,
        error: Option<String>,
    },
    /// Start a job from the checked blob that comes with the message (inflated, as the page's reader takes
    /// it), at its own parallelism or at this one; answered with [`LibraryRequest::Restored`].
    Restore { parallelism: Option<u32> },
    /// Offer the bytes that come with the message as a download.
    Download { name: String },
    /// Put a share link on the clipboard; answered with [`LibraryRequest::Copied`].
    Copy(String),
}

impl LibraryResponse {
    pub fn encode(&self) -> Vec<u8> {
        let mut o = Out::default();
        match self {
            LibraryResponse::Ready => o.varint(0),
            LibraryResponse::Panel {
                parts,
                lang,
                open,
                full,
            } => o
                .varint(1)
                .text(&parts.status)
                .text(&parts.body)
                .text(&parts.dialog)
                .varint(lang_number(*lang))
                .varint(u64::from(*open))
                .varint(u64::from(*full)),
            LibraryResponse::Saved {
                job_id,
                checkpoint_id,
                error,
            } => {
                o.varint(2).text(job_id).varint(*checkpoint_id);
                optional_text(&mut o, error);
                &mut o
            }
            LibraryResponse::Restore { parallelism } => o
                .varint(3)
                .varint(parallelism.map_or(0, |p| u64::from(p) + 1)),
            LibraryResponse::Download { name } => o.varint(4).text(name),
            LibraryResponse::Copy(text) => o.varint(5).text(text),
        };
        o.0
    }

    pub fn decode(bytes: &[u8]) -> Option<LibraryResponse> {
        let mut i = In(bytes);
        let response = match i.varint()? {
            0 => LibraryResponse::Ready,
            1 => LibraryResponse::Panel {
                parts: Parts {
                    status: i.text()?,
                    body: i.text()?,
                    dialog: i.text()?,
                },
                lang: i.lang()?,
                open: i.varint()? != 0,
                full: i.varint()? != 0,
            },
            2 => LibraryResponse::Saved {
                job_id: i.text()?,
                checkpoint_id: i.varint()?,
                error: read_optional_text(&mut i)?,
            },
            3 => LibraryResponse::Restore {
                parallelism: match i.varint()? {
                    0 => None,
                    p => Some(u32::try_from(p - 1).ok()?),
                },
            },
            4 => LibraryResponse::Download { name: i.text()? },
            5 => LibraryResponse::Copy(i.text()?),
            _ => return None,
        };
        i.0.is_empty().then_some(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requests() -> Vec<LibraryRequest> {
        let mut all = vec![
            LibraryRequest::Page {
                job_id: "0123456789abcdef".into(),
                base: "http://127.0.0.1:8080/?x=1".into(),
            },
            LibraryRequest::Panel,
            LibraryRequest::Store {
                job_id: "0123456789abcdef".into(),
                checkpoint_id: 7,
                retained: 3,
                run: "scenario/hot-key".into(),
                run_started_ms: 1_764_000_000_123.5,
            },
            LibraryRequest::Import,
            LibraryRequest::OpenLink("http://x/#checkpoint=AAAA".into()),
            LibraryRequest::Choose {
                key: "import/ab".into(),
                parallelism: 8,
            },
            LibraryRequest::Restored(None),
            LibraryRequest::Restored(Some("Checkpoint 3 could not be restored: …".into())),
            LibraryRequest::Copied(true),
            LibraryRequest::Copied(false),
            LibraryRequest::Pack("#key\t中文\n".into()),
        ];
        all.extend([None, Some(false), Some(true)].map(LibraryRequest::Persistent));
        all.extend(ACTS.iter().map(|&(act, _)| LibraryRequest::Act {
            act,
            key: "job/1".into(),
        }));
        all
    }

    #[test]
    fn every_request_decodes_as_encoded_in_both_languages() {
        for l in [Lang::En, Lang::Zh] {
            for request in requests() {
                assert_eq!(
                    LibraryRequest::decode(&request.encode(l)),
                    Some((request, l))
                );
            }
        }
    }

    #[test]
    fn every_response_decodes_as_encoded() {
        let responses = [
            LibraryResponse::Ready,
            LibraryResponse::Panel {
                parts: Parts {
                    status: "<span>IndexedDB</span>".into(),
                    body: "<p>中文</p>".into(),
                    dialog: String::new(),
                },
                lang: Lang::Zh,
                open: true,
                full: false,
            },
            LibraryResponse::Saved {
                job_id: "j".into(),
                checkpoint_id: 2,
                error: None,
            },
            LibraryResponse::Saved {
                job_id: "j".into(),
                checkpoint_id: 2,
                error: Some("full".into()),
            },
            LibraryResponse::Restore { parallelism: None },
            LibraryResponse::Restore {
                parallelism: Some(0),
            },
            LibraryResponse::Restore {
                parallelism: Some(8),
            },
            LibraryResponse::Download {
                name: "statelab-checkpoint-1-5keys-p2.slcp".into(),
            },
            LibraryResponse::Copy("http://x/#checkpoint=AAAA".into()),
        ];
        for response in responses {
            assert_eq!(LibraryResponse::decode(&response.encode()), Some(response));
        }
    }

    #[test]
    fn acts_are_named_as_the_panel_names_them() {
        for &(act, name) in &ACTS {
            assert_eq!(act.name(), name);
            assert_eq!(Act::from_name(name), Some(act));
        }
        assert_eq!(Act::from_name("format-disk"), None);
    }

    #[test]
    fn cut_or_foreign_messages_are_refused() {
        for l in [Lang::En, Lang::Zh] {
            for request in requests() {
                let bytes = request.encode(l);
                for end in 0..bytes.len() {
                    assert_eq!(LibraryRequest::decode(&bytes[..end]), None);
                }
                let mut longer = bytes.clone();
                longer.push(0);
                assert_eq!(LibraryRequest::decode(&longer), None);
            }
        }
        assert_eq!(LibraryRequest::decode(&[0, 99]), None);
        assert_eq!(LibraryResponse::decode(&[99]), None);
        assert_eq!(LibraryResponse::decode(&[3, 0xff]), None);
    }
}
