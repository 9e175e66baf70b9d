//! `org.apache.flink.api.common.state.MapStateDescriptor`: the name, user-key and value types of a `MapState`.
//! StateLab models `MapState<String, Long>` (`new MapStateDescriptor<>(name, Types.STRING, Types.LONG)`); on the
//! heap backend its state object per key is a `java.util.HashMap<String, Long>` (`MapSerializer`).

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapStateDescriptor {
    name: String,
}

impl MapStateDescriptor {
    /// `new MapStateDescriptor<>(name, Types.STRING, Types.LONG)`.
    pub fn new_string_long(name: impl Into<String>) -> Self {
        MapStateDescriptor { name: name.into() }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}
