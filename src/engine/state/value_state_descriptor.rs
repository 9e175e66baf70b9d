//! `org.apache.flink.api.common.state.ValueStateDescriptor`: the name (the state's identity in the backend) and
//! value type of a `ValueState`. StateLab models `ValueState<Long>` (`Types.LONG`), as in
//! `new ValueStateDescriptor<>("event-counter", Types.LONG)`.

use serde::{Deserialize, Serialize};

/// The state name the job's `EventCounterProcessFunction` registers.
pub const EVENT_COUNTER_STATE_NAME: &str = "event-counter";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueStateDescriptor {
    name: String,
}

impl ValueStateDescriptor {
    /// `new ValueStateDescriptor<>(name, Types.LONG)`.
    pub fn new_long(name: impl Into<String>) -> Self {
        ValueStateDescriptor { name: name.into() }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}
