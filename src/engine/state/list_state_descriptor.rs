//! `org.apache.flink.api.common.state.ListStateDescriptor`: the name and element type of a `ListState`. StateLab
//! models `ListState<Long>` (`new ListStateDescriptor<>(name, Types.LONG)`); on the heap backend its state
//! object per key is a `java.util.ArrayList<Long>` (`ListSerializer` over `LongSerializer`).

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListStateDescriptor {
    name: String,
}

impl ListStateDescriptor {
    /// `new ListStateDescriptor<>(name, Types.LONG)`.
    pub fn new_long(name: impl Into<String>) -> Self {
        ListStateDescriptor { name: name.into() }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}
