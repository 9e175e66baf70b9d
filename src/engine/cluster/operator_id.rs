//! `org.apache.flink.runtime.jobgraph.OperatorID` and how Flink derives it for StateLab's job
//! (`StreamGraphHasherV2`): an operator with a `uid` gets the 128-bit murmur3 hash (seed 0, Guava's
//! `Hashing.murmur3_128()`) of the uid's UTF-8 bytes; one without gets a hash of its position in the graph —
//! the number of nodes hashed before it, once more per chainable output — mixed with its inputs' hashes. The
//! chain's head names the `JobVertexID`. Checked against real Flink 2.3 for the job as a user writes it
//! (`tools/flink-operator-ids/`, `tests/data/groundtruth/operator_ids.csv`).
//!
//! StateLab's job is `fromSource(DataGeneratorSource) → keyBy → process(EventCounterProcessFunction)
//! .uid("event-counter-op") → sinkTo(…)`: the source is a vertex of its own (the keyed exchange breaks the chain),
//! the keyed operator and the sink form the second vertex.

use std::fmt;

/// The uid StateLab's job gives its keyed operator (`.uid("event-counter-op")`), as Flink's docs advise for
/// every stateful operator: the operator's id, and so where its state is found in a savepoint, stays the same
/// whatever else changes in the job.
pub const EVENT_COUNTER_UID: &str = "event-counter-op";

/// 16 bytes, printed as 32 hex digits like Flink's `AbstractID.toString()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OperatorId(pub [u8; 16]);

impl OperatorId {
    /// `generateUserSpecifiedHash`: the murmur3_128 hash of the uid.
    pub fn from_uid(uid: &str) -> Self {
        Self::hash(uid.as_bytes())
    }

    fn hash(bytes: &[u8]) -> Self {
        let mut reader = bytes;
        // Reading from a slice cannot fail.
        let h = murmur3::murmur3_x64_128(&mut reader, 0).unwrap_or(0);
        // Guava's HashCode bytes: h1 then h2, each little-endian — the u128's little-endian bytes.
        OperatorId(h.to_le_bytes())
    }

    /// `generateDeterministicHash` for a node without a uid: `position` (the number of nodes hashed before it,
    /// as a Java int, little-endian) once, and once more for each chainable output edge, then mixed with each
    /// input's hash: `hash[j] = hash[j] * 37 ^ input[j]` in Java bytes.
    fn deterministic(position: i32, chainable_outputs: usize, inputs: &[OperatorId]) -> Self {
        let mut bytes = Vec::with_capacity(4 * (1 + chainable_outputs));
        for _ in 0..=chainable_outputs {
            bytes.extend_from_slice(&position.to_le_bytes());
        }
        let mut id = Self::hash(&bytes);
        for input in inputs {
            for (h, o) in id.0.iter_mut().zip(input.0) {
                *h = h.wrapping_mul(37) ^ o;
            }
        }
        id
    }
}

impl fmt::Display for OperatorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// The operator ids of StateLab's job graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobOperatorIds {
    /// `Source: Source`, a vertex of its own.
    pub source: OperatorId,
    /// The keyed `EventCounterProcessFunction`: the head of the second vertex, so also its `JobVertexID`.
    pub keyed: OperatorId,
    /// The sink, chained to the keyed operator.
    pub sink: OperatorId,
}

impl JobOperatorIds {
    /// The ids Flink derives, the keyed operator with `keyed_uid` or (`None`) without a uid.
    pub fn derive(keyed_uid: Option<&str>) -> Self {
        // Breadth-first from the source: the source (its keyed output is not chainable), the keyed operator
        // (its output to the sink is), the sink.
        let source = OperatorId::deterministic(0, 0, &[]);
        let keyed = match keyed_uid {
            Some(uid) => OperatorId::from_uid(uid),
            None => OperatorId::deterministic(1, 1, &[source]),
        };
        let sink = OperatorId::deterministic(2, 0, &[keyed]);
        JobOperatorIds {
            source,
            keyed,
            sink,
        }
    }

    /// StateLab's job: the keyed operator with [`EVENT_COUNTER_UID`].
    pub fn of_job() -> Self {
        Self::derive(Some(EVENT_COUNTER_UID))
    }

    /// The `JobVertexID` of the keyed vertex (its head operator's id).
    pub fn keyed_vertex(&self) -> OperatorId {
        self.keyed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uid_hashes_to_the_id_flink_gives_it() {
        assert_eq!(
            OperatorId::from_uid(EVENT_COUNTER_UID).to_string(),
            "e2a406fded32ae49fac48820117d5ae3"
        );
    }
}
