//! The job's source, modelled on Flink's `DataGeneratorSource` (FLIP-27): a `NumberSequenceSource` split per
//! source subtask maps each index to an event, and the split's position is what a checkpoint stores, so a
//! restore rewinds the source and replays exactly the same events.
//!
//! Event `i` (global index) carries the key the [`KeySampler`] picks for `i`, or the `i`-th key of a replayed
//! list; split `j` of `s` reads indices `j, j+s, j+2s, …`. Keys typed in by hand are appended to a split's own
//! log, like records appended to a topic partition: a rewind replays them too, in the same place.

use crate::engine::keys::key_registry::{KeyId, KeyRegistry};
use crate::engine::source::key_distribution::KeySampler;
use crate::engine::tasks::stream_element::EventRef;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// How far a split has read: generated elements and hand-injected elements emitted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SplitPosition {
    pub generated: u64,
    pub injected: u64,
}

/// The generated event sequence: a pure function of the global event index.
#[derive(Clone, Debug)]
pub enum EventGenerator {
    Sample {
        sampler: KeySampler,
        limit: Option<u64>,
    },
    Replay {
        keys: Rc<[KeyId]>,
    },
}

impl EventGenerator {
    /// The number of generated events, when the source is bounded.
    pub fn limit(&self) -> Option<u64> {
        match self {
            EventGenerator::Sample { limit, .. } => *limit,
            EventGenerator::Replay { keys } => Some(keys.len() as u64),
        }
    }

    /// The key of generated event `index` (which must be below the limit).
    #[inline]
    pub fn key_at(&self, index: u64, keys: &mut KeyRegistry) -> KeyId {
        match self {
            EventGenerator::Sample { sampler, .. } => keys.generated(sampler.sample(index)),
            EventGenerator::Replay { keys: list } => list[index as usize],
        }
    }
}

/// A key typed in by hand: its place in the split (before generated element `before_generated`) and number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Injected {
    before_generated: u64,
    sequence: u64,
    key: KeyId,
}

/// One source subtask's split: `index` of `parallelism`.
#[derive(Clone, Debug)]
pub struct SourceSplit {
    index: u32,
    parallelism: u32,
    position: SplitPosition,
    /// The hand-typed part of the split's log, from element `log_base` on (a job restored from a blob has
    /// no log of what was typed before its checkpoint, like a topic whose older records expired).
    injected: Vec<Injected>,
    log_base: u64,
}

impl SourceSplit {
    pub fn new(index: u32, parallelism: u32) -> Self {
        SourceSplit {
            index,
            parallelism,
            position: SplitPosition::default(),
            injected: Vec::new(),
            log_base: 0,
        }
    }

    pub fn index(&self) -> u32 {
        self.index
    }

    pub fn position(&self) -> SplitPosition {
        self.position
    }

    /// Rewinds (or forwards) to a checkpointed position.
    pub fn seek(&mut self, position: SplitPosition) {
        self.position = position;
    }

    /// Starts a fresh split at `position` whose earlier hand-typed elements are gone: the next one typed is
    /// read right away.
    pub fn start_at(&mut self, position: SplitPosition) {
        self.position = position;
        self.injected.clear();
        self.log_base = position.injected;
    }

    /// The hand-typed element the reader is at, if it is in the log.
    #[inline]
    fn next_injected(&self) -> Option<&Injected> {
        let at = self.position.injected.checked_sub(self.log_base)?;
        self.injected
            .get(usize::try_from(at).ok()?)
            .filter(|inj| inj.before_generated <= self.position.generated)
    }

    /// The global index of this split's `k`-th generated element.
    #[inline]
    fn global_index(&self, k: u64) -> u64 {
        u64::from(self.index) + k * u64::from(self.parallelism)
    }

    /// The next element without consuming it; `None` when a bounded split is exhausted.
    #[inline]
    pub fn peek(
        &self,
        generator: &EventGenerator,
        keys: &mut KeyRegistry,
    ) -> Option<(EventRef, KeyId)> {
        if let Some(inj) = self.next_injected() {
            return Some((EventRef::Injected(inj.sequence), inj.key));
        }
        let global = self.global_index(self.position.generated);
        if generator.limit().is_some_and(|limit| global >= limit) {
            return None;
        }
        Some((EventRef::Generated(global), generator.key_at(global, keys)))
    }

    /// Whether the next element is a hand-injected one (those are not rate limited).
    pub fn next_is_injected(&self) -> bool {
        self.next_injected().is_some()
    }

    /// Consumes the element `peek` returned.
    #[inline]
    pub fn advance(&mut self, event: EventRef) {
        match event {
            EventRef::Generated(_) => self.position.generated += 1,
            EventRef::Injected(_) => self.position.injected += 1,
            EventRef::Timer(_) => {}
        }
    }

    /// Appends a hand-typed key to the split's log: it is read next, unless a rewind put the reader before
    /// earlier log entries, which are then replayed first.
    pub fn inject(&mut self, sequence: u64, key: KeyId) {
        let before_generated = self
            .injected
            .last()
            .map_or(self.position.generated, |last| {
                last.before_generated.max(self.position.generated)
            });
        self.injected.push(Injected {
            before_generated,
            sequence,
            key,
        });
    }

    /// The keys typed into this split, in order, when its log is whole (`None` for a split restored from a
    /// blob, whose log starts at the checkpoint).
    pub fn injected_keys(&self) -> Option<impl ExactSizeIterator<Item = KeyId> + '_> {
        (self.log_base == 0).then(|| self.injected.iter().map(|inj| inj.key))
    }

    /// Whether a bounded split has nothing left to read.
    pub fn is_exhausted(&self, generator: &EventGenerator) -> bool {
        !self.next_is_injected()
            && generator
                .limit()
                .is_some_and(|limit| self.global_index(self.position.generated) >= limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::keys::key_registry::KeyFormat;
    use crate::engine::source::key_distribution::KeyDistribution;

    fn generator(limit: Option<u64>) -> EventGenerator {
        EventGenerator::Sample {
            sampler: KeySampler::new(1, 100, &KeyDistribution::Uniform),
            limit,
        }
    }

    #[test]
    fn splits_interleave_global_indices_and_stop_at_the_limit() {
        let g = generator(Some(5));
        let mut keys = KeyRegistry::new(KeyFormat::default());
        let mut seen = Vec::new();
        for j in 0..2 {
            let mut split = SourceSplit::new(j, 2);
            while let Some((event, _)) = split.peek(&g, &mut keys) {
                seen.push(event);
                split.advance(event);
            }
            assert!(split.is_exhausted(&g));
        }
        seen.sort();
        assert_eq!(seen, (0..5).map(EventRef::Generated).collect::<Vec<_>>());
    }

    #[test]
    fn a_rewind_replays_the_same_events_including_injected_ones() {
        let g = generator(None);
        let mut keys = KeyRegistry::new(KeyFormat::default());
        let hand = keys
            .intern(&crate::engine::keys::java_key::JavaKey::String(
                "by-hand".into(),
            ))
            .unwrap();
        let mut split = SourceSplit::new(0, 1);
        let read = |split: &mut SourceSplit, keys: &mut KeyRegistry, n: usize| {
            (0..n)
                .map(|_| {
                    let (e, k) = split.peek(&g, keys).unwrap();
                    split.advance(e);
                    (e, k)
                })
                .collect::<Vec<_>>()
        };
        read(&mut split, &mut keys, 3);
        let checkpoint = split.position();
        split.inject(0, hand);
        let first = read(&mut split, &mut keys, 4);
        assert_eq!(first[0], (EventRef::Injected(0), hand));
        split.seek(checkpoint);
        assert_eq!(read(&mut split, &mut keys, 4), first);
    }
}
