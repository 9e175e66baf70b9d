//! Real Flink 2.x snapshots — `org.apache.flink.runtime.checkpoint.metadata` (the `_metadata` file),
//! `runtime.state` (state handles, `KeyedBackendSerializationProxy`, the full-snapshot format),
//! `runtime.state.heap` (`HeapSnapshotStrategy`'s native format) and `api.common.typeutils` (the serializers):
//! savepoints and retained checkpoints of the HashMap state backend read defensively, the way the State
//! Processor API's `SavepointReader` reads them, without a JVM (`docs/flink-savepoint-format.md`) — and the
//! counter job's state written as a canonical savepoint that Flink restores (`savepoint_writer` and the `_writer`
//! modules, each the write side of the Flink class its reader counterpart reads).

pub mod checkpoint_properties;
pub mod data_input_deserializer;
pub mod data_output_serializer;
pub mod full_snapshot_async_writer;
pub mod heap_restore_operation;
pub mod heap_savepoint_restore_operation;
pub mod keyed_backend_serialization_proxy;
pub mod keyed_backend_serialization_proxy_writer;
pub mod keyed_state_handle;
pub mod metadata_v6_serializer;
pub mod metadata_v6_serializer_writer;
pub mod operator_state_handle;
pub mod savepoint_error;
pub mod savepoint_reader;
pub mod savepoint_writer;
pub mod snappy_stream_compression_decorator;
pub mod state_entry;
pub mod state_value;
pub mod stream_state_handle;
pub mod type_serializer;
pub mod type_serializer_snapshot;
pub mod type_serializer_snapshot_writer;
pub mod zip_archive;
pub mod zip_writer;
