//! One network channel from a source subtask to a keyed subtask (`RemoteInputChannel` and the subpartition
//! feeding it, as one FIFO). Elements arrive after the network latency, in order; the channel holds at most
//! `capacity` records (its credit of network buffers), after which the source is backpressured. Barriers
//! take no record credit. While a subtask aligns a checkpoint, the channel that delivered the barrier is
//! blocked and its later records wait in the queue.

use crate::engine::shared::deque::Deque;
use crate::engine::tasks::stream_element::StreamElement;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InFlight {
    /// When the element reaches the receiving subtask (simulated ns).
    pub arrives_at: u64,
    pub element: StreamElement,
}

#[derive(Clone, Debug, Default)]
pub struct InputChannel {
    queue: Deque<InFlight>,
    records: u32,
    /// Records ever sent on this channel (for flow rates).
    records_sent: u64,
    last_arrival: u64,
    blocked: bool,
}

impl InputChannel {
    /// Enqueues an element; FIFO even when a later element drew a shorter latency.
    pub fn push(&mut self, arrives_at: u64, element: StreamElement) -> u64 {
        let arrives_at = arrives_at.max(self.last_arrival);
        self.last_arrival = arrives_at;
        if matches!(element, StreamElement::Record(_)) {
            self.records += 1;
            self.records_sent += 1;
        }
        self.queue.push_back(InFlight {
            arrives_at,
            element,
        });
        arrives_at
    }

    /// The element at the head, if the channel is not blocked.
    pub fn head(&self) -> Option<&InFlight> {
        if self.blocked {
            None
        } else {
            self.queue.front()
        }
    }

    pub fn pop(&mut self) -> Option<InFlight> {
        let head = self.queue.pop_front()?;
        if matches!(head.element, StreamElement::Record(_)) {
            self.records -= 1;
        }
        Some(head)
    }

    pub fn records(&self) -> u32 {
        self.records
    }

    /// Records ever sent on this channel.
    pub fn records_sent(&self) -> u64 {
        self.records_sent
    }

    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    pub fn is_blocked(&self) -> bool {
        self.blocked
    }

    pub fn set_blocked(&mut self, blocked: bool) {
        self.blocked = blocked;
    }

    /// Everything in flight, oldest first (for drawing).
    pub fn in_flight(&self) -> impl Iterator<Item = &InFlight> + '_ {
        self.queue.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::checkpoint::checkpoint_barrier::CheckpointBarrier;
    use crate::engine::cluster::job_config::CheckpointingMode;
    use crate::engine::keys::key_registry::KeyId;
    use crate::engine::tasks::stream_element::{EventRef, StreamRecord};

    fn record(i: u64) -> StreamElement {
        StreamElement::Record(StreamRecord {
            event: EventRef::Generated(i),
            key: KeyId(0),
            emitted_at: 0,
        })
    }

    #[test]
    fn channel_is_fifo_and_counts_only_records() {
        let mut c = InputChannel::default();
        assert_eq!(c.push(100, record(0)), 100);
        // A shorter latency cannot overtake.
        assert_eq!(c.push(50, record(1)), 100);
        let barrier = CheckpointBarrier {
            checkpoint_id: 1,
            timestamp: 0,
            mode: CheckpointingMode::ExactlyOnce,
        };
        c.push(120, StreamElement::Barrier(barrier));
        assert_eq!(c.records(), 2);
        assert_eq!(c.len(), 3);
        c.set_blocked(true);
        assert!(c.head().is_none());
        c.set_blocked(false);
        assert_eq!(c.pop().unwrap().element, record(0));
        assert_eq!(c.records(), 1);
    }
}
