//! Shared storage — not a Flink concept: how StateLab keeps the engine's large arrays (a key-group map's entries
//! and bucket arrays, the key registry, the sink's counts) so that a clone of a cluster, e.g. a time-travel
//! snapshot, shares them with the original and copies only what either of them changes afterwards. Nothing
//! here is simulated: the JVM heap StateLab counts is the same whatever is shared.

pub mod chunked_vec;
pub mod deque;
pub mod shared_storage;
