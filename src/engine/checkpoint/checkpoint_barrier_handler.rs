//! How a keyed subtask reacts to barriers on its input channels (one per source subtask):
//!
//! * `EXACTLY_ONCE` — `SingleCheckpointBarrierHandler` with aligned barriers: once barrier `n` arrives on a
//!   channel that channel is blocked, so records behind the barrier wait; when barrier `n` has arrived on every
//!   channel the subtask snapshots its state and unblocks them all.
//! * `AT_LEAST_ONCE` — `CheckpointBarrierTracker`: nothing is blocked; the snapshot is taken when the last
//!   barrier arrives, so it also contains records that came after barrier `n` on the faster channels. After a
//!   restore those records are replayed and counted again.
//!
//! A barrier of a newer checkpoint cancels an unfinished older alignment; a barrier of an older (aborted)
//! checkpoint is ignored.

use crate::engine::checkpoint::checkpoint_barrier::CheckpointBarrier;
use crate::engine::cluster::job_config::CheckpointingMode;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarrierOutcome {
    /// A stale barrier of a checkpoint that is no longer pending here.
    Ignored,
    /// More barriers are expected; `block` tells whether the channel is now blocked (aligned mode).
    Waiting {
        received: u32,
        expected: u32,
        block: bool,
    },
    /// The last barrier: take the snapshot now. `alignment_ns` is the time since the first barrier.
    Complete {
        checkpoint_id: u64,
        alignment_ns: u64,
    },
}

#[derive(Clone, Debug)]
struct Alignment {
    checkpoint_id: u64,
    started_at: u64,
    received: Vec<bool>,
    count: u32,
}

#[derive(Clone, Debug)]
pub struct CheckpointBarrierHandler {
    channels: usize,
    current: Option<Alignment>,
    latest_started: u64,
}

impl CheckpointBarrierHandler {
    pub fn new(channels: usize) -> Self {
        CheckpointBarrierHandler {
            channels,
            current: None,
            latest_started: 0,
        }
    }

    /// The checkpoint being aligned and the channels that delivered its barrier.
    pub fn aligning(&self) -> Option<(u64, &[bool])> {
        self.current
            .as_ref()
            .map(|a| (a.checkpoint_id, a.received.as_slice()))
    }

    /// Handles a barrier from `channel`. When the outcome asks to block, the caller blocks that channel; on
    /// `Complete` (or when a newer barrier cancels an alignment) it unblocks all of them.
    pub fn on_barrier(
        &mut self,
        channel: usize,
        barrier: &CheckpointBarrier,
        now: u64,
    ) -> BarrierOutcome {
        let id = barrier.checkpoint_id;
        if id < self.latest_started || self.current.as_ref().is_some_and(|a| id < a.checkpoint_id) {
            return BarrierOutcome::Ignored;
        }
        if self.current.as_ref().is_none_or(|a| a.checkpoint_id != id) {
            if id == self.latest_started && self.current.is_none() {
                // This checkpoint already completed here; a duplicate barrier cannot happen on FIFO channels.
                return BarrierOutcome::Ignored;
            }
            self.latest_started = id;
            self.current = Some(Alignment {
                checkpoint_id: id,
                started_at: now,
                received: vec![false; self.channels],
                count: 0,
            });
        }
        let alignment = self.current.as_mut().expect("set above");
        if !alignment.received[channel] {
            alignment.received[channel] = true;
            alignment.count += 1;
        }
        if alignment.count as usize == self.channels {
            let done = self.current.take().expect("present");
            BarrierOutcome::Complete {
                checkpoint_id: done.checkpoint_id,
                alignment_ns: now - done.started_at,
            }
        } else {
            BarrierOutcome::Waiting {
                received: alignment.count,
                expected: self.channels as u32,
                block: barrier.mode == CheckpointingMode::ExactlyOnce,
            }
        }
    }

    /// Drops an unfinished alignment (checkpoint aborted or task restarted); the caller unblocks all channels.
    pub fn abort(&mut self) {
        self.current = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn barrier(id: u64, mode: CheckpointingMode) -> CheckpointBarrier {
        CheckpointBarrier {
            checkpoint_id: id,
            timestamp: 0,
            mode,
        }
    }

    #[test]
    fn aligned_mode_blocks_until_every_channel_delivered_the_barrier() {
        let mut h = CheckpointBarrierHandler::new(3);
        let b = barrier(1, CheckpointingMode::ExactlyOnce);
        assert_eq!(
            h.on_barrier(1, &b, 10),
            BarrierOutcome::Waiting {
                received: 1,
                expected: 3,
                block: true
            }
        );
        assert_eq!(
            h.on_barrier(0, &b, 12),
            BarrierOutcome::Waiting {
                received: 2,
                expected: 3,
                block: true
            }
        );
        assert_eq!(
            h.on_barrier(2, &b, 25),
            BarrierOutcome::Complete {
                checkpoint_id: 1,
                alignment_ns: 15
            }
        );
        assert!(h.aligning().is_none());
    }

    #[test]
    fn at_least_once_never_blocks() {
        let mut h = CheckpointBarrierHandler::new(2);
        let b = barrier(4, CheckpointingMode::AtLeastOnce);
        assert_eq!(
            h.on_barrier(0, &b, 0),
            BarrierOutcome::Waiting {
                received: 1,
                expected: 2,
                block: false
            }
        );
        assert!(matches!(
            h.on_barrier(1, &b, 5),
            BarrierOutcome::Complete {
                checkpoint_id: 4,
                ..
            }
        ));
    }

    #[test]
    fn a_newer_barrier_cancels_the_older_alignment_and_old_barriers_are_ignored() {
        let mut h = CheckpointBarrierHandler::new(2);
        h.on_barrier(0, &barrier(1, CheckpointingMode::ExactlyOnce), 0);
        assert!(matches!(
            h.on_barrier(0, &barrier(2, CheckpointingMode::ExactlyOnce), 3),
            BarrierOutcome::Waiting { received: 1, .. }
        ));
        assert_eq!(
            h.on_barrier(1, &barrier(1, CheckpointingMode::ExactlyOnce), 4),
            BarrierOutcome::Ignored
        );
        assert!(matches!(
            h.on_barrier(1, &barrier(2, CheckpointingMode::ExactlyOnce), 5),
            BarrierOutcome::Complete {
                checkpoint_id: 2,
                ..
            }
        ));
    }

    #[test]
    fn one_channel_completes_at_once() {
        let mut h = CheckpointBarrierHandler::new(1);
        assert_eq!(
            h.on_barrier(0, &barrier(1, CheckpointingMode::ExactlyOnce), 7),
            BarrierOutcome::Complete {
                checkpoint_id: 1,
                alignment_ns: 0
            }
        );
    }
}
