//! The messages between the page and its savepoint worker, as bytes: a tag, then the fields — numbers as LEB128
//! varints, texts as a length and UTF-8. The page encodes [`Request`]s and decodes [`Response`]s, the worker the
//! reverse. Bulk bytes never pass through here: the files to open travel beside a request as the browser's
//! `File` objects (with their paths), a download's bytes beside its [`Response::Download`] as a transferred
//! buffer, so the page's wasm memory never holds a snapshot.

use crate::engine::cluster::job_status::JobStatus;
use crate::engine::keys::java_key::JavaKey;
use crate::i18n::Lang;

/// A message's bytes, written.
#[derive(Default)]
pub struct Out(pub Vec<u8>);

impl Out {
    pub fn varint(&mut self, mut v: u64) -> &mut Self {
        while v >= 0x80 {
            self.0.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
        self
    }

    pub fn text(&mut self, s: &str) -> &mut Self {
        self.varint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
        self
    }

    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
        self
    }
}

/// A message's bytes, read; `None` when they end too soon or a text is not UTF-8.
pub struct In<'a>(pub &'a [u8]);

impl In<'_> {
    pub fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    pub fn bytes(&mut self) -> Option<&[u8]> {
        let n = usize::try_from(self.varint()?).ok()?;
        if n > self.0.len() {
            return None;
        }
        let (b, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(b)
    }

    pub fn text(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }

    pub fn lang(&mut self) -> Option<Lang> {
        Some(if self.varint()? == 1 {
            Lang::Zh
        } else {
            Lang::En
        })
    }
}

pub fn lang_number(l: Lang) -> u64 {
    match l {
        Lang::En => 0,
        Lang::Zh => 1,
    }
}

/// The running job's state, for a savepoint: what `MiniCluster::savepoint` writes, as the page has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobState {
    pub uid: String,
    pub status: JobStatus,
    pub checkpoint_id: u64,
    pub parallelism: u32,
    pub max_parallelism: u32,
    /// The job configuration as the blob metadata stores it (`metadata_v2::job_bytes`).
    pub job: Vec<u8>,
    /// Every key's count ([`encode_counts`]).
    pub counts: Vec<u8>,
}

/// What the page asks of the worker. Every request carries the page's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// The panel (again) in this language.
    Panel,
    /// Open the snapshot whose files come with the message, matching operator ids against `uid` too.
    Open { uid: String },
    /// The entries at positions `from..from + count`.
    Entries { from: u64, count: u64 },
    /// Every entry as a JSON line, as a download.
    Dump,
    /// The running job's state as a Flink savepoint, zipped, as a download.
    Savepoint(JobState),
    /// The job (`metadata_v2::job_bytes`) as a Flink project, zipped, as a download.
    Job { job: Vec<u8> },
}

impl Request {
    pub fn encode(&self, l: Lang) -> Vec<u8> {
        let mut o = Out::default();
        match self {
            Request::Panel => o.varint(0),
            Request::Open { uid } => o.varint(1).text(uid),
            Request::Entries { from, count } => o.varint(2).varint(*from).varint(*count),
            Request::Dump => o.varint(3),
            Request::Savepoint(s) => o
                .varint(4)
                .text(&s.uid)
                .varint(status_number(s.status))
                .varint(s.checkpoint_id)
                .varint(u64::from(s.parallelism))
                .varint(u64::from(s.max_parallelism))
                .bytes(&s.job)
                .bytes(&s.counts),
            Request::Job { job } => o.varint(5).bytes(job),
        };
        o.varint(lang_number(l));
        o.0
    }

    pub fn decode(bytes: &[u8]) -> Option<(Request, Lang)> {
        let mut r = In(bytes);
        let request = match r.varint()? {
            0 => Request::Panel,
            1 => Request::Open { uid: r.text()? },
            2 => Request::Entries {
                from: r.varint()?,
                count: r.varint()?,
            },
            3 => Request::Dump,
            4 => Request::Savepoint(JobState {
                uid: r.text()?,
                status: *STATUSES.get(r.varint()? as usize)?,
                checkpoint_id: r.varint()?,
                parallelism: u32::try_from(r.varint()?).ok()?,
                max_parallelism: u32::try_from(r.varint()?).ok()?,
                job: r.bytes()?.to_vec(),
                counts: r.bytes()?.to_vec(),
            }),
            5 => Request::Job {
                job: r.bytes()?.to_vec(),
            },
            _ => return None,
        };
        let l = r.lang()?;
        r.0.is_empty().then_some((request, l))
    }
}

const STATUSES: [JobStatus; 4] = [
    JobStatus::Running,
    JobStatus::Restarting,
    JobStatus::Finished,
    JobStatus::Failed,
];

fn status_number(s: JobStatus) -> u64 {
    STATUSES.iter().position(|&x| x == s).unwrap_or(0) as u64
}

/// Every key's count: per key a type (0 `String`, 1 `Integer`, 2 `Long`), the key (a text, or a zigzag varint)
/// and the count (a zigzag varint).
pub fn encode_counts(counts: &[(JavaKey, i64)]) -> Vec<u8> {
    let mut o = Out(Vec::with_capacity(counts.len() * 16));
    for (key, count) in counts {
        match key {
            JavaKey::String(s) => o.varint(0).text(s),
            JavaKey::Integer(i) => o.varint(1).varint(zigzag(i64::from(*i))),
            JavaKey::Long(i) => o.varint(2).varint(zigzag(*i)),
        };
        o.varint(zigzag(*count));
    }
    o.0
}

pub fn decode_counts(bytes: &[u8]) -> Option<Vec<(JavaKey, i64)>> {
    let mut r = In(bytes);
    let mut counts = Vec::new();
    while !r.0.is_empty() {
        let key = match r.varint()? {
            0 => JavaKey::String(r.text()?),
            1 => JavaKey::Integer(i32::try_from(unzigzag(r.varint()?)).ok()?),
            2 => JavaKey::Long(unzigzag(r.varint()?)),
            _ => return None,
        };
        counts.push((key, unzigzag(r.varint()?)));
    }
    Some(counts)
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Response {
    /// The worker listens: the page may send requests.
    Ready,
    /// The panel, worded and laid out (`worker::panel::parts`), and how many entries the open snapshot holds.
    Panel { parts: [String; 4], entries: u64 },
    /// Entries from position `from` on, each a row of the table as HTML.
    Entries { from: u64, rows: Vec<String> },
    /// A file to download; its bytes come with the message.
    Download { name: String },
}

impl Response {
    pub fn encode(&self) -> Vec<u8> {
        let mut o = Out::default();
        match self {
            Response::Ready => {
                o.varint(0);
            }
            Response::Panel { parts, entries } => {
                o.varint(1).varint(*entries);
                for p in parts {
                    o.text(p);
                }
            }
            Response::Entries { from, rows } => {
                o.varint(2).varint(*from).varint(rows.len() as u64);
                for row in rows {
                    o.text(row);
                }
            }
            Response::Download { name } => {
                o.varint(3).text(name);
            }
        }
        o.0
    }

    pub fn decode(bytes: &[u8]) -> Option<Response> {
        let mut r = In(bytes);
        Some(match r.varint()? {
            0 => Response::Ready,
            1 => Response::Panel {
                entries: r.varint()?,
                parts: [r.text()?, r.text()?, r.text()?, r.text()?],
            },
            2 => {
                let from = r.varint()?;
                let n = r.varint()?;
                let rows = (0..n).map(|_| r.text()).collect::<Option<_>>()?;
                Response::Entries { from, rows }
            }
            3 => Response::Download { name: r.text()? },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_request_decodes_as_encoded_in_both_languages() {
        let requests = [
            Request::Panel,
            Request::Open {
                uid: "event-counter-op 计数".to_owned(),
            },
            Request::Entries {
                from: 100_000,
                count: 256,
            },
            Request::Dump,
            Request::Savepoint(JobState {
                uid: "op".to_owned(),
                status: JobStatus::Restarting,
                checkpoint_id: 7,
                parallelism: 3,
                max_parallelism: 128,
                job: vec![1, 2, 3],
                counts: encode_counts(&[(JavaKey::Long(-5), 9)]),
            }),
            Request::Job { job: vec![0; 300] },
        ];
        for l in Lang::ALL {
            for r in &requests {
                assert_eq!(Request::decode(&r.encode(l)), Some((r.clone(), l)));
            }
        }
    }

    #[test]
    fn every_response_decodes_as_encoded() {
        let responses = [
            Response::Ready,
            Response::Panel {
                parts: [
                    "<h3>a</h3>".to_owned(),
                    String::new(),
                    "<p>b</p>".to_owned(),
                    "保存点".to_owned(),
                ],
                entries: 123_456,
            },
            Response::Entries {
                from: 5,
                rows: vec!["<div>x</div>".to_owned(); 3],
            },
            Response::Download {
                name: "dump.jsonl".to_owned(),
            },
        ];
        for r in responses {
            assert_eq!(Response::decode(&r.encode()), Some(r));
        }
    }

    #[test]
    fn counts_of_every_key_type_round_trip() {
        let counts = vec![
            (JavaKey::String("user-1".to_owned()), 1),
            (JavaKey::String(String::new()), i64::MAX),
            (JavaKey::Integer(i32::MIN), -1),
            (JavaKey::Long(i64::MIN), i64::MIN),
        ];
        assert_eq!(decode_counts(&encode_counts(&counts)), Some(counts));
    }

    #[test]
    fn cut_or_foreign_messages_are_refused() {
        let bytes = Request::Open {
            uid: "abc".to_owned(),
        }
        .encode(Lang::En);
        for end in 0..bytes.len() {
            assert_eq!(Request::decode(&bytes[..end]), None, "cut at {end}");
        }
        assert_eq!(Request::decode(&[9, 0]), None);
        assert_eq!(
            Response::decode(&[2, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]),
            None
        );
        assert_eq!(Response::decode(&[1, 0, 1, b'a']), None);
        assert_eq!(decode_counts(&[0, 5, b'a']), None);
        assert_eq!(decode_counts(&[1, 0xfe, 0xff, 0xff, 0xff, 0x1f, 0]), None);
    }
}
