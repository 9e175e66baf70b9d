//! The job's sink: a non-transactional writer appending `(key, count)` records to a list, like the ground-truth
//! job's "custom Sink V2 appending to an in-JVM list". Nothing it wrote is taken back on a failure, so records
//! processed after the restored checkpoint are written a second time.
//!
//! It checks what the job guarantees: per key, the counts written run 1, 2, 3, … without gaps; a count not
//! above the highest one already written is a duplicate, which exactly-once state only produces after a restore.
//! The other job presets' outputs do not count up, so for them a record is a duplicate when the event that
//! produced it was written before ([`ListSink::by_event`]).

use crate::engine::keys::key_registry::KeyId;
use crate::engine::shared::chunked_vec::ChunkedVec;
use crate::engine::shared::deque::Deque;
use crate::engine::shared::shared_storage::SharedStorage;
use crate::engine::tasks::stream_element::EventRef;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SinkRecord {
    pub key: KeyId,
    pub count: i64,
    pub subtask: SubtaskIndex,
    pub event: EventRef,
    /// Execution attempt of the job that wrote it (0 before any restart).
    pub attempt: u32,
    /// Simulated ns.
    pub time: u64,
    /// The same (key, count) was written before.
    pub duplicate: bool,
}

#[derive(Clone, Debug, Default)]
pub struct ListSink {
    written: u64,
    duplicates: u64,
    duplicates_before_any_restore: u64,
    gaps: u64,
    /// The highest count written per key id (the bits of an `i64`, in the key registry's kind of chunks),
    /// shared chunk by chunk with clones of the cluster.
    max_count: ChunkedVec<u64, 512>,
    recent: Deque<SinkRecord>,
    log_limit: usize,
    restored: bool,
    /// Duplicates are told by event, not by count: then the events written so far, one bit each (generated
    /// events by index, those typed in by hand by sequence).
    by_event: bool,
    written_events: ChunkedVec<u64, 512>,
    written_injected: ChunkedVec<u64, 512>,
    /// The (key, time) of every timer output written.
    timer_outputs: HashSet<(KeyId, u64)>,
}

/// Bytes of one record of the log of recent ones, as a clone copies it.
const RECORD_BYTES: u64 = std::mem::size_of::<SinkRecord>() as u64;

impl SharedStorage for ListSink {
    fn unshared_bytes(&self, other: Option<&Self>) -> u64 {
        self.max_count.unshared_bytes(other.map(|o| &o.max_count))
            + self
                .written_events
                .unshared_bytes(other.map(|o| &o.written_events))
            + self
                .written_injected
                .unshared_bytes(other.map(|o| &o.written_injected))
            + self.own_bytes()
    }
}

impl ListSink {
    /// What a clone copies outright: the log of recent records and the timer outputs seen.
    fn own_bytes(&self) -> u64 {
        RECORD_BYTES * self.recent.len() as u64 + 24 * self.timer_outputs.len() as u64
    }

    /// Keeps the most recent `log_limit` records for inspection.
    pub fn new(log_limit: usize) -> Self {
        ListSink {
            log_limit,
            ..ListSink::default()
        }
    }

    /// A sink that tells duplicates by the event that produced a record (the presets whose outputs do not
    /// count 1, 2, 3, … per key).
    pub fn by_event(log_limit: usize) -> Self {
        ListSink {
            by_event: true,
            ..ListSink::new(log_limit)
        }
    }

    /// Marks the output of `event` for `key` written; returns whether it was before. A timer's output is told
    /// apart by its key and time.
    fn event_seen(&mut self, key: KeyId, event: EventRef) -> bool {
        let (bits, index) = match event {
            EventRef::Generated(i) => (&mut self.written_events, i),
            EventRef::Injected(i) => (&mut self.written_injected, i),
            EventRef::Timer(t) => return !self.timer_outputs.insert((key, t)),
        };
        let word = (index / 64) as usize;
        if word >= bits.len() {
            bits.resize(word + 1, 0);
        }
        let mask = 1u64 << (index % 64);
        let seen = bits[word] & mask != 0;
        bits[word] |= mask;
        seen
    }

    /// Writes a record; returns whether it is a duplicate.
    #[inline]
    pub fn write(&mut self, record: SinkRecord) -> bool {
        if self.by_event {
            let duplicate = self.event_seen(record.key, record.event);
            if duplicate {
                self.duplicates += 1;
                if !self.restored {
                    self.duplicates_before_any_restore += 1;
                }
            }
            return self.log(record, duplicate);
        }
        let slot = record.key.0 as usize;
        if slot >= self.max_count.len() {
            self.max_count.resize(slot + 1, 0);
        }
        let max_count = &mut self.max_count[slot];
        let max = *max_count as i64;
        let duplicate = record.count <= max;
        if duplicate {
            self.duplicates += 1;
            if !self.restored {
                self.duplicates_before_any_restore += 1;
            }
        } else {
            if record.count != max + 1 {
                self.gaps += 1;
            }
            *max_count = record.count as u64;
        }
        self.log(record, duplicate)
    }

    /// Counts a written record and keeps it in the log of recent ones.
    fn log(&mut self, mut record: SinkRecord, duplicate: bool) -> bool {
        self.written += 1;
        if self.log_limit > 0 {
            record.duplicate = duplicate;
            if self.recent.len() == self.log_limit {
                self.recent.pop_front();
            }
            self.recent.push_back(record);
        }
        duplicate
    }

    /// From now on duplicates are expected (the job was restored from a checkpoint).
    pub fn mark_restored(&mut self) {
        self.restored = true;
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    /// Records whose (key, count) had been written before: `totalEmittedRecords - distinctKeyCountPairs` (for a
    /// sink [`ListSink::by_event`], records of an event written before).
    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }

    /// Must stay 0: duplicates before any restore would mean state was counted twice.
    pub fn duplicates_before_any_restore(&self) -> u64 {
        self.duplicates_before_any_restore
    }

    /// Must stay 0: a count that skipped ahead would mean a lost update.
    pub fn gaps(&self) -> u64 {
        self.gaps
    }

    /// The highest count written for a key.
    pub fn max_count(&self, key: KeyId) -> i64 {
        self.max_count
            .get(key.0 as usize)
            .map_or(0, |&count| count as i64)
    }

    /// The most recent records, oldest first.
    pub fn recent(&self) -> impl DoubleEndedIterator<Item = &SinkRecord> + ExactSizeIterator + '_ {
        self.recent.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(key: u32, count: i64) -> SinkRecord {
        SinkRecord {
            key: KeyId(key),
            count,
            subtask: SubtaskIndex::new(0),
            event: EventRef::Generated(0),
            attempt: 0,
            time: 0,
            duplicate: false,
        }
    }

    #[test]
    fn duplicates_and_gaps_are_counted() {
        let mut sink = ListSink::new(2);
        assert!(!sink.write(rec(1, 1)));
        assert!(!sink.write(rec(1, 2)));
        sink.mark_restored();
        assert!(sink.write(rec(1, 2)));
        assert!(!sink.write(rec(1, 3)));
        assert!(!sink.write(rec(2, 2)));
        assert_eq!((sink.written(), sink.duplicates(), sink.gaps()), (5, 1, 1));
        assert_eq!(sink.duplicates_before_any_restore(), 0);
        assert_eq!(sink.recent().len(), 2);
        assert_eq!(sink.max_count(KeyId(1)), 3);
    }

    #[test]
    fn by_event_a_record_of_an_event_written_before_is_a_duplicate() {
        let mut sink = ListSink::by_event(0);
        let at = |event, count| SinkRecord {
            event,
            ..rec(1, count)
        };
        assert!(!sink.write(at(EventRef::Generated(0), 7)));
        assert!(!sink.write(at(EventRef::Generated(130), 7)));
        assert!(
            !sink.write(at(EventRef::Injected(0), 7)),
            "hand events apart"
        );
        assert!(sink.write(at(EventRef::Generated(130), 9)));
        assert_eq!(sink.duplicates_before_any_restore(), 1);
        sink.mark_restored();
        assert!(sink.write(at(EventRef::Generated(0), 1)));
        assert_eq!((sink.written(), sink.duplicates(), sink.gaps()), (5, 2, 0));
    }
}
