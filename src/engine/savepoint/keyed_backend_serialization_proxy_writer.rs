//! `org.apache.flink.runtime.state.KeyedBackendSerializationProxy.write` and
//! `StateMetaInfoSnapshotReadersWriters.CurrentWriterImpl`: the head of a keyed state stream as
//! `FullSnapshotAsyncWriter.writeKVStateMetaData` writes it — version 6, whether key groups are compressed (StateLab
//! does not compress), the key serializer's snapshot, then each registered state: the key/value states
//! (`KEY_VALUE`, option `KEYED_STATE_TYPE`, the value's then the namespace's serializer snapshot, as
//! `RegisteredKeyValueStateBackendMetaInfo.snapshot()` lists them), then the priority queues (`PRIORITY_QUEUE`, no
//! options, the element's `TimerSerializer` snapshot) — the order in which the heap backend lists them. A state's
//! id in the key-group data is its position here. Read back by
//! [`keyed_backend_serialization_proxy`](crate::engine::savepoint::keyed_backend_serialization_proxy).

use crate::engine::savepoint::data_output_serializer::{DataOutputSerializer, UtfTooLong};
use crate::engine::savepoint::keyed_backend_serialization_proxy::PROXY_VERSION;
use crate::engine::savepoint::type_serializer_snapshot_writer::{
    write_serializer_snapshot, write_timer_serializer_snapshot, SimpleTypeSerializer,
};

/// `StateMetaInfoSnapshot.BackendStateType.KEY_VALUE.ordinal()`.
const KEY_VALUE: i32 = 0;
/// `StateMetaInfoSnapshot.BackendStateType.PRIORITY_QUEUE.ordinal()`.
const PRIORITY_QUEUE: i32 = 3;

/// A registered `ValueState` (`RegisteredKeyValueStateBackendMetaInfo` of a `ValueStateDescriptor`) in the
/// `VoidNamespace`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueStateMetaInfo<'a> {
    pub name: &'a str,
    pub value_serializer: SimpleTypeSerializer,
}

/// The registered states of a keyed backend, as its snapshot lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegisteredStates<'a> {
    pub key_serializer: SimpleTypeSerializer,
    pub value_states: &'a [ValueStateMetaInfo<'a>],
    /// The timer queues (`RegisteredPriorityQueueStateBackendMetaInfo`) by name, their elements
    /// `TimerHeapInternalTimer`s of the key type in the `VoidNamespace`.
    pub timer_queues: &'a [&'a str],
}

impl RegisteredStates<'_> {
    /// How many states the proxy lists (the last state id + 1).
    pub fn len(&self) -> usize {
        self.value_states.len() + self.timer_queues.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `KeyedBackendSerializationProxy.write`, uncompressed.
pub fn write_serialization_proxy(
    out: &mut DataOutputSerializer,
    states: &RegisteredStates,
) -> Result<(), UtfTooLong> {
    out.write_i32(PROXY_VERSION);
    out.write_boolean(false);
    write_serializer_snapshot(out, states.key_serializer)?;
    // `writeShort`: StateLab's job registers three states.
    out.write_u16(states.len() as u16);
    for state in states.value_states {
        out.write_utf(state.name)?;
        out.write_i32(KEY_VALUE);
        out.write_i32(1);
        out.write_utf("KEYED_STATE_TYPE")?;
        out.write_utf("VALUE")?;
        out.write_i32(2);
        out.write_utf("VALUE_SERIALIZER")?;
        write_serializer_snapshot(out, state.value_serializer)?;
        out.write_utf("NAMESPACE_SERIALIZER")?;
        write_serializer_snapshot(out, SimpleTypeSerializer::VoidNamespace)?;
    }
    for name in states.timer_queues {
        out.write_utf(name)?;
        out.write_i32(PRIORITY_QUEUE);
        out.write_i32(0);
        out.write_i32(1);
        out.write_utf("VALUE_SERIALIZER")?;
        write_timer_serializer_snapshot(out, states.key_serializer)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::savepoint::data_input_deserializer::DataInputDeserializer;
    use crate::engine::savepoint::keyed_backend_serialization_proxy::{
        KeyedBackendSerializationProxy, StateKind,
    };
    use crate::engine::savepoint::type_serializer::TypeSerializer;

    const COUNTER: [ValueStateMetaInfo; 1] = [ValueStateMetaInfo {
        name: "event-counter",
        value_serializer: SimpleTypeSerializer::Long,
    }];
    const TIMERS: [&str; 2] = [
        "_timer_state/processing_user-timers",
        "_timer_state/event_user-timers",
    ];

    fn proxy(key_serializer: SimpleTypeSerializer) -> Vec<u8> {
        let mut out = DataOutputSerializer::new();
        let states = RegisteredStates {
            key_serializer,
            value_states: &COUNTER,
            timer_queues: &TIMERS,
        };
        write_serialization_proxy(&mut out, &states).unwrap();
        out.into_bytes()
    }

    #[test]
    fn the_counters_proxy_reads_back_with_its_serializers() {
        for key in [
            SimpleTypeSerializer::String,
            SimpleTypeSerializer::Int,
            SimpleTypeSerializer::Long,
        ] {
            let bytes = proxy(key);
            let p = KeyedBackendSerializationProxy::read(&mut DataInputDeserializer::new(&bytes))
                .unwrap();
            assert_eq!(p.end, bytes.len());
            assert!(!p.compression);
            assert_eq!(p.key_serializer.serializer, key.type_serializer());
            let kinds: Vec<StateKind> = p.states.iter().map(|s| s.kind()).collect();
            assert_eq!(
                kinds,
                [
                    StateKind::Value,
                    StateKind::PriorityQueue,
                    StateKind::PriorityQueue
                ]
            );
            assert_eq!(p.states[0].name, "event-counter");
            assert_eq!(p.states[0].value_serializer(), TypeSerializer::Long);
            assert_eq!(
                p.states[0].namespace_serializer(),
                TypeSerializer::VoidNamespace
            );
            assert_eq!(p.states[2].name, TIMERS[1]);
        }
    }

    #[test]
    fn the_proxy_is_byte_for_byte_the_one_real_flink_wrote_for_the_counter_job() {
        // The public canonical savepoint of the counter job (String keys): its state file starts with the proxy.
        let sample = include_bytes!(
            "../../../tests/data/flink-savepoints/public/savepoint_canonical/2eb7a6a3-32ba-4643-b08f-dd9ecfdc61ff"
        );
        let ours = proxy(SimpleTypeSerializer::String);
        assert_eq!(ours.len(), 1060);
        assert_eq!(ours[..], sample[..ours.len()]);
    }
}
