//! `org.apache.flink.api.common.state.ReducingStateDescriptor`: the name, `ReduceFunction` and type of a
//! `ReducingState`. StateLab models `ReducingState<Long>` with the sum `(a, b) -> a + b`
//! (`new ReducingStateDescriptor<>(name, Long::sum, Types.LONG)`): a `Long` per key, a new one per `add`.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReducingStateDescriptor {
    name: String,
}

impl ReducingStateDescriptor {
    /// `new ReducingStateDescriptor<>(name, (a, b) -> a + b, Types.LONG)`.
    pub fn new_long_sum(name: impl Into<String>) -> Self {
        ReducingStateDescriptor { name: name.into() }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}
