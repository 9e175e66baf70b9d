//! What travels on a channel between the source and a keyed subtask: `StreamRecord`s and checkpoint barriers
//! (Flink's `StreamElement` / `AbstractEvent` split, reduced to what the keyed counter job sends).

use crate::engine::checkpoint::checkpoint_barrier::CheckpointBarrier;
use crate::engine::keys::key_registry::KeyId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which event a record is: a generated one (its global index, the same whatever the source parallelism) or
/// one typed in by hand (its sequence number) — or, for a record a function's `onTimer` emitted, the timer
/// (its timestamp in ms; with the key, what tells two such records apart).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "index")]
pub enum EventRef {
    Generated(u64),
    Injected(u64),
    Timer(u64),
}

impl fmt::Display for EventRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventRef::Generated(i) => write!(f, "#{i}"),
            EventRef::Injected(i) => write!(f, "hand #{i}"),
            EventRef::Timer(t) => write!(f, "onTimer @{t} ms"),
        }
    }
}

/// `StreamRecord<Event>` after `keyBy`: the event and its key (the key group is recomputed by the receiver).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamRecord {
    pub event: EventRef,
    pub key: KeyId,
    /// When the source emitted it (simulated ns).
    pub emitted_at: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum StreamElement {
    Record(StreamRecord),
    Barrier(CheckpointBarrier),
}
