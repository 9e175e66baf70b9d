//! `org.apache.flink.runtime.state.StateEntry`: one keyed entry as a snapshot holds it — its state, key group,
//! key, namespace and state (the value of a `ValueState`, the list of a `ListState`, the map of a `MapState`),
//! or one element of a timer queue (a `TimerHeapInternalTimer`: key, namespace, timestamp).

use crate::engine::savepoint::state_value::StateValue;

/// The most keyed entries one snapshot may hold for StateLab to open it.
pub const MAX_ENTRIES: u64 = 10_000_000;

#[derive(Clone, Debug, PartialEq)]
pub enum EntryValue {
    /// The state's value (a list or a map for list and map state).
    State(StateValue),
    /// A timer of a timer queue: its timestamp (key and namespace are the entry's).
    Timer { timestamp: i64 },
    /// A priority queue element of another kind.
    Element(StateValue),
    /// Bytes of a key group that could not be read (an unknown serializer): the serializer's class and the bytes.
    Undecoded(StateValue),
}

#[derive(Clone, Debug, PartialEq)]
pub struct KeyedStateEntry {
    /// The state's id: its position in the `KeyedBackendSerializationProxy`'s list.
    pub state: usize,
    pub key_group: i32,
    pub key: StateValue,
    /// `StateValue::Null` for `VoidNamespace`.
    pub namespace: StateValue,
    pub value: EntryValue,
}

impl KeyedStateEntry {
    /// An element of a priority queue state: a timer's fields taken apart, any other element kept whole.
    pub fn queue_element(state: usize, key_group: i32, element: StateValue) -> Self {
        if let StateValue::Record(fields) = &element {
            if let [(t, StateValue::Int(timestamp)), (k, key), (n, namespace)] = fields.as_slice() {
                if t == "timestamp" && k == "key" && n == "namespace" {
                    return KeyedStateEntry {
                        state,
                        key_group,
                        key: key.clone(),
                        namespace: namespace.clone(),
                        value: EntryValue::Timer {
                            timestamp: *timestamp,
                        },
                    };
                }
            }
        }
        KeyedStateEntry {
            state,
            key_group,
            key: StateValue::Null,
            namespace: StateValue::Null,
            value: EntryValue::Element(element),
        }
    }
}
